// (c) The same call written by hand with `fetch`: no validation, no retries, an error on non-2xx.

/** `baseUrl` is Graph's root with its version (`https://graph.microsoft.com/beta`). */
export function connect({ baseUrl, token }) {
  return async (poolId, assignments) => {
    const response = await fetch(`${baseUrl}/deviceManagement/embeddedSIMActivationCodePools/${encodeURIComponent(poolId)}/assign`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ assignments }),
    });
    if (!response.ok) throw new Error(`Graph answered ${response.status}: ${await response.text()}`);
    return (await response.json()).value;
  };
}
