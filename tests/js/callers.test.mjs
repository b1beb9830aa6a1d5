// What a caller's own code hands back to the wasm (a token function's promise, a custom fetch's
// answer) is awaited and read without letting it throw through the wasm: an odd promise or
// answer ends the call with an error, and the instance goes on working.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg, emulator, rejection, tokenNeverLeaks, SECRET_TOKEN } from "./helpers.mjs";

const { assign, previewAssign, ValidationError } = pkg;
let em;
before(async () => {
  em = await emulator();
});
after(() => em.close());

// A native promise whose own `then` throws, and one whose `constructor` getter throws.
function throwingThen() {
  const p = Promise.resolve(SECRET_TOKEN);
  p.then = () => {
    throw new Error("then refused");
  };
  return p;
}
function throwingConstructor() {
  const p = Promise.resolve(SECRET_TOKEN);
  Object.defineProperty(p, "constructor", {
    get() {
      throw new Error("constructor refused");
    },
  });
  return p;
}

for (const [name, make] of [["an own then that throws", throwingThen], ["a constructor getter that throws", throwingConstructor]]) {
  for (const options of [{}, { timeoutMs: 5000 }]) {
    test(`a token function's promise with ${name} ends the call${options.timeoutMs ? " (with a deadline)" : ""}`, async () => {
      const pool = em.addPool();
      const e = await rejection(assign(pool, [], () => make(), { baseUrl: em.baseUrl, ...options }));
      assert.match(String(e?.message), /refused/);
      // And the next call works.
      assert.deepEqual(await assign(pool, [], SECRET_TOKEN, { baseUrl: em.baseUrl }), []);
    });
  }
}

test("a custom fetch whose answer's text() gives an odd promise ends the call", async () => {
  const fetch = async () => ({ status: 200, headers: { get: () => null }, text: () => throwingConstructor() });
  const e = await rejection(assign(em.addPool(), [], SECRET_TOKEN, { baseUrl: em.baseUrl, fetch }));
  assert.ok(e instanceof Error);
  assert.deepEqual(await assign(em.addPool(), [], SECRET_TOKEN, { baseUrl: em.baseUrl }), []);
});

test("a custom fetch's headers that answer anything but strings are not read", async () => {
  const body = '{"value":[]}';
  const headers = { get: (name) => (name === "content-type" ? { length: 3e8 } : 5) };
  const fetch = async () => ({ status: 200, headers, text: async () => body });
  assert.deepEqual(await assign(em.addPool(), [], SECRET_TOKEN, { baseUrl: em.baseUrl, fetch }), []);
});

test("an array behind a proxy whose length is NaN, negative or a fraction is refused, never read as []", async () => {
  const a = { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } };
  for (const length of [NaN, -1, 0.5, 2 ** 32]) {
    const list = new Proxy([a, a], { get: (t, k) => (k === "length" ? length : t[k]) });
    const e = await rejection(previewAssign(em.addPool(), list));
    assert.ok(e instanceof ValidationError, String(length));
    assert.deepEqual(e.issues.map((i) => i.path), ["assignments"], String(length));
  }
});

test("onRetry is told whole milliseconds, and that is what is waited", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 503 }, 1);
  const seen = [];
  await assign(pool, [], SECRET_TOKEN, { baseUrl: em.baseUrl, retryBaseDelayMs: 7, onRetry: (info) => seen.push(info.delayMs) });
  assert.equal(seen.length, 1);
  assert.ok(Number.isInteger(seen[0]), String(seen[0]));
});

test("a token whose then getter aborts the call's own signal ends the call with the signal's reason", async () => {
  const ac = new AbortController();
  const token = () => ({
    get then() {
      ac.abort();
      return () => {};
    },
  });
  const e = await rejection(assign(em.addPool(), [], token, { baseUrl: em.baseUrl, signal: ac.signal, timeoutMs: 2000 }));
  assert.equal(e?.name, "AbortError");
});

test("a token function that aborts and then rejects leaves no unhandled rejection", async () => {
  const unhandled = [];
  const seen = (reason) => unhandled.push(reason);
  process.on("unhandledRejection", seen);
  try {
    const ac = new AbortController();
    const token = () => {
      ac.abort();
      return Promise.reject(new Error("provider refused"));
    };
    const e = await rejection(assign(em.addPool(), [], token, { baseUrl: em.baseUrl, signal: ac.signal }));
    assert.equal(e?.name, "AbortError");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", seen);
  }
});

test("a credential whose getToken getter answers differently later is a ValidationError, not a TypeError", async () => {
  let reads = 0;
  const credential = {
    get getToken() {
      reads += 1;
      return reads === 1 ? undefined : async () => ({ token: SECRET_TOKEN });
    },
  };
  const e = await rejection(assign(em.addPool(), [], credential, { baseUrl: em.baseUrl }));
  assert.ok(e instanceof ValidationError, String(e));
  assert.deepEqual(e.issues.map((i) => i.path), ["token"]);
});

tokenNeverLeaks();
