// Thousands of calls in one wasm instance, through successes, errors, retries, aborts and
// timeouts against the emulator: every call settles exactly once, and the wasm memory stops
// growing once warm (a leak per call would show as steady growth).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { emulator, rejection, tokenNeverLeaks, SECRET_TOKEN } from "./helpers.mjs";

const CALLS = 3000;
const WARM_UP = 600;
const IN_FLIGHT = 100;

// The package's Node entry bundles its glue, and with it the wasm instance, out of reach. Its
// source, node.js (shipped too), imports the glue as a module of its own: loaded from the packed
// package by path, both share one glue module, so the memory read here is the one the calls use
// (the glue's initSync makes the instance; the entry's first call finds it made).
const require = createRequire(fileURLToPath(new URL("../.packed/package.json", import.meta.url)));
const pkgDir = dirname(require.resolve("intune-esim/package.json"));
const glue = await import(pathToFileURL(join(pkgDir, "dist/intune_esim_scripts.js")).href);
const { memory } = glue.initSync({ module: readFileSync(join(pkgDir, "dist/intune_esim_scripts_bg.wasm")) });
const { assign } = await import(pathToFileURL(join(pkgDir, "node.js")).href);

let em;
let closedBaseUrl;
before(async () => {
  em = await emulator();
  const closed = await emulator();
  closedBaseUrl = closed.baseUrl;
  await closed.close();
});
after(() => em.close());

const all = [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }];

/** One call of scenario `i % 9`; resolves to the scenario's name. */
function call(i) {
  const pool = em.addPool();
  const opts = { baseUrl: em.baseUrl, retryBaseDelayMs: 1, retryMaxDelayMs: 2 };
  switch (i % 9) {
    case 0:
      return assign(pool, all, SECRET_TOKEN, opts);
    case 1:
      em.setFault(pool, { kind: "status", status: 403 });
      return assign(pool, all, SECRET_TOKEN, opts);
    case 2:
      em.setFault(pool, { kind: "status", status: 429 }, 2);
      return assign(pool, all, SECRET_TOKEN, opts);
    case 3:
      return assign("nope", [{ target: { groupID: 1 } }], "", opts);
    case 4:
      return assign(pool, all, SECRET_TOKEN, { ...opts, signal: AbortSignal.abort() });
    case 5: {
      em.setFault(pool, { kind: "hang" });
      const c = new AbortController();
      setTimeout(() => c.abort(), 5);
      return assign(pool, all, SECRET_TOKEN, { ...opts, signal: c.signal });
    }
    case 6:
      em.setFault(pool, { kind: "hang" });
      return assign(pool, all, SECRET_TOKEN, { ...opts, timeoutMs: 10 });
    case 7:
      return assign(pool, all, SECRET_TOKEN, { ...opts, baseUrl: closedBaseUrl });
    default:
      em.setFault(pool, { kind: "body", text: '{"value":[{"id":1}]}' });
      return assign(pool, all, () => Promise.resolve(SECRET_TOKEN), opts);
  }
}

test("the memory read here is the one the package's calls use", async () => {
  const before = memory.buffer.byteLength;
  const many = Array.from({ length: 20_000 }, (_, i) => ({
    target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: `3f1e2d4c-5b6a-4978-8695-${String(i).padStart(12, "0")}` },
  }));
  await assign(em.addPool(), many, SECRET_TOKEN, { fetch: async () => new Response('{"value":[]}') });
  assert.ok(memory.buffer.byteLength > before, "a 20,000-assignment call grew this memory");
});

test(`${CALLS} calls in one instance settle exactly once each, and memory stays flat`, async () => {
  // The library logs nothing: count console calls while it runs.
  const logged = [];
  const methods = ["log", "info", "warn", "error", "debug", "trace"];
  const saved = methods.map((m) => console[m]);
  methods.forEach((m) => (console[m] = (...args) => logged.push(args)));
  const settled = new Array(CALLS).fill(0);
  const outcomes = {};
  let warmBytes = 0;
  for (let start = 0; start < CALLS; start += IN_FLIGHT) {
    const batch = [];
    for (let i = start; i < Math.min(CALLS, start + IN_FLIGHT); i++) {
      const p = call(i);
      batch.push(
        p.then(
          () => ((settled[i] += 1), (outcomes.ok = (outcomes.ok ?? 0) + 1)),
          (e) => {
            settled[i] += 1;
            outcomes[e?.name] = (outcomes[e?.name] ?? 0) + 1;
            if (i % 9 !== 4 && i % 9 !== 5) rejection(Promise.reject(e)); // recorded for the token scan
          },
        ),
      );
    }
    await Promise.all(batch);
    if (start + IN_FLIGHT === WARM_UP) warmBytes = memory.buffer.byteLength;
  }
  methods.forEach((m, i) => (console[m] = saved[i]));
  assert.equal(logged.length, 0, "the library wrote to the console");
  assert.ok(settled.every((n) => n === 1), "every call settled exactly once");
  const per = CALLS / 9;
  assert.ok(outcomes.ok >= 2 * Math.floor(per), JSON.stringify(outcomes)); // success and 429-then-success
  for (const name of ["GraphError", "ValidationError", "AbortError", "TimeoutError", "NetworkError", "ResponseError"]) {
    assert.ok(outcomes[name] >= Math.floor(per), `${name}: ${JSON.stringify(outcomes)}`);
  }
  const endBytes = memory.buffer.byteLength;
  console.log(`wasm memory: ${warmBytes} bytes after ${WARM_UP} calls, ${endBytes} after ${CALLS}; outcomes ${JSON.stringify(outcomes)}`);
  assert.ok(endBytes <= warmBytes + 2 * 65536, `memory grew from ${warmBytes} to ${endBytes} bytes`);
});

tokenNeverLeaks();
