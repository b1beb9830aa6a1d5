// Browser and bundler entry. The wasm is fetched and compiled on the first call (no top-level
// await, no init() for the user). Vite, webpack 5 and Parcel copy the file named in
// `new URL("...", import.meta.url)` (written out in full here, as they need it) and rewrite the
// URL. esbuild, Rollup, Angular's application builder and `bun build` do not: the URL then answers
// 404 (or the app's index.html), and the wasm is imported from its JS copy (base64, as
// index.inline.js takes it), which those bundlers make a chunk of its own when they split; so only
// a build whose .wasm is missing ever downloads that chunk, and the others do not pay for it.
import * as glue from "./dist/intune_esim.js";
import { loadWith } from "./ready.js";
import { initialised, located } from "./load.js";

loadWith(() => {
  const asked = new URL("./dist/intune_esim_bg.wasm", import.meta.url);
  // wasmCopy() imports the JS copy of the wasm; scripts/build.mjs writes it after the minified
  // code, where the comment that webpack reads survives.
  return initialised(glue, located(asked), asked, wasmCopy);
});

export * from "./api.js";
export * from "./errors.js";
