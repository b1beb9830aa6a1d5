// The public functions, shared by every entry. Each waits for the wasm to be ready, calls it,
// and turns its error descriptors into the exported error classes. Flows that span several
// requests (following @odata.nextLink, read-merge-write-verify) are written here; every rule
// and every single request is the wasm's.
import * as wasm from "./dist/intune_esim.js";
import { ConflictError, fromWasm } from "./errors.js";
import { assignMany as bulk } from "./bulk.js";
import { ready } from "./ready.js";

const call = (fn) => async (...args) => {
  await ready();
  try {
    return await fn(...args);
  } catch (e) {
    throw fromWasm(e);
  }
};

// Every item of a list, page after page; `timeoutMs` bounds the whole walk, not each page.
async function* iterate(page, before, token, options) {
  const ms = options?.timeoutMs;
  const deadline = typeof ms === "number" && ms > 0 ? Date.now() + ms : undefined;
  let nextLink = null;
  do {
    const opts = deadline === undefined ? options : { ...options, timeoutMs: Math.max(1, deadline - Date.now()) };
    const result = await call(page)(...before, token, opts, nextLink);
    yield* result.value;
    nextLink = result.nextLink;
  } while (nextLink);
}

async function all(items) {
  const out = [];
  for await (const item of items) out.push(item);
  return out;
}

export const assign = call(wasm.assign);
export const listPools = (token, options) => all(iterate(wasm.listPoolsPage, [], token, options));
export const iteratePools = (token, options) => iterate(wasm.listPoolsPage, [], token, options);
export const getPool = call(wasm.getPool);
export const createPool = call(wasm.createPool);
export const deletePool = call(wasm.deletePool);
export const listAssignments = (poolId, token, options) => all(iterate(wasm.listAssignmentsPage, [poolId], token, options));
export const listDeviceStates = (poolId, token, options) => all(iterate(wasm.listDeviceStatesPage, [poolId], token, options));
export const assignMany = call(bulk(assign, wasm.checkAssignMany));
export const parseActivationCodesCsv = call(wasm.parseActivationCodesCsv);
export const previewAssign = call(wasm.previewAssign);

// addAssignments / removeAssignments: read the set, merge, write it whole, read it back. If the
// read-back differs from what was written, someone changed the pool in between.
const change = (kind) =>
  call(async (poolId, targets, token, options) => {
    wasm.checkChange(poolId, targets, token, options);
    const before = await listAssignments(poolId, token, options);
    const merged = wasm.mergeAssignments(before, targets, kind);
    if (merged.unchanged) return { before, after: before, added: [], removed: [] };
    await wasm.assign(poolId, merged.assignments, token, options);
    const after = await listAssignments(poolId, token, options);
    if (!wasm.sameAssignments(merged.assignments, after)) {
      throw new ConflictError(
        "The pool's assignments changed while they were being written (another admin or script?): what Graph holds now is not what was written. Read them again and retry.",
        { written: merged.assignments, found: after },
      );
    }
    return { before, after, added: merged.added, removed: merged.removed.map((i) => before[i]) };
  });
export const addAssignments = change("add");
export const removeAssignments = change("remove");
