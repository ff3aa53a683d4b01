// The engine's types come from the ts-rs bindings generated into ./bindings (do not edit those).
// ts-rs types Rust's i64/u64 (event ids, epoch-ms times) as `bigint`, but they cross the IPC as JSON
// numbers; `Json<T>` maps every `bigint` to `number` so the types say what actually arrives.
// (If the bindings are generated with TS_RS_LARGE_INT=number, `Json<T>` is the identity.)
import type { AgentProfile as RawAgentProfile } from "./bindings/AgentProfile";
import type { ChatLine as RawChatLine } from "./bindings/ChatLine";
import type { ChatSnapshot as RawChatSnapshot } from "./bindings/ChatSnapshot";
import type { ChatSummary as RawChatSummary } from "./bindings/ChatSummary";
import type { DeskSnapshot as RawDeskSnapshot } from "./bindings/DeskSnapshot";
import type { EngineEvent as RawEngineEvent } from "./bindings/EngineEvent";
import type { OutboxItem as RawOutboxItem } from "./bindings/OutboxItem";
import type { RingingSnapshot as RawRingingSnapshot } from "./bindings/RingingSnapshot";
import type { TransferAgent as RawTransferAgent } from "./bindings/TransferAgent";
import type { TransferOptions as RawTransferOptions } from "./bindings/TransferOptions";
import type { TransferSkill as RawTransferSkill } from "./bindings/TransferSkill";
import type { WrapUp as RawWrapUp } from "./bindings/WrapUp";
import type { AgentSurvey as RawAgentSurvey } from "./bindings/AgentSurvey";
import type { SurveyQuestion as RawSurveyQuestion } from "./bindings/SurveyQuestion";

export type { Availability } from "./bindings/Availability";
export type { ChatOrigin } from "./bindings/ChatOrigin";
export type { ChatState } from "./bindings/ChatState";
export type { ConnectionState } from "./bindings/ConnectionState";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { LineSource } from "./bindings/LineSource";
export type { OutboxState } from "./bindings/OutboxState";
export type { SessionState } from "./bindings/SessionState";
export type { SkillRef } from "./bindings/SkillRef";
export type { TextType } from "./bindings/TextType";
export type { TransferTarget } from "./bindings/TransferTarget";
export type { WrapUpState } from "./bindings/WrapUpState";
export type { SurveyEntry } from "./bindings/SurveyEntry";
export type { SurveyAnswer } from "./bindings/SurveyAnswer";
export type { QuestionKind } from "./bindings/QuestionKind";
export type { Validation } from "./bindings/Validation";
export type { CustomerInfo } from "./bindings/CustomerInfo";
export type { CustomerProfile } from "./bindings/CustomerProfile";
export type { CustomerContact } from "./bindings/CustomerContact";

/** `T` as it arrives over JSON: every `bigint` is a `number`. */
export type Json<T> = T extends bigint
  ? number
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type ChatKey = string;
export type EpochMs = number;

export type AgentProfile = Json<RawAgentProfile>;
export type ChatLine = Json<RawChatLine>;
export type ChatSummary = Json<RawChatSummary>;
export type EngineEvent = Json<RawEngineEvent>;
export type ChatSnapshot = Json<RawChatSnapshot>;
export type DeskSnapshot = Json<RawDeskSnapshot>;
export type OutboxItem = Json<RawOutboxItem>;
export type RingingSnapshot = Json<RawRingingSnapshot>;
export type TransferSkill = Json<RawTransferSkill>;
export type TransferAgent = Json<RawTransferAgent>;
export type TransferOptions = Json<RawTransferOptions>;
export type WrapUp = Json<RawWrapUp>;
export type AgentSurvey = Json<RawAgentSurvey>;
export type SurveyQuestion = Json<RawSurveyQuestion>;

/**
 * `{code, message, retryable}`: what every failed command rejects with. It is the engine's one error
 * type (`EngineError`, which the shell returns as is), under the name the UI code uses.
 */
export type { CommandError as IpcError } from "./bindings/commands";

// ---- the shell's own types (src-tauri, generated into ./bindings as well) ----

export type { EngineLagged } from "./bindings/EngineLagged";
export type { ExitDecision } from "./bindings/ExitDecision";
export type { LeaveRequested } from "./bindings/LeaveRequested";
export type { LoginForm } from "./bindings/LoginForm";
export type { LogoutOutcome } from "./bindings/LogoutOutcome";
export type { OpenChat } from "./bindings/OpenChat";
export type { RememberedLogin } from "./bindings/RememberedLogin";
export type { Settings } from "./bindings/Settings";
export type { UnreadCounts } from "./bindings/UnreadCounts";
import type { ResumeOutcome as RawResumeOutcome } from "./bindings/ResumeOutcome";
export type ResumeOutcome = Json<RawResumeOutcome>;
