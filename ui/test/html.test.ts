// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { htmlFragment, lineTextForSpeech, setLineBody } from "../src/lib/html";
import { renderLine } from "../src/views/line";
import { h } from "../src/lib/dom";
import { line } from "./fixtures";

const NASTY = [
  `<img src=x onerror="globalThis.__pwned=1">`,
  `<script>globalThis.__pwned=2</script>`,
  `<b onclick="x()">bold</b>`,
  `&lt;i&gt;entity&lt;/i&gt;`,
];

describe("line bodies", () => {
  it("never parse plain or rich-content text as HTML", () => {
    for (const text of NASTY) {
      for (const tt of ["plain", "rich-content"] as const) {
        const el = document.createElement("div");
        setLineBody(el, text, tt);
        expect(el.textContent).toBe(text);
        expect(el.children).toHaveLength(0);
      }
    }
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("renders a whole visitor line with markup as text", () => {
    const row = renderLine({ key: "l:1", line: line(1, "visitor", NASTY[0]), outbox: null }, `<b>Eve</b>`, { retry: () => {} });
    expect(row.querySelector("img")).toBeNull();
    expect(row.querySelector('[data-testid="line-body"]')!.textContent).toBe(NASTY[0]);
    expect(row.querySelector(".line-by")!.textContent).toBe("<b>Eve</b>");
  });

  it("inserts html lines as HTML, and still drops script, handlers and javascript: links", () => {
    const el = document.createElement("div");
    setLineBody(el, `<p>Hi <b>there</b> <a href="javascript:alert(1)">x</a> <a href="https://example.com">ok</a><script>1</script><img src="x" onerror="y()"></p>`, "html");
    expect(el.querySelector("b")!.textContent).toBe("there");
    expect(el.querySelector("script")).toBeNull();
    expect(el.querySelector("img")!.hasAttribute("onerror")).toBe(false);
    const links = el.querySelectorAll("a");
    expect(links[0].hasAttribute("href")).toBe(false);
    expect(links[1].getAttribute("href")).toBe("https://example.com");
    expect(links[1].getAttribute("rel")).toContain("noopener");
  });

  it("reads html lines aloud as text, plain lines verbatim", () => {
    expect(lineTextForSpeech("<p>Hello <b>you</b></p>", "html")).toBe("Hello you");
    expect(lineTextForSpeech("<b>literally</b>", "plain")).toBe("<b>literally</b>");
    expect(htmlFragment("<style>*{}</style>ok").textContent).toBe("ok");
  });

  it("the element helper refuses inline handlers and style attributes", () => {
    expect(() => h("div", { onclick: "x()" })).toThrow();
    expect(() => h("div", { style: "color:red" })).toThrow();
    expect(h("div", { text: "<b>x</b>" }).innerHTML).toBe("&lt;b&gt;x&lt;/b&gt;");
  });
});

describe("outbox rows", () => {
  it("show pending / sent / failed with a Retry button", () => {
    let retried = "";
    const item = (state: "pending" | "sent" | "failed") => ({ key: "o:L1", line: null, outbox: { localId: "L1", text: "hey", state, eventId: null, error: state === "failed" ? "503" : null } });
    expect(renderLine(item("pending"), "V", { retry: () => {} }).querySelector('[data-testid="line-status"]')!.getAttribute("data-state")).toBe("pending");
    expect(renderLine(item("sent"), "V", { retry: () => {} }).querySelector('[data-testid="retry-button"]')).toBeNull();
    const failed = renderLine(item("failed"), "V", { retry: (id) => (retried = id) });
    (failed.querySelector('[data-testid="retry-button"]') as HTMLButtonElement).click();
    expect(retried).toBe("L1");
    expect(failed.dataset.localId).toBe("L1");
  });
});
