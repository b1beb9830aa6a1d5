//! The JavaScript globals the shell calls, bound to the GLOBAL objects (never `window.`), so one
//! build runs in browsers, workers and Node 18+. Every binding that can throw is `catch`: a
//! JavaScript exception thrown through the wasm would skip its clean-up and leave it unusable.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    pub fn global_fetch(url: &str, init: &web_sys::RequestInit) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_name = setTimeout)]
    pub fn set_timeout(f: &JsValue, ms: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
    /// A deep copy that refuses what is not plain data (functions, proxies, getters that throw).
    #[wasm_bindgen(catch, js_name = structuredClone)]
    pub fn structured_clone(v: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    pub fn object_keys(o: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    pub fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    /// `JSON.parse` of a string that stays in JavaScript (Graph's body is never copied in for it).
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
    /// `JSON.stringify`: Graph's own objects sent back exactly as `JSON.parse` read them.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = stringify)]
    pub fn json_stringify(v: &JsValue) -> Result<js_sys::JsString, JsValue>;
    /// Base64 to a string of one character per byte (browsers, workers and Node 16+ have it).
    #[wasm_bindgen(catch, js_name = atob)]
    pub fn atob(base64: &str) -> Result<String, JsValue>;
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = randomUUID)]
    pub fn random_uuid() -> Result<String, JsValue>;

    /// The host's UTF-8 decoder (the glue itself needs one, so every host the wasm runs on has it).
    type TextDecoder;
    #[wasm_bindgen(catch, constructor)]
    fn new(label: &str, options: &Object) -> Result<TextDecoder, JsValue>;
    #[wasm_bindgen(catch, method)]
    fn decode(this: &TextDecoder, bytes: &[u8]) -> Result<JsValue, JsValue>;

    /// An object this shell made (a plain object, an `Error`).
    type Own;
    /// `obj[name] = value`: a store, the name made a string by the glue, where `Reflect.set` was
    /// a binding of a string made first: slower, and more code at every call. Caught all the
    /// same: a setter or a read-only property on `Object.prototype` (a polyfill, frozen
    /// intrinsics) can throw, and a throw must not pass through the wasm.
    #[wasm_bindgen(catch, method, indexing_setter)]
    fn put(this: &Own, name: &str, value: &JsValue) -> Result<(), JsValue>;
}

/// `bytes` read as UTF-8, as a JavaScript string: what is not UTF-8 becomes U+FFFD (the
/// maximal subparts, as Rust's `String::from_utf8_lossy`) and a BOM is kept. The host's
/// decoder: Rust's own lossy decoding was a kilobyte of wasm for this alone. `undefined` if it
/// cannot decode at all.
pub fn utf8_lossy(bytes: &[u8]) -> JsValue {
    let options = Object::new();
    set(&options, "ignoreBOM", &JsValue::TRUE);
    TextDecoder::new("utf-8", &options).and_then(|d| d.decode(bytes)).unwrap_or(JsValue::UNDEFINED)
}

/// `obj[name]`, or `undefined` when it is not an object or the read throws.
pub fn get(obj: &JsValue, name: &str) -> JsValue {
    if obj.is_object() || obj.is_function() {
        Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// Sets `obj[name] = value` on an object this shell made (which cannot refuse it).
pub fn set(obj: &Object, name: &str, value: &JsValue) {
    let _ = obj.unchecked_ref::<Own>().put(name, value);
}

/// `obj[name] = value` for a string: made a JavaScript string here, once for every caller,
/// where each `set(.., &value.into())` had the conversion and the drop of its temporary inline.
#[inline(never)]
pub fn set_str(obj: &Object, name: &str, value: &str) {
    set(obj, name, &JsValue::from_str(value));
}

/// `obj[name] = value` for a number (every count, status and time the shell reports fits an
/// f64 exactly), for the same reason as [`set_str`].
#[inline(never)]
pub fn set_num(obj: &Object, name: &str, value: f64) {
    set(obj, name, &JsValue::from_f64(value));
}

/// `obj[name](arg)`, catching a throw (including "is not a function"). The method is called with
/// `call`, one binding per count of arguments (`apply` and `Array.of` were more bindings).
pub fn call_method1(obj: &JsValue, name: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    method(obj, name)?.call1(obj, arg)
}

/// `obj[name](a, b)`, as [`call_method1`].
pub fn call_method2(obj: &JsValue, name: &str, a: &JsValue, b: &JsValue) -> Result<JsValue, JsValue> {
    method(obj, name)?.call2(obj, a, b)
}

fn method(obj: &JsValue, name: &str) -> Result<Function, JsValue> {
    get(obj, name).dyn_into().map_err(|_| JsValue::from_str("not a function"))
}

/// A new array of `items`: `new Array` and `push`, bindings the shell has anyway, for every
/// length, where `Array.of` was one binding per length.
pub fn array(items: &[&JsValue]) -> Array {
    let out = Array::new();
    for item in items {
        out.push(item);
    }
    out
}

/// The value as a function, when it is one.
pub fn function(v: JsValue) -> Option<Function> {
    v.dyn_into().ok()
}

/// An `Error` of `message` named `name`. Made by wasm-bindgen's own `JsError` (`Error(message)`,
/// which is `new Error(message)`), a binding its futures and serde-wasm-bindgen have anyway, and
/// named as a plain property: two bindings (`new Error`, the `name` setter) fewer.
pub fn error(name: &str, message: &str) -> Object {
    let e: JsValue = JsError::new(message).into();
    let e: Object = e.unchecked_into();
    set_str(&e, "name", name);
    e
}

/// `e.message`, or the value itself when it is a string.
pub fn message_of(e: &JsValue) -> Option<String> {
    e.as_string().or_else(|| get(e, "message").as_string())
}
