// Assigns a pool to all devices: `GRAPH_TOKEN=... bun assign.mjs <pool id>`.
import { assign, GraphError, ValidationError } from "intune-esim";

const baseUrl = process.env.GRAPH_BASE_URL ?? "https://graph.microsoft.com/beta";
try {
  const assignments = await assign(process.argv[2], [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }], process.env.GRAPH_TOKEN, { baseUrl });
  console.log(`Assigned: ${assignments.map((a) => a.target["@odata.type"]).join(", ")}`);
} catch (e) {
  if (e instanceof ValidationError) console.error(`ValidationError: ${e.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  else if (e instanceof GraphError) console.error(`GraphError ${e.status}: ${e.message}`);
  else throw e;
  process.exitCode = e instanceof ValidationError ? 2 : 1;
}
