// The example data: tenants' and pools' ids, and the pools a tenant starts with. Deterministic,
// so two runs (and reset()) give the same tenants and pools, and tests can name them. Every id
// has the tenant's index in it, as Graph's ids are unique across tenants; the first tenant's are
// those of the emulator before it served several.
import { DEVICE_STATES, NS } from "./facts.js";
import { assignmentState, poolState } from "./state.js";

// Example data's clock: fixed, so two runs give the same pools.
export const EPOCH = Date.parse("2026-01-05T09:00:00Z");

/** The pool that exists when `pools` is not given, and the first of `pools: N`, in the first tenant. */
export const EXAMPLE_POOL_ID = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";

/** The `tenant`-th tenant's id when its spec gives none. */
export function exampleTenantId(tenant) {
  return guid("e5e", tenant, 0);
}

/** The first tenant's id when none is given, and the only tenant's without `tenants`. */
export const EXAMPLE_TENANT_ID = exampleTenantId(0);

/** The i-th pool's id of the `tenant`-th tenant (default the first) when its spec gives none. */
export function examplePoolId(i, tenant = 0) {
  return i === 0 && tenant === 0 ? EXAMPLE_POOL_ID : guid("e51", tenant, i);
}

// The starting pools of the `tenant`-th tenant: the one example pool, N example pools, or the specs given.
export function poolsOf(specs, shapeTarget, tenant, where = "pools") {
  if (specs === undefined) return [poolState({ id: examplePoolId(0, tenant), displayName: "Example pool", createdDateTime: at(0) })];
  if (Number.isInteger(specs) && specs >= 0) return Array.from({ length: specs }, (_, i) => examplePool(i, shapeTarget, tenant));
  if (!Array.isArray(specs)) throw new TypeError(`startGraphEmulator: ${where} must be a count or an array of pool specs`);
  return specs.map((s, i) => {
    if (!s || typeof s !== "object") throw new TypeError(`startGraphEmulator: ${where}[${i}] must be an object`);
    const id = s.id ?? examplePoolId(i, tenant);
    const assignments = typeof s.assignments === "number" ? exampleAssignments(i, s.assignments, tenant) : (s.assignments ?? []);
    const states = typeof s.deviceStates === "number" ? exampleDeviceStates(s.deviceStates) : (s.deviceStates ?? []);
    return poolState({
      id,
      displayName: s.displayName ?? `Pool ${i + 1}`,
      createdDateTime: at(0),
      activationCodeCount: s.activationCodeCount,
      assignments: assignments.map((a, j) => assignmentState(a, a.id ?? guid("e5a", tenant, i * 1000 + j), shapeTarget)),
      deviceStates: states.map((d, j) => deviceState(i, j, tenant, d)),
    });
  });
}

// The i-th example pool: a few assignments of different kinds and a device in every state.
function examplePool(i, shapeTarget, tenant) {
  const assignments = exampleAssignments(i, 2 + (i % 2), tenant);
  const states = exampleDeviceStates(DEVICE_STATES.length + (i % 3));
  return poolState({
    id: examplePoolId(i, tenant),
    displayName: i === 0 ? "Example pool" : `Example pool ${i + 1}`,
    createdDateTime: at(i),
    activationCodeCount: states.length + 10,
    assignments: assignments.map((a, j) => assignmentState(a, guid("e5a", tenant, i * 1000 + j), shapeTarget)),
    deviceStates: states.map((d, j) => deviceState(i, j, tenant, d)),
  });
}

function exampleAssignments(i, n, tenant) {
  const kinds = [
    (j) => ({ "@odata.type": `${NS}groupAssignmentTarget`, groupId: guid("e59", tenant, i * 1000 + j) }),
    () => ({ "@odata.type": `${NS}allDevicesAssignmentTarget` }),
    (j) => ({ "@odata.type": `${NS}exclusionGroupAssignmentTarget`, groupId: guid("e59", tenant, i * 1000 + j) }),
  ];
  // Past the three kinds, more groups: enough to page through.
  return Array.from({ length: n }, (_, j) => ({ target: (kinds[j] ?? kinds[0])(j) }));
}

function exampleDeviceStates(n) {
  return Array.from({ length: n }, (_, j) => ({ state: DEVICE_STATES[j % DEVICE_STATES.length] }));
}

// A device state of the i-th pool, j-th device, filled in around what the spec gives. What Intune
// does not know Graph answers as null: a device not evaluated yet has never synced and holds no
// profile, every third device is shared (no user), every fifth has not reported its name, and
// only a failure has details. By position and state, so the example pools stay the same.
function deviceState(i, j, tenant, given = {}) {
  const state = given.state ?? DEVICE_STATES[j % DEVICE_STATES.length];
  const evaluated = state !== "notEvaluated";
  const details = { failed: "Profile download failed: the SM-DP+ server refused the matching ID.", error: "The device reported an error while installing the profile." };
  return {
    "@odata.type": `${NS}embeddedSIMDeviceState`,
    id: guid("e5d", tenant, i * 1000 + j),
    createdDateTime: at(60 + j),
    modifiedDateTime: at(120 + j),
    lastSyncDateTime: evaluated ? at(180 + j) : null,
    deviceName: j % 5 === 4 ? null : `DEVICE-${String(i + 1).padStart(2, "0")}-${String(j + 1).padStart(3, "0")}`,
    userName: j % 3 === 2 ? null : `user${j + 1}@contoso.example`,
    // A SIM is in one tenant only: the tenant is part of its number, as the pool is.
    universalIntegratedCircuitCardIdentifier: evaluated ? `8988247${String(tenant * 1000 + i).padStart(5, "0")}${String(j).padStart(7, "0")}` : null,
    stateDetails: details[state] ?? null,
    state,
    ...given,
  };
}

// An id of a kind (three hex digits), in a tenant, numbered n.
function guid(kind, tenant, n) {
  return `${kind}${tenant.toString(16).padStart(5, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

export function at(minutes) {
  return new Date(EPOCH + minutes * 60_000).toISOString();
}
