// Test tools installed from a pinned lock, outside git: the package.json and package-lock.json of
// `source`, installed with `npm ci` into `<base>/<prefix><hash of the lock>/` by
// scripts/setup.mjs once per version of the lock, so a stale install is never used and a changed
// lock gets a folder of its own. The bundler matrix (tests/bundlers/) and each framework
// (tests/frameworks/<name>/) are installed this way.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const FILES = ["package.json", "package-lock.json"];

/** `{ dir, installed(), install() }` for the tools pinned in `source`. */
export function lockedTools(source, base, prefix = "") {
  const lock = readFileSync(join(source, "package-lock.json"));
  const dir = join(base, `${prefix}${createHash("sha256").update(lock).digest("hex").slice(0, 16)}`);
  return {
    dir,
    // npm ci writes this file last: its presence means the install finished.
    installed: () => existsSync(join(dir, "node_modules", ".package-lock.json")),
    // Installs from the lock, removing the installs of its other versions.
    install() {
      if (existsSync(base)) {
        for (const old of readdirSync(base).filter((d) => d.startsWith(prefix) && join(base, d) !== dir)) rmSync(join(base, old), { recursive: true, force: true });
      }
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      for (const f of FILES) copyFileSync(join(source, f), join(dir, f));
      execFileSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir, stdio: "inherit" });
    },
  };
}
