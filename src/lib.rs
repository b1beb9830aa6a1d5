//! intune-esim: a small, strict client for Microsoft Graph's Intune eSIM activation code pools.
//!
//! The crate is a pure core (no I/O, host-testable): every rule, every request and every reading
//! of an answer, over one value tree ([`tree::Tree`]). The wasm shell ([`wasm`], only on wasm32)
//! is the glue to JavaScript: async exports, `fetch`, timers, abort and token providers.

// A panic in wasm kills the module for the rest of the page's life: nothing an input or a server
// answer can reach may unwrap, expect or index unchecked.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::string_slice
    )
)]

extern crate alloc;

/// The few names of `alloc` the core uses, gathered once (the core needs nothing else of std),
/// and the core's own way of joining text.
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::String;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
    // In place of `[..].concat()`: std's join compiled its own copy loop and panics.
    pub use crate::text::joined;
}

pub mod activation_code;
pub mod batch;
pub mod csv;
pub mod engine;
pub mod error;
pub mod guid;
pub mod json;
pub mod merge;
pub mod model;
pub mod operation;
pub mod pace;
pub mod repeats;
pub mod request;
pub mod response;
pub mod retry;
pub mod target_key;
pub mod tenant;
pub mod text;
pub mod tree;
pub mod typescript;
pub mod url;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
