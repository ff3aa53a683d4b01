// Modal dialogs on the native <dialog> element (focus trap, Escape and the backdrop for free).
import { h } from "../lib/dom";

let seq = 0;

export function modal(title: string, testid: string): { dialog: HTMLDialogElement; body: HTMLElement; heading: HTMLElement } {
  const id = `dlg-${++seq}`;
  const heading = h("h2", { id, class: "dialog-title", text: title });
  const body = h("div", { class: "dialog-body" });
  const dialog = h("dialog", { class: "dialog", "aria-labelledby": id, "data-testid": testid }, heading, body);
  document.body.append(dialog);
  return { dialog, body, heading };
}

export function openModal(d: HTMLDialogElement): void {
  if (d.open) return;
  if (typeof d.showModal === "function") d.showModal();
  else d.setAttribute("open", "");
}

/** Asks a yes/no question; resolves true only for the confirm button. */
export function confirmDialog(title: string, message: string, okLabel: string, danger = true): Promise<boolean> {
  const { dialog, body } = modal(title, "confirm-dialog");
  const ok = h("button", { type: "button", class: `btn ${danger ? "btn--danger" : "btn--primary"}`, "data-testid": "confirm-ok", text: okLabel });
  const cancel = h("button", { type: "button", class: "btn", "data-testid": "confirm-cancel", text: "Cancel" });
  body.append(h("p", { class: "dialog-text", "data-testid": "confirm-text", text: message }), h("div", { class: "dialog-buttons" }, cancel, ok));
  return new Promise((resolve) => {
    let answer = false;
    ok.addEventListener("click", () => {
      answer = true;
      dialog.close();
    });
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    openModal(dialog);
    ok.focus();
  });
}
