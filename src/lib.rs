//! intune-esim: a small, strict client for Microsoft Graph's Intune eSIM activation code pools.
//!
//! The crate is a pure core (no I/O, host-testable) and a thin wasm shell that does the I/O with
//! JavaScript's `fetch` and timers. Everything protocol lives in the core modules below.

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

pub mod activation_code;
pub mod csv;
pub mod error;
pub mod guid;
pub mod json;
pub mod merge;
pub mod model;
pub mod repeats;
pub mod request;
pub mod response;
pub mod retry;
pub mod url;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
