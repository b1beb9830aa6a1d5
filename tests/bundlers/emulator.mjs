// The matrix's one way to the local Graph emulator (the package's own), without Intune's limits:
// the scenarios make more calls than a 20 s window allows.
import { startGraphEmulator } from "../../pkg/emulator.js";

export { EXAMPLE_POOL_ID } from "../../pkg/emulator.js";
export const startEmulator = (options) => startGraphEmulator({ limits: false, ...options });
