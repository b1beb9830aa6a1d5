// How the wasm gets loaded differs per runtime: each entry (node.js, browser.js, inline.js) says
// how, once, with loadWith; every public function asks for the export it calls (exportOf), which
// loads the wasm on the first call (no init() for the user).
import * as errors from "./errors.js";

let load = () => {
  throw new Error('intune-esim: import the package through its entry ("intune-esim"), not its inner files');
};
let loading;

// Every call fails alike when the wasm cannot load, whichever it is: its arguments are checked in
// the wasm too, so a typo cannot be told apart from a broken deploy until the wasm loads, and
// every entry's LoadError says so.
export const UNCHECKED = "Nothing was sent, and the call's arguments could not be checked: that needs the WebAssembly too";

/** `loader()` resolves to the initialised glue. */
export function loadWith(loader) {
  load = loader;
}

// A failed load is not kept: the next call tries again (a network blip, a redeployed asset).
function started() {
  loading ??= Promise.resolve()
    .then(() => load())
    .then(
      (glue) => {
        // The wasm throws instances of the package's own classes.
        glue.setErrorClasses(errors);
        return glue;
      },
      (e) => {
        loading = undefined;
        throw e;
      },
    );
  return loading;
}

/** The wasm export `name`, once the wasm has loaded. */
export async function exportOf(name) {
  return (await started())[name];
}
