//! The operation that needs no network: the exact request `assign` would send.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::{settled, Outcome};

use super::errors;
use super::input;
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
    let ((pool, assignments), options) = (c.own, c.shared.options);
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

/// The preview made JavaScript by serde-wasm-bindgen: strings, `null`, arrays and objects whose
/// property names are known when compiled.
enum Out<'a> {
    Null,
    Str(&'a str),
    List(Vec<Out<'a>>),
    Object(Vec<(&'static str, Out<'a>)>),
}

impl<'a> Out<'a> {
    /// A string, or `null` for none.
    fn opt(v: Option<&'a str>) -> Out<'a> {
        v.map_or(Out::Null, Out::Str)
    }
}

impl serde::Serialize for Out<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Out::Null => s.serialize_none(),
            Out::Str(v) => s.serialize_str(v),
            Out::List(items) => s.collect_seq(items),
            // A map with string keys, which the JSON-compatible serializer writes as a plain
            // object, in order. Not a struct: its fields' names go through serde-wasm-bindgen's
            // cache of JavaScript strings, a hash map (about 3 KB of wasm) used for nothing else.
            Out::Object(fields) => {
                use serde::ser::SerializeMap;
                let mut o = s.serialize_map(Some(fields.len()))?;
                for (name, value) in fields {
                    o.serialize_entry(name, value)?;
                }
                o.end()
            }
        }
    }
}

/// Plain JavaScript objects and arrays (not `Map`s), `null` for none.
fn to_js(v: &Out) -> JsValue {
    serde::Serialize::serialize(v, &serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}
