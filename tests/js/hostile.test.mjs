// Broken and hostile answers: each gives a typed error (or, for unknown content, the data kept),
// never a crash, and the module stays usable for the next call. A nextLink to another host is
// one: it is refused, and that host hears nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg, emulator, rejection, tokenNeverLeaks, SECRET_TOKEN } from "./helpers.mjs";

const { assign, GraphError, ResponseError, NetworkError } = pkg;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POOLS = "/beta/deviceManagement/embeddedSIMActivationCodePools";
let em;
let other;
let opts;
before(async () => {
  em = await emulator();
  // Another Graph-like host: what a hostile nextLink would point to.
  other = await emulator();
  opts = { baseUrl: em.baseUrl, maxRetries: 0 };
});
after(async () => {
  await em.close();
  await other.close();
});

async function answerWith(fault) {
  const pool = em.addPool();
  em.fault(pool, fault);
  return assign(pool, [], SECRET_TOKEN, opts);
}

test("a body of several megabytes: fine when it is Graph's shape, a ResponseError when not", async () => {
  const padding = "x".repeat(5 * 1024 * 1024);
  const value = [{ id: "1", target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" }, padding }];
  const result = await answerWith({ kind: "body", text: JSON.stringify({ value }) });
  assert.equal(result[0].padding.length, padding.length);
  const e = await rejection(answerWith({ kind: "body", text: `{"value":[${padding}` }));
  assert.ok(e instanceof ResponseError);
  assert.ok(e.message.length < 300, "the message does not quote the body");
});

test("invalid UTF-8: not JSON is a ResponseError; inside a JSON string it is replaced, as fetch does", async () => {
  const e = await rejection(answerWith({ kind: "body", base64: Buffer.from([0xff, 0xfe, 0x7b, 0xc3, 0x28]).toString("base64") }));
  assert.ok(e instanceof ResponseError);
  const json = Buffer.concat([Buffer.from('{"value":[{"target":{},"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}]}')]);
  const [item] = await answerWith({ kind: "body", base64: json.toString("base64") });
  assert.match(item.name, /\uFFFD/);
});

test("truncated JSON, a JSON array, a JSON string, and null are ResponseErrors", async () => {
  for (const text of ['{"value":[{"target":{"@odata.type":"#micro', "[]", '"value"', "null", "{}", '{"value":"[]"}']) {
    const e = await rejection(answerWith({ kind: "body", text }));
    assert.ok(e instanceof ResponseError, text);
  }
});

test("an error body with innerError nested deep, and one with error fields of the wrong types", async () => {
  let inner = "{}";
  for (let i = 0; i < 2000; i++) inner = `{"innerError":${inner}}`;
  const e = await rejection(answerWith({ kind: "body", status: 500, text: `{"error":{"code":"Deep","message":"deep.","innerError":${inner}}}` }));
  assert.ok(e instanceof GraphError);
  assert.equal(e.code, "Deep");
  const e2 = await rejection(answerWith({ kind: "body", status: 400, text: '{"error":{"code":5,"message":["x"],"innerError":"text"}}' }));
  assert.ok(e2 instanceof GraphError);
  assert.equal(e2.code, null);
  assert.equal(e2.status, 400);
});

test("headers in odd casing are read", async () => {
  const e = await rejection(answerWith({ kind: "body", status: 503, text: "", headers: { "REQUEST-ID": "req-odd-case", "Client-Request-ID": "crid-odd", "RETRY-AFTER": "3" } }));
  assert.ok(e instanceof GraphError);
  assert.equal(e.requestId, "req-odd-case");
  assert.equal(e.clientRequestId, "crid-odd");
  assert.equal(e.retryAfterMs, 3000);
});

test("statuses outside 2xx with odd bodies: 418 JSON, 500 empty, 301 without a location", async () => {
  for (const [status, text] of [[418, '{"teapot":true}'], [500, ""], [301, "moved"]]) {
    const e = await rejection(answerWith({ kind: "body", status, text }));
    assert.ok(e instanceof GraphError, String(status));
    assert.equal(e.status, status);
  }
});

test("a dropped connection is a NetworkError", async () => {
  assert.ok((await rejection(answerWith({ kind: "drop" }))) instanceof NetworkError);
});

// A list whose @odata.nextLink points to another host rejects with a ResponseError that says
// which answer it was (status, attempts, clientRequestId), and the other host hears nothing.

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

// A page's own scripts may leave a setter on Object.prototype (a polyfill, frozen intrinsics):
// the errors the shell builds cannot then take that property, and the call still settles with
// its typed error, where a throw through the wasm would have crashed the process.
test("a throwing setter on Object.prototype: the call still rejects with its typed error", { timeout: 10_000 }, async () => {
  const names = ["attempts", "issues"];
  for (const name of names) {
    Object.defineProperty(Object.prototype, name, { configurable: true, set: () => { throw new Error(`no ${name}`); } });
  }
  try {
    assert.ok((await rejection(answerWith({ kind: "drop" }))) instanceof NetworkError);
    assert.equal((await rejection(assign("not a pool id", [], SECRET_TOKEN, opts))).name, "ValidationError");
  } finally {
    for (const name of names) delete Object.prototype[name];
  }
});

test("after all of that the module still answers", async () => {
  assert.deepEqual(await assign(em.addPool(), [], SECRET_TOKEN, opts), []);
});

tokenNeverLeaks();
