"""Property tests for chunking: nothing lost, nothing duplicated beyond the overlap, no chunk
over the limit, the same input always gives the same chunks."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from onboarding.chunking import chunk_blocks, sections, split_text
from onboarding.extract import Block

WORDS = st.sampled_from(
    [
        "preço",
        "plano",
        "NF-e",
        "emissão",
        "R$ 349",
        "suporte",
        "contrato",
        "ação",
        "fiscal",
        "Essencial",
        "cliente",
        "x" * 40,
        "implantação",
        "SLA",
    ]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=30).map(lambda w: " ".join(w) + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=12).map(" ".join)
TEXT = st.lists(PARAGRAPH, min_size=1, max_size=8).map("\n\n".join)
ANY_TEXT = st.one_of(TEXT, st.text(min_size=1, max_size=4000))
LIMIT = st.integers(min_value=200, max_value=1200)


@settings(max_examples=150, deadline=None)
@given(text=ANY_TEXT, limit=LIMIT, overlap=st.integers(min_value=0, max_value=200))
def test_split_properties(text: str, limit: int, overlap: int) -> None:
    spans = split_text(text, limit, overlap)
    effective = min(overlap, limit // 2)
    covered = [False] * len(text)
    for span in spans:
        assert 0 < len(span.text) <= limit
        assert text[span.start : span.end] == span.text  # verbatim: nothing rewritten
        for i in range(span.start, span.end):
            covered[i] = True
    # no text lost: every non-blank character is inside some chunk
    assert all(covered[i] for i, c in enumerate(text) if not c.isspace())
    # no duplication beyond the overlap, and chunks move forward
    for prev, nxt in itertools.pairwise(spans):
        assert nxt.start > prev.start
        assert prev.end - nxt.start <= effective
    assert split_text(text, limit, overlap) == spans  # deterministic


@settings(max_examples=50, deadline=None)
@given(
    paragraphs=st.lists(
        st.tuples(PARAGRAPH, st.integers(1, 3), st.sampled_from(["Planos", "Suporte", None])),
        min_size=1,
        max_size=10,
    )
)
def test_chunks_keep_page_and_heading(paragraphs: list[tuple[str, int, str | None]]) -> None:
    blocks = [Block(text, page, heading) for text, page, heading in paragraphs]
    result = chunk_blocks(blocks, 300, 50)
    assert [c.index for c in result] == list(range(len(result)))
    by_origin: dict[tuple[int | None, str | None], str] = {}
    for text, page, heading in sections(blocks):
        by_origin[(page, heading)] = by_origin.get((page, heading), "") + text
    for chunk in result:
        assert chunk.content in by_origin[(chunk.page, chunk.heading)]
        assert len(chunk.content) <= 300
    assert chunk_blocks(blocks, 300, 50) == result


def test_chunks_end_at_sentence_boundaries_when_they_can() -> None:
    sentence = "O plano Profissional inclui emissão ilimitada de notas fiscais eletrônicas. "
    spans = split_text(sentence * 40, 1000, 100)
    assert len(spans) > 2
    assert all(s.text.endswith(".") for s in spans[:-1])
    assert all(700 <= len(s.text) <= 1000 for s in spans[:-1])
