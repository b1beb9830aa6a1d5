// Installs what the build needs and is missing: the wasm32 target, the wasm-bindgen CLI of the
// exact version the crate pins, and the npm packages of package-lock.json; with --browser, also
// Chromium and chromedriver for the tests that run in a browser. Safe to run often: each step is
// skipped when already done.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { installed as bundlersInstalled, install as installBundlers } from "../tests/bundlers/tools.mjs";
import { NODE18_DIR, NODE18_PACKAGES, node18Present } from "../tests/node18/node18.mjs";
import { FRAMEWORKS, installed as frameworkInstalled, install as installFramework } from "../tests/frameworks/tools.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
const output = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout : "";
};

// The CLI must equal the crate's `wasm-bindgen = "=x.y.z"` exactly, or the build fails.
export const WASM_BINDGEN_VERSION = /wasm-bindgen = (?:\{ version = )?"=([\d.]+)"/.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];

if (!output("rustup", ["target", "list", "--installed"]).includes("wasm32-unknown-unknown")) {
  console.log("setup: adding the wasm32-unknown-unknown target");
  run("rustup", ["target", "add", "wasm32-unknown-unknown"]);
}

if (!output("wasm-bindgen", ["--version"]).includes(WASM_BINDGEN_VERSION)) {
  // No --locked: one of the CLI's locked dependencies is missing from the registry.
  console.log(`setup: installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (a few minutes, once)`);
  run("cargo", ["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION, "--force"]);
}

// npm ci when any package of the lock file is missing or at another version.
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
const stale = Object.entries(lock.packages ?? {}).some(([path, meta]) => {
  if (!path.startsWith("node_modules/") || meta.optional || meta.link) return false;
  const manifest = join(root, path, "package.json");
  return !existsSync(manifest) || JSON.parse(readFileSync(manifest, "utf8")).version !== meta.version;
});
if (stale) {
  console.log("setup: installing npm packages (npm ci)");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}

// Debian's Chromium and its WebDriver: the demo page's tests drive the browser (through
// playwright-core, which downloads no browser of its own), and the wasm tests run in it through
// chromedriver. Only for the tests: `npm test` passes --browser.
if (process.argv.includes("--browser") && !(existsSync("/usr/bin/chromium") && existsSync("/usr/bin/chromedriver"))) {
  console.log("setup: installing Chromium and chromedriver with apt-get (a minute or two, once)");
  const asRoot = process.getuid?.() === 0 ? [] : ["sudo"];
  const apt = (...args) => {
    const [cmd, ...rest] = [...asRoot, "apt-get", ...args];
    run(cmd, rest, { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  };
  apt("update");
  apt("install", "-y", "chromium", "chromium-driver");
}

// The bundlers of the package's bundler matrix (tests/bundlers/), in a folder of their own keyed by
// their lock file, so two Vite majors can be installed side by side and npm ci runs once per lock.
if (process.argv.includes("--browser") && !bundlersInstalled()) {
  console.log("setup: installing the bundlers of tests/bundlers (npm ci)");
  // Another lock's install is stale: it goes.
  installBundlers();
}

// The frameworks of tests/frameworks/, each from its own lock, into a folder of its own.
if (process.argv.includes("--browser")) {
  for (const name of FRAMEWORKS.filter((n) => !frameworkInstalled(n))) {
    console.log(`setup: installing the tools of tests/frameworks/${name} (npm ci)`);
    installFramework(name);
  }
}

// Node 18 for the tests' smoke run of the packed package (tests/node18/): Debian bookworm's own
// packages, downloaded (not installed) and unpacked into tests/.node18/. nodejs is pinned to the
// newest 18.x the archive has, libnode108 to the same version; the rest are as apt resolves them.
if (process.argv.includes("--browser") && !node18Present()) {
  console.log("setup: downloading Debian's Node 18 packages into tests/.node18 (apt-get download, dpkg -x)");
  const versionOf = (name) => /^\s*\S+\s*\|\s*(18\.\S+)\s*\|/m.exec(output("apt-cache", ["madison", name]))?.[1];
  if (!versionOf("nodejs")) run(...(process.getuid?.() === 0 ? ["apt-get", ["update"]] : ["sudo", ["apt-get", "update"]]));
  const version = versionOf("nodejs");
  if (!version) throw new Error("setup: apt has no nodejs 18.x (Debian bookworm's); the Node 18 test needs it");
  rmSync(NODE18_DIR, { recursive: true, force: true });
  mkdirSync(NODE18_DIR, { recursive: true });
  const pinned = NODE18_PACKAGES.map((p) => (p === "nodejs" || p === "libnode108" ? `${p}=${version}` : p));
  run("apt-get", ["download", ...pinned], { cwd: NODE18_DIR });
  for (const deb of readdirSync(NODE18_DIR).filter((f) => f.endsWith(".deb"))) run("dpkg", ["-x", join(NODE18_DIR, deb), join(NODE18_DIR, "root")]);
}
