"""The offline generator: deterministic, distinct, varied and grounded in the company's material."""

from __future__ import annotations

import re
import unicodedata

from dojo.db import service_transaction
from dojo_local.offline import personas as offline
from personas import sampling, validate
from personas.models import DifficultyMix, default_mix

from .conftest import MATERIAL

_MONEY = re.compile(r"R\$\s?\d{1,3}(?:\.\d{3})*(?:,\d{2})?")
_NUMBER_UNIT = re.compile(r"\d+(?:,\d+)?\s?(?:%|dias|meses|anos|h\b)")
# named things from the material a persona could talk about
_NAMED = ["Plano Essencial", "Plano Profissional", "Nuvem Fiscal", "Omie", "Bling", "Conta Azul"]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", " ".join(text.lower().split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _context(company_id):
    with service_transaction() as conn:
        return sampling.sample(conn, company_id)


def test_objections_cite_chunks_that_contain_their_terms(make_user, material):
    manager = make_user("Acme", "manager")
    material(manager.company_id)
    context = _context(manager.company_id)
    by_id = {c.id: c.content for c in context.chunks}
    answer = offline.generate(context.chunks, DifficultyMix(easy=2, medium=4, hard=4))
    objections = [o for p in answer.personas for o in p.objections]
    assert len(objections) >= 20
    grounded_terms = 0
    for objection in objections:
        assert objection.chunk_ids, objection.text
        cited = _fold(" ".join(by_id[i] for i in objection.chunk_ids))
        text = objection.text
        for term in _MONEY.findall(text) + _NUMBER_UNIT.findall(text):
            assert _fold(term) in cited, (term, objection.text)
            grounded_terms += 1
        for name in _NAMED:
            if _fold(name) in _fold(text):
                assert _fold(name) in cited, (name, objection.text)
                grounded_terms += 1
        quoted = re.findall(r'"([^"]+)"', text)
        for quote in quoted:
            assert _fold(quote) in cited, (quote, objection.text)
    # the objections really use the material's numbers and names, not generic talk
    assert grounded_terms >= 15


def test_prices_and_products_come_from_the_material(make_user, material):
    manager = make_user("Acme", "manager")
    material(manager.company_id)
    context = _context(manager.company_id)
    answer = offline.generate(context.chunks, default_mix(6))
    everything = " ".join(c for chunks in MATERIAL.values() for c in chunks)
    text = " ".join(o.text for p in answer.personas for o in p.objections)
    prices = set(_MONEY.findall(text))
    assert prices, "some objection talks money"
    assert prices <= set(_MONEY.findall(everything))
    assert any(name in text for name in ("Plano Essencial", "Plano Profissional"))
    # budgets are concrete and below/around the real prices, never invented products
    budgets = [p.company_profile.budget for p in answer.personas]
    assert all("R$" in b for b in budgets)


def test_offline_set_is_valid_distinct_and_follows_the_mix(make_user, material):
    manager = make_user("Acme", "manager")
    material(manager.company_id)
    context = _context(manager.company_id)
    mix = DifficultyMix(easy=1, medium=2, hard=4)
    answer = offline.generate(context.chunks, mix, taken_names=["Renata Silva"])
    checked = validate.check(
        answer, mix=mix, allowed_chunks=context.ids, taken_names=["Renata Silva"]
    )
    assert checked.dropped_objections == 0
    personas = checked.personas
    assert len({p.name for p in personas}) == 7
    assert len({p.role for p in personas}) == 7
    assert "Renata Silva" not in {p.name for p in personas}
    hard = [p for p in personas if p.difficulty == "hard"]
    easy = [p for p in personas if p.difficulty == "easy"]
    # hard buyers push back more and walk away for more reasons
    assert min(len(p.objections) for p in hard) > max(len(p.objections) for p in easy)
    assert min(len(p.end_conditions) for p in hard) > max(len(p.end_conditions) for p in easy)
    for p in personas:
        assert p.hidden_facts and p.end_conditions and p.first_message
        assert p.company_profile.current_solution and p.company_profile.decision_process


def test_offline_generator_is_deterministic(make_user, material):
    manager = make_user("Acme", "manager")
    material(manager.company_id)
    context = _context(manager.company_id)
    first = offline.generate(context.chunks, default_mix(8), focus="preço")
    second = offline.generate(context.chunks, default_mix(8), focus="preço")
    assert first == second
    other = offline.generate(context.chunks, default_mix(8), focus="contrato")
    assert other != first


def test_offline_grounds_plain_text_without_prices(make_user, material):
    manager = make_user("Acme", "manager")
    material(
        manager.company_id,
        {
            "sobre.txt": [
                "Nossa consultoria ajuda indústrias a reduzir o desperdício na linha de produção "
                "com análise de dados e acompanhamento semanal das equipes.",
                "Trabalhamos com metas trimestrais definidas junto com a diretoria e relatórios "
                "mensais de acompanhamento para o conselho.",
            ]
        },
    )
    context = _context(manager.company_id)
    answer = offline.generate(context.chunks, default_mix(5))
    by_id = {c.id: _fold(c.content) for c in context.chunks}
    for persona in answer.personas:
        assert persona.objections
        for objection in persona.objections:
            for quote in re.findall(r'"([^"]+)"', objection.text):
                assert _fold(quote) in " ".join(by_id[i] for i in objection.chunk_ids)
