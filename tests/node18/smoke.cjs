// Run by Node 18 (see node18.test.mjs): the packed package through require and import, a
// ValidationError, and an assign against the emulator whose address and token are in the env.
const assert = require("node:assert/strict");

(async () => {
  const { INTUNE_ESIM_BASE_URL: baseUrl, INTUNE_ESIM_TOKEN: token, INTUNE_ESIM_POOL: pool, INTUNE_ESIM_PACKED: packed } = process.env;
  const cjs = require(require.resolve("intune-esim", { paths: [packed] }));
  const esm = await import(require("node:url").pathToFileURL(`${packed}/load.mjs`).href);
  const target = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
  const seen = {};
  for (const [entry, api] of [["require", cjs], ["import", esm]]) {
    const invalid = await api.assign("not-a-guid", [{ target }], token, { baseUrl }).catch((e) => e);
    assert.ok(invalid instanceof api.ValidationError, `${entry}: ${invalid}`);
    const assigned = await api.assign(pool, [{ target }], token, { baseUrl });
    seen[entry] = { invalid: invalid.issues.map((i) => i.path), assigned: assigned.map((a) => a.target["@odata.type"]) };
  }
  process.stdout.write(JSON.stringify({ version: process.version, seen }));
})().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
