import type { GradedFeedback, MetricItem, PendingFeedback, SessionListItem } from "@/api/types";

const SESSION = "11111111-1111-4111-8111-111111111111";
const USER = "22222222-2222-4222-8222-222222222222";

/** A metric row as the grading function answers it. */
export function metric(overrides: Partial<MetricItem> = {}): MetricItem {
  return {
    key: "talk_ratio",
    name: "Tempo de fala do vendedor",
    value: 48,
    unit: "%",
    status: "within",
    band: { low: 40, high: 60, target: 50, source: "Gong Labs", confidence: null, note: null },
    basis: "time",
    by_customer: null,
    count: null,
    overlap_pct: null,
    overlap_seconds: null,
    top: null,
    words: null,
    ...overrides,
  } as MetricItem;
}

/** A graded scorecard: two categories with evidence, one strength, one improvement. */
export function graded(overrides: Partial<GradedFeedback> = {}): GradedFeedback {
  return {
    session_id: SESSION,
    user_id: USER,
    status: "graded",
    persona: "Carla Mendes",
    mode: "text",
    ended_at: "2026-12-01T14:00:00Z",
    created_at: "2026-12-01T14:00:05Z",
    updated_at: "2026-12-01T14:00:05Z",
    grader: { name: "offline:rules", offline: true, label: "Avaliação por regras (sem modelo de linguagem)" },
    rubric_version: "2026-11",
    overall: 82,
    model_overall: 82,
    overall_band: "Bom",
    override: null,
    regrading: false,
    regrade_failed: false,
    removed_quotes: 0,
    categories: [
      { key: "rapport", name: "Rapport", weight: 0.2, score: 90, model_score: 90, overridden: false, justification: "Abriu com empatia.", evidence: [{ turn: 0, quote: "Bom dia, Carla!" }] },
      { key: "closing", name: "Fechamento", weight: 0.25, score: 60, model_score: 60, overridden: false, justification: null, evidence: [] },
    ],
    strengths: [{ category: "rapport", text: "Criou conexão", quote: "Bom dia, Carla!", turn: 0, try: null }],
    improvements: [{ category: "closing", text: "Combine um próximo passo", quote: "Então é isso.", turn: 6, try: "Podemos marcar a demo na quinta?" }],
    recommendations: [],
    metrics: { mode: "text", duration_seconds: 300, turns: null, words: null, questions: null, items: [metric()] },
    ...overrides,
  } as GradedFeedback;
}

/** A scorecard still waiting for its grade. */
export function pending(overrides: Partial<PendingFeedback> = {}): PendingFeedback {
  return {
    session_id: SESSION,
    user_id: USER,
    status: "pending",
    session_status: "ended",
    persona: "Carla Mendes",
    mode: "text",
    ended_at: "2026-12-01T14:00:00Z",
    grading_attempts: 0,
    message: "grading",
    regrading: false,
    ...overrides,
  } as PendingFeedback;
}

/** A session row of a list. */
export function sessionItem(overrides: Partial<SessionListItem> = {}): SessionListItem {
  return {
    id: SESSION,
    user_id: USER,
    mode: "text",
    status: "ended",
    persona: { id: "p1", name: "Carla Mendes", role: "Diretora financeira", difficulty: "hard" },
    user: { name: "Ana Souza", email: "ana@example.com" },
    rubric_version: "2026-11",
    vapi_call_id: null,
    started_at: "2026-12-01T13:55:00Z",
    ended_at: "2026-12-01T14:00:00Z",
    ended_reason: "salesperson-ended",
    duration_seconds: 300,
    turn_count: 12,
    created_at: "2026-12-01T13:55:00Z",
    ...overrides,
  } as SessionListItem;
}
