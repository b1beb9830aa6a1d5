//! The Graph operations: `assign`, and the pools with their assignments and device states.
//! Each checks every argument at once (a ValidationError lists every problem), then runs as one
//! [`Call`]. Lists follow `@odata.nextLink` page after page, only to `baseUrl`'s origin.

use js_sys::Array;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::promise;

use super::call::{Call, Reply};
use super::errors;
use super::input::{self, view, Given};
use super::js;
use crate::error::Error;
use crate::request::{self, HttpRequest, ListQuery};
use crate::response::{self, HttpResponse};
use crate::tree::Tree;
use crate::validate::{self, Issues, Options};

/// A kind of options: every call's, or those and an operation's own (`Extra`, what they hold).
pub trait OptionsOf {
    type Extra;
    fn read<'t>(v: Option<&&'t Tree>, issues: &mut Issues) -> Option<(Options<&'t Tree>, Self::Extra)>;
}

/// The options every call takes, and no others.
struct EveryCall;

impl OptionsOf for EveryCall {
    type Extra = ();
    fn read<'t>(v: Option<&&'t Tree>, issues: &mut Issues) -> Option<(Options<&'t Tree>, ())> {
        validate::options(v, issues).map(|o| (o, ()))
    }
}

/// A list's: every call's, and Graph's query options.
struct ListCall;

impl OptionsOf for ListCall {
    type Extra = ListQuery;
    fn read<'t>(v: Option<&&'t Tree>, issues: &mut Issues) -> Option<(Options<&'t Tree>, ListQuery)> {
        validate::list_options(v, issues)
    }
}

/// Checks `token` and `options`, plus the operation's own arguments (`own`), and makes the call:
/// every problem at once, or none.
pub fn checked<T>(
    token: &JsValue,
    options: &JsValue,
    started_ms: Option<f64>,
    own: impl FnOnce(&mut Issues) -> Option<T>,
) -> Result<(T, Call), JsValue> {
    // The token and the options are read before the operation's own arguments.
    let read = (input::token(token), input::options(options));
    let mut issues = Issues::default();
    let mine = own(&mut issues);
    let ((), call, _) = made::<EveryCall>(token, read, started_ms, issues)?;
    mine.map(|m| (m, call)).ok_or_else(|| errors::validation(&[]))
}

/// A list's query options (`top`, `select`, `filter`), checked with the rest.
fn list_checked<T>(
    token: &JsValue,
    options: &JsValue,
    started_ms: Option<f64>,
    own: impl FnOnce(&mut Issues) -> Option<T>,
) -> Result<(T, ListQuery, Call), JsValue> {
    let read = (input::token(token), input::options(options));
    let mut issues = Issues::default();
    let mine = own(&mut issues);
    let (query, call, _) = made::<ListCall>(token, read, started_ms, issues)?;
    mine.map(|m| (m, query, call)).ok_or_else(|| errors::validation(&[]))
}

/// The token and the options as read, before they are checked.
pub type Inputs = ((Option<Tree>, JsValue), Given);

/// The call, once the token and the options (of the kind `K`) pass too; `issues` holds the
/// operation's own. Also gives what the options hold beside every call's, and the `onProgress`
/// given. It is compiled once per kind of options, whatever each operation's own arguments are.
pub fn made<K: OptionsOf>(
    token: &JsValue,
    ((token_tree, get_token), given): Inputs,
    started_ms: Option<f64>,
    mut issues: Issues,
) -> Result<(K::Extra, Call, JsValue), JsValue> {
    let source = validate::token(view(&token_tree).as_ref(), &mut issues);
    let read = K::read(view(&given.tree).as_ref(), &mut issues);
    match (source, read) {
        (Some(s), Some((o, extra))) if issues.0.is_empty() => {
            let call = Call::new(&o, s, &(token.clone(), get_token), &given, started_ms);
            Ok((extra, call, given.on_progress))
        }
        _ => Err(errors::validation(&issues.0)),
    }
}

/// `poolId`, checked: the argument every pool operation names first.
pub(super) fn pool_id(v: &JsValue, issues: &mut Issues) -> Option<String> {
    let tree = input::arg(v);
    validate::pool_id(view(&tree).as_ref(), "poolId", issues)
}

/// Graph's JSON answer (what `JSON.parse` made), once the core has checked it.
pub(super) fn body(reply: &Reply) -> JsValue {
    reply.json.as_ref().map_or(JsValue::UNDEFINED, |(j, _)| j.clone())
}

/// How the answer of a single request is read, and what the call resolves to.
#[derive(Clone, Copy)]
pub enum Read {
    /// `assign`'s answer: the assignments Graph now holds (its `value`).
    Assignments,
    /// One pool (the body).
    Pool,
    /// Nothing (a DELETE's 204).
    Nothing,
}

impl Read {
    pub fn result(self, call: &Call, reply: &Reply) -> Result<JsValue, JsValue> {
        match self {
            Read::Assignments => {
                call.read(reply, |r| response::collection(r, "assignment").map(|_| ()))?;
                Ok(js::get(&body(reply), "value"))
            }
            Read::Pool => {
                let wrapped = call.read(reply, |r| {
                    let wrapped = r.json.as_ref().is_some_and(response::docs_wrapped);
                    response::entity(r, "pool").map(|_| wrapped)
                })?;
                let pool = body(reply);
                Ok(if wrapped { js::get(&pool, "value") } else { pool })
            }
            Read::Nothing => call.read(reply, response::no_content).map(|()| JsValue::UNDEFINED),
        }
    }
}

/// The Promise of a checked call that makes one request: one future serves every such export.
pub fn single(checked: Result<(HttpRequest, Call), JsValue>, read: Read) -> Promise {
    match checked {
        Err(e) => Promise::reject(&e),
        Ok((request, call)) => promise(async move {
            let reply = call.send(&request).await?;
            read.result(&call, &reply)
        }),
    }
}

/// `assign(poolId, assignments, token, options?)`: replaces the pool's assignments and resolves
/// to the `value` array Graph answers with, every property kept.
#[wasm_bindgen(js_name = assign, unchecked_return_type = "Promise<EmbeddedSimActivationCodePoolAssignment[]>")]
pub fn assign(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly EmbeddedSimActivationCodePoolAssignment[]")] assignments: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
) -> Promise {
    let checked = checked(&token, &options.unwrap_or_default(), None, |issues| {
        let pool = pool_id(&pool, issues);
        let tree = input::arg(&assignments);
        pool.zip(validate::assignments(view(&tree).as_ref(), issues))
    });
    let made = checked
        .map(|((pool, list), call)| (request::assign(&call.base_url, &pool, &list, &call.client_request_id), call));
    single(made, Read::Assignments)
}

/// One `assign` request of `call` with the set already written as a JSON array: the
/// assignments Graph now holds.
pub async fn send_assign_json(call: &Call, pool: &str, assignments: &str) -> Result<JsValue, JsValue> {
    let reply = call.send(&request::assign_json(&call.base_url, pool, assignments, &call.client_request_id)).await?;
    Read::Assignments.result(call, &reply)
}

#[wasm_bindgen(js_name = getPool, unchecked_return_type = "Promise<EmbeddedSimActivationCodePool>")]
pub fn get_pool(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
) -> Promise {
    let checked = checked(&token, &options.unwrap_or_default(), None, |issues| pool_id(&pool, issues));
    let made = checked.map(|(pool, call)| {
        (request::get(&call.base_url, Some((&pool, "")), &ListQuery::default(), &call.client_request_id), call)
    });
    single(made, Read::Pool)
}

#[wasm_bindgen(js_name = deletePool, unchecked_return_type = "Promise<void>")]
pub fn delete_pool(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
) -> Promise {
    let checked = checked(&token, &options.unwrap_or_default(), None, |issues| pool_id(&pool, issues));
    let made = checked.map(|(pool, call)| (request::delete_pool(&call.base_url, &pool, &call.client_request_id), call));
    single(made, Read::Nothing)
}

/// `updatePool(poolId, { displayName }, token, options?)`: renames the pool and resolves to it
/// as Graph now holds it: the PATCH's answer, or, when Graph answers 204 with no body, the pool
/// read back with one GET of the same call.
#[wasm_bindgen(js_name = updatePool, unchecked_return_type = "Promise<EmbeddedSimActivationCodePool>")]
pub fn update_pool(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ displayName: string }")] changes: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
) -> Promise {
    let checked = checked(&token, &options.unwrap_or_default(), None, |issues| {
        let pool = pool_id(&pool, issues);
        let tree = input::arg(&changes);
        pool.zip(validate::pool_update(view(&tree).as_ref(), issues))
    });
    let ((pool, name), call) = match checked {
        Ok(c) => c,
        Err(e) => return Promise::reject(&e),
    };
    promise(async move {
        let reply = call.send(&request::update_pool(&call.base_url, &pool, &name, &call.client_request_id)).await?;
        if reply.answer.status != 204 {
            return Read::Pool.result(&call, &reply);
        }
        let read_back = request::get(&call.base_url, Some((&pool, "")), &ListQuery::default(), &call.client_request_id);
        Read::Pool.result(&call, &call.send(&read_back).await?)
    })
}

/// What a list is of.
#[derive(Clone, Copy)]
pub enum List {
    Pools,
    Assignments,
    DeviceStates,
}

impl List {
    /// The path under a pool (`None` for the pools themselves).
    pub fn part(self) -> Option<&'static str> {
        match self {
            List::Pools => None,
            List::Assignments => Some("assignments"),
            List::DeviceStates => Some("deviceStates"),
        }
    }

    /// Checks one page: `Ok(nextLink)`, which must point to `baseUrl`'s origin.
    pub fn read<'t>(self, r: HttpResponse<'_, &'t Tree>, call: &Call) -> Result<Option<String>, Error<&'t Tree>> {
        let page = match self {
            List::Pools => response::page(r, "pool", response::entity_problem::<&Tree>),
            List::Assignments => response::page(r, "assignment", response::assignment_problem::<&Tree>),
            List::DeviceStates => response::page(r, "device state", response::entity_problem::<&Tree>),
        }?;
        if let Some(link) = &page.next_link {
            request::check_next_link(&call.base_url, link).map_err(|m| Error::Response(m.into()))?;
        }
        Ok(page.next_link)
    }

    pub fn first(self, call: &Call, pool: Option<&str>, query: &ListQuery) -> HttpRequest {
        let at = pool.zip(self.part());
        request::get(&call.base_url, at, query, &call.client_request_id)
    }
}

/// One page: `(value, nextLink)`.
pub(super) async fn page(call: &Call, list: List, request: &HttpRequest) -> Result<(Array, Option<String>), JsValue> {
    let reply = call.send(request).await?;
    let next = call.read(&reply, |r| list.read(r, call))?;
    Ok((js::get(&body(&reply), "value").unchecked_into(), next))
}

/// Every item of a list, page after page, under the call's one deadline. The pages are joined
/// once at the end (`flat`): joining each page to all before it would copy O(pages²) items.
pub async fn walk(call: &Call, list: List, pool: Option<&str>, query: &ListQuery) -> Result<Array, JsValue> {
    let (first, mut next) = page(call, list, &list.first(call, pool, query)).await?;
    let pages = Array::of1(&first);
    while let Some(link) = next {
        let (more, after) = page(call, list, &request::next_page(&link, &call.client_request_id)).await?;
        pages.push(&more);
        next = after;
    }
    Ok(pages.flat(1))
}

/// The arguments of a list: the pool (for a pool's lists), the token and the list options.
fn list_call(
    list: List,
    pool: &JsValue,
    token: &JsValue,
    options: &JsValue,
    started_ms: Option<f64>,
) -> Result<(Option<String>, ListQuery, Call), JsValue> {
    list_checked(token, options, started_ms, |issues| match list {
        List::Pools => Some(None),
        _ => pool_id(pool, issues).map(Some),
    })
}

/// The Promise of a whole list: one future serves the three list exports.
fn whole(list: List, pool: &JsValue, token: &JsValue, options: Option<JsValue>) -> Promise {
    match list_call(list, pool, token, &options.unwrap_or_default(), None) {
        Err(e) => Promise::reject(&e),
        Ok((pool, query, call)) => promise(async move { Ok(walk(&call, list, pool.as_deref(), &query).await?.into()) }),
    }
}

/// Every pool of the tenant.
#[wasm_bindgen(js_name = listPools, unchecked_return_type = "Promise<EmbeddedSimActivationCodePool[]>")]
pub fn list_pools(
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: Option<JsValue>,
) -> Promise {
    whole(List::Pools, &JsValue::UNDEFINED, &token, options)
}

#[wasm_bindgen(js_name = listAssignments, unchecked_return_type = "Promise<EmbeddedSimActivationCodePoolAssignment[]>")]
pub fn list_assignments(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: Option<JsValue>,
) -> Promise {
    whole(List::Assignments, &pool, &token, options)
}

#[wasm_bindgen(js_name = listDeviceStates, unchecked_return_type = "Promise<EmbeddedSimDeviceState[]>")]
pub fn list_device_states(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: Option<JsValue>,
) -> Promise {
    whole(List::DeviceStates, &pool, &token, options)
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
    #[wasm_bindgen(unchecked_param_type = "ListOptions | undefined")] options: Option<JsValue>,
    #[wasm_bindgen(js_name = nextLink, unchecked_param_type = "string | null")] next_link: JsValue,
    #[wasm_bindgen(js_name = startedMs)] started_ms: Option<f64>,
) -> Promise {
    // The link's type is checked with the other arguments; where it points, once the call has
    // its base URL.
    let checked = list_checked(&token, &options.unwrap_or_default(), started_ms, |issues| {
        match (next_link.as_string(), next_link.is_null() || next_link.is_undefined()) {
            (Some(link), _) => Some(Some(link)),
            (None, true) => Some(None),
            (None, false) => {
                issues.push("nextLink", "must be the string Graph gave as @odata.nextLink");
                None
            }
        }
    });
    let (link, query, call) = match checked {
        Ok(c) => c,
        Err(e) => return Promise::reject(&e),
    };
    promise(async move {
        let request = match link {
            None => List::Pools.first(&call, None, &query),
            Some(link) => match request::check_next_link(&call.base_url, &link) {
                Ok(()) => request::next_page(&link, &call.client_request_id),
                Err(m) => return Err(call.error(&Error::Response(m.into()), None)),
            },
        };
        let (value, next) = page(&call, List::Pools, &request).await?;
        let out = js_sys::Object::new();
        js::set(&out, "value", &value);
        js::set(&out, "nextLink", &next.map_or(JsValue::NULL, |l| l.as_str().into()));
        Ok(out.into())
    })
}
