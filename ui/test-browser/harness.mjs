// Shared setup for the browser tests: build ui/dist, serve it, launch headless Chromium.
import { build } from "vite";
import { chromium } from "playwright-core";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const uiRoot = resolve(here, "..");
export const repoRoot = resolve(uiRoot, "..");
const STUB = join(here, "tauri-stub.js");

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function startHarness() {
  if (!process.env.UI_SKIP_BUILD) await build({ root: uiRoot, logLevel: "warn", configFile: join(uiRoot, "vite.config.ts") });
  const { server, url } = await serve(join(uiRoot, "dist"));
  const profile = await mkdtemp(join(tmpdir(), "agent-desk-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    colorScheme: "light",
  });
  return {
    url,
    context,
    /** A fresh page with the Tauri stub injected (as an init script from its file, never inline). */
    async page({ before } = {}) {
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.addInitScript({ path: STUB });
      if (before) await page.addInitScript(before);
      await page.goto(url);
      page.errors = errors;
      return page;
    },
    async close() {
      await context.close();
      server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Logs in through the form with the stub's defaults and waits for the desk. */
export async function loginViaForm(page, user = "ann") {
  await page.getByTestId("login-account").fill("90412345");
  await page.getByTestId("login-user").fill(user);
  await page.getByTestId("login-password").fill(`${user}-pass`);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("desk-view").waitFor();
}

export async function demo(page) {
  await page.getByTestId("demo-button").click();
  await page.getByTestId("desk-view").waitFor();
}
