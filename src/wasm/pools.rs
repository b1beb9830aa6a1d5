//! The pool operations: list, get, create, delete, and a pool's assignments and device states.
//! Each checks its arguments at once, then runs as one `call` (token, retries, deadline, errors).
//! Lists are read a page at a time; `pkg/api.js` follows `@odata.nextLink` across pages.

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::call;
use super::errors::descriptor;
use super::js::set;
use super::present;
use crate::error::{Error, Issue};
use crate::json::JsonView;
use crate::request::{self, ListQuery};
use crate::response::{self, HttpResponse, Page};
use crate::validate::{self, Issues, Options, TokenSource};

fn reject(issues: Vec<Issue>) -> Promise {
    Promise::reject(&descriptor(Error::Validation(issues), None))
}

/// The token and options every operation takes, plus its own checks; all problems at once.
fn checked<T>(
    token: &JsValue,
    options: &JsValue,
    own: impl FnOnce(&mut Issues) -> Option<T>,
) -> Result<(T, TokenSource<JsValue>, Options<JsValue>), Vec<Issue>> {
    let mut issues = Issues::default();
    let mine = own(&mut issues);
    let token = validate::token(present(token), &mut issues);
    let options = validate::options(present(options), &mut issues);
    match (mine, token, options) {
        (Some(m), Some(t), Some(o)) if issues.0.is_empty() => Ok((m, t, o)),
        _ => Err(issues.0),
    }
}

fn page_object(p: Page<JsValue>) -> JsValue {
    let o = Object::new();
    set(&o, "value", &p.value);
    set(&o, "nextLink", &p.next_link.map_or(JsValue::NULL, JsValue::from));
    o.into()
}

/// One page of a list: the first from `pool`/`part` and the options' query, the next ones from
/// Graph's `@odata.nextLink`, which must point to the same host as `baseUrl`.
fn list_page(
    pool_id: Option<&JsValue>,
    part: &'static str,
    token: JsValue,
    options: JsValue,
    next_link: JsValue,
    what: &'static str,
    problem: fn(&JsValue) -> Option<String>,
) -> Promise {
    let mut issues = Issues::default();
    let pool = pool_id.map(|p| validate::pool_id(present(p), "poolId", &mut issues));
    let token = validate::token(present(&token), &mut issues);
    let listed = validate::list_options(present(&options), &mut issues);
    let next = present(&next_link).filter(|l| !l.is_null()).map(|l| l.string());
    let (Some(token), Some((options, query))) = (token, listed) else { return reject(issues.0) };
    if !issues.0.is_empty() || matches!(pool, Some(None)) {
        return reject(issues.0);
    }
    let pool: Option<String> = pool.flatten();
    let next: Option<String> = match next {
        None => None,
        Some(Some(link)) => match request::check_next_link(&options.base_url, &link) {
            Ok(_) => Some(link),
            Err(m) => return Promise::reject(&descriptor(Error::<JsValue>::Response(m.into()), None)),
        },
        Some(None) => return reject(vec![Issue::new("nextLink", "must be the string Graph gave as @odata.nextLink")]),
    };
    future_to_promise(call::run(
        options,
        token,
        Box::new(move |base, token, crid| match &next {
            Some(link) => request::next_page(link, token, crid),
            None => request::get(base, pool.as_deref().map(|p| (p, part)), &query, token, crid),
        }),
        Box::new(move |answer: HttpResponse<'_, JsValue>| response::page(answer, what, problem).map(page_object)),
    ))
}

#[wasm_bindgen(js_name = listPoolsPage)]
pub fn list_pools_page(token: JsValue, options: JsValue, next_link: JsValue) -> Promise {
    list_page(None, "", token, options, next_link, "pool", response::entity_problem)
}

#[wasm_bindgen(js_name = listAssignmentsPage)]
pub fn list_assignments_page(pool_id: JsValue, token: JsValue, options: JsValue, next_link: JsValue) -> Promise {
    list_page(Some(&pool_id), "assignments", token, options, next_link, "assignment", response::assignment_problem)
}

#[wasm_bindgen(js_name = listDeviceStatesPage)]
pub fn list_device_states_page(pool_id: JsValue, token: JsValue, options: JsValue, next_link: JsValue) -> Promise {
    list_page(Some(&pool_id), "deviceStates", token, options, next_link, "device state", response::entity_problem)
}

#[wasm_bindgen(js_name = getPool)]
pub fn get_pool(pool_id: JsValue, token: JsValue, options: JsValue) -> Promise {
    match checked(&token, &options, |issues| validate::pool_id(present(&pool_id), "poolId", issues)) {
        Err(issues) => reject(issues),
        Ok((pool_id, token, options)) => future_to_promise(call::run(
            options,
            token,
            Box::new(move |base, token, crid| {
                request::get(base, Some((&pool_id, "")), &ListQuery::default(), token, crid)
            }),
            Box::new(|answer| response::entity(answer, "pool")),
        )),
    }
}

#[wasm_bindgen(js_name = createPool)]
pub fn create_pool(pool: JsValue, token: JsValue, options: JsValue) -> Promise {
    match checked(&token, &options, |issues| validate::new_pool(present(&pool), issues)) {
        Err(issues) => reject(issues),
        Ok((pool, token, options)) => future_to_promise(call::run(
            options,
            token,
            Box::new(move |base, token, crid| request::create_pool(base, &pool, token, crid)),
            Box::new(|answer| response::entity(answer, "pool")),
        )),
    }
}

#[wasm_bindgen(js_name = deletePool)]
pub fn delete_pool(pool_id: JsValue, token: JsValue, options: JsValue) -> Promise {
    match checked(&token, &options, |issues| validate::pool_id(present(&pool_id), "poolId", issues)) {
        Err(issues) => reject(issues),
        Ok((pool_id, token, options)) => future_to_promise(call::run(
            options,
            token,
            Box::new(move |base, token, crid| request::delete_pool(base, &pool_id, token, crid)),
            Box::new(|answer| response::no_content(answer).map(|()| JsValue::UNDEFINED)),
        )),
    }
}
