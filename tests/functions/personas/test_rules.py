"""The rules a generated set must meet, and the voices personas get (no database needed)."""

from __future__ import annotations

import pytest

from dojo.settings import get_settings
from personas import validate, voices
from personas.models import DifficultyMix, GenerateIn, PersonaSet, default_mix

from .conftest import persona, valid_set


def _set(**changes) -> PersonaSet:
    data = valid_set([1, 2, 3])
    for index, fields in changes.items():
        data["personas"][int(index.strip("p"))].update(fields)
    return PersonaSet.model_validate(data)


MIX = DifficultyMix(easy=1, medium=3, hard=2)


def test_a_valid_set_passes():
    checked = validate.check(_set(), mix=MIX, allowed_chunks={1, 2, 3})
    assert len(checked.personas) == 6 and checked.dropped_objections == 0


def test_names_are_compared_without_case_or_accents():
    answer = _set(p1={"name": "RENATA ALVES"}, p2={"name": "Patricia Lima"}, p3={"name": "x"})
    answer.personas[3].name = "Patrícia  Lima"
    with pytest.raises(validate.InvalidSet) as caught:
        validate.check(answer, mix=MIX, allowed_chunks={1, 2, 3})
    assert any("names must be distinct" in r for r in caught.value.reasons)


def test_active_names_cannot_be_reused():
    with pytest.raises(validate.InvalidSet) as caught:
        validate.check(_set(), mix=MIX, allowed_chunks={1, 2, 3}, taken_names=["renata alves"])
    assert caught.value.reasons == ["names already used by active personas: Renata Alves"]


def test_every_broken_rule_is_reported_at_once():
    answer = _set(
        p0={"role": "Controller", "end_conditions": [], "hidden_facts": []},
        p4={"difficulty": "easy", "first_message": " "},
    )
    with pytest.raises(validate.InvalidSet) as caught:
        validate.check(answer, mix=MIX, allowed_chunks={1, 2, 3})
    text = " | ".join(caught.value.reasons)
    for expected in (
        "roles must be distinct; repeated: Controller",
        "difficulty mix must be easy=1, medium=3, hard=2; got easy=2, medium=3, hard=1",
        "condition to refuse or end the call",
        "hidden fact",
        "first_message is empty",
    ):
        assert expected in text


def test_objections_outside_the_context_are_dropped_whole():
    answer = _set()
    answer.personas[0].objections.append(
        PersonaSet.model_validate({"personas": [persona("a", "b", "easy", [1, 99])]})
        .personas[0]
        .objections[0]
    )
    checked = validate.check(answer, mix=MIX, allowed_chunks={1, 2, 3})
    assert checked.dropped_objections == 1
    assert all(99 not in o.chunk_ids for p in checked.personas for o in p.objections)


def test_default_mix_leans_hard_and_matches_count():
    for count in range(5, 11):
        mix = default_mix(count)
        assert mix.total == count
        assert mix.hard >= mix.easy >= 1
    assert GenerateIn().mix == DifficultyMix(easy=1, medium=3, hard=2)
    assert GenerateIn(difficulty=DifficultyMix(hard=5)).count == 5


def test_voices_follow_gender_and_rotate(monkeypatch):
    monkeypatch.setenv("DOJO_PERSONA_VOICES", "f1:f,f2:f,m1:m")
    get_settings.cache_clear()
    try:
        assert voices.assign(["female", "male", "female", "female", "male"]) == [
            "f1",
            "m1",
            "f2",
            "f1",
            "m1",
        ]
        assert voices.known("m1") and not voices.known("m2")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
