// The warm-up of one contender, which also sizes its runs: batches of `minCalls` calls, doubling,
// until one batch lasts `runSeconds / 2`. A contender slower than the cap gets no warm-up beyond
// its first batch, which then counts as its one run (see `measured` below).

/**
 * `batch(calls)` resolves to `{ seconds, ... }`. Resolves to `{ callsPerRun, spentSeconds, first }`:
 * `first` is the first batch's result when that batch alone took `capSeconds` or more.
 */
export async function calibrate(batch, { minCalls, runSeconds, capSeconds }) {
  let calls = minCalls;
  let spentSeconds = 0;
  for (;;) {
    const r = await batch(calls);
    spentSeconds += r.seconds;
    if (calls === minCalls && r.seconds >= capSeconds) return { callsPerRun: minCalls, spentSeconds, first: { calls, ...r } };
    if (r.seconds >= runSeconds / 2 || spentSeconds >= capSeconds / 3) {
      const perCall = r.seconds / calls;
      return { callsPerRun: Math.max(minCalls, Math.round(runSeconds / perCall / minCalls) * minCalls), spentSeconds };
    }
    calls *= 2;
  }
}

/** Whether another run of `callsPerRun` fits in the cap, given the time spent; the first always does. */
export function fits({ done, spentSeconds, secondsPerRun, capSeconds }) {
  return done === 0 || spentSeconds + secondsPerRun <= capSeconds;
}
