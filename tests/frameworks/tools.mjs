// The frameworks portals are built with, each tested from a folder of its own:
// tests/frameworks/<name>/ holds its package.json and package-lock.json (every version pinned),
// and <name>.test.mjs beside them builds a fresh app with it from the packed tarball. Each is
// installed apart, into tests/.framework-tools/<name>-<hash of its lock>/ (outside git), by
// scripts/setup.mjs once per version of its lock (see tests/locked-tools.mjs), so one framework's
// install never waits on or breaks another's.
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { lockedTools } from "../locked-tools.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const base = join(here, "..", ".framework-tools");
const tools = (name) => lockedTools(join(here, name), base, `${name}-`);

/** Every framework folder that has a lock file. */
export const FRAMEWORKS = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "package-lock.json")))
  .map((d) => d.name);

/** Where `name`'s tools are installed: its node_modules/.bin holds the framework's commands. */
export const toolsDir = (name) => tools(name).dir;
export const installed = (name) => tools(name).installed();
/** Installs `name`'s tools from its lock (npm ci), removing its installs of other locks. */
export const install = (name) => tools(name).install();
