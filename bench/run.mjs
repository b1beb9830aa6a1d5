// `npm run bench` (after the build): measures what pkg/ holds now against Microsoft's Graph client
// and a hand-written fetch, prints one table and writes every number to bench/results.json.
// `--readme` also puts the table into README.md's "Size and speed" section.
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { startEmulatorProcess } from "./emulator.mjs";
import { measureSize } from "./size.mjs";
import { measureStartup } from "./startup.mjs";
import { measurePerCall } from "./per-call.mjs";
import { runChild } from "./child.mjs";
import { measureBulk } from "./bulk.mjs";
import { measureFleet } from "./fleet.mjs";
import { measureTenants } from "./tenants.mjs";
import { formatTable } from "./table.mjs";
import { measureLoading } from "./loading.mjs";

const RUNS = 7; // measured runs per cell, after a warm-up
const RUN_SECONDS = 0.4; // the length of one run of calls
const CAP_SECONDS = 12; // per cell: a contender slower than this gets fewer runs
const APPS = ["ours", "msgraph", "fetch"];

const root = new URL("..", import.meta.url);
const json = (path) => JSON.parse(readFileSync(new URL(path, root), "utf8"));
const log = (line) => console.error(`bench: ${line}`);
const started = Date.now();

const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model?.trim() ?? "unknown",
    cores: os.cpus().length,
    node: process.version,
    os: `${os.platform()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg()[0],
  },
  versions: {
    "intune-esim": json("pkg/package.json").version,
    "@microsoft/microsoft-graph-client": json("node_modules/@microsoft/microsoft-graph-client/package.json").version,
    esbuild: json("node_modules/esbuild/package.json").version,
  },
  settings: { runs: RUNS, runSeconds: RUN_SECONDS, capSeconds: CAP_SECONDS },
};

log("size");
results.size = await measureSize({ apps: APPS });

const emulator = await startEmulatorProcess();
try {
  log("start-up");
  results.startup = await measureStartup({ apps: APPS, emulator, runs: RUNS, log });
  log("per call");
  const apps = Object.fromEntries(await Promise.all(APPS.map(async (a) => [a, await import(`./apps/${a}.mjs`)])));
  results.perCall = await measurePerCall({ apps, emulator, runs: RUNS, runSeconds: RUN_SECONDS, capSeconds: CAP_SECONDS, log });
} finally {
  await emulator.close();
}
log("in-process");
results.inProcess = await runChild("in-process.mjs", [RUNS, RUN_SECONDS, CAP_SECONDS]);
log("loading in Chromium, the default entry and intune-esim/inline");
results.loading = await measureLoading({ runs: RUNS });
log("bulk (500 pools, about a minute)");
results.bulk = await measureBulk();
log("fleet (300 pools, about 20 s)");
results.fleet = await measureFleet();
log("tenants (5 tenants of 300 pools, about 20 s)");
results.tenants = await measureTenants();

results.machine.loadAverageAtEnd = os.loadavg()[0];
results.seconds = (Date.now() - started) / 1000;
const m = results.machine;
const header = [
  `intune-esim ${results.versions["intune-esim"]} bench, ${results.date.slice(0, 16).replace("T", " ")} UTC: ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.os}`,
  `(a) intune-esim, (b) @microsoft/microsoft-graph-client ${results.versions["@microsoft/microsoft-graph-client"]}, (c) a hand-written fetch; ratios of medians.`,
  `Times: median [min-max] of ${RUNS} runs after a warm-up. Load average ${m.loadAverageAtStart.toFixed(1)} at start, ${m.loadAverageAtEnd.toFixed(1)} at end.`,
].join("\n");
results.table = `${header}\n\n${formatTable(results)}`;

console.log(`\n${results.table}\n\n${results.loading.text}\n`);
writeFileSync(new URL("bench/results.json", root), `${JSON.stringify(results, null, 2)}\n`);
log(`done in ${Math.round(results.seconds)} s; every number is in bench/results.json`);

if (process.argv.includes("--readme")) {
  const readme = fileURLToPath(new URL("README.md", root));
  const text = readFileSync(readme, "utf8");
  // The fenced block right after the marker, empty or not.
  const section = /(<!-- bench-table -->\n```text\n)(?:[^`]*\n)?(```\n)/;
  if (!section.test(text)) throw new Error("README.md has no bench table to replace");
  const loading = /(<!-- loading-table -->\n```text\n)(?:[^`]*\n)?(```\n)/;
  if (!loading.test(text)) throw new Error("README.md has no loading table to replace");
  writeFileSync(
    readme,
    text.replace(section, (_, open, close) => `${open}${results.table}\n${close}`).replace(loading, (_, open, close) => `${open}${results.loading.text}\n${close}`),
  );
  log("README.md updated");
}
