// Bulk: the same assignments to 500 pools against an emulator enforcing Intune's write limit
// scaled down ten times (100 writes per 2 s instead of per 20 s), so the physical bound is
// N / 50 per second = 10 s. assignMany (paced) side by side with the naive way: Promise.all over
// assign, which runs into the limit and leans on retries. Every pool must end up assigned.
import { startGraphEmulator } from "../pkg/emulator.js";
import { assign, assignMany } from "intune-esim";

const POOLS = 500;
const LIMIT = { writes: 100, perMs: 2000 };
const targets = [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }];

async function run(name, work) {
  // A fresh emulator per contender, so neither inherits the other's window of writes.
  const em = await startGraphEmulator({ limits: { writes: LIMIT.writes, windowMs: LIMIT.perMs } });
  try {
    const ids = Array.from({ length: POOLS }, () => em.addPool());
    const started = performance.now();
    const ok = await work(ids, em);
    const seconds = (performance.now() - started) / 1000;
    const assigned = ids.filter((id) => em.pools.get(id.toLowerCase()).assignments.length === 1).length;
    const boundSeconds = POOLS / (LIMIT.writes / (LIMIT.perMs / 1000));
    return { name, seconds, boundSeconds, ratioToBound: seconds / boundSeconds, throttled: em.throttled, ok, assigned };
  } finally {
    await em.close();
  }
}

export async function measureBulk() {
  const paced = await run("assignMany", async (ids, em) => {
    const results = await assignMany(ids, targets, em.token, { baseUrl: em.baseUrl, concurrency: 8, writeLimit: LIMIT });
    return results.filter((r) => r.ok).length;
  });
  const naive = await run("Promise.all(assign)", async (ids, em) => {
    // Default retry settings, as a script would use them.
    const results = await Promise.allSettled(ids.map((id) => assign(id, targets, em.token, { baseUrl: em.baseUrl })));
    return results.filter((r) => r.status === "fulfilled").length;
  });
  return { pools: POOLS, limit: LIMIT, paced, naive };
}
