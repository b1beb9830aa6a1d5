// How the wasm gets loaded differs per runtime: each entry (node.js, browser.js) says how, once,
// with loadWith; every public function asks for the export it calls (exportOf), which loads the
// wasm on the first call (no init() for the user).
//
// The core comes in two builds: the one every call needs, and one with the script operations
// too, which a browser loads only when it is asked for an export the first build lacks, so a
// portal that assigns and lists never downloads it. Node loads the second build alone.
import * as errors from "./errors.js";
import { SCRIPTS_ONLY } from "./dist/builds.js";

let load = () => {
  throw new Error('intune-esim: import the package through its entry ("intune-esim"), not its inner files');
};
const loading = { core: undefined, scripts: undefined };
// The second build once it has loaded: from then on it serves every export.
let scripts;

// Every call fails alike when the wasm cannot load, whichever it is: its arguments are checked in
// the wasm too, so a typo cannot be told apart from a broken deploy until the wasm loads, and
// every entry's LoadError says so.
export const UNCHECKED = "Nothing was sent, and the call's arguments could not be checked: that needs the WebAssembly too";

/** `loader(scripts)` resolves to the initialised glue of the build asked for (or of one with it all). */
export function loadWith(loader) {
  load = loader;
}

// A failed load is not kept: the next call tries again (a network blip, a redeployed asset).
function started(which) {
  loading[which] ??= Promise.resolve()
    .then(() => load(which === "scripts"))
    .then(
      (glue) => {
        // The wasm throws instances of the package's own classes.
        glue.setErrorClasses(errors);
        if (which === "scripts") scripts = glue;
        return glue;
      },
      (e) => {
        loading[which] = undefined;
        throw e;
      },
    );
  return loading[which];
}

/** The wasm export `name`, from the build that has it. The second build has every export: once
 * it has loaded, the first is not needed (but a call does not wait for it while it loads). */
export async function exportOf(name) {
  if (scripts) return scripts[name];
  return (await started(SCRIPTS_ONLY.includes(name) ? "scripts" : "core"))[name];
}
