//! `tenantsReport`: `poolReport` of each of many tenants in one call, for service providers.
//! Each tenant's report runs as a call of its own inside this one: its requests go with that
//! tenant's token and keep that tenant's paces (Intune counts its limits per tenant), and
//! `concurrency` tenants run at once. A tenant that fails (its token cannot be had, Graph
//! refuses its pools, it stays throttled) gets its own error; the others finish. What stops the
//! whole call (an abort, the deadline, `onRetry`'s throw) is the shell's.

use super::report::{Report, Row};
use super::{sooner, Call, Env, Failure, Got, Host, Id, Io, Machine, Notice, Poll};
use crate::prelude::*;
use crate::validate::{Many, DEFAULT_CONCURRENCY};

/// A tenant's outcome: its report's rows, or why it could not be read.
pub type Outcome<H> = Result<Vec<Row<H>>, Failure<H>>;

/// How a tenant's report's run ended.
type Ran<H> = Result<(), Failure<H>>;

enum State<H: Host> {
    Waiting,
    Running(Report<H>),
    Done(Outcome<H>),
}

struct Tenant<H: Host> {
    id: String,
    call: Call,
    state: State<H>,
    /// Its pools done and in all, as its report last told.
    pools: (u32, u32),
}

pub struct TenantsReport<H: Host> {
    tenants: Vec<Tenant<H>>,
    many: Many,
    /// Which tenant sent each request in flight.
    owners: Vec<(Id, usize)>,
    done: u32,
}

impl<H: Host> TenantsReport<H> {
    /// The tenants `ids`, each read as `call` is made, with its tenant; `many.concurrency`
    /// tenants at once.
    pub fn new(ids: &[String], many: Many, call: &Call) -> Self {
        // Plain loops here, not collects of iterators: less wasm for the same lists.
        let mut tenants = Vec::with_capacity(ids.len());
        for id in ids {
            tenants.push(Tenant {
                id: id.clone(),
                // Field by field, not `..call.clone()`, which would clone the call's tenant
                // only to drop it.
                call: Call {
                    base_url: call.base_url.clone(),
                    client_request_id: call.client_request_id.clone(),
                    retry: call.retry,
                    deadline: call.deadline,
                    tenant: Some(id.clone()),
                },
                state: State::Waiting,
                pools: (0, 0),
            });
        }
        TenantsReport { tenants, many, owners: Vec::new(), done: 0 }
    }

    /// Each tenant's id and outcome, for the tenants done so far (`None` for the others).
    pub fn results(&mut self) -> Vec<(String, Option<Outcome<H>>)> {
        let mut out = Vec::with_capacity(self.tenants.len());
        for i in 0..self.tenants.len() {
            let id = self.tenants.get(i).map(|t| t.id.clone()).unwrap_or_default();
            out.push((id, self.result(i).map(|(_, outcome)| outcome)));
        }
        out
    }

    /// Tenant `i`'s id and outcome, the outcome taken (once) if it is done: read where it is
    /// held, not moved out in a vector (whose loop would compile its own drop). A tenant not
    /// done is left as it is.
    pub fn result(&mut self, i: usize) -> Option<(&str, Outcome<H>)> {
        let t = self.tenants.get_mut(i)?;
        if !matches!(t.state, State::Done(_)) {
            return None;
        }
        match core::mem::replace(&mut t.state, State::Waiting) {
            State::Done(outcome) => Some((&t.id, outcome)),
            _ => None,
        }
    }

    fn running(&self) -> usize {
        self.tenants.iter().filter(|t| matches!(t.state, State::Running(_))).count()
    }

    /// Polls tenant `i`'s report, or hands it an outcome (`got`), with that tenant's call; its
    /// sends are marked as the tenant's (they go with its token) and its progress told as the
    /// tenant's. One function for both, not one compiled for each.
    fn step(&mut self, i: usize, got: Option<(Id, Got<H>)>, env: &mut Env<'_>, io: &mut Io) -> Option<Poll<Ran<H>>> {
        let (sends, notices) = (io.sends.len(), io.notices.len());
        let tenants = self.tenants.len() as u32;
        let t = self.tenants.get_mut(i)?;
        let State::Running(report) = &mut t.state else { return None };
        let mut own = Env { now_ms: env.now_ms, random: env.random, call: &t.call, paces: &mut *env.paces };
        let out = match got {
            None => Some(report.poll(&mut own, io)),
            Some((id, got)) => {
                report.handle(id, got, &mut own, io);
                None
            }
        };
        for send in io.sends.iter_mut().skip(sends) {
            send.tenant = Some(t.id.clone());
            self.owners.push((send.id, i));
        }
        for notice in io.notices.iter_mut().skip(notices) {
            if let Notice::Progress { done: pools_done, total, .. } = *notice {
                t.pools = (pools_done, total);
                let tenants_done = self.done;
                *notice = Notice::Tenants { tenant: t.id.clone(), done: pools_done, total, tenants_done, tenants };
            }
        }
        out
    }

    /// Tenant `i` is done with `outcome`.
    fn finish(&mut self, i: usize, outcome: Outcome<H>, io: &mut Io) {
        self.done += 1;
        let tenants = self.tenants.len() as u32;
        if let Some(t) = self.tenants.get_mut(i) {
            t.state = State::Done(outcome);
            let (done, total) = t.pools;
            io.notices.push(Notice::Tenants { tenant: t.id.clone(), done, total, tenants_done: self.done, tenants });
        }
    }
}

impl<H: Host> Machine<H> for TenantsReport<H> {
    type Output = ();

    fn concurrent(&self) -> bool {
        true
    }

    fn poll(&mut self, env: &mut Env<'_>, io: &mut Io) -> Poll<()> {
        let mut wake: Option<f64> = None;
        let mut i = 0;
        while i < self.tenants.len() {
            let waiting = self.tenants.get(i).is_some_and(|t| matches!(t.state, State::Waiting));
            if waiting && self.running() < self.many.concurrency.max(1) as usize {
                if let Some(t) = self.tenants.get_mut(i) {
                    // `concurrency` is the tenants at once; each tenant's reads keep the default.
                    let reads = Many { concurrency: DEFAULT_CONCURRENCY, ..self.many };
                    t.state = State::Running(Report::new(reads, &t.call));
                }
            }
            match self.step(i, None, env, io) {
                Some(Poll::Done(outcome)) => {
                    // The rows only of a report that ran to its end: a failed one has none.
                    let outcome = outcome.map(|()| match self.tenants.get_mut(i).map(|t| &mut t.state) {
                        Some(State::Running(report)) => report.rows(),
                        _ => Vec::new(),
                    });
                    self.finish(i, outcome, io);
                    // A tenant's place is free: the waiting ones are looked at again.
                    i = 0;
                    continue;
                }
                Some(Poll::Wait(Some(at))) => wake = Some(sooner(wake, at)),
                _ => {}
            }
            i += 1;
        }
        if self.tenants.iter().all(|t| matches!(t.state, State::Done(_))) {
            return Poll::Done(());
        }
        Poll::Wait(wake)
    }

    fn handle(&mut self, id: Id, got: Got<H>, env: &mut Env<'_>, io: &mut Io) {
        let Some(at) = self.owners.iter().position(|(owned, _)| *owned == id) else { return };
        let (_, i) = self.owners.swap_remove(at);
        match got {
            // Without its token, the tenant cannot be read at all: its own error, as its
            // provider gave it; the answers still on their way are dropped.
            Got::Token(cause) => {
                if self.tenants.get(i).is_some_and(|t| matches!(t.state, State::Running(_))) {
                    self.finish(i, Err(Failure::Token(cause)), io);
                }
            }
            got => {
                self.step(i, Some((id, got)), env, io);
            }
        }
    }
}
