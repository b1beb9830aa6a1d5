// Next.js 16 with the packed package and no configuration for it. Each scenario is a fresh app of
// create-next-app's shape (App Router, TypeScript) in tests/.frameworks/next-<scenario>/: the
// files of tests/frameworks/next/app/, the README's client component and route handler word for
// word, the package installed from its tarball (tests/.packed/), and Next, React and TypeScript as
// tests/frameworks/next/package-lock.json pins them. The token and the emulator's address reach
// the app at run time only: the server's environment, or the page's query string.
//
// Scenarios, one build serving several checks:
// - `next build` (Turbopack) + `next start`: the client component in headless Chromium (assign,
//   a ValidationError, a GraphError, and the README's button), the route handler and a Server
//   Component over HTTP; and what the page downloads up to the first answer;
// - `next build --webpack` with `output: "standalone"`: the standalone folder copied elsewhere,
//   the build's folder deleted (webpack writes its path into the bundle), `node server.js`, and
//   the same checks;
// - `next build` (Turbopack) with `output: "standalone"`, copied and started the same way: the
//   route handler and the Server Component;
// - `next dev` (Turbopack): the client component and the route handler.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, gzipSync } from "node:zlib";
import { EXAMPLE_POOL_ID, MISSING_POOL, TOKEN, browserAndEmulator, freePort, open, wasmPaths, works } from "../bundlers/harness.mjs";
import { toolsDir } from "./tools.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const here = join(root, "tests/frameworks/next");
const work = join(root, "tests/.frameworks");
const packed = join(root, "tests/.packed");
const tools = join(toolsDir("next"), "node_modules");

// The README's files of the app: each block that follows a `<!-- tests/frameworks/next: PATH -->` line.
const readme = readFileSync(join(root, "README.md"), "utf8");
const README_FILES = [...readme.matchAll(/^<!-- tests\/frameworks\/next: (\S+) -->\n```tsx?\n([\s\S]*?)^```$/gm)].map((m) => ({ path: m[1], text: m[2] }));

// Next reports to its telemetry unless told not to; this machine has no network for it anyway.
const nextEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
for (const name of ["GRAPH_TOKEN", "GRAPH_BASE_URL", "NODE_ENV", "PORT", "HOSTNAME"]) delete nextEnv[name];

before(() => {
  // This file's folders of an earlier run (the other frameworks' are theirs to clear).
  mkdirSync(work, { recursive: true });
  for (const old of readdirSync(work).filter((d) => d.startsWith("next-"))) rmSync(join(work, old), { recursive: true, force: true });
});
// Chromium and the emulator, started before the tests and ended after them.
const graph = browserAndEmulator();

test("the README gives the app's client component and route handler", () => {
  assert.deepEqual(README_FILES.map((f) => f.path), ["app/assign-button.tsx", "app/api/assign/route.ts"]);
  assert.match(readme, /^### Next\.js\n\nNothing to configure/m);
});

/**
 * A fresh app folder, tests/.frameworks/next-`name`/, as a developer has it after create-next-app
 * and `npm install <tarball>`; `standalone` adds `output: "standalone"` to next.config.ts.
 */
function makeApp(name, { standalone = false } = {}) {
  const dir = join(work, `next-${name}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(here, "app"), dir, { recursive: true });
  for (const { path, text } of README_FILES) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  copyFileSync(join(root, "tests/bundlers/app/check.js"), join(dir, "app/check.js"));
  if (standalone) {
    const config = join(dir, "next.config.ts");
    const text = readFileSync(config, "utf8");
    assert.ok(text.includes("/* config options here */"), "next.config.ts is create-next-app's");
    writeFileSync(config, text.replace("/* config options here */", 'output: "standalone",'));
  }
  const pinned = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
  const tarball = readdirSync(packed).find((f) => f.endsWith(".tgz"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify(
      {
        name: `portal-${name}`,
        version: "0.1.0",
        private: true,
        scripts: { dev: "next dev", build: "next build", start: "next start" },
        dependencies: { ...pinned.dependencies, "intune-esim": `file:${relative(dir, join(packed, tarball))}` },
        devDependencies: pinned.devDependencies,
      },
      null,
      2,
    ),
  );
  // Next's 11,000 files (390 MB with its compiler) as hard links to the tools' install: a copy
  // would take long, and symbolic links are refused by Turbopack (their targets are outside the
  // app). Nothing writes into node_modules: the packed package and its dependencies are new
  // folders beside them.
  execFileSync("cp", ["-al", tools, join(dir, "node_modules")]);
  for (const entry of readdirSync(join(packed, "node_modules")).filter((e) => !e.startsWith("."))) {
    const target = join(dir, "node_modules", entry);
    assert.ok(!existsSync(target), `${entry} is not one of Next's packages too (it would be written through a hard link)`);
    cpSync(join(packed, "node_modules", entry), target, { recursive: true, verbatimSymlinks: true });
  }
  // create-next-app makes the app a git repository, which also bounds where Next looks for the
  // workspace root: without it, this repository's package-lock.json would make the repository the root.
  execFileSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

/**
 * Starts `command` in a process group of its own (Next starts workers and, for `next dev`, its
 * server in child processes): `{ child, output(), exited, stop() }`; `stop()` ends the group.
 */
function startGroup(command, args, cwd, env = nextEnv) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => {
    child.on("error", (e) => resolve(`could not start: ${e.message}`));
    child.on("exit", (code, signal) => resolve(code ?? signal));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {}
    };
    kill("SIGTERM");
    const late = setTimeout(() => kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(late);
  };
  return { child, output: () => output, exited, stop };
}

/** Runs `next <args>` in `dir` to its end (at most 10 minutes, and not past `t`); resolves to its output and seconds. */
async function next(t, dir, args) {
  const started = Date.now();
  const run = startGroup(join(dir, "node_modules/.bin/next"), args, dir);
  t.after(run.stop);
  const limit = setTimeout(run.stop, 600_000);
  const status = await run.exited;
  clearTimeout(limit);
  if (status !== 0) throw new Error(`next ${args.join(" ")} ended with ${status}:\n${run.output()}`);
  return { output: run.output(), seconds: (Date.now() - started) / 1000 };
}

/** A build whose output says nothing about the package (a warning would name its files). */
async function build(t, dir, args = []) {
  const { output, seconds } = await next(t, dir, ["build", ...args]);
  assert.doesNotMatch(output, /node_modules[\\/]intune-esim|intune_esim|\.wasm|Module not found|Compiled with warnings/, output);
  t.diagnostic(`next build ${args.join(" ")}: ${seconds.toFixed(1)} s`);
  return dir;
}

/**
 * Starts a server (`command` `args` in `cwd`, its own process group) on a free loopback port with
 * the emulator's token and address in its environment, and resolves to `{ url, stop }` once it
 * answers. `stop()` ends the whole group (`next dev` runs its server in a child process).
 */
async function startServer(command, args, cwd) {
  const port = await freePort();
  const env = { ...nextEnv, PORT: String(port), HOSTNAME: "127.0.0.1", GRAPH_TOKEN: TOKEN, GRAPH_BASE_URL: graph.emulator.baseUrl };
  const flags = command === process.execPath ? [] : ["--port", String(port), "--hostname", "127.0.0.1"];
  const server = startGroup(command, [...args, ...flags], cwd, env);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  try {
    for (;;) {
      if (server.child.exitCode !== null) throw new Error(`the server ended (${server.child.exitCode}):\n${server.output()}`);
      if (Date.now() > deadline) throw new Error(`the server did not answer within 120 s:\n${server.output()}`);
      const answered = await fetch(`${url}/`).then(
        () => true,
        () => false,
      );
      if (answered) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (e) {
    await server.stop();
    throw e;
  }
  return { url, stop: server.stop, output: server.output };
}

/** The page's address: the README's component is given the pool, the token and the emulator. */
const pageUrl = (url, poolId = EXAMPLE_POOL_ID) => `${url}/?${new URLSearchParams({ baseUrl: graph.emulator.baseUrl, poolId, token: TOKEN })}`;

/** The client component in Chromium: the three checks, then the README's button; `{ responses }`. */
async function clientComponent(t, url) {
  const opened = await open(t, graph, pageUrl(url));
  // The README's button (by its name: `next dev` adds buttons of its own to the page).
  await opened.page.getByRole("button", { name: "Assign to all devices" }).click();
  const output = opened.page.locator("p:has(> button) > output");
  await output.filter({ hasText: /./ }).waitFor();
  assert.equal(await output.textContent(), "Assigned to 1 target(s)");
  works(await opened.run());
  const wasm = wasmPaths(opened.responses);
  assert.equal(wasm.length, 1, `one wasm, copied by Next: ${wasm}`);
  assert.match(wasm[0], /^\/_next\/static\/media\/[^/]+\.wasm$/);
  return opened;
}

/** The README's route handler over HTTP: the pools, an assign, a ValidationError, a GraphError. */
async function routeHandler(url) {
  const post = (poolId) => fetch(`${url}/api/assign`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ poolId }) });
  const listed = await fetch(`${url}/api/assign`);
  assert.equal(listed.status, 200);
  assert.ok((await listed.json()).some((p) => p.id === EXAMPLE_POOL_ID), "GET lists the emulator's pool");
  const assigned = await post(EXAMPLE_POOL_ID);
  assert.equal(assigned.status, 200);
  assert.deepEqual((await assigned.json()).map((a) => a.target["@odata.type"]), ["#microsoft.graph.allDevicesAssignmentTarget"]);
  const invalid = await post("not-a-guid");
  assert.equal(invalid.status, 400);
  const v = await invalid.json();
  assert.equal(v.error, "ValidationError");
  assert.deepEqual(v.issues.map((i) => i.path), ["poolId"]);
  const refused = await post(MISSING_POOL);
  assert.equal(refused.status, 404);
  const g = await refused.text();
  assert.equal(JSON.parse(g).error, "GraphError", g);
  assert.ok(!g.includes(TOKEN), "the token is not in the answer");
}

/** The Server Component (app/server/page.tsx): listPools, then assign to the first pool. */
async function serverComponent(url) {
  const answer = await fetch(`${url}/server`);
  const html = await answer.text();
  assert.equal(answer.status, 200, html.slice(0, 2000));
  assert.match(html, /<p id="pools">[^<]*Example pool/);
  assert.match(html, /<p id="assigned">#microsoft.graph.allDevicesAssignmentTarget<\/p>/);
  assert.ok(!html.includes(TOKEN), "the token is not in the page");
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile());
}

/**
 * The build's standalone folder (and its static files) copied to another folder, the build's own
 * folder deleted, and its server.js started there. Checks the package's files it holds.
 */
async function deployStandalone(t, dir) {
  const standalone = join(dir, ".next/standalone");
  const shipped = filesUnder(join(standalone, "node_modules/intune-esim")).sort();
  t.diagnostic(`intune-esim in .next/standalone: ${shipped.join(", ")}`);
  // The one wasm the Node entry reads, traced by Next; not the browser's entry nor the wasm's
  // base64 copy, which only browsers load.
  assert.ok(shipped.includes("dist/intune_esim_bg.wasm"), "the Node entry's wasm is in the standalone folder");
  assert.ok(!shipped.includes("index.browser.js") && !shipped.includes("dist/intune_esim_wasm.js"), "the browser's files are not");
  const deployed = `${dir}-deployed`;
  rmSync(deployed, { recursive: true, force: true });
  cpSync(standalone, deployed, { recursive: true, verbatimSymlinks: true });
  cpSync(join(dir, ".next/static"), join(deployed, ".next/static"), { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  const server = await startServer(process.execPath, ["server.js"], deployed);
  t.after(() => server.stop());
  return { ...server, deployed };
}

// One Turbopack build and its `next start` serve three tests; stopped after the last.
let turbopack;
const turbopackServer = (t) =>
  (turbopack ??= (async () => {
    const dir = await build(t, makeApp("turbopack"));
    return startServer(join(dir, "node_modules/.bin/next"), ["start"], dir);
  })());
after(async () => (await turbopack?.catch(() => undefined))?.stop());

test("next build (Turbopack) + next start: the client component in Chromium", async (t) => {
  const { url } = await turbopackServer(t);
  const { responses } = await clientComponent(t, url);
  // What the page downloaded up to the first answer (the checks after it load nothing more):
  // every script and the wasm, each gzipped at level 9.
  const loaded = [];
  for (const r of responses) {
    const path = new URL(r.url()).pathname;
    if (!(r.request().resourceType() === "script" || path.endsWith(".wasm")) || r.status() !== 200) continue;
    const body = await r.body();
    loaded.push({ path, raw: body.length, gzip: gzipSync(body, { level: constants.Z_BEST_COMPRESSION }).length, ours: path.endsWith(".wasm") || body.includes("intune-esim") });
  }
  const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);
  const ours = loaded.filter((f) => f.ours);
  t.diagnostic(
    `first call's bytes, gzip -9: ${sum(loaded, "gzip")} B in ${loaded.length} files (raw ${sum(loaded, "raw")} B); ` +
      `of them the package's (the wasm and the chunks holding its JS): ${sum(ours, "gzip")} B: ${ours.map((f) => `${f.path} ${f.gzip}`).join(", ")}`,
  );
});

test("next build (Turbopack) + next start: the route handler over HTTP", async (t) => {
  await routeHandler((await turbopackServer(t)).url);
});

test("next build (Turbopack) + next start: a Server Component over HTTP", async (t) => {
  await serverComponent((await turbopackServer(t)).url);
});

test('next build --webpack, output: "standalone", copied elsewhere and started with node server.js: client component, route handler, Server Component', async (t) => {
  const dir = await build(t, makeApp("webpack-standalone", { standalone: true }), ["--webpack"]);
  const { url, deployed } = await deployStandalone(t, dir);
  await clientComponent(t, url);
  await routeHandler(url);
  await serverComponent(url);
  assert.equal(filesUnder(deployed).filter((f) => readFileSync(join(deployed, f)).includes(TOKEN)).length, 0, "the token is in no file");
});

test('next build (Turbopack), output: "standalone", copied elsewhere and started with node server.js: route handler, Server Component', async (t) => {
  const dir = await build(t, makeApp("turbopack-standalone", { standalone: true }));
  const { url } = await deployStandalone(t, dir);
  await routeHandler(url);
  await serverComponent(url);
});

test("next dev (Turbopack): the client component in Chromium, the route handler over HTTP", async (t) => {
  const dir = makeApp("dev");
  const started = Date.now();
  const server = await startServer(join(dir, "node_modules/.bin/next"), ["dev"], dir);
  let opened;
  try {
    opened = await clientComponent(t, server.url);
  } catch (e) {
    await server.stop();
    throw e;
  }
  // After the page's own clean-up (hooks run in order): closing the server under a live page cuts
  // its HMR socket, which the page logs as an error.
  t.after(() => server.stop());
  await routeHandler(server.url);
  t.diagnostic(`next dev: ${((Date.now() - started) / 1000).toFixed(1)} s from start to the last check`);
  assert.ok(opened);
});
