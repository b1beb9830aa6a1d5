//! Reads of many pools in one call: `listAssignmentsMany`, `listDeviceStatesMany`, and the
//! reads behind `poolReport`. They go through JSON batching (`POST {base}/$batch`, 20 requests a
//! batch), and each inner answer is read as a single request's answer is, with the same errors:
//!
//! - an inner 429, 503 or 504 is retried by itself, after its own Retry-After, within
//!   `maxRetries`; so is a read the batch's answer left out;
//! - an inner `@odata.nextLink` is followed (only to baseUrl's origin), in a later batch;
//! - when the batch endpoint itself fails, the reads are made one request each.
//!
//! Every inner request counts against Intune's limit of 1,000 requests per 20 seconds, so the
//! reads are paced under it rather than throttled and retried.

use super::attempt::{decide, retry_or_final, Answered};
use super::progress::Progress;
use super::walk::List;
use super::{sooner, Answer, Env, Failure, Got, Host, Id, Io, Limit, Machine, PaceUse, Poll};
use crate::batch::{self, Inner, MAX_REQUESTS};
use crate::error::Error;
use crate::prelude::*;
use crate::request::{self, ListQuery};
use crate::retry::{is_retryable, Decision};
use crate::validate::Many;

/// One read still to make: a page of one of a pool's lists. Jobs are taken out of their
/// vectors in place (the default left behind): a loop over a moved vector of jobs would
/// compile its own drop.
#[derive(Default)]
struct Job {
    /// The list's slot: `pool * lists + list`.
    slot: usize,
    url: String,
    /// Attempts made of this page so far.
    made: u32,
    /// Not before this time (a retry's wait).
    at_ms: f64,
}

/// Requests in flight: a batch of reads, or one read alone.
struct Flight {
    id: Id,
    jobs: Vec<Job>,
    batch: bool,
}

/// One of a pool's lists, as its pages come in. The slots are one flat list, each pool's
/// lists one after another: one vector, not one per pool, compiled once.
struct Slot<H: Host> {
    pages: Vec<H::Json>,
    error: Option<Failure<H>>,
    done: bool,
    /// Its pages or error were handed out ([`Reads::lists`]): a second take finds nothing.
    taken: bool,
}

/// Whether all of a pool's lists are done.
fn all_done<H: Host>(row: &[Slot<H>]) -> bool {
    row.iter().all(|s| s.done)
}

/// A pool's lists: each its items, or its error.
pub type PoolLists<H> = Vec<Result<<H as Host>::Json, Failure<H>>>;

pub struct Reads<H: Host> {
    lists: Vec<List>,
    /// Each pool's id as given, for `onProgress`.
    names: Vec<String>,
    slots: Vec<Slot<H>>,
    jobs: Vec<Job>,
    flights: Vec<Flight>,
    many: Many,
    /// The batch endpoint failed: every read is now a request of its own.
    single: bool,
    progress: Progress,
}

const NOT_A_GUID: &str = "Graph gave this pool an id that is not a GUID; its lists were not read";
const MISSING: &str = "Graph's $batch answer has no response for one of its requests";

impl<H: Host> Reads<H> {
    /// Reads `lists` of every pool; a pool with no id (`None`) fails with no request made.
    pub fn new(pools: &[(String, bool)], lists: &[List], many: Many, call: &super::Call) -> Self {
        // Plain loops, not collects of iterators: less wasm for the same lists.
        let mut jobs = Vec::new();
        let mut slots = Vec::with_capacity(pools.len() * lists.len());
        let mut names = Vec::with_capacity(pools.len());
        let query = ListQuery::default();
        for (id, good) in pools {
            names.push(id.clone());
            for kind in lists {
                let error = if *good {
                    let url = kind.url(call, Some(id), &query);
                    jobs.push(Job { slot: slots.len(), url, made: 0, at_ms: 0.0 });
                    None
                } else {
                    Some(Failure::of(Error::Response(NOT_A_GUID.into())))
                };
                slots.push(Slot { pages: Vec::new(), done: error.is_some(), error, taken: false });
            }
        }
        Reads {
            lists: lists.to_vec(),
            names,
            slots,
            jobs,
            flights: Vec::new(),
            many,
            single: false,
            progress: Progress::default(),
        }
    }

    /// Each pool's lists, for the pools whose reads are all done (`None` for the others).
    pub fn results(&mut self) -> Vec<Option<PoolLists<H>>> {
        // A plain loop, not a collect of an iterator: less wasm for the same list.
        let mut out = Vec::with_capacity(self.names.len());
        for pool in 0..self.names.len() {
            out.push(self.lists(pool));
        }
        out
    }

    /// How many pools are read.
    pub fn pools(&self) -> usize {
        self.names.len()
    }

    /// Pool `pool`'s id and lists, the lists taken (once) when all its reads are done: read
    /// where they are held, not moved out in a vector (whose loop would compile its own drop).
    pub fn result(&mut self, pool: usize) -> Option<(&str, PoolLists<H>)> {
        let lists = self.lists(pool)?;
        Some((self.names.get(pool)?, lists))
    }

    /// Pool `pool`'s lists, taken once when all its reads are done; `None` before, and after.
    pub fn lists(&mut self, pool: usize) -> Option<PoolLists<H>> {
        let n = self.lists.len();
        let row = self.slots.get_mut(pool * n..pool * n + n)?;
        if !all_done(row) || row.iter().any(|s| s.taken) {
            return None;
        }
        // Taken out of each slot in place: a loop over a moved vector would compile its own drop.
        let mut lists = Vec::with_capacity(n);
        for s in row {
            s.taken = true;
            lists.push(match s.error.take() {
                Some(e) => Err(e),
                None => Ok(H::join(core::mem::take(&mut s.pages))),
            });
        }
        Some(lists)
    }

    /// The pool of a slot, and its lists' slots.
    fn row(&self, slot: usize) -> (usize, &[Slot<H>]) {
        let n = self.lists.len().max(1);
        let pool = slot / n;
        (pool, self.slots.get(pool * n..pool * n + n).unwrap_or_default())
    }

    /// The list is read, or failed with `error`; `onProgress` is told once all the pool's lists are.
    fn finish(&mut self, job: &Job, error: Option<Failure<H>>, io: &mut Io) {
        let ok = error.is_none();
        if let Some(slot) = self.slots.get_mut(job.slot) {
            slot.done = true;
            slot.error = error;
        }
        let (pool, row) = self.row(job.slot);
        if !all_done(row) {
            return;
        }
        let ok = ok && row.iter().all(|s| s.error.is_none());
        self.progress.done(&self.names, pool, ok, io);
    }

    /// A page came: its items, and the job of the next page if there is one.
    fn page(&mut self, job: Job, value: H::Json, next: Option<String>, io: &mut Io) {
        if let Some(slot) = self.slots.get_mut(job.slot) {
            slot.pages.push(value);
        }
        match next {
            Some(url) => self.jobs.push(Job { url, made: 0, at_ms: 0.0, ..job }),
            None => self.finish(&job, None, io),
        }
    }

    /// A final answer to a read, as a single request's: a page, or the list's error.
    fn read(&mut self, job: Job, answered: &Answered<H::Json>, env: &mut Env<'_>, io: &mut Io) {
        let list = self.lists.get(job.slot % self.lists.len().max(1)).copied().unwrap_or(List::Assignments);
        match list.page::<H>(answered, env) {
            Ok((value, next)) => {
                read_pace(env, &self.many, PaceUse::Succeeded);
                self.page(job, value, next, io)
            }
            Err(e) => self.finish(&job, Some(e), io),
        }
    }

    /// An answer for `job`, alone or inside a batch: retried, or read.
    fn answered(&mut self, job: Job, answer: Answer<H::Json>, env: &mut Env<'_>, io: &mut Io) -> bool {
        let made = job.made + 1;
        let throttled = answer.status == 429;
        match retry_or_final(answer, made, env, io) {
            Err(at_ms) => {
                self.jobs.push(Job { made, at_ms, ..job });
                throttled
            }
            Ok(answered) => {
                self.read(job, &answered, env, io);
                false
            }
        }
    }

    /// A batch's answer: each inner answer read as its read's own.
    fn batch(&mut self, mut jobs: Vec<Job>, answer: Answer<H::Json>, env: &mut Env<'_>, io: &mut Io) {
        // A plain loop, where a map's max was compiled of its own.
        let mut made = 0;
        for j in &jobs {
            made = made.max(j.made);
        }
        let made = made + 1;
        let answered = Answered { answer, attempts: made, deadline: false };
        let inner = super::attempt::judge::<H, _>(&answered, env.now_ms, batch::answers);
        let answers = match inner {
            Ok(a) => Some(a),
            // The batch itself was throttled: each read waits and goes again, within its own
            // retries, as if its own answer were the batch's.
            Err(_) if is_retryable(answered.answer.status) => None,
            Err(_) => {
                // Refused, or not of a batch's shape: its reads, and every one after, go alone.
                self.single = true;
                self.jobs.append(&mut jobs);
                return;
            }
        };
        let mut throttled = false;
        for (i, job) in jobs.iter_mut().enumerate() {
            let job = core::mem::take(job);
            let answer = match &answers {
                Some(answers) => answers.iter().find(|a| a.id == i).map(inner_answer::<H>),
                None => Some(answer_copy(&answered.answer)),
            };
            match answer {
                Some(answer) => throttled |= self.answered(job, answer, env, io),
                // Left out of the answer: sent again, as an answer Graph could not give (a 503),
                // within maxRetries; then that pool's ResponseError.
                None => match decide(env, 503, None, job.made + 1) {
                    Decision::Retry { delay_ms } => {
                        let made = job.made + 1;
                        self.jobs.push(Job { made, at_ms: env.now_ms + delay_ms, ..job })
                    }
                    Decision::GiveUp(_) => self.finish(&job, Some(Failure::of(Error::Response(MISSING.into()))), io),
                },
            }
        }
        // One throttled batch slows the pace once, however many of its reads were throttled.
        if throttled {
            read_pace(env, &self.many, PaceUse::Throttled);
        }
    }

    /// The next reads that may go now: `Some(time)` when none may before then.
    fn start(&mut self, env: &mut Env<'_>, io: &mut Io) -> Option<f64> {
        while self.flights.len() < self.many.concurrency.max(1) as usize {
            let (now, call) = (env.now_ms, env.call);
            let base = &call.base_url;
            let batchable = |j: &Job| batch::relative(base, &j.url).is_some();
            // The soonest read, and whether one due now cannot go in a batch (a link outside
            // baseUrl's path): such reads go alone, first. A plain loop, where a map's reduce
            // and an `any` were each compiled of their own.
            let single = self.single;
            let (mut soonest, mut alone) = (None, single);
            for j in &self.jobs {
                soonest = Some(sooner(soonest, j.at_ms));
                alone = alone || (j.at_ms <= now && !batchable(j));
            }
            let soonest = soonest?;
            if soonest > now {
                return Some(soonest);
            }
            let due = |j: &Job| j.at_ms <= now && (single || alone != batchable(j));
            let size = if alone { 1 } else { MAX_REQUESTS.min(self.many.limit as usize).max(1) };
            let ready = self.jobs.iter().filter(|j| due(j)).count().min(size);
            let wait = read_pace(env, &self.many, PaceUse::Take(ready as u32, now));
            if wait > 0.0 {
                return Some(now + wait);
            }
            let (mut taken, mut kept) = (Vec::with_capacity(ready), Vec::with_capacity(self.jobs.len()));
            // Taken in place, not drained: a drain is compiled of its own.
            for job in &mut self.jobs {
                let job = core::mem::take(job);
                if taken.len() < ready && due(&job) {
                    taken.push(job);
                } else {
                    kept.push(job);
                }
            }
            self.jobs = kept;
            let crid = &call.client_request_id;
            let (id, batch) = match taken.first() {
                Some(job) if alone => (io.send(request::next_page(&job.url, crid), job.made), false),
                _ => {
                    let mut inner: Vec<(usize, &str)> = Vec::with_capacity(taken.len());
                    for (i, j) in taken.iter().enumerate() {
                        inner.push((i, batch::relative(base, &j.url).unwrap_or_default()));
                    }
                    (io.send(batch::request(base, &inner, crid), 0), true)
                }
            };
            self.flights.push(Flight { id, jobs: taken, batch });
        }
        None
    }
}

/// Does `what` with the pace the reads keep: Graph's host, under `readLimit` (a report's pages
/// of pools keep it too).
pub(super) fn read_pace(env: &mut Env<'_>, many: &Many, what: PaceUse) -> f64 {
    env.paces.with(env.call, Limit::Requests, many.limit, many.per_ms, what)
}

/// An inner answer as a single request's. Graph writes a body that is not JSON as base64: it
/// is decoded (and parsed, should it be JSON after all), and read as the body alone would be.
fn inner_answer<H: Host>(inner: &Inner<H::Json>) -> Answer<H::Json> {
    let (json, text) = match &inner.json {
        Some(j) => (Some(j.clone()), String::new()),
        None if inner.text.is_empty() => (None, String::new()),
        None => H::decode_base64(&inner.text),
    };
    Answer { status: inner.status, headers: inner.headers.clone(), json, text }
}

impl<H: Host> Machine<H> for Reads<H> {
    type Output = ();

    fn paced(&self) -> bool {
        true
    }

    fn poll(&mut self, env: &mut Env<'_>, io: &mut Io) -> Poll<()> {
        // First once the total is known; then the pools with nothing to read, each failed:
        // before the first poll nothing was read, so a pool whose lists are all done has none
        // to read.
        if self.progress.start(&self.names, io) {
            for pool in 0..self.names.len() {
                if all_done(self.row(pool * self.lists.len()).1) {
                    self.progress.done(&self.names, pool, false, io);
                }
            }
        }
        let wake = self.start(env, io);
        if self.jobs.is_empty() && self.flights.is_empty() {
            return Poll::Done(());
        }
        Poll::Wait(wake)
    }

    fn handle(&mut self, id: Id, got: Got<H>, env: &mut Env<'_>, io: &mut Io) {
        let Some(at) = self.flights.iter().position(|f| f.id == id) else { return };
        let mut flight = self.flights.swap_remove(at);
        match got {
            Got::Network(cause) | Got::Token(cause) => {
                for job in &flight.jobs {
                    let failure = Failure::Network { cause: cause.clone(), attempts: job.made + 1 };
                    self.finish(job, Some(failure), io);
                }
            }
            Got::Answer(answer) if flight.batch => self.batch(flight.jobs, answer, env, io),
            // A read alone is one job: its answer is its own.
            Got::Answer(answer) => {
                if let Some(job) = flight.jobs.first_mut().map(core::mem::take) {
                    if self.answered(job, answer, env, io) {
                        read_pace(env, &self.many, PaceUse::Throttled);
                    }
                }
            }
        }
    }
}

fn answer_copy<J: Clone>(a: &Answer<J>) -> Answer<J> {
    Answer { status: a.status, headers: a.headers.clone(), json: a.json.clone(), text: a.text.clone() }
}
