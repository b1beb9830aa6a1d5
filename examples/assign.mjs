// Assigns an eSIM activation code pool: the seed's example request, through intune-esim.
//
//   GRAPH_BASE_URL  Graph's root (default https://graph.microsoft.com/beta)
//   GRAPH_TOKEN     an access token with DeviceManagementConfiguration.ReadWrite.All
//   POOL_ID         the pool to assign
//
// `npm start` runs it against the local Graph emulator; point it at the real Graph with a real
// token and pool. Careful: assign REPLACES the pool's assignments with this list.
import { assign, ValidationError, GraphError } from "intune-esim";

const poolId = process.env.POOL_ID;
const token = process.env.GRAPH_TOKEN;
const baseUrl = process.env.GRAPH_BASE_URL ?? "https://graph.microsoft.com/beta";

// The seed's example request body, as the Graph docs show it.
const assignments = [
  {
    "@odata.type": "#microsoft.graph.embeddedSIMActivationCodePoolAssignment",
    id: "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7",
    target: { "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget" },
  },
];

try {
  const result = await assign(poolId, assignments, token, { baseUrl, timeoutMs: 30_000 });
  console.log(`Assigned pool ${poolId}; Graph answered with ${result.length} assignment(s):`);
  console.log(JSON.stringify(result, null, 2));
} catch (e) {
  if (e instanceof ValidationError) {
    for (const issue of e.issues) console.error(`${issue.path}: ${issue.message}`);
  } else if (e instanceof GraphError) {
    console.error(`${e.message}\n(request-id ${e.requestId}, client-request-id ${e.clientRequestId})`);
  } else {
    console.error(`${e.name}: ${e.message}`);
  }
  process.exitCode = 1;
}
