// The demo's Pools view in headless Chromium, end to end: the page reads the local Graph
// emulator's pools through the built package's poolReport and renames through updatePool. Each
// test checks what the page shows against what the emulator holds; screenshots go to
// tests/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startAll, seedPool, EXAMPLE_POOL_ID } from "./harness.mjs";

const GROUP = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const ALL_DEVICES = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
const A_GROUP = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP };

let all;
let emulator;
let contoso;
before(async () => {
  all = await startAll();
  emulator = all.emulator;
  contoso = seedPool(emulator, {
    displayName: "Contoso field staff",
    activationCodes: 25,
    targets: [ALL_DEVICES, A_GROUP],
    states: { installed: 5, installing: 2, notEvaluated: 1, failed: 2, error: 1, removedByUser: 1 },
  });
});
after(() => all?.close());

const card = (page, poolId) => page.locator(`li.pool[data-pool-id="${poolId}"]`);
const status = (page) => page.locator("#pools-status");

/** Opens the page and goes to the Pools view with the keyboard, through its nav link; resolves once the report is shown. */
async function openPools(t, options = {}) {
  const opened = await all.open(t, { ...options, failedStatuses: options.failedStatuses ?? [] });
  await opened.page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "Pools" }).focus();
  await opened.page.keyboard.press("Enter");
  await status(opened.page).getByText(/ as of \d\d:\d\d:\d\d UTC/).waitFor();
  return opened;
}

/** A card's facts: `{ "Activation codes": "25", ... }`. */
const facts = (item) =>
  item.locator("dl.pool-facts > div").evaluateAll((divs) => Object.fromEntries(divs.map((d) => [d.querySelector("dt").textContent, d.querySelector("dd").textContent])));

/** The seeded device states counted by state, as the emulator holds them. */
function countsOf(poolId) {
  const counts = {};
  for (const { state } of emulator.pools.get(poolId).deviceStates) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}

test("the Pools view lists every pool with its codes, targets and devices, a bar by state, and the failed devices", async (t) => {
  const { page, screenshot, check } = await openPools(t);
  const nav = page.getByRole("navigation", { name: "Views" });
  assert.equal(await nav.getByRole("link", { name: "Pools" }).getAttribute("aria-current"), "page");
  assert.equal(await nav.getByRole("link", { name: "Assign" }).getAttribute("aria-current"), null);
  assert.equal(await page.locator("#assign-form").isVisible(), false);
  assert.equal(new URL(page.url()).hash, "#pools");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "eSIM activation code pools", "the focus is on the view's heading");
  assert.equal(await page.title(), "eSIM activation code pools · intune-esim demo");

  const pools = emulator.pools.size;
  assert.match(await status(page).innerText(), new RegExp(`^${pools} pools as of `));
  assert.equal(await page.locator("li.pool").count(), pools);

  const item = card(page, contoso.id);
  assert.equal(await item.locator(".pool-head h3").innerText(), "Contoso field staff");
  assert.equal(await item.locator(".pool-id").innerText(), contoso.id);
  const counts = countsOf(contoso.id);
  assert.deepEqual(await facts(item), { "Activation codes": "25", Targets: "2", Devices: String(contoso.deviceStates.length) });

  // One part per state that has devices, each as many as the emulator holds in that state.
  const segments = await item.locator(".bar .segment").evaluateAll((parts) => parts.map((p) => [p.dataset.state, Number(p.dataset.count), p.style.flexGrow]));
  assert.deepEqual(Object.fromEntries(segments.map(([s, n]) => [s, n])), counts);
  for (const [, n, grow] of segments) assert.equal(grow, String(n), "each part is as wide as its share");
  // Settled first, problems last.
  assert.deepEqual(segments.map(([s]) => s), ["installed", "installing", "notEvaluated", "removedByUser", "error", "failed"]);
  const words = segments.map(([s, n]) => `${n} ${{ notEvaluated: "not evaluated", removedByUser: "removed by user" }[s] ?? s}`);
  assert.equal(await item.locator(".bar").getAttribute("role"), "img");
  assert.equal(await item.locator(".bar").getAttribute("aria-label"), `12 devices: ${words.join(", ")}`);
  assert.deepEqual(await item.locator(".legend li").allTextContents(), ["Installed 5", "Installing 2", "Not evaluated 1", "Removed by user 1", "Error 1", "Failed 2"]);

  // A pool without devices says so, in its bar's name and its legend.
  const example = card(page, EXAMPLE_POOL_ID);
  assert.deepEqual(await facts(example), { "Activation codes": "0", Targets: "0", Devices: "0" });
  assert.equal(await example.locator(".bar").getAttribute("aria-label"), "No devices yet");
  assert.equal(await example.locator(".bar .segment").count(), 0);

  // Every failed or errored device of every pool, with the details Graph gave.
  const rows = await page.locator("table.failures tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText)));
  const failed = emulator.pools.get(contoso.id).deviceStates.filter((d) => d.state === "failed" || d.state === "error");
  assert.deepEqual(rows, failed.map((d) => [
    "Contoso field staff",
    d.deviceName,
    d.userName,
    d.state === "failed" ? "Failed" : "Error",
    d.stateDetails,
    "2026-03-04 05:06 UTC",
  ]));
  assert.equal(await page.locator("table.failures caption").innerText(), `Devices whose eSIM profile did not install (${failed.length})`);
  await screenshot("20-pools-wide");
  await check();
});

test("a pool opens in the assign form with its id filled in, and Assign sends to it (keyboard only)", async (t) => {
  const { page, screenshot, check } = await openPools(t);
  const kiosks = seedPool(emulator, { displayName: "Fabrikam kiosks", activationCodes: 3 });
  await page.getByRole("button", { name: "Refresh" }).click();
  const open = card(page, kiosks.id).getByRole("button", { name: "Open in assign form: Fabrikam kiosks" });
  await open.focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.getByLabel("Pool id").inputValue(), kiosks.id);
  assert.equal(await page.evaluate(() => document.activeElement.id), "poolId", "the focus is on the pool id");
  assert.equal(new URL(page.url()).hash, "#assign");
  assert.equal(await page.locator("#pools").isVisible(), false);
  assert.match(await page.locator("#preview").innerText(), new RegExp(`/embeddedSIMActivationCodePools/${kiosks.id}/assign`));
  await screenshot("21-pool-opened-in-assign-form-wide");

  await page.keyboard.press("Enter");
  await page.locator("#status").getByText("Done: the pool now has 1 assignment.").waitFor();
  assert.equal(emulator.pools.get(kiosks.id).assignments.length, 1);

  // Back returns to the Pools view, as it was left.
  await page.goBack();
  await card(page, kiosks.id).waitFor();
  assert.equal(await page.locator("#assign-form").isVisible(), false);
  await check();
});

test("renaming a pool: the package's check shows at the field, then the card and the failures show the new name", async (t) => {
  const { page, screenshot, check } = await openPools(t);
  const spares = seedPool(emulator, { displayName: "Spares", activationCodes: 4, states: { installed: 1, failed: 1 } });
  await page.getByRole("button", { name: "Refresh" }).click();
  const item = card(page, spares.id);
  await item.getByRole("button", { name: "Rename: Spares" }).click();
  const field = item.getByLabel("New name");
  assert.equal(await field.inputValue(), "Spares");

  const patches = () => emulator.requests.filter((r) => r.poolId === spares.id && r.method === "PATCH");
  await field.fill("   ");
  await item.getByRole("button", { name: "Save" }).click();
  await item.locator(".error").getByText("Must not be empty.").waitFor();
  assert.match(await item.locator(".error").innerText(), /Must not be empty\.\s*changes\.displayName/);
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.equal(patches().length, 0, "nothing was sent");
  await screenshot("22-rename-empty-name-wide");

  await field.fill("Spare phones, Lyon");
  await field.press("Enter");
  await status(page).getByText("Renamed to “Spare phones, Lyon”.").waitFor();
  assert.equal(await card(page, spares.id).locator(".pool-head h3").innerText(), "Spare phones, Lyon");
  assert.equal(await card(page, spares.id).locator("form.rename").count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Rename", "the focus is back on Rename");
  assert.equal(await page.locator(`table.failures tr[data-pool-id="${spares.id}"] th`).innerText(), "Spare phones, Lyon");
  assert.equal(emulator.pools.get(spares.id).displayName, "Spare phones, Lyon");
  const [patch, ...more] = patches();
  assert.equal(more.length, 0);
  assert.equal(patch.tokenMatched, true);
  assert.deepEqual(JSON.parse(patch.body), { displayName: "Spare phones, Lyon" });
  await screenshot("23-renamed-wide");

  // Read again, the name is Graph's.
  await page.getByRole("button", { name: "Refresh" }).click();
  await status(page).getByText(/ as of /).waitFor();
  assert.equal(await card(page, spares.id).locator(".pool-head h3").innerText(), "Spare phones, Lyon");

  // Cancel (Escape) leaves it as it was.
  await card(page, spares.id).getByRole("button", { name: "Rename: Spare phones, Lyon" }).click();
  await card(page, spares.id).getByLabel("New name").fill("Not this");
  await page.keyboard.press("Escape");
  assert.equal(await card(page, spares.id).locator("form.rename").count(), 0);
  assert.equal(emulator.pools.get(spares.id).displayName, "Spare phones, Lyon");
  await check();
});

test("a pool whose reads are refused shows its error in its card; the other pools are listed", async (t) => {
  const locked = seedPool(emulator, { displayName: "Locked pool", activationCodes: 7, states: { installed: 2 } });
  // Enough for every request of that pool, batched, single or retried.
  emulator.fault(locked.id, { kind: "status", status: 403, message: "Application is not authorized to read this pool." }, 100);
  t.after(() => {
    emulator.fault(locked.id, { kind: "status", status: 403 }, 0);
    emulator.pools.delete(locked.id);
  });
  const { page, screenshot, check } = await openPools(t, { failedStatuses: [403] });
  assert.match(await status(page).innerText(), new RegExp(`^${emulator.pools.size} pools as of .*; 1 pool could not be read, said below\\.$`));

  const item = card(page, locked.id);
  assert.equal(await item.locator(".pool-head h3").innerText(), "Locked pool");
  assert.deepEqual(await facts(item), { "Activation codes": "7" });
  assert.equal(await item.locator(".bar").count(), 0);
  assert.equal(await item.locator(".report h3").innerText(), "Graph refused: the token is not allowed to do this");
  assert.match(await item.locator(".report").innerText(), /403 Forbidden[\s\S]*Application is not authorized to read this pool/);
  // The others are there, bars and all.
  assert.deepEqual(await facts(card(page, contoso.id)), { "Activation codes": "25", Targets: "2", Devices: "12" });
  assert.equal(await card(page, contoso.id).locator(".bar .segment").count(), 6);
  await screenshot("24-one-pool-refused-wide");
  await check();
});

test("the whole report refused (401) is said in plain words; Refresh reads it again", async (t) => {
  const { page, screenshot, check } = await all.open(t, { failedStatuses: [401] });
  // The next request for the pools' list only.
  emulator.fault("pools", { kind: "status", status: 401, message: "Access token has expired or is not yet valid." }, 1);
  await page.getByRole("link", { name: "Pools" }).click();
  await status(page).getByText("Failed: Graph answered 401 Unauthorized.").waitFor();
  assert.equal(await page.locator("#pools-error .report h3").innerText(), "Graph did not accept the access token");
  assert.match(await page.locator("#pools-error .report").innerText(), /Access token has expired or is not yet valid/);
  assert.equal(await page.locator("li.pool").count(), 0);
  await screenshot("25-report-unauthorized-wide");

  await page.getByRole("button", { name: "Refresh" }).click();
  await status(page).getByText(/ as of /).waitFor();
  assert.equal(await page.locator("#pools-error").innerText(), "");
  assert.equal(await page.locator("li.pool").count(), emulator.pools.size);
  await check();
});

test("progress shows while the pools are read; Refresh starts over", async (t) => {
  const slow = seedPool(emulator, { displayName: "Slow pool", states: { installing: 1 } });
  // Its first read never answers, and the batch it is in with it: the report waits, its progress shown.
  emulator.fault(slow.id, { kind: "hang" }, 1);
  t.after(() => emulator.pools.delete(slow.id));
  const { page, screenshot, check } = await all.open(t, {});
  await page.getByRole("link", { name: "Pools" }).click();
  const total = emulator.pools.size;
  await status(page).getByText(`Reading each pool's targets and devices: 0 of ${total}…`).waitFor();
  const progress = page.locator("#pools-progress");
  assert.equal(await progress.isVisible(), true);
  assert.deepEqual(await progress.evaluate((p) => [p.value, p.max]), [0, total]);
  await screenshot("26-reading-wide");

  await page.getByRole("button", { name: "Refresh" }).click();
  await status(page).getByText(/ as of /).waitFor();
  assert.equal(await progress.isVisible(), false);
  assert.deepEqual(await facts(card(page, slow.id)), { "Activation codes": "0", Targets: "0", Devices: "1" });
  await check();
});

test("on a phone the Pools view fits the width, renaming included (dark scheme)", async (t) => {
  const { page, screenshot, check } = await openPools(t, { width: 390, colorScheme: "dark" });
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
  assert.ok(await fits(), "no horizontal scrolling at 390 px");
  // Each failed device is a card of "column: value" lines.
  assert.equal(await page.locator("table.failures thead").evaluate((h) => getComputedStyle(h).position), "absolute");
  await screenshot("27-pools-phone-dark");
  await card(page, contoso.id).getByRole("button", { name: "Rename: Contoso field staff" }).click();
  await card(page, contoso.id).getByLabel("New name").fill("   ");
  await card(page, contoso.id).getByRole("button", { name: "Save" }).click();
  await card(page, contoso.id).locator(".error").getByText("Must not be empty.").waitFor();
  assert.ok(await fits(), "no horizontal scrolling with the rename form open");
  await screenshot("28-rename-blank-phone-dark");
  await check();
});

test("with no token nothing is sent and the view says what to fix; back on the emulator it reads again by itself", async (t) => {
  const { page, screenshot, check } = await all.open(t, {});
  // The public cloud preset empties the emulator's pool and token.
  await page.getByRole("button", { name: "Public cloud" }).click();
  const before = emulator.requests.length;
  await page.getByRole("link", { name: "Pools" }).click();
  await status(page).getByText("Nothing was sent: the base URL or the access token in the Assign view needs fixing.").waitFor();
  assert.match(await page.locator("#pools-error").innerText(), /token: Must not be empty/i);
  assert.match(await page.locator("#pools-source").innerText(), /^From graph\.microsoft\.com,/);
  assert.equal(emulator.requests.length, before, "nothing reached the emulator");
  await screenshot("29-pools-no-token-wide");

  await page.getByRole("link", { name: "Assign" }).click();
  await page.getByRole("button", { name: "Local emulator" }).click();
  await page.getByRole("link", { name: "Pools" }).click();
  await status(page).getByText(/ as of /).waitFor();
  assert.equal(await page.locator("li.pool").count(), emulator.pools.size);
  await check();
});
