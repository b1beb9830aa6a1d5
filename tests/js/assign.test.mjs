// `assign` from the packed package, in Node ESM, against the local Graph emulator over real HTTP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg, emulator, rejection, tokenNeverLeaks, seedRequest, seedResponse, SECRET_TOKEN, EXAMPLE_POOL_ID } from "./helpers.mjs";

const { assign, ValidationError, GraphError, NetworkError, TimeoutError, ResponseError } = pkg;
const GROUP = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const GROUP2 = "11111111-2222-4333-8444-555555555555";
const FILTER = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let em;
let opts;
before(async () => {
  em = await emulator();
  opts = { baseUrl: em.baseUrl };
});
after(() => em.close());

const requestsFor = (poolId) => em.requests.filter((r) => r.poolId === poolId.toLowerCase());
const group = (groupId, extra = {}) => ({ target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId, ...extra } });
const allDevices = { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } };

test("the seed's example request is assigned and the seed's response comes back", async () => {
  const pool = em.addPool();
  const result = await assign(pool, seedRequest.assignments, SECRET_TOKEN, opts);
  const [sent] = requestsFor(pool);
  assert.equal(sent.method, "POST");
  assert.equal(sent.path, `/beta/deviceManagement/embeddedSIMActivationCodePools/${pool}/assign`);
  assert.equal(sent.tokenMatched, true);
  assert.equal(sent.headers.accept, "application/json");
  assert.equal(sent.headers["content-type"], "application/json");
  assert.match(sent.headers["client-request-id"], GUID);
  const expected = structuredClone(seedRequest);
  expected.assignments[0].target["@odata.type"] = "#microsoft.graph.deviceAndAppManagementAssignmentTarget";
  assert.deepEqual(JSON.parse(sent.body), expected);
  // The emulator answers as Graph does: the seed's assignment, with the defaults Graph fills in.
  assert.equal(result.length, 1);
  assert.equal(result[0].id, seedResponse.value[0].id);
  assert.equal(result[0]["@odata.type"], seedResponse.value[0]["@odata.type"]);
  assert.equal(result[0].target.deviceAndAppManagementAssignmentFilterType, "none");
});

test("the seed's exact response body is returned as the typed array", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "body", status: 200, text: JSON.stringify(seedResponse) });
  const result = await assign(pool, seedRequest.assignments, SECRET_TOKEN, opts);
  assert.deepEqual(result, seedResponse.value);
});

test("groups, all devices and filters are sent in Graph's shape and replace the pool's set", async () => {
  const pool = em.addPool();
  await assign(pool, [group(GROUP2)], SECRET_TOKEN, opts);
  const result = await assign(
    pool,
    [group(GROUP, { deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "include" }), allDevices],
    `Bearer ${SECRET_TOKEN}`,
    opts,
  );
  assert.deepEqual(result.map((a) => a.target["@odata.type"]), ["#microsoft.graph.groupAssignmentTarget", "#microsoft.graph.allDevicesAssignmentTarget"]);
  assert.equal(result[0].target.groupId, GROUP);
  assert.equal(result[0].target.deviceAndAppManagementAssignmentFilterId, FILTER);
  assert.equal(result[0].target.deviceAndAppManagementAssignmentFilterType, "include");
  // assign replaces: the earlier group is gone.
  assert.deepEqual(em.pools.get(pool).assignments.map((a) => a.target.groupId ?? null), [GROUP, null]);
});

test("an empty list removes every assignment of the pool", async () => {
  const pool = em.addPool();
  await assign(pool, [allDevices], SECRET_TOKEN, opts);
  assert.deepEqual(await assign(pool, [], SECRET_TOKEN, opts), []);
  assert.deepEqual(em.pools.get(pool).assignments, []);
  assert.equal(JSON.parse(requestsFor(pool)[1].body).assignments.length, 0);
});

test("every target kind, with or without '#', goes out in '#microsoft.graph.' form", async () => {
  const pool = em.addPool();
  const kinds = ["allDevicesAssignmentTarget", "allLicensedUsersAssignmentTarget", "groupAssignmentTarget", "exclusionGroupAssignmentTarget", "configurationManagerCollectionAssignmentTarget"];
  const ids = { groupAssignmentTarget: { groupId: GROUP }, exclusionGroupAssignmentTarget: { groupId: GROUP2 }, configurationManagerCollectionAssignmentTarget: { collectionId: "SMS00001" } };
  const list = kinds.map((k, i) => ({ target: { "@odata.type": `${i % 2 ? "#" : ""}microsoft.graph.${k}`, ...ids[k] } }));
  await assign(pool, list, SECRET_TOKEN, opts);
  const sent = JSON.parse(requestsFor(pool)[0].body).assignments.map((a) => a.target["@odata.type"]);
  assert.deepEqual(sent, kinds.map((k) => `#microsoft.graph.${k}`));
});

test("clientRequestId is sent when given, and a fresh GUID per call otherwise", async () => {
  const pool = em.addPool();
  await assign(pool, [], SECRET_TOKEN, { ...opts, clientRequestId: GROUP });
  await assign(pool, [], SECRET_TOKEN, opts);
  await assign(pool, [], SECRET_TOKEN, opts);
  const ids = requestsFor(pool).map((r) => r.headers["client-request-id"]);
  assert.equal(ids[0], GROUP);
  assert.notEqual(ids[1], ids[2]);
});

test("token providers: a function, an async function, MSAL's result and a TokenCredential", async () => {
  const pool = em.addPool();
  await assign(pool, [], () => SECRET_TOKEN, opts);
  await assign(pool, [], async () => `Bearer ${SECRET_TOKEN}`, opts);
  await assign(pool, [], async () => ({ accessToken: SECRET_TOKEN, account: {} }), opts);
  const scopes = [];
  const credential = { getToken: async (s) => (scopes.push(s), { token: SECRET_TOKEN, expiresOnTimestamp: Date.now() + 3600e3 }) };
  await assign(pool, [], credential, opts);
  assert.deepEqual(scopes, [[`${em.url}/.default`]]);
  assert.ok(requestsFor(pool).every((r) => r.tokenMatched));
});

test("validation: every problem at once, as a ValidationError, and nothing is sent", async () => {
  const pool = em.addPool();
  const before = em.requests.length;
  const e = await rejection(
    assign(
      "not-a-guid",
      [
        { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupID: GROUP } },
        { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", deviceAndAppManagementAssignmentFilterType: "include" } },
        group(GROUP2),
        { target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP2 } },
        { target: { "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget" } },
        "a string",
      ],
      "token with spaces",
      { baseUrl: "http://graph.microsoft.com/beta", timeoutMS: 10 },
    ),
  );
  assert.ok(e instanceof ValidationError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, "ValidationError");
  assert.deepEqual(e.issues.map((i) => i.path), [
    "poolId",
    "assignments[0].target.groupID",
    "assignments[0].target.groupId",
    "assignments[1].target.deviceAndAppManagementAssignmentFilterId",
    "assignments[4].target.collectionId",
    "assignments[5]",
    "assignments[3].target",
    "token",
    "options.timeoutMS",
    "options.baseUrl",
  ]);
  assert.equal(e.issues[1].message, "is not a known property; did you mean groupId?");
  assert.match(e.issues[6].message, /both included and excluded/);
  assert.match(e.message, /^10 problems with the input: poolId: /);
  assert.equal(em.requests.length, before, "no request was sent");
  assert.equal(requestsFor(pool).length, 0);
});

test("validation: wrong JavaScript types anywhere", async () => {
  const cases = [
    [[123, [], SECRET_TOKEN], ["poolId"]],
    [[EXAMPLE_POOL_ID, null, SECRET_TOKEN], ["assignments"]],
    [[EXAMPLE_POOL_ID, [{ target: "group" }], SECRET_TOKEN], ["assignments[0].target"]],
    [[EXAMPLE_POOL_ID, [null, 1, [], () => {}], SECRET_TOKEN], ["assignments[0]", "assignments[1]", "assignments[2]", "assignments[3]"]],
    [[EXAMPLE_POOL_ID, [], 42], ["token"]],
    [[EXAMPLE_POOL_ID, [], ""], ["token"]],
    [[EXAMPLE_POOL_ID, [], SECRET_TOKEN, "https://graph.microsoft.com"], ["options"]],
    [[EXAMPLE_POOL_ID, [], SECRET_TOKEN, { baseUrl: "https://graph.microsoft.com/beta?x=1" }], ["options.baseUrl"]],
    [[EXAMPLE_POOL_ID, [], SECRET_TOKEN, { signal: "abort" }], ["options.signal"]],
    [[EXAMPLE_POOL_ID, [], SECRET_TOKEN, { timeoutMs: 0 }], ["options.timeoutMs"]],
    [[`${EXAMPLE_POOL_ID}/../x`, [], SECRET_TOKEN], ["poolId"]],
  ];
  for (const [args, paths] of cases) {
    const e = await rejection(assign(...args));
    assert.ok(e instanceof ValidationError, String(args));
    assert.deepEqual(e.issues.map((i) => i.path), paths, String(args));
  }
});

test("a token function's bad answer is a ValidationError on token; its own error passes through", async () => {
  const e = await rejection(assign(EXAMPLE_POOL_ID, [], async () => 42, opts));
  assert.ok(e instanceof ValidationError);
  assert.deepEqual(e.issues.map((i) => i.path), ["token"]);
  class InteractionRequiredAuthError extends Error {}
  const own = new InteractionRequiredAuthError("login needed");
  assert.equal(await rejection(assign(EXAMPLE_POOL_ID, [], () => Promise.reject(own), opts)), own);
});

const graphErrorCases = [
  ["401 for a token Graph refuses", null, 401, "InvalidAuthenticationToken", /401 Unauthorized: Access token validation failure.*token was refused/],
  ["403", { kind: "status", status: 403, message: "Application is not authorized to perform this operation." }, 403, "Forbidden", /403 Forbidden: Application is not authorized.*DeviceManagementConfiguration.ReadWrite.All/],
  ["400 with Graph's error JSON", { kind: "status", status: 400, message: "Invalid filter clause." }, 400, "BadRequest", /400 Bad Request: Invalid filter clause \(code BadRequest\)/],
  ["429 with Retry-After", { kind: "status", status: 429, retryAfter: 7 }, 429, "TooManyRequests", /429 Too Many Requests.*throttling/],
  ["429 without Retry-After", { kind: "status", status: 429 }, 429, "TooManyRequests", /429/],
];

for (const [name, fault, status, code, message] of graphErrorCases) {
  test(`GraphError: ${name}`, async () => {
    const pool = em.addPool();
    if (fault) em.fault(pool, fault);
    const token = fault ? SECRET_TOKEN : "a-token-for-another-audience";
    // Retries are off here: tests/js/retry.test.mjs covers them.
    const e = await rejection(assign(pool, [allDevices], token, { ...opts, maxRetries: 0 }));
    assert.ok(e instanceof GraphError);
    assert.equal(e.name, "GraphError");
    assert.equal(e.status, status);
    assert.equal(e.code, code);
    assert.match(e.message, message);
    assert.match(e.requestId, GUID);
    assert.equal(e.clientRequestId, requestsFor(pool)[0].headers["client-request-id"]);
    assert.match(e.date, /^\d{4}-\d\d-\d\dT/);
    assert.equal(e.body.error.code, code);
    assert.equal(e.attempts, 1);
    if (fault?.retryAfter) assert.equal(e.retryAfterMs, fault.retryAfter * 1000);
  });
}

test("GraphError: 404 for a pool that does not exist", async () => {
  const e = await rejection(assign("00000000-0000-4000-8000-000000000000", [], SECRET_TOKEN, opts));
  assert.ok(e instanceof GraphError);
  assert.equal(e.status, 404);
  assert.equal(e.code, "ResourceNotFound");
  assert.match(e.message, /No activation code pool has this id/);
});

test("GraphError: a 500 HTML page from a gateway", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "html", status: 500 });
  const e = await rejection(assign(pool, [], SECRET_TOKEN, opts));
  assert.ok(e instanceof GraphError);
  assert.equal(e.status, 500);
  assert.equal(e.code, null);
  assert.match(e.message, /500 Internal Server Error with a text\/html body/);
  assert.match(e.body, /^<html>/);
  assert.match(e.requestId, GUID, "taken from the request-id header");
});

test("ResponseError: malformed JSON, wrong shapes, empty bodies", async () => {
  const cases = [
    [{ kind: "body", text: '{"value":[' }, /not JSON/],
    [{ kind: "body", text: "<html>ok</html>", contentType: "text/html" }, /not JSON \(text\/html\)/],
    [{ kind: "body", text: "" }, /empty body/],
    [{ kind: "body", status: 204, text: "", contentType: null }, /204 with an empty body/],
    [{ kind: "body", text: '{"values":[]}' }, /no value array/],
    [{ kind: "body", text: '{"value":{"id":"1"}}' }, /value that is an object, not an array/],
    [{ kind: "body", text: '{"value":[{"id":"1"}]}' }, /value\[0\] has no target/],
    [{ kind: "body", text: '{"value":[{"target":"all"}]}' }, /value\[0\] has a target that is a string/],
  ];
  for (const [fault, message] of cases) {
    const pool = em.addPool();
    em.fault(pool, fault);
    const e = await rejection(assign(pool, [], SECRET_TOKEN, opts));
    assert.ok(e instanceof ResponseError, JSON.stringify(fault));
    assert.equal(e.name, "ResponseError");
    assert.match(e.message, message);
    assert.equal(e.status, fault.status ?? 200);
  }
});

test("unknown properties and target kinds in an answer are kept", async () => {
  const pool = em.addPool();
  const value = [{ id: "1", futureProperty: { a: [1, 2] }, target: { "@odata.type": "#microsoft.graph.someFutureTarget", newId: "x" } }];
  em.fault(pool, { kind: "body", text: JSON.stringify({ value, "@odata.context": "x" }) });
  assert.deepEqual(await assign(pool, [], SECRET_TOKEN, opts), value);
});

test("TimeoutError when the answer is slower than timeoutMs", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "hang" });
  const e = await rejection(assign(pool, [], SECRET_TOKEN, { ...opts, timeoutMs: 100 }));
  assert.ok(e instanceof TimeoutError);
  assert.equal(e.name, "TimeoutError");
  assert.equal(e.timeoutMs, 100);
  assert.match(e.message, /No answer within 100 ms/);
});

test("a slow answer within timeoutMs succeeds", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "slow", delayMs: 50 });
  assert.deepEqual(await assign(pool, [], SECRET_TOKEN, { ...opts, timeoutMs: 5000 }), []);
});

test("aborting the signal mid-call rejects with its reason", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "hang" });
  const controller = new AbortController();
  const reason = new Error("the admin pressed cancel");
  setTimeout(() => controller.abort(reason), 50);
  assert.equal(await rejection(assign(pool, [], SECRET_TOKEN, { ...opts, signal: controller.signal })), reason);
  // Without a reason, the rejection is the signal's own AbortError, as fetch gives.
  const c2 = new AbortController();
  c2.abort();
  const e = await rejection(assign(pool, [], SECRET_TOKEN, { ...opts, signal: c2.signal }));
  assert.equal(e.name, "AbortError");
});

test("NetworkError when nothing listens, with fetch's error as cause", async () => {
  const closed = await emulator();
  const baseUrl = closed.baseUrl;
  await closed.close();
  const e = await rejection(assign(EXAMPLE_POOL_ID, [], SECRET_TOKEN, { baseUrl }));
  assert.ok(e instanceof NetworkError);
  assert.equal(e.name, "NetworkError");
  assert.ok(e.cause instanceof TypeError);
  assert.match(e.message, /Could not reach http:\/\/127\.0\.0\.1:\d+ \(fetch failed: ECONNREFUSED\)/);
  assert.match(e.clientRequestId, GUID);
});

test("NetworkError when the server drops the connection", async () => {
  const pool = em.addPool();
  em.fault(pool, { kind: "drop" });
  assert.ok((await rejection(assign(pool, [], SECRET_TOKEN, opts))) instanceof NetworkError);
});

test("a fetch passed in the options is used instead of the global one", async () => {
  const pool = em.addPool();
  const seen = [];
  const myFetch = (url, init) => (seen.push(url), fetch(url, init));
  await assign(pool, [], SECRET_TOKEN, { ...opts, fetch: myFetch });
  assert.equal(seen.length, 1);
});

test("the module keeps working after every kind of failure", async () => {
  assert.deepEqual(await assign(em.addPool(), [], SECRET_TOKEN, opts), []);
});

tokenNeverLeaks();
