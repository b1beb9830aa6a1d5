// How the wasm gets loaded differs per runtime: each entry (node.js, browser.js) says how, once,
// before anything is called; api.js awaits it before each call.
let load = () => {
  throw new Error("intune-esim: import the package through its entry (\"intune-esim\"), not its inner files");
};

export function loadWith(loader) {
  load = loader;
}

export function ready() {
  return load();
}
