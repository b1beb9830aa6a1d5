//! The wasm shell: JavaScript values in, `fetch` and timers for I/O, JavaScript errors out.
//! Every rule and decision is the core's; this is glue. The modules are public for the wasm
//! tests (tests/wasm.rs), which call the exports as Rust functions.

pub mod call;
pub mod cancel;
pub mod changes;
pub mod errors;
pub mod http;
pub mod input;
pub mod js;
pub mod local;
pub mod pools;
#[cfg(feature = "scripts")]
pub mod scripts;
pub mod token;

// Talc instead of dlmalloc: a few kilobytes less wasm, and faster.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const DECLARATIONS: &str = crate::typescript::DECLARATIONS;
