// A local Microsoft Graph for the eSIM activation code pool endpoints: a real HTTP server on
// loopback that checks the bearer token, validates bodies as Graph does, answers in Graph's JSON
// shapes (errors included) and sends the CORS headers a browser page needs.
//
// Tests steer it per pool, so they can run side by side: `POST /_emulator/faults` with
// `{ poolId, fault, times }` makes the next `times` requests for that pool answer with the fault
// (then it answers normally: "429 twice, then success"). Faults:
//   { kind: "status", status, message?, retryAfter?, headers? }  Graph's error JSON
//   { kind: "html", status? }                                     a gateway's HTML page
//   { kind: "body", status?, text? | base64?, contentType?, headers? }  exactly these bytes
//   { kind: "slow", delayMs }   { kind: "hang" }   { kind: "drop" }  (delayMs works with any kind)
// It records every request it gets, with the token replaced by whether it matched.
//
// Run alone: `node tests/emulator/graph.mjs [--port N] [--token T]`.

import http from "node:http";
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";

export const TEST_TOKEN = "emulator-test-token.not-a-real-jwt";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NS = "#microsoft.graph.";
const ASSIGNMENT_TYPE = `${NS}embeddedSIMActivationCodePoolAssignment`;
const TARGET_KINDS = {
  deviceAndAppManagementAssignmentTarget: null,
  allDevicesAssignmentTarget: null,
  allLicensedUsersAssignmentTarget: null,
  groupAssignmentTarget: "groupId",
  exclusionGroupAssignmentTarget: "groupId",
  configurationManagerCollectionAssignmentTarget: "collectionId",
};
const POOLS_PATH = /^\/beta\/deviceManagement\/embeddedSIMActivationCodePools(?:\/([^/]+))?(?:\/(assign|assignments|deviceStates))?$/;

/** A pool that always exists, for the example and quick manual calls. */
export const EXAMPLE_POOL_ID = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";

/**
 * Starts the emulator on 127.0.0.1. Resolves to `{ url, baseUrl, token, requests, pools,
 * setFault, addPool, close }`.
 */
export async function startEmulator({ port = 0, token = TEST_TOKEN, writeLimit } = {}) {
  const pools = new Map();
  const faults = new Map();
  const requests = [];
  const addPool = (id = randomUUID(), displayName = "Test pool") => {
    pools.set(id.toLowerCase(), {
      id,
      displayName,
      createdDateTime: new Date().toISOString(),
      modifiedDateTime: new Date().toISOString(),
      activationCodeCount: 0,
      assignments: [],
      deviceStates: [],
    });
    return id;
  };
  let pageSize = 100;
  // Intune's throttling, scaled down for tests when asked: at most `writes` writes in any
  // `perMs` window (Intune: 100 per 20 s per app per tenant); more get 429 with Retry-After.
  const recentWrites = [];
  const throttle = { count: 0 };
  const overLimit = (method) => {
    if (!writeLimit || !["POST", "PATCH", "PUT", "DELETE"].includes(method)) return 0;
    const now = Date.now();
    while (recentWrites.length && recentWrites[0] <= now - writeLimit.perMs) recentWrites.shift();
    if (recentWrites.length < writeLimit.writes) {
      recentWrites.push(now);
      return 0;
    }
    throttle.count += 1;
    return recentWrites[0] + writeLimit.perMs - now;
  };
  const baseOf = (req) => `http://${req.headers.host}`;
  const poolView = ({ assignments, deviceStates, ...p }) => ({ "@odata.type": `${NS}embeddedSIMActivationCodePool`, ...p });
  addPool(EXAMPLE_POOL_ID, "Example pool");
  const setFault = (poolId, fault, times = 1) => faults.set(poolId.toLowerCase(), { ...fault, times });

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      handle(req, res, body).catch((e) => {
        if (!res.headersSent) send(res, 500, graphError("InternalServerError", String(e?.message)));
      });
    });
  });

  async function handle(req, res, body) {
    cors(req, res);
    const url = new URL(req.url, "http://emulator");
    if (req.method === "OPTIONS") return void res.writeHead(204).end();

    if (url.pathname === "/_emulator/faults" && req.method === "POST") {
      const { poolId, fault, times } = JSON.parse(body);
      setFault(poolId, fault, times);
      return send(res, 204);
    }
    if (url.pathname === "/_emulator/pools" && req.method === "POST") {
      const { id, displayName } = body ? JSON.parse(body) : {};
      return send(res, 201, { id: addPool(id, displayName) });
    }
    if (url.pathname === "/_emulator/requests" && req.method === "GET") {
      const poolId = url.searchParams.get("poolId")?.toLowerCase();
      return send(res, 200, { value: requests.filter((r) => !poolId || r.poolId === poolId) });
    }

    const match = POOLS_PATH.exec(url.pathname);
    const poolId = match?.[1]?.toLowerCase();
    const auth = req.headers.authorization ?? "";
    requests.push({
      method: req.method,
      path: url.pathname,
      query: url.search,
      poolId,
      tokenMatched: auth === `Bearer ${token}`,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== "authorization")),
      body,
    });

    const requestId = randomUUID();
    res.setHeader("request-id", requestId);
    res.setHeader("client-request-id", req.headers["client-request-id"] ?? requestId);
    // Faults are set per pool id, or on "pools" for the pools collection itself; `on` limits one
    // to an action ("assign", "assignments", "deviceStates") or a method.
    const action = match?.[2];
    const fault = faults.get(poolId ?? "pools");
    const applies = fault && (!fault.on || fault.on === action || fault.on === req.method);
    if (applies && fault.times > 0 && fault.kind !== "concurrentWrite") {
      fault.times -= 1;
      const answered = await applyFault(res, fault, req, requestId);
      if (answered) return;
    }

    if (!auth.startsWith("Bearer ") || auth.length === 7) {
      return send(res, 401, graphError("InvalidAuthenticationToken", "Access token is empty.", req, requestId));
    }
    if (auth !== `Bearer ${token}`) {
      return send(res, 401, graphError("InvalidAuthenticationToken", "Access token validation failure. Invalid audience.", req, requestId));
    }
    if (!match) return send(res, 404, graphError("BadRequest", `Resource not found for the segment '${url.pathname.split("/").pop()}'.`, req, requestId));
    const waitMs = overLimit(req.method);
    if (waitMs > 0) {
      const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
      return send(res, 429, graphError("TooManyRequests", "Too many requests.", req, requestId), { "Retry-After": retryAfter });
    }

    const pool = poolId && pools.get(poolId);
    if (poolId && !pool) {
      return send(res, 404, graphError("ResourceNotFound", `{"Message": "No embeddedSIMActivationCodePool with id ${match[1]}"}`, req, requestId));
    }
    if (action === "assign" && req.method === "POST") {
      assign(res, pool, body, req, requestId);
      // Another admin writing right after this one: what a read-back must notice.
      if (applies && fault.kind === "concurrentWrite" && fault.times > 0) {
        fault.times -= 1;
        pool.assignments.push({ "@odata.type": ASSIGNMENT_TYPE, id: randomUUID(), target: fault.target });
      }
      return;
    }
    if (action === "assignments" && req.method === "GET") return list(res, url, "assignments", pool.assignments, req, requestId);
    if (action === "deviceStates" && req.method === "GET") return list(res, url, "deviceStates", pool.deviceStates, req, requestId);
    if (!action && poolId && req.method === "GET") return send(res, 200, poolView(pool));
    if (!action && poolId && req.method === "PATCH") return renamePool(res, pool, body, req, requestId);
    if (!action && poolId && req.method === "DELETE") {
      pools.delete(poolId);
      return send(res, 204);
    }
    if (!action && !poolId && req.method === "GET") {
      return list(res, url, "embeddedSIMActivationCodePools", [...pools.values()].map(poolView), req, requestId);
    }
    if (!action && !poolId && req.method === "POST") return createPool(res, body, req, requestId);
    return send(res, 405, graphError("BadRequest", `The HTTP method '${req.method}' is not allowed for this resource.`, req, requestId));
  }

  function assign(res, pool, body, req, requestId) {
    if (!/^application\/json/i.test(req.headers["content-type"] ?? "")) {
      return send(res, 415, graphError("UnsupportedMediaType", "The content type is not supported.", req, requestId));
    }
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(res, 400, graphError("BadRequest", "Invalid JSON in the request body.", req, requestId));
    }
    const problem = checkAssignBody(parsed);
    if (problem) return send(res, 400, graphError("ModelValidationFailure", problem, req, requestId));
    // assign REPLACES the whole set: what was there and is not sent is gone.
    pool.assignments = parsed.assignments.map((a) => ({
      "@odata.type": ASSIGNMENT_TYPE,
      id: a.id ?? randomUUID(),
      target: {
        "@odata.type": a.target["@odata.type"],
        deviceAndAppManagementAssignmentFilterId: null,
        deviceAndAppManagementAssignmentFilterType: "none",
        ...a.target,
      },
    }));
    pool.modifiedDateTime = new Date().toISOString();
    return send(res, 200, collection("embeddedSIMActivationCodePoolAssignment", pool.assignments, true));
  }

  // A collection with Graph's paging: $top items, then an @odata.nextLink with a $skiptoken.
  // $select keeps only the named properties; $filter understands `displayName eq '...'`.
  function list(res, url, name, items, req, requestId) {
    const q = url.searchParams;
    let rows = items;
    const filter = q.get("$filter");
    if (filter !== null) {
      const eq = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
      if (!eq) return send(res, 400, graphError("BadRequest", `Invalid filter clause: ${filter}`, req, requestId));
      rows = rows.filter((r) => r.displayName === eq[1].replaceAll("''", "'"));
    }
    const skip = Number(q.get("$skiptoken") ?? 0);
    const top = q.has("$top") ? Number(q.get("$top")) : pageSize;
    const page = rows.slice(skip, skip + top);
    const select = q.get("$select")?.split(",");
    const value = select ? page.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => select.includes(k) || k === "id"))) : page;
    const out = collection(name, value);
    if (skip + top < rows.length) {
      const next = new URLSearchParams(q);
      next.set("$skiptoken", String(skip + top));
      next.set("$top", String(top));
      out["@odata.nextLink"] = `${baseOf(req)}${url.pathname}?${next}`;
    }
    return send(res, 200, out);
  }

  // Only a rename: `{ displayName }`, answered 200 with the pool as it now is.
  function renamePool(res, pool, body, req, requestId) {
    let p;
    try {
      p = JSON.parse(body);
    } catch {
      return send(res, 400, graphError("BadRequest", "Invalid JSON in the request body.", req, requestId));
    }
    if (typeof p?.displayName !== "string" || !p.displayName) {
      return send(res, 400, graphError("ModelValidationFailure", "displayName must be a non-empty string.", req, requestId));
    }
    pool.displayName = p.displayName;
    pool.modifiedDateTime = new Date().toISOString();
    return send(res, 200, poolView(pool));
  }

  function createPool(res, body, req, requestId) {
    let p;
    try {
      p = JSON.parse(body);
    } catch {
      return send(res, 400, graphError("BadRequest", "Invalid JSON in the request body.", req, requestId));
    }
    const codes = Array.isArray(p?.activationCodes) ? p.activationCodes : null;
    const bad = !p?.displayName || !codes || codes.some((c) => !/^[0-9]{19}[0-9]?$/.test(c?.integratedCircuitCardIdentifier ?? "")
      || !/^[a-zA-Z0-9-]*$/.test(c?.matchingIdentifier ?? "")
      || !/^([a-zA-Z0-9]+(-[a-zA-Z0-9]+)*\.)+[a-zA-Z]{2,}$/.test(c?.smdpPlusServerAddress ?? ""));
    if (bad) return send(res, 400, graphError("ModelValidationFailure", "The pool or one of its activation codes is not valid.", req, requestId));
    const id = addPool(randomUUID(), p.displayName);
    pools.get(id).activationCodeCount = codes.length;
    return send(res, 201, poolView(pools.get(id)));
  }

  async function applyFault(res, fault, req, requestId) {
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (res.destroyed) return true;
    const errorWith = (status, code, message) => send(res, status, graphError(code, message, req, requestId));
    switch (fault.kind) {
      case "slow": return false; // the delay above, then the normal answer
      case "status": {
        const headers = { ...fault.headers, ...(fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {}) };
        const code = { 400: "BadRequest", 401: "InvalidAuthenticationToken", 403: "Forbidden", 404: "ResourceNotFound", 429: "TooManyRequests", 503: "ServiceUnavailable" }[fault.status] ?? "UnknownError";
        return send(res, fault.status, graphError(code, fault.message ?? `Emulated ${fault.status}.`, req, requestId), headers);
      }
      case "html": {
        res.writeHead(fault.status ?? 502, { "Content-Type": "text/html" });
        res.end(`<html><head><title>${fault.status ?? 502} Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>`);
        return true;
      }
      case "body": {
        // Answers with exactly this status and raw text: malformed JSON, wrong shapes, empty bodies.
        const type = fault.contentType === null ? {} : { "Content-Type": fault.contentType ?? "application/json" };
        res.writeHead(fault.status ?? 200, { ...type, ...fault.headers });
        res.end(fault.base64 !== undefined ? Buffer.from(fault.base64, "base64") : (fault.text ?? ""));
        return true;
      }
      case "drop": {
        req.socket.destroy();
        return true;
      }
      case "hang": {
        return true; // never answers; the client's deadline or signal must end the call
      }
      default:
        return errorWith(500, "InternalServerError", `Unknown emulator fault ${fault.kind}`);
    }
  }

  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    baseUrl: `${url}/beta`,
    token,
    pools,
    requests,
    addPool,
    setFault,
    /** `count`: how many requests the write limit answered with 429. */
    throttle,
    /** How many items a list page holds when the request has no $top (Graph's is larger). */
    setPageSize: (n) => (pageSize = n),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}

/** Graph's answer to a body it cannot take: the first problem, in Graph's words, or null. */
function checkAssignBody(body) {
  if (!body || typeof body !== "object" || !Array.isArray(body.assignments)) {
    return "The request body must have an 'assignments' collection.";
  }
  for (const [i, a] of body.assignments.entries()) {
    if (!a || typeof a !== "object") return `assignments[${i}] is not an object.`;
    if (a["@odata.type"] !== undefined && a["@odata.type"].replace(/^#?/, "#") !== ASSIGNMENT_TYPE) {
      return `assignments[${i}] has an unexpected @odata.type.`;
    }
    const t = a.target;
    if (!t || typeof t !== "object") return `assignments[${i}].target is required.`;
    const kind = String(t["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "");
    if (!(kind in TARGET_KINDS)) return `assignments[${i}].target has an unknown @odata.type.`;
    const idProperty = TARGET_KINDS[kind];
    if (idProperty === "groupId" && !GUID.test(t.groupId ?? "")) return `assignments[${i}].target.groupId must be a GUID.`;
    if (idProperty === "collectionId" && !t.collectionId) return `assignments[${i}].target.collectionId is required.`;
    const filterType = t.deviceAndAppManagementAssignmentFilterType;
    if (filterType !== undefined && !["none", "include", "exclude"].includes(filterType)) {
      return `Cannot convert the literal '${filterType}' to the expected type 'microsoft.graph.deviceAndAppManagementAssignmentFilterType'.`;
    }
  }
  return null;
}

function collection(name, value, isAction) {
  return {
    "@odata.context": `https://graph.microsoft.com/beta/$metadata#${isAction ? `Collection(microsoft.graph.${name})` : `deviceManagement/${name}`}`,
    value,
  };
}

function graphError(code, message, req, requestId) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        "request-id": requestId ?? randomUUID(),
        "client-request-id": req?.headers["client-request-id"] ?? requestId ?? randomUUID(),
      },
    },
  };
}

function cors(req, res) {
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
  res.setHeader("Vary", "Origin");
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, client-request-id, Retry-Attempt");
  // Like Graph: request ids are readable from a page, Retry-After is not.
  res.setHeader("Access-Control-Expose-Headers", "request-id, client-request-id, Date");
  res.setHeader("Access-Control-Max-Age", "600");
}

function send(res, status, json, headers = {}) {
  if (json === undefined) return void res.writeHead(status, headers).end();
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(json));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const emulator = await startEmulator({ port: Number(arg("--port") ?? 0), token: arg("--token") ?? TEST_TOKEN });
  console.log(`Graph emulator at ${emulator.baseUrl} (example pool ${EXAMPLE_POOL_ID})`);
}
