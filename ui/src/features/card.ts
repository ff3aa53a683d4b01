// Structured content ("rich-content" lines, LivePerson cards) drawn from DOM nodes only. The data is
// the visitor's or the server's: every string goes in as text or as a plain attribute value, never
// as markup; styles map to a few fixed classes; images are fetched only when the agent asks (the
// caller's `loadImage` returns a data: URL, so the CSP's `img-src 'self' data:` stays as it is);
// links open only through `openLink`, and only for http(s). Whatever the input, this never throws.
import { h } from "../lib/dom";
import type { JsonValue } from "./types";
import { errorMessage, httpUrl } from "./util";

export const MAX_DEPTH = 12;
export const MAX_ELEMENTS = 200;
/** The "Show JSON" text is cut here (a huge card would otherwise make a huge text node). */
export const MAX_JSON_CHARS = 20_000;

export interface CardOptions {
  /** Fetches an image; resolves to a `data:image/…` URL. */
  loadImage(url: string): Promise<string>;
  openLink(url: string): void;
  /** Non-link button actions (`publishText`, …), for the caller to act on or ignore. */
  onButton?(action: JsonValue): void;
}

type Obj = { [k: string]: JsonValue };

interface Budget {
  elements: number;
  truncated: boolean;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);

/** Pretty JSON for the "Show JSON" disclosure; never throws, capped in size. */
export function prettyJson(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    s = "(this value cannot be shown as JSON)";
  }
  return s.length > MAX_JSON_CHARS ? `${s.slice(0, MAX_JSON_CHARS)}\n… (${s.length - MAX_JSON_CHARS} more characters not shown)` : s;
}

function jsonDetails(v: unknown): HTMLElement {
  return h(
    "details",
    { class: "card-json", "data-testid": "card-json" },
    h("summary", { text: "Show JSON" }),
    h("pre", { class: "card-json-text", text: prettyJson(v) }),
  );
}

function placeholder(message: string, raw?: unknown): HTMLElement {
  return h(
    "div",
    { class: "card-placeholder", role: "note", "data-testid": "card-placeholder" },
    h("span", { class: "card-placeholder-text", text: message }),
    raw !== undefined ? jsonDetails(raw) : null,
  );
}

/** Renders a structured-content card. Always returns an element, whatever `json` is. */
export function renderCard(json: JsonValue, opts: CardOptions): HTMLElement {
  const root = h("div", { class: "card", role: "group", "aria-label": "Card", "data-testid": "card" });
  try {
    if (!isObj(json)) {
      root.append(placeholder("This card could not be shown: it is not a JSON object.", json));
      return root;
    }
    const budget: Budget = { elements: 0, truncated: false };
    root.append(renderElement(json, 0, budget, opts));
    if (budget.truncated) {
      root.append(
        h("p", {
          class: "card-note",
          role: "note",
          "data-testid": "card-truncated",
          text: `Part of this card is not shown: it has more than ${MAX_ELEMENTS} elements or is nested more than ${MAX_DEPTH} levels deep.`,
        }),
      );
    }
  } catch {
    root.replaceChildren(placeholder("This card could not be shown.", json));
  }
  return root;
}

function renderElement(el: JsonValue, depth: number, budget: Budget, opts: CardOptions): HTMLElement {
  if (depth >= MAX_DEPTH) {
    budget.truncated = true;
    return placeholder(`Nested too deep: elements below level ${MAX_DEPTH} are not shown.`);
  }
  if (budget.elements >= MAX_ELEMENTS) {
    budget.truncated = true;
    return placeholder(`Too many elements: only the first ${MAX_ELEMENTS} are shown.`);
  }
  budget.elements++;
  if (!isObj(el)) return placeholder("Malformed element: not a JSON object.", el);
  const type = el.type;
  if (typeof type !== "string" || !type) return placeholder("Malformed element: it has no type.", el);
  switch (type) {
    case "vertical":
    case "horizontal":
      return renderLayout(el, type, depth, budget, opts);
    case "text":
      return renderText(el);
    case "image":
      return renderImage(el, opts);
    case "button":
      return renderButton(el, opts);
    case "link":
      return renderLink(el, opts);
    default:
      return placeholder(`Unsupported element: ${type}`, el);
  }
}

function renderLayout(el: Obj, type: "vertical" | "horizontal", depth: number, budget: Budget, opts: CardOptions): HTMLElement {
  const box = h("div", { class: `card-${type}`, "data-testid": `card-${type}` });
  const children = el.elements;
  if (!Array.isArray(children)) {
    box.append(placeholder(`Malformed ${type} layout: "elements" is not a list.`, el));
    return box;
  }
  for (const child of children) {
    if (budget.elements >= MAX_ELEMENTS) {
      budget.truncated = true;
      box.append(placeholder(`Too many elements: only the first ${MAX_ELEMENTS} are shown.`));
      break;
    }
    box.append(renderElement(child, depth + 1, budget, opts));
  }
  return box;
}

const SIZES = new Set(["small", "medium", "large"]);

function renderText(el: Obj): HTMLElement {
  const text = str(el.text);
  if (text == null) return placeholder('Malformed text element: "text" is missing.', el);
  const cls = ["card-text"];
  const style = el.style;
  if (isObj(style)) {
    if (style.bold === true) cls.push("is-bold");
    if (style.italic === true) cls.push("is-italic");
    if (typeof style.size === "string" && SIZES.has(style.size)) cls.push(`is-${style.size}`);
    // `style.color` is deliberately not applied: no style strings from the data (CSP, contrast).
  }
  return h("p", { class: cls.join(" "), title: str(el.tooltip), "data-testid": "card-text", text });
}

function renderImage(el: Obj, opts: CardOptions): HTMLElement {
  const caption = str(el.caption);
  const tooltip = str(el.tooltip);
  const fig = h("figure", { class: "card-image", "data-testid": "card-image" });
  const url = httpUrl(el.url);
  const frame = h("div", { class: "card-image-frame" });
  fig.append(frame);
  if (!url) {
    frame.append(
      h("span", {
        class: "card-blocked",
        "data-testid": "card-blocked",
        title: str(el.url) ?? undefined,
        text: "Image not shown: blocked link (only http and https addresses are loaded)",
      }),
    );
  } else {
    const href = url.href;
    const load = h("button", {
      type: "button",
      class: "btn btn--small card-image-load",
      title: href,
      "data-testid": "card-image-load",
      text: `Load image (${url.host})`,
    });
    const status = h("span", { class: "card-image-status", role: "status", "data-testid": "card-image-status" });
    load.addEventListener("click", () => {
      load.disabled = true;
      status.textContent = "Loading…";
      let p: Promise<string>;
      try {
        p = Promise.resolve(opts.loadImage(href));
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(
        (data) => {
          if (typeof data !== "string" || !/^data:image\//i.test(data)) throw new Error("not an image");
          const img = h("img", { class: "card-img", alt: caption || tooltip || "Image", title: tooltip, "data-testid": "card-img" });
          img.src = data;
          frame.replaceChildren(img);
        },
      ).catch((e: unknown) => {
        load.disabled = false;
        load.textContent = `Retry loading image (${url.host})`;
        // The shell's refusal says why (too large, not an image type, timed out): show it as text.
        const why = e && typeof e === "object" && "code" in e ? errorMessage(e) : "";
        status.textContent = why ? `The image could not be loaded. ${why}` : "The image could not be loaded.";
      });
    });
    frame.append(load, status);
  }
  if (caption) fig.append(h("figcaption", { class: "card-caption", text: caption }));
  return fig;
}

interface ActionPlan {
  links: string[];
  blocked: string[];
  other: JsonValue[];
}

function planActions(el: Obj): ActionPlan {
  const plan: ActionPlan = { links: [], blocked: [], other: [] };
  const click = el.click;
  const actions = isObj(click) && Array.isArray(click.actions) ? click.actions : [];
  for (const a of actions.slice(0, 20)) {
    if (isObj(a) && a.type === "link") {
      const u = httpUrl(a.uri);
      if (u) plan.links.push(u.href);
      else plan.blocked.push(str(a.uri) ?? "");
    } else {
      plan.other.push(a);
    }
  }
  return plan;
}

function renderButton(el: Obj, opts: CardOptions): HTMLElement {
  const title = str(el.title) ?? "(button)";
  const plan = planActions(el);
  const wrap = h("span", { class: "card-button-wrap" });
  const tip = [str(el.tooltip), ...plan.links.map((l) => `Opens ${l}`)].filter(Boolean).join("\n");
  const live = plan.links.length > 0 || (plan.other.length > 0 && !!opts.onButton);
  const btn = h("button", {
    type: "button",
    class: "btn btn--small card-button",
    title: tip || undefined,
    disabled: !live,
    "data-testid": "card-button",
    text: title,
  });
  btn.addEventListener("click", () => {
    for (const l of plan.links) opts.openLink(l);
    for (const a of plan.other) opts.onButton?.(a);
  });
  wrap.append(btn);
  if (plan.blocked.length) {
    wrap.append(h("span", { class: "card-blocked", "data-testid": "card-blocked", title: plan.blocked.join("\n"), text: "blocked link" }));
  }
  return wrap;
}

function renderLink(el: Obj, opts: CardOptions): HTMLElement {
  const raw = str(el.url) ?? str(el.uri);
  const title = str(el.title) || raw || "(link)";
  const url = httpUrl(raw);
  if (!url) {
    return h(
      "span",
      { class: "card-link-wrap" },
      h("span", { class: "card-link is-blocked", "data-testid": "card-link", text: title }),
      h("span", { class: "card-blocked", "data-testid": "card-blocked", title: raw ?? undefined, text: "blocked link" }),
    );
  }
  const href = url.href;
  // A button, not an <a href>: following a link inside the desk's webview would navigate it away.
  const link = h("button", { type: "button", class: "card-link", title: href, "data-testid": "card-link", text: title });
  link.addEventListener("click", () => opts.openLink(href));
  return link;
}
