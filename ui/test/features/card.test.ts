// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import { MAX_DEPTH, MAX_ELEMENTS, renderCard } from "../../src/features/card";
import type { JsonValue } from "../../src/features/types";

function setup() {
  const opts = {
    loadImage: vi.fn(async (_url: string) => "data:image/png;base64,AAAA"),
    openLink: vi.fn((_url: string) => {}),
    onButton: vi.fn((_a: JsonValue) => {}),
  };
  const render = (json: JsonValue) => {
    const el = renderCard(json, opts);
    document.body.replaceChildren(el);
    return el;
  };
  return { opts, render };
}
const q = (el: Element, id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;
const qa = (el: Element, id: string) => Array.from(el.querySelectorAll(`[data-testid="${id}"]`)) as HTMLElement[];
const flush = () => new Promise((r) => setTimeout(r, 0));

describe("card renderer", () => {
  it("renders text with mapped style classes and a tooltip, never inline styles", () => {
    const { render } = setup();
    const el = render({ type: "text", text: "Hello", tooltip: "tip", style: { bold: true, italic: true, size: "large", color: "red;background:url(x)" } });
    const t = q(el, "card-text");
    expect(t.textContent).toBe("Hello");
    expect(t.title).toBe("tip");
    expect([...t.classList].sort()).toEqual(["card-text", "is-bold", "is-italic", "is-large"]);
    expect(el.querySelector("[style]")).toBeNull();
  });

  it("nests vertical and horizontal layouts", () => {
    const { render } = setup();
    const el = render({
      type: "vertical",
      elements: [
        { type: "text", text: "Title" },
        { type: "horizontal", elements: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
      ],
    });
    const v = q(el, "card-vertical");
    expect(v.children).toHaveLength(2);
    const hz = q(v, "card-horizontal");
    expect(qa(hz, "card-text").map((x) => x.textContent)).toEqual(["a", "b"]);
  });

  it("loads an image only after the click, and only as a data: URL", async () => {
    const { opts, render } = setup();
    const el = render({ type: "image", url: "https://cdn.example.com/p.png", caption: "A shoe", tooltip: "shoe" });
    expect(el.querySelector("img")).toBeNull();
    expect(opts.loadImage).not.toHaveBeenCalled();
    const btn = q(el, "card-image-load") as HTMLButtonElement;
    expect(btn.textContent).toBe("Load image (cdn.example.com)");
    expect(el.querySelector("figcaption")?.textContent).toBe("A shoe");
    btn.click();
    expect(opts.loadImage).toHaveBeenCalledWith("https://cdn.example.com/p.png");
    await flush();
    const img = q(el, "card-img") as HTMLImageElement;
    expect(img.getAttribute("src")).toBe("data:image/png;base64,AAAA");
    expect(img.alt).toBe("A shoe");
  });

  it("refuses a non-image result and offers a retry", async () => {
    const { opts, render } = setup();
    opts.loadImage.mockResolvedValueOnce("https://evil.example/x.png");
    const el = render({ type: "image", url: "http://a.example/x.png" });
    q(el, "card-image-load").click();
    await flush();
    expect(el.querySelector("img")).toBeNull();
    expect(q(el, "card-image-status").textContent).toMatch(/could not be loaded/);
    expect((q(el, "card-image-load") as HTMLButtonElement).disabled).toBe(false);
    opts.loadImage.mockRejectedValueOnce(new Error("404"));
    q(el, "card-image-load").click();
    await flush();
    expect(el.querySelector("img")).toBeNull();
  });

  it("blocks non-http(s) images", () => {
    const { opts, render } = setup();
    for (const url of ["javascript:alert(1)", "file:///etc/passwd", "data:image/png;base64,AA", "//x.example/a.png", 42]) {
      const el = render({ type: "image", url } as JsonValue);
      expect(q(el, "card-image-load")).toBeNull();
      expect(q(el, "card-blocked").textContent).toMatch(/blocked link/);
    }
    expect(opts.loadImage).not.toHaveBeenCalled();
  });

  it("buttons open http(s) links with the target in the tooltip and pass other actions on", () => {
    const { opts, render } = setup();
    const el = render({
      type: "button",
      title: "Track order",
      click: { actions: [{ type: "link", uri: "https://shop.example/track?id=1", name: "track" }, { type: "publishText", text: "track it" }] },
    });
    const b = q(el, "card-button") as HTMLButtonElement;
    expect(b.textContent).toBe("Track order");
    expect(b.title).toContain("https://shop.example/track?id=1");
    b.click();
    expect(opts.openLink).toHaveBeenCalledWith("https://shop.example/track?id=1");
    expect(opts.onButton).toHaveBeenCalledWith({ type: "publishText", text: "track it" });
  });

  it("buttons with javascript: links are blocked", () => {
    const { opts, render } = setup();
    const el = render({ type: "button", title: "Click", click: { actions: [{ type: "link", uri: "javascript:alert(1)" }] } });
    const b = q(el, "card-button") as HTMLButtonElement;
    expect(b.disabled).toBe(true);
    expect(q(el, "card-blocked").textContent).toBe("blocked link");
    b.click();
    expect(opts.openLink).not.toHaveBeenCalled();
  });

  it("links open through openLink only for http(s)", () => {
    const { opts, render } = setup();
    const el = render({ type: "link", url: "https://example.com/a", title: "Docs" });
    const a = q(el, "card-link");
    expect(a.tagName).toBe("BUTTON");
    expect(a.title).toBe("https://example.com/a");
    a.click();
    expect(opts.openLink).toHaveBeenCalledWith("https://example.com/a");
    const bad = render({ type: "link", url: " JavaScript:alert(1)", title: "x" });
    expect(q(bad, "card-link").tagName).toBe("SPAN");
    expect(q(bad, "card-blocked")).not.toBeNull();
    expect(bad.querySelector("a")).toBeNull();
  });

  it("unknown element types show a labelled placeholder with the raw JSON", () => {
    const { render } = setup();
    const el = render({ type: "vertical", elements: [{ type: "carousel", cards: [1, 2] }, { type: "text", text: "after" }] });
    const p = q(el, "card-placeholder");
    expect(p.textContent).toContain("Unsupported element: carousel");
    const details = q(p, "card-json");
    expect(details.tagName).toBe("DETAILS");
    expect(JSON.parse(details.querySelector("pre")!.textContent!)).toEqual({ type: "carousel", cards: [1, 2] });
    expect(q(el, "card-text").textContent).toBe("after");
  });

  it("malformed input never throws", () => {
    const { render } = setup();
    const inputs: JsonValue[] = [null, 1, "text", true, [], [{ type: "text", text: "x" }], {}, { type: 5 }, { type: "" }, { type: "vertical" }, { type: "vertical", elements: "no" }, { type: "text" }, { type: "text", text: { a: 1 } }, { type: "button" }, { type: "button", click: { actions: "x" } }, { type: "link" }, { type: "image" }];
    for (const j of inputs) {
      const el = render(j);
      expect(el.dataset.testid).toBe("card");
      expect(el.textContent!.length).toBeGreaterThan(0);
    }
    expect(render(null).textContent).toMatch(/not a JSON object/);
    expect(render({}).textContent).toMatch(/no type/);
  });

  it("caps depth and element count and says so", () => {
    const { render } = setup();
    let deep: JsonValue = { type: "text", text: "bottom" };
    for (let i = 0; i < 50; i++) deep = { type: "vertical", elements: [deep] };
    const d = render(deep);
    expect(d.textContent).not.toContain("bottom");
    expect(q(d, "card-truncated").textContent).toContain(String(MAX_DEPTH));
    expect(d.querySelectorAll(".card-vertical").length).toBe(MAX_DEPTH);

    const many: JsonValue = { type: "vertical", elements: Array.from({ length: 1000 }, (_, i) => ({ type: "text", text: `t${i}` })) };
    const m = render(many);
    expect(qa(m, "card-text").length).toBe(MAX_ELEMENTS - 1);
    expect(q(m, "card-truncated")).not.toBeNull();
  });

  it("hostile strings stay inert text", () => {
    const { render } = setup();
    const evil = `<img src=x onerror="globalThis.__pwned=1"><script>globalThis.__pwned=2</script>`;
    const el = render({
      type: "vertical",
      elements: [
        { type: "text", text: evil, tooltip: evil },
        { type: "button", title: evil, click: { actions: [{ type: "link", uri: `https://x.example/"><script>` }] } },
        { type: "link", url: "https://x.example/", title: evil },
        { type: "image", url: "https://x.example/a.png", caption: evil },
        { type: evil },
      ],
    });
    expect(el.querySelector("img, script")).toBeNull();
    expect(q(el, "card-text").textContent).toBe(evil);
    expect(el.textContent).toContain(`Unsupported element: ${evil}`);
    for (const node of Array.from(el.querySelectorAll("*"))) {
      for (const a of Array.from(node.attributes)) expect(a.name.startsWith("on")).toBe(false);
    }
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
  });
});
