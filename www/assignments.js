// What the form means, without the DOM: the target kinds, the form's values turned into the
// arguments of `assign`, and the quick checks shown as the user types. The checks mirror the
// package's own rules, paths and words, so a field shows the same message before and after
// Assign; the package stays the judge (it checks everything again when Assign is pressed).

export const NS = "#microsoft.graph.";

/** The target kinds an admin picks from; `id` is the property naming what is targeted. */
export const KINDS = {
  allDevices: { type: `${NS}allDevicesAssignmentTarget`, label: "All devices" },
  allLicensedUsers: { type: `${NS}allLicensedUsersAssignmentTarget`, label: "All licensed users" },
  group: { type: `${NS}groupAssignmentTarget`, label: "Group", id: "groupId", idLabel: "Group id" },
  exclusionGroup: { type: `${NS}exclusionGroupAssignmentTarget`, label: "Exclusion group", id: "groupId", idLabel: "Group id" },
  collection: {
    type: `${NS}configurationManagerCollectionAssignmentTarget`,
    label: "Configuration Manager collection",
    id: "collectionId",
    idLabel: "Collection id",
  },
};

/** A readable name for any target type Graph sends back, known or not. */
export function kindLabel(type) {
  const known = Object.values(KINDS).find((k) => k.type === type);
  return known ? known.label : String(type ?? "(no type)").replace(/^#?microsoft\.graph\./, "");
}

export const FILTER_ID = "deviceAndAppManagementAssignmentFilterId";
export const FILTER_TYPE = "deviceAndAppManagementAssignmentFilterType";

/**
 * The `assignments` argument, from the editor's rows (`{ kind, id, filterType, filterId }`).
 * Empty fields are left out rather than sent as "", so the package reports them as missing.
 * Properties are written in the order the package sends them, so the preview is the body itself.
 */
export function toAssignments(rows) {
  return rows.map(({ kind, id, filterType, filterId }) => {
    const target = { "@odata.type": KINDS[kind].type };
    if (KINDS[kind].id && id) target[KINDS[kind].id] = id;
    if (filterType !== "none") {
      if (filterId) target[FILTER_ID] = filterId;
      target[FILTER_TYPE] = filterType;
    }
    return { target };
  });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The problems the page can see by itself, as `{ path, message }` like a ValidationError's
 * issues. `form`: `{ baseUrl, poolId, token, rows }`.
 */
export function localIssues({ baseUrl, poolId, token, rows }) {
  const issues = [];
  const add = (path, message) => issues.push({ path, message });

  const base = baseUrlProblem(baseUrl);
  if (base) add("options.baseUrl", base);

  if (poolId === "") add("poolId", "must be the pool's id (a GUID), got an empty string");
  else if (!GUID.test(poolId)) add("poolId", "must be a GUID like e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7");

  if (token === "") add("token", "must not be empty");
  else if (/\s/.test(token)) add("token", "must not contain whitespace or control characters (is it a whole token?)");

  rows.forEach(({ kind, id, filterType, filterId }, i) => {
    const path = `assignments[${i}].target`;
    const { id: idName, type } = KINDS[kind];
    if (idName && id === "") add(`${path}.${idName}`, `is required for ${type}`);
    else if (idName === "groupId" && !GUID.test(id)) add(`${path}.groupId`, "must be the Entra ID group's object id, a GUID");
    if (filterType === "none") return;
    if (filterId === "") add(`${path}.${FILTER_ID}`, "is required when the filter type is include or exclude");
    else if (!GUID.test(filterId)) add(`${path}.${FILTER_ID}`, "must be the assignment filter's id, a GUID");
  });
  return issues;
}

function baseUrlProblem(value) {
  if (value === "") return "must not be empty";
  let url;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL, like https://graph.microsoft.com/beta";
  }
  if (url.search || url.hash || /[?#]/.test(value)) return "must not have a query or fragment: give the root, like https://graph.microsoft.com/beta";
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
    return "must be https: (http: is allowed only for localhost, 127.0.0.0/8 and [::1], where the token never leaves the machine)";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https: URL";
  return null;
}
