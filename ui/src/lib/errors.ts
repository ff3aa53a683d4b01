import type { ErrorCode, IpcError } from "../types";

/** Normalises whatever a failed invoke threw into `{code, message, retryable}`. */
export function toIpcError(err: unknown): IpcError {
  if (err && typeof err === "object" && "code" in err) {
    const e = err as Partial<IpcError>;
    return {
      code: (e.code ?? "internal") as ErrorCode,
      message: typeof e.message === "string" ? e.message : "",
      retryable: Boolean(e.retryable),
    };
  }
  const message = err instanceof Error ? err.message : typeof err === "string" ? err : "Unexpected error";
  return { code: "internal", message, retryable: false };
}

const EXPLAIN: Record<ErrorCode, string> = {
  badCredentials: "Wrong account number, user name or password.",
  authExpired: "Your sign-in has expired. Please log in again.",
  keychainUnavailable: "The system keychain cannot be reached; you will need to log in again next time.",
  network: "The server cannot be reached. Check the network connection.",
  tls: "The secure connection to the server failed: its certificate is not trusted, has expired or is for another address. Nothing was sent without encryption. If your organisation runs its own certificate authority, paste its CA certificate under Advanced.",
  server: "The server had a problem. Please try again shortly.",
  rateLimited: "The server is busy (too many requests). Please wait a moment.",
  blocked: "This account or user is blocked.",
  malformedResponse: "The server's answer could not be understood.",
  notFound: "That chat, agent or skill no longer exists.",
  invalidInput: "That input was not accepted.",
  transferFailed: "The transfer was refused.",
  nothingToAccept: "There is no chat waiting to be accepted.",
  storage: "Local storage failed.",
  notLoggedIn: "You are not logged in.",
  internal: "Something went wrong.",
};

/** A sentence for the agent: the code's explanation, plus the engine's detail when it adds something. */
export function explainError(err: Pick<IpcError, "code" | "message">): string {
  const base = EXPLAIN[err.code] ?? EXPLAIN.internal;
  const detail = (err.message ?? "").trim();
  if (!detail || detail === base) return base;
  return `${base} (${detail})`;
}
