"""The team report PDF for a period, from the analytics screen's data: the summary and heatmap,
each person's trends, practice activity, the team's conversation metrics, then one page per person
(`grading.pdf.person`).
"""

from __future__ import annotations

from grading.models.analytics import Analytics, Cell, Heatmap
from grading.pdf import charts, person
from grading.pdf.document import FAMILY, INK, MUTED, TRACK, Report
from grading.pdf.labels import date, label, number
from grading.reports import TeamReport

NAME_W = 58.0
ROW_H = 7.0


def render(report: TeamReport) -> bytes:
    """The team report as PDF bytes."""
    data, locale = report.analytics, report.locale
    pdf = Report(locale, label("team_title", locale), report.company)
    pdf.add_page()
    _summary(pdf, report)
    _heatmap(pdf, data.heatmap)
    _trends(pdf, data)
    _activity(pdf, data)
    _metrics(pdf, data)
    for row, trend, practice in zip(
        data.heatmap.rows, data.trends, data.activity.people, strict=True
    ):
        person.page(pdf, data, row, trend, practice)
    return bytes(pdf.output())


def period_text(data: Analytics, locale: str) -> str:
    """The period's name and its dates."""
    span = data.period
    start = date(span.start, locale) if span.start else "…"
    return f"{label(f'period_{span.period}', locale)} ({start} – {date(span.end, locale)})"


def _summary(pdf: Report, report: TeamReport) -> None:
    """Title, period, four totals as tiles, and the weakest category in a sentence."""
    data, locale = report.analytics, report.locale
    pdf.title_block(label("team_title", locale), report.company)
    pdf.fields([(label("period", locale), period_text(data, locale))])
    pdf.ln(3)
    practice = data.activity
    tiles = [
        (label("people", locale), str(len(data.heatmap.rows))),
        (label("sessions", locale), str(practice.sessions)),
        (label("minutes", locale), number(practice.minutes, locale, 0)),
        (label("voice_text", locale), f"{practice.voice} / {practice.text}"),
    ]
    width, y = (pdf.epw - 9) / 4, pdf.get_y()
    for i, (name, value) in enumerate(tiles):
        x = pdf.l_margin + i * (width + 3)
        pdf.set_fill_color(241, 245, 249)
        pdf.rect(x, y, width, 16, style="F", round_corners=True, corner_radius=1.5)
        pdf.set_xy(x, y + 2)
        pdf.set_font(FAMILY, "B", 14)
        pdf.put(width, 7, value, align="C")
        pdf.set_xy(x, y + 9.5)
        pdf.set_font(FAMILY, size=7.5)
        pdf.set_text_color(*MUTED)
        pdf.put(width, 4, name, align="C")
        pdf.set_text_color(*INK)
    pdf.set_y(y + 20)
    weak = data.weakest
    if weak is not None:
        who = weak.person.name if weak.person else "—"
        score = number(weak.team_average, locale)
        pdf.paragraph(
            label("weakest", locale, category=weak.name, score=score, person=who), bold=True
        )


def _cell_text(cell: Cell, locale: str) -> str:
    shown = number(cell.average, locale) if cell.status == "ok" else "—"
    return f"{shown} ({cell.sessions})"


def _heat_cell(
    pdf: Report, x: float, y: float, width: float, height: float, cell: Cell, bold: bool
) -> None:
    if cell.status == "ok" and cell.average is not None:
        pdf.set_fill_color(*charts.heat_color(cell.average))
    else:
        pdf.set_fill_color(*TRACK)
    pdf.rect(x + 0.4, y + 0.4, width - 0.8, height - 0.8, style="F")
    pdf.set_xy(x, y)
    pdf.set_font(FAMILY, "B" if bold else "", 8)
    pdf.set_text_color(*(INK if cell.status == "ok" else MUTED))
    pdf.put(width, height, _cell_text(cell, pdf.locale), align="C")
    pdf.set_text_color(*INK)


def _heat_header(pdf: Report, heat: Heatmap, width: float) -> None:
    y = pdf.get_y()
    pdf.set_font(FAMILY, "B", 7.5)
    pdf.set_text_color(*MUTED)
    names = [label("person", pdf.locale), label("overall", pdf.locale)]
    names += [c.name for c in heat.categories]
    for i, name in enumerate(names):
        x = pdf.l_margin if i == 0 else pdf.l_margin + NAME_W + (i - 1) * width
        pdf.set_xy(x, y)
        pdf.wrap(NAME_W if i == 0 else width, 3.6, name, align="L" if i == 0 else "C")
    pdf.set_text_color(*INK)
    pdf.set_y(y + 9)


def _heatmap(pdf: Report, heat: Heatmap) -> None:
    """People × categories: the average and sessions per cell, coloured by score; grey cells have
    too few sessions. The team's row closes the table; the header repeats on a new page."""
    locale = pdf.locale
    pdf.heading(label("heatmap", locale))
    pdf.paragraph(label("heatmap_note", locale, n=heat.min_sessions), size=8, color=MUTED)
    pdf.ln(2)
    width = (pdf.epw - NAME_W) / (len(heat.categories) + 1)
    _heat_header(pdf, heat, width)
    rows = [(r.name, r.overall, list(r.cells), False) for r in heat.rows]
    rows.append((label("team_average", locale), heat.team.overall, list(heat.team.cells), True))
    for name, overall, cells, bold in rows:
        pdf.set_font(FAMILY, "B" if bold else "", 8.5)
        height = max(ROW_H, pdf.lines_of(name, NAME_W - 1) * 3.6 + 1)
        if pdf.will_page_break(height):
            pdf.add_page()
            _heat_header(pdf, heat, width)
            pdf.set_font(FAMILY, "B" if bold else "", 8.5)
        y = pdf.get_y()
        pdf.set_x(pdf.l_margin)
        pdf.name_cell(name, NAME_W, height)
        for i, cell in enumerate([overall, *cells]):
            _heat_cell(pdf, pdf.l_margin + NAME_W + i * width, y, width, height, cell, bold)
        pdf.set_y(y + height)


def _change(value: float | None, locale: str) -> str:
    if value is None:
        return ""
    arrow = "▲" if value > 0 else "▼" if value < 0 else "="
    return f"{arrow}{'+' if value > 0 else ''}{number(value, locale)}"


def _trend_header(pdf: Report, names: list[str], width: float) -> None:
    y = pdf.get_y()
    pdf.set_font(FAMILY, "B", 7.5)
    pdf.set_text_color(*MUTED)
    for i, name in enumerate(names):
        pdf.set_xy(pdf.l_margin + NAME_W + i * width, y)
        pdf.wrap(width, 3.6, name, align="C")
    pdf.set_text_color(*INK)
    pdf.set_y(y + 9)


def _trends(pdf: Report, data: Analytics) -> None:
    """Per person and category: a sparkline of the moving average, the period's average and its
    change against the previous period; the header repeats on a new page."""
    locale = pdf.locale
    names = [c.name for c in data.heatmap.categories]
    pdf.add_page()
    pdf.heading(label("trends", locale))
    pdf.paragraph(label("trends_note", locale), size=8, color=MUTED)
    pdf.ln(2)
    width = (pdf.epw - NAME_W) / len(names)
    _trend_header(pdf, names, width)
    for trend in data.trends:
        pdf.set_font(FAMILY, size=8.5)
        height = max(8.0, pdf.lines_of(trend.name, NAME_W - 1) * 3.6 + 1)
        if pdf.will_page_break(height + 1):
            pdf.add_page()
            _trend_header(pdf, names, width)
            pdf.set_font(FAMILY, size=8.5)
        y = pdf.get_y()
        pdf.name_cell(trend.name, NAME_W, height)
        for i, category in enumerate(trend.categories):
            x = pdf.l_margin + NAME_W + i * width
            values = [p.moving_average for p in category.points]
            charts.sparkline(pdf, (x + 1, y + height / 2 - 2.5, width * 0.42, 5), values)
            pdf.set_xy(x + width * 0.45, y)
            pdf.set_font(FAMILY, size=7.5)
            shown = number(category.average, locale) if category.average is not None else "—"
            pdf.put(width * 0.55, height, f"{shown} {_change(category.change, locale)}")
        pdf.set_y(y + height + 1)


def _activity(pdf: Report, data: Analytics) -> None:
    """The team's sessions per ISO week as stacked bars, then each person's totals."""
    locale, practice = pdf.locale, data.activity
    if pdf.will_page_break(60):  # the heading stays with its chart
        pdf.add_page()
    pdf.heading(label("activity", locale))
    weeks = {w: [0, 0] for w in practice.weeks}
    for someone in practice.people:
        for week in someone.weeks:
            weeks[week.week][0] += week.voice
            weeks[week.week][1] += week.text
    pdf.paragraph(label("per_week", locale), size=8, color=MUTED)
    y = pdf.get_y() + 4
    charts.week_bars(
        pdf, (pdf.l_margin, y, pdf.epw, 28), [(w, v, t) for w, (v, t) in weeks.items()]
    )
    pdf.set_y(y + 34)
    columns = [label("sessions", locale), label("minutes", locale), label("voice_text", locale)]
    width = (pdf.epw - NAME_W) / 3
    pdf.set_font(FAMILY, "B", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.put(NAME_W, 5, label("person", locale))
    for column in columns:
        pdf.put(width, 5, column, align="R")
    pdf.set_text_color(*INK)
    pdf.ln(5.5)
    for someone in practice.people:
        pdf.set_font(FAMILY, size=8.5)
        height = max(5.5, pdf.lines_of(someone.name, NAME_W - 1) * 3.6 + 1)
        if pdf.will_page_break(height):
            pdf.add_page()
        y = pdf.get_y()
        pdf.name_cell(someone.name, NAME_W, height)
        for value in (str(someone.sessions), number(someone.minutes, locale, 0)):
            pdf.put(width, height, value, align="R")
        pdf.put(width, height, f"{someone.voice} / {someone.text}", align="R")
        pdf.set_y(y + height)


def _metrics(pdf: Report, data: Analytics) -> None:
    """Each conversation metric across the period's sessions, drawn against its band."""
    locale = pdf.locale
    if pdf.will_page_break(24 + 14 * len(data.metrics)):  # the section stays on one page
        pdf.add_page()
    pdf.heading(label("metric_distribution", locale))
    pdf.paragraph(label("distribution_note", locale), size=8, color=MUTED)
    pdf.ln(2)
    for metric in data.metrics:
        if pdf.will_page_break(14):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_font(FAMILY, "B", 8.5)
        pdf.set_xy(pdf.l_margin, y)
        pdf.wrap(62, 4, metric.name)
        pdf.set_font(FAMILY, size=7.5)
        pdf.set_text_color(*MUTED)
        counts = label(
            "band_counts", locale, below=metric.below, within=metric.within, above=metric.above
        )
        pdf.wrap(62, 3.6, f"{label('sessions', locale)}: {metric.sessions} · {counts}")
        pdf.set_text_color(*INK)
        bottom = pdf.get_y()
        charts.distribution(pdf, (pdf.l_margin + 66, y + 1, pdf.epw - 66, 6), metric)
        pdf.set_y(max(bottom, y + 11) + 2.5)
