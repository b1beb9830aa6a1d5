//! Assignments and their targets: who a pool is assigned to, with its assignment filter, and the
//! conflicts between targets of one call. `assign` and `addAssignments`/`removeAssignments` read
//! targets by the same rules, so those rules are in one place.

use super::{closest, field_path, item_path, unknown_properties, Issues};
use crate::guid::is_guid;
use crate::json::{JsonView, Kind};
use crate::model::{
    without_hash, AssignmentFilter, DeviceAndAppManagementAssignmentFilterType as FilterType,
    DeviceAndAppManagementAssignmentTarget as Target, EmbeddedSimActivationCodePoolAssignment, TargetKind,
};
use crate::prelude::*;
use crate::repeats::{repeats_in, sorted};
use crate::target_key::{FILTER_ID, FILTER_TYPE, ZERO_FILTER_ID};

const ASSIGNMENT_PROPERTIES: [&str; 3] = ["@odata.type", "id", "target"];

/// `assignments`: the whole new set of the pool's assignments (an empty array removes them all).
pub fn assignments<V: JsonView>(
    v: Option<&V>,
    issues: &mut Issues,
) -> Option<Vec<EmbeddedSimActivationCodePoolAssignment>> {
    let v = match v {
        Some(v) if v.kind() == Kind::Array => v,
        Some(v) => {
            issues.got("assignments", "must be an array of assignments", v.kind());
            return None;
        }
        None => {
            issues
                .push("assignments", "is required: an array of assignments ([] removes every assignment of the pool)");
            return None;
        }
    };
    let before = issues.0.len();
    // The assignments read and their indexes side by side, so the list is returned as it is,
    // where a list of pairs took a map's collect (compiled of its own) to shed the indexes.
    let mut out = Vec::with_capacity(v.len());
    let mut at = Vec::with_capacity(v.len());
    for i in 0..v.len() {
        let first = issues.0.len();
        let a = assignment(v.at(i), issues);
        issues.within(first, || item_path("assignments", i, ""));
        if let Some(a) = a {
            at.push(i);
            out.push(a);
        }
    }
    let mut targets = Vec::with_capacity(out.len());
    for (i, a) in at.iter().zip(&out) {
        targets.push((*i, &a.target));
    }
    conflicts(&targets, "assignments", ".target", issues);
    (issues.0.len() == before).then_some(out)
}

/// One assignment; the paths of its issues start at the assignment (".target.groupId").
fn assignment<V: JsonView>(v: Option<V>, issues: &mut Issues) -> Option<EmbeddedSimActivationCodePoolAssignment> {
    let v = match v {
        Some(v) if v.kind() == Kind::Object => v,
        other => {
            issues.got_or_undefined("", "must be an object with a target", other.map(|o| o.kind()));
            return None;
        }
    };
    unknown_properties(&v, "", &ASSIGNMENT_PROPERTIES, &[], issues);
    let mut ok = true;
    let odata_type = if own_odata_type(
        &v,
        EmbeddedSimActivationCodePoolAssignment::ODATA_TYPE,
        "",
        "must be #microsoft.graph.embeddedSIMActivationCodePoolAssignment, or left out",
        issues,
    ) {
        v.get("@odata.type").and_then(|t| t.string()).map(Into::into)
    } else {
        ok = false;
        None
    };
    let id = optional_string(&v, "id", "", issues, &mut ok);
    let target = match v.get("target") {
        None => {
            issues.push(".target", "is required: who the pool is assigned to");
            None
        }
        Some(t) => target(&t, ".target", issues),
    };
    match (ok, target) {
        (true, Some(target)) => Some(EmbeddedSimActivationCodePoolAssignment { odata_type, id, target }),
        _ => None,
    }
}

/// An object's own `@odata.type`, which a caller may leave out: when given, it must name
/// `expected`, with or without the `#` (Graph's docs write both), or `message` is its issue.
/// Whether it is acceptable. (The message is whole at each call, not built from `expected`: a
/// built one costs more wasm than the three literals.)
pub(super) fn own_odata_type<V: JsonView>(
    v: &V,
    expected: &str,
    path: &str,
    message: &str,
    issues: &mut Issues,
) -> bool {
    match v.get("@odata.type") {
        Some(t) if t.string().map_or(true, |s| without_hash(&s) != without_hash(expected)) => {
            issues.push(field_path(path, "@odata.type"), message);
            false
        }
        _ => true,
    }
}

/// An optional string property; `null` counts as absent, as Graph returns unset values as null.
fn optional_string<V: JsonView>(v: &V, name: &str, path: &str, issues: &mut Issues, ok: &mut bool) -> Option<String> {
    let p = v.get(name)?;
    match p.kind() {
        Kind::Null => None,
        Kind::String => p.string().map(Into::into),
        kind => {
            issues.got(&field_path(path, name), "must be a string", kind);
            *ok = false;
            None
        }
    }
}

pub fn target<V: JsonView>(v: &V, path: &str, issues: &mut Issues) -> Option<Target> {
    if v.kind() != Kind::Object {
        issues.got(path, "must be an object with an @odata.type", v.kind());
        return None;
    }
    let type_path = || field_path(path, "@odata.type");
    let kind = match v.get("@odata.type").map(|t| (t.kind(), t.string())) {
        Some((_, Some(s))) => match TargetKind::from_odata_type(&s) {
            Some(k) => k,
            None => {
                issues.push(type_path(), unknown_kind_message(&s));
                return None;
            }
        },
        Some((kind, None)) => {
            issues.got(&type_path(), "must be a string", kind);
            return None;
        }
        None => {
            issues.push(type_path(), unknown_kind_message(""));
            return None;
        }
    };
    // Fixed arrays, not vectors: this runs for every assignment of a call.
    let (known, others): (&[&str], &[&str]) = match kind.id_property() {
        Some("groupId") => (&["@odata.type", FILTER_ID, FILTER_TYPE, "groupId"], &["collectionId"]),
        Some(_) => (&["@odata.type", FILTER_ID, FILTER_TYPE, "collectionId"], &["groupId"]),
        None => (&["@odata.type", FILTER_ID, FILTER_TYPE], &["groupId", "collectionId"]),
    };
    unknown_properties(v, path, known, others, issues);

    let mut ok = true;
    let mut id = String::new();
    if let Some(name) = kind.id_property() {
        let id_path = || field_path(path, name);
        match v.get(name).map(|p| (p.kind(), p.string())) {
            Some((_, Some(s))) if name == "groupId" && !is_guid(&s) => {
                issues.push(id_path(), "must be the Entra ID group's object id, a GUID");
                ok = false;
            }
            Some((_, Some(s))) if crate::text::is_blank(&s) => {
                issues.push(id_path(), "must be a non-empty collection id");
                ok = false;
            }
            Some((_, Some(s))) => id = s.into(),
            Some((k, None)) => {
                issues.got(&id_path(), "must be a string", k);
                ok = false;
            }
            None => {
                issues.push(id_path(), joined(&["is required for ", kind.odata_type()]));
                ok = false;
            }
        }
    }
    let filter = filter(v, path, issues, &mut ok);
    ok.then(|| Target::new(kind, id, filter))
}

fn unknown_kind_message(s: &str) -> String {
    let mut m = String::from(if s.is_empty() {
        "is required: one of "
    } else {
        "is not a target kind this call takes; use one of "
    });
    for (i, k) in TargetKind::ALL.into_iter().skip(1).enumerate() {
        if i > 0 {
            m.push_str(", ");
        }
        m.push_str(k.odata_type());
    }
    if let Some(near) = closest(without_hash(s), TargetKind::ALL.map(|k| without_hash(k.odata_type())).as_slice()) {
        m.push_str(" (did you mean #");
        m.push_str(near);
        m.push_str("?)");
    }
    m
}

fn filter<V: JsonView>(v: &V, path: &str, issues: &mut Issues, ok: &mut bool) -> AssignmentFilter {
    let id = optional_string(v, FILTER_ID, path, issues, ok);
    let type_path = || field_path(path, FILTER_TYPE);
    let filter_type = match v.get(FILTER_TYPE) {
        None => None,
        Some(t) if t.kind() == Kind::Null => None,
        Some(t) => {
            let s = t.string();
            let s = s.as_deref().unwrap_or_default();
            let found = FilterType::ALL.into_iter().find(|f| f.as_str() == s);
            if found.is_none() {
                issues.push(type_path(), "must be none, include or exclude");
                *ok = false;
                // The pairing rules below would only repeat this problem.
                return AssignmentFilter { id, filter_type: None };
            }
            found
        }
    };
    let id_path = || field_path(path, FILTER_ID);
    // Intune answers "no filter" as the zero id with `none`: a caller who pastes that back means
    // no filter, but the zero id cannot be the filter that `include` or `exclude` applies.
    let zero = id.as_deref() == Some(ZERO_FILTER_ID);
    match (&id, filter_type) {
        (Some(id), _) if !is_guid(id) => {
            issues.push(id_path(), "must be the assignment filter's id, a GUID");
            *ok = false;
        }
        (Some(_), Some(FilterType::Include | FilterType::Exclude)) if zero => {
            issues.push(
                id_path(),
                "is the zero id, which Graph writes for no filter: give a real assignment filter's id with include or exclude, or set the filter type to none",
            );
            *ok = false;
        }
        (Some(_), None | Some(FilterType::None)) if zero => {}
        (None, Some(FilterType::Include | FilterType::Exclude)) => {
            issues.push(id_path(), "is required when the filter type is include or exclude");
            *ok = false;
        }
        (Some(_), None | Some(FilterType::None)) => {
            issues.push(
                type_path(),
                "must be include or exclude when a filter id is given (otherwise the filter is ignored)",
            );
            *ok = false;
        }
        _ => {}
    }
    AssignmentFilter { id, filter_type }
}

/// The same target twice, or one group both included and excluded: Graph's answer to either is
/// undefined, and both are almost always a mistake in the caller's list. The one check for
/// `assign`'s assignments and for the targets of `addAssignments`/`removeAssignments`:
/// `targets` pairs each valid target with its index in the caller's `list` (for the paths), and
/// `suffix` is what follows `list[i]` in an issue's path (".target" for an assignment).
pub fn conflicts(targets: &[(usize, &Target)], list: &str, suffix: &str, issues: &mut Issues) {
    let at = |n: usize| targets.get(n).map_or(0, |(i, _)| *i);
    // Every target's key, computed and sorted once for both checks.
    // A plain loop, not a map's collect: less wasm for the same keys.
    let mut keys = Vec::with_capacity(targets.len());
    for (_, t) in targets {
        keys.push(Some(t.key()));
    }
    let keys = sorted(keys);
    // The repeats come in the targets' order, so one pass over the targets reports each
    // target's problems together, its repeat first, with no list of notes per target.
    let repeats = repeats_in(&keys, targets.len());
    let mut repeat = repeats.iter().peekable();
    for (n, (i, t)) in targets.iter().enumerate() {
        let path = || item_path(list, *i, suffix);
        if let Some((_, first)) = repeat.next_if(|(r, _)| *r == n) {
            issues.push(path(), joined(&["is the same target as ", &item_path(list, at(*first), "")]));
        }
        // A group both included and excluded: a target whose opposite key an earlier one holds.
        let Some(opposite) = t.opposite_key() else { continue };
        // Sorted by key, then index: the run's first entry is the earliest target with that key.
        let run = keys.partition_point(|(k, _)| k.as_str() < opposite.as_str());
        let earliest = keys.get(run).filter(|(k, _)| *k == opposite).map(|(_, i)| *i);
        if let Some(o) = earliest.filter(|o| *o < n) {
            let message = [
                "names a group that ",
                &item_path(list, at(o), ""),
                " also names: a group cannot be both included and excluded",
            ];
            issues.push(path(), joined(&message));
        }
    }
}
