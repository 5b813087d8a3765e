"""Text out of an uploaded file: PDF, DOCX, TXT and Markdown, the type decided by the bytes.

Every refusal is an `ExtractionError` with a stable code (`encrypted_pdf`, `scanned_pdf`, ...)
whose message, in the company's language, tells the manager what to do (see `messages`), never a
parser's stack trace. pypdf and python-docx are imported on first use, not at cold start.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Literal

from onboarding.messages import DocumentProblem

Kind = Literal["pdf", "docx", "text", "markdown"]

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
)
_MARKDOWN_NAMES = (".md", ".markdown")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")


class ExtractionError(DocumentProblem):
    """The file cannot become text; `code` says why, `text(locale)` what the manager can do."""


@dataclass(frozen=True)
class Block:
    """A run of text with where it came from: page (PDF) and nearest heading."""

    text: str
    page: int | None
    heading: str | None


@dataclass(frozen=True)
class Extracted:
    """A file's text, in reading order."""

    kind: Kind
    mime: str
    blocks: list[Block]
    pages: int | None

    @property
    def chars(self) -> int:
        """How many characters of text were found."""
        return sum(len(b.text) for b in self.blocks)


@dataclass(frozen=True)
class Limits:
    """What a file may be: pages and uncompressed size of Office files."""

    max_pages: int = 500
    max_unzipped_bytes: int = 100 * 1024 * 1024


def sniff(data: bytes, filename: str) -> Kind:
    """The file's kind from its bytes; the name only tells Markdown from plain text."""
    if not data:
        raise ExtractionError("empty_file")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ExtractionError("old_office_file")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise ExtractionError("unsupported_type", kind="webp")
    for magic, kind in _IMAGE_MAGIC:
        if data.startswith(magic):
            raise ExtractionError("unsupported_type", kind=kind)
    if data[:2] == b"\x1f\x8b" or data[:6] == b"7z\xbc\xaf\x27\x1c" or data[:4] == b"Rar!":
        raise ExtractionError("unsupported_type", kind="archive")
    if _looks_binary(data):
        raise ExtractionError("unsupported_type", kind="binary")
    return "markdown" if filename.lower().endswith(_MARKDOWN_NAMES) else "text"


def _zip_kind(data: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ExtractionError("damaged_docx") from exc
    if "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names:
        raise ExtractionError("unsupported_type", kind="office_other")
    raise ExtractionError("unsupported_type", kind="zip")


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > len(head) // 20


def extract(data: bytes, filename: str, limits: Limits | None = None) -> Extracted:
    """The text of `data` in blocks; raises ExtractionError with the reason's code."""
    limits = limits or Limits()
    kind = sniff(data, filename)
    if kind == "pdf":
        result = _pdf(data, limits)
    elif kind == "docx":
        result = _docx(data, limits)
    else:
        result = _text(data, kind)
    result = Extracted(result.kind, result.mime, _clean(result.blocks), result.pages)
    if not any(b.text.strip() for b in result.blocks):
        if kind == "pdf":
            raise ExtractionError("scanned_pdf")
        raise ExtractionError("no_text")
    return result


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")


def _clean(blocks: list[Block]) -> list[Block]:
    """Drop control characters (PDFs emit NULs; Postgres text cannot hold them) and empties."""
    cleaned = [Block(_CONTROL.sub("", b.text).strip(), b.page, b.heading) for b in blocks]
    return [b for b in cleaned if b.text]


# --- PDF --------------------------------------------------------------------------------------


def _pdf(data: bytes, limits: Limits) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

    damaged = "damaged_pdf"
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise ExtractionError("encrypted_pdf")
        count = len(reader.pages)
    except ExtractionError:
        raise
    except FileNotDecryptedError as exc:
        raise ExtractionError("encrypted_pdf") from exc
    except (PyPdfError, PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractionError(damaged) from exc
    if count == 0:
        raise ExtractionError(damaged)
    if count > limits.max_pages:
        raise ExtractionError("too_many_pages", pages=count, max_pages=limits.max_pages)
    texts: list[str] = []
    for page in reader.pages:
        try:
            texts.append(page.extract_text() or "")
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ExtractionError(damaged) from exc
    running = _running_lines(texts)
    blocks: list[Block] = []
    heading: str | None = None
    for number, text in enumerate(texts, start=1):
        kept = "\n".join(line for line in text.split("\n") if _shape(line) not in running)
        for paragraph in _paragraphs(kept):
            if _looks_like_heading(paragraph):
                heading = paragraph
            blocks.append(Block(paragraph, number, heading))
    return Extracted("pdf", "application/pdf", blocks, count)


def _shape(line: str) -> str:
    """A line with digits masked, so "Página 3 de 9" and "Página 4 de 9" look alike."""
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _running_lines(pages: list[str]) -> set[str]:
    """Headers and footers: short first/last lines that repeat on most pages (3 pages or more).

    They would otherwise become a chunk per page and the "nearest heading" of every paragraph.
    """
    if len(pages) < 3:
        return set()
    seen: dict[str, int] = {}
    for text in pages:
        lines = [line for line in text.split("\n") if line.strip()]
        edges = [line for line in lines[:2] + lines[-2:] if len(line.strip()) <= 70]
        for shape in {_shape(line) for line in edges}:
            seen[shape] = seen.get(shape, 0) + 1
    return {shape for shape, n in seen.items() if n > len(pages) / 2}


def _decrypts_without_password(reader: object) -> bool:
    """Owner-only protection (an empty user password) still lets us read the text."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    assert isinstance(reader, PdfReader)
    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, NotImplementedError, ValueError):
        return False


def _paragraphs(text: str) -> list[str]:
    """Lines of a page grouped into paragraphs (PDF text has no paragraph marks of its own)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and (_looks_like_heading(line) or _looks_like_heading(current[-1])):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _looks_like_heading(line: str) -> bool:
    """A short line without final punctuation that starts with a capital or a number."""
    words = line.split()
    return (
        0 < len(words) <= 10
        and len(line) <= 80
        and line[-1] not in ".,;:!?)"
        and (line[0].isupper() or line[0].isdigit())
        and sum(c.isalpha() for c in line) >= 3
        and not line.lower().startswith(("r$", "www.", "http"))
    )


# --- DOCX -------------------------------------------------------------------------------------


def _docx(data: bytes, limits: Limits) -> Extracted:
    _guard_zip(data, limits.max_unzipped_bytes)
    import docx
    from docx.opc.exceptions import OpcError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    damaged = "damaged_docx"
    try:
        document = docx.Document(io.BytesIO(data))
        content = list(document.iter_inner_content())
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, AttributeError) as exc:
        raise ExtractionError(damaged) from exc
    except Exception as exc:  # lxml's XMLSyntaxError and friends: a broken part, not our bug
        if type(exc).__module__.startswith("lxml"):
            raise ExtractionError(damaged) from exc
        raise
    blocks: list[Block] = []
    heading: str | None = None
    for item in content:
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if style.lower().startswith(("heading", "title", "título", "titulo")):
                heading = text
            blocks.append(Block(text, None, heading))
        elif isinstance(item, Table):
            for row in _table_rows(item):
                blocks.append(Block(row, None, heading))
    return Extracted(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        blocks,
        None,
    )


def _table_rows(table: object) -> list[str]:
    """Each row as `cell | cell | cell` (merged cells once), so a row stays one unit."""
    from docx.table import Table

    assert isinstance(table, Table)
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _guard_zip(data: bytes, max_bytes: int) -> None:
    """Refuse archives that inflate past `max_bytes`, counting real bytes (headers can lie)."""
    max_mb = max_bytes // (1024 * 1024)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > 5000:
                raise ExtractionError("zip_bomb", max_mb=max_mb)
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    while block := stream.read(1 << 16):
                        total += len(block)
                        if total > max_bytes:
                            raise ExtractionError("zip_bomb", max_mb=max_mb)
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ExtractionError("damaged_docx") from exc


# --- TXT / Markdown ---------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (never fails)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _text(data: bytes, kind: Kind) -> Extracted:
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    heading: str | None = None
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        first = paragraph.split("\n", 1)[0]
        match = _MD_HEADING.match(first) if kind == "markdown" else None
        if match:
            heading = match.group(1)
        blocks.append(Block(paragraph, None, heading))
    mime = "text/markdown" if kind == "markdown" else "text/plain"
    return Extracted(kind, mime, blocks, None)
