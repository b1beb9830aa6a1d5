// assignMany against an emulator that enforces a scaled-down Intune write limit (20 writes per
// second here; Intune's is 100 per 20 s): every pool assigned, results in order, one failing pool
// never costs the others, and writes are paced instead of hammering into 429s.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg, emulator, rejection, tokenNeverLeaks, startGraphEmulator, SECRET_TOKEN } from "./helpers.mjs";

const { assignMany, ValidationError, GraphError } = pkg;
const LIMIT = { writes: 20, perMs: 1000 };
const all = [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }];
let em;
let opts;
before(async () => {
  em = await startGraphEmulator({ token: SECRET_TOKEN, limits: { writes: LIMIT.writes, windowMs: LIMIT.perMs } });
  opts = { baseUrl: em.baseUrl, writeLimit: LIMIT, retryBaseDelayMs: 50, retryMaxDelayMs: 2000 };
});
after(() => em.close());

test("every pool is assigned, in order, paced under the write limit", async () => {
  const ids = Array.from({ length: 50 }, () => em.addPool());
  const throttledBefore = em.throttled;
  const progress = [];
  const results = await assignMany(ids, all, SECRET_TOKEN, { ...opts, concurrency: 8, onProgress: (p) => progress.push(p) });
  assert.deepEqual(results.map((r) => r.poolId), ids);
  assert.ok(results.every((r) => r.ok && r.value.length === 1));
  // First the total, then one notice per pool, naming it and how it went.
  assert.equal(progress.length, 51);
  assert.deepEqual(progress[0], { done: 0, total: 50 });
  assert.deepEqual(progress.slice(1).map((p) => p.poolId).sort(), [...ids].sort());
  assert.deepEqual(progress.at(-1), { done: 50, total: 50, poolId: progress.at(-1).poolId, ok: true });
  // Paced, not hammered: a handful of 429s at most when the machine is busy (the benchmark
  // measures the pace; an unpaced run of the same calls gets dozens).
  assert.ok(em.throttled - throttledBefore <= 5, `${em.throttled - throttledBefore} writes were throttled`);
  for (const id of ids) assert.equal(em.pools.get(id).assignments.length, 1);
});

test("a failing pool keeps its error and costs the others nothing", async () => {
  const ids = Array.from({ length: 6 }, () => em.addPool());
  em.fault(ids[2], { kind: "status", status: 403 });
  em.fault(ids[4], { kind: "html", status: 500 });
  const missing = "00000000-0000-4000-8000-000000000001";
  const results = await assignMany([...ids, missing], all, SECRET_TOKEN, opts);
  assert.deepEqual(results.map((r) => r.ok), [true, true, false, true, false, true, false]);
  assert.ok(results[2].error instanceof GraphError && results[2].error.status === 403);
  assert.equal(results[4].error.status, 500);
  assert.equal(results[6].error.status, 404);
});

test("a 429 is retried, not reported, while retries remain", async () => {
  const ids = Array.from({ length: 3 }, () => em.addPool());
  em.fault(ids[1], { kind: "status", status: 429, retryAfter: 0 }, 2);
  const results = await assignMany(ids, all, SECRET_TOKEN, opts);
  assert.ok(results.every((r) => r.ok));
});

test("aborting stops new writes and rejects with the signal's reason, holding the pools written so far", async () => {
  const ids = Array.from({ length: 40 }, () => em.addPool());
  const controller = new AbortController();
  const reason = new Error("stop the rollout");
  const e = await rejection(
    assignMany(ids, all, SECRET_TOKEN, {
      ...opts,
      writeLimit: { writes: 5, perMs: 1000 },
      signal: controller.signal,
      onProgress: ({ done }) => done === 3 && controller.abort(reason),
    }),
  );
  assert.equal(e, reason);
  // Each pool done before the abort, in the order given: a script knows which pools were written.
  assert.ok(e.results.length >= 3 && e.results.length < 10, `${e.results.length} results`);
  assert.ok(e.results.every((r) => r.ok && r.value.length === 1));
  assert.deepEqual(e.results.map((r) => r.poolId), ids.filter((id) => e.results.some((r) => r.poolId === id)));
  const written = ids.filter((id) => em.pools.get(id).assignments.length > 0);
  // What was on its way when the abort came may have landed; nothing after it.
  for (const r of e.results) assert.ok(written.includes(r.poolId));
  assert.ok(written.length <= e.results.length + 4, `${written.length} pools were written, ${e.results.length} reported`);
});

test("a throwing onProgress does not cost the results", async () => {
  const ids = Array.from({ length: 3 }, () => em.addPool());
  let calls = 0;
  const results = await assignMany(ids, all, SECRET_TOKEN, { ...opts, onProgress: () => { calls += 1; throw new Error("broken display"); } });
  assert.ok(results.every((r) => r.ok));
  assert.equal(calls, 1);
});

test("everything is checked before the first write", async () => {
  const id = em.addPool();
  const before = em.requests.length;
  const e = await rejection(
    assignMany(["nope", id, id.toUpperCase()], [{ target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget" } }], SECRET_TOKEN, {
      ...opts,
      concurrency: 100,
      onProgress: "log",
      writeLimit: { writes: 100 },
    }),
  );
  assert.ok(e instanceof ValidationError);
  assert.deepEqual(e.issues.map((i) => i.path), [
    "poolIds[0]",
    "poolIds[2]",
    "assignments[0].target.groupId",
    "options.concurrency",
    "options.onProgress",
    "options.writeLimit",
  ]);
  assert.equal(em.requests.length, before);
});

tokenNeverLeaks();
