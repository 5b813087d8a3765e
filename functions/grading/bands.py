"""Reference bands for the conversation metrics: published benchmarks, with their sources.

The benchmarks are English B2B sales calls (pt-BR norms are unknown), so the bands are guides for
coaching, not pass marks. The stored record and the model's prompt keep the English of `BANDS`;
readers in pt-BR get the same sources and notes in Portuguese (`band_in`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Band:
    """A published reference range for one metric, with where it comes from."""

    low: float | None
    high: float | None
    target: float | None
    source: str
    confidence: Literal["primary", "secondary", "assumption"]
    note: str


BANDS: dict[str, Band] = {
    "talk_ratio": Band(
        0.35,
        0.50,
        0.43,
        "Gong Labs, 25,537 calls: 43:57 talk:listen on the highest-converting calls; >65% "
        "lowers conversion (gong.io/resources/labs/talk-to-listen-conversion-ratio)",
        "primary",
        "salesperson share of speaking time (voice) or words (text)",
    ),
    "questions_per_10_min": Band(
        3.7,
        4.7,
        4.2,
        "Gong, 519k discovery calls: 11-14 questions per discovery call is the sweet spot "
        "(Gong deck on slideshare, Orlob interview); scaled to a ~30-minute call",
        "assumption",
        "the per-minute scaling is ours: practice calls are 5-10 minutes long",
    ),
    "longest_monologue_seconds": Band(
        None,
        120.0,
        None,
        "Gong infographic, 257,967 calls: a company overview longer than 2 minutes lowers win "
        "rates (lemonly.com/work/winning-sales-conversations-infographic)",
        "secondary",
        "longest uninterrupted stretch of the salesperson speaking",
    ),
    "longest_customer_turn_seconds": Band(
        50.0,
        None,
        240.0,
        "Gong infographic, 257,967 calls: win probability rises when the customer talks 4+ "
        "minutes uninterrupted; a maximum of 50 s or less is below average "
        "(lemonly.com/work/winning-sales-conversations-infographic)",
        "secondary",
        "longest uninterrupted stretch of the customer speaking",
    ),
    "patience_seconds": Band(
        1.0,
        3.0,
        1.0,
        "feelgoodaboutselling.com/sales-blog/give-me-2-seconds: 'a great average according to "
        "Gong is one second'; many reps pause ~0.5 s",
        "secondary",
        "the 3 s upper bound (dead air) is our assumption, not a published number",
    ),
    "fillers_per_100_words": Band(
        None,
        5.0,
        None,
        "speechfit.app/science.html: fewer than 5 fillers per 100 words; Gong flags fillers "
        "relative to general language use (help.gong.io/docs/points-of-interest-in-a-call)",
        "secondary",
        "pt-BR filler list and rules are ours (no published pt-BR list found)",
    ),
    "words_per_minute": Band(
        140.0,
        160.0,
        150.0,
        "speechfit.app/science.html citing Street & Brady 1982: 140-160 wpm is "
        "comprehension-optimal; Gong: reps average ~173 wpm, ~188 on a mishandled objection "
        "(cuepitch.com citing Gong Labs)",
        "secondary",
        "salesperson words per minute of their own speaking time",
    ),
    "interruptions": Band(
        None,
        0.0,
        0.0,
        "Revenue.io defines interruption % as the share of the call the rep spoke while the "
        "prospect was also speaking (support.revenue.io/hc/en-us/articles/8962790670235); no "
        "published target",
        "primary",
        "times the salesperson started speaking over the customer; fewer is better",
    ),
}

# The same sources and notes in Portuguese, for people reading in pt-BR (the stored record and
# the model's prompt keep the English of BANDS).
BANDS_PT: dict[str, tuple[str, str]] = {
    "talk_ratio": (
        "Gong Labs, 25.537 ligações: 43:57 de fala:escuta nas ligações que mais convertem; acima"
        " de 65% a conversão cai (gong.io/resources/labs/talk-to-listen-conversion-ratio)",
        "parcela do tempo de fala (voz) ou das palavras (texto) que é do vendedor",
    ),
    "questions_per_10_min": (
        "Gong, 519 mil ligações de descoberta: 11 a 14 perguntas por ligação de descoberta é o"
        " ponto ideal (apresentação da Gong no SlideShare, entrevista de Orlob); proporcional a"
        " uma ligação de ~30 minutos",
        "a proporção por minuto é nossa: as ligações de treino duram de 5 a 10 minutos",
    ),
    "longest_monologue_seconds": (
        "Infográfico da Gong, 257.967 ligações: apresentar a empresa por mais de 2 minutos reduz"
        " a taxa de fechamento (lemonly.com/work/winning-sales-conversations-infographic)",
        "maior trecho em que o vendedor fala sem interrupção",
    ),
    "longest_customer_turn_seconds": (
        "Infográfico da Gong, 257.967 ligações: a chance de fechar aumenta quando o cliente fala"
        " 4 minutos ou mais sem interrupção; um máximo de 50 s ou menos fica abaixo da média"
        " (lemonly.com/work/winning-sales-conversations-infographic)",
        "maior trecho em que o cliente fala sem interrupção",
    ),
    "patience_seconds": (
        "feelgoodaboutselling.com/sales-blog/give-me-2-seconds: segundo a Gong, uma ótima média"
        " é um segundo; muitos vendedores esperam só ~0,5 s",
        "o limite de 3 s (silêncio constrangedor) é uma suposição nossa, não um número publicado",
    ),
    "fillers_per_100_words": (
        "speechfit.app/science.html: menos de 5 vícios de linguagem a cada 100 palavras; a Gong"
        " compara os vícios ao uso geral da língua"
        " (help.gong.io/docs/points-of-interest-in-a-call)",
        "a lista e as regras de vícios em português são nossas (não achamos lista publicada)",
    ),
    "words_per_minute": (
        "speechfit.app/science.html, citando Street & Brady (1982): 140 a 160 palavras por"
        " minuto é o ideal para compreensão; Gong: vendedores falam em média ~173 por minuto,"
        " ~188 numa objeção mal conduzida (cuepitch.com, citando a Gong Labs)",
        "palavras por minuto do vendedor, no tempo em que ele fala",
    ),
    "interruptions": (
        "A Revenue.io define interrupção como a parcela da ligação em que o vendedor falou"
        " enquanto o cliente também falava"
        " (support.revenue.io/hc/en-us/articles/8962790670235); não há meta publicada",
        "vezes em que o vendedor começou a falar por cima do cliente; quanto menos, melhor",
    ),
}


def band_in(key: str, stored: dict[str, Any], locale: str) -> dict[str, Any]:
    """A stored band with its source and note in the reader's language."""
    if locale != "pt-BR" or key not in BANDS_PT:
        return stored
    source, note = BANDS_PT[key]
    return {**stored, "source": source, "note": note}
