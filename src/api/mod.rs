//! The package's JavaScript talks to the core through one function, text in and text out:
//! `run(op, input, text)`. `input` is the operation's arguments as one JSON object, made by
//! `JSON.stringify` (see `pkg/core.js` for how functions and other non-JSON values are marked);
//! `text` is raw text when there is some (Graph's body, a fresh client-request-id); the answer is
//! `{"ok":...}` or `{"error":{descriptor}}` (for a request, followed by a NUL and its body).
//!
//! Why text: the host's `JSON.stringify` and `JSON.parse` are fast and already there, and one
//! string each way is all the glue the wasm needs. Walking JavaScript objects from Rust cost a
//! boundary crossing per property and kilobytes of generated bindings; this costs neither. And
//! since it is plain Rust, every operation is tested on the host exactly as the wasm runs it.

use crate::prelude::*;

mod answer;
mod local;
mod out;
mod prepare;
#[cfg(feature = "scripts")]
mod scripts;

use crate::error::Issue;
use crate::json::JsonView;
use crate::value::{self, Value};

pub fn run(op: &str, input: &str, text: &str) -> String {
    let Ok(args) = value::parse(input) else {
        return out::invalid(&[Issue::new("arguments", "must be JSON text")]);
    };
    let args = Args(&args);
    match op {
        "assign" => prepare::assign(&args, text),
        "listPools" => prepare::list(&args, None, text),
        "listAssignments" => prepare::list(&args, Some("assignments"), text),
        "listDeviceStates" => prepare::list(&args, Some("deviceStates"), text),
        "getPool" => prepare::get_pool(&args, text),
        #[cfg(feature = "scripts")]
        "createPool" => scripts::create_pool(&args, text),
        "deletePool" => prepare::delete_pool(&args, text),
        "answer" => answer::read(&args, text),
        "token" => answer::token(&args),
        #[cfg(feature = "scripts")]
        "parseActivationCodesCsv" => scripts::parse_activation_codes_csv(&args),
        "checkChange" => local::check_change(&args),
        "mergeAssignments" => local::merge_assignments(&args),
        "sameAssignments" => local::same_assignments(&args),
        #[cfg(feature = "scripts")]
        "checkAssignMany" => scripts::check_assign_many(&args),
        "previewAssign" => local::preview_assign(&args, text),
        _ => out::invalid(&[Issue::new("op", "is not an operation of this module")]),
    }
}

/// An operation's arguments, by name.
pub struct Args<'v, 'a>(&'v Value<'a>);

impl<'v, 'a> Args<'v, 'a> {
    /// The argument `name`; `None` when it was not given (`undefined` is left out by
    /// `JSON.stringify`).
    pub fn get(&self, name: &str) -> Option<&'v Value<'a>> {
        self.0.get(name)
    }
}
