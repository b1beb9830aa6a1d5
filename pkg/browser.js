// Browser and bundler entry. The wasm is fetched and compiled on the first call (no top-level
// await, no init() for the user); bundlers (Vite, webpack 5, esbuild) copy the file they find in
// `new URL(..., import.meta.url)`.
import init from "./dist/intune_esim.js";
import { loadWith } from "./ready.js";

let loading;
loadWith(() => (loading ??= init({ module_or_path: new URL("./dist/intune_esim_bg.wasm", import.meta.url) })));

export * from "./api.js";
export * from "./errors.js";
