// @vitest-environment jsdom
// Issue 8 wired into the desk: customer details and wrap-ups in the store, cards and links in lines,
// the customer panel beside a pane, the wrap-up list.
import { afterEach, describe, expect, it, vi } from "vitest";
import { reduce, type Action } from "../src/store/ui";
import { initialState, panelShown, type DeskState } from "../src/store/state";
import { applySnapshot } from "../src/store/snapshot";
import { customerPanelData } from "../src/store/selectors";
import { renderLine } from "../src/views/line";
import { linkTarget, setLineBody } from "../src/lib/html";
import { ThreadPane, type ThreadActions } from "../src/views/thread";
import { WrapUpArea } from "../src/views/wrapups";
import type { AgentSurvey, CustomerProfile, DeskSnapshot, WrapUp } from "../src/types";
import { K, K2, line, lineEv, summary } from "./fixtures";

const run = (actions: Action[], from: DeskState = initialState(), now = 50_000) => actions.reduce((s, a) => reduce(s, a, now), from);

const PROFILE: CustomerProfile = {
  participantId: "p-1",
  customerId: "57ac-100007",
  customerType: "vip",
  customerStatus: "active",
  balance: -400.99,
  registrationDate: "2013-02-08",
  name: "Vera",
  surname: "Lindqvist",
  contacts: [{ email: "vera@example.com", phone: "+1-555-0101" }],
};

const SURVEY: AgentSurvey = {
  title: "Sales wrap-up",
  header: null,
  questions: [
    {
      id: "1",
      logicId: null,
      order: 0,
      mandatory: true,
      kind: "dropdown",
      validation: "none",
      label: "Contact reason",
      lastKnownValue: null,
      entries: [
        { value: "Order", checked: false, showLogicId: null },
        { value: "Refund", checked: false, showLogicId: null },
      ],
    },
    { id: "2", logicId: null, order: 1, mandatory: false, kind: "text", validation: "numeric", label: "Order number", lastKnownValue: null, entries: [] },
  ],
};

const wrap = (state: WrapUp["state"] = "open", extra: Partial<WrapUp> = {}): WrapUp => ({ chat: K, visitorName: "Vera", survey: SURVEY, state, answers: [], error: null, ...extra });

describe("store: customer details", () => {
  it("come from `customer` events for chats on the desk only", () => {
    let s = run([{ type: "chatUpdated", summary: summary(K, "Vera", { participantId: "p-1" }) }]);
    expect(s.chats[K].customer).toBeNull();
    expect(customerPanelData(s.chats[K]).customerState).toBe("loading");
    s = run([{ type: "customer", chat: K, info: { state: "loaded", profile: PROFILE } }], s);
    expect(customerPanelData(s.chats[K])).toMatchObject({ customerState: "loaded", customer: PROFILE, agents: ["Ann"], acceptedAt: 2000 });
    s = run([{ type: "customer", chat: K, info: { state: "failed", message: "404" } }], s);
    expect(customerPanelData(s.chats[K])).toMatchObject({ customerState: "failed", customer: null });
    const before = s;
    expect(run([{ type: "customer", chat: K2, info: { state: "loading" } }], before)).toBe(before);
  });

  it("without a participant id there is no customer to show", () => {
    const s = run([{ type: "chatUpdated", summary: summary() }]);
    expect(customerPanelData(s.chats[K]).customerState).toBe("none");
  });

  it("come from the snapshot", () => {
    const snap: DeskSnapshot = {
      session: "loggedIn",
      connection: "online",
      availability: "Online",
      agent: null,
      ringing: null,
      chats: [{ summary: summary(K, "Vera", { participantId: "p-1" }), lines: [], outbox: [], visitorTyping: false, draft: null, customer: { state: "loaded", profile: PROFILE } }],
      wrapUps: [wrap("failed", { error: "refused", answers: [{ questionId: "1", values: ["Order"] }] }), wrap("done", { chat: K2 })],
    };
    const s = applySnapshot(initialState(), snap);
    expect(s.chats[K].customer).toEqual({ state: "loaded", profile: PROFILE });
    expect(s.wrapUps.map((w) => [w.chat, w.state])).toEqual([[K, "failed"]]);
  });
});

describe("store: wrap-ups", () => {
  it("are added, updated in place and removed when done or skipped", () => {
    let s = run([
      { type: "wrapUp", wrapUp: wrap() },
      { type: "wrapUp", wrapUp: wrap("open", { chat: K2, visitorName: "Wes" }) },
    ]);
    expect(s.wrapUps.map((w) => w.chat)).toEqual([K, K2]);
    s = run([{ type: "wrapUp", wrapUp: wrap("submitting") }], s);
    expect(s.wrapUps.map((w) => [w.chat, w.state])).toEqual([
      [K, "submitting"],
      [K2, "open"],
    ]);
    s = run([{ type: "wrapUp", wrapUp: wrap("done") }], s);
    expect(s.wrapUps.map((w) => w.chat)).toEqual([K2]);
    s = run([{ type: "wrapUp", wrapUp: wrap("skipped", { chat: K2 }) }], s);
    expect(s.wrapUps).toEqual([]);
    // A finished wrap-up the desk never listed changes nothing.
    expect(run([{ type: "wrapUp", wrapUp: wrap("done") }], s)).toBe(s);
  });

  it("go with the session", () => {
    const s = run([{ type: "wrapUp", wrapUp: wrap() }, { type: "session", state: "loggedOut", agent: null }]);
    expect(s.wrapUps).toEqual([]);
  });
});

describe("store: customer panel toggles", () => {
  it("are per chat, the last choice being the default for others, and survive a reset", () => {
    let s = run([{ type: "ui/open", chat: K, mode: "split" }]);
    expect(panelShown(s, K)).toBe(true);
    s = run([{ type: "ui/togglePanel", chat: K }], s);
    expect(panelShown(s, K)).toBe(false);
    expect(panelShown(s, K2)).toBe(false);
    s = run([{ type: "ui/togglePanel", chat: K2 }], s);
    expect(panelShown(s, K2)).toBe(true);
    expect(panelShown(s, K)).toBe(false);
    s = run([{ type: "ui/reset" }], s);
    expect(panelShown(s, K)).toBe(false);
  });
});

describe("lines with cards", () => {
  const CARD = {
    type: "vertical",
    elements: [
      { type: "text", text: "Your order <img src=x onerror=alert(1)>" },
      { type: "button", title: "Track", click: { actions: [{ type: "link", uri: "https://example.com/track" }] } },
      { type: "link", title: "evil", url: "javascript:alert(1)" },
      { type: "image", url: "https://example.com/a.png" },
    ],
  };

  it("draw a rich-content line's card, with links and images through the actions", async () => {
    const openLink = vi.fn();
    const loadImage = vi.fn(async () => "data:image/png;base64,AAAA");
    const row = renderLine({ key: "l:1", line: line(1, "visitor", "Your order", { textType: "rich-content", card: CARD }), outbox: null }, "Vera", {
      retry: () => {},
      openLink,
      loadImage,
    });
    const card = row.querySelector('[data-testid="card"]')!;
    expect(card).not.toBeNull();
    expect(card.getAttribute("aria-description")).toBe("Your order");
    expect(row.querySelector('[data-testid="card-text"]')!.textContent).toBe("Your order <img src=x onerror=alert(1)>");
    expect(row.querySelector("img")).toBeNull();
    (row.querySelector('[data-testid="card-button"]') as HTMLButtonElement).click();
    expect(openLink).toHaveBeenCalledWith("https://example.com/track");
    expect(row.querySelector('[data-testid="card-blocked"]')).not.toBeNull();
    (row.querySelector('[data-testid="card-image-load"]') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(row.querySelector('[data-testid="card-img"]')).not.toBeNull());
    expect(loadImage).toHaveBeenCalledWith("https://example.com/a.png");
    expect(row.querySelectorAll("[href], [onerror], script")).toHaveLength(0);
  });

  it("show the text when the card is missing or not an object", () => {
    for (const card of [null, "nonsense", [1, 2], 42]) {
      const row = renderLine({ key: "l:1", line: line(1, "visitor", "Fallback text", { textType: "rich-content", card }), outbox: null }, "Vera", { retry: () => {} });
      expect(row.querySelector('[data-testid="card"]')).toBeNull();
      expect(row.querySelector('[data-testid="line-body"]')!.textContent).toBe("Fallback text");
    }
  });

  it("show the text beside a card that cannot be drawn at all", () => {
    const row = renderLine({ key: "l:1", line: line(1, "visitor", "Fallback text", { textType: "rich-content", card: { type: 42 } }), outbox: null }, "Vera", { retry: () => {} });
    expect(row.querySelector('[data-testid="card-fallback"]')!.textContent).toBe("Fallback text");
    expect(row.querySelector('[data-testid="card-placeholder"]')).not.toBeNull();
  });
});

describe("links in HTML lines", () => {
  it("show where they go and are found for the click handler (http(s) only)", () => {
    const body = document.createElement("div");
    body.className = "line-body";
    setLineBody(body, '<a href="https://example.com/x">ok</a> <a href="mailto:a@b.c">mail</a> <a href="javascript:alert(1)">bad</a>', "html");
    const [ok, mail, bad] = Array.from(body.querySelectorAll("a"));
    expect(ok.title).toBe("https://example.com/x");
    expect(linkTarget(ok)).toEqual({ link: ok, url: "https://example.com/x" });
    expect(linkTarget(mail)?.url).toBeNull();
    expect(bad.hasAttribute("href")).toBe(false);
    expect(linkTarget(bad)?.url).toBeNull();
    expect(linkTarget(document.createElement("a"))).toBeNull(); // not inside an HTML line
  });
});

function actions(over: Partial<ThreadActions> = {}): ThreadActions {
  return {
    send: vi.fn(),
    draft: vi.fn(),
    typing: vi.fn(),
    retry: vi.fn(),
    end: vi.fn(),
    transfer: vi.fn(),
    close: vi.fn(),
    activate: vi.fn(),
    loadImage: vi.fn(async () => ""),
    openLink: vi.fn(),
    togglePanel: vi.fn(),
    copyTranscript: vi.fn(),
    ...over,
  };
}

describe("the pane's Copy button", () => {
  afterEach(() => document.body.replaceChildren());

  it("asks for the chat's transcript as text", () => {
    const s = run([{ type: "chatUpdated", summary: summary(K, "Vera") }]);
    const a = actions();
    const pane = new ThreadPane(K, s.chats[K], a);
    document.body.append(pane.el);
    (pane.el.querySelector('[data-testid="copy-transcript"]') as HTMLButtonElement).click();
    expect(a.copyTranscript).toHaveBeenCalledWith(K);
  });
});

describe("the pane's customer panel", () => {
  afterEach(() => document.body.replaceChildren());

  it("shows the summary and customer, collapses, and ticks its duration", () => {
    let s = run([
      { type: "chatUpdated", summary: summary(K, "Vera", { participantId: "p-1", startTime: 1_000 }) },
      { type: "customer", chat: K, info: { state: "loaded", profile: PROFILE } },
    ]);
    const a = actions();
    const pane = new ThreadPane(K, s.chats[K], a);
    document.body.append(pane.el);
    pane.update(s.chats[K], true, true, 61_000);
    const q = (id: string) => pane.el.querySelector(`[data-testid="${id}"]`);
    expect(q("cp-customer-name")!.textContent).toBe("Vera Lindqvist");
    expect(q("cp-duration")!.textContent).toBe("1 min");
    expect(pane.panelVisible).toBe(true);
    pane.tick(125_000);
    expect(q("cp-duration")!.textContent).toBe("2 min");
    s = run([{ type: "visitorTyping", chat: K, typing: true }], s);
    pane.update(s.chats[K], true, true, 125_000);
    expect((q("cp-typing") as HTMLElement).hidden).toBe(false);
    (q("customer-toggle") as HTMLButtonElement).click();
    expect(a.togglePanel).toHaveBeenCalledWith(K);
    pane.update(s.chats[K], true, false);
    expect(q("customer-panel")).toBeNull();
    expect(pane.panelVisible).toBe(false);
    expect(q("customer-toggle")!.getAttribute("aria-pressed")).toBe("false");
  });

  it("sends clicks on HTML links to openLink and never lets the webview follow them", () => {
    const a = actions();
    const s = run([{ type: "chatUpdated", summary: summary() }, lineEv(line(1, "visitor", '<a href="https://example.com/">site</a>', { textType: "html" }))]);
    const pane = new ThreadPane(K, s.chats[K], a);
    document.body.append(pane.el);
    pane.update(s.chats[K], true, false);
    const link = pane.el.querySelector("a");
    if (!link) return; // the windowed list draws no rows without layout in jsdom
    const ev = new MouseEvent("click", { bubbles: true, cancelable: true });
    link.dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(true);
    expect(a.openLink).toHaveBeenCalledWith("https://example.com/");
  });
});

describe("the wrap-up list", () => {
  afterEach(() => document.body.replaceChildren());

  it("shows each open wrap-up, submits, shows a refused call inline, and drops finished ones", async () => {
    const submitWrapUp = vi.fn(async () => {
      throw { code: "invalidInput", message: "“Contact reason” must be answered", retryable: false };
    });
    const skipWrapUp = vi.fn(async () => {});
    const area = new WrapUpArea({ submitWrapUp, skipWrapUp }, (e) => `Refused: ${(e as { message: string }).message}`);
    document.body.append(area.el);
    let s = run([{ type: "wrapUp", wrapUp: wrap() }, { type: "wrapUp", wrapUp: wrap("open", { chat: K2, visitorName: "Wes" }) }]);
    area.update(s);
    expect(area.el.hidden).toBe(false);
    expect(area.el.querySelectorAll('[data-testid="survey-form"]')).toHaveLength(2);
    const form = area.el.querySelector(`[data-testid="survey-form"][data-chat="${K}"]`) as HTMLFormElement;
    (form.querySelector('[data-testid="survey-select"]') as HTMLSelectElement).value = "Refund";
    form.requestSubmit();
    expect(submitWrapUp).toHaveBeenCalledWith(K, [{ questionId: "1", values: ["Refund"] }]);
    await vi.waitFor(() => expect(form.querySelector('[data-testid="survey-error"]')!.textContent).toBe("Refused: “Contact reason” must be answered"));
    expect((form.querySelector('[data-testid="survey-submit"]') as HTMLButtonElement).disabled).toBe(false);

    // The engine refuses it: its message shows, the answers stay.
    s = run([{ type: "wrapUp", wrapUp: wrap("failed", { error: "The server refused: bad reason", answers: [{ questionId: "1", values: ["Refund"] }] }) }], s);
    area.update(s);
    expect(form.querySelector('[data-testid="survey-error"]')!.textContent).toBe("The server refused: bad reason");
    expect((form.querySelector('[data-testid="survey-select"]') as HTMLSelectElement).value).toBe("Refund");

    s = run([{ type: "wrapUp", wrapUp: wrap("done") }], s);
    area.update(s);
    expect(area.el.querySelectorAll('[data-testid="survey-form"]')).toHaveLength(1);
    s = run([{ type: "wrapUp", wrapUp: wrap("skipped", { chat: K2 }) }], s);
    area.update(s);
    expect(area.el.hidden).toBe(true);
  });

  it("starts a refused wrap-up (after a reload) from the answers it had", () => {
    const area = new WrapUpArea({ submitWrapUp: vi.fn(async () => {}), skipWrapUp: vi.fn(async () => {}) }, String);
    const s = run([{ type: "wrapUp", wrapUp: wrap("failed", { error: "refused", answers: [{ questionId: "1", values: ["Order"] }, { questionId: "2", values: ["12"] }] }) }]);
    area.update(s);
    expect((area.el.querySelector('[data-testid="survey-select"]') as HTMLSelectElement).value).toBe("Order");
    expect((area.el.querySelector('[data-testid="survey-text"]') as HTMLInputElement).value).toBe("12");
  });
});
