// The keyboard help overlay, built from the same table the key handler uses.
import { h } from "../lib/dom";
import { helpRows } from "../keyboard/shortcuts";
import { modal, openModal } from "./dialog";

export class HelpOverlay {
  private dialog: HTMLDialogElement;

  constructor() {
    const { dialog, body } = modal("Keyboard shortcuts", "help-overlay");
    dialog.classList.add("dialog--help");
    const table = h("table", { class: "help-table" }, h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Action" }), h("th", { scope: "col", text: "Keys" }))));
    const tbody = h("tbody");
    for (const row of helpRows()) {
      const keys = h("td", { class: "help-keys" });
      row.keys.forEach((k, i) => {
        if (i) keys.append(" or ");
        keys.append(h("kbd", { text: k }));
      });
      tbody.append(h("tr", {}, h("td", { text: row.description }), keys));
    }
    table.append(tbody);
    const extra = h(
      "ul",
      { class: "help-notes" },
      h("li", { text: "In the message box: Enter sends, Shift+Enter starts a new line." }),
      h("li", { text: "In the chat list: ↑/↓ to move, Enter to open, Shift+Enter to open beside the current chat." }),
    );
    const close = h("button", { type: "button", class: "btn", "data-testid": "help-close", text: "Close" });
    close.addEventListener("click", () => this.dialog.close());
    body.append(table, extra, h("div", { class: "dialog-buttons" }, close));
    this.dialog = dialog;
  }

  toggle(): void {
    if (this.dialog.open) this.dialog.close();
    else openModal(this.dialog);
  }

  get open(): boolean {
    return this.dialog.open;
  }
}
