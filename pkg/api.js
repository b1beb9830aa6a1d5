// The public functions, shared by every entry. Each is the wasm's own export of the same name,
// loaded on the first call; only iteratePools' async iterator is JavaScript, over the wasm's
// pages.
import { exportOf } from "./ready.js";

const wasm =
  (name) =>
  async (...args) =>
    (await exportOf(name))(...args);

export const assign = wasm("assign");
export const listPools = wasm("listPools");
export const getPool = wasm("getPool");
export const createPool = wasm("createPool");
export const updatePool = wasm("updatePool");
export const deletePool = wasm("deletePool");
export const listAssignments = wasm("listAssignments");
export const listDeviceStates = wasm("listDeviceStates");
export const listAssignmentsMany = wasm("listAssignmentsMany");
export const listDeviceStatesMany = wasm("listDeviceStatesMany");
export const poolReport = wasm("poolReport");
export const tenantsReport = wasm("tenantsReport");
export const addAssignments = wasm("addAssignments");
export const removeAssignments = wasm("removeAssignments");
export const parseActivationCodesCsv = wasm("parseActivationCodesCsv");
export const previewAssign = wasm("previewAssign");
export const assignMany = wasm("assignMany");

/** Every pool, one at a time, reading the next page only when needed; `timeoutMs` bounds the
 * whole walk (the wasm counts it from `startedMs`). */
export async function* iteratePools(token, options) {
  const page = await exportOf("listPoolsPage");
  const startedMs = Date.now();
  let nextLink = null;
  do {
    const result = await page(token, options, nextLink, startedMs);
    yield* result.value;
    nextLink = result.nextLink;
  } while (nextLink);
}
