"""What the offline persona generator reads out of the seller's material, and the objections it
makes of it.

Concrete material (prices in R$, plan and product names, contract terms, SLAs, implementation
times, support hours, integrations; failing those, a short verbatim sentence) is found with
patterns, each term once, with the chunk it came from; objections put those exact words in the
buyer's mouth and cite that chunk.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Literal

from dojo.providers.embeddings import fold
from personas.models import Difficulty, Objection
from personas.sampling import Chunk

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
    r"R\$\s?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{2})?(?!\d)"
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
PERIOD = re.compile(r"/\s?(?:mês|mes|ano)\b")
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


def objections(
    difficulty: Difficulty,
    facts: list[Fact],
    uses: dict[str, int],
    rng: random.Random,
    turn: int,
) -> list[Objection]:
    """Objections for a buyer of `difficulty`, spreading the facts across the set (`uses`)."""
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
