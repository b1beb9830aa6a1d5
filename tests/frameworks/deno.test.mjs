// Deno 2.9, from npm, with the packed package installed in node_modules (npm install, as the
// README says) and no configuration: the README's script run by `deno run -A` with its `npm:`
// specifier, and with a bare one, against the local Graph emulator, and both type-checked by
// `deno check` against the package's declarations.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TOKEN, project, root } from "../bundlers/harness.mjs";
import { startEmulator } from "../bundlers/emulator.mjs";
import { binary, ran, readmeShows, scriptWorks } from "./harness.mjs";
import { toolsDir } from "./tools.mjs";

const tools = join(toolsDir("deno"), "node_modules");
const deno = binary([join(tools, "@deno/linux-x64-glibc/deno"), join(tools, "deno/deno")]);
const script = "tests/frameworks/deno/assign.ts";
const source = readFileSync(join(root, script), "utf8");

let emulator;
let dir;
before(async () => {
  emulator = await startEmulator({ token: TOKEN });
  dir = project(join(root, "tests/.frameworks/deno/run"), {
    files: {
      "package.json": JSON.stringify({ name: "portal-script", private: true, type: "module", dependencies: { "intune-esim": "^0.1.0" } }),
      "assign.ts": source,
      // The same script with a bare specifier, which Deno resolves through package.json and node_modules.
      "bare.ts": source.replace('from "npm:intune-esim"', 'from "intune-esim"'),
      // And with one property misspelt, which the check must find.
      "wrong.ts": source.replace("${i.path}", "${i.paht}"),
    },
  });
});
after(() => emulator?.close());

// Deno's cache in the app's folder, and a registry that does not answer: the package can only come
// from node_modules, the tarball's copy (an `npm:` specifier would otherwise fetch the published one).
const denoEnv = () => ({ DENO_DIR: join(dir, ".deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/" });

test("the README shows the script as the test runs it", () => {
  readmeShows(script, "ts");
  assert.notEqual(source.replace('from "npm:intune-esim"', 'from "intune-esim"'), source, "the bare copy differs by its specifier");
});

for (const file of ["assign.ts", "bare.ts"]) {
  test(`deno run -A ${file}: an answer, a ValidationError, a GraphError`, async () => {
    await scriptWorks((poolId) => ran(deno, ["run", "-A", file, poolId], { cwd: dir, env: { ...denoEnv(), GRAPH_TOKEN: TOKEN, GRAPH_BASE_URL: emulator.baseUrl } }));
  });

  test(`deno check ${file}`, async () => {
    const r = await ran(deno, ["check", file], { cwd: dir, env: denoEnv() });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });
}

test("deno check reads the package's declarations: a misspelt property fails it", async () => {
  const r = await ran(deno, ["check", "wrong.ts"], { cwd: dir, env: denoEnv() });
  assert.notEqual(r.status, 0, "the check failed");
  assert.match(r.stderr, /Property 'paht' does not exist on type 'ValidationIssue'/);
});
