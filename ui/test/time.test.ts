import { describe, expect, it } from "vitest";
import { clockTime, relativeIn } from "../src/lib/time";
import { previewText } from "../src/lib/text";

describe("time and text helpers", () => {
  it("shows the clock today and the date on other days", () => {
    const now = new Date(2026, 10, 21, 18, 30).getTime();
    expect(clockTime(new Date(2026, 10, 21, 9, 5).getTime(), now)).toBe("09:05");
    expect(clockTime(new Date(2026, 10, 12, 14, 3).getTime(), now)).toBe("12 Nov 14:03");
    expect(clockTime(null, now)).toBe("");
  });

  it("says when the next retry is", () => {
    expect(relativeIn(12_000, 0)).toBe("in 12 s");
    expect(relativeIn(0, 5)).toBe("now");
    expect(relativeIn(300_000, 0)).toBe("in 5 min");
  });

  it("makes one-line previews", () => {
    expect(previewText("line one\nline two", false)).toBe("line one line two");
    expect(previewText("x".repeat(200), false, 10)).toBe("xxxxxxxxx…");
    expect(previewText("<b>bold</b> &lt;3", true)).toBe("bold <3");
    expect(previewText("<b>kept as typed</b>", false)).toBe("<b>kept as typed</b>");
  });
});
