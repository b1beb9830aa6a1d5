// Nothing `npm test` starts may outlive it: no Chromium, chromedriver, emulator or dev server,
// whether a step passed, failed or was killed. A runner that gives up on a browser can kill
// chromedriver and leave the Chromium it started running, re-parented away from any process
// group we know of, so processes are found by a mark in their environment instead: every step
// runs with MARK_NAME set to the run's own value, which every process it starts inherits.
import { readdirSync, readFileSync } from "node:fs";

export const MARK_NAME = "INTUNE_ESIM_TEST_RUN";

/** The processes that carry `mark`, other than this one. Linux's /proc; none elsewhere. */
export function marked(mark) {
  const needle = `${MARK_NAME}=${mark}`;
  let pids;
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return [];
  }
  return pids.filter((pid) => {
    if (pid === process.pid) return false;
    try {
      return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(needle);
    } catch {
      return false; // gone already, or not ours to read
    }
  });
}

/** Kills every process marked `mark`, again until none is left (a dying parent may start one more). */
export function reap(mark) {
  const killed = new Set();
  for (let round = 0; round < 10; round++) {
    const left = marked(mark);
    if (left.length === 0) break;
    for (const pid of left) {
      try {
        process.kill(pid, "SIGKILL");
        killed.add(pid);
      } catch {
        // already gone
      }
    }
    // Let the kernel take them away before looking again (a zombie keeps its environ unreadable).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  return [...killed];
}
