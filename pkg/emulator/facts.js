// Graph's facts (target kinds, filters, device states, code patterns, Intune's limits), read from
// the one file the library's core is held to (tests/facts.rs), so the two cannot drift apart.
// The only module of the emulator that reads a file by its own URL: the CommonJS bundle
// (scripts/build.mjs) gives it that URL, and checks that no other module asks for one.
import { readFileSync } from "node:fs";

export const FACTS = JSON.parse(readFileSync(new URL("../facts.json", import.meta.url), "utf8"));

/** `embeddedSIMDeviceStateValue`'s members, in Graph's order. */
export const DEVICE_STATES = [...FACTS.deviceStates];

/** Intune's limits for these resources, per app per tenant and per window. */
export const INTUNE_LIMITS = Object.freeze({ ...FACTS.intuneLimits });

/** Intune's limits per tenant, across all the apps that call it, per window. */
export const INTUNE_TENANT_LIMITS = Object.freeze({ ...FACTS.intuneTenantLimits });

/** The most requests one `$batch` may carry. */
export const BATCH_LIMIT = FACTS.batchSize;

export const NS = "#microsoft.graph.";
export const ASSIGNMENT_TYPE = `${NS}embeddedSIMActivationCodePoolAssignment`;
export const FILTER_ID = FACTS.filter.idProperty;
export const FILTER_TYPE = FACTS.filter.typeProperty;
export const FILTER_TYPES = FACTS.filter.types;
// How Intune writes "no filter" on the targets it answers: this id with the type `none`.
export const NO_FILTER_ID = FACTS.filter.noFilterId;
