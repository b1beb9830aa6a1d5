// The size budget of what a browser loads from the packed package, each file gzipped -9: on the
// first call (the browser entry, the glue and the wasm), and on demand (the build with the script
// operations). Size is deterministic for one toolchain, so this is a ratchet, not a timing: lower
// a budget when the package shrinks, never raise it without a reason in the commit. The budget for
// the first call is 60 KB, and the aim 45 KB (see README, "Size and speed").
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { BROWSER_FILES, INLINE_FILES, ON_DEMAND_FILES, measure } from "../../scripts/size.mjs";

const BUDGET_GZIP_BYTES = 86_500;
const ON_DEMAND_BUDGET_GZIP_BYTES = 104_200;
const INLINE_BUDGET_GZIP_BYTES = 109_000;

const require = createRequire(fileURLToPath(new URL("../.packed/package.json", import.meta.url)));
const pkgDir = dirname(require.resolve("intune-esim/package.json"));

for (const [what, names, budget] of [
  ["what the first call loads", BROWSER_FILES, BUDGET_GZIP_BYTES],
  ["the script operations' build, loaded on demand,", ON_DEMAND_FILES, ON_DEMAND_BUDGET_GZIP_BYTES],
  ["what the first call loads through intune-esim/inline", INLINE_FILES, INLINE_BUDGET_GZIP_BYTES],
]) {
  test(`${what} stays within ${budget} bytes gzipped`, () => {
    const { files, gzip } = measure(pkgDir, names);
    assert.ok(gzip <= budget, `${gzip} bytes gzipped: ${files.map((f) => `${f.name} ${f.gzip}`).join(", ")}`);
  });
}
