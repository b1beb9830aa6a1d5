// JSON batching (POST /beta/$batch): each inner request goes through the routes exactly as if it
// came alone, with the envelope's token (so to the envelope's tenant); the envelope itself counts
// against no limit.
import { BATCH_LIMIT } from "./facts.js";
import { isJson, json, parseJson } from "./wire.js";

/** The batch `call` carries, answered: `route` answers each inner request. */
export async function batch(call, error, ids, route) {
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
