// The size budget of what a browser loads from the packed package (wasm + every JS file the
// browser entry imports, each gzipped -9). Size is deterministic for one toolchain, so this is a
// ratchet, not a timing: lower BUDGET when the package shrinks, never raise it without a reason
// in the commit. The goal is 25 KB, then 10 KB (see README, "Size and speed").
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { measure } from "../../scripts/size.mjs";

const BUDGET_GZIP_BYTES = 49_900;

test(`the browser payload stays within ${BUDGET_GZIP_BYTES} bytes gzipped`, () => {
  const require = createRequire(fileURLToPath(new URL("../.packed/package.json", import.meta.url)));
  const { files, gzip } = measure(dirname(require.resolve("intune-esim/package.json")));
  assert.ok(gzip <= BUDGET_GZIP_BYTES, `${gzip} bytes gzipped: ${files.map((f) => `${f.name} ${f.gzip}`).join(", ")}`);
});
