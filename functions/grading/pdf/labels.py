"""What the PDF reports say around the data, in pt-BR and en-US, under a stable key.

The same shape as `grading.messages`: (pt-BR, en-US) per key, pt-BR unless en-US is asked for.
Dates and numbers are written the way each language writes them (03/12/2026 and 82,5 in pt-BR;
Dec 3, 2026 and 82.5 in en-US).
"""

from __future__ import annotations

from datetime import datetime

# key: (pt-BR, en-US)
CATALOG: dict[str, tuple[str, str]] = {
    "product": ("Sales AI Dojo", "Sales AI Dojo"),
    "session_title": ("Avaliação da sessão de treino", "Training session scorecard"),
    "team_title": ("Relatório da equipe", "Team report"),
    "company": ("Empresa", "Company"),
    "salesperson": ("Vendedor", "Salesperson"),
    "customer": ("Cliente", "Customer"),
    "persona": ("Persona", "Persona"),
    "date": ("Data", "Date"),
    "mode": ("Modo", "Mode"),
    "mode_voice": ("voz", "voice"),
    "mode_text": ("texto", "text"),
    "duration": ("Duração", "Duration"),
    "grader": ("Avaliação", "Graded by"),
    "rubric": ("Rubrica", "Rubric"),
    "overall": ("Nota geral", "Overall score"),
    "overridden": (
        "Nota ajustada por um gestor: {note}",
        "Score adjusted by a manager: {note}",
    ),
    "model_score": ("nota do modelo: {score}", "model score: {score}"),
    "categories": ("Categorias", "Categories"),
    "weight": ("peso {weight}%", "weight {weight}%"),
    "evidence": ("Evidências", "Evidence"),
    "no_justification": ("Sem justificativa registrada.", "No justification recorded."),
    "strengths": ("Pontos fortes", "Strengths"),
    "improvements": ("O que melhorar", "What to improve"),
    "recommendations": ("Recomendações", "Recommendations"),
    "turn": ("fala {n}", "turn {n}"),
    "metrics": ("Métricas da conversa", "Conversation metrics"),
    "metrics_note": (
        "A faixa verde é a referência publicada; o marcador é o valor desta sessão.",
        "The green band is the published reference; the marker is this session's value.",
    ),
    "reference": ("Referência: {band}", "Reference: {band}"),
    "status_below": ("abaixo da referência", "below the reference"),
    "status_within": ("dentro da referência", "within the reference"),
    "status_above": ("acima da referência", "above the reference"),
    "status_n/a": ("sem referência", "no reference"),
    "not_measured": ("não medido neste modo", "not measured in this mode"),
    "transcript": ("Apêndice: transcrição", "Appendix: transcript"),
    "no_transcript": ("Sem transcrição.", "No transcript."),
    "insufficient": ("Sessão não avaliada", "Session not graded"),
    "page": ("Página {n} de {total}", "Page {n} of {total}"),
    "generated": ("Gerado em {at}", "Generated on {at}"),
    "period": ("Período", "Period"),
    "period_30d": ("últimos 30 dias", "last 30 days"),
    "period_90d": ("últimos 90 dias", "last 90 days"),
    "period_365d": ("últimos 12 meses", "last 12 months"),
    "period_all": ("todo o histórico", "all time"),
    "people": ("Pessoas", "People"),
    "sessions": ("Sessões", "Sessions"),
    "minutes": ("Minutos praticados", "Minutes practised"),
    "voice_text": ("Voz / texto", "Voice / text"),
    "heatmap": ("Mapa de calor: pessoas × categorias", "Heatmap: people × categories"),
    "heatmap_note": (
        "Nota média por categoria; entre parênteses, as sessões por trás de cada célula."
        " Com menos de {n} sessões a célula fica em cinza, sem nota: seria ruído.",
        "Average score per category; in brackets, the sessions behind each cell."
        " Below {n} sessions a cell is grey with no score: it would be noise.",
    ),
    "too_little": ("poucos dados", "too little data"),
    "weakest": (
        "Categoria mais fraca da equipe: {category} ({score}); quem mais precisa: {person}.",
        "The team's weakest category: {category} ({score}); who needs it most: {person}.",
    ),
    "trends": ("Tendências por categoria", "Trends per category"),
    "change": ("Variação", "Change"),
    "activity": ("Atividade de prática", "Practice activity"),
    "per_week": ("Sessões por semana", "Sessions per week"),
    "person_page": ("Desempenho individual", "Individual performance"),
    "team_average": ("média da equipe", "team average"),
    "no_data": ("Sem sessões avaliadas no período.", "No graded sessions in the period."),
    "metric_distribution": ("Métricas da equipe", "Team metrics"),
    "person": ("Pessoa", "Person"),
    "trends_note": (
        "Por categoria: a linha é a média móvel das notas; o número é a média do período e a"
        " seta, a variação contra o período anterior de mesma duração.",
        "Per category: the line is the moving average of scores; the number is the period's"
        " average and the arrow its change against the previous period of the same length.",
    ),
    "distribution_note": (
        "Caixa: metade central das sessões (p25–p75), traço branco: mediana, linha: p10–p90;"
        " faixa verde: a referência publicada.",
        "Box: the middle half of sessions (p25–p75), white tick: median, line: p10–p90;"
        " green band: the published reference.",
    ),
    "band_counts": (
        "abaixo {below} · dentro {within} · acima {above}",
        "below {below} · within {within} · above {above}",
    ),
    "graded": ("avaliadas", "graded"),
    "sessions_short": ("sessões", "sessions"),
    "team_tick": (
        "O traço escuro marca a média da equipe.",
        "The dark tick marks the team's average.",
    ),
    "average": ("Média (sessões)", "Average (sessions)"),
    "previous": ("Período anterior", "Previous period"),
}

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def label(key: str, locale: str, **params: object) -> str:
    """The text for `key` in `locale` (pt-BR unless en-US is asked for)."""
    return CATALOG[key][1 if locale == "en-US" else 0].format(**params)


def number(value: float | None, locale: str, digits: int = 1) -> str:
    """A number as the language writes it, trailing zeros dropped; an em dash for none."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return text.replace(".", ",") if locale != "en-US" else text


def date(value: datetime | None, locale: str, *, time: bool = False) -> str:
    """A date (and time, in UTC) as the language writes it."""
    if value is None:
        return "—"
    if locale == "en-US":
        text = f"{_MONTHS_EN[value.month - 1]} {value.day}, {value.year}"
    else:
        text = value.strftime("%d/%m/%Y")
    return f"{text} {value.strftime('%H:%M')} UTC" if time else text


def duration(seconds: float | None) -> str:
    """A duration as minutes and seconds (12:05)."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
