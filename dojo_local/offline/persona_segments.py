"""Who the seller sells to, read from its material, so offline buyers belong to that segment.

A clinic-software seller's buyers run clinics: their company, their current tools and their pains
come from that segment and from the seller's own material, never from another archetype's world
("cada escola controla tudo de um jeito" for a clinic). A segment counts only when the material
clearly speaks of it (several distinct terms, well ahead of any other); material for every kind of
business (invoicing, say) names no segment and keeps the cast's varied buyers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dojo.providers.embeddings import fold
from dojo_local.offline.persona_cast import Archetype
from personas.sampling import Chunk


@dataclass(frozen=True)
class Segment:
    """A customer segment: the words that reveal it and the buyers' world in it."""

    key: str
    cue: re.Pattern[str]
    companies: tuple[tuple[str, str, str], ...]  # (segment, company kind, size)
    current_solutions: tuple[str, ...]
    owner_role: tuple[str, str]  # (female, male)
    goals: tuple[str, ...]  # what a buyer there wants, whatever their role


def _cue(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


SEGMENTS: tuple[Segment, ...] = (
    Segment(
        "health",
        _cue(
            r"clinicas?|consultorios?|pacientes?|prontuarios?|medic[oa]s?|dentistas?|"
            r"odontolog\w+|convenios?|hospita\w+|fisioterap\w+|consultas?|laboratorios?"
        ),
        (
            ("Clínica médica com três unidades", "uma clínica médica", "60 funcionários"),
            ("Clínica odontológica", "uma clínica odontológica", "18 funcionários, 7 dentistas"),
            ("Rede de clínicas de fisioterapia", "uma rede de fisioterapia", "4 unidades"),
            ("Consultório de dermatologia", "um consultório", "3 médicas e 5 funcionários"),
        ),
        (
            "um sistema de gestão antigo instalado no servidor da clínica",
            "planilhas, agenda em papel e o WhatsApp da recepção",
        ),
        ("Sócia-diretora da clínica", "Sócio-diretor da clínica"),
        ("menos horários vazios na agenda", "uma recepção menos sobrecarregada"),
    ),
    Segment(
        "education",
        _cue(
            r"escolas?|alunos?|matriculas?|professor\w*|colegios?|faculdades?|pedagog\w+|"
            r"mantenedora"
        ),
        (
            ("Rede de escolas particulares", "uma rede de escolas", "5 unidades"),
            ("Colégio particular", "um colégio", "900 alunos, 80 professores"),
        ),
        ("planilhas e um sistema acadêmico antigo", "o portal de um fornecedor nacional"),
        ("Diretora da escola", "Diretor da escola"),
        ("menos inadimplência nas mensalidades", "secretaria com menos papel"),
    ),
    Segment(
        "logistics",
        _cue(r"frotas?|entregas?|transportador\w+|motoristas?|rotas?|fretes?|caminh\w+"),
        (
            ("Transportadora rodoviária de cargas", "uma transportadora", "200 caminhões"),
            ("Operador logístico", "um operador logístico", "3 centros de distribuição"),
        ),
        ("planilhas de rota e rastreador do fabricante", "um TMS antigo instalado no servidor"),
        ("Sócia da transportadora", "Sócio da transportadora"),
        ("entregas no prazo", "custo por viagem sob controle"),
    ),
    Segment(
        "retail",
        _cue(r"lojas?|varejo|e-?commerce|marketplaces?|pdv|black friday|vitrines?"),
        (
            ("Rede de lojas de roupas", "uma rede de lojas", "8 lojas, 90 funcionários"),
            ("Loja online de cosméticos", "uma loja online", "3.000 pedidos por mês"),
        ),
        ("Bling com planilhas de estoque", "o sistema do PDV e controles em planilha"),
        ("Proprietária da loja", "Proprietário da loja"),
        ("estoque que bate com as vendas", "vender mais sem aumentar a equipe"),
    ),
    Segment(
        "accounting",
        _cue(r"escritorios? (?:contab\w+|de contabilidade)|contador(?:es|as?)?|contabilidade"),
        (("Escritório de contabilidade", "um escritório de contabilidade", "14 colaboradores"),),
        ("Domínio Sistemas, há 9 anos", "Questor, com controles paralelos em planilha"),
        ("Dona de escritório contábil", "Dono de escritório contábil"),
        ("atender mais clientes sem contratar", "não perder prazo de obrigação"),
    ),
)

_PAIN = _cue(
    r"perd\w+|faltas?|atras\w+|retrabalho|erros?|glosas?|manual|manualmente|papel|planilhas?|"
    r"demor\w+|gastam|desorganiza\w+|filas?|esquec\w+|multas?|sem controle|custam caro"
)
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")


def _hits(segment: Segment, text: str) -> tuple[int, int]:
    found = segment.cue.findall(text)
    return len(found), len(set(found))


def detect(chunks: list[Chunk]) -> Segment | None:
    """The segment the material sells to, when it clearly names one (else None)."""
    text = fold(" ".join(c.content for c in chunks))
    ranked = sorted(((_hits(s, text), s) for s in SEGMENTS), key=lambda p: -p[0][0])
    (count, distinct), best = ranked[0]
    runner_up = ranked[1][0][0] if len(ranked) > 1 else 0
    if count >= 4 and distinct >= 3 and count >= 2 * runner_up:
        return best
    return None


def material_pains(chunks: list[Chunk], segment: Segment) -> list[str]:
    """Sentences of the material about the segment's problems, as a buyer would list them."""
    pains: list[str] = []
    for chunk in chunks:
        for match in _SENTENCE.finditer(chunk.content):
            sentence = " ".join(match.group(0).split()).rstrip(".!? ")
            folded = fold(sentence)
            if 30 <= len(sentence) <= 200 and _PAIN.search(folded) and segment.cue.search(folded):
                pains.append(sentence)
    return list(dict.fromkeys(pains))


def _foreign(text: str, segment: Segment) -> bool:
    """Whether the text belongs to another segment's world."""
    folded = fold(text)
    return any(s.cue.search(folded) for s in SEGMENTS if s.key != segment.key)


_DECIDES = "Decide com os sócios em reunião; qualquer gasto novo precisa passar por eles."
_STYLE = "Tom educado e objetivo; pede exemplos concretos de quem já usa."


def _unless_foreign(text: str, segment: Segment, instead: str) -> str:
    return instead if _foreign(text, segment) else text


def fit(archetype: Archetype, segment: Segment, pains: list[str], turn: int) -> Archetype:
    """The archetype as a buyer of `segment`: its company, tools and pains from that segment and
    the material, its goals the segment's (its politics, traits and hidden facts kept where they
    are not foreign)."""
    told = [pains[(turn + i) % len(pains)] for i in range(min(2, len(pains)))] if pains else []
    own = fold(f"{archetype.segment} {archetype.company_kind}")
    if segment.cue.search(own):  # already a buyer of this segment: the material's pains first
        return replace(archetype, pains=tuple(dict.fromkeys([*told, *archetype.pains])))
    label, kind, size = segment.companies[turn % len(segment.companies)]
    role_f, role_m = (
        segment.owner_role
        if _foreign(f"{archetype.role_f} {archetype.role_m}", segment)
        else (archetype.role_f, archetype.role_m)
    )
    return replace(
        archetype,
        role_f=role_f,
        role_m=role_m,
        segment=label,
        company_kind=kind,
        size=size,
        current_solutions=segment.current_solutions,
        goals=segment.goals,
        pains=tuple(dict.fromkeys(told)),
        decision_process=_unless_foreign(archetype.decision_process, segment, _DECIDES),
        approver=_unless_foreign(archetype.approver, segment, "dos sócios"),
        speaking_style=_unless_foreign(archetype.speaking_style, segment, _STYLE),
        hidden_facts=tuple(h for h in archetype.hidden_facts if not _foreign(h[0], segment)),
        walk_away=tuple(w for w in archetype.walk_away if not _foreign(w, segment)),
    )
