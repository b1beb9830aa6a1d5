//! The wasm shell: JavaScript values in, `fetch` and timers for I/O, JavaScript errors out.
//! Every rule and decision is the core's (`crate::operation` checks, `crate::engine` drives);
//! this reads arguments, does the I/O the engine asks for, and makes results JavaScript. The modules are public for the wasm
//! tests (tests/wasm.rs), which call the exports as Rust functions.

pub mod call;
pub mod cancel;
pub mod changes;
pub mod errors;
pub mod http;
pub mod input;
pub mod js;
pub mod json;
pub mod local;
pub mod many;
pub mod pools;
pub mod scripts;
pub mod tenants;
pub mod token;

// Talc instead of dlmalloc: a few kilobytes less wasm, and faster.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const DECLARATIONS: &str = crate::typescript::DECLARATIONS;

use core::future::Future;
use core::pin::Pin;
use wasm_bindgen::JsValue;

/// What an export resolves to, or rejects with.
pub type Outcome = Result<JsValue, JsValue>;

/// The Promise of an export's work. Every export's future is boxed into one type, so that
/// wasm-bindgen-futures' machinery is compiled once for all of them (as `async fn` exports it
/// was compiled again for each: about 2 KB of wasm apiece).
pub fn promise(work: impl Future<Output = Outcome> + 'static) -> js_sys::Promise {
    let boxed: Pin<Box<dyn Future<Output = Outcome>>> = Box::pin(work);
    wasm_bindgen_futures::future_to_promise(boxed)
}

/// The Promise of work already done: the exports that need no network answer at once, without
/// a future.
pub fn settled(outcome: Outcome) -> js_sys::Promise {
    match outcome {
        Ok(v) => js_sys::Promise::resolve(&v),
        Err(e) => js_sys::Promise::reject(&e),
    }
}
