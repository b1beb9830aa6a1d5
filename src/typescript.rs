//! The TypeScript of what the exports take and give besides Graph's own types (which tsify
//! writes from `model.rs`): the token, the options and the shape of a change. It is a custom
//! section of the wasm, so wasm-bindgen writes it into the `.d.ts` beside the exports that name
//! these types; a test checks that `CallOptions` names exactly the options `validate` reads.

pub const DECLARATIONS: &str = r#"
/** An `@azure/identity` TokenCredential (only `getToken` is used). */
export interface TokenCredential {
  getToken(scopes: string | string[], options?: unknown): Promise<{ token: string } | null>;
}

/** What a token function is asked for: the call's tenant (undefined when it names none) and the scopes, `[<origin of baseUrl>/.default]`. */
export interface TokenRequest {
  tenantId: string | undefined;
  scopes: string[];
}

/** A function that gives an access token (or a promise of one, or of MSAL's `{ accessToken }`). */
export type TokenFunction = (
  request: TokenRequest,
) => string | { accessToken: string } | { token: string } | Promise<string | { accessToken: string } | { token: string }>;

/**
 * The access token: a string (a leading `Bearer ` is dropped), a function returning one, or a
 * TokenCredential, asked for `<origin of baseUrl>/.default` (with `{ tenantId }` when the call
 * names a tenant).
 */
export type TokenSource = string | TokenFunction | TokenCredential;

/** The tokens of a call over tenants: asked once per tenant, so never one string. */
export type TenantTokenSource = TokenFunction | TokenCredential;

export interface CallOptions {
  /** Graph's root; default `https://graph.microsoft.com/beta`. `http:` only for loopback. */
  baseUrl?: string;
  /** The tenant the call is for (a GUID or a verified domain): told to the token provider, and a key of the paces. */
  tenantId?: string;
  /** Cancels the call; the promise rejects with the signal's `reason`. */
  signal?: AbortSignal;
  /** A deadline for the whole call, in milliseconds; past it the call rejects with `TimeoutError`. */
  timeoutMs?: number;
  /** A fetch to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** The `client-request-id` header (a GUID); default: a fresh one per call. */
  clientRequestId?: string;
  /** Retries after a 429, 503 or 504; default 3, at most 10, 0 disables. */
  maxRetries?: number;
  /** The first backoff waits between this and twice this; default 3000. */
  retryBaseDelayMs?: number;
  /** No single wait is longer; default 180000. */
  retryMaxDelayMs?: number;
  /** Called before each wait between retries. Throwing stops the call with that error. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The retry about to be made: 1 for the first (also sent as the `Retry-Attempt` header). */
  attempt: number;
  /** The status that caused it: 429, 503 or 504. */
  status: number;
  delayMs: number;
  clientRequestId: string;
}

/** A list's options: the common ones, and Graph's query options passed through. */
export interface ListOptions extends CallOptions {
  /** `$top`: items per page (1 to 999); the list still follows every page. */
  top?: number;
  /** `$select`: the properties to return (`id` always comes). */
  select?: string[] | string;
  /** `$filter`: an OData filter, like `displayName eq 'Contoso'`. */
  filter?: string;
}

/**
 * How a call over many pools is getting on: `{ done: 0, total }` once the total is known, then
 * `{ done, total, poolId, ok }` as each pool is done.
 */
export interface Progress {
  done: number;
  total: number;
  poolId?: string;
  ok?: boolean;
}

/**
 * The options of the batched reads: those of every call. `timeoutMs` bounds the whole call; an
 * abort or the deadline rejects with its error, whose `results` holds the pools read so far.
 */
export interface ManyOptions extends CallOptions {
  /** Batches in flight at once, 1 to 32 (default 4). */
  concurrency?: number;
  /** Told how the call is getting on. If it throws, it is not called again; the work goes on. */
  onProgress?: (progress: Progress) => void;
  /** The pace to keep requests under (each request inside a batch counts); default Intune's `{ requests: 1000, perMs: 20000 }`. */
  readLimit?: { requests: number; perMs: number };
}

/**
 * `assignMany`'s options: those of every call. `timeoutMs` bounds the whole call; an abort or
 * the deadline rejects with its error, whose `results` holds the pools written so far.
 */
export interface AssignManyOptions extends CallOptions {
  /** Pools in flight at once, 1 to 32 (default 4). */
  concurrency?: number;
  /** Told how the call is getting on. If it throws, it is not called again; the work goes on. */
  onProgress?: (progress: Progress) => void;
  /** The pace to keep writes under; default Intune's `{ writes: 100, perMs: 20000 }`. */
  writeLimit?: { writes: number; perMs: number };
}

/**
 * How `tenantsReport` is getting on: `done` of `total` pools of the tenant `tenantId`, and
 * `tenantsDone` of `tenants` tenants.
 */
export interface TenantsProgress {
  tenantId: string;
  done: number;
  total: number;
  tenantsDone: number;
  tenants: number;
}

/**
 * `tenantsReport`'s options: those of every call but `tenantId` (the tenants are `tenantIds`).
 * `timeoutMs` bounds the whole call; an abort or the deadline rejects with its error, whose
 * `results` holds the tenants done so far.
 */
export interface TenantsReportOptions extends Omit<CallOptions, "tenantId"> {
  /** Tenants read at once, 1 to 32 (default 4). */
  concurrency?: number;
  /** Told how the call is getting on. If it throws, it is not called again; the work goes on. */
  onProgress?: (progress: TenantsProgress) => void;
  /** The pace to keep each tenant's requests under; default Intune's `{ requests: 1000, perMs: 20000 }`. */
  readLimit?: { requests: number; perMs: number };
}

/** One tenant of `tenantsReport`: its report, or the error that kept it from being read. */
export type TenantResult =
  | { tenantId: string; ok: true; report: TenantReport }
  | { tenantId: string; ok: false; error: Error };

/** `tenantsReport`'s answer: one entry per tenant, in the order given. */
export interface TenantsReport {
  generatedDateTime: string;
  tenants: TenantResult[];
}

/** One pool's result of a batched read: its items, or the error a single read would have thrown. */
export type PoolResult<T> =
  | { poolId: string; ok: true; value: T[] }
  | { poolId: string; ok: false; error: Error };

/** A pool's device states counted: `byState` has every state, zeros included. */
export interface DeviceStateCounts {
  total: number;
  byState: Record<EmbeddedSimDeviceStateValue, number> & Record<string, number>;
}

/** A device whose profile did not install (state `failed` or `error`). */
export interface DeviceStateFailure {
  id: string;
  state: EmbeddedSimDeviceStateValue;
  deviceName: string | null;
  userName: string | null;
  stateDetails: string | null;
  lastSyncDateTime: string | null;
}

/** The pool's own properties, as `listPools` gave them. */
export interface PoolSummary {
  id: string;
  displayName: string;
  activationCodeCount: number;
  createdDateTime: string;
  modifiedDateTime: string;
}

/** One pool of the tenant: its targets and its devices, or the error that kept them from being read. */
export type PoolReport =
  | { pool: PoolSummary; assignments: EmbeddedSimActivationCodePoolAssignment[]; deviceStates: DeviceStateCounts; failures: DeviceStateFailure[]; error?: undefined }
  | { pool: PoolSummary; error: Error; assignments?: undefined; deviceStates?: undefined; failures?: undefined };

/** `poolReport`'s answer: every pool of the tenant, as of `generatedDateTime`. */
export interface TenantReport {
  generatedDateTime: string;
  pools: PoolReport[];
}

/** What `addAssignments` and `removeAssignments` did. */
export interface AssignmentChange {
  before: EmbeddedSimActivationCodePoolAssignment[];
  after: EmbeddedSimActivationCodePoolAssignment[];
  added: DeviceAndAppManagementAssignmentTarget[];
  removed: EmbeddedSimActivationCodePoolAssignment[];
}
"#;

#[cfg(test)]
mod tests {
    use super::DECLARATIONS;
    use crate::validate::{BULK_OPTION_NAMES, LIST_OPTION_NAMES, MANY_OPTION_NAMES, OPTION_NAMES};

    /// The property names of `interface <name> ... { ... }`.
    fn properties(name: &str) -> Vec<String> {
        let start = DECLARATIONS.find(&["interface ", name, " "].concat()).unwrap();
        let body = &DECLARATIONS[start..];
        let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
        body.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("/**") && !l.is_empty())
            .filter_map(|l| l.split_once("?:").map(|(n, _)| n.to_owned()))
            .collect()
    }

    #[test]
    fn call_options_are_the_options_validation_reads() {
        let mut declared = properties("CallOptions");
        let mut read: Vec<String> = OPTION_NAMES.iter().map(|s| s.to_string()).collect();
        declared.sort();
        read.sort();
        assert_eq!(declared, read);
        assert_eq!(properties("ListOptions"), LIST_OPTION_NAMES);
        assert_eq!(properties("ManyOptions"), MANY_OPTION_NAMES);
        assert_eq!(properties("TenantsReportOptions"), MANY_OPTION_NAMES);
        assert_eq!(properties("AssignManyOptions"), BULK_OPTION_NAMES);
    }
}
