//! `poolReport`: the whole tenant's eSIM state. Every pool, page after page, each page paced
//! with the reads that follow; then each pool's assignments and device states, batched
//! ([`Reads`]); then each pool's devices counted by state, with the failed ones listed.

use super::reads::{read_pace, PoolLists, Reads};
use super::walk::{List, Walk};
use super::{Env, Failure, Got, Host, Id, Io, Machine, PaceUse, Poll};
use crate::json::JsonView;
use crate::model::EmbeddedSimDeviceStateValue as State;
use crate::prelude::*;
use crate::request::ListQuery;
use crate::validate::Many;

/// One pool's row: the pool, and its lists' summary or the first error of its reads.
pub struct Row<H: Host> {
    pub pool: H::Json,
    pub lists: Result<Summary<H::Json>, Failure<H>>,
}

pub struct Summary<J> {
    pub assignments: J,
    pub total: u32,
    /// Devices by state: every state Graph documents (0 when none), then those it adds later.
    pub by_state: Vec<(String, u32)>,
    pub failures: Vec<J>,
}

enum Step<H: Host> {
    Pools(Walk<H>),
    Lists(H::Json, Reads<H>),
}

pub struct Report<H: Host> {
    many: Many,
    step: Step<H>,
}

impl<H: Host> Report<H> {
    pub fn new(many: Many, call: &super::Call) -> Self {
        let first = List::Pools.first(call, None, &ListQuery::default());
        Report { many, step: Step::Pools(Walk::new(List::Pools, first)) }
    }

    /// The rows of the pools read so far (none before the pools are listed).
    pub fn rows(&mut self) -> Vec<Row<H>> {
        let Step::Lists(pools, reads) = &mut self.step else { return Vec::new() };
        // A plain loop, not a filter_map's collect: less wasm for the same rows.
        let mut rows = Vec::new();
        for i in 0..pools.len() {
            if let (Some(pool), Some(lists)) = (pools.at(i), reads.lists(i)) {
                rows.push(row::<H>(pool, lists));
            }
        }
        rows
    }
}

fn row<H: Host>(pool: H::Json, lists: PoolLists<H>) -> Row<H> {
    // The pool's two lists, or the first error among them: one loop, where a match of the two
    // moved each of them in code of its own.
    let mut read = Vec::with_capacity(2);
    for list in lists {
        match list {
            Ok(items) => read.push(items),
            Err(e) => return Row { pool, lists: Err(e) },
        }
    }
    let Ok([assignments, states]) = <[H::Json; 2]>::try_from(read) else {
        return Row { pool, lists: Err(Failure::of(crate::error::Error::Response(String::new()))) };
    };
    // The states Graph documents first, in `State::ALL`'s order. A plain loop, not a map's
    // collect: less wasm for the same list.
    let mut by_state: Vec<(String, u32)> = Vec::with_capacity(State::ALL.len());
    for s in State::ALL {
        by_state.push((String::from(s.as_str()), 0));
    }
    let mut failures = Vec::new();
    for i in 0..states.len() {
        let Some(device) = states.at(i) else { continue };
        let state = device.get("state").and_then(|s| s.string());
        let state = state.as_deref().unwrap_or("unknown");
        // A state Graph adds later is counted under its own name.
        let at = by_state.iter().position(|(name, _)| name == state);
        match at.and_then(|at| by_state.get_mut(at)) {
            Some((_, n)) => *n += 1,
            None => by_state.push((state.into(), 1)),
        }
        // Where the state is among the first, it is that `State`.
        if at.and_then(|at| State::ALL.get(at)).is_some_and(|s| s.is_failure()) {
            failures.push(device);
        }
    }
    let total = states.len() as u32;
    Row { pool, lists: Ok(Summary { assignments, total, by_state, failures }) }
}

impl<H: Host> Machine<H> for Report<H> {
    type Output = Result<(), Failure<H>>;

    fn paced(&self) -> bool {
        true
    }

    fn poll(&mut self, env: &mut Env<'_>, io: &mut Io) -> Poll<Self::Output> {
        loop {
            match &mut self.step {
                Step::Pools(walk) => {
                    // Each page of pools counts against the same limit as the reads after it.
                    if walk.due(env.now_ms) {
                        let now = env.now_ms;
                        let wait = read_pace(env, &self.many, PaceUse::Take(1, now));
                        if wait > 0.0 {
                            return Poll::Wait(Some(now + wait));
                        }
                    }
                    match walk.poll(env, io) {
                        Poll::Wait(at) => return Poll::Wait(at),
                        Poll::Done(Err(e)) => return Poll::Done(Err(e)),
                        Poll::Done(Ok((pools, _))) => {
                            // A plain loop, not a map's collect: less wasm for the same ids.
                            let mut ids: Vec<(String, bool)> = Vec::with_capacity(pools.len());
                            for i in 0..pools.len() {
                                let id = pools.at(i).and_then(|p| p.get("id")).and_then(|id| id.string());
                                let id: String = id.map_or_else(String::new, Into::into);
                                let good = crate::guid::is_guid(&id);
                                ids.push((id, good));
                            }
                            let reads = Reads::new(&ids, &[List::Assignments, List::DeviceStates], self.many, env.call);
                            self.step = Step::Lists(pools, reads);
                        }
                    }
                }
                Step::Lists(_, reads) => return reads.poll(env, io).map(Ok),
            }
        }
    }

    fn handle(&mut self, id: Id, got: Got<H>, env: &mut Env<'_>, io: &mut Io) {
        match &mut self.step {
            Step::Pools(walk) => walk.handle(id, got, env, io),
            Step::Lists(_, reads) => reads.handle(id, got, env, io),
        }
    }
}
