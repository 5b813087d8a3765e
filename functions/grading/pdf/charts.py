"""Charts drawn straight into the PDF as vector shapes (no screenshots): heat colours, a line
chart of scores over time, a sparkline, stacked weekly bars and a distribution against its band.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise

from grading.models.analytics import MetricDistribution
from grading.pdf.document import ACCENT, BAND, FAMILY, INK, MUTED, TRACK, Color, Report
from grading.pdf.labels import label, number

# one colour per rubric category, in the rubric's order
SERIES: tuple[Color, ...] = ((79, 70, 229), (14, 165, 233), (234, 88, 12), (22, 163, 74))
VOICE: Color = (79, 70, 229)
TEXT: Color = (165, 180, 252)
_HEAT_STOPS: tuple[tuple[float, Color], ...] = (
    (0, (252, 165, 165)),
    (50, (253, 230, 138)),
    (75, (187, 247, 208)),
    (100, (110, 231, 183)),
)

Point = tuple[datetime, float]


def heat_color(score: float) -> Color:
    """A pale fill for a 0-100 score: red, through amber, to green (dark text stays readable)."""
    for (lo, a), (hi, b) in pairwise(_HEAT_STOPS):
        if score <= hi:
            f = max(0.0, (score - lo) / (hi - lo))
            return (
                round(a[0] + (b[0] - a[0]) * f),
                round(a[1] + (b[1] - a[1]) * f),
                round(a[2] + (b[2] - a[2]) * f),
            )
    return _HEAT_STOPS[-1][1]


def _polyline(pdf: Report, points: list[tuple[float, float]], color: Color, width: float) -> None:
    pdf.set_draw_color(*color)
    pdf.set_line_width(width)
    for (x1, y1), (x2, y2) in pairwise(points):
        pdf.line(x1, y1, x2, y2)
    if len(points) == 1:
        pdf.set_fill_color(*color)
        pdf.ellipse(points[0][0] - 0.6, points[0][1] - 0.6, 1.2, 1.2, style="F")
    pdf.set_line_width(0.2)


def sparkline(pdf: Report, box: tuple[float, float, float, float], values: Sequence[float]) -> None:
    """Values on a 0-100 scale as a small line in `box` (x, y, width, height)."""
    x, y, w, h = box
    pdf.set_draw_color(*TRACK)
    pdf.line(x, y + h, x + w, y + h)
    if not values:
        return
    step = w / max(len(values) - 1, 1)
    points = [(x + i * step, y + h - h * v / 100) for i, v in enumerate(values)]
    _polyline(pdf, points, ACCENT, 0.35)


def line_chart(
    pdf: Report,
    box: tuple[float, float, float, float],
    series: list[tuple[str, list[Point]]],
    span: tuple[datetime, datetime],
) -> None:
    """Scores (0-100) over time, one coloured line per series, gridlines and a legend below."""
    x, y, w, h = box
    pdf.set_font(FAMILY, size=6.5)
    pdf.set_text_color(*MUTED)
    for level in (0, 25, 50, 75, 100):
        at = y + h - h * level / 100
        pdf.set_draw_color(*TRACK)
        pdf.line(x, at, x + w, at)
        pdf.set_xy(x - 8, at - 1.5)
        pdf.put(7, 3, str(level), align="R")
    start, end = span
    seconds = max((end - start).total_seconds(), 1.0)
    for index, (_name, points) in enumerate(series):
        xy = [
            (
                x + w * max(0.0, min((at - start).total_seconds() / seconds, 1.0)),
                y + h - h * v / 100,
            )
            for at, v in points
        ]
        _polyline(pdf, xy, SERIES[index % len(SERIES)], 0.5)
    legend_x = x
    for index, (name, _points) in enumerate(series):
        pdf.set_fill_color(*SERIES[index % len(SERIES)])
        pdf.rect(legend_x, y + h + 3, 3, 2, style="F")
        pdf.set_xy(legend_x + 4, y + h + 2.2)
        pdf.set_text_color(*INK)
        pdf.put(pdf.get_string_width(name) + 6, 3.5, name)
        legend_x = pdf.get_x()
    pdf.set_text_color(*INK)


def _legend(pdf: Report, right: float, y: float, entries: list[tuple[str, Color]]) -> None:
    """Colour keys ending at `right`."""
    pdf.set_font(FAMILY, size=6.5)
    widths = [pdf.get_string_width(name) + 7 for name, _ in entries]
    x = right - sum(widths)
    for (name, color), width in zip(entries, widths, strict=True):
        pdf.set_fill_color(*color)
        pdf.rect(x, y + 0.7, 3, 2, style="F")
        pdf.set_xy(x + 4, y)
        pdf.set_text_color(*INK)
        pdf.put(width - 4, 3.4, name)
        x += width


def week_bars(
    pdf: Report,
    box: tuple[float, float, float, float],
    weeks: list[tuple[str, int, int]],
) -> None:
    """Sessions per week as stacked bars (voice below, text above), the count on top of each."""
    x, y, w, h = box
    pdf.set_draw_color(*TRACK)
    pdf.line(x, y + h, x + w, y + h)
    if not weeks:
        return
    keys = [(label("mode_voice", pdf.locale), VOICE), (label("mode_text", pdf.locale), TEXT)]
    _legend(pdf, x + w, y - 4, keys)
    top = max(v + t for _, v, t in weeks) or 1
    slot = w / len(weeks)
    bar = min(slot * 0.7, 8)
    pdf.set_font(FAMILY, size=6)
    for i, (week, voice, text) in enumerate(weeks):
        left = x + i * slot + (slot - bar) / 2
        for count, color, base in ((voice, VOICE, 0), (text, TEXT, voice)):
            if count:
                pdf.set_fill_color(*color)
                pdf.rect(left, y + h - h * (base + count) / top, bar, h * count / top, style="F")
        pdf.set_text_color(*INK)
        pdf.set_xy(left - 2, y + h - h * (voice + text) / top - 3.2)
        pdf.put(bar + 4, 3, str(voice + text), align="C")
        if len(weeks) <= 16 or i % 2 == 0:  # labels of every other week when they crowd
            pdf.set_text_color(*MUTED)
            pdf.set_xy(x + i * slot, y + h + 0.8)
            pdf.put(slot, 3, week.split("-")[-1], align="C")
    pdf.set_text_color(*INK)


def distribution(
    pdf: Report, box: tuple[float, float, float, float], metric: MetricDistribution
) -> None:
    """A metric's sessions as a box plot (p10-p90 whiskers, p25-p75 box, median) over the
    reference band drawn in green."""
    x, y, w, h = box
    band = metric.band
    known = [metric.maximum, *((band.low, band.high, band.target) if band else ())]
    top = 1.0
    if metric.unit != "ratio":  # the whole band and the largest value, with room to spare
        top = max((v for v in known if v is not None), default=1.0) * 1.15 or 1.0

    def at(value: float) -> float:
        return x + w * max(0.0, min(value / top, 1.0))

    pdf.set_fill_color(*TRACK)
    pdf.rect(x, y + h / 2 - 1, w, 2, style="F")
    if band is not None and (band.low is not None or band.high is not None):
        pdf.set_fill_color(*BAND)
        low, high = at(band.low or 0.0), at(band.high if band.high is not None else top)
        pdf.rect(low, y, max(high - low, 0.6), h, style="F")
    if metric.p10 is None or metric.p90 is None or metric.p25 is None or metric.p75 is None:
        return
    pdf.set_draw_color(*INK)
    pdf.line(at(metric.p10), y + h / 2, at(metric.p90), y + h / 2)
    pdf.set_fill_color(*ACCENT)
    pdf.rect(at(metric.p25), y + 1, max(at(metric.p75) - at(metric.p25), 0.6), h - 2, style="F")
    if metric.median is not None:
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(at(metric.median) - 0.4, y + 1, 0.8, h - 2, style="F")
    pdf.set_font(FAMILY, size=6)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(x, y + h + 0.5)
    pdf.put(w / 2, 3, "0")
    shown = (
        f"{number(top * 100, pdf.locale, 0)}%"
        if metric.unit == "ratio"
        else number(top, pdf.locale)
    )
    pdf.put(w / 2, 3, shown, align="R")
    pdf.set_text_color(*INK)
