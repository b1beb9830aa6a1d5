// Row 1: bytes. The package as the browser entry loads it (each file as shipped), and what a portal
// ships: an esbuild bundle (minified, browser, ESM) of each one-file app in apps/, plus the files
// its code fetches through `new URL("...", import.meta.url)` (the wasm), which bundlers copy as
// separate assets. gzip at level 9, brotli at its highest quality.
import { readFileSync, existsSync, realpathSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/** `{ raw, gzip, brotli }` sizes of `bytes`. */
export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

const sum = (list) => list.reduce((t, s) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip, brotli: t.brotli + s.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const ASSET = /new\s+URL\(\s*(["'`])([^"'`]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/** Bundles `options` with esbuild; the output and the absolute paths of its inputs. */
async function bundle(options) {
  const r = await build({
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "warning",
    absWorkingDir: root,
    // What a bundler splits off: the wasm's base64 copy, which the browser entry imports with
    // import() only when its .wasm answers 404: a page fetches it on no first call.
    external: ["*intune_esim_wasm.js"],
    ...options,
  });
  const inputs = Object.keys(r.metafile.inputs).filter((p) => p !== "<stdin>");
  return { js: r.outputFiles[0].contents, inputs: inputs.map((p) => resolve(root, p)) };
}

/** The files `inputs` reference with `new URL("...", import.meta.url)`, each once. */
function assetsOf(inputs) {
  const found = new Set();
  for (const input of inputs) {
    for (const [, , spec] of readFileSync(input, "utf8").matchAll(ASSET)) {
      const file = resolve(dirname(input), spec);
      if (existsSync(file)) found.add(realpathSync(file));
    }
  }
  return [...found].sort();
}

const described = (file) => ({ file: relative(root, file), ...sizes(readFileSync(file)) });

/** `apps`: names of the files in apps/. */
export async function measureSize({ apps }) {
  // The package: the JS files its browser entry (as its exports resolve for a bundler) loads, and
  // the assets they reference.
  const entry = await bundle({ stdin: { contents: 'export * from "intune-esim";', resolveDir: root } });
  const jsFiles = entry.inputs.map(described);
  const allAssets = assetsOf(entry.inputs);
  const assetFiles = allAssets.map(described);
  const pkg = { js: { files: jsFiles, ...sum(jsFiles) }, assets: { files: assetFiles, ...sum(assetFiles) } };
  pkg.total = sum([pkg.js, pkg.assets]);

  const bundles = {};
  for (const app of apps) {
    const b = await bundle({ entryPoints: [join(root, "bench/apps", `${app}.mjs`)], minify: true });
    const found = assetsOf(b.inputs);
    const assets = found.map(described);
    const js = sizes(b.js);
    bundles[app] = { js, assets: { files: assets, ...sum(assets) }, total: sum([js, ...assets]) };
  }
  return { package: pkg, bundles };
}
