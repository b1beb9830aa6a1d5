// The packed package as portal developers use it: each scenario is a fresh project folder
// (tests/.bundlers/<scenario>/) with the tarball installed as npm installs it (copied from
// tests/.packed/, which scripts/test.mjs installs), the pages of tests/bundlers/app/, and one
// bundler or dev server of tests/bundlers/package.json, with its default settings and no
// configuration for intune-esim. Each page calls assign against the local Graph emulator in
// headless Chromium and must get an answer, a ValidationError and a GraphError; then the same
// build under a strict Content-Security-Policy, under policies that forbid the wasm (a LoadError
// that says what to fix), and behind a server whose first answer for the wasm is 503.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startEmulator } from "./emulator.mjs";
import { TOKEN, checkParams, freePort, launchChromium, open as openPage, wasmPaths, works } from "./page.mjs";
import { TOOLS_DIR } from "./tools.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const app = join(root, "tests/bundlers/app");
const work = join(root, "tests/.bundlers");
// Each tool imported from its own folder, as an ES module (some export only to `import`).
const importer = join(TOOLS_DIR, "import.mjs");
writeFileSync(importer, "export default (name) => import(name);\n");
const load = async (name) => (await import(pathToFileURL(importer).href)).default(name);
const readme = readFileSync(join(root, "README.md"), "utf8");

// What the README tells a portal to do; each is checked to be in the README word for word.
const ESBUILD_FLAGS = ["--bundle", "--splitting", "--format=esm", "--outdir=out", "--alias:intune-esim=intune-esim/inline"];
const ROLLUP_ALIAS = 'alias({ entries: [{ find: /^intune-esim$/, replacement: "intune-esim/inline" }] })';
const PORTAL_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' https://graph.microsoft.com";

let emulator;
let browser;
before(async () => {
  rmSync(work, { recursive: true, force: true });
  emulator = await startEmulator({ token: TOKEN });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await emulator?.close();
});

/** A fresh project folder: its package.json, the app's pages, and the packed package installed. */
function project(name) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `portal-${name}`, private: true, type: "module" }));
  cpSync(app, dir, { recursive: true });
  cpSync(join(root, "tests/.packed/node_modules"), join(dir, "node_modules"), { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** Serves `dir` on loopback with `csp` as the page's policy; `failWasm` answers the first n wasm requests 503. */
async function serve(t, dir, { csp, failWasm = 0 } = {}) {
  const sirv = (await load("sirv")).default;
  const files = sirv(dir, { dev: true });
  const server = http.createServer((req, res) => {
    if (csp) res.setHeader("Content-Security-Policy", csp);
    if (req.url.split("?")[0].endsWith(".wasm") && failWasm > 0) {
      failWasm -= 1;
      return void res.writeHead(503, { "Content-Type": "text/plain" }).end("Service Unavailable\n");
    }
    files(req, res, () => res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n"));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${server.address().port}/`;
}

/** Opens `url` on the checks, against this file's emulator (see page.mjs). */
const open = (t, url, options) => openPage(t, browser, url, checkParams(emulator), options);

/** A LoadError, as the page saw it; its message goes in the test's output. */
function loadError(t, outcome) {
  assert.equal(outcome.ok, false, "the call failed");
  assert.equal(outcome.name, "LoadError", outcome.message);
  assert.deepEqual(outcome.instanceOf, ["IntuneEsimError", "LoadError"]);
  assert.ok(!outcome.message.includes("SECRET"), "the token is not in the message");
  t.diagnostic(`${outcome.name}: ${outcome.message}`);
  return outcome;
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
  const { run, responses } = await open(t, await serve(t, await builtWithVite()));
  works(await run());
  assert.equal(wasmPaths(responses).length, 1, "one wasm file, copied by Vite");
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
  const { run, responses } = await open(t, await serve(t, out));
  works(await run());
  assert.equal(wasmPaths(responses).length, 1, "one wasm file, copied by webpack");
});

test("esbuild --splitting with the README's flags (intune-esim/inline)", async (t) => {
  assert.ok(readme.includes(`esbuild main.js ${ESBUILD_FLAGS.join(" ")}`), "the README gives these flags");
  const dir = project("esbuild");
  execFileSync(join(root, "node_modules/.bin/esbuild"), ["main.js", ...ESBUILD_FLAGS, "--log-level=warning"], { cwd: dir, stdio: "inherit" });
  cpSync(join(dir, "index.html"), join(dir, "out/index.html"));
  const { run, responses } = await open(t, await serve(t, join(dir, "out")));
  works(await run());
  assert.deepEqual(wasmPaths(responses), [], "no .wasm file is fetched: it is inside the JS");
});

test("esbuild without the flag: a LoadError that names intune-esim/inline", async (t) => {
  const dir = project("esbuild-default");
  execFileSync(join(root, "node_modules/.bin/esbuild"), ["main.js", ...ESBUILD_FLAGS.slice(0, -1), "--log-level=error"], { cwd: dir });
  cpSync(join(dir, "index.html"), join(dir, "out/index.html"));
  const { run } = await open(t, await serve(t, join(dir, "out")), {});
  const e = loadError(t, (await run()).assigned);
  assert.equal(e.status, 404);
  assert.match(e.url, /\/dist\/intune_esim_bg\.wasm$/);
  assert.match(e.message, /the server answered 404: .*intune-esim\/inline/);
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
  const { run, responses } = await open(t, await serve(t, join(dir, "out")));
  works(await run());
  assert.deepEqual(wasmPaths(responses), [], "no .wasm file is fetched: it is inside the JS");
});

test("the page under the README's Content-Security-Policy", async (t) => {
  assert.ok(readme.includes(PORTAL_CSP), "the README gives this policy");
  const csp = PORTAL_CSP.replace("https://graph.microsoft.com", new URL(emulator.baseUrl).origin);
  const { run } = await open(t, await serve(t, await builtWithVite(), { csp }));
  works(await run());
});

test("a policy without 'wasm-unsafe-eval': a LoadError that says to add it", async (t) => {
  const csp = `default-src 'self'; script-src 'self'; connect-src 'self' ${new URL(emulator.baseUrl).origin}`;
  const { run } = await open(t, await serve(t, await builtWithVite(), { csp }), { expected: [/WebAssembly/] });
  const result = await run();
  // Every call fails the same way, validation included: nothing runs without the wasm.
  for (const outcome of [result.assigned, result.invalid, result.refused]) {
    const e = loadError(t, outcome);
    assert.match(e.message, /Content-Security-Policy .*add 'wasm-unsafe-eval' to script-src/);
    assert.match(e.cause, /^CompileError: /);
  }
});

test("a policy whose connect-src lacks the wasm's origin: a LoadError that names it", async (t) => {
  const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src ${new URL(emulator.baseUrl).origin}`;
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
