// Node entry (ESM; the package ships it bundled as index.mjs, and as index.cjs for `require`).
// The wasm is read and
// compiled on the first call, synchronously: about 3 ms, once. Not at import, so that importing
// costs no more than loading the JS (even node:fs is imported then: a built-in module costs
// milliseconds to import); and not in the background, where V8's compile waits behind whatever
// else its worker threads are doing (up to a hundred ms, just after Node has loaded its fetch).
//
// Frameworks bundle this entry into their server code too (Next.js does for route handlers,
// Server Components and the server render of client components), so the wasm's path is built at
// run time, never written as `new URL("....wasm", import.meta.url)`: webpack and Turbopack take
// that form for a browser asset, copy the file to their static folder and rewrite the URL, which
// readFileSync cannot read (scripts/build.mjs also takes the glue's own default URL out of the
// Node entries). tests/frameworks/next.test.mjs builds a Next app with both bundlers.
import * as glue from "./dist/intune_esim.js";
import { UNCHECKED, loadWith } from "./ready.js";
import { LoadError } from "./errors.js";

// The SHA-256 of dist/intune_esim_bg.wasm, written in by scripts/build.mjs (not defined
// when this file is run unbundled, as a test does).
const BUILT_WASM_SHA256 = typeof INTUNE_ESIM_WASM_SHA256 === "string" ? INTUNE_ESIM_WASM_SHA256 : undefined;

/** The wasm's bytes and the file URL they were read from; or it rejects with a LoadError that
 * names the first place and says where else it looked. */
async function readWasm() {
  // Each module is imported apart and awaited so that Turbopack sees readFileSync(join(...)) as
  // a read of this file and copies it into Next's standalone output (.next/standalone).
  const fs = await import("node:fs");
  const path = await import("node:path");
  const url = await import("node:url");
  // 1. Beside this module, in the package's dist/: where Node finds it when it loads index.mjs or
  // index.cjs itself, and where Turbopack's server chunks find it (their import.meta.url is
  // worked out at run time from the app's folder, so it holds after the app is moved).
  const own = path.join(path.dirname(url.fileURLToPath(import.meta.url)), "dist", "intune_esim_bg.wasm");
  const href = url.pathToFileURL(own).href;
  try {
    return { href, bytes: fs.readFileSync(own) };
  } catch (e) {
    if (e?.code !== "ENOENT") throw failed(e, href);
    // 2. webpack writes the build machine's path into import.meta.url, which is gone once the
    // build is deployed elsewhere (Next's standalone folder, copied to a server): then the
    // package installed in the working directory, where Next's standalone server.js runs and
    // where Next's tracer (@vercel/nft, which works out this one string in webpack's output)
    // copied the file. Read in a callback, which Turbopack does not follow: for a path it cannot
    // work out at build time, it would copy the whole package into the standalone output.
    const installed = process.cwd() + "/node_modules/intune-esim/dist/intune_esim_bg.wasm";
    return import("node:fs").then(async ({ promises }) => {
      const bytes = await promises.readFile(installed).catch(() => undefined);
      // The first place is the one to report; the message says where else it looked.
      if (!bytes) throw failed(e, href, ` (nor found at ${installed})`);
      // Another version's wasm would not match this glue: only this build's is taken.
      if (!(await builtHere(bytes))) throw failed(e, href, `; ${installed} is there, but another build's (another version of intune-esim?)`);
      return { href: url.pathToFileURL(installed).href, bytes };
    });
  }
}

/** Whether `bytes` are the wasm this entry was built with (always, when that is not known). */
async function builtHere(bytes) {
  if (!BUILT_WASM_SHA256) return true;
  const { createHash } = await import("node:crypto");
  return createHash("sha256").update(bytes).digest("hex") === BUILT_WASM_SHA256;
}

let loaded;
loadWith(() => {
  loaded ??= readWasm().then(({ href, bytes }) => {
    try {
      glue.initSync({ module: bytes });
    } catch (e) {
      throw failed(e, href);
    }
    return glue;
  });
  return loaded.catch((e) => {
    loaded = undefined;
    throw e;
  });
});

/** A LoadError for `cause`, met reading or compiling the wasm at `url`. */
function failed(cause, url, also = "") {
  return new LoadError(`Could not load intune-esim's WebAssembly from ${url}: ${cause.message}${also}. ${UNCHECKED}.`, { url }, { cause });
}

export * from "./api.js";
export * from "./errors.js";
