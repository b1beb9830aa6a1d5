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
      for (const k of ["id", "createdDateTime", "modifiedDateTime", "lastSyncDateTime", "deviceName", "userName", "universalIntegratedCircuitCardIdentifier", "stateDetails"]) {
        assert.equal(typeof s[k], "string", k);
      }
      assert.match(s.universalIntegratedCircuitCardIdentifier, /^[0-9]{19}[0-9]?$/);
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

test("npx intune-esim emulator --port 0 --pools 2 serves and prints its base URL and how to authenticate", async (t) => {
  const require = createRequire(fileURLToPath(new URL("../.packed/package.json", import.meta.url)));
  const cli = require.resolve("intune-esim/package.json").replace(/package\.json$/, "cli.js");
  const child = spawn(process.execPath, [cli, "emulator", "--port", "0", "--pools", "2"], { stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => child.kill());
  let out = "";
  child.stdout.setEncoding("utf8");
  for await (const chunk of child.stdout) {
    out += chunk;
    if (/limits: .*\n/.test(out)) break;
  }
  const baseUrl = /Graph emulator at (\S+)/.exec(out)[1];
  assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:[0-9]+\/beta$/);
  assert.ok(out.includes(`Authorization: Bearer ${TEST_TOKEN}`), out);
  const pools = await (await fetch(`${baseUrl}${POOLS}`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).json();
  assert.equal(pools.value.length, 2);
});
