// Every call over many pools behaves one way (the README's table "Calls over many pools"):
// listAssignmentsMany, listDeviceStatesMany, poolReport and assignMany alike.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pkg, rejection, startGraphEmulator, SECRET_TOKEN } from "./helpers.mjs";

const { listAssignmentsMany, listDeviceStatesMany, poolReport, assignMany, TimeoutError } = pkg;
const all = [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }];

// Each call, with the pace option that holds it back (reads count every request, writes only
// writes); `ids` are the emulator's pools.
const CALLS = {
  listAssignmentsMany: { pace: "readLimit", count: "requests", run: (ids, o) => listAssignmentsMany(ids, SECRET_TOKEN, o) },
  listDeviceStatesMany: { pace: "readLimit", count: "requests", run: (ids, o) => listDeviceStatesMany(ids, SECRET_TOKEN, o) },
  poolReport: { pace: "readLimit", count: "requests", run: (_, o) => poolReport(SECRET_TOKEN, o) },
  assignMany: { pace: "writeLimit", count: "writes", run: (ids, o) => assignMany(ids, all, SECRET_TOKEN, o) },
};

async function fleet(t, n) {
  const em = await startGraphEmulator({ token: SECRET_TOKEN, pools: n, limits: false });
  t.after(() => em.close());
  return em;
}

/** The rows a call resolves to: a report's pools, or the per-pool results. */
const rowsOf = (name, out) => (name === "poolReport" ? out.pools : out);
const poolOf = (name, row) => (name === "poolReport" ? row.pool.id : row.poolId);

for (const [name, call] of Object.entries(CALLS)) {
  test(`${name}: timeoutMs bounds the whole call, and its TimeoutError holds the pools done so far`, async (t) => {
    const em = await fleet(t, 12);
    const started = Date.now();
    // One request every 100 ms: the whole call would take more than a second.
    const slow = { [call.pace]: { [call.count]: 1, perMs: 100 }, concurrency: 1 };
    const e = await rejection(call.run(em.poolIds, { baseUrl: em.baseUrl, timeoutMs: 400, ...slow }));
    assert.ok(e instanceof TimeoutError, `${e}`);
    assert.equal(e.timeoutMs, 400);
    assert.ok(Date.now() - started < 1_000, "rejected at the deadline, not after the last pool");
    assert.ok(Array.isArray(e.results) && e.results.length < 12, `${e.results?.length} results`);
    for (const row of e.results) assert.ok(em.poolIds.includes(poolOf(name, row)));
  });

  test(`${name}: an abort rejects with the signal's reason, which holds the pools done so far`, async (t) => {
    const em = await fleet(t, 12);
    const controller = new AbortController();
    const reason = new Error("stop");
    const slow = { [call.pace]: { [call.count]: 1, perMs: 50 }, concurrency: 1 };
    const e = await rejection(
      call.run(em.poolIds, {
        baseUrl: em.baseUrl,
        signal: controller.signal,
        ...slow,
        onProgress: (p) => p.done === 2 && controller.abort(reason),
      }),
    );
    assert.equal(e, reason);
    assert.ok(e.results.length >= 2 && e.results.length < 12, `${e.results.length} results`);
    const sent = em.requests.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(em.requests.length, sent, "nothing is sent after the abort");
  });

  test(`${name}: one default concurrency, and onProgress as { done, total } then { done, total, poolId, ok }`, async (t) => {
    const em = await fleet(t, 100);
    let inFlight = 0;
    let most = 0;
    // Every request held 30 ms on its way, so those in flight together can be counted.
    const fetch = async (url, init) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 30));
      try {
        return await globalThis.fetch(url, init);
      } finally {
        inFlight -= 1;
      }
    };
    const progress = [];
    // A pace that never holds a request back: the concurrency alone bounds what is in flight.
    const fast = { [call.pace]: { [call.count]: 100_000, perMs: 1000 } };
    const out = await call.run(em.poolIds, { baseUrl: em.baseUrl, fetch, ...fast, onProgress: (p) => progress.push(p) });
    assert.equal(rowsOf(name, out).length, 100);
    assert.equal(most, 4, "four requests (or batches) in flight at most, and at once");
    assert.deepEqual(progress[0], { done: 0, total: 100 });
    assert.equal(progress.length, 101);
    for (const [i, p] of progress.slice(1).entries()) {
      assert.deepEqual(Object.keys(p).sort(), ["done", "ok", "poolId", "total"]);
      assert.equal(p.done, i + 1);
      assert.equal(p.ok, true);
      assert.ok(em.poolIds.includes(p.poolId));
    }
  });
}

test("the README's table of calls over many pools names these calls and these behaviours", async () => {
  const { readFileSync } = await import("node:fs");
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("#### Calls over many pools"));
  const table = section.slice(0, section.indexOf("\n\n", section.indexOf("|---|")));
  for (const name of Object.keys(CALLS)) assert.ok(section.split("\n")[2].includes(`\`${name}\``), name);
  const rows = table.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| |")).map((l) => l.split("|")[1].trim());
  assert.deepEqual(rows, ["`timeoutMs`", "an abort, or the deadline", "`concurrency`", "`onProgress`", "pace", "`onRetry`, a token function"]);
  assert.match(table, /default 4/);
});
