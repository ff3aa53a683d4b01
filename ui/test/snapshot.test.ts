import { describe, expect, it } from "vitest";
import { applySnapshot } from "../src/store/snapshot";
import { initialState } from "../src/store/state";
import { reduce } from "../src/store/ui";
import type { DeskSnapshot } from "../src/types";
import { K, K2, line, lineEv, summary } from "./fixtures";

const snap = (extra: Partial<DeskSnapshot> = {}): DeskSnapshot => ({
  session: "loggedIn",
  connection: "retrying",
  availability: "Away",
  agent: null,
  ringing: { count: 1, deadline: 30_000 },
  chats: [
    {
      summary: summary(),
      lines: [line(1), line(2, "agent", "hi", { localId: "L1" }), line(3)],
      outbox: [
        { localId: "L1", text: "hi", textType: "plain", agentOnly: false, state: "sent", error: null },
        { localId: "L2", text: "still going", textType: "plain", agentOnly: true, state: "failed", error: "503" },
      ],
      visitorTyping: true,
      draft: null,
      customer: null,
    },
  ],
  wrapUps: [],
  ...extra,
});

describe("snapshot", () => {
  it("builds threads with outbox rows merged or appended", () => {
    const s = applySnapshot(initialState(), snap(), 10_000);
    const c = s.chats[K];
    expect(c.items.map((i) => i.key)).toEqual(["l:1", "l:2", "l:3", "o:L2"]);
    expect(c.items[1].outbox?.state).toBe("sent");
    expect(c.items[3].outbox).toMatchObject({ state: "failed", agentOnly: true, error: "503" });
    expect(c.visitorTyping).toBe(true);
    expect(s.connection.state).toBe("retrying");
    expect(s.availability).toEqual({ value: "Away", byServer: false, reasonId: null });
    expect(s.ringing?.secondsLeft).toBe(20);
  });

  it("takes connection and availability as the engine reports them", () => {
    const s = applySnapshot(initialState(), snap({ connection: "online", availability: "Occupied", ringing: null }));
    expect(s.connection.state).toBe("online");
    expect(s.availability.value).toBe("Occupied");
    expect(s.ringing).toBeNull();
  });

  it("keeps open panes whose chats still exist, and live events replayed on top do not duplicate", () => {
    let s = reduce(initialState(), { type: "chatUpdated", summary: summary(K2, "Omar") });
    s = reduce(s, { type: "ui/open", chat: K2, mode: "split" });
    s = reduce(s, { type: "ui/open", chat: K, mode: "split" });
    s = applySnapshot(s, snap());
    expect(s.open).toEqual([K]);
    s = reduce(s, lineEv(line(3)));
    s = reduce(s, lineEv(line(4)));
    expect(s.chats[K].items.filter((i) => i.line).map((i) => i.line!.id)).toEqual([1, 2, 3, 4]);
  });

  it("loads 10 000 lines quickly", () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => line(i + 1));
    const t = performance.now();
    const s = applySnapshot(initialState(), snap({ chats: [{ summary: summary(), lines, outbox: [], visitorTyping: false, draft: null, customer: null }] }));
    expect(s.chats[K].items).toHaveLength(10_000);
    expect(performance.now() - t).toBeLessThan(500);
  });
});
