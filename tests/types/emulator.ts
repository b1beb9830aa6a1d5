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
const matched: boolean[] = graph.requests.map((r) => r.tokenMatched);
graph.reset();
await graph.close();
export { baseUrl, throttled, matched };
