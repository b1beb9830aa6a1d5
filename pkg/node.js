// Node entry (ESM; `index.cjs` is built from this file for `require`). The wasm is read and
// instantiated synchronously at import, so the first call does not wait.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { initSync } from "./dist/intune_esim.js";
import { loadWith } from "./ready.js";

initSync({ module: readFileSync(fileURLToPath(new URL("./dist/intune_esim_bg.wasm", import.meta.url))) });
loadWith(() => undefined);

export * from "./api.js";
export * from "./errors.js";
