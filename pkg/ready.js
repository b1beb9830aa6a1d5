// How the wasm gets loaded differs per runtime: each entry (node.js, browser.js) says how, once,
// before anything is called; api.js awaits it before each call.
//
// The core comes in two builds: the one every call needs, and one with the script operations too
// (below), which a browser loads only when one of those is called, so a portal that assigns and
// lists never downloads them. Node loads the second build alone.
let load = () => {
  throw new Error("intune-esim: import the package through its entry (\"intune-esim\"), not its inner files");
};
const loaded = { core: undefined, scripts: undefined };

/** The operations only the second build has. */
export const SCRIPTS = new Set(["parseActivationCodesCsv", "createPool", "checkAssignMany"]);

/** `loader(scripts)` resolves to the `run` of the build asked for (or of one that has it all). */
export function loadWith(loader) {
  load = loader;
}

/** Loads the build `op` needs. */
export async function ready(op) {
  const scripts = SCRIPTS.has(op);
  // The second build has every operation: once it is there, the first is not needed.
  if (!scripts && loaded.scripts) return;
  loaded[scripts ? "scripts" : "core"] = await load(scripts);
}

/** The `run` of a loaded build that has `op`. */
export function runner(op) {
  return (SCRIPTS.has(op) ? undefined : loaded.core) ?? loaded.scripts;
}
