"""The offline grader's cues: what a sales coach listens for, as patterns over folded text.

Cues are matched on accent-folded, lower-cased text so "voce"/"você" both count; quotes are taken
from the original text, so they stay verbatim.
"""

from __future__ import annotations

import re
import unicodedata

from grading.transcript import Turn

_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


def cue(pattern: str) -> re.Pattern[str]:
    """A whole-word pattern over folded text."""
    return re.compile(rf"\b(?:{pattern})\b")


GREETING = cue(r"oi|ola|bom dia|boa tarde|boa noite|tudo bem|como vai|hello|hi|good morning")
INTRO = cue(r"meu nome e|aqui e (?:o|a|d[ao])|sou (?:o|a|d[ao])|falo (?:d[ao]|pel[ao])|my name is")
EMPATHY = cue(
    r"entendo|entendi|faz sentido|compreendo|imagino|just[oa]|e natural|boa pergunta|"
    r"otima pergunta|sem problema|i understand|makes sense|great question"
)
RUDE = cue(
    r"nao tenho tempo|problema (?:e )?seu|se vira|tanto faz|sei la|voce nao entende|"
    r"voce que nao|funciona bem nada|coisa do passado|pelo amor de deus|besteira|bobagem|"
    r"burr[oa]|se nao quer|ja te falei|whatever|your problem"
)
TOPICS = cue(
    r"hoje|atualmente|quant[oa]s?|sistema|processo|problema|dificuldade|desafio|impacto|"
    r"quem|decisao|volume|por mes|acontece|custa|perde[mr]?|currently|today|how many|who"
)
# A buyer's concern, however it is put: money (above, ceiling, discount), risk, lock-in, effort,
# doubt about a promise, or something that already does the job.
OBJECTION = cue(
    r"caro|preco|orcamento|nao sei se|ja (?:uso|usamos|tenho|temos|tem)|concorrente|preocup\w*|"
    r"medo|receio|risco|nao (?:tenho|tem|temos) tempo|complicado|dificil|contrato|fidelidade|"
    r"migr\w+|"
    r"nao preciso|cuida de tudo|cuida disso|internet cair|brigar|acima d[oae]s?|teto|verba|"
    r"desconto|pesa\w*|nao pago|nao assino|amarra\w*|pres[oa]s? (?:a|num|em)|quem garante|"
    r"e se (?:nao|der|a gente nao)|na pratica|nao me atende|ja sofri|quem mantem|nunca ouvi|"
    r"mais simples|mais enxuto|promessa|todo fornecedor diz|nao (?:me )?convence|"
    r"da (?:muito )?trabalho|sem tempo|nao tenho (?:essa )?folga|nao da para|nao vale|"
    r"expensive|already use|worried|too much|not convinced|what if"
)
# Acknowledging a concern before answering it: agreeing it is fair, or that others share it.
ACK = cue(
    r"entendo|compreendo|faz sentido|just[oa]|e natural|imagino|boa pergunta|otima pergunta|"
    r"com certeza|muitos clientes|muita gente|i understand|that makes sense|fair|"
    r"(?:voce|o senhor|a senhora|ele|ela) (?:tem|esta) (?:razao|cert[oa])|tem razao|"
    r"concordo|pergunta importante|preocupacao (?:que|comum|legitima|valida)|"
    r"duvida (?:comum|justa)|"
    r"ouco (?:isso )?(?:de|muito)|claro|natural (?:que|se)|you are right|good point"
)
VALUE = cue(
    r"\d+|economi\w*|reduz\w*|evita\w*|teste|gratis|gratuito|garant\w*|suporte|assistida|"
    r"sem fidelidade|cancel\w*|plano|essencial|profissional|xml|xmls|seguranca|backup|fila|"
    r"exemplo|continua|acesso|trial|save|support|"
    # facts said in words: counts, what is included, who does the work, what it costs
    r"dois|duas|tres|quatro|cinco|seis|sete|oito|nove|dez|quinze|vinte|trinta|cem|mil|metade|"
    r"inclu\w+|nossa equipe|sem (?:parar|custo|multa)|gratuit\w*|sem fidelidade|included|free"
)
CONFIRM = cue(
    r"resolve\w*|resolvi|tranquil\w*|faz sentido para voce|te atende|ficou claro|isso ajuda|"
    r"isso responde|responde (?:a|ao) (?:sua|que)|atende ao que|"
    r"does that help|does that address"
)
DISMISS = cue(
    r"nao e caro|e barato|voce que nao|nao e verdade|voce esta errad\w*|todo mundo|problema seu|"
    r"funciona bem nada|you are wrong"
)
OVERCLAIM = cue(r"vale a pena|nao tem erro|e bem simples|muito intuitivo|compensa\w*")
NEXT_STEP = cue(
    r"agend\w+|marc\w+|demonstracao|demo|reuniao|chamada|conversa de|proposta|teste|convite|"
    r"ativ\w+|cadastro|contrato|assinar|link|meeting|trial|proposal"
)
WEAK_NEXT = cue(r"e ?mail|te ligo|te mando|mandar|envio|enviar|informacoes|qualquer coisa")
WHEN = cue(
    r"segunda|terca|quarta|quinta|sexta|sabado|amanha|semana que vem|proxima semana|\d{1,2} ?h|"
    r"as \d{1,2}|dia \d{1,2}|monday|tuesday|wednesday|thursday|friday|tomorrow|next week"
)
SUMMARY = cue(
    r"resumindo|recapitulando|entao ficamos|ficamos assim|so pra confirmar|so para confirmar|"
    r"como voce (?:falou|disse|comentou|mencionou)|to sum up|to recap"
)
COMMIT = cue(r"pode ser|combinado|o que acha|que tal|fica bom|podemos|topa|does that work")
PUSHY = cue(r"so hoje|ultima chance|agora ou nunca|tem que fechar|fecha agora")


_STOP = frozenset(
    re.findall(
        r"\w+",
        "agora ainda antes assim depois entao essa esse esta este isso mesmo muito nossa nosso "
        "outra outro para pelo pela porque quando qual quem sobre tambem todos voces voce gente "
        "minha seria sendo estar estou fazer tenho temos",
    )
)


def subject(text: str) -> set[str]:
    """The content words of a text, crudely stemmed (first five letters), and its numbers: what
    a concern is about, to tell whether an answer speaks to it."""
    words = re.findall(r"[a-z]{5,}|\d{2,}", fold(text))
    return {w if w[0].isdigit() else w[:5] for w in words if w not in _STOP}


def fold(text: str) -> str:
    """Lower-cased, accent-free text with punctuation as spaces (for cue matching only)."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    )
    return " ".join(re.sub(r"[^\w$]", " ", stripped.lower()).split())


def sentence_with(turn: Turn, pattern: re.Pattern[str]) -> str | None:
    """The first sentence of the turn that matches the cue, verbatim."""
    for match in _SENTENCE.finditer(turn.text):
        sentence = match.group(0).strip()
        if sentence and pattern.search(fold(sentence)):
            return sentence
    return None


def first_sentence(turn: Turn) -> str:
    """The turn's first sentence (the whole turn when it has no sentence end)."""
    match = _SENTENCE.search(turn.text)
    return (match.group(0) if match else turn.text).strip() or turn.text.strip()


def longest_sentence(turn: Turn) -> str:
    """The turn's longest sentence."""
    sentences = [m.group(0).strip() for m in _SENTENCE.finditer(turn.text)]
    return max(sentences, key=len, default=turn.text.strip()) or turn.text.strip()
