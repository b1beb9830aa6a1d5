//! The caller's JavaScript values as the core's [`Tree`].
//!
//! Plain data goes through serde-wasm-bindgen. It reads objects with `Object.entries` and plain
//! property gets, which a throwing getter or a proxy turns into a JavaScript exception thrown
//! through the wasm; so a value is first copied with `structuredClone`, which refuses exactly
//! those (and functions), and serde reads the copy. What the copy refuses is walked here instead,
//! every read caught, so each problem still gets its path and the instance stays sound.
//!
//! What serde cannot carry is marked: a function is [`Tree::Function`], a symbol, a bigint or a
//! value that cannot be read is [`Tree::Other`]. The functions themselves are taken from the
//! original values once the call is valid (see `call.rs`).

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::js;
use crate::tree::{Tree, MAX_DEPTH};

/// An argument: `None` when it was not given (`undefined`).
pub fn arg(v: &JsValue) -> Option<Tree> {
    (!v.is_undefined()).then(|| tree(v))
}

/// An argument as the validators take it.
pub fn view(t: &Option<Tree>) -> Option<&Tree> {
    t.as_ref()
}

pub fn tree(v: &JsValue) -> Tree {
    if let Some(t) = scalar(v) {
        return t;
    }
    match js::structured_clone(v) {
        Ok(copy) => serde_wasm_bindgen::from_value(copy).unwrap_or(Tree::Other),
        Err(_) => careful(v, 0),
    }
}

/// The token: a TokenCredential is known by its `getToken` method, which lives on its class,
/// not among its own properties.
pub fn token(v: &JsValue) -> Option<Tree> {
    if v.is_object() && js::get(v, "getToken").is_function() {
        return Some(Tree::Object(vec![("getToken".into(), Tree::Function)]));
    }
    arg(v)
}

/// An options object: each property read once, so that functions and an AbortSignal (whose
/// `aborted` and `addEventListener` are its class's) are seen for what they are. A property set
/// to `undefined` is not there, as with every JavaScript API.
pub fn options(v: &JsValue) -> Option<Tree> {
    if !v.is_object() || js::is_array(v).unwrap_or(true) {
        return arg(v);
    }
    let Ok(keys) = js::object_keys(v) else { return Some(Tree::Other) };
    let mut props = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let Some(name) = key.as_string() else { continue };
        let value = match Reflect::get(v, &key) {
            Ok(value) if value.is_undefined() => continue,
            Ok(value) if name == "signal" && value.is_object() => Tree::Object(vec![
                ("aborted".into(), scalar(&js::get(&value, "aborted")).unwrap_or(Tree::Other)),
                ("addEventListener".into(), scalar(&js::get(&value, "addEventListener")).unwrap_or(Tree::Other)),
            ]),
            Ok(value) => tree(&value),
            Err(_) => Tree::Other,
        };
        props.push((name, value));
    }
    Some(Tree::Object(props))
}

/// A value that is not an object, read without serde.
fn scalar(v: &JsValue) -> Option<Tree> {
    Some(if v.is_null() || v.is_undefined() {
        Tree::Null
    } else if let Some(b) = v.as_bool() {
        Tree::Bool(b)
    } else if let Some(n) = v.as_f64() {
        Tree::Number(n)
    } else if let Some(s) = v.as_string() {
        Tree::String(s)
    } else if v.is_function() {
        Tree::Function
    } else if !v.is_object() {
        // A symbol or a bigint.
        Tree::Other
    } else {
        return None;
    })
}

/// The walk of what `structuredClone` refused: every read caught, a throw read as `Other`.
fn careful(v: &JsValue, depth: usize) -> Tree {
    if let Some(t) = scalar(v) {
        return t;
    }
    if depth >= MAX_DEPTH {
        return Tree::Other;
    }
    match js::is_array(v) {
        Err(_) => Tree::Other,
        Ok(true) => {
            let len = js::get(v, "length").as_f64().filter(|n| *n >= 0.0 && *n <= f64::from(u32::MAX)).unwrap_or(0.0);
            let items = (0..len as u32).map(|i| Reflect::get_u32(v, i).map_or(Tree::Other, |x| careful(&x, depth + 1)));
            Tree::Array(items.collect())
        }
        Ok(false) => {
            let Ok(keys) = js::object_keys(v) else { return Tree::Other };
            let props = keys.iter().filter_map(|key| {
                let value = Reflect::get(v, &key).map_or(Tree::Other, |x| careful(&x, depth + 1));
                Some((key.as_string()?, value))
            });
            Tree::Object(props.collect())
        }
    }
}
