// What Graph keeps of a pool and its assignments, and a pool as Graph answers it.
import { ASSIGNMENT_TYPE, NS } from "./facts.js";

// A device state's nullable properties, unset.
export const NULL_DEVICE_STATE = { deviceName: null, userName: null, universalIntegratedCircuitCardIdentifier: null, lastSyncDateTime: null, stateDetails: null };

export function poolState({ id, displayName, createdDateTime, activationCodeCount, assignments = [], deviceStates = [] }) {
  return {
    id,
    displayName,
    createdDateTime,
    modifiedDateTime: createdDateTime,
    activationCodeCount: activationCodeCount ?? deviceStates.length,
    assignments,
    deviceStates,
  };
}

// An assignment as Graph keeps it: every property as written (Graph keeps what it knows, even
// what the emulator does not), the id given, and the target in the emulator's target shape.
export function assignmentState(written, id, shapeTarget) {
  return { "@odata.type": ASSIGNMENT_TYPE, ...written, id, target: shapeTarget(written.target) };
}

/** A pool as Graph answers it: without its assignments and device states, which are read apart. */
export function poolView({ assignments, deviceStates, ...p }) {
  return { "@odata.type": `${NS}embeddedSIMActivationCodePool`, ...p };
}
