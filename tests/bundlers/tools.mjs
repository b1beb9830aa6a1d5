// Where the bundlers of the matrix are installed: tests/.bundler-tools/<hash of the lock file>/,
// outside git, installed by scripts/setup.mjs once per version of package-lock.json (a changed
// lock gets a folder of its own, so a stale install is never used).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const here = fileURLToPath(new URL(".", import.meta.url));
const lock = readFileSync(join(here, "package-lock.json"));

export const TOOLS_DIR = join(here, "..", ".bundler-tools", createHash("sha256").update(lock).digest("hex").slice(0, 16));
export const LOCK_FILES = ["package.json", "package-lock.json"].map((f) => join(here, f));
/** npm ci writes this file last: its presence means the install finished. */
export const installed = () => existsSync(join(TOOLS_DIR, "node_modules", ".package-lock.json"));
