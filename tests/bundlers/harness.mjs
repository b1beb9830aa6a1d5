// What the bundler matrix (matrix.test.mjs) and the framework tests (tests/frameworks/) share: a
// fresh app folder with the packed package installed as npm installs it, the local Graph emulator
// and headless Chromium for a test file, a static server for a build's output, a page that fails
// its test on any unexpected console or page error, the three outcomes every working scenario must
// have, and the bytes a page downloaded for its first call.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../browser/harness.mjs";
import { startEmulator, EXAMPLE_POOL_ID } from "./emulator.mjs";
import { TOOLS_DIR } from "./tools.mjs";

export { EXAMPLE_POOL_ID };
export const root = fileURLToPath(new URL("../..", import.meta.url));
// A token that looks like a real one, so a leak would be easy to spot.
export const TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.SECRET-matrix-payload-5d1e.signature-do-not-leak";
export const MISSING_POOL = "00000000-0000-4000-8000-000000000000";

// Each bundler tool imported from its own folder, as an ES module (some export only to `import`).
const importer = join(TOOLS_DIR, "import.mjs");
/** `import(name)` from the bundler matrix's tools (tests/bundlers/package.json). */
export async function loadTool(name) {
  mkdirSync(TOOLS_DIR, { recursive: true });
  writeFileSync(importer, "export default (name) => import(name);\n");
  return (await import(pathToFileURL(importer).href)).default(name);
}

/**
 * The emulator (accepting TOKEN, without Intune's limits: the scenarios make more calls than a 20 s
 * window allows) and Chromium for the calling test file, started in its `before` and ended in its
 * `after`. The object is filled in once `before` has run.
 */
export function browserAndEmulator() {
  const env = { emulator: undefined, browser: undefined };
  before(async () => {
    env.emulator = await startEmulator({ token: TOKEN });
    env.browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await env.browser?.close();
    await env.emulator?.close();
  });
  return env;
}

/**
 * A fresh folder `dir` with `app`'s files (a folder, copied), `files` (name to text), a
 * package.json unless one is given, and the packed package in node_modules as npm installed it
 * (tests/.packed/, made by scripts/test.mjs). `tools`: a node_modules folder to resolve everything
 * else from, linked as `node_modules` of the folder above `dir`, where Node's and every bundler's
 * resolution look next; so the framework's own packages are found as in an app that installed
 * them, and the package is the tarball's copy, never the workspace's.
 */
export function project(dir, { app, files = {}, tools } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (app) cpSync(app, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `portal-${basename(dir)}`, private: true, type: "module" }));
  cpSync(join(root, "tests/.packed/node_modules"), join(dir, "node_modules"), { recursive: true, verbatimSymlinks: true });
  if (tools) {
    const above = join(dir, "..", "node_modules");
    rmSync(above, { recursive: true, force: true });
    symlinkSync(tools, above);
  }
  return dir;
}

/**
 * Serves `dir` on loopback with `csp` as the page's policy; `failWasm` answers the first n wasm
 * requests 503, and `missing` (a RegExp) answers 404 for every path it matches, as if the file had
 * been left out of the deploy.
 */
const teardowns = new WeakMap();

/**
 * Runs `fn` when test `t` ends, in the reverse of the order things were set up (node:test runs its
 * own `after` hooks in the order they were added): a page's context closes before the server it
 * loaded from, so no download the page left unread is cut short under it.
 */
function onEnd(t, fn) {
  let stack = teardowns.get(t);
  if (!stack) {
    stack = [];
    teardowns.set(t, stack);
    t.after(async () => {
      let failed;
      while (stack.length > 0) {
        try {
          await stack.pop()();
        } catch (e) {
          failed ??= e;
        }
      }
      if (failed) throw failed;
    });
  }
  stack.push(fn);
}

export async function serve(t, dir, { csp, failWasm = 0, missing } = {}) {
  const sirv = (await loadTool("sirv")).default;
  const files = sirv(dir, { dev: true });
  const server = http.createServer((req, res) => {
    if (csp) res.setHeader("Content-Security-Policy", csp);
    if (req.url.split("?")[0].endsWith(".wasm") && failWasm > 0) {
      failWasm -= 1;
      return void res.writeHead(503, { "Content-Type": "text/plain" }).end("Service Unavailable\n");
    }
    if (missing?.test(req.url.split("?")[0])) return void res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n");
    files(req, res, () => res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n"));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Every connection is ended with the server: one Chromium opened ahead and never used would
  // otherwise hold close() up to Node's 60 s header timeout.
  onEnd(
    t,
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${server.address().port}/`;
}

/**
 * Opens `url` in a fresh context of `env.browser` and resolves to `{ page, run, responses,
 * firstCall }`: `run()` is one round of the matrix app's checks (tests/bundlers/app/check.js) in
 * the page, `responses` every response the page got, in order. Console errors other than
 * `expected` fail the test, and so does the token anywhere in the page's console.
 */
export async function open(t, env, url, { expected = [] } = {}) {
  const context = await env.browser.newContext();
  context.setDefaultTimeout(20_000);
  onEnd(t, () => context.close());
  const page = await context.newPage();
  const problems = [];
  const responses = [];
  // Chromium logs every 404 as an error: the GraphError's (a pool that does not exist) and the favicon's.
  const allowed = [/the server responded with a status of 404/, ...expected];
  page.on("console", (m) => {
    if (m.text().includes("SECRET")) problems.push(`the token in the console: ${m.type()}`);
    if (m.type() === "error" && !allowed.some((re) => re.test(m.text()))) problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  context.on("response", (r) => responses.push(r));
  onEnd(t, () => assert.deepEqual(problems, [], "no unexpected console or page errors"));
  await page.goto(url);
  const params = { baseUrl: env.emulator.baseUrl, token: TOKEN, poolId: EXAMPLE_POOL_ID, missingPoolId: MISSING_POOL };
  const run = async () => {
    await page.waitForFunction(() => typeof window.check === "function");
    return page.evaluate((p) => window.check(p), params);
  };
  return { page, run, responses, firstCall: () => firstCallBytes(responses, env.emulator.baseUrl) };
}

/** The three outcomes every working scenario must have, as the matrix app's check.js reports them. */
export function works(result, { inWorker = false } = {}) {
  assert.equal(result.inWorker, inWorker, inWorker ? "the checks ran in the worker" : "the checks ran in the page");
  assert.ok(result.assigned.ok, `assign answered: ${result.assigned.name}: ${result.assigned.message}`);
  assert.deepEqual(
    result.assigned.value.map((a) => a.target["@odata.type"]),
    ["#microsoft.graph.allDevicesAssignmentTarget"],
  );
  assert.equal(result.invalid.name, "ValidationError", result.invalid.message);
  assert.deepEqual(result.invalid.instanceOf, ["IntuneEsimError", "ValidationError"]);
  assert.deepEqual(result.invalid.issues, ["poolId"]);
  assert.equal(result.refused.name, "GraphError", result.refused.message);
  assert.deepEqual(result.refused.instanceOf, ["IntuneEsimError", "GraphError"]);
  assert.equal(result.refused.status, 404);
}

/** A LoadError, as the page saw it; its message goes in the test's output. */
export function loadError(t, outcome) {
  assert.equal(outcome.ok, false, "the call failed");
  assert.equal(outcome.name, "LoadError", outcome.message);
  assert.deepEqual(outcome.instanceOf, ["IntuneEsimError", "LoadError"]);
  assert.ok(!outcome.message.includes("SECRET"), "the token is not in the message");
  t.diagnostic(`${outcome.name}: ${outcome.message}`);
  return outcome;
}

/** A port nothing listens on (Vite 5 and 6 take port 0 for their default, 5173). */
export async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Where the browser got each wasm file from. */
export const wasmPaths = (responses) => [...new Set(responses.map((r) => new URL(r.url())).filter((u) => u.pathname.endsWith(".wasm")).map((u) => u.pathname))];

// The first bytes of every wasm module ("\0asm", version 1), as base64 writes them at the start of
// a string: a file that holds them carries a whole wasm inside its JavaScript.
const WASM_IN_BASE64 = "AGFzbQEAAAA";

/**
 * What the page downloaded from its own server so far (every answer with a body, not Graph's),
 * each file gzipped -9 as a server would send it: `{ gzip, raw, files: [{ path, gzip, raw }], inlined }`,
 * `inlined` naming the files that carry a wasm as base64. Taken right after the first call has
 * answered, it is that call's cost on a cold load.
 */
export async function firstCallBytes(responses, graphBaseUrl) {
  const graph = new URL(graphBaseUrl).origin;
  const files = [];
  for (const r of [...responses]) {
    const url = new URL(r.url());
    if (url.origin === graph || r.status() !== 200) continue;
    const body = await r.body();
    files.push({ path: url.pathname, raw: body.length, gzip: gzipSync(body, { level: 9 }).length, inlined: body.includes(WASM_IN_BASE64) });
  }
  const sum = (key) => files.reduce((n, f) => n + f[key], 0);
  return { gzip: sum("gzip"), raw: sum("raw"), files, inlined: files.filter((f) => f.inlined).map((f) => f.path) };
}

/** One line for the test's output: the first call's bytes, gzipped and raw, and its files. */
export const bytesLine = ({ gzip, raw, files }) =>
  `first call: ${gzip} B gzip -9 (${raw} B raw) in ${files.length} files: ${files.map((f) => `${f.path} ${f.gzip}`).join(", ")}`;
