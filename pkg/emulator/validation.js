// Graph's checks of what a write sends: each function answers with the first problem, in Graph's
// words, or null.
import { ASSIGNMENT_TYPE, DEVICE_STATES, FACTS, FILTER_TYPE, FILTER_TYPES } from "./facts.js";
import { NULL_DEVICE_STATE } from "./state.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// An activation code's fields, each with the pattern Graph's metadata gives it.
const CODE_PATTERNS = Object.entries(FACTS.activationCodePatterns).map(([field, pattern]) => [field, new RegExp(pattern)]);
const DEVICE_STATE_PROPERTIES = new Set(["@odata.type", "id", "createdDateTime", "modifiedDateTime", "state", ...Object.keys(NULL_DEVICE_STATE)]);

/** An assign body: an `assignments` collection of assignments Graph takes. */
export function checkAssignBody(body, kinds) {
  if (!body || typeof body !== "object" || !Array.isArray(body.assignments)) {
    return "The request body must have an 'assignments' collection.";
  }
  for (const [i, a] of body.assignments.entries()) {
    const problem = checkAssignment(a, `assignments[${i}]`, kinds);
    if (problem) return problem;
  }
  return null;
}

/**
 * One assignment, as assign's items and the assignments' POST and PATCH take it (`where` names it
 * in the message). `partial`: a PATCH, where the target may be left out.
 */
export function checkAssignment(a, where, kinds, { partial = false } = {}) {
  if (!a || typeof a !== "object" || Array.isArray(a)) return `${where} is not an object.`;
  if (a["@odata.type"] !== undefined && String(a["@odata.type"]).replace(/^#?/, "#") !== ASSIGNMENT_TYPE) {
    return `${where} has an unexpected @odata.type.`;
  }
  const t = a.target;
  if (partial && t === undefined) return null;
  if (!t || typeof t !== "object") return `${where}.target is required.`;
  const kind = String(t["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "");
  if (!kinds.has(kind)) return `${where}.target has an unknown @odata.type.`;
  const idProperty = kinds.get(kind);
  if (idProperty === "groupId" && !GUID.test(t.groupId ?? "")) return `${where}.target.groupId must be a GUID.`;
  if (idProperty === "collectionId" && !t.collectionId) return `${where}.target.collectionId is required.`;
  const filterType = t[FILTER_TYPE];
  if (filterType !== undefined && !FILTER_TYPES.includes(filterType)) {
    return `Cannot convert the literal '${filterType}' to the expected type 'microsoft.graph.deviceAndAppManagementAssignmentFilterType'.`;
  }
  return null;
}

/**
 * The one displayName rule, for createPool and PATCH alike: a string that is not empty or only
 * white space. Graph documents no length or character rule, so the emulator makes up none.
 */
export function displayNameProblem(name) {
  return typeof name === "string" && name.trim() !== "" ? null : "displayName must be a string that is not empty or only white space.";
}

/** activationCodes, for createPool and PATCH alike: an array of codes matching the metadata's patterns. */
export function activationCodesProblem(codes) {
  if (!Array.isArray(codes)) return "activationCodes must be a collection of activation codes.";
  const i = codes.findIndex((c) => CODE_PATTERNS.some(([field, pattern]) => !pattern.test(c?.[field] ?? "")));
  return i < 0 ? null : `activationCodes[${i}] is not a valid activation code.`;
}

/** A device state, as its POST and PATCH take it. */
export function deviceStateProblem(d) {
  if (!d || typeof d !== "object" || Array.isArray(d)) return "The request body must be a device state object.";
  const unknown = Object.keys(d).find((k) => !DEVICE_STATE_PROPERTIES.has(k));
  if (unknown) return `The property '${unknown}' does not exist on type 'microsoft.graph.embeddedSIMDeviceState'.`;
  if (d.state !== undefined && !DEVICE_STATES.includes(d.state)) {
    return `Cannot convert the literal '${d.state}' to the expected type 'microsoft.graph.embeddedSIMDeviceStateValue'.`;
  }
  for (const k of Object.keys(NULL_DEVICE_STATE)) if (d[k] !== undefined && d[k] !== null && typeof d[k] !== "string") return `${k} must be a string or null.`;
  return null;
}
