// Type-checked with `tsc --strict` against the packed package: the API has real types, not `any`.
import {
  assign,
  GraphError,
  ValidationError,
  type Assignment,
  type DeviceAndAppManagementAssignmentTarget,
  type TokenCredential,
} from "intune-esim";

const target: DeviceAndAppManagementAssignmentTarget = {
  "@odata.type": "#microsoft.graph.groupAssignmentTarget",
  groupId: "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9",
  deviceAndAppManagementAssignmentFilterType: "none",
};
const assignments: Assignment[] = [{ target }, { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }];

// @ts-expect-error: a group target needs its groupId.
const noGroup: DeviceAndAppManagementAssignmentTarget = { "@odata.type": "#microsoft.graph.groupAssignmentTarget" };
// @ts-expect-error: not a target kind.
const unknownKind: DeviceAndAppManagementAssignmentTarget = { "@odata.type": "#microsoft.graph.someTarget" };
// @ts-expect-error: the filter type is none, include or exclude.
const badFilter: DeviceAndAppManagementAssignmentTarget = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", deviceAndAppManagementAssignmentFilterType: "maybe" };

const credential: TokenCredential = { getToken: async () => ({ token: "t" }) };

export async function example(signal: AbortSignal): Promise<string[]> {
  try {
    const result: Assignment[] = await assign("e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7", assignments, credential, {
      baseUrl: "https://graph.microsoft.us/beta",
      signal,
      timeoutMs: 30_000,
      maxRetries: 5,
      onRetry: ({ attempt, status, delayMs }) => console.log(`retry ${attempt} after ${status} in ${delayMs} ms`),
    });
    await assign("e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7", [], async () => ({ accessToken: "t" }));
    // @ts-expect-error: assignments are objects, not ids.
    await assign("e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7", ["group"], "t");
    return result.map((a) => a.target["@odata.type"]);
  } catch (e) {
    if (e instanceof ValidationError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    if (e instanceof GraphError) return [`${e.status} ${e.code ?? ""} ${e.requestId ?? ""}`];
    throw e;
  }
}

export { noGroup, unknownKind, badFilter };
