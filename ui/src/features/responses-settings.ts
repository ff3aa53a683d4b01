// Settings: the predefined-response library. Grouped by category (collapsible), add / edit in a
// form (nothing typed is lost when a save fails), delete after a confirm, reorder with buttons or
// Alt+↑/↓ (no drag-only interaction), import a JSON file (the engine's refusal is shown verbatim)
// and export one (offered as a download through a Blob URL). Every action is an injected promise.
import { h } from "../lib/dom";
import { confirmDialog } from "../views/dialog";
import type { CannedResponse, ImportMode, JsonValue, ResponseDraft, TextType } from "./types";
import { downloadLink, errorMessage, uid } from "./util";

export const EXPORT_FILE_NAME = "agent-desk-responses.json";
export const UNCATEGORISED = "Uncategorised";

export interface ResponsesApi {
  list(): Promise<CannedResponse[]>;
  /** Creates (`id: null`) or updates a response; resolves to the stored one. */
  save(draft: ResponseDraft): Promise<CannedResponse>;
  remove(id: number): Promise<void>;
  /** The whole library's ids in their new order. */
  reorder(ids: number[]): Promise<void>;
  /** Resolves to the number imported (if known); rejects with a message naming entry and field. */
  import(text: string, mode: ImportMode): Promise<number | void>;
  export(): Promise<string>;
  /** Saves an export as a file and resolves to where it went; without it, a download link. */
  saveFile?(name: string, text: string): Promise<string>;
  /** Defaults to the app's confirm dialog. */
  confirm?(title: string, message: string, ok: string): Promise<boolean>;
}

export interface ResponsesSettings {
  readonly el: HTMLElement;
  refresh(): Promise<void>;
  destroy(): void;
}

export type CardParse = { ok: true; card: JsonValue | null } | { ok: false; message: string };

/** The card textarea's value: empty → no card; else a JSON object with a string `type`. */
export function parseCardJson(text: string): CardParse {
  if (!text.trim()) return { ok: true, card: null };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `Card JSON is not valid: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { ok: false, message: "Card JSON must be an object, such as {\"type\": \"vertical\", \"elements\": […]}." };
  if (typeof (v as { type?: unknown }).type !== "string") return { ok: false, message: 'Card JSON needs a "type" (for example "vertical").' };
  return { ok: true, card: v as JsonValue };
}

export function byPosition(list: CannedResponse[]): CannedResponse[] {
  return list.map((r, i) => ({ r, i })).sort((a, b) => a.r.position - b.r.position || a.i - b.i).map((x) => x.r);
}

/** Categories in order of their first response; responses by position inside each. */
export function groupByCategory(list: CannedResponse[]): { category: string; items: CannedResponse[] }[] {
  const groups = new Map<string, CannedResponse[]>();
  for (const r of byPosition(list)) {
    const c = r.category.trim() || UNCATEGORISED;
    const g = groups.get(c) ?? [];
    g.push(r);
    groups.set(c, g);
  }
  return [...groups].map(([category, items]) => ({ category, items }));
}

/** The library's new id order after moving `id` one place up (-1) or down (+1) within its category; null if it cannot move. */
export function moveWithinCategory(list: CannedResponse[], id: number, dir: -1 | 1): number[] | null {
  const order = byPosition(list);
  const i = order.findIndex((r) => r.id === id);
  if (i < 0) return null;
  const cat = order[i]!.category.trim() || UNCATEGORISED;
  let j = i + dir;
  while (j >= 0 && j < order.length && (order[j]!.category.trim() || UNCATEGORISED) !== cat) j += dir;
  if (j < 0 || j >= order.length) return null;
  const ids = order.map((r) => r.id);
  [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  return ids;
}

function preview(text: string, max = 100): string {
  const t = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function renderResponsesSettings(api: ResponsesApi): ResponsesSettings {
  const ask = api.confirm ?? ((t: string, m: string, ok: string) => confirmDialog(t, m, ok));
  const id = uid("responses");
  let items: CannedResponse[] = [];
  const collapsed = new Set<string>();
  let editing: number | null = null; // id being edited; null while adding
  let exportLink: HTMLAnchorElement | null = null;

  // --- toolbar
  const addBtn = h("button", { type: "button", class: "btn btn--primary btn--small", "data-testid": "responses-add", text: "Add response" });
  const importFile = h("input", { type: "file", id: `${id}-import`, accept: ".json,application/json", class: "sr-only", tabindex: -1, "aria-hidden": "true", "data-testid": "responses-import-file" });
  const importMode = h(
    "select",
    { id: `${id}-mode`, class: "responses-import-mode", "aria-label": "How to import", "data-testid": "responses-import-mode" },
    h("option", { value: "merge", text: "Add to the library" }),
    h("option", { value: "replace", text: "Replace the library" }),
  );
  const importBtn = h("button", { type: "button", class: "btn btn--small", "data-testid": "responses-import", text: "Import…" });
  const exportBtn = h("button", { type: "button", class: "btn btn--small", "data-testid": "responses-export", text: "Export" });
  const exportSlot = h("span", { class: "responses-export-slot" });
  const toolbar = h("div", { class: "responses-toolbar" }, addBtn, h("span", { class: "responses-spacer" }), importMode, importBtn, importFile, exportBtn, exportSlot);
  const alert = h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "responses-error" });
  const status = h("p", { class: "responses-status", role: "status", "data-testid": "responses-status" });

  // --- editor
  const f = {
    title: h("input", { id: `${id}-title`, type: "text", required: true, maxlength: 200, "data-testid": "response-title" }),
    category: h("input", { id: `${id}-cat`, type: "text", list: `${id}-cats`, maxlength: 100, "data-testid": "response-category" }),
    cats: h("datalist", { id: `${id}-cats` }),
    text: h("textarea", { id: `${id}-text`, rows: 4, required: true, "data-testid": "response-text" }),
    textType: h(
      "select",
      { id: `${id}-tt`, "data-testid": "response-text-type" },
      h("option", { value: "plain", text: "Plain text" }),
      h("option", { value: "html", text: "Simple HTML" }),
    ),
    hotkey: h("select", { id: `${id}-hk`, "data-testid": "response-hotkey" }),
    card: h("textarea", { id: `${id}-card`, rows: 4, class: "responses-card-json", spellcheck: "false", "aria-describedby": `${id}-card-err`, "data-testid": "response-card" }),
    cardError: h("p", { id: `${id}-card-err`, class: "responses-field-error", hidden: true, "data-testid": "response-card-error" }),
    error: h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "response-form-error" }),
    save: h("button", { type: "submit", class: "btn btn--primary", "data-testid": "response-save", text: "Save" }),
    cancel: h("button", { type: "button", class: "btn", "data-testid": "response-cancel", text: "Cancel" }),
  };
  const formTitle = h("h3", { id: `${id}-form-title`, class: "responses-form-title" });
  const form = h(
    "form",
    { class: "form responses-form", "aria-labelledby": formTitle.id, hidden: true, novalidate: true, "data-testid": "response-form" },
    formTitle,
    h("label", { class: "field", for: f.title.id }, h("span", { text: "Title" }), f.title),
    h("label", { class: "field", for: f.category.id }, h("span", { text: "Category" }), f.category, f.cats),
    h(
      "label",
      { class: "field", for: f.text.id },
      h("span", { text: "Text — placeholders {visitorName}, {agentName}, {skill}, {time} are filled when inserted" }),
      f.text,
    ),
    h(
      "div",
      { class: "responses-form-row" },
      h("label", { class: "field", for: f.textType.id }, h("span", { text: "Text type" }), f.textType),
      h("label", { class: "field", for: f.hotkey.id }, h("span", { text: "Hotkey" }), f.hotkey),
    ),
    h("label", { class: "field", for: f.card.id }, h("span", { text: "Card (structured content JSON, optional)" }), f.card),
    f.cardError,
    f.error,
    h("div", { class: "dialog-buttons" }, f.cancel, f.save),
  );

  const list = h("div", { class: "responses-list", "data-testid": "responses-list" });
  const el = h(
    "section",
    { class: "responses-settings", "aria-label": "Predefined responses", "data-testid": "responses-settings" },
    h("h2", { class: "responses-heading", text: "Predefined responses" }),
    toolbar,
    alert,
    status,
    form,
    list,
  );

  const showAlert = (msg: string | null) => {
    alert.hidden = !msg;
    alert.textContent = msg ?? "";
  };

  const fillHotkeys = (own: number | null) => {
    const taken = new Map<number, string>();
    for (const r of items) if (r.hotkey != null && r.id !== own) taken.set(r.hotkey, r.title);
    const current = f.hotkey.value;
    f.hotkey.replaceChildren(
      h("option", { value: "", text: "None" }),
      ...Array.from({ length: 9 }, (_, i) => {
        const n = i + 1;
        const by = taken.get(n);
        return h("option", { value: n, disabled: by != null, text: by != null ? `Alt+${n} — used by “${by}”` : `Alt+${n}` });
      }),
    );
    f.hotkey.value = current;
    if (f.hotkey.selectedOptions[0]?.disabled) f.hotkey.value = "";
  };

  const itemEl = (rid: number) => Array.from(list.querySelectorAll<HTMLElement>('[data-testid="response-item"]')).find((x) => x.dataset.responseId === String(rid));

  const openForm = (r: CannedResponse | null) => {
    editing = r?.id ?? null;
    formTitle.textContent = r ? `Edit “${r.title}”` : "New response";
    f.title.value = r?.title ?? "";
    f.category.value = r?.category ?? "";
    f.text.value = r?.text ?? "";
    f.textType.value = r?.textType === "html" ? "html" : "plain";
    f.hotkey.value = "";
    fillHotkeys(editing);
    f.hotkey.value = r?.hotkey != null ? String(r.hotkey) : "";
    f.card.value = r?.card != null ? JSON.stringify(r.card, null, 2) : "";
    f.cardError.hidden = true;
    f.error.hidden = true;
    for (const x of [f.title, f.text, f.card]) x.removeAttribute("aria-invalid");
    form.hidden = false;
    f.title.focus();
  };

  const closeForm = (focusId: number | null) => {
    form.hidden = true;
    const back = focusId != null ? itemEl(focusId)?.querySelector<HTMLElement>('[data-testid="response-edit"]') : null;
    (back ?? addBtn).focus();
  };

  const formError = (msg: string | null, field?: HTMLElement) => {
    f.error.hidden = !msg;
    f.error.textContent = msg ?? "";
    field?.setAttribute("aria-invalid", "true");
    field?.focus();
  };

  const renderList = () => {
    f.cats.replaceChildren(...[...new Set(items.map((r) => r.category.trim()).filter(Boolean))].sort().map((c) => h("option", { value: c })));
    const groups = groupByCategory(items);
    if (!groups.length) {
      list.replaceChildren(h("p", { class: "responses-empty", "data-testid": "responses-empty", text: "No predefined responses yet. Add one or import a file." }));
      return;
    }
    list.replaceChildren(
      ...groups.map((g) => {
        const det = h(
          "details",
          { class: "responses-group", open: !collapsed.has(g.category), "data-testid": "responses-category", "data-category": g.category },
          h("summary", { class: "responses-group-title" }, h("span", { text: g.category }), h("span", { class: "responses-count", text: ` (${g.items.length})` })),
          h("ul", { class: "responses-items", "aria-label": g.category }, ...g.items.map((r, i) => renderItem(r, i === 0, i === g.items.length - 1))),
        );
        det.addEventListener("toggle", () => {
          if (det.open) collapsed.delete(g.category);
          else collapsed.add(g.category);
        });
        return det;
      }),
    );
  };

  const renderItem = (r: CannedResponse, first: boolean, last: boolean): HTMLElement => {
    const edit = h("button", { type: "button", class: "btn btn--small", "aria-label": `Edit ${r.title}`, "data-testid": "response-edit", text: "Edit" });
    const up = h("button", { type: "button", class: "btn btn--small btn--ghost", "aria-label": `Move ${r.title} up`, title: "Move up (Alt+↑)", disabled: first, "data-testid": "response-up", text: "↑" });
    const down = h("button", { type: "button", class: "btn btn--small btn--ghost", "aria-label": `Move ${r.title} down`, title: "Move down (Alt+↓)", disabled: last, "data-testid": "response-down", text: "↓" });
    const del = h("button", { type: "button", class: "btn btn--small btn--danger", "aria-label": `Delete ${r.title}`, "data-testid": "response-delete", text: "Delete" });
    const li = h(
      "li",
      { class: "responses-item", "data-testid": "response-item", "data-response-id": r.id, "aria-keyshortcuts": "Alt+ArrowUp Alt+ArrowDown" },
      h(
        "div",
        { class: "responses-item-main" },
        h(
          "div",
          { class: "responses-item-head" },
          h("span", { class: "responses-item-title", "data-testid": "response-item-title", text: r.title }),
          r.hotkey != null ? h("kbd", { text: `Alt+${r.hotkey}` }) : null,
          r.textType === "html" ? h("span", { class: "tag", text: "HTML" }) : null,
          r.card != null ? h("span", { class: "tag", text: "card" }) : null,
        ),
        h("span", { class: "responses-item-text", text: preview(r.text) }),
      ),
      h("div", { class: "responses-item-actions" }, up, down, edit, del),
    );
    edit.addEventListener("click", () => openForm(r));
    up.addEventListener("click", () => void move(r.id, -1, "response-up"));
    down.addEventListener("click", () => void move(r.id, 1, "response-down"));
    del.addEventListener("click", () => void remove(r));
    li.addEventListener("keydown", (e) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.key !== "ArrowUp" && e.key !== "ArrowDown") return;
      e.preventDefault();
      e.stopPropagation();
      void move(r.id, e.key === "ArrowUp" ? -1 : 1, (e.target as HTMLElement)?.dataset?.testid ?? "response-edit");
    });
    return li;
  };

  const refresh = async (): Promise<void> => {
    try {
      items = await api.list();
      renderList();
    } catch (err) {
      showAlert(`Could not load the responses: ${errorMessage(err)}`);
    }
  };

  const move = async (rid: number, dir: -1 | 1, focusTestid: string) => {
    const ids = moveWithinCategory(items, rid, dir);
    if (!ids) return;
    showAlert(null);
    try {
      await api.reorder(ids);
    } catch (err) {
      showAlert(`Could not reorder: ${errorMessage(err)}`);
      return;
    }
    await refresh();
    const li = itemEl(rid);
    let target = li?.querySelector<HTMLButtonElement>(`[data-testid="${focusTestid}"]`);
    if (!target || target.disabled) target = li?.querySelector<HTMLButtonElement>('[data-testid="response-edit"]');
    target?.focus();
    const r = items.find((x) => x.id === rid);
    if (r) status.textContent = `Moved “${r.title}” ${dir < 0 ? "up" : "down"}.`;
  };

  const remove = async (r: CannedResponse) => {
    const ok = await ask("Delete response", `Delete “${r.title}”? This cannot be undone.`, "Delete");
    if (!ok) return;
    showAlert(null);
    try {
      await api.remove(r.id);
    } catch (err) {
      showAlert(`Could not delete “${r.title}”: ${errorMessage(err)}`);
      return;
    }
    if (editing === r.id && !form.hidden) form.hidden = true;
    await refresh();
    status.textContent = `Deleted “${r.title}”.`;
    addBtn.focus();
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    for (const x of [f.title, f.text, f.card]) x.removeAttribute("aria-invalid");
    f.cardError.hidden = true;
    const title = f.title.value.trim();
    if (!title) return formError("Give the response a title.", f.title);
    if (!f.text.value.trim()) return formError("Write the response's text.", f.text);
    const card = parseCardJson(f.card.value);
    if (!card.ok) {
      f.cardError.hidden = false;
      f.cardError.textContent = card.message;
      return formError("Fix the card JSON, or leave it empty.", f.card);
    }
    const draft: ResponseDraft = {
      id: editing,
      title,
      text: f.text.value,
      textType: f.textType.value as TextType,
      card: card.card,
      category: f.category.value.trim(),
      hotkey: f.hotkey.value ? Number(f.hotkey.value) : null,
    };
    formError(null);
    f.save.disabled = true;
    try {
      const saved = await api.save(draft);
      form.hidden = true;
      await refresh();
      status.textContent = `Saved “${saved?.title ?? title}”.`;
      closeForm(saved?.id ?? null);
    } catch (err) {
      // Everything typed stays in the form.
      formError(`Could not save: ${errorMessage(err)}`);
    } finally {
      f.save.disabled = false;
    }
  });
  f.cancel.addEventListener("click", () => closeForm(editing));
  form.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      closeForm(editing);
    }
  });
  addBtn.addEventListener("click", () => openForm(null));

  importBtn.addEventListener("click", () => importFile.click());
  importFile.addEventListener("change", async () => {
    const file = importFile.files?.[0];
    if (!file) return;
    showAlert(null);
    status.textContent = `Importing ${file.name}…`;
    const mode = importMode.value as ImportMode;
    try {
      const text = await readFile(file);
      const n = await api.import(text, mode);
      status.textContent = typeof n === "number" ? `Imported ${n} response${n === 1 ? "" : "s"} from ${file.name}.` : `Imported ${file.name}.`;
      await refresh();
    } catch (err) {
      status.textContent = "";
      showAlert(errorMessage(err));
    } finally {
      importFile.value = "";
    }
  });

  exportBtn.addEventListener("click", async () => {
    showAlert(null);
    try {
      const json = await api.export();
      if (api.saveFile) {
        const path = await api.saveFile(EXPORT_FILE_NAME, json);
        status.textContent = `Saved to ${path}`;
        return;
      }
      const link = downloadLink(json, EXPORT_FILE_NAME, "application/json", `Download ${EXPORT_FILE_NAME}`, "responses-export-link", exportLink);
      exportSlot.replaceChildren(link);
      exportLink = link;
      link.focus();
      status.textContent = `Export ready: ${EXPORT_FILE_NAME}`;
    } catch (err) {
      showAlert(`Could not export: ${errorMessage(err)}`);
    }
  });

  renderList();
  return {
    el,
    refresh,
    destroy() {
      if (exportLink?.href.startsWith("blob:")) URL.revokeObjectURL(exportLink.href);
    },
  };
}

function readFile(file: File): Promise<string> {
  if (typeof file.text === "function") return file.text();
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result ?? ""));
    r.onerror = () => reject(r.error ?? new Error("could not read the file"));
    r.readAsText(file);
  });
}
