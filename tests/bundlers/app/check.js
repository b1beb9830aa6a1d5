// What every scenario checks, in a page or a worker: an assign that succeeds, one that breaks a
// rule (a ValidationError: the wasm must have loaded to say so) and one Graph refuses (a
// GraphError). Each outcome is reduced to plain data, so the test can compare it across a
// page, a worker and Playwright's boundary.
const CLASSES = ["IntuneEsimError", "ValidationError", "GraphError", "LoadError"];

function outcome(api, promise) {
  return promise.then(
    (value) => ({ ok: true, value }),
    (e) => ({
      ok: false,
      name: e?.name,
      message: String(e?.message),
      instanceOf: CLASSES.filter((name) => e instanceof api[name]),
      status: e?.status,
      url: e?.url,
      issues: e?.issues?.map((i) => i.path),
      cause: e?.cause ? `${e.cause.name}: ${e.cause.message}` : undefined,
    }),
  );
}

export async function check(api, { baseUrl, token, poolId, missingPoolId }) {
  const target = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
  return {
    inWorker: typeof WorkerGlobalScope !== "undefined",
    assigned: await outcome(api, api.assign(poolId, [{ target }], token, { baseUrl })),
    invalid: await outcome(api, api.assign("not-a-guid", [{ target }], token, { baseUrl })),
    refused: await outcome(api, api.assign(missingPoolId, [{ target }], token, { baseUrl, maxRetries: 0 })),
  };
}
