#!/usr/bin/env node
// intune-esim: the command line, for terminals and scripts.
//
// The token comes from an environment variable (--token-env, default GRAPH_TOKEN) or, when
// @azure/identity is installed, from DefaultAzureCredential; never from a flag's value, which
// would land in shell history, and it is never printed. Exit codes: 0 done, 1 a Graph or network
// failure, 2 bad usage or invalid input.
import { exec } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { promisify } from "node:util";
import { Command, CommanderError, Option } from "commander";
import cliProgress from "cli-progress";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import {
  assign,
  assignMany,
  listAssignments,
  listPools,
  poolReport,
  previewAssign,
  tenantsReport,
  updatePool,
  ValidationError,
  IntuneEsimError,
} from "./index.mjs";

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {
  name = "UsageError";
}

// With --json, every error is one JSON object on stderr, commander's usage errors included.
const wantsJson = process.argv.includes("--json");
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
// Graph's facts and the library's defaults, from the one file the core is held to (tests/facts.rs):
// the flags' defaults and the targets they build are the library's own, not copies.
const FACTS = JSON.parse(readFileSync(new URL("./facts.json", import.meta.url), "utf8"));
const { idProperty: FILTER_ID, typeProperty: FILTER_TYPE } = FACTS.filter;
// The filter modes a target may ask for: every type but "none", which is no filter.
const FILTER_MODES = FACTS.filter.types.filter((t) => t !== "none");
// The properties naming what a target targets (groupId, collectionId).
const ID_PROPERTIES = [...new Set(Object.values(FACTS.targetKinds).filter(Boolean))];

const program = new Command("intune-esim")
  .description("Assign Intune eSIM activation code pools through Microsoft Graph, and report on them")
  .version(version, "-V, --version", "print the version")
  .exitOverride()
  .configureOutput({ outputError: (text, write) => wantsJson || write(text) })
  .showHelpAfterError(!wantsJson && "(run with --help for usage)")
  .addHelpText(
    "after",
    `
The access token is read from the environment variable GRAPH_TOKEN (or the one --token-env
names), else from @azure/identity's DefaultAzureCredential when it is installed; never from a
flag. Exit codes: 0 done, 1 a Graph or network failure, 2 bad usage or invalid input.`,
  );

/** The options every command that calls Graph takes. */
function withConnection(cmd) {
  return cmd
    .option("--base-url <url>", "Graph's root, for national clouds", FACTS.baseUrl)
    .option("--token-env <name>", "the environment variable holding the access token", "GRAPH_TOKEN")
    .option("--json", "print JSON instead of text (errors too, as one JSON object on stderr)");
}

/** The target flags of assign and assign-many, turned into Graph's assignment objects. */
function withTargets(cmd) {
  const many = (v, list = []) => [...list, v];
  return cmd
    .option("--group <id[:filter:mode]>", "an Entra ID group to include (repeatable), with its own filter if given", many)
    .option("--exclude-group <id>", "an Entra ID group to exclude (repeatable)", many)
    .option("--collection <id[:filter:mode]>", "a Configuration Manager collection (repeatable)", many)
    .option("--all-devices [filter:mode]", "all managed devices, with its own filter if given")
    .option("--all-users [filter:mode]", "all licensed users, with its own filter if given")
    .option("--filter <id:mode>", "an assignment filter for every target without its own: <filter id>:include or :exclude")
    .option("--remove-all", "remove every assignment (asks to confirm; --yes in scripts)")
    .option("--yes", "do not ask to confirm --remove-all")
    .option("--dry-run", "print the request that would be sent (token masked) and send nothing")
    .addHelpText(
      "after",
      `
Assigning REPLACES the pool's whole set of assignments: targets left out are removed.
A target's own filter follows its id: --group <group id>:<filter id>:include (or :exclude);
--all-devices <filter id>:exclude. --filter applies to every target without one.`,
    );
}

/** `<filter id>:include` or `:exclude` as a target's filter properties. */
function filterFrom(spec, flag) {
  const [id, mode, ...rest] = String(spec).split(":");
  if (!id || !FILTER_MODES.includes(mode) || rest.length) {
    throw new UsageError(`${flag} takes ${FILTER_MODES.map((m) => `<filter id>:${m}`).join(" or ")}`);
  }
  return { [FILTER_ID]: id, [FILTER_TYPE]: mode };
}

async function assignmentsFrom(opts) {
  const common = opts.filter === undefined ? {} : filterFrom(opts.filter, "--filter");
  const target = (type, extra, own) => ({ target: { "@odata.type": `#microsoft.graph.${type}`, ...extra, ...(own ?? common) } });
  // `<id>` or `<id>:<filter id>:<mode>`: ids are GUIDs, which hold no colon.
  const withId = (flag, type) => (value) => {
    const [id, ...filter] = String(value).split(":");
    return target(type, { [FACTS.targetKinds[type]]: id }, filter.length ? filterFrom(filter.join(":"), flag) : undefined);
  };
  const everyone = (value, flag, type) => (value === undefined ? [] : [target(type, {}, value === true ? undefined : filterFrom(value, flag))]);
  const list = [
    ...everyone(opts.allDevices, "--all-devices", "allDevicesAssignmentTarget"),
    ...everyone(opts.allUsers, "--all-users", "allLicensedUsersAssignmentTarget"),
    ...(opts.group ?? []).map(withId("--group", "groupAssignmentTarget")),
    // Graph takes no filter on an exclusion: none is given, not even --filter's.
    ...(opts.excludeGroup ?? []).map((id) => target("exclusionGroupAssignmentTarget", { [FACTS.targetKinds.exclusionGroupAssignmentTarget]: id }, {})),
    ...(opts.collection ?? []).map(withId("--collection", "configurationManagerCollectionAssignmentTarget")),
  ];
  if (opts.removeAll) {
    if (list.length) throw new UsageError("--remove-all takes no targets: it empties the pool");
    await confirm(opts, "Remove every assignment, so that no device gets a code from this pool?");
    return [];
  }
  if (list.length === 0) {
    // assign replaces the whole set: an empty list would silently remove every assignment.
    throw new UsageError("name at least one target: --group, --exclude-group, --collection, --all-devices or --all-users (or --remove-all to empty the pool)");
  }
  return list;
}

/** Asks on the terminal; in a script, --yes is the answer. */
async function confirm(opts, question) {
  if (opts.yes || opts.dryRun) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError("--remove-all empties the pool: confirm with --yes when not on a terminal");
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `).finally(() => rl.close());
  if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError("not confirmed: nothing was changed");
}

/** The token source: the named environment variable, else DefaultAzureCredential if installed. */
async function tokenFrom(opts) {
  const fromEnv = process.env[opts.tokenEnv];
  if (fromEnv) return fromEnv;
  try {
    const { DefaultAzureCredential } = await import("@azure/identity");
    return new DefaultAzureCredential();
  } catch {
    throw new UsageError(`no access token: set ${opts.tokenEnv} (or choose another variable with --token-env), or install @azure/identity to sign in with DefaultAzureCredential`);
  }
}

const callOptions = (opts) => ({ baseUrl: opts.baseUrl });
const print = (opts, json, text) => console.log(opts.json ? JSON.stringify(json, null, 2) : text());
const describe = (a) => {
  const t = a.target ?? {};
  const kind = String(t["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "").replace(/AssignmentTarget$/, "");
  const id = ID_PROPERTIES.map((p) => t[p]).find((v) => v !== undefined && v !== null) ?? "";
  const f = t[FILTER_TYPE];
  const filter = f && f !== "none" ? ` (filter ${t[FILTER_ID]}: ${f})` : "";
  return `${kind}${id ? ` ${id}` : ""}${filter}`;
};

async function dryRun(poolId, assignments, opts) {
  const r = await previewAssign(poolId, assignments, callOptions(opts));
  print(opts, r, () =>
    [`${r.method} ${r.url}`, ...r.headers.map(([k, v]) => `${k}: ${v}`), "", JSON.stringify(JSON.parse(r.body), null, 2)].join("\n"),
  );
}

withTargets(withConnection(program.command("assign").requiredOption("--pool <id>", "the pool's id (required)")))
  .description("replace a pool's assignments with the given targets")
  .action(async (opts) => {
    const assignments = await assignmentsFrom(opts);
    if (opts.dryRun) return dryRun(opts.pool, assignments, opts);
    const result = await assign(opts.pool, assignments, await tokenFrom(opts), callOptions(opts));
    print(opts, result, () => [`Pool ${opts.pool} now has ${result.length} assignment(s):`, ...result.map((a) => `  ${describe(a)}`)].join("\n"));
  });

const pools = program.command("pools").description("the tenant's eSIM activation code pools");
withConnection(pools.command("list"))
  .description("list every pool")
  .action(async (opts) => {
    const list = await listPools(await tokenFrom(opts), callOptions(opts));
    print(opts, list, () => list.map((p) => `${p.id}  ${p.displayName}  (${p.activationCodeCount ?? "?"} codes)`).join("\n") || "No pools.");
  });

withConnection(
  pools
    .command("rename")
    .requiredOption("--pool <id>", "the pool's id (required)")
    .requiredOption("--name <name>", "the pool's new display name, not blank (required)"),
)
  .description("give a pool a new display name")
  .action(async (opts) => {
    const pool = await updatePool(opts.pool, { displayName: opts.name }, await tokenFrom(opts), callOptions(opts));
    print(opts, pool, () => `Pool ${pool.id} is now named ${JSON.stringify(pool.displayName)}.`);
  });

const assignments = program.command("assignments").description("a pool's assignments");
withConnection(assignments.command("list").requiredOption("--pool <id>", "the pool's id (required)"))
  .description("list a pool's assignments")
  .action(async (opts) => {
    const list = await listAssignments(opts.pool, await tokenFrom(opts), callOptions(opts));
    print(opts, list, () => list.map(describe).join("\n") || "No assignments: the pool is assigned to nobody.");
  });

withTargets(
  withConnection(
    program.command("assign-many").requiredOption("--pools-file <file>", "pool ids, one per line, blank lines and # comments skipped (required)"),
  ),
)
  .description("give many pools the same assignments, paced under Intune's write limit")
  .addOption(new Option("--concurrency <n>", "pools in flight at once").argParser(Number).default(FACTS.concurrency))
  .action(async (opts) => {
    const assignmentList = await assignmentsFrom(opts);
    let text;
    try {
      text = readFileSync(opts.poolsFile, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read --pools-file ${opts.poolsFile}: ${e.code ?? e.message}`);
    }
    const poolIds = text
      .split(/\r?\n/)
      .map((l) => l.replace(/#.*/, "").split(",")[0].trim())
      .filter(Boolean);
    if (opts.dryRun) {
      for (const poolId of poolIds) await dryRun(poolId, assignmentList, opts);
      return;
    }
    const bar = progressBar(opts, "{bar} {value}/{total} pools | {failed} failed | {eta_formatted} left");
    let failed = 0;
    bar?.start(poolIds.length, 0, { failed });
    const results = await assignMany(poolIds, assignmentList, await tokenFrom(opts), {
      ...callOptions(opts),
      concurrency: opts.concurrency,
      onProgress: ({ done, total, poolId, ok }) => {
        // The first notice only gives the total; each after it is one pool done.
        if (poolId === undefined) return;
        failed += ok ? 0 : 1;
        if (bar) bar.update(done, { failed });
        else if (!opts.json) console.error(`${done}/${total} ${poolId} ${ok ? "ok" : "FAILED"}`);
      },
    });
    bar?.stop();
    const plain = results.map((r) => (r.ok ? { poolId: r.poolId, ok: true, assignments: r.value.length } : { poolId: r.poolId, ok: false, error: errorJson(r.error) }));
    print(opts, plain, () => {
      const bad = results.filter((r) => !r.ok);
      return [`${results.length - bad.length} of ${results.length} pools assigned.`, ...bad.map((r) => `  ${r.poolId}: ${r.error?.message ?? r.error}`)].join("\n");
    });
    if (results.some((r) => !r.ok)) process.exitCode = EXIT_FAILED;
  });

withConnection(program.command("report"))
  .description("every pool with its codes, targets and device states by state; the failed devices after")
  .option("--csv", "print one CSV row per pool")
  .addOption(new Option("--concurrency <n>", "batches of reads (tenants, with --tenant) in flight at once").argParser(Number).default(FACTS.concurrency))
  .option("--tenant <id>", "a customer tenant to report on (repeatable): its id or verified domain", (v, list = []) => [...list, v])
  .option("--tenants <file>", "customer tenants, one a line, or a CSV file with a tenantId column")
  .option("--token-command <command>", "with --tenant(s): a command that prints a token for {tenantId}, run once per tenant")
  .action(async (opts) => {
    const tenants = [...(opts.tenant ?? []), ...(opts.tenants ? tenantsFrom(opts.tenants) : [])];
    if (tenants.length) return reportTenants(tenants, opts);
    if (opts.tokenCommand) throw new UsageError("--token-command is for --tenant and --tenants: one tenant's token comes from the environment");
    const bar = progressBar(opts, "{bar} {value}/{total} pools read | {eta_formatted} left");
    let started = false;
    const report = await poolReport(await tokenFrom(opts), {
      ...callOptions(opts),
      concurrency: opts.concurrency,
      onProgress: ({ done, total }) => {
        if (!started) bar?.start(total, 0);
        started = true;
        bar?.update(done);
      },
    });
    bar?.stop();
    if (opts.json) {
      console.log(JSON.stringify(plainReport(report), null, 2));
    } else if (opts.csv) {
      process.stdout.write(reportCsv(report.pools));
    } else {
      console.log(reportText(report));
    }
    if (report.pools.some((p) => p.error)) process.exitCode = EXIT_FAILED;
  });

/** A report as JSON: the errors of the pools not read as their JSON. */
const plainReport = (report) => ({ ...report, pools: report.pools.map((p) => (p.error ? { pool: p.pool, error: errorJson(p.error) } : p)) });

/** The tenants of a file: one a line (blank lines and # comments skipped), or a CSV file whose header names a tenantId column. */
function tenantsFrom(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read --tenants ${file}: ${e.code ?? e.message}`);
  }
  let rows;
  try {
    rows = parse(text, { bom: true, comment: "#", skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    throw new UsageError(`cannot read --tenants ${file}: ${e.message}`);
  }
  const column = rows[0]?.findIndex((cell) => cell.toLowerCase() === "tenantid") ?? -1;
  const tenants = (column >= 0 ? rows.slice(1).map((r) => r[column]) : rows.map((r) => r[0])).filter(Boolean);
  // An empty file must not fall back to the one tenant of GRAPH_TOKEN.
  if (tenants.length === 0) throw new UsageError(`--tenants ${file} names no tenant`);
  return tenants;
}

const run = promisify(exec);

/** Each tenant's token: the --token-command's output for that tenant, or DefaultAzureCredential allowed into it. */
async function tenantTokens(opts) {
  if (opts.tokenCommand) {
    if (!opts.tokenCommand.includes("{tenantId}")) throw new UsageError("--token-command must hold {tenantId}, where the tenant goes");
    // The library asks for a token at every request: the command runs once per tenant, and
    // again only when it failed.
    const asked = new Map();
    return ({ tenantId }) => {
      if (!asked.has(tenantId)) {
        const token = tokenOf(opts.tokenCommand, tenantId);
        token.catch(() => asked.delete(tenantId));
        asked.set(tenantId, token);
      }
      return asked.get(tenantId);
    };
  }
  try {
    const { DefaultAzureCredential } = await import("@azure/identity");
    return new DefaultAzureCredential({ additionallyAllowedTenants: ["*"] });
  } catch {
    throw new UsageError("no tokens for the tenants: give --token-command, or install @azure/identity to sign in with DefaultAzureCredential");
  }
}

/** The token the command prints for `tenantId`. */
async function tokenOf(command, tenantId) {
  // The tenant ids are checked before any token is asked for: a GUID or a domain name, no
  // character a shell would read. The command's output is the token: never printed.
  let out;
  try {
    out = await run(command.replaceAll("{tenantId}", tenantId), { windowsHide: true, timeout: 120_000 });
  } catch (e) {
    const why = e.killed ? " (stopped after 120 s)" : e.code !== undefined ? ` (exit ${e.code})` : "";
    throw new Error(`--token-command failed for tenant ${tenantId}${why}; its output is not shown, as it may hold a token`);
  }
  return out.stdout.trim();
}

async function reportTenants(tenants, opts) {
  const bar = progressBar(opts, "{bar} {value}/{total} tenants read | {eta_formatted} left");
  bar?.start(tenants.length, 0);
  const answer = await tenantsReport(tenants, await tenantTokens(opts), {
    ...callOptions(opts),
    concurrency: opts.concurrency,
    onProgress: ({ tenantsDone }) => bar?.update(tenantsDone),
  });
  bar?.stop();
  const read = (t) => t.ok && !t.report.pools.some((p) => p.error);
  if (opts.json) {
    const plain = answer.tenants.map((t) => (t.ok ? { tenantId: t.tenantId, ok: true, report: plainReport(t.report) } : { tenantId: t.tenantId, ok: false, error: errorJson(t.error) }));
    console.log(JSON.stringify({ generatedDateTime: answer.generatedDateTime, tenants: plain }, null, 2));
  } else if (opts.csv) {
    const rows = answer.tenants.flatMap((t) => (t.ok ? t.report.pools.map((p) => ({ tenantId: t.tenantId, ...p })) : [{ tenantId: t.tenantId, pool: {}, error: t.error }]));
    process.stdout.write(reportCsv(rows, true));
  } else {
    const tables = answer.tenants.map((t) => [`Tenant ${t.tenantId}`, t.ok ? reportText(t.report) : `not read: ${t.error?.message ?? t.error}`, ""].join("\n"));
    const summary = answer.tenants.map((t) =>
      t.ok ? `${t.tenantId}: ${t.report.pools.length} pool(s)${read(t) ? "" : ", some not read"}` : `${t.tenantId}: NOT READ (${t.error?.message ?? t.error})`,
    );
    console.log([...tables, ...summary].join("\n"));
  }
  if (!answer.tenants.every(read)) process.exitCode = EXIT_FAILED;
}

/** The states as the report counts them, in Graph's order (the report has every one). */
const statesOf = (report) => Object.keys(report.pools.find((p) => p.deviceStates)?.deviceStates.byState ?? {});

function reportText(report) {
  if (report.pools.length === 0) return "No pools.";
  const states = statesOf(report);
  const header = ["pool", "id", "codes", "targets", "devices", ...states];
  const rows = report.pools.map((p) =>
    p.error
      ? [p.pool.displayName ?? "", p.pool.id ?? "", String(p.pool.activationCodeCount ?? ""), `not read: ${p.error.message}`]
      : [p.pool.displayName ?? "", p.pool.id, String(p.pool.activationCodeCount ?? ""), String(p.assignments.length), String(p.deviceStates.total), ...states.map((s) => String(p.deviceStates.byState[s]))],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length > 4).map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  const failures = report.pools.flatMap((p) => (p.failures ?? []).map((f) => ({ pool: p.pool.displayName, ...f })));
  return [
    line(header),
    ...rows.map(line),
    "",
    failures.length ? `Failed devices (${failures.length}):` : "No failed devices.",
    ...failures.map((f) => `  ${f.pool}: ${f.deviceName ?? "(no name)"}  ${f.userName ?? ""}  ${f.state}  ${f.stateDetails ?? ""}  last sync ${f.lastSyncDateTime ?? "never"}`),
  ].join("\n");
}

/** One CSV row per pool (`tenantId` first, for a report over tenants). */
function reportCsv(pools, withTenant = false) {
  const states = statesOf({ pools });
  const rows = pools.map((p) => [
    ...(withTenant ? [p.tenantId] : []),
    p.pool.id,
    p.pool.displayName,
    p.pool.activationCodeCount,
    p.assignments?.length ?? "",
    p.deviceStates?.total ?? "",
    ...states.map((s) => p.deviceStates?.byState[s] ?? ""),
    p.failures?.length ?? "",
    p.error?.message ?? "",
  ]);
  const columns = ["id", "displayName", "activationCodeCount", "assignments", "devices", ...states, "failures", "readError"];
  return stringify(rows, { header: true, columns: withTenant ? ["tenantId", ...columns] : columns });
}

program
  .command("emulator")
  .description("start a local Microsoft Graph for these endpoints, for trying the package and testing a portal")
  .addOption(new Option("--port <n>", "the port (default: a free one)").argParser(Number))
  .addOption(new Option("--pools <n>", "example pools to start with, device states included (per tenant)").argParser(Number).default(3))
  .addOption(new Option("--tenants <n>", "serve this many tenants, each with its own pools and token (default: one, with the test token)").argParser(Number))
  .addOption(
    new Option("--scale <factor>", `shrink Intune's ${seconds(FACTS.intuneLimits.windowMs)} window by this factor, for fast tests (0.05: ${seconds(FACTS.intuneLimits.windowMs * 0.05)})`).argParser(Number),
  )
  .option("--no-limits", "answer every request, with no 429 for going over Intune's limits")
  .addOption(
    new Option("--target-shape <shape>", "targets as Intune answers them (both filter properties; no filter: the zero id and none) or exactly as written (docs)")
      .choices(["intune", "docs"])
      .default("intune"),
  )
  .option("--json", "print the emulator's address and token (with --tenants, each tenant's id and token) as JSON")
  .action(async (opts) => {
    if (opts.tenants !== undefined && !(Number.isInteger(opts.tenants) && opts.tenants >= 1)) throw new UsageError("--tenants takes a whole number of tenants, 1 or more");
    const { startGraphEmulator, serveGraphEmulator } = await import("./emulator.js");
    // Each tenant gets the emulator's own token, which names its tenant (tid) for a client to read.
    const where = opts.tenants === undefined ? { pools: opts.pools } : { tenants: Array.from({ length: opts.tenants }, () => ({ pools: opts.pools })) };
    const options = { port: opts.port, ...where, scale: opts.scale, limits: opts.limits ? undefined : false, targetShape: opts.targetShape };
    const em = opts.json ? await startGraphEmulator(options) : await serveGraphEmulator(options);
    const tenants = em.tenants.map((t) => ({ tenantId: t.tenantId, token: t.token }));
    if (opts.json) console.log(JSON.stringify({ baseUrl: em.baseUrl, token: em.token, ...(opts.tenants === undefined ? {} : { tenants }) }));
    else console.log(`Try it: GRAPH_TOKEN=${em.token} npx intune-esim report --base-url ${em.baseUrl}   (Ctrl+C stops the emulator)`);
    await new Promise((resolve) => process.once("SIGINT", resolve).once("SIGTERM", resolve));
    await em.close();
  });

/** A duration for help texts: `20 s`. */
function seconds(ms) {
  return `${ms / 1000} s`;
}

/** A progress bar on a terminal (on stderr, so the output stays clean), else none. */
function progressBar(opts, format) {
  if (!process.stderr.isTTY || opts.json) return null;
  return new cliProgress.SingleBar({ format, stream: process.stderr }, cliProgress.Presets.shades_classic);
}

/** An error as JSON, with the properties a script needs and never more (never the token). */
function errorJson(e) {
  if (!(e instanceof Error)) return { name: "Error", message: String(e) };
  if (e instanceof CommanderError) return { name: "UsageError", message: e.message.replace(/^error: /, "") };
  const { status, code, requestId, clientRequestId, issues } = e;
  return { name: e.name, message: e.message, status, code, requestId, clientRequestId, issues };
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const usage = e instanceof CommanderError || e instanceof UsageError || e instanceof ValidationError;
  // --help and --version end commander with exit code 0.
  process.exitCode = e instanceof CommanderError && e.exitCode === 0 ? 0 : usage ? EXIT_USAGE : EXIT_FAILED;
  if (process.exitCode === 0) {
    // Nothing to say.
  } else if (wantsJson) {
    console.error(JSON.stringify({ error: errorJson(e) }));
  } else if (e instanceof CommanderError) {
    // Commander has printed it.
  } else if (e instanceof UsageError) {
    console.error(`intune-esim: ${e.message}`);
  } else if (e instanceof ValidationError) {
    console.error(`intune-esim: ${e.issues.map((i) => `${i.path}: ${i.message}`).join("\n  ")}`);
  } else {
    // A Graph, network or timeout failure: the message says what happened and never holds the token.
    console.error(`intune-esim: ${e instanceof IntuneEsimError || e instanceof Error ? e.message : String(e)}`);
    if (e?.requestId) console.error(`  request-id ${e.requestId}, client-request-id ${e.clientRequestId}`);
  }
}
