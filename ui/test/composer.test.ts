// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Composer, DRAFT_DELAY_MS, TYPING_IDLE_MS } from "../src/views/composer";

function setup() {
  const calls: string[] = [];
  const c = new Composer("H1-K1", "Vera", {
    send: (chat, text, note) => calls.push(`send ${chat} ${JSON.stringify(text)} ${note}`),
    draft: (chat, text) => calls.push(`draft ${chat} ${JSON.stringify(text)}`),
    typing: (chat, typing) => calls.push(`typing ${chat} ${typing}`),
  });
  document.body.append(c.el);
  const type = (value: string) => {
    c.input.value = value;
    c.input.dispatchEvent(new Event("input"));
  };
  const key = (k: string, shift = false) => {
    const e = new KeyboardEvent("keydown", { key: k, shiftKey: shift, cancelable: true, bubbles: true });
    c.input.dispatchEvent(e);
    return e.defaultPrevented;
  };
  return { c, calls, type, key };
}

describe("composer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    document.body.replaceChildren();
  });

  it("Enter sends; Shift+Enter does not", () => {
    const { c, calls, type, key } = setup();
    type("hello");
    expect(key("Enter", true)).toBe(false);
    expect(calls.some((x) => x.startsWith("send"))).toBe(false);
    expect(key("Enter")).toBe(true);
    expect(calls).toContain('send H1-K1 "hello" false');
    expect(c.input.value).toBe("");
  });

  it("does not send blank text", () => {
    const { calls, type, key } = setup();
    type("   ");
    key("Enter");
    expect(calls.some((x) => x.startsWith("send"))).toBe(false);
  });

  it("signals typing once, and stops after a pause", () => {
    const { calls, type } = setup();
    type("h");
    type("he");
    type("hel");
    expect(calls.filter((x) => x === "typing H1-K1 true")).toHaveLength(1);
    vi.advanceTimersByTime(TYPING_IDLE_MS + 10);
    expect(calls.at(-1)).toBe("typing H1-K1 false");
  });

  it("saves the draft after a pause, once", () => {
    const { calls, type } = setup();
    type("d");
    type("dr");
    type("draft");
    expect(calls.filter((x) => x.startsWith("draft"))).toHaveLength(0);
    vi.advanceTimersByTime(DRAFT_DELAY_MS + 10);
    expect(calls.filter((x) => x.startsWith("draft"))).toEqual(['draft H1-K1 "draft"']);
  });

  it("sending clears the draft and stops typing", () => {
    const { calls, type, key } = setup();
    type("hi");
    key("Enter");
    expect(calls).toContain('draft H1-K1 ""');
    expect(calls.at(-1)).toBe("typing H1-K1 false");
  });

  it("a restored draft does not overwrite what the agent is typing", () => {
    const { c, type } = setup();
    c.setDraft("from engine");
    expect(c.input.value).toBe("from engine");
    c.input.focus();
    type("mine");
    c.setDraft("stale");
    expect(c.input.value).toBe("mine");
  });
});
