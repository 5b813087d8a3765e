"""The offline persona generator: deterministic, no network, grounded in the sampled chunks.

It reads concrete material out of the context (`persona_facts`) and puts those exact words into
the objections, citing the chunks they came from. The buyers themselves come from a cast of
Brazilian B2B archetypes (role, company, current tool, budget, internal politics, hidden facts,
reasons to walk away), picked and named with a seed taken from the inputs, so the same material
and request always give the same set. Everything it makes is stored with generator='offline' and
shown as such. It writes pt-BR only. Registered as the "offline" provider of
`personas.generate.GENERATOR` by `dojo_local.offline.install()`; it is `inline`: the request runs
the generation job itself and answers it done.
"""

from __future__ import annotations

import hashlib
import random
import re
import time

from dojo.errors import Conflict
from dojo.providers.embeddings import fold
from dojo.usage import Usage
from dojo_local.offline import persona_segments as segments
from dojo_local.offline.persona_cast import FEMALE_NAMES, MALE_NAMES, SURNAMES, Archetype
from dojo_local.offline.persona_cast_more import ARCHETYPES
from dojo_local.offline.persona_facts import PERIOD, Fact, extract_facts, objections
from personas import validate
from personas.generate import OPERATION, Generated, Request
from personas.models import (
    CompanyProfile,
    Difficulty,
    DifficultyMix,
    HiddenFact,
    PersonaDraft,
    PersonaSet,
)
from personas.sampling import Chunk, Context

MODEL = "offline-personas-v1"
NOTICE = (
    "generated offline (no language model configured): deterministic personas built from your "
    "documents' own terms; configure DOJO_LLM_PROVIDER=openai for richer ones"
)


class OfflinePersonaGenerator:
    """The offline provider: a deterministic set, checked by the same rules as a model's."""

    inline = True

    def generate(self, context: Context, request: Request) -> Generated:
        """A set from the context's own terms; too little material is a 409, nothing stored."""
        started = time.monotonic()
        answer = generate(
            context.chunks, request.mix, focus=request.focus, taken_names=request.taken_names
        )
        # the offline generator follows the rules by construction; checking keeps it honest
        try:
            checked = validate.check(
                answer,
                mix=request.mix,
                allowed_chunks=context.ids,
                taken_names=request.taken_names,
            )
        except validate.InvalidSet as exc:
            raise Conflict(
                "the documents hold too little text to build personas from; upload richer material",
                code="insufficient_material",
                details={"reasons": exc.reasons[:10]},
            ) from exc
        usage = Usage(
            kind="llm",
            provider="offline",
            model=MODEL,
            operation=OPERATION,
            inputs=1,
            seconds=round(time.monotonic() - started, 3),
        )
        return Generated(
            personas=checked.personas,
            generator="offline",
            model=MODEL,
            usage=[usage],
            attempts=1,
            dropped_objections=checked.dropped_objections,
            locale="pt-BR",
            notice=NOTICE,
        )


def _seed(chunks: list[Chunk], mix: DifficultyMix, focus: str | None, taken: list[str]) -> int:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(f"{chunk.id}:{chunk.content}\n".encode())
    digest.update(repr((mix.as_dict(), focus, sorted(taken))).encode())
    return int.from_bytes(digest.digest()[:8], "big")


def _money(text: str) -> float | None:
    digits = re.search(r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{2})?(?!\d)", text)
    if digits is None:
        return None
    return float(digits.group(0).replace(".", "").replace(",", "."))


def _brl(value: float) -> str:
    text = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"R$ {text}"


_BUDGET_FACTOR: dict[Difficulty, float] = {"easy": 1.1, "medium": 0.85, "hard": 0.6}


def _budget(archetype: Archetype, difficulty: Difficulty, facts: list[Fact]) -> str:
    # the plans' monthly or yearly prices, not add-ons priced per user or per note
    prices = [
        (p, f.term)
        for f in facts
        if f.kind == "price" and PERIOD.search(f.term) and (p := _money(f.term))
    ]
    if not prices:
        return (
            "Sem verba aprovada para ferramenta nova este ano; qualquer gasto precisa sair de "
            f"outro centro de custo e ter o aval {archetype.approver}."
        )
    price, term = min(prices)
    period = "/ano" if "ano" in fold(term) else "/mês"
    # more at stake, more room: buyers of one level do not all share one number
    factor = _BUDGET_FACTOR[difficulty] * (0.85 + 0.03 * archetype.stakes)
    ceiling = round(price * factor / 10) * 10 or price
    return (
        f"Teto de {_brl(ceiling)}{period} aprovado; acima disso precisa do aval "
        f"{archetype.approver}."
    )


def _name(gender: str, rng: random.Random, taken: set[str], used: set[str]) -> str:
    firsts = [n for n in (FEMALE_NAMES if gender == "female" else MALE_NAMES) if n not in used]
    lasts = [n for n in SURNAMES if n not in used] or list(SURNAMES)
    for _ in range(200):
        first, last = rng.choice(firsts), rng.choice(lasts)
        full = f"{first} {last}"
        if fold(full) not in taken:
            used.update((first, last))
            taken.add(fold(full))
            return full
    raise RuntimeError("ran out of persona names")  # cannot happen with the name pools we ship


def _difficulties(mix: DifficultyMix) -> list[Difficulty]:
    levels: list[Difficulty] = []
    for level in ("hard", "medium", "easy"):
        levels += [level] * mix.as_dict()[level]
    return levels


def _competitor(archetype: Archetype, material: str) -> str:
    for option in archetype.current_solutions:
        names = re.findall(r"[A-Z][\w-]{2,}", option)
        if not any(fold(n) in material for n in names):
            return option
    return archetype.current_solutions[-1]


def generate(
    chunks: list[Chunk],
    mix: DifficultyMix,
    *,
    focus: str | None = None,
    taken_names: list[str] | None = None,
) -> PersonaSet:
    """A deterministic persona set grounded in `chunks`, following the difficulty `mix`."""
    taken = list(taken_names or [])
    rng = random.Random(_seed(chunks, mix, focus, taken))  # noqa: S311 - determinism, not secrecy
    facts = extract_facts(chunks)
    material = fold(" ".join(c.content for c in chunks))
    product = next((f.term for f in facts if f.kind == "product"), None)
    levels = _difficulties(mix)
    archetypes = rng.sample(ARCHETYPES, len(levels))
    # hard buyers get the archetypes with the most at stake
    archetypes.sort(key=lambda a: -a.stakes)
    segment = segments.detect(chunks)
    if segment is not None:  # the seller sells to one segment: every buyer belongs to it
        pains = segments.material_pains(chunks, segment)
        archetypes = [segments.fit(a, segment, pains, i) for i, a in enumerate(archetypes)]
    taken_keys = {fold(n) for n in taken}
    used_names: set[str] = set()
    uses: dict[str, int] = {}
    personas: list[PersonaDraft] = []
    for turn, (archetype, difficulty) in enumerate(zip(archetypes, levels, strict=True)):
        gender = rng.choice(archetype.genders)
        name = _name(gender, rng, taken_keys, used_names)
        first = name.split()[0]
        role = archetype.role_f if gender == "female" else archetype.role_m
        said = objections(difficulty, facts, uses, rng, turn)
        hidden = [HiddenFact(fact=f, reveal_when=w) for f, w in archetype.hidden_facts]
        hidden += [HiddenFact(fact=f, reveal_when=w) for f, w in _HIDDEN_BY_LEVEL[difficulty]]
        profile = CompanyProfile(
            segment=archetype.segment,
            size=archetype.size,
            region=archetype.region,
            current_solution=_competitor(archetype, material),
            budget=_budget(archetype, difficulty, facts),
            decision_process=archetype.decision_process,
        )
        personas.append(
            PersonaDraft(
                name=name,
                gender=gender,
                role=role,
                seniority=archetype.seniority,
                company_profile=profile,
                traits=[*archetype.traits, *_TRAITS_BY_LEVEL[difficulty]],
                goals=list(archetype.goals),
                pains=list(archetype.pains),
                objections=said,
                hidden_facts=hidden,
                difficulty=difficulty,
                end_conditions=[*_END_BY_LEVEL[difficulty], *archetype.walk_away],
                speaking_style=f"{archetype.speaking_style} {_STYLE_BY_LEVEL[difficulty]}",
                first_message=_first_message(difficulty, first, role, archetype, product),
            )
        )
    return PersonaSet(personas=personas)


def _spoken(role: str) -> str:
    """A role as said mid-sentence: lower case, acronyms kept ("coordenadora de TI")."""
    return " ".join(w if w.isupper() else w.lower() for w in role.split())


def _first_message(
    difficulty: Difficulty, first: str, role: str, archetype: Archetype, product: str | None
) -> str:
    if difficulty == "hard":
        return (
            f"Alô. {first}, {_spoken(role)}. Tenho cinco minutos, então vai direto ao ponto: "
            "por que eu trocaria o que uso hoje?"
        )
    if difficulty == "medium":
        return (
            f"Oi, aqui é {first}, {_spoken(role)} de {archetype.company_kind}. Recebi o contato "
            "de vocês. Pode falar, mas já aviso que hoje a gente está razoavelmente bem servido."
        )
    about = f"o {product}" if product else "a solução de vocês"
    return f"Olá, {first} falando. Eu estava mesmo pesquisando sobre {about}. Como funciona?"


_TRAITS_BY_LEVEL: dict[Difficulty, tuple[str, ...]] = {
    "easy": ("ouve com atenção quando o vendedor faz boas perguntas",),
    "medium": ("só avança quando vê número ou caso concreto",),
    "hard": ("interrompe respostas longas", "testa o vendedor com perguntas de pegadinha"),
}
_STYLE_BY_LEVEL: dict[Difficulty, str] = {
    "easy": "Cordial; responde em uma ou duas frases.",
    "medium": "Tom educado e reticente; respostas curtas, pede exemplos.",
    "hard": "Tom seco e impaciente; frases curtas, não preenche silêncios, repete a objeção se a "
    "resposta for vaga.",
}
_END_BY_LEVEL: dict[Difficulty, tuple[str, ...]] = {
    "easy": (
        "Encerra a ligação se o vendedor inventar preço, recurso ou condição que não está no "
        "material da empresa.",
        "Só aceita uma próxima reunião se o vendedor propuser data e pauta claras; senão, "
        "agradece e desliga.",
    ),
    "medium": (
        "Encerra a ligação se o vendedor inventar preço, recurso ou condição que não está no "
        "material da empresa.",
        "Encerra se perguntar o preço duas vezes e continuar sem um número.",
        "Recusa seguir se o vendedor falar mais de um minuto seguido sem perguntar nada.",
    ),
    "hard": (
        "Encerra a ligação se o vendedor inventar preço, recurso ou condição que não está no "
        "material da empresa.",
        "Desliga se o vendedor tentar fechar antes de entender o problema da empresa.",
        "Encerra se perguntar o preço duas vezes e continuar sem um número.",
        "Dá a conversa por encerrada se passar de cinco minutos sem um próximo passo concreto.",
    ),
}
_HIDDEN_BY_LEVEL: dict[Difficulty, tuple[tuple[str, str], ...]] = {
    "easy": (),
    "medium": (
        (
            "Está avaliando mais um fornecedor em paralelo e vai decidir em até 30 dias.",
            "o vendedor perguntar quais outras opções estão em avaliação ou qual é o prazo",
        ),
    ),
    "hard": (
        (
            "Já tem uma proposta de um concorrente 20% mais barata na mesa.",
            "o vendedor perguntar com quem mais está conversando ou o que achou de outras "
            "propostas",
        ),
        (
            "Não assina sem o aval de outra pessoa, que é contra a troca.",
            "o vendedor perguntar como é o processo de decisão ou quem mais participa",
        ),
    ),
}
