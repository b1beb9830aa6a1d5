//! The wasm export: [`crate::api::run`], as `run(op, input, text)`. Everything else (fetch,
//! timers, AbortSignal, token providers) is the package's JavaScript, in `pkg/send.js`.

use crate::prelude::*;
use wasm_bindgen::prelude::*;

// Talc instead of dlmalloc: a few kilobytes less wasm, and faster.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen]
pub fn run(op: &str, input: &str, text: &str) -> String {
    crate::api::run(op, input, text)
}

/// Without std, the wasm brings its own panic handler: a trap, with no message formatting (which
/// would pull `core::fmt` back in). Nothing should panic: the crate denies unwrap, expect,
/// unchecked indexing and the like, and the fuzz tests look for what slips through.
#[cfg(feature = "small")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
