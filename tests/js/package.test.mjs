// The installed package itself (tests/.packed/node_modules/intune-esim, as a user gets it):
// - only the wasm-bindgen glue calls fetch: every request the package makes is the wasm's own
//   (its retries, deadline, abort and token handling live in Rust). The bundled entries
//   (index.mjs, index.cjs) inline the glue of dist/; each of their modules is checked by the
//   path esbuild marks it with, and the minified browser entry by its source map;
// - every error class the package exports is the class of what the wasm throws, through the ESM
//   entry, the CommonJS entry, and the same classes for every kind of error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { pkg, emulator, rejection, tokenNeverLeaks, SECRET_TOKEN } from "./helpers.mjs";

const require = createRequire(fileURLToPath(new URL("../.packed/package.json", import.meta.url)));
const pkgDir = dirname(require.resolve("intune-esim/package.json"));

/** Every file under `dir`, relative to the package, with forward slashes. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : files(path);
    return [relative(pkgDir, path).split(sep).join("/")];
  });
}

const isJs = (f) => /\.(m|c)?js$/.test(f);
// The glue of each build; not the wasm as base64 (dist/*_wasm.js), which is data.
const inGlue = (source) => /(^|\/)dist\/intune_esim\.js$/.test(source);
// A call of fetch: `fetch(`, `.fetch(`, `fetch (`, and `fetch?.(`; not a word that ends in fetch.
const FETCH_CALL = /(?<![\w$])fetch\s*(\?\.)?\s*\(/;

/** A comment-free copy of JavaScript text, near enough for a search (strings are kept). */
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/[^\n]*/g, "$1");
}

/**
 * The modules a file is made of: `[{ source, code }]`. An esbuild bundle marks each module with
 * a `// pkg/<path>` line; a minified bundle names its modules in its source map; any other file
 * is its own one module.
 */
function modulesOf(file) {
  const text = readFileSync(join(pkgDir, file), "utf8");
  const marks = [...text.matchAll(/^\/\/ (pkg\/\S+\.m?c?js)$/gm)];
  if (marks.length > 0) {
    const head = { source: file, code: text.slice(0, marks[0].index) };
    return [
      head,
      ...marks.map((m, i) => ({ source: m[1].replace(/^pkg\//, ""), code: text.slice(m.index, marks[i + 1]?.index ?? text.length) })),
    ];
  }
  const mapFile = `${file}.map`;
  let map;
  try {
    map = JSON.parse(readFileSync(join(pkgDir, mapFile), "utf8"));
  } catch {
    return [{ source: file, code: text }];
  }
  // The minified code as shipped, and each of its sources as written.
  return [{ source: file, code: text }, ...map.sources.map((s, i) => ({ source: s.replace(/^(\.\.\/)*(pkg\/)?/, ""), code: map.sourcesContent?.[i] ?? "" }))];
}

test("no JavaScript of the installed package outside the wasm-bindgen glue (dist/) calls fetch", () => {
  const all = files(pkgDir);
  const js = all.filter(isJs).filter((f) => !inGlue(f));
  for (const entry of ["cli.js", "index.browser.js", "index.inline.js", "index.mjs", "index.cjs"]) {
    assert.ok(js.includes(entry), `the package's JS files were found: ${js.join(", ")}`);
  }
  const found = [];
  const glueSeen = [];
  for (const file of js) {
    for (const { source, code } of modulesOf(file)) {
      const hit = FETCH_CALL.exec(withoutComments(code));
      if (!hit) continue;
      if (inGlue(source)) {
        glueSeen.push(`${file} (${source})`);
        continue;
      }
      const line = code.slice(0, code.indexOf(hit[0])).split("\n").length;
      found.push(`${file}${source === file ? "" : ` (module ${source})`}, line ${line}: ${code.split("\n")[line - 1]?.trim().slice(0, 120)}`);
    }
  }
  assert.deepEqual(found, [], "fetch is called outside the glue");
  // The search finds a call where there is one: the glue inlined in the Node bundles calls it.
  assert.ok(glueSeen.some((s) => s.startsWith("index.mjs")), `the search sees the glue's fetch in index.mjs: ${glueSeen}`);
  assert.ok(glueSeen.some((s) => s.startsWith("index.cjs")), `the search sees the glue's fetch in index.cjs: ${glueSeen}`);
});

test("the glue in dist/ is what calls fetch (so the previous test looks in the right place)", () => {
  const glue = files(pkgDir).filter((f) => isJs(f) && inGlue(f));
  assert.deepEqual(glue, ["dist/intune_esim.js"]);
  for (const f of glue) assert.match(withoutComments(readFileSync(join(pkgDir, f), "utf8")), FETCH_CALL, f);
});

// ---- Error classes: what the wasm throws is what the package exports.

const cjs = require("intune-esim");
const G1 = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const allDevices = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
const NAMES = ["IntuneEsimError", "ValidationError", "GraphError", "NetworkError", "TimeoutError", "ResponseError", "ConflictError", "LoadError"];
let em;
let opts;
before(async () => {
  em = await emulator();
  opts = { baseUrl: em.baseUrl, maxRetries: 0 };
});
after(() => em.close());

test("the package exports every error class, each a subclass of IntuneEsimError and Error", () => {
  for (const api of [pkg, cjs]) {
    for (const name of NAMES) {
      assert.equal(typeof api[name], "function", name);
      assert.equal(api[name].prototype.name, name);
      assert.ok(new api[name]("x") instanceof Error, name);
      if (name !== "IntuneEsimError") assert.ok(new api[name]("x") instanceof api.IntuneEsimError, name);
    }
  }
});

/** One call that fails with each kind of error, in `api` (the ESM or the CommonJS entry). */
async function failures(api) {
  const closed = await emulator();
  const closedBaseUrl = closed.baseUrl;
  await closed.close();
  const hung = em.addPool();
  em.fault(hung, { kind: "hang" });
  const bad = em.addPool();
  em.fault(bad, { kind: "body", text: '{"value":"not a list"}' });
  const raced = em.addPool();
  em.fault(raced, { kind: "concurrentWrite", on: "assign", target: { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" } });
  return {
    ValidationError: await rejection(api.assign("not-a-guid", [], SECRET_TOKEN, opts)),
    GraphError: await rejection(api.assign("00000000-0000-4000-8000-000000000000", [], SECRET_TOKEN, opts)),
    NetworkError: await rejection(api.assign(G1, [], SECRET_TOKEN, { baseUrl: closedBaseUrl })),
    TimeoutError: await rejection(api.assign(hung, [], SECRET_TOKEN, { ...opts, timeoutMs: 20 })),
    ResponseError: await rejection(api.assign(bad, [], SECRET_TOKEN, opts)),
    ConflictError: await rejection(api.addAssignments(raced, [{ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: G1 }], SECRET_TOKEN, opts)),
  };
}

for (const [entry, api] of [["import (index.mjs)", pkg], ["require (index.cjs)", cjs]]) {
  test(`${entry}: every error the wasm throws is an instance of the exported class of its name, and of IntuneEsimError`, async () => {
    const seen = await failures(api);
    for (const [name, e] of Object.entries(seen)) {
      assert.equal(e?.name, name, `${name}: got ${e?.name}: ${e?.message}`);
      assert.ok(e instanceof api[name], `${name} is instanceof the exported ${name}`);
      assert.equal(Object.getPrototypeOf(e), api[name].prototype, `${name}'s prototype is the exported class's`);
      assert.ok(e instanceof api.IntuneEsimError, `${name} is instanceof the exported IntuneEsimError`);
      assert.ok(e instanceof Error, `${name} is an Error`);
      assert.equal(typeof e.stack, "string");
      for (const other of NAMES.filter((n) => n !== name && n !== "IntuneEsimError")) {
        assert.ok(!(e instanceof api[other]), `${name} is not also a ${other}`);
      }
    }
    assert.ok(Array.isArray(seen.ValidationError.issues));
    assert.equal(seen.GraphError.status, 404);
    assert.equal(seen.TimeoutError.timeoutMs, 20);
  });
}

test("a ValidationError from assign and a GraphError from the emulator, named as the brief has them", async () => {
  const { ValidationError, GraphError, IntuneEsimError } = pkg;
  const v = await rejection(pkg.assign(G1, [{ target: { ...allDevices, groupId: G1 } }], SECRET_TOKEN, opts));
  assert.ok(v instanceof ValidationError && v instanceof IntuneEsimError);
  const pool = em.addPool();
  em.fault(pool, { kind: "status", status: 403 });
  const g = await rejection(pkg.assign(pool, [], SECRET_TOKEN, opts));
  assert.ok(g instanceof GraphError && g instanceof IntuneEsimError);
  assert.equal(g.status, 403);
});

tokenNeverLeaks();

// ---- The tarball: what its entries load, and nothing else.

/** The package's own files that `file` names: imports, dynamic imports, `new URL("...", ...)`
 * assets, source maps, and for declarations the files their imports resolve to. */
function referencedBy(file) {
  const text = readFileSync(join(pkgDir, file), "utf8");
  const specifiers = [
    ...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|new URL\(\s*)["']([^"']+)["']/g),
    ...text.matchAll(/\/\/# sourceMappingURL=(\S+)/g),
  ].map((m) => m[1]);
  const named = specifiers
    .filter((s) => !s.startsWith("node:") && !/^[@a-z]/i.test(s.replace(/^[\w.-]+\.(wasm|js|map)$/, "./$&")))
    .map((s) => join(dirname(file), s).split(sep).join("/"));
  // A declaration's "./x.js" is x.d.ts; its "./x.cjs" is x.d.cts.
  const declared = /\.d\.c?ts$/.test(file) ? named.map((f) => f.replace(/\.js$/, ".d.ts").replace(/\.cjs$/, ".d.cts")) : named;
  return declared.filter((f) => existsSync(join(pkgDir, f)));
}

test("the tarball holds what the package's entries load, the README, the licenses, and nothing else", () => {
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const leaves = (v) => (typeof v === "string" ? [v] : Object.values(v ?? {}).flatMap(leaves));
  const entries = [manifest.main, manifest.module, manifest.types, ...leaves(manifest.exports), ...leaves(manifest.bin), ...leaves(manifest.typesVersions)];
  const reached = new Set();
  const visit = (f) => {
    if (reached.has(f)) return;
    reached.add(f);
    if (/\.(m|c)?js$|\.d\.c?ts$/.test(f)) referencedBy(f).forEach(visit);
  };
  entries.map((e) => e.replace(/^\.\//, "")).forEach(visit);
  const shipped = files(pkgDir).filter((f) => !/^(README\.md|LICENSE-(MIT|APACHE)|package\.json)$/.test(f));
  assert.deepEqual(shipped.sort(), [...reached].filter((f) => f !== "package.json").sort());
});

/** Runs `body` with `dir` as the working directory (where the Node entry looks second). */
async function inDirectory(dir, body) {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await body();
  } finally {
    process.chdir(before);
  }
}

/** Fresh instances of both Node entries in the folder `copy` (a new `tag` for each new instance). */
async function entriesOf(copy, tag) {
  const requireThere = createRequire(copy + sep);
  delete requireThere.cache[requireThere.resolve("./index.cjs")];
  return [await import(`${pathToFileURL(join(copy, "index.mjs")).href}?${tag}`), requireThere("./index.cjs")];
}

test("Node: a wasm that cannot be read is a LoadError with its cause, and the next call tries again", async (t) => {
  // A copy of the installed package, so the other test files keep theirs; run from its folder,
  // where no node_modules/intune-esim is (the entry's second place to look).
  const copy = join(dirname(pkgDir), "..", "unreadable-wasm", "intune-esim");
  rmSync(copy, { recursive: true, force: true });
  cpSync(pkgDir, copy, { recursive: true });
  t.after(() => rmSync(dirname(copy), { recursive: true, force: true }));
  const wasm = join(copy, "dist/intune_esim_bg.wasm");
  renameSync(wasm, `${wasm}.away`);
  await inDirectory(dirname(copy), async () => {
    // The same instances twice: the second call of each tries again.
    const apis = await entriesOf(copy, "unreadable");
    for (const api of apis) {
      const e = await rejection(api.assign(G1, [], SECRET_TOKEN, opts));
      assert.ok(e instanceof api.LoadError && e instanceof api.IntuneEsimError, `${e?.name}: ${e?.message}`);
      assert.equal(e.url, pathToFileURL(wasm).href);
      assert.equal(e.cause?.code, "ENOENT");
      assert.ok(e.message.includes(`nor found at ${dirname(copy)}/node_modules/intune-esim/dist/intune_esim_bg.wasm`), e.message);
    }
    renameSync(`${wasm}.away`, wasm);
    for (const api of apis) {
      const e = await rejection(api.assign("not-a-guid", [], SECRET_TOKEN, opts));
      assert.ok(e instanceof api.ValidationError, `${e?.name}: ${e?.message}`);
    }
  });
});

test("Node: the entry moved away from its dist/ (as webpack's server bundles are) reads this build's wasm from node_modules/intune-esim of the working directory, and no other build's", async (t) => {
  // The entries alone, in a folder of their own: import.meta.url names a folder without dist/.
  const app = join(dirname(pkgDir), "..", "moved-entry");
  rmSync(app, { recursive: true, force: true });
  t.after(() => rmSync(app, { recursive: true, force: true }));
  const moved = join(app, "server-chunks");
  mkdirSync(moved, { recursive: true });
  for (const f of ["index.mjs", "index.cjs"]) copyFileSync(join(pkgDir, f), join(moved, f));
  // This build's package in the app's node_modules, as Next's standalone output holds it.
  const installed = join(app, "node_modules/intune-esim");
  cpSync(pkgDir, installed, { recursive: true });
  const pool = em.addPool();
  await inDirectory(app, async () => {
    for (const api of await entriesOf(moved, "moved")) {
      const assigned = await api.assign(pool, [{ target: allDevices }], SECRET_TOKEN, opts);
      assert.deepEqual(assigned.map((a) => a.target["@odata.type"]), [allDevices["@odata.type"]]);
    }
  });
  // Another build's wasm there (this one with a custom section more: valid, other bytes, as
  // another version's would be): a LoadError that says so, not a glue and a wasm that do not match.
  const custom = Buffer.from([0, 6, 5, ...Buffer.from("other")]);
  writeFileSync(join(installed, "dist/intune_esim_bg.wasm"), Buffer.concat([readFileSync(join(pkgDir, "dist/intune_esim_bg.wasm")), custom]));
  await inDirectory(app, async () => {
    for (const api of await entriesOf(moved, "another")) {
      const e = await rejection(api.assign(G1, [], SECRET_TOKEN, opts));
      assert.ok(e instanceof api.LoadError, `${e?.name}: ${e?.message}`);
      assert.equal(e.url, pathToFileURL(join(moved, "dist/intune_esim_bg.wasm")).href);
      assert.ok(e.message.includes(`${app}/node_modules/intune-esim/dist/intune_esim_bg.wasm is there, but another build's`), e.message);
    }
  });
});

test("the Node entries name no .wasm where a bundler would resolve it at build time (new URL(..., import.meta.url))", () => {
  for (const entry of ["index.mjs", "index.cjs"]) {
    const text = readFileSync(join(pkgDir, entry), "utf8");
    assert.doesNotMatch(text, /new URL\(/, `${entry} builds no URL`);
  }
});
