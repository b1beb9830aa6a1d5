// What the framework tests share, beyond the bundler matrix's harness (tests/bundlers/harness.mjs:
// app folders from the tarball, the emulator, Chromium, serving, the first call's bytes): the
// README's examples, each a file here shown word for word; the README's portal page driven as a
// person would (its form, three times: an answer, a ValidationError, a GraphError); the tools'
// binaries; and the long-running commands (dev servers), each ended with its children.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE_POOL_ID, MISSING_POOL, TOKEN, bytesLine, open, root } from "../bundlers/harness.mjs";

const readme = readFileSync(join(root, "README.md"), "utf8");

/** The README's code block marked `<!-- path -->` (a path from the repository's root) equals the file. */
export function readmeShows(path, lang) {
  const marker = `<!-- ${path} -->\n\`\`\`${lang}\n`;
  const start = readme.indexOf(marker);
  assert.ok(start >= 0, `the README has a block for ${path}`);
  const block = readme.slice(start + marker.length, readme.indexOf("```\n", start + marker.length));
  assert.equal(block, readFileSync(join(root, path), "utf8"), `the README shows ${path} word for word`);
}

/** The first of `candidates` that is a real binary (a placeholder is a few hundred bytes), else a clear failure. */
export function binary(candidates) {
  const found = candidates.find((f) => existsSync(f) && statSync(f).size > 1_000_000);
  assert.ok(found, `one of ${candidates.join(", ")} is installed (npm test's setup installs it)`);
  return found;
}

/**
 * Runs a command to its end without blocking this process (whose emulator must answer it):
 * `{ status, stdout, stderr }`.
 */
export function ran(cmd, args, { cwd, env = {}, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", timeout: timeoutMs }, (error, stdout, stderr) =>
      resolve({ status: error ? (error.code ?? null) : 0, signal: error?.signal ?? null, stdout, stderr }),
    );
  });
}

/**
 * Starts a long-running command (a dev server) in a process group of its own, and resolves once
 * its output matches `ready` (to the match), or fails after `timeoutMs`. `stop()` ends the whole
 * group (the command's own children too), and is safe to call twice; the caller registers it with
 * `t.after` once its page is open, so that the page is closed first (a dev server's live-reload
 * socket cut under an open page is logged as an error).
 */
export async function started(cmd, args, { cwd, env = {}, ready, timeoutMs = 120_000 }) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let stopped = false;
  const stop = () => {
    if (stopped || child.exitCode !== null) return Promise.resolve();
    stopped = true;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    // A server that ignores SIGTERM is killed after a few seconds.
    const force = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, 5_000);
    return exited.finally(() => clearTimeout(force));
  };
  try {
    const match = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${cmd} ${args.join(" ")} was not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const seen = (chunk) => {
        // Without the terminal's colours, which some servers print around their address.
        output += String(chunk).replace(/\x1b\[[0-9;]*m/g, "");
        const m = ready.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      };
      child.stdout.on("data", seen);
      child.stderr.on("data", seen);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${cmd} ${args.join(" ")} ended (${code}) before it was ready:\n${output}`));
      });
    });
    return { match, stop, output: () => output };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * The README's portal page at `url` (its form: Graph, Pool id, Access token, and the answer in its
 * <output>), used as a person would: an assign that answers, a pool id that is not a GUID (a
 * ValidationError) and a pool that does not exist (a GraphError). Resolves to the first call's
 * bytes, taken as soon as its answer is shown, and every response of the page.
 */
export async function formWorks(t, env, url, { expected, devServer = false } = {}) {
  const opened = await open(t, env, url, { expected });
  const { page } = opened;
  const output = page.locator("output");
  const submit = async (poolId) => {
    const before = (await output.textContent()).trim();
    await page.getByLabel("Graph", { exact: true }).fill(env.emulator.baseUrl);
    await page.getByLabel("Pool id", { exact: true }).fill(poolId);
    await page.getByLabel("Access token", { exact: true }).fill(TOKEN);
    await page.getByRole("button", { name: "Assign to all devices" }).click();
    await page.waitForFunction((b) => document.querySelector("output").textContent.trim() !== b, before);
    const shown = (await output.textContent()).trim();
    assert.ok(!shown.includes("SECRET"), "the token is not shown");
    return shown;
  };
  assert.equal(await submit(EXAMPLE_POOL_ID), "Assigned: #microsoft.graph.allDevicesAssignmentTarget");
  const bytes = await opened.firstCall();
  // A dev server's are unminified, with its own client: printed, but not a portal's cost.
  t.diagnostic(`${devServer ? "dev server, unminified: " : ""}${bytesLine(bytes)}`);
  assert.match(await submit("not-a-guid"), /^ValidationError: poolId: must be a GUID/);
  assert.match(await submit(MISSING_POOL), /^GraphError 404: /);
  return { ...bytes, responses: opened.responses };
}

/**
 * The README's script, run once per pool id by `run(poolId)` (resolving to `{ status, stdout,
 * stderr }`): an answer, a ValidationError for a pool id that is not a GUID (exit 2), a GraphError
 * for a pool that does not exist (exit 1), and the token printed nowhere.
 */
export async function scriptWorks(run) {
  const checked = async (poolId) => {
    const r = await run(poolId);
    assert.ok(!`${r.stdout}${r.stderr}`.includes("SECRET"), "the token is not printed");
    return r;
  };
  const assigned = await checked(EXAMPLE_POOL_ID);
  assert.equal(assigned.status, 0, assigned.stderr);
  assert.equal(assigned.stdout, "Assigned: #microsoft.graph.allDevicesAssignmentTarget\n");
  const invalid = await checked("not-a-guid");
  assert.equal(invalid.status, 2, invalid.stderr);
  assert.match(invalid.stderr, /^ValidationError: poolId: must be a GUID/m);
  const refused = await checked(MISSING_POOL);
  assert.equal(refused.status, 1, refused.stderr);
  assert.match(refused.stderr, /^GraphError 404: /m);
}
