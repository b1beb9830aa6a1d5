// The packed package through CommonJS `require`, against the emulator.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const pkg = require("../.packed/load.cjs");

test("require() gives the same API, and a real call works", async () => {
  const { assign, ValidationError, GraphError, NetworkError, TimeoutError, ResponseError } = pkg;
  for (const C of [ValidationError, GraphError, NetworkError, TimeoutError, ResponseError]) {
    assert.equal(typeof C, "function");
    assert.equal(new C("x").name, C.name);
    assert.ok(new C("x") instanceof Error);
  }
  // The emulator too, as a CommonJS test runner loads it.
  const { startGraphEmulator, EXAMPLE_POOL_ID } = require("../.packed/emulator.cjs");
  const em = await startGraphEmulator();
  try {
    const target = { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" };
    const result = await assign(EXAMPLE_POOL_ID, [{ target }], em.token, { baseUrl: em.baseUrl });
    assert.equal(result[0].target["@odata.type"], target["@odata.type"]);
    await assert.rejects(assign("x", [], em.token), ValidationError);
  } finally {
    await em.close();
  }
});
