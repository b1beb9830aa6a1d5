// Browser and bundler entry. The wasm is fetched and compiled on the first call (no top-level
// await, no init() for the user). Vite, webpack 5 and Parcel copy the file named in
// `new URL("...", import.meta.url)` (written out in full here, as they need it) and rewrite the
// URL; esbuild and Rollup do not, and take index.inline.js instead (see README, "Bundlers"). The
// build with the script operations is imported on demand: bundlers make it a chunk of its own.
import * as core from "./dist/intune_esim.js";
import { loadWith } from "./ready.js";
import { initialised, located } from "./load.js";

loadWith((withScripts) => {
  const asked = withScripts
    ? new URL("./dist/intune_esim_scripts_bg.wasm", import.meta.url)
    : new URL("./dist/intune_esim_bg.wasm", import.meta.url);
  return initialised(withScripts ? import("./dist/intune_esim_scripts.js") : core, located(asked), asked);
});

export * from "./api.js";
export * from "./errors.js";
