"""Conversation metrics: pt-BR question and filler rules, timings, and property tests."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grading import bands, metrics, speech
from grading.transcript import Turn, parse


def turn(i: int, speaker: str, text: str, start: float, end: float) -> Turn:
    return Turn(index=i, speaker=speaker, text=text, start=start, end=end, words=len(text.split()))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Como vocês emitem as notas hoje?", ["open"]),
        ("E hoje, como vocês emitem as notas?", ["open"]),
        ("Por que vocês ainda não mudaram?", ["open"]),
        ("O que acontece quando a Rose falta?", ["open"]),
        ("Quantas notas vocês emitem por mês?", ["open"]),
        ("Com que frequência isso acontece?", ["open"]),
        ("Me conta como funciona o fechamento do mês.", ["open"]),
        ("Pode me falar um pouco mais sobre isso?", ["open"]),
        ("Vocês emitem nota de serviço?", ["closed"]),
        ("Você sabe como funciona?", ["closed"]),
        ("Que tal quinta às 10h?", ["closed"]),
        ("Tudo bem? Quais serviços vocês mais faturam?", ["closed", "open"]),
        ("Isso é importante, né?", ["closed"]),
        ("Né?", []),
        ("Como eu disse, o sistema é simples.", []),
        ("How do you invoice today?", ["open"]),
        ("Do you use a system today?", ["closed"]),
    ],
)
def test_questions_open_or_closed_in_ptbr(text: str, expected: list[str]) -> None:
    assert [kind for _, kind in speech.classify_questions(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Então, tipo, a gente emite a nota, né?", ["tipo", "né"]),
        ("Esse tipo de nota é de serviço.", []),
        ("Qual tipo você usa?", []),
        ("Funciona assim: você entra e emite.", []),
        ("Assim, a gente resolve isso rápido.", ["assim"]),
        ("Tipo assim, é bem fácil.", ["tipo", "assim"]),
        ("Assim que o cliente pagar, a nota sai.", []),
        ("Aí você clica e emite a nota.", ["aí"]),
        ("E aí, tudo bem?", []),
        ("O sistema está aí.", []),
        ("Tá bom, combinado.", []),
        ("Fechado, tá?", ["tá"]),
        ("Tá funcionando agora.", []),
        ("É, é… deixa eu ver.", ["é", "é"]),
        ("É isso mesmo.", []),
        ("Então vamos agendar.", []),
        ("Então… deixa eu pensar.", ["então"]),
        ("Hum, hmm, ahn.", ["hum", "hmm", "ahn"]),
        ("Você sabe?", []),
        ("Você precisa testar, sabe?", ["sabe"]),
    ],
)
def test_fillers_only_where_the_word_is_a_filler(text: str, expected: list[str]) -> None:
    assert speech.fillers(text, "pt-BR") == expected


def test_um_is_an_article_in_ptbr_and_a_filler_in_english() -> None:
    assert speech.fillers("É um sistema para um cliente.", "pt-BR") == []
    assert speech.fillers("It is, um, a system, uh.", "en-US") == ["um", "uh"]


def test_voice_metrics_from_timings() -> None:
    turns = [
        turn(0, "persona", "Alô, quem fala?", 0.0, 2.0),
        turn(1, "salesperson", "Bom dia! Como vocês emitem notas hoje?", 3.0, 6.0),
        turn(2, "persona", "Com um programa antigo que trava muito.", 6.5, 14.5),
        # starts 0.5 s before the customer finishes: one interruption, 0.5 s overlap
        turn(3, "salesperson", "Entendo. Quantas notas por mês?", 14.0, 17.0),
        turn(4, "persona", "Umas quinhentas.", 18.0, 20.0),
    ]
    m = metrics.compute(turns, "voice")
    assert m["talk_ratio"]["value"] == pytest.approx(6 / 18, abs=1e-3)
    assert m["talk_ratio"]["basis"] == "time"
    assert m["talk_ratio"]["status"] == "below"
    assert m["questions"]["open"] == 2 and m["questions"]["closed"] == 0
    # pauses: 3.0 - 2.0 = 1.0 and the overlap counts as 0 -> mean 0.5
    assert m["patience_seconds"]["value"] == pytest.approx(0.5)
    assert m["interruptions"]["value"] == 1
    assert m["interruptions"]["overlap_seconds"] == pytest.approx(0.5)
    assert m["longest_customer_turn_seconds"]["value"] == pytest.approx(8.0)
    assert m["words_per_minute"]["value"] == pytest.approx(12 / (6 / 60), rel=1e-3)
    assert m["talk_ratio"]["band"]["source"].startswith("Gong Labs")


def test_text_mode_uses_words_and_has_no_voice_only_metrics() -> None:
    turns = [
        turn(0, "persona", "um dois três quatro cinco seis", 0, 0),
        turn(1, "salesperson", "um dois", 5, 5),
    ]
    m = metrics.compute(turns, "text")
    assert m["talk_ratio"]["value"] == pytest.approx(0.25)
    assert m["talk_ratio"]["basis"] == "words"
    for key in ("patience_seconds", "words_per_minute", "interruptions"):
        assert m[key]["value"] is None and m[key]["status"] == "n/a"


def test_consecutive_salesperson_turns_form_one_monologue() -> None:
    turns = [
        turn(0, "salesperson", "a b c", 0, 30),
        turn(1, "salesperson", "d e f", 31, 70),
        turn(2, "persona", "g", 71, 72),
        turn(3, "salesperson", "h", 73, 74),
    ]
    assert metrics.longest_run(turns, "salesperson") == (70.0, 6)


def test_malformed_turns_are_skipped_not_fatal() -> None:
    raw = [
        {"speaker": "salesperson", "text": "Olá", "start": 0, "end": 1},
        {"speaker": "robot", "text": "beep"},
        {"speaker": "persona", "text": "   "},
        "not a turn",
        {"speaker": "persona", "text": "Oi", "start": "x"},
        {"speaker": "persona", "text": "Tudo bem", "start": 2, "end": 3, "words": 2},
    ]
    turns = parse(raw)
    assert [(t.index, t.speaker) for t in turns] == [(0, "salesperson"), (5, "persona")]
    assert parse({"not": "a list"}) == []


# --- properties -------------------------------------------------------------------------------

SPEAKERS = st.sampled_from(["salesperson", "persona"])
WORDS = st.lists(
    st.sampled_from(["como", "né", "tipo", "nota", "fiscal", "então", "aí", "tá", "?", "quanto"]),
    min_size=1,
    max_size=12,
)


@st.composite
def conversations(draw: st.DrawFn) -> list[Turn]:
    count = draw(st.integers(min_value=1, max_value=12))
    clock = 0.0
    turns = []
    for i in range(count):
        clock += draw(st.floats(min_value=-2.0, max_value=3.0))
        clock = max(clock, 0.0)
        length = draw(st.floats(min_value=0.0, max_value=30.0))
        words = draw(WORDS)
        turns.append(turn(i, draw(SPEAKERS), " ".join(words), clock, clock + length))
        clock += length
    return turns


@settings(max_examples=150, deadline=None)
@given(conversations(), st.sampled_from(["voice", "text"]))
def test_metric_ranges(turns: list[Turn], mode: str) -> None:
    m = metrics.compute(turns, mode)
    ratio = m["talk_ratio"]["value"]
    assert ratio is None or 0.0 <= ratio <= 1.0
    q = m["questions"]
    assert q["open"] >= 0 and q["closed"] >= 0 and q["total"] == q["open"] + q["closed"]
    assert m["fillers_per_100_words"]["count"] >= 0
    assert m["interruptions"]["overlap_seconds"] >= 0
    assert m["interruptions"]["by_customer"] >= 0
    for key in ("patience_seconds", "longest_monologue_seconds", "words_per_minute"):
        value = m[key]["value"]
        assert value is None or value >= 0
    if mode == "voice" and m["interruptions"]["overlap_pct"] is not None:
        assert m["interruptions"]["overlap_pct"] >= 0


@settings(max_examples=100, deadline=None)
@given(conversations(), st.floats(min_value=0.1, max_value=10.0))
def test_time_scaling_leaves_ratios_alone(turns: list[Turn], factor: float) -> None:
    scaled = [
        t.model_copy(update={"start": t.start * factor, "end": t.end * factor}) for t in turns
    ]
    a, basis_a = metrics.talk_ratio(turns, "voice")
    b, basis_b = metrics.talk_ratio(scaled, "voice")
    assert basis_a == basis_b
    if a is not None and b is not None:
        assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    pa, pb = metrics.patience(turns), metrics.patience(scaled)
    if pa is not None and pb is not None:
        assert math.isclose(pa * factor, pb, rel_tol=1e-6, abs_tol=1e-9)
    wa, wb = metrics.words_per_minute(turns), metrics.words_per_minute(scaled)
    if wa is not None and wb is not None:
        assert math.isclose(wa / factor, wb, rel_tol=1e-6)


@settings(max_examples=100, deadline=None)
@given(conversations(), st.randoms(use_true_random=False))
def test_order_of_turns_does_not_change_talk_ratio_or_counts(turns: list[Turn], rnd) -> None:
    shuffled = list(turns)
    rnd.shuffle(shuffled)
    for mode in ("voice", "text"):
        assert metrics.talk_ratio(turns, mode) == pytest.approx(metrics.talk_ratio(shuffled, mode))
    a, b = metrics.compute(turns, "text"), metrics.compute(shuffled, "text")
    assert a["questions"]["total"] == b["questions"]["total"]
    assert a["fillers_per_100_words"]["count"] == b["fillers_per_100_words"]["count"]


@settings(max_examples=100, deadline=None)
@given(conversations())
def test_swapping_speakers_mirrors_the_talk_ratio(turns: list[Turn]) -> None:
    swapped = [
        t.model_copy(update={"speaker": "persona" if t.speaker == "salesperson" else "salesperson"})
        for t in turns
    ]
    for mode in ("voice", "text"):
        a, _ = metrics.talk_ratio(turns, mode)
        b, _ = metrics.talk_ratio(swapped, mode)
        if a is not None and b is not None:
            assert a + b == pytest.approx(1.0)


def test_every_reference_band_reads_in_portuguese_for_pt_br() -> None:
    assert set(bands.BANDS_PT) == set(bands.BANDS)
    stored = metrics.compute([], "voice")["talk_ratio"]["band"]
    pt = bands.band_in("talk_ratio", stored, "pt-BR")
    assert pt["source"].startswith("Gong Labs, 25.537 ligações")
    assert pt["note"].startswith("parcela do tempo de fala")
    assert (pt["low"], pt["high"]) == (stored["low"], stored["high"])
    assert bands.band_in("talk_ratio", stored, "en-US") == stored
