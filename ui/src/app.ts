// Wires the engine (through ipc.ts), the store and the views together.
import { commands, onEngineEvent, onShellEvents, reportReady } from "./ipc";
import { Store } from "./store/store";
import type { DeskState } from "./store/state";
import type { Action } from "./store/ui";
import { panesForWidth } from "./store/panes";
import type { Availability, ChatKey, EngineEvent, IpcError, LeaveRequested, WrapUp } from "./types";
import { explainError, toIpcError } from "./lib/errors";
import { LoginView, type LoginInput } from "./views/login";
import { DeskView, type DeskActions } from "./views/desk";
import { HelpOverlay } from "./views/help";
import { TransferDialog } from "./views/transfer";
import { confirmDialog } from "./views/dialog";
import { Announcer } from "./views/announcer";
import { installKeyboard } from "./keyboard/handler";
import { AgentTools } from "./agent-tools";
import { h } from "./lib/dom";
import type { ViewState } from "./bindings/ViewState";

const QUIET_RESUME: IpcError["code"][] = ["authExpired", "notLoggedIn", "badCredentials"];

export class App {
  readonly store = new Store();
  private login: LoginView;
  private desk: DeskView;
  private help = new HelpOverlay();
  private transferDialog: TransferDialog;
  private announcer: Announcer;
  private ticker = 0;
  private tickEvery = 0;
  /** Predefined responses in the message box, the library and history dialogs, the status strip. */
  readonly tools: AgentTools;
  /** The desk's footer: the agent's numbers for today. */
  private footer = h("footer", { class: "desk-footer", "aria-label": "Your numbers today", "data-testid": "desk-footer" });
  /** Events that arrive while a snapshot is on its way are replayed on top of it. */
  private buffer: EngineEvent[] | null = null;

  constructor(
    private root: HTMLElement,
    live: HTMLElement,
  ) {
    this.announcer = new Announcer(live);
    this.tools = new AgentTools({
      state: () => this.store.get(),
      composer: (chat) => this.desk.threads.pane(chat)?.composer,
      strip: () => this.footer,
      sent: (chat, localId, text) => this.store.dispatch({ type: "ui/sent", chat, localId, text }),
      notify: (err, chat) => this.notify(err, chat ?? null),
      info: (text) => this.store.dispatch({ type: "ui/notice", kind: "info", text }),
    });
    this.login = new LoginView({ login: (i) => this.doLogin(i), demo: () => this.doDemo() });
    this.desk = new DeskView(this.deskActions(), (err) => explainError(toIpcError(err)));
    this.desk.el.append(this.footer);
    this.transferDialog = new TransferDialog({ options: commands.transferOptions, transfer: commands.transfer });
    this.store.subscribe((s, prev) => this.render(s, prev));
    const panels = loadPanels();
    if (panels) this.store.dispatch({ type: "ui/panels", panels });
    installKeyboard(this);
    window.addEventListener("resize", () => this.fitPanes());
    this.fitPanes();
    this.render(this.store.get(), null);
  }

  async start(): Promise<void> {
    this.login.setStatus("Checking for a saved sign-in…");
    // Every start-up call goes out at once. What they answer is drawn only once both listeners are
    // in place, so the snapshot the desk loads after them misses no event.
    const listening = Promise.all([
      onEngineEvent((ev) => this.onEvent(ev)),
      onShellEvents({
        openChat: (p) => {
          if (p.chat && this.state.session === "loggedIn") this.open(p.chat, "split", true);
        },
        quitRequested: (p) => void this.leaveRequested("Quit", p),
        logoutRequested: (p) => void this.leaveRequested("Log out", p),
        engineLagged: () => void this.loadSnapshot(),
        unread: (counts) => this.store.dispatch({ type: "ui/unread", counts }),
        windowHidden: () => this.saveView(),
      }),
    ]);
    const resume = commands.tryResume();
    const saved = commands.viewState().catch(() => null);
    // Secondary: the top bar's toggles fill in when it comes; nothing waits for it.
    void commands
      .settings()
      .then((s) => this.desk.topbar.setSettings(s))
      .catch(() => {});
    try {
      const [, outcome] = await Promise.all([listening, resume]);
      if (outcome?.agent) {
        await this.enterDesk(outcome.agent);
        this.restoreView(await saved);
      } else if (outcome?.remembered) this.login.fill(outcome.remembered);
    } catch (err) {
      const e = toIpcError(err);
      if (!QUIET_RESUME.includes(e.code)) this.login.showError(explainError(e));
    } finally {
      this.login.setStatus("");
      if (this.store.get().session !== "loggedIn") this.login.focusFirst();
      // What the window shows first is the finished view, even where no animation frame has run.
      this.store.flush();
      reportReady();
    }
  }

  /** The window goes to the tray: drafts waiting for their delay are saved, and what the panes
   * show is left with the shell, which may release this page and build a new one later. */
  saveView(): void {
    const s = this.state;
    if (s.session !== "loggedIn") return;
    const scroll = [];
    for (const chat of s.open) {
      const pane = this.desk.threads.pane(chat);
      pane?.composer.saveDraft();
      const at = pane?.scrollPosition();
      if (at) scroll.push({ chat, line: at.key, offset: at.offset });
    }
    void commands.saveView({ open: s.open, active: s.active, scroll }).catch(() => {});
  }

  /** A page built again (after tray mode, or a reload) puts back the panes and scroll positions the
   * last one left, then opens a chat a notification asked for meanwhile. */
  private restoreView(saved: ViewState | null): void {
    if (!saved) return;
    const { view, openChat } = saved;
    if (view) {
      // Room for every pane it had (a window not shown yet may report no width; the same window
      // size fits them again, and a resize trims them).
      this.store.dispatch({ type: "ui/maxPanes", n: Math.max(this.state.maxPanes, view.open.length) });
      for (const chat of view.open) if (this.state.chats[chat]) this.store.dispatch({ type: "ui/open", chat, mode: "split" });
      if (view.active && this.state.open.includes(view.active)) this.store.dispatch({ type: "ui/open", chat: view.active, mode: "split" });
      // Draw the panes now (the store draws on animation frames, which a hidden window does not get).
      this.store.flush();
      for (const at of view.scroll) this.desk.threads.pane(at.chat)?.restoreScroll({ key: at.line, offset: at.offset });
    }
    if (openChat && this.state.chats[openChat]) this.open(openChat, "split", true);
  }

  dispatch(a: Action): void {
    this.store.dispatch(a);
  }

  get state(): DeskState {
    return this.store.get();
  }

  // ---- engine events ----

  private onEvent(ev: EngineEvent): void {
    if (this.buffer) this.buffer.push(ev);
    const before = this.store.get();
    this.store.dispatch(ev);
    if (ev.type === "line") this.announcer.visitorLine(ev, this.store.get());
    if (ev.type === "chatAccepted") this.store.dispatch({ type: "ui/open", chat: ev.chat, mode: "split" });
    this.tools.onEvent(ev);
    // Banners tick every second, so they are not live regions; changes are announced once here.
    if (ev.type === "ringing" && before.ringing == null) this.announcer.say("A chat is ringing. Press Control Shift A to accept.");
    if (ev.type === "connection" && ev.state !== before.connection.state && before.session === "loggedIn") {
      this.announcer.say(ev.state === "online" ? "Connected to the server again." : ev.state === "retrying" ? "Cannot reach the server. Retrying." : "");
    }
    if (ev.type === "availability" && ev.byServer && ev.availability === "Away") this.announcer.say("The server set you to Away.");
    if (ev.type === "wrapUp") this.announceWrapUp(ev.wrapUp, before);
    if (ev.type === "session" && ev.state === "loggedIn" && before.session !== "loggedIn") void this.loadSnapshot();
  }

  /** A wrap-up finished: said once, politely (only when the desk had it listed). */
  private announceWrapUp(w: WrapUp, before: DeskState): void {
    if (!before.wrapUps.some((x) => x.chat === w.chat)) return;
    const name = w.visitorName || "the visitor";
    if (w.state === "done") this.announcer.say(`Wrap-up for ${name} sent.`);
    else if (w.state === "skipped") this.announcer.say(`Wrap-up for ${name} skipped.`);
  }

  private async loadSnapshot(): Promise<void> {
    if (this.buffer) return;
    this.buffer = [];
    try {
      const snapshot = await commands.snapshot();
      const missed = this.buffer;
      this.buffer = null;
      this.store.dispatch({ type: "ui/snapshot", snapshot });
      for (const ev of missed) this.store.dispatch(ev);
      // A reloaded page: the shell learns what it shows and answers with its unread counts.
      this.showChats(this.state.open);
    } catch (err) {
      this.buffer = null;
      this.notify(err);
    }
  }

  // ---- login ----

  private async doLogin(i: LoginInput): Promise<void> {
    try {
      // The CA goes only when one was pasted (the form is the same shape as before without it).
      const agent = await commands.login({ server: i.server, account: i.account, user: i.user, password: i.password, ...(i.extraCaPem ? { extraCaPem: i.extraCaPem } : {}) });
      await this.enterDesk(agent);
    } catch (err) {
      this.login.showError(explainError(toIpcError(err)));
    }
  }

  private async doDemo(): Promise<void> {
    try {
      const agent = await commands.startDemo();
      await this.enterDesk(agent);
    } catch (err) {
      this.login.showError(explainError(toIpcError(err)));
    }
  }

  private async enterDesk(agent: DeskState["agent"]): Promise<void> {
    this.store.dispatch({ type: "ui/loggedIn", agent });
    await this.loadSnapshot();
  }

  // ---- rendering ----

  private render(s: DeskState, prev: DeskState | null): void {
    const loggedIn = s.session === "loggedIn";
    const view = loggedIn ? this.desk.el : this.login.el;
    if (this.root.firstElementChild !== view) {
      this.root.replaceChildren(view);
      if (!loggedIn) this.login.focusFirst();
      else this.desk.chatList.focus();
    }
    if (loggedIn) this.desk.update(s, Date.now());
    this.tools.render(s);
    if (loggedIn && prev && !sameChats(prev.open, s.open)) this.showChats(s.open);
    // The window title (with its unread/ringing marks) belongs to the shell: the page leaves it alone.
    this.syncTicker();
  }

  /** Tells the shell which chats the panes show (opening one reads it); applies the counts it returns. */
  private showChats(open: ChatKey[]): void {
    void commands
      .showChats(open)
      .then((counts) => this.store.dispatch({ type: "ui/unread", counts }))
      .catch(() => {});
  }

  /** One timer at the period the desk asks for (250 ms while something counts down, 10 s for the
   * customer panels' minute-long durations), none when nothing needs it. */
  private syncTicker(): void {
    const every = this.state.session === "loggedIn" ? this.desk.tickPeriod : 0;
    if (every === this.tickEvery) return;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = every ? window.setInterval(() => this.tick(), every) : 0;
    this.tickEvery = every;
    if (every) this.desk.tick(Date.now());
  }

  private tick(): void {
    this.desk.tick(Date.now());
    this.syncTicker();
  }

  private fitPanes(): void {
    // A window not yet shown (built again after tray mode) has no width: keep the panes until it has.
    if (window.innerWidth <= 0) return;
    this.store.dispatch({ type: "ui/maxPanes", n: panesForWidth(window.innerWidth) });
  }

  notify(err: unknown, chat: ChatKey | null = null): void {
    this.store.dispatch({ type: "ui/notice", kind: "error", text: explainError(toIpcError(err)), chat });
  }

  // ---- what the agent does ----

  async accept(): Promise<void> {
    try {
      const chat = await commands.accept();
      if (chat) this.open(chat, "split", true);
    } catch (err) {
      this.notify(err);
    }
  }

  open(chat: ChatKey, mode: "split" | "replace", focusComposer = false): void {
    this.store.dispatch({ type: "ui/open", chat, mode });
    if (focusComposer) this.focusComposer();
  }

  focusComposer(): void {
    this.store.flush();
    const s = this.store.get();
    this.desk.threads.pane(s.active ?? s.open[0] ?? null)?.composer.focus();
  }

  focusChatList(): void {
    this.desk.chatList.focus();
  }

  /** Shows or collapses the customer panel of `chat` (the active pane by default). */
  /** The chat's transcript (from the local store) on the clipboard, or a clear notice why not. */
  async copyTranscript(chat: ChatKey): Promise<void> {
    try {
      const text = await commands.historyPlainText(chat);
      await navigator.clipboard.writeText(text);
      this.store.dispatch({ type: "ui/notice", kind: "info", text: "The chat's transcript is on the clipboard." });
    } catch (e) {
      this.notify(e, chat);
    }
  }

  togglePanel(chat: ChatKey | null = this.state.active): void {
    if (!chat || !this.state.open.includes(chat)) return;
    this.store.dispatch({ type: "ui/togglePanel", chat });
    savePanels(this.store.get().panels);
  }

  toggleHelp(): void {
    this.help.toggle();
  }

  get dialogOpen(): boolean {
    return document.querySelector("dialog[open]") != null;
  }

  async endChat(chat: ChatKey | null = this.state.active): Promise<void> {
    if (!chat) return;
    const name = this.state.chats[chat]?.summary.visitorName || "the visitor";
    if (!(await confirmDialog("End chat", `End the chat with ${name}?`, "End chat"))) return;
    try {
      await commands.endChat(chat);
    } catch (err) {
      this.notify(err, chat);
    }
  }

  transfer(chat: ChatKey | null = this.state.active): void {
    if (!chat) return;
    void this.transferDialog.open(chat, this.state.chats[chat]?.summary.visitorName || "the visitor");
  }

  async setAvailability(a: Availability): Promise<void> {
    try {
      await commands.setAvailability(a);
    } catch (err) {
      this.notify(err);
      this.desk.topbar.update(this.state); // put the select back to what the engine says
    }
  }

  /** Logging out or quitting returns the agent's chats to the queue: the shell says when to warn. */
  private confirmLeaving(verb: "Log out" | "Quit", count: number, message?: string): Promise<boolean> {
    const chats = count === 1 ? "1 active chat" : `${count} active chats`;
    const text =
      message ||
      `You have ${chats}. If you ${verb.toLowerCase()} now, the server returns ${count === 1 ? "it" : "them"} to the queue for another agent.`;
    return confirmDialog(verb, text, `${verb} anyway`);
  }

  async logout(): Promise<void> {
    try {
      let out = await commands.logout(false);
      if (!out.loggedOut) {
        if (!(await this.confirmLeaving("Log out", out.activeChatCount))) return;
        out = await commands.logout(true);
      }
      if (out.loggedOut) this.store.dispatch({ type: "ui/reset" });
    } catch (err) {
      this.notify(err);
    }
  }

  async quit(confirmed = false): Promise<void> {
    try {
      let d = await commands.quit(confirmed);
      if (d.kind === "mustWarn") {
        if (!(await this.confirmLeaving("Quit", d.activeChats))) return;
        d = await commands.quit(true);
      }
      if (d.kind === "mustFlushOutbox") {
        const n = d.pendingLines;
        this.store.dispatch({ type: "ui/notice", kind: "info", text: `Sending ${n} unsent line${n === 1 ? "" : "s"}, then quitting…` });
      }
    } catch {
      window.close();
    }
  }

  /** The tray asked to quit or log out while chats are open. */
  private async leaveRequested(verb: "Log out" | "Quit", p: LeaveRequested): Promise<void> {
    if (!(await this.confirmLeaving(verb, p.activeChatCount, p.message))) return;
    if (verb === "Quit") await this.quit(true);
    else {
      try {
        const out = await commands.logout(true);
        if (out.loggedOut) this.store.dispatch({ type: "ui/reset" });
      } catch (err) {
        this.notify(err);
      }
    }
  }

  private deskActions(): DeskActions {
    return {
      accept: () => void this.accept(),
      open: (chat, mode, focus) => this.open(chat, mode, focus),
      dismiss: (id) => this.store.dispatch({ type: "ui/dismiss", id }),
      setAvailability: (a) => void this.setAvailability(a),
      help: () => this.toggleHelp(),
      openResponses: () => this.tools.openResponses(),
      openHistory: () => void this.tools.openHistory(),
      openAlerts: () => this.tools.openAlerts(),
      logout: () => void this.logout(),
      quit: () => void this.quit(),
      mute: (m) =>
        void commands
          .setMuted(m)
          .then((st) => this.desk.topbar.setSettings(st))
          .catch((e) => this.notify(e)),
      autoAccept: (on) =>
        void commands
          .setAutoAccept(on)
          .then((st) => this.desk.topbar.setSettings(st))
          .catch((e) => this.notify(e)),
      send: (chat, text, agentOnly, textType) => {
        commands
          .sendLine(chat, text, textType ?? "plain", agentOnly)
          .then((localId) => this.store.dispatch({ type: "ui/sent", chat, localId, text, agentOnly }))
          .catch((e) => this.notify(e, chat));
      },
      draft: (chat, text) => {
        this.store.dispatch({ type: "ui/draft", chat, text });
        void commands.saveDraft(chat, text).catch(() => {});
      },
      typing: (chat, typing) => void commands.setTyping(chat, typing).catch(() => {}),
      ...this.tools.composerActions(),
      retry: (localId) => void commands.retryLine(localId).catch((e) => this.notify(e)),
      end: (chat) => void this.endChat(chat),
      transfer: (chat) => this.transfer(chat),
      close: (chat) => this.store.dispatch({ type: "ui/close", chat }),
      loadImage: (url) => commands.fetchImage(url),
      openLink: (url) => void commands.openLink(url).catch((e) => this.notify(e)),
      togglePanel: (chat) => this.togglePanel(chat),
      copyTranscript: (chat) => void this.copyTranscript(chat),
      submitWrapUp: async (chat, answers) => {
        await commands.submitWrapUp(chat, answers);
      },
      skipWrapUp: async (chat) => {
        await commands.skipWrapUp(chat);
      },
      activate: (chat) => {
        // A pane can get focus after its chat left the desk but before the next frame removes it
        // (the transfer dialog hands focus back to its Transfer button): do not bring the chat back.
        if (this.state.active !== chat && this.state.chats[chat]) this.store.dispatch({ type: "ui/open", chat, mode: "replace" });
      },
    };
  }
}

function sameChats(a: ChatKey[], b: ChatKey[]): boolean {
  return a === b || (a.length === b.length && a.every((k, i) => k === b[i]));
}

// The customer panels' shown/collapsed choices last the session (a reload keeps them).
const PANELS_KEY = "agent-desk.customer-panels";

function loadPanels(): DeskState["panels"] | null {
  try {
    const raw = window.sessionStorage.getItem(PANELS_KEY);
    const v: unknown = raw ? JSON.parse(raw) : null;
    if (!v || typeof v !== "object") return null;
    const { shown, chats } = v as { shown?: unknown; chats?: unknown };
    if (typeof shown !== "boolean" || !chats || typeof chats !== "object") return null;
    const clean: Record<string, boolean> = {};
    for (const [k, b] of Object.entries(chats)) if (typeof b === "boolean") clean[k] = b;
    return { shown, chats: clean };
  } catch {
    return null;
  }
}

function savePanels(p: DeskState["panels"]): void {
  try {
    window.sessionStorage.setItem(PANELS_KEY, JSON.stringify(p));
  } catch {
    // storage unavailable: the choice lasts until the page reloads
  }
}
