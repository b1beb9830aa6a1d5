// A child process of boundary.test.mjs: one hostile call whose failure mode may be to block the
// thread (an exponential walk of shared references) or to kill the wasm instance (a trap), which
// no test could survive in its own process. It makes the call named by argv[2], then a normal
// call against the parent's emulator (argv[3]) in the same instance, and prints one JSON line:
// `{ outcome, name, validation, base, paths, uncaught, after }` (outcome "unsettled" when the
// call's promise never settled). Not a test file of its own.
import { pkg, SECRET_TOKEN } from "./helpers.mjs";

const [, , which, baseUrl] = process.argv;
const POOL = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const GT = "#microsoft.graph.groupAssignmentTarget";
const uncaught = [];
process.on("uncaughtException", (e) => uncaught.push(String(e?.stack ?? e)));
process.on("unhandledRejection", (e) => uncaught.push(String(e?.stack ?? e)));

// Nothing is ever sent for these: a closed port, so a wrong send is a NetworkError, not a write.
const nowhere = { baseUrl: "http://127.0.0.1:9/beta" };
const cases = {
  // A target that holds itself twice: a cycle with two ways round it.
  "target-cycle-twice": () => {
    const t = { "@odata.type": GT };
    t.groupId = t;
    t.again = t;
    return pkg.assign(POOL, [{ target: t }], SECRET_TOKEN, nowhere);
  },
  // An options object that holds itself twice.
  "options-cycle-twice": () => {
    const o = { ...nowhere };
    o.me = o;
    o.again = o;
    return pkg.assign(POOL, [], SECRET_TOKEN, o);
  },
  // An array that holds itself twice, as a groupId.
  "array-cycle-twice": () => {
    const a = [];
    a.push(a, a);
    return pkg.assign(POOL, [{ target: { "@odata.type": GT, groupId: a } }], SECRET_TOKEN, nowhere);
  },
  // No cycle at all: 40 levels of { a: x, b: x }, 80 objects, 2^40 paths.
  "shared-objects-dag": () => {
    let x = {};
    for (let i = 0; i < 40; i++) x = { a: x, b: x };
    return pkg.assign(POOL, [{ target: { "@odata.type": GT, groupId: x } }], SECRET_TOKEN, nowhere);
  },
  // The same for previewAssign, whose assignments are checked the same way.
  "preview-shared-arrays": () => {
    let x = [];
    for (let i = 0; i < 40; i++) x = [x, x];
    return pkg.previewAssign(POOL, x, nowhere);
  },
  // A proxy of an array that claims 2^32 - 1 items.
  "proxy-huge-length": () => {
    const p = new Proxy([], { get: (t, k) => (k === "length" ? 4294967295 : undefined) });
    return pkg.assign(POOL, p, SECRET_TOKEN, nowhere);
  },
  // options.signal: an AbortSignal on the first read, a signal whose `aborted` throws after.
  "signal-getter-changes": () => {
    let reads = 0;
    const options = {
      ...nowhere,
      get signal() {
        reads += 1;
        if (reads === 1) return new AbortController().signal;
        return { get aborted() { throw new Error("aborted read again"); }, addEventListener() {}, removeEventListener() {} };
      },
    };
    return pkg.assign(POOL, [], SECRET_TOKEN, options);
  },
};

const out = { which, uncaught, outcome: "unsettled" };
// A call whose promise never settles lets the event loop empty: say so on the way out.
let printed = false;
const print = () => {
  if (!printed) process.stdout.write(`${JSON.stringify(out)}\n`);
  printed = true;
};
process.on("exit", print);
try {
  const value = await cases[which]();
  Object.assign(out, { outcome: "resolved", value: JSON.stringify(value)?.slice(0, 200) });
} catch (e) {
  Object.assign(out, {
    outcome: "rejected",
    name: e?.name,
    message: String(e?.message).slice(0, 300),
    validation: e instanceof pkg.ValidationError,
    base: e instanceof pkg.IntuneEsimError,
    paths: Array.isArray(e?.issues) ? [...new Set(e.issues.map((i) => i.path))].slice(0, 20) : null,
  });
}
// The same instance, right after: a normal call against the parent's emulator.
try {
  const target = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
  const pool = (await (await fetch(`${new URL(baseUrl).origin}/_emulator/pools`, { method: "POST" })).json()).id;
  const after = await pkg.assign(pool, [{ target }], SECRET_TOKEN, { baseUrl });
  out.after = after.length === 1 && after[0].target["@odata.type"] === target["@odata.type"] ? "ok" : JSON.stringify(after);
} catch (e) {
  out.after = `${e?.name}: ${e?.message}`;
}
print();
process.exit(0);
