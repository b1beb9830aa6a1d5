#!/usr/bin/env node
// intune-esim: the command line, for terminals and scripts.
//
// The token comes from an environment variable (--token-env, default GRAPH_TOKEN) or, when
// @azure/identity is installed, from DefaultAzureCredential; never from a flag's value, which
// would land in shell history, and it is never printed. Exit codes: 0 done, 1 a Graph or network
// failure, 2 bad usage or invalid input.
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import cliProgress from "cli-progress";
import {
  assign,
  assignMany,
  listAssignments,
  listPools,
  previewAssign,
  ValidationError,
  IntuneEsimError,
} from "./index.mjs";

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

const program = new Command("intune-esim")
  .description("Assign Intune eSIM activation code pools through Microsoft Graph")
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) })
  .showHelpAfterError("(run with --help for usage)");

/** The options every command that calls Graph takes. */
function withConnection(cmd) {
  return cmd
    .option("--base-url <url>", "Graph's root, for national clouds", "https://graph.microsoft.com/beta")
    .option("--token-env <name>", "the environment variable holding the access token", "GRAPH_TOKEN")
    .option("--json", "print JSON instead of text");
}

/** The target flags of assign and assign-many, turned into Graph's assignment objects. */
function withTargets(cmd) {
  const many = (v, list = []) => [...list, v];
  return cmd
    .option("--group <id>", "an Entra ID group to include (repeatable)", many)
    .option("--exclude-group <id>", "an Entra ID group to exclude (repeatable)", many)
    .option("--collection <id>", "a Configuration Manager collection (repeatable)", many)
    .option("--all-devices", "all managed devices")
    .option("--all-users", "all licensed users")
    .option("--filter <id:mode>", "an assignment filter for every target: <filter id>:include or :exclude")
    .option("--dry-run", "print the request that would be sent (token masked) and send nothing");
}

function assignmentsFrom(opts) {
  const filter = {};
  if (opts.filter !== undefined) {
    const [id, mode, ...rest] = String(opts.filter).split(":");
    if (!id || !["include", "exclude"].includes(mode) || rest.length) {
      throw new UsageError("--filter takes <filter id>:include or <filter id>:exclude");
    }
    filter.deviceAndAppManagementAssignmentFilterId = id;
    filter.deviceAndAppManagementAssignmentFilterType = mode;
  }
  const target = (type, extra = {}) => ({ target: { "@odata.type": `#microsoft.graph.${type}`, ...extra, ...filter } });
  const list = [
    ...(opts.allDevices ? [target("allDevicesAssignmentTarget")] : []),
    ...(opts.allUsers ? [target("allLicensedUsersAssignmentTarget")] : []),
    ...(opts.group ?? []).map((groupId) => target("groupAssignmentTarget", { groupId })),
    ...(opts.excludeGroup ?? []).map((groupId) => target("exclusionGroupAssignmentTarget", { groupId })),
    ...(opts.collection ?? []).map((collectionId) => target("configurationManagerCollectionAssignmentTarget", { collectionId })),
  ];
  if (list.length === 0) {
    // assign replaces the whole set: an empty list would silently remove every assignment.
    throw new UsageError("name at least one target: --group, --exclude-group, --collection, --all-devices or --all-users");
  }
  return list;
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
  const id = t.groupId ?? t.collectionId ?? "";
  const f = t.deviceAndAppManagementAssignmentFilterType;
  const filter = f && f !== "none" ? ` (filter ${t.deviceAndAppManagementAssignmentFilterId}: ${f})` : "";
  return `${kind}${id ? ` ${id}` : ""}${filter}`;
};

async function dryRun(poolId, assignments, opts) {
  const r = await previewAssign(poolId, assignments, callOptions(opts));
  print(opts, r, () =>
    [`${r.method} ${r.url}`, ...r.headers.map(([k, v]) => `${k}: ${v}`), "", JSON.stringify(JSON.parse(r.body), null, 2)].join("\n"),
  );
}

withTargets(withConnection(program.command("assign")))
  .description("replace a pool's assignments with the given targets")
  .requiredOption("--pool <id>", "the pool's id")
  .action(async (opts) => {
    const assignments = assignmentsFrom(opts);
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

const assignments = program.command("assignments").description("a pool's assignments");
withConnection(assignments.command("list"))
  .description("list a pool's assignments")
  .requiredOption("--pool <id>", "the pool's id")
  .action(async (opts) => {
    const list = await listAssignments(opts.pool, await tokenFrom(opts), callOptions(opts));
    print(opts, list, () => list.map(describe).join("\n") || "No assignments: the pool is assigned to nobody.");
  });

withTargets(withConnection(program.command("assign-many")))
  .description("give many pools the same assignments, paced under Intune's write limit")
  .requiredOption("--pools-file <file>", "pool ids, one per line (blank lines and # comments skipped)")
  .addOption(new Option("--concurrency <n>", "pools in flight at once").argParser(Number).default(4))
  .action(async (opts) => {
    const assignmentList = assignmentsFrom(opts);
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
    const bar = process.stderr.isTTY && !opts.json
      ? new cliProgress.SingleBar({ format: "{bar} {value}/{total} pools | {failed} failed | {eta_formatted} left", stream: process.stderr }, cliProgress.Presets.shades_classic)
      : null;
    let failed = 0;
    bar?.start(poolIds.length, 0, { failed });
    const results = await assignMany(poolIds, assignmentList, await tokenFrom(opts), {
      ...callOptions(opts),
      concurrency: opts.concurrency,
      onProgress: ({ done, total, poolId, ok }) => {
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

/** An error as JSON, with the properties a script needs and never more. */
function errorJson(e) {
  if (!(e instanceof Error)) return { message: String(e) };
  const { status, code, requestId, clientRequestId, issues } = e;
  return { name: e.name, message: e.message, status, code, requestId, clientRequestId, issues };
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
  } else if (e instanceof UsageError) {
    console.error(`intune-esim: ${e.message}`);
    process.exitCode = EXIT_USAGE;
  } else if (e instanceof ValidationError) {
    console.error(`intune-esim: ${e.issues.map((i) => `${i.path}: ${i.message}`).join("\n  ")}`);
    process.exitCode = EXIT_USAGE;
  } else {
    // A Graph, network or timeout failure: the message says what happened and never holds the token.
    console.error(`intune-esim: ${e instanceof IntuneEsimError || e instanceof Error ? e.message : String(e)}`);
    if (e?.requestId) console.error(`  request-id ${e.requestId}, client-request-id ${e.clientRequestId}`);
    process.exitCode = EXIT_FAILED;
  }
}
