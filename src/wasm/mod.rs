//! The wasm shell: JavaScript values in, `fetch` and timers for I/O, JavaScript errors out.
//! Every rule and decision is in the core; this is glue.

mod attempts;
mod call;
mod cancel;
mod errors;
mod http;
mod js;
mod local;
mod pools;
mod token;
mod view;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::error::Error;
use crate::response;
use crate::validate::{self, AssignCall};
use errors::descriptor;

// Talc instead of dlmalloc: a few kilobytes less wasm, and faster.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// `assign(poolId, assignments, token, options?)`: replaces the pool's assignments and resolves
/// to the server's `value` array. Validation runs at once, before anything is sent; the promise
/// rejects with an error descriptor (see `pkg/errors.js`) or passes a signal's reason through.
#[wasm_bindgen(js_name = assign)]
pub fn assign(pool_id: JsValue, assignments: JsValue, token: JsValue, options: JsValue) -> js_sys::Promise {
    let call = validate::assign_call(present(&pool_id), present(&assignments), present(&token), present(&options));
    let AssignCall { pool_id, assignments, token, options } = match call {
        Ok(call) => call,
        Err(issues) => return js_sys::Promise::reject(&descriptor(Error::Validation(issues), None)),
    };
    future_to_promise(call::run(
        options,
        token,
        Box::new(move |base, token, crid| crate::request::assign(base, &pool_id, &assignments, token, crid)),
        Box::new(|answer| response::collection(answer, "assignment")),
    ))
}

/// A JS argument, with `undefined` read as "not given".
fn present(v: &JsValue) -> Option<&JsValue> {
    (!v.is_undefined()).then_some(v)
}
