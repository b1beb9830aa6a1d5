// One Graph request, from the wire or from inside a `$batch`, to its answer: which tenant it is
// for (by its token), the log, Graph's latency, faults, the token check, the path, Intune's
// limits, then the endpoint.
import { randomUUID } from "node:crypto";
import { batch } from "./batch.js";
import { AFTER_KINDS, faultAnswer } from "./faults.js";
import { poolView } from "./state.js";
import { BATCH_PATH, graphError, json, notFound, resourceOf } from "./wire.js";

/**
 * The emulator's router. `tenants` in order (the first meets the faults of requests that name no
 * tenant), `tokenIndex` (token → `{ tenant, app }`), `requests` (the emulator's log), `scrub`
 * (takes every token out of a text), `sleep` (a timer close() ends), `endpoints` (resources.js).
 */
export function graphRoutes({ tenants, tokenIndex, requests, latencyMs, sleep, scrub, endpoints }) {
  /**
   * `call`: `{ method, path, search, headers (lower-case names), body (text), origin, gone(),
   * batchId? }`. Resolves to `{ status, headers, body? }`, or `{ drop: true }` / `{ hang: true }`.
   */
  async function route(call) {
    const { method, path, headers } = call;
    const auth = headers.authorization ?? "";
    const caller = auth.startsWith("Bearer ") ? tokenIndex.get(auth.slice(7)) : undefined;
    const tenant = caller?.tenant;
    const isBatch = path === BATCH_PATH && call.batchId === undefined;
    const where = isBatch ? {} : resourceOf(path);
    const known = where.unknown === undefined && !where.notServed;
    const poolId = where.poolId?.toLowerCase();
    const { action, itemId } = where;
    // The tenant's id, never the token: the log is for reading, and tokens open the emulator.
    const entry = {
      method,
      path: scrub(path),
      query: scrub(call.search),
      poolId,
      ...(tenant ? { tenantId: tenant.tenantId } : {}),
      tokenMatched: tenant !== undefined,
      headers: Object.fromEntries(Object.entries(headers).filter(([k]) => k !== "authorization").map(([k, v]) => [k, scrub(v)])),
      body: scrub(call.body),
      ...(call.batchId !== undefined ? { batchId: call.batchId } : {}),
    };
    requests.push(entry);
    tenant?.requests.push(entry);

    // Graph's own time to answer, for benches: each request waits it, a batch's inner ones side
    // by side, as Graph runs a batch's independent requests.
    if (latencyMs && !isBatch) {
      await sleep(latencyMs);
      if (call.gone()) return { hang: true };
    }
    const requestId = randomUUID();
    const ids = { "request-id": requestId, "client-request-id": headers["client-request-id"] ?? requestId };
    const error = (status, code, message, extra) => json(status, graphError(code, message, ids), { ...ids, ...extra });

    // Faults are set per pool id, on "pools" for the collection, on "$batch" for the batch
    // endpoint itself; `on` narrows one to an action ("assign", "assignments", "deviceStates",
    // with their items by id) or a method. A path Graph does not know belongs to none of them.
    // They come before the token is checked, so a request whose token names no tenant meets the
    // first tenant's, as it did when the emulator had one tenant.
    const f = known && (tenant ?? tenants[0]).faults.get(isBatch ? "$batch" : (poolId ?? "pools"));
    const applies = f && f.times > 0 && (!f.on || f.on === action || f.on === method);
    if (applies && !AFTER_KINDS.has(f.kind)) {
      f.times -= 1;
      if (f.delayMs) await sleep(f.delayMs);
      // The caller gave up while it waited: nothing more is done for it.
      if (call.gone()) return { hang: true };
      const answer = faultAnswer(f, error);
      if (answer) return answer.status ? { ...answer, headers: { ...ids, ...answer.headers } } : answer;
    }

    if (!auth.startsWith("Bearer ") || auth.length === 7) return error(401, "InvalidAuthenticationToken", "Access token is empty.");
    if (!tenant) return error(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
    if (isBatch) return method === "POST" ? batch(call, error, ids, route) : error(405, "BadRequest", `The HTTP method '${method}' is not allowed for this resource.`);
    // Graph answers a segment it does not know with 400, not 404 (a 404 is for an id it does not have).
    if (where.unknown !== undefined) return error(400, "BadRequest", `Resource not found for the segment '${where.unknown}'.`);
    if (where.notServed) return error(501, "NotImplemented", "The emulator serves the embeddedSIMActivationCodePools endpoints only.");
    const waitMs = tenant.admit(caller.app, method);
    if (waitMs > 0) return error(429, "TooManyRequests", "Too many requests.", { "Retry-After": String(Math.max(1, Math.ceil(waitMs / 1000))) });

    // Only this tenant's pools: another tenant's pool is not found, as Graph answers for an
    // object of another tenant.
    const pool = poolId && tenant.pools.get(poolId);
    if (poolId && !pool) return error(404, "ResourceNotFound", notFound("embeddedSIMActivationCodePool", where.poolId));
    const ok = (status, value) => (value === undefined ? { status, headers: { ...ids } } : json(status, value, ids));
    const after = applies && AFTER_KINDS.has(f.kind) ? f : null;
    const e = endpoints;

    if (itemId !== undefined) return e.item(pool, action, itemId, method, call, error, ok);
    if (action === "assign" && method === "POST") {
      const answer = e.assign(pool, call, error, ok);
      if (after?.kind === "concurrentWrite" && answer.status === 200) {
        after.times -= 1;
        e.concurrentWrite(pool, after.target);
      }
      return answer;
    }
    if (action === "assignments" && method === "GET") return e.list(tenant, call, "assignments", pool.assignments, error, ok);
    if (action === "assignments" && method === "POST") return e.createAssignment(pool, call, error, ok);
    if (action === "deviceStates" && method === "GET") return e.list(tenant, call, "deviceStates", pool.deviceStates, error, ok);
    if (action === "deviceStates" && method === "POST") return e.createDeviceState(pool, call, error, ok);
    if (!action && poolId && method === "GET") return ok(200, poolView(pool));
    if (!action && poolId && method === "PATCH") {
      const answer = e.patchPool(pool, call, error, ok);
      if (after?.kind === "noContent" && answer.status === 200) {
        after.times -= 1;
        return ok(204);
      }
      return answer;
    }
    if (!action && poolId && method === "DELETE") {
      tenant.pools.delete(poolId);
      return ok(204);
    }
    if (!action && !poolId && method === "GET") return e.list(tenant, call, "embeddedSIMActivationCodePools", [...tenant.pools.values()].map(poolView), error, ok);
    if (!action && !poolId && method === "POST") return e.createPool(tenant, call, error, ok);
    return error(405, "BadRequest", `The HTTP method '${method}' is not allowed for this resource.`);
  }

  return route;
}
