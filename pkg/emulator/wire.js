// Graph's wire: its paths, its answers' shapes (JSON, errors, collections) and headers (CORS).
import { randomUUID } from "node:crypto";

// The paths Graph knows, segment by segment: the pools, then a pool's id, then what may follow it
// (true: an item's id may follow that).
const POOLS_ROOT = ["beta", "deviceManagement", "embeddedSIMActivationCodePools"];
const POOL_SEGMENTS = { assign: false, assignments: true, deviceStates: true };
export const BATCH_PATH = "/beta/$batch";

/**
 * A path as Graph reads it: `{ poolId?, action?, itemId? }` for the pools and what is under them;
 * `{ unknown }`, the first segment Graph does not know; or `{ notServed: true }` for a path Graph
 * knows that stops before the pools (`/beta/deviceManagement`), which the emulator does not serve.
 */
export function resourceOf(path) {
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
export function notFound(type, id) {
  return `{"Message": "No ${type} with id ${id}"}`;
}

/** An answer on the wire: `{ status, headers, body? }`, or `{ drop: true }` / `{ hang: true }`. */
export function write(req, res, answer) {
  if (answer.drop) return void req.socket.destroy();
  if (answer.hang || res.destroyed) return;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

export function json(status, value, headers = {}) {
  return { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers }, body: JSON.stringify(value) };
}

export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isJson(headers) {
  return /^application\/json/i.test(headers["content-type"] ?? "");
}

export function collection(name, value, isAction) {
  return {
    "@odata.context": `https://graph.microsoft.com/beta/$metadata#${isAction ? `Collection(microsoft.graph.${name})` : `deviceManagement/${name}`}`,
    value,
  };
}

export function graphError(code, message, ids) {
  const requestId = ids["request-id"] ?? randomUUID();
  return {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString().slice(0, 19), "request-id": requestId, "client-request-id": ids["client-request-id"] ?? requestId },
    },
  };
}

export function cors(req, res) {
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
  res.setHeader("Vary", "Origin");
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, client-request-id, Retry-Attempt, Prefer");
  // Like Graph: request ids are readable from a page, Retry-After is not.
  res.setHeader("Access-Control-Expose-Headers", "request-id, client-request-id, Date");
  res.setHeader("Access-Control-Max-Age", "600");
}
