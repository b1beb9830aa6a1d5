// Type-checked with `tsc --strict` against the packed package: intune-esim/emulator has real types.
import {
  startGraphEmulator,
  examplePoolId,
  exampleTenantId,
  EXAMPLE_POOL_ID,
  EXAMPLE_TENANT_ID,
  EXAMPLE_APP_ID,
  INTUNE_TENANT_LIMITS,
  type GraphEmulator,
  type EmulatorFault,
  type EmulatorTenant,
  type EmulatorTenantSpec,
} from "intune-esim/emulator";

const graph: GraphEmulator = await startGraphEmulator({ pools: [{ deviceStates: 3 }, { id: "p2", assignments: 25 }], scale: 0.05, limits: { writes: 10 } });
const baseUrl: string = graph.baseUrl;
const throttled: number = graph.throttled;
const fault: EmulatorFault = { kind: "status", status: 429, retryAfter: 2, times: 2 };
graph.fault(examplePoolId(0), fault);
graph.fault("$batch", { kind: "status", status: 400 }, Infinity);
graph.fault(EXAMPLE_POOL_ID, { kind: "noContent" });
graph.fault(EXAMPLE_POOL_ID, null);
// @ts-expect-error: a status fault needs its status.
graph.fault(EXAMPLE_POOL_ID, { kind: "status" });
// @ts-expect-error: not a fault kind.
graph.fault(EXAMPLE_POOL_ID, { kind: "explode" });
// @ts-expect-error: limits are an object or false.
await startGraphEmulator({ limits: true });
await startGraphEmulator({ targetShape: "docs", extraTargetKinds: ["androidFotaDeploymentAssignmentTarget"] });
// @ts-expect-error: targets are shaped as Intune answers them or as the docs write them.
await startGraphEmulator({ targetShape: "graph" });
// Graph's nullable device state properties are nullable here too.
const lastSync: (string | null | undefined)[] = [...graph.pools.values()].flatMap((p) => p.deviceStates.map((d) => d.lastSyncDateTime));
// @ts-expect-error: a device that never synced has no lastSyncDateTime.
const synced: (string | undefined)[] = [...graph.pools.values()].flatMap((p) => p.deviceStates.map((d) => d.lastSyncDateTime));
const matched: boolean[] = graph.requests.map((r) => r.tokenMatched);
// Several tenants, each with its own pools and tokens; the emulator's methods act on the first.
const specs: EmulatorTenantSpec[] = [{ tenantId: EXAMPLE_TENANT_ID, pools: 2 }, { tenantId: exampleTenantId(1), pools: [{ displayName: "Kiosks" }], appIds: [EXAMPLE_APP_ID, "app-2"] }, { token: "given" }];
const many = await startGraphEmulator({ tenants: specs, limits: { writes: 3, tenantWrites: 5, tenantRequests: 50 }, scale: 0.05 });
const second: EmulatorTenant = many.tenants[1];
const tenantId: string = second.tenantId;
const tokens: readonly string[] = second.tokens;
second.fault(examplePoolId(0, 1), { kind: "status", status: 503 });
const added: string = second.addPool(undefined, "Added");
second.setPageSize(5);
second.reset();
const routed: (string | undefined)[] = many.requests.map((r) => r.tenantId);
const tenantThrottled: number = second.throttled;
const tenantWindow: number = INTUNE_TENANT_LIMITS.windowMs;
// @ts-expect-error: a tenant's token is a string.
await startGraphEmulator({ tenants: [{ token: 42 }] });
// @ts-expect-error: the per-tenant limits are counts.
await startGraphEmulator({ limits: { tenantWrites: "many" } });
// @ts-expect-error: the handles are the emulator's to make.
many.tenants[0] = second;
await many.close();
graph.reset();
await graph.close();
export { baseUrl, throttled, matched, lastSync, synced, tenantId, tokens, added, routed, tenantThrottled, tenantWindow };
