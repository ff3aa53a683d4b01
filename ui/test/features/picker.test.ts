// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachPicker, hotkeyIndex, PICKER_DEBOUNCE_MS, replaceRange, slashToken, unfilledPlaceholders } from "../../src/features/picker";
import type { CannedResponse, FilledResponse } from "../../src/features/types";
import { Composer } from "../../src/views/composer";

const R = (id: number, title: string, text = `text ${id}`, extra: Partial<CannedResponse> = {}): CannedResponse => ({
  id,
  title,
  text,
  textType: "plain",
  card: null,
  category: "General",
  hotkey: null,
  position: id,
  ...extra,
});
const LIB = [R(1, "Greeting", "Hello {visitorName}!"), R(2, "Order status", "Your order {orderId} is on its way"), R(3, "Goodbye", "Bye")];

function setup(over: Partial<Parameters<typeof attachPicker>[1]> = {}) {
  const sent: string[] = [];
  const composer = new Composer("H1-K1", "Vera", { send: (_c, t) => sent.push(t), draft: () => {}, typing: () => {} });
  document.body.append(composer.el);
  const ta = composer.input;
  const inserted: FilledResponse[] = [];
  const search = vi.fn(async (q: string) => LIB.filter((r) => r.title.toLowerCase().includes(q.toLowerCase())));
  const fill = vi.fn(async (id: number): Promise<FilledResponse> => {
    const r = LIB.find((x) => x.id === id)!;
    const text = r.text.replace("{visitorName}", "Vera");
    return { text, textType: "plain", card: null, unknown: unfilledPlaceholders(text) };
  });
  const picker = attachPicker(ta, { search, fill, onInsert: (f) => inserted.push(f), ...over });
  ta.focus();
  const type = (value: string, caret = value.length) => {
    ta.value = value;
    ta.setSelectionRange(caret, caret);
    ta.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const key = (k: string, init: KeyboardEventInit = {}) => {
    const e = new KeyboardEvent("keydown", { key: k, cancelable: true, bubbles: true, ...init });
    ta.dispatchEvent(e);
    return e;
  };
  const items = () => Array.from(picker.popup.querySelectorAll<HTMLElement>('[data-testid="picker-item"]'));
  const settle = async () => {
    await vi.advanceTimersByTimeAsync(PICKER_DEBOUNCE_MS + 5);
  };
  return { ta, picker, search, fill, inserted, sent, type, key, items, settle };
}

describe("slash token", () => {
  it("finds the token at the start or after whitespace only", () => {
    expect(slashToken("/gre", 4)).toEqual({ start: 0, end: 4, query: "gre" });
    expect(slashToken("hi /gre", 7)).toEqual({ start: 3, end: 7, query: "gre" });
    expect(slashToken("hi\n/", 4)).toEqual({ start: 3, end: 4, query: "" });
    expect(slashToken("and/or", 6)).toBeNull();
    expect(slashToken("http://x", 8)).toBeNull();
    expect(slashToken("/gre now", 8)).toBeNull();
    expect(slashToken("", 0)).toBeNull();
  });
  it("caret inside the token: the query is up to the caret, the token to its end", () => {
    expect(slashToken("a /order b", 5)).toEqual({ start: 2, end: 8, query: "or" });
    expect(slashToken("a /order b", 3)).toEqual({ start: 2, end: 8, query: "" });
    expect(slashToken("a /order b", 2)).toBeNull();
  });
  it("replaceRange puts the caret after the insert", () => {
    expect(replaceRange("a /or b", 2, 5, "Hello")).toEqual({ text: "a Hello b", caret: 7 });
  });
  it("unfilledPlaceholders lists each once", () => {
    expect(unfilledPlaceholders("{a} and {b_1} and {a}; not { x } or {}")).toEqual(["{a}", "{b_1}"]);
    expect(unfilledPlaceholders("plain")).toEqual([]);
  });
});

describe("hotkeyIndex", () => {
  const ev = (init: KeyboardEventInit) => new KeyboardEvent("keydown", init);
  it("Alt+1…9 by physical key", () => {
    for (let n = 1; n <= 9; n++) expect(hotkeyIndex(ev({ key: "¡", code: `Digit${n}`, altKey: true }))).toBe(n);
    expect(hotkeyIndex(ev({ key: "1", code: "Numpad1", altKey: true }))).toBe(1);
    expect(hotkeyIndex(ev({ key: "7", altKey: true }))).toBe(7);
  });
  it("ignores Alt+0, no Alt, other modifiers, AltGr and composition", () => {
    expect(hotkeyIndex(ev({ key: "0", code: "Digit0", altKey: true }))).toBeNull();
    expect(hotkeyIndex(ev({ key: "1", code: "Digit1" }))).toBeNull();
    expect(hotkeyIndex(ev({ key: "1", code: "Digit1", altKey: true, ctrlKey: true }))).toBeNull();
    expect(hotkeyIndex(ev({ key: "1", code: "Digit1", altKey: true, shiftKey: true }))).toBeNull();
    expect(hotkeyIndex(ev({ key: "1", code: "Digit1", altKey: true, metaKey: true }))).toBeNull();
    expect(hotkeyIndex(ev({ key: "1", code: "Digit1", altKey: true, isComposing: true }))).toBeNull();
    expect(hotkeyIndex(ev({ key: "a", code: "KeyA", altKey: true }))).toBeNull();
    const altGr = ev({ key: "{", code: "Digit7", altKey: true });
    Object.defineProperty(altGr, "getModifierState", { value: (k: string) => k === "AltGraph" });
    expect(hotkeyIndex(altGr)).toBeNull();
  });
});

describe("picker", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    document.body.replaceChildren();
  });

  it("opens on / and filters as you type (debounced)", async () => {
    const { ta, picker, search, type, items, settle } = setup();
    type("/");
    expect(picker.isOpen).toBe(true);
    expect(ta.getAttribute("aria-expanded")).toBe("true");
    await settle();
    expect(items()).toHaveLength(3);
    type("/o");
    type("/or");
    type("/ord");
    await settle();
    expect(search.mock.calls.map((c) => c[0])).toEqual(["", "ord"]);
    expect(items().map((i) => i.querySelector(".picker-item-title")!.textContent)).toEqual(["Order status"]);
    expect(items()[0]!.getAttribute("aria-selected")).toBe("true");
    expect(ta.getAttribute("aria-activedescendant")).toBe(items()[0]!.id);
    expect(items()[0]!.textContent).toContain("General");
    expect(items()[0]!.textContent).toContain("Your order {orderId} is on its way");
  });

  it("does not open mid-word, closes when the token ends", async () => {
    const { picker, type } = setup();
    type("and/or");
    expect(picker.isOpen).toBe(false);
    type("hi /gr");
    expect(picker.isOpen).toBe(true);
    type("hi /gr ");
    expect(picker.isOpen).toBe(false);
  });

  it("arrows move (wrapping), Enter inserts and does not send", async () => {
    const { ta, picker, inserted, sent, type, key, items, settle } = setup();
    type("Hi /");
    await settle();
    key("ArrowDown");
    expect(items()[1]!.getAttribute("aria-selected")).toBe("true");
    key("ArrowUp");
    key("ArrowUp");
    expect(items()[2]!.getAttribute("aria-selected")).toBe("true");
    key("ArrowDown");
    const e = key("Enter");
    expect(e.defaultPrevented).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(ta.value).toBe("Hi Hello Vera!");
    expect(ta.selectionStart).toBe(ta.value.length);
    expect(sent).toEqual([]);
    expect(inserted).toHaveLength(1);
    expect(picker.isOpen).toBe(false);
  });

  it("Tab inserts; the token is replaced at the caret, text after it kept", async () => {
    const { ta, type, key, settle } = setup();
    type("Thanks /goXX, see you", 10); // caret after "/go": query "go", token "/goXX,"

    await settle();
    key("Tab");
    await vi.advanceTimersByTimeAsync(0);
    expect(ta.value).toBe("Thanks Bye see you");
  });

  it("click inserts", async () => {
    const { ta, type, items, settle } = setup();
    type("/");
    await settle();
    items()[2]!.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true }));
    items()[2]!.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(ta.value).toBe("Bye");
  });

  it("Esc closes, does not bubble, and keeps it closed for that token", async () => {
    const { picker, type, key, settle } = setup();
    const outer = vi.fn();
    document.addEventListener("keydown", outer);
    type("/g");
    await settle();
    const e = key("Escape");
    expect(e.defaultPrevented).toBe(true);
    expect(outer).not.toHaveBeenCalled();
    expect(picker.isOpen).toBe(false);
    type("/gr");
    expect(picker.isOpen).toBe(false);
    type("");
    type("/");
    expect(picker.isOpen).toBe(true);
    document.removeEventListener("keydown", outer);
  });

  it("keys pass through when closed (Enter sends)", () => {
    const { sent, type, key } = setup();
    type("plain text");
    key("Enter");
    expect(sent).toEqual(["plain text"]);
  });

  it("Enter with no match falls through to the composer", async () => {
    const { sent, type, key, settle } = setup();
    type("/zzz");
    await settle();
    key("Enter");
    expect(sent).toEqual(["/zzz"]);
  });

  it("ignores stale search answers", async () => {
    const resolvers: Record<string, (r: CannedResponse[]) => void> = {};
    const { type, items, settle } = setup({ search: (q) => new Promise((res) => (resolvers[q] = res)) });
    type("/a");
    await settle();
    type("/ab");
    await settle();
    resolvers["ab"]!([R(9, "Newer")]);
    await vi.advanceTimersByTimeAsync(0);
    resolvers["a"]!([R(8, "Older")]);
    await vi.advanceTimersByTimeAsync(0);
    expect(items().map((i) => i.querySelector(".picker-item-title")!.textContent)).toEqual(["Newer"]);
  });

  it("warns about unknown placeholders until they are edited away", async () => {
    const { ta, picker, type, key, items, settle } = setup();
    type("/order");
    await settle();
    expect(items()).toHaveLength(1);
    key("Enter");
    await vi.advanceTimersByTimeAsync(0);
    expect(picker.warning.hidden).toBe(false);
    expect(picker.warning.textContent).toBe("Fill in {orderId} before sending");
    expect(picker.pending()).toEqual(["{orderId}"]);
    type(ta.value.replace("{orderId}", "A-17"));
    expect(picker.warning.hidden).toBe(true);
    expect(picker.pending()).toEqual([]);
  });

  it("refresh() clears the warning after the composer empties the box on send", async () => {
    const { ta, picker, type, key, settle } = setup();
    type("/order");
    await settle();
    key("Enter");
    await vi.advanceTimersByTimeAsync(0);
    expect(picker.warning.hidden).toBe(false);
    ta.value = "";
    picker.refresh();
    expect(picker.warning.hidden).toBe(true);
  });

  it("shows a failed fill next to the composer and leaves the text alone", async () => {
    const { ta, picker, type, key, settle } = setup({ fill: async () => Promise.reject({ code: "x", message: "no such response" }) });
    type("/g");
    await settle();
    key("Enter");
    await vi.advanceTimersByTimeAsync(0);
    expect(ta.value).toBe("/g");
    expect(picker.warning.textContent).toContain("no such response");
  });

  it("destroy removes everything", () => {
    const { ta, picker } = setup();
    picker.destroy();
    expect(document.querySelector('[data-testid="picker"]')).toBeNull();
    expect(ta.hasAttribute("aria-expanded")).toBe(false);
  });
});
