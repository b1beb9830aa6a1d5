// Graph's facts are written once, in the package's facts.json: the emulator, which stands for
// Graph, and the CLI read it, and tests/facts.rs holds the Rust core's constants to it. These
// tests hold the package as it ships to the same facts through what it does: every target kind
// the package takes is one the emulator takes, with the same id property; the package and the
// emulator agree on which activation codes are valid (the way round tests/facts.rs cannot check);
// the emulator's exported facts are the file's; and assignMany, as it ships, keeps the file's
// default concurrency and Intune's write pace.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pkg, emulator, SECRET_TOKEN, DEVICE_STATES, INTUNE_LIMITS, BATCH_LIMIT } from "./helpers.mjs";

const require = createRequire(fileURLToPath(new URL("../.packed/package.json", import.meta.url)));
const FACTS = JSON.parse(readFileSync(join(dirname(require.resolve("intune-esim/package.json")), "facts.json"), "utf8"));

const GROUP = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
let em;
before(async () => {
  em = await emulator();
});
after(() => em.close());

/** Graph's answer to `body` at `path`. */
const send = (method, path, body) =>
  fetch(`${em.baseUrl}/deviceManagement/embeddedSIMActivationCodePools${path}`, {
    method,
    headers: { Authorization: `Bearer ${em.token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

/** The package's issues for `assignments`, checked by previewAssign (nothing is sent). */
async function issuesOf(assignments) {
  try {
    await pkg.previewAssign(em.poolIds[0], assignments);
    return [];
  } catch (e) {
    assert.ok(e instanceof pkg.ValidationError, String(e));
    return e.issues;
  }
}

test("every target kind the package takes, the emulator takes, with the same id property", async () => {
  // The package names the kinds it takes when given one it does not.
  const [unknown] = await issuesOf([{ target: { "@odata.type": "#microsoft.graph.noSuchTarget" } }]);
  const kinds = [...new Set(unknown.message.match(/#microsoft\.graph\.\w+/g))];
  assert.ok(kinds.length >= 5, unknown.message);
  for (const kind of kinds) {
    // The id property the package asks for, if any: the issue of a target without one.
    const missing = (await issuesOf([{ target: { "@odata.type": kind } }])).map((i) => i.path.split(".").pop());
    const id = missing[0];
    const target = { "@odata.type": kind, ...(id ? { [id]: id === "groupId" ? GROUP : "SMS00001" } : {}) };
    assert.deepEqual(await issuesOf([{ target }]), [], kind);
    const taken = await send("POST", `/${em.poolIds[0]}/assign`, { assignments: [{ target }] });
    assert.equal(taken.status, 200, `${kind}: ${await taken.text()}`);
    if (id) {
      const refused = await send("POST", `/${em.poolIds[0]}/assign`, { assignments: [{ target: { "@odata.type": kind } }] });
      assert.equal(refused.status, 400, `${kind} without ${id}: the emulator must refuse it too`);
    }
  }
});

test("the package and the emulator agree on which activation codes are valid", async () => {
  const good = { integratedCircuitCardIdentifier: "8988247000000000001", matchingIdentifier: "A1-B2", smdpPlusServerAddress: "smdp.example.com" };
  const variants = [
    {},
    { integratedCircuitCardIdentifier: "89882470000000000012" },
    { integratedCircuitCardIdentifier: "898824700000000001" },
    { integratedCircuitCardIdentifier: "898824700000000000123" },
    { integratedCircuitCardIdentifier: "8988247000000000x01" },
    { matchingIdentifier: "" },
    { matchingIdentifier: "A_1" },
    { matchingIdentifier: "a-b-c-1" },
    { smdpPlusServerAddress: "smdp" },
    { smdpPlusServerAddress: "smdp.example.c" },
    { smdpPlusServerAddress: "-smdp.example.com" },
    { smdpPlusServerAddress: "sm-dp.plus.example.com" },
    { smdpPlusServerAddress: "smdp..example.com" },
  ];
  const verdicts = new Set();
  for (const change of variants) {
    const code = { ...good, ...change };
    const pool = { displayName: "Facts", activationCodes: [code] };
    // The package's verdict, with a fetch of the test's own so nothing is sent on a pass.
    let sent = false;
    const fetch = async () => ((sent = true), new Response("{}", { status: 500 }));
    const packageTakes = await pkg.createPool(pool, SECRET_TOKEN, { fetch, maxRetries: 0 }).then(
      () => true,
      (e) => !(e instanceof pkg.ValidationError) && sent,
    );
    const graph = await send("POST", "", pool);
    assert.equal(packageTakes, graph.status === 201, `${JSON.stringify(change)}: package ${packageTakes}, emulator ${graph.status}`);
    verdicts.add(packageTakes);
  }
  assert.deepEqual([...verdicts].sort(), [false, true], "the variants hold codes both take and codes both refuse");
});

test("the emulator's exported facts are the file's", () => {
  assert.deepEqual(DEVICE_STATES, FACTS.deviceStates);
  assert.deepEqual({ ...INTUNE_LIMITS }, FACTS.intuneLimits);
  assert.equal(BATCH_LIMIT, FACTS.batchSize);
});

test("assignMany keeps the file's defaults: that many pools in flight and no more, writes no faster than Intune's limit", async () => {
  // Every request waits until the test lets it go, so each pool in flight holds one: how many
  // arrive is how many are in flight. Writes are paced about 200 ms apart (Intune's 100 per 20 s),
  // so one more pool in flight would arrive well within the time waited after the last.
  const expected = FACTS.concurrency;
  const held = [];
  const arrivals = [];
  let released = false;
  const refused = () => new Response('{"error":{"code":"BadRequest","message":"Refused by the test."}}', { status: 400, headers: { "Content-Type": "application/json" } });
  const fetch = () => {
    if (released) return Promise.resolve(refused());
    arrivals.push(performance.now());
    return new Promise((resolve) => held.push(() => resolve(refused())));
  };
  const poolIds = Array.from({ length: expected * 2 + 1 }, (_, i) => `3f1e2d4c-5b6a-4978-8695-${String(i).padStart(12, "0")}`);
  const assignment = { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } };
  const results = pkg.assignMany(poolIds, [assignment], SECRET_TOKEN, { fetch, maxRetries: 0 });
  const until = Date.now() + 20_000;
  while (held.length < expected && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 1_500));
  const inFlight = held.length;
  released = true;
  held.forEach((release) => release());
  const settled = await results;
  assert.equal(inFlight, expected, `${inFlight} pools were in flight at once`);
  // The write pace: on average, no faster than the limit allows (a busy machine only slows it; the
  // 10% spare is for the first write's own time to reach fetch, which the later ones may not take).
  // The first write's share of time is spent after it, so a fresh pace lets the second go with
  // it (the one write a pace saves up); from the second on, one per share.
  const gap = (arrivals[inFlight - 1] - arrivals[1]) / (inFlight - 2);
  const allowed = FACTS.intuneLimits.windowMs / FACTS.intuneLimits.writes;
  assert.ok(gap >= allowed * 0.9, `writes ${gap.toFixed(0)} ms apart, where Intune allows one per ${allowed} ms`);
  assert.equal(settled.length, poolIds.length);
  assert.ok(settled.every((r) => !r.ok && r.error.status === 400), "every pool was refused by the test's fetch");
});
