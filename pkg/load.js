// How a browser gets a build's wasm into its glue, for both browser entries: fetched from the URL
// a bundler left in `new URL(..., import.meta.url)` (index.browser.js), or decoded from base64
// shipped inside a JS module (index.inline.js). The glue fetches and compiles (the package's own
// JavaScript sends no request), so a failure arrives as the glue's or the runtime's error; this
// module turns it into a LoadError that says what to change.
import { LoadError } from "./errors.js";

// Vite 5 to 7's dev server pre-bundles a dependency's JS into node_modules/.vite/deps/ and leaves
// its wasm behind, so the URL names a file that is not there (the server answers with index.html).
const PRE_BUNDLED = /\/\.vite\/deps(?:_temp_[^/]*)?\/dist\/([^/]+\.wasm)$/;

/** `url`, unless a dev server's pre-bundling moved the JS away from the wasm: then the wasm in
 * the package's own folder, node_modules/intune-esim/, the pre-bundle cache's sibling. */
export function located(url) {
  const moved = PRE_BUNDLED.exec(url.pathname);
  return moved ? new URL(`${url.pathname.slice(0, moved.index)}/intune-esim/dist/${moved[1]}`, url) : url;
}

/** The bytes of a base64 string (Uint8Array.fromBase64 where the runtime has it: native, faster). */
export function decoded(base64) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(base64);
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Initialises the glue `glue` (a module, or a promise of one) with `source` (a URL, or a promise
 * of the wasm's bytes); any failure is a LoadError. */
export async function initialised(glue, source, asked = source) {
  try {
    const module = await glue;
    await module.default({ module_or_path: await source });
    return module;
  } catch (e) {
    throw loadError(e, source instanceof URL ? source : undefined, asked instanceof URL ? asked : undefined);
  }
}

const FIX_404 =
  "the bundler did not copy the .wasm next to the JavaScript (esbuild and Rollup do not copy `new URL()` assets): import intune-esim/inline instead, or copy node_modules/intune-esim/dist/*.wasm there";
const FIX_PRE_BUNDLED = 'Vite\'s pre-bundling moved the JavaScript away from the .wasm: add optimizeDeps: { exclude: ["intune-esim"] } to vite.config';

/** A LoadError for `cause`, the error of loading the wasm from `url` (the bundler's `asked`). */
function loadError(cause, url, asked) {
  const said = String(cause?.message ?? cause);
  const status = Number(/failed to fetch Wasm: (\d{3})/.exec(said)?.[1]) || undefined;
  const fix = asked && url && asked.href !== url.href ? FIX_PRE_BUNDLED : FIX_404;
  let why;
  if (/Content Security Policy|unsafe-eval/i.test(said)) {
    why = "the page's Content-Security-Policy forbids compiling WebAssembly: add 'wasm-unsafe-eval' to script-src (not 'unsafe-eval')";
  } else if (status) {
    why = `the server answered ${status}` + (status === 404 ? `: ${fix}` : "; the next call tries again");
  } else if (cause instanceof TypeError) {
    // fetch's own failure: a browser does not say why (CSP and a dropped connection look alike).
    why = `no answer: the page's Content-Security-Policy may lack ${url?.origin} in connect-src, or the server is down`;
  } else if (cause instanceof WebAssembly.CompileError) {
    why = `not WebAssembly (an index.html in its place?): ${fix}`;
  } else {
    why = "see its cause";
  }
  return new LoadError(`Could not load intune-esim's WebAssembly${url ? ` from ${url.href}` : ""}: ${why}. (${said})`, { url: url?.href, status }, { cause });
}
