//! A list followed page by page (`@odata.nextLink`, only to `baseUrl`'s origin), under the
//! call's one deadline. The pages are joined once, at the end.

use super::attempt::{judge, Answered, Attempt};
use super::{Call, Env, Failure, Got, Host, Id, Io, Machine, Poll};
use crate::error::Error;
use crate::json::JsonView;
use crate::prelude::*;
use crate::request::{self, HttpRequest, ListQuery};
use crate::response::{self, HttpResponse};

/// What a list is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Pools,
    Assignments,
    DeviceStates,
}

impl List {
    /// The path under a pool (`None` for the pools themselves).
    pub fn part(self) -> Option<&'static str> {
        match self {
            List::Pools => None,
            List::Assignments => Some("assignments"),
            List::DeviceStates => Some("deviceStates"),
        }
    }

    /// The first page's request.
    pub fn first(self, call: &Call, pool: Option<&str>, query: &ListQuery) -> HttpRequest {
        request::get(&call.base_url, pool.zip(self.part()), query, &call.client_request_id)
    }

    /// The first page's URL alone (the batched reads send theirs inside a `$batch`).
    pub fn url(self, call: &Call, pool: Option<&str>, query: &ListQuery) -> String {
        request::get_url(&call.base_url, pool.zip(self.part()), query)
    }

    /// Checks one page: its `value` array, and its nextLink, which must point to `baseUrl`'s
    /// origin.
    pub fn check<V: JsonView>(self, r: HttpResponse<'_, V>, call: &Call) -> Result<(V, Option<String>), Error<V>> {
        let page = match self {
            List::Pools => response::page(r, "pool", response::entity_problem::<V>),
            List::Assignments => response::page(r, "assignment", response::assignment_problem::<V>),
            List::DeviceStates => response::page(r, "device state", response::entity_problem::<V>),
        }?;
        if let Some(link) = &page.next_link {
            request::check_next_link(&call.base_url, link).map_err(|m| Error::Response(m.into()))?;
        }
        Ok((page.value, page.next_link))
    }

    /// Reads a final answer as a page of this list.
    pub fn page<H: Host>(
        self,
        answered: &Answered<H::Json>,
        env: &Env<'_>,
    ) -> Result<(H::Json, Option<String>), Failure<H>> {
        judge(answered, env.now_ms, |r| self.check(r, env.call))
    }
}

/// A list's items (or one page's), and the link to the next page (`None` after a whole walk).
pub type Page<H> = (<H as Host>::Json, Option<String>);

/// Every item of a list.
pub struct Walk<H: Host> {
    list: List,
    attempt: Attempt,
    pages: Vec<H::Json>,
    /// Only the first page (`iteratePools` asks for the next when it needs it).
    one: bool,
    out: Option<Result<Page<H>, Failure<H>>>,
}

impl<H: Host> Walk<H> {
    pub fn new(list: List, first: HttpRequest) -> Self {
        Walk { list, attempt: Attempt::new(first), pages: Vec::new(), one: false, out: None }
    }

    /// One page: its items and its nextLink.
    pub fn one_page(list: List, request: HttpRequest) -> Self {
        Walk { one: true, ..Walk::new(list, request) }
    }

    /// Whether a request is due to go at `now_ms` (a pace may hold it back first).
    pub fn due(&self, now_ms: f64) -> bool {
        self.out.is_none() && self.attempt.due(now_ms)
    }
}

impl<H: Host> Machine<H> for Walk<H> {
    type Output = Result<Page<H>, Failure<H>>;

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
        match done.and_then(|a| self.list.page(&a, env)) {
            Err(e) => self.out = Some(Err(e)),
            Ok((value, next)) if self.one => self.out = Some(Ok((value, next))),
            Ok((value, next)) => {
                self.pages.push(value);
                match next {
                    Some(link) => self.attempt = Attempt::new(request::next_page(&link, &env.call.client_request_id)),
                    None => self.out = Some(Ok((H::join(core::mem::take(&mut self.pages)), None))),
                }
            }
        }
    }
}
