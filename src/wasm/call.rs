//! What every Graph request does: get the token, send with retries (the core's policy decides),
//! honour the deadline and the caller's signal, read the answer with the core, and turn every
//! failure into the right JavaScript error. An operation brings only its request and its reading.
//!
//! A [`Call`] is one call of the public API: `addAssignments` or a list of many pages makes
//! several requests in one, under one deadline and one client-request-id.

use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;

use super::cancel::{Cancel, Stop};
use super::errors;
use super::http::{self, Answer};
use super::input::{self, Given};
use super::js::{self, set};
use super::token::{self, Token};
use crate::error::{deadline_message, network_message, timeout_message, Error};
use crate::guid::guid_v4;
use crate::request::HttpRequest;
use crate::response::{Headers, HttpResponse};
use crate::retry::{self, Attempt, Decision, GiveUp, RetryPolicy};
use crate::tree::{Tree, SHALLOW_FROM};
use crate::url::BaseUrl;
use crate::validate::{Options, TokenSource};

pub struct Call {
    pub base_url: BaseUrl,
    /// The caller's own `timeoutMs`, for messages; the deadline counts from `started_ms`.
    timeout_ms: Option<f64>,
    started_ms: f64,
    pub client_request_id: String,
    token: Token,
    fetch: Option<Function>,
    on_retry: Option<Function>,
    retry: RetryPolicy,
    cancel: Cancel,
}

/// Graph's final answer to one request, with its body parsed when it is JSON.
pub struct Reply {
    pub answer: Answer,
    /// `JSON.parse` of the body, and the same as the core's tree.
    pub json: Option<(JsValue, Tree)>,
    attempts: u32,
    /// Still throttled, and the next wait would have ended past the deadline.
    deadline: bool,
}

impl Call {
    /// A checked call. `token` and `given` are the caller's own values, whose functions and
    /// signal the trees only marked; `started_ms` is when the public call began, if earlier.
    pub fn new(
        options: &Options<&Tree>,
        source: TokenSource<&Tree>,
        token: &(JsValue, JsValue),
        given: &Given,
        started_ms: Option<f64>,
    ) -> Call {
        let now = js_sys::Date::now();
        let started_ms = started_ms.filter(|s| s.is_finite() && *s <= now).unwrap_or(now);
        let timeout_ms = options.timeout_ms;
        let signal = options.signal.map(|_| given.signal.clone().unchecked_into());
        let timer = timeout_ms.map(|t| t - (now - started_ms));
        Call {
            base_url: options.base_url.clone(),
            timeout_ms,
            started_ms,
            client_request_id: options.client_request_id.clone().unwrap_or_else(random_guid),
            token: Token::new(source, &token.0, &token.1),
            fetch: options.fetch.and_then(|_| js::function(given.fetch.clone())),
            on_retry: options.on_retry.and_then(|_| js::function(given.on_retry.clone())),
            retry: options.retry,
            cancel: Cancel::new(signal, timer),
        }
    }

    /// The shell's own properties of an error: the call's client-request-id, and after a
    /// request its status and the attempts made.
    fn props(&self, answered: Option<(u16, u32)>) -> Object {
        let props = Object::new();
        set(&props, "clientRequestId", &self.client_request_id.as_str().into());
        if let Some((status, attempts)) = answered {
            set(&props, "status", &status.into());
            set(&props, "attempts", &attempts.into());
        }
        props
    }

    /// An error of the call; `reply` is the answer it is about, if any.
    pub fn error(&self, e: &Error<&Tree>, reply: Option<&Reply>) -> JsValue {
        let answered = reply.map(|r| (r.answer.status, r.attempts));
        errors::of(e, self.props(answered), reply.and_then(|r| r.json.as_ref()).map(|(j, _)| j), None)
    }

    /// The error that stops the whole call, once it is aborted or past its deadline.
    pub fn stop(&self) -> Option<JsValue> {
        self.cancel.stopped().map(|stop| self.stopped(stop))
    }

    /// Waits `ms`, or until the call is aborted or past its deadline.
    pub async fn wait(&self, ms: f64) -> Result<(), JsValue> {
        self.cancel.sleep(ms).await.map_err(|stop| self.stopped(stop))
    }

    /// The core's retry decision for an answer with `status` after `made` attempts.
    pub fn decide(&self, status: u16, retry_after: Option<&str>, made: u32) -> Decision {
        let now = js_sys::Date::now();
        retry::decide(
            &self.retry,
            &Attempt {
                status,
                retry_after,
                made,
                remaining_ms: self.timeout_ms.map(|t| t - (now - self.started_ms)),
                now_ms: now,
                random: js_sys::Math::random(),
            },
        )
    }

    /// Tells the caller's `onRetry` of a wait before the next attempt; its throw ends the call.
    pub fn retrying(&self, made: u32, status: u16, delay_ms: f64) -> Result<(), JsValue> {
        if let Some(f) = &self.on_retry {
            let info = Object::new();
            set(&info, "attempt", &made.into());
            set(&info, "status", &status.into());
            set(&info, "delayMs", &delay_ms.into());
            set(&info, "clientRequestId", &self.client_request_id.as_str().into());
            f.call1(&JsValue::UNDEFINED, &info)?;
        }
        Ok(())
    }

    fn stopped(&self, stop: Stop) -> JsValue {
        match stop {
            Stop::Aborted(reason) => reason,
            Stop::TimedOut => self.timed_out(timeout_message(self.timeout_ms.unwrap_or(0.0)), None, None),
        }
    }

    fn timed_out(&self, message: String, attempts: Option<u32>, cause: Option<&JsValue>) -> JsValue {
        let props = self.props(None);
        set(&props, "timeoutMs", &self.timeout_ms.unwrap_or(0.0).into());
        if let Some(a) = attempts {
            set(&props, "attempts", &a.into());
        }
        errors::of(&Error::Timeout(message), props, None, cause)
    }

    /// Sends `request` until Graph gives a final answer; rejects on the network, the deadline,
    /// an abort, a token provider's error or `onRetry`'s.
    pub async fn send(&self, request: &HttpRequest) -> Result<Reply, JsValue> {
        self.send_read(request, SHALLOW_FROM).await.map_err(Unsent::into_error)
    }

    /// [`Call::send`], with the answer's JSON read `from` levels deep (a batch's answers sit
    /// three levels below a single one's), and a network failure told apart from the rest.
    pub async fn send_read(&self, request: &HttpRequest, from: usize) -> Result<Reply, Unsent> {
        if let Some(e) = self.stop() {
            return Err(Unsent::Call(e));
        }
        let bearer = match token::resolve(&self.token, &self.base_url, &self.cancel).await {
            Ok(t) => t,
            Err(token::Failure::Thrown(e)) => return Err(Unsent::Call(e)),
            Err(token::Failure::Stopped(stop)) => return Err(Unsent::Call(self.stopped(stop))),
            Err(token::Failure::Invalid(issue)) => return Err(Unsent::Call(errors::validation(&[issue]))),
        };
        let mut made = 0;
        loop {
            let answer = match http::send(request, &bearer, made, self.fetch.as_ref(), &self.cancel).await {
                Ok(a) => a,
                Err(http::Failure::Stopped(stop)) => return Err(Unsent::Call(self.stopped(stop))),
                Err(http::Failure::Network(cause)) => return Err(Unsent::Network(self.network(&cause, made + 1))),
            };
            made += 1;
            let delay_ms = match self.decide(answer.status, answer.headers.get("retry-after"), made) {
                Decision::Retry { delay_ms } => delay_ms,
                Decision::GiveUp(why) => return Ok(reply(answer, made, why == GiveUp::Deadline, from)),
            };
            self.retrying(made, answer.status, delay_ms).map_err(Unsent::Call)?;
            self.wait(delay_ms).await.map_err(Unsent::Call)?;
        }
    }

    fn network(&self, cause: &JsValue, attempts: u32) -> JsValue {
        // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, a bad port) is in its
        // own cause.
        let inner = js::get(cause, "cause");
        let reason = js::get(&inner, "code").as_string().or_else(|| js::message_of(&inner));
        let detail = js::message_of(cause).map(|m| match reason {
            Some(r) => [m.as_str(), ": ", &r].concat(),
            None => m,
        });
        let props = self.props(None);
        set(&props, "attempts", &attempts.into());
        let message = network_message(self.base_url.origin(), detail.as_deref());
        errors::of(&Error::Network(message), props, None, Some(cause))
    }

    /// Reads `reply` with the core's `check`; its error becomes the JavaScript error, with the
    /// answer's `Retry-After` on a GraphError, and inside a TimeoutError when Graph was still
    /// throttling at the deadline.
    pub fn read<'t, T>(
        &self,
        reply: &'t Reply,
        check: impl for<'r> FnOnce(HttpResponse<'r, &'t Tree>) -> Result<T, Error<&'t Tree>>,
    ) -> Result<T, JsValue> {
        // The body is copied in only when it is not JSON: for messages and a GraphError's body.
        let text = match &reply.json {
            Some(_) => String::new(),
            None => reply.answer.text.as_string().unwrap_or_default(),
        };
        let answer = HttpResponse {
            status: reply.answer.status,
            headers: &reply.answer.headers,
            text: &text,
            json: reply.json.as_ref().map(|(_, t)| t),
        };
        let meta =
            Answered { attempts: reply.attempts, deadline: reply.deadline, json: reply.json.as_ref().map(|(j, _)| j) };
        self.judge(answer, &meta, check)
    }

    /// Reads any answer with the core's `check`, a single request's or one inside a batch.
    pub fn judge<'r, 't, T>(
        &self,
        answer: HttpResponse<'r, &'t Tree>,
        meta: &Answered<'_>,
        check: impl FnOnce(HttpResponse<'r, &'t Tree>) -> Result<T, Error<&'t Tree>>,
    ) -> Result<T, JsValue> {
        let (status, headers) = (answer.status, answer.headers);
        check(answer).map_err(|e| self.failed(e, status, headers, meta))
    }

    /// The JavaScript error of an answer the core refused: one function for every reading, so
    /// it is compiled once, whatever each reading returns.
    fn failed(&self, error: Error<&Tree>, status: u16, headers: &Headers, meta: &Answered<'_>) -> JsValue {
        let error = match error {
            Error::Graph(mut g) => {
                g.retry_after_ms =
                    headers.get("retry-after").and_then(|v| retry::retry_after_ms(v, js_sys::Date::now()));
                Error::Graph(g)
            }
            e => e,
        };
        let e = errors::of(&error, self.props(Some((status, meta.attempts))), meta.json, None);
        if !meta.deadline {
            return e;
        }
        let message = deadline_message(self.timeout_ms.unwrap_or(0.0));
        self.timed_out(message, Some(meta.attempts), Some(&e))
    }
}

/// Why a request got no answer: the network (one read of many can fail alone), or what ends
/// the whole call: an abort, the deadline, the token provider's error or `onRetry`'s.
pub enum Unsent {
    Network(JsValue),
    Call(JsValue),
}

impl Unsent {
    pub fn into_error(self) -> JsValue {
        match self {
            Unsent::Network(e) | Unsent::Call(e) => e,
        }
    }
}

/// What the shell knows of an answer beside what the core reads: the attempts it took, whether
/// the deadline ended its retries, and Graph's body as JavaScript (a GraphError's `body`).
pub struct Answered<'j> {
    pub attempts: u32,
    pub deadline: bool,
    pub json: Option<&'j JsValue>,
}

fn reply(answer: Answer, attempts: u32, deadline: bool, from: usize) -> Reply {
    let json = js::json_parse(&answer.text).ok().map(|j| {
        // What JSON.parse made is plain data: serde reads it directly, as deep as the checks look.
        let tree = input::answer(j.clone(), from);
        (j, tree)
    });
    // An empty body is no JSON, whatever JSON.parse of "" would say (it throws).
    Reply { answer, json, attempts, deadline }
}

/// A fresh `client-request-id`: `crypto.randomUUID`, or from `Math.random` where it is missing
/// (plain-http pages). The id correlates logs, it guards nothing.
fn random_guid() -> String {
    js::random_uuid().unwrap_or_else(|_| {
        let mut bytes = [0u8; 16];
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
        guid_v4(bytes)
    })
}
