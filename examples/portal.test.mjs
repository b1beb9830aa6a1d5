// A portal's own tests, against the local Graph instead of a tenant: `node --test portal.test.mjs`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startGraphEmulator } from "intune-esim/emulator";
import { assign, poolReport } from "intune-esim";

// The portal's code under test: the pools that need an admin, those it cannot read first.
async function poolsNeedingAttention(token, baseUrl) {
  const report = await poolReport(token, { baseUrl });
  return report.pools
    .filter((p) => p.error || p.failures.length > 0)
    .map((p) => ({ name: p.pool.displayName, failed: p.failures?.length ?? null, error: p.error?.message ?? null }))
    .sort((a, b) => (b.failed ?? Infinity) - (a.failed ?? Infinity));
}

test("the dashboard lists the pools with failed devices, and the one it cannot read", async (t) => {
  const graph = await startGraphEmulator({
    pools: [
      { displayName: "Berlin", deviceStates: [{ state: "installed" }, { state: "failed" }, { state: "error" }] },
      { displayName: "Paris", deviceStates: [{ state: "installed" }] },
      { displayName: "Lyon" },
    ],
  });
  t.after(() => graph.close());
  graph.fault(graph.poolIds[2], { kind: "status", status: 403, times: Infinity });

  const attention = await poolsNeedingAttention(graph.token, graph.baseUrl);
  assert.deepEqual(attention.map((p) => [p.name, p.failed]), [["Lyon", null], ["Berlin", 2]]);
  assert.match(attention[0].error, /403 Forbidden/);
  assert.equal(graph.throttled, 0, "the report kept under Intune's limits");
});

test("a throttled assign is sent again after Graph's Retry-After", async (t) => {
  const graph = await startGraphEmulator({ pools: 1 });
  t.after(() => graph.close());
  graph.fault(graph.poolIds[0], { kind: "status", status: 429, retryAfter: 1, times: 1 });
  const targets = [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }];

  const assigned = await assign(graph.poolIds[0], targets, graph.token, { baseUrl: graph.baseUrl });
  assert.equal(assigned.length, 1);
  assert.equal(graph.requests.filter((r) => r.path.endsWith("/assign")).length, 2);
});
