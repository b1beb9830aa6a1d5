// The public functions, shared by every entry. Each waits for the wasm to be ready; the core
// checks the arguments and makes the request, send() does the I/O. Flows that span several
// requests (following @odata.nextLink, read-merge-write-verify) are written here; every rule and
// every single request is the core's.
import { ok, prepare } from "./core.js";
import { send } from "./send.js";
import { ConflictError } from "./errors.js";
import { assignMany as bulk } from "./bulk.js";
import { ready } from "./ready.js";

// A fresh client-request-id for each call: it correlates logs, it guards nothing, so
// Math.random is enough where crypto.randomUUID is missing (plain http pages).
const guid = () =>
  globalThis.crypto?.randomUUID?.() ??
  "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) => (c ^ ((Math.random() * 16) >> (c / 4))).toString(16));

// A call's arguments, named as the core reads them.
const named = (names, args) => Object.fromEntries(names.map((name, i) => [name, args[i]]));

// An operation that makes one request.
const request =
  (op, names) =>
  async (...args) => {
    await ready(op);
    const fields = named(names, args);
    const { plan, body } = prepare(op, fields, guid());
    return send(plan, body, fields.token, fields.options);
  };

// An operation that needs no network.
const local =
  (op, names, text) =>
  async (...args) => {
    await ready(op);
    return ok(op, named(names, args), text).ok;
  };

// Every item of a list, page after page; `timeoutMs` bounds the whole walk, not each page.
async function* iterate(page, before, token, options) {
  const ms = options?.timeoutMs;
  const deadline = typeof ms === "number" && ms > 0 ? Date.now() + ms : undefined;
  let nextLink = null;
  do {
    const opts = deadline === undefined ? options : { ...options, timeoutMs: Math.max(1, deadline - Date.now()) };
    const result = await page(...before, token, opts, nextLink);
    yield* result.value;
    nextLink = result.nextLink;
  } while (nextLink);
}

async function all(items) {
  const out = [];
  for await (const item of items) out.push(item);
  return out;
}

const poolsPage = request("listPools", ["token", "options", "nextLink"]);
const assignmentsPage = request("listAssignments", ["poolId", "token", "options", "nextLink"]);
const deviceStatesPage = request("listDeviceStates", ["poolId", "token", "options", "nextLink"]);

export const assign = request("assign", ["poolId", "assignments", "token", "options"]);
export const listPools = (token, options) => all(iterate(poolsPage, [], token, options));
export const iteratePools = (token, options) => iterate(poolsPage, [], token, options);
export const getPool = request("getPool", ["poolId", "token", "options"]);
export const createPool = request("createPool", ["pool", "token", "options"]);
export const deletePool = request("deletePool", ["poolId", "token", "options"]);
export const listAssignments = (poolId, token, options) => all(iterate(assignmentsPage, [poolId], token, options));
export const listDeviceStates = (poolId, token, options) => all(iterate(deviceStatesPage, [poolId], token, options));
export const parseActivationCodesCsv = local("parseActivationCodesCsv", ["text"]);
export const previewAssign = local("previewAssign", ["poolId", "assignments", "options"], "(a fresh GUID for each call)");

const checkAssignMany = (poolIds, assignments, token, options, bulkOptions) =>
  ok("checkAssignMany", { poolIds, assignments, token, options, bulk: bulkOptions });
const many = bulk(assign, checkAssignMany);
export const assignMany = async (...args) => {
  await ready("checkAssignMany");
  return many(...args);
};

// addAssignments / removeAssignments: read the set, merge, write it whole, read it back. If the
// read-back differs from what was written, someone changed the pool in between.
const change = (kind) => async (poolId, targets, token, options) => {
  await ready("checkChange");
  ok("checkChange", { poolId, targets, token, options });
  const before = await listAssignments(poolId, token, options);
  const merged = ok("mergeAssignments", { current: before, targets, change: kind }).ok;
  if (merged.unchanged) return { before, after: before, added: [], removed: [] };
  await assign(poolId, merged.assignments, token, options);
  const after = await listAssignments(poolId, token, options);
  if (!ok("sameAssignments", { written: merged.assignments, found: after }).ok) {
    throw new ConflictError(
      "The pool's assignments changed while they were being written (another admin or script?): what Graph holds now is not what was written. Read them again and retry.",
      { written: merged.assignments, found: after },
    );
  }
  return { before, after, added: merged.added, removed: merged.removed.map((i) => before[i]) };
};
export const addAssignments = change("add");
export const removeAssignments = change("remove");
