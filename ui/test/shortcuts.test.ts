import { describe, expect, it } from "vitest";
import { BINDINGS, commandFor, displayChord, helpRows } from "../src/keyboard/shortcuts";

const key = (key: string, code: string, mods: { ctrl?: boolean; shift?: boolean; alt?: boolean; meta?: boolean } = {}) => ({
  key,
  code,
  ctrlKey: !!mods.ctrl,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
  metaKey: !!mods.meta,
});

describe("keyboard shortcuts", () => {
  it("map chords to commands", () => {
    expect(commandFor(key("A", "KeyA", { ctrl: true, shift: true }), false)).toBe("accept");
    expect(commandFor(key("ArrowDown", "ArrowDown", { ctrl: true }), false)).toBe("nextChat");
    expect(commandFor(key("ArrowUp", "ArrowUp", { ctrl: true }), false)).toBe("prevChat");
    expect(commandFor(key("j", "KeyJ", { alt: true }), false)).toBe("nextChat");
    expect(commandFor(key("k", "KeyK", { alt: true }), false)).toBe("prevChat");
    expect(commandFor(key("w", "KeyW", { alt: true }), false)).toBe("longestWaiting");
    expect(commandFor(key("E", "KeyE", { ctrl: true, shift: true }), false)).toBe("endChat");
    expect(commandFor(key("T", "KeyT", { ctrl: true, shift: true }), false)).toBe("transfer");
    expect(commandFor(key("M", "KeyM", { ctrl: true, shift: true }), false)).toBe("focusComposer");
    expect(commandFor(key("F1", "F1"), false)).toBe("help");
    expect(commandFor(key("?", "Slash", { shift: true }), false)).toBe("help");
  });

  it("match letters by physical key (Alt+J on macOS types ∆)", () => {
    expect(commandFor(key("∆", "KeyJ", { alt: true }), false)).toBe("nextChat");
  });

  it("treat Cmd like Ctrl", () => {
    expect(commandFor(key("a", "KeyA", { meta: true, shift: true }), false)).toBe("accept");
  });

  it("work inside the message box, except plain characters like ?", () => {
    expect(commandFor(key("A", "KeyA", { ctrl: true, shift: true }), true)).toBe("accept");
    expect(commandFor(key("?", "Slash", { shift: true }), true)).toBeNull();
  });

  it("ignore ordinary typing", () => {
    expect(commandFor(key("a", "KeyA"), true)).toBeNull();
    expect(commandFor(key("A", "KeyA", { shift: true }), false)).toBeNull();
    expect(commandFor(key("Enter", "Enter"), true)).toBeNull();
    expect(commandFor(key("a", "KeyA", { ctrl: true }), false)).toBeNull();
  });

  it("have no chord bound twice", () => {
    const chords = BINDINGS.map((b) => b.chord);
    expect(new Set(chords).size).toBe(chords.length);
  });

  it("are all listed in the help", () => {
    const rows = helpRows();
    expect(rows.find((r) => r.command === "accept")?.keys).toEqual(["Ctrl+Shift+A"]);
    expect(rows.find((r) => r.command === "nextChat")?.keys).toEqual(["Ctrl+↓", "Alt+J"]);
    expect(rows.every((r) => r.description.length > 0)).toBe(true);
    expect(displayChord("Alt+Digit1")).toBe("Alt+1");
  });
});
