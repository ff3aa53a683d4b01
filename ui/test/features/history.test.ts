// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dayRange, exportFileName, HISTORY_DEBOUNCE_MS, newestFirst, renderHistoryView, RESULTS_PAGE, snippetNodes, type HistoryApi } from "../../src/features/history-view";
import type { ChatRecord, HistoryHit, TranscriptLine } from "../../src/features/types";

const rec = (key: string, startedAt: number | null, extra: Partial<ChatRecord> = {}): ChatRecord => ({
  key,
  owner: "ann",
  visitorName: `V ${key}`,
  skill: "Sales",
  // The engine always has a start; the view still copes without one.
  startedAt: startedAt as number,
  acceptedAt: null,
  firstReplyAt: null,
  endedAt: startedAt != null ? startedAt + 65_000 : null,
  endReason: "agent",
  lineCount: 3,
  survey: null,
  ...extra,
});
const hit = (r: ChatRecord, snippet: string | null = null): HistoryHit => ({ record: r, snippet });
const q = (el: Element, id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;
const qa = (el: Element, id: string) => Array.from(el.querySelectorAll(`[data-testid="${id}"]`)) as HTMLElement[];
const htmlOf = (nodes: Node[]) => {
  const d = document.createElement("div");
  d.append(...nodes);
  return d.innerHTML;
};

describe("snippetNodes", () => {
  it("marks the spans and keeps everything else as text", () => {
    expect(htmlOf(snippetNodes("my \uE000order\uE001 is \uE000late\uE001!"))).toBe("my <mark>order</mark> is <mark>late</mark>!");
  });
  it("hostile content stays text", () => {
    const nodes = snippetNodes(`<img src=x onerror=alert(1)> \uE000<b>x</b>\uE001 &amp;`);
    const d = document.createElement("div");
    d.append(...nodes);
    expect(d.querySelector("img, b")).toBeNull();
    expect(d.querySelectorAll("mark")).toHaveLength(1);
    expect(d.textContent).toBe(`<img src=x onerror=alert(1)> <b>x</b> &amp;`);
  });
  it("survives unbalanced and empty markers", () => {
    expect(htmlOf(snippetNodes("a\uE001b"))).toBe("ab");
    expect(htmlOf(snippetNodes("a\uE000b"))).toBe("a<mark>b</mark>");
    expect(htmlOf(snippetNodes("a\uE000\uE000b\uE001\uE001c"))).toBe("a<mark>b</mark>c");
    expect(htmlOf(snippetNodes("\uE000\uE001"))).toBe("");
    expect(snippetNodes("")).toEqual([]);
  });
});

describe("history helpers", () => {
  it("dayRange covers whole local days", () => {
    const r = dayRange("2024-05-01", "2024-05-02");
    expect(r.from).toBe(new Date(2024, 4, 1).getTime());
    expect(r.to).toBe(new Date(2024, 4, 3).getTime() - 1);
    expect(dayRange("", "bad")).toEqual({ from: null, to: null });
  });
  it("newestFirst puts unknown times last, keeps ties stable", () => {
    const hits = [hit(rec("a", 1)), hit(rec("b", null)), hit(rec("c", 3)), hit(rec("d", 3))];
    expect(newestFirst(hits).map((h) => h.record.key)).toEqual(["c", "d", "a", "b"]);
  });
  it("exportFileName is safe", () => {
    expect(exportFileName(rec("k", new Date(2024, 4, 1, 10).getTime(), { visitorName: "../Vera <Smith>" }))).toBe("chat-Vera_Smith-2024-05-01.txt");
    expect(exportFileName(rec("k", null, { visitorName: "" }))).toBe("chat-visitor.txt");
  });
});

describe("history view", () => {
  const LINES: TranscriptLine[] = [
    { time: 1000, who: "Vera", text: `<img src=x onerror="globalThis.__pwned=1">`, textType: "plain" },
    { time: 2000, who: "You", text: `<b>bold</b><script>globalThis.__pwned=2</script>`, textType: "html" },
  ];
  let api: HistoryApi;
  const mock = (f: unknown) => f as ReturnType<typeof vi.fn>;
  beforeEach(() => {
    vi.useFakeTimers();
    api = {
      search: vi.fn(async () => [hit(rec("old", 1000)), hit(rec("new", 5000), "the \uE000order\uE001")]),
      open: vi.fn(async () => LINES),
      plainText: vi.fn(async () => "Vera: hi\nYou: hello"),
      setRetention: vi.fn(async () => {}),
      clear: vi.fn(async () => {}),
      confirm: vi.fn(async () => true),
      writeClipboard: vi.fn(async () => {}),
    } as never;
    (URL as unknown as { createObjectURL: unknown }).createObjectURL = vi.fn(() => "blob:fake/1");
    (URL as unknown as { revokeObjectURL: unknown }).revokeObjectURL = vi.fn();
  });
  afterEach(() => {
    vi.useRealTimers();
    document.body.replaceChildren();
  });
  const mount = () => {
    const v = renderHistoryView(api, { retentionDays: 30 });
    document.body.append(v.el);
    return v;
  };
  const typeIn = (el: HTMLElement, value: string, ev = "input") => {
    (el as HTMLInputElement).value = value;
    el.dispatchEvent(new Event(ev, { bubbles: true }));
  };

  it("searches debounced, newest first, with highlighted snippets", async () => {
    const v = mount();
    typeIn(q(v.el, "history-search"), "ord");
    typeIn(q(v.el, "history-search"), "order");
    typeIn(q(v.el, "history-visitor"), "Vera");
    await vi.advanceTimersByTimeAsync(HISTORY_DEBOUNCE_MS + 5);
    expect(api.search).toHaveBeenCalledTimes(1);
    expect(api.search).toHaveBeenCalledWith({ text: "order", from: null, to: null, visitor: "Vera" });
    expect(qa(v.el, "history-result").map((b) => b.dataset.chat)).toEqual(["new", "old"]);
    expect(q(v.el, "history-result-snippet").querySelector("mark")!.textContent).toBe("order");
    expect(q(v.el, "history-status").textContent).toBe("2 chats found");
  });

  it("drops stale answers", async () => {
    const resolvers: ((h: HistoryHit[]) => void)[] = [];
    api.search = vi.fn(() => new Promise<HistoryHit[]>((r) => resolvers.push(r))) as never;
    const v = mount();
    const first = v.refresh();
    const second = v.refresh();
    resolvers[1]!([hit(rec("second", 1))]);
    await second;
    resolvers[0]!([hit(rec("first", 1))]);
    await first;
    expect(qa(v.el, "history-result").map((b) => b.dataset.chat)).toEqual(["second"]);
  });

  it("refuses a reversed date range", async () => {
    const v = mount();
    typeIn(q(v.el, "history-from"), "2024-05-03", "change");
    typeIn(q(v.el, "history-to"), "2024-05-01", "change");
    await vi.advanceTimersByTimeAsync(HISTORY_DEBOUNCE_MS + 5);
    expect(api.search).not.toHaveBeenCalled();
    expect(q(v.el, "history-status").textContent).toMatch(/From date is after/);
  });

  it("caps results with show more", async () => {
    api.search = vi.fn(async () => Array.from({ length: 450 }, (_, i) => hit(rec(`k${i}`, i)))) as never;
    const v = mount();
    await v.refresh();
    expect(qa(v.el, "history-result")).toHaveLength(RESULTS_PAGE);
    q(v.el, "history-more").click();
    expect(qa(v.el, "history-result")).toHaveLength(400);
    expect(document.activeElement).toBe(qa(v.el, "history-result")[200]);
    q(v.el, "history-more").click();
    expect(qa(v.el, "history-result")).toHaveLength(450);
    expect(q(v.el, "history-more").hidden).toBe(true);
  });

  it("opens a transcript read-only with lines as text (html through setLineBody)", async () => {
    const v = mount();
    await v.refresh();
    qa(v.el, "history-result")[0]!.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.open).toHaveBeenCalledWith("new");
    const t = q(v.el, "history-transcript");
    expect(t.hidden).toBe(false);
    const ls = qa(t, "history-line");
    expect(ls).toHaveLength(2);
    expect(ls[0]!.querySelector("img")).toBeNull();
    expect(ls[0]!.textContent).toContain("<img");
    expect(ls[1]!.querySelector("b")!.textContent).toBe("bold");
    expect(ls[1]!.querySelector("script")).toBeNull();
    expect(t.querySelector("textarea:not([hidden]), input")).toBeNull();
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
    t.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(t.hidden).toBe(true);
    expect(document.activeElement).toBe(qa(v.el, "history-result")[0]);
  });

  it("copies as text, with a fallback when the clipboard fails", async () => {
    const v = mount();
    await v.refresh();
    qa(v.el, "history-result")[1]!.click();
    await vi.advanceTimersByTimeAsync(0);
    q(v.el, "history-copy").click();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.writeClipboard).toHaveBeenCalledWith("Vera: hi\nYou: hello");
    expect(q(v.el, "history-copy-status").textContent).toBe("Copied to the clipboard.");
    mock(api.writeClipboard).mockRejectedValueOnce(new Error("denied"));
    q(v.el, "history-copy").click();
    await vi.advanceTimersByTimeAsync(0);
    const fb = q(v.el, "history-copy-fallback") as HTMLTextAreaElement;
    expect(fb.hidden).toBe(false);
    expect(fb.value).toBe("Vera: hi\nYou: hello");
    expect(q(v.el, "history-copy-status").textContent).toMatch(/not available/);
  });

  it("exports a .txt through a Blob URL", async () => {
    const v = mount();
    await v.refresh();
    qa(v.el, "history-result")[1]!.click();
    await vi.advanceTimersByTimeAsync(0);
    q(v.el, "history-export").click();
    await vi.advanceTimersByTimeAsync(0);
    const a = q(v.el, "history-export-link") as HTMLAnchorElement;
    expect(a.getAttribute("href")).toBe("blob:fake/1");
    expect(a.getAttribute("download")).toBe("chat-V_old-1970-01-01.txt");
  });

  it("with a file saver, exports straight to a file and says where", async () => {
    api.saveFile = vi.fn(async (name: string) => `/home/agent/Downloads/${name}`);
    const v = mount();
    await v.refresh();
    qa(v.el, "history-result")[1]!.click();
    await vi.advanceTimersByTimeAsync(0);
    q(v.el, "history-export").click();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.saveFile).toHaveBeenCalledWith("chat-V_old-1970-01-01.txt", "Vera: hi\nYou: hello");
    expect(qa(v.el, "history-export-link")).toHaveLength(0);
    expect(q(v.el, "history-copy-status").textContent).toBe("Saved to /home/agent/Downloads/chat-V_old-1970-01-01.txt");
  });

  it("retention setting validates 1–365 and clear asks first", async () => {
    const v = mount();
    const ret = q(v.el, "history-retention") as HTMLInputElement;
    expect(ret.value).toBe("30");
    ret.value = "0";
    q(v.el, "history-retention-save").click();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.setRetention).not.toHaveBeenCalled();
    expect(q(v.el, "history-settings-status").textContent).toMatch(/1 to 365/);
    ret.value = "90";
    q(v.el, "history-retention-save").click();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.setRetention).toHaveBeenCalledWith(90);

    await v.refresh();
    mock(api.confirm).mockResolvedValueOnce(false);
    q(v.el, "history-clear").click();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.clear).not.toHaveBeenCalled();
    q(v.el, "history-clear").click();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.clear).toHaveBeenCalledOnce();
    expect(qa(v.el, "history-result")).toHaveLength(0);
    expect(q(v.el, "history-settings-status").textContent).toBe("History cleared.");
  });

  it("shows a search error as text", async () => {
    api.search = vi.fn(async () => Promise.reject({ code: "storage", message: "<b>disk</b> full" })) as never;
    const v = mount();
    await v.refresh();
    expect(q(v.el, "history-status").textContent).toBe("Search failed: <b>disk</b> full");
  });
});
