//! `addAssignments` / `removeAssignments`: the engine reads the pool's set, merges the change,
//! writes the whole set and reads it back (`crate::engine::change`), under one deadline and
//! one client-request-id. The assignments the change does not touch go back as the very
//! objects Graph answered with.

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;

use super::call::{job, start, Args, Call};
use super::input;
use super::js::{self, set};
use super::json::{Js, Json};
use super::Outcome;
use crate::engine::change::{ChangeOf, Changed};
use crate::engine::Failure;
use crate::merge::Change;
use crate::operation;
use crate::tree::Tree;

fn change(pool: &JsValue, targets: &JsValue, token: &JsValue, options: JsValue, kind: Change) -> Promise {
    let args = Args::new(token, &options);
    let (pool, targets) = (input::arg(pool), input::arg(targets));
    let checked = operation::change(
        pool.as_ref().as_ref(),
        targets.as_ref().as_ref(),
        args.token().as_ref(),
        args.options().as_ref(),
    );
    start(args.call(token, checked, None).map(|(pool, (), call)| {
        let machine = ChangeOf::new(&pool, targets.unwrap_or(Tree::Null), kind, &call.engine);
        (call, job(machine, done))
    }))
}

/// The change's result: `{ before, after, added, removed }`.
fn done(out: Result<Changed<Json>, Failure<Js>>, call: &Call) -> Outcome {
    let changed = out.map_err(|f| call.failure(f))?;
    let result = Object::new();
    set(&result, "before", &changed.before.0);
    set(&result, "after", &changed.after.0);
    set(&result, "added", &js::json_parse(&changed.added.as_str().into()).unwrap_or_else(|_| Array::new().into()));
    // A plain loop: a collect into an `Array` is an `Extend` compiled of its own.
    let removed = Array::new();
    for r in &changed.removed {
        removed.push(&r.0);
    }
    set(&result, "removed", &removed);
    Ok(result.into())
}

/// Adds targets to a pool, keeping its other assignments.
#[wasm_bindgen(js_name = addAssignments, unchecked_return_type = "Promise<AssignmentChange>")]
pub fn add_assignments(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly DeviceAndAppManagementAssignmentTarget[]")] targets: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
) -> Promise {
    change(&pool, &targets, &token, options, Change::Add)
}

/// Removes the named targets from a pool, keeping the others.
#[wasm_bindgen(js_name = removeAssignments, unchecked_return_type = "Promise<AssignmentChange>")]
pub fn remove_assignments(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly DeviceAndAppManagementAssignmentTarget[]")] targets: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
) -> Promise {
    change(&pool, &targets, &token, options, Change::Remove)
}
