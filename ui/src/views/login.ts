// The login form, with the server under "Advanced" and a one-click demo.
import { h } from "../lib/dom";

export const DEFAULT_SERVER = "https://adminlogin.liveperson.net";
const REMEMBER_KEY = "agent-desk.login";

export interface LoginInput {
  server: string;
  account: string;
  user: string;
  password: string;
  /** Extra trusted CA certificate(s), PEM text; empty = the system's roots only. */
  extraCaPem: string;
}

export interface LoginActions {
  login(input: LoginInput): Promise<void>;
  demo(): Promise<void>;
}

function remembered(): Partial<LoginInput> {
  try {
    return JSON.parse(localStorage.getItem(REMEMBER_KEY) ?? "{}") as Partial<LoginInput>;
  } catch {
    return {};
  }
}

export class LoginView {
  readonly el: HTMLElement;
  private form: HTMLFormElement;
  private error: HTMLElement;
  private status: HTMLElement;
  private submit: HTMLButtonElement;
  private demoBtn: HTMLButtonElement;
  readonly account: HTMLInputElement;
  private user: HTMLInputElement;
  private password: HTMLInputElement;
  private server: HTMLInputElement;
  private extraCa: HTMLTextAreaElement;

  constructor(private actions: LoginActions) {
    const r = remembered();
    this.account = h("input", { id: "login-account", name: "account", required: true, inputmode: "numeric", autocomplete: "organization", "data-testid": "login-account", value: r.account ?? "" });
    this.user = h("input", { id: "login-user", name: "user", required: true, autocomplete: "username", "data-testid": "login-user", value: r.user ?? "" });
    this.password = h("input", { id: "login-password", name: "password", type: "password", required: true, autocomplete: "current-password", "data-testid": "login-password" });
    this.server = h("input", { id: "login-server", name: "server", type: "url", required: true, "data-testid": "login-server", value: r.server ?? DEFAULT_SERVER });
    // Pasted, not picked from a file: the certificate is public text, the shell needs no file access
    // for it, and the remembered login keeps working if the file moves.
    this.extraCa = h("textarea", {
      id: "login-ca",
      name: "extraCaPem",
      rows: 4,
      spellcheck: "false",
      autocomplete: "off",
      class: "mono",
      "data-testid": "login-ca",
      "aria-describedby": "login-ca-hint",
      placeholder: "-----BEGIN CERTIFICATE-----",
    });
    this.extraCa.value = r.extraCaPem ?? "";
    this.error = h("div", { class: "form-error", role: "alert", "data-testid": "login-error", hidden: true });
    this.status = h("p", { class: "login-status", role: "status", "data-testid": "login-status" });
    this.submit = h("button", { type: "submit", class: "btn btn--primary btn--wide", "data-testid": "login-submit", text: "Log in" });
    this.demoBtn = h("button", { type: "button", class: "btn btn--wide", "data-testid": "demo-button", text: "Try the demo" });

    this.form = h(
      "form",
      { class: "form login-form", "data-testid": "login-form", "aria-labelledby": "login-title" },
      h("label", { class: "field", for: "login-account" }, h("span", { text: "Account number" }), this.account),
      h("label", { class: "field", for: "login-user" }, h("span", { text: "User name" }), this.user),
      h("label", { class: "field", for: "login-password" }, h("span", { text: "Password" }), this.password),
      h(
        "details",
        { class: "advanced", "data-testid": "login-advanced" },
        h("summary", { text: "Advanced" }),
        h("label", { class: "field", for: "login-server" }, h("span", { text: "Login server" }), this.server),
        h("label", { class: "field", for: "login-ca" }, h("span", { text: "Extra CA certificate (PEM)" }), this.extraCa),
        h("p", { id: "login-ca-hint", class: "hint hint--left", text: "Only for a server whose certificate your organisation's own authority signed. Paste its CA certificate; it is trusted in addition to the system's, never instead." }),
      ),
      this.error,
      this.submit,
      h("div", { class: "divider", "aria-hidden": "true" }, h("span", { text: "or" })),
      this.demoBtn,
      h("p", { class: "hint", text: "The demo runs a built-in simulator with visitors who start chatting on their own." }),
    );
    this.el = h(
      "main",
      { class: "login", "data-testid": "login-view" },
      h(
        "div",
        { class: "login-card" },
        h("div", { class: "login-brand" }, h("span", { class: "brand-mark brand-mark--big", "aria-hidden": "true", text: "AD" }), h("h1", { id: "login-title", text: "Agent Desk" })),
        h("p", { class: "login-sub", text: "Sign in to your LivePerson chat account." }),
        this.status,
        this.form,
      ),
    );
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.doLogin();
    });
    this.demoBtn.addEventListener("click", () => void this.busy(() => this.actions.demo(), "Starting the demo…"));
  }

  /** Fills the form with the remembered login (the token no longer worked). */
  fill(r: { server: string; account: string; user: string; extraCaPem?: string | null }): void {
    this.server.value = r.server || DEFAULT_SERVER;
    this.account.value = r.account;
    this.user.value = r.user;
    this.extraCa.value = r.extraCaPem ?? "";
    if (this.extraCa.value) this.advanced().open = true;
  }

  private advanced(): HTMLDetailsElement {
    return this.form.querySelector("details.advanced") as HTMLDetailsElement;
  }

  showError(msg: string | null): void {
    this.error.hidden = !msg;
    this.error.textContent = msg ?? "";
  }

  setStatus(msg: string): void {
    this.status.textContent = msg;
  }

  focusFirst(): void {
    const target = !this.account.value ? this.account : !this.user.value ? this.user : this.password;
    target.focus();
  }

  private async doLogin(): Promise<void> {
    const input: LoginInput = {
      server: this.server.value.trim() || DEFAULT_SERVER,
      account: this.account.value.trim(),
      user: this.user.value.trim(),
      password: this.password.value,
      extraCaPem: this.extraCa.value.trim(),
    };
    try {
      localStorage.setItem(REMEMBER_KEY, JSON.stringify({ server: input.server, account: input.account, user: input.user, extraCaPem: input.extraCaPem }));
    } catch {
      /* storage may be off; remembering is a convenience */
    }
    await this.busy(() => this.actions.login(input), "Logging in…");
    this.password.value = "";
  }

  private async busy(fn: () => Promise<void>, msg: string): Promise<void> {
    this.showError(null);
    this.setStatus(msg);
    this.submit.disabled = true;
    this.demoBtn.disabled = true;
    this.form.setAttribute("aria-busy", "true");
    try {
      await fn();
    } finally {
      this.submit.disabled = false;
      this.demoBtn.disabled = false;
      this.form.removeAttribute("aria-busy");
      this.setStatus("");
    }
  }
}
