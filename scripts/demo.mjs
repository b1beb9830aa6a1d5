// `npm run demo`: starts the local Graph emulator and the demo page's server, both on loopback,
// and prints the page's URL. The page comes preset to the emulator, its example pool and its test
// token, so it works at once; with a real token and a Graph base URL it calls the real Graph.
import net from "node:net";
import { startGraphEmulator, EXAMPLE_POOL_ID } from "../pkg/emulator.js";
import { startDemoServer } from "./demo-server.mjs";

// The usual ports when free (the emulator's is the one `npm run emulator` uses), any free ones
// otherwise. Checked first because the emulator does not report a port in use as an error.
function free(port) {
  return new Promise((resolve) => {
    const probe = net.createServer().once("error", () => resolve(0));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(port)));
  });
}

// Example pools with devices in every state, so the Pools view has something to show.
const emulator = await startGraphEmulator({ port: await free(8787), pools: 8 });
const config = { emulator: { baseUrl: emulator.baseUrl, token: emulator.token, poolId: EXAMPLE_POOL_ID } };
const page = await startDemoServer({ port: await free(8080), config });

console.log(`Local Graph emulator at ${emulator.baseUrl}`);
console.log(`\n  Demo page: ${page.url}\n`);
console.log("Open it in a browser. Ctrl+C stops both.");

const stop = async () => {
  await Promise.all([page.close(), emulator.close()]);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
