// Small helpers shared by the feature views. No DOM parsing anywhere: text is always text.
import { h } from "../lib/dom";

/** The URL when it is an absolute http(s) address, else null. */
export function httpUrl(raw: unknown): URL | null {
  if (typeof raw !== "string") return null;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  return u.protocol === "http:" || u.protocol === "https:" ? u : null;
}

/** "m:ss" under an hour, "h:mm:ss" above; "—" when unknown. Negative spans count as 0. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const hrs = Math.floor(total / 3600);
  const ss = String(s).padStart(2, "0");
  return hrs > 0 ? `${hrs}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * A running chat's duration to the minute ("<1 min", "12 min", "1 h 05 min"). The panel shows this
 * rather than seconds: a text that changes every second costs WebKit a repaint every second (20 %
 * of a core measured in the desktop bench); one that changes once a minute costs nothing to speak of.
 */
export function formatLiveDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return "<1 min";
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${String(minutes % 60).padStart(2, "0")} min` : `${minutes} min`;
}

/** The message of whatever a rejected promise carried, verbatim. */
export function errorMessage(err: unknown): string {
  if (typeof err === "string") return err;
  if (err && typeof err === "object" && "message" in err && typeof (err as { message: unknown }).message === "string") {
    return (err as { message: string }).message;
  }
  return String(err);
}

/** A download link for `text` through a Blob URL (revoking `previous`, if any). */
export function downloadLink(text: string, fileName: string, mime: string, label: string, testid: string, previous?: HTMLAnchorElement | null): HTMLAnchorElement {
  if (previous?.href.startsWith("blob:")) URL.revokeObjectURL(previous.href);
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  return h("a", { class: "btn btn--small", href: url, download: fileName, "data-testid": testid, text: label });
}

let ids = 0;
/** A document-unique id with a readable prefix. */
export function uid(prefix: string): string {
  return `${prefix}-${++ids}`;
}

/** Local midnight of a `YYYY-MM-DD` date input value, or null. */
export function localDayStart(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? null : d.getTime();
}
