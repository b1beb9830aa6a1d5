//! The calls over many pools: the batched reads (`listAssignmentsMany`,
//! `listDeviceStatesMany`, `poolReport`) and `assignMany`. The engine schedules, paces, retries
//! and falls back (`crate::engine::reads`, `report`, `assign_many`); this makes its results
//! JavaScript. They all behave one way: `timeoutMs` bounds the whole call, and an abort or the
//! deadline rejects with its error, whose `results` holds the pools done so far.

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;

use super::call::{kept, start, Args, Call};
use super::input;
use super::js::{self, set, set_num, set_str};
use super::json::{Js, Json};
use crate::engine::assign_many::AssignMany;
use crate::engine::reads::Reads;
use crate::engine::report::{Report, Row, Summary};
use crate::engine::walk::List;
use crate::engine::Failure;
use crate::json::write_array;
use crate::model::EmbeddedSimActivationCodePoolAssignment as Assignment;
use crate::operation;

/// One pool's result: `{ poolId, ok: true, value }` or `{ poolId, ok: false, error }`.
fn result(call: &Call, pool: &str, outcome: Result<Json, Failure<Js>>) -> JsValue {
    let out = Object::new();
    set_str(&out, "poolId", pool);
    match outcome {
        Ok(v) => {
            set(&out, "ok", &true.into());
            set(&out, "value", &v.0);
        }
        Err(f) => {
            set(&out, "ok", &false.into());
            set(&out, "error", &call.failure(f));
        }
    }
    out.into()
}

/// The error that stopped a call over many pools, with the results of the pools done so far.
pub(super) fn stopped(e: JsValue, results: Array) -> JsValue {
    if e.is_object() {
        // The caller's own value (an abort's reason may be any object, frozen or a proxy): the
        // store is caught, so a refusal or a trap's throw leaves it as it was.
        set(e.unchecked_ref(), "results", &results);
    }
    e
}

fn read_many(pool_ids: &JsValue, token: &JsValue, options: JsValue, list: List) -> Promise {
    let args = Args::new(token, &options);
    let ids = input::arg(pool_ids);
    let checked = operation::many(ids.as_ref().as_ref(), args.token().as_ref(), args.options().as_ref());
    start(args.call(token, checked, None).map(|(ids, many, call)| {
        // A plain loop: a map's collect is compiled of its own.
        let mut pools = Vec::with_capacity(ids.len());
        for id in ids.iter() {
            pools.push((id.clone(), true));
        }
        let reads = Reads::new(&pools, &[list], many, &call.engine);
        let done = |reads: &mut Reads<Js>, ran: Result<(), JsValue>, call: &Call| {
            // A plain loop: a collect into an `Array` is an `Extend` compiled of its own.
            let results = Array::new();
            // Each pool's lists taken where the engine holds them, and its one list popped: no
            // vector of them moved into a loop, which would compile its own drop.
            for pool in 0..reads.pools() {
                let Some((id, mut lists)) = reads.result(pool) else { continue };
                if let Some(outcome) = lists.pop() {
                    results.push(&result(call, id, outcome));
                }
            }
            ran.map(|()| results.clone().into()).map_err(|e| stopped(e, results))
        };
        (call, kept(reads, done))
    }))
}

/// Every pool's assignments, batched: one result per pool, in order.
#[wasm_bindgen(
    js_name = listAssignmentsMany,
    unchecked_return_type = "Promise<PoolResult<EmbeddedSimActivationCodePoolAssignment>[]>"
)]
pub fn list_assignments_many(
    #[wasm_bindgen(js_name = poolIds, unchecked_param_type = "readonly string[]")] pool_ids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ManyOptions")] options: JsValue,
) -> Promise {
    read_many(&pool_ids, &token, options, List::Assignments)
}

/// Every pool's device states, batched: one result per pool, in order.
#[wasm_bindgen(js_name = listDeviceStatesMany, unchecked_return_type = "Promise<PoolResult<EmbeddedSimDeviceState>[]>")]
pub fn list_device_states_many(
    #[wasm_bindgen(js_name = poolIds, unchecked_param_type = "readonly string[]")] pool_ids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ManyOptions")] options: JsValue,
) -> Promise {
    read_many(&pool_ids, &token, options, List::DeviceStates)
}

/// The whole tenant's eSIM state: every pool, with its assignments, its device states counted
/// by state and the devices that failed. A pool whose reads failed has its `error` instead;
/// the others are kept. Paced under Intune's read limit, as the batched reads are.
#[wasm_bindgen(js_name = poolReport, unchecked_return_type = "Promise<TenantReport>")]
pub fn pool_report(
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ManyOptions")] options: JsValue,
) -> Promise {
    let args = Args::new(&token, &options);
    let checked = operation::report(args.token().as_ref(), args.options().as_ref());
    start(args.call(&token, checked, None).map(|((), many, call)| {
        let report = Report::new(many, &call.engine);
        let done = |report: &mut Report<Js>, ran: Result<Result<(), Failure<Js>>, JsValue>, call: &Call| {
            let rows = pool_rows(call, report.rows());
            match ran {
                Ok(Ok(())) => {
                    let out = Object::new();
                    set(&out, "generatedDateTime", &js_sys::Date::new_0().to_iso_string().into());
                    set(&out, "pools", &rows);
                    Ok(out.into())
                }
                Ok(Err(f)) => Err(stopped(call.failure(f), rows)),
                Err(e) => Err(stopped(e, rows)),
            }
        };
        (call, kept(report, done))
    }))
}

/// The properties of a pool a report shows.
const POOL_SUMMARY: [&str; 5] = ["id", "displayName", "activationCodeCount", "createdDateTime", "modifiedDateTime"];
/// The properties of a failed device a report shows.
const FAILURE: [&str; 6] = ["id", "state", "deviceName", "userName", "stateDetails", "lastSyncDateTime"];

fn pick(from: &JsValue, names: &[&str]) -> Object {
    let out = Object::new();
    for name in names {
        let v = js::get(from, name);
        set(&out, name, &if v.is_undefined() { JsValue::NULL } else { v });
    }
    out
}

/// One pool's row of the report: its counts, or the first error of its reads.
/// A report's rows as JavaScript, in their order. A plain loop: a collect into an `Array` is an
/// `Extend` compiled of its own for each iterator.
pub(super) fn pool_rows(call: &Call, mut rows: Vec<Row<Js>>) -> Array {
    let out = Array::new();
    // Each row's lists taken where the row is (an empty failure left in their place): a loop
    // over the moved vector would compile its own drop.
    for row in rows.iter_mut() {
        let lists = core::mem::replace(&mut row.lists, Err(Failure::Token(JsValue::UNDEFINED)));
        out.push(&pool_row(call, &row.pool, lists));
    }
    out
}

fn pool_row(call: &Call, pool: &Json, lists: Result<Summary<Json>, Failure<Js>>) -> JsValue {
    let out = Object::new();
    set(&out, "pool", &pick(&pool.0, &POOL_SUMMARY));
    let summary = match lists {
        Ok(s) => s,
        Err(f) => {
            set(&out, "error", &call.failure(f));
            return out.into();
        }
    };
    set(&out, "assignments", &summary.assignments.0);
    let by_state = Object::new();
    for (state, n) in &summary.by_state {
        set_num(&by_state, state, f64::from(*n));
    }
    let counts = Object::new();
    set_num(&counts, "total", f64::from(summary.total));
    set(&counts, "byState", &by_state);
    set(&out, "deviceStates", &counts);
    // A plain loop: a collect into an `Array` is an `Extend` compiled of its own.
    let failures = Array::new();
    for d in &summary.failures {
        failures.push(&pick(&d.0, &FAILURE));
    }
    set(&out, "failures", &failures);
    out.into()
}

/// The same assignments to many pools: one result per pool, in the order given. A failing pool
/// never costs the others; the writes are paced under Intune's write limit.
#[wasm_bindgen(js_name = assignMany, unchecked_return_type = "Promise<PoolResult<EmbeddedSimActivationCodePoolAssignment>[]>")]
pub fn assign_many(
    #[wasm_bindgen(js_name = poolIds, unchecked_param_type = "readonly string[]")] pool_ids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly EmbeddedSimActivationCodePoolAssignment[]")] assignments: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "AssignManyOptions")] options: JsValue,
) -> Promise {
    let args = Args::new(&token, &options);
    let (ids, list) = (input::arg(&pool_ids), input::arg(&assignments));
    let checked = operation::assign_many(
        ids.as_ref().as_ref(),
        list.as_ref().as_ref(),
        args.token().as_ref(),
        args.options().as_ref(),
    );
    start(args.call(&token, checked, None).map(|((ids, list), spread, call)| {
        // Written once, sent to every pool.
        let mut body = String::new();
        write_array(&mut body, &list, Assignment::write_json);
        let writes = AssignMany::new(ids, body, spread);
        let done = |writes: &mut AssignMany<Js>, ran: Result<(), JsValue>, call: &Call| {
            // A plain loop: a collect into an `Array` is an `Extend` compiled of its own.
            let results = Array::new();
            for pool in 0..writes.pools().len() {
                if let Some((id, outcome)) = writes.result(pool) {
                    results.push(&result(call, id, outcome));
                }
            }
            ran.map(|()| results.clone().into()).map_err(|e| stopped(e, results))
        };
        (call, kept(writes, done))
    }))
}
