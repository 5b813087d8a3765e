"""What the offline grader says, in pt-BR and en-US, under stable keys (never metric keys)."""

from __future__ import annotations

# What people read about this grader on a scorecard (stored with the feedback).
LABEL = {
    "pt-BR": "Avaliação offline por regras (sem modelo de linguagem)",
    "en-US": "Offline rule-based grading (no language model)",
}

TEXT: dict[str, dict[str, str]] = {
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
