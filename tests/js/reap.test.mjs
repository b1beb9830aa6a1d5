// What npm test starts, it ends (scripts/reap.mjs): a process that left its parent and its
// session, as a browser can when its WebDriver is killed, is found by the mark in its environment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { MARK_NAME, marked, reap } from "../../scripts/reap.mjs";

async function until(check, what) {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

test("reap ends every process that carries the run's mark, however detached, and no other", { skip: process.platform !== "linux" && "reads /proc" }, async () => {
  const mark = randomUUID();
  const env = { ...process.env, [MARK_NAME]: mark };
  // A shell that leaves two sleepers behind and exits: one in a session of its own.
  spawn("sh", ["-c", "setsid sleep 300 & sleep 300 & exit 0"], { env, detached: true, stdio: "ignore" }).unref();
  const bystander = spawn("sleep", ["300"], { env: { ...process.env, [MARK_NAME]: randomUUID() }, stdio: "ignore" });
  try {
    await until(() => marked(mark).length === 2, "the two sleepers");
    const left = marked(mark);
    const killed = reap(mark);
    assert.deepEqual(killed.sort(), left.sort());
    assert.deepEqual(marked(mark), []);
    // Were it killed, its exit would be seen within a few event-loop turns: give it time.
    await sleep(300);
    assert.equal(bystander.exitCode, null, "a process of another mark is left alone");
    assert.equal(bystander.signalCode, null);
    bystander.kill("SIGKILL");
    await until(() => bystander.signalCode === "SIGKILL", "the bystander's end, seen as a kill");
  } finally {
    reap(mark);
    bystander.kill("SIGKILL");
  }
});

test("reap ends the children of a marked process whose environment no longer shows the mark", { skip: process.platform !== "linux" && "reads /proc" }, async () => {
  const mark = randomUUID();
  // A browser rewrites its helpers' environment with their titles; `env -u` stands for that here.
  const shell = spawn("sh", ["-c", `env -u ${MARK_NAME} sleep 300 & wait`], { env: { ...process.env, [MARK_NAME]: mark }, stdio: "ignore" });
  try {
    await until(() => marked(mark).length === 2, "the shell and its unmarked child");
    assert.equal(reap(mark).length, 2);
    await until(() => shell.signalCode === "SIGKILL", "the shell's end");
    assert.deepEqual(marked(mark), []);
  } finally {
    reap(mark);
  }
});
