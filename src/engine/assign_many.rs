//! `assignMany`: the same assignments to many pools. Each pool is one `assign`, retried as any
//! request is; the writes are paced under Intune's write limit (100 per 20 s per app per
//! tenant) instead of hitting it, and a 429 slows the pace. A failing pool keeps its error and
//! costs the others nothing.

use super::attempt::Attempt;
use super::progress::Progress;
use super::single::Expect;
use super::{sooner, Env, Failure, Got, Host, Id, Io, Limit, Machine, PaceUse, Poll};
use crate::prelude::*;
use crate::request;
use crate::validate::Spread;

/// A pool's outcome: the assignments Graph now holds, or why not.
pub type Outcome<H> = Result<<H as Host>::Json, Failure<H>>;

pub struct AssignMany<H: Host> {
    pools: Vec<String>,
    /// The assignments as Graph's JSON, written once for every pool.
    body: String,
    spread: Spread,
    /// The next pool to start.
    next: usize,
    running: Vec<(usize, Attempt)>,
    results: Vec<Option<Outcome<H>>>,
    progress: Progress,
}

impl<H: Host> AssignMany<H> {
    pub fn new(pools: Vec<String>, body: String, spread: Spread) -> Self {
        // A plain loop, not a map's collect or a resize_with, each compiled of its own.
        let mut results = Vec::with_capacity(pools.len());
        for _ in 0..pools.len() {
            results.push(None);
        }
        AssignMany { pools, body, spread, next: 0, running: Vec::new(), results, progress: Progress::default() }
    }

    /// Each pool's result, for the pools done so far (`None` for the others).
    pub fn results(&mut self) -> Vec<Option<Outcome<H>>> {
        core::mem::take(&mut self.results)
    }

    /// Pool `pool`'s id and result, the result taken (once) if it is done: read where it is
    /// held, not moved out in a vector (whose loop would compile its own drop).
    pub fn result(&mut self, pool: usize) -> Option<(&str, Outcome<H>)> {
        let outcome = self.results.get_mut(pool)?.take()?;
        Some((self.pools.get(pool)?, outcome))
    }

    pub fn pools(&self) -> &[String] {
        &self.pools
    }

    fn pace(&self, env: &mut Env<'_>, what: PaceUse) -> f64 {
        let s = self.spread;
        env.paces.with(env.call, Limit::Writes, s.writes, s.per_ms, what)
    }
}

impl<H: Host> Machine<H> for AssignMany<H> {
    type Output = ();

    fn paced(&self) -> bool {
        true
    }

    fn poll(&mut self, env: &mut Env<'_>, io: &mut Io) -> Poll<()> {
        self.progress.start(&self.pools, io);
        while self.running.len() < self.spread.concurrency.max(1) as usize {
            let Some(pool) = self.pools.get(self.next) else { break };
            let call = env.call;
            let write = request::assign_json(&call.base_url, pool, &self.body, &call.client_request_id);
            self.running.push((self.next, Attempt::new(write)));
            self.next += 1;
        }
        if self.running.is_empty() {
            return Poll::Done(());
        }
        // Every attempt is a write, a retry too: each waits for the pace, in order.
        let mut wake: Option<f64> = None;
        let now = env.now_ms;
        for at in 0..self.running.len() {
            let due = self.running.get(at).is_some_and(|(_, a)| a.due(now));
            if due {
                let wait = self.pace(env, PaceUse::Take(1, now));
                if wait > 0.0 {
                    return Poll::Wait(Some(sooner(wake, now + wait)));
                }
            }
            if let Some(t) = self.running.get_mut(at).and_then(|(_, a)| a.poll(now, io)) {
                wake = Some(sooner(wake, t));
            }
        }
        Poll::Wait(wake)
    }

    fn handle(&mut self, id: Id, got: Got<H>, env: &mut Env<'_>, io: &mut Io) {
        let Some(at) = self.running.iter().position(|(_, a)| a.owns(id)) else { return };
        let throttled = matches!(&got, Got::Answer(a) if a.status == 429);
        let outcome = self.running.get_mut(at).and_then(|(_, a)| a.handle(got, env, io));
        if throttled {
            self.pace(env, PaceUse::Throttled);
        }
        let Some(outcome) = outcome else { return };
        let (pool, _) = self.running.swap_remove(at);
        let result = outcome
            .and_then(|a| Expect::Assignments.result(&a, env.now_ms))
            .and_then(|v| v.ok_or_else(|| Failure::of(crate::error::Error::Response(String::new()))));
        if result.is_ok() && !throttled {
            self.pace(env, PaceUse::Succeeded);
        }
        let ok = result.is_ok();
        if let Some(slot) = self.results.get_mut(pool) {
            *slot = Some(result);
        }
        self.progress.done(&self.pools, pool, ok, io);
    }
}
