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
//! original values once the call is valid (see `call.rs`). The options, which hold most of
//! those (functions, an AbortSignal, numbers a bigint must not pass for), are small and always
//! walked here.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::js;

use crate::tree::{Budget, Tree, CUT, MAX_DEPTH};

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
        Ok(copy) => plain(copy),
        Err(_) => careful(v, 0, &Budget::of(CAREFUL_VALUES)),
    }
}

/// How many values the caught walk reads: each costs a few calls into JavaScript (through a
/// proxy, its traps), so fewer than serde reads of plain data. Enough for 10,000 assignments
/// behind a framework's reactive proxies.
const CAREFUL_VALUES: usize = 250_000;

/// The token, and a TokenCredential's `getToken`: a credential is known by that method, which
/// lives on its class, not among its own properties. It is read once, here, and that function
/// is the one called.
pub fn token(v: &JsValue) -> (Option<Tree>, JsValue) {
    let get_token = js::get(v, "getToken");
    if v.is_object() && get_token.is_function() {
        return (Some(Tree::Object(vec![("getToken".into(), Tree::Function)])), get_token);
    }
    (arg(v), JsValue::UNDEFINED)
}

/// An options object: each property read once, so that functions and an AbortSignal (whose
/// `aborted` and `addEventListener` are its class's) are seen for what they are, and a bigint
/// (which serde would read as a number) is not taken for a number. A property set to
/// `undefined` is not there, as with every JavaScript API; so are options of `undefined` or
/// `null` (the exports take them as they come: an `Option` argument costs every export a
/// fallible conversion in its wasm-bindgen shim).
pub fn options(v: &JsValue) -> Given {
    let mut given = Given::default();
    given.tree = options_tree(v, &mut given);
    given
}

/// The options as read: the tree the rules check, and the values it only marks, read once
/// (a getter that answers differently the second time cannot slip past the checks).
#[derive(Default)]
pub struct Given {
    pub tree: Option<Tree>,
    pub fetch: JsValue,
    pub on_retry: JsValue,
    pub on_progress: JsValue,
    pub signal: JsValue,
}

fn options_tree(v: &JsValue, given: &mut Given) -> Option<Tree> {
    if !v.is_object() || js::is_array(v).unwrap_or(true) {
        return (!v.is_undefined() && !v.is_null()).then(|| careful(v, 0, &Budget::of(CAREFUL_VALUES)));
    }
    Some(object(v, 0, &Budget::of(CAREFUL_VALUES), Some(given)))
}

impl Given {
    /// The tree of the option `name`, as `read`, and the value kept if the call uses it; `None`
    /// for an option set to `undefined`, which is not there.
    fn option(&mut self, name: &str, read: Result<JsValue, JsValue>, budget: &Budget) -> Option<Tree> {
        if let Ok(value) = &read {
            match name {
                "fetch" => self.fetch = value.clone(),
                "onRetry" => self.on_retry = value.clone(),
                "onProgress" => self.on_progress = value.clone(),
                "signal" => self.signal = value.clone(),
                _ => {}
            }
        }
        Some(match read {
            Ok(value) if value.is_undefined() => return None,
            Ok(value) if name == "signal" && value.is_object() => Tree::Object(vec![
                ("aborted".into(), scalar(&js::get(&value, "aborted")).unwrap_or(Tree::Other)),
                ("addEventListener".into(), scalar(&js::get(&value, "addEventListener")).unwrap_or(Tree::Other)),
            ]),
            Ok(value) => careful(&value, 1, budget),
            Err(_) => Tree::Other,
        })
    }
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
fn careful(v: &JsValue, depth: usize, budget: &Budget) -> Tree {
    if !budget.take() {
        return Tree::Other;
    }
    if let Some(t) = scalar(v) {
        return t;
    }
    if depth >= MAX_DEPTH {
        return Tree::Other;
    }
    match js::is_array(v) {
        Err(_) => Tree::Other,
        Ok(true) => {
            // A length that cannot be read is no length: never an empty array, which `assign`
            // would send as "remove every assignment".
            // So is a length that is not an array's (NaN, negative, a fraction, past 2^32 - 1).
            let length = Reflect::get(v, &"length".into()).ok().and_then(|l| l.as_f64());
            let Some(len) = length.filter(|n| *n >= 0.0 && *n <= f64::from(u32::MAX) && n.fract() == 0.0) else {
                return Tree::Other;
            };
            if budget.short_of(len as usize) {
                return Tree::Other;
            }
            let mut items = Vec::new();
            for i in 0..len as u32 {
                if budget.spent() {
                    if budget.mark_cut() {
                        items.push(Tree::Other);
                    }
                    break;
                }
                items.push(Reflect::get(v, &i.into()).map_or(Tree::Other, |x| careful(&x, depth + 1, budget)));
            }
            Tree::Array(items)
        }
        Ok(false) => object(v, depth, budget, None),
    }
}

/// The properties of the object `v`, each read once and caught. The options (`given`) are read
/// whole, each property as the call takes it (`Given::option`); any other object stops where
/// the budget does.
fn object(v: &JsValue, depth: usize, budget: &Budget, mut given: Option<&mut Given>) -> Tree {
    let Ok(keys) = js::object_keys(v) else { return Tree::Other };
    // Grown as the reads go, not reserved by the key count: an object of a million keys would
    // reserve for all of them before the budget stops the walk, at every level of nesting.
    let mut props = Vec::new();
    for key in keys.iter() {
        let Some(name) = key.as_string() else { continue };
        if given.is_none() && budget.spent() {
            if budget.mark_cut() {
                props.push((CUT.into(), Tree::Other));
            }
            break;
        }
        let read = Reflect::get(v, &key);
        let value = match &mut given {
            Some(given) => match given.option(&name, read, budget) {
                Some(value) => value,
                None => continue,
            },
            None => read.map_or(Tree::Other, |x| careful(&x, depth + 1, budget)),
        };
        props.push((name, value));
    }
    Tree::Object(props)
}

/// Plain data (what structuredClone made) read by serde-wasm-bindgen, whole.
pub fn plain(v: JsValue) -> Tree {
    <Tree as serde::Deserialize>::deserialize(serde_wasm_bindgen::Deserializer::from(v)).unwrap_or(Tree::Other)
}
