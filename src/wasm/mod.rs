//! The wasm shell: JavaScript values in, `fetch` and timers for I/O, JavaScript errors out.
//! Every rule and decision is in the core; this is glue.

mod cancel;
mod errors;
mod http;
mod js;
mod token;
mod view;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

use crate::error::{network_message, timeout_message, Error};
use crate::guid::guid_v4;
use crate::response::{self, HttpResponse};
use crate::validate::{self, AssignCall, Options};
use cancel::{Cancel, Stop};
use errors::{descriptor, with};

/// `assign(poolId, assignments, token, options?)`: replaces the pool's assignments and resolves
/// to the server's `value` array. Validation runs at once, before anything is sent; the promise
/// rejects with an error descriptor (see `pkg/errors.js`) or passes a signal's reason through.
#[wasm_bindgen(js_name = assign)]
pub fn assign(
    pool_id: JsValue,
    assignments: JsValue,
    token: JsValue,
    options: JsValue,
) -> js_sys::Promise {
    let call = validate::assign_call(
        present(&pool_id),
        present(&assignments),
        present(&token),
        present(&options),
    );
    let AssignCall {
        pool_id,
        assignments,
        token,
        options,
    } = match call {
        Ok(call) => call,
        Err(issues) => {
            return js_sys::Promise::reject(&descriptor(Error::Validation(issues), None))
        }
    };
    future_to_promise(async move {
        let Options {
            base_url,
            timeout_ms,
            client_request_id,
            signal,
            fetch,
        } = options;
        let client_request_id = client_request_id.unwrap_or_else(random_guid);
        let cancel = Cancel::new(signal.and_then(|s| s.dyn_into().ok()), timeout_ms);
        let stopped = |stop: Stop| match stop {
            Stop::Aborted(reason) => reason,
            Stop::TimedOut => with(
                descriptor(
                    Error::Timeout(timeout_message(timeout_ms.unwrap_or(0.0))),
                    Some(&client_request_id),
                ),
                "timeoutMs",
                &timeout_ms.unwrap_or(0.0).into(),
            ),
        };
        if let Some(stop) = cancel.stopped() {
            return Err(stopped(stop));
        }
        let token = match token::resolve(token, &base_url, &cancel).await {
            Ok(t) => t,
            Err(token::TokenFailure::Thrown(e)) => return Err(e),
            Err(token::TokenFailure::Stopped(stop)) => return Err(stopped(stop)),
            Err(token::TokenFailure::Invalid(e)) => return Err(descriptor(e, None)),
        };
        let request = crate::request::assign(
            &base_url,
            &pool_id,
            &assignments,
            &token,
            &client_request_id,
        );
        drop(token);
        let answer = match http::send(&request, fetch.as_ref(), &cancel).await {
            Ok(a) => a,
            Err(http::Failure::Stopped(stop)) => return Err(stopped(stop)),
            Err(http::Failure::Network(cause)) => {
                // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, bad port) is
                // in its own cause.
                let inner = js::get(&cause, "cause");
                let reason = js::get(&inner, "code")
                    .as_string()
                    .or_else(|| js::message_of(&inner));
                let detail = js::message_of(&cause).map(|m| match reason {
                    Some(r) => [m.as_str(), ": ", &r].concat(),
                    None => m,
                });
                let e = Error::Network(network_message(base_url.origin(), detail.as_deref()));
                return Err(with(
                    descriptor(e, Some(&client_request_id)),
                    "cause",
                    &cause,
                ));
            }
        };
        let read = response::collection(
            HttpResponse {
                status: answer.status,
                headers: &answer.headers,
                text: &answer.text,
                json: answer.json,
            },
            "assignment",
        );
        read.map_err(|e| {
            let d = descriptor(e, Some(&client_request_id));
            with(d, "status", &answer.status.into())
        })
    })
}

/// A JS argument, with `undefined` read as "not given".
fn present(v: &JsValue) -> Option<&JsValue> {
    (!v.is_undefined()).then_some(v)
}

/// A fresh `client-request-id`. `Math.random` is enough: the id correlates logs, it guards nothing.
fn random_guid() -> String {
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(4) {
        let n = (js::random() * 4_294_967_296.0) as u32;
        for (b, v) in chunk.iter_mut().zip(n.to_le_bytes()) {
            *b = v;
        }
    }
    guid_v4(bytes)
}
