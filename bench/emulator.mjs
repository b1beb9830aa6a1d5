// The local Graph emulator in a process of its own, so the bench's CPU time (process.cpuUsage)
// counts the client side only: the library, Node's fetch and reading the answer. After each run
// the bench takes the emulator's record of requests (and empties it, so its cost stays flat):
// every call must have reached it with the right token.
import { fork } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { startGraphEmulator } from "../pkg/emulator.js";

const TOKEN = "bench-token.not-a-real-jwt";

/**
 * Starts the emulator process with `options` (startGraphEmulator's, as JSON; default: no limits,
 * since the per-call bench sends far more than 1,000 requests in 20 s, on purpose). Resolves to
 * `{ baseUrl, token, addPool, take, stats, fault, close }`.
 */
export async function startEmulatorProcess(options = { limits: false }) {
  const child = fork(fileURLToPath(import.meta.url), ["--child", JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const replies = [];
  child.on("message", (m) => replies.shift()?.(m));
  const ask = (message) => new Promise((resolve) => (replies.push(resolve), message && child.send(message)));
  const { baseUrl, url, token, tenants } = await ask();
  return {
    baseUrl,
    token,
    /** Each tenant's `{ tenantId, token }`. */
    tenants,
    /** A new pool's id. */
    addPool: async () => (await (await fetch(`${url}/_emulator/pools`, { method: "POST" })).json()).id,
    /** `{ requests, tokenMatched }` since the last take. */
    take: () => ask({ take: true }),
    /** `{ requests, batches: { envelopes, inner }, throttled }` so far: `requests` are Graph's
     * own (a batch's inner ones, not its envelope), as Intune's limits count them. */
    stats: () => ask({ stats: true }),
    /** The emulator's `fault(poolId, spec, times)`. */
    fault: (poolId, spec, times) => ask({ fault: [poolId, spec, times] }),
    close: () => new Promise((resolve) => (child.once("exit", resolve), child.send({ close: true }))),
  };
}

if (process.argv[2] === "--child") {
  // Node's server closes a connection idle for 5 s. A client that keeps its event loop busy for
  // longer (32 large bodies checked one after the other) would then send on a connection closed
  // under it and fail with "other side closed": a property of Node's default, not of the client.
  // Real servers keep idle connections open longer; so does this one.
  const createServer = http.createServer;
  http.createServer = (...args) => Object.assign(createServer(...args), { keepAliveTimeout: 120_000 });
  const options = JSON.parse(process.argv[3]);
  // Several tenants have a token each, of the emulator's own making unless given.
  const em = await startGraphEmulator(options.tenants ? options : { token: TOKEN, ...options });
  process.on("disconnect", () => process.exit());
  process.on("message", async (m) => {
    if (m.take) {
      const tokenMatched = em.requests.filter((r) => r.tokenMatched).length;
      process.send({ requests: em.requests.length, tokenMatched });
      em.requests.length = 0;
    }
    if (m.stats) {
      const envelopes = em.requests.filter((r) => r.path === "/beta/$batch" && r.batchId === undefined).length;
      const inner = em.requests.filter((r) => r.batchId !== undefined).length;
      process.send({ requests: em.requests.length - envelopes, batches: { envelopes, inner }, throttled: em.throttled });
    }
    if (m.fault) {
      em.fault(...m.fault);
      process.send({});
    }
    if (m.close) {
      await em.close();
      process.disconnect();
    }
  });
  const tenants = (em.tenants ?? []).map((t) => ({ tenantId: t.tenantId, token: t.token }));
  process.send({ baseUrl: em.baseUrl, url: em.url, token: em.token, tenants });
}
