import { describe, expect, it } from "vitest";
import { reduce, type Action } from "../src/store/ui";
import { initialState, type DeskState } from "../src/store/state";
import { K, K2, line, lineEv, summary } from "./fixtures";

const run = (actions: Action[], from: DeskState = initialState(), now = 50_000) => actions.reduce((s, a) => reduce(s, a, now), from);
const chat = (s: DeskState, k = K) => s.chats[k];

describe("lines", () => {
  it("are de-duplicated by chat + id", () => {
    const s = run([{ type: "chatUpdated", summary: summary() }, lineEv(line(1)), lineEv(line(2)), lineEv(line(1)), lineEv(line(2, "visitor", "changed?"))]);
    expect(chat(s).items.map((i) => i.line?.id)).toEqual([1, 2]);
    expect(chat(s).items[1].line?.text).toBe("line 2");
  });

  it("returns the same state object for a duplicate (no re-render)", () => {
    const s1 = run([lineEv(line(1))]);
    expect(reduce(s1, lineEv(line(1)))).toBe(s1);
  });

  it("keep the same id in different chats apart", () => {
    const s = run([lineEv(line(1)), lineEv(line(1, "visitor", "other", { chat: K2 }))]);
    expect(chat(s).items).toHaveLength(1);
    expect(chat(s, K2).items).toHaveLength(1);
  });

  it("create a placeholder chat when a line comes before the summary", () => {
    const s = run([lineEv(line(1)), { type: "chatUpdated", summary: summary(K, "Vera") }]);
    expect(chat(s).summary.visitorName).toBe("Vera");
    expect(chat(s).items).toHaveLength(1);
  });

  it("update the preview; HTML previews are stripped of tags", () => {
    const s = run([lineEv(line(1, "visitor", "<p>Hello <b>you</b> &amp; me</p>", { textType: "html" }))]);
    expect(chat(s).lastLine).toBe("Hello you & me");
  });
});

describe("unread counts", () => {
  const counts = (seq: number, chats: Record<string, number>): Action => ({ type: "ui/unread", counts: { seq, chats } });

  it("are the shell's: lines and opening a chat change nothing by themselves", () => {
    let s = run([{ type: "chatUpdated", summary: summary() }, lineEv(line(1)), lineEv(line(2)), lineEv(line(3, "agent"))]);
    expect(chat(s).unread).toBe(0);
    s = run([counts(1, { [K]: 2 })], s);
    expect(chat(s).unread).toBe(2);
    // Opening tells the shell (app.ts); its answer clears the count, not the page.
    s = run([{ type: "ui/open", chat: K, mode: "split" }], s);
    expect(chat(s).unread).toBe(2);
    s = run([counts(2, {})], s);
    expect(chat(s).unread).toBe(0);
  });

  it("drop counts older than the ones shown", () => {
    let s = run([lineEv(line(1)), counts(5, { [K]: 1 })]);
    const same = run([counts(4, { [K]: 9 })], s);
    expect(same).toBe(s);
    s = run([counts(6, { [K]: 3 })], s);
    expect(chat(s).unread).toBe(3);
  });

  it("reach chats that arrive after them, and survive a snapshot and a reset", () => {
    let s = run([counts(1, { [K2]: 2 })]);
    s = run([lineEv(line(1, "visitor", "x", { chat: K2 }))], s);
    expect(chat(s, K2).unread).toBe(2);
    s = run([{ type: "ui/snapshot", snapshot: { session: "loggedIn", connection: "online", availability: "Online", agent: null, ringing: null, chats: [{ summary: summary(K2), lines: [], outbox: [], visitorTyping: false, draft: null, customer: null }], wrapUps: [] } }], s);
    expect(chat(s, K2).unread).toBe(2);
    s = run([{ type: "ui/reset" }], s);
    expect(s.unread.seq).toBe(1);
  });
});

describe("outbox", () => {
  const ob = (state: "pending" | "sent" | "failed", extra: object = {}): Action => ({ type: "outbox", chat: K, localId: "L1", text: "hello", state, eventId: null, error: null, ...extra });

  it("goes pending → sent and merges the server's echo into the same row", () => {
    let s = run([{ type: "chatUpdated", summary: summary() }, ob("pending")]);
    expect(chat(s).items).toHaveLength(1);
    expect(chat(s).items[0].outbox?.state).toBe("pending");
    s = run([ob("sent", { eventId: 7 }), lineEv(line(7, "agent", "hello", { localId: "L1" }))], s);
    expect(chat(s).items).toHaveLength(1);
    expect(chat(s).items[0].outbox?.state).toBe("sent");
    expect(chat(s).items[0].line?.id).toBe(7);
  });

  it("matches the echo by event id when it carries no local id", () => {
    const s = run([ob("pending"), ob("sent", { eventId: 9 }), lineEv(line(9, "agent", "hello"))]);
    expect(chat(s).items).toHaveLength(1);
    expect(chat(s).items[0].line?.id).toBe(9);
  });

  it("attaches to a line that arrived before the outbox event", () => {
    const s = run([lineEv(line(3, "agent", "hello", { localId: "L1" })), ob("sent", { eventId: 3 })]);
    expect(chat(s).items).toHaveLength(1);
    expect(chat(s).items[0].outbox?.state).toBe("sent");
  });

  it("goes pending → failed (with the error) → pending (retry) → sent", () => {
    let s = run([ob("pending"), ob("failed", { error: "503" })]);
    expect(chat(s).items[0].outbox).toMatchObject({ state: "failed", error: "503" });
    s = run([ob("pending")], s);
    expect(chat(s).items[0].outbox?.state).toBe("pending");
    s = run([ob("sent", { eventId: 4 })], s);
    expect(chat(s).items[0].outbox).toMatchObject({ state: "sent", eventId: 4 });
  });

  it("a late pending never undoes sent", () => {
    const s = run([ob("sent", { eventId: 4 }), ob("pending")]);
    expect(chat(s).items[0].outbox?.state).toBe("sent");
  });

  it("ui/sent adds a pending row only if the engine has not already reported it", () => {
    let s = run([{ type: "chatUpdated", summary: summary() }, { type: "ui/sent", chat: K, localId: "L1", text: "hello" }]);
    expect(chat(s).items[0].outbox?.state).toBe("pending");
    s = run([ob("sent", { eventId: 2 }), { type: "ui/sent", chat: K, localId: "L1", text: "hello" }], s);
    expect(chat(s).items).toHaveLength(1);
    expect(chat(s).items[0].outbox?.state).toBe("sent");
  });
});

describe("chat state", () => {
  it("follows chatStateChanged and stops typing when it ends", () => {
    let s = run([
      { type: "chatUpdated", summary: summary(K, "Vera", { state: "waiting" }) },
      { type: "chatStateChanged", chat: K, from: "waiting", to: "chatting" },
      { type: "visitorTyping", chat: K, typing: true },
    ]);
    expect(chat(s).summary.state).toBe("chatting");
    expect(chat(s).visitorTyping).toBe(true);
    s = run([{ type: "chatStateChanged", chat: K, from: "chatting", to: "ended" }], s);
    expect(chat(s).summary.state).toBe("ended");
    expect(chat(s).visitorTyping).toBe(false);
  });

  it("a visitor's line ends their typing", () => {
    const s = run([{ type: "visitorTyping", chat: K, typing: true }, lineEv(line(1))].filter(Boolean) as Action[], run([{ type: "chatUpdated", summary: summary() }]));
    expect(chat(s).visitorTyping).toBe(false);
  });

  it("chatRemoved drops the chat and its pane", () => {
    let s = run([{ type: "chatUpdated", summary: summary() }, { type: "chatUpdated", summary: summary(K2, "Omar") }, { type: "ui/open", chat: K, mode: "split" }, { type: "ui/open", chat: K2, mode: "split" }]);
    expect(s.open).toEqual([K, K2]);
    s = run([{ type: "chatRemoved", chat: K2, reason: "transferred" }], s);
    expect(s.chats[K2]).toBeUndefined();
    expect(s.open).toEqual([K]);
    expect(s.active).toBe(K);
  });

  it("visitorName renames", () => {
    const s = run([{ type: "chatUpdated", summary: summary() }, { type: "visitorName", chat: K, name: "Vera L." }]);
    expect(chat(s).summary.visitorName).toBe("Vera L.");
  });

  it("session loggedOut clears the desk", () => {
    const s = run([{ type: "session", state: "loggedIn", agent: null }, { type: "chatUpdated", summary: summary() }, { type: "session", state: "loggedOut", agent: null }]);
    expect(s.session).toBe("loggedOut");
    expect(s.chats).toEqual({});
  });
});

describe("ringing, availability, connection, notices", () => {
  it("keeps the deadline and when it arrived", () => {
    const s = run([{ type: "ringing", count: 2, deadline: 70_000, secondsLeft: 20 }], initialState(), 50_000);
    expect(s.ringing).toEqual({ count: 2, deadline: 70_000, secondsLeft: 20, receivedAt: 50_000 });
    expect(run([{ type: "ringingStopped" }], s).ringing).toBeNull();
  });

  it("records a server flip to Away", () => {
    const s = run([{ type: "availability", availability: "Away", reasonId: null, byServer: true }]);
    expect(s.availability).toEqual({ value: "Away", byServer: true, reasonId: null });
  });

  it("records the next retry time", () => {
    const s = run([{ type: "connection", state: "retrying", retryAt: 99_000, detail: "503" }]);
    expect(s.connection).toEqual({ state: "retrying", retryAt: 99_000, detail: "503" });
  });

  it("turns errors and failed transfers into notices, keeping the last few", () => {
    let s = run([{ type: "chatUpdated", summary: summary() }, { type: "transferResult", chat: K, target: { kind: "skill", id: "1" }, ok: false, message: "no agent online" }]);
    expect(s.notices[0]).toMatchObject({ kind: "error", chat: K });
    expect(s.notices[0].text).toContain("no agent online");
    for (let i = 0; i < 6; i++) s = run([{ type: "error", code: "network", message: `e${i}`, chat: null }], s);
    expect(s.notices.map((n) => n.text)).toEqual(["e2", "e3", "e4", "e5"]);
  });
});

describe("chats returned to the queue", () => {
  it("tell the agent how many", () => {
    const s = run([{ type: "chatsReturnedToQueue", count: 2 }]);
    expect(s.notices[0]).toMatchObject({ kind: "info", text: "2 chats were returned to the queue." });
    expect(run([{ type: "chatsReturnedToQueue", count: 0 }]).notices).toEqual([]);
  });
});

describe("drafts", () => {
  it("are kept per chat", () => {
    const s = run([
      { type: "chatUpdated", summary: summary() },
      { type: "chatUpdated", summary: summary(K2, "Omar") },
      { type: "ui/draft", chat: K, text: "for Vera" },
      { type: "ui/draft", chat: K2, text: "for Omar" },
      { type: "ui/draft", chat: K, text: "for Vera, edited" },
    ]);
    expect(chat(s).draft).toBe("for Vera, edited");
    expect(chat(s, K2).draft).toBe("for Omar");
  });

  it("come back from the snapshot", () => {
    const s = run([
      {
        type: "ui/snapshot",
        snapshot: { session: "loggedIn", connection: "online", availability: "Online", agent: null, ringing: null, chats: [{ summary: summary(), lines: [], outbox: [], visitorTyping: false, draft: "half-written", customer: null }], wrapUps: [] },
      },
    ]);
    expect(chat(s).draft).toBe("half-written");
  });
});
