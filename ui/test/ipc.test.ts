import { afterEach, describe, expect, it } from "vitest";
import { call, commands, onEngineEvent, onShellEvents, setTransport, type Transport } from "../src/ipc";
import { explainError, toIpcError } from "../src/lib/errors";
import type { EngineEvent } from "../src/types";
import { COMMANDS } from "../src/bindings/commands";
import type { SendLineArgs } from "../src/bindings/SendLineArgs";

afterEach(() => setTransport(null));

function fake(reply: (cmd: string, args?: Record<string, unknown>) => unknown) {
  const seen: { cmd: string; args?: Record<string, unknown> }[] = [];
  const handlers = new Map<string, (p: unknown) => void>();
  const t: Transport = {
    async invoke<T>(cmd: string, args?: Record<string, unknown>) {
      seen.push({ cmd, args });
      return reply(cmd, args) as T;
    },
    async listen(event, h) {
      handlers.set(event, h);
      return () => handlers.delete(event);
    },
  };
  setTransport(t);
  return { seen, emit: (p: unknown, event = "engine-event") => handlers.get(event)?.(p) };
}

describe("ipc", () => {
  it("calls the shell's snake_case commands with one camelCase `args` struct", async () => {
    const { seen } = fake(() => "loc-1");
    await commands.sendLine("K", "hi", "plain", true);
    await commands.setAvailability("Away");
    await commands.retryLine("loc-1");
    await commands.transfer("K", { kind: "skill", id: "1001" }, "vip");
    await commands.login({ server: "https://x", account: "1", user: "u", password: "p" });
    await commands.logout(false);
    await commands.quit(true);
    await commands.showChats(["K", "K2"]);
    await commands.snapshot();
    expect(seen).toEqual([
      { cmd: "send_line", args: { args: { chat: "K", text: "hi", textType: "plain", agentOnly: true } } },
      { cmd: "set_availability", args: { args: { availability: "Away", reasonId: null } } },
      { cmd: "retry_line", args: { args: { localId: "loc-1" } } },
      { cmd: "transfer", args: { args: { chat: "K", target: { kind: "skill", id: "1001" }, note: "vip" } } },
      { cmd: "login", args: { args: { server: "https://x", account: "1", user: "u", password: "p" } } },
      { cmd: "logout", args: { args: { confirmed: false } } },
      { cmd: "quit", args: { args: { confirmed: true } } },
      { cmd: "show_chats", args: { args: { chats: ["K", "K2"] } } },
      { cmd: "snapshot", args: undefined },
    ]);
  });

  it("types every call by the generated argument structs (checked by tsc, not at run time)", async () => {
    fake(() => null);
    // The Rust field is `agent_only`, so the TS field is `agentOnly`; any other spelling is refused.
    // @ts-expect-error `agent_only` is not a field of SendLineArgs
    await call("send_line", { chat: "K", text: "hi", agent_only: true });
    // @ts-expect-error `chat` is required
    await call("end_chat", {});
    // @ts-expect-error `snapshot` takes no arguments
    await call("snapshot", { chat: "K" });
    // @ts-expect-error `open_chat` is not a command (it became `show_chats`)
    await call("open_chat", { chat: "K" });
    // @ts-expect-error `show_chats` resolves to UnreadCounts, not a string
    const counts: string = await call("show_chats", { chats: [] });
    void counts;
    const ok: SendLineArgs = { chat: "K", text: "hi", agentOnly: true };
    await call("send_line", ok);
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

  it("delivers the shell's unread counts and ignores junk", async () => {
    const { emit } = fake(() => null);
    const got: unknown[] = [];
    const noop = () => {};
    await onShellEvents({ openChat: noop, quitRequested: noop, logoutRequested: noop, engineLagged: noop, unread: (p) => got.push(p) });
    emit({ seq: 3, chats: { K: 2 } }, "unread");
    emit({ seq: 4 }, "unread");
    emit("nonsense", "unread");
    expect(got).toEqual([{ seq: 3, chats: { K: 2 } }]);
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
    await commands.showChats(["K"]);
    await commands.saveView({ open: ["K"], active: "K", scroll: [{ chat: "K", line: "l:1", offset: 4 }] });
    await commands.viewState();
    await commands.spellLanguages();
    await commands.setSpellCheck({ enabled: true, language: null });
    await commands.submitWrapUp("K", [{ questionId: "1", values: ["a"] }]);
    await commands.skipWrapUp("K");
    await commands.sendCard("K", "t", { type: "vertical", elements: [] });
    await commands.responsesList();
    await commands.responsesSearch("ref");
    await commands.responsesSave(null, { title: "t", text: "x", textType: "plain", category: "c" });
    await commands.responsesDelete(1);
    await commands.responsesReorder("c", [2, 1]);
    await commands.responsesImport("{}", "merge");
    await commands.responsesExport();
    await commands.responsesFill(1, "K", "10:00");
    await commands.responsesSuggest("K");
    await commands.historySearch({ text: "refund" });
    await commands.historyTranscript("K");
    await commands.historyPlainText("K");
    await commands.historyRetention();
    await commands.historySetRetention(30);
    await commands.historyClear();
    await commands.agentNumbers();
    await commands.fetchImage("https://example.com/a.png");
    await commands.openLink("https://example.com/");
    await commands.alertSettings();
    await commands.setAlertSettings({} as never);
    await commands.alertLatency();
    await commands.playTone("bell", 40);
    await commands.saveExport("chat.txt", "text");
    expect(seen.map((c) => c.cmd)).toEqual([...COMMANDS]);
    expect(seen.find((c) => c.cmd === "open_link")).toMatchObject({ args: { args: { url: "https://example.com/" } } });
    expect(seen.find((c) => c.cmd === "play_tone")).toMatchObject({ args: { args: { tone: "bell", volume: 40 } } });
  });

  it("explains errors for people", () => {
    expect(explainError({ code: "network", message: "" })).toMatch(/cannot be reached/);
    expect(explainError(toIpcError({ code: "transferFailed", message: "no agent online for Billing" }))).toBe(
      "The transfer was refused. (no agent online for Billing)",
    );
  });
});
