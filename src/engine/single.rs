//! Calls of one request (`assign`, `getPool`, `createPool`, `deletePool`), and `updatePool`,
//! which reads the pool back with a GET when Graph answers its PATCH with 204 and no body.

use super::attempt::{judge, Answered, Attempt};
use super::{Env, Failure, Got, Host, Id, Io, Machine, Poll};
use crate::prelude::*;
use crate::request::{self, HttpRequest, ListQuery};
use crate::response;

/// What an answer is expected to carry, and what the call resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// `assign`'s answer: the assignments Graph now holds (its `value`).
    Assignments,
    /// One pool (Intune's docs' `{"value":{...}}` is read as the pool inside).
    Pool,
    /// Nothing (a DELETE's 204).
    Nothing,
}

impl Expect {
    pub fn result<H: Host>(self, answered: &Answered<H::Json>, now_ms: f64) -> Result<Option<H::Json>, Failure<H>> {
        // One reader of the three, so that `judge` is compiled once for them.
        judge(answered, now_ms, |r| match self {
            Expect::Assignments => response::collection(r, "assignment").map(Some),
            Expect::Pool => response::entity(r, "pool").map(Some),
            Expect::Nothing => response::no_content(r).map(|()| None),
        })
    }
}

/// One request, retried as the policy says, its final answer read as `expect` says; for
/// `updatePool`, the pool read back with one GET of the same call when Graph answers 204.
pub struct Single<H: Host> {
    attempt: Attempt,
    expect: Expect,
    /// The pool to read back should Graph answer 204 with no body (`updatePool`'s PATCH).
    read_back: Option<String>,
    out: Option<Result<Option<H::Json>, Failure<H>>>,
}

impl<H: Host> Single<H> {
    pub fn new(request: HttpRequest, expect: Expect) -> Self {
        Single { attempt: Attempt::new(request), expect, read_back: None, out: None }
    }

    /// `updatePool`: the PATCH, and when Graph answers it 204 with no body, the pool read back
    /// with one GET of the same call. A `Single` too: the shell runs it with the one copy of the
    /// driver compiled for the calls of one request.
    pub fn update(pool: &str, patch: HttpRequest) -> Self {
        Single { read_back: Some(pool.into()), ..Single::new(patch, Expect::Pool) }
    }
}

impl<H: Host> Machine<H> for Single<H> {
    type Output = Result<Option<H::Json>, Failure<H>>;

    fn poll(&mut self, env: &mut Env<'_>, io: &mut Io) -> Poll<Self::Output> {
        match self.out.take() {
            Some(out) => Poll::Done(out),
            None => Poll::Wait(self.attempt.poll(env.now_ms, io)),
        }
    }

    fn handle(&mut self, id: Id, got: Got<H>, env: &mut Env<'_>, io: &mut Io) {
        if !self.attempt.owns(id) {
            return;
        }
        let Some(done) = self.attempt.handle(got, env, io) else { return };
        // Graph answered updatePool's PATCH 204, with no body: the pool is read back, once.
        let read_back = match &done {
            Ok(a) if a.answer.status == 204 => self.read_back.take(),
            _ => None,
        };
        match read_back {
            Some(pool) => {
                let call = env.call;
                let query = ListQuery::default();
                let get = request::get(&call.base_url, Some((&pool, "")), &query, &call.client_request_id);
                self.attempt = Attempt::new(get);
            }
            None => self.out = Some(done.and_then(|a| self.expect.result(&a, env.now_ms))),
        }
    }
}
