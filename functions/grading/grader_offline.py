"""The offline grader: deterministic rules over the metrics and pt-BR cues, no model involved.

It runs when no language model is configured (local demo, tests) and produces the same scorecard
shape as the model grader, labelled offline. It rewards what a sales coach listens for —
greeting and introduction, the customer's name, open questions, acknowledging an objection before
answering it with facts, a concrete dated next step — and penalises rudeness and laziness on every
category, so a bad call cannot hide behind one good habit. Every strength, improvement and
recommendation quotes a sentence the salesperson actually said, with its turn.

Cues are matched on accent-folded, lower-cased text so "voce"/"você" both count; quotes are taken
from the original text, so they stay verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from dojo.usage import Usage
from grading.rubric import Rubric
from grading.scorecard import Item, Scorecard
from grading.transcript import Turn

GRADER = "offline-rules-v1"

_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


def _cue(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


GREETING = _cue(r"oi|ola|bom dia|boa tarde|boa noite|tudo bem|como vai|hello|hi|good morning")
INTRO = _cue(r"meu nome e|aqui e (?:o|a|d[ao])|sou (?:o|a|d[ao])|falo (?:d[ao]|pel[ao])|my name is")
EMPATHY = _cue(
    r"entendo|entendi|faz sentido|compreendo|imagino|just[oa]|e natural|boa pergunta|"
    r"otima pergunta|sem problema|i understand|makes sense|great question"
)
RUDE = _cue(
    r"nao tenho tempo|problema (?:e )?seu|se vira|tanto faz|sei la|voce nao entende|"
    r"voce que nao|funciona bem nada|coisa do passado|pelo amor de deus|besteira|bobagem|"
    r"burr[oa]|se nao quer|ja te falei|whatever|your problem"
)
TOPICS = _cue(
    r"hoje|atualmente|quant[oa]s?|sistema|processo|problema|dificuldade|desafio|impacto|"
    r"quem|decisao|volume|por mes|acontece|custa|perde[mr]?|currently|today|how many|who"
)
OBJECTION = _cue(
    r"caro|preco|orcamento|nao sei se|ja (?:uso|usamos|tenho|temos|tem)|concorrente|preocup\w*|"
    r"medo|receio|risco|nao tenho tempo|complicado|dificil|contrato|fidelidade|migr\w+|"
    r"nao preciso|cuida de tudo|cuida disso|internet cair|brigar|expensive|already use|worried"
)
ACK = _cue(
    r"entendo|compreendo|faz sentido|just[oa]|e natural|imagino|boa pergunta|otima pergunta|"
    r"com certeza|muitos clientes|muita gente|i understand|that makes sense|fair"
)
VALUE = _cue(
    r"\d+|economi\w*|reduz\w*|evita\w*|teste|gratis|gratuito|garant\w*|suporte|assistida|"
    r"sem fidelidade|cancel\w*|plano|essencial|profissional|xml|xmls|seguranca|backup|fila|"
    r"exemplo|continua|acesso|trial|save|support"
)
CONFIRM = _cue(
    r"resolve\w*|resolvi|tranquil\w*|faz sentido para voce|te atende|ficou claro|isso ajuda|"
    r"does that help|does that address"
)
DISMISS = _cue(
    r"nao e caro|e barato|voce que nao|nao e verdade|voce esta errad\w*|todo mundo|problema seu|"
    r"funciona bem nada|you are wrong"
)
OVERCLAIM = _cue(r"vale a pena|nao tem erro|e bem simples|muito intuitivo|compensa\w*")
NEXT_STEP = _cue(
    r"agend\w+|marc\w+|demonstracao|demo|reuniao|chamada|conversa de|proposta|teste|convite|"
    r"ativ\w+|cadastro|contrato|assinar|link|meeting|trial|proposal"
)
WEAK_NEXT = _cue(r"e ?mail|te ligo|te mando|mandar|envio|enviar|informacoes|qualquer coisa")
WHEN = _cue(
    r"segunda|terca|quarta|quinta|sexta|sabado|amanha|semana que vem|proxima semana|\d{1,2} ?h|"
    r"as \d{1,2}|dia \d{1,2}|monday|tuesday|wednesday|thursday|friday|tomorrow|next week"
)
SUMMARY = _cue(
    r"resumindo|recapitulando|entao ficamos|ficamos assim|so pra confirmar|so para confirmar|"
    r"como voce (?:falou|disse|comentou|mencionou)|to sum up|to recap"
)
COMMIT = _cue(r"pode ser|combinado|o que acha|que tal|fica bom|podemos|topa|does that work")
PUSHY = _cue(r"so hoje|ultima chance|agora ou nunca|tem que fechar|fecha agora")

LAZY_WORDS_PER_TURN = 6.0
TEXT = {
    "pt-BR": {
        "greeting": "Abriu a conversa com cumprimento e apresentação.",
        "no_greeting": "Comece cumprimentando e dizendo quem você é e de onde fala.",
        "name": "Usou o nome do cliente, o que aproxima a conversa.",
        "no_name": "Use o nome do cliente ao longo da conversa.",
        "empathy": "Reconheceu o que o cliente disse antes de seguir.",
        "rude": "Tom desrespeitoso ou impaciente: isso encerra conversas de venda.",
        "lazy": "Respostas curtas demais, sem esforço para entender ou ajudar o cliente.",
        "open": "Fez perguntas abertas para entender o cenário do cliente.",
        "few_open": "Faça mais perguntas abertas (como, por que, o que, me conta) antes de "
        "apresentar o produto.",
        "talk_high": "Você falou {pct}% do tempo; deixe o cliente falar mais (referência: 43%).",
        "monologue": "Monólogo longo sobre o produto; quebre com perguntas.",
        "objection_good": "Tratou a objeção reconhecendo a preocupação e respondendo com fatos.",
        "objection_bad": "A objeção não foi reconhecida nem investigada antes da resposta.",
        "objection_dismiss": "Desqualificou a objeção do cliente em vez de entendê-la.",
        "no_objection": "O cliente não levantou objeções nesta conversa.",
        "next_step": "Propôs um próximo passo concreto com data.",
        "vague_step": "O próximo passo ficou vago; proponha dia e hora.",
        "no_step": "A conversa terminou sem próximo passo definido.",
        "summary": "Resumiu o que entendeu antes de propor o próximo passo.",
        "try_open": 'Experimente: "Me conta como vocês fazem isso hoje?"',
        "try_ack": 'Experimente: "Entendo, é uma preocupação justa. O que pesa mais para você?"',
        "try_close": 'Experimente: "Que tal uma demonstração de 20 minutos na quinta às 10h?"',
        "try_rapport": 'Experimente: "Bom dia, {name}! Aqui é ..., da ... Tudo bem?"',
        "rec_discovery": "Antes de apresentar o produto, faça ao menos três perguntas abertas "
        "sobre o processo atual, a dor e o impacto.",
        "rec_objection": "Diante de uma objeção: reconheça, pergunte o que está por trás dela, "
        "responda com um fato do material e confirme se resolveu.",
        "rec_closing": "Feche cada conversa com um resumo e um próximo passo com data e hora.",
        "rec_rapport": "Cumprimente, apresente-se e use o nome do cliente; mantenha o tom cordial "
        "mesmo sob pressão.",
        "just_rapport": "Cumprimento: {greeting}. Apresentação: {intro}. "
        "Uso do nome do cliente: {name}.",
        "just_discovery": "Perguntas abertas: {open}; perguntas fechadas: {closed}.",
        "just_talk": "Você falou {pct}% do tempo.",
        "just_objections": "Objeções do cliente: {count}; nota de cada resposta: {scores}.",
        "just_closing": "Próximo passo concreto: {next_step}. Com data: {dated}. "
        "Resumo da conversa: {summary}.",
        "yes": "sim",
        "no": "não",
        "someone": "(nome do cliente)",
    },
    "en-US": {
        "greeting": "Opened with a greeting and an introduction.",
        "no_greeting": "Start by greeting and saying who you are and where you call from.",
        "name": "Used the customer's name, which makes the conversation personal.",
        "no_name": "Use the customer's name during the conversation.",
        "empathy": "Acknowledged what the customer said before moving on.",
        "rude": "Disrespectful or impatient tone: this ends sales conversations.",
        "lazy": "Answers far too short, with no effort to understand or help the customer.",
        "open": "Asked open questions to understand the customer's situation.",
        "few_open": "Ask more open questions (how, why, what, tell me) before pitching.",
        "talk_high": "You talked {pct}% of the time; let the customer talk more (reference: 43%).",
        "monologue": "Long product monologue; break it up with questions.",
        "objection_good": "Handled the objection by acknowledging it and answering with facts.",
        "objection_bad": "The objection was neither acknowledged nor explored before answering.",
        "objection_dismiss": "Dismissed the customer's objection instead of understanding it.",
        "no_objection": "The customer raised no objections in this conversation.",
        "next_step": "Proposed a concrete, dated next step.",
        "vague_step": "The next step was vague; propose a day and time.",
        "no_step": "The conversation ended with no next step.",
        "summary": "Summarised what they understood before proposing the next step.",
        "try_open": 'Try: "Tell me how you handle this today?"',
        "try_ack": 'Try: "I understand, that\'s a fair concern. What weighs most for you?"',
        "try_close": 'Try: "How about a 20-minute demo on Thursday at 10am?"',
        "try_rapport": 'Try: "Good morning, {name}! This is ... from ... How are you?"',
        "rec_discovery": "Before pitching, ask at least three open questions about the current "
        "process, the pain and its impact.",
        "rec_objection": "Facing an objection: acknowledge it, ask what is behind it, answer with "
        "a fact from the material and check it was resolved.",
        "rec_closing": "End every conversation with a summary and a next step with day and time.",
        "rec_rapport": "Greet, introduce yourself and use the customer's name; stay courteous "
        "under pressure.",
        "just_rapport": "Greeting: {greeting}. Introduction: {intro}. "
        "Used the customer's name: {name}.",
        "just_discovery": "Open questions: {open}; closed questions: {closed}.",
        "just_talk": "You talked {pct}% of the time.",
        "just_objections": "Customer objections: {count}; score of each reply: {scores}.",
        "just_closing": "Concrete next step: {next_step}. Dated: {dated}. "
        "Summary of the conversation: {summary}.",
        "yes": "yes",
        "no": "no",
        "someone": "(customer's name)",
    },
}


def fold(text: str) -> str:
    """Lower-cased, accent-free text with punctuation as spaces (for cue matching only)."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    )
    return " ".join(re.sub(r"[^\w$]", " ", stripped.lower()).split())


@dataclass
class _Finding:
    positive: bool
    key: str
    turn: int
    quote: str
    weight: float = 1.0


Point = tuple[str, dict[str, Any]]  # a TEXT key and its values: what was observed, as a fact


@dataclass
class _Category:
    score: float
    points: list[Point] = field(default_factory=list)
    findings: list[_Finding] = field(default_factory=list)


def _observed(text: dict[str, str], points: list[Point]) -> str:
    """The observed facts in words (the justification when no finding speaks for itself)."""
    sentences = []
    for key, values in points:
        shown = {
            name: (text["yes"] if value else text["no"]) if isinstance(value, bool) else value
            for name, value in values.items()
        }
        sentences.append(text[key].format(**shown))
    return " ".join(sentences)


def _sentence_with(turn: Turn, cue: re.Pattern[str]) -> str | None:
    for match in _SENTENCE.finditer(turn.text):
        sentence = match.group(0).strip()
        if sentence and cue.search(fold(sentence)):
            return sentence
    return None


def _first_sentence(turn: Turn) -> str:
    match = _SENTENCE.search(turn.text)
    return (match.group(0) if match else turn.text).strip() or turn.text.strip()


def _longest_sentence(turn: Turn) -> str:
    sentences = [m.group(0).strip() for m in _SENTENCE.finditer(turn.text)]
    return max(sentences, key=len, default=turn.text.strip()) or turn.text.strip()


class _Call:
    """The transcript with the views the rules need."""

    def __init__(self, turns: list[Turn], metrics: dict[str, Any], persona: dict[str, Any]):
        self.turns = turns
        self.rep = [t for t in turns if t.speaker == "salesperson"]
        self.metrics = metrics
        name = str(persona.get("name") or "").strip()
        self.first_name = fold(name.split()[0]) if name else ""
        self.display_name = name.split()[0] if name else ""

    def find(self, cue: re.Pattern[str], turns: list[Turn] | None = None) -> list[_Finding]:
        """Every salesperson sentence matching a cue, as findings (positive by default)."""
        found = []
        for turn in turns if turns is not None else self.rep:
            sentence = _sentence_with(turn, cue)
            if sentence is not None:
                found.append(_Finding(True, "", turn.index, sentence))
        return found

    def rude(self) -> list[_Finding]:
        """The salesperson's rude or dismissive sentences."""
        return [
            _Finding(False, "rude", f.turn, f.quote, 2.0)
            for f in self.find(RUDE) + self.find(DISMISS)
        ]

    def lazy(self) -> bool:
        """True when the salesperson barely engaged (very short turns on average)."""
        words = [t.words for t in self.rep]
        return not words or sum(words) / len(words) < LAZY_WORDS_PER_TURN


def _rapport(call: _Call) -> _Category:
    cat = _Category(30.0)
    opening = call.rep[:2]
    greet = call.find(GREETING, opening)
    intro = call.find(INTRO, opening)
    if greet:
        cat.score += 15
        cat.findings.append(_Finding(True, "greeting", greet[0].turn, greet[0].quote))
    else:
        cat.findings.append(
            _Finding(False, "no_greeting", call.rep[0].index, _first_sentence(call.rep[0]))
        )
    if intro:
        cat.score += 10
    name_cue = _cue(re.escape(call.first_name)) if call.first_name else None
    named = call.find(name_cue) if name_cue else []
    if named:
        cat.score += 15
        cat.findings.append(_Finding(True, "name", named[0].turn, named[0].quote, 0.8))
    elif call.first_name:
        cat.findings.append(
            _Finding(False, "no_name", call.rep[0].index, _first_sentence(call.rep[0]), 0.5)
        )
    empathic = call.find(EMPATHY)
    cat.score += 5 * min(4, len(empathic))
    if empathic:
        cat.findings.append(_Finding(True, "empathy", empathic[0].turn, empathic[0].quote, 0.7))
    if not call.rude():
        cat.score += 10
    cat.points = [
        ("just_rapport", {"greeting": bool(greet), "intro": bool(intro), "name": bool(named)})
    ]
    return cat


def _discovery(call: _Call) -> _Category:
    cat = _Category(25.0)
    questions = call.metrics["questions"]
    opened, closed = int(questions["open"]), int(questions["closed"])
    cat.score += 12 * min(5, opened) + 4 * min(4, closed)
    asked = list(questions["examples"])
    topics = {m.group(0) for q in asked for m in TOPICS.finditer(fold(q["text"]))}
    cat.score += 4 * min(3, len(topics))
    open_examples = [q for q in asked if q["kind"] == "open"]
    if open_examples:
        cat.findings.append(
            _Finding(True, "open", open_examples[0]["turn"], open_examples[0]["text"], 1.2)
        )
    if opened < 2:
        target = call.rep[min(1, len(call.rep) - 1)]
        cat.findings.append(_Finding(False, "few_open", target.index, _first_sentence(target), 1.2))
    ratio = call.metrics["talk_ratio"]["value"]
    longest = max(call.rep, key=lambda t: t.words)
    if ratio is not None and ratio > 0.50:
        # above the published band: always worth saying, only costs points past 65%
        cat.score -= 10 if ratio > 0.65 else 0
        weight = 1.0 if ratio > 0.65 else 0.3
        cat.findings.append(
            _Finding(False, "talk_high", longest.index, _longest_sentence(longest), weight)
        )
    if ratio is not None and 0.30 <= ratio <= 0.55:
        cat.score += 10
    if int(call.metrics["longest_monologue_seconds"].get("words") or 0) > 150:
        cat.score -= 15
        cat.findings.append(
            _Finding(False, "monologue", longest.index, _longest_sentence(longest), 1.1)
        )
    cat.points = [("just_discovery", {"open": opened, "closed": closed})]
    if ratio is not None:
        cat.points.append(("just_talk", {"pct": round(ratio * 100)}))
    return cat


def _objections(call: _Call) -> _Category:
    objections = [
        t for t in call.turns if t.speaker == "persona" and OBJECTION.search(fold(t.text))
    ]
    if not objections:
        return _Category(60.0, [("no_objection", {})], [])
    results: list[float] = []
    cat = _Category(0.0)
    for objection in objections:
        reply: list[Turn] = []
        for turn in call.turns:
            if turn.index <= objection.index:
                continue
            if turn.speaker == "persona" and turn in objections:
                break
            if turn.speaker == "salesperson":
                reply.append(turn)
                if len(reply) == 2:
                    break
        if not reply:
            results.append(10.0)
            continue
        text = " ".join(fold(t.text) for t in reply)
        score = 20.0
        acked = call.find(ACK, reply)
        score += 25 if acked else 0
        score += 20 if any("?" in t.text for t in reply) else 0
        score += 25 if VALUE.search(text) else 0
        score += 10 if CONFIRM.search(text) else 0
        dismissed = call.find(DISMISS, reply)
        score -= 40 if dismissed else 0
        score -= 10 if OVERCLAIM.search(text) else 0
        score = max(0.0, min(100.0, score))
        results.append(score)
        if dismissed:
            cat.findings.append(
                _Finding(False, "objection_dismiss", dismissed[0].turn, dismissed[0].quote, 1.5)
            )
        elif score >= 70 and acked:
            cat.findings.append(
                _Finding(True, "objection_good", acked[0].turn, acked[0].quote, 1.2)
            )
        elif not acked:
            cat.findings.append(
                _Finding(False, "objection_bad", reply[0].index, _first_sentence(reply[0]), 1.2)
            )
    cat.score = sum(results) / len(results)
    scores = ", ".join(f"{r:.0f}" for r in results)
    cat.points = [("just_objections", {"count": len(objections), "scores": scores})]
    return cat


def _closing(call: _Call) -> _Category:
    cat = _Category(15.0)
    tail = call.rep[-3:]
    strong = call.find(NEXT_STEP, tail)
    weak = call.find(WEAK_NEXT, tail)
    when = call.find(WHEN, tail)
    summary = call.find(SUMMARY, tail)
    commit = call.find(COMMIT, tail)
    if strong:
        cat.score += 30
    elif weak:
        cat.score += 10
    cat.score += 20 if when and (strong or weak) else 0
    cat.score += 15 if summary else 0
    cat.score += 15 if commit else 0
    cat.score -= 20 if call.find(PUSHY) else 0
    last = call.rep[-1]
    if strong and when:
        cat.findings.append(_Finding(True, "next_step", when[0].turn, when[0].quote, 1.2))
    elif strong or weak:
        hit = (strong or weak)[0]
        cat.findings.append(_Finding(False, "vague_step", hit.turn, hit.quote, 1.1))
    else:
        cat.findings.append(_Finding(False, "no_step", last.index, _first_sentence(last), 1.3))
    if summary:
        cat.findings.append(_Finding(True, "summary", summary[0].turn, summary[0].quote, 0.9))
    cat.points = [
        (
            "just_closing",
            {"next_step": bool(strong), "dated": bool(when), "summary": bool(summary)},
        )
    ]
    return cat


_RULES = {
    "rapport": _rapport,
    "discovery": _discovery,
    "objection_handling": _objections,
    "closing": _closing,
}
_TRY = {
    "rapport": "try_rapport",
    "discovery": "try_open",
    "objection_handling": "try_ack",
    "closing": "try_close",
}


def grade(
    turns: list[Turn],
    metrics: dict[str, Any],
    rubric: Rubric,
    persona: dict[str, Any],
    locale: str,
) -> Scorecard:
    """Score a transcript with the rules; same shape as the model grader, labelled offline."""
    text = TEXT["pt-BR" if locale == "pt-BR" else "en-US"]
    call = _Call(turns, metrics, persona)
    rude = call.rude()
    lazy = call.lazy()
    results: dict[str, _Category] = {}
    for key in rubric.keys:
        cat = _RULES[key](call)
        # Conduct is everyone's business: rudeness and laziness pull every category down.
        cat.score -= 15 * min(4, len(rude))
        if lazy:
            cat.score = min(cat.score - 10, 40.0)
        cat.score = round(max(0.0, min(100.0, cat.score)))
        results[key] = cat
    for finding in rude[:1]:
        results["rapport"].findings.insert(0, finding)
    if lazy:
        worst = min(call.rep, key=lambda t: t.words)
        results["rapport"].findings.insert(
            0, _Finding(False, "lazy", worst.index, _first_sentence(worst), 2.0)
        )

    ratio = metrics["talk_ratio"]["value"]
    pct = round(ratio * 100) if ratio is not None else 0
    name = call.display_name or text["someone"]
    scores: dict[str, Any] = {}
    strengths: list[tuple[float, Item]] = []
    improvements: list[tuple[float, Item]] = []
    for key, cat in results.items():
        evidence = [{"turn": f.turn, "quote": f.quote} for f in cat.findings[:3]]
        summary = list(dict.fromkeys(text[f.key].format(pct=pct, name=name) for f in cat.findings))
        scores[key] = {
            "score": cat.score,
            "justification": " ".join(summary) or _observed(text, cat.points),
            "evidence": evidence,
        }
        for f in cat.findings:
            item = {
                "category": key,
                "text": text[f.key].format(pct=pct, name=name),
                "quote": f.quote,
                "turn": f.turn,
            }
            if f.positive and cat.score >= 50:
                strengths.append((cat.score * f.weight, item))
            else:
                improvements.append(((100 - cat.score) * f.weight, item))
    strengths.sort(key=lambda p: -p[0])
    improvements.sort(key=lambda p: -p[0])

    recommendations: list[Item] = []
    for key in sorted(results, key=lambda k: results[k].score)[:2]:
        # anchor the advice on what went wrong, else on anything said in that category
        ranked = sorted(results[key].findings, key=lambda f: f.positive)
        anchor = (
            ranked[0]
            if ranked
            else _Finding(False, "", call.rep[-1].index, _first_sentence(call.rep[-1]))
        )
        recommendations.append(
            {
                "category": key,
                "text": text[f"rec_{key.split('_')[0]}"],
                "quote": anchor.quote,
                "turn": anchor.turn,
                "try": text[_TRY[key]].format(name=name),
            }
        )
    overall = rubric.overall({k: v["score"] for k, v in scores.items()})
    return Scorecard(
        status="graded",
        grader=GRADER,
        rubric_version=rubric.version,
        metrics=metrics,
        overall=overall,
        scores=scores,
        strengths=[i for _, i in strengths[:3]],
        improvements=[i for _, i in improvements[:3]],
        recommendations=recommendations,
        usage=[Usage(kind="llm", provider="offline", model=GRADER, operation="grading", inputs=1)],
    )
