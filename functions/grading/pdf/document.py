"""The house style of every PDF report: A4, an embedded Unicode font, a running header and footer,
and the few drawing primitives the reports share (headings, wrapped text, quotes, score bars).

fpdf2 is imported here and only here, lazily by the report modules (it is paid on the first
report, not at cold start). The font is DejaVu Sans (free licence, fonts/LICENSE-DejaVu.txt),
shipped in the function's folder because Lambda has no system fonts; fpdf2 embeds only the
glyphs a report uses, so a PDF stays small.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from grading.pdf.labels import date, label, number

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"

Color = tuple[int, int, int]
INK: Color = (30, 41, 59)
MUTED: Color = (100, 116, 139)
ACCENT: Color = (79, 70, 229)
TRACK: Color = (226, 232, 240)
BAND: Color = (187, 247, 208)
GOOD: Color = (22, 163, 74)
GREEN: Color = (21, 128, 61)
FAIR: Color = (217, 119, 6)
POOR: Color = (220, 38, 38)
QUOTE_BG: Color = (248, 250, 252)


def score_color(score: float | None) -> Color:
    """Green from 70, amber from 50, red below: the scorecard's reading of a 0-100 score."""
    if score is None:
        return MUTED
    if score >= 70:
        return GOOD
    return FAIR if score >= 50 else POOR


class Report(FPDF):
    """An A4 report in the reader's language, with a running header and a numbered footer."""

    def __init__(self, locale: str, title: str, company: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.locale = locale
        self.report_title = title
        self.company = company
        self.generated_at = datetime.now(UTC)
        self._widths: dict[tuple[str, str, float, str], float] = {}
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(f"{title} · {company}")
        self.set_author(label("product", locale))
        self.set_creator(label("product", locale))
        self.set_lang(locale)
        self.set_font(FAMILY, size=10)
        self.set_text_color(*INK)

    def split(self, text: str, width: float) -> list[str]:
        """`text` as the lines it wraps to in `width` with the current font: words kept whole
        (a word wider than the line is cut), line breaks in the text kept.

        Our own greedy wrap with word widths cached: fpdf2's multi_cell measures the line again
        for every character it adds, which made a 10-minute call's transcript take seconds.
        """
        lines: list[str] = []
        width -= 2 * self.c_margin  # a cell keeps this much free on each side of its text
        space = self._width(" ")
        for paragraph in unicodedata.normalize("NFC", text).split("\n"):
            line, used = "", 0.0
            for word in paragraph.split():
                for piece in self._pieces(word, width):
                    size = self._width(piece)
                    if line and used + space + size > width:
                        lines.append(line)
                        line, used = piece, size
                    else:
                        used += (space if line else 0.0) + size
                        line = f"{line} {piece}" if line else piece
            lines.append(line)
        return lines

    def _width(self, word: str) -> float:
        key = (self.font_family, self.font_style, self.font_size_pt, word)
        if key not in self._widths:
            self._widths[key] = self.get_string_width(word)
        return self._widths[key]

    def _pieces(self, word: str, width: float) -> list[str]:
        """A word, cut into pieces that fit the line when it is wider than the line."""
        if self._width(word) <= width:
            return [word]
        pieces, piece = [], ""
        for char in word:
            if piece and self._width(piece + char) > width:
                pieces.append(piece)
                piece = ""
            piece += char
        return [*pieces, piece]

    def lines_of(self, text: str, width: float) -> int:
        """How many lines `text` wraps to in `width` in the current font."""
        return max(len(self.split(text, width)), 1)

    def put(self, width: float, height: float, text: str, align: str = "L") -> None:
        """One line of text in a box `width` (0: to the right margin) by `height` at the cursor,
        which then moves right by `width`: what `cell()` does for plain text, placed with
        `text()` at a fraction of the cost (a team report has thousands of them)."""
        width = width or self.w - self.r_margin - self.x
        if text:
            free = width - 2 * self.c_margin - self._width(text)
            shift = {"C": free / 2, "R": free}.get(align, 0.0)
            baseline = self.y + 0.5 * height + 0.3 * self.font_size
            self.text(self.x + self.c_margin + shift, baseline, text)
        self.set_x(self.x + width)

    def wrap(self, width: float, height: float, text: str, align: str = "L") -> None:
        """Wrapped text from the cursor, `width` wide (0: to the right margin), each line
        `height` high, breaking pages as it goes; the cursor then goes to the left margin of the
        next line."""
        x = self.x
        width = width or self.w - self.r_margin - x
        for line in self.split(text, width):
            if self.will_page_break(height):
                self.add_page()
            self.set_x(x)
            self.put(width, height, line, align)
            self.set_y(self.y + height)  # set_y also returns x to the left margin
        self.set_x(self.l_margin)

    # --- page furniture ---------------------------------------------------------------------

    def header(self) -> None:
        """A thin running header: the product and report on the left, the company on the right."""
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        self.set_xy(self.l_margin, 10)
        left = f"{label('product', self.locale)} · {self.report_title}"
        self.put(self.epw / 2, 4, left)
        self.put(self.epw / 2, 4, self.company[:80], align="R")
        self.set_draw_color(*TRACK)
        self.line(self.l_margin, 15, self.w - self.r_margin, 15)
        self.set_xy(self.l_margin, 20)
        self.set_font(FAMILY, size=10)
        self.set_text_color(*INK)

    def footer(self) -> None:
        """The page number of the total, and when the report was made."""
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        at = label("generated", self.locale, at=date(self.generated_at, self.locale, time=True))
        self.put(self.epw / 2, 4, at)
        page = label("page", self.locale, n=self.page_no(), total="{nb}")
        # cell(), not put(): fpdf2 fills in the page total ({nb}) only in what cell() wrote
        self.cell(self.epw / 2, 4, page, align="R")

    # --- text -------------------------------------------------------------------------------

    def title_block(self, title: str, subtitle: str | None = None) -> None:
        """The report's title in large type, with an optional subtitle."""
        self.set_font(FAMILY, "B", 18)
        self.set_text_color(*INK)
        self.wrap(0, 8, title)
        if subtitle:
            self.set_font(FAMILY, size=11)
            self.set_text_color(*MUTED)
            self.wrap(0, 6, subtitle)
        self.ln(3)
        self.set_text_color(*INK)

    def heading(self, text: str, *, size: float = 13) -> None:
        """A section heading, kept on the same page as at least a few lines after it."""
        if self.will_page_break(size + 18):
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, "B", size)
        self.set_text_color(*INK)
        self.wrap(0, size * 0.55, text)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.5)
        self.line(self.l_margin, self.get_y() + 0.5, self.l_margin + 18, self.get_y() + 0.5)
        self.set_line_width(0.2)
        self.ln(3)

    def paragraph(
        self, text: str, *, size: float = 10, color: Color = INK, bold: bool = False
    ) -> None:
        """Wrapped text across the page width."""
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*color)
        self.wrap(0, size * 0.5, text)
        self.set_text_color(*INK)

    def fields(self, pairs: list[tuple[str, str]], *, key_width: float = 38) -> None:
        """Label: value lines, the values wrapping under themselves (long names stay readable)."""
        for key, value in pairs:
            self.set_font(FAMILY, "B", 9)
            self.set_text_color(*MUTED)
            y = self.get_y()
            self.put(key_width, 5, key)
            self.set_font(FAMILY, size=10)
            self.set_text_color(*INK)
            self.set_xy(self.l_margin + key_width, y)
            self.wrap(0, 5, value)
        self.set_text_color(*INK)

    def quote(self, text: str, turn: int | None = None, *, indent: float = 4) -> None:
        """A verbatim quote in a tinted box with an accent rule on its left, and its turn; a quote
        longer than a page flows across pages as plain text instead."""
        shown = f"“{text}”"
        if turn is not None:
            shown += f"  ({label('turn', self.locale, n=turn)})"
        self.set_font(FAMILY, size=9)
        self.set_text_color(51, 65, 85)
        width = self.epw - indent - 4
        height = self.lines_of(shown, width) * 4.6 + 2
        x = self.l_margin + indent
        if height > self.eph - 20:
            self.wrap(0, 4.6, shown)
        else:
            if self.will_page_break(height):
                self.add_page()
            y = self.get_y()
            self.set_fill_color(*QUOTE_BG)
            self.rect(x, y, self.epw - indent, height, style="F")
            self.set_fill_color(*ACCENT)
            self.rect(x, y, 0.9, height, style="F")
            self.set_xy(x + 3, y + 1)
            self.wrap(width, 4.6, shown)
            self.set_y(y + height)
        self.ln(1.5)
        self.set_text_color(*INK)

    # --- drawn charts -----------------------------------------------------------------------

    def score_bar(
        self, name: str, score: float | None, note: str = "", marker: float | None = None
    ) -> None:
        """A category's name, its 0-100 score drawn as a filled bar, the score and a note; a
        `marker` (the team's average, say) is drawn as a dark tick across the bar."""
        name_w, bar_w = 58.0, self.epw - 58.0 - 34
        x, y = self.l_margin + name_w, self.get_y()
        self.set_font(FAMILY, "B", 10)
        self.set_xy(self.l_margin, y)
        self.put(name_w, 6, self.fit(name, name_w - 2))
        self.set_fill_color(*TRACK)
        self.rect(x, y + 1.5, bar_w, 3.5, style="F")
        if score is not None:
            self.set_fill_color(*score_color(score))
            self.rect(x, y + 1.5, bar_w * max(0.0, min(score, 100)) / 100, 3.5, style="F")
        if marker is not None:
            self.set_fill_color(*INK)
            self.rect(x + bar_w * max(0.0, min(marker, 100)) / 100 - 0.4, y + 0.5, 0.8, 5.5, "F")
        self.set_xy(x + bar_w + 2, y)
        self.put(12, 6, number(score, self.locale), align="R")
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        self.put(20, 6, note, align="R")
        self.set_text_color(*INK)
        self.set_y(y + 7)

    def name_cell(self, text: str, width: float, height: float, line: float = 3.6) -> None:
        """A table's first cell at the cursor: `text` wrapped in `width`, vertically centred in
        a row of `height` (long names wrap instead of being cut); the cursor stays on the row."""
        x, y = self.get_x(), self.get_y()
        used = self.lines_of(text, width - 1) * line
        self.set_xy(x, y + max(0.0, (height - used) / 2))
        self.wrap(width - 1, line, text)
        self.set_xy(x + width, y)  # wrap left the cursor at the margin

    def fit(self, text: str, width: float) -> str:
        """`text` shortened with an ellipsis to fit `width` in the current font (table cells)."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"
