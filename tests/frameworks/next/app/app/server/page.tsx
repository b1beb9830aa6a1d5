// A Server Component: the package runs where Next renders it, on the server, with the token of the
// server's environment (set by the test when it starts the server, never written into the app).
import { assign, listPools } from "intune-esim";

// Rendered for each request: the answer is Graph's at that moment, not the build's.
export const dynamic = "force-dynamic";

export default async function ServerPools() {
  const token = process.env.GRAPH_TOKEN!;
  const options = { baseUrl: process.env.GRAPH_BASE_URL };
  const pools = await listPools(token, options);
  const assigned = await assign(pools[0].id, [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }], token, options);
  return (
    <main>
      <p id="pools">{pools.map((p) => p.displayName).join(", ")}</p>
      <p id="assigned">{assigned.map((a) => a.target["@odata.type"]).join(", ")}</p>
    </main>
  );
}
