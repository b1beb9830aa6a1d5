//! A list of ids: `assignMany`'s `poolIds` and `tenantsReport`'s `tenantIds`. Each id by its
//! own rule, and no id twice: the same pool or tenant twice would be read or written twice.

use super::{item_path, Issues};
use crate::json::JsonView;
use crate::prelude::*;
use crate::repeats::repeats;

/// The ids of `list` (an array), the list called `name` in paths ("poolIds") and each item a
/// `what` in messages ("pool"): each read by `id` at its path, none twice (ignoring case). An item
/// that breaks its rule is `""` in the list, which is then refused.
pub fn id_list<V: JsonView>(
    list: &V,
    name: &str,
    what: &str,
    id: fn(Option<V>, &str, &mut Issues) -> Option<String>,
    issues: &mut Issues,
) -> Option<Vec<String>> {
    let before = issues.0.len();
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for i in 0..list.len() {
        out.push(id(list.at(i), &item_path(name, i, ""), issues).unwrap_or_default());
    }
    // A plain loop, not a map's collect: less wasm for the same keys.
    let mut keys = Vec::with_capacity(out.len());
    for id in &out {
        keys.push(Some(id.to_ascii_lowercase()).filter(|id| !id.is_empty()));
    }
    for (i, first) in repeats(keys) {
        let message = joined(&["is the same ", what, " as ", &item_path(name, first, "")]);
        issues.push(item_path(name, i, ""), message);
    }
    (issues.0.len() == before).then_some(out)
}
