// The matrix's one way to the local Graph emulator.
export { startEmulator, EXAMPLE_POOL_ID } from "../emulator/graph.mjs";
