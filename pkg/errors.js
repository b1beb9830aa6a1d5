// The error classes of intune-esim. The wasm rejects with a plain descriptor object marked
// `intuneEsimError: "<ClassName>"`; `fromWasm` turns it into an instance of that class. Anything
// else (an AbortSignal's reason, a token provider's own error) is passed through untouched.

/** Base of every error this package throws. */
export class IntuneEsimError extends Error {
  constructor(message, props = {}, options) {
    super(message, options);
    Object.assign(this, props);
  }
}

/** The input broke one or more rules; nothing was sent. `issues`: `{ path, message }[]`. */
export class ValidationError extends IntuneEsimError {}
/** Graph answered with a non-2xx status: `status`, `code`, `requestId`, `clientRequestId`, `date`, `body`. */
export class GraphError extends IntuneEsimError {}
/** `fetch` itself failed (connection refused, DNS, CORS); `cause` is fetch's error. */
export class NetworkError extends IntuneEsimError {}
/** `timeoutMs` passed before the call finished. */
export class TimeoutError extends IntuneEsimError {}
/** Graph answered 2xx, but not with the shape it documents. */
export class ResponseError extends IntuneEsimError {}
/** A pool's assignments changed while `addAssignments`/`removeAssignments` wrote them: `written`, `found`. */
export class ConflictError extends IntuneEsimError {}

const classes = { ValidationError, GraphError, NetworkError, TimeoutError, ResponseError };
// `name` is spelt out rather than read from the class, which a minifier may rename.
for (const [name, Class] of Object.entries({ IntuneEsimError, ConflictError, ...classes })) {
  Object.defineProperty(Class.prototype, "name", { value: name, writable: true, configurable: true });
}

export function fromWasm(e) {
  const Class = e !== null && typeof e === "object" && !(e instanceof Error) && classes[e.intuneEsimError];
  if (!Class) return e;
  const { intuneEsimError, message, cause, ...props } = e;
  // A TimeoutError's cause may be the last GraphError, itself a descriptor.
  return new Class(message, props, cause === undefined ? undefined : { cause: fromWasm(cause) });
}
