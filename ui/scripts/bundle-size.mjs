// Prints the size of the built UI (every .js and .css under the given folder, default ui/dist),
// raw and gzipped, and fails when a kind is well over its budget. The whole UI is parsed before the
// first view can be drawn, so its size is part of the start time; the budgets sit about half again
// above today's size, to catch a heavy dependency or a doubled bundle, not a day's work.
//
// Usage: node scripts/bundle-size.mjs [dist folder]    (npm run size)
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

/** Budgets per kind, in bytes: raw and gzipped (level 9, about what a server would send). */
export const BUDGETS = {
  js: { raw: 210 * 1024, gzip: 64 * 1024 },
  css: { raw: 42 * 1024, gzip: 10 * 1024 },
};

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

const dist = process.argv[2] ?? new URL("../dist", import.meta.url).pathname;
if (!existsSync(dist)) {
  console.error(`bundle-size: no folder ${dist} (build the UI first: npm run build)`);
  process.exit(1);
}
const totals = { js: { raw: 0, gzip: 0 }, css: { raw: 0, gzip: 0 } };
const rows = [];
for (const path of files(dist).sort()) {
  const kind = path.endsWith(".js") ? "js" : path.endsWith(".css") ? "css" : null;
  if (!kind) continue;
  const bytes = readFileSync(path);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  totals[kind].raw += bytes.length;
  totals[kind].gzip += gzip;
  rows.push(`  ${relative(dist, path).padEnd(36)} ${kib(bytes.length).padStart(10)} ${kib(gzip).padStart(10)} gzip`);
}
if (rows.length === 0) {
  console.error(`bundle-size: no .js or .css under ${dist} (build the UI first: npm run build)`);
  process.exit(1);
}
console.log(`bundle-size: ${dist}`);
for (const row of rows) console.log(row);
let over = false;
for (const [kind, total] of Object.entries(totals)) {
  const budget = BUDGETS[kind];
  const verdict = total.raw > budget.raw || total.gzip > budget.gzip ? "OVER BUDGET" : "ok";
  if (verdict !== "ok") over = true;
  console.log(
    `  ${kind} total: ${kib(total.raw)} (budget ${kib(budget.raw)}), ${kib(total.gzip)} gzip (budget ${kib(budget.gzip)}): ${verdict}`,
  );
}
if (over) {
  console.error("bundle-size: the UI bundle is over its budget (ui/scripts/bundle-size.mjs); find what grew it");
  process.exit(1);
}
