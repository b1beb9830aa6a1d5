// The core in the wasm speaks JSON text: an operation's arguments go in as one object made by
// JSON.stringify, and its answer comes back as {"ok": ...} or {"error": descriptor}, with a
// request's body after a NUL. JSON cannot hold functions, symbols, bigints or NaN, and would
// drop them silently; before that they are marked with strings no caller writes, which the core
// reads back as those kinds (so it can say "options.fetch: must be a fetch function, got a number").
import { fromWasm } from "./errors.js";
import { runner } from "./ready.js";

const core = (op, input, text) => runner(op)(op, input, text);

const FUNCTION = "\0function";
const OTHER = "\0other";
const NAN = "\0nan";

function mark(key, v) {
  switch (typeof v) {
    case "function":
      return FUNCTION;
    case "bigint":
    case "symbol":
      return OTHER;
    case "number":
      return Number.isFinite(v) ? v : NAN;
    case "string":
      // A caller's string that looks like a mark is not one.
      return v.startsWith("\0") ? OTHER : v;
    case "object":
      if (v === null || Array.isArray(v)) return v;
      if (v instanceof String || v instanceof Number || v instanceof Boolean) return OTHER;
      // A TokenCredential or an AbortSignal: what the core checks, not the object's insides
      // (JSON.stringify marks the functions of these copies in turn).
      if (typeof v.getToken === "function") return { getToken: v.getToken };
      if (typeof v.addEventListener === "function" && typeof v.aborted === "boolean") {
        return { aborted: v.aborted, addEventListener: v.addEventListener };
      }
  }
  return v;
}

// For input that JSON.stringify cannot take (a getter or a proxy that throws, a cycle, a bigint):
// a plain copy, with each unreadable value marked where it is, so every problem keeps its path.
function careful(v, depth) {
  try {
    v = mark("", v);
    if (v === null || typeof v !== "object") return v;
    if (depth > 64) return OTHER;
    const read = (k) => {
      try {
        return careful(v[k], depth + 1);
      } catch {
        return OTHER;
      }
    };
    if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => read(i));
    const copy = {};
    for (const k of Object.keys(v)) copy[k] = read(k);
    return copy;
  } catch {
    return OTHER;
  }
}

// Graph data (the arrays of assignments, targets and pool ids) goes through JSON.stringify as it
// is: marking every value would double the cost of a large call. What that leaves out (a
// function-valued property) is what a request body could not carry anyway.
const DATA = new Set(["assignments", "current", "found", "written", "targets", "poolIds"]);

function encode(fields) {
  // The data arrays as they are; everything else in one JSON.stringify, marked.
  let data = "";
  const rest = {};
  for (const key in fields) {
    const v = fields[key];
    if (DATA.has(key) && Array.isArray(v)) {
      try {
        data += `,"${key}":${JSON.stringify(v)}`;
        continue;
      } catch {
        // A bigint or a cycle inside: marked with the rest.
      }
    }
    rest[key] = v;
  }
  let text;
  try {
    text = JSON.stringify(rest, mark);
  } catch {
    text = JSON.stringify(careful(rest, 0));
  }
  if (!data) return text;
  return text === "{}" ? `{${data.slice(1)}}` : `${text.slice(0, -1)}${data}}`;
}

/** Runs `op`: `{ ok, error, take, retry, deadline, nextLink }` as the core answered. `fields`
 * are the arguments, or already their JSON text when the package made them itself. */
export function run(op, fields, text = "") {
  return JSON.parse(core(op, typeof fields === "string" ? fields : encode(fields), text));
}

/** The core's answer, or its error thrown as the exported class. */
function checked(answer) {
  if (answer.error) throw fromWasm(answer.error);
  return answer;
}

/** Runs `op` and gives its answer, or throws its error. */
export const ok = (op, fields, text) => checked(run(op, fields, text));

/** Runs an operation that makes a request: `{ plan, body }`, or throws its error. The body
 * follows the plan after a NUL, which JSON text never holds. */
export function prepare(op, fields, text) {
  const out = core(op, encode(fields), text);
  const nul = out.indexOf("\0");
  const answer = checked(JSON.parse(nul < 0 ? out : out.slice(0, nul)));
  return { plan: answer.ok, body: nul < 0 ? "" : out.slice(nul + 1) };
}
