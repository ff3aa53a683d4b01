// Transfer a chat to a skill (showing how many agents are online for it) or to an agent, with an
// optional agent-only note.
import type { ChatKey, TransferOptions, TransferTarget } from "../types";
import { h } from "../lib/dom";
import { explainError, toIpcError } from "../lib/errors";
import { modal, openModal } from "./dialog";

export interface TransferApi {
  options(chat: ChatKey): Promise<TransferOptions>;
  transfer(chat: ChatKey, target: TransferTarget, note: string | null): Promise<unknown>;
}

export class TransferDialog {
  private dialog: HTMLDialogElement;
  private heading: HTMLElement;
  private form: HTMLFormElement;
  private kindSkill: HTMLInputElement;
  private kindAgent: HTMLInputElement;
  private skill: HTMLSelectElement;
  private agent: HTMLSelectElement;
  private note: HTMLTextAreaElement;
  private error: HTMLElement;
  private submit: HTMLButtonElement;
  private chat: ChatKey | null = null;

  constructor(private api: TransferApi) {
    const { dialog, body, heading } = modal("Transfer chat", "transfer-dialog");
    this.dialog = dialog;
    this.heading = heading;
    this.kindSkill = h("input", { type: "radio", name: "transfer-kind", value: "skill", checked: true, "data-testid": "transfer-kind-skill" });
    this.kindAgent = h("input", { type: "radio", name: "transfer-kind", value: "agent", "data-testid": "transfer-kind-agent" });
    this.skill = h("select", { id: "transfer-skill", "data-testid": "transfer-skill" });
    this.agent = h("select", { id: "transfer-agent", "data-testid": "transfer-agent", disabled: true });
    this.note = h("textarea", { id: "transfer-note", rows: 3, "data-testid": "transfer-note", placeholder: "Context for the next agent (the visitor does not see this)" });
    this.error = h("p", { class: "form-error", role: "alert", "data-testid": "transfer-error", hidden: true });
    this.submit = h("button", { type: "submit", class: "btn btn--primary", "data-testid": "transfer-submit", text: "Transfer" });
    const cancel = h("button", { type: "button", class: "btn", "data-testid": "transfer-cancel", text: "Cancel" });
    this.form = h(
      "form",
      { class: "form" },
      h(
        "fieldset",
        { class: "kind" },
        h("legend", { text: "Transfer to" }),
        h("label", {}, this.kindSkill, " A skill"),
        h("label", {}, this.kindAgent, " An agent"),
      ),
      h("label", { class: "field", for: "transfer-skill" }, h("span", { text: "Skill" }), this.skill),
      h("label", { class: "field", for: "transfer-agent" }, h("span", { text: "Agent" }), this.agent),
      h("label", { class: "field", for: "transfer-note" }, h("span", { text: "Note for the next agent (agent only)" }), this.note),
      this.error,
      h("div", { class: "dialog-buttons" }, cancel, this.submit),
    );
    body.append(this.form);
    const syncKind = () => {
      this.skill.disabled = !this.kindSkill.checked;
      this.agent.disabled = !this.kindAgent.checked;
    };
    this.kindSkill.addEventListener("change", syncKind);
    this.kindAgent.addEventListener("change", syncKind);
    cancel.addEventListener("click", () => this.dialog.close());
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.send();
    });
  }

  async open(chat: ChatKey, visitorName: string): Promise<void> {
    this.chat = chat;
    this.heading.textContent = `Transfer the chat with ${visitorName}`;
    this.form.reset();
    this.skill.disabled = false;
    this.agent.disabled = true;
    this.showError(null);
    this.fill(this.skill, [h("option", { value: "", text: "Loading…" })]);
    this.fill(this.agent, [h("option", { value: "", text: "Loading…" })]);
    this.submit.disabled = true;
    openModal(this.dialog);
    this.skill.focus();
    try {
      const opts = await this.api.options(chat);
      if (this.chat !== chat) return;
      this.fill(
        this.skill,
        opts.skills.map((s) =>
          h("option", { value: s.id, "data-online": s.onlineAgents, text: `${s.name} — ${s.onlineAgents} agent${s.onlineAgents === 1 ? "" : "s"} online` }),
        ),
      );
      this.fill(
        this.agent,
        opts.agents.map((a) =>
          h("option", { value: a.id, text: `${a.name} — ${a.availability}, ${a.chats}${a.maxChats != null ? `/${a.maxChats}` : ""} chats` }),
        ),
      );
      if (!opts.skills.length) this.fill(this.skill, [h("option", { value: "", text: "No skills to transfer to" })]);
      if (!opts.agents.length) this.fill(this.agent, [h("option", { value: "", text: "No agents available" })]);
      this.submit.disabled = false;
    } catch (err) {
      this.showError(explainError(toIpcError(err)));
    }
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  private fill(sel: HTMLSelectElement, options: HTMLOptionElement[]): void {
    sel.replaceChildren(...options);
  }

  private showError(msg: string | null): void {
    this.error.hidden = !msg;
    this.error.textContent = msg ?? "";
  }

  private async send(): Promise<void> {
    const chat = this.chat;
    if (!chat) return;
    const toSkill = this.kindSkill.checked;
    const id = toSkill ? this.skill.value : this.agent.value;
    if (!id) {
      this.showError(toSkill ? "Choose a skill." : "Choose an agent.");
      return;
    }
    const target: TransferTarget = toSkill ? { kind: "skill", id } : { kind: "agent", id };
    const note = this.note.value.trim() || null;
    this.submit.disabled = true;
    try {
      await this.api.transfer(chat, target, note);
      this.dialog.close();
    } catch (err) {
      this.showError(explainError(toIpcError(err)));
    } finally {
      this.submit.disabled = false;
    }
  }
}
