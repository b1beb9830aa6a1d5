// startGraphEmulator: the options read, the tenants made, and the HTTP server on 127.0.0.1 that
// hands each request to the routes (or to /_emulator/'s), with the object tests steer it by.
import http from "node:http";
import { controlRoutes } from "./control.js";
import { limitsOf } from "./limits.js";
import { resources } from "./resources.js";
import { graphRoutes } from "./routes.js";
import { TARGET_SHAPES, targetKindsOf } from "./targets.js";
import { createTenant, pageSizeOf, tenantSpecsOf, tokenIndexOf } from "./tenants.js";
import { cors, graphError, json, write } from "./wire.js";

/**
 * Starts the emulator on 127.0.0.1. Options: `port` (0, any free one), `token`, `pools`, or
 * `tenants` (each `{ tenantId?, pools?, token?, appIds? }`) in their place; `limits`
 * (`{ writes, requests, windowMs, tenantWrites, tenantRequests }` over Intune's, or `false` for
 * none), `scale` (multiplies the limits' windows), `pageSize` (items per page without `$top`,
 * default 100), `latencyMs`, `targetShape` ("intune" or "docs"), `extraTargetKinds`. See
 * emulator.d.ts.
 */
export async function startGraphEmulator({
  port = 0,
  token,
  pools,
  tenants: tenantSpecs,
  limits,
  scale = 1,
  pageSize = 100,
  latencyMs = 0,
  targetShape = "intune",
  extraTargetKinds = [],
} = {}) {
  if (!(typeof latencyMs === "number" && latencyMs >= 0)) throw new TypeError("startGraphEmulator: latencyMs must be a number of milliseconds, 0 or more");
  const specs = tenantSpecsOf({ tenants: tenantSpecs, token, pools });
  if (!(typeof scale === "number" && scale > 0)) throw new TypeError("startGraphEmulator: scale must be a number above 0");
  if (!Object.hasOwn(TARGET_SHAPES, targetShape)) throw new TypeError('startGraphEmulator: targetShape must be "intune" or "docs"');
  const limit = limitsOf(limits, scale);
  const shapeTarget = TARGET_SHAPES[targetShape];
  const targetKinds = targetKindsOf(extraTargetKinds);
  const startingPageSize = pageSizeOf(pageSize);
  const tenants = specs.map((spec, i) => createTenant(spec, i, { shapeTarget, limit, pageSize: startingPageSize }));
  const [first] = tenants;

  const requests = [];
  const sockets = new Set();
  const timers = new Set();
  const reset = () => {
    for (const t of tenants) t.reset();
    requests.length = 0;
  };

  // Scrubs every token out of what the log keeps, whichever header or body a client put it in,
  // whichever tenant's it is.
  const tokens = tenants.flatMap((t) => t.tokens);
  const scrub = (s) => (typeof s === "string" ? tokens.reduce((out, t) => out.replaceAll(t, "[token]"), s) : s);
  const sleep = (ms) =>
    new Promise((resolve) => {
      const t = setTimeout(() => (timers.delete(t), resolve()), ms);
      timers.add(t);
    });

  const route = graphRoutes({
    tenants,
    tokenIndex: tokenIndexOf(tenants),
    requests,
    latencyMs,
    sleep,
    scrub,
    endpoints: resources({ targetKinds, shapeTarget }),
  });
  const control = controlRoutes({ tenants, requests, reset });

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      serve(req, res, Buffer.concat(chunks).toString("utf8")).catch((e) => {
        if (!res.headersSent) write(req, res, json(500, graphError("InternalServerError", String(e?.message), {})));
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function serve(req, res, body) {
    cors(req, res);
    const url = new URL(req.url, "http://emulator");
    if (req.method === "OPTIONS") return write(req, res, { status: 204, headers: {} });
    if (url.pathname.startsWith("/_emulator/")) return write(req, res, control(url.pathname, req.method, url.search, body));
    const answer = await route({
      method: req.method,
      path: url.pathname,
      search: url.search,
      headers: req.headers,
      body,
      origin: `http://${req.headers.host}`,
      gone: () => res.destroyed || req.socket.destroyed,
    });
    write(req, res, answer);
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => (server.off("error", reject), resolve()));
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const handle = first.handle;
  return {
    baseUrl: `${origin}/beta`,
    /** The server's root, without /beta: where /_emulator/ lives. */
    url: origin,
    /** The first tenant's token. */
    token: handle.token,
    /** Every request received, any tenant's, oldest first; the token is replaced by `tokenMatched` and `tenantId`. */
    requests,
    /** The first tenant's live state, keyed by lower-case pool id: `{ id, displayName, ..., assignments, deviceStates }`. */
    pools: handle.pools,
    /** The first tenant's starting pools' ids, in order. */
    poolIds: handle.poolIds,
    /** How many of the first tenant's requests the limits answered with 429 (faults not counted). */
    get throttled() {
      return handle.throttled;
    },
    fault: handle.fault,
    addPool: handle.addPool,
    /** Items per page of the first tenant when a request has no $top. */
    setPageSize: handle.setPageSize,
    /** Every tenant, in order: each with the methods above, acting on it alone. */
    tenants: Object.freeze(tenants.map((t) => t.handle)),
    reset,
    close: () =>
      new Promise((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        // Hung and idle connections too: close() waits for none of them.
        for (const s of sockets) s.destroy();
      }),
  };
}
