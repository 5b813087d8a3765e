import type { components } from "./schema";

// Every API type is generated from the functions' OpenAPI description (`npm run schema`);
// these are only shorter names for the shapes the pages use.

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

type Schemas = components["schemas"];

/** A session as the list shows it (`GET /api/v1/sessions`). */
export type SessionListItem = Schemas["SessionListItem"];
/** A session whole, with its transcript (`GET /api/v1/sessions/{id}`). */
export type Session = Schemas["SessionDetail"];
export type SessionStatus = Session["status"];
export type SessionList = Schemas["SessionList"];
export type Turn = Schemas["TurnOut"];
/** What `POST /api/v1/sessions/start` answers. */
export type Started = Schemas["Started"];
/** What `POST /api/v1/sessions/{id}/messages` answers. */
export type TurnResult = Schemas["TurnResult"];

/** What `GET /api/v1/feedback/sessions/{id}` answers: narrow on `status` before reading scores. */
export type Feedback = Schemas["Feedback"];
export type PendingFeedback = Schemas["PendingFeedback"];
export type GradedFeedback = Schemas["GradedFeedback"];
export type InsufficientFeedback = Schemas["InsufficientFeedback"];
/** A scorecard with scores to show (graded, or too short to grade with the metrics). */
export type ScoredFeedback = GradedFeedback | InsufficientFeedback;

/** Pending and failed share one shape; TypeScript cannot narrow a two-valued tag by itself. */
export function isScored(feedback: Feedback): feedback is ScoredFeedback {
  return feedback.status === "graded" || feedback.status === "insufficient";
}
export type FeedbackItem = Schemas["FeedbackItem"];
export type MetricItem = Schemas["MetricItem"];
export type MetricBand = Schemas["MetricBand"];
export type CategoryScore = Schemas["CategoryScore"];

/** `POST /api/v1/feedback/sessions/{id}/regrade`: 202 with the job, whatever the grader. */
export type RegradeJob = components["schemas"]["RegradeJob"];

export type SeriesPoint = components["schemas"]["SeriesPoint"];
export type Series = components["schemas"]["Series"];
export type TeamAverage = components["schemas"]["TeamAverage"];
export type Progress = components["schemas"]["Progress"];
export type TeamMember = components["schemas"]["TeamMember"];
export type Team = components["schemas"]["Team"];
