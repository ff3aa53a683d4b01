// End-to-end checks of the built UI in headless Chromium, with the Tauri shell stubbed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { demo, loginViaForm, repoRoot, startHarness } from "./harness.mjs";

let h;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

const K1 = "H1111-K1";
const K2 = "H2222-K2";

test("login form → desk; bad credentials explained", async () => {
  const page = await h.page();
  await page.getByTestId("login-form").waitFor();
  assert.equal(await page.getByTestId("login-server").inputValue(), "https://adminlogin.liveperson.net");
  assert.equal(await page.evaluate(() => window.__stub.callsOf("try_resume").length), 1);

  await page.getByTestId("login-account").fill("90412345");
  await page.getByTestId("login-user").fill("ann");
  await page.getByTestId("login-password").fill("wrong");
  await page.getByTestId("login-submit").click();
  const err = page.getByTestId("login-error");
  await err.waitFor();
  assert.match(await err.textContent(), /Wrong account number, user name or password/);

  await loginViaForm(page);
  const args = await page.evaluate(() => window.__stub.callsOf("login").at(-1).args);
  assert.deepEqual(args, { server: "https://adminlogin.liveperson.net", account: "90412345", user: "ann", password: "ann-pass" });
  await page.waitForFunction(() => document.querySelector('[data-testid="availability-select"]').value === "Online");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a remembered sign-in skips the form; the demo button starts the demo", async () => {
  const resumed = await h.page({
    before: () => {
      window.__stub.handlers.try_resume = () => ({ agent: window.__stub.logIn("ann"), remembered: null });
    },
  });
  await resumed.getByTestId("desk-view").waitFor();
  assert.equal(await resumed.getByTestId("login-form").count(), 0);
  await resumed.close();

  const expired = await h.page({
    before: () => {
      window.__stub.settings.remembered = { server: "http://127.0.0.1:8787", account: "90412345", user: "ben" };
    },
  });
  await expired.waitForFunction(() => document.querySelector('[data-testid="login-user"]').value === "ben");
  assert.equal(await expired.getByTestId("login-server").inputValue(), "http://127.0.0.1:8787");
  await expired.close();

  const page = await h.page();
  await demo(page);
  assert.equal(await page.evaluate(() => window.__stub.callsOf("start_demo").length), 1);
  await page.close();
});

test("ringing banner counts down; Accept opens the chat", async () => {
  const page = await h.page();
  await demo(page);
  await page.evaluate((k) => window.__stub.ring(k, "Vera", "Hi, my order is late", 20), K1);
  const banner = page.getByTestId("ringing-banner");
  await banner.waitFor();
  const first = Number(await page.getByTestId("ringing-countdown").getAttribute("data-seconds"));
  assert.ok(first >= 19 && first <= 20, `countdown starts near 20, got ${first}`);
  await page.waitForFunction((f) => Number(document.querySelector('[data-testid="ringing-countdown"]').dataset.seconds) <= f - 1, first, { timeout: 3000 });
  const later = Number(await page.getByTestId("ringing-countdown").getAttribute("data-seconds"));
  assert.ok(later < first, "countdown moves");

  await page.getByTestId("accept-button").click();
  await page.locator(`[data-testid="chat-item"][data-chat="${K1}"]`).waitFor();
  await page.locator(`[data-testid="thread-pane"][data-chat="${K1}"]`).waitFor();
  await banner.waitFor({ state: "hidden" });
  await page.locator(`[data-testid="thread-pane"][data-chat="${K1}"] [data-line-id="1"]`).waitFor();
  assert.match(await page.getByTestId("announcer").textContent(), /Vera says: Hi, my order is late/);
  await page.close();
});

test("lines: kinds are distinct, HTML lines are HTML, own lines go pending → sent, failed → retry", async () => {
  const page = await h.page();
  await demo(page);
  await page.evaluate((k) => {
    const s = window.__stub;
    s.pushChat(k, "Vera", [
      s.line(k, 1, "system", "Chat started"),
      s.line(k, 2, "visitor", "Hello <b>there</b>"),
      s.line(k, 3, "visitor", "<p>Rich <b>bold</b> text</p>", { textType: "html" }),
      s.line(k, 4, "agent", "Checking her order", { agentOnly: true }),
    ]);
  }, K1);
  await page.locator(`[data-testid="chat-item"][data-chat="${K1}"]`).click();
  const pane = page.locator(`[data-testid="thread-pane"][data-chat="${K1}"]`);
  await pane.locator('[data-line-id="4"]').waitFor();
  assert.equal(await pane.locator('[data-line-id="1"]').getAttribute("data-source"), "system");
  assert.match(await pane.locator('[data-line-id="4"]').getAttribute("class"), /line--note/);
  assert.equal(await pane.locator('[data-line-id="2"] [data-testid="line-body"]').textContent(), "Hello <b>there</b>");
  assert.equal(await pane.locator('[data-line-id="2"] b').count(), 0);
  assert.equal(await pane.locator('[data-line-id="3"] b').textContent(), "bold");

  const box = pane.getByTestId("composer-input");
  await box.fill("First line");
  await box.press("Shift+Enter");
  await box.type("second line");
  assert.equal(await box.inputValue(), "First line\nsecond line");
  await box.press("Enter");
  assert.equal(await box.inputValue(), "");
  const sent = await page.evaluate(() => window.__stub.callsOf("send_line").at(-1).args);
  assert.deepEqual(sent, { chat: "H1111-K1", text: "First line\nsecond line", textType: "plain", agentOnly: false });
  const own = pane.locator('[data-local-id="loc-1"]');
  await own.waitFor();
  await pane.locator('[data-local-id="loc-1"] [data-testid="line-status"][data-state="sent"]').waitFor();
  assert.ok(await own.getAttribute("data-line-id"), "the server's echo merged into the same row");
  assert.equal(await pane.locator('[data-local-id="loc-1"]').count(), 1);

  await page.evaluate(() => (window.__stub.failNextSend = true));
  await box.fill("This one fails");
  await box.press("Enter");
  await pane.locator('[data-local-id="loc-2"] [data-testid="line-status"][data-state="failed"]').waitFor();
  await pane.locator('[data-local-id="loc-2"] [data-testid="retry-button"]').click();
  await pane.locator('[data-local-id="loc-2"] [data-testid="line-status"][data-state="sent"]').waitFor();
  assert.deepEqual(await page.evaluate(() => window.__stub.callsOf("retry_line").at(-1).args), { localId: "loc-2" });

  // Visitor typing indicator
  await page.evaluate((k) => window.__stub.emit({ type: "visitorTyping", chat: k, typing: true }), K1);
  await pane.getByTestId("typing-indicator").waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("visitor markup in plain lines is shown as text and runs nothing", async () => {
  const page = await h.page();
  await demo(page);
  const payloads = [
    `<img src=x onerror="window.__pwned='img'">`,
    `<script>window.__pwned='script'</script>`,
    `<svg onload="window.__pwned='svg'"></svg>`,
  ];
  await page.evaluate(
    ([k, p]) => {
      const s = window.__stub;
      s.pushChat(k, `<img src=y onerror="window.__pwned='name'">`, p.map((t, i) => s.line(k, i + 1, "visitor", t)));
    },
    [K1, payloads],
  );
  await page.locator(`[data-testid="chat-item"][data-chat="${K1}"]`).click();
  const pane = page.locator(`[data-testid="thread-pane"][data-chat="${K1}"]`);
  await pane.locator('[data-line-id="3"]').waitFor();
  for (let i = 0; i < payloads.length; i++) {
    assert.equal(await pane.locator(`[data-line-id="${i + 1}"] [data-testid="line-body"]`).textContent(), payloads[i]);
  }
  await page.waitForTimeout(200);
  assert.equal(await page.locator("[data-testid=desk-view] img, [data-testid=desk-view] script, [data-testid=desk-view] svg").count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.match(await pane.getByTestId("thread-title").textContent(), /^<img src=y/);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await page.close();
});

test("a 10 000-line thread keeps the DOM small and scrolls without stalling", async () => {
  const page = await h.page({
    before: () => {
      const k = "H9999-K9";
      const lines = [];
      const t0 = Date.now() - 10_000 * 1000;
      for (let i = 1; i <= 10_000; i++) {
        const long = i % 7 === 0 ? " — and a longer line that wraps over more than one row in the pane so heights vary a bit" : "";
        lines.push({ chat: k, id: i, time: t0 + i * 1000, source: i % 3 === 0 ? "agent" : "visitor", by: "x", text: `Line ${i}${long}`, textType: "plain", systemMessageId: null, agentOnly: false, localId: null });
      }
      window.__stub.addChat(k, "Long Talker", lines);
    },
  });
  await demo(page);
  await page.locator('[data-testid="chat-item"][data-chat="H9999-K9"]').click();
  const pane = page.locator('[data-testid="thread-pane"][data-chat="H9999-K9"]');
  await pane.locator('[data-line-id="10000"]').waitFor();
  const rows = () => pane.locator("[data-line-id]").count();
  assert.ok((await rows()) < 200, `rows in DOM at the bottom: ${await rows()}`);

  const result = await page.evaluate(async () => {
    const vp = document.querySelector('[data-testid="thread-pane"][data-chat="H9999-K9"] [data-testid="thread-lines"]');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    const gaps = [];
    let maxRows = 0;
    let last = await frame();
    const steps = 120;
    for (let i = 0; i <= steps; i++) {
      vp.scrollTop = vp.scrollHeight * (1 - i / steps);
      const t = await frame();
      gaps.push(t - last);
      last = t;
      maxRows = Math.max(maxRows, vp.querySelectorAll("[data-line-id]").length);
    }
    gaps.sort((a, b) => a - b);
    return { median: gaps[gaps.length >> 1], p95: gaps[Math.floor(gaps.length * 0.95)], max: gaps[gaps.length - 1], maxRows, top: vp.scrollTop };
  });
  console.log("10k scroll:", JSON.stringify(result));
  assert.ok(result.maxRows < 200, `DOM rows stay bounded (max ${result.maxRows})`);
  assert.ok(result.median < 50, `median frame ${result.median} ms`);
  assert.ok(result.p95 < 150, `p95 frame ${result.p95} ms`);
  await pane.locator('[data-line-id="1"]').waitFor();
  // Reading history while a new line arrives: the view stays put and offers a jump down.
  await page.evaluate(() => {
    const s = window.__stub;
    s.pushLine(s.line("H9999-K9", 10_001, "visitor", "Are you still there?"));
  });
  await pane.getByTestId("jump-to-latest").waitFor();
  assert.ok(await pane.locator('[data-line-id="1"]').count(), "still at the top");
  await pane.getByTestId("jump-to-latest").click();
  await pane.locator('[data-line-id="10001"]').waitFor();
  await pane.getByTestId("jump-to-latest").waitFor({ state: "hidden" });
  await page.close();
});

test("keyboard: accept, next/previous, longest waiting, end, transfer, composer, help", async () => {
  const page = await h.page();
  await demo(page);
  await page.evaluate(([a, b]) => {
    const s = window.__stub;
    s.pushChat(a, "Vera", [s.line(a, 1, "visitor", "hi")]);
    s.pushChat(b, "Omar", [s.line(b, 1, "visitor", "hello")]);
    // Vera has been answered; Omar waits.
    s.pushLine(s.line(a, 2, "agent", "Hi Vera!"));
  }, [K1, K2]);
  await page.locator(`[data-testid="chat-item"][data-chat="${K2}"]`).waitFor();
  await page.locator("body").click();

  const active = () => page.evaluate(() => document.querySelector('[data-testid="chat-item"][aria-selected="true"]')?.dataset.chat ?? null);
  await page.keyboard.press("Control+ArrowDown");
  await page.waitForFunction((k) => document.querySelector(`[data-testid="chat-item"][data-chat="${k}"]`)?.getAttribute("aria-selected") === "true", K1);
  await page.keyboard.press("Control+ArrowDown");
  await page.waitForFunction((k) => document.querySelector(`[data-testid="chat-item"][data-chat="${k}"]`)?.getAttribute("aria-selected") === "true", K2);
  await page.keyboard.press("Alt+KeyK");
  await page.waitForFunction((k) => document.querySelector(`[data-testid="chat-item"][data-chat="${k}"]`)?.getAttribute("aria-selected") === "true", K1);

  await page.keyboard.press("Alt+KeyW");
  await page.waitForFunction((k) => document.querySelector(`[data-testid="chat-item"][data-chat="${k}"]`)?.getAttribute("aria-selected") === "true", K2);
  assert.equal(await active(), K2);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "composer-input");

  await page.keyboard.press("Control+Shift+KeyT");
  await page.getByTestId("transfer-dialog").waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="transfer-skill"]').options.length === 2);
  assert.match(await page.getByTestId("transfer-skill").textContent(), /Sales — 2 agents online/);
  await page.getByTestId("transfer-kind-agent").check();
  await page.getByTestId("transfer-note").fill("Wants a refund");
  await page.getByTestId("transfer-submit").click();
  await page.getByTestId("transfer-dialog").waitFor({ state: "hidden" });
  assert.deepEqual(await page.evaluate(() => window.__stub.callsOf("transfer").at(-1).args), { chat: "H2222-K2", target: { kind: "agent", id: "5002" }, note: "Wants a refund" });
  await page.locator(`[data-testid="chat-item"][data-chat="${K2}"]`).waitFor({ state: "detached" });

  await page.locator(`[data-testid="chat-item"][data-chat="${K1}"]`).click();
  await page.keyboard.press("Control+Shift+KeyM");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.chat), K1);
  await page.keyboard.press("Control+Shift+KeyE");
  await page.getByTestId("confirm-dialog").waitFor();
  await page.getByTestId("confirm-ok").click();
  await page.waitForFunction((k) => document.querySelector(`[data-testid="chat-item"][data-chat="${k}"]`)?.dataset.state === "ended", K1);

  await page.evaluate((k) => window.__stub.ring(k, "Lee", "Is anyone there?"), "H3333-K3");
  await page.getByTestId("ringing-banner").waitFor();
  await page.locator("body").click();
  await page.keyboard.press("Control+Shift+KeyA");
  await page.locator('[data-testid="thread-pane"][data-chat="H3333-K3"]').waitFor();

  // The chat list by keyboard: Alt+L, arrows, Enter opens and puts the cursor in the message box.
  await page.locator("body").click();
  await page.keyboard.press("Alt+KeyL");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "chat-list");
  await page.keyboard.press("Home");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "composer-input");

  await page.locator("body").click();
  await page.keyboard.press("?");
  await page.getByTestId("help-overlay").waitFor();
  assert.match(await page.getByTestId("help-overlay").textContent(), /Accept the ringing chat.*Ctrl\+Shift\+A/s);
  await page.keyboard.press("F1");
  await page.getByTestId("help-overlay").waitFor({ state: "hidden" });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("connection banner, server-set Away, logout warns about active chats", async () => {
  const page = await h.page();
  await demo(page);
  await page.evaluate((k) => {
    const s = window.__stub;
    s.pushChat(k, "Vera", [s.line(k, 1, "visitor", "hi")]);
    s.emit({ type: "connection", state: "retrying", retryAt: Date.now() + 15000, detail: null });
    s.emit({ type: "availability", availability: "Away", reasonId: null, byServer: true });
  }, K1);
  await page.getByTestId("connection-banner").waitFor();
  assert.match(await page.getByTestId("connection-text").textContent(), /Cannot reach the server\. Retrying in 1[45] s/);
  await page.getByTestId("availability-server-note").waitFor();
  await page.getByTestId("go-online").click();
  assert.deepEqual(await page.evaluate(() => window.__stub.callsOf("set_availability").at(-1).args), { availability: "Online", reasonId: null });
  await page.getByTestId("availability-server-note").waitFor({ state: "hidden" });
  await page.evaluate(() => window.__stub.emit({ type: "connection", state: "online", retryAt: null, detail: null }));
  await page.getByTestId("connection-banner").waitFor({ state: "hidden" });

  // A notification click opens its chat; lag reloads the snapshot.
  await page.evaluate((k) => window.__stub.emitShell("open-chat", { chat: k }), K1);
  await page.locator(`[data-testid="thread-pane"][data-chat="${K1}"]`).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__stub.callsOf("show_chats").at(-1).args), { chats: ["H1111-K1"] });
  const snaps = await page.evaluate(() => window.__stub.callsOf("snapshot").length);
  await page.evaluate(() => window.__stub.emitShell("engine-lagged", { missed: 12 }));
  await page.waitForFunction((n) => window.__stub.callsOf("snapshot").length > n, snaps);

  await page.getByTestId("availability-select").selectOption("Occupied");
  assert.deepEqual(await page.evaluate(() => window.__stub.callsOf("set_availability").at(-1).args), { availability: "Occupied", reasonId: null });

  // Quit from the tray while a chat is open: the shell asks the page to warn.
  await page.evaluate(() => window.__stub.emitShell("quit-requested", { activeChatCount: 1, message: "1 chat is open. The server returns it to the queue when you leave." }));
  await page.getByTestId("confirm-dialog").waitFor();
  assert.match(await page.getByTestId("confirm-text").textContent(), /1 chat is open/);
  await page.getByTestId("confirm-cancel").click();
  await page.getByTestId("confirm-dialog").waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => window.__stub.callsOf("quit").length), 0);

  await page.getByTestId("quit-button").click();
  await page.getByTestId("confirm-dialog").waitFor();
  await page.getByTestId("confirm-cancel").click();
  await page.getByTestId("confirm-dialog").waitFor({ state: "detached" });
  assert.deepEqual(await page.evaluate(() => window.__stub.callsOf("quit").map((c) => c.args)), [{ confirmed: false }]);

  await page.getByTestId("logout-button").click();
  await page.getByTestId("confirm-dialog").waitFor();
  assert.match(await page.getByTestId("confirm-text").textContent(), /1 active chat.*returns it to the queue/);
  await page.getByTestId("confirm-cancel").click();
  await page.getByTestId("confirm-dialog").waitFor({ state: "detached" });
  await page.getByTestId("logout-button").click();
  await page.getByTestId("confirm-ok").click();
  await page.getByTestId("login-form").waitFor();
  assert.deepEqual(await page.evaluate(() => window.__stub.callsOf("logout").map((c) => c.args)), [{ confirmed: false }, { confirmed: false }, { confirmed: true }]);
  await page.close();
});

test("unread counts are the shell's: the list shows them, opening a chat tells the shell", async () => {
  const page = await h.page();
  await demo(page);
  await page.evaluate(([k1, k2]) => {
    const s = window.__stub;
    s.pushChat(k1, "Vera", [s.line(k1, 1, "visitor", "hi")]);
    s.pushChat(k2, "Omar", [s.line(k2, 1, "visitor", "hello"), s.line(k2, 2, "visitor", "anyone there?"), s.line(k2, 3, "agent", "Yes")]);
  }, [K1, K2]);
  const badge = (k) => page.locator(`[data-testid="chat-item"][data-chat="${k}"] [data-testid="chat-item-unread"]`);
  const shows = (k, text) =>
    page.waitForFunction(
      ([k, text]) => {
        const el = document.querySelector(`[data-testid="chat-item"][data-chat="${k}"] [data-testid="chat-item-unread"]`);
        return el && (text === null ? el.hidden : !el.hidden && el.textContent === text);
      },
      [k, text],
    );
  await shows(K1, "1");
  await shows(K2, "2");
  // The page counts nothing itself: it shows whatever the shell says, and drops older counts.
  await page.evaluate((k) => window.__stub.setUnread({ [k]: 7 }), K2);
  await shows(K2, "7");
  await shows(K1, null);
  await page.evaluate((k) => window.__stub.emitShell("unread", { seq: window.__stub.unreadSeq - 1, chats: { [k]: 1 } }), K2);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  assert.equal(await badge(K2).textContent(), "7");
  // Opening a chat tells the shell what the panes show; its answer clears the badge.
  await page.locator(`[data-testid="chat-item"][data-chat="${K2}"]`).click();
  await page.locator(`[data-testid="thread-pane"][data-chat="${K2}"]`).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__stub.callsOf("show_chats").at(-1).args), { chats: [K2] });
  await shows(K2, null);
  assert.match(await page.locator(`[data-testid="chat-item"][data-chat="${K2}"]`).getAttribute("aria-label"), /^Omar, Chatting: Yes$/);
  // A line in a shown chat is read; one in a chat not shown is counted.
  await page.evaluate(([k1, k2]) => {
    const s = window.__stub;
    s.pushLine(s.line(k2, 4, "visitor", "thanks"));
    s.pushLine(s.line(k1, 2, "visitor", "still there?"));
  }, [K1, K2]);
  await shows(K1, "1");
  assert.equal(await badge(K2).isHidden(), true);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("issue 8 in the desk: a card line, the customer panel of an authenticated visitor, a wrap-up submitted", async () => {
  const page = await h.page();
  await demo(page);
  await page.evaluate((k) => {
    const s = window.__stub;
    s.pushChat(k, "Vera", [s.line(k, 1, "visitor", "Hi, where is my parcel?")], { participantId: "p-4711" });
    s.pushLine(
      s.line(k, 2, "visitor", "Your parcel", {
        textType: "rich-content",
        card: {
          type: "vertical",
          elements: [
            { type: "text", text: "Parcel <img src=x onerror=\"window.__pwned=1\">", style: { bold: true } },
            { type: "image", url: "https://img.example.com/parcel.png", caption: "Parcel" },
            { type: "button", title: "Track it", click: { actions: [{ type: "link", uri: "https://track.example.com/48213" }] } },
            { type: "link", title: "Evil", url: "javascript:window.__pwned=1" },
            { type: "carousel", elements: [] },
          ],
        },
      }),
    );
    s.pushLine(s.line(k, 3, "visitor", '<p>See <a href="https://shop.example.com/faq">the FAQ</a></p>', { textType: "html" }));
  }, K1);
  await page.locator(`[data-testid="chat-item"][data-chat="${K1}"]`).click();
  const pane = page.locator(`[data-testid="thread-pane"][data-chat="${K1}"]`);
  const card = pane.locator('[data-line-id="2"] [data-testid="card"]');
  await card.waitFor();
  assert.equal(await card.getByTestId("card-text").textContent(), 'Parcel <img src=x onerror="window.__pwned=1">');
  assert.equal(await card.locator("img").count(), 0, "no image before the agent asks");
  assert.equal(await card.getByTestId("card-placeholder").count(), 1, "the unknown element is a labelled placeholder");
  await card.getByTestId("card-button").click();
  await card.getByTestId("card-link").click(); // blocked: nothing happens
  await card.getByTestId("card-image-load").click();
  await card.getByTestId("card-img").waitFor();
  assert.match(await card.getByTestId("card-img").getAttribute("src"), /^data:image\/png;base64,/);
  const faq = pane.locator('[data-line-id="3"] a');
  assert.equal(await faq.getAttribute("title"), "https://shop.example.com/faq");
  await faq.click();
  const opened = await page.evaluate(() => window.__stub.callsOf("open_link").map((c) => c.args.url));
  assert.deepEqual(opened, ["https://track.example.com/48213", "https://shop.example.com/faq"]);
  assert.deepEqual(await page.evaluate(() => window.__stub.callsOf("fetch_image").map((c) => c.args.url)), ["https://img.example.com/parcel.png"]);
  assert.equal(await page.evaluate(() => typeof window.__pwned), "undefined");
  assert.equal(await page.getByTestId("desk-view").count(), 1, "the page did not navigate");

  // The customer panel: loading, then the customer's record.
  const panel = pane.getByTestId("customer-panel");
  await panel.waitFor();
  assert.equal(await panel.getByTestId("cp-customer").getAttribute("data-state"), "loading");
  await page.evaluate((k) =>
    window.__stub.customer(k, {
      state: "loaded",
      profile: { participantId: "p-4711", customerId: "57ac-100007", customerType: "vip", customerStatus: "active", balance: -400.99, registrationDate: "2013-02-08", name: "Vera", surname: "Lindqvist", contacts: [{ email: "vera@example.com", phone: "+1-555-0101" }] },
    }), K1);
  await page.waitForFunction(() => document.querySelector('[data-testid="cp-customer-name"]')?.textContent === "Vera Lindqvist");
  assert.equal(await panel.getByTestId("cp-balance").textContent(), "-400.99");
  assert.equal(await panel.getByTestId("cp-agents").textContent(), "Ann");
  assert.match(await panel.getByTestId("cp-duration").textContent(), /^(<1|\d+) min$/);
  // Ctrl+I collapses it and brings it back.
  await pane.getByTestId("composer-input").focus();
  await page.keyboard.press("Control+KeyI");
  await panel.waitFor({ state: "detached" });
  assert.equal(await pane.getByTestId("customer-toggle").getAttribute("aria-pressed"), "false");
  await pane.getByTestId("customer-toggle").click();
  await pane.getByTestId("customer-panel").waitFor();

  // The visitor leaves; the wrap-up appears beside the desk; a refusal keeps the answers; then it is sent.
  await page.evaluate((k) => {
    const s = window.__stub;
    s.chats[k].summary.state = "ended";
    s.emit({ type: "chatStateChanged", chat: k, from: "chatting", to: "ended" });
    s.offerWrapUp(k);
    s.refuseNextSurvey = "The server refused the answer to “Contact reason”.";
  }, K1);
  const form = page.locator(`[data-testid="wrapup-area"] [data-testid="survey-form"][data-chat="${K1}"]`);
  await form.waitFor();
  assert.equal(await form.getByTestId("survey-skip").isHidden(), true, "mandatory questions: no skipping");
  await form.getByTestId("survey-submit").click();
  assert.equal(await form.getByTestId("survey-q-error").first().textContent(), "This question needs an answer.");
  assert.equal(await page.evaluate(() => window.__stub.callsOf("submit_wrap_up").length), 0);
  await form.getByTestId("survey-select").selectOption("Refund");
  assert.equal(await form.locator('[data-question-id="12786273"]').isHidden(), true);
  await form.getByTestId("survey-checkbox").check();
  await form.locator('[data-question-id="12786273"] input').fill("vera@example.com");
  await form.getByTestId("survey-submit").click();
  await page.waitForFunction((k) => document.querySelector(`[data-testid="survey-form"][data-chat="${k}"]`)?.dataset.state === "failed", K1);
  assert.match(await form.getByTestId("survey-error").textContent(), /refused the answer/);
  assert.equal(await form.getByTestId("survey-select").inputValue(), "Refund");
  await form.getByTestId("survey-submit").click();
  await form.waitFor({ state: "detached" });
  const calls = await page.evaluate(() => window.__stub.callsOf("submit_wrap_up").map((c) => c.args));
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[1], {
    chat: K1,
    answers: [
      { questionId: "12786270", values: ["Refund"] },
      { questionId: "12786271", values: ["Yes"] },
      { questionId: "12786272", values: ["Yes"] },
      { questionId: "12786273", values: ["vera@example.com"] },
      { questionId: "12786274", values: ["100245"] },
    ],
  });
  await page.waitForFunction(() => /Wrap-up for Vera sent/.test(document.querySelector('[data-testid="announcer"]').textContent));
  assert.equal(await page.getByTestId("wrapup-area").isHidden(), true);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], "cards, images and forms keep to the strict CSP");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("predefined responses: / picker inserts a filled response; hotkey; history search shows a highlighted hit; today's numbers", async () => {
  const page = await h.page();
  await demo(page);
  await page.evaluate((k) => {
    const s = window.__stub;
    s.pushChat(k, "Vera", [s.line(k, 1, "visitor", "Hello, I was charged twice")]);
  }, K1);
  await page.locator(`[data-testid="chat-item"][data-chat="${K1}"]`).click();
  const pane = page.locator(`[data-testid="thread-pane"][data-chat="${K1}"]`);
  const box = pane.getByTestId("composer-input");
  // The strip shows today's numbers and the load (1 chat of the agent's 4).
  await page.getByTestId("strip-handled").waitFor();
  assert.match(await page.getByTestId("strip-load").textContent(), /1 \/ 4 chats/);
  // Suggestions for the focused chat.
  await pane.getByTestId("suggestion").first().waitFor();
  assert.equal(await pane.getByTestId("suggestion").first().getAttribute("data-response-id"), "5");

  await box.click();
  await box.type("/wel");
  const item = pane.getByTestId("picker-item").first();
  await item.waitFor();
  assert.equal(await item.getAttribute("data-response-id"), "1");
  await box.press("Enter");
  await page.waitForFunction((k) => document.querySelector(`[data-testid="composer-input"][data-chat="${k}"]`).value.startsWith("Hi Vera,"), K1);
  assert.equal(await box.inputValue(), "Hi Vera, thanks for reaching out! My name is Ann.");
  assert.deepEqual(await page.evaluate(() => window.__stub.callsOf("responses_search").at(-1).args), { query: "wel", limit: 20 });
  await box.press("Enter");
  await page.waitForFunction(() => window.__stub.callsOf("send_line").length === 1);
  assert.equal(await page.evaluate(() => window.__stub.callsOf("send_line")[0].args.text), "Hi Vera, thanks for reaching out! My name is Ann.");

  // Alt+2 in the box: the response with hotkey 2, whose {orderId} blocks the send until filled.
  await box.press("Alt+2");
  await page.waitForFunction((k) => document.querySelector(`[data-testid="composer-input"][data-chat="${k}"]`).value.includes("{orderId}"), K1);
  assert.equal(await page.evaluate(() => window.__stub.callsOf("set_availability").length), 0, "Alt+2 in the box is not availability");
  await box.press("Enter");
  await pane.getByTestId("composer-blocked").waitFor();
  assert.match(await pane.getByTestId("composer-blocked").textContent(), /fill in \{orderId\}/);
  assert.equal(await page.evaluate(() => window.__stub.callsOf("send_line").length), 1);

  // History: search, a highlighted hit, open it read-only.
  await page.getByTestId("history-button").click();
  await page.getByTestId("history-dialog").waitFor();
  await page.getByTestId("history-search").fill("refund");
  const hit = page.getByTestId("history-result-snippet").first();
  await hit.waitFor();
  assert.equal(await hit.locator("mark").first().textContent(), "refund");
  assert.equal(await page.getByTestId("history-result-name").first().textContent(), "Olga");
  await page.getByTestId("history-result").first().click();
  await page.getByTestId("history-line").nth(1).waitFor();
  assert.match(await page.getByTestId("history-lines").textContent(), /refund is on its way/);
  await page.getByTestId("history-close").click();
  await page.getByTestId("history-dialog").waitFor({ state: "hidden" });
  // The desk kept its state underneath.
  assert.match(await box.inputValue(), /order number \{orderId\}/);

  // The library opens from the top bar (Alt+R works too) and lists the responses.
  await page.getByTestId("responses-button").click();
  await page.getByTestId("responses-dialog").waitFor();
  await page.getByTestId("response-item").first().waitFor();
  assert.equal(await page.getByTestId("response-item").count(), 5);
  await page.getByTestId("responses-close").click();

  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("screenshot: the desk with two chats side by side", async () => {
  const page = await h.page();
  await demo(page);
  await page.evaluate(([a, b]) => {
    const s = window.__stub;
    const t = Date.now() - 9 * 60000;
    const at = (m) => ({ time: t + m * 60000 });
    s.pushChat(a, "Vera Lindqvist", [
      s.line(a, 1, "system", "Vera joined the chat from the Orders page", at(0)),
      s.line(a, 2, "visitor", "Hi! My order #48213 was supposed to arrive yesterday but tracking hasn't moved since Monday.", at(0)),
      s.line(a, 3, "agent", "Hi Vera, thanks for reaching out. Let me look that up for you right away.", { ...at(1), localId: "seed-1" }),
      s.line(a, 4, "agent", "Carrier shows a depot delay in Malmö; the customer is a repeat buyer.", { ...at(2), agentOnly: true }),
      s.line(a, 5, "visitor", "<p>Thanks. The item is a <b>birthday present</b>, so timing matters a lot.</p>", { ...at(3), textType: "html" }),
      s.line(a, 6, "agent", "Understood. The parcel is at the local depot and is scheduled for delivery tomorrow before noon. I've also added free express shipping to your next order.", { ...at(4), localId: "seed-2" }),
      s.line(a, 7, "visitor", "That's great, thank you so much!", at(5)),
    ]);
    s.pushChat(b, "Omar Haddad", [
      s.line(b, 1, "system", "Omar was transferred from Sales", at(3)),
      s.line(b, 2, "visitor", "Hello, I was charged twice for my subscription this month.", at(3)),
      s.line(b, 3, "agent", "Sorry about that, Omar. Could you tell me the last four digits of the card?", { ...at(4), localId: "seed-3" }),
      s.line(b, 4, "visitor", "Sure, it ends in 4417.", at(6)),
    ]);
    s.pushChat("H3333-K3", "Lee Chen", [s.line("H3333-K3", 1, "visitor", "Do you ship to Norway?", at(7))]);
    s.pushChat("H4444-K4", "Priya Nair", [s.line("H4444-K4", 1, "visitor", "Can I change the size after ordering?", at(8))]);
  }, [K1, K2]);
  await page.locator(`[data-testid="chat-item"][data-chat="${K1}"]`).click();
  await page.locator(`[data-testid="chat-item"][data-chat="${K2}"]`).click();
  await page.locator('[data-testid="thread-pane"]').nth(1).waitFor();
  await page.evaluate(([b]) => {
    const s = window.__stub;
    s.emit({ type: "outbox", chat: b, localId: "seed-4", text: "Thanks — I can see both charges. Refunding the duplicate now.", state: "pending", eventId: null, error: null });
    s.emit({ type: "visitorTyping", chat: "H1111-K1", typing: true });
    s.ring("H5555-K5", "Sam", "hi", 14);
  }, [K2]);
  await page.getByTestId("ringing-banner").waitFor();
  assert.equal(await page.locator('[data-testid="thread-pane"]').count(), 2);
  const boxes = await page.locator('[data-testid="thread-pane"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
  assert.ok(boxes[0].x + boxes[0].width <= boxes[1].x + 1 && Math.abs(boxes[0].y - boxes[1].y) < 2, "the two threads sit side by side");
  await page.locator(`[data-testid="composer-input"][data-chat="${K2}"]`).focus();
  await page.waitForTimeout(300);
  await mkdir(join(repoRoot, "artifacts"), { recursive: true });
  await page.screenshot({ path: join(repoRoot, "artifacts", "ui-desk.png") });
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], "the desk runs under the strict CSP");
  assert.deepEqual(page.errors, []);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(100);
  await page.screenshot({ path: join(repoRoot, "artifacts", "ui-desk-dark.png") });
  await page.close();
});
