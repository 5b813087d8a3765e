"""The session scorecard PDF: who and when, the overall, the four categories with their
justifications and evidence, strengths, improvements and recommendations, the conversation
metrics drawn against their reference bands, and the transcript as an appendix.
"""

from __future__ import annotations

from grading.models import FeedbackItem, GradedFeedback, MetricItem
from grading.pdf.document import (
    BAND,
    FAMILY,
    GREEN,
    INK,
    MUTED,
    TRACK,
    Report,
    score_color,
)
from grading.pdf.labels import date, duration, label, number
from grading.reports import SessionReport


def render(report: SessionReport) -> bytes:
    """The scorecard as PDF bytes."""
    locale = report.locale
    pdf = Report(locale, label("session_title", locale), report.company)
    pdf.add_page()
    _cover(pdf, report)
    card = report.card
    if isinstance(card, GradedFeedback):
        _categories(pdf, card)
        _items(pdf, label("strengths", locale), card.strengths)
        _items(pdf, label("improvements", locale), card.improvements)
        _items(pdf, label("recommendations", locale), card.recommendations)
    _metrics(pdf, card.metrics.items)
    _transcript(pdf, report)
    return bytes(pdf.output())


def _cover(pdf: Report, report: SessionReport) -> None:
    """Title, the session's facts, and the overall score in a coloured box."""
    locale, card = report.locale, report.card
    pdf.title_block(label("session_title", locale), report.company)
    persona = " · ".join(p for p in (report.persona, report.persona_role) if p) or "—"
    pdf.fields(
        [
            (label("salesperson", locale), report.salesperson),
            (label("persona", locale), persona),
            (label("date", locale), date(report.ended_at, locale, time=True)),
            (label("mode", locale), label(f"mode_{report.mode}", locale)),
            (label("duration", locale), duration(report.duration_seconds)),
            (label("grader", locale), card.grader.label),
            (label("rubric", locale), card.rubric_version),
        ]
    )
    pdf.ln(4)
    if isinstance(card, GradedFeedback):
        _overall(pdf, card)
    else:
        pdf.heading(label("insufficient", locale))
        pdf.paragraph(card.message or "")


def _overall(pdf: Report, card: GradedFeedback) -> None:
    locale = pdf.locale
    y = pdf.get_y()
    pdf.set_fill_color(*score_color(card.overall))
    pdf.rect(pdf.l_margin, y, 40, 24, style="F", round_corners=True, corner_radius=2)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FAMILY, "B", 24)
    pdf.set_xy(pdf.l_margin, y + 3)
    pdf.put(40, 11, number(card.overall, locale), align="C")
    pdf.set_font(FAMILY, size=9)
    pdf.set_xy(pdf.l_margin, y + 15)
    pdf.put(40, 5, card.overall_band or "", align="C")
    pdf.set_text_color(*INK)
    pdf.set_xy(pdf.l_margin + 46, y + 2)
    pdf.set_font(FAMILY, "B", 12)
    pdf.put(0, 6, label("overall", locale))
    pdf.ln(6)
    if card.override is not None:
        pdf.set_x(pdf.l_margin + 46)
        pdf.set_font(FAMILY, size=9)
        pdf.set_text_color(*MUTED)
        note = label("overridden", locale, note=card.override.note or "")
        note += " " + label("model_score", locale, score=number(card.model_overall, locale))
        pdf.wrap(pdf.epw - 46, 4.5, note)
        pdf.set_text_color(*INK)
    pdf.set_y(max(pdf.get_y(), y + 24) + 4)


def _categories(pdf: Report, card: GradedFeedback) -> None:
    """The four bars together, then each category's justification and evidence."""
    locale = pdf.locale
    pdf.heading(label("categories", locale))
    for category in card.categories:
        weight = label("weight", locale, weight=number(category.weight * 100, locale, 0))
        pdf.score_bar(category.name, category.score, weight)
    for category in card.categories:
        pdf.heading(f"{category.name} — {number(category.score, locale)}", size=11)
        if category.overridden:
            model = label("model_score", locale, score=number(category.model_score, locale))
            pdf.paragraph(model, size=8, color=MUTED)
        pdf.paragraph(category.justification or label("no_justification", locale))
        pdf.ln(1.5)
        for quote in category.evidence:
            pdf.quote(quote.quote, quote.turn)


def _items(pdf: Report, title: str, items: list[FeedbackItem]) -> None:
    """Strengths, improvements or recommendations: the text, its quote, what to try."""
    if not items:
        return
    pdf.heading(title)
    for item in items:
        pdf.paragraph(f"• {item.text}")
        pdf.ln(1)
        if item.quote:
            pdf.quote(item.quote, item.turn)
        if item.try_:
            pdf.paragraph(item.try_, size=9, color=GREEN)
        pdf.ln(1.5)


def _band_text(metric: MetricItem, locale: str) -> str:
    band = metric.band
    if band is None:
        return ""

    def show(v: float) -> str:
        return f"{number(v * 100, locale, 0)}%" if metric.unit == "ratio" else number(v, locale)

    if band.low is not None and band.high is not None:
        return f"{show(band.low)}–{show(band.high)}"
    if band.high is not None:
        return f"≤ {show(band.high)}"
    if band.low is not None:
        return f"≥ {show(band.low)}"
    return f"≈ {show(band.target)}" if band.target is not None else ""


def _value_text(metric: MetricItem, locale: str) -> str:
    if metric.value is None:
        return label("not_measured", locale)
    if metric.unit == "ratio":
        return f"{number(metric.value * 100, locale, 0)}%"
    unit = {"s": " s", "wpm": " ppm" if locale != "en-US" else " wpm"}.get(metric.unit, "")
    return number(metric.value, locale) + unit


def _scale(metric: MetricItem) -> float:
    """The right end of a metric's axis: the whole band and the value, with room to spare."""
    if metric.unit == "ratio":
        return 1.0
    band = metric.band
    known = [metric.value, *((band.low, band.high, band.target) if band else ())]
    top = max((v for v in known if v is not None), default=1.0)
    return top * 1.3 if top > 0 else 1.0


def _metric_bar(pdf: Report, metric: MetricItem, x: float, y: float, width: float) -> None:
    """The axis as a grey track, the reference band in green and the value as a marker."""
    top = _scale(metric)
    pdf.set_fill_color(*TRACK)
    pdf.rect(x, y, width, 3, style="F")
    band = metric.band
    if band is not None and (band.low is not None or band.high is not None):
        low = (band.low or 0.0) / top
        high = min(1.0, (band.high if band.high is not None else top) / top)
        pdf.set_fill_color(*BAND)
        pdf.rect(x + width * low, y, max(width * (high - low), 0.6), 3, style="F")
    if metric.value is not None:
        at = x + width * max(0.0, min(metric.value / top, 1.0))
        within = metric.status in ("within", "n/a", None)
        pdf.set_fill_color(*(score_color(80) if within else score_color(55)))
        pdf.rect(at - 0.8, y - 1.2, 1.6, 5.4, style="F")


def _metrics(pdf: Report, items: list[MetricItem]) -> None:
    """Every metric: name, value and status, its drawn band, and the band's source."""
    locale = pdf.locale
    pdf.heading(label("metrics", locale))
    pdf.paragraph(label("metrics_note", locale), size=8, color=MUTED)
    pdf.ln(2)
    for metric in items:
        if pdf.will_page_break(20):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_font(FAMILY, "B", 9.5)
        pdf.wrap(70, 4.5, metric.name)
        name_bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + 72, y)
        pdf.set_font(FAMILY, size=9.5)
        status = label(f"status_{metric.status}", locale) if metric.status else ""
        value = _value_text(metric, locale) + (f" · {status}" if metric.value is not None else "")
        pdf.put(0, 4.5, value)
        _metric_bar(pdf, metric, pdf.l_margin + 72, y + 6.5, pdf.epw - 72)
        pdf.set_y(max(name_bottom, y + 11))
        if metric.band is not None:
            ref = label("reference", locale, band=_band_text(metric, locale))
            pdf.paragraph(f"{ref} — {metric.band.source}", size=7.5, color=MUTED)
        pdf.ln(2.5)


def _transcript(pdf: Report, report: SessionReport) -> None:
    """The appendix on a new page: every turn with its time and who spoke."""
    locale = report.locale
    pdf.add_page()
    pdf.heading(label("transcript", locale))
    if not report.transcript:
        pdf.paragraph(label("no_transcript", locale), color=MUTED)
        return
    names = {
        "salesperson": report.salesperson,
        "persona": report.persona or label("customer", locale),
    }
    for index, turn in enumerate(report.transcript):
        stamp = duration(turn.start) if turn.start is not None and report.mode == "voice" else ""
        who = names.get(turn.speaker, turn.speaker)
        pdf.set_font(FAMILY, "B", 8.5)
        pdf.set_text_color(*(INK if turn.speaker == "salesperson" else (79, 70, 229)))
        head = f"{index}  {who}" + (f"  [{stamp}]" if stamp else "")
        pdf.wrap(0, 4.4, head)
        pdf.paragraph(turn.text, size=9)
        pdf.ln(1.5)
