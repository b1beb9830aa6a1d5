// The package's operations are named in three places: the wasm's exports (from the Rust
// `js_name`s), `api.js`, which wraps each, and `index.d.ts`, which re-exports their types. A
// name added to one and not the others would be an operation without types, or a type without
// an operation: held to each other here, on the package as it is installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pkg } from "./helpers.mjs";

const require = createRequire(new URL("../.packed/", import.meta.url));
const installed = dirname(require.resolve("intune-esim/package.json"));

// What only JavaScript does (iteratePools' pages) and the error classes.
const JS_FUNCTIONS = ["iteratePools"];
// The wasm's exports that are the package's own plumbing, not operations.
const PLUMBING = ["default", "initSync", "setErrorClasses", "listPoolsPage"];

const sorted = (names) => [...names].sort();

test("every operation the wasm exports is a function of the package, typed by index.d.ts, and nothing else is", async () => {
  const glue = await import(join(installed, "dist/intune_esim.js"));
  const operations = Object.keys(glue).filter((n) => !PLUMBING.includes(n));
  const functions = Object.keys(pkg).filter((n) => typeof pkg[n] === "function" && !/Error$/.test(n) && !JS_FUNCTIONS.includes(n));
  assert.deepEqual(sorted(functions), sorted(operations), "api.js wraps exactly the wasm's operations");

  const dts = readFileSync(join(installed, "index.d.ts"), "utf8");
  const reexported = /export \{([^}]*)\} from "\.\/dist\/intune_esim\.js";/.exec(dts)?.[1].split(",").map((n) => n.trim()).filter(Boolean);
  assert.deepEqual(sorted(reexported ?? []), sorted(operations), "index.d.ts re-exports the type of every operation");
  for (const name of JS_FUNCTIONS) {
    assert.equal(typeof pkg[name], "function", name);
    assert.match(dts, new RegExp(`export declare function\\*? ?${name}\\(`), `index.d.ts declares ${name}`);
  }
  // The glue's own declarations name every operation too (the types index.d.ts re-exports).
  const glueDts = readFileSync(join(installed, "dist/intune_esim.d.ts"), "utf8");
  for (const name of operations) assert.match(glueDts, new RegExp(`export function ${name}\\(`), `${name} is typed`);
});
