// Line bodies: `html` lines (sanitised by the engine) go in as HTML; everything else as text.
// The HTML path re-checks the engine's work (defence in depth): it parses into an inert template
// and drops anything that can run code or load from outside.
import type { TextType } from "../types";

const DROP = new Set(["SCRIPT", "STYLE", "IFRAME", "OBJECT", "EMBED", "LINK", "META", "BASE", "FORM", "FRAME", "FRAMESET", "SVG", "MATH", "TEMPLATE"]);
const URL_ATTRS = new Set(["href", "src", "xlink:href", "action", "formaction", "srcset"]);

function safeUrl(v: string): boolean {
  const t = v.trim().toLowerCase();
  return t.startsWith("https:") || t.startsWith("http:") || t.startsWith("mailto:") || t.startsWith("#");
}

function scrub(root: ParentNode): void {
  for (const el of Array.from(root.querySelectorAll("*"))) {
    if (DROP.has(el.tagName.toUpperCase())) {
      el.remove();
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      const n = attr.name.toLowerCase();
      if (n.startsWith("on") || n === "style" || (URL_ATTRS.has(n) && !safeUrl(attr.value))) el.removeAttribute(attr.name);
    }
    if (el.tagName === "A") {
      el.setAttribute("rel", "noopener noreferrer");
      el.setAttribute("target", "_blank");
      // Where it goes, on hover (a click opens it in the system browser through the shell: `linkTarget`).
      const href = el.getAttribute("href");
      if (href) el.setAttribute("title", href);
    }
  }
}

/** A fragment for sanitised HTML from the engine. */
export function htmlFragment(html: string): DocumentFragment {
  const tpl = document.createElement("template");
  tpl.innerHTML = html; // inert: template content runs nothing and loads nothing
  scrub(tpl.content);
  return document.importNode(tpl.content, true);
}

/** Fills `el` with a line's body. Only `html` lines are ever parsed as markup. */
export function setLineBody(el: HTMLElement, text: string, textType: TextType): void {
  if (textType === "html") {
    el.replaceChildren(htmlFragment(text));
    el.classList.add("is-html");
  } else {
    el.textContent = text;
  }
}

/** The readable text of a line (for the screen-reader announcement); never parses plain text. */
export function lineTextForSpeech(text: string, textType: TextType): string {
  if (textType !== "html") return text;
  return htmlFragment(text).textContent ?? "";
}

/**
 * For a click inside an HTML line: the link element it hit, if any, and its address when that is
 * http(s) (the only kind the shell opens). The caller always cancels the click so the webview never
 * follows a link itself.
 */
export function linkTarget(target: EventTarget | null): { link: HTMLAnchorElement; url: string | null } | null {
  const el = target instanceof Element ? target.closest("a") : null;
  if (!el || !el.closest(".line-body.is-html")) return null;
  const raw = el.getAttribute("href");
  let url: string | null = null;
  if (raw) {
    try {
      const u = new URL(raw.trim());
      if (u.protocol === "http:" || u.protocol === "https:") url = u.href;
    } catch {
      url = null;
    }
  }
  return { link: el as HTMLAnchorElement, url };
}
