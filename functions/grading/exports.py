"""CSV exports a spreadsheet opens as the reader expects: the team table and the sessions list.

Excel picks the encoding and the separator from the file and the machine's region: UTF-8 needs a
byte order mark (else a pt-BR Excel shows "SessÃµes"), and a pt-BR region splits columns on `;`
and reads `72,5` as a number, so pt-BR companies get `;` and decimal commas, en-US `,` and
decimal points. Text a person typed (names, e-mails, persona names) is defused against formula
injection: a cell starting with = + - @ (or a tab / carriage return) gets a leading apostrophe,
so a spreadsheet shows it as text instead of running it (OWASP "CSV Injection"). Numbers we
format ourselves are never prefixed.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from dojo.db import Connection
from dojo.settings import get_settings
from grading import analytics, rubric
from grading.messages import company_locale
from grading.models.analytics import AnalyticsQuery, Cell, Period, TeamTable
from grading.store import analytics as store
from grading.views import effective_overall, effective_scores

BOM = "\ufeff"
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
Value = str | int | float | datetime | None

_HEADERS = {
    "name": ("Nome", "Name"),
    "email": ("E-mail", "Email"),
    "role": ("Papel", "Role"),
    "sessions": ("Sessões avaliadas", "Graded sessions"),
    "practised": ("Sessões praticadas", "Sessions practised"),
    "minutes": ("Minutos praticados", "Minutes practised"),
    "voice": ("Voz", "Voice"),
    "text": ("Texto", "Text"),
    "overall": ("Geral", "Overall"),
    "when": ("Data (UTC)", "Date (UTC)"),
    "persona": ("Persona", "Persona"),
    "mode": ("Modo", "Mode"),
    "status": ("Status", "Status"),
    "grading": ("Avaliação", "Grading"),
    "overridden": ("Ajustada pelo gestor", "Overridden by a manager"),
    "session": ("ID da sessão", "Session ID"),
}
_WORDS = {
    "insufficient": ("dados insuficientes", "insufficient data"),
    "yes": ("sim", "yes"),
    "no": ("não", "no"),
    "voice": ("voz", "voice"),
    "text": ("texto", "text"),
}


def _lang(locale: str) -> int:
    return 1 if locale == "en-US" else 0


def separator(locale: str) -> str:
    """The column separator a spreadsheet in this locale splits on."""
    return "," if locale == "en-US" else ";"


def defuse(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    return "'" + text if text.startswith(_FORMULA_LEADS) else text


def _format(value: Value, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _WORDS["yes" if value else "no"][_lang(locale)]
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        shown = f"{value:.2f}".rstrip("0").rstrip(".")
        return shown.replace(".", ",") if locale != "en-US" else shown
    return defuse(value)


def write(header: Sequence[str], rows: Iterable[Sequence[Value]], locale: str) -> bytes:
    """A CSV file: BOM, header row, one line per row (RFC 4180 quoting, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator(locale), lineterminator="\r\n")
    writer.writerow([defuse(h) for h in header])
    for row in rows:
        writer.writerow([_format(v, locale) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


def _shown(cell: Cell, locale: str) -> Value:
    """A cell as the screen shows it: the average, or "insufficient data"."""
    return cell.average if cell.average is not None else _WORDS["insufficient"][_lang(locale)]


def team_csv(data: TeamTable, locale: str) -> bytes:
    """The team table: per person, practice, graded sessions, overall and each category."""
    lang = _lang(locale)
    cols = ("name", "email", "role", "practised", "minutes", "voice", "text", "sessions")
    header = [_HEADERS[c][lang] for c in (*cols, "overall")]
    header += [c.name for c in data.heatmap.categories]
    practice = {p.user_id: p for p in data.activity.people}
    rows: list[list[Value]] = []
    for row in data.heatmap.rows:
        act = practice.get(row.user_id)
        rows.append(
            [
                row.name,
                row.email,
                row.role,
                act.sessions if act else 0,
                act.minutes if act else 0.0,
                act.voice if act else 0,
                act.text if act else 0,
                row.sessions,
                _shown(row.overall, locale),
                *(_shown(c, locale) for c in row.cells),
            ]
        )
    return write(header, rows, locale)


def sessions_csv(
    rows: list[dict[str, Any]], categories: list[tuple[str, str]], locale: str
) -> bytes:
    """The sessions list: one line per session, its scores where graded (`categories` are the
    rubric's (key, name) pairs, in order)."""
    lang = _lang(locale)
    cols = ("when", "name", "email", "persona", "mode", "status", "minutes", "grading", "overall")
    header = [_HEADERS[c][lang] for c in cols]
    header += [name for _, name in categories]
    header += [_HEADERS["overridden"][lang], _HEADERS["session"][lang]]
    lines: list[list[Value]] = []
    for r in rows:
        graded = r["feedback_status"] == "graded"
        scores = effective_scores(r) if graded else {}
        lines.append(
            [
                r["at"],
                r["full_name"],
                r["email"],
                r["persona_name"],
                _WORDS[r["mode"]][lang],
                r["status"],
                None if r["minutes"] is None else float(r["minutes"]),
                r["feedback_status"],
                effective_overall(r) if graded else None,
                *(scores.get(key) for key, _ in categories),
                r["override_overall"] is not None if graded else None,
                str(r["id"]),
            ]
        )
    return write(header, lines, locale)


def team_file(conn: Connection, company_id: uuid.UUID, period: Period) -> bytes:
    """The team table of a period as CSV, in the company's locale."""
    data = analytics.team_table(conn, company_id, AnalyticsQuery(period=period))
    return team_csv(data, company_locale(conn, company_id))


def sessions_file(
    conn: Connection, company_id: uuid.UUID, period: Period, user_id: uuid.UUID | None
) -> bytes:
    """The sessions of a period the caller sees (RLS) as CSV, in the company's locale."""
    span = analytics.period_range(period)
    rows = store.sessions(conn, store.Scope(company_id, span.start, span.end, user_id))
    locale = company_locale(conn, company_id)
    frozen = rubric.load(get_settings().rubric_version)
    categories = [(c.key, c.title(locale)) for c in frozen.categories]
    return sessions_csv(rows, categories, locale)
