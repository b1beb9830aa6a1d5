//! Graph's types for the `assign` action, as this library validates and sends them.
//!
//! The serde and tsify derives produce the TypeScript declarations of the npm package and let host
//! tests compare against serde_json; the wasm path never calls serde (it would cost ~70 KB) and
//! writes the request body with [`EmbeddedSimActivationCodePoolAssignment::write_json`].
//! Answers from Graph are not read into these types: the caller gets the server's own objects,
//! so properties and target kinds this library does not know are never dropped.

use crate::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "types")]
use tsify::Tsify;

use crate::json::{write_array, write_string};
use crate::target_key;

/// `deviceAndAppManagementAssignmentFilterType`: how an assignment filter applies.
/// `none` (the default) means no filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "types", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub enum DeviceAndAppManagementAssignmentFilterType {
    None,
    Include,
    Exclude,
}

impl DeviceAndAppManagementAssignmentFilterType {
    pub const ALL: [Self; 3] = [Self::None, Self::Include, Self::Exclude];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Include => "include",
            Self::Exclude => "exclude",
        }
    }
}

/// The assignment filter every target kind carries (`deviceAndAppManagementAssignmentFilter*`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "types", derive(Tsify))]
pub struct AssignmentFilter {
    // Graph answers `null` for an unset filter: the types say so, so strict TypeScript code
    // handles what Graph really sends (and `null` is accepted back as "not given").
    #[serde(rename = "deviceAndAppManagementAssignmentFilterId", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "types", tsify(optional, type = "string | null"))]
    pub id: Option<String>,
    #[serde(rename = "deviceAndAppManagementAssignmentFilterType", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "types", tsify(optional, type = "DeviceAndAppManagementAssignmentFilterType | null"))]
    pub filter_type: Option<DeviceAndAppManagementAssignmentFilterType>,
}

/// `deviceAndAppManagementAssignmentTarget`: who an assignment reaches, told apart by `@odata.type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "types", derive(Tsify))]
#[serde(tag = "@odata.type")]
pub enum DeviceAndAppManagementAssignmentTarget {
    /// The abstract base type itself, as the seed's own example sends it: only a filter.
    #[serde(rename = "#microsoft.graph.deviceAndAppManagementAssignmentTarget")]
    Base {
        #[serde(flatten)]
        filter: AssignmentFilter,
    },
    #[serde(rename = "#microsoft.graph.allDevicesAssignmentTarget")]
    AllDevices {
        #[serde(flatten)]
        filter: AssignmentFilter,
    },
    #[serde(rename = "#microsoft.graph.allLicensedUsersAssignmentTarget")]
    AllLicensedUsers {
        #[serde(flatten)]
        filter: AssignmentFilter,
    },
    #[serde(rename = "#microsoft.graph.groupAssignmentTarget")]
    Group {
        #[serde(rename = "groupId")]
        group_id: String,
        #[serde(flatten)]
        filter: AssignmentFilter,
    },
    #[serde(rename = "#microsoft.graph.exclusionGroupAssignmentTarget")]
    ExclusionGroup {
        #[serde(rename = "groupId")]
        group_id: String,
        #[serde(flatten)]
        filter: AssignmentFilter,
    },
    #[serde(rename = "#microsoft.graph.configurationManagerCollectionAssignmentTarget")]
    ConfigurationManagerCollection {
        #[serde(rename = "collectionId")]
        collection_id: String,
        #[serde(flatten)]
        filter: AssignmentFilter,
    },
}

/// The kinds of target, without their data: what validation looks up by `@odata.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TargetKind {
    Base,
    AllDevices,
    AllLicensedUsers,
    Group,
    ExclusionGroup,
    ConfigurationManagerCollection,
}

impl TargetKind {
    pub const ALL: [Self; 6] = [
        Self::Base,
        Self::AllDevices,
        Self::AllLicensedUsers,
        Self::Group,
        Self::ExclusionGroup,
        Self::ConfigurationManagerCollection,
    ];

    /// The type's name in `#microsoft.graph.` form, as it is sent.
    pub fn odata_type(self) -> &'static str {
        match self {
            Self::Base => "#microsoft.graph.deviceAndAppManagementAssignmentTarget",
            Self::AllDevices => "#microsoft.graph.allDevicesAssignmentTarget",
            Self::AllLicensedUsers => "#microsoft.graph.allLicensedUsersAssignmentTarget",
            Self::Group => "#microsoft.graph.groupAssignmentTarget",
            Self::ExclusionGroup => "#microsoft.graph.exclusionGroupAssignmentTarget",
            Self::ConfigurationManagerCollection => "#microsoft.graph.configurationManagerCollectionAssignmentTarget",
        }
    }

    /// Finds the kind from an `@odata.type`, written with or without the leading `#`
    /// (Graph's docs use both).
    pub fn from_odata_type(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| without_hash(k.odata_type()) == without_hash(s))
    }

    /// The kind's own id property (`groupId` or `collectionId`), if it has one.
    pub fn id_property(self) -> Option<&'static str> {
        match self {
            Self::Group | Self::ExclusionGroup => Some("groupId"),
            Self::ConfigurationManagerCollection => Some("collectionId"),
            _ => None,
        }
    }
}

/// `#microsoft.graph.x` and `microsoft.graph.x` name the same type; Graph's docs write both.
pub fn without_hash(odata_type: &str) -> &str {
    // By byte, not with `strip_prefix`, whose pattern search is slow in the wasm, and this runs
    // several times per assignment.
    match odata_type.as_bytes().first() {
        Some(b'#') => odata_type.get(1..).unwrap_or_default(),
        _ => odata_type,
    }
}

impl DeviceAndAppManagementAssignmentTarget {
    pub fn kind(&self) -> TargetKind {
        match self {
            Self::Base { .. } => TargetKind::Base,
            Self::AllDevices { .. } => TargetKind::AllDevices,
            Self::AllLicensedUsers { .. } => TargetKind::AllLicensedUsers,
            Self::Group { .. } => TargetKind::Group,
            Self::ExclusionGroup { .. } => TargetKind::ExclusionGroup,
            Self::ConfigurationManagerCollection { .. } => TargetKind::ConfigurationManagerCollection,
        }
    }

    /// The value of the kind's id property (`groupId` or `collectionId`), if it has one.
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Group { group_id, .. } | Self::ExclusionGroup { group_id, .. } => Some(group_id),
            Self::ConfigurationManagerCollection { collection_id, .. } => Some(collection_id),
            _ => None,
        }
    }

    /// What makes two targets the same target: the kind, and the group or collection id without
    /// regard to case, whatever their filters (see [`crate::target_key`]).
    pub fn key(&self) -> String {
        target_key::of_kind(self.kind(), self.id().unwrap_or_default())
    }

    /// The key of the same group under the other group kind (an exclusion for an inclusion and
    /// the reverse), for the kinds that have one.
    pub fn opposite_key(&self) -> Option<String> {
        let other = match self.kind() {
            TargetKind::Group => TargetKind::ExclusionGroup,
            TargetKind::ExclusionGroup => TargetKind::Group,
            _ => return None,
        };
        Some(target_key::of_kind(other, self.id().unwrap_or_default()))
    }

    pub fn filter(&self) -> &AssignmentFilter {
        match self {
            Self::Base { filter }
            | Self::AllDevices { filter }
            | Self::AllLicensedUsers { filter }
            | Self::Group { filter, .. }
            | Self::ExclusionGroup { filter, .. }
            | Self::ConfigurationManagerCollection { filter, .. } => filter,
        }
    }

    /// Builds a target of `kind`; `id` is the group or collection id for the kinds that have one.
    pub fn new(kind: TargetKind, id: String, filter: AssignmentFilter) -> Self {
        match kind {
            TargetKind::Base => Self::Base { filter },
            TargetKind::AllDevices => Self::AllDevices { filter },
            TargetKind::AllLicensedUsers => Self::AllLicensedUsers { filter },
            TargetKind::Group => Self::Group { group_id: id, filter },
            TargetKind::ExclusionGroup => Self::ExclusionGroup { group_id: id, filter },
            TargetKind::ConfigurationManagerCollection => {
                Self::ConfigurationManagerCollection { collection_id: id, filter }
            }
        }
    }

    /// Writes the target as Graph's JSON, `@odata.type` first and always in `#` form.
    pub fn write_json(&self, out: &mut String) {
        out.push_str("{\"@odata.type\":");
        write_string(out, self.kind().odata_type());
        if let (Some(name), Some(id)) = (self.kind().id_property(), self.id()) {
            out.push(',');
            write_string(out, name);
            out.push(':');
            write_string(out, id);
        }
        let filter = self.filter();
        if let Some(id) = &filter.id {
            out.push_str(",\"deviceAndAppManagementAssignmentFilterId\":");
            write_string(out, id);
        }
        if let Some(t) = filter.filter_type {
            out.push_str(",\"deviceAndAppManagementAssignmentFilterType\":");
            write_string(out, t.as_str());
        }
        out.push('}');
    }
}

/// `embeddedSIMActivationCodePoolAssignment`: one target of a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "types", derive(Tsify))]
#[allow(clippy::doc_markdown)]
pub struct EmbeddedSimActivationCodePoolAssignment {
    /// Always `#microsoft.graph.embeddedSIMActivationCodePoolAssignment` when given; may be omitted.
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "types",
        tsify(optional, type = "\"#microsoft.graph.embeddedSIMActivationCodePoolAssignment\"")
    )]
    pub odata_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "types", tsify(optional))]
    pub id: Option<String>,
    pub target: DeviceAndAppManagementAssignmentTarget,
}

impl EmbeddedSimActivationCodePoolAssignment {
    pub const ODATA_TYPE: &'static str = "#microsoft.graph.embeddedSIMActivationCodePoolAssignment";

    /// Writes the assignment as Graph's JSON, in the seed's property order.
    pub fn write_json(&self, out: &mut String) {
        out.push('{');
        if self.odata_type.is_some() {
            out.push_str("\"@odata.type\":");
            write_string(out, Self::ODATA_TYPE);
            out.push(',');
        }
        if let Some(id) = &self.id {
            out.push_str("\"id\":");
            write_string(out, id);
            out.push(',');
        }
        Self::write_target(&self.target, out);
    }

    /// A new assignment of `target`, as Graph takes one: the target alone, no id or type (the
    /// JSON of an assignment with neither), written from the target without a copy of it.
    pub fn write_new(target: &DeviceAndAppManagementAssignmentTarget, out: &mut String) {
        out.push('{');
        Self::write_target(target, out);
    }

    fn write_target(target: &DeviceAndAppManagementAssignmentTarget, out: &mut String) {
        out.push_str("\"target\":");
        target.write_json(out);
        out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_found_with_or_without_hash() {
        for k in TargetKind::ALL {
            assert_eq!(TargetKind::from_odata_type(k.odata_type()), Some(k));
            assert_eq!(TargetKind::from_odata_type(&k.odata_type()[1..]), Some(k));
        }
        assert_eq!(TargetKind::from_odata_type("#microsoft.graph.group"), None);
        assert_eq!(TargetKind::from_odata_type("##microsoft.graph.groupAssignmentTarget"), None);
        assert_eq!(TargetKind::from_odata_type(""), None);
    }

    #[test]
    fn activation_code_properties_are_the_derived_ones() {
        let c = EmbeddedSimActivationCode {
            integrated_circuit_card_identifier: "8901260000000000001".into(),
            matching_identifier: "AB-\"1".into(),
            smdp_plus_server_address: "smdp.operator.example".into(),
        };
        // The same names, values and order as serde writes them.
        let mut out = String::new();
        c.write_json(&mut out);
        assert_eq!(out, serde_json::to_string(&c).unwrap());
    }

    #[test]
    fn hand_written_json_matches_serde() {
        let filter = AssignmentFilter {
            id: Some("a\"b".into()),
            filter_type: Some(DeviceAndAppManagementAssignmentFilterType::Include),
        };
        for kind in TargetKind::ALL {
            let a = EmbeddedSimActivationCodePoolAssignment {
                odata_type: Some(EmbeddedSimActivationCodePoolAssignment::ODATA_TYPE.into()),
                id: Some("x".into()),
                target: DeviceAndAppManagementAssignmentTarget::new(
                    kind,
                    "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7".into(),
                    filter.clone(),
                ),
            };
            let mut out = String::new();
            a.write_json(&mut out);
            let ours: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(ours, serde_json::to_value(&a).unwrap(), "{kind:?}");
        }
    }
}

/// `embeddedSIMActivationCode`: one eSIM profile's activation data, as an operator hands it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "types", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct EmbeddedSimActivationCode {
    /// ICCID: 19 or 20 digits.
    pub integrated_circuit_card_identifier: String,
    /// GSMA SGP.22 MatchingID: letters, digits and `-`.
    pub matching_identifier: String,
    /// The SM-DP+ server's host name.
    pub smdp_plus_server_address: String,
}

impl EmbeddedSimActivationCode {
    /// The type's name; a code may carry it, as Graph's own examples write it, or leave it out.
    pub const ODATA_TYPE: &'static str = "#microsoft.graph.embeddedSIMActivationCode";

    /// Its properties as Graph names them, in its order: the one list that `write_json` (the
    /// body `createPool` sends) and the wasm's `parseActivationCodesCsv` result are written from.
    /// A test holds it to the derived `Serialize`.
    pub fn properties(&self) -> [(&'static str, &str); 3] {
        [
            ("integratedCircuitCardIdentifier", &self.integrated_circuit_card_identifier),
            ("matchingIdentifier", &self.matching_identifier),
            ("smdpPlusServerAddress", &self.smdp_plus_server_address),
        ]
    }

    pub fn write_json(&self, out: &mut String) {
        let mut before = '{';
        for (name, value) in self.properties() {
            out.push(before);
            before = ',';
            write_string(out, name);
            out.push(':');
            write_string(out, value);
        }
        out.push('}');
    }
}

/// What `createPool` sends: a name and the pool's activation codes (write-only: Graph never
/// returns them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "types", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct NewPool {
    pub display_name: String,
    pub activation_codes: Vec<EmbeddedSimActivationCode>,
}

impl NewPool {
    pub const ODATA_TYPE: &'static str = "#microsoft.graph.embeddedSIMActivationCodePool";

    pub fn write_json(&self, out: &mut String) {
        out.push_str("{\"@odata.type\":");
        write_string(out, Self::ODATA_TYPE);
        out.push_str(",\"displayName\":");
        write_string(out, &self.display_name);
        out.push_str(",\"activationCodes\":");
        write_array(out, &self.activation_codes, EmbeddedSimActivationCode::write_json);
        out.push('}');
    }
}

/// `embeddedSIMActivationCodePool`, as Graph returns it (its codes are never returned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "types", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct EmbeddedSimActivationCodePool {
    pub id: String,
    pub display_name: String,
    /// ISO 8601, set by the service.
    pub created_date_time: String,
    pub modified_date_time: String,
    pub activation_code_count: i32,
}

/// `embeddedSIMDeviceState.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "types", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub enum EmbeddedSimDeviceStateValue {
    NotEvaluated,
    Failed,
    Installing,
    Installed,
    Deleting,
    Error,
    Deleted,
    RemovedByUser,
}

impl EmbeddedSimDeviceStateValue {
    /// Every value, in Graph's order: a report counts each, zeros included.
    pub const ALL: [Self; 8] = [
        Self::NotEvaluated,
        Self::Failed,
        Self::Installing,
        Self::Installed,
        Self::Deleting,
        Self::Error,
        Self::Deleted,
        Self::RemovedByUser,
    ];

    /// The value as Graph writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotEvaluated => "notEvaluated",
            Self::Failed => "failed",
            Self::Installing => "installing",
            Self::Installed => "installed",
            Self::Deleting => "deleting",
            Self::Error => "error",
            Self::Deleted => "deleted",
            Self::RemovedByUser => "removedByUser",
        }
    }

    /// Whether a device in this state needs an admin: its profile did not install.
    pub fn is_failure(self) -> bool {
        matches!(self, Self::Failed | Self::Error)
    }
}

/// `embeddedSIMDeviceState`: how one device's eSIM profile from the pool is doing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "types", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct EmbeddedSimDeviceState {
    pub id: String,
    pub created_date_time: String,
    pub modified_date_time: String,
    // What Graph does not know yet (a device that never synced) it answers as `null`.
    #[cfg_attr(feature = "types", tsify(type = "string | null"))]
    pub last_sync_date_time: Option<String>,
    #[cfg_attr(feature = "types", tsify(type = "string | null"))]
    pub universal_integrated_circuit_card_identifier: Option<String>,
    #[cfg_attr(feature = "types", tsify(type = "string | null"))]
    pub device_name: Option<String>,
    #[cfg_attr(feature = "types", tsify(type = "string | null"))]
    pub user_name: Option<String>,
    pub state: EmbeddedSimDeviceStateValue,
    #[cfg_attr(feature = "types", tsify(type = "string | null"))]
    pub state_details: Option<String>,
}
