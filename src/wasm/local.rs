//! The operation that needs no network: the exact request `assign` would send.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::{settled, Outcome};

use super::errors;
use super::input;
use super::pools::{to_js, Out};
use crate::operation;

/// What a dry run or a preview shows, with the token masked:
/// `{ method, url, headers: [[name, value]...], body }`. Nothing is sent.
#[wasm_bindgen(
    js_name = previewAssign,
    unchecked_return_type = "Promise<{ method: string; url: string; headers: [string, string][]; body: string }>"
)]
pub fn preview_assign(
    #[wasm_bindgen(js_name = poolId, unchecked_param_type = "string")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly EmbeddedSimActivationCodePoolAssignment[]")] assignments: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
) -> Promise {
    settled(preview(&pool, &assignments, options))
}

fn preview(pool: &JsValue, assignments: &JsValue, options: JsValue) -> Outcome {
    // A missing or null `options` is no options.
    let options = input::options(&options).tree;
    let (pool, assignments) = (input::arg(pool), input::arg(assignments));
    let checked = operation::preview(pool.as_ref().as_ref(), assignments.as_ref().as_ref(), options.as_ref().as_ref());
    let c = checked.map_err(errors::validation)?;
    let ((pool, assignments), options) = (c.own, c.options);
    // Each call makes a fresh one when the caller chose none.
    let crid = options.client_request_id.as_deref().unwrap_or("(a fresh GUID for each call)");
    let request = crate::request::assign(&options.base_url, &pool, &assignments, crid);
    let pair = |name, value| Out::List(vec![Out::Str(name), Out::Str(value)]);
    // A plain loop: a map's extend is compiled of its own.
    let mut headers = Vec::with_capacity(request.headers.len() + 1);
    headers.push(pair("Authorization", "Bearer ***"));
    for (name, value) in &request.headers {
        headers.push(pair(name, value));
    }
    Ok(to_js(&Out::Object(vec![
        ("method", Out::Str(request.method)),
        ("url", Out::Str(&request.url)),
        ("headers", Out::List(headers)),
        ("body", Out::opt(request.body.as_deref())),
    ])))
}
