// The emulator's own tokens: shaped like the app-only access tokens Microsoft's identity platform
// issues for Graph (a JWT whose payload names the tenant, `tid`, and the app, `appid`), so a
// client can read its tenant from one as it would from a real token. Unsigned (`alg: "none"`,
// an empty signature): they only open the emulator, which knows each one it issued by its text.
import { EPOCH } from "./fixtures.js";

/** The app of the tokens the emulator makes when a tenant names none. */
export const EXAMPLE_APP_ID = "e5ab0000-0000-4000-8000-000000000000";

const GRAPH_AUDIENCE = "https://graph.microsoft.com";
// What an app-only token for these endpoints holds: the one permission that reads and writes them.
const ROLES = ["DeviceManagementConfiguration.ReadWrite.All"];
// Issued at the example data's clock and valid for long after, so the same tenant and app always
// get the same token (a developer may keep it), and no client finds it expired.
const ISSUED = Math.floor(EPOCH / 1000);
const EXPIRES = Date.parse("2100-01-01T00:00:00Z") / 1000;

const base64url = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The emulator's token for `appId` in `tenantId`: `header.payload.` with an empty signature. */
export function emulatorToken(tenantId, appId) {
  const header = { typ: "JWT", alg: "none" };
  const payload = {
    aud: GRAPH_AUDIENCE,
    iss: `https://sts.windows.net/${tenantId}/`,
    iat: ISSUED,
    nbf: ISSUED,
    exp: EXPIRES,
    appid: appId,
    idtyp: "app",
    roles: ROLES,
    tid: tenantId,
    ver: "1.0",
  };
  return `${base64url(header)}.${base64url(payload)}.`;
}

/**
 * The app a token is of, as Intune counts its limits: the payload's `appid` (or `azp`, which
 * version 2 tokens carry instead) when the token is a JWT, else null: a token that names no app
 * is the one app of its tenant.
 */
export function appOf(token) {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    const app = payload?.appid ?? payload?.azp;
    return typeof app === "string" && app !== "" ? app : null;
  } catch {
    return null;
  }
}
