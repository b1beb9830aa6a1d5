//! The few JavaScript globals the shell calls, bound to the GLOBAL objects (never `window.`), so
//! one build runs in browsers, workers and Node 18+. Every call that can throw is `catch`.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    pub fn global_fetch(url: &str, init: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = setTimeout)]
    pub fn set_timeout(f: &JsValue, ms: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = apply)]
    fn reflect_apply(f: &JsValue, this: &JsValue, args: &Array) -> Result<JsValue, JsValue>;
    /// `Promise.resolve(v)`: follows thenables; a throwing `then` becomes a rejection.
    #[wasm_bindgen(js_namespace = Promise, js_name = resolve)]
    pub fn promise(v: &JsValue) -> Promise;
    #[wasm_bindgen(js_namespace = Promise, js_name = race)]
    pub fn race(list: &Array) -> Promise;
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    pub fn random() -> f64;
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub fn now() -> f64;
}

/// `f(...args)` with `this` set, catching a throw.
pub fn call(f: &JsValue, this: &JsValue, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let list = Array::new();
    for a in args {
        list.push(a);
    }
    reflect_apply(f, this, &list)
}

/// `obj[name](...args)`, catching a throw (including "is not a function").
pub fn call_method(obj: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let f = Reflect::get(obj, &JsValue::from_str(name))?;
    call(&f, obj, args)
}

/// Awaits any value as `await` would: promises and thenables are followed, others returned.
pub async fn settle(v: &JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(promise(v)).await
}

/// `obj[name]`, or `undefined` when it cannot be read.
pub fn get(obj: &JsValue, name: &str) -> JsValue {
    if obj.is_object() || obj.is_function() {
        Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// Sets `obj[name] = value` on an object this shell made (cannot fail on a plain object).
pub fn set(obj: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(name), value);
}

/// A plain object from string pairs.
pub fn object_of(pairs: &[(&str, String)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        set(&o, k, &JsValue::from_str(v));
    }
    o
}

/// `e.message`, or the value itself when it is a string.
pub fn message_of(e: &JsValue) -> Option<String> {
    e.as_string().or_else(|| get(e, "message").as_string())
}

pub fn is_function(v: &JsValue) -> bool {
    v.dyn_ref::<Function>().is_some()
}
