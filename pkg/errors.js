// The error classes of intune-esim. The wasm constructs them itself: the package's loader hands
// it these classes once, when it starts (see ready.js), so every error is an instance of the one
// class a caller imports, whatever loaded the wasm. A token provider's own error and an
// AbortSignal's reason are passed through untouched.

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
/** The wasm could not be fetched or compiled: `url` (the file asked for), `status` (the server's
 * answer, when it gave one); `cause` is the runtime's own error. The next call tries again. */
export class LoadError extends IntuneEsimError {}
/** A pool's assignments changed while `addAssignments`/`removeAssignments` wrote them: `written`, `found`. */
export class ConflictError extends IntuneEsimError {}

// `name` is spelt out rather than read from the class, which a minifier may rename.
const classes = { IntuneEsimError, ValidationError, GraphError, NetworkError, TimeoutError, ResponseError, ConflictError, LoadError };
for (const [name, Class] of Object.entries(classes)) {
  Object.defineProperty(Class.prototype, "name", { value: name, writable: true, configurable: true });
}
