// What each endpoint does to a tenant's pools: assign, the assignments and device states (lists,
// create, and read, update and delete by id), a pool's PATCH, the pools' list and create. Each
// takes the request's `call` and answers through `error` and `ok` (routes.js makes them).
import { randomUUID } from "node:crypto";
import { NS } from "./facts.js";
import { assignmentState, NULL_DEVICE_STATE, poolView } from "./state.js";
import { activationCodesProblem, checkAssignBody, checkAssignment, deviceStateProblem, displayNameProblem } from "./validation.js";
import { collection, isJson, notFound, parseJson } from "./wire.js";

/** The endpoints, for a Graph that knows `targetKinds` and keeps targets in `shapeTarget`'s shape. */
export function resources({ targetKinds, shapeTarget }) {
  // The body of a write: its JSON, or Graph's answer to a body it cannot read.
  function bodyOf(call, error) {
    if (!isJson(call.headers)) return { answer: error(415, "UnsupportedMediaType", "The content type is not supported.") };
    const parsed = parseJson(call.body);
    if (parsed === undefined) return { answer: error(400, "BadRequest", "Invalid JSON in the request body.") };
    return { parsed };
  }

  function assign(pool, call, error, ok) {
    const { parsed, answer } = bodyOf(call, error);
    if (answer) return answer;
    const problem = checkAssignBody(parsed, targetKinds);
    if (problem) return error(400, "ModelValidationFailure", problem);
    // assign REPLACES the whole set: what was there and is not sent is gone.
    pool.assignments = parsed.assignments.map((a) => assignmentState(a, a.id ?? randomUUID(), shapeTarget));
    pool.modifiedDateTime = new Date().toISOString();
    return ok(200, collection("embeddedSIMActivationCodePoolAssignment", pool.assignments, true));
  }

  // Another admin writing right after this one: what a read-back must notice.
  function concurrentWrite(pool, target) {
    pool.assignments.push(assignmentState({ target }, randomUUID(), shapeTarget));
  }

  // POST .../assignments: one more assignment, with an id the service makes up.
  function createAssignment(pool, call, error, ok) {
    const { parsed, answer } = bodyOf(call, error);
    if (answer) return answer;
    const problem = checkAssignment(parsed, "assignment", targetKinds);
    if (problem) return error(400, "ModelValidationFailure", problem);
    const created = assignmentState(parsed, randomUUID(), shapeTarget);
    pool.assignments.push(created);
    pool.modifiedDateTime = new Date().toISOString();
    return ok(201, created);
  }

  // A device state written by a caller (Graph documents create, update and delete of them too).
  function createDeviceState(pool, call, error, ok) {
    const { parsed, answer } = bodyOf(call, error);
    if (answer) return answer;
    const problem = deviceStateProblem(parsed);
    if (problem) return error(400, "ModelValidationFailure", problem);
    const now = new Date().toISOString();
    const created = { "@odata.type": `${NS}embeddedSIMDeviceState`, ...NULL_DEVICE_STATE, state: "notEvaluated", ...parsed, id: randomUUID(), createdDateTime: now, modifiedDateTime: now };
    pool.deviceStates.push(created);
    return ok(201, created);
  }

  // One assignment or device state of a pool, by its id: read, update (PATCH) and delete.
  function item(pool, action, itemId, method, call, error, ok) {
    if (!["GET", "PATCH", "DELETE"].includes(method)) return error(405, "BadRequest", `The HTTP method '${method}' is not allowed for this resource.`);
    const isAssignment = action === "assignments";
    const [items, type] = isAssignment ? [pool.assignments, "embeddedSIMActivationCodePoolAssignment"] : [pool.deviceStates, "embeddedSIMDeviceState"];
    const found = items.find((x) => String(x.id).toLowerCase() === itemId.toLowerCase());
    if (!found) return error(404, "ResourceNotFound", notFound(type, itemId));
    if (method === "GET") return ok(200, found);
    if (method === "DELETE") items.splice(items.indexOf(found), 1);
    else {
      const { parsed, answer } = bodyOf(call, error);
      if (answer) return answer;
      // Only what is sent changes; a target sent replaces the old one whole, as PATCH does.
      const problem = isAssignment ? checkAssignment(parsed, "assignment", targetKinds, { partial: true }) : deviceStateProblem(parsed);
      if (problem) return error(400, "ModelValidationFailure", problem);
      // The id and dates are the service's: ones sent change nothing.
      const { target, ...rest } = parsed;
      const kept = { id: found.id, ...(isAssignment ? {} : { createdDateTime: found.createdDateTime, modifiedDateTime: new Date().toISOString() }) };
      Object.assign(found, rest, kept, target === undefined ? {} : { target: shapeTarget(target) });
    }
    if (isAssignment) pool.modifiedDateTime = new Date().toISOString();
    return method === "DELETE" ? ok(204) : ok(200, found);
  }

  function patchPool(pool, call, error, ok) {
    const { parsed: p, answer } = bodyOf(call, error);
    if (answer) return answer;
    if (!p || typeof p !== "object" || Array.isArray(p)) return error(400, "BadRequest", "The request body must be a pool object.");
    // Properties the service sets are ignored, as Graph does; anything it does not know is refused.
    const writable = ["displayName", "activationCodes"];
    const serviceSet = ["@odata.type", "id", "createdDateTime", "modifiedDateTime", "activationCodeCount"];
    const unknown = Object.keys(p).find((k) => !writable.includes(k) && !serviceSet.includes(k));
    if (unknown) return error(400, "BadRequest", `The property '${unknown}' does not exist on type 'microsoft.graph.embeddedSIMActivationCodePool'.`);
    const problem = (p.displayName !== undefined ? displayNameProblem(p.displayName) : null) ?? (p.activationCodes !== undefined ? activationCodesProblem(p.activationCodes) : null);
    if (problem) return error(400, "ModelValidationFailure", problem);
    if (p.displayName !== undefined) pool.displayName = p.displayName;
    // The codes are write-only: only their count is kept. It is the count of the codes sent, as
    // when the pool was created; a count sent with them, or alone, is the service's to set.
    if (p.activationCodes !== undefined) pool.activationCodeCount = p.activationCodes.length;
    pool.modifiedDateTime = new Date().toISOString();
    return ok(200, poolView(pool));
  }

  // A collection with Graph's paging: $top items (or the tenant's page size), then an absolute
  // @odata.nextLink with a $skiptoken. $select keeps only the named properties (and id);
  // $filter understands `displayName eq '...'`.
  function list(tenant, call, name, items, error, ok) {
    const q = new URLSearchParams(call.search);
    let rows = items;
    const filter = q.get("$filter");
    if (filter !== null) {
      const eq = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
      if (!eq) return error(400, "BadRequest", `Invalid filter clause: ${filter}`);
      rows = rows.filter((r) => r.displayName === eq[1].replaceAll("''", "'"));
    }
    const skip = Number(q.get("$skiptoken") ?? 0);
    const top = q.has("$top") ? Number(q.get("$top")) : tenant.pageSize;
    const page = rows.slice(skip, skip + top);
    const select = q.get("$select")?.split(",");
    const value = select ? page.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => select.includes(k) || k === "id"))) : page;
    const out = collection(name, value);
    if (skip + top < rows.length) {
      const next = new URLSearchParams(q);
      next.set("$skiptoken", String(skip + top));
      next.set("$top", String(top));
      out["@odata.nextLink"] = `${call.origin}${call.path}?${next}`;
    }
    return ok(200, out);
  }

  function createPool(tenant, call, error, ok) {
    const p = parseJson(call.body);
    if (p === undefined) return error(400, "BadRequest", "Invalid JSON in the request body.");
    if (!p || typeof p !== "object" || Array.isArray(p)) return error(400, "BadRequest", "The request body must be a pool object.");
    const problem = displayNameProblem(p.displayName) ?? activationCodesProblem(p.activationCodes);
    if (problem) return error(400, "ModelValidationFailure", problem);
    const id = tenant.addPool(randomUUID(), p.displayName);
    const pool = tenant.pools.get(id);
    pool.activationCodeCount = p.activationCodes.length;
    return ok(201, poolView(pool));
  }

  return { assign, concurrentWrite, createAssignment, createDeviceState, item, patchPool, list, createPool };
}
