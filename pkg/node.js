// Node entry (ESM; the package ships it bundled as index.mjs, and as index.cjs for `require`).
// Node has no download to save: it loads the build with every operation. The wasm is read and
// compiled on the first call, synchronously: about 3 ms, once. Not at import, so that importing
// costs no more than loading the JS (even node:fs is imported then: a built-in module costs
// milliseconds to import); and not in the background, where V8's compile waits behind whatever
// else its worker threads are doing (up to a hundred ms, just after Node has loaded its fetch).
import * as glue from "./dist/intune_esim_scripts.js";
import { loadWith } from "./ready.js";
import { LoadError } from "./errors.js";

// One load serves both builds the loader may be asked for.
let loaded;
loadWith(() => {
  const url = new URL("./dist/intune_esim_scripts_bg.wasm", import.meta.url);
  loaded ??= import("node:fs").then(({ readFileSync }) => {
    try {
      glue.initSync({ module: readFileSync(url) });
    } catch (e) {
      throw new LoadError(`Could not load intune-esim's WebAssembly from ${url.href}: ${e.message}`, { url: url.href }, { cause: e });
    }
    return glue;
  });
  return loaded.catch((e) => {
    loaded = undefined;
    throw e;
  });
});

export * from "./api.js";
export * from "./errors.js";
