// Graph's facts live twice: in the package (the Rust core's rules) and in the emulator, which
// stands for Graph. Neither is copied from the other, so these tests hold the two to each other:
// every target kind the package takes is one the emulator takes, with the same id property, and
// the package and the emulator agree on which activation codes are valid.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pkg, emulator, SECRET_TOKEN } from "./helpers.mjs";

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
