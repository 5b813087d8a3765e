"""The offline generator on material it was never tuned on: a clinic-management seller.

Its buyers must run clinics (segment read from the material), tell the material's own pains,
and never borrow another segment's world; prices are read whole ("R$ 1200" is not "R$ 120").
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from dojo.db import service_transaction
from dojo.providers.embeddings import fold
from dojo_local.offline import personas as offline
from dojo_local.offline.persona_facts import extract_facts
from personas import sampling
from personas.models import DifficultyMix
from personas.sampling import Chunk

CLINIC = json.loads(
    (Path(__file__).parents[1] / "grading" / "fixtures" / "clinic" / "material.json").read_text(
        encoding="utf-8"
    )
)
# words of the other segments the cast knows: a clinic's buyer never says them
FOREIGN = re.compile(
    r"\b(?:escolas?|alunos?|professor\w*|mantenedora|lojas?|e-?commerce|black friday|"
    r"supermercados?|construtora|obras?|caminh\w+|transportadora|contab\w+|marketplace|"
    r"representantes|startup|fintech|embalagens|autopecas)\b"
)


def _personas(make_user, material):
    manager = make_user("Agenda Clara", "manager")
    material(manager.company_id, CLINIC)
    with service_transaction() as conn:
        context = sampling.sample(conn, manager.company_id)
    return context, offline.generate(context.chunks, DifficultyMix(easy=3, medium=4, hard=3))


def test_clinic_buyers_live_in_the_clinic_world(make_user, material):
    context, answer = _personas(make_user, material)
    everything = fold(" ".join(c.content for c in context.chunks))
    for persona in answer.personas:
        world = " ".join(
            [
                persona.role,
                *persona.company_profile.model_dump().values(),
                *persona.pains,
                *persona.goals,
                *(f.fact for f in persona.hidden_facts),
                persona.speaking_style,
                persona.first_message,
            ]
        )
        assert not FOREIGN.search(fold(world)), (persona.name, FOREIGN.search(fold(world)))
        assert re.search(r"clinica|consultorio", fold(persona.company_profile.segment))
        # the pains it tells first are the material's own sentences
        assert persona.pains and fold(persona.pains[0]) in everything, persona.pains


def test_prices_are_read_whole():
    text = "A implantação custa R$ 1200,00 à vista."
    chunks = [Chunk(1, uuid.uuid4(), "precos.md", 0, text, 1)]
    terms = [f.term for f in extract_facts(chunks) if f.kind == "price"]
    assert terms == ["R$ 1200,00"]
