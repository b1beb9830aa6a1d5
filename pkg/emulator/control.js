// The emulator's own routes, under /_emulator/, for pages and processes that cannot call the
// returned object: faults, new pools, the request log, reset. Each acts on the tenant its
// `tenantId` names (in the body, or the query for the log), else on the first tenant, as the
// object's own methods do; the log and reset without a tenantId are the whole emulator's.
import { json, parseJson } from "./wire.js";

/** `tenants` in order, `requests` the emulator's log, `reset` the whole emulator's reset. */
export function controlRoutes({ tenants, requests, reset }) {
  const byId = new Map(tenants.map((t) => [t.tenantId.toLowerCase(), t]));
  const noTenant = (id) => json(404, { error: `no tenant ${JSON.stringify(id)}` });
  const tenantOf = (id) => (id === undefined || id === null ? tenants[0] : typeof id === "string" ? byId.get(id.toLowerCase()) : undefined);

  return function control(path, method, search, body) {
    const input = body ? parseJson(body) : {};
    if (input === undefined || input === null || typeof input !== "object") return json(400, { error: "invalid JSON" });
    if (path === "/_emulator/faults" && method === "POST") {
      const tenant = tenantOf(input.tenantId);
      if (!tenant) return noTenant(input.tenantId);
      try {
        tenant.fault(input.poolId, input.fault, input.times);
      } catch (e) {
        return json(400, { error: e.message });
      }
      return { status: 204, headers: {} };
    }
    if (path === "/_emulator/pools" && method === "POST") {
      const tenant = tenantOf(input.tenantId);
      if (!tenant) return noTenant(input.tenantId);
      return json(201, { id: tenant.addPool(input.id, input.displayName) });
    }
    if (path === "/_emulator/requests" && method === "GET") {
      const q = new URLSearchParams(search);
      const poolId = q.get("poolId")?.toLowerCase();
      const tenantId = q.get("tenantId");
      if (tenantId !== null && !tenantOf(tenantId)) return noTenant(tenantId);
      const tenant = tenantId === null ? null : tenantOf(tenantId);
      return json(200, { value: requests.filter((r) => (!poolId || r.poolId === poolId) && (!tenant || r.tenantId === tenant.tenantId)) });
    }
    if (path === "/_emulator/reset" && method === "POST") {
      if (input.tenantId === undefined) reset();
      else {
        const tenant = tenantOf(input.tenantId);
        if (!tenant) return noTenant(input.tenantId);
        tenant.reset();
      }
      return { status: 204, headers: {} };
    }
    return json(404, { error: `no emulator route ${method} ${path}` });
  };
}
