//! intune-esim: a small, strict client for Microsoft Graph's Intune eSIM activation code pools.
//!
//! The crate is a pure core (no I/O, host-testable) and a thin wasm shell that does the I/O with
//! JavaScript's `fetch` and timers. Everything protocol lives in the core modules below.

pub mod error;
pub mod guid;
pub mod json;
pub mod model;
pub mod request;
pub mod response;
pub mod url;
pub mod validate;

#[cfg(target_arch = "wasm32")]
mod wasm;
