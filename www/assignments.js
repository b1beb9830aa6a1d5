// What the form means, without the DOM: the target kinds, and the form's values turned into the
// arguments of `assign`. Whether those are right is the package's to say (see preview.js).

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
