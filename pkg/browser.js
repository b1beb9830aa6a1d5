// Browser and bundler entry. The wasm is fetched and compiled on the first call (no top-level
// await, no init() for the user); bundlers (Vite, webpack 5) copy the file they find in
// `new URL(..., import.meta.url)`. The build with the script operations is imported on demand:
// bundlers make it a chunk of its own.
import * as core from "./dist/intune_esim.js";
import { loadWith } from "./ready.js";

loadWith(async (withScripts) => {
  if (!withScripts) {
    await core.default({ module_or_path: new URL("./dist/intune_esim_bg.wasm", import.meta.url) });
    return core;
  }
  const scripts = await import("./dist/intune_esim_scripts.js");
  await scripts.default({ module_or_path: new URL("./dist/intune_esim_scripts_bg.wasm", import.meta.url) });
  return scripts;
});

export * from "./api.js";
export * from "./errors.js";
