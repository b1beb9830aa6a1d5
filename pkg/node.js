// Node entry (ESM; the package ships it bundled as index.mjs, and as index.cjs for `require`).
// The wasm is read and compiled in the background from import on (V8 compiles off the main
// thread), so importing costs no more than loading the JS; a call made before it is done waits.
import { readFile } from "node:fs/promises";
import init from "./dist/intune_esim.js";
import { loadWith } from "./ready.js";

const loading = readFile(new URL("./dist/intune_esim_bg.wasm", import.meta.url)).then((bytes) => init({ module_or_path: bytes }));
// A failed load is reported by the first call that waits for it, not as an unhandled rejection.
loading.catch(() => {});
loadWith(() => loading);

export * from "./api.js";
export * from "./errors.js";
