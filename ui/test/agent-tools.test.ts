// @vitest-environment jsdom
// The wiring of predefined responses, history and the status strip into the desk.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Composer, type ComposerActions } from "../src/views/composer";
import { COMPOSER_BINDINGS, commandFor, helpRows } from "../src/keyboard/shortcuts";
import { installKeyboard } from "../src/keyboard/handler";
import { AgentTools, NUMBERS_AFTER_END_MS, NUMBERS_EVERY_MS, loadFigures, reorderedCategories, shellQuery } from "../src/agent-tools";
import { setTransport, type Transport } from "../src/ipc";
import { initialState, emptyChat, type DeskState } from "../src/store/state";
import type { App } from "../src/app";
import type { CannedResponse, FilledResponse } from "../src/features/types";
import { K, K2, summary } from "./fixtures";

const CARD = { type: "vertical", elements: [{ type: "text", text: "Gold plan" }] };
const filled = (text: string, extra: Partial<FilledResponse> = {}): FilledResponse => ({ text, textType: "plain", card: null, unknown: [], ...extra });
const R = (id: number, title: string, extra: Partial<CannedResponse> = {}): CannedResponse => ({
  id,
  title,
  text: `text ${id}`,
  textType: "plain",
  card: null,
  category: "General",
  hotkey: null,
  position: id,
  ...extra,
});
const q = (el: Element, id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;

function composer(extra: Partial<ComposerActions> = {}) {
  const calls: unknown[][] = [];
  const c = new Composer(K, "Vera", {
    send: (...a) => calls.push(["send", ...a]),
    draft: () => {},
    typing: () => {},
    sendCard: (...a) => calls.push(["sendCard", ...a]),
    searchResponses: async () => [],
    fillResponse: async () => filled(""),
    ...extra,
  });
  document.body.append(c.el);
  const key = (k: string, init: KeyboardEventInit = {}) => {
    const e = new KeyboardEvent("keydown", { key: k, cancelable: true, bubbles: true, ...init });
    c.input.dispatchEvent(e);
    return e.defaultPrevented;
  };
  const type = (value: string) => {
    c.input.value = value;
    c.input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  return { c, calls, key, type };
}

afterEach(() => {
  document.body.replaceChildren();
  setTransport(null);
});

describe("composer with predefined responses", () => {
  it("sends a response's card with sendCard, not sendLine; the chip goes after sending", () => {
    const { c, calls, key } = composer();
    c.insertResponse(filled("Here are our plans", { textType: "rich-content", card: CARD }));
    expect(c.input.value).toBe("Here are our plans");
    expect(q(c.el, "composer-card").hidden).toBe(false);
    key("Enter");
    expect(calls).toEqual([["sendCard", K, "Here are our plans", CARD]]);
    expect(c.input.value).toBe("");
    expect(q(c.el, "composer-card").hidden).toBe(true);
    expect(c.attachedCard).toBeNull();
  });

  it("Esc (or ✕) removes the card: the text goes as a plain line", () => {
    const { c, calls, key } = composer();
    c.insertResponse(filled("Plans", { textType: "rich-content", card: CARD }));
    expect(key("Escape")).toBe(true);
    expect(q(c.el, "composer-card").hidden).toBe(true);
    key("Enter");
    expect(calls).toEqual([["send", K, "Plans", false, "plain"]]);

    c.insertResponse(filled("Again", { textType: "rich-content", card: CARD }));
    q(c.el, "composer-card-remove").click();
    expect(c.attachedCard).toBeNull();
  });

  it("a card is never sent as an agent-only note", () => {
    const { c, calls, key } = composer();
    c.insertResponse(filled("Plans", { card: CARD, textType: "rich-content" }));
    (q(c.el, "composer-agent-only") as HTMLInputElement).checked = true;
    key("Enter");
    expect(calls).toEqual([]);
    expect(q(c.el, "composer-blocked").textContent).toMatch(/card cannot be an agent-only note/);
  });

  it("blocks sending while a placeholder of an inserted response is unfilled, and says which", () => {
    const { c, calls, key, type } = composer();
    c.insertResponse(filled("Your order {orderId} is on its way", { unknown: ["{orderId}"] }));
    expect(c.pending()).toEqual(["{orderId}"]);
    expect(q(c.el, "picker-warning").textContent).toBe("Fill in {orderId} before sending");
    key("Enter");
    expect(calls).toEqual([]);
    const blocked = q(c.el, "composer-blocked");
    expect(blocked.hidden).toBe(false);
    expect(blocked.textContent).toBe("Not sent: fill in {orderId} first.");
    // The placeholder is selected, ready to be typed over.
    expect(c.input.value.slice(c.input.selectionStart!, c.input.selectionEnd!)).toBe("{orderId}");
    type("Your order #1042 is on its way");
    expect(blocked.hidden).toBe(true);
    expect(c.pending()).toEqual([]);
    key("Enter");
    expect(calls).toEqual([["send", K, "Your order #1042 is on its way", false, "plain"]]);
  });

  it("a placeholder the agent typed (not from a response) does not block", () => {
    const { calls, key, type } = composer();
    type("Use {braces} freely");
    key("Enter");
    expect(calls).toEqual([["send", K, "Use {braces} freely", false, "plain"]]);
  });

  it("an HTML response goes out as html", () => {
    const { c, calls, key } = composer();
    c.insertResponse(filled("<b>Hi</b>", { textType: "html" }));
    key("Enter");
    expect(calls).toEqual([["send", K, "<b>Hi</b>", false, "html"]]);
  });

  it("the / picker searches, fills for its chat and inserts", async () => {
    vi.useFakeTimers();
    try {
      const search = vi.fn(async () => [R(7, "Welcome", { hotkey: 1 })]);
      const fill = vi.fn(async () => filled("Hi Vera!"));
      const { c, key, type } = composer({ searchResponses: search, fillResponse: fill });
      c.input.focus();
      type("/gree");
      await vi.advanceTimersByTimeAsync(200);
      expect(search).toHaveBeenCalledWith("gree");
      expect(q(c.el, "picker").hidden).toBe(false);
      key("Enter");
      await vi.advanceTimersByTimeAsync(0);
      expect(fill).toHaveBeenCalledWith(K, 7);
      expect(c.input.value).toBe("Hi Vera!");
    } finally {
      vi.useRealTimers();
    }
  });

  it("shows suggestions above the box", () => {
    const { c } = composer();
    const pick = vi.fn();
    c.setSuggestions([R(1, "Refund policy"), R(2, "Charged twice")], pick);
    expect(c.el.querySelectorAll('[data-testid="suggestion"]')).toHaveLength(2);
    (c.el.querySelectorAll('[data-testid="suggestion"]')[1] as HTMLElement).click();
    expect(pick).toHaveBeenCalledWith(expect.objectContaining({ id: 2 }));
    c.setSuggestions([], pick);
    expect(c.el.querySelector('[data-testid="suggestions"]')).toBeNull();
  });
});

describe("hotkey routing", () => {
  const alt = (digit: number) => ({ key: String(digit), code: `Digit${digit}`, altKey: true });

  it("Alt+1…9 insert responses in a message box; Alt+1/2/3 set availability elsewhere", () => {
    expect(commandFor(alt(1), true, true)).toBe("insertResponse");
    expect(commandFor(alt(9), true, true)).toBe("insertResponse");
    expect(commandFor(alt(0), true, true)).toBe("insertSuggestion");
    expect(commandFor(alt(1), true, false)).toBe("setOnline");
    expect(commandFor(alt(2), false, false)).toBe("setAway");
    expect(commandFor(alt(3), false)).toBe("setOccupied");
    expect(commandFor(alt(5), false)).toBeNull();
    // Other keys keep their meaning in the box.
    expect(commandFor({ key: "A", code: "KeyA", ctrlKey: true, shiftKey: true }, true, true)).toBe("accept");
  });

  it("the help lists both meanings", () => {
    const rows = helpRows();
    expect(rows.find((r) => r.command === "setOnline")?.keys).toEqual(["Alt+1 (outside the message box)"]);
    expect(rows.find((r) => r.command === "insertResponse")?.keys).toEqual(["Alt+1…9"]);
    expect(rows.find((r) => r.command === "insertSuggestion")?.keys).toEqual(["Alt+0"]);
    expect(rows.find((r) => r.command === "openResponses")?.keys).toEqual(["Alt+R"]);
    expect(rows.find((r) => r.command === "openHistory")?.keys).toEqual(["Alt+H"]);
    const chords = COMPOSER_BINDINGS.map((b) => b.chord);
    expect(new Set(chords).size).toBe(chords.length);
  });

  it("the document handler sends Alt+digit to the focused message box, else to availability", () => {
    const insertHotkey = vi.fn(async () => {});
    const setAvailability = vi.fn(async () => {});
    const app = { state: { session: "loggedIn" }, dialogOpen: false, tools: { insertHotkey }, setAvailability } as unknown as App;
    installKeyboard(app);
    const { c } = composer();
    const other = document.createElement("button");
    document.body.append(other);
    const press = (target: HTMLElement, digit: number) => {
      const e = new KeyboardEvent("keydown", { key: String(digit), code: `Digit${digit}`, altKey: true, bubbles: true, cancelable: true });
      target.dispatchEvent(e);
      return e.defaultPrevented;
    };
    c.input.focus();
    expect(press(c.input, 2)).toBe(true);
    expect(insertHotkey).toHaveBeenCalledWith(K, 2);
    expect(setAvailability).not.toHaveBeenCalled();
    other.focus();
    expect(press(other, 2)).toBe(true);
    expect(setAvailability).toHaveBeenCalledWith("Away");
    expect(insertHotkey).toHaveBeenCalledTimes(1);
  });
});

function fakeShell(reply: (cmd: string, args: Record<string, unknown>) => unknown) {
  const seen: { cmd: string; args: Record<string, unknown> }[] = [];
  const t: Transport = {
    async invoke<T>(cmd: string, args?: Record<string, unknown>) {
      const a = (args?.args ?? {}) as Record<string, unknown>;
      seen.push({ cmd, args: a });
      return reply(cmd, a) as T;
    },
    async listen() {
      return () => {};
    },
  };
  setTransport(t);
  return seen;
}

function loggedIn(): DeskState {
  const s = initialState();
  return {
    ...s,
    session: "loggedIn",
    agent: { account: "1", loginName: "ann", nickname: "Ann", agentId: "5001", maxChats: 4, skills: [] },
    chats: { [K]: emptyChat(summary(K), 1), [K2]: emptyChat(summary(K2, "Wes", { state: "ended" }), 2) },
    open: [K],
    active: K,
  };
}

describe("agent tools", () => {
  let state: DeskState;
  let strip: HTMLElement;
  let box: ReturnType<typeof composer>;
  const notices: string[] = [];
  const tools = () =>
    new AgentTools({
      state: () => state,
      composer: (chat) => (chat === K ? box.c : undefined),
      strip: () => strip,
      sent: () => {},
      notify: (e) => notices.push(String((e as { message?: string }).message ?? e)),
      info: (t) => notices.push(t),
    });
  beforeEach(() => {
    state = loggedIn();
    strip = document.createElement("div");
    box = composer();
    notices.length = 0;
  });

  it("Alt+n inserts the response with that hotkey, filled for the chat at the agent's time", async () => {
    const seen = fakeShell((cmd) => (cmd === "responses_list" ? [R(1, "Hi", { hotkey: 1 }), R(2, "Bye", { hotkey: 6 })] : filled("Goodbye Vera")));
    await tools().insertHotkey(K, 6);
    expect(seen.map((s) => s.cmd)).toEqual(["responses_list", "responses_fill"]);
    expect(seen[1]!.args).toEqual({ id: 2, chat: K, time: expect.stringMatching(/^\d\d:\d\d$/) });
    expect(box.c.input.value).toBe("Goodbye Vera");
    await tools().insertHotkey(K, 9);
    expect(notices.at(-1)).toMatch(/No predefined response has the hotkey Alt\+9/);
  });

  it("fetches the numbers at login, after a chat ends, and every minute only while visible", async () => {
    vi.useFakeTimers();
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("visible");
    try {
      const seen = fakeShell((cmd) => (cmd === "agent_numbers" ? { chatsHandled: 3, avgHandleMs: 65_000, avgFirstReplyMs: 5_000, linesSent: 12 } : []));
      const t = tools();
      const numbers = () => seen.filter((s) => s.cmd === "agent_numbers").length;
      t.render(state);
      await vi.advanceTimersByTimeAsync(0);
      expect(numbers()).toBe(1);
      expect(q(strip, "strip-handled").textContent).toContain("3");
      // Load: one active chat of 4 (the ended one does not count).
      expect(q(strip, "strip-load").textContent).toContain("1 / 4 chats · 3 free");
      t.onEvent({ type: "chatStateChanged", chat: K, from: "chatting", to: "ended" });
      await vi.advanceTimersByTimeAsync(NUMBERS_AFTER_END_MS);
      expect(numbers()).toBe(2);
      await vi.advanceTimersByTimeAsync(NUMBERS_EVERY_MS);
      expect(numbers()).toBe(3);
      visibility.mockReturnValue("hidden");
      document.dispatchEvent(new Event("visibilitychange"));
      await vi.advanceTimersByTimeAsync(NUMBERS_EVERY_MS * 3);
      expect(numbers()).toBe(3);
      visibility.mockReturnValue("visible");
      document.dispatchEvent(new Event("visibilitychange"));
      await vi.advanceTimersByTimeAsync(0);
      expect(numbers()).toBe(4); // stale: fetched as the window shows again
    } finally {
      visibility.mockRestore();
      vi.useRealTimers();
    }
  });

  it("suggests for the focused chat when a visitor line arrives (debounced); Alt+0 inserts the first", async () => {
    vi.useFakeTimers();
    try {
      const seen = fakeShell((cmd) => (cmd === "responses_suggest" ? [R(10, "Refund policy"), R(11, "Charged twice")] : cmd === "responses_fill" ? filled("Refunds take 5 days") : null));
      const t = tools();
      t.render({ ...state, session: "loggedOut" });
      t.render(state);
      await vi.advanceTimersByTimeAsync(0);
      const line = { chat: K, id: 5, time: 1, source: "visitor", by: "visitor", text: "refund?", textType: "plain", systemMessageId: null, agentOnly: false, localId: null, card: null } as const;
      t.onEvent({ type: "line", ...line });
      t.onEvent({ type: "line", ...line, id: 6 });
      await vi.advanceTimersByTimeAsync(1000);
      expect(seen.filter((s) => s.cmd === "responses_suggest").length).toBeLessThanOrEqual(2);
      expect(box.c.suggestions.map((r) => r.id)).toEqual([10, 11]);
      // A line in another chat does not ask.
      const before = seen.length;
      t.onEvent({ type: "line", ...line, chat: K2 });
      await vi.advanceTimersByTimeAsync(1000);
      expect(seen.length).toBe(before);
      await t.insertSuggestion(K);
      expect(seen.at(-1)).toEqual({ cmd: "responses_fill", args: expect.objectContaining({ id: 10, chat: K }) });
      expect(box.c.input.value).toBe("Refunds take 5 days");
    } finally {
      vi.useRealTimers();
    }
  });

  it("maps the views' queries and orders onto the shell's", () => {
    expect(shellQuery({ text: "refund", from: 1000, to: 1999, visitor: "Ve" })).toEqual({ text: "refund", sinceMs: 1000, untilMs: 2000, visitor: "Ve", limit: 500 });
    expect(shellQuery({ text: "", from: null, to: null, visitor: null })).toEqual({ limit: 500 });
    const lib = [R(1, "a", { category: "A", position: 0 }), R(2, "b", { category: "A", position: 1 }), R(3, "c", { category: "B", position: 0 })];
    expect(reorderedCategories(lib, [2, 1, 3])).toEqual([{ category: "A", ids: [2, 1] }]);
    expect(reorderedCategories(lib, [1, 2, 3])).toEqual([]);
    expect(loadFigures({ ...state, agent: { ...state.agent!, maxChats: null } })).toEqual({ activeChats: 1, maxChats: null, availableSlots: null });
  });
});

describe("the README's keyboard section", () => {
  it("lists every shortcut of shortcuts.ts", async () => {
    // (Node's fs without its type declarations, which the UI's tsconfig leaves out.)
    const fs = (await import(/* @vite-ignore */ "node:fs" as string)) as { readFileSync(p: string, enc: "utf8"): string };
    const path = (await import(/* @vite-ignore */ "node:path" as string)) as { resolve(...p: string[]): string };
    // vitest runs from ui/ (its config's root).
    const cwd = (globalThis as unknown as { process: { cwd(): string } }).process.cwd();
    const readme = fs.readFileSync(path.resolve(cwd, cwd.endsWith("/ui") ? ".." : ".", "README.md"), "utf8");
    const start = readme.indexOf("## Keyboard shortcuts");
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start, readme.indexOf("\n## ", start + 5));
    for (const row of helpRows()) {
      expect(section, row.description).toContain(`| ${row.description} |`);
      for (const k of row.keys) expect(section, `${row.description}: ${k}`).toContain(k);
    }
  });
});
