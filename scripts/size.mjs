// What a browser loads from the package: the wasm and every JS file the browser entry imports,
// raw and gzipped (-9). `node scripts/size.mjs` prints it; the size budget test uses `measure`.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const BROWSER_FILES = ["index.browser.js", "dist/intune_esim.js", "dist/intune_esim_bg.wasm"];

export function measure(pkgDir = fileURLToPath(new URL("../pkg", import.meta.url))) {
  const files = BROWSER_FILES.map((name) => {
    const bytes = readFileSync(join(pkgDir, name));
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = (key) => files.reduce((n, f) => n + f[key], 0);
  return { files, raw: total("raw"), gzip: total("gzip") };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, raw, gzip } = measure();
  for (const f of files) console.log(`${f.name.padEnd(28)} ${String(f.raw).padStart(8)} B ${String(f.gzip).padStart(8)} B gzip`);
  console.log(`${"total".padEnd(28)} ${String(raw).padStart(8)} B ${String(gzip).padStart(8)} B gzip`);
}
