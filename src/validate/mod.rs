//! The input rules of a call. Every problem is collected, each with the path of the value it is
//! about, so one `ValidationError` tells the caller everything to fix; nothing is sent until the
//! list is empty.
//!
//! The rules live one concept to a file, named after what they check, so a reader finds a rule
//! where its name says: `pool_id`, `id_list`, `token`, `options`, `assignment` and `pool`. This module keeps
//! only what they all share (the issue list, and the refusal of misspelt properties) and the one
//! composition of a call's checks, [`checked`]. Every public rule is re-exported here: callers
//! name it `validate::NAME`, whichever file holds it.

mod assignment;
mod id_list;
mod options;
mod pool;
mod pool_id;
mod token;

pub use assignment::{assignments, conflicts, target};
pub use id_list::id_list;
pub use options::{
    assign_many_options, bulk_options, list_options, many_options, options, read_options, Many, OptionSet, Options,
    OwnOptions, Spread, BULK_OPTION_NAMES, DEFAULT_CONCURRENCY, LIST_OPTION_NAMES, MANY_OPTION_NAMES, OPTION_NAMES,
};
pub use pool::{activation_code_problems, duplicate_iccids, new_pool, pool_update};
pub use pool_id::{pool_id, pool_ids};
pub use token::{token, token_string, TokenSource};

use crate::error::Issue;
use crate::json::{JsonView, Kind};
use crate::prelude::*;
use crate::request::ListQuery;
use crate::text::decimal;

/// Collects issues while walking the input.
#[derive(Debug, Default)]
pub struct Issues(pub Vec<Issue>);

impl Issues {
    /// The issue `message` at `path`; a path built for the issue is moved in, not copied.
    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Issue::new(path, message));
    }

    /// `path` `must` be something, and is a value of `kind` instead: "must be a string, got a
    /// number". The many checks of a value's kind share this one function rather than each
    /// building its message inline.
    #[inline(never)]
    pub fn got(&mut self, path: &str, must: &str, kind: Kind) {
        self.got_or_undefined(path, must, Some(kind));
    }

    /// `got`, for a value that may be missing: "must be an array, got undefined".
    pub fn got_or_undefined(&mut self, path: &str, must: &str, kind: Option<Kind>) {
        let kind = kind.map_or("undefined", Kind::described);
        self.0.push(Issue::new(path, joined(&[must, ", got ", kind])));
    }

    /// Puts `prefix` in front of the paths of the issues from the `first`th on. A part checked
    /// with paths relative to itself gets its full path this way, built only when it has problems
    /// (most calls have none, and a large call has thousands of parts).
    pub fn within(&mut self, first: usize, prefix: impl FnOnce() -> String) {
        if self.0.len() > first {
            let prefix = prefix();
            for issue in self.0.iter_mut().skip(first) {
                issue.path.insert_str(0, &prefix);
            }
        }
    }
}

/// The path of the `i`th item of `list`, then `rest`: `assignments[2].target`. Paths are built
/// only for the items with problems, by this one function.
#[inline(never)]
pub fn item_path(list: &str, i: usize, rest: &str) -> String {
    joined(&[list, "[", &decimal(i), "]", rest])
}

/// The path of the property `name` of the value at `path`: `assignments[2].target`.
#[inline(never)]
pub fn field_path(path: &str, name: &str) -> String {
    joined(&[path, ".", name])
}

/// Reports every property not in `known`, naming the closest known one: Graph silently ignores
/// a misspelt property, which would assign to nobody. `other_kinds` are properties that exist,
/// but on another target kind.
fn unknown_properties<V: JsonView>(v: &V, path: &str, known: &[&str], other_kinds: &[&str], issues: &mut Issues) {
    if v.has_only(known) {
        return;
    }
    for key in v.keys() {
        if known.contains(&key.as_str()) || v.get(&key).is_none() {
            continue;
        }
        let mut m = if other_kinds.contains(&key.as_str()) {
            String::from("is not a property of this target kind")
        } else {
            String::from("is not a known property")
        };
        if let Some(near) = closest(&key, known) {
            m.push_str("; did you mean ");
            m.push_str(near);
            m.push('?');
        }
        // Byte by byte: a byte of a non-ASCII character is never an ASCII letter, digit or quote.
        let p = if key.bytes().all(|b| b.is_ascii_alphanumeric()) {
            field_path(path, &key)
        } else {
            // Quotes escaped by hand: `str::replace` compiled a replacing of its own.
            let mut p = joined(&[path, "[\""]);
            for (i, part) in crate::text::split(&key, b'"').enumerate() {
                if i > 0 {
                    p.push_str("\\\"");
                }
                p.push_str(part);
            }
            p.push_str("\"]");
            p
        };
        issues.push(p, m);
    }
}

/// The known name nearest to `s` (case-insensitive edit distance), if it is near enough to be a
/// likely typo. Known names are ASCII: Graph's property names and types.
pub fn closest<'a>(s: &str, known: &[&'a str]) -> Option<&'a str> {
    // A plain loop, not a map, filter and min_by_key: less wasm for the same answer (the first
    // of the nearest, as min_by_key keeps).
    let mut best: Option<(usize, &'a str)> = None;
    for k in known {
        let d = distance(s, k);
        if d <= 2.max(k.len() / 4) && best.map_or(true, |(b, _)| d < b) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// Levenshtein distance from `a` to the known name `b`, over chars, ASCII letters compared
/// without regard to case (rather than both strings lowercased first: a copy of each known name
/// for every unknown one). Known names are ASCII, so `b` is read byte by byte.
fn distance(a: &str, b: &str) -> usize {
    // One row, updated in place: `diagonal` and `left` hold the cells it overwrites. Plain loops,
    // not collects (each compiled of its own).
    let mut row = Vec::with_capacity(b.len() + 1);
    for j in 0..=b.len() {
        row.push(j);
    }
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        if let Some(first) = row.first_mut() {
            *first = left;
        }
        for (cb, cell) in b.bytes().zip(row.iter_mut().skip(1)) {
            let cost = usize::from(!ca.eq_ignore_ascii_case(&char::from(cb)));
            left = (diagonal + cost).min(*cell + 1).min(left + 1);
            diagonal = *cell;
            *cell = left;
        }
    }
    row.last().copied().unwrap_or(0)
}

/// A kind of options: those of every call, or those and an operation's own (`Extra`).
pub trait OptionsKind {
    type Extra;
    /// The options it takes.
    const SET: OptionSet;
    /// Its own options, of those read (taken from the shared checks' box).
    fn extra(own: &mut OwnOptions) -> Self::Extra;
}

/// The options every call takes, and no others.
pub struct EveryCall;

impl OptionsKind for EveryCall {
    type Extra = ();
    const SET: OptionSet = OptionSet::Every;
    fn extra(_: &mut OwnOptions) {}
}

/// A list's: every call's, and Graph's query options.
pub struct ListCall;

impl OptionsKind for ListCall {
    type Extra = ListQuery;
    const SET: OptionSet = OptionSet::List;
    fn extra(own: &mut OwnOptions) -> ListQuery {
        core::mem::take(&mut own.query)
    }
}

/// The batched reads': every call's, `concurrency`, `onProgress` and `readLimit`.
pub struct ManyCall;

impl OptionsKind for ManyCall {
    type Extra = Many;
    const SET: OptionSet = OptionSet::Many;
    fn extra(own: &mut OwnOptions) -> Many {
        own.many()
    }
}

/// `assignMany`'s: every call's, `concurrency`, `onProgress` and `writeLimit`.
pub struct AssignManyCall;

impl OptionsKind for AssignManyCall {
    type Extra = Spread;
    const SET: OptionSet = OptionSet::AssignMany;
    fn extra(own: &mut OwnOptions) -> Spread {
        own.writes()
    }
}

/// What the checks every call shares made: the token (`None` for the one operation that takes
/// no token, `previewAssign`), the options, and the call's own options, of which each kind of
/// call takes its part (`OptionsKind::extra`).
#[derive(Debug, Clone)]
pub struct Shared<V> {
    pub token: Option<TokenSource<V>>,
    pub options: Options<V>,
    pub own: OwnOptions,
}

/// A call whose every argument passed.
#[derive(Debug, Clone)]
pub struct Checked<T, V, E> {
    /// The operation's own arguments, as its checks made them.
    pub own: T,
    /// Boxed, and made by the shared checks alone: each operation's result takes one pointer,
    /// where it copied the token and options field by field in a copy of its own.
    pub shared: Box<Shared<V>>,
    pub extra: E,
}

/// The one composition of a call's checks: the operation's own arguments (`own`), then the token
/// (`None` when the operation takes none) and the options of kind `K`. Every problem at once, in
/// that order, or none.
#[inline(always)]
pub fn checked<V: JsonView, K: OptionsKind, T>(
    own: impl FnOnce(&mut Issues) -> Option<T>,
    token_arg: Option<Option<&V>>,
    options_arg: Option<&V>,
) -> Result<Checked<T, V, K::Extra>, Vec<Issue>> {
    let mut issues = Issues::default();
    let own = own(&mut issues);
    with_common::<V, K, T>(issues, own, token_arg, options_arg)
}

/// The operation's own arguments (and their `issues`) with the checks every call shares:
/// compiled once per kind of arguments and of options, where `checked` is once per operation
/// (its `own` is a closure of each). Only the operation's own value and options are its own;
/// the rest is `common`'s, made once for every operation.
#[inline(never)]
fn with_common<V: JsonView, K: OptionsKind, T>(
    issues: Issues,
    own: Option<T>,
    token_arg: Option<Option<&V>>,
    options_arg: Option<&V>,
) -> Result<Checked<T, V, K::Extra>, Vec<Issue>> {
    let Some(own) = own else { return Err(refused(issues, token_arg, options_arg, K::SET)) };
    let mut shared = common(issues, true, token_arg, options_arg, K::SET)?;
    let extra = K::extra(&mut shared.own);
    Ok(Checked { own, shared, extra })
}

/// The issues of a call whose own arguments were refused: those and the shared checks'. Its own
/// function, so that what the shared checks made is dropped here, once, rather than in every
/// `with_common`.
#[inline(never)]
fn refused<V: JsonView>(
    issues: Issues,
    token_arg: Option<Option<&V>>,
    options_arg: Option<&V>,
    set: OptionSet,
) -> Vec<Issue> {
    common(issues, false, token_arg, options_arg, set).err().unwrap_or_default()
}

/// The checks every call shares, after the operation's own (`issues`, and whether they gave
/// their arguments, `own_given`): compiled once, whatever the operation's own arguments and options are.
fn common<V: JsonView>(
    mut issues: Issues,
    own_given: bool,
    token_arg: Option<Option<&V>>,
    options_arg: Option<&V>,
    set: OptionSet,
) -> Result<Box<Shared<V>>, Vec<Issue>> {
    let token = token_arg.map(|t| token(t, &mut issues));
    let read = read_options(options_arg, set, &mut issues);
    match (token, read) {
        (token, Some((options, own))) if own_given && issues.0.is_empty() => {
            Ok(Box::new(Shared { token: token.flatten(), options, own }))
        }
        _ => Err(issues.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target_key::{FILTER_ID, FILTER_TYPE};

    #[test]
    fn unknown_property_paths_quote_odd_names() {
        use crate::tree::Tree;
        let v = Tree::Object(vec![("a\"b c".into(), Tree::Null), ("ab".into(), Tree::Null)]);
        let mut issues = Issues::default();
        unknown_properties(&&v, "options", &["x"], &[], &mut issues);
        let paths: Vec<&str> = issues.0.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["options[\"a\\\"b c\"]", "options.ab"]);
    }

    #[test]
    fn closest_finds_typos() {
        assert_eq!(closest("groupID", &["groupId", "target"]), Some("groupId"));
        assert_eq!(closest("trget", &["@odata.type", "id", "target"]), Some("target"));
        assert_eq!(closest("zzzzzzzz", &["@odata.type", "id", "target"]), None);
        assert_eq!(closest("deviceAndAppManagementAssignmentFilterID", &[FILTER_ID, FILTER_TYPE]), Some(FILTER_ID));
    }
}
