// serveGraphEmulator: the emulator started for a person at a terminal, with what to send it printed.
import { limitsOf } from "./limits.js";
import { startGraphEmulator } from "./server.js";
import { TEST_TOKEN } from "./tenants.js";

/**
 * Starts the emulator and prints where it is and how to call it; resolves to the emulator. For
 * the `intune-esim emulator` command: it parses nothing itself.
 */
export async function serveGraphEmulator(options = {}, print = console.log) {
  const graph = await startGraphEmulator(options);
  const limit = limitsOf(options.limits, options.scale ?? 1);
  print(`Graph emulator at ${graph.baseUrl}`);
  const pools = (t) => `${t.poolIds.length}${t.poolIds.length ? ` (first: ${t.poolIds[0]})` : ""}`;
  if (options.tenants === undefined) {
    // A token the user chose is theirs: it is not echoed.
    const bearer = options.token === undefined || options.token === TEST_TOKEN ? TEST_TOKEN : "<the token given>";
    print(`  send: Authorization: Bearer ${bearer}`);
    print(`  pools: ${pools(graph)}`);
  } else {
    print(`  tenants: ${graph.tenants.length}`);
    for (const [i, t] of graph.tenants.entries()) {
      print(`  tenant ${i + 1}: ${t.tenantId}`);
      print(`    pools: ${pools(t)}`);
      // The emulator's own tokens open nothing but it, so they are printed whole, to copy.
      const given = options.tenants[i].token !== undefined;
      for (const [j, token] of t.tokens.entries()) print(`    send: Authorization: Bearer ${given && j === 0 ? "<the token given>" : token}`);
    }
  }
  const n = (x) => x.toLocaleString("en-US");
  const per = (l) => `${n(l.writes)} writes and ${n(l.requests)} requests per ${n(l.windowMs / 1000)} s`;
  print(limit ? `  limits: ${per(limit.app)} per app, ${per(limit.tenant)} per tenant` : "  limits: none");
  return graph;
}
