// The browser entry for bundlers that cannot copy a `new URL(..., import.meta.url)` asset
// (esbuild, Rollup without a plugin): `intune-esim/inline`. Each build's wasm is in a JS module
// of its own, as base64, imported on the first call that needs it; so the entry itself stays
// small, and a bundler that splits makes each a chunk. It costs more bytes than the .wasm file
// (see README, "Bundlers"), which is why it is not the default.
import * as core from "./dist/intune_esim.js";
import { loadWith } from "./ready.js";
import { initialised } from "./load.js";

// Each copy module's default export is its wasm's bytes, decoded from base64 as it is imported.
loadWith((withScripts) =>
  withScripts
    ? initialised(import("./dist/intune_esim_scripts.js"), import("./dist/intune_esim_scripts_wasm.js").then((m) => m.default))
    : initialised(core, import("./dist/intune_esim_wasm.js").then((m) => m.default)),
);

export * from "./api.js";
export * from "./errors.js";
