"""The email a notification becomes: pt-BR or en-US (the company's locale), text plus simple HTML.

The words are the bell's (`notices`), plus a greeting, the digest's details, a link into the web
app and where to change the preferences. Every value from people (names, notes) is escaped in
the HTML.
"""

from __future__ import annotations

from html import escape
from typing import Any

from dojo.providers.email import Email
from onboarding import notices

# (pt-BR, en-US)
_TEXT: dict[str, tuple[str, str]] = {
    "hello": ("Olá, {name}.", "Hello {name},"),
    "open": ("Abrir no Sales AI Dojo", "Open in Sales AI Dojo"),
    "behind": ("Atrás (sem prática ou com tarefas atrasadas)", "Behind (no practice or overdue)"),
    "improved": ("Melhoraram", "Improved"),
    "weakest": ("Categoria mais fraca da equipe", "The team's weakest category"),
    "nobody": ("ninguém", "nobody"),
    "footer": (
        "Você recebe este email pelas suas preferências de notificação em {company}.",
        "You get this email because of your notification preferences at {company}.",
    ),
    "preferences": ("Mudar preferências", "Change preferences"),
}


def _t(key: str, locale: str, **fields: str) -> str:
    return _TEXT[key][locale == "en-US"].format(**fields)


def _digest_sections(subject: dict[str, Any], locale: str) -> list[tuple[str, list[str]]]:
    """(heading, lines) of the weekly digest: who is behind, who improved, the weakest category."""
    nobody = _t("nobody", locale)
    behind = [str(name) for name in subject.get("behind") or []] or [nobody]
    improved = [
        f"{p.get('name')}: {float(p.get('from', 0)):.0f} → {float(p.get('to', 0)):.0f}"
        for p in subject.get("improved") or []
    ] or [nobody]
    weakest = subject.get("weakest") or {}
    weak = (
        [
            f"{notices.category_name(str(weakest['category']), locale)}:"
            f" {float(weakest.get('average') or 0):.0f}"
        ]
        if weakest.get("category")
        else [nobody]
    )
    return [
        (_t("behind", locale), behind),
        (_t("improved", locale), improved),
        (_t("weakest", locale), weak),
    ]


def compose(row: dict[str, Any], web_url: str) -> Email:
    """The email of a claimed outbox row (`private.claim_emails` gives its fields)."""
    locale = str(row["locale"] or "pt-BR")
    subject = row["subject"] or {}
    notice = notices.render(row["kind"], subject, locale)
    name = str(row["full_name"] or row["to_address"])
    company = str(row["company_name"] or "")
    base = web_url.rstrip("/")
    link = f"{base}{row['link']}"
    prefs = f"{base}/notifications/"
    sections = _digest_sections(subject, locale) if row["kind"] == "weekly_digest" else []

    text = [_t("hello", locale, name=name), "", notice.title, notice.body, ""]
    for heading, lines in sections:
        text += [f"{heading}:", *[f"- {line}" for line in lines], ""]
    text += [
        f"{_t('open', locale)}: {link}",
        "",
        "-- ",
        _t("footer", locale, company=company.rstrip(".")),
        f"{_t('preferences', locale)}: {prefs}",
    ]

    html = [
        f'<html lang="{locale}"><body style="font-family:sans-serif;color:#0f172a">',
        f"<p>{escape(_t('hello', locale, name=name))}</p>",
        f"<h2>{escape(notice.title)}</h2>",
        f"<p>{escape(notice.body)}</p>",
    ]
    for heading, lines in sections:
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        html.append(f"<h3>{escape(heading)}</h3><ul>{items}</ul>")
    footer = escape(_t("footer", locale, company=company.rstrip(".")))
    html += [
        f'<p><a href="{escape(link, quote=True)}">{escape(_t("open", locale))}</a></p>',
        f'<hr><p style="font-size:12px;color:#64748b">{footer}'
        f' <a href="{escape(prefs, quote=True)}">{escape(_t("preferences", locale))}</a></p>',
        "</body></html>",
    ]
    return Email(
        to=str(row["to_address"]),
        subject=notice.title,
        text="\n".join(text) + "\n",
        html="\n".join(html),
        reference=str(row["id"]),
    )
