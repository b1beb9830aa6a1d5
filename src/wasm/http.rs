//! One HTTP exchange with `fetch`: the core's [`HttpRequest`] out, what came back in.
//!
//! The request goes as `fetch(url, init)` with a web-sys `RequestInit` and the headers as a plain
//! object: constructing `Request` and `Headers` objects cost about 70 µs a call in Node.

use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;
use web_sys::{AbortSignal, RequestInit};

use super::js::{self, set_str};
use crate::request::HttpRequest;
use crate::response::Headers;
use crate::text::joined;

/// `fetch(url, init)` of `req`, with `Authorization: Bearer <token>`; `retry` > 0 marks a retry of
/// the same logical call with `Retry-Attempt: retry`, as Microsoft's clients do. The promise of
/// its response, or what `fetch` threw. The waits are the driver's (`Call::exchange`): these
/// are plain functions, so one state machine awaits the token, the response and its body.
pub fn fetch(
    req: &HttpRequest,
    token: &str,
    retry: u32,
    fetch: Option<&Function>,
    signal: Option<AbortSignal>,
) -> Result<JsValue, JsValue> {
    let headers = Object::new();
    set_str(&headers, "Authorization", &joined(&["Bearer ", token]));
    for (name, value) in &req.headers {
        set_str(&headers, name, value);
    }
    if retry > 0 {
        set_str(&headers, "Retry-Attempt", &crate::text::decimal(retry as usize));
    }
    let init = RequestInit::new();
    init.set_method(req.method);
    init.set_headers(&headers);
    if let Some(body) = &req.body {
        init.set_body(&body.as_str().into());
    }
    if let Some(signal) = signal {
        init.set_signal(Some(&signal));
    }
    match fetch {
        Some(f) => f.call2(&JsValue::UNDEFINED, &req.url.as_str().into(), &init),
        None => js::global_fetch(&req.url, &init).map(JsValue::from),
    }
}

/// The status and the headers the core reads of a response. A custom fetch may answer with any
/// object that looks like a Response: every part is read as a property, each read caught.
pub fn head(response: &JsValue) -> (u16, Headers) {
    let status = js::get(response, "status").as_f64().filter(|s| (100.0..=599.0).contains(s)).map_or(0, |s| s as u16);
    // `get` is read once, then called as a method for each name, its answer taken only if it is
    // a string: a custom fetch's headers may answer anything.
    let source = js::get(response, "headers");
    let get = js::function(js::get(&source, "get"));
    let header = |name: &str| get.as_ref()?.call1(&source, &name.into()).ok()?.as_string();
    // A plain loop: a filter_map's collect is compiled of its own.
    let mut headers = Headers::default();
    for name in Headers::READ {
        if let Some(value) = header(name) {
            headers.0.push((name.to_owned(), value));
        }
    }
    (status, headers)
}

/// The promise of the response's body as a JavaScript string (copied into the wasm only when it
/// is not JSON), or what `text()` threw.
pub fn text(response: &JsValue) -> Result<JsValue, JsValue> {
    response.unchecked_ref::<web_sys::Response>().text().map(JsValue::from)
}
