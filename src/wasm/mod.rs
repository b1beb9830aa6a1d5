//! The wasm shell: JavaScript values in, `fetch` and timers for I/O, JavaScript errors out.
//! Every rule and decision is the core's; this is glue.

mod call;
mod cancel;
mod changes;
mod errors;
mod http;
mod input;
mod js;
mod local;
mod pools;
#[cfg(feature = "scripts")]
mod scripts;
mod token;

// Talc instead of dlmalloc: a few kilobytes less wasm, and faster.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const DECLARATIONS: &str = crate::typescript::DECLARATIONS;
