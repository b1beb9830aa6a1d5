// Many tenants: options.tenantId, the token provider told which tenant, and tenantsReport's
// checks. The tenants themselves (their own pools, tokens and limits) are served by the
// emulator's tenants (tests/js/tenants.test.mjs), and read across tenants further below.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg, rejection, startGraphEmulator, SECRET_TOKEN } from "./helpers.mjs";

const { listPools, poolReport, tenantsReport, ValidationError } = pkg;
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
let em;
before(async () => {
  em = await startGraphEmulator({ token: SECRET_TOKEN, pools: 2, limits: false });
});
after(() => em.close());

test("a token function is asked with { tenantId, scopes }: the tenant named, or undefined", async () => {
  const asked = [];
  const token = (request) => {
    asked.push(request);
    return SECRET_TOKEN;
  };
  await listPools(token, { baseUrl: em.baseUrl });
  await listPools(token, { baseUrl: em.baseUrl, tenantId: "Contoso.onMicrosoft.com" });
  const scopes = [`${new URL(em.baseUrl).origin}/.default`];
  assert.deepEqual(asked, [
    { tenantId: undefined, scopes },
    { tenantId: "contoso.onmicrosoft.com", scopes },
  ]);
});

test("a TokenCredential is asked getToken(scopes) with no tenant, and getToken(scopes, { tenantId }) with one", async () => {
  const asked = [];
  const credential = {
    async getToken(...args) {
      asked.push(args);
      return { token: SECRET_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  await listPools(credential, { baseUrl: em.baseUrl });
  await listPools(credential, { baseUrl: em.baseUrl, tenantId: TENANT });
  const scopes = [`${new URL(em.baseUrl).origin}/.default`];
  assert.deepEqual(asked, [[scopes], [scopes, { tenantId: TENANT }]]);
});

test("options.tenantId is a GUID or a verified domain", async () => {
  for (const bad of ["", "contoso", "not a tenant.com", 42, null]) {
    const e = await rejection(listPools(SECRET_TOKEN, { baseUrl: em.baseUrl, tenantId: bad }));
    assert.ok(e instanceof ValidationError, `${bad}`);
    assert.deepEqual(e.issues.map((i) => i.path), ["options.tenantId"], `${bad}`);
  }
});

test("tenantsReport refuses one token string, an empty list, a tenant twice and options.tenantId, before any request", async () => {
  const sent = em.requests.length;
  let e = await rejection(tenantsReport([TENANT], SECRET_TOKEN, { baseUrl: em.baseUrl }));
  assert.ok(e instanceof ValidationError);
  assert.deepEqual(e.issues.map((i) => i.path), ["token"]);
  assert.match(e.issues[0].message, /one token string cannot serve several tenants/);
  e = await rejection(tenantsReport([], () => SECRET_TOKEN, { baseUrl: em.baseUrl }));
  assert.deepEqual(e.issues.map((i) => i.path), ["tenantIds"]);
  e = await rejection(tenantsReport("contoso.onmicrosoft.com", () => SECRET_TOKEN, { baseUrl: em.baseUrl }));
  assert.deepEqual(e.issues.map((i) => [i.path, i.message]), [["tenantIds", "must be an array of tenant ids, got a string"]]);
  e = await rejection(tenantsReport(undefined, () => SECRET_TOKEN, { baseUrl: em.baseUrl }));
  assert.deepEqual(e.issues.map((i) => [i.path, i.message]), [["tenantIds", "must be an array of tenant ids, got undefined"]]);
  e = await rejection(tenantsReport([TENANT, TENANT.toUpperCase(), "x"], () => SECRET_TOKEN, { baseUrl: em.baseUrl, tenantId: TENANT }));
  assert.deepEqual(e.issues.map((i) => i.path), ["tenantIds[2]", "tenantIds[1]", "options.tenantId"]);
  assert.equal(em.requests.length, sent);
});

test("poolReport with a tenant named reads as before", async () => {
  const report = await poolReport(SECRET_TOKEN, { baseUrl: em.baseUrl, tenantId: TENANT });
  assert.equal(report.pools.length, em.poolIds.length);
});

/** An emulator of `n` tenants, each with `pools` example pools (the same display names in each). */
async function tenants(t, n, pools = 3, extra = {}) {
  const em = await startGraphEmulator({ tenants: Array.from({ length: n }, () => ({ pools })), limits: false, ...extra });
  t.after(() => em.close());
  const tokens = Object.fromEntries(em.tenants.map((x) => [x.tenantId, x.token]));
  return { em, tokens, token: ({ tenantId }) => tokens[tenantId] };
}

test("tenantsReport reads each tenant with its own token, one entry per tenant in order, nothing of one in another", async (t) => {
  const { em, token } = await tenants(t, 3);
  const ids = em.tenants.map((x) => x.tenantId);
  const names = em.tenants.map((x) => x.pools.get(x.poolIds[0]).displayName);
  assert.equal(new Set(names).size, 1, "the tenants' pools have the same display names");
  const progress = [];
  const answer = await tenantsReport([...ids].reverse(), token, { baseUrl: em.baseUrl, onProgress: (p) => progress.push(p) });
  assert.deepEqual(answer.tenants.map((x) => x.tenantId), [...ids].reverse());
  for (const entry of answer.tenants) {
    const own = em.tenants.find((x) => x.tenantId === entry.tenantId);
    assert.equal(entry.ok, true);
    assert.deepEqual(entry.report.pools.map((p) => p.pool.id).sort(), [...own.poolIds].sort());
    for (const row of entry.report.pools) {
      const pool = own.pools.get(row.pool.id);
      assert.deepEqual(row.assignments.map((a) => a.id), pool.assignments.map((a) => a.id));
      assert.equal(row.deviceStates.total, pool.deviceStates.length);
    }
  }
  // Every request went to the tenant whose token it carried.
  for (const x of em.tenants) assert.ok(x.requests.length > 0 && x.requests.every((r) => r.tenantId === x.tenantId));
  const last = progress.at(-1);
  assert.deepEqual([last.tenantsDone, last.tenants], [3, 3]);
  assert.ok(progress.every((p) => ids.includes(p.tenantId) && p.done <= p.total));
});

test("a tenant whose token function throws, and one Graph refuses, fail alone; the others are read", async (t) => {
  const { em, tokens } = await tenants(t, 4);
  const [noToken, refused, wrongToken, fine] = em.tenants.map((x) => x.tenantId);
  const consent = new Error("AADSTS65001: the customer has not consented");
  em.tenants[1].fault("pools", { kind: "status", status: 403 }, 10);
  const token = ({ tenantId }) => {
    if (tenantId === noToken) throw consent;
    if (tenantId === wrongToken) return "a-token-of-no-tenant";
    return tokens[tenantId];
  };
  const answer = await tenantsReport([noToken, refused, wrongToken, fine], token, { baseUrl: em.baseUrl });
  const [a, b, c, d] = answer.tenants;
  assert.equal(a.ok, false);
  assert.equal(a.error, consent, "the provider's own error, untouched");
  assert.equal(b.ok, false);
  assert.equal(b.error.status, 403);
  assert.equal(c.ok, false);
  assert.equal(c.error.status, 401);
  assert.equal(d.ok, true);
  assert.equal(d.report.pools.length, em.tenants[3].poolIds.length);
});

test("a tenant still throttled past its retries fails alone; onRetry's throw and timeoutMs stop the whole call", async (t) => {
  const { em, token } = await tenants(t, 3, 2);
  const ids = em.tenants.map((x) => x.tenantId);
  em.tenants[1].fault("pools", { kind: "status", status: 429, retryAfter: 0 }, 100);
  const answer = await tenantsReport(ids, token, { baseUrl: em.baseUrl, maxRetries: 1, retryBaseDelayMs: 1 });
  assert.deepEqual(answer.tenants.map((x) => x.ok), [true, false, true]);
  assert.equal(answer.tenants[1].error.status, 429);
  assert.equal(answer.tenants[1].error.attempts, 2);

  const stop = new Error("no retries today");
  const e = await rejection(tenantsReport(ids, token, { baseUrl: em.baseUrl, onRetry: () => { throw stop; } }));
  assert.equal(e, stop);

  const slow = { baseUrl: em.baseUrl, concurrency: 1, readLimit: { requests: 1, perMs: 500 }, timeoutMs: 700 };
  em.tenants[1].fault("pools", null);
  const late = await rejection(tenantsReport(ids, token, slow));
  assert.equal(late.name, "TimeoutError");
  assert.ok(Array.isArray(late.results) && late.results.length < 3);
});

test("an abort stops every tenant, and its reason holds the tenants done so far", async (t) => {
  const { em, token } = await tenants(t, 4, 6);
  const controller = new AbortController();
  const reason = new Error("stop");
  const e = await rejection(
    tenantsReport(em.tenants.map((x) => x.tenantId), token, {
      baseUrl: em.baseUrl,
      concurrency: 1,
      readLimit: { requests: 4, perMs: 200 },
      signal: controller.signal,
      onProgress: (p) => p.tenantsDone === 1 && controller.abort(reason),
    }),
  );
  assert.equal(e, reason);
  assert.ok(e.results.length >= 1 && e.results.length < 4, `${e.results.length} tenants`);
  assert.ok(e.results.every((x) => x.ok));
});

test("a call that names no tenant is paced by its token's tid: one tenant's spent pace does not hold another's", async (t) => {
  const { em } = await tenants(t, 2, 1);
  const [a, b] = em.tenants;
  // Three requests (the pools, then one batch of two reads) per ten minutes: the first report
  // spends tenant A's whole pace.
  const slow = { baseUrl: em.baseUrl, readLimit: { requests: 3, perMs: 600_000 } };
  assert.equal((await poolReport(a.token, slow)).pools.length, 1);
  // A again must wait for its window: it runs out of time.
  const e = await rejection(poolReport(a.token, { ...slow, timeoutMs: 1_500 }));
  assert.equal(e.name, "TimeoutError");
  // B's token names another tenant: its own pace, read at once.
  assert.equal((await poolReport(b.token, { ...slow, timeoutMs: 10_000 })).pools.length, 1);
  // A token with no tid in it is paced by its Graph host alone: its second report waits for the
  // first's window.
  const opaque = await startGraphEmulator({ tenants: [{ pools: 1, token: "opaque-token" }], limits: false });
  t.after(() => opaque.close());
  const hostOnly = { ...slow, baseUrl: opaque.baseUrl };
  assert.equal((await poolReport("opaque-token", hostOnly)).pools.length, 1);
  const again = await rejection(poolReport("opaque-token", { ...hostOnly, timeoutMs: 1_500 }));
  assert.equal(again.name, "TimeoutError");
});

test("a call aborted before it starts asks nothing of its token provider, even one that learns its tenant", async () => {
  let asked = 0;
  const token = () => {
    asked += 1;
    return SECRET_TOKEN;
  };
  const reason = new Error("not now");
  const signal = AbortSignal.abort(reason);
  for (const call of [() => poolReport(token, { baseUrl: em.baseUrl, signal }), () => tenantsReport([TENANT], token, { baseUrl: em.baseUrl, signal })]) {
    assert.equal(await rejection(call()), reason);
  }
  assert.equal(asked, 0);
});
