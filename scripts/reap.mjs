// Nothing `npm test` starts may outlive it: no Chromium, chromedriver, emulator or dev server,
// whether a step passed, failed or was killed. A runner that gives up on a browser can kill
// chromedriver and leave the Chromium it started running, re-parented away from any process
// group we know of, so processes are found by a mark in their environment instead: every step
// runs with MARK_NAME set to the run's own value, which every process it starts inherits.
import { readdirSync, readFileSync } from "node:fs";

export const MARK_NAME = "INTUNE_ESIM_TEST_RUN";

/** The processes that carry `mark`, other than this one, and their descendants: a browser
 * overwrites its helpers' environment with their titles, so they are found as its children.
 * Linux's /proc; none elsewhere. */
export function marked(mark) {
  const needle = `${MARK_NAME}=${mark}`;
  let pids;
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return [];
  }
  const parent = new Map();
  const children = new Map();
  const found = new Set();
  for (const pid of pids) {
    try {
      // The parent is the field after the command's closing parenthesis and the state.
      const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(pid, ppid);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
      if (readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(needle)) found.add(pid);
    } catch {
      // gone already, or not ours to read
    }
  }
  // Never this process or one it runs under.
  const spared = new Set();
  for (let p = process.pid; p > 0 && !spared.has(p); p = parent.get(p) ?? 0) spared.add(p);
  for (const pid of found) for (const child of children.get(pid) ?? []) found.add(child);
  return [...found].filter((pid) => !spared.has(pid));
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
