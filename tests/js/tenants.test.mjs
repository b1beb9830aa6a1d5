// The emulator serving several tenants, as a user of the packed package gets it, checked with
// plain fetch: each token reaches its own tenant and no other's pools, the emulator's own tokens
// name their tenant, Intune's limits per app per tenant and per tenant across apps, the request
// log's tenant, the per-tenant handles, /_emulator/ by tenant, the CommonJS bundle and the CLI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  startGraphEmulator,
  examplePoolId,
  exampleTenantId,
  EXAMPLE_POOL_ID,
  EXAMPLE_TENANT_ID,
  EXAMPLE_APP_ID,
  INTUNE_LIMITS,
  INTUNE_TENANT_LIMITS,
  TEST_TOKEN,
} from "../.packed/emulator.mjs";

const require = createRequire(fileURLToPath(new URL("../.packed/package.json", import.meta.url)));
const packageDir = dirname(require.resolve("intune-esim/package.json"));
const FACTS = JSON.parse(readFileSync(join(packageDir, "facts.json"), "utf8"));

const POOLS = "/deviceManagement/embeddedSIMActivationCodePools";
const CONTOSO = "11111111-aaaa-4aaa-8aaa-111111111111";
const FABRIKAM = "22222222-bbbb-4bbb-8bbb-222222222222";
const APP_A = "a0000000-0000-4000-8000-00000000000a";
const APP_B = "b0000000-0000-4000-8000-00000000000b";
const allDevices = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
const json = { "Content-Type": "application/json" };

async function started(t, options) {
  const em = await startGraphEmulator(options);
  t.after(() => em.close());
  return em;
}

/** A request to the emulator with `token`. */
function call(em, token, method, path, body) {
  return fetch(`${em.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? json : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const listed = async (em, token) => (await (await call(em, token, "GET", POOLS)).json()).value;

/** A JWT's header and payload, as a client reads them (no signature check). */
function decode(token) {
  const [header, payload, signature] = token.split(".");
  const part = (p) => JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  return { header: part(header), payload: part(payload), signature };
}

// Two tenants whose pools have the same names, as two customers' often do.
const twoTenants = () => ({
  tenants: [
    { tenantId: CONTOSO, pools: [{ displayName: "Kiosks", deviceStates: 2 }, { displayName: "Sales" }] },
    { tenantId: FABRIKAM, pools: [{ displayName: "Kiosks", deviceStates: 3 }, { displayName: "Sales" }] },
  ],
});

test("two tenants with pools of the same names: each token lists only its own tenant's, with ids of its own", async (t) => {
  const em = await started(t, twoTenants());
  const [contoso, fabrikam] = em.tenants;
  assert.deepEqual(em.tenants.map((x) => x.tenantId), [CONTOSO, FABRIKAM]);
  assert.notEqual(contoso.token, fabrikam.token);
  const [a, b] = [await listed(em, contoso.token), await listed(em, fabrikam.token)];
  assert.deepEqual(a.map((p) => p.displayName), ["Kiosks", "Sales"]);
  assert.deepEqual(b.map((p) => p.displayName), ["Kiosks", "Sales"]);
  assert.deepEqual(a.map((p) => p.id), contoso.poolIds);
  assert.deepEqual(b.map((p) => p.id), fabrikam.poolIds);
  // Graph's ids are unique across tenants: the first tenant keeps the emulator's usual ones.
  assert.deepEqual(contoso.poolIds, [EXAMPLE_POOL_ID, examplePoolId(1)]);
  assert.deepEqual(fabrikam.poolIds, [examplePoolId(0, 1), examplePoolId(1, 1)]);
  assert.ok(!a.some((p) => fabrikam.poolIds.includes(p.id)));
  // The same pool name, each tenant's own devices.
  const states = async (token, id) => (await (await call(em, token, "GET", `${POOLS}/${id}/deviceStates`)).json()).value.length;
  assert.deepEqual([await states(contoso.token, contoso.poolIds[0]), await states(fabrikam.token, fabrikam.poolIds[0])], [2, 3]);
  // A token of neither tenant is a 401, as before.
  const unknown = await call(em, "eyJ0eXAiOiJKV1QifQ.e30.", "GET", POOLS);
  assert.equal(unknown.status, 401);
  assert.equal((await unknown.json()).error.code, "InvalidAuthenticationToken");
});

test("another tenant's pool id is a 404 ResourceNotFound, for every method, alone and inside $batch; its pool is untouched", async (t) => {
  const em = await started(t, twoTenants());
  const [contoso, fabrikam] = em.tenants;
  const theirs = fabrikam.poolIds[0];
  const before = structuredClone(fabrikam.pools.get(theirs));
  for (const [method, path, body] of [
    ["GET", `${POOLS}/${theirs}`],
    ["PATCH", `${POOLS}/${theirs}`, { displayName: "Taken over" }],
    ["POST", `${POOLS}/${theirs}/assign`, { assignments: [{ target: allDevices }] }],
    ["GET", `${POOLS}/${theirs}/assignments`],
    ["GET", `${POOLS}/${theirs}/deviceStates`],
    ["DELETE", `${POOLS}/${theirs}`],
  ]) {
    const res = await call(em, contoso.token, method, path, body);
    assert.equal(res.status, 404, `${method} ${path}`);
    const error = (await res.json()).error;
    assert.equal(error.code, "ResourceNotFound");
    assert.match(error.message, new RegExp(theirs));
  }
  const res = await call(em, contoso.token, "POST", "/$batch", {
    requests: [
      { id: "mine", method: "GET", url: `${POOLS}/${contoso.poolIds[0]}` },
      { id: "theirs", method: "GET", url: `${POOLS}/${theirs}` },
    ],
  });
  const { responses } = await res.json();
  assert.deepEqual(responses.map((r) => [r.id, r.status]), [["mine", 200], ["theirs", 404]]);
  assert.deepEqual(fabrikam.pools.get(theirs), before, "nothing of the other tenant changed");
  // Its own token still reaches it.
  assert.equal((await call(em, fabrikam.token, "GET", `${POOLS}/${theirs}`)).status, 200);
  // A pool created by one tenant is that tenant's alone.
  const created = await call(em, fabrikam.token, "POST", POOLS, { displayName: "New", activationCodes: [] });
  assert.equal(created.status, 201);
  const { id } = await created.json();
  assert.equal((await call(em, contoso.token, "GET", `${POOLS}/${id}`)).status, 404);
  assert.ok(fabrikam.pools.has(id) && !contoso.pools.has(id));
});

test("the emulator's tokens are unsigned JWTs whose payload names the tenant (tid), the app (appid) and Graph (aud)", async (t) => {
  const em = await started(t, { tenants: [{ tenantId: CONTOSO }, { tenantId: FABRIKAM, appIds: [APP_A, APP_B] }, {}] });
  const [contoso, fabrikam, third] = em.tenants;
  assert.equal(third.tenantId, exampleTenantId(2));
  for (const tenant of em.tenants) {
    for (const token of tenant.tokens) {
      assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.$/, "header.payload. with an empty signature");
      const { header, payload, signature } = decode(token);
      assert.deepEqual(header, { typ: "JWT", alg: "none" });
      assert.equal(signature, "");
      assert.equal(payload.tid, tenant.tenantId);
      assert.equal(payload.aud, "https://graph.microsoft.com");
      assert.equal(typeof payload.appid, "string");
      assert.ok(payload.exp > Date.now() / 1000, "not expired");
    }
  }
  assert.equal(decode(contoso.token).payload.appid, EXAMPLE_APP_ID);
  assert.deepEqual(fabrikam.tokens.map((token) => decode(token).payload.appid), [APP_A, APP_B]);
  assert.equal(fabrikam.token, fabrikam.tokens[0]);
  // Every token reaches its tenant.
  for (const tenant of em.tenants) for (const token of tenant.tokens) assert.deepEqual((await listed(em, token)).map((p) => p.id), tenant.poolIds);
  // The same tenant and app give the same token on every start, so a developer may keep one.
  const again = await started(t, { tenants: [{ tenantId: CONTOSO }] });
  assert.equal(again.token, contoso.token);
  // A token given is used as it is, alone or before the apps' tokens.
  const given = await started(t, { tenants: [{ token: "contoso-token" }, { token: "fabrikam-token", appIds: [APP_A] }] });
  assert.deepEqual(given.tenants.map((x) => x.tokens.length), [1, 2]);
  assert.equal(given.tenants[1].token, "fabrikam-token");
  assert.equal(decode(given.tenants[1].tokens[1]).payload.tid, exampleTenantId(1));
  assert.equal((await call(given, "fabrikam-token", "GET", POOLS)).status, 200);
});

test("without tenants the emulator is one tenant, as it always was, and its properties are that tenant's", async (t) => {
  const em = await started(t, { pools: 2 });
  assert.equal(em.tenants.length, 1);
  const [only] = em.tenants;
  assert.deepEqual([only.tenantId, only.token, only.tokens], [EXAMPLE_TENANT_ID, TEST_TOKEN, [TEST_TOKEN]]);
  assert.equal(em.token, TEST_TOKEN);
  assert.equal(em.pools, only.pools);
  assert.deepEqual(em.poolIds, only.poolIds);
  await call(em, TEST_TOKEN, "GET", POOLS);
  assert.equal(em.requests[0].tenantId, EXAMPLE_TENANT_ID);
  // tenants takes each tenant's token and pools: the options' would be read by no one.
  for (const options of [{ tenants: [{}], token: "x" }, { tenants: [{}], pools: 2 }, { tenants: [] }, { tenants: {} }, { tenants: [{ tenantID: CONTOSO }] }]) {
    await assert.rejects(startGraphEmulator(options), TypeError, JSON.stringify(options));
  }
  for (const tenants of [[{ tenantId: CONTOSO }, { tenantId: CONTOSO.toUpperCase() }], [{ token: "same" }, { token: "same" }], [{ appIds: [APP_A, APP_A] }], [{ appIds: [] }], [{ tenantId: "" }]]) {
    await assert.rejects(startGraphEmulator({ tenants }), TypeError, JSON.stringify(tenants));
  }
});

test("per app per tenant: an app's writes past its limit are a 429 with Retry-After; its other app and the other tenant still pass", async (t) => {
  // Half of Intune's window (10 s): far longer than these requests take, so the test needs no clock.
  const em = await started(t, { tenants: [{ appIds: [APP_A, APP_B] }, {}], limits: { writes: 3 }, scale: 0.5 });
  const [tenant, other] = em.tenants;
  const [a, b] = tenant.tokens;
  const path = `${POOLS}/${tenant.poolIds[0]}`;
  for (let i = 0; i < 3; i++) assert.equal((await call(em, a, "PATCH", path, { displayName: `a${i}` })).status, 200, `write ${i + 1}`);
  const over = await call(em, a, "PATCH", path, { displayName: "one too many" });
  assert.equal(over.status, 429);
  const retryAfter = Number(over.headers.get("retry-after"));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 10, `Retry-After ${retryAfter}`);
  assert.equal((await over.json()).error.code, "TooManyRequests");
  assert.equal((await call(em, a, "GET", path)).status, 200, "reads pass: only writes are over");
  // The limit is the app's in this tenant: the tenant's other app and the other tenant write on.
  assert.equal((await call(em, b, "PATCH", path, { displayName: "b" })).status, 200);
  assert.equal((await call(em, other.token, "PATCH", `${POOLS}/${other.poolIds[0]}`, { displayName: "other" })).status, 200);
  assert.deepEqual([tenant.throttled, other.throttled, em.throttled], [1, 0, 1]);
});

test("per tenant across apps: past the tenant's limit every app of it is a 429 with Retry-After, though each is under its own", async (t) => {
  const em = await started(t, { tenants: [{ appIds: [APP_A, APP_B] }, {}], limits: { writes: 3, tenantWrites: 5 }, scale: 0.5 });
  const [tenant, other] = em.tenants;
  const [a, b] = tenant.tokens;
  const assign = (token, pool = tenant.poolIds[0]) => call(em, token, "POST", `${POOLS}/${pool}/assign`, { assignments: [{ target: allDevices }] });
  for (let i = 0; i < 3; i++) assert.equal((await assign(a)).status, 200, `a: write ${i + 1}`);
  for (let i = 0; i < 2; i++) assert.equal((await assign(b)).status, 200, `b: write ${i + 1}, the tenant's ${i + 4}th`);
  const over = await assign(b);
  assert.equal(over.status, 429, "b has written 2 of its 3, but the tenant 5 of its 5");
  assert.ok(Number(over.headers.get("retry-after")) >= 1);
  assert.equal((await over.json()).error.code, "TooManyRequests");
  assert.equal((await assign(a)).status, 429);
  assert.equal((await assign(other.token, other.poolIds[0])).status, 200, "another tenant counts apart");
  assert.equal(tenant.throttled, 2);

  // Requests of any method alike, and a $batch's inner requests each count.
  const reads = await started(t, { tenants: [{ appIds: [APP_A, APP_B] }], limits: { requests: 3, tenantRequests: 4 }, scale: 0.5 });
  const [ra, rb] = reads.tenants[0].tokens;
  for (let i = 0; i < 3; i++) assert.equal((await call(reads, ra, "GET", POOLS)).status, 200);
  const { responses } = await (await call(reads, rb, "POST", "/$batch", { requests: ["1", "2"].map((id) => ({ id, method: "GET", url: POOLS })) })).json();
  assert.deepEqual(responses.map((r) => r.status), [200, 429]);
  assert.match(responses[1].headers["Retry-After"], /^[1-9][0-9]*$/);
});

test("Intune's limits by default: the file's, per app per tenant and per tenant; a tenant's never below an app's given", async (t) => {
  assert.deepEqual({ ...INTUNE_LIMITS }, FACTS.intuneLimits);
  assert.deepEqual({ ...INTUNE_TENANT_LIMITS }, FACTS.intuneTenantLimits);
  // One app allowed more writes than Intune's tenant limit meets its own limit, not the tenant's:
  // what the emulator did before it counted tenants.
  const writes = INTUNE_TENANT_LIMITS.writes + 1;
  const em = await started(t, { limits: { writes }, scale: 0.5 });
  const path = `${POOLS}/${EXAMPLE_POOL_ID}`;
  for (let i = 0; i < writes; i++) assert.equal((await call(em, em.token, "PATCH", path, { displayName: `n${i}` })).status, 200, `write ${i + 1}`);
  assert.equal((await call(em, em.token, "PATCH", path, { displayName: "over" })).status, 429);
  for (const limits of [{ tenantWrites: 0 }, { tenantRequests: "many" }]) await assert.rejects(startGraphEmulator({ limits }), TypeError, JSON.stringify(limits));
});

test("the request log: each request with the tenant it was routed to, never a token; each tenant's handle has its own", async (t) => {
  const em = await started(t, twoTenants());
  const [contoso, fabrikam] = em.tenants;
  await call(em, contoso.token, "GET", POOLS);
  await call(em, fabrikam.token, "GET", `${POOLS}/${fabrikam.poolIds[1]}?echo=${fabrikam.token}`);
  await call(em, fabrikam.token, "POST", "/$batch", { requests: [{ id: "1", method: "GET", url: POOLS }] });
  await call(em, "nobody", "GET", POOLS);
  assert.deepEqual(
    em.requests.map((r) => [r.tenantId, r.tokenMatched, r.batchId]),
    [
      [CONTOSO, true, undefined],
      [FABRIKAM, true, undefined],
      [FABRIKAM, true, undefined],
      [FABRIKAM, true, "1"],
      [undefined, false, undefined],
    ],
  );
  assert.ok(!("tenantId" in em.requests[4]), "a request of no tenant names none");
  assert.deepEqual(contoso.requests, [em.requests[0]]);
  assert.deepEqual(fabrikam.requests, em.requests.slice(1, 4));
  const log = JSON.stringify(em.requests);
  for (const token of [contoso.token, fabrikam.token]) assert.ok(!log.includes(token) && !log.includes(token.split(".")[1]), "no token in the log");
  assert.match(em.requests[1].query, /echo=\[token\]/);
  // Over HTTP too, by tenant.
  const over = await (await fetch(`${em.url}/_emulator/requests?tenantId=${FABRIKAM}`)).json();
  assert.deepEqual(over.value.map((r) => r.tenantId), [FABRIKAM, FABRIKAM, FABRIKAM]);
  assert.equal((await fetch(`${em.url}/_emulator/requests?tenantId=nobody`)).status, 404);
});

test("each tenant's handle steers that tenant alone; the emulator's own methods the first, and its reset every one", async (t) => {
  const em = await started(t, { ...twoTenants(), pageSize: 1 });
  const [contoso, fabrikam] = em.tenants;
  assert.equal(em.token, contoso.token);
  assert.equal(em.pools, contoso.pools);
  assert.deepEqual(em.poolIds, contoso.poolIds);
  const get = (tenant, i = 0) => call(em, tenant.token, "GET", `${POOLS}/${tenant.poolIds[i]}`);

  fabrikam.fault(fabrikam.poolIds[0], { kind: "status", status: 503, times: Infinity });
  assert.equal((await get(fabrikam)).status, 503);
  assert.equal((await get(contoso)).status, 200, "the fault is the other tenant's");
  em.fault(contoso.poolIds[0], { kind: "status", status: 500 });
  assert.equal((await get(contoso)).status, 500);
  fabrikam.setPageSize(2);
  assert.equal((await listed(em, contoso.token)).length, 1);
  assert.equal((await listed(em, fabrikam.token)).length, 2);
  const added = fabrikam.addPool(undefined, "Added");
  assert.equal((await call(em, fabrikam.token, "GET", `${POOLS}/${added}`)).status, 200);
  assert.equal((await call(em, contoso.token, "GET", `${POOLS}/${added}`)).status, 404);

  // One tenant's reset leaves the other as it is, and the emulator's log whole.
  const logged = em.requests.length;
  assert.equal((await call(em, contoso.token, "PATCH", `${POOLS}/${contoso.poolIds[1]}`, { displayName: "Changed" })).status, 200);
  fabrikam.reset();
  assert.equal(fabrikam.requests.length, 0);
  assert.equal(em.requests.length, logged + 1);
  assert.ok(!fabrikam.pools.has(added.toLowerCase()));
  assert.equal((await get(fabrikam)).status, 200, "its fault is gone");
  assert.equal((await listed(em, fabrikam.token)).length, 1, "its starting page size");
  assert.equal(contoso.pools.get(contoso.poolIds[1]).displayName, "Changed");
  em.reset();
  assert.equal(contoso.pools.get(contoso.poolIds[1]).displayName, "Sales");
  assert.deepEqual([em.requests.length, contoso.requests.length, fabrikam.requests.length], [0, 0, 0]);
});

test("/_emulator/ steers a tenant by its tenantId, the first without one", async (t) => {
  const em = await started(t, twoTenants());
  const [contoso, fabrikam] = em.tenants;
  const post = (route, body) => fetch(`${em.url}/_emulator/${route}`, { method: "POST", headers: json, body: JSON.stringify(body) });
  assert.equal((await post("faults", { tenantId: FABRIKAM, poolId: fabrikam.poolIds[0], fault: { kind: "status", status: 503 } })).status, 204);
  assert.equal((await call(em, fabrikam.token, "GET", `${POOLS}/${fabrikam.poolIds[0]}`)).status, 503);
  const pool = await post("pools", { tenantId: FABRIKAM, displayName: "Over HTTP" });
  assert.equal(pool.status, 201);
  const { id } = await pool.json();
  assert.ok(fabrikam.pools.has(id) && !contoso.pools.has(id));
  const first = await (await post("pools", { displayName: "First" })).json();
  assert.ok(contoso.pools.has(first.id));
  assert.equal((await post("pools", { tenantId: "nobody" })).status, 404);
  assert.equal((await post("reset", { tenantId: FABRIKAM })).status, 204);
  assert.ok(!fabrikam.pools.has(id) && contoso.pools.has(first.id), "only that tenant was reset");
  assert.equal((await post("reset", {})).status, 204);
  assert.ok(!contoso.pools.has(first.id));
});

test("require('intune-esim/emulator'), the CommonJS bundle, serves tenants too", async (t) => {
  const cjs = require("intune-esim/emulator");
  const em = await cjs.startGraphEmulator({ tenants: [{ tenantId: CONTOSO }, { tenantId: FABRIKAM }], limits: { writes: 1 }, scale: 0.5 });
  t.after(() => em.close());
  assert.deepEqual({ ...cjs.INTUNE_TENANT_LIMITS }, FACTS.intuneTenantLimits);
  const [contoso, fabrikam] = em.tenants;
  assert.equal(decode(fabrikam.token).payload.tid, FABRIKAM);
  assert.equal((await call(em, contoso.token, "GET", `${POOLS}/${fabrikam.poolIds[0]}`)).status, 404);
  const path = `${POOLS}/${contoso.poolIds[0]}`;
  assert.deepEqual([(await call(em, contoso.token, "PATCH", path, { displayName: "x" })).status, (await call(em, contoso.token, "PATCH", path, { displayName: "y" })).status], [200, 429]);
});

// The CLI's emulator in a child process; resolves to what it printed once it printed its limits.
async function cliEmulator(t, args) {
  const cli = join(packageDir, "cli.js");
  const child = spawn(process.execPath, [cli, "emulator", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => child.kill());
  let out = "";
  child.stdout.setEncoding("utf8");
  for await (const chunk of child.stdout) {
    out += chunk;
    if (args.includes("--json") ? out.includes("\n") : /limits: .*\n/.test(out)) break;
  }
  return out;
}

test("npx intune-esim emulator --tenants 2 prints each tenant's id and token, to copy; each token reaches its tenant's pools", async (t) => {
  const out = await cliEmulator(t, ["--port", "0", "--tenants", "2", "--pools", "2"]);
  const baseUrl = /Graph emulator at (\S+)/.exec(out)[1];
  const ids = [...out.matchAll(/tenant \d+: (\S+)/g)].map((m) => m[1]);
  const tokens = [...out.matchAll(/Authorization: Bearer (\S+)/g)].map((m) => m[1]);
  assert.deepEqual(ids, [exampleTenantId(0), exampleTenantId(1)], out);
  assert.equal(tokens.length, 2, out);
  const lists = [];
  for (const [i, token] of tokens.entries()) {
    assert.equal(decode(token).payload.tid, ids[i]);
    const res = await fetch(`${baseUrl}${POOLS}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    lists.push((await res.json()).value.map((p) => p.id));
  }
  assert.deepEqual(lists, [
    [examplePoolId(0, 0), examplePoolId(1, 0)],
    [examplePoolId(0, 1), examplePoolId(1, 1)],
  ]);
  // As JSON for scripts: each tenant's id and token.
  const printed = JSON.parse(await cliEmulator(t, ["--port", "0", "--tenants", "2", "--json"]));
  assert.deepEqual(printed.tenants.map((x) => x.tenantId), ids);
  assert.deepEqual(printed.tenants.map((x) => x.token), tokens);
  assert.equal(printed.token, tokens[0]);
});
