//! One HTTP exchange with `fetch`: the core's [`HttpRequest`] out, the core's [`HttpResponse`]
//! pieces back.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::cancel::{Cancel, Stop};
use super::js::{self, object_of, set};
use crate::request::HttpRequest;
use crate::response::Headers;

/// What came back, before the core reads it.
pub struct Answer {
    pub status: u16,
    pub headers: Headers,
    pub text: String,
    /// The body parsed by `JSON.parse`, when it is JSON.
    pub json: Option<JsValue>,
}

pub enum Failure {
    /// `fetch` (or reading the body) failed: the value it rejected with.
    Network(JsValue),
    Stopped(Stop),
}

/// Sends `req`; `retry` > 0 marks a retry of the same logical call with `Retry-Attempt: retry`,
/// as Microsoft's clients do.
pub async fn send(req: &HttpRequest, retry: u32, fetch: Option<&JsValue>, cancel: &Cancel) -> Result<Answer, Failure> {
    let init = Object::new();
    set(&init, "method", &req.method.into());
    let mut headers: Vec<(&str, String)> = req.headers.iter().map(|(k, v)| (*k, v.clone())).collect();
    if retry > 0 {
        headers.push(("Retry-Attempt", crate::json::decimal(retry as usize)));
    }
    set(&init, "headers", &object_of(&headers));
    if let Some(body) = &req.body {
        set(&init, "body", &body.into());
    }
    if let Some(signal) = cancel.signal() {
        set(&init, "signal", &signal);
    }
    let started = match fetch {
        Some(f) => js::call(f, &JsValue::UNDEFINED, &[&req.url.as_str().into(), &init]),
        None => js::global_fetch(&req.url, &init),
    };
    let response = match started {
        Ok(p) => cancel.race(&p).await.map_err(failure)?,
        Err(e) => return Err(Failure::Network(e)),
    };
    let status = js::get(&response, "status").as_f64().unwrap_or(0.0);
    let status = if (100.0..=599.0).contains(&status) { status as u16 } else { 0 };
    let header_source = js::get(&response, "headers");
    let headers = Headers(
        Headers::READ
            .iter()
            .filter_map(|name| {
                let v = js::call_method(&header_source, "get", &[&(*name).into()]).ok()?.as_string()?;
                Some(((*name).to_owned(), v))
            })
            .collect(),
    );
    let text = match js::call_method(&response, "text", &[]) {
        Ok(p) => cancel.race(&p).await.map_err(failure)?.as_string().unwrap_or_default(),
        Err(e) => return Err(Failure::Network(e)),
    };
    let json = if text.trim().is_empty() { None } else { js::json_parse(&text).ok() };
    Ok(Answer { status, headers, text, json })
}

fn failure(e: Result<JsValue, Stop>) -> Failure {
    match e {
        Ok(thrown) => Failure::Network(thrown),
        Err(stop) => Failure::Stopped(stop),
    }
}
