// `npm start`: starts the local Graph emulator and runs examples/assign.mjs against it.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startGraphEmulator, EXAMPLE_POOL_ID } from "../pkg/emulator.js";

const emulator = await startGraphEmulator();
console.log(`Local Graph emulator at ${emulator.baseUrl}\n`);
// Asynchronously: the emulator answers from this very process.
const example = spawn(process.execPath, [fileURLToPath(new URL("../examples/assign.mjs", import.meta.url))], {
  stdio: "inherit",
  env: { ...process.env, GRAPH_BASE_URL: emulator.baseUrl, GRAPH_TOKEN: emulator.token, POOL_ID: EXAMPLE_POOL_ID },
});
const code = await new Promise((resolve) => example.on("exit", resolve));
await emulator.close();
process.exitCode = code ?? 1;
