// Pool operations from the packed package against the emulator: lists across pages, get,
// create from an operator's CSV file, delete, device states, and assignment changes that keep
// what is there (and notice when someone else wrote in between); a call's timeoutMs bounds all
// of its requests.
import { test, before, after } from "node:test";
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";
import { pkg, emulator, rejection, tokenNeverLeaks, startGraphEmulator, SECRET_TOKEN } from "./helpers.mjs";

const L = pkg;
const G1 = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const G2 = "11111111-2222-4333-8444-555555555555";
const group = (groupId) => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId });
const allDevices = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let em;
let opts;
before(async () => {
  em = await emulator();
  opts = { baseUrl: em.baseUrl };
});
after(() => em.close());

test("listPools follows @odata.nextLink to the end; iteratePools yields one pool at a time", async () => {
  for (let i = 0; i < 7; i++) em.addPool(undefined, `List pool ${i}`);
  em.setPageSize(3);
  try {
    const pools = await L.listPools(SECRET_TOKEN, opts);
    assert.equal(pools.length, em.pools.size);
    assert.equal(new Set(pools.map((p) => p.id)).size, pools.length);
    const pages = em.requests.filter((r) => r.path.endsWith("/embeddedSIMActivationCodePools") && r.method === "GET");
    assert.ok(pages.length >= 3, "several pages were read");
    const seen = [];
    for await (const pool of L.iteratePools(SECRET_TOKEN, opts)) {
      seen.push(pool.displayName);
      if (seen.length === 2) break;
    }
    assert.equal(seen.length, 2);
  } finally {
    em.setPageSize(100);
  }
});

test("$top, $select and $filter pass through", async () => {
  em.addPool(undefined, "O'Brien's pool");
  const found = await L.listPools(SECRET_TOKEN, { ...opts, filter: "displayName eq 'O''Brien''s pool'", select: ["displayName"], top: 5 });
  assert.deepEqual(found.map((p) => Object.keys(p).sort()), [["displayName", "id"]]);
  const last = em.requests.at(-1);
  assert.equal(last.query, "?$top=5&$select=displayName&$filter=displayName%20eq%20%27O%27%27Brien%27%27s%20pool%27");
  const e = await rejection(L.listPools(SECRET_TOKEN, { ...opts, top: 0, select: "id;drop", filter: "" }));
  assert.ok(e instanceof L.ValidationError);
  assert.deepEqual(e.issues.map((i) => i.path), ["options.top", "options.select", "options.filter"]);
  const e2 = await rejection(L.getPool(em.addPool(), SECRET_TOKEN, { ...opts, top: 5 }));
  assert.deepEqual(e2.issues.map((i) => i.path), ["options.top"], "only lists take a query");
});

test("a nextLink to another host is not followed, so the token never goes there", async () => {
  em.fault("pools", { kind: "body", text: JSON.stringify({ value: [], "@odata.nextLink": "https://evil.example/beta/steal" }) });
  const e = await rejection(L.listPools(SECRET_TOKEN, opts));
  assert.ok(e instanceof L.ResponseError);
  assert.match(e.message, /not followed/);
});

test("timeoutMs bounds the whole walk across pages", async () => {
  em.setPageSize(1);
  em.fault("pools", { kind: "slow", delayMs: 60 }, 10);
  try {
    const e = await rejection(L.listPools(SECRET_TOKEN, { ...opts, timeoutMs: 150 }));
    assert.ok(e instanceof L.TimeoutError);
  } finally {
    em.fault("pools", { kind: "slow", delayMs: 0 }, 0);
    em.setPageSize(100);
  }
});

// A TimeoutError of a walk across pages reports the caller's own timeoutMs, not the time that
// was left for the page it stopped in. The delays here and in the deadlines of assignment
// changes below are lower bounds the emulator adds to each answer, so that the sums compared
// hold on any machine: nothing here measures how long anything took.

/** Runs `body` with pages of `size` pools and every pools-list answer delayed by `delayMs`. */
async function slowPages(size, delayMs, body) {
  em.setPageSize(size);
  em.fault("pools", { kind: "slow", delayMs }, 1000);
  try {
    return await body();
  } finally {
    em.fault("pools", { kind: "slow", delayMs: 0 }, 0);
    em.setPageSize(100);
  }
}

test("iteratePools with timeoutMs: 300 over slow pages: a TimeoutError whose timeoutMs and message say 300", async () => {
  for (let i = 0; i < 10; i++) em.addPool(undefined, `Slow page pool ${i}`);
  // Pages of one pool, each answered no sooner than 100 ms after it is asked for: the walk of
  // eleven pages or more cannot end within 300 ms.
  const seen = [];
  const e = await slowPages(1, 100, () =>
    rejection(
      (async () => {
        for await (const p of L.iteratePools(SECRET_TOKEN, { ...opts, timeoutMs: 300 })) seen.push(p.id);
      })(),
    ),
  );
  assert.ok(e instanceof L.TimeoutError, `${e?.name}: ${e?.message}`);
  assert.ok(seen.length >= 1, "the deadline passed in a later page, not the first: there the time left is less than timeoutMs");
  assert.ok(seen.length < em.pools.size, "the walk did not finish");
  assert.equal(e.timeoutMs, 300, "the caller's own timeoutMs");
  assert.match(e.message, /\b300 ms\b/);
  assert.doesNotMatch(e.message.replace(/\b300 ms\b/g, ""), /\d+ ms/, "no other time in the message (the time that was left)");
  assert.match(e.clientRequestId, GUID);
});

test("listPools with timeoutMs: 300 over the same slow pages: the same TimeoutError", async () => {
  const e = await slowPages(1, 100, () => rejection(L.listPools(SECRET_TOKEN, { ...opts, timeoutMs: 300 })));
  assert.ok(e instanceof L.TimeoutError, `${e?.name}: ${e?.message}`);
  assert.equal(e.timeoutMs, 300);
  assert.match(e.message, /\b300 ms\b/);
});

test("from an operator's CSV to a pool: parseActivationCodesCsv, createPool, getPool, deletePool", async () => {
  const csv = "\uFEFFsmdp.operator.example,Contoso eSIM\r\n8901260000000000001,AB-1\r\n8901260000000000002,AB-2\r\n";
  const file = await L.parseActivationCodesCsv(csv);
  assert.equal(file.displayName, "Contoso eSIM");
  assert.equal(file.activationCodes.length, 2);
  const pool = await L.createPool({ displayName: file.displayName, activationCodes: file.activationCodes }, SECRET_TOKEN, opts);
  assert.equal(pool.activationCodeCount, 2);
  const sent = JSON.parse(em.requests.at(-1).body);
  assert.equal(sent["@odata.type"], "#microsoft.graph.embeddedSIMActivationCodePool");
  assert.deepEqual(sent.activationCodes, file.activationCodes);
  assert.equal((await L.getPool(pool.id, SECRET_TOKEN, opts)).displayName, "Contoso eSIM");
  assert.equal(await L.deletePool(pool.id, SECRET_TOKEN, opts), undefined);
  const gone = await rejection(L.getPool(pool.id, SECRET_TOKEN, opts));
  assert.ok(gone instanceof L.GraphError);
  assert.equal(gone.status, 404);
});

test("bad activation codes: every bad line or row is reported, nothing is sent", async () => {
  const e = await rejection(L.parseActivationCodesCsv("8901260000000000001,A,smdp.example.com\n\n12,A B,localhost\n8901260000000000001,B,smdp.example.com\n"));
  assert.ok(e instanceof L.ValidationError);
  assert.deepEqual([...new Set(e.issues.map((i) => i.path))], ["line 3", "line 4"]);
  const before = em.requests.length;
  const e2 = await rejection(L.createPool({ displayName: " ", activationCodes: [{ integratedCircuitCardIdentifier: "1", matchingIdentifier: "x", smdpPlusServerAddress: "a.io" }] }, SECRET_TOKEN, opts));
  assert.deepEqual(e2.issues.map((i) => i.path), ["pool.displayName", "pool.activationCodes[0].integratedCircuitCardIdentifier"]);
  assert.equal(em.requests.length, before);
  const e3 = await rejection(L.parseActivationCodesCsv(42));
  assert.deepEqual(e3.issues.map((i) => i.path), ["text"]);
});

test("listDeviceStates", async () => {
  const pool = em.addPool();
  const state = { id: "d1", deviceName: "LAPTOP-1", userName: "ada@contoso.com", state: "installed", stateDetails: "", universalIntegratedCircuitCardIdentifier: "8901260000000000001" };
  em.pools.get(pool).deviceStates.push(state);
  assert.deepEqual(await L.listDeviceStates(pool, SECRET_TOKEN, opts), [state]);
});

test("addAssignments adds without removing; removeAssignments removes only what it names", async () => {
  const pool = em.addPool();
  await L.assign(pool, [{ target: allDevices }], SECRET_TOKEN, opts);
  const added = await L.addAssignments(pool, [group(G1), group(G2)], SECRET_TOKEN, opts);
  assert.equal(added.before.length, 1);
  assert.deepEqual(added.added.map((t) => t.groupId), [G1, G2]);
  assert.deepEqual(added.after.map((a) => a.target["@odata.type"]).sort(), [
    "#microsoft.graph.allDevicesAssignmentTarget",
    "#microsoft.graph.groupAssignmentTarget",
    "#microsoft.graph.groupAssignmentTarget",
  ]);
  const again = await L.addAssignments(pool, [group(G1)], SECRET_TOKEN, opts);
  assert.deepEqual(again.added, []);
  assert.equal(again.after.length, 3);
  const removed = await L.removeAssignments(pool, [group(G1)], SECRET_TOKEN, opts);
  assert.deepEqual(removed.removed.map((a) => a.target.groupId), [G1]);
  assert.deepEqual(em.pools.get(pool).assignments.map((a) => a.target.groupId ?? "all").sort(), [G2, "all"].sort());
});

test("a concurrent write between write and read-back is a ConflictError carrying both sets", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "concurrentWrite", on: "assign", target: { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" } });
  const e = await rejection(L.addAssignments(pool, [group(G1)], SECRET_TOKEN, opts));
  assert.ok(e instanceof L.ConflictError);
  assert.equal(e.name, "ConflictError");
  assert.equal(e.written.length, 1);
  assert.equal(e.found.length, 2);
});

// addAssignments and removeAssignments: timeoutMs bounds the whole call (read, write, read
// back), not each of its requests.

const DELAY = 120; // each request alone: 120 ms; two: 240 ms; the three: 360 ms, past 300.

test("a single request as slow as each of the three fits in timeoutMs: 300 (the premise of the next two)", async () => {
  const pool = em.addPool();
  em.pools.get(pool).assignments.push({ id: "a", target: { ...allDevices } });
  em.fault(pool, { kind: "slow", delayMs: DELAY }, 1);
  const list = await L.listAssignments(pool, SECRET_TOKEN, { ...opts, timeoutMs: 300 });
  assert.equal(list.length, 1);
  const pool2 = em.addPool();
  em.fault(pool2, { kind: "slow", delayMs: DELAY }, 1);
  assert.equal((await L.assign(pool2, [{ target: allDevices }], SECRET_TOKEN, { ...opts, timeoutMs: 300 })).length, 1);
});

test("addAssignments with timeoutMs: 300, three requests of 120 ms each: a TimeoutError", async () => {
  const pool = em.addPool();
  em.pools.get(pool).assignments.push({ id: "a", target: { ...allDevices } });
  em.fault(pool, { kind: "slow", delayMs: DELAY }, 3);
  const e = await rejection(L.addAssignments(pool, [group(G1)], SECRET_TOKEN, { ...opts, timeoutMs: 300 }));
  assert.ok(e instanceof L.TimeoutError, `${e?.name}: ${e?.message}`);
  assert.equal(e.timeoutMs, 300);
  assert.match(e.message, /\b300 ms\b/);
});

test("removeAssignments with timeoutMs: 300, three requests of 120 ms each: a TimeoutError", async () => {
  const pool = em.addPool();
  em.pools.get(pool).assignments.push({ id: "a", target: { ...allDevices } }, { id: "g", target: { ...group(G1) } });
  em.fault(pool, { kind: "slow", delayMs: DELAY }, 3);
  const e = await rejection(L.removeAssignments(pool, [group(G1)], SECRET_TOKEN, { ...opts, timeoutMs: 300 }));
  assert.ok(e instanceof L.TimeoutError, `${e?.name}: ${e?.message}`);
  assert.equal(e.timeoutMs, 300);
  assert.match(e.message, /\b300 ms\b/);
});

test("assignment changes are checked before anything is read or written", async () => {
  const before = em.requests.length;
  const e = await rejection(L.addAssignments("nope", [{ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupID: G1 }], "", opts));
  assert.deepEqual(e.issues.map((i) => i.path), ["poolId", "targets[0].groupID", "targets[0].groupId", "token"]);
  assert.equal(em.requests.length, before);
});

const ZERO = "00000000-0000-0000-0000-000000000000";
const FILTER = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const fota = { "@odata.type": "#microsoft.graph.androidFotaDeploymentAssignmentTarget", groupId: G2, deviceAndAppManagementAssignmentFilterId: ZERO, deviceAndAppManagementAssignmentFilterType: "none" };
const later = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", deviceAndAppManagementAssignmentFilterId: ZERO, deviceAndAppManagementAssignmentFilterType: "none", somePropertyGraphAddsLater: { rings: [1, 2.5, null], note: "kept" } };

/** The assignments of the last `assign` the emulator received for `pool`, as sent. */
function lastAssignBody(graph, pool) {
  const r = graph.requests.filter((q) => q.poolId === pool && q.method === "POST" && q.path.endsWith("/assign")).at(-1);
  return JSON.parse(r.body).assignments;
}

test("kinds and properties this library does not know are written back exactly as Graph answered them", async (t) => {
  // A Graph that knows a target kind this library does not (an earlier beta had this one).
  const g = await startGraphEmulator({ token: SECRET_TOKEN, limits: false, extraTargetKinds: ["androidFotaDeploymentAssignmentTarget"],
    pools: [{ assignments: [{ id: "fota-1", target: fota }, { id: "later-1", target: later }] }] });
  t.after(() => g.close());
  const o = { baseUrl: g.baseUrl };
  const pool = g.poolIds[0];
  const current = await L.listAssignments(pool, SECRET_TOKEN, o);

  const added = await L.addAssignments(pool, [group(G1)], SECRET_TOKEN, o);
  const sent = lastAssignBody(g, pool.toLowerCase());
  assert.deepEqual(sent.slice(0, 2), current, "held assignments go back as Graph gave them");
  assert.deepEqual(sent[2], { target: group(G1) });
  assert.equal(added.after.length, 3);
  assert.deepEqual(added.after.slice(0, 2), current);

  const removed = await L.removeAssignments(pool, [allDevices], SECRET_TOKEN, o);
  assert.deepEqual(removed.removed, [current[1]]);
  assert.deepEqual(lastAssignBody(g, pool.toLowerCase())[0], current[0], "the unknown kind stays, untouched");
  assert.deepEqual(g.pools.get(pool.toLowerCase()).assignments.map((a) => a.target["@odata.type"]).sort(), [
    "#microsoft.graph.androidFotaDeploymentAssignmentTarget",
    "#microsoft.graph.groupAssignmentTarget",
  ]);
});

test("the zero filter id: Graph's answer pasted back is no filter, changes read back in either shape raise no false conflict", async (t) => {
  for (const targetShape of ["intune", "docs"]) {
    const g = await startGraphEmulator({ token: SECRET_TOKEN, limits: false, targetShape });
    t.after(() => g.close());
    const o = { baseUrl: g.baseUrl };
    const pool = g.addPool();
    const filtered = { ...group(G2), deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "include" };
    const answered = await L.assign(pool, [{ target: allDevices }, { target: filtered }], SECRET_TOKEN, o);
    if (targetShape === "intune") {
      assert.equal(answered[0].target.deviceAndAppManagementAssignmentFilterId, ZERO);
      assert.equal(answered[0].target.deviceAndAppManagementAssignmentFilterType, "none");
    } else {
      assert.ok(!("deviceAndAppManagementAssignmentFilterId" in answered[0].target));
    }
    // Graph's own answer, pasted back whole into assign, is a valid call.
    await L.assign(pool, answered, SECRET_TOKEN, o);
    const added = await L.addAssignments(pool, [group(G1)], SECRET_TOKEN, o);
    assert.equal(added.added.length, 1, targetShape);
    assert.equal(added.after.length, 3);
    const removed = await L.removeAssignments(pool, [group(G1), allDevices], SECRET_TOKEN, o);
    assert.equal(removed.removed.length, 2);
    assert.deepEqual(removed.after.map((a) => a.target.deviceAndAppManagementAssignmentFilterId), [FILTER], "the filter kept");
  }
  // From a caller, the zero id cannot be the filter that include or exclude applies.
  const e = await rejection(L.assign(G1, [{ target: { ...allDevices, deviceAndAppManagementAssignmentFilterId: ZERO, deviceAndAppManagementAssignmentFilterType: "include" } }], SECRET_TOKEN, opts));
  assert.ok(e instanceof L.ValidationError);
  assert.equal(e.issues[0].path, "assignments[0].target.deviceAndAppManagementAssignmentFilterId");
  assert.match(e.issues[0].message, /zero id.*real assignment filter/);
});

test("getPool reads the docs' example answer, which wraps the pool in value, as the pool", async () => {
  const docs = JSON.parse(readFileSync(new URL("../fixtures/graph-docs/embeddedsimactivationcodepool-get.response.json", import.meta.url), "utf8"));
  const fetch = async () => new Response(JSON.stringify(docs), { status: 200, headers: { "Content-Type": "application/json" } });
  assert.deepEqual(await L.getPool(docs.value.id, SECRET_TOKEN, { fetch }), docs.value);
  // The entity itself, as Graph sends it, is read as it is, a value property of its own included.
  const bare = { ...docs.value, value: { id: "not the pool" } };
  const fetchBare = async () => new Response(JSON.stringify(bare), { status: 200, headers: { "Content-Type": "application/json" } });
  assert.deepEqual(await L.getPool(docs.value.id, SECRET_TOKEN, { fetch: fetchBare }), bare);
});

tokenNeverLeaks();
