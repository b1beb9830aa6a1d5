// Where the bundlers of the matrix are installed: tests/.bundler-tools/<hash of the lock file>/,
// outside git, installed by scripts/setup.mjs once per version of package-lock.json (a changed
// lock gets a folder of its own, so a stale install is never used; see tests/locked-tools.mjs).
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { lockedTools } from "../locked-tools.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const tools = lockedTools(here, join(here, "..", ".bundler-tools"));

export const TOOLS_DIR = tools.dir;
export const installed = tools.installed;
export const install = tools.install;
