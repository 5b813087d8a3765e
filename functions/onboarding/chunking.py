"""Chunks of about 1,000 characters that end at paragraph or sentence boundaries.

The splitting itself is `semantic-text-splitter` (Rust, maintained): it cuts at the largest
semantic unit that fits (paragraphs, then lines, sentences, words) and returns each chunk with its
character offset, which is what lets us prove that no text is lost and nothing is duplicated beyond
the overlap. Text is split per section (same page and heading), so every chunk carries the page
and nearest heading it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from onboarding.extract import Block

if TYPE_CHECKING:
    from semantic_text_splitter import TextSplitter


@dataclass(frozen=True)
class Span:
    """One chunk of a text: its characters and where they start."""

    start: int
    text: str

    @property
    def end(self) -> int:
        """Offset just past the last character."""
        return self.start + len(self.text)


@dataclass(frozen=True)
class Chunk:
    """A chunk ready to embed, with its origin."""

    index: int
    content: str
    page: int | None
    heading: str | None

    @property
    def content_hash(self) -> str:
        """sha256 of the text: the key for reusing an embedding already paid for."""
        return content_hash(self.content)

    @property
    def metadata(self) -> dict[str, object]:
        """What is stored beside the text: page and heading."""
        return {"page": self.page, "heading": self.heading}


def content_hash(text: str) -> str:
    """The hash under which a text's embedding is reused within a company."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def _splitter(limit: int, overlap: int) -> TextSplitter:
    from semantic_text_splitter import TextSplitter

    # fill chunks to between 70% and 100% of the limit before cutting at a boundary
    return TextSplitter((max(1, limit * 7 // 10), limit), overlap=overlap, trim=True)


def split_text(text: str, limit: int = 1000, overlap: int = 150) -> list[Span]:
    """`text` cut into spans of at most `limit` characters, neighbours sharing <= `overlap`."""
    if not text.strip():
        return []
    overlap = min(overlap, limit // 2)
    return [Span(start, piece) for start, piece in _splitter(limit, overlap).chunk_indices(text)]


def sections(blocks: list[Block]) -> list[tuple[str, int | None, str | None]]:
    """Consecutive blocks of the same page and heading joined into one text per section."""
    grouped: list[tuple[list[str], int | None, str | None]] = []
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if grouped and grouped[-1][1] == block.page and grouped[-1][2] == block.heading:
            grouped[-1][0].append(text)
        else:
            grouped.append(([text], block.page, block.heading))
    return [("\n\n".join(parts), page, heading) for parts, page, heading in grouped]


def chunk_blocks(blocks: list[Block], limit: int = 1000, overlap: int = 150) -> list[Chunk]:
    """The chunks of a document, numbered from 0 in reading order."""
    chunks: list[Chunk] = []
    for text, page, heading in sections(blocks):
        for span in split_text(text, limit, overlap):
            chunks.append(Chunk(len(chunks), span.text, page, heading))
    return chunks
