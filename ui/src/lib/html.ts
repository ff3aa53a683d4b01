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
