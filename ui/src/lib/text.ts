// Text helpers that never touch the DOM parser.

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: " " };

/** A one-line preview of a line for the chat list. The result is only ever used as text. */
export function previewText(text: string, isHtml: boolean, max = 120): string {
  let t = text;
  if (isHtml) {
    t = t.replace(/<[^>]*>/g, " ").replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, e: string) => ENTITIES[e] ?? "");
  }
  t = t.replace(/\s+/g, " ").trim();
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
}
