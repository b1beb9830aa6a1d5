// Row 2, in a fresh process: `node bench/first-call.mjs <app> <baseUrl> <token> <poolId>` imports
// one app, makes its first call (answer checked) and prints its times in ms.
//
// Node loads its fetch lazily (undici, its HTTP parser, a connection): tens of ms, paid by any app
// on its first request, inside or outside the first call's promise depending on when the library
// calls fetch. This process pays it first, outside the clock, with one request the emulator does
// not record, so the times are the app's and its library's own; `freshToFirstPromise` adds them to
// Node's own start (process start, performance.timeOrigin, to this script's first line).
import { performance } from "node:perf_hooks";
import { groupAssignments, checkAnswer } from "./assignments.mjs";

const nodeStart = performance.now();
const [app, baseUrl, token, poolId] = process.argv.slice(2);
const assignments = groupAssignments(1);
await (await fetch(`${new URL(baseUrl).origin}/_emulator/requests?poolId=none`)).arrayBuffer();

const importing = performance.now();
const { connect } = await import(`./apps/${app}.mjs`);
const call = connect({ baseUrl, token });
const ready = performance.now();
const promise = call(poolId, assignments);
const firstPromise = performance.now();
checkAnswer(await promise, assignments);
const answered = performance.now();

console.log(JSON.stringify({
  nodeStart,
  importToReady: ready - importing,
  importToFirstPromise: firstPromise - importing,
  importToFirstAnswer: answered - importing,
  freshToFirstPromise: nodeStart + firstPromise - importing,
}));
