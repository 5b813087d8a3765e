"""What the demo prints: the team, the knowledge base, the personas, the practice call, its
scorecard and the wave-2 steps, as tables a newcomer can read."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from dojo_local import demo_analytics, demo_coach, demo_notify
from dojo_local.demo_programme import print_programme
from dojo_local.demo_reports import print_reports


def print_summary(console: Console, summary: dict[str, Any]) -> None:
    """A readable summary of the demo run."""
    console.rule("[bold]Sales AI Dojo — demo")
    company = summary["company"]
    console.print(f"Company: [bold]{company['name']}[/] ({company['locale']}) id {company['id']}")
    table = Table(title="Team")
    for column in ("name", "email", "role"):
        table.add_column(column)
    for member in summary["members"]:
        table.add_row(member["full_name"] or "", member["email"], member["role"])
    console.print(table)
    _print_knowledge(console, summary.get("knowledge") or {})
    _print_personas(console, summary.get("personas") or {})
    _print_session(console, summary.get("session") or {})
    _print_scorecard(console, summary.get("grading") or {})
    demo_notify.print_summary(console, summary.get("notifications") or {})
    _print_voice(console, summary.get("voice") or {})
    demo_coach.show(console, summary.get("coach") or {})
    demo_analytics.print_step(console, summary.get("analytics") or {})
    print_programme(console, summary.get("programme") or {})
    print_reports(console, summary.get("reports") or {})
    console.print(f"Functions on the local gateway: {', '.join(summary['gateway']['functions'])}")
    console.print(f"Database: {summary['database']}")
    console.print(
        f"Sign in locally as any member above with password [bold]{summary['demo_password']}[/]"
    )
    console.print(f"Done in {summary['seconds']} s.")


def _print_knowledge(console: Console, knowledge: dict[str, Any]) -> None:
    if not knowledge:
        return
    table = Table(title="Knowledge base (uploaded through the API, processed by the hook)")
    for column in ("document", "status", "pages", "chunks", "embeddings"):
        table.add_column(column)
    for doc in knowledge["documents"]:
        table.add_row(
            doc["filename"],
            doc["status"] if doc["status"] != "failed" else f"failed: {doc['error']}",
            str(doc["pages"] or "-"),
            str(doc["chunk_count"]),
            str(doc["embeddings_created"]),
        )
    console.print(table)
    if knowledge["answers"]:
        best = knowledge["answers"][0]
        console.print(
            f'Search "{knowledge["question"]}" -> {best["filename"]} p.{best["page"] or "-"}:'
            f" {best['content'][:160]}..."
        )


def _print_personas(console: Console, generation: dict[str, Any]) -> None:
    if generation.get("skipped"):
        console.print(f"Personas: not generated ({generation['skipped']})")
        return
    if not generation.get("personas"):
        return
    label = " — OFFLINE generator" if generation.get("offline") else ""
    table = Table(title=f"Personas{label} (generation {generation['generation_id']})")
    for column in ("name", "role", "difficulty", "first objection", "cites chunks"):
        table.add_column(column)
    for persona in generation["personas"]:
        first = (persona["objections"] or [{"text": "", "chunk_ids": []}])[0]
        table.add_row(
            persona["name"],
            persona["role"],
            persona["difficulty"],
            first["text"],
            ", ".join(str(i) for i in first["chunk_ids"]),
        )
    console.print(table)
    if generation.get("notice"):
        console.print(f"[dim]{generation['notice']}[/]")


def _print_session(console: Console, practice: dict[str, Any]) -> None:
    if practice.get("skipped"):
        console.print(f"Practice session: skipped ({practice['skipped']})")
        return
    if not practice:
        return
    session = practice["session"]
    persona = session["persona"]
    table = Table(
        title=f"Practice session (text) with {persona['name']}, {persona['role']}"
        f" [{persona['difficulty']}] - {session['status']}, {session['ended_reason']}"
    )
    for column in ("#", "time", "who", "text"):
        table.add_column(column)
    for turn in session["transcript"]:
        who = "Vendedor" if turn["speaker"] == "salesperson" else "Cliente"
        table.add_row(str(turn["index"]), f"{turn['start']:.0f}s", who, turn["text"])
    console.print(table)


def _band(band: dict[str, Any] | None) -> str:
    if not band:
        return "-"
    low, high = band.get("low"), band.get("high")
    if low is not None and high is not None:
        return f"{low:g}-{high:g}"
    return f">= {low:g}" if low is not None else f"<= {high:g}"


def _print_scorecard(console: Console, grading: dict[str, Any]) -> None:
    if not grading:
        return
    card = grading.get("scorecard") or {}
    if not grading.get("graded"):
        reason = grading.get("reason") or card.get("message") or card.get("status")
        console.print(f"Scorecard: nothing graded ({reason})")
        return
    grader = card["grader"]
    kind = "OFFLINE grader" if grader["offline"] else "model grader"
    console.rule(f"[bold]Scorecard[/] — {kind}, rubric {card['rubric_version']}")
    console.print(f"[dim]{grader['label']}[/]")
    if card["status"] == "insufficient":
        console.print(card["message"])
        return
    console.print(f"Overall: [bold]{card['overall']:.0f}/100[/] ({card['overall_band']})")
    table = Table()
    for column in ("category", "weight", "score", "why"):
        table.add_column(column)
    for category in card["categories"]:
        table.add_row(
            category["name"],
            f"{category['weight']:.0%}",
            f"{category['score']:.0f}",
            category["justification"],
        )
    console.print(table)
    for title, items in (("Strengths", card["strengths"]), ("To improve", card["improvements"])):
        console.print(f"[bold]{title}[/]")
        for item in items[:2]:
            console.print(f"  - {item['text']} — \u201c{item['quote']}\u201d (turn {item['turn']})")
    metrics = Table(title="Conversation metrics (computed by code) beside published benchmarks")
    for column in ("metric", "value", "reference", "status", "source"):
        metrics.add_column(column)
    for metric in card["metrics"]["items"]:
        value = metric["value"]
        if value is None:
            shown = "n/a (voice only)"
        elif metric["unit"] == "ratio":
            shown = f"{value:.0%}"
        else:
            shown = f"{value:g} {metric['unit']}"
        band = metric.get("band") or {}
        metrics.add_row(
            metric["name"],
            shown,
            _band(band),
            metric.get("status", "-"),
            (band.get("source") or "").split(":")[0],
        )
    console.print(metrics)


def _print_voice(console: Console, voice: dict[str, Any]) -> None:
    if not voice.get("latency"):
        return
    lat = voice["latency"]
    console.print(
        f"Voice call (simulated Vapi report): recording copied {voice['recording_copied']}"
        f" ({voice['recording_bytes']} bytes); persona response p50 {lat['p50_ms']} ms,"
        f" p95 {lat['p95_ms']} ms, max {lat['max_ms']} ms,"
        f" {lat['over_1500ms_share']:.0%} over 1.5 s"
    )
