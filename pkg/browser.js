// Browser and bundler entry. The wasm is fetched and compiled on the first call (no top-level
// await, no init() for the user); bundlers (Vite, webpack 5, esbuild) copy the file they find in
// `new URL(..., import.meta.url)`. The build with the script operations is imported on demand:
// bundlers make it a chunk of its own.
import init, { run } from "./dist/intune_esim.js";
import { loadWith } from "./ready.js";

let core;
let scripts;
loadWith((withScripts) => {
  if (!withScripts) {
    core ??= init({ module_or_path: new URL("./dist/intune_esim_bg.wasm", import.meta.url) }).then(() => run);
    return core;
  }
  scripts ??= import("./dist/intune_esim_scripts.js").then(async (m) => {
    await m.default({ module_or_path: new URL("./dist/intune_esim_scripts_bg.wasm", import.meta.url) });
    return m.run;
  });
  return scripts;
});

export * from "./api.js";
export * from "./errors.js";
