// The request `assign` will send, and what is wrong with the form's values, both as the package
// itself says: previewAssign builds the very request (the token masked, nothing sent) or rejects
// with a ValidationError listing every problem, so the page has no rules or messages of its own
// that could drift from the package's.
import { assign, previewAssign, ValidationError } from "intune-esim";

/**
 * The package's word on the form's values, sending nothing: `{ request, issues }`, where
 * `request` is `{ method, url, headers, body }` or null while `issues` (`{ path, message }`, a
 * ValidationError's) is not empty. Any other failure (the wasm could not load) rejects.
 */
export async function check({ baseUrl, poolId, token, assignments, clientRequestId }) {
  const [preview, tokenIssues] = await Promise.all([
    previewAssign(poolId, assignments, { baseUrl, clientRequestId }).then(
      (request) => ({ request, issues: [] }),
      (e) => ({ request: null, issues: issuesOf(e) }),
    ),
    checkToken(token),
  ]);
  return { request: preview.request, issues: [...preview.issues, ...tokenIssues] };
}

// previewAssign takes no token. `assign` checks the token with everything else and, given no
// pool id, is refused before anything is sent (a ValidationError means nothing was sent), so its
// issues at `token` are the package's own about this token. Its `fetch` sends nothing either, at
// once and without retries: the token must never leave the page for a check, even if the package
// ever took that call.
const sendNothing = () => Promise.reject(new Error("the token check sends nothing"));
async function checkToken(token) {
  try {
    await assign("", [], token, { fetch: sendNothing, maxRetries: 0 });
  } catch (e) {
    return issuesOf(e).filter(({ path }) => path === "token");
  }
  return [];
}

function issuesOf(e) {
  if (e instanceof ValidationError) return e.issues;
  throw e;
}

/** `check`'s result as an admin reads it: the request's text, or why there is none. */
export function previewText({ request, issues }) {
  if (!request) {
    const n = issues.length;
    return [
      `Nothing to send yet: the package finds ${n === 1 ? "a problem" : `${n} problems`}, and Assign sends nothing until ${n === 1 ? "it is" : "they are"} fixed.`,
      "",
      ...issues.map(({ path, message }) => `${path}: ${message}`),
    ].join("\n");
  }
  const { method, url, headers, body } = request;
  const head = [`${method} ${url}`, ...headers.map(([name, value]) => `${name}: ${value}`)];
  // The body as sent, indented to be read.
  return body == null ? head.join("\n") : [...head, "", JSON.stringify(JSON.parse(body), null, 2)].join("\n");
}

/** A random (version 4) GUID for `client-request-id`; getRandomValues works on plain http too. */
export function newGuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
