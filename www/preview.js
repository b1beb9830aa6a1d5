// The HTTP request `assign` will send, as text, built from the same values the page passes to it:
// method, URL, headers (the token always shown as ***) and the JSON body. The package has no dry
// run yet, so this follows its documented request: POST {baseUrl}/.../{poolId}/assign.

/** `{ baseUrl, poolId, assignments, clientRequestId }` → the request as an admin reads it. */
export function requestPreview({ baseUrl, poolId, assignments, clientRequestId }) {
  // The package drops trailing slashes of the base URL; an empty pool id shows where it goes.
  const base = baseUrl.replace(/\/+$/, "");
  const url = `${base}/deviceManagement/embeddedSIMActivationCodePools/${poolId || "{poolId}"}/assign`;
  return [
    `POST ${url}`,
    "Authorization: Bearer ***",
    "Accept: application/json",
    "Content-Type: application/json",
    `client-request-id: ${clientRequestId}`,
    "",
    JSON.stringify({ assignments }, null, 2),
  ].join("\n");
}

/** A random (version 4) GUID for `client-request-id`; getRandomValues works on plain http too. */
export function newGuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
