//! Core errors as instances of the package's JavaScript classes (`pkg/errors.js`), which the
//! package's loader hands to the wasm once, right after it starts (`setErrorClasses`): one set
//! of classes, so `instanceof` works on every error whatever loaded the wasm.

use core::cell::Cell;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::js::{self, set, set_num, set_str};
use super::json::Json;
use crate::error::{Error, ErrorBody, Issue};

thread_local! {
    /// A `Cell`, taken and put back around each read: no borrow flag, and no panic path.
    static CLASSES: Cell<JsValue> = const { Cell::new(JsValue::UNDEFINED) };
}

/// `{ ValidationError, GraphError, ... }`: the classes to throw, by name.
#[wasm_bindgen(js_name = setErrorClasses)]
pub fn set_error_classes(classes: JsValue) {
    // Through `with`: `LocalKey::set` compiles a lazy initialisation this `const` key never needs.
    CLASSES.with(|c| c.set(classes));
}

/// `new Class(message, props, { cause })` of the class named `name`; without the package's
/// classes (the wasm tests), an `Error` with that `name` and the same properties.
fn make(name: &str, message: &str, props: &Object, cause: Option<&JsValue>) -> JsValue {
    let classes = CLASSES.take();
    let class = js::get(&classes, name);
    CLASSES.with(|c| c.set(classes));
    let options = Object::new();
    if let Some(cause) = cause {
        set(&options, "cause", cause);
    }
    if let Some(class) = js::function(class) {
        if let Ok(e) = Reflect::construct(&class, &js::array(&[&message.into(), props, &options])) {
            return e;
        }
    }
    let e = js::error(name, message);
    let _ = Object::assign(&e, props);
    if let Some(cause) = cause {
        set(&e, "cause", cause);
    }
    e.into()
}

/// The issues as `{ path, message }[]`.
fn issues_array(issues: &[Issue]) -> Array {
    // A plain loop: a collect into an `Array` is an `Extend` compiled of its own.
    let out = Array::new();
    for i in issues {
        let o = Object::new();
        set_str(&o, "path", &i.path);
        set_str(&o, "message", &i.message);
        out.push(&o);
    }
    out
}

/// Takes the issues as they are: they become the error's own, with no copy made.
pub fn validation(issues: Vec<Issue>) -> JsValue {
    let e: Error<Json> = Error::Validation(issues);
    of(&e, Object::new(), None)
}

/// The class instance of `e`. `props` are the shell's own (attempts, status, clientRequestId);
/// A GraphError carries Graph's parsed body (or its text) as `body`.
pub fn of(e: &Error<Json>, props: Object, cause: Option<&JsValue>) -> JsValue {
    match e {
        Error::Validation(issues) => set(&props, "issues", &issues_array(issues)),
        Error::Graph(g) => {
            set_num(&props, "status", f64::from(g.status));
            let strings = [
                ("code", &g.code),
                ("requestId", &g.request_id),
                ("clientRequestId", &g.client_request_id),
                ("date", &g.date),
            ];
            for (name, value) in strings {
                match value {
                    Some(v) => set_str(&props, name, v),
                    // The call's own id when Graph gave none back.
                    None if name == "clientRequestId" && !js::get(&props, name).is_undefined() => {}
                    None => set(&props, name, &JsValue::NULL),
                }
            }
            if let Some(ms) = g.retry_after_ms {
                set_num(&props, "retryAfterMs", ms);
            }
            let body = match &g.body {
                ErrorBody::Json(j) => j.0.clone(),
                ErrorBody::Text(t) => t.as_str().into(),
                ErrorBody::Empty => JsValue::NULL,
            };
            set(&props, "body", &body);
        }
        Error::Response(_) | Error::Network(_) | Error::Timeout(_) | Error::Conflict(_) => {}
    }
    make(e.name(), &e.message(), &props, cause)
}
