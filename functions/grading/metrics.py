"""Conversation metrics computed by code from the transcript's timings and words.

A language model cannot count or measure time reliably (Docebo's own guidance, coaching.md §4 #3),
so talk ratio, questions, monologues, patience, fillers, pace and interruptions are computed here,
deterministically, and each is shown beside a reference band from a published benchmark with its
source. The benchmarks are English B2B sales calls (pt-BR norms are unknown), so the bands are
guides for coaching, not pass marks.

Choices worth knowing:
- Talk ratio uses speaking time in voice mode and words in text mode (typing time is not talk).
- Patience (pause before the salesperson answers the customer) only exists in voice mode.
- Questions are counted per sentence of the salesperson. Open: the sentence starts (after a
  connector such as "e", "mas", "então" and an optional preposition) with an interrogative that
  cannot be answered yes/no — como, por que, o que, qual/quais, quanto(s), quando, onde, quem,
  que (not "que tal") — and ends with "?", or it is a request to tell ("me conta", "me fala",
  "me explica", "pode me contar", ...) with or without "?". Closed: any other sentence ending in
  "?". A sentence made only of tag words ("né?", "tá?", "certo?") is not a question.
- Fillers: pt-BR words that are also ordinary words are only counted where they act as fillers.
  "né", "hum"/"hmm"/"ahn"/"hã" always; "tipo" unless it means "kind of" ("tipo de", "esse tipo");
  "assim" before a comma or pause, or after "tipo"; "aí" starting a clause and followed by more
  speech (not "está aí." nor the greeting "e aí?"); "tá" as a tag before "?"; "é" and "então" only
  before a pause ("é…") or doubled ("é, é"); "sabe?"/"entendeu?" as a trailing tag. "um" is an
  English filler but a pt-BR article, so English fillers count only for the en-US locale.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass
from typing import Any, Literal

from grading.transcript import Turn, tokens

QuestionKind = Literal["open", "closed"]

_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")
_LEX = re.compile(r"[\wÀ-ÿ]+|\.\.\.|…|[,;:!?.]", re.UNICODE)
_PAUSE = {"...", "…"}
_OVERLAP_TOLERANCE = 0.1  # seconds: transcription timestamps are rounded
_MIN_RATE_SECONDS = 1.0  # a rate over less than a second of speech is noise, not pace

_CONNECTORS = {"e", "mas", "então", "aí", "agora", "ok", "certo", "tá", "bom", "beleza", "and"}
_PREPOSITIONS = {"de", "em", "com", "a", "para", "pra", "por", "no", "na", "desde", "até"}
_OPEN_WORDS = {
    "como",
    "porque",
    "qual",
    "quais",
    "quanto",
    "quantos",
    "quanta",
    "quantas",
    "quando",
    "onde",
    "quem",
    "how",
    "why",
    "what",
    "which",
    "where",
    "when",
    "who",
}
_OPEN_PHRASES = (("por", "que"), ("por", "quê"), ("o", "que"), ("o", "quê"), ("pra", "que"))
_REQUESTS = (
    ("me", "conta"),
    ("me", "conte"),
    ("me", "contar"),
    ("me", "fala"),
    ("me", "fale"),
    ("me", "falar"),
    ("me", "explica"),
    ("me", "explique"),
    ("me", "explicar"),
    ("me", "descreve"),
    ("me", "descreva"),
    ("conta", "pra", "mim"),
    ("fala", "um", "pouco"),
    ("tell", "me"),
    ("walk", "me"),
)
_TAGS = {"né", "tá", "certo", "ok", "sabe", "entendeu", "beleza", "bom", "hein", "right"}

_ALWAYS_FILLERS_PT = {"né", "hum", "humm", "hmm", "hm", "ahn", "ãh", "hã", "éé", "ééé"}
_ALWAYS_FILLERS_EN = {"um", "uh", "uhm", "erm", "er", "hmm", "hm"}
_TIPO_NOUN_PREV = {"o", "um", "esse", "este", "aquele", "qual", "que", "outro", "mesmo", "cada"}
_TIPO_NOUN_NEXT = {"de", "do", "da", "dos", "das"}


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


# --- pure building blocks (property-tested) ----------------------------------------------------


def _sides(turns: list[Turn]) -> tuple[list[Turn], list[Turn]]:
    return (
        [t for t in turns if t.speaker == "salesperson"],
        [t for t in turns if t.speaker == "persona"],
    )


def talk_ratio(turns: list[Turn], mode: str) -> tuple[float | None, str]:
    """The salesperson's share of the talking in [0, 1] and its basis ("time" or "words")."""
    rep, customer = _sides(turns)
    if mode == "voice":
        rep_time = sum(t.duration for t in rep)
        total_time = rep_time + sum(t.duration for t in customer)
        if total_time > 0:
            return rep_time / total_time, "time"
    rep_words = sum(t.words for t in rep)
    total_words = rep_words + sum(t.words for t in customer)
    if total_words == 0:
        return None, "words"
    return rep_words / total_words, "words"


def _starts_open(words: list[str]) -> bool:
    while words and words[0] in _CONNECTORS:
        words = words[1:]
    if words and words[0] in _PREPOSITIONS and len(words) > 1:
        if tuple(words[:2]) in _OPEN_PHRASES:
            return True
        words = words[1:]
    if not words:
        return False
    if tuple(words[:2]) in _OPEN_PHRASES:
        return True
    if words[0] == "que":
        return len(words) > 1 and words[1] != "tal"
    return words[0] in _OPEN_WORDS


def _has_request(words: list[str]) -> bool:
    for phrase in _REQUESTS:
        n = len(phrase)
        if any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
            return True
    return False


def classify_questions(text: str) -> list[tuple[str, QuestionKind]]:
    """The questions in one turn's text, each labelled open or closed (pt-BR and English)."""
    found: list[tuple[str, QuestionKind]] = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        words = tokens(sentence)
        if not words:
            continue
        asks = sentence.rstrip().endswith("?")
        if _has_request(words):
            found.append((sentence, "open"))
            continue
        if not asks or set(words) <= _TAGS:
            continue
        # A clause after a comma may carry the interrogative: "E hoje, como vocês emitem?"
        clauses = [tokens(c) for c in sentence.split(",")]
        is_open = any(_starts_open(c) for c in clauses if c)
        found.append((sentence, "open" if is_open else "closed"))
    return found


def _is_filler(lex: list[str], i: int, locale: str) -> bool:
    word = lex[i]
    prev = lex[i - 1] if i > 0 else ""
    nxt = lex[i + 1] if i + 1 < len(lex) else ""
    clause_start = prev in ("", ",", ".", "!", "?", ";", ":", "...", "…")
    if locale == "en-US":
        return word in _ALWAYS_FILLERS_EN
    if word in _ALWAYS_FILLERS_PT:
        return True
    if word == "tipo":
        return nxt not in _TIPO_NOUN_NEXT and prev not in _TIPO_NOUN_PREV
    if word == "assim":
        return nxt in _PAUSE or nxt == "," or prev == "tipo"
    if word == "aí":
        return (clause_start or prev == "e") and nxt.isalpha()
    if word == "tá":
        return nxt == "?"
    if word in ("é", "então"):
        after = lex[i + 2] if i + 2 < len(lex) else ""
        return nxt in _PAUSE or nxt == word or (nxt == "," and after == word)
    if word in ("sabe", "entendeu"):
        return nxt == "?" and prev == ","
    return False


def fillers(text: str, locale: str = "pt-BR") -> list[str]:
    """The filler words of a text, in order, by the rules in this module's docstring."""
    lex = [w.lower() for w in _LEX.findall(text)]
    return [lex[i] for i in range(len(lex)) if lex[i][0].isalpha() and _is_filler(lex, i, locale)]


def _runs(turns: list[Turn], speaker: str) -> list[list[Turn]]:
    """Consecutive turns of one speaker with no turn of the other in between."""
    runs: list[list[Turn]] = []
    current: list[Turn] = []
    for turn in turns:
        if turn.speaker == speaker:
            current.append(turn)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def longest_run(turns: list[Turn], speaker: str) -> tuple[float, int]:
    """The longest uninterrupted stretch of `speaker`: (seconds, words)."""
    best_seconds, best_words = 0.0, 0
    for run in _runs(turns, speaker):
        seconds = max(0.0, run[-1].end - run[0].start)
        best_seconds = max(best_seconds, seconds)
        best_words = max(best_words, sum(t.words for t in run))
    return best_seconds, best_words


def patience(turns: list[Turn]) -> float | None:
    """Mean pause (s) between the customer finishing and the salesperson starting (0 if over)."""
    ordered = sorted(turns, key=lambda t: (t.start, t.index))
    pauses = [
        max(0.0, cur.start - prev.end)
        for prev, cur in itertools.pairwise(ordered)
        if prev.speaker == "persona" and cur.speaker == "salesperson"
    ]
    return statistics.fmean(pauses) if pauses else None


def interruptions(turns: list[Turn]) -> tuple[int, int, float]:
    """(salesperson interruptions, customer interruptions, seconds both spoke at once)."""
    ordered = sorted(turns, key=lambda t: (t.start, t.index))
    by_rep = by_customer = 0
    for i, turn in enumerate(ordered):
        talking = [
            o
            for o in ordered[:i]
            if o.speaker != turn.speaker
            and o.start <= turn.start
            and o.end - turn.start > _OVERLAP_TOLERANCE
        ]
        if talking:
            if turn.speaker == "salesperson":
                by_rep += 1
            else:
                by_customer += 1
    rep, customer = _sides(turns)
    overlap = 0.0
    for a in rep:
        for b in customer:
            overlap += max(0.0, min(a.end, b.end) - max(a.start, b.start))
    return by_rep, by_customer, overlap


def words_per_minute(turns: list[Turn]) -> float | None:
    """The salesperson's pace over their own speaking time (None without timings)."""
    rep, _ = _sides(turns)
    seconds = sum(t.duration for t in rep)
    if seconds < _MIN_RATE_SECONDS:
        return None
    return sum(t.words for t in rep) / (seconds / 60.0)


def duration(turns: list[Turn]) -> float:
    """Seconds from the first turn's start to the last turn's end."""
    if not turns:
        return 0.0
    return max(0.0, max(t.end for t in turns) - min(t.start for t in turns))


# --- the metrics record stored with the feedback ----------------------------------------------


def _status(value: float | None, band: Band) -> str:
    if value is None:
        return "n/a"
    if band.low is not None and value < band.low:
        return "below"
    if band.high is not None and value > band.high:
        return "above"
    return "within"


def _metric(key: str, value: float | None, unit: str, **extra: Any) -> dict[str, Any]:
    band = BANDS.get(key)
    rounded = None if value is None else round(value, 3)
    record: dict[str, Any] = {"value": rounded, "unit": unit, **extra}
    if band is not None:
        record["band"] = {
            "low": band.low,
            "high": band.high,
            "target": band.target,
            "source": band.source,
            "confidence": band.confidence,
            "note": band.note,
        }
        record["status"] = _status(value, band)
    return record


def compute(turns: list[Turn], mode: str, locale: str = "pt-BR") -> dict[str, Any]:
    """Every conversation metric of a transcript, each with its reference band and status."""
    voice = mode == "voice"
    rep, customer = _sides(turns)
    rep_words = sum(t.words for t in rep)
    seconds = duration(turns)
    ratio, basis = talk_ratio(turns, mode)

    questions = [(t.index, q, kind) for t in rep for q, kind in classify_questions(t.text)]
    open_count = sum(1 for _, _, kind in questions if kind == "open")
    minutes = seconds / 60.0
    per_10 = len(questions) / minutes * 10 if seconds >= _MIN_RATE_SECONDS else None

    found = [f for t in rep for f in fillers(t.text, locale)]
    filler_rate = len(found) / rep_words * 100 if rep_words else None
    top_fillers = sorted({f: found.count(f) for f in found}.items(), key=lambda kv: -kv[1])

    mono_s, mono_w = longest_run(turns, "salesperson")
    cust_s, cust_w = longest_run(turns, "persona")
    by_rep, by_customer, overlap = interruptions(turns) if voice else (0, 0, 0.0)

    return {
        "mode": mode,
        "duration_seconds": round(seconds, 1),
        "turns": {"salesperson": len(rep), "customer": len(customer)},
        "words": {"salesperson": rep_words, "customer": sum(t.words for t in customer)},
        "talk_ratio": _metric("talk_ratio", ratio, "ratio", basis=basis),
        "questions": {
            "total": len(questions),
            "open": open_count,
            "closed": len(questions) - open_count,
            "examples": [{"turn": i, "text": q, "kind": kind} for i, q, kind in questions[:20]],
        },
        # text chat runs at typing speed, so a per-minute rate only means something in voice
        "questions_per_10_min": _metric(
            "questions_per_10_min", per_10 if voice else None, "questions/10 min"
        ),
        "longest_monologue_seconds": _metric(
            "longest_monologue_seconds", mono_s if voice else None, "s", words=mono_w
        ),
        "longest_customer_turn_seconds": _metric(
            "longest_customer_turn_seconds", cust_s if voice else None, "s", words=cust_w
        ),
        "patience_seconds": _metric("patience_seconds", patience(turns) if voice else None, "s"),
        "fillers_per_100_words": _metric(
            "fillers_per_100_words",
            filler_rate,
            "per 100 words",
            count=len(found),
            top=[{"word": w, "count": c} for w, c in top_fillers[:5]],
        ),
        "words_per_minute": _metric(
            "words_per_minute", words_per_minute(turns) if voice else None, "wpm"
        ),
        "interruptions": _metric(
            "interruptions",
            float(by_rep) if voice else None,
            "count",
            by_customer=by_customer,
            overlap_seconds=round(overlap, 2),
            overlap_pct=round(overlap / seconds * 100, 2) if voice and seconds > 0 else None,
        ),
    }
