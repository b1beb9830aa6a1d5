// Faults a test sets on a tenant's pool (or its collection, or the batch endpoint): what they
// are, and the answer each gives in place of Graph's.

const FAULT_KINDS = new Set(["status", "html", "body", "slow", "hang", "drop", "concurrentWrite", "noContent"]);
// These act after the request is carried out (another admin's write, PATCH's other answer), so
// the request itself is never cut short by them.
export const AFTER_KINDS = new Set(["concurrentWrite", "noContent"]);

/**
 * Sets the fault of `poolId` in `faults` (a Map by lower-case id), replacing the one before;
 * a null spec clears it. Throws a TypeError for a spec that is not a fault.
 */
export function setFault(faults, poolId, spec, times) {
  if (typeof poolId !== "string" || poolId === "") throw new TypeError("fault: poolId must be a pool id, \"pools\" or \"$batch\"");
  if (spec === null || spec === undefined) return void faults.delete(poolId.toLowerCase());
  if (!FAULT_KINDS.has(spec?.kind)) throw new TypeError(`fault: unknown kind ${JSON.stringify(spec?.kind)}`);
  if (spec.kind === "status" && !Number.isInteger(spec.status)) throw new TypeError("fault: a status fault needs a status");
  const on = spec.on ?? (spec.kind === "noContent" ? "PATCH" : undefined);
  faults.set(poolId.toLowerCase(), { ...spec, on, times: times ?? spec.times ?? 1 });
}

/** The answer a fault gives before the request is carried out, or null to carry it out (after a delay). */
export function faultAnswer(f, error) {
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
