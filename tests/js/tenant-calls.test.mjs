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
  e = await rejection(tenantsReport([TENANT, TENANT.toUpperCase(), "x"], () => SECRET_TOKEN, { baseUrl: em.baseUrl, tenantId: TENANT }));
  assert.deepEqual(e.issues.map((i) => i.path), ["tenantIds[2]", "tenantIds[1]", "options.tenantId"]);
  assert.equal(em.requests.length, sent);
});

test("poolReport with a tenant named reads as before", async () => {
  const report = await poolReport(SECRET_TOKEN, { baseUrl: em.baseUrl, tenantId: TENANT });
  assert.equal(report.pools.length, em.poolIds.length);
});
