// The fleet operations of the packed package against the emulator: updatePool, the batched reads
// (listAssignmentsMany, listDeviceStatesMany) with their inner retries, nextLinks and fallback,
// and poolReport, paced under Intune's read limit, aborted half-way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEVICE_STATES, pkg, rejection, SECRET_TOKEN, startGraphEmulator } from "./helpers.mjs";

const { updatePool, listAssignmentsMany, listDeviceStatesMany, poolReport, GraphError, ValidationError } = pkg;

/** An emulator with `n` example pools (a few assignments, one device in every state). */
async function fleet(t, n, options = {}) {
  const em = await startGraphEmulator({ token: SECRET_TOKEN, pools: n, limits: false, ...options });
  t.after(() => em.close());
  return em;
}
const batches = (em) => em.requests.filter((r) => r.path === "/beta/$batch");
const inner = (em, poolId) => em.requests.filter((r) => r.poolId === poolId?.toLowerCase() && r.method === "GET");

test("updatePool renames a pool and resolves to it; a 204 is read back with one GET", async (t) => {
  const em = await fleet(t, 2);
  const [a, b] = em.poolIds;
  const renamed = await updatePool(a, { displayName: "Contoso Berlin" }, SECRET_TOKEN, { baseUrl: em.baseUrl });
  assert.equal(renamed.id, a);
  assert.equal(renamed.displayName, "Contoso Berlin");
  assert.equal(em.pools.get(a.toLowerCase()).displayName, "Contoso Berlin");
  assert.deepEqual(JSON.parse(em.requests.at(-1).body), { displayName: "Contoso Berlin" });

  em.fault(b, { kind: "noContent" });
  const after204 = await updatePool(b, { displayName: "Contoso Paris" }, SECRET_TOKEN, { baseUrl: em.baseUrl });
  assert.equal(after204.displayName, "Contoso Paris");
  assert.deepEqual(em.requests.filter((r) => r.poolId === b.toLowerCase()).map((r) => r.method), ["PATCH", "GET"]);
});

test("updatePool refuses every other property by name, and an empty name; nothing is sent", async (t) => {
  const em = await fleet(t, 1);
  const before = em.requests.length;
  const e = await rejection(
    updatePool(em.poolIds[0], { displayName: 7, activationCodeCount: 3 }, SECRET_TOKEN, { baseUrl: em.baseUrl }),
  );
  assert.ok(e instanceof ValidationError);
  assert.deepEqual(e.issues.map((i) => i.path).sort(), ["changes.activationCodeCount", "changes.displayName"]);
  const empty = await rejection(updatePool(em.poolIds[0], { displayName: " " }, SECRET_TOKEN, { baseUrl: em.baseUrl }));
  assert.match(empty.message, /changes.displayName: must not be empty/);
  assert.equal(em.requests.length, before);
});

test("listAssignmentsMany reads 45 pools in 3 batches of at most 20, one result per pool in order", async (t) => {
  const em = await fleet(t, 45);
  const seen = [];
  const results = await listAssignmentsMany(em.poolIds, SECRET_TOKEN, { baseUrl: em.baseUrl, onProgress: (p) => seen.push(p) });
  assert.deepEqual(results.map((r) => r.poolId), em.poolIds);
  for (const r of results) {
    assert.equal(r.ok, true);
    assert.deepEqual(r.value.map((a) => a.id), em.pools.get(r.poolId.toLowerCase()).assignments.map((a) => a.id));
  }
  assert.equal(batches(em).length, 3);
  assert.ok(batches(em).every((b) => JSON.parse(b.body).requests.length <= 20));
  assert.deepEqual(seen[0], { done: 0, total: 45 });
  // Then one notice per pool, naming it and how it went.
  assert.deepEqual(seen.slice(1).map((p) => p.poolId).sort(), [...em.poolIds].sort());
  assert.deepEqual(seen.at(-1), { done: 45, total: 45, poolId: seen.at(-1).poolId, ok: true });
  assert.equal(seen.length, 46);
});

test("an inner 429 is retried by itself after its own Retry-After; the others are not sent again", async (t) => {
  const em = await fleet(t, 3);
  const [a, b, c] = em.poolIds;
  em.fault(b, { kind: "status", status: 429, retryAfter: 1 }, 2);
  const retries = [];
  const results = await listDeviceStatesMany([a, b, c], SECRET_TOKEN, { baseUrl: em.baseUrl, onRetry: (i) => retries.push(i) });
  assert.deepEqual(results.map((r) => r.ok), [true, true, true]);
  assert.equal(results[1].value.length, em.pools.get(b.toLowerCase()).deviceStates.length);
  assert.deepEqual(retries.map((r) => [r.attempt, r.status, r.delayMs]), [[1, 429, 1000], [2, 429, 1000]]);
  assert.equal(inner(em, b).length, 3);
  assert.equal(inner(em, a).length, 1);
  assert.equal(inner(em, c).length, 1);
});

test("an inner 503 past maxRetries, and a 403, are that pool's errors, as a single read's would be; the others are kept", async (t) => {
  const em = await fleet(t, 3);
  const [a, b, c] = em.poolIds;
  em.fault(a, { kind: "status", status: 403, message: "No Intune role" }, 10);
  em.fault(c, { kind: "status", status: 503, retryAfter: 0 }, 10);
  const results = await listAssignmentsMany([a, b, c], SECRET_TOKEN, { baseUrl: em.baseUrl, maxRetries: 1, retryBaseDelayMs: 1 });
  assert.equal(results[0].ok, false);
  assert.ok(results[0].error instanceof GraphError);
  assert.equal(results[0].error.status, 403);
  assert.match(results[0].error.message, /No Intune role/);
  assert.ok(results[0].error.requestId);
  assert.equal(results[1].ok, true);
  assert.equal(results[2].error.status, 503);
  assert.equal(results[2].error.attempts, 2);
});

test("an inner nextLink is followed in a later batch, and the pages are joined", async (t) => {
  const em = await fleet(t, 0, {
    pools: [{ assignments: 5, deviceStates: 7 }, { assignments: 1, deviceStates: 1 }],
    pageSize: 2,
  });
  const results = await listDeviceStatesMany(em.poolIds, SECRET_TOKEN, { baseUrl: em.baseUrl });
  assert.deepEqual(results.map((r) => r.value.length), [7, 1]);
  assert.deepEqual(results[0].value.map((d) => d.id), em.pools.get(em.poolIds[0].toLowerCase()).deviceStates.map((d) => d.id));
  assert.equal(inner(em, em.poolIds[0]).length, 4);
  assert.ok(inner(em, em.poolIds[0]).every((r) => r.batchId !== undefined), "every page went in a batch");
});

test("a batch endpoint that refuses: the reads are made one request each, with the same results", async (t) => {
  const em = await fleet(t, 4);
  em.fault("$batch", { kind: "status", status: 400, message: "Batching is off" }, 100);
  const results = await listAssignmentsMany(em.poolIds, SECRET_TOKEN, { baseUrl: em.baseUrl });
  assert.deepEqual(results.map((r) => r.ok), [true, true, true, true]);
  assert.equal(batches(em).length, 1, "the batch endpoint is not asked again");
  for (const id of em.poolIds) assert.ok(inner(em, id).some((r) => r.batchId === undefined));
});

test("the batched reads check every argument at once, before anything is sent", async (t) => {
  const em = await fleet(t, 1);
  const e = await rejection(listAssignmentsMany([em.poolIds[0], "nope", em.poolIds[0]], "", { baseUrl: em.baseUrl, concurrency: 0, readLimit: {} }));
  assert.ok(e instanceof ValidationError);
  assert.deepEqual(e.issues.map((i) => i.path), ["poolIds[1]", "poolIds[2]", "token", "options.concurrency", "options.readLimit"]);
  assert.equal(em.requests.length, 0);
});

test("poolReport: every pool with its targets, its devices by state (zeros included) and its failures", async (t) => {
  const em = await fleet(t, 0, {
    pools: [
      { displayName: "Berlin", activationCodeCount: 40, assignments: 3, deviceStates: [{ state: "installed" }, { state: "installed" }, { state: "failed", deviceName: "Kiosk-7", userName: "amy@contoso.com", stateDetails: "Profile download failed" }] },
      { displayName: "Paris", assignments: 1, deviceStates: [{ state: "error" }, { state: "installing" }] },
      { displayName: "Empty" },
    ],
  });
  const report = await poolReport(SECRET_TOKEN, { baseUrl: em.baseUrl });
  assert.ok(Date.parse(report.generatedDateTime) > 0);
  assert.deepEqual(report.pools.map((p) => p.pool.displayName), ["Berlin", "Paris", "Empty"]);
  const [berlin, paris, empty] = report.pools;
  assert.deepEqual(Object.keys(berlin.pool), ["id", "displayName", "activationCodeCount", "createdDateTime", "modifiedDateTime"]);
  assert.equal(berlin.pool.activationCodeCount, 40);
  assert.equal(berlin.assignments.length, 3);
  assert.deepEqual(berlin.deviceStates, {
    total: 3,
    byState: { notEvaluated: 0, failed: 1, installing: 0, installed: 2, deleting: 0, error: 0, deleted: 0, removedByUser: 0 },
  });
  // The emulator's list of states is its own (it stands for Graph): the same as the Rust model's.
  assert.deepEqual(Object.keys(berlin.deviceStates.byState), [...DEVICE_STATES]);
  assert.equal(berlin.failures.length, 1);
  assert.deepEqual(
    { ...berlin.failures[0], id: undefined, lastSyncDateTime: undefined },
    { id: undefined, state: "failed", deviceName: "Kiosk-7", userName: "amy@contoso.com", stateDetails: "Profile download failed", lastSyncDateTime: undefined },
  );
  assert.deepEqual(paris.failures.map((f) => f.state), ["error"]);
  assert.equal(empty.deviceStates.total, 0);
  assert.deepEqual(empty.failures, []);
  // 1 list and 2 reads a pool, in one batch.
  assert.equal(batches(em).length, 1);
  assert.equal(em.requests.length, 1 + 1 + 2 * 3);
});

test("poolReport: a pool whose reads fail has its error, and the others are kept", async (t) => {
  const em = await fleet(t, 3);
  em.fault(em.poolIds[1], { kind: "status", status: 404 }, 10);
  const report = await poolReport(SECRET_TOKEN, { baseUrl: em.baseUrl });
  assert.equal(report.pools.length, 3);
  assert.ok(report.pools[0].deviceStates && report.pools[2].deviceStates);
  assert.ok(report.pools[1].error instanceof GraphError);
  assert.equal(report.pools[1].error.status, 404);
  assert.equal(report.pools[1].pool.id, em.poolIds[1]);
  assert.equal(report.pools[1].deviceStates, undefined);
});

test("poolReport keeps under the read limit it is given, and never trips it", async (t) => {
  // Intune's 1,000 requests per 20 s, shrunk to 40 per 4 s: 30 pools take 61 requests. The pace's
  // margin is 5% of the window, so the window is long enough that a busy machine's timer and
  // network delays (tens of ms) stay inside it: at 400 ms the margin was 20 ms, and a loaded
  // machine went past it.
  const em = await fleet(t, 30, { limits: { requests: 40, writes: 100, windowMs: 20_000 }, scale: 0.2 });
  const report = await poolReport(SECRET_TOKEN, { baseUrl: em.baseUrl, readLimit: { requests: 40, perMs: 4_000 } });
  assert.equal(report.pools.length, 30);
  assert.ok(report.pools.every((p) => p.deviceStates));
  assert.equal(em.throttled, 0);
});

test("poolReport aborted half-way rejects with the signal's reason, and sends nothing more", async (t) => {
  const em = await fleet(t, 60, { limits: false });
  const controller = new AbortController();
  const reason = new Error("the admin left the page");
  const progress = [];
  const e = await rejection(
    poolReport(SECRET_TOKEN, {
      baseUrl: em.baseUrl,
      // One batch at a time, paced slowly: the abort comes between batches.
      concurrency: 1,
      readLimit: { requests: 20, perMs: 200 },
      onProgress: (p) => {
        progress.push(p);
        if (p.done === 10) controller.abort(reason);
      },
      signal: controller.signal,
    }),
  );
  assert.equal(e, reason);
  const sent = em.requests.length;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(em.requests.length, sent, "no request after the abort");
  assert.ok(sent < 1 + 2 * 60);
  assert.ok(progress.length >= 10 && progress.length < 60);
  // The rows of the pools read before the abort ride on its error.
  assert.ok(e.results.length >= 10 && e.results.length < 60, `${e.results.length} rows`);
  assert.ok(e.results.every((row) => row.deviceStates && em.poolIds.includes(row.pool.id)));
});

test("onRetry throwing inside a batch rejects the call with its error, and nothing more is sent or told", async (t) => {
  const em = await fleet(t, 60);
  em.fault(em.poolIds[3], { kind: "status", status: 429, retryAfter: 1 }, 1);
  const stop = new Error("stop retrying");
  const progress = [];
  const e = await rejection(
    listAssignmentsMany(em.poolIds, SECRET_TOKEN, {
      baseUrl: em.baseUrl,
      concurrency: 3,
      // A batch every 100 ms or so: without a stop, more would follow within the wait below.
      readLimit: { requests: 200, perMs: 1000 },
      onRetry: () => {
        throw stop;
      },
      onProgress: (p) => progress.push(p),
    }),
  );
  assert.equal(e, stop);
  const told = progress.length;
  // What was already on its way lands; after that, nothing.
  await new Promise((r) => setTimeout(r, 50));
  const sent = em.requests.length;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(em.requests.length, sent, "no request sent after the rejection");
  assert.ok(sent < 61, `${sent} requests`);
  assert.equal(progress.length, told, "no progress after the rejection");
});

test("a token provider that throws rejects the call with its error, asked no more than once a worker", async (t) => {
  const em = await fleet(t, 45);
  let asked = 0;
  const refused = new Error("interaction_required");
  const token = () => {
    asked += 1;
    throw refused;
  };
  const e = await rejection(listDeviceStatesMany(em.poolIds, token, { baseUrl: em.baseUrl, concurrency: 2 }));
  assert.equal(e, refused);
  assert.ok(asked <= 2, `asked ${asked} times`);
  assert.equal(em.requests.length, 0);
});

test("the batch endpoint still throttled after its retries fails its pools as single reads would, without falling back", async (t) => {
  const em = await fleet(t, 3);
  em.fault("$batch", { kind: "status", status: 429, retryAfter: 0 }, 100);
  const results = await listAssignmentsMany(em.poolIds, SECRET_TOKEN, { baseUrl: em.baseUrl, maxRetries: 1, retryBaseDelayMs: 1 });
  assert.deepEqual(results.map((r) => [r.ok, r.error?.status]), [[false, 429], [false, 429], [false, 429]]);
  assert.ok(results.every((r) => r.error instanceof GraphError));
  assert.equal(em.requests.filter((r) => r.path !== "/beta/$batch").filter((r) => r.batchId === undefined).length, 0, "no single reads");
});

test("a dropped batch is a NetworkError for each of its pools; the call goes on", async (t) => {
  const em = await fleet(t, 25);
  em.fault("$batch", { kind: "drop" }, 1);
  const results = await listAssignmentsMany(em.poolIds, SECRET_TOKEN, { baseUrl: em.baseUrl, concurrency: 1 });
  const failed = results.filter((r) => !r.ok);
  assert.equal(failed.length, 20, "the first batch's 20 pools");
  assert.ok(failed.every((r) => r.error.name === "NetworkError"));
  assert.ok(results.slice(20).every((r) => r.ok));
});

test("inner requests carry the call's client-request-id, and batches keep under a small readLimit", async (t) => {
  const em = await fleet(t, 12);
  const clientRequestId = "11111111-2222-4333-8444-555555555555";
  const results = await listAssignmentsMany(em.poolIds, SECRET_TOKEN, { baseUrl: em.baseUrl, clientRequestId, readLimit: { requests: 5, perMs: 50 } });
  assert.ok(results.every((r) => r.ok));
  const innerRequests = em.requests.filter((r) => r.batchId !== undefined);
  assert.equal(innerRequests.length, 12);
  assert.ok(innerRequests.every((r) => r.headers["client-request-id"] === clientRequestId));
  assert.ok(batches(em).every((b) => JSON.parse(b.body).requests.length <= 5));
  em.fault(em.poolIds[0], { kind: "status", status: 403 }, 1);
  const [failed] = await listAssignmentsMany([em.poolIds[0]], SECRET_TOKEN, { baseUrl: em.baseUrl, clientRequestId });
  assert.equal(failed.error.clientRequestId, clientRequestId);
});

test("a read Graph's batch answer leaves out is sent again, within maxRetries; then it is that pool's ResponseError", async (t) => {
  const em = await fleet(t, 3);
  // A fetch that drops the answer to request "1" from the first batch answers it sees.
  const dropping = (times) => async (url, init) => {
    const res = await fetch(url, init);
    if (!url.endsWith("/$batch") || times-- <= 0) return res;
    const body = await res.json();
    body.responses = body.responses.filter((r) => r.id !== "1");
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  };
  const options = { baseUrl: em.baseUrl, retryBaseDelayMs: 1, retryMaxDelayMs: 10 };
  const again = await listAssignmentsMany(em.poolIds, SECRET_TOKEN, { ...options, fetch: dropping(1) });
  assert.deepEqual(again.map((r) => r.ok), [true, true, true]);
  assert.equal(inner(em, em.poolIds[1]).length, 2, "sent again");

  const given = await listAssignmentsMany(em.poolIds, SECRET_TOKEN, { ...options, maxRetries: 0, fetch: dropping(1) });
  assert.deepEqual(given.map((r) => r.ok), [true, false, true]);
  assert.equal(given[1].error.name, "ResponseError");
  assert.match(given[1].error.message, /no response for one of its requests/);
});

test("two reports at once share the pace of their Graph host, and together keep under the limit", async (t) => {
  // 40 requests per 400 ms; the two reports send 2 x 31.
  const em = await fleet(t, 15, { limits: { requests: 40, writes: 100, windowMs: 20_000 }, scale: 0.02 });
  const options = { baseUrl: em.baseUrl, readLimit: { requests: 40, perMs: 400 } };
  const [a, b] = await Promise.all([poolReport(SECRET_TOKEN, options), poolReport(SECRET_TOKEN, options)]);
  assert.ok([...a.pools, ...b.pools].every((p) => p.deviceStates), "every pool read, none throttled out");
  assert.equal(em.throttled, 0);
});

test("bodies that are not JSON inside a batch (Graph sends them as base64) read as the same answers alone do", async (t) => {
  const em = await fleet(t, 1);
  const [pool] = em.poolIds;
  const options = { baseUrl: em.baseUrl, maxRetries: 0 };
  const faults = [
    { kind: "body", status: 500, text: "upstream broke: retry later", contentType: "text/plain" },
    { kind: "body", status: 200, text: '{"value":[]}', contentType: null },
    { kind: "body", status: 200, text: "hello", contentType: null },
    { kind: "html", status: 502 },
    { kind: "body", status: 200, text: '{"value": [', contentType: "application/json" },
  ];
  const seen = (r) => (r.ok ? { ok: true, value: r.value } : { ok: false, name: r.error.name, status: r.error.status, message: r.error.message, body: r.error.body });
  for (const fault of faults) {
    em.fault(pool, fault, 1);
    const alone = await pkg.listAssignments(pool, SECRET_TOKEN, options).then(
      (value) => ({ ok: true, value }),
      (error) => ({ ok: false, error }),
    );
    em.fault(pool, fault, 1);
    const [batched] = await listAssignmentsMany([pool], SECRET_TOKEN, options);
    assert.ok(inner(em, pool).at(-1).batchId !== undefined, "the second read went in a batch");
    assert.deepEqual(seen(batched), seen(alone), JSON.stringify(fault));
  }
});
