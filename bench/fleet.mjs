// The fleet view: poolReport for 300 pools (3 assignments and 20 device states each) against an
// emulator in a process of its own that enforces Intune's limits with the window scaled down ten
// times (1,000 requests per 2 s instead of per 20 s) and answers each request after 15 ms (Graph's
// own time of about 150 ms, scaled alike). Side by side: the naive loop of two requests a pool,
// and listAssignmentsMany batched against the same reads with the batch endpoint refused (so made
// one request each, paced alike).
//
// The bound: every request, inside a batch or not, counts against the limit, so 1 + 2 x 300 reads
// take at least 601 / (1,000 / 2 s) = 1.2 s, batched or not.
import { startEmulatorProcess } from "./emulator.mjs";
import { listAssignments, listAssignmentsMany, listDeviceStates, listPools, poolReport } from "intune-esim";

const POOLS = 300;
const SCALE = 0.1;
const LATENCY_MS = 15;
const LIMIT = { requests: 1000, perMs: 20_000 * SCALE };

/** One contender on a fresh emulator (so none inherits another's window of requests). */
async function run(name, work, { refuseBatch = false } = {}) {
  const em = await startEmulatorProcess({
    pools: Array.from({ length: POOLS }, () => ({ assignments: 3, deviceStates: 20 })),
    limits: { requests: LIMIT.requests, windowMs: 20_000 },
    scale: SCALE,
    latencyMs: LATENCY_MS,
  });
  try {
    if (refuseBatch) await em.fault("$batch", { kind: "status", status: 400, message: "Batching is off" }, 1e9);
    const options = { baseUrl: em.baseUrl, readLimit: LIMIT };
    const started = performance.now();
    const read = await work(options, em.token);
    const seconds = (performance.now() - started) / 1000;
    const { requests, batches, throttled } = await em.stats();
    // Round trips: what went over the wire, a batch counting once.
    const roundTrips = requests - batches.inner + batches.envelopes;
    return { name, seconds, requests, roundTrips, throttled, read };
  } finally {
    await em.close();
  }
}

export async function measureFleet() {
  const reads = 1 + 2 * POOLS;
  const boundSeconds = reads / (LIMIT.requests / (LIMIT.perMs / 1000));
  const report = await run("poolReport", async (options, token) => {
    const r = await poolReport(token, options);
    return r.pools.filter((p) => p.deviceStates?.total === 20).length;
  });
  const naive = await run("naive loop", async (options, token) => {
    // What a script writes first: every pool, then its two lists, one after the other.
    let read = 0;
    const plain = { baseUrl: options.baseUrl };
    for (const pool of await listPools(token, plain)) {
      const [assignments, states] = [await listAssignments(pool.id, token, plain), await listDeviceStates(pool.id, token, plain)];
      read += assignments.length === 3 && states.length === 20 ? 1 : 0;
    }
    return read;
  });
  const many = async (options, token) => {
    const pools = await listPools(token, { baseUrl: options.baseUrl });
    const results = await listAssignmentsMany(pools.map((p) => p.id), token, options);
    return results.filter((r) => r.ok && r.value.length === 3).length;
  };
  const batched = await run("listAssignmentsMany", many);
  const unbatched = await run("listAssignmentsMany, $batch refused", many, { refuseBatch: true });
  return {
    pools: POOLS,
    limit: LIMIT,
    latencyMs: LATENCY_MS,
    reads,
    boundSeconds,
    report: { ...report, ratioToBound: report.seconds / boundSeconds },
    naive: { ...naive, ratioToBound: naive.seconds / boundSeconds },
    batched,
    unbatched,
  };
}
