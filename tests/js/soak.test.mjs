// Thousands of calls in one wasm instance, through successes, errors, retries, aborts and
// timeouts against the emulator: every call ends the way its scenario must, no timer of the
// library outlives its call, and the wasm memory stops growing once warm. Then large calls,
// repeated: the first grows the memory the calls use, the next ones fit in what it freed (a leak
// of one large call's values would add megabytes each time).
//
// Memory is read as the wasm's own `memory.buffer.byteLength`: it never shrinks, and grows in
// 64 KiB pages when the allocator runs out of room. The small calls run first, while the memory
// is still tight, so that a leak shows as new pages instead of filling room a large call left.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { emulator, rejection, tokenNeverLeaks, SECRET_TOKEN } from "./helpers.mjs";

const CALLS = 3000;
const WARM_UP = 600;
const IN_FLIGHT = 100;
const PAGE = 65536;

// The package's Node entry bundles its glue, and with it the wasm instance, out of reach. Its
// source, pkg/node.js (not shipped: the tarball holds the bundles), imports the glue as a module
// of its own: loaded from the built pkg/ by path, both share one glue module, so the memory read
// here is the one the calls use (the glue's initSync makes the instance; the entry's first call
// finds it made). The second test checks that it is.
const pkgDir = fileURLToPath(new URL("../../pkg", import.meta.url));
const glue = await import(pathToFileURL(join(pkgDir, "dist/intune_esim.js")).href);
const { memory } = glue.initSync({ module: readFileSync(join(pkgDir, "dist/intune_esim_bg.wasm")) });
const { assign, previewAssign, ValidationError } = await import(pathToFileURL(join(pkgDir, "node.js")).href);
const bytes = () => memory.buffer.byteLength;
/** Timers alive in this process (Node lists each pending, referenced setTimeout as one). */
const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

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

/** How each scenario must end: "ok:<items>", "GraphError:<status>", or the error's name. */
const EXPECTED = ["ok:1", "GraphError:403", "ok:1", "ValidationError", "AbortError", "AbortError", "TimeoutError", "NetworkError", "ResponseError"];

/** One call of scenario `i % 9`. */
function call(i) {
  const pool = em.addPool();
  const opts = { baseUrl: em.baseUrl, retryBaseDelayMs: 1, retryMaxDelayMs: 2 };
  switch (i % 9) {
    case 0:
      // A success with a deadline far ahead: its timer must go when the call ends.
      return assign(pool, all, SECRET_TOKEN, { ...opts, timeoutMs: 60_000 });
    case 1:
      em.fault(pool, { kind: "status", status: 403 });
      return assign(pool, all, SECRET_TOKEN, opts);
    case 2:
      em.fault(pool, { kind: "status", status: 429 }, 2);
      return assign(pool, all, SECRET_TOKEN, opts);
    case 3:
      return assign("nope", [{ target: { groupID: 1 } }], "", opts);
    case 4:
      return assign(pool, all, SECRET_TOKEN, { ...opts, signal: AbortSignal.abort() });
    case 5: {
      em.fault(pool, { kind: "hang" });
      const c = new AbortController();
      setTimeout(() => c.abort(), 5);
      return assign(pool, all, SECRET_TOKEN, { ...opts, signal: c.signal });
    }
    case 6:
      em.fault(pool, { kind: "hang" });
      return assign(pool, all, SECRET_TOKEN, { ...opts, timeoutMs: 10 });
    case 7:
      return assign(pool, all, SECRET_TOKEN, { ...opts, baseUrl: closedBaseUrl });
    default:
      em.fault(pool, { kind: "body", text: '{"value":[{"id":1}]}' });
      return assign(pool, all, () => Promise.resolve(SECRET_TOKEN), opts);
  }
}

const outcomeOf = (value) => `ok:${value?.length}`;
const failureOf = (e) => (e?.name === "GraphError" ? `GraphError:${e.status}` : String(e?.name));

// The timeout is a guard, not a timing: a call that never settles would otherwise hang the file.
test(`${CALLS} calls in one instance each end as their scenario must, leave no timer, and memory stops growing`, { timeout: 300_000 }, async () => {
  // The library logs nothing: count console calls while it runs.
  const logged = [];
  const methods = ["log", "info", "warn", "error", "debug", "trace"];
  const saved = methods.map((m) => console[m]);
  methods.forEach((m) => (console[m] = (...args) => logged.push(args)));
  const timersBefore = timers();
  const startBytes = bytes();
  const outcomes = new Array(CALLS);
  let warmBytes = 0;
  try {
    for (let start = 0; start < CALLS; start += IN_FLIGHT) {
      const batch = [];
      for (let i = start; i < Math.min(CALLS, start + IN_FLIGHT); i++) {
        batch.push(
          call(i).then(
            (value) => (outcomes[i] = outcomeOf(value)),
            (e) => {
              outcomes[i] = failureOf(e);
              if (i % 9 !== 4 && i % 9 !== 5) rejection(Promise.reject(e)); // recorded for the token scan
            },
          ),
        );
      }
      await Promise.all(batch);
      if (start + IN_FLIGHT === WARM_UP) warmBytes = bytes();
    }
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]));
  }
  const endBytes = bytes();
  const timersAfter = timers();
  assert.equal(logged.length, 0, "the library wrote to the console");
  const wrong = outcomes.map((o, i) => [i, o]).filter(([i, o]) => o !== EXPECTED[i % 9]);
  assert.deepEqual(
    wrong.slice(0, 10).map(([i, o]) => `call ${i} (scenario ${i % 9}): ${o}, not ${EXPECTED[i % 9]}`),
    [],
    `${wrong.length} of ${CALLS} calls ended otherwise than their scenario says`,
  );
  assert.equal(timersAfter, timersBefore, "a timer (a deadline, a retry wait) outlived its call");
  console.log(`wasm memory: ${startBytes} bytes before, ${warmBytes} after ${WARM_UP} calls, ${endBytes} after ${CALLS}`);
  assert.ok(warmBytes >= startBytes && warmBytes > 0);
  // 2400 calls after the warm-up: a leak of more than about 50 bytes a call needs new pages.
  assert.ok(endBytes <= warmBytes + 2 * PAGE, `memory grew from ${warmBytes} to ${endBytes} bytes after the warm-up`);
});

const N = 12;
const manyAssignments = () =>
  Array.from({ length: 20_000 }, (_, i) => ({
    target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: `3f1e2d4c-5b6a-4978-8695-${String(i).padStart(12, "0")}` },
  }));
// Graph's answer to a 20,000-assignment write, echoed from the request: the answer is read too.
const echo = async (url, init) => {
  const value = JSON.parse(init.body).assignments.map((a, i) => ({ id: String(i), ...a }));
  return new Response(JSON.stringify({ value }), { headers: { "content-type": "application/json" } });
};

test(`a 20,000-assignment call grows the memory the calls use once; ${N} more of them do not grow it`, { timeout: 300_000 }, async () => {
  const many = manyAssignments();
  const before = bytes();
  const first = await assign(em.addPool(), many, SECRET_TOKEN, { fetch: echo });
  assert.equal(first.length, 20_000);
  const afterFirst = bytes();
  // Can fail: if the memory read here were not the calls' own, nothing would have grown it.
  assert.ok(afterFirst > before, `a 20,000-assignment call grew this memory (${before} -> ${afterFirst} bytes)`);
  // A few more to settle the allocator's free lists, then the repeats.
  for (let i = 0; i < 3; i++) await assign(em.addPool(), many, SECRET_TOKEN, { fetch: echo });
  const warm = bytes();
  const grew = [];
  for (let i = 0; i < N; i++) {
    const value = await assign(em.addPool(), many, SECRET_TOKEN, { fetch: echo });
    assert.equal(value.length, 20_000);
    grew.push(bytes() - warm);
  }
  console.log(`wasm memory: ${before} bytes before, ${afterFirst} after one large call, ${warm} after four, then +${grew.join(", +")}`);
  // One call's values take megabytes (afterFirst - before): a leak of them would add that much
  // each time. Two pages of slack for the allocator's bookkeeping.
  assert.ok(grew.at(-1) <= 2 * PAGE, `memory kept growing over ${N} repeats of the same call: +${grew.join(", +")} bytes`);
});

test(`100,000 invalid assignments, rejected ${N} times, do not grow the memory after the first few`, { timeout: 300_000 }, async () => {
  const bad = Array.from({ length: 100_000 }, (_, i) => ({ target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: `bad-${i}` } }));
  const pool = em.addPool();
  // Only the first is kept for the token scan: each holds 100,000 issues.
  const rejected = (p) => p.then(() => assert.fail("expected a ValidationError"), (e) => e);
  await rejection(previewAssign(pool, bad));
  for (let i = 0; i < 2; i++) await rejected(previewAssign(pool, bad));
  const warm = bytes();
  const grew = [];
  for (let i = 0; i < N; i++) {
    const e = await rejected(previewAssign(pool, bad));
    assert.ok(e instanceof ValidationError);
    assert.equal(e.issues.length, 100_000);
    grew.push(bytes() - warm);
  }
  console.log(`wasm memory: ${warm} bytes after three 100,000-issue rejections, then +${grew.join(", +")}`);
  assert.ok(grew.at(-1) <= 2 * PAGE, `memory kept growing over ${N} repeats of the same rejection: +${grew.join(", +")} bytes`);
});

tokenNeverLeaks();
