// The `intune-esim` command of the packed package, run as a user runs it, against the emulator:
// output, exit codes (0 done, 1 Graph or network failure, 2 bad usage or invalid input), dry
// runs with the token masked, and a token that never shows anywhere.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

test("--version, and help that says what is required, that left-out targets are removed, and where the token comes from", async () => {
  const version = await run(["--version"]);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(new URL("../.packed/node_modules/intune-esim/package.json", import.meta.url))).version);
  const help = await run(["assign", "--help"]);
  assert.equal(help.code, 0);
  const options = help.stdout.slice(help.stdout.indexOf("Options:"));
  assert.match(options.split("\n")[1], /--pool <id>\s+the pool's id \(required\)/, "--pool comes first and says it is required");
  assert.match(help.stdout, /targets left out are removed/);
  const top = await run(["--help"]);
  assert.match(top.stdout, /GRAPH_TOKEN/);
  assert.match(top.stdout, /report/);
});

test("a filter per target, and --filter for the targets without one", async () => {
  const pool = em.addPool();
  const F2 = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff";
  const r = await run(["assign", "--pool", pool, "--group", `${G1}:${F2}:exclude`, "--all-devices", "--all-users", `${F2}:include`, "--filter", `${F1}:include`, ...base()]);
  assert.equal(r.code, 0, r.stderr);
  const sent = JSON.parse(em.requests.filter((q) => q.poolId === pool).at(-1).body).assignments.map((a) => a.target);
  const filters = sent.map((t) => [t["@odata.type"].replace("#microsoft.graph.", ""), t.deviceAndAppManagementAssignmentFilterId, t.deviceAndAppManagementAssignmentFilterType]);
  assert.deepEqual(filters, [
    ["allDevicesAssignmentTarget", F1, "include"],
    ["allLicensedUsersAssignmentTarget", F2, "include"],
    ["groupAssignmentTarget", F2, "exclude"],
  ]);
  const bad = await run(["assign", "--pool", pool, "--group", `${G1}:${F2}`, ...base()]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--group takes <filter id>:include or <filter id>:exclude/);
});

test("a pool is emptied only on purpose: --remove-all, confirmed with --yes when not on a terminal", async () => {
  const pool = em.addPool();
  await run(["assign", "--pool", pool, "--all-devices", ...base()]);
  const unconfirmed = await run(["assign", "--pool", pool, "--remove-all", ...base()]);
  assert.equal(unconfirmed.code, 2);
  assert.match(unconfirmed.stderr, /confirm with --yes/);
  const both = await run(["assign", "--pool", pool, "--remove-all", "--group", G1, "--yes", ...base()]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--remove-all takes no targets/);
  assert.equal(em.pools.get(pool.toLowerCase()).assignments.length, 1, "nothing was changed");
  const r = await run(["assign", "--pool", pool, "--remove-all", "--yes", ...base()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /now has 0 assignment/);
  assert.deepEqual(JSON.parse(em.requests.filter((q) => q.poolId === pool).at(-1).body), { assignments: [] });
  assert.equal(em.pools.get(pool.toLowerCase()).assignments.length, 0);
});

test("with --json, every error is one JSON object on stderr, and never holds the token", async () => {
  const usage = await run(["assign", "--json", ...base()]);
  assert.equal(usage.code, 2);
  assert.deepEqual(JSON.parse(usage.stderr), { error: { name: "UsageError", message: "required option '--pool <id>' not specified" } });
  const invalid = await run(["assign", "--pool", "nope", "--group", G1, "--json", ...base()]);
  assert.equal(invalid.code, 2);
  const v = JSON.parse(invalid.stderr).error;
  assert.equal(v.name, "ValidationError");
  assert.deepEqual(v.issues.map((i) => i.path), ["poolId"]);
  const missing = await run(["assign", "--pool", "00000000-0000-4000-8000-000000000000", "--all-devices", "--json", ...base()]);
  assert.equal(missing.code, 1);
  const g = JSON.parse(missing.stderr).error;
  assert.equal(g.name, "GraphError");
  assert.equal(g.status, 404);
  assert.ok(g.requestId && g.code);
  assert.equal(missing.stderr.trim().split("\n").length, 1);
  assert.equal(missing.stdout, "");
});

test("pools rename, and the report as a table, as JSON and as CSV", async () => {
  const pool = em.addPool(undefined, "Before");
  const renamed = await run(["pools", "rename", "--pool", pool, "--name", "Contoso Berlin", ...base()]);
  assert.equal(renamed.code, 0, renamed.stderr);
  assert.match(renamed.stdout, /is now named "Contoso Berlin"/);
  assert.equal(em.pools.get(pool.toLowerCase()).displayName, "Contoso Berlin");
  const blank = await run(["pools", "rename", "--pool", pool, "--name", "  ", ...base()]);
  assert.equal(blank.code, 2);
  assert.match(blank.stderr, /must not be empty/);

  em.pools.get(pool.toLowerCase()).deviceStates.push(
    { id: "d1", state: "installed", deviceName: "Kiosk-1", userName: "amy@contoso.com" },
    { id: "d2", state: "failed", deviceName: "Kiosk-2", userName: "bob@contoso.com", stateDetails: "Profile download failed" },
  );
  const text = await run(["report", ...base()]);
  assert.equal(text.code, 0, text.stderr);
  const row = text.stdout.split("\n").find((l) => l.includes(pool));
  assert.match(row, /^Contoso Berlin\s+\S+\s+0\s+0\s+2\s+0\s+1\s+0\s+1\s/, row);
  assert.match(text.stdout, /Failed devices \(\d+\):/);
  assert.match(text.stdout, /Contoso Berlin: Kiosk-2 {2}bob@contoso.com {2}failed {2}Profile download failed/);

  const json = JSON.parse((await run(["report", "--json", ...base()])).stdout);
  const mine = json.pools.find((p) => p.pool.id === pool);
  assert.deepEqual([mine.deviceStates.total, mine.deviceStates.byState.failed, mine.failures[0].deviceName], [2, 1, "Kiosk-2"]);

  const csv = (await run(["report", "--csv", ...base()])).stdout.trim().split("\n");
  assert.equal(csv[0], "id,displayName,activationCodeCount,assignments,devices,notEvaluated,failed,installing,installed,deleting,error,deleted,removedByUser,failures,readError");
  assert.ok(csv.includes(`${pool},Contoso Berlin,0,0,2,0,1,0,1,0,0,0,0,1,`), csv.join("\n"));
});

test("a pool the report cannot read is shown with its error, and the exit code is 1", async () => {
  const pool = em.addPool(undefined, "Broken");
  em.fault(pool, { kind: "status", status: 403 }, 10);
  const r = await run(["report", ...base()]);
  assert.equal(r.code, 1);
  assert.match(r.stdout.split("\n").find((l) => l.includes(pool)), /not read: Graph answered 403/);
  em.fault(pool, null);
});

test("intune-esim emulator starts a Graph that the other commands can use", async () => {
  const child = execFile(process.execPath, [bin, "emulator", "--pools", "2", "--json"], { env: { PATH: process.env.PATH } });
  const line = await new Promise((resolve) => child.stdout.once("data", resolve));
  const { baseUrl, token } = JSON.parse(line);
  const r = await run(["pools", "list", "--base-url", baseUrl], { GRAPH_TOKEN: token });
  child.kill("SIGTERM");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split("\n").length, 2);
});

test("report on a terminal draws a progress bar on stderr, and the table after it", { skip: !existsSync("/usr/bin/script") && "util-linux's script is not installed" }, async () => {
  em.addPool(undefined, "Terminal pool");
  // `script` gives the command a pseudo-terminal, as a person's shell would.
  const command = [process.execPath, bin, "report", ...base()].map((a) => `'${a}'`).join(" ");
  const r = await new Promise((resolve) =>
    execFile("script", ["-qec", command, "/dev/null"], { env: { PATH: process.env.PATH, GRAPH_TOKEN: SECRET_TOKEN } }, (error, stdout) => resolve({ code: error?.code ?? 0, stdout })),
  );
  assert.ok(!r.stdout.includes(SECRET_TOKEN));
  assert.match(r.stdout, /(\d+)\/\1 pools read/, "the bar reached the total");
  assert.match(r.stdout, /\u2588/, "the bar's full blocks");
  assert.match(r.stdout, /Terminal pool/);
});

test("report --tenant with --token-command: a table per tenant and a summary line each, CSV with tenantId first, exit 1 for a tenant not read; no token shows", async (t) => {
  const { startGraphEmulator } = await import("./helpers.mjs");
  const multi = await startGraphEmulator({ tenants: [{ pools: 2 }, { pools: 2 }, { pools: 1 }], limits: false });
  t.after(() => multi.close());
  const [a, b, c] = multi.tenants;
  const dir = mkdtempSync(join(tmpdir(), "intune-esim-cli-tenants-"));
  // The command prints the token of the tenant it is given; tenant c has none, and fails.
  const printer = join(dir, "token.cjs");
  const tokens = { [a.tenantId]: a.token, [b.tenantId]: b.token };
  const ran = join(dir, "ran.txt");
  writeFileSync(printer, `require("node:fs").appendFileSync(${JSON.stringify(ran)}, process.argv[2] + "\\n"); const t = ${JSON.stringify(tokens)}[process.argv[2]]; if (!t) { console.error("no token: " + ${JSON.stringify(a.token)}); process.exit(3); } process.stdout.write(t + "\\n");`);
  const command = `"${process.execPath}" "${printer}" {tenantId}`;
  const args = ["report", "--tenant", a.tenantId, "--tenant", b.tenantId, "--token-command", command, "--base-url", multi.baseUrl];
  const noLeak = (r) => {
    for (const x of multi.tenants) assert.ok(!r.stdout.includes(x.token) && !r.stderr.includes(x.token), "a tenant's token was printed");
  };
  const r = await run(args, {});
  noLeak(r);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Tenant ${a.tenantId}$`, "m"));
  assert.match(r.stdout, new RegExp(`^Tenant ${b.tenantId}$`, "m"));
  assert.match(r.stdout, new RegExp(`^${a.tenantId}: 2 pool\\(s\\)$`, "m"));
  for (const id of [...a.poolIds, ...b.poolIds]) assert.match(r.stdout, new RegExp(id));
  // The command ran once per tenant, though every request asks for a token.
  assert.deepEqual(readFileSync(ran, "utf8").trim().split("\n").sort(), [a.tenantId, b.tenantId].sort());

  // The tenants from a CSV file, one not read: its own line, and exit 1.
  const file = join(dir, "tenants.csv");
  writeFileSync(file, `name,tenantId\nContoso,${a.tenantId}\nFabrikam,${c.tenantId}\n`);
  const csv = await run(["report", "--tenants", file, "--token-command", command, "--csv", "--base-url", multi.baseUrl], {});
  noLeak(csv);
  assert.equal(csv.code, 1, csv.stderr);
  const lines = csv.stdout.trim().split("\n");
  assert.match(lines[0], /^tenantId,id,displayName,/);
  assert.equal(lines.filter((l) => l.startsWith(a.tenantId)).length, 2);
  assert.match(lines.find((l) => l.startsWith(c.tenantId)), /--token-command failed for tenant/);
  const text = await run(["report", "--tenants", file, "--token-command", command, "--base-url", multi.baseUrl], {});
  noLeak(text);
  const json = await run([...args, "--json"], {});
  noLeak(json);
  const answer = JSON.parse(json.stdout);
  assert.deepEqual(answer.tenants.map((x) => [x.tenantId, x.ok, x.report.pools.length]), [[a.tenantId, true, 2], [b.tenantId, true, 2]]);
  // Without --token-command or @azure/identity there is no token for a tenant: bad usage.
  const none = await run(["report", "--tenant", a.tenantId, "--base-url", multi.baseUrl], {});
  assert.equal(none.code, 2);
  assert.match(none.stderr, /give --token-command, or install @azure\/identity/);
  assert.equal((await run(["report", "--tenant", a.tenantId, "--token-command", "echo no-tenant-in-it", "--base-url", multi.baseUrl], {})).code, 2);
  const empty = join(dir, "none.txt");
  writeFileSync(empty, "# no tenants yet\n");
  assert.equal((await run(["report", "--tenants", empty, "--token-command", command, "--base-url", multi.baseUrl], {})).code, 2);
  assert.match(text.stdout, new RegExp(`^${c.tenantId}: NOT READ \\(--token-command failed for tenant ${c.tenantId} \\(exit 3\\)`, "m"));
});

test("report --tenant on a terminal draws one progress bar over the tenants", { skip: !existsSync("/usr/bin/script") && "util-linux's script is not installed" }, async (t) => {
  const { startGraphEmulator } = await import("./helpers.mjs");
  const multi = await startGraphEmulator({ tenants: [{ pools: 1 }, { pools: 1 }], limits: false });
  t.after(() => multi.close());
  const dir = mkdtempSync(join(tmpdir(), "intune-esim-cli-bar-"));
  const printer = join(dir, "token.cjs");
  const tokens = Object.fromEntries(multi.tenants.map((x) => [x.tenantId, x.token]));
  writeFileSync(printer, `process.stdout.write(${JSON.stringify(tokens)}[process.argv[2]] + "\\n");`);
  const tenantArgs = multi.tenants.flatMap((x) => ["--tenant", x.tenantId]);
  const tokenCommand = `"${process.execPath}" "${printer}" {tenantId}`;
  // `script` gives the command a pseudo-terminal, as a person's shell would.
  const command = [process.execPath, bin, "report", ...tenantArgs, "--token-command", tokenCommand, "--base-url", multi.baseUrl].map((a) => `'${a}'`).join(" ");
  const r = await new Promise((resolve) =>
    execFile("script", ["-qec", command, "/dev/null"], { env: { PATH: process.env.PATH } }, (error, stdout) => resolve({ code: error?.code ?? 0, stdout })),
  );
  assert.equal(r.code, 0, r.stdout);
  for (const x of multi.tenants) assert.ok(!r.stdout.includes(x.token), "a tenant's token was printed");
  assert.match(r.stdout, /2\/2 tenants read/);
  assert.match(r.stdout, /\u2588/, "the bar's full blocks");
  assert.match(r.stdout, new RegExp(`${multi.tenants[1].tenantId}: 1 pool\\(s\\)`));
});
