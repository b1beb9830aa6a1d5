// What a browser loads from the package, raw and gzipped (-9): on the first call of any operation,
// the browser entry, the glue and the wasm (one build has every operation, so a page that calls
// them all loads nothing more); and the first call through intune-esim/inline. `node
// scripts/size.mjs` prints both; the size budget test uses `measure`.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const BROWSER_FILES = ["index.browser.js", "dist/intune_esim.js", "dist/intune_esim_bg.wasm"];
// The first call through `intune-esim/inline`, whose wasm comes as base64 inside a JS module.
export const INLINE_FILES = ["index.inline.js", "dist/intune_esim.js", "dist/intune_esim_wasm.js"];

export function measure(pkgDir = fileURLToPath(new URL("../pkg", import.meta.url)), names = BROWSER_FILES) {
  const files = names.map((name) => {
    const bytes = readFileSync(join(pkgDir, name));
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = (key) => files.reduce((n, f) => n + f[key], 0);
  return { files, raw: total("raw"), gzip: total("gzip") };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [title, names] of [["on the first call", BROWSER_FILES], ["on the first call, intune-esim/inline", INLINE_FILES]]) {
    const { files, raw, gzip } = measure(undefined, names);
    console.log(title);
    for (const f of files) console.log(`  ${f.name.padEnd(34)} ${String(f.raw).padStart(8)} B ${String(f.gzip).padStart(8)} B gzip`);
    console.log(`  ${"total".padEnd(34)} ${String(raw).padStart(8)} B ${String(gzip).padStart(8)} B gzip`);
  }
}
