// Types of intune-esim. The operations the wasm exports, Graph's types (tsify, from the Rust
// model) and the options the core reads are declared by the wasm's own `.d.ts`
// (dist/intune_esim.d.ts, generated from the Rust exports); this file re-exports them and
// declares what is JavaScript: iteratePools and the error classes.
import type {
  EmbeddedSimActivationCodePool,
  EmbeddedSimActivationCodePoolAssignment,
  ListOptions,
  PoolResult,
  TokenSource,
} from "./dist/intune_esim.js";

export type {
  AssignManyOptions,
  AssignmentChange,
  AssignmentFilter,
  CallOptions,
  DeviceAndAppManagementAssignmentFilterType,
  DeviceAndAppManagementAssignmentTarget,
  EmbeddedSimActivationCode,
  EmbeddedSimActivationCodePool,
  EmbeddedSimActivationCodePoolAssignment,
  EmbeddedSimDeviceState,
  EmbeddedSimDeviceStateValue,
  DeviceStateCounts,
  DeviceStateFailure,
  ListOptions,
  ManyOptions,
  NewPool,
  PoolReport,
  PoolResult,
  PoolSummary,
  Progress,
  RetryInfo,
  TenantResult,
  TenantsProgress,
  TenantsReport,
  TenantsReportOptions,
  TenantTokenSource,
  TokenFunction,
  TokenRequest,
  TenantReport,
  TokenCredential,
  TokenSource,
} from "./dist/intune_esim.js";

export {
  addAssignments,
  assign,
  assignMany,
  createPool,
  deletePool,
  getPool,
  listAssignments,
  listAssignmentsMany,
  listDeviceStates,
  listDeviceStatesMany,
  listPools,
  parseActivationCodesCsv,
  poolReport,
  previewAssign,
  removeAssignments,
  tenantsReport,
  updatePool,
} from "./dist/intune_esim.js";

/** `embeddedSIMActivationCodePoolAssignment`, by its short name. */
export type Assignment = EmbeddedSimActivationCodePoolAssignment;

/** Every pool, one at a time, reading the next page only when needed: `for await (const pool of iteratePools(token))`. */
export declare function iteratePools(token: TokenSource, options?: ListOptions): AsyncGenerator<EmbeddedSimActivationCodePool, void, undefined>;

/** One pool's result of `assignMany`. */
export type AssignManyResult = PoolResult<Assignment>;

/** One problem with the input, at a path like `assignments[2].target.groupId`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Base of every error this package throws. */
export declare class IntuneEsimError extends Error {}

/** The input broke one or more rules; nothing was sent. */
export declare class ValidationError extends IntuneEsimError {
  readonly name: "ValidationError";
  readonly issues: ValidationIssue[];
}

/** Graph answered with a non-2xx status. */
export declare class GraphError extends IntuneEsimError {
  readonly name: "GraphError";
  readonly status: number;
  /** Graph's `error.code`, for programs (`Forbidden`, `ResourceNotFound`...). */
  readonly code: string | null;
  readonly requestId: string | null;
  readonly clientRequestId: string | null;
  readonly date: string | null;
  /** The parsed error JSON, or the raw text when the body is not JSON, or null when empty. */
  readonly body: unknown;
  /** Requests made, retries included. */
  readonly attempts: number;
  /** The answer's `Retry-After`, when it had one that could be read. */
  readonly retryAfterMs?: number;
}

/** `fetch` itself failed: connection refused, DNS, CORS. `cause` is fetch's own error. */
export declare class NetworkError extends IntuneEsimError {
  readonly name: "NetworkError";
  readonly clientRequestId: string;
  readonly attempts: number;
}

/** `timeoutMs` passed before the call finished. */
export declare class TimeoutError extends IntuneEsimError {
  readonly name: "TimeoutError";
  readonly timeoutMs: number;
  /** Requests made, when throttling ran the clock out. */
  readonly attempts?: number;
  /** The last GraphError, when throttling ran the clock out. */
  readonly cause?: GraphError;
  readonly clientRequestId: string;
}

/** A pool's assignments changed between writing them and reading them back. */
export declare class ConflictError extends IntuneEsimError {
  readonly name: "ConflictError";
  /** What was written. */
  readonly written: Assignment[];
  /** What Graph held right after. */
  readonly found: Assignment[];
}

/** Graph answered 2xx, but not with the shape it documents. */
export declare class ResponseError extends IntuneEsimError {
  readonly name: "ResponseError";
  readonly status: number;
  readonly attempts: number;
  readonly clientRequestId: string;
}

/** The wasm could not be fetched or compiled. The message names the likely cause and its fix (a
 * Content-Security-Policy without `'wasm-unsafe-eval'` or without the wasm's origin in
 * `connect-src`, a dev server's pre-bundling, a file the bundler did not copy). The next call
 * tries again. */
export declare class LoadError extends IntuneEsimError {
  readonly name: "LoadError";
  /** The address of the wasm file, when it was fetched or read from one. */
  readonly url?: string;
  /** The server's HTTP status, when it answered with an error. */
  readonly status?: number;
  /** The runtime's own error (fetch's TypeError, WebAssembly's CompileError...). */
  readonly cause: unknown;
}
