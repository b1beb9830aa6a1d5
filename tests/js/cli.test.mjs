// The `intune-esim` command of the packed package, run as a user runs it, against the emulator:
// output, exit codes (0 done, 1 Graph or network failure, 2 bad usage or invalid input), dry
// runs with the token masked, and a token that never shows anywhere.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { emulator, SECRET_TOKEN } from "./helpers.mjs";

const bin = fileURLToPath(new URL("../.packed/node_modules/intune-esim/cli.js", import.meta.url));
const G1 = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const F1 = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
let em;
before(async () => (em = await emulator()));
after(() => em.close());

/** Runs the command; resolves to { code, stdout, stderr }, and checks the token never shows. */
function run(args, env = { GRAPH_TOKEN: SECRET_TOKEN }) {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) => {
      assert.ok(!stdout.includes(SECRET_TOKEN) && !stderr.includes(SECRET_TOKEN), "the token was printed");
      resolve({ code: child.exitCode, stdout, stderr });
    });
  });
}
const base = () => ["--base-url", em.baseUrl];

test("assign: targets from flags, a filter for each, text and JSON output", async () => {
  const pool = em.addPool();
  const r = await run(["assign", "--pool", pool, "--group", G1, "--all-devices", "--filter", `${F1}:include`, ...base()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /now has 2 assignment\(s\)/);
  const sent = JSON.parse(em.requests.filter((q) => q.poolId === pool).at(-1).body);
  assert.deepEqual(sent.assignments.map((a) => a.target["@odata.type"]), ["#microsoft.graph.allDevicesAssignmentTarget", "#microsoft.graph.groupAssignmentTarget"]);
  assert.ok(sent.assignments.every((a) => a.target.deviceAndAppManagementAssignmentFilterType === "include"));
  const json = await run(["assign", "--pool", pool, "--exclude-group", G1, "--all-users", "--json", ...base()]);
  assert.equal(JSON.parse(json.stdout).length, 2);
});

test("--dry-run prints the exact request with the token masked, and sends nothing", async () => {
  const pool = em.addPool();
  const r = await run(["assign", "--pool", pool, "--group", G1, "--dry-run", ...base()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^POST ${em.baseUrl}/deviceManagement/embeddedSIMActivationCodePools/${pool}/assign$`, "m"));
  assert.match(r.stdout, /^Authorization: Bearer \*\*\*$/m);
  assert.match(r.stdout, /"groupId": "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9"/);
  assert.equal(em.requests.filter((q) => q.poolId === pool).length, 0);
});

test("pools list and assignments list", async () => {
  const pool = em.addPool(undefined, "CLI pool");
  await run(["assign", "--pool", pool, "--all-devices", ...base()]);
  const pools = await run(["pools", "list", ...base()]);
  assert.equal(pools.code, 0);
  assert.match(pools.stdout, new RegExp(`${pool}  CLI pool`));
  const list = await run(["assignments", "list", "--pool", pool, "--json", ...base()]);
  assert.equal(JSON.parse(list.stdout)[0].target["@odata.type"], "#microsoft.graph.allDevicesAssignmentTarget");
});

test("assign-many from a file: plain progress lines when not on a terminal, exit 1 when a pool fails", async () => {
  const ids = [em.addPool(), em.addPool(), em.addPool()];
  em.fault(ids[1], { kind: "status", status: 403 });
  const dir = mkdtempSync(join(tmpdir(), "intune-esim-cli-"));
  const file = join(dir, "pools.txt");
  writeFileSync(file, `# rollout\n${ids[0]}\n\n${ids[1]}\r\n${ids[2]},Berlin office\n`);
  const r = await run(["assign-many", "--pools-file", file, "--group", G1, ...base()]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split("\n").length, 3, r.stderr);
  assert.match(r.stderr, /3\/3 /);
  assert.match(r.stdout, /2 of 3 pools assigned/);
  assert.match(r.stdout, /403 Forbidden/);
  const json = await run(["assign-many", "--pools-file", file, "--group", G1, "--json", ...base()]);
  assert.deepEqual(JSON.parse(json.stdout).map((x) => x.ok), [true, true, true]);
});

test("assign-many on a terminal draws a progress bar", { skip: !existsSync("/usr/bin/script") && "util-linux's script is not installed" }, async () => {
  const pool = em.addPool();
  const dir = mkdtempSync(join(tmpdir(), "intune-esim-cli-"));
  const file = join(dir, "pools.txt");
  writeFileSync(file, `${pool}\n`);
  // `script` gives the command a pseudo-terminal, as a person's shell would.
  const command = [process.execPath, bin, "assign-many", "--pools-file", file, "--all-devices", ...base()].map((a) => `'${a}'`).join(" ");
  const r = await new Promise((resolve) =>
    execFile("script", ["-qec", command, "/dev/null"], { env: { PATH: process.env.PATH, GRAPH_TOKEN: SECRET_TOKEN } }, (error, stdout) => resolve({ code: error?.code ?? 0, stdout })),
  );
  assert.equal(r.code, 0);
  assert.ok(!r.stdout.includes(SECRET_TOKEN));
  assert.match(r.stdout, /1\/1 pools \| 0 failed/);
  assert.match(r.stdout, /\u2588/, "the bar's full blocks");
  assert.match(r.stdout, /1 of 1 pools assigned/);
});

test("exit 2 for bad usage and invalid input; exit 1 for Graph failures", async () => {
  const cases = [
    [["frob"], 2, /unknown command/],
    [["assign", "--group", G1], 2, /required option '--pool <id>'/],
    [["assign", "--pool", em.addPool(), ...base()], 2, /name at least one target/],
    [["assign", "--pool", "nope", "--group", "sales", ...base()], 2, /poolId: must be a GUID[\s\S]*groupId: must be the Entra ID group's object id/],
    [["assign", "--pool", em.addPool(), "--all-devices", "--filter", "x:maybe", ...base()], 2, /--filter takes/],
    [["assign", "--pool", em.addPool(), "--all-devices", "--base-url", "http://graph.microsoft.com/beta"], 2, /options.baseUrl/],
    [["assign-many", "--pools-file", "/no/such/file", "--all-devices", ...base()], 2, /cannot read --pools-file/],
    [["assign", "--pool", "00000000-0000-4000-8000-000000000000", "--all-devices", ...base()], 1, /404 Not Found[\s\S]*request-id/],
  ];
  for (const [args, code, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
  }
});

test("the token comes from --token-env or GRAPH_TOKEN, never from a flag", async () => {
  const pool = em.addPool();
  const r = await run(["assign", "--pool", pool, "--all-devices", "--token-env", "MY_TOKEN", ...base()], { MY_TOKEN: SECRET_TOKEN });
  assert.equal(r.code, 0, r.stderr);
  const missing = await run(["pools", "list", ...base()], {});
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no access token: set GRAPH_TOKEN/);
  const wrong = await run(["pools", "list", ...base()], { GRAPH_TOKEN: "a-token-for-another-audience" });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /401 Unauthorized/);
  const flag = await run(["pools", "list", "--token", SECRET_TOKEN, ...base()]);
  assert.equal(flag.code, 2, "there is no --token flag");
});
