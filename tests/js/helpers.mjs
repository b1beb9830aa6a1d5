// Shared by the JS tests: the emulator (intune-esim/emulator), the package as a user installs it (packed and installed
// into tests/.packed by scripts/test.mjs), and a collector that checks no error leaks the token.
import { readFileSync } from "node:fs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { startGraphEmulator } from "../.packed/emulator.mjs";

export * from "../.packed/emulator.mjs";
export const pkg = await import("../.packed/load.mjs");

// A token that looks like a real one, so a leak would be easy to spot in any output.
export const SECRET_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.SECRET-payload-7f3a.signature-do-not-leak";

/** The emulator without Intune's limits: these tests make more calls than a 20 s window allows. */
export async function emulator() {
  return startGraphEmulator({ token: SECRET_TOKEN, limits: false });
}

const fixture = (name) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
export const seedRequest = fixture("seed-request.json");
export const seedResponse = fixture("seed-response.json");

/** Every error a test saw, so one test at the end can scan them all for the token. */
export const seenErrors = [];

/** Awaits `promise`, expects it to reject, records and returns the error. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    seenErrors.push(e);
    return e;
  }
  throw new Error("expected the call to reject");
}

/** Everything an error exposes: message, stack, own properties, cause chain, inspect output. */
export function everythingIn(e) {
  const parts = [];
  const seen = new Set();
  const walk = (v, depth) => {
    if (v === null || v === undefined || depth > 6 || seen.has(v)) return;
    if (typeof v !== "object" && typeof v !== "function") return void parts.push(String(v));
    seen.add(v);
    if (v instanceof Error) parts.push(String(v.message), String(v.stack));
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d && "value" in d) walk(d.value, depth + 1);
    }
    walk(v.cause, depth + 1);
  };
  walk(e, 0);
  parts.push(inspect(e, { depth: 10, showHidden: true }));
  try {
    parts.push(JSON.stringify(e));
  } catch {}
  return parts.join("\n");
}

/** The last test of a file: no error it saw holds the token anywhere, not even in part. */
export function tokenNeverLeaks() {
  test("no error, in any property, cause, stack or inspection, contains the token", () => {
    assert.ok(seenErrors.length > 0, "no errors were collected");
    for (const e of seenErrors) {
      const text = everythingIn(e);
      assert.ok(!text.includes(SECRET_TOKEN), `the token leaked in ${e?.name}: ${e?.message}`);
      assert.ok(!text.includes("SECRET-payload"), `part of the token leaked in ${e?.name}`);
    }
  });
}
