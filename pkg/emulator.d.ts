// Types of intune-esim/emulator: a local Microsoft Graph (beta) for tests, Node only (`import`
// or `require`; the build copies this file as emulator.d.cts). Declared without Node's own
// types, so a project needs none.

/** The token the emulator accepts unless told another (without `tenants`). */
export declare const TEST_TOKEN: string;
/** The pool that exists when `pools` is not given, and the first of `pools: N`, in the first tenant. */
export declare const EXAMPLE_POOL_ID: string;
/** The first tenant's id when none is given, and the only tenant's without `tenants`. */
export declare const EXAMPLE_TENANT_ID: string;
/** The app (`appid`) of the tokens the emulator makes for a tenant that names no `appIds`. */
export declare const EXAMPLE_APP_ID: string;
/** `embeddedSIMDeviceStateValue`'s members. */
export declare const DEVICE_STATES: readonly EmbeddedSimDeviceStateValue[];
/** Intune's limits per app per tenant: `{ writes: 100, requests: 1000, windowMs: 20000 }`. */
export declare const INTUNE_LIMITS: Readonly<EmulatorLimits>;
/** Intune's limits per tenant, across all its apps: `{ writes: 200, requests: 2000, windowMs: 20000 }`. */
export declare const INTUNE_TENANT_LIMITS: Readonly<EmulatorLimits>;
/** The most requests one `$batch` may carry: 20. */
export declare const BATCH_LIMIT: number;
/**
 * The i-th starting pool's id of the `tenant`-th tenant (default 0, the first) when its spec gives
 * none (`examplePoolId(0)` is `EXAMPLE_POOL_ID`). Every tenant's ids differ, as Graph's do.
 */
export declare function examplePoolId(i: number, tenant?: number): string;
/** The `tenant`-th tenant's id when its spec gives none (`exampleTenantId(0)` is `EXAMPLE_TENANT_ID`). */
export declare function exampleTenantId(tenant: number): string;

export type EmbeddedSimDeviceStateValue =
  | "notEvaluated"
  | "failed"
  | "installing"
  | "installed"
  | "deleting"
  | "error"
  | "deleted"
  | "removedByUser";

export interface EmulatorLimits {
  /** Writes (POST, including assign; PUT; PATCH; DELETE) per window. */
  writes: number;
  /** Requests of any method per window. */
  requests: number;
  /** The window, before `scale`. */
  windowMs: number;
}

/**
 * The `limits` option: `writes` and `requests` per app per tenant (the app is a token's `appid`;
 * a token without one is its tenant's one app), `tenantWrites` and `tenantRequests` per tenant
 * across its apps, each over `windowMs` (both windows). Each not given is Intune's; a tenant's
 * not given is never below an app's given, so one app alone meets its own limit first.
 */
export interface EmulatorLimitOptions extends Partial<EmulatorLimits> {
  /** Writes per window per tenant, across its apps. Default 200 (Intune's). */
  tenantWrites?: number;
  /** Requests per window per tenant, across its apps. Default 2,000 (Intune's). */
  tenantRequests?: number;
}

/** One tenant of `tenants`: its own pools, and the tokens that reach it. */
export interface EmulatorTenantSpec {
  /** Default `exampleTenantId(index)`. Two tenants may not share one. */
  tenantId?: string;
  /** The tenant's starting pools, as the `pools` option takes them. Default one empty pool, `examplePoolId(0, index)`. */
  pools?: number | EmulatorPoolSpec[];
  /**
   * The token of the tenant's first app, any string. Default the emulator's own: an unsigned
   * JWT (`header.payload.`, `alg: "none"`) whose payload holds `tid` (the tenant id), `appid`
   * (the first of `appIds`) and `aud: "https://graph.microsoft.com"`, the same on every start.
   */
  token?: string;
  /**
   * Apps that call the tenant, each with a token the emulator makes (as above) after `token`,
   * in `tokens`: to see Intune's limits per app and per tenant across apps. Default
   * `[EXAMPLE_APP_ID]` without `token`, none with it.
   */
  appIds?: string[];
}

/**
 * A device state. Graph answers null for what Intune does not know, and so do the made-up ones:
 * a device not evaluated yet has no `lastSyncDateTime`, ICCID or `stateDetails`; some devices
 * have no user or no name; only failures have details.
 */
export interface EmulatorDeviceState {
  id?: string;
  createdDateTime?: string;
  modifiedDateTime?: string;
  lastSyncDateTime?: string | null;
  deviceName?: string | null;
  userName?: string | null;
  universalIntegratedCircuitCardIdentifier?: string | null;
  stateDetails?: string | null;
  state?: EmbeddedSimDeviceStateValue;
  [property: string]: unknown;
}

export interface EmulatorAssignment {
  id?: string;
  target: { "@odata.type": string; [property: string]: unknown };
  /** Kept as given and answered back, as Graph keeps what it knows. */
  [property: string]: unknown;
}

export interface EmulatorPoolSpec {
  /** Default `examplePoolId(index)`. */
  id?: string;
  /** Default `Pool <index + 1>`. */
  displayName?: string;
  /** Default the number of device states. */
  activationCodeCount?: number;
  /** The pool's assignments (any target, kept as written but for `targetShape`), or how many group assignments to make up. Default none. */
  assignments?: EmulatorAssignment[] | number;
  /** The pool's device states (missing fields filled in), or how many to make up, cycling through every state. Default none. */
  deviceStates?: EmulatorDeviceState[] | number;
}

export interface GraphEmulatorOptions {
  /** 0 (the default): any free port. Always on 127.0.0.1. */
  port?: number;
  /** The bearer token it accepts; default `TEST_TOKEN`. Not with `tenants`, where each tenant has its own. */
  token?: string;
  /**
   * The starting pools. Not given: one empty pool, `EXAMPLE_POOL_ID`. A number N: N example pools
   * (ids `examplePoolId(0..N-1)`), each with a few assignments and a device in every state.
   * An array: exactly these pools. Not with `tenants`, where each tenant has its own.
   */
  pools?: number | EmulatorPoolSpec[];
  /**
   * Several tenants, each with its own pools and tokens: a request goes to the tenant its bearer
   * token is of and sees only that tenant's pools (another tenant's pool id is a 404); a token of
   * none is a 401. Not given: one tenant, `EXAMPLE_TENANT_ID`, with `token` and `pools`.
   */
  tenants?: EmulatorTenantSpec[];
  /** Overrides Intune's limits in part or whole; `false`: no limits. */
  limits?: EmulatorLimitOptions | false;
  /** Multiplies the limits' windows (0.05: Intune's 20 s becomes 1 s); the counts stay. Default 1. */
  scale?: number;
  /** Items per page of pools, assignments and device states when a request has no `$top` (each tenant's). Default 100. */
  pageSize?: number;
  /** Milliseconds every request waits before it is answered (a batch's inner requests side by side), to stand for Graph's own time. Default 0. */
  latencyMs?: number;
  /**
   * How targets are kept and answered. `"intune"` (the default): as Intune answers them, every
   * target with both `deviceAndAppManagementAssignmentFilterId` and
   * `deviceAndAppManagementAssignmentFilterType`; with no filter (none written, or a null or the
   * zero id with `none`) they are `"00000000-0000-0000-0000-000000000000"` and `"none"`. `"docs"`:
   * exactly as written, adding no filter property, the shape of the eSIM docs' examples. Either
   * way a target's other properties, known or not, come back as written.
   */
  targetShape?: "intune" | "docs";
  /**
   * Target kinds this Graph knows besides the emulator's own, by name without
   * `#microsoft.graph.` (`["androidFotaDeploymentAssignmentTarget"]`), to emulate a Graph newer
   * or older than the library. Each takes a `groupId`, not checked. Without it, assign and the
   * assignments' POST and PATCH refuse a kind the emulator does not know. Default none.
   */
  extraTargetKinds?: string[];
}

/**
 * A fault for the next `times` requests to a pool (then it answers normally). `on` narrows it to
 * an action (`"assign"`, `"assignments"`, `"deviceStates"`, each with its items by id) or a method
 * (`"PATCH"`); `delayMs` delays any kind.
 */
export type EmulatorFault = { times?: number; on?: string; delayMs?: number } & (
  | { kind: "status"; status: number; message?: string; retryAfter?: number | string; headers?: Record<string, string> }
  | { kind: "html"; status?: number }
  | { kind: "body"; status?: number; text?: string; base64?: string; contentType?: string | null; headers?: Record<string, string> }
  | { kind: "slow"; delayMs: number }
  | { kind: "hang" }
  | { kind: "drop" }
  | { kind: "concurrentWrite"; target: EmulatorAssignment["target"] }
  | { kind: "noContent" }
);

/** One request the emulator received. The token is never kept: only whether it matched, and whose it is. */
export interface EmulatorRequest {
  method: string;
  path: string;
  query: string;
  /** Lower case; undefined for the collection and for $batch. */
  poolId?: string;
  /** The tenant its token is of; undefined when it is of none (a 401). */
  tenantId?: string;
  tokenMatched: boolean;
  /** Lower-case names; no Authorization. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The id it had inside a $batch, for a request that came in one. */
  batchId?: string;
}

/** A pool as the emulator holds it (its assignments and device states included). */
export interface EmulatorPool {
  id: string;
  displayName: string;
  createdDateTime: string;
  modifiedDateTime: string;
  activationCodeCount: number;
  assignments: Array<{ id: string; target: { "@odata.type": string; [property: string]: unknown }; [property: string]: unknown }>;
  deviceStates: EmulatorDeviceState[];
}

/** One tenant of the emulator, to steer it alone (`graph.tenants[i]`). */
export interface EmulatorTenant {
  readonly tenantId: string;
  /** The token of the tenant's first app: `tokens[0]`. */
  readonly token: string;
  /** Every token that reaches the tenant: `token`, then one per further app of `appIds`. */
  readonly tokens: readonly string[];
  /** The requests its tokens sent, oldest first (the emulator's `requests` has every tenant's). */
  readonly requests: EmulatorRequest[];
  /** Its live state, keyed by lower-case pool id. */
  readonly pools: Map<string, EmulatorPool>;
  /** Its starting pools' ids, in order. */
  readonly poolIds: readonly string[];
  /** How many of its requests Intune's limits answered with 429, per app or across its apps (faults not counted). */
  readonly throttled: number;
  /** As the emulator's `fault`, for this tenant's pools. */
  fault(poolId: string, spec: EmulatorFault | null, times?: number): void;
  /** Adds an empty pool to this tenant and returns its id; reset() removes it. */
  addPool(id?: string, displayName?: string): string;
  /** This tenant's items per page when a request has no `$top`. */
  setPageSize(n: number): void;
  /** This tenant's starting state again: pools, faults, limit counters, its `requests`, the page size. */
  reset(): void;
}

/**
 * The emulator. `token`, `pools`, `poolIds`, `throttled`, `fault`, `addPool` and `setPageSize`
 * are the first tenant's (the only one without `tenants`); `requests`, `reset` and `close` are
 * the whole emulator's.
 */
export interface GraphEmulator {
  /** `http://127.0.0.1:<port>/beta`: the code under test's Graph base URL, every tenant's. */
  readonly baseUrl: string;
  /** `http://127.0.0.1:<port>`: the root, where `/_emulator/` lives. */
  readonly url: string;
  readonly token: string;
  /** Every request received, any tenant's (each with its `tenantId`), oldest first. */
  readonly requests: EmulatorRequest[];
  /** The live state, keyed by lower-case pool id. */
  readonly pools: Map<string, EmulatorPool>;
  /** The starting pools' ids, in order. */
  readonly poolIds: readonly string[];
  /** How many requests Intune's limits answered with 429 (faults not counted). */
  readonly throttled: number;
  /** Every tenant, in the order of `tenants` (one without it): `tenants[0]` is the one the properties above act on. */
  readonly tenants: readonly EmulatorTenant[];
  /**
   * Sets the fault of `poolId` (a pool id, `"pools"` for the collection, `"$batch"` for the batch
   * endpoint itself), replacing the one before; `null` clears it. `times` overrides `spec.times` (default 1).
   */
  fault(poolId: string, spec: EmulatorFault | null, times?: number): void;
  /** Adds an empty pool and returns its id; reset() removes it. */
  addPool(id?: string, displayName?: string): string;
  /** Items per page when a request has no `$top`. */
  setPageSize(n: number): void;
  /** The starting state again, of every tenant: pools, faults, limit counters, the request logs, the page size. */
  reset(): void;
  /** Stops the server, ending every open connection (hung requests too). */
  close(): Promise<void>;
}

export declare function startGraphEmulator(options?: GraphEmulatorOptions): Promise<GraphEmulator>;

/** Starts the emulator and prints its base URL, the Authorization header to send (each tenant's, with `tenants`), its pools and limits. */
export declare function serveGraphEmulator(options?: GraphEmulatorOptions, print?: (line: string) => void): Promise<GraphEmulator>;
