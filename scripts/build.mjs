// Builds the npm package in pkg/: the wasm (cargo, release, every operation), its JS glue
// (wasm-bindgen, web target, used by every entry), short names for what the wasm and its glue pass
// each other (binaryen.js), a size pass (wasm-opt -Os from npm's binaryen), the wasm as base64 in
// a JS module (for intune-esim/inline), the TypeScript declarations of Graph's types (from a
// second, debug build with tsify) and their CommonJS copies (index.d.cts), and the bundled entries
// (esbuild): index.mjs and index.cjs from node.js, index.browser.js from browser.js,
// index.inline.js from inline.js; plus the README and licenses.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import binaryen from "binaryen";
import { build, transform } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = join(root, "pkg");
const dist = join(pkg, "dist");
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { stdio: "inherit", cwd: root, env: { ...process.env, ...env } });

// The wasm keeps the source paths of a few panic messages from its dependencies: they are written
// relative to the crate registry, not to this machine's home, so the shipped bytes (and the size
// test) are the same wherever the package is built.
const registry = join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "registry", "src");
// Cargo writes where CARGO_TARGET_DIR says (a worktree sharing a machine with others may set it),
// else into target/ here.
const target = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");

// wasm-bindgen names each function the wasm imports from its glue after the JS it calls plus a
// hash (`__wbg_parse_4c1c08f96aca43f7`), under the module "./<name>_bg.js": ~100 names, each written
// once in the wasm and once in the glue's import object, whose hashes gzip cannot compress (~2 KB
// gzipped of the wasm and ~1.3 KB of the glue). The glue alone provides those imports, so both
// sides can agree on short names: the wasm's imports are renamed with binaryen.js (before wasm-opt,
// which writes the final binary), and the glue's keys with them, each of which must be found
// exactly once.
const IMPORT_MODULE = "a";
const shortName = (i) => {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / letters.length)) s = letters[(n - 1) % letters.length] + s;
  return s;
};
/** Renames the imports and wasm-bindgen's exports of the wasm at `wasmPath` in place; returns
 * `glue` with the same names. */
function shortNames(wasmPath, glue) {
  const module = binaryen.readBinary(readFileSync(wasmPath));
  const imports = [];
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const f = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (f.module !== null && f.module !== "") imports.push(f);
  }
  const modules = [...new Set(imports.map((f) => f.module))];
  if (modules.length !== 1) throw new Error(`build: the wasm imports from ${modules.join(", ") || "no module"}, not from its glue alone`);
  // A key of the glue's import objects: `name:` (or `"name":`), not part of a longer name.
  const rename = (text, from, to, what) => {
    const escaped = from.replace(/[$.*+?()[\]{}|^\\/]/g, "\\$&");
    const pattern = new RegExp(`(?<![\\w$])(?:${escaped}|"${escaped}"):`, "g");
    const found = text.match(pattern)?.length ?? 0;
    if (found !== 1) throw new Error(`build: the glue has the ${what} ${from} ${found} times, not once (did wasm-bindgen change?)`);
    return text.replace(pattern, `${JSON.stringify(to)}:`);
  };
  let renamed = rename(glue, modules[0], IMPORT_MODULE, "import module");
  // Removed and added back in the same order, so the imports keep their indices.
  imports.forEach((f, i) => {
    const to = shortName(i);
    renamed = rename(renamed, f.base, to, "import");
    module.removeFunction(f.name);
    module.addFunctionImport(f.name, IMPORT_MODULE, to, f.params, f.results);
  });
  // The same for wasm-bindgen's own exports, which only the glue calls (as `wasm.name`), two of
  // them with a hash (`wasm_bindgen__convert__closures_____invoke__h60702a48838d1764`): renamed to
  // _a, _b, ..., and the old name must then be gone from the glue. The operations and `memory` keep
  // their names.
  const exports = [];
  for (let i = 0; i < module.getNumExports(); i++) exports.push(binaryen.getExportInfo(module.getExportByIndex(i)));
  let next = 0;
  for (const e of exports.filter((e) => /^(__wbindgen_|__externref_|wasm_bindgen__)/.test(e.name))) {
    const uses = new RegExp(`(?<![\\w$])wasm\\.${e.name}(?![\\w$])`, "g");
    if (!uses.test(renamed)) continue; // not called by the glue: left as it is
    const to = `_${shortName(next++)}`;
    if (exports.some((other) => other.name === to)) throw new Error(`build: the wasm already exports ${to}`);
    renamed = renamed.replace(uses, `wasm.${to}`);
    // The glue may keep a JS function of the same name (minified away); a property or a string of
    // that name would be the export read some other way.
    if (new RegExp(`[.'"\`]${e.name}(?![\\w$])`).test(renamed)) throw new Error(`build: the glue reads the export ${e.name} other than as wasm.${e.name} (did wasm-bindgen change?)`);
    const add = { [binaryen.ExternalFunction]: "addFunctionExport", [binaryen.ExternalGlobal]: "addGlobalExport", [binaryen.ExternalTable]: "addTableExport" }[e.kind];
    if (!add) throw new Error(`build: the export ${e.name} is of a kind the build does not rename`);
    module.removeExport(e.name);
    module[add](e.value, to);
  }
  if (!module.validate()) throw new Error("build: the wasm with renamed imports and exports does not validate");
  const bytes = module.emitBinary();
  module.dispose();
  for (const i of WebAssembly.Module.imports(new WebAssembly.Module(bytes))) {
    if (i.module !== IMPORT_MODULE || i.kind !== "function") throw new Error(`build: the wasm still imports ${i.kind} ${i.module}.${i.name}`);
  }
  writeFileSync(wasmPath, bytes);
  return renamed;
}

/** The core's build: the release wasm, its glue, and a size pass. */
async function core(name) {
  run("cargo", ["build", "--lib", "--release", "--target", "wasm32-unknown-unknown", "--no-default-features"], {
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS: `--remap-path-prefix=${registry}=registry`,
  });
  run("wasm-bindgen", [
    "--target", "web",
    "--out-dir", dist,
    "--out-name", name,
    join(target, "wasm32-unknown-unknown/release/intune_esim.wasm"),
  ]);

  // The glue copies a string into the wasm one character at a time while it is ASCII, then hands
  // the rest to TextEncoder.encodeInto. For the megabytes of a 10,000-assignment call that JS loop
  // was the slowest step; past 256 characters, encodeInto (native) now does all of it.
  const gluePath = join(dist, `${name}.js`);
  const wasm = join(dist, `${name}_bg.wasm`);
  const glue = shortNames(wasm, readFileSync(gluePath, "utf8"));
  const asciiLoop = "for (; offset < len; offset++) {";
  if (!glue.includes(asciiLoop)) throw new Error("build: the glue's string copy loop was not found (did wasm-bindgen change?)");
  // Minified too: browsers load this file as it is (it stays next to the wasm that its default URL
  // names, for bundlers that follow new URL(..., import.meta.url)).
  const patched = glue.replace(asciiLoop, "for (; offset < len && len <= 256; offset++) {");
  writeFileSync(gluePath, (await transform(patched, { minify: true, format: "esm", target: "es2022" })).code);

  // The features are those rustc enables by default for wasm32 and wasm-bindgen relies on.
  // --low-memory-unused lets wasm-opt fold `p + C` (C < 1024) into a load's or store's offset. The
  // two differ only when p + C wraps past 4 GiB onto an address below 1024 (the add wraps there, the
  // offset traps): an address to an object never wraps, and below 1024 is only the last KiB of the
  // 1 MiB stack (rustc lays out the stack first, the data from 1 MiB on), which only a stack about
  // to overflow would use.
  run(join(root, "node_modules/.bin/wasm-opt"), [
    // -Os, not -Oz: with the inlining limit below, -Oz's output is ~1% smaller raw but ~0.3% larger
    // gzipped, which is what a page downloads (only the base64 copies, a fallback, gzip ~0.2% smaller
    // from -Oz).
    "-Os", "--low-memory-unused", "--strip-debug", "--strip-producers",
    // The target_features section only tells tools what the code uses; engines ignore it.
    "--strip-target-features",
    // wasm-opt inlines every function with one caller by default, however large: the wasm gets a
    // little smaller raw but much larger gzipped (big bodies compress worse than the small ones
    // they were made of). Limited to functions of 30 expressions, the gzipped wasm is ~8% smaller; 0 to
    // 35 were all close, 50 and more lose most of the gain.
    "--one-caller-inline-max-function-size", "30",
    "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
    "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
    wasm, "-o", `${wasm}.opt`,
  ]);
  renameSync(`${wasm}.opt`, wasm);
}

// One build with every operation. Two builds (what a portal calls first, and one with the script
// operations too, fetched on demand) made a page that assigns and then reports download both
// (74.6 + 102 KB gzipped), where one build was 102 KB for any first call and for every operation.
rmSync(dist, { recursive: true, force: true });
await core("intune_esim");

// Graph's types come from a debug build with the `types` feature (tsify); of it, only the
// declarations are kept (the exports are the same, with the script operations).
run("cargo", ["build", "--lib", "--target", "wasm32-unknown-unknown"]);
const types = mkdtempSync(join(tmpdir(), "intune-esim-types-"));
run("wasm-bindgen", [
  "--target", "web",
  "--out-dir", types,
  "--out-name", "intune_esim",
  join(target, "wasm32-unknown-unknown/debug/intune_esim.wasm"),
]);
copyFileSync(join(types, "intune_esim.d.ts"), join(dist, "intune_esim.d.ts"));
rmSync(types, { recursive: true, force: true });

// The CommonJS declarations, from the same index.d.ts: in this "type": "module" package a .d.ts is
// read as ESM, which TypeScript will not let `require` code import; as .d.cts (and the glue's
// declarations as .d.cts too, which its imports then name) they are read as CommonJS.
const esmTypes = readFileSync(join(pkg, "index.d.ts"), "utf8");
const glueTypes = '"./dist/intune_esim.js"';
if (!esmTypes.includes(glueTypes)) throw new Error(`build: index.d.ts no longer imports ${glueTypes}`);
writeFileSync(join(pkg, "index.d.cts"), esmTypes.replaceAll(glueTypes, '"./dist/intune_esim.cjs"'));
copyFileSync(join(dist, "intune_esim.d.ts"), join(dist, "intune_esim.d.cts"));

// The wasm as a JS module (base64) whose default export is the wasm's bytes, for the
// entries of bundlers that do not copy assets. The module decodes itself (Uint8Array.fromBase64
// where the runtime has it: native, faster), so the entries, which import it only when they need
// it, carry no decoder of their own.
const decoder =
  "let bytes;if(Uint8Array.fromBase64)bytes=Uint8Array.fromBase64(base64);else{const text=atob(base64);bytes=new Uint8Array(text.length);for(let i=0;i<text.length;i++)bytes[i]=text.charCodeAt(i)}export default bytes;";
const base64 = readFileSync(join(dist, "intune_esim_bg.wasm")).toString("base64");
writeFileSync(join(dist, "intune_esim_wasm.js"), `const base64="${base64}";\n${decoder}\n`);

// Node's entries, each one file so that importing is one module load (the package's JS is many
// small files, and each costs a load): ESM (index.mjs) and CommonJS for `require` (index.cjs),
// where import.meta.url is rebuilt from __filename.
//
// Frameworks bundle the Node entry into their server code (Next.js does, with webpack or
// Turbopack), and those bundlers take every `new URL("...", import.meta.url)` for an asset to
// resolve and copy at build time. The glue's default URL of its wasm (used only when init is
// called without one, which the Node entry never does) names a file beside the glue in dist/,
// not beside index.mjs: resolved from the entry, it fails Next's build. So the Node entries get
// the glue without it; dist/ keeps the glue as generated, for the browser entries.
const GLUE_DEFAULT_URL = 'new URL("intune_esim_bg.wasm",import.meta.url)';
const withoutDefaultUrl = {
  name: "glue-without-default-url",
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]intune_esim\.js$/ }, ({ path }) => {
      const glue = readFileSync(path, "utf8");
      if (glue.split(GLUE_DEFAULT_URL).length !== 2) throw new Error(`build: the glue's default URL (${GLUE_DEFAULT_URL}) was not found once (did wasm-bindgen change?)`);
      const contents = glue.replace(GLUE_DEFAULT_URL, '(()=>{throw new Error("intune-esim: the Node entry gives the glue its wasm")})()');
      if (contents.includes("import.meta")) throw new Error("build: the glue still reads import.meta, which bundlers of the Node entry would resolve");
      return { contents, loader: "js" };
    });
  },
};
// The wasm's SHA-256, for the Node entry to check a copy it finds elsewhere than beside itself.
const wasmSha256 = createHash("sha256").update(readFileSync(join(dist, "intune_esim_bg.wasm"))).digest("hex");
const nodeEntry = {
  entryPoints: [join(pkg, "node.js")],
  bundle: true,
  platform: "node",
  target: "node18",
  logLevel: "warning",
  plugins: [withoutDefaultUrl],
  define: { INTUNE_ESIM_WASM_SHA256: JSON.stringify(wasmSha256) },
};
await build({ ...nodeEntry, outfile: join(pkg, "index.mjs"), format: "esm" });
await build({
  ...nodeEntry,
  outfile: join(pkg, "index.cjs"),
  format: "cjs",
  define: { ...nodeEntry.define, "import.meta.url": "__intuneEsimModuleUrl" },
  banner: { js: 'const __intuneEsimModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// The emulator for CommonJS test runners too (`require("intune-esim/emulator")`): the same entry
// and its emulator/ folder, bundled as CommonJS into one file beside the entry, with the same
// declarations as .d.cts. One module of the folder reads a file by its own URL (facts.js reads
// ../facts.json): in the bundle, import.meta.url is rebuilt as that module's URL, which holds
// only while no other module asks for its own.
const emulatorDir = join(pkg, "emulator");
const ownUrl = readdirSync(emulatorDir).filter((f) => readFileSync(join(emulatorDir, f), "utf8").includes("import.meta"));
if (ownUrl.join() !== "facts.js" || readFileSync(join(pkg, "emulator.js"), "utf8").includes("import.meta")) {
  throw new Error(`build: only emulator/facts.js may read import.meta in the emulator, not ${ownUrl.join(", ")}`);
}
await build({
  entryPoints: [join(pkg, "emulator.js")],
  outfile: join(pkg, "emulator.cjs"),
  bundle: true,
  platform: "node",
  target: "node18",
  format: "cjs",
  logLevel: "warning",
  define: { "import.meta.url": "__intuneEsimFactsModuleUrl" },
  banner: { js: 'const __intuneEsimFactsModuleUrl = require("node:url").pathToFileURL(require("node:path").join(__dirname, "emulator", "facts.js")).href;' },
});
copyFileSync(join(pkg, "emulator.d.ts"), join(pkg, "emulator.d.cts"));
// The browser entry as one minified file (with its source map), so that a page using the package
// without a bundler loads two files, not ten, and fewer bytes. The glue stays in dist/, next to the
// wasm its default URL names, which bundlers that follow `new URL(..., import.meta.url)` look for.
// index.inline.js, the entry with the wasm inside JS modules, is built the same way.
// The browser entry's wasmCopy (see browser.js) is written after the minified code, which would
// lose its comments: webpack copies the .wasm, so it never needs the copy, and `webpackIgnore`
// keeps it from building the copy into a chunk that its size hint warns about.
const wasmCopy = 'function wasmCopy(){return import(/*webpackIgnore:true*/"./dist/intune_esim_wasm.js")}';
for (const [entry, outfile] of [["browser.js", "index.browser.js"], ["inline.js", "index.inline.js"]]) {
  await build({
    footer: entry === "browser.js" ? { js: wasmCopy } : undefined,
    entryPoints: [join(pkg, entry)],
    outfile: join(pkg, outfile),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external: ["./dist/intune_esim.js", "./dist/intune_esim_wasm.js"],
    minify: true,
    sourcemap: true,
    logLevel: "warning",
  });
}
// One README and one pair of license files, at the top of the repository, for npm too.
for (const f of ["README.md", "LICENSE-MIT", "LICENSE-APACHE"]) copyFileSync(join(root, f), join(pkg, f));
console.log("build: pkg/ is ready");
