import { afterEach, describe, expect, it } from "vitest";
import { commands, onEngineEvent, setTransport, type Transport } from "../src/ipc";
import { explainError, toIpcError } from "../src/lib/errors";
import type { EngineEvent } from "../src/types";
import { COMMANDS } from "../src/bindings/commands";

afterEach(() => setTransport(null));

function fake(reply: (cmd: string, args?: Record<string, unknown>) => unknown) {
  const seen: { cmd: string; args?: Record<string, unknown> }[] = [];
  let handler: ((p: unknown) => void) | null = null;
  const t: Transport = {
    async invoke<T>(cmd: string, args?: Record<string, unknown>) {
      seen.push({ cmd, args });
      return reply(cmd, args) as T;
    },
    async listen(event, h) {
      if (event !== "engine-event") return () => {};
      handler = h;
      return () => (handler = null);
    },
  };
  setTransport(t);
  return { seen, emit: (p: unknown) => handler?.(p) };
}

describe("ipc", () => {
  it("calls the shell's snake_case commands with camelCase arguments", async () => {
    const { seen } = fake(() => "loc-1");
    await commands.sendLine("K", "hi", "plain", true);
    await commands.setAvailability("Away");
    await commands.retryLine("loc-1");
    await commands.transfer("K", { kind: "skill", id: "1001" }, "vip");
    await commands.login({ server: "https://x", account: "1", user: "u", password: "p" });
    await commands.logout(false);
    await commands.quit(true);
    await commands.openChat(null);
    expect(seen).toEqual([
      { cmd: "send_line", args: { chat: "K", text: "hi", textType: "plain", agentOnly: true } },
      { cmd: "set_availability", args: { availability: "Away", reasonId: null } },
      { cmd: "retry_line", args: { localId: "loc-1" } },
      { cmd: "transfer", args: { chat: "K", target: { kind: "skill", id: "1001" }, note: "vip" } },
      { cmd: "login", args: { form: { server: "https://x", account: "1", user: "u", password: "p" } } },
      { cmd: "logout", args: { confirmed: false } },
      { cmd: "quit", args: { confirmed: true } },
      { cmd: "open_chat", args: { chat: null } },
    ]);
  });

  it("rejects with {code, message, retryable} whatever the shell threw", async () => {
    fake(() => {
      throw { code: "badCredentials", message: "401", retryable: false };
    });
    await expect(commands.login({ server: "s", account: "a", user: "u", password: "p" })).rejects.toEqual({ code: "badCredentials", message: "401", retryable: false });
    fake(() => {
      throw "boom";
    });
    await expect(commands.accept()).rejects.toMatchObject({ code: "internal", message: "boom" });
  });

  it("delivers engine events and ignores junk", async () => {
    const { emit } = fake(() => null);
    const got: EngineEvent[] = [];
    await onEngineEvent((e) => got.push(e));
    emit({ type: "ringingStopped" });
    emit("nonsense");
    emit(null);
    expect(got).toEqual([{ type: "ringingStopped" }]);
  });

  it("without a shell, commands fail cleanly instead of throwing at import", async () => {
    await expect(commands.tryResume()).rejects.toMatchObject({ code: "internal" });
  });

  it("wraps every command the shell exposes, and nothing else", async () => {
    const { seen } = fake(() => null);
    await commands.login({ server: "", account: "", user: "", password: "" });
    await commands.tryResume();
    await commands.startDemo();
    await commands.activeChatCount();
    await commands.logout(false);
    await commands.quit(false);
    await commands.setAvailability("Online");
    await commands.accept();
    await commands.sendLine("K", "t");
    await commands.retryLine("L");
    await commands.endChat("K");
    await commands.transferOptions("K");
    await commands.transfer("K", { kind: "agent", id: "1" }, null);
    await commands.setTyping("K", true);
    await commands.saveDraft("K", "");
    await commands.snapshot();
    await commands.settings();
    await commands.setMuted(true);
    await commands.setAutoAccept(false);
    await commands.openChat("K");
    expect(seen.map((c) => c.cmd)).toEqual([...COMMANDS]);
  });

  it("explains errors for people", () => {
    expect(explainError({ code: "network", message: "" })).toMatch(/cannot be reached/);
    expect(explainError(toIpcError({ code: "transferFailed", message: "no agent online for Billing" }))).toBe(
      "The transfer was refused. (no agent online for Billing)",
    );
  });
});
