//! The exports that need no network: reading an operator's activation code file, and merging a
//! change into a pool's current assignments (used by `addAssignments`/`removeAssignments`).

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::errors::descriptor;
use super::js::{json_parse, set};
use super::present;
use crate::error::{Error, Issue};
use crate::json::write_array;
use crate::merge::{self, Change};
use crate::model::{
    DeviceAndAppManagementAssignmentTarget, EmbeddedSimActivationCode, EmbeddedSimActivationCodePoolAssignment,
};
use crate::validate::{self, Issues};

fn invalid(issues: Vec<Issue>) -> JsValue {
    descriptor(Error::Validation(issues), None)
}

/// Our JSON, parsed by the host: the model types write it, `JSON.parse` makes the objects.
fn parsed(json: &str) -> JsValue {
    json_parse(json).unwrap_or(JsValue::NULL)
}

#[wasm_bindgen(js_name = parseActivationCodesCsv)]
pub fn parse_activation_codes_csv(text: JsValue) -> Result<JsValue, JsValue> {
    let Some(text) = text.as_string() else {
        return Err(invalid(vec![Issue::new("text", "must be the file's text, a string")]));
    };
    let file = crate::csv::parse(&text).map_err(invalid)?;
    let mut codes = String::new();
    write_array(&mut codes, &file.activation_codes, EmbeddedSimActivationCode::write_json);
    let o = Object::new();
    set(&o, "displayName", &file.display_name.map_or(JsValue::NULL, JsValue::from));
    set(&o, "activationCodes", &parsed(&codes));
    Ok(o.into())
}

/// Adds the checks of the token and the options every call takes, then answers with every
/// problem found, or nothing.
fn checked(mut issues: Issues, token: &JsValue, options: &JsValue) -> Result<(), JsValue> {
    validate::token(present(token), &mut issues);
    validate::options(present(options), &mut issues);
    if issues.0.is_empty() {
        Ok(())
    } else {
        Err(invalid(issues.0))
    }
}

/// Checks an `addAssignments`/`removeAssignments` call before anything is read or written.
#[wasm_bindgen(js_name = checkChange)]
pub fn check_change(pool_id: JsValue, targets: JsValue, token: JsValue, options: JsValue) -> Result<(), JsValue> {
    let mut issues = Issues::default();
    validate::pool_id(present(&pool_id), "poolId", &mut issues);
    let empty: JsValue = Array::new().into();
    if let Err(mut more) = merge::merge(&empty, present(&targets), Change::Add) {
        issues.0.append(&mut more);
    }
    checked(issues, &token, &options)
}

/// `{ assignments, added, removed, unchanged }`: the set to write, the targets added, and the
/// indexes of the current assignments removed.
#[wasm_bindgen(js_name = mergeAssignments)]
pub fn merge_assignments(current: JsValue, targets: JsValue, change: &str) -> Result<JsValue, JsValue> {
    let change = if change == "remove" { Change::Remove } else { Change::Add };
    let merged = merge::merge(&current, present(&targets), change).map_err(invalid)?;
    let (mut list, mut added) = (String::new(), String::new());
    write_array(&mut list, &merged.assignments, EmbeddedSimActivationCodePoolAssignment::write_json);
    write_array(&mut added, &merged.added, DeviceAndAppManagementAssignmentTarget::write_json);
    let removed = Array::new();
    for i in &merged.removed {
        removed.push(&(*i as u32).into());
    }
    let o = Object::new();
    set(&o, "assignments", &parsed(&list));
    set(&o, "added", &parsed(&added));
    set(&o, "removed", &removed);
    set(&o, "unchanged", &merged.is_unchanged().into());
    Ok(o.into())
}

/// Whether `found` (read back from Graph) is the set `written` (from `mergeAssignments`).
#[wasm_bindgen(js_name = sameAssignments)]
pub fn same_assignments(written: JsValue, found: JsValue) -> bool {
    let mut ignored = Issues::default();
    let written: Vec<EmbeddedSimActivationCodePoolAssignment> =
        validate::assignments(Some(&written), &mut ignored).unwrap_or_default();
    ignored.0.is_empty() && merge::same_set(&written, &found)
}

/// Checks an `assignMany` call before the first write: pool ids, the shared arguments, and the
/// bulk options (`bulk`), every problem at once.
#[wasm_bindgen(js_name = checkAssignMany)]
pub fn check_assign_many(
    pool_ids: JsValue,
    assignments: JsValue,
    token: JsValue,
    options: JsValue,
    bulk: JsValue,
) -> Result<(), JsValue> {
    let mut issues = Issues::default();
    validate::pool_ids(present(&pool_ids), &mut issues);
    validate::assignments(present(&assignments), &mut issues);
    validate::bulk_options(present(&bulk), &mut issues);
    checked(issues, &token, &options)
}

/// The exact request `assign` would send, with the token masked: what a dry run or a preview
/// shows. `{ method, url, headers: [[name, value]...], body }`.
#[wasm_bindgen(js_name = previewAssign)]
pub fn preview_assign(pool_id: JsValue, assignments: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let mut issues = Issues::default();
    let pool_id = validate::pool_id(present(&pool_id), "poolId", &mut issues);
    let assignments = validate::assignments(present(&assignments), &mut issues);
    let options = validate::options(present(&options), &mut issues);
    let (Some(pool_id), Some(assignments), Some(options)) = (pool_id, assignments, options) else {
        return Err(invalid(issues.0));
    };
    let crid = options.client_request_id.as_deref().unwrap_or("(a fresh GUID for each call)");
    let request = crate::request::assign(&options.base_url, &pool_id, &assignments, "***", crid);
    let headers = Array::new();
    for (name, value) in request.masked_headers() {
        headers.push(&Array::of2(&name.into(), &value.into()));
    }
    let o = Object::new();
    set(&o, "method", &request.method.into());
    set(&o, "url", &request.url.into());
    set(&o, "headers", &headers);
    set(&o, "body", &request.body.map_or(JsValue::NULL, JsValue::from));
    Ok(o.into())
}
