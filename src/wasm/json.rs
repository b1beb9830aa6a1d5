//! Graph's answers read in place: what `JSON.parse` made, seen through the core's [`JsonView`]
//! without being copied into the wasm. The checks read only what they look at (a list's
//! `value`, each item's `id` or `target`), and the caller gets the very objects Graph sent.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use super::js;
use crate::engine::Host;
use crate::json::{JsonView, Kind};

/// A value `JSON.parse` made.
#[derive(Clone, Debug)]
pub struct Json(pub JsValue);

impl JsonView for Json {
    type Str = String;

    /// Told apart in as few calls into JavaScript as can tell them, objects and strings (most of
    /// what Graph sends) first: each test is one call, and a list of 1,000 items is read item by
    /// item.
    fn kind(&self) -> Kind {
        let v = &self.0;
        if v.is_object() {
            if js::is_array(v).unwrap_or(false) {
                Kind::Array
            } else {
                Kind::Object
            }
        } else if v.is_string() {
            Kind::String
        } else if v.as_f64().is_some() {
            Kind::Number
        } else if v.as_bool().is_some() {
            Kind::Bool
        } else if v.is_null() {
            Kind::Null
        } else {
            Kind::Other
        }
    }
    fn string(&self) -> Option<String> {
        self.0.as_string()
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    /// An own property: JSON holds no functions, so an inherited method (`toString`) is none.
    fn get(&self, key: &str) -> Option<Json> {
        if self.kind() != Kind::Object {
            return None;
        }
        let v = Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        (!v.is_undefined() && !v.is_function()).then_some(Json(v))
    }
    fn keys(&self) -> Vec<String> {
        if self.kind() != Kind::Object {
            return Vec::new();
        }
        // A plain loop: a filter_map's collect is compiled of its own.
        let mut out = Vec::new();
        if let Ok(keys) = js::object_keys(&self.0) {
            for k in keys.iter() {
                if let Some(k) = k.as_string() {
                    out.push(k);
                }
            }
        }
        out
    }
    fn len(&self) -> usize {
        match self.kind() {
            Kind::Array => self.0.unchecked_ref::<Array>().length() as usize,
            _ => 0,
        }
    }
    fn at(&self, index: usize) -> Option<Json> {
        let i = u32::try_from(index).ok().filter(|i| (*i as usize) < self.len())?;
        Reflect::get(&self.0, &i.into()).ok().map(Json)
    }
}

/// The wasm as the engine's host.
pub struct Js;

impl Host for Js {
    type Json = Json;
    type Cause = JsValue;

    /// Joined once (`flat`): joining each page to all before it would copy O(pages²) items.
    fn join(pages: Vec<Json>) -> Json {
        // A plain loop: a collect into an `Array` is an `Extend` compiled of its own.
        let all = Array::new();
        for p in &pages {
            all.push(&p.0);
        }
        let pages = all;
        Json(pages.flat(1).into())
    }

    fn stringify(v: &Json) -> Option<String> {
        js::json_stringify(&v.0).ok().map(String::from)
    }

    /// A body that is not base64 after all is kept as it came.
    fn decode_base64(text: &str) -> (Option<Json>, String) {
        let Ok(binary) = js::atob(text) else { return (None, text.into()) };
        // One character per byte, each below 256: the bytes, read as UTF-8.
        // A plain loop: a map's collect is compiled of its own.
        let mut bytes = Vec::with_capacity(binary.len());
        for c in binary.chars() {
            bytes.push(u8::try_from(u32::from(c)).unwrap_or(b'?'));
        }
        let text = js::utf8_lossy(&bytes);
        match js::json_parse(&text) {
            Ok(json) => (Some(Json(json)), String::new()),
            Err(_) => (None, text.as_string().unwrap_or_default()),
        }
    }
}
