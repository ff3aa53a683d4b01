// Settings: how the desk alerts the agent and follows their presence (issue 9 §1–§3). The form is
// plain data (`AlertForm`) mapped to and from the shell's `AlertSettings`; the view reads and saves
// through an injected API, and a refused save (or a value out of range) shows inside the form.
import { h } from "../lib/dom";
import type { AlertChoice } from "../bindings/AlertChoice";
import type { AlertPrefs } from "../bindings/AlertPrefs";
import type { AlertSettings } from "../bindings/AlertSettings";
import type { QuitPresence } from "../bindings/QuitPresence";
import type { RingTone } from "../bindings/RingTone";
import type { SpellCheck } from "../bindings/SpellCheck";
import type { SpellLanguages } from "../bindings/SpellLanguages";
import { errorMessage, uid } from "./util";

/** The server sets an agent Away 20 s after a ring starts (spec §4.10): steps must come before. */
export const RING_WINDOW_SECS = 20;
/** The longest idle time the form takes (a day). */
export const MAX_IDLE_MINUTES = 24 * 60;

export type AlertEvent = Exclude<keyof AlertPrefs, "quietWhileAway">;
export const ALERT_EVENTS: { event: AlertEvent; label: string }[] = [
  { event: "ring", label: "A chat rings" },
  { event: "chatStarted", label: "A chat starts" },
  { event: "visitorLine", label: "A visitor writes (window unfocused, hidden or chat not shown)" },
  { event: "chatEnded", label: "A chat ends or is transferred away" },
  { event: "connection", label: "The connection is lost or restored" },
];
export const CHOICE_KEYS: { key: keyof AlertChoice; label: string }[] = [
  { key: "notification", label: "Notification" },
  { key: "sound", label: "Sound" },
  { key: "attention", label: "Window attention" },
];
export const TONES: { tone: RingTone; label: string }[] = [
  { tone: "messageNewInstant", label: "Message (default)" },
  { tone: "phoneIncomingCall", label: "Phone" },
  { tone: "bell", label: "Bell" },
  { tone: "complete", label: "Chime" },
];

/** What the form's fields hold: numbers as typed (validated on save), a checkbox per optional step. */
export interface AlertForm {
  attentionOn: boolean;
  attentionSecs: string;
  finalOn: boolean;
  finalSecs: string;
  tone: RingTone;
  /** 0–100, as the slider holds it. */
  volume: number;
  repeatSound: boolean;
  events: Record<AlertEvent, AlertChoice>;
  quietWhileAway: boolean;
  awayOnLock: boolean;
  awayOnSuspend: boolean;
  idleOn: boolean;
  idleMinutes: string;
  onQuit: QuitPresence;
  startAtLogin: boolean;
  startHidden: boolean;
}

/** The form for stored settings (an off step keeps a sensible number to switch back on to). */
export function formFromSettings(s: AlertSettings): AlertForm {
  const events = {} as Record<AlertEvent, AlertChoice>;
  for (const { event } of ALERT_EVENTS) events[event] = { ...s.events[event] };
  return {
    attentionOn: s.ring.attentionAfterSecs != null,
    attentionSecs: String(s.ring.attentionAfterSecs ?? 8),
    finalOn: s.ring.finalAfterSecs != null,
    finalSecs: String(s.ring.finalAfterSecs ?? 15),
    tone: s.ring.tone,
    volume: s.ring.volume,
    repeatSound: s.ring.repeatSound,
    events,
    quietWhileAway: s.events.quietWhileAway,
    awayOnLock: s.presence.awayOnLock,
    awayOnSuspend: s.presence.awayOnSuspend,
    idleOn: s.presence.idleMinutes != null,
    idleMinutes: String(s.presence.idleMinutes ?? 10),
    onQuit: s.presence.onQuit,
    startAtLogin: s.startup.atLogin,
    startHidden: s.startup.hidden,
  };
}

export type FormResult = { ok: true; settings: AlertSettings } | { ok: false; field: string; message: string };

function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

/**
 * The settings the form describes, on top of `base` (fields the form does not show, such as the
 * Away reason id, are kept), or the first field that is out of range. `field` is the input's
 * test id.
 */
export function settingsFromForm(f: AlertForm, base: AlertSettings): FormResult {
  const secs = (on: boolean, text: string, field: string, what: string): { v: number | null } | FormResult => {
    if (!on) return { v: null };
    const n = wholeNumber(text);
    if (n == null || n < 1 || n >= RING_WINDOW_SECS)
      return { ok: false, field, message: `${what}: a whole number of seconds from 1 to ${RING_WINDOW_SECS - 1} (the server gives ${RING_WINDOW_SECS} s to accept).` };
    return { v: n };
  };
  const attention = secs(f.attentionOn, f.attentionSecs, "alerts-attention-secs", "Ask for attention after");
  if ("ok" in attention) return attention;
  const fin = secs(f.finalOn, f.finalSecs, "alerts-final-secs", "Final warning after");
  if ("ok" in fin) return fin;
  if (attention.v != null && fin.v != null && fin.v <= attention.v)
    return { ok: false, field: "alerts-final-secs", message: "The final warning must come after the attention step." };
  let idle: number | null = null;
  if (f.idleOn) {
    idle = wholeNumber(f.idleMinutes);
    if (idle == null || idle < 1 || idle > MAX_IDLE_MINUTES)
      return { ok: false, field: "alerts-idle-minutes", message: `Away when idle: a whole number of minutes from 1 to ${MAX_IDLE_MINUTES}.` };
  }
  const events = { ...base.events, quietWhileAway: f.quietWhileAway };
  for (const { event } of ALERT_EVENTS) events[event] = { ...f.events[event] };
  return {
    ok: true,
    settings: {
      ring: { ...base.ring, attentionAfterSecs: attention.v, finalAfterSecs: fin.v, tone: f.tone, volume: Math.max(0, Math.min(100, Math.round(f.volume))), repeatSound: f.repeatSound },
      events,
      presence: { ...base.presence, awayOnLock: f.awayOnLock, awayOnSuspend: f.awayOnSuspend, idleMinutes: idle, onQuit: f.onQuit },
      startup: { ...base.startup, atLogin: f.startAtLogin, hidden: f.startHidden },
    },
  };
}

export interface AlertSettingsApi {
  load(): Promise<AlertSettings>;
  /** Stores the settings; resolves to what the shell stored. */
  save(settings: AlertSettings): Promise<AlertSettings>;
  /** Plays a tone once at a volume (the "Play" button: a preview, heard even while muted). */
  preview?(tone: RingTone, volume: number): Promise<void>;
  /** Spell checking in the reply box, saved with the rest (its own setting in the shell). */
  spelling?: {
    load(): Promise<SpellLanguages>;
    save(setting: SpellCheck): Promise<SpellCheck>;
  };
}

export interface AlertSettingsView {
  readonly el: HTMLElement;
  /** Reloads the stored settings into the form (what was typed and not saved is dropped). */
  refresh(): Promise<void>;
  /** The form as it stands. */
  read(): AlertForm;
}

export function renderAlertSettings(api: AlertSettingsApi): AlertSettingsView {
  let base: AlertSettings | null = null;
  const check = (testid: string, label: string, title?: string) => {
    const input = h("input", { type: "checkbox", "data-testid": testid });
    return { input, label: h("label", { class: "alerts-check", title }, input, ` ${label}`) };
  };
  const number = (testid: string, min: number, max: number, label: string) => {
    const id = uid(testid);
    const input = h("input", { type: "number", id, min, max, step: 1, inputmode: "numeric", class: "alerts-number", "data-testid": testid, "aria-label": label });
    return input;
  };
  const select = <T extends string>(testid: string, options: { value: T; label: string }[], label: string) => {
    const el = h("select", { "data-testid": testid, "aria-label": label });
    for (const o of options) el.append(h("option", { value: o.value, text: o.label }));
    return el;
  };

  // The ring.
  const attentionOn = check("alerts-attention-on", "Ask for attention and repeat the tone after");
  const attentionSecs = number("alerts-attention-secs", 1, RING_WINDOW_SECS - 1, "Seconds before asking for attention");
  const finalOn = check("alerts-final-on", "Final warning (critical) after");
  const finalSecs = number("alerts-final-secs", 1, RING_WINDOW_SECS - 1, "Seconds before the final warning");
  const tone = select("alerts-tone", TONES.map((t) => ({ value: t.tone, label: t.label })), "Ring tone");
  const repeat = check("alerts-repeat-sound", "Play the tone again at each step");
  const volume = h("input", { type: "range", min: 0, max: 100, step: 5, class: "alerts-volume", "data-testid": "alerts-volume", "aria-label": "Volume of the desk's tones" });
  const volumeText = h("span", { class: "alerts-volume-text", "data-testid": "alerts-volume-text" });
  const showVolume = () => {
    volumeText.textContent = volume.value === "0" ? "silent" : `${volume.value} %`;
  };
  volume.addEventListener("input", showVolume);
  const play = h("button", { type: "button", class: "btn", "data-testid": "alerts-play", text: "Play", title: "Hear the tone at this volume" });
  play.addEventListener("click", () => {
    void api.preview?.(tone.value as RingTone, Number(volume.value)).catch(() => undefined);
  });
  const ringSet = h(
    "fieldset",
    { class: "alerts-group" },
    h("legend", { text: `Ringing (the server gives ${RING_WINDOW_SECS} s to accept)` }),
    h("div", { class: "alerts-row" }, attentionOn.label, attentionSecs, " s"),
    h("div", { class: "alerts-row" }, finalOn.label, finalSecs, " s"),
    h("div", { class: "alerts-row" }, h("label", { class: "alerts-check" }, "Tone ", tone), " ", play),
    h("div", { class: "alerts-row" }, h("label", { class: "alerts-check" }, "Volume ", volume), " ", volumeText),
    h("div", { class: "alerts-row" }, repeat.label),
  );

  // Per event.
  const eventBoxes = {} as Record<AlertEvent, Record<keyof AlertChoice, HTMLInputElement>>;
  const table = h("table", { class: "alerts-table", "data-testid": "alerts-events" });
  table.append(h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Event" }), ...CHOICE_KEYS.map((c) => h("th", { scope: "col", text: c.label })))));
  const tbody = h("tbody");
  for (const { event, label } of ALERT_EVENTS) {
    const boxes = {} as Record<keyof AlertChoice, HTMLInputElement>;
    const cells = CHOICE_KEYS.map((c) => {
      const input = h("input", { type: "checkbox", "data-testid": `alerts-${event}-${c.key}`, "aria-label": `${label}: ${c.label}` });
      boxes[c.key] = input;
      return h("td", {}, input);
    });
    eventBoxes[event] = boxes;
    tbody.append(h("tr", {}, h("th", { scope: "row", text: label }), ...cells));
  }
  table.append(tbody);
  const quiet = check("alerts-quiet-away", "Quiet while Away (no sounds; only rings notify)");
  const eventSet = h("fieldset", { class: "alerts-group" }, h("legend", { text: "Alerts per event" }), table, h("div", { class: "alerts-row" }, quiet.label));

  // Presence.
  const lock = check("alerts-away-lock", "Set Away when the screen locks");
  const suspend = check("alerts-away-suspend", "Set Away when the computer suspends");
  const idleOn = check("alerts-idle-on", "Set Away after no input for");
  const idleMinutes = number("alerts-idle-minutes", 1, MAX_IDLE_MINUTES, "Idle minutes before Away");
  const onQuit = select<QuitPresence>(
    "alerts-on-quit",
    [
      { value: "away", label: "Set Away (keep the login)" },
      { value: "logOut", label: "Log out (open chats go back to the queue)" },
    ],
    "On quit",
  );
  const presenceSet = h(
    "fieldset",
    { class: "alerts-group" },
    h("legend", { text: "Presence" }),
    h("div", { class: "alerts-row" }, lock.label),
    h("div", { class: "alerts-row" }, suspend.label),
    h("div", { class: "alerts-row" }, idleOn.label, idleMinutes, " min"),
    h("div", { class: "alerts-row" }, h("label", { class: "alerts-check" }, "On quit ", onQuit)),
  );

  // Starting.
  const atLogin = check("alerts-start-at-login", "Start when I log in to the computer (in the tray)");
  const startHidden = check("alerts-start-hidden", "Always start hidden in the tray", "Only the tray icon shows at start; click it to open the desk.");
  const startSet = h(
    "fieldset",
    { class: "alerts-group" },
    h("legend", { text: "Starting" }),
    h("div", { class: "alerts-row" }, atLogin.label),
    h("div", { class: "alerts-row" }, startHidden.label),
  );

  // Spelling in the reply box.
  const spellOn = check("alerts-spell-on", "Check spelling in the reply box");
  const spellLanguage = h("select", { "data-testid": "alerts-spell-language", "aria-label": "Spell-check language" });
  const spellSet = h(
    "fieldset",
    { class: "alerts-group", hidden: !api.spelling },
    h("legend", { text: "Spelling" }),
    h("div", { class: "alerts-row" }, spellOn.label),
    h("div", { class: "alerts-row" }, h("label", { class: "alerts-check" }, "Language ", spellLanguage)),
  );
  spellOn.input.addEventListener("change", () => {
    spellLanguage.disabled = !spellOn.input.checked || spellLanguage.options.length < 2;
  });
  const fillSpelling = (s: SpellLanguages) => {
    spellLanguage.replaceChildren(h("option", { value: "", text: `The system's (${s.system})` }));
    const names = [...s.installed];
    // A stored language whose dictionary has gone stays visible, so saving does not drop it silently.
    if (s.setting.language && !names.includes(s.setting.language)) names.push(s.setting.language);
    for (const name of names) spellLanguage.append(h("option", { value: name, text: name }));
    spellLanguage.value = s.setting.language ?? "";
    spellOn.input.checked = s.setting.enabled;
    spellLanguage.disabled = !s.setting.enabled || names.length === 0;
  };
  const readSpelling = (): SpellCheck => ({ enabled: spellOn.input.checked, language: spellLanguage.value || null });

  const error = h("p", { class: "alerts-error", role: "alert", "data-testid": "alerts-error", hidden: true });
  const status = h("p", { class: "alerts-status", role: "status", "data-testid": "alerts-status" });
  const save = h("button", { type: "submit", class: "btn btn--primary", "data-testid": "alerts-save", text: "Save" });
  const form = h("form", { class: "alerts-form", "data-testid": "alerts-form", novalidate: true }, ringSet, eventSet, presenceSet, startSet, spellSet, error, h("div", { class: "alerts-actions" }, save, status));

  const syncDisabled = () => {
    attentionSecs.disabled = !attentionOn.input.checked;
    finalSecs.disabled = !finalOn.input.checked;
    idleMinutes.disabled = !idleOn.input.checked;
  };
  for (const c of [attentionOn, finalOn, idleOn]) c.input.addEventListener("change", syncDisabled);

  const showError = (message: string | null, field?: string) => {
    error.hidden = message == null;
    error.textContent = message ?? "";
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    if (field) {
      const bad = form.querySelector<HTMLElement>(`[data-testid="${field}"]`);
      bad?.setAttribute("aria-invalid", "true");
      bad?.focus();
    }
  };

  const fill = (f: AlertForm) => {
    attentionOn.input.checked = f.attentionOn;
    attentionSecs.value = f.attentionSecs;
    finalOn.input.checked = f.finalOn;
    finalSecs.value = f.finalSecs;
    tone.value = f.tone;
    volume.value = String(f.volume);
    showVolume();
    repeat.input.checked = f.repeatSound;
    for (const { event } of ALERT_EVENTS) for (const { key } of CHOICE_KEYS) eventBoxes[event][key].checked = f.events[event][key];
    quiet.input.checked = f.quietWhileAway;
    lock.input.checked = f.awayOnLock;
    suspend.input.checked = f.awayOnSuspend;
    idleOn.input.checked = f.idleOn;
    idleMinutes.value = f.idleMinutes;
    onQuit.value = f.onQuit;
    atLogin.input.checked = f.startAtLogin;
    startHidden.input.checked = f.startHidden;
    syncDisabled();
  };

  const read = (): AlertForm => {
    const events = {} as Record<AlertEvent, AlertChoice>;
    for (const { event } of ALERT_EVENTS) {
      const b = eventBoxes[event];
      events[event] = { notification: b.notification.checked, sound: b.sound.checked, attention: b.attention.checked };
    }
    return {
      attentionOn: attentionOn.input.checked,
      attentionSecs: attentionSecs.value,
      finalOn: finalOn.input.checked,
      finalSecs: finalSecs.value,
      tone: tone.value as RingTone,
      volume: Number(volume.value),
      repeatSound: repeat.input.checked,
      events,
      quietWhileAway: quiet.input.checked,
      awayOnLock: lock.input.checked,
      awayOnSuspend: suspend.input.checked,
      idleOn: idleOn.input.checked,
      idleMinutes: idleMinutes.value,
      onQuit: onQuit.value as QuitPresence,
      startAtLogin: atLogin.input.checked,
      startHidden: startHidden.input.checked,
    };
  };

  let saving = false;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (saving || !base) return;
    const result = settingsFromForm(read(), base);
    if (!result.ok) {
      showError(result.message, result.field);
      status.textContent = "";
      return;
    }
    saving = true;
    save.disabled = true;
    showError(null);
    status.textContent = "Saving…";
    const spelling = readSpelling();
    api
      .save(result.settings)
      .then(async (stored) => {
        base = stored;
        fill(formFromSettings(stored));
        if (api.spelling) {
          try {
            const kept = await api.spelling.save(spelling);
            spellOn.input.checked = kept.enabled;
            spellLanguage.value = kept.language ?? "";
          } catch (err) {
            status.textContent = "";
            showError(`Spelling not saved: ${errorMessage(err)}`, "alerts-spell-language");
            return;
          }
        }
        status.textContent = "Saved.";
      })
      .catch((err) => {
        status.textContent = "";
        showError(`Not saved: ${errorMessage(err)}`);
      })
      .finally(() => {
        saving = false;
        save.disabled = false;
      });
  });

  return {
    el: form,
    read,
    async refresh() {
      status.textContent = "";
      showError(null);
      try {
        base = await api.load();
      } catch (err) {
        showError(`The alert settings could not be read: ${errorMessage(err)}`);
        return;
      }
      fill(formFromSettings(base));
      if (api.spelling) {
        try {
          fillSpelling(await api.spelling.load());
        } catch (err) {
          showError(`The spelling settings could not be read: ${errorMessage(err)}`);
        }
      }
    },
  };
}
