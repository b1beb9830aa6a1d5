// The two ways a browser can get the wasm, measured in headless Chromium on loopback (so the
// network's time is left out; the bytes are in the size rows): the default entry, which fetches
// the .wasm file named by `new URL(..., import.meta.url)` and compiles it as it streams in, and
// intune-esim/inline, which imports it as base64 in a JS module and decodes it first. Each run
// is a fresh browser context (nothing cached) loading pkg/ through an import map; it times the
// import of the entry, and the first call (a ValidationError, which needs the wasm) from the
// start of the import. Then what a page fetches, counted by the server (each file gzipped -9):
// for the first call of each operation, in a fresh context each, and for a page that calls every
// operation one after another. `node bench/loading.mjs` prints the tables alone; `npm run bench`
// includes them.
import http from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { extname, join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../tests/browser/harness.mjs";
import { BROWSER_FILES, INLINE_FILES, measure } from "../scripts/size.mjs";
import { summary } from "./stats.mjs";

const pkg = fileURLToPath(new URL("../pkg/", import.meta.url));
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".map": "application/json" };
const ENTRIES = { "new URL (default)": ["index.browser.js", BROWSER_FILES], "intune-esim/inline": ["index.inline.js", INLINE_FILES] };

export async function measureLoading({ runs = 7 } = {}) {
  // The package's files the server sent, in order.
  let served = [];
  const server = http.createServer(async (req, res) => {
    const { pathname, searchParams } = new URL(req.url, "http://bench");
    if (pathname.startsWith("/pkg/")) served.push(pathname.slice("/pkg/".length));
    if (pathname === "/") {
      const map = JSON.stringify({ imports: { "intune-esim": `/pkg/${searchParams.get("entry")}` } });
      return void res.writeHead(200, { "Content-Type": "text/html" }).end(`<!doctype html><script type="importmap">${map}</script>`);
    }
    const body = await readFile(join(pkg, pathname.replace(/^\/pkg\//, ""))).catch(() => null);
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": TYPES[extname(pathname)] ?? "application/octet-stream", "Cache-Control": "no-store" }).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  const rows = {};
  let pages;
  try {
    for (const [name, [entry, files]] of Object.entries(ENTRIES)) {
      const times = { importMs: [], firstCallMs: [] };
      // One warm-up run, not counted: the first context of a browser pays for its own start.
      for (let run = 0; run <= runs; run++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`http://127.0.0.1:${server.address().port}/?entry=${entry}`);
        const t = await page.evaluate(async () => {
          const t0 = performance.now();
          const api = await import("intune-esim");
          const t1 = performance.now();
          const e = await api.assign("not-a-guid", [], "token").catch((e) => e);
          if (e?.name !== "ValidationError") throw new Error(`expected a ValidationError, got ${e}`);
          return { importMs: t1 - t0, firstCallMs: performance.now() - t0 };
        });
        await context.close();
        if (run > 0) for (const k of Object.keys(times)) times[k].push(t[k]);
      }
      const { raw, gzip } = measure(pkg, files);
      rows[name] = { raw, gzip, importMs: summary(times.importMs).median, firstCallMs: summary(times.firstCallMs).median, runs: times };
    }
    // The package's operations, as a portal imports them (the error classes aside).
    const api = await import("../pkg/api.js");
    const operations = Object.keys(api).filter((n) => typeof api[n] === "function" && !/Error$/.test(n)).sort();
    const fetched = async (names) => {
      served = [];
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/?entry=index.browser.js`);
      // With no arguments each call rejects with a ValidationError, which needs the wasm; a
      // generator (iteratePools) is stepped once.
      await page.evaluate(async (names) => {
        const api = await import("intune-esim");
        for (const name of names) {
          const e = await Promise.resolve()
            .then(() => api[name]())
            .then((r) => (typeof r?.next === "function" ? r.next() : r))
            .then(() => undefined, (e) => e);
          if (e?.name !== "ValidationError") throw new Error(`${name}() without arguments: expected a ValidationError, got ${e}`);
        }
      }, names);
      await context.close();
      const files = [...new Set(served)];
      if (!files.some((f) => f.endsWith(".wasm"))) throw new Error(`${names.join(", ")}: no .wasm was fetched`);
      const { raw, gzip } = measure(pkg, files);
      return { files, raw, gzip };
    };
    const firstCalls = {};
    for (const name of operations) firstCalls[name] = await fetched([name]);
    const every = await fetched(operations);
    const largest = Object.entries(firstCalls).reduce((a, b) => (b[1].gzip > a[1].gzip ? b : a));
    const smallest = Object.entries(firstCalls).reduce((a, b) => (b[1].gzip < a[1].gzip ? b : a));
    pages = { operations, firstCalls, largest: { operation: largest[0], ...largest[1] }, smallest: { operation: smallest[0], ...smallest[1] }, every };
  } finally {
    await browser.close();
    server.close();
  }
  // Rounded half up, as the bench table rounds (toFixed alone rounds 85.55 down, a float below it).
  const kb = (n) => (Math.round(n / 100) / 10).toFixed(1);
  const text = [
    `Loading in headless Chromium on loopback: median of ${runs} fresh contexts; bytes of the first call (entry, glue, wasm)`,
    `${"".padEnd(22)}${"raw KB".padStart(9)}${"gzip KB".padStart(9)}${"import ms".padStart(11)}${"first call ms".padStart(15)}`,
    ...Object.entries(rows).map(
      ([name, r]) => `${name.padEnd(22)}${kb(r.raw).padStart(9)}${kb(r.gzip).padStart(9)}${r.importMs.toFixed(1).padStart(11)}${r.firstCallMs.toFixed(1).padStart(15)}`,
    ),
    "",
    `What a page fetches (entry, glue, wasm; gzip KB): the first call of each of ${pages.operations.length} operations, each in a fresh context; then every operation in one page`,
    ...Object.entries(pages.firstCalls).map(([name, f]) => `${name.padEnd(26)}${kb(f.gzip).padStart(9)}  ${f.files.join(", ")}`),
    `${"every operation".padEnd(26)}${kb(pages.every.gzip).padStart(9)}  ${pages.every.files.join(", ")}`,
  ].join("\n");
  return { rows, pages, text };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await measureLoading()).text);
