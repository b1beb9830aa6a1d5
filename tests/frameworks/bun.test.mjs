// Bun 1.4, from npm, with the packed package installed and no configuration: the README's script
// run by `bun` against the local Graph emulator (it loads the package's Node entry), and the
// README's portal page (tests/frameworks/page/) built by `bun build --target=browser`, served
// statically and checked in headless Chromium. `bun build` does not copy the .wasm that `new URL()`
// names: the browser entry finds a 404 there and imports the wasm's JS copy; without --splitting
// the copy is inside the one bundle, with it the copy is a chunk, fetched only when needed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TOKEN, browserAndEmulator, project, root, serve, wasmPaths } from "../bundlers/harness.mjs";
import { binary, formWorks, ran, readmeShows, scriptWorks } from "./harness.mjs";
import { toolsDir } from "./tools.mjs";

const tools = join(toolsDir("bun"), "node_modules");
// The platform package's binary, which bun's postinstall moves to bin/bun.exe when it runs (npm
// may skip install scripts).
const bun = binary([join(tools, "@oven/bun-linux-x64/bin/bun"), join(tools, "bun/bin/bun.exe")]);
const page = join(root, "tests/frameworks/page");
const work = join(root, "tests/.frameworks/bun");
const script = "tests/frameworks/bun/assign.mjs";
// What the README tells a portal to run.
const BUILD = ["build", "./index.html", "--target=browser", "--outdir=out"];

const env = browserAndEmulator();

test("the README shows the script as the test runs it, and the build commands", () => {
  readmeShows(script, "js");
  const readme = readFileSync(join(root, "README.md"), "utf8");
  assert.ok(readme.includes(`bun ${BUILD.join(" ")}\n`), "the README gives the build command");
  assert.ok(readme.includes(`bun ${[...BUILD, "--splitting"].join(" ")}\n`), "the README gives the build command with --splitting");
});

test("bun runs the README's script: an answer, a ValidationError, a GraphError", async () => {
  const dir = project(join(work, "run"), { files: { "assign.mjs": readFileSync(join(root, script), "utf8") } });
  await scriptWorks((poolId) => ran(bun, ["assign.mjs", poolId], { cwd: dir, env: { GRAPH_TOKEN: TOKEN, GRAPH_BASE_URL: env.emulator.baseUrl } }));
});

for (const [name, flags, chunks] of [
  ["bun build --target=browser", [], false],
  ["bun build --target=browser --splitting", ["--splitting"], true],
]) {
  test(`${name}, served statically: the .wasm answers 404, its JS copy is imported`, async (t) => {
    const dir = project(join(work, flags.length ? "build-splitting" : "build"), { app: page });
    const r = await ran(bun, [...BUILD, ...flags], { cwd: dir, env: { NO_COLOR: "1" } });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.doesNotMatch(`${r.stdout}${r.stderr}`, /warn/i, "bun build did not warn");
    const result = await formWorks(t, env, await serve(t, join(dir, "out")));
    assert.deepEqual(wasmPaths(result.responses), ["/dist/intune_esim_bg.wasm"]);
    assert.equal(result.responses.find((r) => r.url().endsWith(".wasm")).status(), 404);
    // Without --splitting, the copy is in the one bundle; with it, it is a chunk of its own.
    assert.equal(result.inlined.length, 1, "one file with the wasm inside was downloaded");
    assert.equal(/^\/index-[^/]*\.js$/.test(result.inlined[0]), !chunks, `${result.inlined[0]}: ${chunks ? "a chunk" : "the bundle"}`);
  });
}
