// Hostile JavaScript values at the package's boundary: revoked proxies and proxies whose every
// trap throws, throwing getters, cycles, bigints, symbols, functions, 100,000 bad items and
// 10,000-deep nesting, in every argument of the public exports. Each call rejects with the
// package's ValidationError, whose issues name the path of the bad value; nothing is sent; no
// other error escapes, nothing hangs; and the same instance still works afterwards.
//
// Values that could block the thread or kill the instance are tried in a child process
// (boundary.child.mjs), so that such a failure fails its test instead of the whole file. The
// per-test and per-child limits below are guards against a hang, not timings: a correct call
// settles in milliseconds.
import { test, before, beforeEach, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pkg, emulator, seenErrors, tokenNeverLeaks, SECRET_TOKEN } from "./helpers.mjs";

const { ValidationError, IntuneEsimError } = pkg;
const GT = "#microsoft.graph.groupAssignmentTarget";
const G1 = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const G2 = "11111111-2222-4333-8444-555555555555";
const allDevices = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
const HANG_GUARD = { timeout: 30_000 };

let em;
let opts;
let pool;
before(async () => {
  em = await emulator();
  opts = { baseUrl: em.baseUrl, maxRetries: 0 };
});
// Each test gets a pool with one assignment: a hostile value read as "no assignments" would
// wipe it, and one test's damage must not fail the next.
beforeEach(() => {
  pool = em.addPool();
  em.pools.get(pool).assignments.push({ id: "keep", target: { ...allDevices } });
});
after(() => em.close());

// ---- Hostile values. Each is made fresh for each use.

/** A proxy already revoked: every operation on it throws a TypeError. */
function revoked(target = {}) {
  const r = Proxy.revocable(target, {});
  r.revoke();
  return r.proxy;
}

/** A proxy whose every trap throws (the handler itself is a proxy that answers every trap). */
function throwing(target = {}) {
  const handler = new Proxy({}, { get: (_, trap) => () => { throw new Error(`trap ${String(trap)} refused`); } });
  return new Proxy(target, handler);
}

/** `obj` with an enumerable property `key` whose getter throws. */
function getterThrows(obj, key) {
  return Object.defineProperty(obj, key, { get() { throw new Error(`getter ${key} refused`); }, enumerable: true, configurable: true });
}

function nestedArrays(depth) {
  let v = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function nestedObjects(depth) {
  let v = {};
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

const group = (groupId) => ({ "@odata.type": GT, groupId });

// ---- The checks.

/**
 * Expects `call()` to reject with the package's ValidationError, whose issues all lie at `path`
 * (exactly, when `exact`) or under it, with at least one at `path`'s own value or below; and
 * that nothing was sent to Graph.
 */
async function rejectsAt(call, path, { exact = true } = {}) {
  const sent = em.requests.length;
  let e;
  try {
    const value = await call();
    const wrote = em.requests.slice(sent).map((r) => `${r.method} ${r.path.split("/").pop()} ${r.body.slice(0, 60)}`);
    assert.fail(`the call resolved with ${JSON.stringify(value)?.slice(0, 120)}; requests sent: ${JSON.stringify(wrote)}`);
  } catch (thrown) {
    if (thrown instanceof assert.AssertionError) throw thrown;
    e = thrown;
    seenErrors.push(e);
  }
  assert.ok(
    e instanceof ValidationError,
    `expected the package's ValidationError, got ${e?.constructor?.name}: ${e?.message ?? String(e)}`,
  );
  assert.ok(e instanceof IntuneEsimError, "a ValidationError is an IntuneEsimError");
  assert.ok(Array.isArray(e.issues) && e.issues.length > 0, "issues is a non-empty array");
  for (const issue of e.issues) {
    assert.equal(typeof issue.path, "string");
    assert.equal(typeof issue.message, "string");
  }
  const paths = e.issues.map((i) => i.path);
  if (exact) {
    assert.deepEqual([...new Set(paths)], [path]);
  } else {
    const under = (p) => p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`);
    assert.ok(paths.every(under), `every issue is at or under ${path}: ${JSON.stringify(paths)}`);
  }
  assert.equal(em.requests.length, sent, "nothing was sent");
  return e;
}

// The slots a hostile value can take, per export: each gives the call and the path it must be
// reported at. `bad` is the hostile value.
const slots = {
  "assign: as the assignments array": (bad) => [() => pkg.assign(pool, bad, SECRET_TOKEN, opts), "assignments"],
  "assign: as an assignment": (bad) => [() => pkg.assign(pool, [bad], SECRET_TOKEN, opts), "assignments[0]"],
  "assign: as a target": (bad) => [() => pkg.assign(pool, [{ target: bad }], SECRET_TOKEN, opts), "assignments[0].target"],
  "assign: as the options": (bad) => [() => pkg.assign(pool, [], SECRET_TOKEN, bad), "options"],
  "assign: as the token": (bad) => [() => pkg.assign(pool, [], bad, opts), "token"],
  "previewAssign: as the assignments array": (bad) => [() => pkg.previewAssign(pool, bad, opts), "assignments"],
  "previewAssign: as an assignment": (bad) => [() => pkg.previewAssign(pool, [bad], opts), "assignments[0]"],
  "previewAssign: as a target": (bad) => [() => pkg.previewAssign(pool, [{ target: bad }], opts), "assignments[0].target"],
  "previewAssign: as the options": (bad) => [() => pkg.previewAssign(pool, [], bad), "options"],
  "addAssignments: as the targets array": (bad) => [() => pkg.addAssignments(pool, bad, SECRET_TOKEN, opts), "targets"],
  "addAssignments: as a target": (bad) => [() => pkg.addAssignments(pool, [bad], SECRET_TOKEN, opts), "targets[0]"],
  "addAssignments: as the options": (bad) => [() => pkg.addAssignments(pool, [group(G1)], SECRET_TOKEN, bad), "options"],
  "addAssignments: as the token": (bad) => [() => pkg.addAssignments(pool, [group(G1)], bad, opts), "token"],
  "listPools: as the options": (bad) => [() => pkg.listPools(SECRET_TOKEN, bad), "options"],
  "listPools: as the token": (bad) => [() => pkg.listPools(bad, opts), "token"],
  "createPool: as the pool": (bad) => [() => pkg.createPool(bad, SECRET_TOKEN, opts), "pool"],
  "createPool: as the activation codes": (bad) => [
    () => pkg.createPool({ displayName: "Hostile", activationCodes: bad }, SECRET_TOKEN, opts),
    "pool.activationCodes",
  ],
  "createPool: as the options": (bad) => [() => pkg.createPool({ displayName: "Hostile", activationCodes: [] }, SECRET_TOKEN, bad), "options"],
  "createPool: as the token": (bad) => [() => pkg.createPool({ displayName: "Hostile", activationCodes: [] }, bad, opts), "token"],
  "assignMany: as the pool ids": (bad) => [() => pkg.assignMany(bad, [], SECRET_TOKEN, opts), "poolIds"],
  "assignMany: as the assignments array": (bad) => [() => pkg.assignMany([pool], bad, SECRET_TOKEN, opts), "assignments"],
  "assignMany: as an assignment": (bad) => [() => pkg.assignMany([pool], [bad], SECRET_TOKEN, opts), "assignments[0]"],
  "assignMany: as a target": (bad) => [() => pkg.assignMany([pool], [{ target: bad }], SECRET_TOKEN, opts), "assignments[0].target"],
  "assignMany: as the options": (bad) => [() => pkg.assignMany([pool], [], SECRET_TOKEN, bad), "options"],
  "assignMany: as the token": (bad) => [() => pkg.assignMany([pool], [], bad, opts), "token"],
  "parseActivationCodesCsv: as the text": (bad) => [() => pkg.parseActivationCodesCsv(bad), "text"],
};

// Where an array is expected, the proxies wrap an array (Array.isArray sees through a proxy);
// elsewhere an object.
const wantsArray = (slot) => /array|pool ids|activation codes/.test(slot);
const hostile = {
  "a revoked proxy": (slot) => revoked(wantsArray(slot) ? [] : {}),
  "a proxy whose every trap throws": (slot) => throwing(wantsArray(slot) ? [] : {}),
  "a proxy whose every trap throws, of an object where an array belongs": (slot) => (wantsArray(slot) ? throwing({}) : undefined),
  "a symbol": () => Symbol("hostile"),
  "a bigint": () => 1n,
};

for (const [kind, make] of Object.entries(hostile)) {
  for (const [slot, place] of Object.entries(slots)) {
    if (make(slot) === undefined) continue;
    const [fn, where] = slot.split(": ");
    const [, path] = place(null);
    test(`${fn}: ${kind} ${where} is a ValidationError at ${path}`, HANG_GUARD, async () => {
      const [call] = place(make(slot));
      await rejectsAt(call, path);
      assert.deepEqual(em.pools.get(pool).assignments.map((a) => a.id), ["keep"], "the pool's assignments are untouched");
    });
  }
}

// ---- Throwing getters.

// Every export that takes options, with the options given (the token and the rest valid).
const withOptions = {
  assign: (o) => pkg.assign(pool, [], SECRET_TOKEN, o),
  previewAssign: (o) => pkg.previewAssign(pool, [], o),
  addAssignments: (o) => pkg.addAssignments(pool, [group(G1)], SECRET_TOKEN, o),
  listPools: (o) => pkg.listPools(SECRET_TOKEN, o),
  createPool: (o) => pkg.createPool({ displayName: "x", activationCodes: [] }, SECRET_TOKEN, o),
  assignMany: (o) => pkg.assignMany([pool], [], SECRET_TOKEN, o),
};

for (const [name, call] of Object.entries(withOptions)) {
  for (const key of ["fetch", "timeoutMs", "signal", "onRetry"]) {
    test(`${name}: a throwing getter on options.${key} is a ValidationError at options.${key}`, HANG_GUARD, async () => {
      await rejectsAt(() => call(getterThrows({ ...opts }, key)), `options.${key}`);
    });
  }
  test(`${name}: options.timeoutMs = 5n is a ValidationError at options.timeoutMs`, HANG_GUARD, async () => {
    await rejectsAt(() => call({ ...opts, timeoutMs: 5n }), "options.timeoutMs");
  });
  test(`${name}: an options object with a cycle is a ValidationError at the property that holds it`, HANG_GUARD, async () => {
    const o = { ...opts };
    o.me = o;
    await rejectsAt(() => call(o), "options.me");
  });
}

const withTarget = {
  assign: (t) => [() => pkg.assign(pool, [{ target: t }], SECRET_TOKEN, opts), "assignments[0].target"],
  previewAssign: (t) => [() => pkg.previewAssign(pool, [{ target: t }], opts), "assignments[0].target"],
  assignMany: (t) => [() => pkg.assignMany([pool], [{ target: t }], SECRET_TOKEN, opts), "assignments[0].target"],
  addAssignments: (t) => [() => pkg.addAssignments(pool, [t], SECRET_TOKEN, opts), "targets[0]"],
};

for (const [name, place] of Object.entries(withTarget)) {
  const cases = [
    ["a throwing getter on a target's groupId", () => getterThrows({ "@odata.type": GT }, "groupId"), ".groupId"],
    ["groupId = 1n", () => group(1n), ".groupId"],
    ["a symbol as a groupId", () => group(Symbol("g")), ".groupId"],
    ["a function as a groupId", () => group(() => G1), ".groupId"],
    ["a target that contains itself", () => Object.assign(group(G1), { self: null }), ".self", (t) => (t.self = t)],
    ["a groupId that is 10,000-deep nested objects", () => group(nestedObjects(10_000)), ".groupId"],
  ];
  for (const [what, make, suffix, tie] of cases) {
    test(`${name}: ${what} is a ValidationError at ${place({})[1]}${suffix}`, HANG_GUARD, async () => {
      const t = make();
      tie?.(t);
      const [call, path] = place(t);
      await rejectsAt(call, `${path}${suffix}`);
    });
  }
}

test("throwing getters on an assignment's target, a pool's displayName and a second item", HANG_GUARD, async () => {
  await rejectsAt(() => pkg.assign(pool, [getterThrows({}, "target")], SECRET_TOKEN, opts), "assignments[0].target");
  await rejectsAt(() => pkg.createPool(getterThrows({ activationCodes: [] }, "displayName"), SECRET_TOKEN, opts), "pool.displayName");
  const list = [{ target: { ...allDevices } }];
  getterThrows(list, "1");
  await rejectsAt(() => pkg.assign(pool, list, SECRET_TOKEN, opts), "assignments[1]");
});

// ---- Cycles (one way round; two ways round are tried in a child process, below).

test("an assignment whose target contains the assignment: a ValidationError at the groupId", HANG_GUARD, async () => {
  const a = { target: { "@odata.type": GT } };
  a.target.groupId = a;
  await rejectsAt(() => pkg.assign(pool, [a], SECRET_TOKEN, opts), "assignments[0].target.groupId");
  await rejectsAt(() => pkg.previewAssign(pool, [a], opts), "assignments[0].target.groupId");
  await rejectsAt(() => pkg.assignMany([pool], [a], SECRET_TOKEN, opts), "assignments[0].target.groupId");
});

test("an assignments array that contains itself: a ValidationError at the item", HANG_GUARD, async () => {
  const list = [];
  list.push(list);
  await rejectsAt(() => pkg.assign(pool, list, SECRET_TOKEN, opts), "assignments[0]");
});

test("an options.fetch holding the options: a ValidationError at options.fetch", HANG_GUARD, async () => {
  const o = { ...opts, fetch: {} };
  o.fetch.again = o;
  await rejectsAt(() => pkg.assign(pool, [], SECRET_TOKEN, o), "options.fetch");
});

// ---- Bigints, symbols, functions.

test("bigints in list and bulk options: top = 5n, concurrency = 2n", HANG_GUARD, async () => {
  await rejectsAt(() => pkg.listPools(SECRET_TOKEN, { ...opts, top: 5n }), "options.top");
  await rejectsAt(() => pkg.assignMany([pool], [], SECRET_TOKEN, { ...opts, concurrency: 2n }), "options.concurrency");
});

test("assignMany: a writeLimit of bigints is a ValidationError at options.writeLimit", HANG_GUARD, async () => {
  await rejectsAt(() => pkg.assignMany([pool], [], SECRET_TOKEN, { ...opts, writeLimit: { writes: 5n, perMs: 1000n } }), "options.writeLimit");
});

test("symbols: as an id, an option, a filter, a property key", HANG_GUARD, async () => {
  await rejectsAt(() => pkg.assign(pool, [{ id: Symbol("i"), target: group(G1) }], SECRET_TOKEN, opts), "assignments[0].id");
  await rejectsAt(() => pkg.assign(pool, [], SECRET_TOKEN, { ...opts, timeoutMs: Symbol("t") }), "options.timeoutMs");
  await rejectsAt(() => pkg.listPools(SECRET_TOKEN, { ...opts, filter: Symbol("f") }), "options.filter");
  // A symbol-keyed property is not data: it is ignored, and the rest is checked as usual.
  await rejectsAt(() => pkg.assign(pool, [{ target: { ...group("nope"), [Symbol("k")]: 1 } }], SECRET_TOKEN, opts), "assignments[0].target.groupId");
});

test("functions inside assignments: as the assignment, its id, its target, an extra property", HANG_GUARD, async () => {
  await rejectsAt(() => pkg.assign(pool, [() => {}], SECRET_TOKEN, opts), "assignments[0]");
  await rejectsAt(() => pkg.assign(pool, [{ id: () => "x", target: group(G1) }], SECRET_TOKEN, opts), "assignments[0].id");
  await rejectsAt(() => pkg.assign(pool, [{ target: () => allDevices }], SECRET_TOKEN, opts), "assignments[0].target");
  await rejectsAt(() => pkg.assign(pool, [{ target: { ...allDevices, toJSON: () => ({}) } }], SECRET_TOKEN, opts), "assignments[0].target.toJSON");
  await rejectsAt(() => pkg.createPool({ displayName: "x", activationCodes: [() => {}] }, SECRET_TOKEN, opts), "pool.activationCodes[0]");
  await rejectsAt(() => pkg.parseActivationCodesCsv(() => "8901260000000000001,A,smdp.example.com"), "text");
});

// ---- Size and depth.

test("100,000 invalid assignments: one issue each, at its own index", HANG_GUARD, async () => {
  const items = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? 7 : { target: group(`bad-${i}`) }));
  const e = await rejectsAt(() => pkg.assign(pool, items, SECRET_TOKEN, opts), "assignments", { exact: false });
  assert.equal(e.issues.length, 100_000);
  assert.equal(e.issues[0].path, "assignments[0].target.groupId");
  assert.equal(e.issues[1].path, "assignments[1]");
  assert.equal(e.issues[99_999].path, "assignments[99999]");
  assert.equal(e.issues[99_998].path, "assignments[99998].target.groupId");
  const e2 = await rejectsAt(() => pkg.previewAssign(pool, items, opts), "assignments", { exact: false });
  assert.equal(e2.issues.length, 100_000);
  const e3 = await rejectsAt(() => pkg.assignMany([pool], items, SECRET_TOKEN, opts), "assignments", { exact: false });
  assert.equal(e3.issues.length, 100_000);
  const e4 = await rejectsAt(() => pkg.addAssignments(pool, items.map(() => 7), SECRET_TOKEN, opts), "targets", { exact: false });
  assert.equal(e4.issues.length, 100_000);
  assert.equal(e4.issues[99_999].path, "targets[99999]");
});

test("10,000-deep nested arrays and objects, as the assignments, an assignment and a target", HANG_GUARD, async () => {
  await rejectsAt(() => pkg.assign(pool, nestedArrays(10_000), SECRET_TOKEN, opts), "assignments[0]");
  await rejectsAt(() => pkg.previewAssign(pool, nestedArrays(10_000), opts), "assignments[0]");
  await rejectsAt(() => pkg.assignMany([pool], nestedArrays(10_000), SECRET_TOKEN, opts), "assignments[0]");
  await rejectsAt(() => pkg.assign(pool, nestedObjects(10_000), SECRET_TOKEN, opts), "assignments");
  await rejectsAt(() => pkg.assign(pool, [nestedObjects(10_000)], SECRET_TOKEN, opts), "assignments[0]", { exact: false });
  await rejectsAt(() => pkg.assign(pool, [{ target: nestedArrays(10_000) }], SECRET_TOKEN, opts), "assignments[0].target");
  await rejectsAt(() => pkg.assign(pool, [{ target: nestedObjects(10_000) }], SECRET_TOKEN, opts), "assignments[0].target", { exact: false });
  await rejectsAt(() => pkg.assign(pool, [{ target: group(nestedObjects(10_000)) }], SECRET_TOKEN, opts), "assignments[0].target.groupId");
  await rejectsAt(() => pkg.addAssignments(pool, [nestedArrays(10_000)], SECRET_TOKEN, opts), "targets[0]");
  await rejectsAt(() => pkg.assign(pool, [], SECRET_TOKEN, { ...opts, fetch: nestedObjects(10_000) }), "options.fetch");
  await rejectsAt(() => pkg.createPool(nestedObjects(10_000), SECRET_TOKEN, opts), "pool", { exact: false });
  // Deep, and behind a proxy too: the careful walk has the same bound.
  await rejectsAt(() => pkg.assign(pool, [{ target: new Proxy(nestedObjects(10_000), {}) }], SECRET_TOKEN, opts), "assignments[0].target", { exact: false });
  await rejectsAt(() => pkg.assign(pool, new Proxy(nestedArrays(10_000), {}), SECRET_TOKEN, opts), "assignments[0]");
});

// ---- What could block the thread or kill the instance: each in a child process.

const child = fileURLToPath(new URL("./boundary.child.mjs", import.meta.url));
// A hang guard, not a timing: the slowest case reads a value up to MAX_VALUES, which takes about
// 5 s on a loaded 2-core machine and more when it is busier; a real hang never ends.
const CHILD_GUARD_MS = 60_000;
// One child at a time: a child that walks forever also allocates (tens of MB a second).
let queue = Promise.resolve();
/** Runs case `which` in a child process: `{ error, stdout, stderr, result }`. */
function inChild(which) {
  const run = queue.then(
    () =>
      new Promise((resolve) => {
        const options = { timeout: CHILD_GUARD_MS, killSignal: "SIGKILL" };
        execFile(process.execPath, [child, which, em.baseUrl], options, (error, stdout, stderr) => {
          const line = stdout.trim().split("\n").at(-1);
          resolve({ error, stdout, stderr, result: line ? JSON.parse(line) : null });
        });
      }),
  );
  queue = run;
  return run;
}
const unsettled = ({ error, stderr, result }) =>
  `the call never settled, or the process died (${error?.killed ? `killed after ${CHILD_GUARD_MS / 1000} s` : `exit ${error?.code}`}${result?.outcome === "unsettled" ? ", its promise still pending" : ""}): ${JSON.stringify(result?.uncaught ?? [])} ${stderr.slice(-600)}`;

const childCases = [
  ["target-cycle-twice", "a target that holds itself twice", "assignments[0].target"],
  ["options-cycle-twice", "an options object that holds itself twice", "options"],
  ["array-cycle-twice", "an array that holds itself twice, as a groupId", "assignments[0].target.groupId"],
  ["shared-objects-dag", "40 levels of shared objects (no cycle, 2^40 paths), as a groupId", "assignments[0].target.groupId"],
  ["preview-shared-arrays", "40 levels of shared arrays, as previewAssign's assignments", "assignments"],
  ["proxy-huge-length", "a proxy of an array claiming 2^32 - 1 items", "assignments"],
];

for (const [which, what, path] of childCases) {
  test(`${what}: a ValidationError under ${path}, and the instance still works`, async () => {
    const run = await inChild(which);
    const { stdout, stderr, result } = run;
    assert.ok(!`${stdout}${stderr}`.includes("SECRET-payload"), "the token leaked");
    assert.ok(result && result.outcome !== "unsettled", unsettled(run));
    assert.deepEqual(result.uncaught, [], "nothing was thrown outside the call");
    assert.equal(result.outcome, "rejected", `the call resolved: ${result.value}`);
    assert.ok(result.validation && result.base, `not a ValidationError: ${result.name}: ${result.message}`);
    const under = (p) => p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`);
    assert.ok(result.paths.length > 0 && result.paths.every(under), JSON.stringify(result.paths));
    assert.equal(result.after, "ok", "a normal call right after");
  });
}

test("an options.signal getter that gives an AbortSignal, then a signal whose `aborted` throws: the call settles, nothing escapes", async () => {
  const run = await inChild("signal-getter-changes");
  const { result } = run;
  assert.ok(result && result.outcome !== "unsettled", unsettled(run));
  assert.deepEqual(result.uncaught, [], "nothing was thrown outside the call");
  // Read once and used as read: the call goes on with the AbortSignal (to a closed port here).
  assert.equal(result.outcome, "rejected");
  assert.ok(result.base, `not one of the package's errors: ${result.name}: ${result.message}`);
  assert.equal(result.after, "ok", "a normal call right after");
});

// ---- And after all of it, the same instance works.

test("after all of it, normal calls against the emulator still work", async () => {
  const target = group(G1);
  const fresh = em.addPool();
  const result = await pkg.assign(fresh, [{ target }], SECRET_TOKEN, opts);
  assert.equal(result[0].target.groupId, G1);
  const preview = await pkg.previewAssign(fresh, [{ target }], opts);
  assert.equal(JSON.parse(preview.body).assignments[0].target.groupId, G1);
  const change = await pkg.addAssignments(fresh, [group(G2)], SECRET_TOKEN, opts);
  assert.deepEqual(change.added.map((t) => t.groupId), [G2]);
  const pools = await pkg.listPools(SECRET_TOKEN, opts);
  assert.ok(pools.some((p) => p.id === fresh));
  const file = await pkg.parseActivationCodesCsv("8901260000000000001,AB-1,smdp.operator.example\n");
  const created = await pkg.createPool({ displayName: "After hostile", activationCodes: file.activationCodes }, SECRET_TOKEN, opts);
  assert.equal(created.activationCodeCount, 1);
  const many = await pkg.assignMany([fresh, pool], [{ target: allDevices }], SECRET_TOKEN, opts);
  assert.deepEqual(many.map((r) => r.ok), [true, true]);
  const e = await rejectsAt(() => pkg.assign("nope", [], SECRET_TOKEN, opts), "poolId");
  assert.match(e.message, /poolId/);
});

tokenNeverLeaks();
