// (b) The same call with Microsoft's own client, @microsoft/microsoft-graph-client 3.x, with its
// default middleware (auth, retry, redirect in Node, telemetry).
import { Client } from "@microsoft/microsoft-graph-client";

/** `baseUrl` is Graph's root with its version (`https://graph.microsoft.com/beta`). */
export function connect({ baseUrl, token }) {
  const root = baseUrl.replace(/\/+$/, "");
  const version = root.slice(root.lastIndexOf("/") + 1);
  const client = Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: root.slice(0, root.length - version.length),
    defaultVersion: version,
  });
  // The client gives the token only to https Graph hosts (and https customHosts) and deletes an
  // `Authorization` header it finds on any other URL; on a plain-http emulator the app sends the
  // header itself, spelt in lower case, which the client leaves alone.
  const loopback = root.startsWith("http://");
  return (poolId, assignments) => {
    const request = client.api(`/deviceManagement/embeddedSIMActivationCodePools/${encodeURIComponent(poolId)}/assign`);
    if (loopback) request.header("authorization", `Bearer ${token}`);
    return request.post({ assignments }).then((answer) => answer.value);
  };
}
