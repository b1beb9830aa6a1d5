//! The Graph operations on pools, their assignments and device states. Each export reads its
//! arguments once, has the core check them all at once (`crate::operation`), and runs its
//! engine machine with the driver ([`Call::run`]).

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

use super::call::{job, start, Args, Call, Job};
use super::input;
use super::js::set;
use super::json::{Js, Json};
use super::Outcome;
use crate::engine::single::{Expect, Single};
use crate::engine::walk::{List, Walk};
use crate::engine::Failure;
use crate::error::Error;
use crate::operation;
use crate::request::{self, HttpRequest, ListQuery};

/// One request whose answer is read by `expect`. Each export makes its job where it makes its
/// machine: the machine is moved once, into the job, where a function between passed it on.
pub(super) fn single(call: Result<(Box<Call>, HttpRequest), JsValue>, expect: Expect) -> Promise {
    run(call.map(|(c, r)| (c, Single::new(r, expect))))
}

/// A one-request machine's job: one for `single` and `updatePool`.
fn run(call: Result<(Box<Call>, Single<Js>), JsValue>) -> Promise {
    start(call.map(|(c, machine)| (c, job(machine, value))))
}

/// What a single request, or an update, resolves to: the value Graph answered, if any.
fn value(out: Result<Option<Json>, Failure<Js>>, call: &Call) -> Outcome {
    match out {
        Ok(v) => Ok(v.map_or(JsValue::UNDEFINED, |v| v.0)),
        Err(f) => Err(call.failure(f)),
    }
}

/// `assign(poolId, assignments, token, options?)`: replaces the pool's assignments and resolves
/// to the `value` array Graph answers with, every property kept.
#[wasm_bindgen(js_name = assign, unchecked_return_type = "Promise<EmbeddedSimActivationCodePoolAssignment[]>")]
pub fn assign(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly EmbeddedSimActivationCodePoolAssignment[]")] assignments: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
) -> Promise {
    let args = Args::new(&token, &options);
    let (pool, list) = (input::arg(&pool), input::arg(&assignments));
    let checked = operation::assign(
        pool.as_ref().as_ref(),
        list.as_ref().as_ref(),
        args.token().as_ref(),
        args.options().as_ref(),
    );
    let call = args.call(&token, checked, None).map(|((pool, list), (), call)| {
        let e = &call.engine;
        let request = request::assign(&e.base_url, &pool, &list, &e.client_request_id);
        (call, request)
    });
    single(call, Expect::Assignments)
}

#[wasm_bindgen(js_name = getPool, unchecked_return_type = "Promise<EmbeddedSimActivationCodePool>")]
pub fn get_pool(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
) -> Promise {
    let call = pool_call(&pool, &token, options).map(|(pool, call)| {
        let e = &call.engine;
        let request = request::get(&e.base_url, Some((&pool, "")), &ListQuery::default(), &e.client_request_id);
        (call, request)
    });
    single(call, Expect::Pool)
}

#[wasm_bindgen(js_name = deletePool, unchecked_return_type = "Promise<void>")]
pub fn delete_pool(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
) -> Promise {
    let call = pool_call(&pool, &token, options).map(|(pool, call)| {
        let request = request::delete_pool(&call.engine.base_url, &pool, &call.engine.client_request_id);
        (call, request)
    });
    single(call, Expect::Nothing)
}

/// The arguments of `getPool` and `deletePool`.
fn pool_call(pool: &JsValue, token: &JsValue, options: JsValue) -> Result<(String, Box<Call>), JsValue> {
    let args = Args::new(token, &options);
    let pool = input::arg(pool);
    let checked = operation::pool(pool.as_ref().as_ref(), args.token().as_ref(), args.options().as_ref());
    args.call(token, checked, None).map(|(pool, (), call)| (pool, call))
}

/// `updatePool(poolId, { displayName }, token, options?)`: renames the pool and resolves to it
/// as Graph now holds it: the PATCH's answer, or, when Graph answers 204 with no body, the pool
/// read back with one GET of the same call.
#[wasm_bindgen(js_name = updatePool, unchecked_return_type = "Promise<EmbeddedSimActivationCodePool>")]
pub fn update_pool(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ displayName: string }")] changes: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
) -> Promise {
    let args = Args::new(&token, &options);
    let (pool, changes) = (input::arg(&pool), input::arg(&changes));
    let checked = operation::update_pool(
        pool.as_ref().as_ref(),
        changes.as_ref().as_ref(),
        args.token().as_ref(),
        args.options().as_ref(),
    );
    run(args.call(&token, checked, None).map(|((pool, name), (), call)| {
        let e = &call.engine;
        let patch = request::update_pool(&e.base_url, &pool, &name, &e.client_request_id);
        (call, Single::update(&pool, patch))
    }))
}

/// Every item of a list: one function serves the three list exports.
fn list_all(list: List, pool: Option<&JsValue>, token: &JsValue, options: JsValue) -> Promise {
    let args = Args::new(token, &options);
    let pool = pool.map(input::arg);
    let pool_view = pool.as_ref().map(|p| p.as_ref());
    let checked =
        operation::list(pool_view.as_ref().map(|p| p.as_ref()), args.token().as_ref(), args.options().as_ref());
    start(args.call(token, checked, None).map(|(pool, query, call)| {
        let first = list.first(&call.engine, pool.as_deref(), &query);
        walk(call, list, first, false)
    }))
}

/// A list's walk from `first` as a job: its items, or with `page`, one page as
/// `{ value, nextLink }`. One closure for both, so that the driver is compiled once for the
/// walks, and the walk made here, once, not in each export.
fn walk(call: Box<Call>, list: List, first: HttpRequest, page: bool) -> (Box<Call>, Box<dyn Job>) {
    let walk = if page { Walk::one_page(list, first) } else { Walk::new(list, first) };
    let done = move |out: Result<(Json, Option<String>), Failure<Js>>, call: &Call| {
        let (value, next) = out.map_err(|f| call.failure(f))?;
        if !page {
            return Ok(value.0);
        }
        let page = Object::new();
        set(&page, "value", &value.0);
        set(&page, "nextLink", &next.map_or(JsValue::NULL, |l| l.as_str().into()));
        Ok(page.into())
    };
    (call, job(walk, done))
}

/// Every pool of the tenant.
#[wasm_bindgen(js_name = listPools, unchecked_return_type = "Promise<EmbeddedSimActivationCodePool[]>")]
pub fn list_pools(
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: JsValue,
) -> Promise {
    list_all(List::Pools, None, &token, options)
}

#[wasm_bindgen(js_name = listAssignments, unchecked_return_type = "Promise<EmbeddedSimActivationCodePoolAssignment[]>")]
pub fn list_assignments(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: JsValue,
) -> Promise {
    list_all(List::Assignments, Some(&pool), &token, options)
}

#[wasm_bindgen(js_name = listDeviceStates, unchecked_return_type = "Promise<EmbeddedSimDeviceState[]>")]
pub fn list_device_states(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: JsValue,
) -> Promise {
    list_all(List::DeviceStates, Some(&pool), &token, options)
}

/// One page of the pools: `{ value, nextLink }`, for `iteratePools`, which reads the next page
/// only when it is needed. `nextLink` is the last page's (`null` for the first); `startedMs`
/// (`Date.now()` when the walk began) makes `timeoutMs` bound the whole walk.
#[wasm_bindgen(
    js_name = listPoolsPage,
    unchecked_return_type = "Promise<{ value: EmbeddedSimActivationCodePool[]; nextLink: string | null }>"
)]
pub fn list_pools_page(
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ListOptions | undefined")] options: JsValue,
    #[wasm_bindgen(js_name = nextLink, unchecked_param_type = "string | null")] next_link: JsValue,
    #[wasm_bindgen(js_name = startedMs)] started_ms: Option<f64>,
) -> Promise {
    let args = Args::new(&token, &options);
    let link = input::arg(&next_link);
    let checked = operation::list_page(link.as_ref().as_ref(), args.token().as_ref(), args.options().as_ref());
    let call = args.call(&token, checked, started_ms).and_then(|(link, query, call)| {
        // Where the link points is checked once the call has its base URL.
        let request = match link {
            None => List::Pools.first(&call.engine, None, &query),
            Some(link) => match request::check_next_link(&call.engine.base_url, &link) {
                Ok(()) => request::next_page(&link, &call.engine.client_request_id),
                Err(m) => return Err(call.error(Error::Response(m.into()))),
            },
        };
        Ok(walk(call, List::Pools, request, true))
    });
    start(call)
}
