// intune-esim/emulator: a local Microsoft Graph (beta) for the eSIM activation code pool
// endpoints, for tests of portals and scripts. A real HTTP server on 127.0.0.1 that checks the
// bearer token, validates bodies as Graph does, answers in Graph's shapes (errors, paging,
// JSON batching), serves one tenant or several (each with its own token and pools), enforces
// Intune's limits and sends the CORS headers a browser page needs. Node only, and nothing but
// Node's standard library, so it can run anywhere the tests run.
//
//   import { startGraphEmulator } from "intune-esim/emulator";
//   const graph = await startGraphEmulator({ pools: 3, scale: 0.05 });
//   // ... point the code under test at graph.baseUrl with graph.token ...
//   graph.fault(graph.poolIds[1], { kind: "status", status: 429, retryAfter: 2, times: 2 });
//   await graph.close();
//
// Or alone: `npx intune-esim emulator --port 8787 --pools 5`.
// The README's "Testing your portal against the emulator" section and emulator.d.ts describe every
// option. This file is the entry users import (and the CommonJS bundle's); emulator/ holds the
// emulator, one concern a file.

export { startGraphEmulator } from "./emulator/server.js";
export { serveGraphEmulator } from "./emulator/serve.js";
export { TEST_TOKEN } from "./emulator/tenants.js";
export { EXAMPLE_APP_ID } from "./emulator/tokens.js";
export { EXAMPLE_POOL_ID, EXAMPLE_TENANT_ID, examplePoolId, exampleTenantId } from "./emulator/fixtures.js";
export { DEVICE_STATES, INTUNE_LIMITS, INTUNE_TENANT_LIMITS, BATCH_LIMIT } from "./emulator/facts.js";
