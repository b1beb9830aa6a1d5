//! Pool ids. A pool's id is all of the caller's input that can reach a URL's path, so it has one
//! rule, a GUID, kept here with `assignMany`'s list of them, which applies that rule to each id
//! and refuses the same pool twice.

use super::id_list::id_list;
use super::Issues;
use crate::guid::is_guid;
use crate::json::{JsonView, Kind};
use crate::prelude::*;

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
    id_list(list, "poolIds", "pool", |id, path, issues| pool_id(id.as_ref(), path, issues), issues)
}
