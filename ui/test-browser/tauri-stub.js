// A stand-in for the Tauri shell in headless Chromium: implements the parts of
// window.__TAURI_INTERNALS__ that @tauri-apps/api uses (invoke, callbacks, event listeners) and a
// small fake engine behind the commands. Tests drive it through window.__stub. Injected with
// page.addInitScript from this file; never inlined into the page.
(() => {
  const callbacks = new Map();
  const listeners = new Map(); // event name -> Set of callback ids
  let nextCb = 1;
  let nextLocal = 1;
  let nextEvent = 100000;
  const later = (fn, ms = 10) => setTimeout(fn, ms);

  const profile = (user) => ({
    account: "90412345",
    loginName: user,
    nickname: user.charAt(0).toUpperCase() + user.slice(1),
    agentId: "5001",
    maxChats: 4,
    skills: [{ id: "1001", name: "Sales" }, { id: "1002", name: "Billing" }],
  });

  const stub = {
    calls: [],
    handlers: {},
    /** Chats the fake engine knows: key -> ChatSnapshot */
    chats: {},
    ringing: null,
    loggedIn: false,
    failNextSend: false,
    agent: null,
    /** Like the shell, the stub owns the unread counts: visitor lines of chats the page does not show. */
    unread: {},
    unreadSeq: 0,
    shown: [],

    emit(payload) {
      this.emitShell("engine-event", payload);
    },
    /** Any of the shell's channels: engine-event, open-chat, quit-requested, logout-requested, engine-lagged. */
    emitShell(event, payload) {
      for (const id of listeners.get(event) ?? []) {
        const cb = callbacks.get(id);
        if (cb) cb({ event, id, payload });
      }
    },
    settings: { muted: false, autoAccept: false, remembered: null },
    callsOf(cmd) {
      return this.calls.filter((c) => c.cmd === cmd);
    },
    summary(key, name, state = "chatting", extra = {}) {
      return {
        chat: key,
        state,
        visitorName: name,
        agentName: "Ann",
        skill: "Sales",
        startTime: Date.now() - 60000,
        origin: "accepted",
        acceptedAt: Date.now() - 45000,
        chatTimeout: 40,
        participantId: null,
        agents: ["Ann"],
        ...extra,
      };
    },
    line(key, id, source, text, extra = {}) {
      return { chat: key, id, time: Date.now(), source, by: source === "visitor" ? "visitor" : source === "system" ? "info" : "Ann", text, textType: "plain", systemMessageId: null, agentOnly: false, localId: null, card: null, ...extra };
    },
    /** A chat already on the desk (before the snapshot is taken). */
    addChat(key, name, lines = [], extra = {}) {
      this.chats[key] = { summary: this.summary(key, name, "chatting", extra), lines, outbox: [], visitorTyping: false, draft: null, customer: null };
    },
    /** Push a chat onto the desk live, as the engine would. */
    pushChat(key, name, lines = [], extra = {}) {
      this.addChat(key, name, [], extra);
      this.emit({ type: "chatUpdated", summary: this.chats[key].summary });
      this.emit({ type: "chatStateChanged", chat: key, from: null, to: "chatting" });
      for (const l of lines) this.pushLine(l);
    },
    pushLine(line) {
      const c = this.chats[line.chat];
      if (c) c.lines.push(line);
      this.emit({ type: "line", ...line });
      if (line.source === "visitor" && !this.shown.includes(line.chat)) {
        this.unread[line.chat] = (this.unread[line.chat] ?? 0) + 1;
        this.sendUnread();
      }
    },
    unreadCounts() {
      return { seq: this.unreadSeq, chats: { ...this.unread } };
    },
    /** The counts changed: a new `seq`, sent on the `unread` channel. */
    sendUnread() {
      this.unreadSeq += 1;
      this.emitShell("unread", this.unreadCounts());
    },
    /** Sets the counts as the shell would (tests). */
    setUnread(chats) {
      this.unread = { ...chats };
      this.sendUnread();
    },
    /** Wrap-ups the fake engine holds (open, submitting, failed), as `DeskSnapshot.wrapUps`. */
    wrapUps: [],
    /** The simulator's wrap-up survey, in the engine's shape. */
    survey() {
      const q = (id, order, kind, label, extra = {}) => ({ id, logicId: null, order, mandatory: false, kind, validation: "none", label, lastKnownValue: null, entries: [], ...extra });
      const e = (value, extra = {}) => ({ value, checked: false, showLogicId: null, ...extra });
      return {
        title: "Sales wrap-up",
        header: "How did the chat go?",
        questions: [
          q("12786270", 0, "dropdown", "Contact reason", { mandatory: true, entries: [e("Order status"), e("Refund"), e("Other")] }),
          q("12786271", 1, "radio", "Resolved?", { mandatory: true, entries: [e("Yes", { checked: true }), e("No")] }),
          q("12786272", 2, "checkbox", "Follow-up needed", { entries: [e("Yes", { showLogicId: "4" })] }),
          q("12786273", 3, "text", "Follow-up email", { logicId: "4", mandatory: true, validation: "email" }),
          q("12786274", 4, "text", "Order number", { validation: "numeric", lastKnownValue: "100245" }),
        ],
      };
    },
    /** The chat ended and the account has a survey: the engine offers the wrap-up. */
    offerWrapUp(key) {
      const name = this.chats[key]?.summary.visitorName ?? "Visitor";
      const w = { chat: key, visitorName: name, survey: this.survey(), state: "open", answers: [], error: null };
      this.wrapUps.push(w);
      this.emit({ type: "wrapUp", wrapUp: w });
    },
    setWrapUp(key, state, extra = {}) {
      const i = this.wrapUps.findIndex((w) => w.chat === key);
      if (i < 0) return;
      const w = { ...this.wrapUps[i], state, ...extra };
      if (state === "done" || state === "skipped") this.wrapUps.splice(i, 1);
      else this.wrapUps[i] = w;
      this.emit({ type: "wrapUp", wrapUp: w });
    },
    /** The engine fetched an authenticated visitor's details. */
    customer(key, info) {
      if (this.chats[key]) this.chats[key].customer = info;
      this.emit({ type: "customer", chat: key, info });
    },
    /** Answers for `submit_wrap_up`: null accepts; a string refuses with that message (the engine's `failed`). */
    refuseNextSurvey: null,
    ring(key, name, text, seconds = 20) {
      this.ringing = { key, name, text };
      const deadline = Date.now() + seconds * 1000;
      this.emit({ type: "ringing", count: 1, deadline, secondsLeft: seconds });
    },
    snapshot() {
      return {
        session: this.loggedIn ? "loggedIn" : "loggedOut",
        connection: "online",
        availability: this.loggedIn ? "Online" : null,
        agent: this.agent,
        ringing: null,
        chats: Object.values(this.chats),
        wrapUps: this.wrapUps,
      };
    },
  };

  function logIn(user) {
    stub.loggedIn = true;
    stub.agent = profile(user);
    later(() => {
      stub.emit({ type: "session", state: "loggedIn", agent: stub.agent });
      stub.emit({ type: "connection", state: "online", retryAt: null, detail: null });
      stub.emit({ type: "availability", availability: "Online", reasonId: null, byServer: false });
    });
    return stub.agent;
  }

  const fail = (code, message) => Promise.reject({ code, message, retryable: false });

  const activeChats = () => Object.values(stub.chats).filter((c) => c.summary.state !== "ended").length;
  const engine = {
    try_resume: () => ({ agent: null, remembered: stub.settings.remembered }),
    login: (form) => (form.password === "wrong" ? fail("badCredentials", "401 Unauthorized") : logIn(form.user)),
    start_demo: () => logIn("ann"),
    logout: ({ confirmed }) => {
      const n = activeChats();
      if (n > 0 && !confirmed) return { loggedOut: false, activeChatCount: n };
      stub.loggedIn = false;
      stub.chats = {};
      stub.shown = [];
      if (Object.keys(stub.unread).length) stub.setUnread({});
      later(() => stub.emit({ type: "session", state: "loggedOut", agent: null }));
      return { loggedOut: true, activeChatCount: n };
    },
    quit: ({ confirmed }) => {
      const n = activeChats();
      if (n > 0 && !confirmed) return { kind: "mustWarn", activeChats: n };
      stub.quit = true;
      return { kind: "mayQuitNow" };
    },
    settings: () => stub.settings,
    set_muted: ({ muted }) => (stub.settings = { ...stub.settings, muted }),
    set_auto_accept: ({ on }) => (stub.settings = { ...stub.settings, autoAccept: on }),
    show_chats: ({ chats }) => {
      const opened = chats.filter((k) => stub.unread[k]);
      stub.shown = [...chats];
      for (const k of opened) delete stub.unread[k];
      if (opened.length) stub.sendUnread();
      return stub.unreadCounts();
    },
    active_chat_count: () => activeChats(),
    set_availability: ({ availability }) => {
      later(() => stub.emit({ type: "availability", availability, reasonId: null, byServer: false }));
      return null;
    },
    accept: () => {
      const r = stub.ringing;
      if (!r) return fail("nothingToAccept", "nothing rings");
      stub.ringing = null;
      later(() => {
        stub.emit({ type: "ringingStopped" });
        stub.emit({ type: "chatAccepted", chat: r.key });
        stub.pushChat(r.key, r.name, r.text ? [stub.line(r.key, 1, "visitor", r.text)] : []);
      });
      return r.key;
    },
    send_line: ({ chat, text, agentOnly }) => {
      const localId = `loc-${nextLocal++}`;
      const failIt = stub.failNextSend;
      stub.failNextSend = false;
      later(() => stub.emit({ type: "outbox", chat, localId, text, state: "pending", eventId: null, error: null }), 1);
      later(() => {
        if (failIt) {
          stub.emit({ type: "outbox", chat, localId, text, state: "failed", eventId: null, error: "503 Service Unavailable" });
          return;
        }
        const id = nextEvent++;
        stub.emit({ type: "outbox", chat, localId, text, state: "sent", eventId: id, error: null });
        stub.pushLine(stub.line(chat, id, "agent", text, { localId, agentOnly: Boolean(agentOnly) }));
      }, 150);
      return localId;
    },
    retry_line: ({ localId }) => {
      const chat = Object.keys(stub.chats)[0];
      const sent = stub.calls.filter((c) => c.cmd === "send_line");
      const orig = sent.find((_, i) => `loc-${i + 1}` === localId);
      const target = orig?.args.chat ?? chat;
      later(() => stub.emit({ type: "outbox", chat: target, localId, text: orig?.args.text ?? "", state: "pending", eventId: null, error: null }));
      later(() => {
        const id = nextEvent++;
        stub.emit({ type: "outbox", chat: target, localId, text: orig?.args.text ?? "", state: "sent", eventId: id, error: null });
      }, 100);
      return null;
    },
    end_chat: ({ chat }) => {
      const c = stub.chats[chat];
      if (c) c.summary.state = "ended";
      later(() => stub.emit({ type: "chatStateChanged", chat, from: "chatting", to: "ended" }));
      return null;
    },
    transfer_options: () => ({
      skills: [
        { id: "1001", name: "Sales", onlineAgents: 2 },
        { id: "1002", name: "Billing", onlineAgents: 0 },
      ],
      agents: [{ id: "5002", name: "Ben", availability: "Online", chats: 1, maxChats: 2 }],
    }),
    transfer: ({ chat, target }) => {
      later(() => {
        stub.emit({ type: "transferResult", chat, target, ok: true, message: null });
        delete stub.chats[chat];
        stub.emit({ type: "chatRemoved", chat, reason: "transferred" });
      });
      return null;
    },
    set_typing: () => null,
    save_draft: ({ chat, text }) => {
      if (stub.chats[chat]) stub.chats[chat].draft = text;
      return null;
    },
    snapshot: () => stub.snapshot(),
    submit_wrap_up: ({ chat, answers }) => {
      if (!stub.wrapUps.some((w) => w.chat === chat)) return fail("notFound", "no wrap-up for this chat");
      const refusal = stub.refuseNextSurvey;
      stub.refuseNextSurvey = null;
      later(() => stub.setWrapUp(chat, "submitting", { answers, error: null }), 1);
      later(() => stub.setWrapUp(chat, refusal ? "failed" : "done", { answers, error: refusal }), 120);
      return null;
    },
    skip_wrap_up: ({ chat }) => {
      later(() => stub.setWrapUp(chat, "skipped"), 1);
      return null;
    },
    send_card: () => `loc-${nextLocal++}`,
    // A 1×1 PNG, as the shell hands images to the page (a data: URL, allowed by img-src).
    fetch_image: ({ url }) =>
      /^https?:/.test(url)
        ? "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        : fail("invalidInput", "Only http and https addresses are opened"),
    open_link: ({ url }) => (/^https?:/.test(url) ? null : fail("invalidInput", "Only http and https addresses are opened")),
  };

  stub.logIn = logIn;
  window.__stub = stub;

  // ---- the agent's tools: the response library, history and today's numbers (a fake store) ----
  stub.responses = [
    { id: 1, title: "Welcome", text: "Hi {visitorName}, thanks for reaching out! My name is {agentName}.", textType: "plain", card: null, category: "Greeting", hotkey: 1, position: 0 },
    { id: 2, title: "Order number", text: "Could you share your order number {orderId}?", textType: "plain", card: null, category: "Greeting", hotkey: 2, position: 1 },
    { id: 3, title: "Refund policy", text: "You can ask for a full refund within 30 days.", textType: "plain", card: null, category: "Billing", hotkey: null, position: 0 },
    { id: 5, title: "Charged twice", text: "Sorry about the double charge: the second one is a hold your bank releases.", textType: "plain", card: null, category: "Billing", hotkey: null, position: 1 },
    { id: 4, title: "Our plans", text: "Here are our plans", textType: "rich-content", card: { type: "vertical", elements: [{ type: "text", text: "Gold" }] }, category: "Sales", hotkey: null, position: 0 },
  ];
  stub.history = [
    {
      record: { key: "H-OLD-1", owner: "ann", visitorName: "Olga", skill: "Billing", startedAt: Date.now() - 86400000, acceptedAt: null, firstReplyAt: null, endedAt: Date.now() - 86000000, endReason: "visitor", lineCount: 2, survey: null },
      lines: [
        { id: 1, source: "visitor", by: "visitor", text: "I want a refund for order 77" },
        { id: 2, source: "agent", by: "Ann", text: "Of course, the refund is on its way." },
      ],
    },
    {
      record: { key: "H-OLD-2", owner: "ann", visitorName: "Piet", skill: "Sales", startedAt: Date.now() - 172800000, acceptedAt: null, firstReplyAt: null, endedAt: Date.now() - 172000000, endReason: "agent", lineCount: 1, survey: null },
      lines: [{ id: 1, source: "visitor", by: "visitor", text: "Which plan is cheapest?" }],
    },
  ];
  stub.numbers = { chatsHandled: 4, avgHandleMs: 312000, avgFirstReplyMs: 21000, linesSent: 37 };
  const textOf = (r) => `${r.title} ${r.category} ${r.text}`.toLowerCase();
  const fillText = (text, chat) => {
    const c = stub.chats[chat];
    const values = { "{visitorName}": c?.summary.visitorName, "{agentName}": stub.agent?.nickname, "{skill}": c?.summary.skill };
    const unknown = [];
    const out = text.replace(/\{[A-Za-z_][A-Za-z0-9_.-]*\}/g, (m) => {
      if (values[m]) return values[m];
      if (!unknown.includes(m)) unknown.push(m);
      return m;
    });
    return { text: out, unknown };
  };
  const mark = (text, word) => {
    const i = text.toLowerCase().indexOf(word.toLowerCase());
    return i < 0 ? null : `${text.slice(0, i)}\uE000${text.slice(i, i + word.length)}\uE001${text.slice(i + word.length)}`;
  };
  Object.assign(engine, {
    responses_list: () => stub.responses.map((r) => ({ ...r })),
    responses_search: ({ query, limit }) => {
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      return stub.responses.filter((r) => words.every((w) => textOf(r).includes(w))).slice(0, limit ?? 8);
    },
    responses_fill: ({ id, chat, time }) => {
      const r = stub.responses.find((x) => x.id === id);
      if (!r) return fail("notFound", "no such response");
      const { text, unknown } = fillText(r.text.replace("{time}", time), chat);
      return { text, textType: r.textType, card: r.card, unknown };
    },
    // Like the engine: responses sharing a word (4+ letters) with the visitor's last three lines.
    responses_suggest: ({ chat }) => {
      const words = (t) => new Set(t.toLowerCase().match(/[a-z]{4,}/g) ?? []);
      const said = words((stub.chats[chat]?.lines ?? []).filter((l) => l.source === "visitor").slice(-3).map((l) => l.text).join(" "));
      return stub.responses.filter((r) => [...words(textOf(r))].some((w) => said.has(w))).slice(0, 3);
    },
    responses_save: ({ id, input }) => {
      const r = { id: id ?? Math.max(0, ...stub.responses.map((x) => x.id)) + 1, position: 99, card: null, hotkey: null, ...input, category: input.category || "General" };
      stub.responses = [...stub.responses.filter((x) => x.id !== r.id), r];
      return r;
    },
    responses_delete: ({ id }) => {
      stub.responses = stub.responses.filter((x) => x.id !== id);
      return null;
    },
    responses_reorder: ({ ids }) => {
      for (const r of stub.responses) if (ids.includes(r.id)) r.position = ids.indexOf(r.id);
      return null;
    },
    responses_import: () => ({ added: 0, updated: 0, removed: 0 }),
    responses_export: () => JSON.stringify({ version: 1, responses: stub.responses }),
    send_card: ({ chat, text }) => {
      const localId = `loc-${nextLocal++}`;
      later(() => stub.emit({ type: "outbox", chat, localId, text, state: "pending", eventId: null, error: null }), 1);
      return localId;
    },
    history_search: ({ query }) => {
      const word = (query.text ?? "").trim();
      return stub.history
        .map((c) => ({ c, line: word ? c.lines.find((l) => l.text.toLowerCase().includes(word.toLowerCase())) : null }))
        .filter(({ c, line }) => (!word || line) && (!query.visitor || c.record.visitorName.toLowerCase().includes(query.visitor.toLowerCase())))
        .map(({ c, line }) => ({ record: c.record, snippet: line ? mark(line.text, word) : null }));
    },
    history_transcript: ({ chat }) => {
      const c = stub.history.find((x) => x.record.key === chat);
      if (!c) return fail("notFound", "no such chat in the history");
      return c.lines.map((l) => stub.line(chat, l.id, l.source, l.text, { by: l.by }));
    },
    history_plain_text: ({ chat }) => (stub.history.find((x) => x.record.key === chat)?.lines ?? []).map((l) => `${l.by}: ${l.text}`).join("\n"),
    history_retention: () => 30,
    history_set_retention: () => 0,
    history_clear: () => {
      const n = stub.history.length;
      stub.history = [];
      return n;
    },
    agent_numbers: () => stub.numbers,
  });
  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
    transformCallback(cb, once = false) {
      const id = nextCb++;
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        return cb && cb(data);
      });
      return id;
    },
    unregisterCallback(id) {
      callbacks.delete(id);
    },
    convertFileSrc: (p) => p,
    async invoke(cmd, args = {}) {
      if (cmd === "plugin:event|listen") {
        if (!listeners.has(args.event)) listeners.set(args.event, new Set());
        listeners.get(args.event).add(args.handler);
        return args.handler;
      }
      if (cmd === "plugin:event|unlisten") return null;
      // The shell's commands take one `args` struct (or nothing): `invoke(cmd, { args })`.
      const extra = Object.keys(args ?? {}).filter((k) => k !== "args");
      if (extra.length) throw `command ${cmd} takes only \`args\`, not ${extra.join(", ")}`;
      stub.calls.push({ cmd, args: args?.args ?? null });
      const fn = stub.handlers[cmd] ?? engine[cmd];
      if (!fn) throw { code: "internal", message: `the stub has no command ${cmd}`, retryable: false };
      return fn(args?.args ?? {});
    },
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    unregisterListener(event, id) {
      listeners.get(event)?.delete(id);
    },
  };

  // What the tests check for: CSP violations, and whether injected markup ever ran.
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
})();
