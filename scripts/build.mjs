// Builds the npm package in pkg/: the wasm (cargo, release; twice, without and with the script
// operations), its JS glue (wasm-bindgen, web target, used by every entry), a size pass
// (wasm-opt -Oz from npm's binaryen), the TypeScript declarations of Graph's types (from a second, debug build with
// tsify), and the CommonJS entry index.cjs (esbuild, from node.js), plus the README and licenses.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { build, transform } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = join(root, "pkg");
const dist = join(pkg, "dist");
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { stdio: "inherit", cwd: root, env: { ...process.env, ...env } });

// The wasm keeps the source paths of a few panic messages from its dependencies: they are written
// relative to the crate registry, not to this machine's home, so the shipped bytes (and the size
// test) are the same wherever the package is built.
const registry = join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "registry", "src");

/** One build of the core: the release wasm with `features`, its glue, and a size pass. */
async function core(features, name) {
  const chosen = features.length ? ["--features", features.join(",")] : [];
  run("cargo", ["build", "--lib", "--release", "--target", "wasm32-unknown-unknown", "--no-default-features", ...chosen], {
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS: `--remap-path-prefix=${registry}=registry`,
  });
  run("wasm-bindgen", [
    "--target", "web",
    "--out-dir", dist,
    "--out-name", name,
    join(root, "target/wasm32-unknown-unknown/release/intune_esim.wasm"),
  ]);

  // The glue copies a string into the wasm one character at a time while it is ASCII, then hands
  // the rest to TextEncoder.encodeInto. For the megabytes of a 10,000-assignment call that JS loop
  // was the slowest step; past 256 characters, encodeInto (native) now does all of it.
  const gluePath = join(dist, `${name}.js`);
  const glue = readFileSync(gluePath, "utf8");
  const asciiLoop = "for (; offset < len; offset++) {";
  if (!glue.includes(asciiLoop)) throw new Error("build: the glue's string copy loop was not found (did wasm-bindgen change?)");
  // Minified too: browsers load this file as it is (it stays next to the wasm that its default URL
  // names, for bundlers that follow new URL(..., import.meta.url)).
  const patched = glue.replace(asciiLoop, "for (; offset < len && len <= 256; offset++) {");
  writeFileSync(gluePath, (await transform(patched, { minify: true, format: "esm", target: "es2022" })).code);

  // The features are those rustc enables by default for wasm32 and wasm-bindgen relies on.
  const wasm = join(dist, `${name}_bg.wasm`);
  run(join(root, "node_modules/.bin/wasm-opt"), [
    "-Oz", "--strip-debug", "--strip-producers",
    "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
    "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
    wasm, "-o", `${wasm}.opt`,
  ]);
  renameSync(`${wasm}.opt`, wasm);
}

// What every call needs, and (for the operations of scripts, loaded on demand in a browser and
// always in Node) everything.
await core([], "intune_esim");
await core(["scripts"], "intune_esim_scripts");

// Graph's types come from a debug build with the `types` feature (tsify); of it, only the
// declarations are kept (the exports are the same, with the script operations).
run("cargo", ["build", "--lib", "--target", "wasm32-unknown-unknown"]);
const types = mkdtempSync(join(tmpdir(), "intune-esim-types-"));
run("wasm-bindgen", [
  "--target", "web",
  "--out-dir", types,
  "--out-name", "intune_esim",
  join(root, "target/wasm32-unknown-unknown/debug/intune_esim.wasm"),
]);
copyFileSync(join(types, "intune_esim.d.ts"), join(dist, "intune_esim.d.ts"));
rmSync(types, { recursive: true, force: true });

// Node's entries, each one file so that importing is one module load (the package's JS is many
// small files, and each costs a load): ESM (index.mjs) and CommonJS for `require` (index.cjs),
// where import.meta.url is rebuilt from __filename.
const nodeEntry = { entryPoints: [join(pkg, "node.js")], bundle: true, platform: "node", target: "node18", logLevel: "warning" };
await build({ ...nodeEntry, outfile: join(pkg, "index.mjs"), format: "esm" });
await build({
  ...nodeEntry,
  outfile: join(pkg, "index.cjs"),
  format: "cjs",
  define: { "import.meta.url": "__intuneEsimModuleUrl" },
  banner: { js: 'const __intuneEsimModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// The browser entry as one minified file (with its source map), so that a page using the package
// without a bundler loads two files, not ten, and fewer bytes. The glue stays in dist/, next to the
// wasm its default URL names, which bundlers that follow `new URL(..., import.meta.url)` look for.
await build({
  entryPoints: [join(pkg, "browser.js")],
  outfile: join(pkg, "index.browser.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  external: ["./dist/intune_esim.js", "./dist/intune_esim_scripts.js"],
  minify: true,
  sourcemap: true,
  logLevel: "warning",
});
// One README and one pair of license files, at the top of the repository, for npm too.
for (const f of ["README.md", "LICENSE-MIT", "LICENSE-APACHE"]) copyFileSync(join(root, f), join(pkg, f));
console.log("build: pkg/ is ready");
