// intune-esim/emulator: a local Microsoft Graph (beta) for the eSIM activation code pool
// endpoints, for tests of portals and scripts. A real HTTP server on 127.0.0.1 that checks the
// bearer token, validates bodies as Graph does, answers in Graph's shapes (errors, paging,
// JSON batching), enforces Intune's limits and sends the CORS headers a browser page needs.
// Node only, and nothing but Node's standard library, so it can run anywhere the tests run.
//
//   import { startGraphEmulator } from "intune-esim/emulator";
//   const graph = await startGraphEmulator({ pools: 3, scale: 0.05 });
//   // ... point the code under test at graph.baseUrl with graph.token ...
//   graph.fault(graph.poolIds[1], { kind: "status", status: 429, retryAfter: 2, times: 2 });
//   await graph.close();
//
// Or alone: `npx intune-esim emulator --port 8787 --pools 5`.
// The README's "Testing your portal against the emulator" section and emulator.d.ts describe every option.

import http from "node:http";
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

// Graph's facts (target kinds, filters, device states, code patterns, Intune's limits), read
// from the one file the library's core is held to (tests/facts.rs), so the two cannot drift apart.
const FACTS = JSON.parse(readFileSync(new URL("./facts.json", import.meta.url), "utf8"));

/** The token the emulator accepts unless told another. Not a secret: it only opens the emulator. */
export const TEST_TOKEN = "emulator-test-token.not-a-real-jwt";

/** The pool that exists when `pools` is not given, and the first of `pools: N`. */
export const EXAMPLE_POOL_ID = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";

/** `embeddedSIMDeviceStateValue`'s members, in Graph's order. */
export const DEVICE_STATES = [...FACTS.deviceStates];

/** Intune's limits for these resources, per app (here: per token) and per window. */
export const INTUNE_LIMITS = Object.freeze({ ...FACTS.intuneLimits });

/** The most requests one `$batch` may carry. */
export const BATCH_LIMIT = FACTS.batchSize;

/** The i-th pool's id when its spec gives none: deterministic, so tests can name them. */
export function examplePoolId(i) {
  return i === 0 ? EXAMPLE_POOL_ID : guid("e5100000", i);
}

const NS = "#microsoft.graph.";
const ASSIGNMENT_TYPE = `${NS}embeddedSIMActivationCodePoolAssignment`;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Each target kind the emulator knows, with the property naming what it targets (checked).
const TARGET_KINDS = FACTS.targetKinds;
const FILTER_ID = FACTS.filter.idProperty;
const FILTER_TYPE = FACTS.filter.typeProperty;
const FILTER_TYPES = FACTS.filter.types;
// How Intune writes "no filter" on the targets it answers: this id with the type `none`.
const NO_FILTER_ID = FACTS.filter.noFilterId;
// An activation code's fields, each with the pattern Graph's metadata gives it.
const CODE_PATTERNS = Object.entries(FACTS.activationCodePatterns).map(([field, pattern]) => [field, new RegExp(pattern)]);
// How targets are kept and answered. Intune's own answers carry both filter properties on every
// target; the eSIM docs' examples predate filters, so "docs" keeps a target exactly as written.
const TARGET_SHAPES = {
  intune: (t) => {
    const type = t[FILTER_TYPE] ?? "none";
    // No filter, a null id and the zero id with `none` are one thing: Intune's zero id.
    return { "@odata.type": t["@odata.type"], ...t, [FILTER_ID]: t[FILTER_ID] ?? (type === "none" ? NO_FILTER_ID : null), [FILTER_TYPE]: type };
  },
  docs: (t) => ({ ...t }),
};
// The paths Graph knows, segment by segment: the pools, then a pool's id, then what may follow it
// (true: an item's id may follow that).
const POOLS_ROOT = ["beta", "deviceManagement", "embeddedSIMActivationCodePools"];
const POOL_SEGMENTS = { assign: false, assignments: true, deviceStates: true };
const BATCH_PATH = "/beta/$batch";
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const FAULT_KINDS = new Set(["status", "html", "body", "slow", "hang", "drop", "concurrentWrite", "noContent"]);
// These act after the request is carried out (another admin's write, PATCH's other answer), so
// the request itself is never cut short by them.
const AFTER_KINDS = new Set(["concurrentWrite", "noContent"]);
// Example data's clock: fixed, so two runs (and reset()) give the same pools.
const EPOCH = Date.parse("2026-01-05T09:00:00Z");

/**
 * Starts the emulator on 127.0.0.1. Options: `port` (0, any free one), `token`, `pools`, `limits`
 * (`{ writes, requests, windowMs }` over Intune's, or `false` for none), `scale` (multiplies the
 * limits' window), `pageSize` (items per page without `$top`, default 100), `latencyMs`,
 * `targetShape` ("intune" or "docs"), `extraTargetKinds`. See emulator.d.ts.
 */
export async function startGraphEmulator({
  port = 0,
  token = TEST_TOKEN,
  pools: poolSpecs,
  limits,
  scale = 1,
  pageSize = 100,
  latencyMs = 0,
  targetShape = "intune",
  extraTargetKinds = [],
} = {}) {
  if (!(typeof latencyMs === "number" && latencyMs >= 0)) throw new TypeError("startGraphEmulator: latencyMs must be a number of milliseconds, 0 or more");
  if (typeof token !== "string" || token === "") throw new TypeError("startGraphEmulator: token must be a non-empty string");
  if (!(typeof scale === "number" && scale > 0)) throw new TypeError("startGraphEmulator: scale must be a number above 0");
  if (!Object.hasOwn(TARGET_SHAPES, targetShape)) throw new TypeError('startGraphEmulator: targetShape must be "intune" or "docs"');
  const limit = limitsOf(limits, scale);
  const shapeTarget = TARGET_SHAPES[targetShape];
  const targetKinds = targetKindsOf(extraTargetKinds);
  const startingPools = () => poolsOf(poolSpecs, shapeTarget);
  const startingPageSize = pageSizeOf(pageSize);

  const pools = new Map();
  const faults = new Map();
  const requests = [];
  // Per token, the times of the requests and writes inside the window. Keyed by a hash so the
  // token itself is not kept anywhere but in `token`.
  const windows = new Map();
  let throttled = 0;
  let currentPageSize = startingPageSize;
  const sockets = new Set();
  const timers = new Set();

  const addPoolState = (p) => pools.set(p.id.toLowerCase(), p);
  const reset = () => {
    pools.clear();
    startingPools().forEach(addPoolState);
    faults.clear();
    windows.clear();
    throttled = 0;
    requests.length = 0;
    currentPageSize = startingPageSize;
  };
  reset();

  const addPool = (id = randomUUID(), displayName = "Test pool") => {
    addPoolState(poolState({ id, displayName, createdDateTime: new Date().toISOString() }));
    return id;
  };

  const fault = (poolId, spec, times) => {
    if (typeof poolId !== "string" || poolId === "") throw new TypeError("fault: poolId must be a pool id, \"pools\" or \"$batch\"");
    if (spec === null || spec === undefined) return void faults.delete(poolId.toLowerCase());
    if (!FAULT_KINDS.has(spec?.kind)) throw new TypeError(`fault: unknown kind ${JSON.stringify(spec?.kind)}`);
    if (spec.kind === "status" && !Number.isInteger(spec.status)) throw new TypeError("fault: a status fault needs a status");
    const on = spec.on ?? (spec.kind === "noContent" ? "PATCH" : undefined);
    faults.set(poolId.toLowerCase(), { ...spec, on, times: times ?? spec.times ?? 1 });
  };

  // Scrubs the token out of what the log keeps, whichever header or body a client put it in.
  const scrub = (s) => (typeof s === "string" ? s.replaceAll(token, "[token]") : s);

  // Counts one request against the caller's window; resolves to the wait before a retry could
  // pass (ms), or 0 when it passes now.
  function admit(auth, method) {
    if (!limit) return 0;
    const key = createHash("sha256").update(auth).digest("base64url");
    let w = windows.get(key);
    if (!w) windows.set(key, (w = { requests: [], writes: [] }));
    const now = Date.now();
    for (const times of [w.requests, w.writes]) while (times.length && times[0] <= now - limit.windowMs) times.shift();
    const write = WRITES.has(method);
    let waitMs = 0;
    if (w.requests.length >= limit.requests) waitMs = w.requests[0] + limit.windowMs - now;
    if (write && w.writes.length >= limit.writes) waitMs = Math.max(waitMs, w.writes[0] + limit.windowMs - now);
    if (waitMs > 0) {
      throttled += 1;
      return waitMs;
    }
    w.requests.push(now);
    if (write) w.writes.push(now);
    return 0;
  }

  const sleep = (ms) =>
    new Promise((resolve) => {
      const t = setTimeout(() => (timers.delete(t), resolve()), ms);
      timers.add(t);
    });

  /**
   * One Graph request, from the wire or from inside a `$batch`, to its answer: `{ status, headers,
   * body? }`, or `{ drop: true }` / `{ hang: true }`. `call`: `{ method, path, search, headers
   * (lower-case names), body (text), origin, gone(), batchId? }`.
   */
  async function route(call) {
    const { method, path, headers } = call;
    const auth = headers.authorization ?? "";
    const isBatch = path === BATCH_PATH && call.batchId === undefined;
    const where = isBatch ? {} : resourceOf(path);
    const known = where.unknown === undefined && !where.notServed;
    const poolId = where.poolId?.toLowerCase();
    const { action, itemId } = where;
    requests.push({
      method,
      path: scrub(path),
      query: scrub(call.search),
      poolId,
      tokenMatched: auth === `Bearer ${token}`,
      headers: Object.fromEntries(Object.entries(headers).filter(([k]) => k !== "authorization").map(([k, v]) => [k, scrub(v)])),
      body: scrub(call.body),
      ...(call.batchId !== undefined ? { batchId: call.batchId } : {}),
    });

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
    const f = known && faults.get(isBatch ? "$batch" : (poolId ?? "pools"));
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
    if (auth !== `Bearer ${token}`) return error(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
    if (isBatch) return method === "POST" ? batch(call, error, ids) : error(405, "BadRequest", `The HTTP method '${method}' is not allowed for this resource.`);
    // Graph answers a segment it does not know with 400, not 404 (a 404 is for an id it does not have).
    if (where.unknown !== undefined) return error(400, "BadRequest", `Resource not found for the segment '${where.unknown}'.`);
    if (where.notServed) return error(501, "NotImplemented", "The emulator serves the embeddedSIMActivationCodePools endpoints only.");
    const waitMs = admit(auth, method);
    if (waitMs > 0) return error(429, "TooManyRequests", "Too many requests.", { "Retry-After": String(Math.max(1, Math.ceil(waitMs / 1000))) });

    const pool = poolId && pools.get(poolId);
    if (poolId && !pool) return error(404, "ResourceNotFound", notFound("embeddedSIMActivationCodePool", where.poolId));
    const ok = (status, value) => (value === undefined ? { status, headers: { ...ids } } : json(status, value, ids));
    const after = applies && AFTER_KINDS.has(f.kind) ? f : null;

    if (itemId !== undefined) return item(pool, action, itemId, method, call, error, ok);
    if (action === "assign" && method === "POST") {
      const answer = assign(pool, call, error, ok);
      // Another admin writing right after this one: what a read-back must notice.
      if (after?.kind === "concurrentWrite" && answer.status === 200) {
        after.times -= 1;
        pool.assignments.push(assignmentState({ target: after.target }, randomUUID(), shapeTarget));
      }
      return answer;
    }
    if (action === "assignments" && method === "GET") return list(call, "assignments", pool.assignments, error, ok);
    if (action === "assignments" && method === "POST") return createAssignment(pool, call, error, ok);
    if (action === "deviceStates" && method === "GET") return list(call, "deviceStates", pool.deviceStates, error, ok);
    if (action === "deviceStates" && method === "POST") return createDeviceState(pool, call, error, ok);
    if (!action && poolId && method === "GET") return ok(200, poolView(pool));
    if (!action && poolId && method === "PATCH") {
      const answer = patchPool(pool, call, error, ok);
      if (after?.kind === "noContent" && answer.status === 200) {
        after.times -= 1;
        return ok(204);
      }
      return answer;
    }
    if (!action && poolId && method === "DELETE") {
      pools.delete(poolId);
      return ok(204);
    }
    if (!action && !poolId && method === "GET") return list(call, "embeddedSIMActivationCodePools", [...pools.values()].map(poolView), error, ok);
    if (!action && !poolId && method === "POST") return createPool(call, error, ok);
    return error(405, "BadRequest", `The HTTP method '${method}' is not allowed for this resource.`);
  }

  // JSON batching: each inner request goes through route() exactly as if it came alone, with the
  // envelope's token; the envelope itself counts against no limit.
  async function batch(call, error, ids) {
    if (!isJson(call.headers)) return error(415, "UnsupportedMediaType", "The content type is not supported.");
    const parsed = parseJson(call.body);
    const inner = parsed?.requests;
    if (!Array.isArray(inner) || inner.length === 0) return error(400, "BadRequest", "Invalid batch payload: 'requests' must be a non-empty array.");
    if (inner.length > BATCH_LIMIT) return error(400, "BadRequest", `The number of batch requests exceeds the limit of ${BATCH_LIMIT}.`);
    const seen = new Set();
    for (const r of inner) {
      const bad = !r || typeof r !== "object" || typeof r.id !== "string" || r.id === "" || typeof r.method !== "string" || typeof r.url !== "string";
      if (bad) return error(400, "BadRequest", "Invalid batch payload: every request needs an id, a method and a url.");
      // Graph compares a batch's ids without regard to case: "A" and "a" are the same id.
      const id = r.id.toLowerCase();
      if (seen.has(id)) return error(400, "BadRequest", `Invalid batch payload: the id '${r.id}' is used twice.`);
      seen.add(id);
    }
    // Side by side, as Graph runs a batch's requests that do not depend on each other.
    const answers = await Promise.all(
      inner.map((r) => {
        const target = innerTarget(r.url);
        const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
        return target
          ? route({
              ...call,
              method: r.method.toUpperCase(),
              path: target.path,
              search: target.search,
              headers: { ...headers, authorization: call.headers.authorization ?? "" },
              body: r.body === undefined ? "" : typeof r.body === "string" ? r.body : JSON.stringify(r.body),
              batchId: r.id,
            })
          : error(400, "BadRequest", `Invalid request URL '${r.url}': a batch's URLs are relative to the version, like /deviceManagement/...`);
      }),
    );
    // A dropped or hung inner request takes the whole batch with it, as a stuck backend would.
    const stuck = answers.find((a) => a.drop || a.hang);
    if (stuck) return stuck;
    const responses = answers.map((answer, i) => innerResponse(inner[i].id, answer));
    return json(200, { responses }, ids);
  }

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

  // A collection with Graph's paging: $top items (or the page size), then an absolute
  // @odata.nextLink with a $skiptoken. $select keeps only the named properties (and id);
  // $filter understands `displayName eq '...'`.
  function list(call, name, items, error, ok) {
    const q = new URLSearchParams(call.search);
    let rows = items;
    const filter = q.get("$filter");
    if (filter !== null) {
      const eq = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
      if (!eq) return error(400, "BadRequest", `Invalid filter clause: ${filter}`);
      rows = rows.filter((r) => r.displayName === eq[1].replaceAll("''", "'"));
    }
    const skip = Number(q.get("$skiptoken") ?? 0);
    const top = q.has("$top") ? Number(q.get("$top")) : currentPageSize;
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

  function createPool(call, error, ok) {
    const p = parseJson(call.body);
    if (p === undefined) return error(400, "BadRequest", "Invalid JSON in the request body.");
    if (!p || typeof p !== "object" || Array.isArray(p)) return error(400, "BadRequest", "The request body must be a pool object.");
    const problem = displayNameProblem(p.displayName) ?? activationCodesProblem(p.activationCodes);
    if (problem) return error(400, "ModelValidationFailure", problem);
    const id = addPool(randomUUID(), p.displayName);
    const pool = pools.get(id);
    pool.activationCodeCount = p.activationCodes.length;
    return ok(201, poolView(pool));
  }

  // The emulator's own routes, under /_emulator/, for pages and processes that cannot call
  // the returned object: faults, new pools, the request log, reset.
  function control(path, method, search, body) {
    const input = body ? parseJson(body) : {};
    if (input === undefined) return json(400, { error: "invalid JSON" });
    if (path === "/_emulator/faults" && method === "POST") {
      try {
        fault(input.poolId, input.fault, input.times);
      } catch (e) {
        return json(400, { error: e.message });
      }
      return { status: 204, headers: {} };
    }
    if (path === "/_emulator/pools" && method === "POST") return json(201, { id: addPool(input.id, input.displayName) });
    if (path === "/_emulator/requests" && method === "GET") {
      const poolId = new URLSearchParams(search).get("poolId")?.toLowerCase();
      return json(200, { value: requests.filter((r) => !poolId || r.poolId === poolId) });
    }
    if (path === "/_emulator/reset" && method === "POST") return (reset(), { status: 204, headers: {} });
    return json(404, { error: `no emulator route ${method} ${path}` });
  }

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
  return {
    baseUrl: `${origin}/beta`,
    /** The server's root, without /beta: where /_emulator/ lives. */
    url: origin,
    token,
    /** Every request received, oldest first; the token is replaced by `tokenMatched`. */
    requests,
    /** The live state, keyed by lower-case pool id: `{ id, displayName, ..., assignments, deviceStates }`. */
    pools,
    /** The starting pools' ids, in order. */
    poolIds: startingPools().map((p) => p.id),
    /** How many requests the limits answered with 429 (faults not counted). */
    get throttled() {
      return throttled;
    },
    fault,
    addPool,
    /** Items per page when a request has no $top. */
    setPageSize: (n) => void (currentPageSize = pageSizeOf(n)),
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

/**
 * Starts the emulator and prints where it is and how to call it; resolves to the emulator. For
 * the `intune-esim emulator` command and `node emulator.js`: it parses nothing itself.
 */
export async function serveGraphEmulator(options = {}, print = console.log) {
  const graph = await startGraphEmulator(options);
  const limit = limitsOf(options.limits, options.scale ?? 1);
  // A token the user chose is theirs: it is not echoed.
  const bearer = options.token === undefined || options.token === TEST_TOKEN ? TEST_TOKEN : "<the token given>";
  print(`Graph emulator at ${graph.baseUrl}`);
  print(`  send: Authorization: Bearer ${bearer}`);
  print(`  pools: ${graph.poolIds.length}${graph.poolIds.length ? ` (first: ${graph.poolIds[0]})` : ""}`);
  const n = (x) => x.toLocaleString("en-US");
  print(limit ? `  limits: ${n(limit.writes)} writes and ${n(limit.requests)} requests per ${n(limit.windowMs / 1000)} s per token` : "  limits: none");
  return graph;
}

// --- state -------------------------------------------------------------------------------

function limitsOf(limits, scale) {
  if (limits === false) return null;
  if (limits !== undefined && (typeof limits !== "object" || limits === null)) throw new TypeError("startGraphEmulator: limits must be an object or false");
  const l = { ...INTUNE_LIMITS, ...limits };
  for (const k of ["writes", "requests", "windowMs"]) {
    if (!(typeof l[k] === "number" && l[k] > 0)) throw new TypeError(`startGraphEmulator: limits.${k} must be a number above 0`);
  }
  return { ...l, windowMs: l.windowMs * scale };
}

function pageSizeOf(n) {
  if (!(Number.isInteger(n) && n > 0)) throw new TypeError("startGraphEmulator: pageSize must be a whole number above 0");
  return n;
}

// The target kinds a Graph knows: the emulator's, and the ones a test adds (a kind newer or older
// than the library). An added kind's groupId is not checked; a kind the emulator knows keeps its rule.
function targetKindsOf(extra) {
  const name = /^[A-Za-z][A-Za-z0-9]*$/;
  if (!Array.isArray(extra) || !extra.every((k) => typeof k === "string" && name.test(k))) {
    throw new TypeError('startGraphEmulator: extraTargetKinds must be an array of target kind names like "androidFotaDeploymentAssignmentTarget" (without "#microsoft.graph.")');
  }
  return new Map([...extra.map((k) => [k, null]), ...Object.entries(TARGET_KINDS)]);
}

// The starting pools: the one example pool, N example pools, or the specs given.
function poolsOf(specs, shapeTarget) {
  if (specs === undefined) return [poolState({ id: EXAMPLE_POOL_ID, displayName: "Example pool" })];
  if (Number.isInteger(specs) && specs >= 0) return Array.from({ length: specs }, (_, i) => examplePool(i, shapeTarget));
  if (!Array.isArray(specs)) throw new TypeError("startGraphEmulator: pools must be a count or an array of pool specs");
  return specs.map((s, i) => {
    if (!s || typeof s !== "object") throw new TypeError(`startGraphEmulator: pools[${i}] must be an object`);
    const id = s.id ?? examplePoolId(i);
    const assignments = typeof s.assignments === "number" ? exampleAssignments(i, s.assignments) : (s.assignments ?? []);
    const states = typeof s.deviceStates === "number" ? exampleDeviceStates(i, s.deviceStates) : (s.deviceStates ?? []);
    return poolState({
      id,
      displayName: s.displayName ?? `Pool ${i + 1}`,
      activationCodeCount: s.activationCodeCount,
      assignments: assignments.map((a, j) => assignmentState(a, a.id ?? guid("e5a00000", i * 1000 + j), shapeTarget)),
      deviceStates: states.map((d, j) => deviceState(i, j, d)),
    });
  });
}

function poolState({ id, displayName, createdDateTime = at(0), activationCodeCount, assignments = [], deviceStates = [] }) {
  return {
    id,
    displayName,
    createdDateTime,
    modifiedDateTime: createdDateTime,
    activationCodeCount: activationCodeCount ?? deviceStates.length,
    assignments,
    deviceStates,
  };
}

// The i-th example pool: a few assignments of different kinds and a device in every state.
function examplePool(i, shapeTarget) {
  const assignments = exampleAssignments(i, 2 + (i % 2));
  const states = exampleDeviceStates(i, DEVICE_STATES.length + (i % 3));
  return poolState({
    id: examplePoolId(i),
    displayName: i === 0 ? "Example pool" : `Example pool ${i + 1}`,
    createdDateTime: at(i),
    activationCodeCount: states.length + 10,
    assignments: assignments.map((a, j) => assignmentState(a, guid("e5a00000", i * 1000 + j), shapeTarget)),
    deviceStates: states.map((d, j) => deviceState(i, j, d)),
  });
}

function exampleAssignments(i, n) {
  const kinds = [
    (j) => ({ "@odata.type": `${NS}groupAssignmentTarget`, groupId: guid("e5900000", i * 1000 + j) }),
    () => ({ "@odata.type": `${NS}allDevicesAssignmentTarget` }),
    (j) => ({ "@odata.type": `${NS}exclusionGroupAssignmentTarget`, groupId: guid("e5900000", i * 1000 + j) }),
  ];
  // Past the three kinds, more groups: enough to page through.
  return Array.from({ length: n }, (_, j) => ({ target: (kinds[j] ?? kinds[0])(j) }));
}

function exampleDeviceStates(i, n) {
  return Array.from({ length: n }, (_, j) => ({ state: DEVICE_STATES[j % DEVICE_STATES.length] }));
}

// An assignment as Graph keeps it: every property as written (Graph keeps what it knows, even
// what the emulator does not), the id given, and the target in the emulator's target shape.
function assignmentState(written, id, shapeTarget) {
  return { "@odata.type": ASSIGNMENT_TYPE, ...written, id, target: shapeTarget(written.target) };
}

// A device state of the i-th pool, j-th device, filled in around what the spec gives. What Intune
// does not know Graph answers as null: a device not evaluated yet has never synced and holds no
// profile, every third device is shared (no user), every fifth has not reported its name, and
// only a failure has details. By position and state, so the example pools stay the same.
function deviceState(i, j, given = {}) {
  const state = given.state ?? DEVICE_STATES[j % DEVICE_STATES.length];
  const evaluated = state !== "notEvaluated";
  const details = { failed: "Profile download failed: the SM-DP+ server refused the matching ID.", error: "The device reported an error while installing the profile." };
  return {
    "@odata.type": `${NS}embeddedSIMDeviceState`,
    id: guid("e5d00000", i * 1000 + j),
    createdDateTime: at(60 + j),
    modifiedDateTime: at(120 + j),
    lastSyncDateTime: evaluated ? at(180 + j) : null,
    deviceName: j % 5 === 4 ? null : `DEVICE-${String(i + 1).padStart(2, "0")}-${String(j + 1).padStart(3, "0")}`,
    userName: j % 3 === 2 ? null : `user${j + 1}@contoso.example`,
    universalIntegratedCircuitCardIdentifier: evaluated ? `8988247${String(i).padStart(5, "0")}${String(j).padStart(7, "0")}` : null,
    stateDetails: details[state] ?? null,
    state,
    ...given,
  };
}

// --- wire --------------------------------------------------------------------------------

/**
 * A path as Graph reads it: `{ poolId?, action?, itemId? }` for the pools and what is under them;
 * `{ unknown }`, the first segment Graph does not know; or `{ notServed: true }` for a path Graph
 * knows that stops before the pools (`/beta/deviceManagement`), which the emulator does not serve.
 */
function resourceOf(path) {
  const segments = path.split("/").slice(1);
  for (const [i, name] of POOLS_ROOT.entries()) {
    if (segments[i] === undefined) return { notServed: true };
    if (segments[i] !== name) return { unknown: segments[i] };
  }
  const [poolId, action, itemId, extra] = segments.slice(POOLS_ROOT.length);
  if (poolId === "") return { unknown: poolId };
  if (action !== undefined && !Object.hasOwn(POOL_SEGMENTS, action)) return { unknown: action };
  if (itemId !== undefined && (!POOL_SEGMENTS[action] || itemId === "")) return { unknown: itemId };
  if (extra !== undefined) return { unknown: extra };
  return { poolId, action, itemId };
}

// Intune's message for an id it does not have, in the ResourceNotFound answer.
function notFound(type, id) {
  return `{"Message": "No ${type} with id ${id}"}`;
}

function faultAnswer(f, error) {
  switch (f.kind) {
    case "slow":
      return null; // the delay, then the normal answer
    case "status": {
      const code = { 400: "BadRequest", 401: "InvalidAuthenticationToken", 403: "Forbidden", 404: "ResourceNotFound", 409: "Conflict", 429: "TooManyRequests", 500: "InternalServerError", 503: "ServiceUnavailable", 504: "GatewayTimeout" }[f.status] ?? "UnknownError";
      const retryAfter = f.retryAfter !== undefined ? { "Retry-After": String(f.retryAfter) } : {};
      return error(f.status, code, f.message ?? `Emulated ${f.status}.`, { ...f.headers, ...retryAfter });
    }
    case "html": {
      const status = f.status ?? 502;
      return { status, headers: { "Content-Type": "text/html" }, body: `<html><head><title>${status} Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>` };
    }
    case "body": {
      // Exactly this status and these bytes: malformed JSON, wrong shapes, empty bodies.
      const type = f.contentType === null ? {} : { "Content-Type": f.contentType ?? "application/json" };
      return { status: f.status ?? 200, headers: { ...type, ...f.headers }, body: f.base64 !== undefined ? Buffer.from(f.base64, "base64") : (f.text ?? "") };
    }
    case "drop":
      return { drop: true };
    case "hang":
      return { hang: true }; // never answers; the client's deadline or signal must end the call
    default:
      return null;
  }
}

// An inner URL as Graph takes it: relative to the version (`/deviceManagement/...` or
// `deviceManagement/...`), never absolute, never with the version again.
function innerTarget(url) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) return null;
  const rel = url.replace(/^\//, "");
  if (/^(beta|v1\.0)(\/|$)/i.test(rel)) return null;
  const u = new URL(rel, "http://emulator/beta/");
  if (!u.pathname.startsWith("/beta/")) return null;
  return { path: u.pathname, search: u.search };
}

// An inner answer in the batch's shape: JSON bodies as JSON, any other bytes base64, as Graph does.
function innerResponse(id, answer) {
  const out = { id, status: answer.status, headers: { ...answer.headers } };
  if (answer.body === undefined || answer.body.length === 0) return out;
  const text = Buffer.isBuffer(answer.body) ? answer.body.toString("utf8") : answer.body;
  const parsed = /json/i.test(answer.headers["Content-Type"] ?? "") ? parseJson(text) : undefined;
  out.body = parsed !== undefined ? parsed : Buffer.from(answer.body).toString("base64");
  return out;
}

function write(req, res, answer) {
  if (answer.drop) return void req.socket.destroy();
  if (answer.hang || res.destroyed) return;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

function json(status, value, headers = {}) {
  return { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers }, body: JSON.stringify(value) };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isJson(headers) {
  return /^application\/json/i.test(headers["content-type"] ?? "");
}

/** Graph's answer to an assign body it cannot take: the first problem, in Graph's words, or null. */
function checkAssignBody(body, kinds) {
  if (!body || typeof body !== "object" || !Array.isArray(body.assignments)) {
    return "The request body must have an 'assignments' collection.";
  }
  for (const [i, a] of body.assignments.entries()) {
    const problem = checkAssignment(a, `assignments[${i}]`, kinds);
    if (problem) return problem;
  }
  return null;
}

/**
 * One assignment, as assign's items and the assignments' POST and PATCH take it (`where` names it
 * in the message): the first problem, or null. `partial`: a PATCH, where the target may be left out.
 */
function checkAssignment(a, where, kinds, { partial = false } = {}) {
  if (!a || typeof a !== "object" || Array.isArray(a)) return `${where} is not an object.`;
  if (a["@odata.type"] !== undefined && String(a["@odata.type"]).replace(/^#?/, "#") !== ASSIGNMENT_TYPE) {
    return `${where} has an unexpected @odata.type.`;
  }
  const t = a.target;
  if (partial && t === undefined) return null;
  if (!t || typeof t !== "object") return `${where}.target is required.`;
  const kind = String(t["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "");
  if (!kinds.has(kind)) return `${where}.target has an unknown @odata.type.`;
  const idProperty = kinds.get(kind);
  if (idProperty === "groupId" && !GUID.test(t.groupId ?? "")) return `${where}.target.groupId must be a GUID.`;
  if (idProperty === "collectionId" && !t.collectionId) return `${where}.target.collectionId is required.`;
  const filterType = t[FILTER_TYPE];
  if (filterType !== undefined && !FILTER_TYPES.includes(filterType)) {
    return `Cannot convert the literal '${filterType}' to the expected type 'microsoft.graph.deviceAndAppManagementAssignmentFilterType'.`;
  }
  return null;
}

/**
 * The one displayName rule, for createPool and PATCH alike: a string that is not empty or only
 * white space. Graph documents no length or character rule, so the emulator makes up none.
 */
function displayNameProblem(name) {
  return typeof name === "string" && name.trim() !== "" ? null : "displayName must be a string that is not empty or only white space.";
}

/** activationCodes, for createPool and PATCH alike: an array of codes matching the metadata's patterns. */
function activationCodesProblem(codes) {
  if (!Array.isArray(codes)) return "activationCodes must be a collection of activation codes.";
  const i = codes.findIndex((c) => CODE_PATTERNS.some(([field, pattern]) => !pattern.test(c?.[field] ?? "")));
  return i < 0 ? null : `activationCodes[${i}] is not a valid activation code.`;
}

// A device state's nullable properties, unset.
const NULL_DEVICE_STATE = { deviceName: null, userName: null, universalIntegratedCircuitCardIdentifier: null, lastSyncDateTime: null, stateDetails: null };
const DEVICE_STATE_PROPERTIES = new Set(["@odata.type", "id", "createdDateTime", "modifiedDateTime", "state", ...Object.keys(NULL_DEVICE_STATE)]);

/** Graph's answer to a device state it cannot take: the first problem, or null. */
function deviceStateProblem(d) {
  if (!d || typeof d !== "object" || Array.isArray(d)) return "The request body must be a device state object.";
  const unknown = Object.keys(d).find((k) => !DEVICE_STATE_PROPERTIES.has(k));
  if (unknown) return `The property '${unknown}' does not exist on type 'microsoft.graph.embeddedSIMDeviceState'.`;
  if (d.state !== undefined && !DEVICE_STATES.includes(d.state)) {
    return `Cannot convert the literal '${d.state}' to the expected type 'microsoft.graph.embeddedSIMDeviceStateValue'.`;
  }
  for (const k of Object.keys(NULL_DEVICE_STATE)) if (d[k] !== undefined && d[k] !== null && typeof d[k] !== "string") return `${k} must be a string or null.`;
  return null;
}

function poolView({ assignments, deviceStates, ...p }) {
  return { "@odata.type": `${NS}embeddedSIMActivationCodePool`, ...p };
}

function collection(name, value, isAction) {
  return {
    "@odata.context": `https://graph.microsoft.com/beta/$metadata#${isAction ? `Collection(microsoft.graph.${name})` : `deviceManagement/${name}`}`,
    value,
  };
}

function graphError(code, message, ids) {
  const requestId = ids["request-id"] ?? randomUUID();
  return {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString().slice(0, 19), "request-id": requestId, "client-request-id": ids["client-request-id"] ?? requestId },
    },
  };
}

function cors(req, res) {
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
  res.setHeader("Vary", "Origin");
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, client-request-id, Retry-Attempt, Prefer");
  // Like Graph: request ids are readable from a page, Retry-After is not.
  res.setHeader("Access-Control-Expose-Headers", "request-id, client-request-id, Date");
  res.setHeader("Access-Control-Max-Age", "600");
}

function guid(prefix, n) {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

function at(minutes) {
  return new Date(EPOCH + minutes * 60_000).toISOString();
}
