// Intune's limits, counted as Intune counts them: per app per tenant, and per tenant across all
// its apps, each over a sliding window. Over either: a 429 with the wait before a retry passes.
import { INTUNE_LIMITS, INTUNE_TENANT_LIMITS } from "./facts.js";

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The limits as the options give them: `{ app, tenant }`, each `{ writes, requests, windowMs }`
 * with the window scaled, or null for none. `windowMs` given is both windows. A tenant's limits
 * not given are Intune's, but never below an app's given: one app alone meets its own limit
 * first, as it does in Intune, whose tenant limits are twice an app's.
 */
export function limitsOf(limits, scale) {
  if (limits === false) return null;
  if (limits !== undefined && (typeof limits !== "object" || limits === null)) throw new TypeError("startGraphEmulator: limits must be an object or false");
  const l = { ...INTUNE_LIMITS, ...limits };
  for (const k of ["writes", "requests", "windowMs"]) {
    if (!(typeof l[k] === "number" && l[k] > 0)) throw new TypeError(`startGraphEmulator: limits.${k} must be a number above 0`);
  }
  const tenant = {
    writes: limits?.tenantWrites ?? Math.max(INTUNE_TENANT_LIMITS.writes, l.writes),
    requests: limits?.tenantRequests ?? Math.max(INTUNE_TENANT_LIMITS.requests, l.requests),
    windowMs: limits?.windowMs ?? INTUNE_TENANT_LIMITS.windowMs,
  };
  for (const [k, name] of [["writes", "tenantWrites"], ["requests", "tenantRequests"]]) {
    if (!(typeof tenant[k] === "number" && tenant[k] > 0)) throw new TypeError(`startGraphEmulator: limits.${name} must be a number above 0`);
  }
  return {
    app: { writes: l.writes, requests: l.requests, windowMs: l.windowMs * scale },
    tenant: { ...tenant, windowMs: tenant.windowMs * scale },
  };
}

/** One caller's requests and writes inside its window (their times), oldest first. */
export function newWindow() {
  return { requests: [], writes: [] };
}

/**
 * Counts one request of `method` against each `{ window, limit }` it falls under: the wait (ms)
 * before a retry could pass, or 0 when it passes now. A request that does not pass is counted in
 * none of them, as Intune does not count what it refuses.
 */
export function admit(counted, method) {
  const now = Date.now();
  const write = WRITES.has(method);
  let waitMs = 0;
  for (const { window: w, limit } of counted) {
    for (const times of [w.requests, w.writes]) while (times.length && times[0] <= now - limit.windowMs) times.shift();
    if (w.requests.length >= limit.requests) waitMs = Math.max(waitMs, w.requests[0] + limit.windowMs - now);
    if (write && w.writes.length >= limit.writes) waitMs = Math.max(waitMs, w.writes[0] + limit.windowMs - now);
  }
  if (waitMs > 0) return waitMs;
  for (const { window: w } of counted) {
    w.requests.push(now);
    if (write) w.writes.push(now);
  }
  return 0;
}
