// Beside an open chat: who the visitor is and how the chat has gone so far, and, for an
// authenticated visitor, the customer record (§4.27). Everything goes in as text. The live duration
// is a text node that `updateDurations` rewrites, so the caller can tick it once a second cheaply.
import { h } from "../lib/dom";
import { fullTime } from "../lib/time";
import type { CustomerPanelData, CustomerProfile } from "./types";
import { formatDuration, formatLiveDuration } from "./util";

/** "+12.00", "-400.99", "0.00" */
export function formatBalance(b: number | null): string {
  if (b == null || !Number.isFinite(b)) return "—";
  const fixed = Math.abs(b).toFixed(2);
  if (fixed === "0.00") return fixed;
  return `${b < 0 ? "-" : "+"}${fixed}`;
}

function row(label: string, value: Node | string, testid: string): HTMLElement[] {
  return [h("dt", { text: label }), h("dd", { "data-testid": testid }, value)];
}

export function renderCustomerPanel(data: CustomerPanelData, now: number): HTMLElement {
  const panel = h("aside", { class: "customer-panel", "aria-label": `About ${data.visitorName || "the visitor"}`, "data-testid": "customer-panel" });
  panel.append(
    h(
      "div",
      { class: "cp-head" },
      h("h3", { class: "cp-name", "data-testid": "cp-visitor-name", text: data.visitorName || "Visitor" }),
      h("span", { class: "state-badge is-typing cp-typing", "data-testid": "cp-typing", hidden: !data.visitorTyping, text: "typing…" }),
    ),
  );

  const duration = h("span", { class: "cp-duration", "data-duration-since": data.startTime ?? undefined, text: data.startTime != null ? formatLiveDuration(now - data.startTime) : "—" });
  const waited = data.startTime != null && data.acceptedAt != null ? formatDuration(data.acceptedAt - data.startTime) : "—";
  const dl = h(
    "dl",
    { class: "cp-facts" },
    ...row("Started", data.startTime != null ? h("time", { datetime: new Date(data.startTime).toISOString(), text: fullTime(data.startTime) }) : "—", "cp-start"),
    ...row("Waited", waited, "cp-waited"),
    ...row("Duration", duration, "cp-duration"),
    ...row("Skill", data.skill || "—", "cp-skill"),
    ...row("Timeout", data.chatTimeout != null ? `${data.chatTimeout} s` : "—", "cp-timeout"),
    ...row("Agents", data.agents.length ? data.agents.join(", ") : "—", "cp-agents"),
  );
  panel.append(dl, renderCustomer(data));
  return panel;
}

function renderCustomer(data: CustomerPanelData): HTMLElement {
  const box = h("section", { class: "cp-customer", "aria-label": "Customer", "data-testid": "cp-customer", "data-state": data.customerState });
  box.append(h("h4", { class: "cp-sub", text: "Customer" }));
  switch (data.customerState) {
    case "none":
      box.append(h("p", { class: "cp-note", text: "Not an authenticated visitor" }));
      return box;
    case "loading":
      box.append(h("p", { class: "cp-note", role: "status", text: "Loading customer details…" }));
      return box;
    case "failed":
      box.append(h("p", { class: "cp-note cp-note--error", text: "Customer details unavailable" }));
      return box;
    case "loaded":
      if (!data.customer) {
        box.append(h("p", { class: "cp-note cp-note--error", text: "Customer details unavailable" }));
        return box;
      }
      box.append(customerFacts(data.customer));
      return box;
  }
}

function customerFacts(c: CustomerProfile): HTMLElement {
  const name = [c.name, c.surname].filter(Boolean).join(" ");
  const contacts = c.contacts.flatMap((x) => [x.email, x.phone]).filter((x): x is string => !!x);
  const balance = h("span", { class: c.balance != null && c.balance < 0 ? "cp-negative" : undefined, text: formatBalance(c.balance) });
  return h(
    "dl",
    { class: "cp-facts" },
    ...row("Name", name || "—", "cp-customer-name"),
    ...row("Customer id", c.customerId || "—", "cp-customer-id"),
    ...row("Type", c.customerType || "—", "cp-customer-type"),
    ...row("Status", c.customerStatus || "—", "cp-customer-status"),
    ...row("Balance", balance, "cp-balance"),
    ...row("Registered", c.registrationDate || "—", "cp-registered"),
    ...row("Contacts", contacts.length ? h("span", {}, ...contacts.flatMap((t, i) => [i ? h("br") : null, t])) : "—", "cp-contacts"),
  );
}

/** Rewrites the live duration(s) in `panel` for `now`; cheap enough to call every second. */
export function updateDurations(panel: HTMLElement, now: number): void {
  for (const el of Array.from(panel.querySelectorAll<HTMLElement>("[data-duration-since]"))) {
    const since = Number(el.dataset.durationSince);
    if (!Number.isFinite(since)) continue;
    const text = formatLiveDuration(now - since);
    const node = el.firstChild;
    if (node && node.nodeType === Node.TEXT_NODE) {
      if (node.nodeValue !== text) node.nodeValue = text;
    } else el.textContent = text;
  }
}
