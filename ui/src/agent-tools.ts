// The agent's tools around the chats, wired to the shell: predefined responses in the message box
// (the `/` picker, Alt+1…9 hotkeys, suggestions, cards), the response library and the history as
// dialogs over the desk (the desk keeps running and keeps its state underneath), and the agent's
// numbers for today in the footer.
import { commands } from "./ipc";
import type { DeskState } from "./store/state";
import type { ChatKey, EngineEvent } from "./types";
import type { Composer, ComposerActions } from "./views/composer";
import { h } from "./lib/dom";
import { modal, openModal } from "./views/dialog";
import { renderResponsesSettings, type ResponsesApi, type ResponsesSettings } from "./features/responses-settings";
import { renderHistoryView, type HistoryApi, type HistoryQuery, type HistoryView } from "./features/history-view";
import { renderStatusStrip } from "./features/status-strip";
import { renderDiagnostics, type DiagnosticsView } from "./features/diagnostics";
import { renderAlertSettings, type AlertSettingsView } from "./features/alert-settings";
import type { AgentNumbers, CannedResponse, LoadFigures, TranscriptLine } from "./features/types";
import type { HistoryQuery as ShellHistoryQuery } from "./bindings/HistoryQuery";

/** Suggestions wait this long after the visitor's last line (lines often come in bursts). */
export const SUGGEST_DEBOUNCE_MS = 400;
/** The agent's numbers are fetched at most this often while the window shows. */
export const NUMBERS_EVERY_MS = 60_000;
/** After a chat ends, the numbers are fetched once the burst of events has passed. */
export const NUMBERS_AFTER_END_MS = 500;
/** Hits asked of the history per search (the view pages them). */
export const HISTORY_LIMIT = 500;

export interface ToolsHost {
  state(): DeskState;
  /** The message box of `chat`'s open pane. */
  composer(chat: ChatKey): Composer | undefined;
  /** Where the status strip goes. */
  strip(): HTMLElement;
  /** The shell accepted a line the agent sent (a card's fallback text). */
  sent(chat: ChatKey, localId: string, text: string): void;
  notify(err: unknown, chat?: ChatKey | null): void;
  info(text: string): void;
}

/** The agent's clock as `{time}` shows it: "14:05". */
export function clockHHMM(d: Date = new Date()): string {
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** The load against the agent's `maxChats` (unlimited: no maximum, no slot count). */
export function loadFigures(s: DeskState): LoadFigures {
  const activeChats = Object.values(s.chats).filter((c) => c.summary.state !== "ended").length;
  const max = s.agent?.maxChats ?? null;
  return { activeChats, maxChats: max, availableSlots: max != null ? Math.max(0, max - activeChats) : null };
}

/** The history view's query as the shell takes it (`to` is inclusive there, `untilMs` is not). */
export function shellQuery(q: HistoryQuery): ShellHistoryQuery {
  const out: ShellHistoryQuery = { limit: HISTORY_LIMIT };
  if (q.text) out.text = q.text;
  if (q.from != null) out.sinceMs = q.from;
  if (q.to != null) out.untilMs = q.to + 1;
  if (q.visitor) out.visitor = q.visitor;
  return out;
}

/**
 * For the library's reorder (the whole library's new order): each category whose order changed,
 * with its ids in the new order (the shell reorders one category at a time).
 */
export function reorderedCategories(before: CannedResponse[], ids: number[]): { category: string; ids: number[] }[] {
  const cat = new Map(before.map((r) => [r.id, r.category]));
  const old = new Map<string, number[]>();
  for (const r of [...before].sort((a, b) => a.position - b.position)) old.set(r.category, [...(old.get(r.category) ?? []), r.id]);
  const now = new Map<string, number[]>();
  for (const id of ids) {
    const c = cat.get(id);
    if (c != null) now.set(c, [...(now.get(c) ?? []), id]);
  }
  return [...now]
    .filter(([c, list]) => (old.get(c) ?? []).join() !== list.join())
    .map(([category, list]) => ({ category, ids: list }));
}

export class AgentTools {
  private responsesDialog: { dialog: HTMLDialogElement; view: ResponsesSettings } | null = null;
  private historyDialog: { dialog: HTMLDialogElement; view: HistoryView } | null = null;
  private alertsDialog: { dialog: HTMLDialogElement; view: AlertSettingsView } | null = null;
  private diagnosticsDialog: { dialog: HTMLDialogElement; view: DiagnosticsView } | null = null;
  private library: CannedResponse[] = [];
  private numbers: AgentNumbers | null = null;
  private numbersAt = 0;
  private numbersTimer = 0;
  private endTimer = 0;
  private loadKey = "";
  private suggestTimer = 0;
  private suggestSeq = 0;
  private active: ChatKey | null = null;
  private loggedIn = false;
  private returnFocus: HTMLElement | null = null;

  constructor(private host: ToolsHost) {
    document.addEventListener("visibilitychange", () => this.syncNumbersTimer());
  }

  // ---- the message box ----

  /** What every composer gets: the picker's search and fill, and sending a card. */
  composerActions(): Required<Pick<ComposerActions, "searchResponses" | "fillResponse" | "sendCard">> {
    return {
      searchResponses: (query) => commands.responsesSearch(query, 20),
      fillResponse: (chat, id) => commands.responsesFill(id, chat, clockHHMM()),
      sendCard: (chat, text, card) => {
        commands
          .sendCard(chat, text, card)
          .then((localId) => this.host.sent(chat, localId, text))
          .catch((e) => this.host.notify(e, chat));
      },
    };
  }

  /** Alt+n in a message box: the response with that hotkey, filled for the chat. */
  async insertHotkey(chat: ChatKey, n: number): Promise<void> {
    try {
      const r = (await commands.responsesList()).find((x) => x.hotkey === n);
      if (!r) {
        this.host.info(`No predefined response has the hotkey Alt+${n}. Give one that key under Responses (Alt+R).`);
        return;
      }
      await this.insert(chat, r.id);
    } catch (err) {
      this.host.notify(err, chat);
    }
  }

  /** Alt+0 in a message box: the first suggestion shown above it. */
  async insertSuggestion(chat: ChatKey): Promise<void> {
    const first = this.host.composer(chat)?.suggestions[0];
    if (!first) {
      this.host.info("No suggested response for this chat yet.");
      return;
    }
    await this.insert(chat, first.id);
  }

  private async insert(chat: ChatKey, id: number): Promise<void> {
    try {
      const filled = await commands.responsesFill(id, chat, clockHHMM());
      this.host.composer(chat)?.insertResponse(filled);
    } catch (err) {
      this.host.notify(err, chat);
    }
  }

  // ---- events and rendering ----

  onEvent(ev: EngineEvent): void {
    const s = this.host.state();
    if (ev.type === "line" && ev.source === "visitor" && ev.chat === s.active) this.scheduleSuggestions(ev.chat);
    if ((ev.type === "chatStateChanged" && ev.to === "ended") || ev.type === "chatRemoved") {
      clearTimeout(this.endTimer);
      this.endTimer = window.setTimeout(() => void this.refreshNumbers(), NUMBERS_AFTER_END_MS);
    }
  }

  /** After every render: the session, the focused chat's suggestions, the load in the strip. */
  render(s: DeskState): void {
    const loggedIn = s.session === "loggedIn";
    if (loggedIn !== this.loggedIn) {
      this.loggedIn = loggedIn;
      if (loggedIn) void this.refreshNumbers();
      else {
        this.numbers = null;
        this.loadKey = "";
        this.host.strip().replaceChildren();
        this.closeDialogs();
      }
      this.syncNumbersTimer();
    }
    if (s.active !== this.active) {
      const prev = this.active;
      this.active = s.active;
      if (prev) this.host.composer(prev)?.setSuggestions([], () => {});
      if (s.active) this.scheduleSuggestions(s.active, 0);
    }
    if (loggedIn) this.renderStrip(s);
  }

  private scheduleSuggestions(chat: ChatKey, delay = SUGGEST_DEBOUNCE_MS): void {
    clearTimeout(this.suggestTimer);
    this.suggestTimer = window.setTimeout(() => void this.fetchSuggestions(chat), delay);
  }

  private async fetchSuggestions(chat: ChatKey): Promise<void> {
    const mine = ++this.suggestSeq;
    let list: CannedResponse[];
    try {
      list = await commands.responsesSuggest(chat);
    } catch {
      return; // suggestions are a help, never an error
    }
    if (mine !== this.suggestSeq || this.host.state().active !== chat) return;
    this.host.composer(chat)?.setSuggestions(list, (r) => void this.insert(chat, r.id));
  }

  // ---- the agent's numbers ----

  async refreshNumbers(): Promise<void> {
    if (!this.loggedIn) return;
    this.numbersAt = Date.now();
    try {
      this.numbers = await commands.agentNumbers();
    } catch {
      return; // the strip keeps what it showed
    }
    this.loadKey = "";
    this.renderStrip(this.host.state());
  }

  /** A timer only while logged in and the window shows; back in view, stale numbers are fetched. */
  private syncNumbersTimer(): void {
    const want = this.loggedIn && document.visibilityState !== "hidden";
    if (!want) {
      clearInterval(this.numbersTimer);
      this.numbersTimer = 0;
      return;
    }
    if (this.numbersTimer) return;
    if (Date.now() - this.numbersAt >= NUMBERS_EVERY_MS) void this.refreshNumbers();
    this.numbersTimer = window.setInterval(() => void this.refreshNumbers(), NUMBERS_EVERY_MS);
  }

  private renderStrip(s: DeskState): void {
    if (!this.numbers) return;
    const load = loadFigures(s);
    const key = JSON.stringify(load);
    if (key === this.loadKey) return;
    this.loadKey = key;
    this.host.strip().replaceChildren(renderStatusStrip(this.numbers, load));
  }

  // ---- dialogs over the desk ----

  openResponses(): void {
    if (!this.responsesDialog) {
      const { dialog, body } = modal("Predefined responses", "responses-dialog");
      dialog.classList.add("dialog--tools");
      const view = renderResponsesSettings(this.responsesApi());
      body.append(view.el, this.closeButton(dialog, "responses-close"));
      this.watchClose(dialog);
      this.responsesDialog = { dialog, view };
    }
    const { dialog, view } = this.responsesDialog;
    this.show(dialog);
    void view.refresh();
    dialog.querySelector<HTMLElement>('[data-testid="responses-add"]')?.focus();
  }

  async openHistory(): Promise<void> {
    if (!this.historyDialog) {
      let days = 30;
      try {
        days = await commands.historyRetention();
      } catch {
        // the view shows the default; saving sets it
      }
      if (!this.historyDialog) {
        const { dialog, body } = modal("History", "history-dialog");
        dialog.classList.add("dialog--tools");
        const view = renderHistoryView(this.historyApi(), { retentionDays: days });
        body.append(view.el, this.closeButton(dialog, "history-close"));
        this.watchClose(dialog);
        this.historyDialog = { dialog, view };
      }
    }
    const { dialog, view } = this.historyDialog;
    this.show(dialog);
    void view.refresh();
    dialog.querySelector<HTMLElement>('[data-testid="history-search"]')?.focus();
  }

  /** The alert and presence preferences (issue 9), as a dialog over the desk. */
  openAlerts(): void {
    if (!this.alertsDialog) {
      const { dialog, body } = modal("Alerts and presence", "alerts-dialog");
      dialog.classList.add("dialog--tools");
      const view = renderAlertSettings({
        load: () => commands.alertSettings(),
        save: (s) => commands.setAlertSettings(s),
        preview: async (tone, volume) => {
          await commands.playTone(tone, volume);
        },
        spelling: { load: () => commands.spellLanguages(), save: (s) => commands.setSpellCheck(s) },
      });
      body.append(view.el, this.closeButton(dialog, "alerts-close"));
      this.watchClose(dialog);
      this.alertsDialog = { dialog, view };
    }
    const { dialog, view } = this.alertsDialog;
    this.show(dialog);
    void view.refresh();
    dialog.querySelector<HTMLElement>('[data-testid="alerts-attention-on"]')?.focus();
  }

  /** Diagnostics: today's alert latency (issue 9 §4). */
  openDiagnostics(): void {
    if (!this.diagnosticsDialog) {
      const { dialog, body } = modal("Diagnostics", "diagnostics-dialog");
      dialog.classList.add("dialog--tools");
      const view = renderDiagnostics({ load: () => commands.alertLatency() });
      body.append(view.el, this.closeButton(dialog, "diagnostics-close"));
      this.watchClose(dialog);
      this.diagnosticsDialog = { dialog, view };
    }
    const { dialog, view } = this.diagnosticsDialog;
    this.show(dialog);
    void view.refresh();
    dialog.querySelector<HTMLElement>('[data-testid="diagnostics-refresh"]')?.focus();
  }

  private show(dialog: HTMLDialogElement): void {
    if (dialog.open) return;
    const focused = document.activeElement;
    this.returnFocus = focused instanceof HTMLElement && focused !== document.body ? focused : null;
    openModal(dialog);
  }

  private closeButton(dialog: HTMLDialogElement, testid: string): HTMLElement {
    const close = h("button", { type: "button", class: "btn", "data-testid": testid, text: "Close" });
    close.addEventListener("click", () => dialog.close());
    return h("div", { class: "dialog-buttons" }, close);
  }

  private watchClose(dialog: HTMLDialogElement): void {
    dialog.addEventListener("close", () => {
      const back = this.returnFocus;
      this.returnFocus = null;
      if (back?.isConnected) back.focus();
    });
  }

  private closeDialogs(): void {
    for (const d of [this.responsesDialog, this.historyDialog, this.alertsDialog]) if (d?.dialog.open) d.dialog.close();
  }

  private responsesApi(): ResponsesApi {
    return {
      list: async () => (this.library = await commands.responsesList()),
      save: (d) =>
        commands.responsesSave(d.id, {
          title: d.title,
          text: d.text,
          // A response with a card is a rich-content one (its text is the fallback).
          textType: d.card != null ? "rich-content" : d.textType,
          card: d.card != null ? (d.card as Record<string, unknown>) : undefined,
          category: d.category,
          hotkey: d.hotkey ?? undefined,
        }),
      remove: (id) => commands.responsesDelete(id).then(() => undefined),
      reorder: async (ids) => {
        for (const c of reorderedCategories(this.library, ids)) await commands.responsesReorder(c.category, c.ids);
      },
      import: async (text, mode) => {
        const report = await commands.responsesImport(text, mode);
        return report.added + report.updated;
      },
      export: () => commands.responsesExport(),
      saveFile: (name, text) => commands.saveExport(name, text),
    };
  }

  private historyApi(): HistoryApi {
    const names = new Map<string, string>();
    return {
      search: async (q) => {
        const hits = await commands.historySearch(shellQuery(q));
        for (const x of hits) names.set(x.record.key, x.record.visitorName);
        return hits;
      },
      open: async (key): Promise<TranscriptLine[]> => {
        const lines = await commands.historyTranscript(key);
        const visitor = names.get(key) || "Visitor";
        return lines.map((l) => ({
          time: l.time,
          who: l.source === "visitor" ? visitor : l.source === "agent" ? (l.by && l.by !== "agent" ? l.by : "Agent") : "System",
          text: l.text,
          textType: l.textType,
        }));
      },
      plainText: (key) => commands.historyPlainText(key),
      setRetention: (days) => commands.historySetRetention(days).then(() => undefined),
      clear: () => commands.historyClear().then(() => undefined),
      saveFile: (name, text) => commands.saveExport(name, text),
    };
  }
}
