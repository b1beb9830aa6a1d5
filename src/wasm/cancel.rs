//! One call's cancellation: the caller's `AbortSignal` and the `timeoutMs` deadline both abort a
//! private `AbortController`, whose signal goes to `fetch` and bounds every wait of the call.
//!
//! No Rust closure is handed to JavaScript: the listeners are `controller.abort` itself and the
//! promise's own `reject`, so nothing can outlive the call or leak when it ends.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use super::js;

/// Why a call was cut short.
pub enum Stop {
    /// The caller's signal aborted: reject with its `reason`, as `fetch` does.
    Aborted(JsValue),
    TimedOut,
}

pub struct Cancel {
    controller: Option<AbortController>,
    user: Option<AbortSignal>,
    /// `controller.abort` bound to the controller: the listener on the caller's signal.
    abort: JsValue,
    timer: Option<JsValue>,
}

/// `Promise.race(values)`: a promise of our own, settled as the first of the caller's values is.
/// It never throws, whatever a value is: what adopting one throws (a promise whose `then` or
/// `constructor` getter throws) rejects the race instead, so nothing the caller gives can throw
/// through the wasm when it is awaited. No Rust closure adopts it (`new Promise` with one cost a
/// closure's code).
fn first_of(values: &[&JsValue]) -> Promise {
    Promise::race(&js::array(values))
}

impl Cancel {
    /// `timer_ms`: how long the call may still take, if it has a deadline.
    pub fn new(user: Option<AbortSignal>, timer_ms: Option<f64>) -> Self {
        // Nothing can cut the call short: no controller, no listener (most calls, and the
        // cheapest: a controller and its bound listener cost about a tenth of a call).
        if user.is_none() && timer_ms.is_none() {
            return Cancel { controller: None, user, abort: JsValue::UNDEFINED, timer: None };
        }
        let controller = AbortController::new().ok();
        let abort = controller
            .as_ref()
            .and_then(|c| {
                let f = js::function(js::get(c, "abort"))?;
                js::call_method1(&f, "bind", c).ok()
            })
            .unwrap_or(JsValue::UNDEFINED);
        let mut me = Cancel { controller, user, abort, timer: None };
        if me.abort.is_function() {
            if let Some(signal) = &me.user {
                let _ = js::call_method2(signal, "addEventListener", &"abort".into(), &me.abort);
            }
            if let Some(ms) = timer_ms {
                me.timer = js::set_timeout(&me.abort, ms.max(0.0)).ok();
            }
        }
        me
    }

    /// The signal to give `fetch`.
    /// Makes sure the call has a signal of its own: a call with many requests in flight needs one
    /// to cut the others short when one ends the call ([`Cancel::abort`]).
    pub fn arm(&mut self) {
        if self.controller.is_none() {
            self.controller = AbortController::new().ok();
        }
    }

    /// Aborts what the call still has in flight: it has ended.
    pub fn abort(&self) {
        if let Some(c) = &self.controller {
            c.abort();
        }
    }

    pub fn signal(&self) -> Option<AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }

    /// Whether the call must stop now, and why. The caller's abort wins over the deadline.
    pub fn stopped(&self) -> Option<Stop> {
        // The caller's signal is read as plain properties, each read caught: it was checked for
        // its shape, but a getter may still throw.
        if let Some(user) = self.user.as_ref().filter(|s| js::get(s, "aborted").as_bool() == Some(true)) {
            let reason = js::get(user, "reason");
            return Some(Stop::Aborted(if reason.is_undefined() { abort_error() } else { reason }));
        }
        match self.signal() {
            Some(s) if s.aborted() => Some(Stop::TimedOut),
            _ => None,
        }
    }

    /// Awaits what a call into JavaScript gave (`started`: its promise, or what it threw), or
    /// stops as soon as the call is aborted or out of time, whichever comes first. A promise that
    /// ignores the signal (a custom fetch, a token provider) cannot hold the call up.
    /// `Err(Ok(e))`: it threw or rejected with `e`; `Err(Err(stop))`: the call was stopped.
    pub async fn race(&self, started: Result<JsValue, JsValue>) -> Result<JsValue, Result<JsValue, Stop>> {
        let p = started.map_err(Ok)?;
        if let Some(stop) = self.stopped() {
            // `p` is still awaited by no one: its rejection must not go unhandled.
            drop(JsFuture::from(first_of(&[&p])));
            return Err(Err(stop));
        }
        // One wait, of `p` alone or raced with the stopper: one state of this `async fn`.
        let mut listening = None;
        let waited = match self.signal() {
            Some(signal) => {
                // The stopper listens before `p` is adopted: adopting reads `p.then`, which may
                // abort the call itself; it is raced first, so it has its handlers before `p` is
                // read. Its listener goes when the wait ends, so no answer of an earlier wait
                // stays reachable from the call's signal.
                let mut listener = JsValue::UNDEFINED;
                let stopper = Promise::new_typed::<JsValue>(&mut |_resolve, reject| {
                    let _ = js::call_method2(&signal, "addEventListener", &"abort".into(), &reject);
                    listener = reject.into();
                });
                // Removed when the wait ends, and when it is dropped unfinished (the driver
                // drops a timer's wait when an answer comes first).
                listening = Some(Listening { signal, listener });
                // The caller's promise is adopted in the race itself, so both promises have
                // handlers and neither rejection goes unhandled.
                first_of(&[&stopper, &p])
            }
            None => first_of(&[&p]),
        };
        let result = JsFuture::from(waited).await;
        drop(listening);
        match (result, self.stopped()) {
            (_, Some(stop)) => Err(Err(stop)),
            (Ok(v), None) => Ok(v),
            (Err(e), None) => Err(Ok(e)),
        }
    }

    /// Waits `ms` on a JavaScript timer, or less if the call is stopped meanwhile. The timer is
    /// cleared however the wait ends, dropped unfinished too (the driver drops it when an
    /// answer comes first), so nothing is left pending to keep Node alive.
    pub fn sleep(&self, ms: f64) -> impl core::future::Future<Output = Result<(), Stop>> + '_ {
        let mut timer = JsValue::UNDEFINED;
        let wait = Promise::new_typed::<JsValue>(&mut |resolve, _reject| {
            timer = js::set_timeout(&resolve, ms).unwrap_or(JsValue::UNDEFINED);
        });
        let guard = Timer(timer);
        async move {
            let result = self.race(Ok(wait.into())).await;
            drop(guard);
            match result {
                Err(Err(stop)) => Err(stop),
                _ => Ok(()),
            }
        }
    }
}

impl Drop for Cancel {
    /// Unhooks from the caller's signal (which may live as long as the page) and clears the timer.
    fn drop(&mut self) {
        if let Some(signal) = &self.user {
            let _ = js::call_method2(signal, "removeEventListener", &"abort".into(), &self.abort);
        }
        if let Some(t) = &self.timer {
            let _ = js::clear_timeout(t);
        }
    }
}

/// What the call rejects with when the caller's signal is aborted but gives no reason (or its
/// `reason` cannot be read): an Error named AbortError, as `fetch` rejects for a signal aborted
/// without one, never `undefined`.
fn abort_error() -> JsValue {
    js::error("AbortError", "The operation was aborted").into()
}

/// A pending `setTimeout`, cleared when dropped.
struct Timer(JsValue);

impl Drop for Timer {
    fn drop(&mut self) {
        let _ = js::clear_timeout(&self.0);
    }
}

/// An abort listener on the call's signal, removed when dropped.
struct Listening {
    signal: AbortSignal,
    listener: JsValue,
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = js::call_method2(&self.signal, "removeEventListener", &"abort".into(), &self.listener);
    }
}
