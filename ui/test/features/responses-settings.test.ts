// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { groupByCategory, moveWithinCategory, parseCardJson, renderResponsesSettings, type ResponsesApi } from "../../src/features/responses-settings";
import type { CannedResponse, ResponseDraft } from "../../src/features/types";

const R = (id: number, title: string, category: string, position: number, extra: Partial<CannedResponse> = {}): CannedResponse => ({
  id,
  title,
  text: `${title} text`,
  textType: "plain",
  card: null,
  category,
  hotkey: null,
  position,
  ...extra,
});
const q = (el: Element, id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;
const qa = (el: Element, id: string) => Array.from(el.querySelectorAll(`[data-testid="${id}"]`)) as HTMLElement[];
const flush = () => new Promise((r) => setTimeout(r, 0));

describe("responses helpers", () => {
  const lib = [R(1, "Hi", "Greetings", 0), R(2, "Refund", "Billing", 1), R(3, "Hello", "Greetings", 2), R(4, "Bye", "", 3)];
  it("parseCardJson", () => {
    expect(parseCardJson("  ")).toEqual({ ok: true, card: null });
    expect(parseCardJson('{"type":"vertical","elements":[]}')).toEqual({ ok: true, card: { type: "vertical", elements: [] } });
    const bad = parseCardJson("{type: vertical}");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^Card JSON is not valid: /);
    expect(parseCardJson("[1]")).toMatchObject({ ok: false });
    expect(parseCardJson('{"elements":[]}')).toMatchObject({ ok: false, message: expect.stringContaining('"type"') });
  });
  it("groups by category in order of first appearance", () => {
    expect(groupByCategory(lib).map((g) => [g.category, g.items.map((r) => r.id)])).toEqual([
      ["Greetings", [1, 3]],
      ["Billing", [2]],
      ["Uncategorised", [4]],
    ]);
  });
  it("moves within the category, skipping others", () => {
    expect(moveWithinCategory(lib, 3, -1)).toEqual([3, 2, 1, 4]);
    expect(moveWithinCategory(lib, 1, 1)).toEqual([3, 2, 1, 4]);
    expect(moveWithinCategory(lib, 1, -1)).toBeNull();
    expect(moveWithinCategory(lib, 2, 1)).toBeNull();
    expect(moveWithinCategory(lib, 99, 1)).toBeNull();
  });
});

describe("responses settings view", () => {
  let lib: CannedResponse[];
  let api: ResponsesApi;
  const mock = (f: unknown) => f as ReturnType<typeof vi.fn>;
  beforeEach(() => {
    lib = [R(1, "Hi", "Greetings", 0, { hotkey: 1 }), R(2, "Refund", "Billing", 1), R(3, "Hello", "Greetings", 2)];
    api = {
      list: vi.fn(async () => lib.map((r) => ({ ...r }))),
      save: vi.fn(async (d: ResponseDraft) => {
        const r: CannedResponse = { ...d, card: d.card as CannedResponse["card"], id: d.id ?? 10, position: d.id ? lib.find((x) => x.id === d.id)!.position : 99 };
        lib = [...lib.filter((x) => x.id !== r.id), r];
        return r;
      }),
      remove: vi.fn(async (id: number) => {
        lib = lib.filter((x) => x.id !== id);
      }),
      reorder: vi.fn(async (ids: number[]) => {
        lib = lib.map((r) => ({ ...r, position: ids.indexOf(r.id) }));
      }),
      import: vi.fn(async () => 2),
      export: vi.fn(async () => '{"version":1,"responses":[]}'),
      confirm: vi.fn(async () => true),
    };
    (URL as unknown as { createObjectURL: unknown }).createObjectURL = vi.fn(() => "blob:fake/2");
    (URL as unknown as { revokeObjectURL: unknown }).revokeObjectURL = vi.fn();
  });
  afterEach(() => document.body.replaceChildren());
  const mount = async () => {
    const v = renderResponsesSettings(api);
    document.body.append(v.el);
    await v.refresh();
    return v;
  };
  const item = (el: Element, id: number) => el.querySelector(`[data-testid="response-item"][data-response-id="${id}"]`) as HTMLElement;
  const titles = (el: Element) => qa(el, "response-item-title").map((x) => x.textContent);

  it("lists by category, collapsible, state kept across refresh", async () => {
    const v = await mount();
    const cats = qa(v.el, "responses-category");
    expect(cats.map((c) => c.dataset.category)).toEqual(["Greetings", "Billing"]);
    expect(titles(v.el)).toEqual(["Hi", "Hello", "Refund"]);
    expect(cats[0]!.tagName).toBe("DETAILS");
    (cats[0] as HTMLDetailsElement).open = false;
    cats[0]!.dispatchEvent(new Event("toggle"));
    await v.refresh();
    expect((qa(v.el, "responses-category")[0] as HTMLDetailsElement).open).toBe(false);
  });

  it("adds a response; the hotkey select shows taken keys", async () => {
    const v = await mount();
    q(v.el, "responses-add").click();
    const form = q(v.el, "response-form") as HTMLFormElement;
    expect(form.hidden).toBe(false);
    expect(document.activeElement).toBe(q(v.el, "response-title"));
    const hk = q(v.el, "response-hotkey") as HTMLSelectElement;
    expect(hk.options[1]!.disabled).toBe(true);
    expect(hk.options[1]!.textContent).toBe("Alt+1 — used by “Hi”");
    expect(hk.options[2]!.disabled).toBe(false);
    expect(Array.from(v.el.querySelectorAll("datalist option")).map((o) => (o as HTMLOptionElement).value)).toEqual(["Billing", "Greetings"]);
    (q(v.el, "response-title") as HTMLInputElement).value = "Order";
    (q(v.el, "response-category") as HTMLInputElement).value = "Billing";
    (q(v.el, "response-text") as HTMLTextAreaElement).value = "Your order {orderId}";
    hk.value = "2";
    (q(v.el, "response-card") as HTMLTextAreaElement).value = '{"type":"text","text":"x"}';
    form.requestSubmit();
    await flush();
    await flush();
    expect(api.save).toHaveBeenCalledWith({ id: null, title: "Order", text: "Your order {orderId}", textType: "plain", card: { type: "text", text: "x" }, category: "Billing", hotkey: 2 });
    expect(form.hidden).toBe(true);
    expect(titles(v.el)).toContain("Order");
  });

  it("validates the form and the card JSON with a clear message", async () => {
    const v = await mount();
    q(v.el, "responses-add").click();
    const form = q(v.el, "response-form") as HTMLFormElement;
    form.requestSubmit();
    expect(q(v.el, "response-form-error").textContent).toBe("Give the response a title.");
    (q(v.el, "response-title") as HTMLInputElement).value = "T";
    (q(v.el, "response-text") as HTMLTextAreaElement).value = "x";
    (q(v.el, "response-card") as HTMLTextAreaElement).value = "{nope";
    form.requestSubmit();
    expect(q(v.el, "response-card-error").hidden).toBe(false);
    expect(q(v.el, "response-card-error").textContent).toMatch(/^Card JSON is not valid/);
    expect(q(v.el, "response-card").getAttribute("aria-invalid")).toBe("true");
    expect(api.save).not.toHaveBeenCalled();
  });

  it("a failed save keeps everything in the form", async () => {
    mock(api.save).mockRejectedValueOnce({ code: "invalid", message: "hotkey 2 is taken" });
    const v = await mount();
    q(item(v.el, 2), "response-edit").click();
    expect((q(v.el, "response-title") as HTMLInputElement).value).toBe("Refund");
    (q(v.el, "response-text") as HTMLTextAreaElement).value = "edited text";
    (q(v.el, "response-form") as HTMLFormElement).requestSubmit();
    await flush();
    expect(q(v.el, "response-form-error").textContent).toBe("Could not save: hotkey 2 is taken");
    expect(q(v.el, "response-form").hidden).toBe(false);
    expect((q(v.el, "response-text") as HTMLTextAreaElement).value).toBe("edited text");
    expect((q(v.el, "response-title") as HTMLInputElement).value).toBe("Refund");
  });

  it("edit keeps its own hotkey selectable; Esc cancels", async () => {
    const v = await mount();
    q(item(v.el, 1), "response-edit").click();
    const hk = q(v.el, "response-hotkey") as HTMLSelectElement;
    expect(hk.value).toBe("1");
    expect(hk.options[1]!.disabled).toBe(false);
    q(v.el, "response-form").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(q(v.el, "response-form").hidden).toBe(true);
    expect(document.activeElement).toBe(q(item(v.el, 1), "response-edit"));
  });

  it("deletes after a confirm", async () => {
    const v = await mount();
    mock(api.confirm).mockResolvedValueOnce(false);
    q(item(v.el, 2), "response-delete").click();
    await flush();
    expect(api.remove).not.toHaveBeenCalled();
    q(item(v.el, 2), "response-delete").click();
    await flush();
    await flush();
    expect(api.remove).toHaveBeenCalledWith(2);
    expect(titles(v.el)).toEqual(["Hi", "Hello"]);
  });

  it("reorders with buttons and Alt+arrows, keeping the focus on the item", async () => {
    const v = await mount();
    expect((q(item(v.el, 1), "response-up") as HTMLButtonElement).disabled).toBe(true);
    q(item(v.el, 1), "response-down").click();
    await flush();
    await flush();
    expect(api.reorder).toHaveBeenCalledWith([3, 2, 1]);
    expect(titles(v.el)).toEqual(["Hello", "Hi", "Refund"]);
    expect(document.activeElement).toBe(q(item(v.el, 1), "response-edit")); // down is now disabled
    const edit = q(item(v.el, 1), "response-edit");
    edit.focus();
    edit.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", altKey: true, bubbles: true, cancelable: true }));
    await flush();
    await flush();
    expect(titles(v.el)).toEqual(["Hi", "Hello", "Refund"]);
    expect(document.activeElement).toBe(q(item(v.el, 1), "response-edit"));
  });

  it("imports a file and shows a refusal verbatim", async () => {
    const v = await mount();
    const input = q(v.el, "responses-import-file") as HTMLInputElement;
    const pick = (text: string) => {
      Object.defineProperty(input, "files", { configurable: true, value: [new File([text], "lib.json", { type: "application/json" })] });
      input.dispatchEvent(new Event("change"));
    };
    (q(v.el, "responses-import-mode") as HTMLSelectElement).value = "replace";
    pick('{"responses":[]}');
    await flush();
    await flush();
    expect(api.import).toHaveBeenCalledWith('{"responses":[]}', "replace");
    expect(q(v.el, "responses-status").textContent).toBe("Imported 2 responses from lib.json.");
    mock(api.import).mockRejectedValueOnce({ code: "invalid", message: 'entry 3 ("Refund"): field "hotkey": must be 1-9, got 12' });
    pick("bad");
    await flush();
    await flush();
    const alert = q(v.el, "responses-error");
    expect(alert.getAttribute("role")).toBe("alert");
    expect(alert.hidden).toBe(false);
    expect(alert.textContent).toBe('entry 3 ("Refund"): field "hotkey": must be 1-9, got 12');
  });

  it("exports through a Blob URL download link", async () => {
    const v = await mount();
    q(v.el, "responses-export").click();
    await flush();
    const a = q(v.el, "responses-export-link") as HTMLAnchorElement;
    expect(a.getAttribute("href")).toBe("blob:fake/2");
    expect(a.getAttribute("download")).toBe("agent-desk-responses.json");
    q(v.el, "responses-export").click();
    await flush();
    expect(qa(v.el, "responses-export-link")).toHaveLength(1);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith("blob:fake/2");
  });

  it("with a file saver, exports straight to a file and says where", async () => {
    api.saveFile = vi.fn(async (name: string) => `/tmp/${name}`);
    const v = await mount();
    q(v.el, "responses-export").click();
    await flush();
    await flush();
    expect(api.saveFile).toHaveBeenCalledWith("agent-desk-responses.json", expect.any(String));
    expect(qa(v.el, "responses-export-link")).toHaveLength(0);
    expect(q(v.el, "responses-status").textContent).toBe("Saved to /tmp/agent-desk-responses.json");
  });

  it("titles with markup stay text; an empty library says so", async () => {
    lib = [R(1, `<img src=x onerror="globalThis.__pwned=1">`, "<b>c</b>", 0)];
    const v = await mount();
    expect(v.el.querySelector("img, b")).toBeNull();
    expect(titles(v.el)[0]).toContain("<img");
    lib = [];
    await v.refresh();
    expect(q(v.el, "responses-empty")).not.toBeNull();
  });
});
