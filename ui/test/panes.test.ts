import { describe, expect, it } from "vitest";
import { closePane, openPane, panesForWidth, type Panes } from "../src/store/panes";
import { chatOrder, longestWaiting, neighbourChat } from "../src/store/selectors";
import { reduce, type Action } from "../src/store/ui";
import { initialState } from "../src/store/state";
import { line, lineEv, summary } from "./fixtures";

describe("thread panes", () => {
  it("split adds panes side by side up to the limit, then replaces a non-active one", () => {
    let p = openPane({ open: [], active: null }, "a", "split", 3);
    p = openPane(p, "b", "split", 3);
    p = openPane(p, "c", "split", 3);
    expect(p).toEqual({ open: ["a", "b", "c"], active: "c" });
    p = openPane(p, "d", "split", 3);
    expect(p).toEqual({ open: ["d", "b", "c"], active: "d" });
  });

  it("replace shows the chat in the active pane; an open chat only gets focus", () => {
    let p: Panes = { open: ["a", "b"], active: "b" };
    expect(openPane(p, "a", "replace", 3)).toEqual({ open: ["a", "b"], active: "a" });
    p = openPane(p, "c", "replace", 3);
    expect(p).toEqual({ open: ["a", "c"], active: "c" });
  });

  it("closing moves the focus to a neighbour", () => {
    expect(closePane({ open: ["a", "b", "c"], active: "b" }, "b")).toEqual({ open: ["a", "c"], active: "c" });
    expect(closePane({ open: ["a"], active: "a" }, "a")).toEqual({ open: [], active: null });
  });

  it("fits the number of panes to the window", () => {
    expect(panesForWidth(600)).toBe(1);
    expect(panesForWidth(1280)).toBe(2);
    expect(panesForWidth(1920)).toBe(3);
  });
});

describe("navigation", () => {
  const build = () => {
    const acts: Action[] = [
      { type: "chatUpdated", summary: summary("a", "A") },
      { type: "chatUpdated", summary: summary("b", "B") },
      { type: "chatUpdated", summary: summary("c", "C") },
      lineEv(line(1, "visitor", "x", { chat: "a", time: 300 })),
      lineEv(line(1, "visitor", "x", { chat: "b", time: 100 })),
      lineEv(line(2, "agent", "answered", { chat: "b", time: 150 })),
      lineEv(line(1, "visitor", "x", { chat: "c", time: 200 })),
    ];
    return acts.reduce((s, a) => reduce(s, a), initialState());
  };

  it("next/previous wrap around the list order", () => {
    let s = build();
    expect(chatOrder(s)).toEqual(["a", "b", "c"]);
    expect(neighbourChat(s, 1)).toBe("a");
    s = reduce(s, { type: "ui/open", chat: "c", mode: "replace" });
    expect(neighbourChat(s, 1)).toBe("a");
    expect(neighbourChat(s, -1)).toBe("b");
  });

  it("finds the visitor waiting longest for an answer", () => {
    expect(longestWaiting(build())).toBe("c");
  });

  it("ended chats go to the end of the list and never count as waiting", () => {
    const s = reduce(build(), { type: "chatStateChanged", chat: "c", from: "chatting", to: "ended" });
    expect(chatOrder(s)).toEqual(["a", "b", "c"].filter((k) => k !== "c").concat("c"));
    expect(longestWaiting(s)).toBe("a");
  });
});
