// (a) The app as a portal would write it with this package. `connect` is what the bench calls;
// bundled as an entry, its export keeps everything one call needs, as a call would.
import { assign } from "intune-esim";

/** `baseUrl` is Graph's root with its version (`https://graph.microsoft.com/beta`). */
export function connect({ baseUrl, token }) {
  return (poolId, assignments) => assign(poolId, assignments, token, { baseUrl });
}
