// Row 3: the cost of one call against the local emulator on loopback, for each app: calls per
// second (wall clock) and CPU microseconds per call (process.cpuUsage of this process, which runs
// no emulator), one call at a time and 32 in flight, with a small and a large body. Every call's
// answer is checked, and every run's requests are counted at the emulator.
import { performance } from "node:perf_hooks";
import { groupAssignments, checkAnswer } from "./assignments.mjs";
import { calibrate, fits } from "./calibrate.mjs";
import { summary, rotate } from "./stats.mjs";

export const BODIES = [1, 1000];
export const IN_FLIGHT = [1, 32];

/** `calls` calls of `call`, `inFlight` at a time; `{ seconds, cpuMicros }`. */
async function run(call, poolId, assignments, calls, inFlight) {
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started += 1;
      checkAnswer(await call(poolId, assignments), assignments);
    }
  };
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return { seconds, cpuMicros: user + system };
}

/**
 * `apps` maps a name to its module (`connect`). For each body and concurrency: every app warms up
 * (which sizes its runs to about `runSeconds`), then up to `runs` runs each, the apps' order
 * rotated from run to run; an app stops early when its runs would pass `capSeconds`.
 */
export async function measurePerCall({ apps, emulator, runs, runSeconds, capSeconds, log }) {
  const names = Object.keys(apps);
  const callers = {};
  const pools = {};
  for (const name of names) {
    callers[name] = apps[name].connect({ baseUrl: emulator.baseUrl, token: emulator.token });
    pools[name] = await emulator.addPool();
  }
  const batch = (name, assignments, inFlight) => async (calls) => {
    const r = await run(callers[name], pools[name], assignments, calls, inFlight);
    const seen = await emulator.take();
    if (seen.requests !== calls || seen.tokenMatched !== calls) {
      throw new Error(`${name}: ${calls} calls, but the emulator saw ${seen.requests} requests (${seen.tokenMatched} with the token)`);
    }
    return r;
  };

  const results = [];
  for (const size of BODIES) {
    const assignments = groupAssignments(size);
    for (const inFlight of IN_FLIGHT) {
      const state = {};
      for (const name of names) {
        const b = batch(name, assignments, inFlight);
        const c = await calibrate(b, { minCalls: inFlight, runSeconds, capSeconds });
        state[name] = { batch: b, ...c, samples: c.first ? [c.first] : [], warmedUp: !c.first };
      }
      for (let r = 0; r < runs; r++) {
        for (const name of rotate(names, r)) {
          const s = state[name];
          const secondsPerRun = s.samples.length ? s.samples.at(-1).seconds : 0;
          if (!s.warmedUp || !fits({ done: s.samples.length, spentSeconds: s.spentSeconds, secondsPerRun, capSeconds })) continue;
          const sample = await s.batch(s.callsPerRun);
          s.spentSeconds += sample.seconds;
          s.samples.push({ calls: s.callsPerRun, ...sample });
        }
      }
      const row = { assignments: size, inFlight, apps: {} };
      for (const name of names) {
        const { samples, warmedUp, callsPerRun } = state[name];
        row.apps[name] = {
          callsPerRun,
          warmedUp,
          callsPerSecond: summary(samples.map((s) => s.calls / s.seconds)),
          cpuMicrosPerCall: summary(samples.map((s) => s.cpuMicros / s.calls)),
        };
      }
      log?.(`per call, ${size} assignment(s), ${inFlight} in flight: ${names.map((n) => `${n} ${Math.round(row.apps[n].callsPerSecond.median)}/s`).join(", ")}`);
      results.push(row);
    }
  }
  return results;
}
