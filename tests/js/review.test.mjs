// Fixes from the last review, each as a test against the emulator:
// - iteratePools' TimeoutError reports the caller's own timeoutMs, not the time that was left
//   for the page it stopped in;
// - addAssignments/removeAssignments' timeoutMs bounds the whole call (read, write, read back),
//   not each of its requests;
// - a list whose @odata.nextLink points to another host rejects with a ResponseError that says
//   which answer it was (status, attempts, clientRequestId), and the other host hears nothing.
// The delays below are lower bounds the emulator adds to each answer, so that the sums compared
// hold on any machine: nothing here measures how long anything took.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg, emulator, rejection, tokenNeverLeaks, SECRET_TOKEN } from "./helpers.mjs";

const { TimeoutError, ResponseError } = pkg;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const G1 = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const group = (groupId) => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId });
const allDevices = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
const POOLS = "/beta/deviceManagement/embeddedSIMActivationCodePools";

let em;
let other;
let opts;
before(async () => {
  em = await emulator();
  // Another Graph-like host: what a hostile nextLink would point to.
  other = await emulator();
  opts = { baseUrl: em.baseUrl };
});
after(async () => {
  await em.close();
  await other.close();
});

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

// ---- a. iteratePools' TimeoutError carries the caller's timeoutMs.

test("iteratePools with timeoutMs: 300 over slow pages: a TimeoutError whose timeoutMs and message say 300", async () => {
  for (let i = 0; i < 10; i++) em.addPool(undefined, `Slow page pool ${i}`);
  // Pages of one pool, each answered no sooner than 100 ms after it is asked for: the walk of
  // eleven pages or more cannot end within 300 ms.
  const seen = [];
  const e = await slowPages(1, 100, () =>
    rejection(
      (async () => {
        for await (const p of pkg.iteratePools(SECRET_TOKEN, { ...opts, timeoutMs: 300 })) seen.push(p.id);
      })(),
    ),
  );
  assert.ok(e instanceof TimeoutError, `${e?.name}: ${e?.message}`);
  assert.ok(seen.length >= 1, "the deadline passed in a later page, not the first (the case the fix is about)");
  assert.ok(seen.length < em.pools.size, "the walk did not finish");
  assert.equal(e.timeoutMs, 300, "the caller's own timeoutMs");
  assert.match(e.message, /\b300 ms\b/);
  assert.doesNotMatch(e.message.replace(/\b300 ms\b/g, ""), /\d+ ms/, "no other time in the message (the time that was left)");
  assert.match(e.clientRequestId, GUID);
});

test("listPools with timeoutMs: 300 over the same slow pages: the same TimeoutError", async () => {
  const e = await slowPages(1, 100, () => rejection(pkg.listPools(SECRET_TOKEN, { ...opts, timeoutMs: 300 })));
  assert.ok(e instanceof TimeoutError, `${e?.name}: ${e?.message}`);
  assert.equal(e.timeoutMs, 300);
  assert.match(e.message, /\b300 ms\b/);
});

// ---- b. addAssignments/removeAssignments: one deadline for the three requests.

const DELAY = 120; // each request alone: 120 ms; two: 240 ms; the three: 360 ms, past 300.

test("a single request as slow as each of the three fits in timeoutMs: 300 (the premise of the next two)", async () => {
  const pool = em.addPool();
  em.pools.get(pool).assignments.push({ id: "a", target: { ...allDevices } });
  em.fault(pool, { kind: "slow", delayMs: DELAY }, 1);
  const list = await pkg.listAssignments(pool, SECRET_TOKEN, { ...opts, timeoutMs: 300 });
  assert.equal(list.length, 1);
  const pool2 = em.addPool();
  em.fault(pool2, { kind: "slow", delayMs: DELAY }, 1);
  assert.equal((await pkg.assign(pool2, [{ target: allDevices }], SECRET_TOKEN, { ...opts, timeoutMs: 300 })).length, 1);
});

test("addAssignments with timeoutMs: 300, three requests of 120 ms each: a TimeoutError", async () => {
  const pool = em.addPool();
  em.pools.get(pool).assignments.push({ id: "a", target: { ...allDevices } });
  em.fault(pool, { kind: "slow", delayMs: DELAY }, 3);
  const e = await rejection(pkg.addAssignments(pool, [group(G1)], SECRET_TOKEN, { ...opts, timeoutMs: 300 }));
  assert.ok(e instanceof TimeoutError, `${e?.name}: ${e?.message}`);
  assert.equal(e.timeoutMs, 300);
  assert.match(e.message, /\b300 ms\b/);
});

test("removeAssignments with timeoutMs: 300, three requests of 120 ms each: a TimeoutError", async () => {
  const pool = em.addPool();
  em.pools.get(pool).assignments.push({ id: "a", target: { ...allDevices } }, { id: "g", target: { ...group(G1) } });
  em.fault(pool, { kind: "slow", delayMs: DELAY }, 3);
  const e = await rejection(pkg.removeAssignments(pool, [group(G1)], SECRET_TOKEN, { ...opts, timeoutMs: 300 }));
  assert.ok(e instanceof TimeoutError, `${e?.name}: ${e?.message}`);
  assert.equal(e.timeoutMs, 300);
  assert.match(e.message, /\b300 ms\b/);
});

// ---- c. A nextLink to another host.

const otherHost = () => `${other.url.replace("127.0.0.1", "localhost")}${POOLS}?$skiptoken=1`;
const bare = (url) => url.replace("http://", "");
// Each link, made once the emulators run.
const hostileLinks = [
  ["another host", () => otherHost()],
  ["the same host on another port", () => `${other.url}${POOLS}?$skiptoken=1`],
  ["userinfo that makes the host another", () => `${em.url}@${bare(other.url)}${POOLS}`],
  ["a backslash that browsers read as a slash", () => `${em.url}\\@${bare(other.url)}${POOLS}`],
  ["a protocol-relative link", () => `//${bare(other.url)}${POOLS}`],
];

/** The checks of a ResponseError for a page Graph answered once, with 200. */
function assertRefusedPage(e, what) {
  assert.ok(e instanceof ResponseError, `${what}: ${e?.name}: ${e?.message}`);
  assert.match(e.message, /not followed/, what);
  assert.equal(e.status, 200, `${what}: status`);
  assert.equal(e.attempts, 1, `${what}: attempts`);
  assert.equal(typeof e.clientRequestId, "string", `${what}: clientRequestId`);
  assert.match(e.clientRequestId, GUID, what);
}

for (const [what, link] of hostileLinks) {
  test(`listPools: a first page whose nextLink is ${what}: a ResponseError with status, attempts and clientRequestId; nothing reaches it`, async () => {
    const href = link();
    const before = other.requests.length;
    em.fault("pools", { kind: "body", text: JSON.stringify({ value: [], "@odata.nextLink": href }) });
    const e = await rejection(pkg.listPools(SECRET_TOKEN, opts));
    assertRefusedPage(e, what);
    assert.equal(e.clientRequestId, em.requests.at(-1).headers["client-request-id"], "the id the request carried");
    assert.equal(other.requests.length, before, "the other host received no request");
  });
}

test("listPools: a later page whose nextLink is another host: the same, with the attempts of that page", async () => {
  em.setPageSize(1);
  em.addPool();
  em.addPool();
  const before = other.requests.length;
  let pages = 0;
  // Page 1 comes from the emulator as it is, with a nextLink to itself; page 2 points elsewhere.
  const relay = async (url, init) => {
    pages += 1;
    if (pages === 2) em.fault("pools", { kind: "body", text: JSON.stringify({ value: [], "@odata.nextLink": otherHost() }) });
    return fetch(url, init);
  };
  try {
    const e = await rejection(pkg.listPools(SECRET_TOKEN, { ...opts, fetch: relay }));
    assertRefusedPage(e, "page 2");
    assert.equal(pages, 2);
    const ids = em.requests.slice(-2).map((r) => r.headers["client-request-id"]);
    assert.deepEqual(ids, [e.clientRequestId, e.clientRequestId], "one call, one id");
  } finally {
    em.setPageSize(100);
  }
  assert.equal(other.requests.length, before, "the other host received no request");
});

test("iteratePools: a nextLink to another host: the same ResponseError", async () => {
  em.fault("pools", { kind: "body", text: JSON.stringify({ value: [{ id: "p1", displayName: "first" }], "@odata.nextLink": otherHost() }) });
  const before = other.requests.length;
  const seen = [];
  const e = await rejection(
    (async () => {
      for await (const p of pkg.iteratePools(SECRET_TOKEN, opts)) seen.push(p.id);
    })(),
  );
  assertRefusedPage(e, "iteratePools");
  assert.equal(other.requests.length, before, "the other host received no request");
});

test("listAssignments: a nextLink to another host: the same ResponseError", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "body", text: JSON.stringify({ value: [], "@odata.nextLink": otherHost() }) });
  const before = other.requests.length;
  assertRefusedPage(await rejection(pkg.listAssignments(pool, SECRET_TOKEN, opts)), "listAssignments");
  assert.equal(other.requests.length, before, "the other host received no request");
});

tokenNeverLeaks();
