//! Changing a pool's assignments without losing any: `assign` replaces the whole set, so
//! `addAssignments` and `removeAssignments` read the current set, merge here, and write the result.
//!
//! Targets are the same when their kind and group (or collection) id are, whatever their filters.
//! The current set is re-validated before it is written back; if Graph returned something this
//! library cannot send again exactly (a target kind added after it was written), the merge is
//! refused rather than let that assignment be dropped.

use crate::error::Issue;
use crate::json::{decimal, JsonView, Kind};
use crate::model::{
    DeviceAndAppManagementAssignmentTarget as Target, EmbeddedSimActivationCodePoolAssignment as Assignment,
};
use crate::prelude::*;
use crate::repeats::{contains, repeats, sorted};
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

pub fn merge<V: JsonView>(current: &V, targets: Option<&V>, change: Change) -> Result<Merged, Vec<Issue>> {
    let mut issues = Issues::default();
    let targets = read_targets(targets, &mut issues);
    let current = read_current(current, &mut issues);
    let (Some(targets), Some(current)) = (targets, current) else { return Err(issues.0) };

    // Sorted keys of what the pool holds, so each target is looked up in log time.
    let held = sorted(current.iter().map(|a| Some(a.target.key())).collect());
    let merged = match change {
        Change::Add => {
            let mut assignments = current.clone();
            let mut added: Vec<Target> = Vec::new();
            for (j, t) in targets.iter().enumerate() {
                if t.opposite_key().is_some_and(|k| contains(&held, &k)) {
                    let message = "names a group the pool already has the other way: a group cannot be both included and excluded";
                    issues.push(&["targets[", &decimal(j), "]"].concat(), message);
                } else if !contains(&held, &t.key()) {
                    assignments.push(Assignment { odata_type: None, id: None, target: t.clone() });
                    added.push(t.clone());
                }
            }
            Merged { assignments, added, removed: Vec::new() }
        }
        Change::Remove => {
            let named = sorted(targets.iter().map(|t| Some(t.key())).collect());
            let (removed, kept): (Vec<_>, Vec<_>) =
                current.iter().enumerate().partition(|(_, a)| contains(&named, &a.target.key()));
            Merged {
                assignments: kept.into_iter().map(|(_, a)| a.clone()).collect(),
                added: Vec::new(),
                removed: removed.into_iter().map(|(i, _)| i).collect(),
            }
        }
    };
    if issues.0.is_empty() {
        Ok(merged)
    } else {
        Err(issues.0)
    }
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
    let mut at: Vec<usize> = Vec::new();
    for i in 0..list.len() {
        let path = ["targets[", &decimal(i), "]"].concat();
        match list.at(i) {
            Some(t) => {
                if let Some(t) = validate::target(&t, &path, issues) {
                    out.push(t);
                    at.push(i);
                }
            }
            None => issues.push(&path, "must be a target object"),
        }
    }
    for (n, first) in repeats(out.iter().map(|t| Some(t.key())).collect()) {
        let (i, j) = (at.get(n).copied().unwrap_or(n), at.get(first).copied().unwrap_or(first));
        issues.push(
            &["targets[", &decimal(i), "]"].concat(),
            ["is the same target as targets[", &decimal(j), "]"].concat(),
        );
    }
    // A group both included and excluded among the targets themselves: `assign` would refuse
    // the set they make, so they are refused here, before anything is read or written.
    let keys = sorted(out.iter().map(|t| Some(t.key())).collect());
    for (n, t) in out.iter().enumerate() {
        let opposite = t.opposite_key().and_then(|k| {
            let at = keys.partition_point(|(key, _)| *key < k);
            keys.get(at).filter(|(key, _)| *key == k)
        });
        if let Some((_, other)) = opposite {
            if *other < n {
                let (i, j) = (at.get(n).copied().unwrap_or(n), at.get(*other).copied().unwrap_or(*other));
                issues.push(
                    &["targets[", &decimal(i), "]"].concat(),
                    [
                        "names the group of targets[",
                        &decimal(j),
                        "] the other way: a group cannot be both included and excluded",
                    ]
                    .concat(),
                );
            }
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
                // Every path starts with "assignments"; `replacen` would bring a substring searcher
                // into the wasm for this one use.
                issues.push(
                    &["current ", &i.path].concat(),
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
    // Same targets with the same filters, in any order; `none` and no filter type are the same.
    let key = |t: &Target| {
        let f = t.filter();
        let filter_type =
            f.filter_type.filter(|ft| *ft != crate::model::DeviceAndAppManagementAssignmentFilterType::None);
        let filter_id = f.id.as_deref().unwrap_or_default().to_ascii_lowercase();
        Some([t.key().as_str(), " ", &filter_id, " ", filter_type.map_or("", |ft| ft.as_str())].concat())
    };
    let keys_of = |list: Vec<Option<String>>| sorted(list).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
    found.len() == written.len()
        && keys_of(written.iter().map(|w| key(&w.target)).collect())
            == keys_of(found.iter().map(|f| key(&f.target)).collect())
}
