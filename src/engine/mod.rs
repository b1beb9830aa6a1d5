//! The engine: every call that takes more than one request, as a state machine that says what
//! to do next and takes the results back, after quinn-proto's `poll`/`handle` contract. It does
//! no I/O and reads no clock: the shell (or a host test, with a fake clock) sends the requests
//! it asks for, tells it what came back, and wakes it at the time it names.
//!
//! - [`Machine::poll`] puts the requests to send now and the notices for the caller
//!   (`onRetry`, `onProgress`) into [`Io`], and says whether the call is done or what it waits
//!   for: an answer, or a time.
//! - [`Machine::handle`] takes one request's outcome: Graph's answer, or the network's failure.
//!
//! Retries, deadlines, paces, fallbacks, merges and reports are decided here; aborts, timers,
//! tokens and `fetch` are the shell's.

pub mod assign_many;
pub mod attempt;
pub mod change;
pub mod progress;
pub mod reads;
pub mod report;
pub mod single;
pub mod tenants;
pub mod walk;

use crate::error::Error;
use crate::json::JsonView;
use crate::pace::Pace;
use crate::prelude::*;
use crate::request::HttpRequest;
use crate::response::Headers;
use crate::retry::RetryPolicy;
use crate::url::BaseUrl;

/// What the engine needs of the host beside I/O: Graph's parsed JSON as a view, and the few
/// things done with it that the host's own JSON does best.
pub trait Host {
    /// Graph's parsed answer (in the wasm, what `JSON.parse` made, read in place).
    type Json: JsonView;
    /// Why a request got no answer (in the wasm, what `fetch` rejected with).
    type Cause: Clone;
    /// The items of a list's pages as one array, each item the very value Graph sent.
    fn join(pages: Vec<Self::Json>) -> Self::Json;
    /// A value as JSON text, exactly as Graph sent it (`JSON.stringify`).
    fn stringify(v: &Self::Json) -> Option<String>;
    /// A batch's inner body that Graph wrote as base64: parsed when it is JSON, else its text.
    fn decode_base64(text: &str) -> (Option<Self::Json>, String);
}

/// One request of a call, as the engine names it.
pub type Id = u32;

/// Graph's answer to one request: `json` when the body parsed as JSON, else `text`.
pub struct Answer<J> {
    pub status: u16,
    pub headers: Headers,
    pub json: Option<J>,
    pub text: String,
}

/// What came of a request.
pub enum Got<H: Host> {
    Answer(Answer<H::Json>),
    /// No answer: the network failed (or the body could not be read).
    Network(H::Cause),
    /// Not sent: the token of the request's tenant could not be had (only for a request that
    /// names its tenant; for the others, that ends the whole call in the shell).
    Token(H::Cause),
}

/// A notice for the caller's callbacks.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// `onRetry`: attempt `attempt` was answered `status`; the next goes after `delay_ms`.
    Retrying { attempt: u32, status: u16, delay_ms: f64 },
    /// `onProgress`: `done` of `total` pools; the pool just done and how it went, if one is.
    Progress { done: u32, total: u32, pool: Option<(String, bool)> },
    /// `onProgress` of a call over tenants: `done` of `total` pools of `tenant`, and
    /// `tenants_done` of `tenants` tenants.
    Tenants { tenant: String, done: u32, total: u32, tenants_done: u32, tenants: u32 },
}

/// What a poll gives the shell to do: requests to send, and notices to tell.
#[derive(Default)]
pub struct Io {
    pub sends: Vec<Send>,
    pub notices: Vec<Notice>,
    next: Id,
}

/// A request to send now; `retry` > 0 marks a retry of the same request (`Retry-Attempt`).
/// `tenant` names the tenant whose token it goes with, in a call over tenants.
pub struct Send {
    pub id: Id,
    pub request: HttpRequest,
    pub retry: u32,
    pub tenant: Option<String>,
}

impl Io {
    /// Asks the shell to send `request`; the id its outcome will come back with.
    pub fn send(&mut self, request: HttpRequest, retry: u32) -> Id {
        let id = self.next;
        self.next = self.next.wrapping_add(1);
        self.sends.push(Send { id, request, retry, tenant: None });
        id
    }
}

/// Whether the call is done, and if not, what it waits for.
#[derive(Debug, PartialEq)]
pub enum Poll<T> {
    Done(T),
    /// Waiting for an answer, or until this time (ms since the epoch), whichever comes first.
    Wait(Option<f64>),
}

impl<T> Poll<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Poll<U> {
        match self {
            Poll::Done(t) => Poll::Done(f(t)),
            Poll::Wait(at) => Poll::Wait(at),
        }
    }
}

/// The sooner of `wake`, if there is one, and `at`: when a machine waiting for many things
/// wakes.
pub fn sooner(wake: Option<f64>, at: f64) -> f64 {
    wake.map_or(at, |w| w.min(at))
}

/// What one call is: its base URL, its client-request-id, its retry policy and its deadline.
#[derive(Debug, Clone)]
pub struct Call {
    pub base_url: BaseUrl,
    pub client_request_id: String,
    pub retry: RetryPolicy,
    /// The caller's `timeoutMs`, and when it ends (ms since the epoch).
    pub deadline: Option<(f64, f64)>,
    /// The tenant whose limits the call's paces keep (`options.tenantId`, or the token's `tid`);
    /// `None`: one pace per Graph host.
    pub tenant: Option<String>,
}

/// The world as the engine sees it at one step: the time, a random number for jitter, the call,
/// and the paces every call of the instance shares.
pub struct Env<'a> {
    pub now_ms: f64,
    pub random: f64,
    pub call: &'a Call,
    pub paces: &'a mut Paces,
}

/// Why a call (or one pool's part of it) failed.
#[derive(Debug)]
pub enum Failure<H: Host> {
    /// The core's error. `answered` is the status and the attempts of the answer it is about;
    /// `deadline` says the call's deadline ended the retries of a throttled answer.
    Error { error: Error<H::Json>, answered: Option<(u16, u32)>, deadline: bool },
    /// No answer came after `attempts` attempts.
    Network { cause: H::Cause, attempts: u32 },
    /// The set read back is not the set written: `written` (JSON) and `found`.
    Conflict { written: String, found: H::Json },
    /// The token provider's own error, for a tenant of a call over tenants.
    Token(H::Cause),
}

impl<H: Host> Failure<H> {
    /// An error that is no answer's.
    pub fn of(error: Error<H::Json>) -> Self {
        Failure::Error { error, answered: None, deadline: false }
    }
}

/// A call that makes more than one request, or may retry one.
pub trait Machine<H: Host> {
    type Output;
    fn poll(&mut self, env: &mut Env<'_>, io: &mut Io) -> Poll<Self::Output>;
    fn handle(&mut self, id: Id, got: Got<H>, env: &mut Env<'_>, io: &mut Io);
    /// Whether the machine keeps a pace: its call's tenant must then be known before it starts.
    fn paced(&self) -> bool {
        false
    }
    /// Whether it may have many requests in flight: the others are then cut short when one
    /// outcome ends the call.
    fn concurrent(&self) -> bool {
        self.paced()
    }
}

/// Which of Intune's limits a pace keeps: reads count every request, writes only writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Requests,
    Writes,
}

/// The paces of an instance, one per Graph host, tenant, limit and setting: Intune counts an
/// app's requests per tenant, not a call's, so two reports of one tenant at once keep under its
/// limit together, one right after another starts where the last left the window, and two
/// tenants' work runs side by side, each at its own tenant's limit.
#[derive(Default)]
pub struct Paces(Vec<(Key, Pace)>);

/// What a pace is kept for: a Graph host, a tenant (if known), a limit and its setting.
#[derive(PartialEq)]
struct Key {
    origin: String,
    tenant: Option<String>,
    limit: Limit,
    count: u32,
    per_ms: u64,
}

impl Paces {
    pub const fn new() -> Self {
        Paces(Vec::new())
    }

    /// Does `what` with the pace of `call`'s host and tenant under `count` per `per_ms`, made on
    /// first use; the wait it says (0 but for [`PaceUse::Take`]).
    pub fn with(&mut self, call: &Call, limit: Limit, count: u32, per_ms: f64, what: PaceUse) -> f64 {
        let key = Key {
            origin: call.base_url.origin().to_owned(),
            tenant: call.tenant.clone(),
            limit,
            count,
            per_ms: per_ms.to_bits(),
        };
        if let Some((_, pace)) = self.0.iter_mut().find(|(k, _)| *k == key) {
            return what.on(pace);
        }
        let mut pace = Pace::new(count, per_ms);
        let wait = what.on(&mut pace);
        self.0.push((key, pace));
        wait
    }
}

/// What a machine does with its pace: one argument, not a closure, so that [`Paces::with`] is
/// compiled once for every use.
#[derive(Debug, Clone, Copy)]
pub enum PaceUse {
    /// `n` requests would go at `now_ms`: how long they must wait (0: they go, and are counted).
    Take(u32, f64),
    /// Graph answered 429.
    Throttled,
    /// A request went through.
    Succeeded,
}

impl PaceUse {
    fn on(self, pace: &mut Pace) -> f64 {
        match self {
            PaceUse::Take(n, now_ms) => return pace.take(n, now_ms),
            PaceUse::Throttled => pace.throttled(),
            PaceUse::Succeeded => pace.succeeded(),
        }
        0.0
    }
}
