// Row 2: start-up in Node, each run in a fresh `node` process, the apps' order rotated from run to
// run: import to ready, to the first call's promise and to its answer, a fresh process to the first
// promise (see first-call.mjs), and the wasm's compile and instantiation alone.
import { runChild } from "./child.mjs";
import { summary, rotate } from "./stats.mjs";

export async function measureStartup({ apps, emulator, runs, log }) {
  const poolId = await emulator.addPool();
  const samples = Object.fromEntries(apps.map((a) => [a, []]));
  const wasm = [];
  for (let r = -1; r < runs; r++) {
    // Run -1 warms the file system cache and is not counted.
    for (const app of rotate(apps, Math.max(r, 0))) {
      const s = await runChild("first-call.mjs", [app, emulator.baseUrl, emulator.token, poolId]);
      if (r >= 0) samples[app].push(s);
    }
    const w = await runChild("instantiate.mjs");
    if (r >= 0) wasm.push(w);
  }
  const seen = await emulator.take();
  if (seen.tokenMatched !== (runs + 1) * apps.length) throw new Error(`start-up: the emulator saw ${seen.tokenMatched} good requests`);

  const result = { apps: {}, wasm: { compileMs: summary(wasm.map((w) => w.compile)), instantiateMs: summary(wasm.map((w) => w.instantiate)) } };
  for (const app of apps) {
    const s = samples[app];
    result.apps[app] = Object.fromEntries(
      ["nodeStart", "importToReady", "importToFirstPromise", "importToFirstAnswer", "freshToFirstPromise"].map((k) => [`${k}Ms`, summary(s.map((x) => x[k]))]),
    );
  }
  log?.(`start-up: ${apps.map((a) => `${a} ${result.apps[a].importToFirstPromiseMs.median.toFixed(1)} ms`).join(", ")}`);
  return result;
}
