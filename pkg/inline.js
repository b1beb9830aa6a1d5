// The browser entry for bundlers that cannot copy a `new URL(..., import.meta.url)` asset
// (esbuild, Rollup without a plugin): `intune-esim/inline`. The wasm is in a JS module of its own,
// as base64, imported on the first call; so the entry itself stays small, and a bundler that
// splits makes it a chunk. It costs more bytes than the .wasm file
// (see README, "Bundlers"), which is why it is not the default.
import * as glue from "./dist/intune_esim.js";
import { loadWith } from "./ready.js";
import { initialised } from "./load.js";

// The copy module's default export is the wasm's bytes, decoded from base64 as it is imported.
loadWith(() => initialised(glue, import("./dist/intune_esim_wasm.js").then((m) => m.default)));

export * from "./api.js";
export * from "./errors.js";
