// What every scenario that runs the package in a page shares (the bundler matrix,
// tests/bundlers/matrix.test.mjs, and the frameworks, tests/frameworks/): Debian's Chromium, a
// page opened on the checks of app/check.js with their console watched, and what a working
// scenario's checks must find.
import assert from "node:assert/strict";
import net from "node:net";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../browser/harness.mjs";
import { EXAMPLE_POOL_ID } from "./emulator.mjs";

/** The token the emulator takes: it looks like a real one, so a leak would be easy to spot. */
export const TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.SECRET-matrix-payload-5d1e.signature-do-not-leak";
/** A pool id that is a GUID but no pool of the emulator: Graph's 404. */
export const MISSING_POOL = "00000000-0000-4000-8000-000000000000";

export const launchChromium = () => chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });

/** What a page's checks are given: the emulator's base URL, its token, a pool and a missing one. */
export const checkParams = (emulator) => ({ baseUrl: emulator.baseUrl, token: TOKEN, poolId: EXAMPLE_POOL_ID, missingPoolId: MISSING_POOL });

/**
 * Opens `url` in a new context of `browser` and resolves to `{ run, responses, page }`: `run()` is
 * one round of checks in the page (window.check with `params`), `responses` every response the
 * page got. Console errors other than `expected` fail the test.
 */
export async function open(t, browser, url, params, { expected = [] } = {}) {
  const context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  const responses = [];
  // Chromium logs every 404 as an error: the GraphError's (a pool that does not exist) and the favicon's.
  const allowed = [/the server responded with a status of 404/, ...expected];
  page.on("console", (m) => {
    if (m.type() === "error" && !allowed.some((re) => re.test(m.text()))) problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  context.on("response", (r) => responses.push(r));
  t.after(() => assert.deepEqual(problems, [], "no unexpected console or page errors"));
  await page.goto(url);
  await page.waitForFunction(() => typeof window.check === "function");
  return { run: () => page.evaluate((p) => window.check(p), params), responses, page };
}

/** The three outcomes every working scenario must have. */
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

/** A port nothing listens on (for servers that cannot be given port 0). */
export async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Where the browser got each wasm file from. */
export const wasmPaths = (responses) => [...new Set(responses.map((r) => new URL(r.url())).filter((u) => u.pathname.endsWith(".wasm")).map((u) => u.pathname))];
