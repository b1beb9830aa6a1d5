// The packed package as portal developers use it: each scenario is a fresh project folder
// (tests/.bundlers/<scenario>/) with the tarball installed as npm installs it (copied from
// tests/.packed/, which scripts/test.mjs installs), the pages of tests/bundlers/app/, and one
// bundler or dev server of tests/bundlers/package.json, with its default settings and no
// configuration for intune-esim. Each page calls assign against the local Graph emulator in
// headless Chromium and must get an answer, a ValidationError and a GraphError; then the same
// build under a strict Content-Security-Policy, under policies that forbid the wasm (a LoadError
// that says what to fix), and behind a server whose first answer for the wasm is 503. The builds
// print the first call's bytes, and those that copy the .wasm must not download its JS copy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  root,
  browserAndEmulator,
  bytesLine,
  freePort,
  loadError,
  loadTool as load,
  open as openIn,
  project as projectIn,
  serve,
  wasmPaths,
  works,
} from "./harness.mjs";

const app = join(root, "tests/bundlers/app");
const work = join(root, "tests/.bundlers");
const readme = readFileSync(join(root, "README.md"), "utf8");

// What the README tells a portal to do; each is checked to be in the README word for word.
const ESBUILD_FLAGS = ["--bundle", "--splitting", "--format=esm", "--outdir=out", "--alias:intune-esim=intune-esim/inline"];
const ROLLUP_ALIAS = 'alias({ entries: [{ find: /^intune-esim$/, replacement: "intune-esim/inline" }] })';
const PORTAL_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' https://graph.microsoft.com";

rmSync(work, { recursive: true, force: true });
const env = browserAndEmulator();
const open = (t, url, options) => openIn(t, env, url, options);

/** A fresh project folder: its package.json, the app's pages, and the packed package installed. */
const project = (name) => projectIn(join(work, name), { app });

/** The first call's bytes (after `run()`), in the test's output. */
async function measured(t, opened) {
  const bytes = await opened.firstCall();
  t.diagnostic(bytesLine(bytes));
  return bytes;
}

for (const [major, name] of [["8", "vite"], ["7", "vite7"], ["6", "vite6"], ["5", "vite5"]]) {
  test(`Vite ${major} dev server, no configuration`, async (t) => {
    const vite = await load(name);
    const dir = project(`vite${major}-dev`);
    const server = await vite.createServer({
      root: dir,
      configFile: false,
      logLevel: "error",
      clearScreen: false,
      server: { host: "127.0.0.1", port: await freePort(), strictPort: true },
    });
    await server.listen();
    let opened;
    try {
      opened = await open(t, server.resolvedUrls.local[0]);
    } catch (e) {
      await server.close();
      throw e;
    }
    // After the page's own clean-up (hooks run in order): closing the server under a live page
    // cuts Vite's HMR socket, which the page logs as an error.
    t.after(() => server.close());
    const { run, responses } = opened;
    works(await run());
    // The dev server pre-bundled the package (the case that used to fetch index.html for the
    // wasm), and the wasm came from the package's own folder.
    assert.ok(responses.some((r) => new URL(r.url()).pathname.includes("/.vite/deps/")), "the package was pre-bundled");
    assert.deepEqual(wasmPaths(responses), ["/node_modules/intune-esim/dist/intune_esim_bg.wasm"]);
  });
}

// One Vite 8 production build, of the page and of the worker's page, serves several scenarios.
let viteBuild;
const builtWithVite = () =>
  (viteBuild ??= (async () => {
    const vite = await load("vite");
    const dir = project("vite-build");
    const out = join(dir, "out");
    await vite.build({
      root: dir,
      configFile: false,
      logLevel: "error",
      build: { outDir: out, rollupOptions: { input: [join(dir, "index.html"), join(dir, "worker.html")] } },
    });
    return out;
  })());

test("Vite 8 build", async (t) => {
  const opened = await open(t, await serve(t, await builtWithVite()));
  works(await opened.run());
  assert.equal(wasmPaths(opened.responses).length, 1, "one wasm file, copied by Vite");
  assert.deepEqual((await measured(t, opened)).inlined, [], "no JavaScript file with a wasm inside was downloaded");
});

test("a module worker (Vite 8 build)", async (t) => {
  const { run } = await open(t, (await serve(t, await builtWithVite())) + "worker.html");
  works(await run(), { inWorker: true });
});

test("webpack 5, production, as a classic script", async (t) => {
  const webpack = (await load("webpack")).default;
  const dir = project("webpack");
  const out = join(dir, "out");
  const stats = await new Promise((resolve, reject) =>
    webpack({ mode: "production", context: dir, entry: "./main.js", output: { path: out, filename: "main.js" } }, (e, s) => (e ? reject(e) : resolve(s))),
  );
  const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
  assert.deepEqual([...errors, ...warnings].map((w) => w.message), [], "webpack built without errors or warnings");
  writeFileSync(join(out, "index.html"), '<!doctype html><meta charset="utf-8"><title>webpack</title><script src="main.js" defer></script>\n');
  const opened = await open(t, await serve(t, out));
  works(await opened.run());
  assert.equal(wasmPaths(opened.responses).length, 1, "one wasm file, copied by webpack");
  assert.deepEqual((await measured(t, opened)).inlined, [], "no JavaScript file with a wasm inside was downloaded");
});

test("esbuild --splitting with the README's flags (intune-esim/inline)", async (t) => {
  assert.ok(readme.includes(`esbuild main.js ${ESBUILD_FLAGS.join(" ")}`), "the README gives these flags");
  const dir = project("esbuild");
  execFileSync(join(root, "node_modules/.bin/esbuild"), ["main.js", ...ESBUILD_FLAGS, "--log-level=warning"], { cwd: dir, stdio: "inherit" });
  cpSync(join(dir, "index.html"), join(dir, "out/index.html"));
  const opened = await open(t, await serve(t, join(dir, "out")));
  works(await opened.run());
  assert.deepEqual(wasmPaths(opened.responses), [], "no .wasm file is fetched: it is inside the JS");
  await measured(t, opened);
});

// esbuild does not copy the .wasm: its URL answers 404, and the wasm's JS copy (a chunk of its
// own with --splitting) is imported instead, only then.
let esbuildDefault;
const builtWithEsbuild = () =>
  (esbuildDefault ??= (() => {
    const dir = project("esbuild-default");
    execFileSync(join(root, "node_modules/.bin/esbuild"), ["main.js", ...ESBUILD_FLAGS.slice(0, -1), "--log-level=error"], { cwd: dir });
    cpSync(join(dir, "index.html"), join(dir, "out/index.html"));
    return join(dir, "out");
  })());

test("esbuild --splitting without the flag: the .wasm answers 404, and its JS copy is imported instead", async (t) => {
  const opened = await open(t, await serve(t, builtWithEsbuild()));
  works(await opened.run());
  assert.deepEqual(wasmPaths(opened.responses), ["/dist/intune_esim_bg.wasm"], "the .wasm was asked for first");
  assert.equal(opened.responses.find((r) => r.url().endsWith(".wasm")).status(), 404);
  const bytes = await measured(t, opened);
  assert.equal(bytes.inlined.length, 1, "one chunk with the wasm inside");
  assert.match(bytes.inlined[0], /intune_esim_wasm/);
});

test("neither the .wasm nor its JS copy can be loaded: a LoadError that names intune-esim/inline, and says the arguments were not checked", async (t) => {
  const { run } = await open(t, await serve(t, builtWithEsbuild(), { missing: /\.wasm$|intune_esim_wasm/ }));
  const result = await run();
  // A bad pool id too: its check needs the wasm, and the message says so.
  for (const outcome of [result.assigned, result.invalid]) {
    const e = loadError(t, outcome);
    assert.equal(e.status, 404);
    assert.match(e.url, /\/dist\/intune_esim_bg\.wasm$/);
    assert.match(e.message, /the server answered 404: .*intune-esim\/inline/);
    assert.match(e.message, /the call's arguments could not be checked/);
  }
});

test("Rollup with node-resolve, and the alias the README gives (intune-esim/inline)", async (t) => {
  assert.ok(readme.includes(ROLLUP_ALIAS), "the README gives this alias");
  const { rollup } = await load("rollup");
  const { nodeResolve } = await load("@rollup/plugin-node-resolve");
  const alias = (await load("@rollup/plugin-alias")).default;
  const dir = project("rollup");
  const warnings = [];
  const bundle = await rollup({
    input: join(dir, "main.js"),
    plugins: [alias({ entries: [{ find: /^intune-esim$/, replacement: "intune-esim/inline" }] }), nodeResolve({ browser: true })],
    onwarn: (w) => warnings.push(w.message),
  });
  await bundle.write({ dir: join(dir, "out"), format: "es" });
  assert.deepEqual(warnings, [], "Rollup built without warnings");
  cpSync(join(dir, "index.html"), join(dir, "out/index.html"));
  const opened = await open(t, await serve(t, join(dir, "out")));
  works(await opened.run());
  assert.deepEqual(wasmPaths(opened.responses), [], "no .wasm file is fetched: it is inside the JS");
  await measured(t, opened);
});

test("the page under the README's Content-Security-Policy", async (t) => {
  assert.ok(readme.includes(PORTAL_CSP), "the README gives this policy");
  const csp = PORTAL_CSP.replace("https://graph.microsoft.com", new URL(env.emulator.baseUrl).origin);
  const { run } = await open(t, await serve(t, await builtWithVite(), { csp }));
  works(await run());
});

test("a policy without 'wasm-unsafe-eval': a LoadError that says to add it", async (t) => {
  const csp = `default-src 'self'; script-src 'self'; connect-src 'self' ${new URL(env.emulator.baseUrl).origin}`;
  const expected = [/WebAssembly/];
  const { run } = await open(t, await serve(t, await builtWithVite(), { csp }), { expected });
  const result = await run();
  // Every call fails the same way, validation included: nothing runs without the wasm.
  for (const outcome of [result.assigned, result.invalid, result.refused]) {
    const e = loadError(t, outcome);
    assert.match(e.message, /Content-Security-Policy .*add 'wasm-unsafe-eval' to script-src/);
    assert.match(e.message, /the call's arguments could not be checked/);
    assert.match(e.cause, /^CompileError: /);
  }
});

test("a policy whose connect-src lacks the wasm's origin: a LoadError that names it", async (t) => {
  const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src ${new URL(env.emulator.baseUrl).origin}`;
  const url = await serve(t, await builtWithVite(), { csp });
  const { run } = await open(t, url, { expected: [/Content Security Policy/] });
  const e = loadError(t, (await run()).assigned);
  assert.ok(e.message.includes(`lack ${new URL(url).origin} in connect-src`), e.message);
  assert.match(e.cause, /^TypeError: /);
});

test("the wasm's first request answers 503: that call gets a LoadError, the next call loads it", async (t) => {
  const { run } = await open(t, await serve(t, await builtWithVite(), { failWasm: 1 }), { expected: [/status of 503/] });
  const first = await run();
  const e = loadError(t, first.assigned);
  assert.equal(e.status, 503);
  assert.match(e.url, /\.wasm$/);
  assert.match(e.message, /the server answered 503/);
  // The very next call tried again, and everything works from then on.
  assert.equal(first.invalid.name, "ValidationError", first.invalid.message);
  assert.equal(first.refused.name, "GraphError", first.refused.message);
  works(await run());
});
