// Type-checked with `tsc --strict` against the packed package: the API has real types, not `any`.
import {
  assign,
  assignMany,
  addAssignments,
  listPools,
  iteratePools,
  parseActivationCodesCsv,
  createPool,
  listAssignments,
  listDeviceStates,
  updatePool,
  listAssignmentsMany,
  listDeviceStatesMany,
  poolReport,
  ConflictError,
  GraphError,
  ValidationError,
  type Assignment,
  type DeviceAndAppManagementAssignmentTarget,
  type TokenCredential,
  type TenantReport,
  type PoolSummary,
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

export async function portal(token: () => Promise<string>): Promise<void> {
  const pools = await listPools(token, { select: ["id", "displayName"], top: 50 });
  for await (const pool of iteratePools(token)) console.log(pool.displayName, pool.activationCodeCount);
  try {
    const change = await addAssignments(pools[0].id, [target], token);
    console.log(change.added.length, change.after.length);
  } catch (e) {
    if (e instanceof ConflictError) console.log(e.written.length, e.found.length);
  }
  const file = await parseActivationCodesCsv("smdp.example.com,Contoso\n8901260000000000001,A");
  const created = await createPool({ displayName: file.displayName ?? "eSIM", activationCodes: file.activationCodes }, token);
  const results = await assignMany([created.id], assignments, token, { concurrency: 4, onProgress: ({ done, total }) => console.log(done, total) });
  for (const r of results) {
    if (r.ok) console.log(r.value.length);
    else console.log(r.poolId, r.error);
  }
}

export { noGroup, unknownKind, badFilter };

// What Graph answers for an unset filter and an unknown device is null, and the types say so.
export async function nulls(token: string): Promise<number> {
  const [first] = await listAssignments("e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7", token);
  const filter: string | null | undefined = first.target.deviceAndAppManagementAssignmentFilterId;
  // @ts-expect-error: Graph's null is not a string.
  const wrong: string | undefined = first.target.deviceAndAppManagementAssignmentFilterId;
  const states = await listDeviceStates("e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7", token);
  const names: (string | null)[] = states.map((s) => s.deviceName);
  return (filter ?? "").length + (wrong ?? "").length + names.length;
}

// The fleet view: a rename, the batched reads and the report, with their result types.
export async function fleet(token: string, poolIds: string[]): Promise<number> {
  const renamed = await updatePool(poolIds[0], { displayName: "Contoso Berlin" }, token);
  // @ts-expect-error: only displayName may change.
  await updatePool(poolIds[0], { activationCodeCount: 3 }, token);
  const many = await listAssignmentsMany(poolIds, token, { concurrency: 2, readLimit: { requests: 1000, perMs: 20000 } });
  const counts = many.map((r) => (r.ok ? r.value.length : r.error.message.length));
  const states = await listDeviceStatesMany(poolIds, token, { onProgress: ({ done, total }) => console.log(done, total) });
  const first = states[0];
  const installed = first.ok ? first.value.filter((d) => d.state === "installed").length : 0;
  const report: TenantReport = await poolReport(token, { timeoutMs: 60_000 });
  let failures = 0;
  for (const row of report.pools) {
    const summary: PoolSummary = row.pool;
    if (row.error) console.log(summary.displayName, row.error.message);
    else failures += row.failures.length + row.deviceStates.byState.failed + row.deviceStates.total;
  }
  return renamed.displayName.length + counts.length + installed + failures + report.generatedDateTime.length;
}
