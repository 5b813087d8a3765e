"""`dojo demo --json` (the README's main job) runs the whole product on a fresh data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from dojo_local.demo import PEOPLE


def test_demo_runs_the_whole_product_and_prints_only_json(tmp_path):
    env = {**os.environ, "DOJO_DATA_DIR": str(tmp_path / "data")}
    env.pop("DOJO_DATABASE_URL", None)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "dojo_local", "demo", "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        summary = json.loads(result.stdout)  # logs went to stderr
    finally:
        subprocess.run(
            [sys.executable, "-m", "dojo_local", "db", "stop"], env=env, timeout=60, check=False
        )

    assert summary["company"]["locale"] == "pt-BR"
    assert {m["email"] for m in summary["members"]} == {email for email, _, _ in PEOPLE}
    # onboarding: a PDF and a DOCX, ready, embedded
    documents = summary["knowledge"]["documents"]
    assert {d["filename"].rsplit(".", 1)[1] for d in documents} == {"pdf", "docx"}
    assert all(d["status"] == "ready" and d["chunk_count"] > 0 for d in documents)
    # personas: grounded, labelled offline
    personas = summary["personas"]
    assert personas["offline"] is True and 5 <= len(personas["personas"]) <= 10
    # a practice session that ran to its end
    session = summary["session"]["session"]
    assert session["status"] == "ended"
    speakers = {turn["speaker"] for turn in session["transcript"]}
    assert speakers == {"salesperson", "persona"} and len(session["transcript"]) >= 10
    # graded through the trigger, with evidence from the salesperson's own words
    card = summary["grading"]["scorecard"]
    assert card["status"] == "graded" and card["grader"]["offline"] is True
    assert 0 <= card["overall"] <= 100
    said = {turn["text"] for turn in session["transcript"] if turn["speaker"] == "salesperson"}
    for item in card["strengths"]:
        assert any(item["quote"] in text for text in said)
    # the analytics step: Rafael's four graded sessions (the practice call, its retry and two
    # more) fill his heatmap row
    analytics = summary["analytics"]["analytics"]
    rafael = next(r for r in analytics["heatmap"]["rows"] if r["name"] == "Rafael Souza")
    assert rafael["sessions"] == 4 and {c["status"] for c in rafael["cells"]} == {"ok"}
    assert analytics["activity"]["sessions"] == 4 and analytics["weakest"] is not None
    assert summary["analytics"]["team_csv"]["status"] == 200
    assert summary["analytics"]["line"].startswith("Analytics (30d): 4 sessions")
    # the scorecard and the team report as PDFs in the data dir, read back
    reports = summary["reports"]
    team_words = ["Rafael Souza", "Categoria mais fraca da equipe"]  # from the analytics above
    for key, words in (("session", ["Rafael Souza", "Descoberta"]), ("team", team_words)):
        path = Path(reports[key]["path"])
        assert path.parent == tmp_path / "data" / "reports" and reports[key]["pages"] >= 2
        text = " ".join(page.extract_text() for page in PdfReader(path).pages)
        assert all(word in text for word in words), key
    # notifications: the bell rang for the scorecard and the review; emails went out over SMTP
    notes = summary["notifications"]
    seller, manager = PEOPLE[1][0], PEOPLE[0][0]
    assert [i["kind"] for i in notes["bells"][seller]["items"]] == [
        "manager_review",
        "scorecard_ready",
    ]
    assert [i["kind"] for i in notes["bells"][manager]["items"]] == ["weekly_digest"]
    assert sorted((m["to"], m["subject"]) for m in notes["emails"]) == [
        (manager, notes["bells"][manager]["items"][0]["title"]),
        (seller, "Seu gestor revisou uma avaliação"),
    ]
    assert notes["pass"]["emails_sent"] == 2
