// The assignment targets a Graph knows, and how it keeps and answers them.
import { FACTS, FILTER_ID, FILTER_TYPE, NO_FILTER_ID } from "./facts.js";

// Each target kind the emulator knows, with the property naming what it targets (checked).
const TARGET_KINDS = FACTS.targetKinds;

// How targets are kept and answered. Intune's own answers carry both filter properties on every
// target; the eSIM docs' examples predate filters, so "docs" keeps a target exactly as written.
export const TARGET_SHAPES = {
  intune: (t) => {
    const type = t[FILTER_TYPE] ?? "none";
    // No filter, a null id and the zero id with `none` are one thing: Intune's zero id.
    return { "@odata.type": t["@odata.type"], ...t, [FILTER_ID]: t[FILTER_ID] ?? (type === "none" ? NO_FILTER_ID : null), [FILTER_TYPE]: type };
  },
  docs: (t) => ({ ...t }),
};

// The target kinds a Graph knows: the emulator's, and the ones a test adds (a kind newer or older
// than the library). An added kind's groupId is not checked; a kind the emulator knows keeps its rule.
export function targetKindsOf(extra) {
  const name = /^[A-Za-z][A-Za-z0-9]*$/;
  if (!Array.isArray(extra) || !extra.every((k) => typeof k === "string" && name.test(k))) {
    throw new TypeError('startGraphEmulator: extraTargetKinds must be an array of target kind names like "androidFotaDeploymentAssignmentTarget" (without "#microsoft.graph.")');
  }
  return new Map([...extra.map((k) => [k, null]), ...Object.entries(TARGET_KINDS)]);
}
