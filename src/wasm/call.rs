//! One call of the public API, and the one driver of every engine machine: it sends what the
//! engine asks (with the token, through `fetch`), tells the caller's `onRetry` and
//! `onProgress`, wakes the engine at the time it names, and turns the engine's failures into
//! the package's JavaScript errors. Aborts and the deadline end the call wherever it waits.

use core::cell::Cell;
use core::future::{poll_fn, Future};
use core::pin::Pin;
use core::task::Poll as TaskPoll;
use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;

use super::cancel::{Cancel, Stop};
use super::errors;
use super::http;
use super::input::{self, Given};
use super::js::{self, set, set_num, set_str};
use super::json::{Js, Json};
use super::token::{self, Token};
use super::Outcome;
use crate::engine::{self, Answer, Env, Failure, Got, Io, Machine, Notice, Paces, Poll};
use crate::error::{deadline_message, network_message, timeout_message, Error, Issue};
use crate::guid::guid_v4;
use crate::text::joined;
use crate::tree::Tree;
use crate::validate::{Checked, Options, Shared, TokenSource};

thread_local! {
    /// The engine's paces, one set for the whole instance: Intune counts the app's requests,
    /// whichever call makes them. A `Cell`, taken for each step and put back: no borrow flag,
    /// and no panic path.
    static PACES: Cell<Paces> = const { Cell::new(Paces::new()) };
}

pub struct Call {
    pub engine: engine::Call,
    /// The tenant the caller named (`options.tenantId`), told to the token provider; the paces'
    /// tenant (`engine.tenant`) may be the token's own `tid` instead.
    tenant: Option<String>,
    token: Token,
    fetch: Option<Function>,
    on_retry: Option<Function>,
    /// Dropped once it throws: a broken progress display must not cost the results. Taken for
    /// each call of it and put back after.
    on_progress: Cell<Option<Function>>,
    cancel: Cancel,
}

/// What an export's arguments read from JavaScript: the token (with a credential's `getToken`)
/// and the options, read before the operation's own arguments.
pub struct Args {
    token: (Option<Tree>, JsValue),
    given: Given,
}

impl Args {
    pub fn new(token: &JsValue, options: &JsValue) -> Args {
        Args { token: input::token(token), given: input::options(options) }
    }

    pub fn token(&self) -> Option<&Tree> {
        self.token.0.as_ref()
    }

    pub fn options(&self) -> Option<&Tree> {
        self.given.tree.as_ref()
    }

    /// The call, once the core's checks passed (`checked`); their issues otherwise, as a
    /// ValidationError. `started_ms` is when the public call began, if earlier. Past the checks
    /// nothing fails: each operation's copy of this has no error path of its own after them.
    pub fn call<T, E>(
        &self,
        given_token: &JsValue,
        checked: Result<Checked<T, &Tree, E>, Vec<Issue>>,
        started_ms: Option<f64>,
    ) -> Result<(T, E, Box<Call>), JsValue> {
        let c = checked.map_err(invalid)?;
        let call = self.begin(given_token, c.shared, started_ms);
        Ok((c.own, c.extra, call))
    }

    /// The call of checked options and token: one function for every operation's `Args::call`,
    /// which otherwise had its own copy of it (and of the options' drop) inlined. Boxed: the call
    /// goes from here through each export's closures to its future, and a pointer moves where
    /// the whole call was copied at every step. The checks' box is taken as it came, so that each
    /// `Args::call` moves a pointer, not the options.
    #[inline(never)]
    #[allow(clippy::boxed_local)]
    fn begin(&self, given_token: &JsValue, shared: Box<Shared<&Tree>>, started_ms: Option<f64>) -> Box<Call> {
        let Shared { token, options, .. } = *shared;
        Box::new(Call::new(&options, token, given_token, &self.token.1, &self.given, started_ms))
    }
}

/// The ValidationError of a call's issues: one function for every operation's `Args::call`.
#[inline(never)]
fn invalid(issues: Vec<Issue>) -> JsValue {
    errors::validation(issues)
}

impl Call {
    fn new(
        options: &Options<&Tree>,
        source: Option<TokenSource<&Tree>>,
        given_token: &JsValue,
        get_token: &JsValue,
        given: &Given,
        started_ms: Option<f64>,
    ) -> Call {
        let now = js_sys::Date::now();
        let started_ms = started_ms.filter(|s| s.is_finite() && *s <= now).unwrap_or(now);
        let signal = options.signal.map(|_| given.signal.clone().unchecked_into());
        let deadline = options.timeout_ms.map(|t| (t, started_ms + t));
        Call {
            engine: engine::Call {
                base_url: options.base_url.clone(),
                client_request_id: options.client_request_id.clone().unwrap_or_else(random_guid),
                retry: options.retry,
                deadline,
                // A paced call that names none learns it from its token (`Call::run`, before its
                // first request).
                tenant: options.tenant_id.clone(),
            },
            tenant: options.tenant_id.clone(),
            token: Token::new(source, given_token, get_token),
            fetch: options.fetch.and_then(|_| js::function(given.fetch.clone())),
            on_retry: options.on_retry.and_then(|_| js::function(given.on_retry.clone())),
            on_progress: Cell::new(js::function(given.on_progress.clone())),
            cancel: Cancel::new(signal, deadline.map(|(_, end)| end - now)),
        }
    }

    /// Runs `job` to its result: the one driver, compiled once for every machine. One `async fn`
    /// from the call's start to its result: the driver, the tenant's learning and the loop, each
    /// an `async fn` of its own, were state machines nested in one another.
    async fn run(mut self: Box<Self>, mut job: Box<dyn Job>) -> Outcome {
        // A call aborted before it starts asks nothing of anyone, its token provider included.
        if let Some(stop) = self.cancel.stopped() {
            let e = self.stopped(stop);
            return job.end(Err(e), &self);
        }
        // A paced call that names no tenant learns it from its token's `tid` before its first
        // request, so that its paces are its tenant's (one more ask of a token provider).
        if job.paced() && self.engine.tenant.is_none() {
            let token =
                match token::resolve(&self.token, &self.engine.base_url, &self.cancel, self.tenant.as_deref()).await {
                    Ok(t) => t,
                    Err(f) => {
                        let e = self.no_token(f);
                        return job.end(Err(e), &self);
                    }
                };
            self.engine.tenant = tid(&token);
        }
        if job.concurrent() {
            self.cancel.arm();
        }
        let this = &self;
        let mut io = Io::default();
        let mut flights: Vec<(engine::Id, Flight)> = Vec::new();
        let done = loop {
            if let Some(stop) = this.cancel.stopped() {
                break Err(this.stopped(stop));
            }
            let polled = this.step(&mut *job, &mut io, None);
            if let Err(e) = this.tell(&mut io) {
                break Err(e);
            }
            for send in io.sends.drain(..) {
                flights.push((send.id, Box::pin(this.exchange(send))));
            }
            let wake = match polled {
                Poll::Done(()) => break Ok(()),
                Poll::Wait(None) if flights.is_empty() => {
                    // Nothing in flight and no time to wait for: a machine that would never end.
                    let message = "the call stopped with nothing left to wait for";
                    break Err(this.error(Error::Response(message.into())));
                }
                Poll::Wait(wake) => wake,
            };
            let mut timer = wake.map(|at| Box::pin(this.cancel.sleep((at - js_sys::Date::now()).max(0.0))));
            let woke = poll_fn(|cx| {
                for (i, (_, f)) in flights.iter_mut().enumerate() {
                    if let TaskPoll::Ready(out) = f.as_mut().poll(cx) {
                        return TaskPoll::Ready(Some((i, out)));
                    }
                }
                match timer.as_mut().map(|t| t.as_mut().poll(cx)) {
                    Some(TaskPoll::Ready(Err(stop))) => TaskPoll::Ready(Some((usize::MAX, Err(this.stopped(stop))))),
                    Some(TaskPoll::Ready(Ok(()))) => TaskPoll::Ready(None),
                    _ => TaskPoll::Pending,
                }
            })
            .await;
            // A timer not yet fired is cleared: nothing is left pending to keep Node alive.
            drop(timer);
            let Some((at, out)) = woke else { continue };
            let id = flights.get(at).map(|(id, _)| *id);
            if at < flights.len() {
                drop(flights.swap_remove(at));
            }
            let got = match out {
                Ok(got) => got,
                Err(e) => break Err(e),
            };
            if let Some(id) = id {
                this.step(&mut *job, &mut io, Some((id, got)));
            }
        };
        // The requests still in flight are dropped before anything else, as when the loop was an
        // `async fn` of its own.
        drop(flights);
        // Whatever ended the call (onRetry's throw, a token provider's), what is still in
        // flight is cut short: no write lands after the call said which were written.
        if done.is_err() {
            this.cancel.abort();
        }
        job.end(done, this)
    }

    /// What ends the call when no token came. A plain function: the token's `async fn` is
    /// `token::resolve` alone, awaited where a token is needed (an `async fn` around it here
    /// nested its state machine in one more).
    fn no_token(&self, f: token::Failure) -> JsValue {
        match f {
            token::Failure::Thrown(e) => e,
            token::Failure::Stopped(stop) => self.stopped(stop),
            token::Failure::Invalid(issue) => errors::validation(vec![issue]),
        }
    }

    /// One step of the job, with the time, a random number and the instance's paces: the
    /// outcome of a request (`got`) handled, or else a poll, whose answer it gives.
    fn step(&self, job: &mut dyn Job, io: &mut Io, got: Option<(engine::Id, Got<Js>)>) -> Poll<()> {
        let mut paces = PACES.take();
        let mut env =
            Env { now_ms: js_sys::Date::now(), random: js_sys::Math::random(), call: &self.engine, paces: &mut paces };
        let polled = match got {
            Some((id, got)) => {
                job.handle(id, got, &mut env, io);
                Poll::Wait(None)
            }
            None => job.poll(&mut env, io),
        };
        // Through `with`: `LocalKey::set` compiles a lazy initialisation this `const` key never needs.
        PACES.with(|p| p.set(paces));
        polled
    }

    /// Tells the caller's callbacks: `onRetry`'s throw ends the call; `onProgress`'s is dropped.
    fn tell(&self, io: &mut Io) -> Result<(), JsValue> {
        for notice in io.notices.drain(..) {
            let info = Object::new();
            match notice {
                Notice::Retrying { attempt, status, delay_ms } => {
                    let Some(f) = &self.on_retry else { continue };
                    set_num(&info, "attempt", f64::from(attempt));
                    set_num(&info, "status", f64::from(status));
                    set_num(&info, "delayMs", delay_ms);
                    set_str(&info, "clientRequestId", &self.engine.client_request_id);
                    f.call1(&JsValue::UNDEFINED, &info)?;
                }
                Notice::Tenants { tenant, done, total, tenants_done, tenants } => {
                    let Some(f) = self.on_progress.take() else { continue };
                    set_str(&info, "tenantId", &tenant);
                    set_num(&info, "done", f64::from(done));
                    set_num(&info, "total", f64::from(total));
                    set_num(&info, "tenantsDone", f64::from(tenants_done));
                    set_num(&info, "tenants", f64::from(tenants));
                    if f.call1(&JsValue::UNDEFINED, &info).is_ok() {
                        self.on_progress.set(Some(f));
                    }
                }
                Notice::Progress { done, total, pool } => {
                    let Some(f) = self.on_progress.take() else { continue };
                    set_num(&info, "done", f64::from(done));
                    set_num(&info, "total", f64::from(total));
                    if let Some((id, ok)) = pool {
                        set_str(&info, "poolId", &id);
                        set(&info, "ok", &ok.into());
                    }
                    if f.call1(&JsValue::UNDEFINED, &info).is_ok() {
                        self.on_progress.set(Some(f));
                    }
                }
            }
        }
        Ok(())
    }

    /// One request: the token, then `fetch`. Rejects only with what ends the call.
    async fn exchange(&self, send: engine::Send) -> Result<Got<Js>, JsValue> {
        // The token of the request's tenant, or the call's own.
        let tenant = send.tenant.as_deref().or(self.tenant.as_deref());
        let bearer = match token::resolve(&self.token, &self.engine.base_url, &self.cancel, tenant).await {
            Ok(t) => t,
            Err(f) => {
                let e = self.no_token(f);
                // In a call over tenants, a tenant's token failing is that tenant's outcome alone.
                if send.tenant.is_some() && self.cancel.stopped().is_none() {
                    return Ok(Got::Token(e));
                }
                return Err(e);
            }
        };
        // `fetch`, then the body: what either rejects with is the network's failure.
        let sent = http::fetch(&send.request, &bearer, send.retry, self.fetch.as_ref(), self.cancel.signal());
        let response = match self.cancel.race(sent).await {
            Ok(r) => r,
            Err(Ok(cause)) => return Ok(Got::Network(cause)),
            Err(Err(stop)) => return Err(self.stopped(stop)),
        };
        let (status, headers) = http::head(&response);
        let body = match self.cancel.race(http::text(&response)).await {
            Ok(t) => t,
            Err(Ok(cause)) => return Ok(Got::Network(cause)),
            Err(Err(stop)) => return Err(self.stopped(stop)),
        };
        // An empty body is no JSON, whatever JSON.parse of "" would say (it throws).
        let (json, text) = match js::json_parse(&body) {
            Ok(j) => (Some(Json(j)), String::new()),
            Err(_) => (None, body.as_string().unwrap_or_default()),
        };
        Ok(Got::Answer(Answer { status, headers, json, text }))
    }

    /// The shell's own properties of an error: the call's client-request-id, and after a
    /// request its status and the attempts made.
    fn props(&self, answered: Option<(u16, u32)>) -> Object {
        let props = Object::new();
        set_str(&props, "clientRequestId", &self.engine.client_request_id);
        if let Some((status, attempts)) = answered {
            set_num(&props, "status", f64::from(status));
            set_num(&props, "attempts", f64::from(attempts));
        }
        props
    }

    /// The JavaScript error of a failure.
    pub fn failure(&self, f: Failure<Js>) -> JsValue {
        match f {
            Failure::Error { error, answered, deadline } => {
                let e = errors::of(&error, self.props(answered), None);
                if !deadline {
                    return e;
                }
                let message = deadline_message(self.timeout_ms());
                self.timed_out(message, answered.map(|(_, a)| a), Some(&e))
            }
            Failure::Network { cause, attempts } => self.network(&cause, attempts),
            Failure::Token(thrown) => thrown,
            Failure::Conflict { written, found } => {
                let props = Object::new();
                set(&props, "written", &js::json_parse(&written.as_str().into()).unwrap_or(JsValue::NULL));
                set(&props, "found", &found.0);
                errors::of(&Error::Conflict(crate::error::CONFLICT_MESSAGE.into()), props, None)
            }
        }
    }

    /// The call's error for the core's `error`, about no answer.
    pub fn error(&self, error: Error<Json>) -> JsValue {
        self.failure(Failure::of(error))
    }

    fn timeout_ms(&self) -> f64 {
        self.engine.deadline.map_or(0.0, |(t, _)| t)
    }

    fn stopped(&self, stop: Stop) -> JsValue {
        match stop {
            Stop::Aborted(reason) => reason,
            Stop::TimedOut => self.timed_out(timeout_message(self.timeout_ms()), None, None),
        }
    }

    fn timed_out(&self, message: String, attempts: Option<u32>, cause: Option<&JsValue>) -> JsValue {
        let props = self.props(None);
        set_num(&props, "timeoutMs", self.timeout_ms());
        if let Some(a) = attempts {
            set_num(&props, "attempts", f64::from(a));
        }
        errors::of(&Error::Timeout(message), props, cause)
    }

    fn network(&self, cause: &JsValue, attempts: u32) -> JsValue {
        // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, a bad port) is in its
        // own cause.
        let inner = js::get(cause, "cause");
        let reason = js::get(&inner, "code").as_string().or_else(|| js::message_of(&inner));
        let detail = js::message_of(cause).map(|m| match reason {
            Some(r) => joined(&[m.as_str(), ": ", &r]),
            None => m,
        });
        let props = self.props(None);
        set_num(&props, "attempts", f64::from(attempts));
        let message = network_message(self.engine.base_url.origin(), detail.as_deref());
        errors::of(&Error::Network(message), props, Some(cause))
    }
}

/// A machine with what makes its output JavaScript: one object the driver runs, so one future,
/// compiled once, serves every export whatever its machine. Its steps are the machine's
/// (`engine::Machine`), its output kept for `end`.
pub trait Job {
    fn poll(&mut self, env: &mut Env<'_>, io: &mut Io) -> Poll<()>;
    fn handle(&mut self, id: engine::Id, got: Got<Js>, env: &mut Env<'_>, io: &mut Io);
    fn paced(&self) -> bool;
    fn concurrent(&self) -> bool;
    /// The result of a run that ended (`Ok`), or was cut short by `Err(e)` (an abort, the
    /// deadline, a callback's throw). One method for both: each was a copy of its own for
    /// every machine.
    fn end(&mut self, ran: Result<(), JsValue>, call: &Call) -> Outcome;
}

/// A machine, its output once it is done, and `done(machine, output or what cut the run
/// short, call)`, which makes that JavaScript.
struct Made<M, O, F> {
    machine: M,
    out: Option<O>,
    done: F,
}

impl<M, O, F> Job for Made<M, O, F>
where
    M: Machine<Js, Output = O>,
    F: Fn(&mut M, Result<O, JsValue>, &Call) -> Outcome,
{
    fn poll(&mut self, env: &mut Env<'_>, io: &mut Io) -> Poll<()> {
        self.machine.poll(env, io).map(|out| self.out = Some(out))
    }

    fn handle(&mut self, id: engine::Id, got: Got<Js>, env: &mut Env<'_>, io: &mut Io) {
        self.machine.handle(id, got, env, io)
    }

    fn paced(&self) -> bool {
        self.machine.paced()
    }

    fn concurrent(&self) -> bool {
        self.machine.concurrent()
    }

    fn end(&mut self, ran: Result<(), JsValue>, call: &Call) -> Outcome {
        let out = ran.and_then(|()| self.out.take().ok_or(JsValue::UNDEFINED));
        (self.done)(&mut self.machine, out, call)
    }
}

/// `machine` as a job whose output `done` makes JavaScript; a run cut short rejects with what
/// cut it.
pub fn job<M, O, F>(machine: M, done: F) -> Box<dyn Job>
where
    M: Machine<Js, Output = O> + 'static,
    O: 'static,
    F: Fn(O, &Call) -> Outcome + 'static,
{
    kept(machine, move |_: &mut M, out: Result<O, JsValue>, call: &Call| out.and_then(|out| done(out, call)))
}

/// `machine` as a job whose `done` makes JavaScript of it after the run, however it ended: the
/// calls over many pools make JavaScript of the pools done so far.
pub fn kept<M, O, F>(machine: M, done: F) -> Box<dyn Job>
where
    M: Machine<Js, Output = O> + 'static,
    O: 'static,
    F: Fn(&mut M, Result<O, JsValue>, &Call) -> Outcome + 'static,
{
    Box::new(Made { machine, out: None, done })
}

/// The Promise of a checked call's job.
pub fn start(checked: Result<(Box<Call>, Box<dyn Job>), JsValue>) -> js_sys::Promise {
    let (call, job) = match checked {
        Ok(c) => c,
        Err(e) => return js_sys::Promise::reject(&e),
    };
    super::promise(call.run(job))
}

/// The `tid` claim of a JWT-shaped token, through the host's own base64 and JSON: only to key
/// the paces, never verified, logged or kept beside that key.
fn tid(token: &str) -> Option<String> {
    let payload = crate::tenant::jwt_payload_base64(token)?;
    let text = js::atob(&payload).ok()?;
    let json = js::json_parse(&JsValue::from_str(&text)).ok()?;
    crate::tenant::tid_of(&Json(json))
}

type Flight<'a> = Pin<Box<dyn Future<Output = Result<Got<Js>, JsValue>> + 'a>>;

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
