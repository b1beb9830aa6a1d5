//! Core errors to JavaScript. The shell rejects with a plain descriptor object; the package's
//! entry (`pkg/errors.js`) turns it into an instance of the exported class named by `kind`, so
//! the classes live in one JS file that every runtime entry shares.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::js::{object_of, set};
use crate::error::{Error, ErrorBody, Issue};

/// The property that marks a descriptor as this library's (anything else is passed through).
const MARK: &str = "intuneEsimError";

pub fn descriptor(e: Error<JsValue>, client_request_id: Option<&str>) -> JsValue {
    let o = object_of(&[(MARK, e.name().into()), ("message", e.message())]);
    if let Some(id) = client_request_id {
        set(&o, "clientRequestId", &id.into());
    }
    match e {
        Error::Validation(issues) => set(&o, "issues", &issues_array(&issues)),
        Error::Graph(g) => {
            set(&o, "status", &g.status.into());
            let strings = [
                ("code", g.code),
                ("requestId", g.request_id),
                ("clientRequestId", g.client_request_id.or(client_request_id.map(str::to_owned))),
                ("date", g.date),
            ];
            for (k, v) in strings {
                set(&o, k, &v.map_or(JsValue::NULL, JsValue::from));
            }
            if let Some(ms) = g.retry_after_ms {
                set(&o, "retryAfterMs", &ms.into());
            }
            let body = match g.body {
                ErrorBody::Json(v) => v,
                ErrorBody::Text(t) => t.into(),
                ErrorBody::Empty => JsValue::NULL,
            };
            set(&o, "body", &body);
        }
        Error::Response(_) | Error::Network(_) | Error::Timeout(_) => {}
    }
    o.into()
}

/// Adds properties to a descriptor made by [`descriptor`].
pub fn with(d: JsValue, name: &str, value: &JsValue) -> JsValue {
    if let Some(o) = wasm_bindgen::JsCast::dyn_ref::<Object>(&d) {
        set(o, name, value);
    }
    d
}

fn issues_array(issues: &[Issue]) -> JsValue {
    let list = Array::new();
    for i in issues {
        list.push(&object_of(&[("path", i.path.clone()), ("message", i.message.clone())]));
    }
    list.into()
}
