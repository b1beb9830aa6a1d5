// Tenants: who a request is for, found by its bearer token. Each tenant has its own pools, faults,
// request log, page size and limit counters; one tenant never sees another's pools. Without the
// `tenants` option the emulator is one tenant with the `token` option's token, as it always was.
import { randomUUID } from "node:crypto";
import { setFault } from "./faults.js";
import { EXAMPLE_TENANT_ID, exampleTenantId, poolsOf } from "./fixtures.js";
import { admit, newWindow } from "./limits.js";
import { poolState } from "./state.js";
import { appOf, emulatorToken, EXAMPLE_APP_ID } from "./tokens.js";

/** The token the emulator accepts unless told another. Not a secret: it only opens the emulator. */
export const TEST_TOKEN = "emulator-test-token.not-a-real-jwt";

const SPEC_KEYS = new Set(["tenantId", "pools", "token", "appIds"]);

/**
 * The tenants the options ask for, each `{ tenantId, tokens, pools, where }` (`where` names its
 * pools in messages): those of `tenants`, or one with `token` (default TEST_TOKEN) and `pools`.
 */
export function tenantSpecsOf({ tenants, token, pools }) {
  if (tenants === undefined) {
    const only = token === undefined ? TEST_TOKEN : token;
    if (typeof only !== "string" || only === "") throw new TypeError("startGraphEmulator: token must be a non-empty string");
    return [{ tenantId: EXAMPLE_TENANT_ID, tokens: [only], pools, where: "pools" }];
  }
  // Two places for one tenant's token or pools would leave one of them unread.
  if (token !== undefined || pools !== undefined) throw new TypeError("startGraphEmulator: with tenants, give each tenant its own token and pools, not the options'");
  if (!Array.isArray(tenants) || tenants.length === 0) throw new TypeError("startGraphEmulator: tenants must be a non-empty array of tenant specs");
  const specs = tenants.map((spec, i) => {
    const where = `tenants[${i}]`;
    if (!spec || typeof spec !== "object" || Array.isArray(spec)) throw new TypeError(`startGraphEmulator: ${where} must be an object`);
    const unknown = Object.keys(spec).find((k) => !SPEC_KEYS.has(k));
    if (unknown !== undefined) throw new TypeError(`startGraphEmulator: ${where}.${unknown} is not a tenant option (tenantId, pools, token, appIds)`);
    const tenantId = spec.tenantId ?? exampleTenantId(i);
    if (typeof tenantId !== "string" || tenantId === "") throw new TypeError(`startGraphEmulator: ${where}.tenantId must be a non-empty string`);
    if (spec.token !== undefined && (typeof spec.token !== "string" || spec.token === "")) throw new TypeError(`startGraphEmulator: ${where}.token must be a non-empty string`);
    const appIds = spec.appIds ?? (spec.token === undefined ? [EXAMPLE_APP_ID] : []);
    if (!Array.isArray(appIds) || !appIds.every((a) => typeof a === "string" && a !== "") || new Set(appIds).size !== appIds.length) {
      throw new TypeError(`startGraphEmulator: ${where}.appIds must be an array of distinct app ids`);
    }
    const tokens = [...(spec.token === undefined ? [] : [spec.token]), ...appIds.map((app) => emulatorToken(tenantId, app))];
    if (tokens.length === 0) throw new TypeError(`startGraphEmulator: ${where} needs a token or at least one of appIds`);
    return { tenantId, tokens, pools: spec.pools, where: `${where}.pools` };
  });
  // A token is how a request finds its tenant, and an id how a test finds one: neither may be two tenants'.
  const ids = specs.map((s) => s.tenantId.toLowerCase());
  if (new Set(ids).size !== ids.length) throw new TypeError("startGraphEmulator: two tenants have the same tenantId");
  const tokens = specs.flatMap((s) => s.tokens);
  if (new Set(tokens).size !== tokens.length) throw new TypeError("startGraphEmulator: two tenants, or two apps of one, have the same token");
  return specs;
}

/**
 * The `index`-th tenant's state, for the routes, and its `handle`, for tests: `limit` is the
 * emulator's limits (or null), `pageSize` its starting page size.
 */
export function createTenant({ tenantId, tokens, pools: poolSpecs, where }, index, { shapeTarget, limit, pageSize: startingPageSize }) {
  const startingPools = () => poolsOf(poolSpecs, shapeTarget, index, where);
  const pools = new Map();
  const faults = new Map();
  const requests = [];
  // The limits' windows: one per app calling the tenant (by app id; "" for a token naming none),
  // and the tenant's own across them.
  const appWindows = new Map();
  let tenantWindow = newWindow();
  let throttled = 0;
  let pageSize = startingPageSize;

  const addPoolState = (p) => pools.set(p.id.toLowerCase(), p);
  const reset = () => {
    pools.clear();
    startingPools().forEach(addPoolState);
    faults.clear();
    appWindows.clear();
    tenantWindow = newWindow();
    throttled = 0;
    requests.length = 0;
    pageSize = startingPageSize;
  };
  reset();

  const addPool = (id = randomUUID(), displayName = "Test pool") => {
    addPoolState(poolState({ id, displayName, createdDateTime: new Date().toISOString() }));
    return id;
  };
  const fault = (poolId, spec, times) => setFault(faults, poolId, spec, times);
  const setPageSize = (n) => void (pageSize = pageSizeOf(n));

  const handle = {
    tenantId,
    /** The token of the tenant's first app. */
    token: tokens[0],
    tokens: Object.freeze([...tokens]),
    requests,
    pools,
    poolIds: startingPools().map((p) => p.id),
    get throttled() {
      return throttled;
    },
    fault,
    addPool,
    setPageSize,
    reset,
  };

  return {
    tenantId,
    tokens,
    pools,
    faults,
    requests,
    handle,
    addPool,
    fault,
    reset,
    get pageSize() {
      return pageSize;
    },
    /**
     * Counts a request of `app` (null: the tenant's one app that names none) against its limits:
     * the wait (ms) before a retry could pass, or 0 when it passes now.
     */
    admit(app, method) {
      if (!limit) return 0;
      const key = app ?? "";
      let appWindow = appWindows.get(key);
      if (!appWindow) appWindows.set(key, (appWindow = newWindow()));
      const waitMs = admit(
        [
          { window: appWindow, limit: limit.app },
          { window: tenantWindow, limit: limit.tenant },
        ],
        method,
      );
      if (waitMs > 0) throttled += 1;
      return waitMs;
    },
  };
}

/** A page size as the options and setPageSize() take it. */
export function pageSizeOf(n) {
  if (!(Number.isInteger(n) && n > 0)) throw new TypeError("startGraphEmulator: pageSize must be a whole number above 0");
  return n;
}

/** The tenant and app of each token: `Map(token → { tenant, app })`. */
export function tokenIndexOf(tenants) {
  return new Map(tenants.flatMap((tenant) => tenant.tokens.map((token) => [token, { tenant, app: appOf(token) }])));
}
