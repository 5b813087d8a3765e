"""Discrimination: scripted pt-BR calls (good, mediocre, bad) are ranked correctly by both graders.

The bad set holds a rude call, a lazy call and a product monologue. The offline grader must put
every good call above every mediocre one above every bad one, bad below 50 and good above 70.
The model grader runs the same calls on recorded answers (respx), through the real pipeline:
schema, quote verification and the overall computed by code.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import httpx
import pytest

from grading import grade


def _score_all(calls: dict[str, dict[str, Any]], kit: Any) -> dict[str, Any]:
    return {
        name: grade.score(
            kit.timed(call["turns"], call["mode"]),
            call["mode"],
            call["persona"],
            "2026-11-v1",
            "pt-BR",
        )
        for name, call in calls.items()
    }


def _assert_ranked(calls: dict[str, dict[str, Any]], overall: dict[str, float]) -> None:
    levels = {name: call["level"] for name, call in calls.items()}
    assert sorted(set(levels.values())) == ["bad", "good", "mediocre"]
    for level in ("good", "mediocre", "bad"):
        assert sum(1 for v in levels.values() if v == level) >= 3
    for a, b in itertools.permutations(calls, 2):
        order = {"bad": 0, "mediocre": 1, "good": 2}
        if order[levels[a]] > order[levels[b]]:
            assert overall[a] > overall[b], f"{a} ({overall[a]}) should beat {b} ({overall[b]})"
    for name, level in levels.items():
        if level == "bad":
            assert overall[name] < 50, name
        if level == "good":
            assert overall[name] > 70, name


def test_offline_grader_ranks_every_level_correctly(any_calls, kit) -> None:
    """On the project's own set and on the clinic set alike: ranked, and good calls above 80."""
    cards = _score_all(any_calls, kit)
    assert all(card.grader == "offline-rules-v1" for card in cards.values())
    _assert_ranked(any_calls, {name: card.overall for name, card in cards.items()})
    for name, call in any_calls.items():
        if call["level"] == "good":
            assert cards[name].overall > 80, (name, cards[name].overall)


def test_offline_feedback_quotes_the_salesperson_verbatim(any_calls, kit) -> None:
    calls = any_calls
    for name, call in calls.items():
        stored = kit.timed(call["turns"], call["mode"])
        card = grade.score(stored, call["mode"], call["persona"], "2026-11-v1", "pt-BR")
        items = card.strengths + card.improvements + card.recommendations
        assert card.improvements, name
        assert len(card.recommendations) == 2, name
        for item in items:
            said = stored[item["turn"]]
            assert said["speaker"] == "salesperson", (name, item)
            assert item["quote"] in said["text"], (name, item)
        assert set(card.scores) == {"rapport", "discovery", "objection_handling", "closing"}


def test_rude_and_lazy_calls_are_called_out(calls, kit) -> None:
    cards = _score_all({k: calls[k] for k in ("bad_rude", "bad_lazy")}, kit)
    rude_texts = " ".join(i["text"] for i in cards["bad_rude"].improvements)
    assert "desrespeitoso" in rude_texts
    lazy_texts = " ".join(i["text"] for i in cards["bad_lazy"].improvements)
    assert "curtas demais" in lazy_texts
    assert not cards["bad_rude"].strengths and not cards["bad_lazy"].strengths


def test_offline_grader_writes_in_english_for_en_locale(calls, kit) -> None:
    call = calls["good_price"]
    card = grade.score(
        kit.timed(call["turns"], call["mode"]), call["mode"], call["persona"], "2026-11-v1", "en-US"
    )
    assert card.strengths and all(
        i["text"].isascii() or "Used" in i["text"] for i in card.strengths
    )
    assert any("open questions" in i["text"] for i in card.strengths)


def test_model_grader_on_recorded_answers_ranks_the_same(calls, kit, openai, recorded) -> None:
    answers = {name: recorded(name) for name in calls}

    def reply(request: httpx.Request) -> httpx.Response:
        body = request.content.decode()
        # the transcript in the prompt says which scripted call this is
        for name, call in calls.items():
            if all(text[:40] in body for _, text in call["turns"][:3]):
                return httpx.Response(200, json=kit.completion(answers[name]))
        return httpx.Response(500)

    openai.side_effect = reply
    cards = _score_all(calls, kit)
    assert all(card.grader == "openai:gpt-4o" for card in cards.values())
    _assert_ranked(calls, {name: card.overall for name, card in cards.items()})
    # the overall is the rubric's weighted mean, not anything the model said
    price = answers["good_price"]["categories"]
    expected = 0.2 * 88 + 0.3 * 90 + 0.3 * 86 + 0.2 * 92
    assert price["rapport"]["score"] == 88
    assert cards["good_price"].overall == pytest.approx(expected)
    # two recorded quotes were never said by the salesperson: removed and counted
    assert cards["mediocre_no_close"].removed_quotes == 2
    assert all(card.removed_quotes == 0 for n, card in cards.items() if n != "mediocre_no_close")
    kept = cards["mediocre_no_close"].strengths + cards["mediocre_no_close"].improvements
    assert all("agendar" not in i["quote"] and "contador cuida" not in i["quote"] for i in kept)
    request = openai.calls[0].request
    import json

    sent = json.loads(request.content)
    assert sent["temperature"] == 0
    assert sent["response_format"]["type"] == "json_schema"
    schema = sent["response_format"]["json_schema"]["schema"]
    assert "categories" in schema["required"]


NO_OBJECTION = [
    ["salesperson", "Bom dia, Carla! Aqui é o Pedro, da Nota Fácil. Tudo bem com você?"],
    ["persona", "Tudo ótimo, Pedro. Quero saber como funciona a emissão de notas."],
    ["salesperson", "Claro. Me conta como vocês emitem as notas fiscais hoje, por favor?"],
    ["persona", "Emitimos umas cem notas por mês numa planilha, bem devagar."],
    ["salesperson", "Que tal uma demonstração de vinte minutos na quinta às 10h, Carla?"],
    ["persona", "Pode ser, combinado."],
]


INTERNAL = re.compile(r"\w+=|\b[a-z]+_[a-z_]+\b|\b(?:True|False|None)\b")


def _internal_keys(text: str) -> list[str]:
    """Metric keys (`objections=0`, `talk_ratio`) and Python literals: never for a reader."""
    return INTERNAL.findall(text)


@pytest.mark.parametrize("locale", ["pt-BR", "en-US"])
def test_offline_texts_never_show_internal_names(calls, kit, locale) -> None:
    scripted = {**{n: (c["turns"], c["mode"], c["persona"]) for n, c in calls.items()}}
    scripted["no_objection"] = (NO_OBJECTION, "text", {"name": "Carla Souza"})
    for name, (turns, mode, persona) in scripted.items():
        card = grade.score(kit.timed(turns, mode), mode, persona, "2026-11-v1", locale)
        texts = [s["justification"] for s in card.scores.values()]
        texts += [i["text"] for i in card.strengths + card.improvements + card.recommendations]
        texts += [i["try"] for i in card.recommendations]
        for text in texts:
            assert text.strip(), name
            assert not _internal_keys(text), (name, text)


def test_a_call_without_objections_is_explained_in_the_companys_language(kit) -> None:
    stored = kit.timed(NO_OBJECTION, "text")
    persona = {"name": "Carla Souza"}
    pt = grade.score(stored, "text", persona, "2026-11-v1", "pt-BR")
    en = grade.score(stored, "text", persona, "2026-11-v1", "en-US")
    assert pt.scores["objection_handling"]["justification"] == (
        "O cliente não levantou objeções nesta conversa."
    )
    assert en.scores["objection_handling"]["justification"] == (
        "The customer raised no objections in this conversation."
    )
    assert pt.scores["objection_handling"]["score"] == en.scores["objection_handling"]["score"]
    assert pt.overall == en.overall  # the language changes the words, never the scores


def test_a_nameless_persona_gets_a_placeholder_in_each_language(calls, kit) -> None:
    call = calls["bad_rude"]
    stored = kit.timed(call["turns"], call["mode"])
    tries = {
        locale: next(
            i["try"]
            for i in grade.score(stored, call["mode"], {}, "2026-11-v1", locale).recommendations
            if i["category"] == "rapport"
        )
        for locale in ("pt-BR", "en-US")
    }
    assert tries["pt-BR"].startswith('Experimente: "Bom dia, (nome do cliente)!')
    assert tries["en-US"].startswith("Try: \"Good morning, (customer's name)!")
