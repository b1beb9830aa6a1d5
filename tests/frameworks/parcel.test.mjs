// Parcel 2.16 with the README's portal page (tests/frameworks/page/: index.html and main.js), the
// packed package installed and no configuration: `parcel build` served statically, and `parcel
// serve`, each checked in headless Chromium. Parcel copies the .wasm that `new URL()` names, so
// the page fetches it, and the wasm's JS copy stays an unfetched chunk of the build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { browserAndEmulator, freePort, project, root, serve, wasmPaths } from "../bundlers/harness.mjs";
import { formWorks, ran, readmeShows, started } from "./harness.mjs";
import { toolsDir } from "./tools.mjs";

const tools = join(toolsDir("parcel"), "node_modules");
const parcel = join(tools, "parcel/lib/bin.js");
const page = join(root, "tests/frameworks/page");
const work = join(root, "tests/.frameworks/parcel");

const env = browserAndEmulator();

/**
 * A fresh app: the page, the packed package, and the lock npm wrote when it installed it. Parcel
 * takes the folder with the lock as the project's root (and puts its cache there); without one it
 * would look up to this repository's.
 */
function fresh(name) {
  const dir = project(join(work, name), { app: page, tools });
  copyFileSync(join(root, "tests/.packed/package-lock.json"), join(dir, "package-lock.json"));
  return dir;
}

test("the README shows the page as the test serves it", () => {
  readmeShows("tests/frameworks/page/index.html", "html");
  readmeShows("tests/frameworks/page/main.js", "js");
});

test("parcel build, served statically: the .wasm is fetched, and no JS copy", async (t) => {
  const dir = fresh("build");
  const t0 = Date.now();
  const r = await ran(process.execPath, [parcel, "build", "index.html"], { cwd: dir, env: { NO_COLOR: "1" }, timeoutMs: 300_000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.doesNotMatch(`${r.stdout}${r.stderr}`, /warn/i, "parcel build did not warn");
  t.diagnostic(`parcel build: ${Date.now() - t0} ms`);
  const copies = readdirSync(join(dir, "dist")).filter((f) => /^intune_esim_wasm\..*\.js$/.test(f));
  assert.equal(copies.length, 1, "the JS copy is a chunk of its own");
  const result = await formWorks(t, env, await serve(t, join(dir, "dist")));
  assert.equal(wasmPaths(result.responses).length, 1, "one wasm file, copied by Parcel");
  assert.deepEqual(result.inlined, [], "no JavaScript file with a wasm inside was downloaded");
});

test("parcel serve", async (t) => {
  const dir = fresh("serve");
  const port = await freePort();
  const server = await started(process.execPath, [parcel, "serve", "index.html", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: dir,
    ready: /Server running at (http:\/\/\S+)/,
  });
  try {
    const result = await formWorks(t, env, `http://127.0.0.1:${port}/`, { devServer: true });
    assert.equal(wasmPaths(result.responses).length, 1, "one wasm file, served by Parcel");
    assert.deepEqual(result.inlined, [], "no JavaScript file with a wasm inside was downloaded");
  } finally {
    // After the page's own clean-up (hooks run in order): the dev server's live-reload socket
    // cut under an open page is logged as an error.
    t.after(server.stop);
  }
});
