// The public functions, shared by every entry: each waits for the wasm to be ready, calls it, and
// turns its error descriptors into the exported error classes.
import * as wasm from "./dist/intune_esim.js";
import { fromWasm } from "./errors.js";

export function api(ready) {
  const call = (fn) => async (...args) => {
    await ready();
    try {
      return await fn(...args);
    } catch (e) {
      throw fromWasm(e);
    }
  };
  return {
    assign: call((poolId, assignments, token, options) => wasm.assign(poolId, assignments, token, options)),
  };
}
