// Many tenants: tenantsReport of 5 tenants with 300 pools each (3 assignments and 20 device
// states a pool), concurrency 5, against the emulator in a process of its own that counts
// Intune's limits per app per tenant, with the window scaled down ten times as in the fleet bench
// (1,000 requests per 2 s) and 15 ms a request. Each tenant's paces are its own, so the five take
// about as long as the largest alone: 601 reads at its limit, 1.2 s. Beside it, the same five
// reports through one shared pace (tokens with no tenant in them: one pace per host, as before
// paces were kept per tenant), and two poolReports of two tenants at once told apart only by
// their tokens' tid.
import { startEmulatorProcess } from "./emulator.mjs";
import { poolReport, tenantsReport } from "intune-esim";

const TENANTS = 5;
const POOLS = 300;
const SCALE = 0.1;
const LATENCY_MS = 15;
const LIMIT = { requests: 1000, perMs: 20_000 * SCALE };
const pools = () => Array.from({ length: POOLS }, () => ({ assignments: 3, deviceStates: 20 }));

/** One contender on a fresh emulator of `n` tenants; `opaque`: tokens with no tid in them. */
async function run(name, n, work, { opaque = false } = {}) {
  const tenants = Array.from({ length: n }, (_, i) => ({ pools: pools(), ...(opaque ? { token: `opaque-token-of-tenant-${i}` } : {}) }));
  const em = await startEmulatorProcess({ tenants, limits: { requests: LIMIT.requests, windowMs: 20_000 }, scale: SCALE, latencyMs: LATENCY_MS });
  try {
    const started = performance.now();
    const read = await work({ baseUrl: em.baseUrl, readLimit: LIMIT }, em.tenants);
    const seconds = (performance.now() - started) / 1000;
    const { requests, throttled } = await em.stats();
    return { name, seconds, requests, throttled, read };
  } finally {
    await em.close();
  }
}

const fullyRead = (report) => report.pools.filter((p) => p.deviceStates?.total === 20).length;

export async function measureTenants() {
  const boundSeconds = (1 + 2 * POOLS) / (LIMIT.requests / (LIMIT.perMs / 1000));
  const withBound = (x) => ({ ...x, ratioToBound: x.seconds / boundSeconds });
  const report = await run(`tenantsReport, ${TENANTS} tenants`, TENANTS, async (options, tenants) => {
    const tokens = Object.fromEntries(tenants.map((t) => [t.tenantId, t.token]));
    const answer = await tenantsReport(tenants.map((t) => t.tenantId), ({ tenantId }) => tokens[tenantId], { ...options, concurrency: TENANTS });
    return answer.tenants.reduce((n, t) => n + (t.ok ? fullyRead(t.report) : 0), 0);
  });
  const shared = await run(`${TENANTS} poolReports through one shared pace`, TENANTS, async (options, tenants) => {
    const reports = await Promise.all(tenants.map((t) => poolReport(t.token, options)));
    return reports.reduce((n, r) => n + fullyRead(r), 0);
  }, { opaque: true });
  const byTid = await run("2 poolReports at once, told apart by their tokens' tid", 2, async (options, tenants) => {
    const reports = await Promise.all(tenants.map((t) => poolReport(t.token, options)));
    return reports.reduce((n, r) => n + fullyRead(r), 0);
  });
  return { tenants: TENANTS, pools: POOLS, limit: LIMIT, latencyMs: LATENCY_MS, boundSeconds, rows: [report, shared, byTid].map(withBound) };
}
