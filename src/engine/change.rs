//! `addAssignments` / `removeAssignments`: `assign` replaces a pool's whole set, so a change
//! reads the set, merges the change into it (the core's `merge`), writes it whole and reads it
//! back. If the read-back is not what was written, someone changed the pool in between: a
//! ConflictError. The assignments the change does not touch are written back as the very
//! values Graph answered with, through the host's JSON.

use super::walk::{List, Walk};
use super::{Env, Failure, Got, Host, Id, Io, Machine, Poll};
use crate::error::Error;
use crate::json::{write_array, JsonView};
use crate::merge::{self, Change, Entry, Merged};
use crate::model::DeviceAndAppManagementAssignmentTarget as Target;
use crate::model::EmbeddedSimActivationCodePoolAssignment as Assignment;
use crate::prelude::*;
use crate::request::{self, ListQuery};
use crate::tree::Tree;

use super::single::{Expect, Single};

/// What a change did: the set before and after, the targets added (as Graph's JSON) and the
/// assignments removed.
pub struct Changed<J> {
    pub before: J,
    pub after: J,
    pub added: String,
    pub removed: Vec<J>,
}

/// The set read (before the write, or back after it: `before` tells which), or written.
enum Step<H: Host> {
    Read(Walk<H>),
    Write(Single<H>),
}

pub struct ChangeOf<H: Host> {
    pool: String,
    targets: Tree,
    change: Change,
    step: Step<H>,
    /// Once the set is written: the set before, what was merged, and what was written.
    before: Option<(H::Json, Merged, String)>,
    out: Option<Result<Changed<H::Json>, Failure<H>>>,
}

impl<H: Host> ChangeOf<H> {
    pub fn new(pool: &str, targets: Tree, change: Change, call: &super::Call) -> Self {
        ChangeOf { pool: pool.into(), targets, change, step: read(pool, call), before: None, out: None }
    }

    /// The set before has been read: merge the change, and write it unless nothing changes.
    fn merge(&mut self, before: H::Json, env: &Env<'_>) {
        let merged = match merge::merge(&before, Some(&&self.targets), self.change) {
            Ok(m) => m,
            Err(issues) => return self.out = Some(Err(Failure::of(Error::Validation(issues)))),
        };
        if merged.is_unchanged() {
            let changed = Changed { after: before.clone(), before, added: "[]".into(), removed: Vec::new() };
            return self.out = Some(Ok(changed));
        }
        let Some(written) = written::<H>(&before, &merged) else {
            let message = "the set of assignments to write could not be written as JSON";
            return self.out = Some(Err(Failure::of(Error::Response(message.into()))));
        };
        let call = env.call;
        let write = request::assign_json(&call.base_url, &self.pool, &written, &call.client_request_id);
        self.step = Step::Write(Single::new(write, Expect::Assignments));
        self.before = Some((before, merged, written));
    }

    fn read_back(&mut self, found: H::Json) {
        let Some((before, merged, written)) = self.before.take() else { return };
        if !merge::same_set(&merged, &before, &found) {
            return self.out = Some(Err(Failure::Conflict { written, found }));
        }
        let mut added = String::new();
        write_array(&mut added, &merged.added, Target::write_json);
        // A plain loop, not a filter_map's collect: less wasm for the same items.
        let mut removed = Vec::new();
        for i in &merged.removed {
            if let Some(r) = before.at(*i) {
                removed.push(r);
            }
        }
        self.out = Some(Ok(Changed { before, after: found, added, removed }));
    }
}

/// The pool's set of assignments, read whole.
fn read<H: Host>(pool: &str, call: &super::Call) -> Step<H> {
    let first = List::Assignments.first(call, Some(pool), &ListQuery::default());
    Step::Read(Walk::new(List::Assignments, first))
}

/// The set to write as JSON: the pool's own values as Graph answered them, and the new
/// assignments.
fn written<H: Host>(before: &H::Json, merged: &Merged) -> Option<String> {
    let mut out = String::from("[");
    for (n, entry) in merged.entries.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        match entry {
            Entry::Held(i) => out.push_str(&H::stringify(&before.at(*i)?)?),
            Entry::New(t) => Assignment::write_new(t, &mut out),
        }
    }
    out.push(']');
    Some(out)
}

impl<H: Host> Machine<H> for ChangeOf<H> {
    type Output = Result<Changed<H::Json>, Failure<H>>;

    fn poll(&mut self, env: &mut Env<'_>, io: &mut Io) -> Poll<Self::Output> {
        loop {
            if let Some(out) = self.out.take() {
                return Poll::Done(out);
            }
            match &mut self.step {
                Step::Read(w) => match w.poll(env, io) {
                    Poll::Wait(at) => return Poll::Wait(at),
                    Poll::Done(Err(e)) => self.out = Some(Err(e)),
                    Poll::Done(Ok((found, _))) if self.before.is_some() => self.read_back(found),
                    Poll::Done(Ok((before, _))) => self.merge(before, env),
                },
                Step::Write(s) => match s.poll(env, io) {
                    Poll::Wait(at) => return Poll::Wait(at),
                    Poll::Done(Err(e)) => self.out = Some(Err(e)),
                    Poll::Done(Ok(_)) => self.step = read(&self.pool, env.call),
                },
            }
        }
    }

    fn handle(&mut self, id: Id, got: Got<H>, env: &mut Env<'_>, io: &mut Io) {
        match &mut self.step {
            Step::Read(w) => w.handle(id, got, env, io),
            Step::Write(s) => s.handle(id, got, env, io),
        }
    }
}
