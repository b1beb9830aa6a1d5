// The packed package (tests/.packed) under Node 18, the oldest the package declares.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startEmulator, EXAMPLE_POOL_ID } from "../bundlers/emulator.mjs";
import { node18 } from "./node18.mjs";

const TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.SECRET-node18-payload-93b0.signature-do-not-leak";

test("Node 18: require and import of the packed package, a ValidationError, an assign against the emulator", async (t) => {
  const emulator = await startEmulator({ token: TOKEN });
  t.after(() => emulator.close());
  const [cmd, args] = node18([fileURLToPath(new URL("smoke.cjs", import.meta.url))]);
  const env = {
    ...process.env,
    INTUNE_ESIM_BASE_URL: emulator.baseUrl,
    INTUNE_ESIM_TOKEN: TOKEN,
    INTUNE_ESIM_POOL: EXAMPLE_POOL_ID,
    INTUNE_ESIM_PACKED: fileURLToPath(new URL("../.packed", import.meta.url)),
  };
  const { stdout } = await promisify(execFile)(cmd, args, { env });
  const { version, seen } = JSON.parse(stdout);
  assert.match(version, /^v18\./);
  const expected = { invalid: ["poolId"], assigned: ["#microsoft.graph.allDevicesAssignmentTarget"] };
  assert.deepEqual(seen, { require: expected, import: expected });
});
