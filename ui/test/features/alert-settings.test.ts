// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import { formFromSettings, renderAlertSettings, settingsFromForm, type AlertSettingsApi } from "../../src/features/alert-settings";
import type { AlertSettings } from "../../src/bindings/AlertSettings";
import type { SpellCheck } from "../../src/bindings/SpellCheck";

/** The shell's defaults (alert_settings.rs). */
const DEFAULTS: AlertSettings = {
  ring: { attentionAfterSecs: 8, finalAfterSecs: 15, tone: "messageNewInstant", repeatSound: true, volume: 80 },
  events: {
    ring: { notification: true, sound: true, attention: true },
    chatStarted: { notification: true, sound: false, attention: false },
    visitorLine: { notification: true, sound: false, attention: true },
    chatEnded: { notification: true, sound: false, attention: false },
    connection: { notification: true, sound: false, attention: false },
    quietWhileAway: true,
  },
  presence: { awayOnLock: true, awayOnSuspend: true, idleMinutes: 10, awayReasonId: "7", onQuit: "away" },
  startup: { atLogin: false, hidden: false },
};
const clone = (s: AlertSettings): AlertSettings => JSON.parse(JSON.stringify(s)) as AlertSettings;
const q = <T extends HTMLElement = HTMLInputElement>(el: Element, id: string) => el.querySelector(`[data-testid="${id}"]`) as T;
const flush = () => new Promise((r) => setTimeout(r, 0));

describe("alert settings form ↔ settings", () => {
  it("round-trips the settings unchanged", () => {
    expect(settingsFromForm(formFromSettings(DEFAULTS), DEFAULTS)).toEqual({ ok: true, settings: DEFAULTS });
    const other = clone(DEFAULTS);
    other.ring = { attentionAfterSecs: null, finalAfterSecs: 12, tone: "bell", repeatSound: false, volume: 35 };
    other.events.chatEnded = { notification: false, sound: true, attention: true };
    other.presence = { ...other.presence, idleMinutes: null, onQuit: "logOut", awayOnLock: false };
    other.startup = { atLogin: true, hidden: true };
    expect(settingsFromForm(formFromSettings(other), DEFAULTS)).toEqual({ ok: true, settings: other });
  });

  it("maps off steps to null and keeps a number to switch back on to", () => {
    const s = clone(DEFAULTS);
    s.ring.attentionAfterSecs = null;
    s.presence.idleMinutes = null;
    const f = formFromSettings(s);
    expect(f.attentionOn).toBe(false);
    expect(f.attentionSecs).toBe("8");
    expect(f.idleOn).toBe(false);
    expect(f.idleMinutes).toBe("10");
    // An off step ignores whatever its field holds.
    const r = settingsFromForm({ ...f, attentionSecs: "junk" }, DEFAULTS);
    expect(r.ok && r.settings.ring.attentionAfterSecs).toBeNull();
  });

  it("keeps what the form does not show (the Away reason id)", () => {
    const r = settingsFromForm({ ...formFromSettings(DEFAULTS), onQuit: "logOut" }, DEFAULTS);
    expect(r.ok && r.settings.presence).toEqual({ ...DEFAULTS.presence, onQuit: "logOut", awayReasonId: "7" });
  });

  it("refuses steps outside the 20 s window, out of order, and bad idle minutes", () => {
    const f = formFromSettings(DEFAULTS);
    expect(settingsFromForm({ ...f, attentionSecs: "20" }, DEFAULTS)).toMatchObject({ ok: false, field: "alerts-attention-secs" });
    expect(settingsFromForm({ ...f, attentionSecs: "0" }, DEFAULTS)).toMatchObject({ ok: false, field: "alerts-attention-secs" });
    expect(settingsFromForm({ ...f, attentionSecs: "2.5" }, DEFAULTS)).toMatchObject({ ok: false, field: "alerts-attention-secs" });
    expect(settingsFromForm({ ...f, finalSecs: "" }, DEFAULTS)).toMatchObject({ ok: false, field: "alerts-final-secs" });
    expect(settingsFromForm({ ...f, finalSecs: "8" }, DEFAULTS)).toMatchObject({ ok: false, field: "alerts-final-secs", message: expect.stringContaining("after the attention") });
    expect(settingsFromForm({ ...f, attentionOn: false, finalSecs: "3" }, DEFAULTS)).toMatchObject({ ok: true });
    expect(settingsFromForm({ ...f, idleMinutes: "0" }, DEFAULTS)).toMatchObject({ ok: false, field: "alerts-idle-minutes" });
    expect(settingsFromForm({ ...f, idleMinutes: "1441" }, DEFAULTS)).toMatchObject({ ok: false, field: "alerts-idle-minutes" });
    expect(settingsFromForm({ ...f, idleMinutes: " 30 " }, DEFAULTS)).toMatchObject({ ok: true, settings: { presence: { idleMinutes: 30 } } });
  });
});

describe("the alert settings view", () => {
  const api = (stored: AlertSettings): AlertSettingsApi & { save: ReturnType<typeof vi.fn>; preview: ReturnType<typeof vi.fn> } => ({
    load: vi.fn(async () => clone(stored)),
    preview: vi.fn(async () => undefined),
    save: vi.fn(async (s: AlertSettings) => clone(s)),
  });

  it("shows the stored settings and saves what was changed", async () => {
    const a = api(DEFAULTS);
    const view = renderAlertSettings(a);
    document.body.append(view.el);
    await view.refresh();
    expect(q(view.el, "alerts-attention-on").checked).toBe(true);
    expect(q(view.el, "alerts-final-secs").value).toBe("15");
    expect(q(view.el, "alerts-visitorLine-attention").checked).toBe(true);
    expect(q(view.el, "alerts-chatEnded-sound").checked).toBe(false);
    expect(q<HTMLSelectElement>(view.el, "alerts-on-quit").value).toBe("away");

    q(view.el, "alerts-chatEnded-sound").click();
    const idle = q(view.el, "alerts-idle-on");
    idle.click();
    expect(q(view.el, "alerts-idle-minutes").disabled).toBe(true);
    q<HTMLSelectElement>(view.el, "alerts-tone").value = "bell";
    expect(q(view.el, "alerts-volume").value).toBe("80");
    expect(q(view.el, "alerts-volume-text").textContent).toBe("80 %");
    const volume = q(view.el, "alerts-volume");
    volume.value = "0";
    volume.dispatchEvent(new Event("input"));
    expect(q(view.el, "alerts-volume-text").textContent).toBe("silent");
    volume.value = "45";
    volume.dispatchEvent(new Event("input"));
    q<HTMLButtonElement>(view.el, "alerts-play").click();
    expect(a.preview).toHaveBeenCalledWith("bell", 45);
    expect(q(view.el, "alerts-start-at-login").checked).toBe(false);
    expect(q(view.el, "alerts-start-hidden").checked).toBe(false);
    q(view.el, "alerts-start-at-login").click();
    q<HTMLButtonElement>(view.el, "alerts-save").click();
    await flush();
    const want = clone(DEFAULTS);
    want.events.chatEnded.sound = true;
    want.presence.idleMinutes = null;
    want.ring.tone = "bell";
    want.ring.volume = 45;
    want.startup.atLogin = true;
    expect(a.save).toHaveBeenCalledWith(want);
    expect(q(view.el, "alerts-status").textContent).toBe("Saved.");
    expect(q(view.el, "alerts-error").hidden).toBe(true);
    view.el.remove();
  });

  it("shows a value out of range and a refused save inline, keeping what was typed", async () => {
    const a = api(DEFAULTS);
    const view = renderAlertSettings(a);
    document.body.append(view.el);
    await view.refresh();
    const secs = q(view.el, "alerts-attention-secs");
    secs.value = "25";
    q<HTMLButtonElement>(view.el, "alerts-save").click();
    await flush();
    expect(a.save).not.toHaveBeenCalled();
    const error = q(view.el, "alerts-error");
    expect(error.hidden).toBe(false);
    expect(error.textContent).toMatch(/1 to 19/);
    expect(secs.getAttribute("aria-invalid")).toBe("true");

    secs.value = "5";
    a.save.mockRejectedValueOnce({ code: "storage", message: "disk full", retryable: false });
    q<HTMLButtonElement>(view.el, "alerts-save").click();
    await flush();
    expect(error.textContent).toBe("Not saved: disk full");
    expect(secs.hasAttribute("aria-invalid")).toBe(false);
    expect(secs.value).toBe("5");
    view.el.remove();
  });

  it("shows the installed dictionaries, saves the chosen one with the rest and shows a refusal", async () => {
    const a = api(DEFAULTS);
    const spelling = {
      load: vi.fn(async () => ({ setting: { enabled: true, language: "fr_FR" }, installed: ["de_DE", "en_US"], system: "en_US" })),
      save: vi.fn(async (s: SpellCheck) => s),
    };
    const view = renderAlertSettings({ ...a, spelling });
    document.body.append(view.el);
    await view.refresh();
    const language = q<HTMLSelectElement>(view.el, "alerts-spell-language");
    // The system's choice first, the installed ones, and a stored one whose dictionary has gone.
    expect([...language.options].map((o) => [o.value, o.textContent])).toEqual([
      ["", "The system's (en_US)"],
      ["de_DE", "de_DE"],
      ["en_US", "en_US"],
      ["fr_FR", "fr_FR"],
    ]);
    expect(language.value).toBe("fr_FR");
    expect(q(view.el, "alerts-spell-on").checked).toBe(true);

    spelling.save.mockRejectedValueOnce({ code: "invalidInput", message: "no spell-check dictionary for \"fr_FR\"", retryable: false });
    q<HTMLButtonElement>(view.el, "alerts-save").click();
    await flush();
    expect(q(view.el, "alerts-error").textContent).toContain("Spelling not saved: no spell-check dictionary");
    expect(language.getAttribute("aria-invalid")).toBe("true");
    expect(q(view.el, "alerts-status").textContent).toBe("");

    language.value = "de_DE";
    q(view.el, "alerts-spell-on").click();
    expect(language.disabled).toBe(true);
    q<HTMLButtonElement>(view.el, "alerts-save").click();
    await flush();
    expect(spelling.save).toHaveBeenLastCalledWith({ enabled: false, language: "de_DE" });
    expect(q(view.el, "alerts-status").textContent).toBe("Saved.");
    view.el.remove();
  });

  it("hides the spelling part where the shell offers none", async () => {
    const view = renderAlertSettings(api(DEFAULTS));
    await view.refresh();
    expect(q(view.el, "alerts-spell-on").closest("fieldset")?.hidden).toBe(true);
  });
});
