// The history view: search past chats (debounced; an older answer never overwrites a newer one),
// filter by date and visitor, open one read-only, copy it as text or save it as a .txt file, and the
// retention setting with "Clear history now". Snippets mark matches with U+E000…U+E001, which become
// <mark> elements around text nodes: nothing in a snippet is ever parsed.
import { h } from "../lib/dom";
import { setLineBody } from "../lib/html";
import { clockTime, fullTime } from "../lib/time";
import { confirmDialog } from "../views/dialog";
import type { ChatRecord, HistoryHit, TranscriptLine } from "./types";
import { downloadLink, errorMessage, formatDuration, localDayStart, uid } from "./util";

export const HISTORY_DEBOUNCE_MS = 250;
export const RESULTS_PAGE = 200;
export const LINES_PAGE = 1000;
export const MARK_OPEN = "\uE000";
export const MARK_CLOSE = "\uE001";

export interface HistoryQuery {
  text: string;
  /** Epoch ms, inclusive. */
  from: number | null;
  /** Epoch ms, inclusive. */
  to: number | null;
  visitor: string | null;
}

export interface HistoryApi {
  search(q: HistoryQuery): Promise<HistoryHit[]>;
  open(key: string): Promise<TranscriptLine[]>;
  plainText(key: string): Promise<string>;
  setRetention(days: number): Promise<void>;
  clear(): Promise<void>;
  /** Defaults to the app's confirm dialog. */
  confirm?(title: string, message: string, ok: string): Promise<boolean>;
  /** Defaults to `navigator.clipboard.writeText`. */
  writeClipboard?(text: string): Promise<void>;
  /** Saves an export as a file and resolves to where it went; without it, a download link. */
  saveFile?(name: string, text: string): Promise<string>;
}

export interface HistoryOptions {
  retentionDays: number;
  /** Clock for "today" in dates; defaults to Date.now. */
  now?(): number;
}

export interface HistoryView {
  readonly el: HTMLElement;
  /** Runs the search now (e.g. when the view is shown). */
  refresh(): Promise<void>;
  destroy(): void;
}

/** Text and <mark> nodes for a snippet with U+E000…U+E001 match markers. */
export function snippetNodes(s: string): Node[] {
  const out: Node[] = [];
  let buf = "";
  let mark: HTMLElement | null = null;
  const flush = () => {
    if (!buf) return;
    if (mark) mark.append(document.createTextNode(buf));
    else out.push(document.createTextNode(buf));
    buf = "";
  };
  for (const ch of s) {
    if (ch === MARK_OPEN) {
      if (mark) continue;
      flush();
      mark = document.createElement("mark");
    } else if (ch === MARK_CLOSE) {
      if (!mark) continue;
      flush();
      if (mark.childNodes.length) out.push(mark);
      mark = null;
    } else buf += ch;
  }
  flush();
  if (mark && mark.childNodes.length) out.push(mark);
  return out;
}

/** The search's date bounds from two `YYYY-MM-DD` inputs (local days, both inclusive). */
export function dayRange(from: string, to: string): { from: number | null; to: number | null } {
  const f = localDayStart(from);
  const t0 = localDayStart(to);
  let t: number | null = null;
  if (t0 != null) {
    const d = new Date(t0);
    t = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime() - 1;
  }
  return { from: f, to: t };
}

/** Newest first (by start, else end); unknown times last. */
export function newestFirst(hits: HistoryHit[]): HistoryHit[] {
  const t = (r: ChatRecord) => r.startedAt ?? r.endedAt ?? -Infinity;
  return hits.map((x, i) => ({ x, i })).sort((a, b) => t(b.x.record) - t(a.x.record) || a.i - b.i).map((p) => p.x);
}

/** "chat-Vera_Smith-2024-05-01.txt" */
export function exportFileName(r: ChatRecord): string {
  const name = (r.visitorName || "visitor").replace(/[^\p{L}\p{N}_-]+/gu, "_").replace(/^_+|_+$/g, "").slice(0, 40) || "visitor";
  const t = r.startedAt ?? r.endedAt;
  let day = "";
  if (t != null) {
    const d = new Date(t);
    day = `-${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  }
  return `chat-${name}${day}.txt`;
}

export function renderHistoryView(api: HistoryApi, opts: HistoryOptions): HistoryView {
  const now = opts.now ?? Date.now;
  const ask = api.confirm ?? ((t: string, m: string, ok: string) => confirmDialog(t, m, ok));
  const writeClipboard =
    api.writeClipboard ??
    ((text: string) => {
      const cb = typeof navigator !== "undefined" ? navigator.clipboard : undefined;
      if (!cb?.writeText) return Promise.reject(new Error("no clipboard"));
      return cb.writeText(text);
    });

  // --- search form
  const fid = uid("history");
  const text = h("input", { id: `${fid}-q`, type: "search", placeholder: "Words in the chat", autocomplete: "off", "data-testid": "history-search" });
  const from = h("input", { id: `${fid}-from`, type: "date", "data-testid": "history-from" });
  const to = h("input", { id: `${fid}-to`, type: "date", "data-testid": "history-to" });
  const visitor = h("input", { id: `${fid}-visitor`, type: "text", autocomplete: "off", "data-testid": "history-visitor" });
  const searchForm = h(
    "form",
    { class: "history-search", role: "search", "aria-label": "Search past chats" },
    h("label", { class: "field history-search-text", for: text.id }, h("span", { text: "Search" }), text),
    h("label", { class: "field", for: from.id }, h("span", { text: "From" }), from),
    h("label", { class: "field", for: to.id }, h("span", { text: "To" }), to),
    h("label", { class: "field history-search-visitor", for: visitor.id }, h("span", { text: "Visitor" }), visitor),
  );
  const status = h("p", { class: "history-status", role: "status", "data-testid": "history-status" });
  const results = h("ul", { class: "history-results", "aria-label": "Past chats", "data-testid": "history-results" });
  const more = h("button", { type: "button", class: "btn btn--small", hidden: true, "data-testid": "history-more" });

  // --- transcript
  const tTitle = h("h3", { class: "history-t-title", id: `${fid}-t-title`, "data-testid": "history-transcript-title" });
  const tMeta = h("p", { class: "history-t-meta", "data-testid": "history-transcript-meta" });
  const copyBtn = h("button", { type: "button", class: "btn btn--small", "data-testid": "history-copy", text: "Copy as text" });
  const exportBtn = h("button", { type: "button", class: "btn btn--small", "data-testid": "history-export", text: "Export…" });
  const closeBtn = h("button", { type: "button", class: "btn btn--small btn--ghost", "aria-label": "Close transcript", "data-testid": "history-close-transcript", text: "Close" });
  const tMsg = h("p", { class: "history-t-msg", role: "status", "data-testid": "history-copy-status" });
  const tActions = h("div", { class: "history-t-actions" }, copyBtn, exportBtn, closeBtn);
  const fallback = h("textarea", { class: "history-fallback", readonly: true, rows: 6, "aria-label": "Transcript text to copy", hidden: true, "data-testid": "history-copy-fallback" });
  const lines = h("ol", { class: "history-lines", "aria-label": "Transcript", "data-testid": "history-lines" });
  const moreLines = h("button", { type: "button", class: "btn btn--small", hidden: true, "data-testid": "history-more-lines" });
  const transcript = h(
    "section",
    { class: "history-transcript", "aria-labelledby": tTitle.id, hidden: true, tabindex: -1, "data-testid": "history-transcript" },
    h("div", { class: "history-t-head" }, h("div", {}, tTitle, tMeta), tActions),
    tMsg,
    fallback,
    lines,
    moreLines,
  );

  // --- settings
  const retention = h("input", { id: `${fid}-ret`, type: "number", min: 1, max: 365, step: 1, value: opts.retentionDays, "data-testid": "history-retention" });
  const retSave = h("button", { type: "button", class: "btn btn--small", "data-testid": "history-retention-save", text: "Save" });
  const clearBtn = h("button", { type: "button", class: "btn btn--small btn--danger", "data-testid": "history-clear", text: "Clear history now" });
  const setMsg = h("p", { class: "history-settings-msg", role: "status", "data-testid": "history-settings-status" });
  const settings = h(
    "section",
    { class: "history-settings", "aria-label": "History settings" },
    h("h3", { class: "history-sub", text: "Keeping history" }),
    h(
      "div",
      { class: "history-settings-row" },
      h("label", { for: retention.id, text: "Keep chats for (days)" }),
      retention,
      retSave,
      clearBtn,
    ),
    setMsg,
  );

  const el = h(
    "section",
    { class: "history", "aria-label": "History", "data-testid": "history-view" },
    h("div", { class: "history-main" }, searchForm, status, results, more),
    transcript,
    settings,
  );

  // --- behaviour
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  let hits: HistoryHit[] = [];
  let shown = 0;
  let openSeq = 0;
  let openKey: string | null = null;
  let openRecord: ChatRecord | null = null;
  let allLines: TranscriptLine[] = [];
  let shownLines = 0;
  let exportLink: HTMLAnchorElement | null = null;

  const query = (): HistoryQuery | string => {
    const range = dayRange(from.value, to.value);
    if (range.from != null && range.to != null && range.from > range.to) return "The From date is after the To date.";
    return { text: text.value.trim(), from: range.from, to: range.to, visitor: visitor.value.trim() || null };
  };

  const renderHit = (hit: HistoryHit): HTMLElement => {
    const r = hit.record;
    const when = r.startedAt ?? r.endedAt;
    const dur = r.startedAt != null && r.endedAt != null ? formatDuration(r.endedAt - r.startedAt) : null;
    const btn = h(
      "button",
      { type: "button", class: "history-hit", "data-testid": "history-result", "data-chat": r.key },
      h(
        "span",
        { class: "history-hit-head" },
        h("span", { class: "history-hit-name", "data-testid": "history-result-name", text: r.visitorName || "Visitor" }),
        when != null ? h("time", { class: "history-hit-time", datetime: new Date(when).toISOString(), title: fullTime(when), text: clockTime(when, now()) }) : null,
      ),
      h(
        "span",
        { class: "history-hit-meta" },
        [r.skill, `${r.lineCount} line${r.lineCount === 1 ? "" : "s"}`, dur, r.endReason].filter(Boolean).join(" · "),
      ),
      hit.snippet ? h("span", { class: "history-hit-snippet", "data-testid": "history-result-snippet" }, ...snippetNodes(hit.snippet)) : null,
    );
    btn.addEventListener("click", () => void openChat(r));
    return h("li", {}, btn);
  };

  const renderMore = () => {
    const left = hits.length - shown;
    more.hidden = left <= 0;
    more.textContent = `Show more (${left} more)`;
  };

  const showPage = () => {
    const next = hits.slice(shown, shown + RESULTS_PAGE);
    results.append(...next.map(renderHit));
    shown += next.length;
    renderMore();
  };

  const runSearch = async (): Promise<void> => {
    clearTimeout(timer);
    const q = query();
    const mine = ++seq;
    if (typeof q === "string") {
      status.textContent = q;
      return;
    }
    status.textContent = "Searching…";
    try {
      const res = await api.search(q);
      if (mine !== seq) return;
      hits = newestFirst(Array.isArray(res) ? res : []);
      shown = 0;
      results.replaceChildren();
      showPage();
      status.textContent = hits.length ? `${hits.length} chat${hits.length === 1 ? "" : "s"} found` : "No chats found";
    } catch (err) {
      if (mine !== seq) return;
      status.textContent = `Search failed: ${errorMessage(err)}`;
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void runSearch(), HISTORY_DEBOUNCE_MS);
  };

  const renderLinePage = () => {
    const next = allLines.slice(shownLines, shownLines + LINES_PAGE);
    lines.append(
      ...next.map((l) => {
        const body = h("div", { class: "history-line-body" });
        setLineBody(body, l.text, l.textType);
        return h(
          "li",
          { class: "history-line", "data-testid": "history-line" },
          h(
            "div",
            { class: "history-line-meta" },
            h("span", { class: "history-line-who", text: l.who }),
            l.time != null ? h("time", { datetime: new Date(l.time).toISOString(), title: fullTime(l.time), text: clockTime(l.time, now()) }) : null,
          ),
          body,
        );
      }),
    );
    shownLines += next.length;
    const left = allLines.length - shownLines;
    moreLines.hidden = left <= 0;
    moreLines.textContent = `Show more lines (${left} more)`;
  };

  const setTranscriptMessage = (msg: string) => {
    tMsg.textContent = msg;
  };

  const openChat = async (r: ChatRecord): Promise<void> => {
    const mine = ++openSeq;
    openKey = r.key;
    openRecord = r;
    transcript.hidden = false;
    transcript.dataset.chat = r.key;
    tTitle.textContent = `Chat with ${r.visitorName || "Visitor"}`;
    const when = r.startedAt ?? r.endedAt;
    tMeta.textContent = [when != null ? fullTime(when) : null, r.skill, r.endReason].filter(Boolean).join(" · ");
    lines.replaceChildren();
    allLines = [];
    shownLines = 0;
    moreLines.hidden = true;
    fallback.hidden = true;
    exportLink?.remove();
    setTranscriptMessage("Loading…");
    transcript.focus();
    try {
      const ls = await api.open(r.key);
      if (mine !== openSeq) return;
      allLines = Array.isArray(ls) ? ls : [];
      setTranscriptMessage(allLines.length ? "" : "This chat has no lines.");
      renderLinePage();
    } catch (err) {
      if (mine !== openSeq) return;
      setTranscriptMessage(`The chat could not be opened: ${errorMessage(err)}`);
    }
  };

  const closeTranscript = () => {
    const key = openKey;
    openSeq++;
    openKey = null;
    openRecord = null;
    transcript.hidden = true;
    lines.replaceChildren();
    allLines = [];
    const back = Array.from(results.querySelectorAll<HTMLElement>('[data-testid="history-result"]')).find((b) => b.dataset.chat === key);
    back?.focus();
  };

  text.addEventListener("input", schedule);
  visitor.addEventListener("input", schedule);
  from.addEventListener("change", schedule);
  to.addEventListener("change", schedule);
  searchForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void runSearch();
  });
  more.addEventListener("click", () => {
    const focusIndex = shown;
    showPage();
    results.querySelectorAll<HTMLElement>('[data-testid="history-result"]')[focusIndex]?.focus();
  });
  moreLines.addEventListener("click", renderLinePage);
  results.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const btns = Array.from(results.querySelectorAll<HTMLElement>('[data-testid="history-result"]'));
    const i = btns.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    e.preventDefault();
    btns[Math.max(0, Math.min(btns.length - 1, i + (e.key === "ArrowDown" ? 1 : -1)))]?.focus();
  });
  transcript.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      closeTranscript();
    }
  });
  closeBtn.addEventListener("click", closeTranscript);

  copyBtn.addEventListener("click", async () => {
    const key = openKey;
    if (!key) return;
    fallback.hidden = true;
    let body: string;
    try {
      body = await api.plainText(key);
    } catch (err) {
      setTranscriptMessage(`Could not get the transcript: ${errorMessage(err)}`);
      return;
    }
    if (key !== openKey) return;
    try {
      await writeClipboard(body);
      setTranscriptMessage("Copied to the clipboard.");
    } catch {
      fallback.value = body;
      fallback.hidden = false;
      fallback.focus();
      fallback.select();
      setTranscriptMessage("The clipboard is not available: the text is selected below, copy it with Ctrl+C.");
    }
  });

  exportBtn.addEventListener("click", async () => {
    const key = openKey;
    const rec = openRecord;
    if (!key || !rec) return;
    try {
      const body = await api.plainText(key);
      if (key !== openKey) return;
      const name = exportFileName(rec);
      if (api.saveFile) {
        const path = await api.saveFile(name, body);
        setTranscriptMessage(`Saved to ${path}`);
        return;
      }
      const link = downloadLink(body, name, "text/plain;charset=utf-8", `Download ${name}`, "history-export-link", exportLink);
      exportLink?.remove();
      exportLink = link;
      tActions.append(link);
      link.focus();
      setTranscriptMessage(`Ready: ${name}`);
    } catch (err) {
      setTranscriptMessage(`Could not export the chat: ${errorMessage(err)}`);
    }
  });

  retSave.addEventListener("click", async () => {
    const n = Number(retention.value);
    if (!Number.isInteger(n) || n < 1 || n > 365) {
      retention.setAttribute("aria-invalid", "true");
      setMsg.textContent = "Enter a whole number of days from 1 to 365.";
      return;
    }
    retention.removeAttribute("aria-invalid");
    retSave.disabled = true;
    try {
      await api.setRetention(n);
      setMsg.textContent = `Chats are kept for ${n} day${n === 1 ? "" : "s"}.`;
    } catch (err) {
      setMsg.textContent = `Could not save: ${errorMessage(err)}`;
    } finally {
      retSave.disabled = false;
    }
  });

  clearBtn.addEventListener("click", async () => {
    const ok = await ask("Clear history", "Delete every stored chat transcript now? This cannot be undone.", "Clear history");
    if (!ok) return;
    clearBtn.disabled = true;
    try {
      await api.clear();
      seq++;
      hits = [];
      shown = 0;
      results.replaceChildren();
      renderMore();
      if (openKey) closeTranscript();
      status.textContent = "";
      setMsg.textContent = "History cleared.";
    } catch (err) {
      setMsg.textContent = `Could not clear the history: ${errorMessage(err)}`;
    } finally {
      clearBtn.disabled = false;
    }
  });

  return {
    el,
    refresh: runSearch,
    destroy() {
      clearTimeout(timer);
      seq++;
      openSeq++;
      if (exportLink?.href.startsWith("blob:")) URL.revokeObjectURL(exportLink.href);
    },
  };
}
