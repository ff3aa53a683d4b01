// @vitest-environment jsdom
import { formatLiveDuration } from "../../src/features/util";
import { describe, expect, it, vi } from "vitest";
import { formatBalance, renderCustomerPanel, updateDurations } from "../../src/features/customer-panel";
import { formatMmSs, loadText, renderStatusStrip } from "../../src/features/status-strip";
import { isSuggestionKey, renderSuggestions } from "../../src/features/suggestions";
import type { CannedResponse, CustomerPanelData } from "../../src/features/types";

const q = (el: Element, id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;
const R = (id: number, title: string): CannedResponse => ({ id, title, text: `t${id}`, textType: "plain", card: null, category: "", hotkey: null, position: id });

describe("suggestions", () => {
  it("renders nothing for an empty list", () => {
    expect(renderSuggestions([], () => {})).toBeNull();
  });
  it("shows at most three buttons; a click picks", () => {
    const pick = vi.fn();
    const el = renderSuggestions([R(1, "A"), R(2, "B"), R(3, "C"), R(4, "D")], pick)!;
    const btns = el.querySelectorAll<HTMLButtonElement>('[data-testid="suggestion"]');
    expect(btns).toHaveLength(3);
    expect(btns[0]!.getAttribute("aria-keyshortcuts")).toBe("Alt+0");
    btns[1]!.click();
    expect(pick).toHaveBeenCalledWith(expect.objectContaining({ id: 2 }));
  });
  it("Alt+0 is the key", () => {
    expect(isSuggestionKey(new KeyboardEvent("keydown", { key: "º", code: "Digit0", altKey: true }))).toBe(true);
    expect(isSuggestionKey(new KeyboardEvent("keydown", { key: "0", code: "Numpad0", altKey: true }))).toBe(true);
    expect(isSuggestionKey(new KeyboardEvent("keydown", { key: "1", code: "Digit1", altKey: true }))).toBe(false);
    expect(isSuggestionKey(new KeyboardEvent("keydown", { key: "0", code: "Digit0", altKey: true, ctrlKey: true }))).toBe(false);
    expect(isSuggestionKey(new KeyboardEvent("keydown", { key: "0", code: "Digit0" }))).toBe(false);
  });
});

describe("status strip", () => {
  it("formats times and load", () => {
    expect(formatMmSs(null)).toBe("—");
    expect(formatMmSs(65_000)).toBe("01:05");
    expect(formatMmSs(4_503_000)).toBe("75:03");
    expect(loadText({ activeChats: 3, maxChats: 4, availableSlots: 1 })).toBe("3 / 4 chats · 1 free");
    expect(loadText({ activeChats: 1, maxChats: null, availableSlots: null })).toBe("1 chat");
  });
  it("renders one labelled figure per number", () => {
    const el = renderStatusStrip({ chatsHandled: 12, avgHandleMs: 310_000, avgFirstReplyMs: null, linesSent: 240 }, { activeChats: 3, maxChats: 4, availableSlots: 1 });
    expect(el.getAttribute("aria-label")).toBe("Your numbers today");
    expect(q(el, "strip-handled").textContent).toContain("12");
    expect(q(el, "strip-handle-time").querySelector(".strip-value")!.textContent).toBe("05:10");
    expect(q(el, "strip-handle-time").querySelector(".sr-only")!.textContent).toBe("Average handle time: 5 minutes 10 seconds");
    expect(q(el, "strip-first-reply").querySelector(".sr-only")!.textContent).toContain("not known yet");
    expect(q(el, "strip-load").querySelector(".strip-value")!.textContent).toBe("3 / 4 chats · 1 free");
    expect(q(el, "strip-lines").textContent).toContain("240");
  });
});

const base: CustomerPanelData = {
  visitorName: "Vera",
  startTime: 1_000_000,
  acceptedAt: 1_045_000,
  skill: "Sales",
  chatTimeout: 40,
  agents: ["Ann", "Bob"],
  visitorTyping: true,
  customer: null,
  customerState: "none",
};

describe("customer panel", () => {
  it("shows the chat facts and a live duration", () => {
    const el = renderCustomerPanel(base, 1_000_000 + 125_000);
    expect(q(el, "cp-visitor-name").textContent).toBe("Vera");
    expect(q(el, "cp-waited").textContent).toBe("0:45");
    expect(q(el, "cp-duration").textContent).toBe("2 min");
    expect(q(el, "cp-skill").textContent).toBe("Sales");
    expect(q(el, "cp-timeout").textContent).toBe("40 s");
    expect(q(el, "cp-agents").textContent).toBe("Ann, Bob");
    expect(q(el, "cp-typing").hidden).toBe(false);
    expect(q(el, "cp-customer").textContent).toContain("Not an authenticated visitor");
    const node = q(el, "cp-duration").querySelector(".cp-duration")!.firstChild;
    updateDurations(el, 1_000_000 + 3_725_000);
    expect(q(el, "cp-duration").textContent).toBe("1 h 02 min");
    expect(q(el, "cp-duration").querySelector(".cp-duration")!.firstChild).toBe(node);
  });
  it("the live duration reads to the minute", () => {
    expect(formatLiveDuration(59_999)).toBe("<1 min");
    expect(formatLiveDuration(60_000)).toBe("1 min");
    expect(formatLiveDuration(3_599_999)).toBe("59 min");
    expect(formatLiveDuration(3_600_000)).toBe("1 h 00 min");
    expect(formatLiveDuration(-5)).toBe("<1 min");
    expect(formatLiveDuration(null)).toBe("—");
  });
  it("unknown times show a dash", () => {
    const el = renderCustomerPanel({ ...base, startTime: null, acceptedAt: null, chatTimeout: null, agents: [], skill: null, visitorTyping: false }, 5);
    expect(q(el, "cp-waited").textContent).toBe("—");
    expect(q(el, "cp-duration").textContent).toBe("—");
    expect(q(el, "cp-typing").hidden).toBe(true);
    updateDurations(el, 10);
  });
  it("loading and failed states", () => {
    expect(q(renderCustomerPanel({ ...base, customerState: "loading" }, 0), "cp-customer").textContent).toContain("Loading");
    expect(q(renderCustomerPanel({ ...base, customerState: "failed" }, 0), "cp-customer").textContent).toContain("Customer details unavailable");
    expect(q(renderCustomerPanel({ ...base, customerState: "loaded" }, 0), "cp-customer").textContent).toContain("Customer details unavailable");
  });
  it("shows the customer record as text", () => {
    const evil = `<img src=x onerror="globalThis.__pwned=1">`;
    const el = renderCustomerPanel(
      {
        ...base,
        visitorName: evil,
        customerState: "loaded",
        customer: {
          participantId: "p1",
          customerId: "57ac",
          customerType: "vip",
          customerStatus: "cancelled",
          balance: -400.99,
          registrationDate: "2013-05-23",
          name: "Test",
          surname: evil,
          contacts: [{ email: "t@x.com", phone: "+1-10-344" }, { email: null, phone: null }],
        },
      },
      0,
    );
    expect(q(el, "cp-customer-id").textContent).toBe("57ac");
    expect(q(el, "cp-customer-type").textContent).toBe("vip");
    expect(q(el, "cp-customer-status").textContent).toBe("cancelled");
    expect(q(el, "cp-balance").textContent).toBe("-400.99");
    expect(q(el, "cp-registered").textContent).toBe("2013-05-23");
    expect(q(el, "cp-customer-name").textContent).toBe(`Test ${evil}`);
    expect(q(el, "cp-contacts").textContent).toBe("t@x.com+1-10-344");
    expect(el.querySelector("img")).toBeNull();
  });
  it("formats balances with sign and two decimals", () => {
    expect(formatBalance(12)).toBe("+12.00");
    expect(formatBalance(-0.001)).toBe("0.00");
    expect(formatBalance(0)).toBe("0.00");
    expect(formatBalance(null)).toBe("—");
  });
});
