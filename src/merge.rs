//! Changing a pool's assignments without losing any: `assign` replaces the whole set, so
//! `addAssignments` and `removeAssignments` read the current set, merge here, and write the result.
//!
//! Targets are the same when their kind and group (or collection) id are, whatever their filters.
//! The current set is re-validated before it is written back; if Graph returned something this
//! library cannot send again exactly (a target kind added after it was written), the merge is
//! refused rather than let that assignment be dropped.

use crate::error::Issue;
use crate::guid::same_guid;
use crate::json::{decimal, JsonView, Kind};
use crate::model::{
    DeviceAndAppManagementAssignmentTarget as Target, EmbeddedSimActivationCodePoolAssignment as Assignment, TargetKind,
};
use crate::validate::{self, Issues};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Add,
    Remove,
}

/// The set to write, and what changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub assignments: Vec<Assignment>,
    pub added: Vec<Target>,
    /// Indexes in the current set of the assignments that are removed.
    pub removed: Vec<usize>,
}

impl Merged {
    /// Nothing to write: every target to add is there already, or none to remove is.
    pub fn is_unchanged(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// Same target: same kind, same group or collection id (GUIDs compared without case).
pub fn same_target(a: &Target, b: &Target) -> bool {
    a.kind() == b.kind()
        && match (a.id(), b.id()) {
            (Some(x), Some(y)) => same_guid(x, y),
            (None, None) => true,
            _ => false,
        }
}

pub fn merge<V: JsonView>(current: &V, targets: Option<&V>, change: Change) -> Result<Merged, Vec<Issue>> {
    let mut issues = Issues::default();
    let targets = read_targets(targets, &mut issues);
    let current = read_current(current, &mut issues);
    let (Some(targets), Some(current)) = (targets, current) else { return Err(issues.0) };

    let merged = match change {
        Change::Add => {
            let mut assignments = current.clone();
            let mut added: Vec<Target> = Vec::new();
            for (j, t) in targets.iter().enumerate() {
                let path = ["targets[", &decimal(j), "]"].concat();
                let opposite = current.iter().position(|a| is_opposite(&a.target, t));
                if let Some(i) = opposite {
                    issues.push(
                        &path,
                        [
                            "names a group the pool's assignment ",
                            &decimal(i),
                            " names the other way: a group cannot be both included and excluded",
                        ]
                        .concat(),
                    );
                } else if !assignments.iter().any(|a| same_target(&a.target, t)) {
                    assignments.push(Assignment { odata_type: None, id: None, target: t.clone() });
                    added.push(t.clone());
                }
            }
            Merged { assignments, added, removed: Vec::new() }
        }
        Change::Remove => {
            let removed: Vec<usize> = (0..current.len())
                .filter(|i| current.get(*i).is_some_and(|a| targets.iter().any(|t| same_target(&a.target, t))))
                .collect();
            let assignments =
                current.iter().enumerate().filter(|(i, _)| !removed.contains(i)).map(|(_, a)| a.clone()).collect();
            Merged { assignments, added: Vec::new(), removed }
        }
    };
    if issues.0.is_empty() {
        Ok(merged)
    } else {
        Err(issues.0)
    }
}

/// A group target and an exclusion target of the same group.
fn is_opposite(a: &Target, b: &Target) -> bool {
    let pair = matches!(
        (a.kind(), b.kind()),
        (TargetKind::Group, TargetKind::ExclusionGroup) | (TargetKind::ExclusionGroup, TargetKind::Group)
    );
    pair && a.id().zip(b.id()).is_some_and(|(x, y)| same_guid(x, y))
}

/// The caller's targets: each a target object as in an assignment (`{ "@odata.type", groupId }`),
/// checked by the same rules, with no target twice.
fn read_targets<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<Vec<Target>> {
    let list = match v {
        Some(l) if l.kind() == Kind::Array && !l.is_empty() => l,
        Some(l) if l.kind() == Kind::Array => {
            issues.push("targets", "must name at least one target");
            return None;
        }
        _ => {
            issues.push("targets", "must be an array of targets, like [{ \"@odata.type\": \"#microsoft.graph.groupAssignmentTarget\", groupId }]");
            return None;
        }
    };
    let before = issues.0.len();
    let mut out: Vec<Target> = Vec::new();
    for i in 0..list.len() {
        let path = ["targets[", &decimal(i), "]"].concat();
        match list.at(i) {
            Some(t) => {
                if let Some(t) = validate::target(&t, &path, issues) {
                    if let Some(j) = out.iter().position(|o| same_target(o, &t)) {
                        issues.push(&path, ["is the same target as targets[", &decimal(j), "]"].concat());
                    }
                    out.push(t);
                }
            }
            None => issues.push(&path, "must be a target object"),
        }
    }
    (issues.0.len() == before).then_some(out)
}

/// The pool's current assignments as Graph returned them, checked so they can be sent again.
fn read_current<V: JsonView>(v: &V, issues: &mut Issues) -> Option<Vec<Assignment>> {
    let mut inner = Issues::default();
    match validate::assignments(Some(v), &mut inner) {
        Some(list) => Some(list),
        None => {
            for i in inner.0 {
                issues.push(
                    &i.path.replacen("assignments", "current assignments", 1),
                    ["cannot be sent back to Graph unchanged (", &i.message, "), so the pool is left as it is"]
                        .concat(),
                );
            }
            None
        }
    }
}

/// Whether Graph's set (`found`, as read back) is the set that was written: same targets, same
/// filters, in any order. Anything else means someone else changed the pool in between.
pub fn same_set<V: JsonView>(written: &[Assignment], found: &V) -> bool {
    let mut ignored = Issues::default();
    let Some(found) = validate::assignments(Some(found), &mut ignored) else { return false };
    let key = |t: &Target| {
        (
            t.kind(),
            t.id().map(str::to_ascii_lowercase),
            t.filter().id.as_ref().map(|f| f.to_ascii_lowercase()),
            t.filter().filter_type,
        )
    };
    let normalise = |t: &Target| {
        let (k, id, fid, ft) = key(t);
        // `none` and absent are the same filter type.
        (k, id, fid, ft.filter(|f| *f != crate::model::DeviceAndAppManagementAssignmentFilterType::None))
    };
    found.len() == written.len()
        && written.iter().all(|w| found.iter().any(|f| normalise(&f.target) == normalise(&w.target)))
        && found.iter().all(|f| written.iter().any(|w| normalise(&f.target) == normalise(&w.target)))
}
