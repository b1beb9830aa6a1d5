// Every test, in order, stopping at the first failure: Rust formatting and lints, the core's host
// tests, the wasm shell's tests in Node and in headless Chromium, then the packed npm package as a
// user installs it: publint and attw, JS tests from Node ESM and CommonJS against the local Graph
// emulator, Node 18, strict type checks, the demo page end to end and the bundler matrix in headless Chromium.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { MARK_NAME, reap } from "./reap.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const packed = join(root, "tests/.packed");
const started = Date.now();
const mark = randomUUID();

// Whatever a step started and left running (a browser its runner gave up on, an emulator, a dev
// server) is ended when the step ends, passed or failed, and when this script is stopped. Steps
// run as child processes awaited asynchronously, so a signal reaches this script's handler while
// a step runs.
let running;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    running?.kill("SIGKILL");
    reap(mark);
    console.log(`\n=== stopped by ${signal}`);
    process.exit(1);
  });
}
process.on("exit", () => reap(mark));

async function step(name, cmd, args, env = {}, cwd = root) {
  const t = Date.now();
  console.log(`\n=== ${name}`);
  try {
    const outcome = await new Promise((resolve, reject) => {
      running = spawn(cmd, args, { stdio: "inherit", cwd, env: { ...process.env, ...env, [MARK_NAME]: mark } });
      running.on("error", reject);
      running.on("exit", (code, signal) => resolve(signal ?? code));
    });
    if (outcome !== 0) throw new Error(`${name}: failed (${typeof outcome === "string" ? outcome : `exit ${outcome}`})`);
  } finally {
    running = undefined;
    const left = reap(mark);
    if (left.length) console.log(`=== ${name}: ended ${left.length} process(es) it left running`);
  }
  console.log(`=== ${name}: ok (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

await step("cargo fmt --check", "cargo", ["fmt", "--check"]);
await step("clippy, host", "cargo", ["clippy", "--all-targets", "--", "-D", "warnings"]);
await step("clippy, wasm", "cargo", ["clippy", "--target", "wasm32-unknown-unknown", "--lib", "--test", "wasm", "--", "-D", "warnings"]);
// The build that ships.
await step("clippy, wasm as shipped", "cargo", [
  "clippy", "--target", "wasm32-unknown-unknown", "--lib", "--release", "--no-default-features", "--", "-D", "warnings",
]);
await step("core tests on the host", "cargo", ["test"]);
// The wasm tests are compiled with opt-level 1: three times faster to run than a debug build, for
// a few seconds more to compile, with debug assertions still on.
const wasmTests = {
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: "wasm-bindgen-test-runner",
  CARGO_PROFILE_TEST_OPT_LEVEL: "1",
};
await step("wasm tests in Node", "cargo", ["test", "--target", "wasm32-unknown-unknown", "--test", "wasm"], wasmTests);
// The same tests in a real browser: the runner drives Chromium through chromedriver (it adds
// headless and no-sandbox itself; tests/webdriver.json adds the flags that keep Chromium quiet).
const chromium = {
  ...wasmTests,
  CHROMEDRIVER: "/usr/bin/chromedriver",
  WASM_BINDGEN_TEST_WEBDRIVER_JSON: join(root, "tests/webdriver.json"),
};
// On the page, every test but the heavy ones: none holds the page for more than a fraction of a
// second, so the runner can always read the page's results.
await step("wasm tests in headless Chromium, on the page", "cargo", ["test", "--target", "wasm32-unknown-unknown", "--test", "wasm", "--", "--skip", "heavy_"], {
  ...chromium,
  WASM_BINDGEN_USE_BROWSER: "1",
});
// The heavy ones (seconds of work at a time) in a dedicated worker, which leaves the page free to
// answer; the runner's limit is for the whole run, so it is set to what a busy machine needs.
await step("wasm tests in headless Chromium, heavy ones in a worker", "cargo", ["test", "--target", "wasm32-unknown-unknown", "--test", "wasm", "--", "heavy_"], {
  ...chromium,
  WASM_BINDGEN_USE_DEDICATED_WORKER: "1",
  WASM_BINDGEN_TEST_TIMEOUT: "300",
});

// The package as a user gets it: `npm pack`, installed into a fresh project.
rmSync(packed, { recursive: true, force: true });
mkdirSync(packed, { recursive: true });
await step("npm pack", "npm", ["pack", "./pkg", "--pack-destination", packed, "--silent"]);
const tarball = readdirSync(packed).find((f) => f.endsWith(".tgz"));
writeFileSync(join(packed, "package.json"), JSON.stringify({ name: "packed-consumer", private: true, type: "module" }));
writeFileSync(join(packed, "load.mjs"), 'export * from "intune-esim";\n');
writeFileSync(join(packed, "load.cjs"), 'module.exports = require("intune-esim");\n');
writeFileSync(join(packed, "emulator.mjs"), 'export * from "intune-esim/emulator";\n');
writeFileSync(join(packed, "emulator.cjs"), 'module.exports = require("intune-esim/emulator");\n');
for (const f of ["usage.ts", "usage.cts", "emulator.ts", "tsconfig.json"]) copyFileSync(join(root, "tests/types", f), join(packed, f));
await step("install the packed package", "npm", ["install", "--no-audit", "--no-fund", "--silent", `./${tarball}`], {}, packed);

// The package's metadata and types as npm and TypeScript read them (publint packs pkg/ itself).
await step("publint --strict", join(root, "node_modules/.bin/publint"), [join(root, "pkg"), "--strict"]);
await step("are the types wrong (attw)", join(root, "node_modules/.bin/attw"), [join(packed, tarball)]);
const jsTests = readdirSync(join(root, "tests/js")).filter((f) => /\.test\.(mjs|cjs)$/.test(f)).map((f) => join("tests/js", f));
await step("JS tests of the packed package (Node ESM and CommonJS)", process.execPath, ["--test", ...jsTests]);
// The README's complete emulator test, as a portal developer runs it.
await step("the README's example test against the emulator", process.execPath, ["--test", "examples/portal.test.mjs"]);
await step("Node 18: the packed package", process.execPath, ["--test", "tests/node18/node18.test.mjs"]);
await step("tsc --strict on files using the API from ESM and CommonJS", join(root, "node_modules/.bin/tsc"), ["-p", join(packed, "tsconfig.json")]);
// The demo page as `npm run demo` serves it, in headless Chromium; screenshots in tests/screenshots/.
const browserTests = readdirSync(join(root, "tests/browser")).filter((f) => f.endsWith(".test.mjs")).map((f) => join("tests/browser", f));
await step("demo page in headless Chromium", process.execPath, ["--test", ...browserTests]);
// The packed package in fresh projects with each bundler and dev server, in headless Chromium.
await step("bundler matrix in headless Chromium", process.execPath, ["--test", "tests/bundlers/matrix.test.mjs"]);
// The frameworks portals are built with: each a fresh app of its own generator's shape, built and
// served from the packed tarball with no configuration (tests/frameworks/).
const frameworkTests = readdirSync(join(root, "tests/frameworks")).filter((f) => f.endsWith(".test.mjs")).map((f) => join("tests/frameworks", f));
if (frameworkTests.length) await step("frameworks", process.execPath, ["--test", "--test-concurrency=1", ...frameworkTests]);

console.log(`\nall tests passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
