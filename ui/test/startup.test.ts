// @vitest-environment jsdom
// The page's start: every start-up call goes out at once, the desk is drawn from the resume and the
// snapshot alone, and secondary data (settings, today's numbers) never holds it up.
import { afterEach, describe, expect, it } from "vitest";
import { App } from "../src/app";
import { setTransport, type Transport } from "../src/ipc";
import type { DeskSnapshot } from "../src/types";
import { K, line, summary } from "./fixtures";

afterEach(() => {
  setTransport(null);
  document.body.replaceChildren();
});

const agent = {
  account: "90412345",
  loginName: "ann",
  nickname: "Ann",
  agentId: "5001",
  maxChats: 4,
  skills: [{ id: "1001", name: "Sales" }],
};

const snapshot: DeskSnapshot = {
  session: "loggedIn",
  connection: "online",
  availability: "Online",
  agent,
  ringing: null,
  chats: [{ summary: summary(), lines: [line(1)], outbox: [], visitorTyping: false, draft: null, customer: null }],
  wrapUps: [],
};

/** A shell whose answers the test releases one by one; records the order of calls. */
function heldShell() {
  const calls: string[] = [];
  const held = new Map<string, () => void>();
  const hold = <T>(name: string, value: T): Promise<T> =>
    new Promise((resolve) => held.set(name, () => resolve(value)));
  const release = async (name: string) => {
    const go = held.get(name);
    if (!go) throw new Error(`nothing waits for ${name}; waiting: ${[...held.keys()].join(", ")}`);
    held.delete(name);
    go();
    // Let the page run what the answer unblocks.
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  const t: Transport = {
    invoke<T>(cmd: string): Promise<T> {
      calls.push(cmd);
      const answers: Record<string, unknown> = {
        try_resume: { agent, remembered: null },
        snapshot,
        view_state: { view: null, openChat: null },
        settings: { muted: false, autoAccept: false },
        show_chats: { seq: 1, chats: {} },
      };
      return hold(cmd, answers[cmd] as T);
    },
    listen(event: string): Promise<() => void> {
      calls.push(`listen ${event}`);
      return hold(`listen ${event}`, () => {});
    },
  };
  setTransport(t);
  return { calls, held, release };
}

function newApp(): App {
  const root = document.createElement("div");
  const live = document.createElement("div");
  document.body.append(root, live);
  return new App(root, live);
}

describe("start-up", () => {
  it("sends every start-up call at once, before any listener is in place", () => {
    const shell = heldShell();
    void newApp().start();
    expect(shell.calls).toEqual(
      expect.arrayContaining(["listen engine-event", "try_resume", "view_state", "settings"]),
    );
    // Nothing was answered yet, so nothing waited for an answer to send the next call.
    expect(shell.held.size).toBe(shell.calls.length);
  });

  it("draws the desk from the resume and the snapshot while secondary data is still out", async () => {
    const shell = heldShell();
    const app = newApp();
    const started = app.start();
    for (const name of [...shell.held.keys()].filter((n) => n.startsWith("listen "))) await shell.release(name);
    await shell.release("try_resume");
    // The snapshot is asked only once the listeners are in place (no event falls between them).
    expect(shell.calls).toContain("snapshot");
    await shell.release("snapshot");
    await shell.release("view_state");
    await started;
    expect(app.state.session).toBe("loggedIn");
    expect(app.state.chats[K]).toBeDefined();
    expect(document.querySelector('[data-testid="desk-footer"]')).not.toBeNull();
    // Settings and today's numbers are still unanswered: the desk did not wait for them.
    expect(shell.held.has("settings")).toBe(true);
    expect(shell.calls).toContain("agent_numbers");
    expect(shell.held.has("agent_numbers")).toBe(true);
  });
});
