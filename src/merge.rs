//! Changing a pool's assignments without losing any: `assign` replaces the whole set, so
//! `addAssignments` and `removeAssignments` read the current set, merge here, and write the result.
//!
//! The caller's targets are checked by the caller's rules. The pool's current assignments are
//! Graph's own objects and are never judged by them: each is read only for its key (see
//! [`crate::target_key`]), and the ones a change does not touch are written back exactly as
//! they were read, with properties and target kinds this library does not know. Targets are
//! the same when their kind and group (or collection) id are, whatever their filters.

use crate::error::Issue;
use crate::json::{JsonView, Kind};
use crate::model::DeviceAndAppManagementAssignmentTarget as Target;
use crate::prelude::*;
use crate::repeats::{contains, sorted};
use crate::target_key;
use crate::text::decimal;
use crate::validate::{self, Issues};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Add,
    Remove,
}

/// One assignment of the set to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// The current set's assignment at this index, to send back as Graph gave it.
    Held(usize),
    /// A new assignment of this target.
    New(Target),
}

/// The set to write, and what changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub entries: Vec<Entry>,
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

/// Merges the caller's `targets` into the pool's `current` assignments (Graph's `value` items).
pub fn merge<V: JsonView, T: JsonView>(current: &V, targets: Option<&T>, change: Change) -> Result<Merged, Vec<Issue>> {
    let mut issues = Issues::default();
    let Some(targets) = read_targets(targets, &mut issues) else { return Err(issues.0) };
    // Plain loops here, not collects of iterators: less wasm for the same lists.
    let mut held_keys: Vec<String> = Vec::with_capacity(current.len());
    let mut keys = Vec::with_capacity(current.len());
    for i in 0..current.len() {
        let key = held_key(current, i);
        keys.push(Some(key.clone()));
        held_keys.push(key);
    }
    // Sorted keys of what the pool holds, so each target is looked up in log time.
    let held = sorted(keys);
    let merged = match change {
        Change::Add => {
            let mut entries: Vec<Entry> = Vec::with_capacity(held_keys.len());
            for i in 0..held_keys.len() {
                entries.push(Entry::Held(i));
            }
            let mut added: Vec<Target> = Vec::new();
            for (j, t) in targets.iter().enumerate() {
                let key = t.key();
                // The pool's assignments of this target: already there when one has the same
                // filter as it applies; with another filter, the caller's filter would be lost.
                let run = held.get(held.partition_point(|(k, _)| *k < key)..).unwrap_or_default();
                // A plain loop, not a take_while's collect: less wasm for the same list.
                let mut same: Vec<usize> = Vec::new();
                for (k, i) in run {
                    if *k != key {
                        break;
                    }
                    same.push(*i);
                }
                let filter = target_key::filter_of(t);
                let path = || joined(&["targets[", &decimal(j), "]"]);
                if t.opposite_key().is_some_and(|k| contains(&held, &k)) {
                    let message = "names a group the pool already has the other way: a group cannot be both included and excluded";
                    issues.push(path(), message);
                } else if same.is_empty() {
                    entries.push(Entry::New(t.clone()));
                    added.push(t.clone());
                } else if !same.iter().any(|i| held_filter(current, *i) == filter) {
                    let message = "is a target the pool already has with another assignment filter: remove it first (removeAssignments), or write the whole set with assign";
                    issues.push(path(), message);
                }
            }
            Merged { entries, added, removed: Vec::new() }
        }
        Change::Remove => {
            let mut named = Vec::with_capacity(targets.len());
            for t in &targets {
                named.push(Some(t.key()));
            }
            let named = sorted(named);
            let (mut removed, mut entries) = (Vec::new(), Vec::new());
            for (i, k) in held_keys.iter().enumerate() {
                if contains(&named, k) {
                    removed.push(i);
                } else {
                    entries.push(Entry::Held(i));
                }
            }
            Merged { entries, added: Vec::new(), removed }
        }
    };
    if issues.0.is_empty() {
        Ok(merged)
    } else {
        Err(issues.0)
    }
}

/// The target of the current set's `i`-th assignment, or nothing an object could hold (Graph's
/// answer was checked to have a target object on every item before it got here).
fn held_target<V: JsonView>(current: &V, i: usize) -> Option<V> {
    current.at(i).filter(|a| a.kind() == Kind::Object).and_then(|a| a.get("target"))
}

fn held_filter<V: JsonView>(current: &V, i: usize) -> String {
    held_target(current, i).map_or_else(String::new, |t| target_key::filter_of_answered(&t))
}

fn held_key<V: JsonView>(current: &V, i: usize) -> String {
    held_target(current, i).map_or_else(|| String::from("\u{0}"), |t| target_key::of_answered(&t))
}

/// The caller's targets: each a target object as in an assignment (`{ "@odata.type", groupId }`),
/// checked by the same rules, with no target twice.
pub fn read_targets<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<Vec<Target>> {
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
        let path = joined(&["targets[", &decimal(i), "]"]);
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
    let mut pairs: Vec<(usize, &Target)> = Vec::with_capacity(out.len());
    for (i, t) in at.iter().zip(&out) {
        pairs.push((*i, t));
    }
    validate::conflicts(&pairs, "targets", "", issues);
    (issues.0.len() == before).then_some(out)
}

/// Whether Graph's set (`found`, as read back) is the set that was written: the same targets
/// with the same filters as they apply, in any order. Anything else means someone else changed
/// the pool in between.
pub fn same_set<V: JsonView>(merged: &Merged, current: &V, found: &V) -> bool {
    if found.len() != merged.entries.len() {
        return false;
    }
    // Plain loops, not collects of iterators: less wasm for the same keys.
    let mut written = Vec::with_capacity(merged.entries.len());
    for e in &merged.entries {
        written.push(Some(match e {
            Entry::Held(i) => answered_key(held_target(current, *i)),
            Entry::New(t) => target_key::with_filter(&t.key(), &target_key::filter_of(t)),
        }));
    }
    let mut found_keys = Vec::with_capacity(found.len());
    for i in 0..found.len() {
        found_keys.push(Some(answered_key(held_target(found, i))));
    }
    let (written, found_keys) = (sorted(written), sorted(found_keys));
    written.len() == found_keys.len() && written.iter().zip(&found_keys).all(|((a, _), (b, _))| a == b)
}

/// A target Graph answered, with its filter as it applies.
fn answered_key<V: JsonView>(target: Option<V>) -> String {
    match target {
        Some(t) => target_key::with_filter(&target_key::of_answered(&t), &target_key::filter_of_answered(&t)),
        None => String::from("\u{0}"),
    }
}
