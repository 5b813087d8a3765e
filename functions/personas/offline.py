"""The offline persona generator: deterministic, no network, grounded in the sampled chunks.

It reads concrete material out of the context (prices in R$, plan and product names, contract
terms, SLAs, implementation times, support hours, integrations; failing those, a short verbatim
sentence) and puts those exact words into the objections, citing the chunks they came from. The
buyers themselves come from a cast of Brazilian B2B archetypes (role, company, current tool,
budget, internal politics, hidden facts, reasons to walk away), picked and named with a seed taken
from the inputs, so the same material and request always give the same set. Everything it makes
is stored with generator='offline' and shown as such. It writes pt-BR only.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from typing import Literal

from dojo.providers.embeddings import fold
from personas.offline_cast import ARCHETYPES, FEMALE_NAMES, MALE_NAMES, SURNAMES, Archetype
from personas.sampling import Chunk
from personas.schema import (
    CompanyProfile,
    Difficulty,
    DifficultyMix,
    HiddenFact,
    Objection,
    PersonaDraft,
    PersonaSet,
)

FactKind = Literal[
    "price",
    "contract",
    "plan",
    "sla",
    "implementation",
    "support",
    "integration",
    "product",
    "quote",
]

_PRICE = re.compile(
    r"R\$\s?\d{1,3}(?:\.\d{3})*(?:,\d{2})?"
    r"(?:\s?(?:/|por)\s?(?:mês|mes|ano|usuário|usuario|licença|nota|CNPJ|empresa))?"
)
_PLAN = re.compile(
    r"\b(?:[Pp]lano|[Pp]acote|[Mm]ódulo|[Ee]dição)\s+[A-ZÀ-Ú][\wÀ-ú+-]*(?:\s+[A-ZÀ-Ú][\wÀ-ú+-]*)?"
)
_CONTRACT = re.compile(
    r"\b(?:fidelidade|multa|carência|contrato|reajuste|aviso prévio|período de teste"
    r"|teste grátis)\b(?:\s+[\wÀ-ú-]+){0,3}?\s+(?:de\s+)?\d+(?:,\d+)?\s*(?:%|dias|meses|anos)",
    re.IGNORECASE,
)
_SLA = re.compile(
    r"\b(?:SLA|disponibilidade|uptime)\b[^.\n;|]{0,30}?\d+(?:,\d+)?\s?%", re.IGNORECASE
)
_IMPLEMENTATION = re.compile(
    r"\b(?:implantação|implementação|onboarding|migração|setup|treinamento)\b[^.\n;|]{0,30}?"
    r"\d+\s*(?:dias(?: úteis)?|semanas|horas|meses)",
    re.IGNORECASE,
)
_SUPPORT = re.compile(
    r"\bsuporte\b[^.\n;|:]{0,40}?(?:24/7|24x7|24 horas|\d+h|horário comercial|chat|telefone"
    r"|e-mail|WhatsApp)",
    re.IGNORECASE,
)
_INTEGRATION = re.compile(
    r"\bintegra(?:ção|ções|do|da)?\s+(?:com|ao|à|aos|às)\s+[A-Z][\w-]+(?:\s[A-Z][\w-]+)?"
    r"(?:(?:,\s*|\s+e\s+)[A-Z][\w-]+(?:\s[A-Z][\w-]+)?){0,3}",
)
_PROPER = re.compile(r"\b[A-ZÀ-Ú][\wÀ-ú]+(?:\s+[A-ZÀ-Ú][\wÀ-ú]+){1,3}\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ú\"])")
_PERIOD = re.compile(r"/\s?(?:mês|mes|ano)\b")
_NOT_PRODUCT = {  # capitalised Brazilian business terms that are nobody's product
    "brasil",
    "sao paulo",
    "rio de janeiro",
    "receita federal",
    "banco central",
    "lgpd",
    "simples nacional",
    "lucro presumido",
    "lucro real",
    "nota fiscal",
    "notas fiscais",
    "nota fiscal eletronica",
    "microempreendedor individual",
    "sped fiscal",
    "sped contabil",
}
_KIND_ORDER: tuple[FactKind, ...] = (
    "price",
    "contract",
    "plan",
    "sla",
    "implementation",
    "integration",
    "support",
    "product",
    "quote",
)
# kinds a buyer of each difficulty fights on first
_PREFERENCE: dict[Difficulty, tuple[FactKind, ...]] = {
    "hard": ("price", "contract", "sla", "implementation", "integration", "plan", "support"),
    "medium": ("implementation", "plan", "price", "integration", "support", "sla", "contract"),
    "easy": ("plan", "product", "support", "integration", "implementation", "price"),
}
_OBJECTIONS_PER: dict[Difficulty, int] = {"easy": 2, "medium": 3, "hard": 4}

_TEMPLATES: dict[FactKind, tuple[str, ...]] = {
    "price": (
        "{t}? Isso está acima do que eu pago hoje. Me explica por que eu pagaria isso.",
        "Vi que é {t}. Meu teto aprovado é menor e não tenho como pedir mais verba este ano.",
        "{t} é preço de tabela. Qual desconto vocês dão no anual? Sem isso nem levo ao comitê.",
    ),
    "contract": (
        "Vocês exigem {t}? Não assino amarra assim sem ver o produto rodando aqui dentro.",
        "{t} é um risco que eu não corro. Se não der certo, quem paga a conta sou eu.",
    ),
    "plan": (
        "Qual é a diferença real do {t} para o que eu já tenho? Não pago por recurso que não uso.",
        "O {t} parece feito para empresa maior que a minha. Tem algo mais enxuto?",
    ),
    "sla": (
        "{t} no papel é bonito. E na prática, quando vocês caírem no fechamento do mês?",
        "{t} — e se não cumprirem? Tem multa para vocês ou só para mim?",
    ),
    "implementation": (
        "{t}? Da última vez que me prometeram prazo de implantação, levou o triplo. Quem garante?",
        "{t} com a minha equipe parada para treinar? Não tenho essa folga no meu calendário.",
    ),
    "support": (
        "{t} não me atende: meu problema costuma acontecer fora do horário, no fechamento.",
        "Sobre {t}: quem me atende é gente ou robô? Já sofri com isso no fornecedor atual.",
    ),
    "integration": (
        "{t}, certo, mas a nossa versão é customizada. Já fizeram isso com alguém do nosso porte?",
        "{t} quem mantém quando quebrar numa atualização? Vocês ou a minha TI?",
    ),
    "product": (
        "Nunca ouvi falar do {t} fora do site de vocês. Quem do meu setor usa?",
        "O {t} faz muita coisa. Eu preciso de uma só, bem feita. Por que não algo mais simples?",
    ),
    "quote": (
        'Vocês escrevem "{t}". Isso é promessa de marketing ou tem número para provar?',
        'Li "{t}". Todo fornecedor diz isso. O que muda para mim na prática?',
    ),
}


@dataclass(frozen=True)
class Fact:
    """A concrete piece of the seller's material, and the chunk it was read from."""

    kind: FactKind
    term: str
    chunk_id: int


def _clean(term: str) -> str:
    return " ".join(term.split()).strip(" ,;:-")


def extract_facts(chunks: list[Chunk]) -> list[Fact]:
    """Every concrete fact found in the chunks, in context order, each term once."""
    patterns: list[tuple[FactKind, re.Pattern[str]]] = [
        ("price", _PRICE),
        ("contract", _CONTRACT),
        ("plan", _PLAN),
        ("sla", _SLA),
        ("implementation", _IMPLEMENTATION),
        ("support", _SUPPORT),
        ("integration", _INTEGRATION),
    ]
    facts: list[Fact] = []
    seen: set[str] = set()

    def add(kind: FactKind, term: str, chunk_id: int) -> None:
        term = _clean(term)
        key = fold(term)
        if len(term) >= 3 and key not in seen:
            seen.add(key)
            facts.append(Fact(kind, term, chunk_id))

    for chunk in chunks:
        for kind, pattern in patterns:
            for match in pattern.finditer(chunk.content):
                add(kind, match.group(0), chunk.id)
    products = _products(chunks)
    for term, chunk_id in products:
        add("product", term, chunk_id)
    for chunk in chunks:  # a verbatim sentence per chunk: grounding when nothing else is found
        sentences = [s for s in _SENTENCE_END.split(chunk.content) if len(s) >= 30]
        words = (sentences[0] if sentences else chunk.content).strip().rstrip(".!?").split()
        add("quote", " ".join(words[:14]).rstrip(",;:"), chunk.id)
    return facts


def _products(chunks: list[Chunk]) -> list[tuple[str, int]]:
    """Capitalised multi-word names that recur in the material (products, the seller)."""
    counts: dict[str, int] = {}
    first: dict[str, tuple[str, int]] = {}
    for chunk in chunks:
        for match in _PROPER.finditer(chunk.content):
            before = chunk.content[: match.start()].rstrip()
            if not before or before[-1] in ".!?:\n":
                continue  # a capital at the start of a sentence says nothing
            term = _clean(match.group(0))
            key = fold(term)
            if key in _NOT_PRODUCT or _PLAN.fullmatch(term):
                continue
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, (term, chunk.id))
    # a name said once may be anything; the seller's products recur across the material
    ranked = sorted((k for k in counts if counts[k] >= 2), key=lambda k: (-counts[k], k))
    return [first[k] for k in ranked[:4]]


def _seed(chunks: list[Chunk], mix: DifficultyMix, focus: str | None, taken: list[str]) -> int:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(f"{chunk.id}:{chunk.content}\n".encode())
    digest.update(repr((mix.as_dict(), focus, sorted(taken))).encode())
    return int.from_bytes(digest.digest()[:8], "big")


def _money(text: str) -> float | None:
    digits = re.search(r"\d{1,3}(?:\.\d{3})*(?:,\d{2})?", text)
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
        if f.kind == "price" and _PERIOD.search(f.term) and (p := _money(f.term))
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


def _objections(
    difficulty: Difficulty,
    facts: list[Fact],
    uses: dict[str, int],
    rng: random.Random,
    turn: int,
) -> list[Objection]:
    kinds = {f.kind for f in facts}
    order = [k for k in _PREFERENCE[difficulty] if k in kinds]
    if order:  # buyers of one level do not all open on the same topic
        shift = turn % len(order)
        order = order[shift:] + order[:shift]
    order += [k for k in _KIND_ORDER if k in kinds and k not in order]
    rank = {kind: i for i, kind in enumerate(order)}
    candidates = list(enumerate(facts))
    chosen: list[Objection] = []
    kinds_used: set[FactKind] = set()
    while len(chosen) < _OBJECTIONS_PER[difficulty] and candidates:
        # a verbatim quote only when nothing concrete is left; then a topic this buyer has not
        # raised yet; then the fact the rest of the set used least; then the buyer's preference
        index, fact = min(
            candidates,
            key=lambda c: (
                c[1].kind == "quote",
                c[1].kind in kinds_used,
                uses.get(c[1].term, 0),
                rank[c[1].kind],
                c[0],
            ),
        )
        candidates.remove((index, fact))
        uses[fact.term] = uses.get(fact.term, 0) + 1
        kinds_used.add(fact.kind)
        text = rng.choice(_TEMPLATES[fact.kind]).format(t=fact.term)
        chosen.append(Objection(text=text[0].upper() + text[1:], chunk_ids=[fact.chunk_id]))
    return chosen


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
    taken_keys = {fold(n) for n in taken}
    used_names: set[str] = set()
    uses: dict[str, int] = {}
    personas: list[PersonaDraft] = []
    for turn, (archetype, difficulty) in enumerate(zip(archetypes, levels, strict=True)):
        gender = rng.choice(archetype.genders)
        name = _name(gender, rng, taken_keys, used_names)
        first = name.split()[0]
        role = archetype.role_f if gender == "female" else archetype.role_m
        objections = _objections(difficulty, facts, uses, rng, turn)
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
                objections=objections,
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
