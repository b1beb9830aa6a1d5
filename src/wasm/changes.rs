//! `addAssignments` / `removeAssignments`: `assign` replaces a pool's whole set, so these read
//! the set, merge the change into it (the core's `merge`), write it whole and read it back. If
//! the read-back is not what was written, someone changed the pool in between: a ConflictError.
//! One call: `timeoutMs` bounds all three requests together. The assignments the change does
//! not touch are sent back as the very objects Graph answered with, through the host's JSON.

use js_sys::Promise;
use js_sys::{Array, Object};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::promise;

use super::errors;
use super::input::{self, view};
use super::js::{self, set};
use super::pools::{checked, pool_id, send_assign_json, walk, List};
use crate::error::{Error, CONFLICT_MESSAGE};
use crate::json::{write_array, JsonView};
use crate::merge::{self, Change, Entry};
use crate::model::EmbeddedSimActivationCodePoolAssignment as Assignment;
use crate::request::ListQuery;
use crate::tree::Tree;

/// Rust values as plain JavaScript objects and arrays (not `Map`s).
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

/// Assignments and targets as Graph's JSON, which the core writes for request bodies anyway
/// (serialising the tagged, flattened target kinds through serde costs kilobytes of wasm more).
fn graph_json<T>(items: &[T], write: impl Fn(&T, &mut String)) -> JsValue {
    let mut text = String::new();
    write_array(&mut text, items, write);
    js::json_parse(&text.into()).unwrap_or(JsValue::NULL)
}

async fn change(
    pool: JsValue,
    targets: JsValue,
    token: JsValue,
    options: JsValue,
    kind: Change,
) -> Result<JsValue, JsValue> {
    let targets_tree = input::arg(&targets);
    let (pool, call) = checked(&token, &options, None, |issues| {
        let pool = pool_id(&pool, issues);
        // The targets' own rules, checked against an empty pool before anything is read.
        if let Err(mut more) = merge::merge(&&Tree::Array(Vec::new()), view(&targets_tree).as_ref(), Change::Add) {
            issues.0.append(&mut more);
        }
        pool
    })?;
    let before = walk(&call, List::Assignments, Some(&pool), &ListQuery::default()).await?;
    let current = input::plain(before.clone().into());
    // Every assignment of the pool must have been read, or those past the point where reading
    // stopped (`MAX_VALUES`) would be left out of the set written, and so removed.
    if (&current).len() != before.length() as usize {
        let message = "the pool holds more assignments than can be read in one call, so it is left as it is; use assign with the whole set";
        return Err(errors::of(&Error::Response(message.into()), Object::new(), None, None));
    }
    let merged = merge::merge(&&current, view(&targets_tree).as_ref(), kind).map_err(|i| errors::validation(&i))?;
    let result = Object::new();
    set(&result, "before", &before);
    if merged.is_unchanged() {
        set(&result, "after", &before);
        set(&result, "added", &Array::new());
        set(&result, "removed", &Array::new());
        return Ok(result.into());
    }
    // The set to write: the pool's own objects as Graph answered them, and the new assignments
    // (`added`, in the order of the entries that are new), written and parsed once.
    let new: Vec<Assignment> =
        merged.added.iter().map(|t| Assignment { odata_type: None, id: None, target: t.clone() }).collect();
    let new = graph_json(&new, Assignment::write_json).dyn_into::<Array>().unwrap_or_default();
    let mut next_new = new.iter();
    let written: Array = merged
        .entries
        .iter()
        .map(|e| match e {
            Entry::Held(i) => before.get(*i as u32),
            Entry::New(_) => next_new.next().unwrap_or(JsValue::NULL),
        })
        .collect();
    // JSON.parse made every object here, so JSON.stringify does not throw on them.
    let text = js::json_stringify(&written).map(String::from).map_err(|_| {
        let message = "the set of assignments to write could not be written as JSON";
        errors::of(&Error::Response(message.into()), Object::new(), None, None)
    })?;
    send_assign_json(&call, &pool, &text).await?;
    let after = walk(&call, List::Assignments, Some(&pool), &ListQuery::default()).await?;
    let found = input::plain(after.clone().into());
    if !merge::same_set(&merged, &&current, &&found) {
        let props = Object::new();
        set(&props, "written", &written);
        set(&props, "found", &after);
        return Err(errors::of(&Error::Conflict(CONFLICT_MESSAGE.into()), props, None, None));
    }
    set(&result, "after", &after);
    set(&result, "added", &new.iter().map(|a| js::get(&a, "target")).collect::<Array>());
    set(&result, "removed", &merged.removed.iter().map(|i| before.get(*i as u32)).collect::<Array>());
    Ok(result.into())
}

/// Adds targets to a pool, keeping its other assignments.
#[wasm_bindgen(js_name = addAssignments, unchecked_return_type = "Promise<AssignmentChange>")]
pub fn add_assignments(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly DeviceAndAppManagementAssignmentTarget[]")] targets: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
) -> Promise {
    promise(async move {
        // A missing or null `options` is no options.
        let options = options.unwrap_or_default();
        change(pool, targets, token, options, Change::Add).await
    })
}

/// Removes the named targets from a pool, keeping the others.
#[wasm_bindgen(js_name = removeAssignments, unchecked_return_type = "Promise<AssignmentChange>")]
pub fn remove_assignments(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly DeviceAndAppManagementAssignmentTarget[]")] targets: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
) -> Promise {
    promise(async move {
        // A missing or null `options` is no options.
        let options = options.unwrap_or_default();
        change(pool, targets, token, options, Change::Remove).await
    })
}
