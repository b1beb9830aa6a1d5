// Assigns a pool to all devices: `GRAPH_TOKEN=... deno run -A assign.ts <pool id>`.
import { assign, GraphError, ValidationError } from "npm:intune-esim";

const baseUrl = Deno.env.get("GRAPH_BASE_URL") ?? "https://graph.microsoft.com/beta";
try {
  const assignments = await assign(Deno.args[0], [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }], Deno.env.get("GRAPH_TOKEN") ?? "", { baseUrl });
  console.log(`Assigned: ${assignments.map((a) => a.target["@odata.type"]).join(", ")}`);
} catch (e) {
  if (e instanceof ValidationError) console.error(`ValidationError: ${e.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  else if (e instanceof GraphError) console.error(`GraphError ${e.status}: ${e.message}`);
  else throw e;
  Deno.exitCode = e instanceof ValidationError ? 2 : 1;
}
