//! What every Graph call does around its one request: get the token, send with retries, honour
//! the deadline and the caller's signal, read the answer, and turn every failure into the right
//! JavaScript error. An operation brings only how to build its request and read its answer.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::attempts::{self, Exchange, Failure, Outcome};
use super::cancel::{Cancel, Stop};
use super::errors::{descriptor, with};
use super::js;
use super::token::{self, TokenFailure};
use crate::error::{deadline_message, network_message, timeout_message, Error};
use crate::guid::guid_v4;
use crate::request::HttpRequest;
use crate::response::HttpResponse;
use crate::retry::retry_after_ms;
use crate::url::BaseUrl;
use crate::validate::{Options, TokenSource};

/// How an operation builds its request from the base URL, the token and the client-request-id.
/// Boxed, so that one copy of [`run`] serves every operation (generic closures would compile
/// the whole async state machine again for each, costing kilobytes of wasm apiece).
pub type Build = Box<dyn FnOnce(&BaseUrl, &str, &str) -> HttpRequest>;
/// How an operation reads its answer.
pub type Read = Box<dyn FnOnce(HttpResponse<'_, JsValue>) -> Result<JsValue, Error<JsValue>>>;

pub async fn run(
    options: Options<JsValue>,
    token: TokenSource<JsValue>,
    build: Build,
    read: Read,
) -> Result<JsValue, JsValue> {
    let started_ms = js::now();
    let Options { base_url, timeout_ms, client_request_id, signal, fetch, retry, on_retry } = options;
    let crid = client_request_id.unwrap_or_else(random_guid);
    let cancel = Cancel::new(signal.and_then(|s| s.dyn_into().ok()), timeout_ms);
    let fail = |e: Error<JsValue>| descriptor(e, Some(&crid));
    let timed_out = || {
        let ms = timeout_ms.unwrap_or(0.0);
        with(fail(Error::Timeout(timeout_message(ms))), "timeoutMs", &ms.into())
    };
    let stopped = |stop: Stop| match stop {
        Stop::Aborted(reason) => reason,
        Stop::TimedOut => timed_out(),
    };
    if let Some(stop) = cancel.stopped() {
        return Err(stopped(stop));
    }

    let token = match token::resolve(token, &base_url, &cancel).await {
        Ok(t) => t,
        Err(TokenFailure::Thrown(e)) => return Err(e),
        Err(TokenFailure::Stopped(stop)) => return Err(stopped(stop)),
        Err(TokenFailure::Invalid(e)) => return Err(descriptor(e, None)),
    };
    let request = build(&base_url, &token, &crid);
    drop(token);

    let exchange = Exchange {
        request: &request,
        client_request_id: &crid,
        fetch: fetch.as_ref(),
        policy: retry,
        on_retry: on_retry.as_ref(),
        timeout_ms,
        started_ms,
    };
    let (Outcome { answer, attempts }, deadline) = match attempts::run(&exchange, &cancel).await {
        Ok(outcome) => (outcome, false),
        Err(Failure::Deadline(outcome)) => (outcome, true),
        Err(Failure::Stopped(stop)) => return Err(stopped(stop)),
        Err(Failure::OnRetry(e)) => return Err(e),
        Err(Failure::Network(cause, attempts)) => {
            // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, bad port) is in
            // its own cause.
            let inner = js::get(&cause, "cause");
            let reason = js::get(&inner, "code").as_string().or_else(|| js::message_of(&inner));
            let detail = js::message_of(&cause).map(|m| match reason {
                Some(r) => [m.as_str(), ": ", &r].concat(),
                None => m,
            });
            let d = fail(Error::Network(network_message(base_url.origin(), detail.as_deref())));
            return Err(with(with(d, "cause", &cause), "attempts", &attempts.into()));
        }
    };

    let status = answer.status;
    let retry_after = answer.headers.get("retry-after").and_then(|v| retry_after_ms(v, js::now()));
    let result = read(HttpResponse { status, headers: &answer.headers, text: &answer.text, json: answer.json });
    let error = match result {
        Ok(value) => return Ok(value),
        Err(Error::Graph(mut g)) => {
            g.retry_after_ms = retry_after;
            Error::Graph(g)
        }
        Err(e) => e,
    };
    let d = with(with(fail(error), "status", &status.into()), "attempts", &attempts.into());
    if deadline {
        // Still throttled, and waiting again would end past the deadline: stop now, with the
        // last answer as the cause.
        let ms = timeout_ms.unwrap_or(0.0);
        let t = with(fail(Error::Timeout(deadline_message(ms))), "timeoutMs", &ms.into());
        return Err(with(with(t, "cause", &d), "attempts", &attempts.into()));
    }
    Err(d)
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
