// How a browser gets a build's wasm into its glue, for both browser entries: fetched from the URL
// a bundler left in `new URL(..., import.meta.url)` (index.browser.js), or decoded from base64
// shipped inside a JS module (index.inline.js; index.browser.js too when the URL has no wasm).
// The glue fetches and compiles (the package's own JavaScript sends no request), so a failure
// arrives as the glue's or the runtime's error; this module turns it into a LoadError that says
// what to change.
import { LoadError } from "./errors.js";
import { UNCHECKED } from "./ready.js";

// Vite 5 to 7's dev server pre-bundles a dependency's JS into node_modules/.vite/deps/ and leaves
// its wasm behind, so the URL names a file that is not there (the server answers with index.html).
const PRE_BUNDLED = /\/\.vite\/deps(?:_temp_[^/]*)?\/dist\/([^/]+\.wasm)$/;

/** `url`, unless a dev server's pre-bundling moved the JS away from the wasm: then the wasm in
 * the package's own folder, node_modules/intune-esim/, the pre-bundle cache's sibling. */
export function located(url) {
  const moved = PRE_BUNDLED.exec(url.pathname);
  return moved ? new URL(`${url.pathname.slice(0, moved.index)}/intune-esim/dist/${moved[1]}`, url) : url;
}

/**
 * Initialises the glue `glue` (a module, or a promise of one) with `source` (a URL, or a promise
 * of the wasm's bytes); any failure is a LoadError. `inlined`, for a URL: imports the same wasm's
 * JS copy (a module whose default export is its bytes), called only when the URL answered 404 or
 * something that is not WebAssembly, so only when the bundler left the .wasm behind.
 */
export async function initialised(glue, source, asked = source, inlined) {
  try {
    const module = await glue;
    await module.default({ module_or_path: await source });
    return module;
  } catch (e) {
    const [error, missing] = loadError(e, source instanceof URL ? source : undefined, asked instanceof URL ? asked : undefined);
    if (!inlined || !missing) throw error;
    // A chunk that cannot be imported either (a deploy that left out files) leaves the .wasm's
    // own error, whose fix is the right one.
    const bytes = await inlined().then((m) => m.default, () => {
      throw error;
    });
    return initialised(glue, bytes);
  }
}

const FIX_404 =
  "neither the .wasm nor its JavaScript copy could be loaded (not copied by the bundler, or left out of the deploy): import intune-esim/inline, or copy node_modules/intune-esim/dist/*.wasm next to the JavaScript";
const FIX_PRE_BUNDLED = 'Vite\'s pre-bundling moved the JavaScript away from the .wasm: add optimizeDeps: { exclude: ["intune-esim"] } to vite.config';
/**
 * `[a LoadError for cause, missing]`: `cause` is the error of loading the wasm from `url` (the
 * bundler's `asked`); `missing` when the wasm is not where the URL says (404, or another file in its
 * place), the one case where its JS copy is worth importing.
 */
function loadError(cause, url, asked) {
  const said = String(cause?.message ?? cause);
  const status = Number(/failed to fetch Wasm: (\d{3})/.exec(said)?.[1]) || undefined;
  const fix = asked && url && asked.href !== url.href ? FIX_PRE_BUNDLED : FIX_404;
  let why;
  let missing = false;
  if (/Content Security Policy|unsafe-eval/i.test(said)) {
    why = "the page's Content-Security-Policy forbids compiling WebAssembly: add 'wasm-unsafe-eval' to script-src (not 'unsafe-eval')";
  } else if (status) {
    missing = status === 404;
    why = `the server answered ${status}` + (missing ? `: ${fix}` : "; the next call tries again");
  } else if (cause instanceof TypeError) {
    // fetch's own failure: a browser does not say why (CSP and a dropped connection look alike).
    why = `no answer: the page's Content-Security-Policy may lack ${url?.origin} in connect-src, or the server is down`;
  } else if (cause instanceof WebAssembly.CompileError) {
    missing = true;
    why = `not WebAssembly (an index.html in its place?): ${fix}`;
  } else {
    why = "see its cause";
  }
  return [new LoadError(`Could not load intune-esim's WebAssembly${url ? ` from ${url.href}` : ""}: ${why}. ${UNCHECKED}. (${said})`, { url: url?.href, status }, { cause }), missing];
}
