// The frameworks portals are built with, each tested from a folder of its own:
// tests/frameworks/<name>/ holds its package.json and package-lock.json (every version pinned),
// and <name>.test.mjs beside them builds a fresh app with it from the packed tarball. Each is
// installed apart, into tests/.framework-tools/<name>-<hash of its lock>/ (outside git), by
// scripts/setup.mjs once per version of its lock, so one framework's install never waits on or
// breaks another's, and a changed lock gets a folder of its own.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const here = fileURLToPath(new URL(".", import.meta.url));
const base = join(here, "..", ".framework-tools");

/** Every framework folder that has a lock file. */
export const FRAMEWORKS = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "package-lock.json")))
  .map((d) => d.name);

/** Where `name`'s tools are installed: its node_modules/.bin holds the framework's commands. */
export function toolsDir(name) {
  const lock = readFileSync(join(here, name, "package-lock.json"));
  return join(base, `${name}-${createHash("sha256").update(lock).digest("hex").slice(0, 16)}`);
}

/** npm ci writes this file last: its presence means the install finished. */
export const installed = (name) => existsSync(join(toolsDir(name), "node_modules", ".package-lock.json"));

/** Installs `name`'s tools from its lock (npm ci), removing its installs of other locks. */
export function install(name) {
  const dir = toolsDir(name);
  if (existsSync(base)) {
    for (const old of readdirSync(base).filter((d) => d.startsWith(`${name}-`) && join(base, d) !== dir)) rmSync(join(base, old), { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(here, name, f), join(dir, f));
  execFileSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir, stdio: "inherit" });
}
