// intune-esim/emulator as a user of the packed package gets it, checked with plain fetch:
// JSON batching, PATCH, Intune's limits, faults, CORS, reset, the request log and close.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { startGraphEmulator, examplePoolId, EXAMPLE_POOL_ID, DEVICE_STATES, TEST_TOKEN } from "../.packed/emulator.mjs";

// A token that looks like a real one, so a leak would be easy to spot.
const SECRET = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.SECRET-emulator-payload-9d2e.signature-do-not-leak";
const POOLS = "/deviceManagement/embeddedSIMActivationCodePools";
const allDevices = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
const G1 = "11111111-1111-4111-8111-111111111111";
const G2 = "22222222-2222-4222-8222-222222222222";
const FILTER = "f1f1f1f1-f1f1-4f1f-8f1f-f1f1f1f1f1f1";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Intune's "no filter" on the targets it answers.
const NO_FILTER = { deviceAndAppManagementAssignmentFilterId: "00000000-0000-0000-0000-000000000000", deviceAndAppManagementAssignmentFilterType: "none" };
const group = (groupId, more) => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId, ...more });
// A device state's properties Graph may answer as null.
const NULLABLE_DEVICE_STATE = ["deviceName", "userName", "universalIntegratedCircuitCardIdentifier", "lastSyncDateTime", "stateDetails"];
// An activation code as the metadata's patterns take it (19 digits).
const code = (n) => ({
  "@odata.type": "microsoft.graph.embeddedSIMActivationCode",
  integratedCircuitCardIdentifier: `8988247000000000${String(n).padStart(3, "0")}`,
  matchingIdentifier: `MATCH-${n}`,
  smdpPlusServerAddress: "smdp.example.com",
});

async function started(t, options) {
  const em = await startGraphEmulator({ token: SECRET, ...options });
  t.after(() => em.close());
  return em;
}

function call(em, method, path, body, headers = {}) {
  return fetch(`${em.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${em.token}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

const batch = (em, requests) => call(em, "POST", "/$batch", { requests });
const json = { "Content-Type": "application/json" };

function assertGraphError(body, code) {
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  for (const k of ["request-id", "client-request-id", "date"]) assert.equal(typeof body.error.innerError[k], "string", k);
}

test("pools: N gives N example pools with deterministic ids, assignments and a device in every state", async (t) => {
  const em = await started(t, { pools: 3 });
  assert.deepEqual(em.poolIds, [EXAMPLE_POOL_ID, examplePoolId(1), examplePoolId(2)]);
  const list = await (await call(em, "GET", POOLS)).json();
  assert.deepEqual(list.value.map((p) => p.id), em.poolIds);
  for (const id of em.poolIds) {
    const states = (await (await call(em, "GET", `${POOLS}/${id}/deviceStates`)).json()).value;
    assert.deepEqual([...new Set(states.map((s) => s.state))].sort(), [...DEVICE_STATES].sort());
    for (const s of states) {
      for (const k of ["id", "createdDateTime", "modifiedDateTime", "state"]) assert.equal(typeof s[k], "string", k);
      for (const k of NULLABLE_DEVICE_STATE) assert.ok(s[k] === null || typeof s[k] === "string", k);
      if (s.universalIntegratedCircuitCardIdentifier !== null) assert.match(s.universalIntegratedCircuitCardIdentifier, /^[0-9]{19}[0-9]?$/);
    }
    const assignments = (await (await call(em, "GET", `${POOLS}/${id}/assignments`)).json()).value;
    assert.ok(assignments.length >= 2);
  }
  // The same on every start.
  const again = await started(t, { pools: 3 });
  assert.deepEqual([...again.pools.values()], [...em.pools.values()]);
});

test("pools as specs: exactly these pools, generated or given assignments and device states", async (t) => {
  const em = await started(t, {
    pools: [{ displayName: "Kiosks", deviceStates: [{ state: "failed", deviceName: "KIOSK-1" }] }, { id: "my-pool", assignments: 25, deviceStates: 10 }],
  });
  assert.deepEqual(em.poolIds, [EXAMPLE_POOL_ID, "my-pool"]);
  const first = await (await call(em, "GET", `${POOLS}/${EXAMPLE_POOL_ID}`)).json();
  assert.equal(first.displayName, "Kiosks");
  const [state] = (await (await call(em, "GET", `${POOLS}/${EXAMPLE_POOL_ID}/deviceStates`)).json()).value;
  assert.equal(state.deviceName, "KIOSK-1");
  assert.equal(state.state, "failed");
  assert.equal(typeof state.lastSyncDateTime, "string");
  assert.equal(em.pools.get("my-pool").assignments.length, 25);
  assert.equal(em.pools.get("my-pool").deviceStates.length, 10);
  const none = await started(t, { pools: 0 });
  assert.deepEqual((await (await call(none, "GET", POOLS)).json()).value, []);
});

test("$batch: each inner request is routed as a single one would be, with its own status and body", async (t) => {
  const em = await started(t, { pools: 2, pageSize: 3 });
  const [a, b] = em.poolIds;
  const res = await batch(em, [
    { id: "get", method: "GET", url: `${POOLS}/${a}` },
    { id: "patch", method: "PATCH", url: `${POOLS}/${b}`.slice(1), headers: json, body: { displayName: "Renamed" } },
    { id: "assign", method: "POST", url: `${POOLS}/${a}/assign`, headers: json, body: { assignments: [{ target: allDevices }] } },
    { id: "states", method: "GET", url: `${POOLS}/${b}/deviceStates` },
    { id: "missing", method: "GET", url: `${POOLS}/00000000-0000-0000-0000-000000000000` },
    { id: "versioned", method: "GET", url: `/beta${POOLS}` },
    { id: "bad", method: "POST", url: `${POOLS}/${a}/assign`, headers: json, body: { assignments: [{ target: { "@odata.type": "#microsoft.graph.nope" } }] } },
  ]);
  assert.equal(res.status, 200);
  assert.ok(res.headers.get("request-id"));
  const { responses } = await res.json();
  const by = Object.fromEntries(responses.map((r) => [r.id, r]));
  assert.deepEqual(responses.map((r) => r.id), ["get", "patch", "assign", "states", "missing", "versioned", "bad"]);
  assert.equal(by.get.status, 200);
  assert.equal(by.get.body.id, a);
  assert.equal(by.patch.status, 200);
  assert.equal(by.patch.body.displayName, "Renamed");
  assert.equal(by.assign.status, 200);
  assert.equal(by.assign.body.value.length, 1);
  assert.equal(em.pools.get(a).assignments.length, 1);
  assert.equal(by.states.status, 200);
  assert.equal(by.states.body.value.length, 3);
  assert.equal(by.missing.status, 404);
  assertGraphError(by.missing.body, "ResourceNotFound");
  assert.equal(by.versioned.status, 400);
  assertGraphError(by.versioned.body, "BadRequest");
  assert.equal(by.bad.status, 400);
  assertGraphError(by.bad.body, "ModelValidationFailure");
  // An inner nextLink is absolute, to the emulator, and works on its own.
  const next = by.states.body["@odata.nextLink"];
  assert.ok(next.startsWith(`${em.baseUrl}${POOLS}/${b}/deviceStates?`), next);
  const page2 = await (await fetch(next, { headers: { Authorization: `Bearer ${em.token}` } })).json();
  assert.equal(page2.value.length, 3);
  assert.notEqual(page2.value[0].id, by.states.body.value[0].id);
  // The log has the envelope and every routed inner request, each with its batch id.
  const inner = em.requests.filter((r) => r.batchId);
  assert.deepEqual(inner.map((r) => r.batchId), ["get", "patch", "assign", "states", "missing", "bad"]);
  assert.ok(inner.every((r) => r.tokenMatched));
});

test("$batch: at most 20 requests, and a payload it cannot read, are a 400 with Graph's error body", async (t) => {
  const em = await started(t);
  const get = (i) => ({ id: String(i), method: "GET", url: `${POOLS}/${EXAMPLE_POOL_ID}` });
  const twenty = await batch(em, Array.from({ length: 20 }, (_, i) => get(i)));
  assert.equal(twenty.status, 200);
  assert.equal((await twenty.json()).responses.length, 20);
  const before = em.requests.length;
  const over = await batch(em, Array.from({ length: 21 }, (_, i) => get(i)));
  assert.equal(over.status, 400);
  assertGraphError(await over.json(), "BadRequest");
  assert.equal(em.requests.length, before + 1, "none of the 21 was carried out");
  for (const requests of [[], [get(1), get(1)], [{ id: "1", method: "GET" }]]) {
    const res = await batch(em, requests);
    assert.equal(res.status, 400, JSON.stringify(requests));
    assertGraphError(await res.json(), "BadRequest");
  }
  const noToken = await fetch(`${em.baseUrl}/$batch`, { method: "POST", headers: json, body: JSON.stringify({ requests: [get(1)] }) });
  assert.equal(noToken.status, 401);
});

test("$batch: faults apply per pool inside it; an inner 429 carries its own Retry-After", async (t) => {
  const em = await started(t, { pools: 3 });
  const [a, b, c] = em.poolIds;
  em.fault(a, { kind: "status", status: 429, retryAfter: 7 });
  em.fault(b, { kind: "status", status: 429 });
  em.fault(c, { kind: "html", status: 500 });
  const get = (pool, i) => ({ id: String(i), method: "GET", url: `${POOLS}/${pool}` });
  const { responses } = await (await batch(em, [a, b, c, a].map(get))).json();
  assert.equal(responses[0].status, 429);
  assert.equal(responses[0].headers["Retry-After"], "7");
  assertGraphError(responses[0].body, "TooManyRequests");
  assert.equal(responses[1].status, 429);
  assert.equal(responses[1].headers["Retry-After"], undefined, "a 429 without Retry-After");
  // Not JSON: base64, as Graph sends such bodies inside a batch.
  assert.equal(responses[2].status, 500);
  assert.match(Buffer.from(responses[2].body, "base64").toString(), /<html>/);
  assert.equal(responses[3].status, 200, "the fault was for one request only");
});

test("$batch: each inner request counts against the limits; the envelope does not", async (t) => {
  const em = await started(t, { pools: 1, limits: { writes: 2 } });
  const assign = (i) => ({ id: String(i), method: "POST", url: `${POOLS}/${EXAMPLE_POOL_ID}/assign`, headers: json, body: { assignments: [] } });
  const { responses } = await (await batch(em, [assign(1), assign(2), assign(3)])).json();
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 429]);
  assert.match(responses[2].headers["Retry-After"], /^[1-9][0-9]*$/);
  assertGraphError(responses[2].body, "TooManyRequests");
  assert.equal(em.throttled, 1);
  // The envelope itself is still answered: reads pass, as only writes are over.
  const read = await batch(em, [{ id: "r", method: "GET", url: POOLS }]);
  assert.equal(read.status, 200);
  assert.equal((await read.json()).responses[0].status, 200);
});

test("$batch can be made to refuse, so a client falls back to single requests", async (t) => {
  const em = await started(t);
  const requests = [{ id: "1", method: "GET", url: `${POOLS}/${EXAMPLE_POOL_ID}` }];
  em.fault("$batch", { kind: "status", status: 400, message: "Batching is not supported for this resource." }, 2);
  for (let i = 0; i < 2; i++) {
    const res = await batch(em, requests);
    assert.equal(res.status, 400);
    assertGraphError(await res.json(), "BadRequest");
  }
  assert.equal(em.requests.filter((r) => r.batchId).length, 0, "no inner request was carried out");
  // Single requests are not affected, and the batch answers again once the fault is spent.
  assert.equal((await call(em, "GET", `${POOLS}/${EXAMPLE_POOL_ID}`)).status, 200);
  assert.equal((await batch(em, requests)).status, 200);
  em.fault("$batch", { kind: "status", status: 404, times: Infinity });
  assert.equal((await batch(em, requests)).status, 404);
  assert.equal((await batch(em, requests)).status, 404);
});

test("PATCH a pool: 200 with the pool by default, 204 with the noContent fault; bad bodies are 400", async (t) => {
  const em = await started(t);
  const path = `${POOLS}/${EXAMPLE_POOL_ID}`;
  const before = await (await call(em, "GET", path)).json();
  const res = await call(em, "PATCH", path, { displayName: "Renamed" });
  assert.equal(res.status, 200);
  const pool = await res.json();
  assert.equal(pool.id, EXAMPLE_POOL_ID);
  assert.equal(pool.displayName, "Renamed");
  assert.notEqual(pool.modifiedDateTime, before.modifiedDateTime);
  assert.equal(pool.createdDateTime, before.createdDateTime);

  em.fault(EXAMPLE_POOL_ID, { kind: "noContent" });
  // The fault waits for a PATCH: a GET in between is answered as usual.
  assert.equal((await call(em, "GET", path)).status, 200);
  const none = await call(em, "PATCH", path, { displayName: "Again" });
  assert.equal(none.status, 204);
  assert.equal(await none.text(), "");
  assert.equal((await (await call(em, "GET", path)).json()).displayName, "Again");
  assert.equal((await call(em, "PATCH", path, { displayName: "Third" })).status, 200, "once, then 200 again");

  for (const [body, code] of [[{ displayName: "" }, "ModelValidationFailure"], [{ nonsense: 1 }, "BadRequest"], ["{not json", "BadRequest"]]) {
    const bad = await call(em, "PATCH", path, body);
    assert.equal(bad.status, 400, JSON.stringify(body));
    assertGraphError(await bad.json(), code);
  }
  assert.equal((await call(em, "PATCH", `${POOLS}/00000000-0000-0000-0000-000000000000`, { displayName: "x" })).status, 404);
});

test("limits with scale: the 101st write in a window is a 429 with Retry-After and Graph's body; reads still pass", async (t) => {
  // Half of Intune's window (10 s): far longer than 101 requests take, so the test needs no clock.
  const em = await started(t, { scale: 0.5 });
  const path = `${POOLS}/${EXAMPLE_POOL_ID}`;
  for (let i = 0; i < 100; i++) assert.equal((await call(em, "PATCH", path, { displayName: `n${i}` })).status, 200, `write ${i + 1}`);
  const over = await call(em, "PATCH", path, { displayName: "one too many" });
  assert.equal(over.status, 429);
  const retryAfter = Number(over.headers.get("retry-after"));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 10, `Retry-After ${retryAfter}`);
  assertGraphError(await over.json(), "TooManyRequests");
  assert.equal(em.throttled, 1);
  // assign is a write too; a read is not.
  assert.equal((await call(em, "POST", `${path}/assign`, { assignments: [] })).status, 429);
  assert.equal((await call(em, "GET", path)).status, 200);
  assert.equal(em.throttled, 2);
  assert.equal((await (await call(em, "GET", path)).json()).displayName, "n99", "the refused writes changed nothing");
});

test("limits: any request past the requests limit is a 429; limits: false has none", async (t) => {
  const em = await started(t, { limits: { requests: 5 }, scale: 0.5 });
  for (let i = 0; i < 5; i++) assert.equal((await call(em, "GET", POOLS)).status, 200);
  const over = await call(em, "GET", POOLS);
  assert.equal(over.status, 429);
  assert.ok(Number(over.headers.get("retry-after")) >= 1);
  const free = await started(t, { limits: false });
  for (let i = 0; i < 120; i++) assert.equal((await call(free, "DELETE", `${POOLS}/none-${i}`)).status, 404);
  assert.equal(free.throttled, 0);
});

test("CORS: preflights for PATCH and $batch are answered for a page's origin", async (t) => {
  const em = await started(t);
  const origin = "http://127.0.0.1:8080";
  for (const [path, method] of [[`${POOLS}/${EXAMPLE_POOL_ID}`, "PATCH"], ["/$batch", "POST"]]) {
    const res = await fetch(`${em.baseUrl}${path}`, {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "authorization,content-type,client-request-id" },
    });
    assert.equal(res.status, 204, path);
    assert.equal(res.headers.get("access-control-allow-origin"), origin);
    assert.ok(res.headers.get("access-control-allow-methods").split(/,\s*/).includes(method), path);
    const allowed = res.headers.get("access-control-allow-headers").toLowerCase().split(/,\s*/);
    for (const h of ["authorization", "content-type", "client-request-id"]) assert.ok(allowed.includes(h), h);
  }
  // The answer itself exposes the request ids, not Retry-After (as Graph).
  const res = await call(em, "GET", POOLS, undefined, { Origin: origin });
  assert.equal(res.headers.get("access-control-allow-origin"), origin);
  assert.match(res.headers.get("access-control-expose-headers"), /request-id/);
  assert.doesNotMatch(res.headers.get("access-control-expose-headers"), /retry-after/i);
});

test("faults: a status N times, a slow answer, a dropped connection, malformed JSON, and over HTTP for pages", async (t) => {
  const em = await started(t);
  const path = `${POOLS}/${EXAMPLE_POOL_ID}`;
  em.fault(EXAMPLE_POOL_ID, { kind: "status", status: 503 }, 2);
  assert.equal((await call(em, "GET", path)).status, 503);
  assert.equal((await call(em, "GET", path)).status, 503);
  assert.equal((await call(em, "GET", path)).status, 200);
  em.fault(EXAMPLE_POOL_ID, { kind: "slow", delayMs: 20 });
  assert.equal((await call(em, "GET", path)).status, 200);
  em.fault(EXAMPLE_POOL_ID, { kind: "drop" });
  await assert.rejects(call(em, "GET", path));
  em.fault(EXAMPLE_POOL_ID, { kind: "body", text: '{"value": [' });
  await assert.rejects((await call(em, "GET", path)).json(), SyntaxError);
  // Over HTTP, as a browser test steers it.
  const set = await fetch(`${em.url}/_emulator/faults`, { method: "POST", headers: json, body: JSON.stringify({ poolId: EXAMPLE_POOL_ID, fault: { kind: "html", status: 500 }, times: 1 }) });
  assert.equal(set.status, 204);
  const html = await call(em, "GET", path);
  assert.equal(html.status, 500);
  assert.match(html.headers.get("content-type"), /text\/html/);
  const bad = await fetch(`${em.url}/_emulator/faults`, { method: "POST", headers: json, body: JSON.stringify({ poolId: EXAMPLE_POOL_ID, fault: { kind: "explode" } }) });
  assert.equal(bad.status, 400);
  assert.throws(() => em.fault(EXAMPLE_POOL_ID, { kind: "explode" }), TypeError);
});

test("reset() restores the starting pools and clears faults, limit counters and the log", async (t) => {
  const em = await started(t, { pools: 2, limits: { writes: 1 }, scale: 0.5 });
  const start = structuredClone([...em.pools.entries()]);
  const [a, b] = em.poolIds;
  assert.equal((await call(em, "PATCH", `${POOLS}/${a}`, { displayName: "changed" })).status, 200);
  assert.equal((await call(em, "DELETE", `${POOLS}/${b}`)).status, 429);
  em.addPool("extra");
  em.fault(a, { kind: "status", status: 500 }, 5);
  em.setPageSize(1);
  em.reset();
  assert.deepEqual([...em.pools.entries()], start);
  assert.equal(em.requests.length, 0);
  assert.equal(em.throttled, 0);
  assert.equal((await call(em, "GET", `${POOLS}/${a}`)).status, 200, "the fault is gone");
  assert.equal((await (await call(em, "GET", POOLS)).json()).value.length, 2, "the page size is the starting one");
  assert.equal((await call(em, "DELETE", `${POOLS}/${b}`)).status, 204, "the window of writes is new");
});

test("the request log never holds the token, wherever a client put it", async (t) => {
  const em = await started(t);
  await call(em, "GET", `${POOLS}?token=${SECRET}`, undefined, { "X-Debug": SECRET });
  await call(em, "POST", `${POOLS}/${EXAMPLE_POOL_ID}/assign`, { assignments: [], note: SECRET });
  await batch(em, [{ id: "1", method: "GET", url: `${POOLS}/${EXAMPLE_POOL_ID}`, headers: { Authorization: `Bearer ${SECRET}` } }]);
  await call(em, "GET", POOLS, undefined, { Authorization: "Bearer wrong" });
  const log = JSON.stringify(em.requests);
  assert.ok(!log.includes(SECRET) && !log.includes("SECRET-emulator-payload"), "the token is not in the log");
  assert.deepEqual(em.requests.map((r) => r.tokenMatched), [true, true, true, true, false]);
  assert.ok(em.requests.every((r) => !("authorization" in r.headers)));
  const over = await (await fetch(`${em.url}/_emulator/requests`)).text();
  assert.ok(!over.includes(SECRET));
});

test("close() ends hung requests, alone and inside a batch", async (t) => {
  const em = await startGraphEmulator({ token: SECRET, pools: 2 });
  const [a, b] = em.poolIds;
  em.fault(a, { kind: "hang" });
  em.fault(b, { kind: "hang" });
  const hung = call(em, "GET", `${POOLS}/${a}`);
  const hungBatch = batch(em, [{ id: "1", method: "GET", url: `${POOLS}/${b}` }]);
  // Both reached the emulator (the batch's inner request too) before it closes.
  while (em.requests.filter((r) => r.poolId === a || r.poolId === b).length < 2) await new Promise((r) => setImmediate(r));
  const ended = Promise.all([assert.rejects(hung), assert.rejects(hungBatch)]);
  await em.close();
  await ended;
  await assert.rejects(call(em, "GET", POOLS), "nothing listens any more");
});

test("made-up device states hold null where Graph's are nullable, and nowhere else", async (t) => {
  const em = await started(t, { pools: 3 });
  const states = [];
  for (const id of em.poolIds) states.push(...(await (await call(em, "GET", `${POOLS}/${id}/deviceStates`)).json()).value);
  // Each nullable property is null on some device and set on another; no other property is ever null.
  for (const k of NULLABLE_DEVICE_STATE) {
    assert.ok(states.some((s) => s[k] === null), `${k} is null on some device`);
    assert.ok(states.some((s) => typeof s[k] === "string"), `${k} is set on some device`);
  }
  for (const s of states) for (const [k, v] of Object.entries(s)) if (v === null) assert.ok(NULLABLE_DEVICE_STATE.includes(k), k);
  // A device not evaluated yet has never synced, holds no profile and has no details.
  const waiting = states.filter((s) => s.state === "notEvaluated");
  assert.ok(waiting.length > 0);
  for (const s of waiting) assert.deepEqual([s.lastSyncDateTime, s.universalIntegratedCircuitCardIdentifier, s.stateDetails], [null, null, null]);
  // A failure has synced and says why; some have no user, some no name: what a report shows as blank.
  const failures = states.filter((s) => s.state === "failed" || s.state === "error");
  for (const s of failures) assert.ok(typeof s.lastSyncDateTime === "string" && typeof s.stateDetails === "string", s.id);
  assert.ok(failures.some((s) => s.userName === null) && failures.some((s) => s.deviceName === null));
  assert.ok(states.filter((s) => s.state === "installed").every((s) => s.stateDetails === null));
  // What a spec gives is kept, null or not; only what it leaves out is made up.
  const given = await started(t, { pools: [{ deviceStates: [{ state: "installed", userName: null }, { state: "notEvaluated", lastSyncDateTime: "2026-02-01T00:00:00.000Z" }] }] });
  const [installed, waitingGiven] = (await (await call(given, "GET", `${POOLS}/${EXAMPLE_POOL_ID}/deviceStates`)).json()).value;
  assert.equal(installed.userName, null);
  assert.equal(typeof installed.deviceName, "string");
  assert.equal(waitingGiven.lastSyncDateTime, "2026-02-01T00:00:00.000Z");
  assert.equal(waitingGiven.stateDetails, null);
});

test("a pool's assignments one by one: POST 201 with the service's id, GET, PATCH replaces the target, DELETE 204; an unknown id is a 404", async (t) => {
  const em = await started(t, { pools: 1 });
  const base = `${POOLS}/${EXAMPLE_POOL_ID}/assignments`;
  const stored = em.pools.get(EXAMPLE_POOL_ID).assignments;
  const before = stored.length;
  const res = await call(em, "POST", base, { "@odata.type": "#microsoft.graph.embeddedSIMActivationCodePoolAssignment", id: "mine", target: group(G1) });
  assert.equal(res.status, 201);
  const created = await res.json();
  assert.match(created.id, GUID, "the id is the service's, not the one sent");
  assert.equal(created["@odata.type"], "#microsoft.graph.embeddedSIMActivationCodePoolAssignment");
  assert.deepEqual(created.target, group(G1, NO_FILTER));
  assert.equal(stored.length, before + 1, "added to the pool's set, nothing replaced");
  const one = `${base}/${created.id}`;
  const got = await call(em, "GET", one);
  assert.equal(got.status, 200);
  assert.deepEqual(await got.json(), created);
  assert.equal((await call(em, "GET", `${base}/${created.id.toUpperCase()}`)).status, 200, "ids without regard to case, as pools'");

  const patched = await call(em, "PATCH", one, { id: "other", target: { ...allDevices, deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "include" } });
  assert.equal(patched.status, 200);
  const updated = await patched.json();
  assert.equal(updated.id, created.id, "the id is the service's");
  assert.deepEqual(updated.target, { ...allDevices, deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "include" }, "replaced whole: no groupId left");
  assert.deepEqual(await (await call(em, "GET", one)).json(), updated);

  // Validated as assign's items are; a refused write changes nothing.
  for (const [method, path, body, code] of [
    ["POST", base, { target: { "@odata.type": "#microsoft.graph.nope" } }, "ModelValidationFailure"],
    ["POST", base, { target: group("not-a-guid") }, "ModelValidationFailure"],
    ["POST", base, {}, "ModelValidationFailure"],
    ["POST", base, [], "ModelValidationFailure"],
    ["POST", base, "{not json", "BadRequest"],
    ["PATCH", one, { target: { ...allDevices, deviceAndAppManagementAssignmentFilterType: "maybe" } }, "ModelValidationFailure"],
    ["PATCH", one, { "@odata.type": "#microsoft.graph.somethingElse" }, "ModelValidationFailure"],
  ]) {
    const bad = await call(em, method, path, body);
    assert.equal(bad.status, 400, `${method} ${JSON.stringify(body)}`);
    assertGraphError(await bad.json(), code);
  }
  assert.equal(stored.length, before + 1);
  assert.deepEqual(await (await call(em, "GET", one)).json(), updated);

  const deleted = await call(em, "DELETE", one);
  assert.equal(deleted.status, 204);
  assert.equal(await deleted.text(), "");
  assert.equal(stored.length, before);
  for (const method of ["GET", "PATCH", "DELETE"]) {
    const gone = await call(em, method, one, method === "PATCH" ? { target: allDevices } : undefined);
    assert.equal(gone.status, 404, method);
    const body = await gone.json();
    assertGraphError(body, "ResourceNotFound");
    assert.match(body.error.message, new RegExp(created.id));
  }
  assert.equal((await call(em, "GET", `${POOLS}/00000000-0000-0000-0000-000000000000/assignments/${created.id}`)).status, 404, "an unknown pool first");
  assert.equal((await call(em, "PUT", `${base}/${stored[0].id}`, { target: allDevices })).status, 405);
});

test("a pool's device state by id: 200 with it, an unknown id a 404 ResourceNotFound", async (t) => {
  const em = await started(t, { pools: 1 });
  const [first, second] = em.pools.get(EXAMPLE_POOL_ID).deviceStates;
  for (const s of [first, second]) {
    const res = await call(em, "GET", `${POOLS}/${EXAMPLE_POOL_ID}/deviceStates/${s.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), s);
  }
  const missing = await call(em, "GET", `${POOLS}/${EXAMPLE_POOL_ID}/deviceStates/00000000-0000-0000-0000-000000000000`);
  assert.equal(missing.status, 404);
  assertGraphError(await missing.json(), "ResourceNotFound");
});

test("a pool's device states are created (201), updated (PATCH) and deleted (204) as Graph documents", async (t) => {
  const em = await started(t, { pools: 1 });
  const base = `${POOLS}/${EXAMPLE_POOL_ID}/deviceStates`;
  const before = em.pools.get(EXAMPLE_POOL_ID).deviceStates.length;
  const res = await call(em, "POST", base, { deviceName: "KIOSK-9", state: "installing", id: "mine" });
  assert.equal(res.status, 201);
  const created = await res.json();
  assert.notEqual(created.id, "mine", "the id is the service's");
  assert.equal(created.deviceName, "KIOSK-9");
  assert.equal(created.userName, null, "unset nullable properties are null");
  assert.equal(em.pools.get(EXAMPLE_POOL_ID).deviceStates.length, before + 1);

  const patched = await call(em, "PATCH", `${base}/${created.id}`, { state: "installed", stateDetails: null });
  assert.equal(patched.status, 200);
  const updated = await patched.json();
  assert.deepEqual([updated.id, updated.state, updated.deviceName, updated.createdDateTime], [created.id, "installed", "KIOSK-9", created.createdDateTime]);
  for (const [bad, word] of [[{ state: "flying" }, "flying"], [{ nickname: "x" }, "nickname"], [{ userName: 3 }, "userName"]]) {
    const refused = await call(em, "PATCH", `${base}/${created.id}`, bad);
    assert.equal(refused.status, 400);
    const body = await refused.json();
    assertGraphError(body, "ModelValidationFailure");
    assert.match(body.error.message, new RegExp(word));
  }
  assert.equal((await call(em, "DELETE", `${base}/${created.id}`)).status, 204);
  assert.equal((await call(em, "GET", `${base}/${created.id}`)).status, 404);
  assert.equal((await call(em, "PUT", `${base}/${first(em).id}`, {})).status, 405);
});

const first = (em) => em.pools.get(EXAMPLE_POOL_ID).deviceStates[0];

test("the by-id routes count against the limits as other writes do, and a fault on assignments meets them", async (t) => {
  const em = await started(t, { pools: 1, limits: { writes: 3 }, scale: 0.5 });
  const base = `${POOLS}/${EXAMPLE_POOL_ID}/assignments`;
  const { id } = await (await call(em, "POST", base, { target: allDevices })).json();
  assert.equal((await call(em, "PATCH", `${base}/${id}`, { target: group(G1) })).status, 200);
  assert.equal((await call(em, "DELETE", `${base}/${id}`)).status, 204);
  const over = await call(em, "POST", base, { target: allDevices });
  assert.equal(over.status, 429);
  assert.ok(Number(over.headers.get("retry-after")) >= 1);
  assertGraphError(await over.json(), "TooManyRequests");
  assert.equal((await call(em, "GET", `${base}/${id}`)).status, 404, "reads still pass");
  assert.equal(em.throttled, 1);

  const faulty = await started(t, { pools: 1 });
  const [a] = faulty.pools.get(EXAMPLE_POOL_ID).assignments;
  const [d] = faulty.pools.get(EXAMPLE_POOL_ID).deviceStates;
  faulty.fault(EXAMPLE_POOL_ID, { kind: "status", status: 503, on: "assignments" }, 3);
  assert.equal((await call(faulty, "GET", `${POOLS}/${EXAMPLE_POOL_ID}`)).status, 200, "not the pool itself");
  assert.equal((await call(faulty, "GET", `${POOLS}/${EXAMPLE_POOL_ID}/deviceStates/${d.id}`)).status, 200, "not another collection");
  assert.equal((await call(faulty, "GET", `${base}/${a.id}`)).status, 503);
  assert.equal((await call(faulty, "PATCH", `${base}/${a.id}`, { target: allDevices })).status, 503);
  assert.equal((await call(faulty, "POST", base, { target: allDevices })).status, 503);
  assert.equal((await call(faulty, "GET", `${base}/${a.id}`)).status, 200, "spent");
  faulty.fault(EXAMPLE_POOL_ID, { kind: "status", status: 429, retryAfter: 3, on: "deviceStates" });
  const throttled = await call(faulty, "GET", `${POOLS}/${EXAMPLE_POOL_ID}/deviceStates/${d.id}`);
  assert.equal(throttled.status, 429);
  assert.equal(throttled.headers.get("retry-after"), "3");
});

test("a segment Graph does not know is a 400 BadRequest naming the first such segment, alone and inside $batch", async (t) => {
  const em = await started(t, { pools: 1 });
  const pool = `${POOLS}/${EXAMPLE_POOL_ID}`;
  const cases = [
    ["/deviceManagement/embeddedSIMActivationCodePoolz", "embeddedSIMActivationCodePoolz"],
    ["/deviceManagement/embeddedSIMActivationCodePoolz/x/assign", "embeddedSIMActivationCodePoolz"],
    ["/deviceManagemnt/embeddedSIMActivationCodePools", "deviceManagemnt"],
    [`${pool}/bogus`, "bogus"],
    [`${pool}/bogus/assign`, "bogus"],
    [`${pool}/assign/x`, "x"],
    [`${pool}/assignments/x/y`, "y"],
    [`${pool}/deviceStates/x/target`, "target"],
  ];
  for (const [path, segment] of cases) {
    const res = await call(em, "GET", path);
    assert.equal(res.status, 400, path);
    const body = await res.json();
    assertGraphError(body, "BadRequest");
    assert.equal(body.error.message, `Resource not found for the segment '${segment}'.`);
  }
  const { responses } = await (await batch(em, cases.map(([path], i) => ({ id: String(i), method: "GET", url: path })))).json();
  assert.deepEqual(responses.map((r) => r.status), cases.map(() => 400));
  assert.deepEqual(responses.map((r) => r.body.error.message), cases.map(([, segment]) => `Resource not found for the segment '${segment}'.`));
  // The token is checked first; and a fault of the pools does not meet a path that reaches none.
  assert.equal((await call(em, "GET", cases[0][0], undefined, { Authorization: "Bearer wrong" })).status, 401);
  em.fault("pools", { kind: "status", status: 503, times: Infinity });
  assert.equal((await call(em, "GET", cases[0][0])).status, 400);
  assert.equal((await call(em, "GET", POOLS)).status, 503);
});

test("PATCH a pool with activationCodes, as Graph's Update example does: checked as createPool checks them, their count kept, never returned", async (t) => {
  const em = await started(t, { pools: [{ activationCodeCount: 7 }] });
  const path = `${POOLS}/${EXAMPLE_POOL_ID}`;
  const res = await call(em, "PATCH", path, { displayName: "Display Name value", activationCodes: [code(1), code(2)], activationCodeCount: 3 });
  assert.equal(res.status, 200);
  const pool = await res.json();
  assert.equal(pool.displayName, "Display Name value");
  assert.equal(pool.activationCodeCount, 2, "the count of the codes sent; the count sent is the service's to set");
  assert.ok(!("activationCodes" in pool), "write-only");
  const read = await (await call(em, "GET", path)).json();
  assert.equal(read.activationCodeCount, 2);
  assert.ok(!("activationCodes" in read));
  // activationCodeCount alone is ignored, as before.
  assert.equal((await (await call(em, "PATCH", path, { activationCodeCount: 50 })).json()).activationCodeCount, 2);
  // Codes createPool refuses, PATCH refuses with the same answer, and the pool stays as it was.
  const bad = [[{ ...code(3), integratedCircuitCardIdentifier: "1" }], [code(4), { ...code(5), smdpPlusServerAddress: "no host" }], [null], "not codes", null];
  for (const activationCodes of bad) {
    const patched = await call(em, "PATCH", path, { activationCodes });
    const created = await call(em, "POST", POOLS, { displayName: "New", activationCodes });
    assert.deepEqual([patched.status, created.status], [400, 400], JSON.stringify(activationCodes));
    const [p, c] = [await patched.json(), await created.json()];
    assertGraphError(p, "ModelValidationFailure");
    assertGraphError(c, "ModelValidationFailure");
    assert.equal(p.error.message, c.error.message);
  }
  assert.equal((await (await call(em, "GET", path)).json()).activationCodeCount, 2);
  // No codes is a pool emptied of them.
  assert.equal((await (await call(em, "PATCH", path, { activationCodes: [] })).json()).activationCodeCount, 0);
});

test("createPool and PATCH share one displayName rule and one answer: a string that is not empty or only white space", async (t) => {
  const em = await started(t);
  const path = `${POOLS}/${EXAMPLE_POOL_ID}`;
  for (const displayName of ["", "   ", "\t\n", 5, null, true, ["x"], {}]) {
    const created = await call(em, "POST", POOLS, { displayName, activationCodes: [code(1)] });
    const patched = await call(em, "PATCH", path, { displayName });
    assert.deepEqual([created.status, patched.status], [400, 400], JSON.stringify(displayName));
    const [c, p] = [await created.json(), await patched.json()];
    assertGraphError(c, "ModelValidationFailure");
    assertGraphError(p, "ModelValidationFailure");
    assert.equal(c.error.message, p.error.message);
  }
  const missing = await call(em, "POST", POOLS, { activationCodes: [code(1)] });
  assert.equal(missing.status, 400);
  assertGraphError(await missing.json(), "ModelValidationFailure");
  // No length or character rule: Graph documents none.
  for (const displayName of ["x", " padded ", "Ünïcödé 🚀 / \\ ' \" <b>", "n".repeat(1000)]) {
    const created = await call(em, "POST", POOLS, { displayName, activationCodes: [code(1)] });
    assert.equal(created.status, 201);
    assert.equal((await created.json()).displayName, displayName);
    const patched = await call(em, "PATCH", path, { displayName });
    assert.equal(patched.status, 200);
    assert.equal((await patched.json()).displayName, displayName);
  }
});

test("$batch: ids are compared without case, so two that differ only in case are a 400", async (t) => {
  const em = await started(t);
  const get = (id) => ({ id, method: "GET", url: `${POOLS}/${EXAMPLE_POOL_ID}` });
  for (const ids of [["a", "A"], ["Req-1", "req-1"], ["x", "ÿ", "Ÿ"]]) {
    const before = em.requests.length;
    const res = await batch(em, ids.map(get));
    assert.equal(res.status, 400, ids.join());
    assertGraphError(await res.json(), "BadRequest");
    assert.equal(em.requests.length, before + 1, "none was carried out");
  }
  const fine = await batch(em, ["a", "b", "ab"].map(get));
  assert.equal(fine.status, 200);
  assert.deepEqual((await fine.json()).responses.map((r) => r.id), ["a", "b", "ab"]);
});

test("targets in Intune's shape by default: both filter properties on every target, the zero id and none for no filter, a filter kept", async (t) => {
  const em = await started(t, { pools: 2 });
  const exclusion = { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: G2 };
  const written = [
    allDevices,
    group(G1, { deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: "none" }),
    group(G2, NO_FILTER),
    { ...exclusion, deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "include" },
    { ...allDevices, deviceAndAppManagementAssignmentFilterType: "none" },
  ];
  const answered = [
    { ...allDevices, ...NO_FILTER },
    group(G1, NO_FILTER),
    group(G2, NO_FILTER),
    written[3],
    { ...allDevices, ...NO_FILTER },
  ];
  const res = await call(em, "POST", `${POOLS}/${EXAMPLE_POOL_ID}/assign`, { assignments: written.map((target) => ({ target })) });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).value.map((a) => a.target), answered);
  assert.deepEqual((await (await call(em, "GET", `${POOLS}/${EXAMPLE_POOL_ID}/assignments`)).json()).value.map((a) => a.target), answered);
  assert.deepEqual(em.pools.get(EXAMPLE_POOL_ID).assignments.map((a) => a.target), answered, "kept so, not only answered so");
  const posted = await (await call(em, "POST", `${POOLS}/${EXAMPLE_POOL_ID}/assignments`, { target: written[1] })).json();
  assert.deepEqual(posted.target, answered[1]);
  // The made-up assignments of the example pools too.
  const made = (await (await call(em, "GET", `${POOLS}/${em.poolIds[1]}/assignments`)).json()).value;
  assert.ok(made.length > 0);
  for (const a of made) assert.deepEqual([a.target.deviceAndAppManagementAssignmentFilterId, a.target.deviceAndAppManagementAssignmentFilterType], Object.values(NO_FILTER));
});

test('targetShape "docs" answers targets exactly as written, adding no filter property', async (t) => {
  const em = await started(t, { pools: 2, targetShape: "docs" });
  const written = [
    allDevices,
    group(G1, { deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: "none" }),
    group(G2, { deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "exclude" }),
    { "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget" },
  ];
  const res = await call(em, "POST", `${POOLS}/${EXAMPLE_POOL_ID}/assign`, { assignments: written.map((target) => ({ target })) });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).value.map((a) => a.target), written);
  assert.deepEqual((await (await call(em, "GET", `${POOLS}/${EXAMPLE_POOL_ID}/assignments`)).json()).value.map((a) => a.target), written);
  const posted = await (await call(em, "POST", `${POOLS}/${EXAMPLE_POOL_ID}/assignments`, { target: allDevices })).json();
  assert.deepEqual(posted.target, allDevices);
  const made = (await (await call(em, "GET", `${POOLS}/${em.poolIds[1]}/assignments`)).json()).value;
  for (const a of made) assert.ok(!("deviceAndAppManagementAssignmentFilterId" in a.target) && !("deviceAndAppManagementAssignmentFilterType" in a.target));
  await assert.rejects(startGraphEmulator({ targetShape: "graph" }), TypeError);
});

test("Graph keeps what it knows: a target's and an assignment's every property comes back as written; extraTargetKinds adds kinds", async (t) => {
  const em = await started(t, { pools: 1 });
  const base = `${POOLS}/${EXAMPLE_POOL_ID}`;
  const future = group(G1, { deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "exclude", futureProperty: { nested: [1, "two", null] }, note: null });
  const written = { "@odata.type": "microsoft.graph.embeddedSIMActivationCodePoolAssignment", target: future, intent: "apply" };
  const [assigned] = (await (await call(em, "POST", `${base}/assign`, { assignments: [written] })).json()).value;
  assert.deepEqual(assigned, { ...written, id: assigned.id });
  assert.deepEqual(await (await call(em, "GET", `${base}/assignments/${assigned.id}`)).json(), assigned);
  const posted = await (await call(em, "POST", `${base}/assignments`, written)).json();
  assert.deepEqual(posted, { ...written, id: posted.id });
  const patched = await (await call(em, "PATCH", `${base}/assignments/${posted.id}`, { target: { ...future, note: "changed" } })).json();
  assert.deepEqual(patched, { ...written, id: posted.id, target: { ...future, note: "changed" } });

  // A kind this Graph does not know is refused, by assign and by the assignments' POST alike.
  const fota = { "@odata.type": "#microsoft.graph.androidFotaDeploymentAssignmentTarget", groupId: G2 };
  for (const [path, body] of [[`${base}/assign`, { assignments: [{ target: fota }] }], [`${base}/assignments`, { target: fota }]]) {
    const res = await call(em, "POST", path, body);
    assert.equal(res.status, 400, path);
    assertGraphError(await res.json(), "ModelValidationFailure");
  }
  // A Graph that knows it (newer or older than the library) takes it, its groupId unchecked.
  const newer = await started(t, { pools: 1, extraTargetKinds: ["androidFotaDeploymentAssignmentTarget", "groupAssignmentTarget"] });
  const unchecked = { ...fota, groupId: "not-a-guid" };
  const res = await call(newer, "POST", `${base}/assign`, { assignments: [{ target: fota }, { target: unchecked }] });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).value.map((a) => a.target), [{ ...fota, ...NO_FILTER }, { ...unchecked, ...NO_FILTER }]);
  assert.equal((await call(newer, "POST", `${base}/assignments`, { target: fota })).status, 201);
  // A kind the emulator knows keeps its own rule, even named again.
  assert.equal((await call(newer, "POST", `${base}/assign`, { assignments: [{ target: group("not-a-guid") }] })).status, 400);
  for (const extraTargetKinds of ["androidFotaDeploymentAssignmentTarget", ["#microsoft.graph.androidFotaDeploymentAssignmentTarget"], [""], [42]]) {
    await assert.rejects(startGraphEmulator({ extraTargetKinds }), TypeError, JSON.stringify(extraTargetKinds));
  }
  // Pool specs take any target and keep it as written.
  const odd = { "@odata.type": "#microsoft.graph.somethingElseAssignmentTarget", whatever: [1] };
  const specs = await started(t, { pools: [{ assignments: [{ target: odd }] }], targetShape: "docs" });
  assert.deepEqual((await (await call(specs, "GET", `${base}/assignments`)).json()).value.map((a) => a.target), [odd]);
});

// The CLI's emulator in a child process; resolves to what it printed once it printed its limits.
async function cliEmulator(t, args) {
  const require = createRequire(fileURLToPath(new URL("../.packed/package.json", import.meta.url)));
  const cli = require.resolve("intune-esim/package.json").replace(/package\.json$/, "cli.js");
  const child = spawn(process.execPath, [cli, "emulator", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => child.kill());
  let out = "";
  child.stdout.setEncoding("utf8");
  for await (const chunk of child.stdout) {
    out += chunk;
    if (/limits: .*\n/.test(out)) break;
  }
  return out;
}

test("npx intune-esim emulator --port 0 --pools 2 serves and prints its base URL and how to authenticate", async (t) => {
  const out = await cliEmulator(t, ["--port", "0", "--pools", "2"]);
  const baseUrl = /Graph emulator at (\S+)/.exec(out)[1];
  assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:[0-9]+\/beta$/);
  assert.ok(out.includes(`Authorization: Bearer ${TEST_TOKEN}`), out);
  const pools = await (await fetch(`${baseUrl}${POOLS}`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).json();
  assert.equal(pools.value.length, 2);
});

test("npx intune-esim emulator --target-shape docs answers targets as written; intune is the default", async (t) => {
  const targetsOf = async (args) => {
    const baseUrl = /Graph emulator at (\S+)/.exec(await cliEmulator(t, ["--port", "0", "--pools", "1", ...args]))[1];
    const res = await fetch(`${baseUrl}${POOLS}/${EXAMPLE_POOL_ID}/assignments`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } });
    return (await res.json()).value.map((a) => a.target);
  };
  const [docs, intune] = await Promise.all([targetsOf(["--target-shape", "docs"]), targetsOf([])]);
  assert.ok(docs.length > 0);
  assert.ok(docs.every((target) => !("deviceAndAppManagementAssignmentFilterId" in target) && !("deviceAndAppManagementAssignmentFilterType" in target)));
  assert.deepEqual(intune, docs.map((target) => ({ ...target, ...NO_FILTER })));
});
