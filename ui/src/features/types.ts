// The data the issue-8 feature views take. Hand-written until the Rust side's ts-rs bindings exist:
// when they do, this file becomes re-exports from `../bindings/*` (through `Json<T>`) and nothing
// else in `src/features/` changes. Keep every feature module importing its types from here only.

export type JsonValue = number | string | boolean | JsonValue[] | { [k: string]: JsonValue } | null;
export type TextType = "plain" | "html" | "rich-content";

export interface CannedResponse {
  id: number;
  title: string;
  text: string;
  textType: TextType;
  card: JsonValue | null;
  category: string;
  hotkey: number | null;
  position: number;
}

/** A response with its placeholders filled; `unknown` lists those left in `text`, e.g. ["{orderId}"]. */
export interface FilledResponse {
  text: string;
  textType: TextType;
  card: JsonValue | null;
  unknown: string[];
}

export interface ChatRecord {
  key: string;
  owner: string;
  visitorName: string;
  skill: string | null;
  startedAt: number | null;
  acceptedAt: number | null;
  firstReplyAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  lineCount: number;
  survey: JsonValue | null;
}

/** `snippet` marks matches with U+E000 … U+E001 (never HTML). */
export interface HistoryHit {
  record: ChatRecord;
  snippet: string | null;
}

export interface AgentNumbers {
  chatsHandled: number;
  avgHandleMs: number | null;
  avgFirstReplyMs: number | null;
  linesSent: number;
}

export interface LoadFigures {
  activeChats: number;
  maxChats: number | null;
  availableSlots: number | null;
}

export interface SurveyEntry {
  value: string;
  checked: boolean;
  showLogicId: string | null;
}

export type SurveyQuestionKind = "dropdown" | "checkbox" | "radio" | "radioSideBySide" | "text" | "other";
export type SurveyValidation = "alphaNumeric" | "numeric" | "email" | "none";

export interface SurveyQuestion {
  id: string;
  logicId: string | null;
  order: number;
  mandatory: boolean;
  kind: SurveyQuestionKind;
  validation: SurveyValidation;
  label: string;
  lastKnownValue: string | null;
  entries: SurveyEntry[];
}

export interface AgentSurvey {
  title: string | null;
  header: string | null;
  questions: SurveyQuestion[];
}

export interface SurveyAnswer {
  questionId: string;
  values: string[];
}

export interface WrapUp {
  chat: string;
  visitorName: string;
  survey: AgentSurvey;
  state: "open" | "submitting" | "failed" | "done";
  error: string | null;
}

export interface CustomerContact {
  email: string | null;
  phone: string | null;
}

export interface CustomerProfile {
  participantId: string;
  customerId: string | null;
  customerType: string | null;
  customerStatus: string | null;
  balance: number | null;
  /** YYYY-MM-DD */
  registrationDate: string | null;
  name: string | null;
  surname: string | null;
  contacts: CustomerContact[];
}

export interface CustomerPanelData {
  visitorName: string;
  startTime: number | null;
  acceptedAt: number | null;
  skill: string | null;
  chatTimeout: number | null;
  agents: string[];
  visitorTyping: boolean;
  customer: CustomerProfile | null;
  customerState: "none" | "loading" | "loaded" | "failed";
}

/** One line of a stored (read-only) transcript. */
export interface TranscriptLine {
  time: number | null;
  who: string;
  text: string;
  textType: TextType;
}

/** How an import treats the existing library. */
export type ImportMode = "merge" | "replace";

/** What the settings view sends to create (no id) or update (with id) a response. */
export interface ResponseDraft {
  id: number | null;
  title: string;
  text: string;
  textType: TextType;
  card: JsonValue | null;
  category: string;
  hotkey: number | null;
}
