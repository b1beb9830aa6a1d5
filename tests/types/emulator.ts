// Type-checked with `tsc --strict` against the packed package: intune-esim/emulator has real types.
import { startGraphEmulator, examplePoolId, EXAMPLE_POOL_ID, type GraphEmulator, type EmulatorFault } from "intune-esim/emulator";

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
graph.reset();
await graph.close();
export { baseUrl, throttled, matched, lastSync, synced };
