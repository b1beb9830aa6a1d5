//! Pool ids. A pool's id is all of the caller's input that can reach a URL's path, so it has one
//! rule, a GUID, kept here with `assignMany`'s list of them, which applies that rule to each id
//! and refuses the same pool twice.

use super::{item_path, Issues};
use crate::guid::is_guid;
use crate::json::{JsonView, Kind};
use crate::prelude::*;
use crate::repeats::repeats;

/// `poolId`: a GUID, which is also all that can ever reach the URL path.
pub fn pool_id<V: JsonView>(v: Option<&V>, path: &str, issues: &mut Issues) -> Option<String> {
    match v.map(|v| (v.kind(), v.string())) {
        Some((_, Some(s))) if is_guid(&s) => Some(s.into()),
        Some((_, Some(s))) if s.is_empty() => {
            issues.push(path, "must be the pool's id (a GUID), got an empty string");
            None
        }
        Some((_, Some(_))) => {
            issues.push(path, "must be a GUID like e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7");
            None
        }
        Some((kind, None)) => {
            issues.got(path, "must be a GUID string", kind);
            None
        }
        None => {
            issues.push(path, "is required: the pool's id, a GUID");
            None
        }
    }
}

/// `assignMany`'s pool ids: an array of GUIDs, none twice.
pub fn pool_ids<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<Vec<String>> {
    let list = match v {
        Some(l) if l.kind() == Kind::Array => l,
        other => {
            issues.got_or_undefined("poolIds", "must be an array of pool ids", other.map(|o| o.kind()));
            return None;
        }
    };
    let before = issues.0.len();
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for i in 0..list.len() {
        let path = item_path("poolIds", i, "");
        out.push(pool_id(list.at(i).as_ref(), &path, issues).unwrap_or_default());
    }
    // A plain loop, not a map's collect: less wasm for the same keys.
    let mut keys = Vec::with_capacity(out.len());
    for id in &out {
        keys.push(Some(id.to_ascii_lowercase()).filter(|id| !id.is_empty()));
    }
    for (i, first) in repeats(keys) {
        issues.push(&item_path("poolIds", i, ""), ["is the same pool as ", &item_path("poolIds", first, "")].concat());
    }
    (issues.0.len() == before).then_some(out)
}
