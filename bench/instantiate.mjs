// Row 2, in a fresh process (`node bench/instantiate.mjs`, prints JSON): the package's wasm alone,
// in ms: WebAssembly.compile of its bytes, then instantiation through the glue's initSync (the
// imports object, the instance, the glue's set-up). The glue module is loaded before the clock.
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const pkgDir = dirname(createRequire(import.meta.url).resolve("intune-esim/package.json"));
const glue = await import(pathToFileURL(realpathSync(join(pkgDir, "dist/intune_esim.js"))).href);
const bytes = readFileSync(join(pkgDir, "dist/intune_esim_bg.wasm"));

const t0 = performance.now();
const module = await WebAssembly.compile(bytes);
const t1 = performance.now();
const exports = glue.initSync({ module });
const t2 = performance.now();
if (!(exports.memory instanceof WebAssembly.Memory)) throw new Error("initSync returned no instance");

console.log(JSON.stringify({ compile: t1 - t0, instantiate: t2 - t1 }));
