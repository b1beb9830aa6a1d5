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
    assert.equal(bystander.exitCode, null, "a process of another mark is left alone");
    assert.equal(bystander.signalCode, null);
  } finally {
    bystander.kill("SIGKILL");
  }
});
