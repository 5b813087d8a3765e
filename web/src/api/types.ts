import type { components } from "./schema";

// Response shapes the API documents loosely (`dict[str, Any]` in the functions) are described
// here, field for field as the functions answer them; documented ones come from the schema.

export type DocumentOut = components["schemas"]["DocumentOut"];
export type DocumentStatus = DocumentOut["status"];
export type SearchHit = components["schemas"]["SearchHit"];
export type UploadOut = components["schemas"]["UploadOut"];
export type KnowledgeStatus = components["schemas"]["StatusOut"];
export type Me = components["schemas"]["MeOut"];
export type Member = components["schemas"]["MemberOut"];
export type Invitation = components["schemas"]["InvitationOut"];
export type Role = Member["role"];

/** A persona whole, as managers and admins read it. */
export type Persona = components["schemas"]["PersonaOut"];
/** A persona as a salesperson reads it: only what a caller knows before the call. */
export type PersonaCard = components["schemas"]["PersonaCard"];
export type GenerationJob = components["schemas"]["GenerationJobOut"];
export type Difficulty = Persona["difficulty"];

export type SessionStatus = "created" | "active" | "ended" | "failed";

export interface Turn {
  index: number;
  speaker: "salesperson" | "persona";
  text: string;
  start: number;
  end: number;
  words: number;
}

export interface Session {
  id: string;
  user_id: string;
  mode: "voice" | "text";
  status: SessionStatus;
  persona: { id: string | null; name: string | null; role: string | null; difficulty: Difficulty | null };
  user?: { name: string | null; email: string | null };
  rubric_version: string;
  vapi_call_id: string | null;
  started_at: string | null;
  ended_at: string | null;
  ended_reason: string | null;
  duration_seconds: number | null;
  turn_count: number;
  created_at: string;
  transcript?: Turn[];
  recording_url?: string | null;
}

export interface SessionList {
  scope: "mine" | "team";
  items: Session[];
  limit: number;
  offset: number;
}

/** What `POST /api/v1/sessions/start` answers. */
export interface Started {
  session_id: string;
  session: Session;
  first_message?: string;
  persona: { id: string; name: string; role: string; difficulty: Difficulty; company_profile: Record<string, string> };
  call?: { id: string; web_call_url: string | null; public_key: string | null };
  max_duration_seconds?: number;
}

/** What `POST /api/v1/sessions/{id}/messages` answers. */
export interface TurnResult {
  session_id: string;
  status: SessionStatus;
  ended: boolean;
  ended_reason: string | null;
  turns: Turn[];
  remaining_turns: number;
}

export interface Evidence {
  turn: number;
  quote: string;
}

export interface FeedbackItem {
  category?: string;
  text: string;
  quote?: string;
  turn?: number;
  try?: string;
}

export interface MetricBand {
  low: number | null;
  high: number | null;
  target: number | null;
  source: string;
  confidence?: string;
  note?: string;
}

export interface MetricItem {
  key: string;
  name: string;
  value: number | null;
  unit: string;
  band?: MetricBand;
  status?: "below" | "within" | "above" | "n/a";
}

export interface CategoryScore {
  key: string;
  name: string;
  weight: number;
  score: number | null;
  model_score: number | null;
  overridden: boolean;
  justification: string | null;
  evidence: Evidence[];
}

/** What `GET /api/v1/feedback/sessions/{id}` answers: pending, failed, insufficient or graded. */
export interface Feedback {
  session_id: string;
  user_id: string;
  persona: string | null;
  mode: "voice" | "text";
  ended_at: string | null;
  status: "pending" | "failed" | "insufficient" | "graded";
  message?: string | null;
  session_status?: SessionStatus;
  grader?: { name: string; offline: boolean; label: string };
  rubric_version?: string;
  metrics?: {
    mode: string | null;
    duration_seconds: number | null;
    turns: { salesperson: number; customer: number } | null;
    words: { salesperson: number; customer: number } | null;
    questions: { total: number; open: number; closed: number } | null;
    items: MetricItem[];
  };
  removed_quotes?: number;
  overall?: number | null;
  overall_band?: string | null;
  model_overall?: number | null;
  categories?: CategoryScore[];
  strengths?: FeedbackItem[];
  improvements?: FeedbackItem[];
  recommendations?: FeedbackItem[];
  override?: { overall: number; scores: Record<string, number>; note: string | null; by: string | null; at: string | null } | null;
  /** A manager's regrade is running: poll until false. */
  regrading?: boolean;
  /** The last regrade failed; the scores shown are the previous ones. */
  regrade_failed?: boolean;
}

/** `POST /api/v1/feedback/sessions/{id}/regrade`: 202 with the job, whatever the grader. */
export type RegradeJob = components["schemas"]["RegradeJob"];

export type SeriesPoint = components["schemas"]["SeriesPoint"];
export type Series = components["schemas"]["Series"];
export type TeamAverage = components["schemas"]["TeamAverage"];
export type Progress = components["schemas"]["Progress"];
export type TeamMember = components["schemas"]["TeamMember"];
export type Team = components["schemas"]["Team"];
