// Retries, deadlines and abort, in Node against the emulator: 429/503/504 are retried as one
// logical call; nothing else is; waits end at once on abort; a deadline is never overrun.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg, emulator, rejection, tokenNeverLeaks, SECRET_TOKEN } from "./helpers.mjs";

const { assign, GraphError, TimeoutError, ValidationError } = pkg;
const allDevices = [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }];
let em;
let opts;
before(async () => {
  em = await emulator();
  // Small delays keep the tests quick; the policy is the same at any scale.
  opts = { baseUrl: em.baseUrl, retryBaseDelayMs: 5, retryMaxDelayMs: 50 };
});
after(() => em.close());
const sent = (pool) => em.requests.filter((r) => r.poolId === pool.toLowerCase());

test("429 twice, then success: one logical call, same client-request-id, Retry-Attempt counted", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 429 }, 2);
  const seen = [];
  const result = await assign(pool, allDevices, SECRET_TOKEN, { ...opts, onRetry: (info) => seen.push(info) });
  assert.equal(result.length, 1);
  const requests = sent(pool);
  assert.equal(requests.length, 3);
  const ids = new Set(requests.map((r) => r.headers["client-request-id"]));
  assert.equal(ids.size, 1);
  assert.deepEqual(requests.map((r) => r.headers["retry-attempt"]), [undefined, "1", "2"]);
  assert.deepEqual(seen.map(({ attempt, status }) => [attempt, status]), [[1, 429], [2, 429]]);
  for (const info of seen) {
    assert.equal(info.clientRequestId, [...ids][0]);
    assert.ok(info.delayMs >= 5 && info.delayMs <= 50, `delay ${info.delayMs}`);
  }
});

test("503 and 504 are retried too", async () => {
  for (const status of [503, 504]) {
    const pool = em.addPool();
    em.fault(pool, { kind: "status", status }, 1);
    await assign(pool, allDevices, SECRET_TOKEN, opts);
    assert.equal(sent(pool).length, 2, String(status));
  }
});

test("other errors are never retried", async () => {
  for (const fault of [{ kind: "status", status: 400 }, { kind: "status", status: 403 }, { kind: "status", status: 404 }, { kind: "html", status: 500 }, { kind: "html", status: 502 }]) {
    const pool = em.addPool();
    em.fault(pool, fault, 5);
    const e = await rejection(assign(pool, allDevices, SECRET_TOKEN, opts));
    assert.ok(e instanceof GraphError);
    assert.equal(e.attempts, 1);
    assert.equal(sent(pool).length, 1, JSON.stringify(fault));
  }
});

test("Retry-After wins: seconds, and an HTTP date", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 429, retryAfter: 1 }, 1);
  const seen = [];
  await assign(pool, allDevices, SECRET_TOKEN, { ...opts, retryMaxDelayMs: 5000, onRetry: (i) => seen.push(i.delayMs) });
  assert.deepEqual(seen, [1000]);

  const pool2 = em.addPool();
  em.fault(pool2, { kind: "status", status: 429, retryAfter: new Date(Date.now() - 60_000).toUTCString() }, 1);
  const seen2 = [];
  await assign(pool2, allDevices, SECRET_TOKEN, { ...opts, onRetry: (i) => seen2.push(i.delayMs) });
  assert.deepEqual(seen2, [0], "a date in the past means now");
});

test("a negative or garbage Retry-After falls back to backoff; a huge one gives up at once", async () => {
  for (const retryAfter of ["-5", "soon", "1.5"]) {
    const pool = em.addPool();
    em.fault(pool, { kind: "status", status: 429, retryAfter }, 1);
    const seen = [];
    await assign(pool, allDevices, SECRET_TOKEN, { ...opts, onRetry: (i) => seen.push(i.delayMs) });
    assert.equal(seen.length, 1);
    assert.ok(seen[0] >= 5 && seen[0] <= 50, `${retryAfter}: ${seen[0]}`);
  }
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 429, retryAfter: 86400 }, 1);
  const e = await rejection(assign(pool, allDevices, SECRET_TOKEN, opts));
  assert.ok(e instanceof GraphError);
  assert.equal(e.status, 429);
  assert.equal(e.retryAfterMs, 86_400_000);
  assert.equal(e.attempts, 1);
});

test("when retries run out, the last GraphError is thrown with the attempts made", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 429, retryAfter: 0 }, 10);
  const e = await rejection(assign(pool, allDevices, SECRET_TOKEN, { ...opts, maxRetries: 2 }));
  assert.ok(e instanceof GraphError);
  assert.equal(e.status, 429);
  assert.equal(e.attempts, 3);
  assert.equal(e.retryAfterMs, 0);
  assert.equal(sent(pool).length, 3);
});

test("maxRetries: 0 disables retrying", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 503 }, 1);
  const e = await rejection(assign(pool, allDevices, SECRET_TOKEN, { ...opts, maxRetries: 0 }));
  assert.equal(e.status, 503);
  assert.equal(e.retryAfterMs, undefined);
  assert.equal(sent(pool).length, 1);
});

test("a retry whose wait would end past the deadline is not made: TimeoutError at once", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 429, retryAfter: 30 }, 1);
  const started = Date.now();
  const e = await rejection(assign(pool, allDevices, SECRET_TOKEN, { ...opts, retryMaxDelayMs: 60_000, timeoutMs: 2000 }));
  assert.ok(e instanceof TimeoutError);
  assert.equal(e.timeoutMs, 2000);
  assert.ok(e.cause instanceof GraphError, "the last answer is the cause");
  assert.equal(e.cause.status, 429);
  assert.equal(sent(pool).length, 1);
  assert.ok(Date.now() - started < 2000, "not later than the deadline");
});

test("the deadline covers the waits: 503 after 503 ends in TimeoutError, not in endless requests", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 503 }, 100);
  const e = await rejection(assign(pool, allDevices, SECRET_TOKEN, { ...opts, maxRetries: 10, retryBaseDelayMs: 40, retryMaxDelayMs: 80, timeoutMs: 150 }));
  assert.ok(e instanceof TimeoutError);
  assert.ok(sent(pool).length <= 4, `${sent(pool).length} requests in 150 ms with waits of 40 ms or more`);
});

test("abort during a wait between retries ends the call at once, and sends nothing more", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 429 }, 5);
  const controller = new AbortController();
  const reason = new Error("cancelled by the admin");
  const e = rejection(
    assign(pool, allDevices, SECRET_TOKEN, {
      ...opts,
      retryBaseDelayMs: 60_000,
      retryMaxDelayMs: 120_000,
      onRetry: () => setTimeout(() => controller.abort(reason), 20),
      signal: controller.signal,
    }),
  );
  assert.equal(await e, reason);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(sent(pool).length, 1);
});

test("an onRetry that throws stops the call with its own error", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 429 }, 3);
  const mine = new Error("stop retrying");
  assert.equal(await rejection(assign(pool, allDevices, SECRET_TOKEN, { ...opts, onRetry: () => { throw mine; } })), mine);
  assert.equal(sent(pool).length, 1);
});

test("retry options are validated", async () => {
  const bad = [
    [{ maxRetries: 11 }, "options.maxRetries"],
    [{ maxRetries: -1 }, "options.maxRetries"],
    [{ maxRetries: 1.5 }, "options.maxRetries"],
    [{ maxRetries: "3" }, "options.maxRetries"],
    [{ retryBaseDelayMs: 0 }, "options.retryBaseDelayMs"],
    [{ retryBaseDelayMs: 10, retryMaxDelayMs: 5 }, "options.retryMaxDelayMs"],
    [{ retryMaxDelayMs: 3e9 }, "options.retryMaxDelayMs"],
    [{ timeoutMs: 1e10 }, "options.timeoutMs"],
    [{ onRetry: "log" }, "options.onRetry"],
    [{ onretry: () => {} }, "options.onretry"],
  ];
  for (const [options, path] of bad) {
    const e = await rejection(assign(em.addPool(), [], SECRET_TOKEN, { baseUrl: em.baseUrl, ...options }));
    assert.ok(e instanceof ValidationError, JSON.stringify(options));
    assert.deepEqual(e.issues.map((i) => i.path), [path], JSON.stringify(options));
  }
});

tokenNeverLeaks();
