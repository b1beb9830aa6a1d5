// The browser tests' harness: Debian's Chromium driven by playwright-core, the local Graph
// emulator and the demo page's server, and a page wrapper that fails the test on any console
// error or page error and on any trace of the token in the page.
import { mkdirSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startGraphEmulator, EXAMPLE_POOL_ID } from "../../pkg/emulator.js";
import { startDemoServer } from "../../scripts/demo-server.mjs";

export { EXAMPLE_POOL_ID };

// A token that looks like a real one, so a leak would be easy to spot.
export const SECRET_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.SECRET-demo-payload-41c9.signature-do-not-leak";

const SCREENSHOTS = fileURLToPath(new URL("../screenshots/", import.meta.url));

// Playwright gives each launch a fresh temporary profile (it refuses a --user-data-dir here) and
// adds --headless itself; the rest keeps Chromium from calling out or starting extra services.
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

// When the device states were made and last synced: fixed, so a test can name the time it shows.
const SEEDED_AT = "2026-03-04T05:06:07Z";

/**
 * A new pool in the emulator with `activationCodes` codes, `targets` (Graph's target objects) and
 * `states` devices in each state (`{ installed: 3, failed: 1 }`). Returns `{ id, deviceStates }`.
 * The one place that knows how the emulator holds a pool's insides.
 */
export function seedPool(emulator, { displayName = "Seeded pool", activationCodes = 0, targets = [], states = {} } = {}) {
  const id = emulator.addPool(randomUUID(), displayName);
  const pool = emulator.pools.get(id);
  pool.activationCodeCount = activationCodes;
  pool.assignments = targets.map((target) => ({ "@odata.type": "#microsoft.graph.embeddedSIMActivationCodePoolAssignment", id: randomUUID(), target }));
  let n = 0;
  pool.deviceStates = Object.entries(states).flatMap(([state, count]) =>
    Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      createdDateTime: SEEDED_AT,
      modifiedDateTime: SEEDED_AT,
      lastSyncDateTime: SEEDED_AT,
      deviceName: `${state}-device-${i + 1}`,
      userName: `${state}.user${i + 1}@contoso.example`,
      universalIntegratedCircuitCardIdentifier: `890126000000000${String(++n).padStart(4, "0")}`,
      stateDetails: state === "failed" || state === "error" ? `Profile download failed (${state} ${i + 1})` : null,
      state,
    })),
  );
  return { id, deviceStates: pool.deviceStates };
}

/** Starts the emulator, the page's server and Chromium. Resolves to `{ emulator, pageUrl, open, close }`. */
export async function startAll() {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const emulator = await startGraphEmulator({ token: SECRET_TOKEN, limits: false });
  // As `npm run demo` serves it: preset to the emulator, its example pool and its token.
  const server = await startDemoServer({
    config: { emulator: { baseUrl: emulator.baseUrl, token: SECRET_TOKEN, poolId: EXAMPLE_POOL_ID } },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });

  /**
   * A new page on the demo, loaded and ready. `width`: the viewport's; `query`: added to the
   * page's URL; `failedStatuses`: HTTP statuses the test expects Graph to answer with (Chromium
   * logs each as a console error, "Failed to load resource", which is the browser's, not the page's);
   * `failedConnection`: the test expects a refused connection (logged the same way);
   * `colorScheme`: "light" or "dark".
   */
  async function open(t, { width = 1280, query = "", failedStatuses = [], failedConnection = false, colorScheme = "light" } = {}) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
    context.setDefaultTimeout(15_000);
    t.after(() => context.close());
    const page = await context.newPage();
    const problems = [];
    const consoleText = [];
    page.on("console", (m) => {
      consoleText.push(m.text());
      if (m.type() !== "error") return;
      const expected =
        failedStatuses.some((s) => m.text().startsWith(`Failed to load resource: the server responded with a status of ${s} `)) ||
        (failedConnection && m.text() === "Failed to load resource: net::ERR_CONNECTION_REFUSED");
      if (!expected) problems.push(`console error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(server.url + query);
    // The page is wired once its preview shows a request.
    await page.locator("#preview").filter({ hasText: "POST " }).waitFor();

    return {
      page,
      /** A full-page screenshot: tests/screenshots/<name>.png. */
      async screenshot(name) {
        const file = `${SCREENSHOTS}${name}.png`;
        await page.screenshot({ path: file, fullPage: true });
        return file;
      },
      /** Fails on console or page errors, and on the token anywhere but the password field. */
      async check() {
        assert.deepEqual(problems, [], "no console errors, no page errors");
        const { html, text, tokenField } = await page.evaluate(() => ({
          html: document.documentElement.outerHTML,
          text: document.body.innerText,
          tokenField: document.getElementById("token").type,
        }));
        assert.equal(tokenField, "password");
        for (const [where, s] of [["the DOM", html], ["the page's text", text], ["the console", consoleText.join("\n")]]) {
          assert.ok(!s.includes(SECRET_TOKEN) && !s.includes("SECRET-demo-payload"), `the token is not in ${where}`);
        }
      },
    };
  }

  return {
    emulator,
    open,
    close: async () => {
      await browser.close();
      await Promise.all([server.close(), emulator.close()]);
    },
  };
}
