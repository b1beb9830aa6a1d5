// Broken and hostile answers: each gives a typed error (or, for unknown content, the data kept),
// never a crash, and the module stays usable for the next call.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg, emulator, rejection, tokenNeverLeaks, SECRET_TOKEN } from "./helpers.mjs";

const { assign, GraphError, ResponseError, NetworkError } = pkg;
let em;
let opts;
before(async () => {
  em = await emulator();
  opts = { baseUrl: em.baseUrl, maxRetries: 0 };
});
after(() => em.close());

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

test("after all of that the module still answers", async () => {
  assert.deepEqual(await assign(em.addPool(), [], SECRET_TOKEN, opts), []);
});

tokenNeverLeaks();
