//! What makes two targets the same: one normalized key, for the targets a caller writes and for
//! the ones Graph answers alike.
//!
//! Graph's answers are never judged by the rules for callers. A pool's current assignments may
//! hold target kinds and properties this library does not know (Graph beta grows), and Intune
//! writes "no filter" its own way: the zero filter id with `none`. So a target Graph returned is
//! read here only for its key, leniently, and is otherwise left as Graph's own object.

use crate::json::{JsonView, Kind};
use crate::model::{without_hash, DeviceAndAppManagementAssignmentTarget as Target, TargetKind};
use crate::prelude::*;

/// The filter id Intune answers with when a target has no filter (with the type `none`).
pub const ZERO_FILTER_ID: &str = "00000000-0000-0000-0000-000000000000";

/// Where a target's assignment filter lives on every kind.
pub const FILTER_ID: &str = "deviceAndAppManagementAssignmentFilterId";
pub const FILTER_TYPE: &str = "deviceAndAppManagementAssignmentFilterType";

/// The key of a target of a known `kind` with this group or collection id: the kind as one
/// character (comparing keys, tens of thousands of times in a large call, is not spent on the
/// long `@odata.type`), then the id without regard to case (GUIDs).
pub fn of_kind(kind: TargetKind, id: &str) -> String {
    let mut key = String::with_capacity(1 + id.len());
    key.push(char::from(b'0' + kind as u8));
    key.push_str(id);
    // In place: a digit is its own lowercase.
    key.make_ascii_lowercase();
    key
}

/// The key of a target as Graph answered it, whatever it holds. A kind this library does not
/// know keys by its `@odata.type` and whichever id property it has, so it is never the same as a
/// known kind's target, and two of them are the same only when both match.
pub fn of_answered<V: JsonView>(target: &V) -> String {
    let name = target.get("@odata.type").and_then(|t| t.string()).map(Into::<String>::into).unwrap_or_default();
    let id_of = |property: &str| target.get(property).and_then(|p| p.string()).map(Into::<String>::into);
    match TargetKind::from_odata_type(&name) {
        Some(kind) => of_kind(kind, &kind.id_property().and_then(id_of).unwrap_or_default()),
        None => {
            let id = id_of("groupId").or_else(|| id_of("collectionId")).unwrap_or_default();
            let mut key = joined(&["?", without_hash(&name), "\u{0}", &id]);
            key.make_ascii_lowercase();
            key
        }
    }
}

/// The filter as it applies, as one string: empty for no filter, whichever way it is written (no
/// filter properties, `null`, the type `none`, or the zero id), else the type and the id without
/// regard to case. A type Graph may add later keeps its id, so it is never taken for no filter.
pub fn filter(id: Option<&str>, filter_type: Option<&str>) -> String {
    match filter_type {
        None | Some("none") => String::new(),
        Some(t) => {
            let mut key = joined(&[t, " ", id.unwrap_or_default()]);
            key.make_ascii_lowercase();
            key
        }
    }
}

/// [`filter`] of a target as Graph answered it.
pub fn filter_of_answered<V: JsonView>(target: &V) -> String {
    let text = |name: &str| {
        target.get(name).filter(|v| v.kind() == Kind::String).and_then(|v| v.string()).map(Into::<String>::into)
    };
    filter(text(FILTER_ID).as_deref(), text(FILTER_TYPE).as_deref())
}

/// [`filter`] of a target a caller wrote (and validation accepted).
pub fn filter_of(target: &Target) -> String {
    let f = target.filter();
    filter(f.id.as_deref(), f.filter_type.map(|t| t.as_str()))
}

/// The whole of what a read-back compares: the target and its filter as it applies.
pub fn with_filter(target_key: &str, filter_key: &str) -> String {
    joined(&[target_key, " ", filter_key])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssignmentFilter, DeviceAndAppManagementAssignmentFilterType as FilterType};
    use serde_json::json;

    const G: &str = "3F1E2D4C-5B6A-4978-8695-A4B3C2D1E0F9";

    #[test]
    fn no_filter_is_one_thing_however_it_is_written() {
        let shapes = [
            json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G }),
            json!({ "@odata.type": "microsoft.graph.groupAssignmentTarget", "groupId": G,
                    FILTER_ID: null, FILTER_TYPE: "none" }),
            json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G.to_lowercase(),
                    FILTER_ID: ZERO_FILTER_ID, FILTER_TYPE: "none" }),
            json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G, FILTER_ID: ZERO_FILTER_ID }),
            json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G, FILTER_TYPE: null }),
        ];
        let written = Target::new(TargetKind::Group, G.into(), AssignmentFilter::default());
        for s in &shapes {
            assert_eq!(of_answered(&s), written.key(), "{s}");
            assert_eq!(filter_of_answered(&s), filter_of(&written), "{s}");
            assert_eq!(filter_of_answered(&s), "", "{s}");
        }
    }

    #[test]
    fn a_real_filter_is_kept_apart() {
        let f = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
        let answered = json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
                               FILTER_ID: f.to_uppercase(), FILTER_TYPE: "include" });
        let written = Target::new(
            TargetKind::AllDevices,
            String::new(),
            AssignmentFilter { id: Some(f.into()), filter_type: Some(FilterType::Include) },
        );
        assert_eq!(filter_of_answered(&&answered), filter_of(&written));
        assert_ne!(filter_of_answered(&&answered), "");
        let excluded = json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
                               FILTER_ID: f, FILTER_TYPE: "exclude" });
        assert_ne!(filter_of_answered(&&excluded), filter_of(&written));
        // A filter type Graph may add one day is not taken for no filter.
        let later =
            json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", FILTER_ID: f, FILTER_TYPE: "both" });
        assert_ne!(filter_of_answered(&&later), "");
    }

    #[test]
    fn kinds_this_library_does_not_know_have_keys_of_their_own() {
        let fota = json!({ "@odata.type": "#microsoft.graph.androidFotaDeploymentAssignmentTarget", "groupId": G });
        let group = json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G });
        assert_ne!(of_answered(&&fota), of_answered(&&group));
        let other = json!({ "@odata.type": "#microsoft.graph.androidFotaDeploymentAssignmentTarget",
                            "groupId": "11111111-2222-4333-8444-555555555555" });
        assert_ne!(of_answered(&&fota), of_answered(&&other));
        let lower = json!({ "@odata.type": "microsoft.graph.androidFotaDeploymentAssignmentTarget", "groupId": G.to_lowercase() });
        assert_eq!(of_answered(&&fota), of_answered(&&lower));
        // Whatever the value: no type, a type that is not a string, not an object at all.
        for odd in [json!({}), json!({ "@odata.type": 3 }), json!("target"), json!(null)] {
            let _ = (of_answered(&&odd), filter_of_answered(&&odd));
        }
    }
}
