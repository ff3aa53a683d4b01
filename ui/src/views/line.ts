// One row of a thread: a visitor, agent, system or agent-only line, with the outbox state of the
// agent's own lines.
import type { ThreadItem } from "../store/state";
import { h } from "../lib/dom";
import { setLineBody } from "../lib/html";
import { renderCard } from "../features/card";
import type { JsonValue } from "../features/types";
import type { ChatLine } from "../types";
import { clockTime, fullTime } from "../lib/time";

const STATUS_TEXT = { pending: "Sending…", sent: "Sent", failed: "Not sent" } as const;

export interface LineActions {
  retry(localId: string): void;
  /** A card image, fetched by the shell on the agent's click (a `data:` URL). */
  loadImage?(url: string): Promise<string>;
  /** Opens an http(s) address in the system browser (never in the desk's webview). */
  openLink?(url: string): void;
}

const NO_IMAGE = () => Promise.reject(new Error("images cannot be loaded here"));

/** A structured-content card when the line has a usable one (a JSON object), else null. */
export function lineCard(line: ChatLine): JsonValue | null {
  const card = line.card;
  return card != null && typeof card === "object" && !Array.isArray(card) ? (card as JsonValue) : null;
}

/**
 * Fills a line's body: a `rich-content` line with a card is drawn as the card (DOM nodes only), its
 * text kept as the card's accessible description; without a usable card the text is the fallback.
 */
export function fillLineBody(body: HTMLElement, line: ChatLine, actions: LineActions): void {
  const card = line.textType === "rich-content" || line.card != null ? lineCard(line) : null;
  if (!card) {
    setLineBody(body, line.text, line.textType === "html" ? "html" : "plain");
    return;
  }
  const el = renderCard(card, {
    loadImage: (url) => (actions.loadImage ?? NO_IMAGE)(url),
    openLink: (url) => actions.openLink?.(url),
  });
  // A card that could not be drawn at all (a placeholder at its root): the text says what it meant.
  const unrenderable = el.firstElementChild?.getAttribute("data-testid") === "card-placeholder";
  if (line.text && !unrenderable) el.setAttribute("aria-description", line.text);
  body.replaceChildren(...(unrenderable && line.text ? [h("p", { class: "card-fallback", "data-testid": "card-fallback", text: line.text })] : []), el);
  body.classList.add("is-card");
}

function whoLabel(item: ThreadItem, visitorName: string): string {
  const line = item.line;
  if (!line) return "You";
  switch (line.source) {
    case "visitor":
      return visitorName || "Visitor";
    case "agent":
      return line.localId || item.outbox ? "You" : line.by && line.by !== "agent" ? line.by : "Agent";
    case "system":
      return "System";
    default:
      return line.by || "Other";
  }
}

export function renderLine(item: ThreadItem, visitorName: string, actions: LineActions): HTMLElement {
  const line = item.line;
  const source = line?.source ?? "agent";
  const agentOnly = line?.agentOnly ?? item.outbox?.agentOnly ?? false;
  const own = item.outbox != null || line?.localId != null;
  const row = h("div", {
    class: `line line--${source}${agentOnly ? " line--note" : ""}${own ? " line--own" : ""}`,
    role: "listitem",
    "data-testid": "line",
    "data-line-id": line ? line.id : null,
    "data-local-id": item.outbox?.localId ?? line?.localId ?? null,
    "data-source": source,
  });

  const body = h("div", { class: "line-body", "data-testid": "line-body" });
  if (line) fillLineBody(body, line, actions);
  else body.textContent = item.outbox?.text ?? "";

  if (source === "system") {
    row.append(h("div", { class: "line-system" }, body, h("time", { class: "line-time", text: clockTime(line?.time) })));
    return row;
  }

  const meta = h(
    "div",
    { class: "line-meta" },
    h("span", { class: "line-by", text: whoLabel(item, visitorName) }),
    agentOnly ? h("span", { class: "tag tag--note", text: "Agent only" }) : null,
    line?.time != null ? h("time", { class: "line-time", datetime: new Date(line.time).toISOString(), title: fullTime(line.time), text: clockTime(line.time) }) : null,
  );
  const bubble = h("div", { class: "bubble" }, body);
  row.append(meta, bubble);

  const ob = item.outbox;
  if (ob) {
    const status = h("div", { class: `line-status is-${ob.state}`, "data-testid": "line-status", "data-state": ob.state });
    status.append(h("span", { text: STATUS_TEXT[ob.state] }));
    if (ob.state === "failed") {
      if (ob.error) status.append(h("span", { class: "line-error", text: ` — ${ob.error}` }));
      const retry = h("button", { type: "button", class: "btn btn--small", "data-testid": "retry-button", text: "Retry" });
      retry.addEventListener("click", () => actions.retry(ob.localId));
      status.append(retry);
    }
    row.append(status);
  }
  return row;
}
