// The wasm shell (src/wasm/) with a `fetch` given in the options: JavaScript
// values of every wrong type, hostile objects, token providers, cancellation, retries. The other
// files test the same calls over real HTTP against the emulator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pkg, rejection, tokenNeverLeaks, seedRequest, seedResponse, SECRET_TOKEN } from "./helpers.mjs";

const { assign, ValidationError, GraphError, ResponseError, NetworkError, TimeoutError } = pkg;
const POOL = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";

/** A fetch that records its calls and answers each with the next of `answers` ([status, body]). */
function recordingFetch(...answers) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    const [status, body] = answers.length > 1 ? answers.shift() : answers[0];
    return new Response(body, { status, headers: { "content-type": "application/json", "request-id": "r-1" } });
  };
  return { fetch, calls };
}
// Pretty-printed, as some proxies and Graph's own samples are: newlines between tokens are JSON too.
const seed = () => recordingFetch([200, JSON.stringify(seedResponse, null, 2)]);
const paths = (e) => e.issues.map((i) => i.path);

test("the seed example goes out as the seed body and comes back as Graph sent it", async () => {
  const { fetch, calls } = seed();
  const value = await assign(POOL, seedRequest.assignments, `Bearer ${SECRET_TOKEN}`, { fetch });
  assert.deepEqual(value, seedResponse.value);
  const [{ url, init }] = calls;
  assert.equal(url, `https://graph.microsoft.com/beta/deviceManagement/embeddedSIMActivationCodePools/${POOL}/assign`);
  assert.equal(init.method, "POST");
  assert.equal(init.headers.Authorization, `Bearer ${SECRET_TOKEN}`);
  assert.equal(init.headers["Content-Type"], "application/json");
  assert.match(init.headers["client-request-id"], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const expected = structuredClone(seedRequest);
  expected.assignments[0].target["@odata.type"] = "#microsoft.graph.deviceAndAppManagementAssignmentTarget";
  assert.deepEqual(JSON.parse(init.body), expected);
});

test("wrong JavaScript types are a ValidationError with every path, not a trap", async () => {
  const cases = [
    [[5, null, 7, "x"], ["poolId", "assignments", "token", "options"]],
    [[undefined, undefined, undefined, undefined], ["poolId", "assignments", "token"]],
    [[POOL, [Symbol("x"), 10n, () => 1], "t", null], ["assignments[0]", "assignments[1]", "assignments[2]"]],
    [[POOL, [{ target: "group" }], "t", null], ["assignments[0].target"]],
    [[new String(POOL), [], "t", null], ["poolId"]],
    [[POOL, [], { getToken: 1 }, null], ["token"]],
    [[POOL, [], "t", { signal: {}, fetch: 1 }], ["options.signal", "options.fetch"]],
    [[POOL, [], "t", { timeoutMs: NaN, maxRetries: Infinity }], ["options.timeoutMs", "options.maxRetries"]],
    // A string is a string, whatever it holds: a bad token, and no fetch.
    [[POOL, [], "\0function", { fetch: "\0function" }], ["token", "options.fetch"]],
  ];
  for (const [args, expected] of cases) {
    const e = await rejection(assign(...args));
    assert.ok(e instanceof ValidationError, e);
    assert.deepEqual(paths(e), expected, e.message);
  }
  const e = await rejection(assign(POOL, [], "t", { fetch: 1 }));
  assert.match(e.message, /options\.fetch: must be a fetch function, got a number/);
  const f = await rejection(assign(POOL, [], () => 1, { fetch: () => 1, signal: "x" }));
  assert.match(f.message, /options\.signal: must be an AbortSignal, got a string/);
});

test("hostile objects (throwing getters, proxies, cycles) do not break the module", async () => {
  const boom = () => {
    throw new Error("boom");
  };
  const p = new Proxy({}, { get: boom, ownKeys: boom, has: boom, getOwnPropertyDescriptor: boom });
  const r = Proxy.revocable({}, {});
  r.revoke();
  const cycle = { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } };
  cycle.self = cycle;
  const hostile = [{ get target() { throw new Error("getter"); } }, p, { target: p }, { target: r.proxy }, cycle];
  const e = await rejection(assign(POOL, hostile, "t"));
  assert.ok(e instanceof ValidationError);
  assert.deepEqual(paths(e), ["assignments[0].target", "assignments[1]", "assignments[2].target", "assignments[3].target", "assignments[4].self"]);
  const { fetch } = seed();
  assert.equal((await assign(POOL, [], "t", { fetch })).length, 1, "the module still works");
});

test("an aborted signal rejects with its reason and sends nothing", async () => {
  const { fetch, calls } = seed();
  const c = new AbortController();
  c.abort(new Error("stop it"));
  const e = await rejection(assign(POOL, [], "t", { fetch, signal: c.signal }));
  assert.equal(e.message, "stop it");
  assert.equal(calls.length, 0);
});

test("a fetch or a token provider that never answers is cut off by the deadline", async () => {
  const never = () => new Promise(() => {});
  let e = await rejection(assign(POOL, [], "t", { fetch: never, timeoutMs: 30 }));
  assert.ok(e instanceof TimeoutError);
  assert.equal(e.timeoutMs, 30);
  assert.match(e.clientRequestId, /^[0-9a-f-]{36}$/);
  e = await rejection(assign(POOL, [], never, { fetch: seed().fetch, timeoutMs: 30 }));
  assert.ok(e instanceof TimeoutError);
});

test("token functions and credentials are asked for the token", async () => {
  // MSAL's AuthenticationResult, as `() => msal.acquireTokenSilent(request)` returns it.
  let { fetch, calls } = seed();
  await assign(POOL, [], async () => ({ accessToken: SECRET_TOKEN }), { fetch });
  assert.equal(calls[0].init.headers.Authorization, `Bearer ${SECRET_TOKEN}`);
  // A TokenCredential is asked for the scope of the base URL's cloud.
  let scopes;
  const credential = { getToken: async (s) => ((scopes = s), { token: "from-credential", expiresOnTimestamp: 0 }) };
  ({ fetch, calls } = seed());
  await assign(POOL, [], credential, { fetch, baseUrl: "https://graph.microsoft.us/beta" });
  assert.deepEqual(scopes, ["https://graph.microsoft.us/.default"]);
  assert.equal(calls[0].init.headers.Authorization, "Bearer from-credential");
});

test("a provider's error passes through; a bad token from a provider is a ValidationError", async () => {
  const thrown = Object.assign(new Error("interaction_required"), { name: "InteractionRequiredAuthError" });
  let e = await rejection(assign(POOL, [], () => Promise.reject(thrown)));
  assert.equal(e, thrown);
  const { fetch, calls } = seed();
  e = await rejection(assign(POOL, [], () => "has a space", { fetch }));
  assert.deepEqual(paths(e), ["token"]);
  assert.ok(!e.message.includes("has a space"));
  assert.equal(calls.length, 0);
  e = await rejection(assign(POOL, [], { getToken: async () => null }));
  assert.deepEqual(paths(e), ["token"]);
  assert.match(e.message, /getToken\(\) gave null, not a token string/);
});

test("a failing fetch is a NetworkError with its cause", async () => {
  const e = await rejection(assign(POOL, [], "t", { fetch: () => Promise.reject(new TypeError("Failed to fetch")) }));
  assert.ok(e instanceof NetworkError);
  assert.equal(e.cause.message, "Failed to fetch");
  assert.match(e.message, /^Could not reach https:\/\/graph\.microsoft\.com/);
  assert.equal(e.attempts, 1);
});

test("Graph's errors and bad shapes are typed", async () => {
  const forbidden = JSON.stringify({ error: { code: "Forbidden", message: "Nope.", innerError: { "request-id": "r-9" } } });
  let e = await rejection(assign(POOL, [], "t", { fetch: recordingFetch([403, forbidden]).fetch }));
  assert.ok(e instanceof GraphError);
  assert.equal(e.status, 403);
  assert.equal(e.code, "Forbidden");
  assert.equal(e.requestId, "r-9");
  assert.deepEqual(e.body, JSON.parse(forbidden));
  e = await rejection(assign(POOL, [], "t", { fetch: recordingFetch([200, '{"value":[{"id":"x"}]}']).fetch }));
  assert.ok(e instanceof ResponseError);
  assert.equal(e.message, "Graph's answer: value[0] has no target");
});

test("throttled answers are retried as one call", async () => {
  const { fetch, calls } = recordingFetch([429, ""], [503, ""], [200, JSON.stringify(seedResponse)]);
  const retries = [];
  const value = await assign(POOL, [], "t", { fetch, onRetry: (i) => retries.push(i), retryBaseDelayMs: 1, retryMaxDelayMs: 5 });
  assert.equal(value.length, 1);
  assert.deepEqual(calls.map((c) => c.init.headers["Retry-Attempt"] ?? null), [null, "1", "2"]);
  assert.equal(new Set(calls.map((c) => c.init.headers["client-request-id"])).size, 1);
  assert.deepEqual(retries.map((r) => [r.attempt, r.status]), [[1, 429], [2, 503]]);
});

tokenNeverLeaks();
