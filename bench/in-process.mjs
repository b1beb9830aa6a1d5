// Row 4, run in a fresh process (`node bench/in-process.mjs`, prints JSON): validation and request
// building alone. The call's `fetch` option answers at once with a ready `{"value":[]}`, so a call
// costs checking the input, building the request (body included) and reading a tiny answer.
// The peak wasm memory of the 10,000-assignment call is read on a fresh instance of the same
// module (the package's own is out of reach inside its bundled entry), checking the same
// assignments and building the same request (its previewAssign): wasm memory only grows, so its
// size after the call is the most the call needed.
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { assign } from "intune-esim";
import { groupAssignments } from "./assignments.mjs";
import { calibrate, fits } from "./calibrate.mjs";
import { summary } from "./stats.mjs";

export const SIZES = [1, 100, 10_000];
const [runs, runSeconds, capSeconds] = process.argv.slice(2).map(Number);
const POOL = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";

const pkgDir = dirname(createRequire(import.meta.url).resolve("intune-esim/package.json"));
const glue = await import(pathToFileURL(realpathSync(join(pkgDir, "dist/intune_esim.js"))).href);
const { memory } = glue.initSync({ module: readFileSync(join(pkgDir, "dist/intune_esim_bg.wasm")) });
if (!(memory instanceof WebAssembly.Memory)) throw new Error("the glue's exports have no memory");

let sent;
const answer = async (url, init) => {
  sent = init.body;
  return new Response('{"value":[]}', { status: 200, headers: { "Content-Type": "application/json" } });
};
const options = { fetch: answer };

/** `calls` sequential calls with `assignments`; `{ seconds, cpuSeconds }`. */
async function batch(assignments, calls) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const value = await assign(POOL, assignments, "bench-token", options);
    if (!Array.isArray(value) || value.length !== 0) throw new Error("unexpected answer");
  }
  const seconds = (performance.now() - t0) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (user + system) / 1e6 };
}

/** The body sent must hold every assignment (the work was really done); its size in bytes. */
function checkSent(n) {
  const body = JSON.parse(sent);
  if (body.assignments?.length !== n) throw new Error(`the body sent holds ${body.assignments?.length} assignments, not ${n}`);
  return Buffer.byteLength(sent);
}

const largest = groupAssignments(SIZES.at(-1));
const memoryBefore = memory.buffer.byteLength;
const planned = await glue.previewAssign(POOL, largest);
const memoryAfter = memory.buffer.byteLength;
if (JSON.parse(planned.body).assignments.length !== largest.length) throw new Error("the core refused the 10,000 assignments");
const first = await batch(largest, 1);
const largestBodyBytes = checkSent(largest.length);

const results = [];
for (const n of SIZES) {
  const assignments = n === largest.length ? largest : groupAssignments(n);
  const b = (calls) => batch(assignments, calls);
  // The first large call already ran: it is this size's first warm-up batch.
  const c = n === largest.length && first.seconds >= capSeconds
    ? { callsPerRun: 1, spentSeconds: first.seconds, first: { calls: 1, ...first } }
    : await calibrate(b, { minCalls: 1, runSeconds, capSeconds });
  const bodyBytes = c.first ? largestBodyBytes : checkSent(n);
  const samples = c.first ? [c.first] : [];
  let spentSeconds = c.spentSeconds;
  while (!c.first && samples.length < runs && fits({ done: samples.length, spentSeconds, secondsPerRun: samples.at(-1)?.seconds ?? 0, capSeconds })) {
    const r = await b(c.callsPerRun);
    spentSeconds += r.seconds;
    samples.push({ calls: c.callsPerRun, ...r });
  }
  results.push({
    assignments: n,
    callsPerRun: c.callsPerRun,
    warmedUp: !c.first,
    assignmentsPerSecond: summary(samples.map((s) => (n * s.calls) / s.seconds)),
    assignmentsPerCpuSecond: summary(samples.map((s) => (n * s.calls) / s.cpuSeconds)),
    bodyBytes,
  });
}

console.log(JSON.stringify({
  sizes: results,
  memory: { assignments: largest.length, beforeBytes: memoryBefore, afterBytes: memoryAfter, afterAllRunsBytes: memory.buffer.byteLength },
}));
