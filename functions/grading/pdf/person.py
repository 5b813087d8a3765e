"""One person's page of the team report: their averages against the team's, their trend per
category over the period, the change against the previous period, and their weekly practice.
"""

from __future__ import annotations

from grading.models.analytics import Analytics, HeatRow, PersonActivity, PersonTrend
from grading.pdf import charts
from grading.pdf.document import FAMILY, INK, MUTED, Report
from grading.pdf.labels import label, number


def page(
    pdf: Report, data: Analytics, row: HeatRow, trend: PersonTrend, practice: PersonActivity
) -> None:
    """The person's page (a new page; it flows on to a second one only if it must)."""
    locale = pdf.locale
    pdf.add_page()
    pdf.title_block(row.name, label("person_page", locale))
    overall = number(row.overall.average, locale) if row.overall.status == "ok" else "—"
    pdf.fields(
        [
            (label("overall", locale), f"{overall} ({row.sessions} {label('graded', locale)})"),
            (label("sessions", locale), str(practice.sessions)),
            (label("minutes", locale), number(practice.minutes, locale, 0)),
            (label("voice_text", locale), f"{practice.voice} / {practice.text}"),
        ]
    )
    if row.sessions == 0 and practice.sessions == 0:
        pdf.ln(4)
        pdf.paragraph(label("no_data", locale), color=MUTED)
        return
    _categories(pdf, data, row)
    _trend(pdf, data, trend)
    pdf.heading(label("per_week", locale), size=11)
    y = pdf.get_y() + 4
    weeks = [(w.week, w.voice, w.text) for w in practice.weeks]
    charts.week_bars(pdf, (pdf.l_margin, y, pdf.epw, 22), weeks)
    pdf.set_y(y + 28)


def _categories(pdf: Report, data: Analytics, row: HeatRow) -> None:
    """A bar per category with the team's average as a tick; too few sessions show no bar."""
    locale = pdf.locale
    pdf.heading(label("categories", locale), size=11)
    pdf.paragraph(label("team_tick", locale), size=8, color=MUTED)
    pdf.ln(1.5)
    for category, cell, team in zip(
        data.heatmap.categories, row.cells, data.heatmap.team.cells, strict=True
    ):
        note = f"{cell.sessions} {label('sessions_short', locale)}"
        if cell.status != "ok":
            note = label("too_little", locale)
        pdf.score_bar(category.name, cell.average, note, marker=team.average)


def _trend(pdf: Report, data: Analytics, trend: PersonTrend) -> None:
    """The moving average per category over the period, then the change table."""
    locale = pdf.locale
    names = {c.key: c.name for c in data.heatmap.categories}
    pdf.heading(label("trends", locale), size=11)
    series = [
        (names.get(c.category, c.category), [(p.at, p.moving_average) for p in c.points])
        for c in trend.categories
    ]
    times = [at for _, points in series for at, _ in points]
    start = data.period.start or min(times, default=data.period.end)
    if pdf.will_page_break(62):
        pdf.add_page()
    y = pdf.get_y() + 2
    charts.line_chart(pdf, (pdf.l_margin + 8, y, pdf.epw - 8, 42), series, (start, data.period.end))
    pdf.set_y(y + 50)
    widths = (58.0, 30.0, 30.0, pdf.epw - 118.0)
    heads = ("", label("average", locale), label("previous", locale), label("change", locale))
    pdf.set_font(FAMILY, "B", 7.5)
    pdf.set_text_color(*MUTED)
    for width, head in zip(widths, heads, strict=True):
        pdf.put(width, 5, head, align="L" if not head else "R")
    pdf.ln(5)
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, size=8.5)
    for category in trend.categories:
        change = category.change
        values = (
            names.get(category.category, category.category),
            f"{number(category.average, locale)} ({category.sessions})",
            f"{number(category.previous_average, locale)} ({category.previous_sessions})",
            "—" if change is None else f"{'+' if change > 0 else ''}{number(change, locale)}",
        )
        for i, (width, value) in enumerate(zip(widths, values, strict=True)):
            pdf.put(width, 5, value, align="L" if i == 0 else "R")
        pdf.ln(5)
