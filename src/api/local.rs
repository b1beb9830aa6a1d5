//! The operations that need no network: the checks and merges of `addAssignments` and
//! `removeAssignments`, and the preview of an `assign` request.

use super::out::{self, Writer};
use super::prepare::token_and_options;
use super::Args;
use crate::json::{decimal, write_array, JsonView};
use crate::merge::{self, Change};
use crate::model::{DeviceAndAppManagementAssignmentTarget, EmbeddedSimActivationCodePoolAssignment};
use crate::prelude::*;
use crate::validate::{self, Issues};
use crate::value::{Node, Value};

/// Every problem found, or `{"ok":null}`.
pub(super) fn verdict(issues: Issues) -> String {
    if issues.0.is_empty() {
        out::ok("null")
    } else {
        out::invalid(&issues.0)
    }
}

/// `{ poolId, targets, token, options }`: an `addAssignments`/`removeAssignments` call, checked
/// before anything is read or written.
pub fn check_change(args: &Args) -> String {
    let mut issues = Issues::default();
    validate::pool_id(args.get("poolId").as_ref(), "poolId", &mut issues);
    let empty = Value { start: 0, end: 0, node: Node::Array(Vec::new()) };
    if let Err(mut more) = merge::merge(&&empty, args.get("targets").as_ref(), Change::Add) {
        issues.0.append(&mut more);
    }
    token_and_options(args, &mut issues);
    verdict(issues)
}

/// `{ current, targets, change }` → `{ assignments, added, removed, unchanged }`: the set to
/// write, the targets added, and the indexes of the current assignments removed.
pub fn merge_assignments(args: &Args) -> String {
    let change = match args.get("change").and_then(|c| c.string()) {
        Some("remove") => Change::Remove,
        _ => Change::Add,
    };
    let empty = Value { start: 0, end: 0, node: Node::Array(Vec::new()) };
    let current = args.get("current").unwrap_or(&empty);
    let merged = match merge::merge(&current, args.get("targets").as_ref(), change) {
        Ok(m) => m,
        Err(issues) => return out::invalid(&issues),
    };
    let (mut list, mut added) = (String::new(), String::new());
    write_array(&mut list, &merged.assignments, EmbeddedSimActivationCodePoolAssignment::write_json);
    write_array(&mut added, &merged.added, DeviceAndAppManagementAssignmentTarget::write_json);
    let mut w = Writer::new();
    w.raw("{\"ok\":{").key("assignments").raw(&list).key("added").raw(&added).key("removed").raw("[");
    for i in &merged.removed {
        w.comma().raw(&decimal(*i));
    }
    w.raw("]").key("unchanged").raw(if merged.is_unchanged() { "true" } else { "false" }).raw("}}");
    w.0
}

/// `{ written, found }`: whether `found` (read back from Graph) is the set `written`.
pub fn same_assignments(args: &Args) -> String {
    let mut ignored = Issues::default();
    let written = validate::assignments(args.get("written").as_ref(), &mut ignored).unwrap_or_default();
    let same = ignored.0.is_empty() && args.get("found").is_some_and(|f| merge::same_set(&written, &f));
    out::ok(if same { "true" } else { "false" })
}

/// `{ poolId, assignments, options }` → the exact request `assign` would send, with the token
/// masked: `{ method, url, headers: [[name, value]...], body }`. `placeholder` stands for the
/// client-request-id when the caller chose none (each call makes a fresh one).
pub fn preview_assign(args: &Args, placeholder: &str) -> String {
    let mut issues = Issues::default();
    let pool_id = validate::pool_id(args.get("poolId").as_ref(), "poolId", &mut issues);
    let assignments = validate::assignments(args.get("assignments").as_ref(), &mut issues);
    let options = validate::options(args.get("options").as_ref(), &mut issues);
    let (Some(pool_id), Some(assignments), Some(options)) = (pool_id, assignments, options) else {
        return out::invalid(&issues.0);
    };
    let crid = options.client_request_id.as_deref().unwrap_or(placeholder);
    let request = crate::request::assign(&options.base_url, &pool_id, &assignments, crid);
    let mut w = Writer::new();
    w.raw("{\"ok\":{").key("method").str(request.method).key("url").str(&request.url);
    w.key("headers").raw("[[\"Authorization\",\"Bearer ***\"]");
    for (name, value) in &request.headers {
        w.raw(",[").str(name).raw(",").str(value).raw("]");
    }
    w.raw("]").key("body").opt(request.body.as_deref()).raw("}}");
    w.0
}
