//! Reads of many pools in one call: `listAssignmentsMany` and `listDeviceStatesMany`, and the
//! reads behind `poolReport`. They go through JSON batching (`POST {base}/$batch`, 20 requests a
//! batch), and each inner answer is read as a single request's answer is, with the same errors:
//!
//! - an inner 429, 503 or 504 is retried by itself, after its own Retry-After, within
//!   `maxRetries`;
//! - an inner `@odata.nextLink` is followed (only to baseUrl's origin), in the next batch;
//! - when the batch endpoint itself fails, the reads are made one request each.
//!
//! Every inner request counts against Intune's limit of 1,000 requests per 20 seconds, so the
//! reads are paced under it ([`Pace`]) rather than throttled and retried.

use core::cell::RefCell;
use js_sys::{Array, Function, Object, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::call::{Answered, Call, Unsent};
use super::errors;
use super::input::{self, view};
use super::js::{self, set};
use super::pools::{body, made, page, List, OptionsOf};
use super::promise;
use crate::batch::{self, MAX_REQUESTS};
use crate::error::Error;
use crate::pace::Pace;
use crate::request::{self, ListQuery};
use crate::response::HttpResponse;
use crate::retry::{self, Decision, GiveUp, MAX_TIMER_MS};
use crate::tree::{Tree, SHALLOW_FROM};
use crate::validate::{self, Issues, Many, Options};

/// A batch's inner answers sit three levels below a single answer's (`responses[i].body`), so
/// the reading that checks an item's properties goes three levels deeper.
const BATCH_FROM: usize = SHALLOW_FROM + 3;

/// One read still to make: a page of one of a pool's lists.
struct Job {
    pool: usize,
    list: usize,
    url: String,
    /// Attempts made of this page so far.
    made: u32,
    /// Not before this time (a retry's wait).
    at_ms: f64,
}

/// One of a pool's lists, as its pages come in.
struct Slot {
    /// Each page's items, joined once when read (joining page by page is O(pages²)).
    pages: Array,
    error: Option<JsValue>,
    done: bool,
}

impl Slot {
    fn items(&self) -> Array {
        self.pages.flat(1)
    }
}

/// The state the workers share. No borrow of it is held across an `await`.
struct Reads {
    lists: Vec<List>,
    slots: Vec<Vec<Slot>>,
    jobs: Vec<Job>,
    pace: Rc<RefCell<Pace>>,
    /// The most reads a batch takes: Graph's 20, or fewer under a smaller `readLimit`.
    batch_size: usize,
    /// The batch endpoint failed: every read is now a request of its own.
    single: bool,
    /// Batches (or single reads) sent and not yet read: their answers may bring more reads.
    in_flight: u32,
    /// The call has failed as a whole: no worker sends anything more.
    stopped: bool,
    done: u32,
    progress: Option<Function>,
}

/// How long an idle worker waits for the reads that other workers' answers may bring (a next
/// page, a retry): a worker that stopped instead would leave fewer in flight for the rest.
const IDLE_MS: f64 = 5.0;

enum Next {
    Done,
    Wait(f64),
    Batch(Vec<Job>),
}

impl Reads {
    fn new(pools: &[Option<String>], lists: &[List], call: &Call, many: &Many, progress: Option<Function>) -> Reads {
        let mut jobs = Vec::new();
        let mut slots = Vec::with_capacity(pools.len());
        for (pool, id) in pools.iter().enumerate() {
            let mut row = Vec::with_capacity(lists.len());
            for (list, kind) in lists.iter().enumerate() {
                let error = match id {
                    Some(id) => {
                        let url = kind.first(call, Some(id), &ListQuery::default()).url;
                        jobs.push(Job { pool, list, url, made: 0, at_ms: 0.0 });
                        None
                    }
                    None => Some(call.error(&Error::Response(NOT_A_GUID.into()), None)),
                };
                row.push(Slot { pages: Array::new(), done: error.is_some(), error });
            }
            slots.push(row);
        }
        // A pool with no id to read is done from the start.
        let done = slots.iter().filter(|row| row.iter().all(|s| s.done)).count() as u32;
        Reads {
            lists: lists.to_vec(),
            slots,
            jobs,
            pace: shared_pace(call.base_url.origin(), many),
            batch_size: MAX_REQUESTS.min(many.limit as usize).max(1),
            single: false,
            in_flight: 0,
            stopped: false,
            done,
            progress,
        }
    }

    /// The next reads that may go now, or how long until some may.
    fn next(&mut self, now: f64) -> Next {
        if self.stopped {
            return Next::Done;
        }
        let Some(soonest) = self.jobs.iter().map(|j| j.at_ms).reduce(f64::min) else {
            return if self.in_flight > 0 { Next::Wait(IDLE_MS) } else { Next::Done };
        };
        if soonest > now {
            return Next::Wait((soonest - now).min(MAX_TIMER_MS));
        }
        let size = if self.single { 1 } else { self.batch_size };
        let ready = self.jobs.iter().filter(|j| j.at_ms <= now).count().min(size);
        let wait = self.pace.borrow_mut().take(ready as u32, now);
        if wait > 0.0 {
            // A JavaScript timer cannot wait longer; the worker asks again when it fires.
            return Next::Wait(wait.min(MAX_TIMER_MS));
        }
        let (mut taken, mut kept) = (Vec::with_capacity(ready), Vec::with_capacity(self.jobs.len()));
        for job in self.jobs.drain(..) {
            if job.at_ms <= now && taken.len() < ready {
                taken.push(job);
            } else {
                kept.push(job);
            }
        }
        self.jobs = kept;
        self.in_flight += 1;
        Next::Batch(taken)
    }

    /// A page's items, and the job of the next page if there is one.
    fn page(&mut self, job: Job, items: &Array, next: Option<String>) {
        if let Some(slot) = self.slot(&job) {
            slot.pages.push(items);
        }
        self.pace.borrow_mut().succeeded();
        match next {
            Some(url) => self.jobs.push(Job { url, made: 0, at_ms: 0.0, ..job }),
            None => self.finish(&job, None),
        }
    }

    fn slot(&mut self, job: &Job) -> Option<&mut Slot> {
        self.slots.get_mut(job.pool).and_then(|row| row.get_mut(job.list))
    }

    /// The list is read, or failed with `error`; the pool's progress is told once all its
    /// lists are.
    fn finish(&mut self, job: &Job, error: Option<JsValue>) {
        if let Some(slot) = self.slot(job) {
            slot.done = true;
            slot.error = error;
        }
        let pool_done = self.slots.get(job.pool).is_some_and(|row| row.iter().all(|s| s.done));
        if !pool_done {
            return;
        }
        self.done += 1;
        self.tell();
    }

    /// Tells `onProgress` how many pools are read: first once the total is known (pools with
    /// nothing to read counted as done), then as each pool's reads are done.
    fn tell(&mut self) {
        if self.stopped {
            return;
        }
        if let Some(f) = &self.progress {
            let info = Object::new();
            set(&info, "done", &self.done.into());
            set(&info, "total", &(self.slots.len() as u32).into());
            // A broken progress display must not cost the results: it is not called again.
            if f.call1(&JsValue::UNDEFINED, &info).is_err() {
                self.progress = None;
            }
        }
    }

    fn retry(&mut self, job: Job, made: u32, at_ms: f64) {
        self.jobs.push(Job { made, at_ms, ..job });
    }
}

thread_local! {
    /// One pace per Graph host and limit, shared by every batched read of the page or process:
    /// Intune counts the app's requests, not a call's, so two reports at once keep under the
    /// limit together, and one right after another starts where the last one left the window.
    static PACES: RefCell<Vec<Shared>> = const { RefCell::new(Vec::new()) };
}

/// A shared pace, by Graph's origin, the limit's count and its window (as bits).
type Shared = (String, u32, u64, Rc<RefCell<Pace>>);

fn shared_pace(origin: &str, many: &Many) -> Rc<RefCell<Pace>> {
    PACES.with(|paces| {
        let mut paces = paces.borrow_mut();
        let key = (many.limit, many.per_ms.to_bits());
        if let Some((_, _, _, pace)) = paces.iter().find(|(o, l, p, _)| o == origin && (*l, *p) == key) {
            return pace.clone();
        }
        let pace = Rc::new(RefCell::new(Pace::new(many.limit, many.per_ms)));
        paces.push((origin.to_owned(), key.0, key.1, pace.clone()));
        pace
    })
}

const NOT_A_GUID: &str = "Graph gave this pool an id that is not a GUID; its lists were not read";

/// One worker: takes reads until none are left. `concurrency` of them run at once. When one
/// fails the call (an abort, the deadline, the token provider's or `onRetry`'s error), the
/// others send nothing more.
async fn worker(reads: Rc<RefCell<Reads>>, call: Rc<Call>) -> Result<JsValue, JsValue> {
    let failed = |e: JsValue| {
        reads.borrow_mut().stopped = true;
        Err(e)
    };
    loop {
        if let Some(e) = call.stop() {
            return failed(e);
        }
        let next = reads.borrow_mut().next(js_sys::Date::now());
        let done = match next {
            Next::Done => return Ok(JsValue::UNDEFINED),
            Next::Wait(ms) => {
                if let Err(e) = call.wait(ms).await {
                    return failed(e);
                }
                continue;
            }
            Next::Batch(jobs) if reads.borrow().single => alone_each(&reads, &call, jobs).await,
            Next::Batch(jobs) => batched(&reads, &call, jobs).await,
        };
        reads.borrow_mut().in_flight -= 1;
        if let Err(e) = done {
            return failed(e);
        }
    }
}

async fn alone_each(reads: &Rc<RefCell<Reads>>, call: &Call, jobs: Vec<Job>) -> Result<(), JsValue> {
    for job in jobs {
        alone(reads, call, job).await?;
    }
    Ok(())
}

/// One read as a request of its own: for a nextLink outside baseUrl's path, and every read once
/// the batch endpoint has failed. It is retried as every request is.
async fn alone(reads: &Rc<RefCell<Reads>>, call: &Call, job: Job) -> Result<(), JsValue> {
    let list = reads.borrow().lists.get(job.list).copied().unwrap_or(List::Assignments);
    let reply = match call.send_read(&request::next_page(&job.url, &call.client_request_id), SHALLOW_FROM).await {
        Ok(r) => r,
        Err(Unsent::Call(e)) => return Err(e),
        Err(Unsent::Network(e)) => {
            reads.borrow_mut().finish(&job, Some(e));
            return Ok(());
        }
    };
    match call.read(&reply, |r| list.read(r, call)) {
        Ok(next) => {
            let items: Array = js::get(&body(&reply), "value").unchecked_into();
            reads.borrow_mut().page(job, &items, next)
        }
        Err(e) => reads.borrow_mut().finish(&job, Some(e)),
    }
    Ok(())
}

/// Reads in one `$batch`. Each inner answer is retried, followed or read by itself. If the batch
/// endpoint refuses, or answers with something not of a batch's shape, its reads go back to be
/// made one by one; if it is still throttled after its retries, or the network fails, its reads
/// fail as single ones would.
async fn batched(reads: &Rc<RefCell<Reads>>, call: &Call, jobs: Vec<Job>) -> Result<(), JsValue> {
    let inner: Vec<(usize, &str)> = jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (i, batch::relative(&call.base_url, &j.url).unwrap_or_default()))
        .collect();
    if inner.iter().any(|(_, url)| url.is_empty()) {
        // A link outside baseUrl's path cannot go in a batch: these go one by one.
        return alone_each(reads, call, jobs).await;
    }
    let sent = call.send_read(&batch::request(&call.base_url, &inner, &call.client_request_id), BATCH_FROM).await;
    let reply = match sent {
        Ok(r) => r,
        Err(Unsent::Call(e)) => return Err(e),
        Err(Unsent::Network(e)) => return fail_all(reads, jobs, &e),
    };
    let answers = match call.read(&reply, batch::answers::<&Tree>) {
        Ok(a) => a,
        Err(e) if retry::is_retryable(reply.answer.status) => return fail_all(reads, jobs, &e),
        Err(_) => return fall_back(reads, jobs),
    };
    let responses: Array = js::get(&body(&reply), "responses").unchecked_into();
    let now = js_sys::Date::now();
    let mut throttled = false;
    for (i, job) in jobs.into_iter().enumerate() {
        let made = job.made + 1;
        let Some(inner) = answers.iter().find(|a| a.id == i) else {
            // Left out of the answer: sent again, as an answer Graph could not give (a 503),
            // within maxRetries; then that pool's ResponseError.
            match call.decide(503, None, made) {
                Decision::Retry { delay_ms } => reads.borrow_mut().retry(job, made, now + delay_ms),
                Decision::GiveUp(_) => {
                    let e = call.error(&Error::Response(MISSING.into()), None);
                    reads.borrow_mut().finish(&job, Some(e));
                }
            }
            continue;
        };
        let why = match call.decide(inner.status, inner.headers.get("retry-after"), made) {
            Decision::Retry { delay_ms } => {
                call.retrying(made, inner.status, delay_ms)?;
                throttled |= inner.status == 429;
                reads.borrow_mut().retry(job, made, now + delay_ms);
                continue;
            }
            Decision::GiveUp(why) => why,
        };
        // Graph writes a body that is not JSON as base64: decoded (and parsed, should it be JSON
        // after all), it is read as the same body alone would be, and a GraphError's `body` is text.
        let decoded = (inner.json.is_none() && !inner.text.is_empty()).then(|| decoded(&inner.text));
        let (inner_body, answer) = match &decoded {
            Some(d) => {
                let answer = HttpResponse {
                    status: inner.status,
                    headers: &inner.headers,
                    text: &d.text,
                    json: d.tree.as_ref(),
                };
                (d.js.clone(), answer)
            }
            None => (js::get(&responses.get(inner.index as u32), "body"), inner.response()),
        };
        let meta = Answered { attempts: made, deadline: why == GiveUp::Deadline, json: Some(&inner_body) };
        let list = reads.borrow().lists.get(job.list).copied().unwrap_or(List::Assignments);
        match call.judge(answer, &meta, |r| list.read(r, call)) {
            Ok(next) => {
                let items: Array = js::get(&inner_body, "value").unchecked_into();
                reads.borrow_mut().page(job, &items, next)
            }
            Err(e) => reads.borrow_mut().finish(&job, Some(e)),
        }
    }
    // One throttled batch slows the pace once, however many of its reads were throttled.
    if throttled {
        reads.borrow().pace.borrow_mut().throttled();
    }
    Ok(())
}

const MISSING: &str = "Graph's $batch answer has no response for one of its requests";

/// An inner body Graph sent as base64: its text, or its JSON (as JavaScript and as the core's
/// tree) when it parses. A body that is not base64 after all is kept as it came.
struct Decoded {
    js: JsValue,
    tree: Option<Tree>,
    text: String,
}

fn decoded(base64: &str) -> Decoded {
    let Ok(binary) = js::atob(base64) else {
        return Decoded { js: base64.into(), tree: None, text: base64.to_owned() };
    };
    // One character per byte, each below 256: the bytes, read as UTF-8.
    let bytes: Vec<u8> = binary.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    match js::json_parse(&JsValue::from_str(&text)) {
        Ok(json) => {
            let tree = input::answer(json.clone(), SHALLOW_FROM);
            Decoded { js: json, tree: Some(tree), text: String::new() }
        }
        Err(_) => Decoded { js: text.as_str().into(), tree: None, text },
    }
}

/// The batch endpoint failed (refused, or an answer not of its shape): its reads, and every one
/// after, are made one request each.
fn fall_back(reads: &Rc<RefCell<Reads>>, jobs: Vec<Job>) -> Result<(), JsValue> {
    let mut r = reads.borrow_mut();
    r.single = true;
    r.jobs.extend(jobs);
    Ok(())
}

/// Every read of a batch fails with `error`, as each would have alone.
fn fail_all(reads: &Rc<RefCell<Reads>>, jobs: Vec<Job>, error: &JsValue) -> Result<(), JsValue> {
    for job in jobs {
        reads.borrow_mut().finish(&job, Some(error.clone()));
    }
    Ok(())
}

/// Runs every read with `concurrency` workers; rejects only when the call is aborted, past its
/// deadline, or the token provider or `onRetry` threw.
async fn run(reads: Rc<RefCell<Reads>>, call: Rc<Call>, concurrency: u32) -> Result<(), JsValue> {
    let workers = Array::new();
    for _ in 0..concurrency.max(1) {
        workers.push(&promise(worker(reads.clone(), call.clone())));
    }
    JsFuture::from(Promise::all(&workers)).await.map(|_| ())
}

/// Each pool's result, in order: `{ poolId, ok: true, value }` or `{ poolId, ok: false, error }`.
fn results(ids: &[String], reads: &Reads) -> Array {
    let list = Array::new();
    for (id, row) in ids.iter().zip(&reads.slots) {
        let out = Object::new();
        set(&out, "poolId", &id.as_str().into());
        match row.first() {
            Some(Slot { error: Some(e), .. }) => {
                set(&out, "ok", &false.into());
                set(&out, "error", e);
            }
            Some(slot) => {
                set(&out, "ok", &true.into());
                set(&out, "value", &slot.items());
            }
            None => {}
        }
        list.push(&out);
    }
    list
}

/// The arguments of a batched read, checked all at once, as every call's are: the pool ids (none
/// for a report), the token and the options, with `onProgress` as given.
fn checked_many(
    pool_ids: Option<&JsValue>,
    token: &JsValue,
    options: &JsValue,
) -> Result<(Vec<String>, Many, Call, Option<Function>), JsValue> {
    let read = (input::token(token), input::options(options));
    let mut issues = Issues::default();
    let ids = match pool_ids {
        Some(ids) => validate::pool_ids(view(&input::arg(ids)).as_ref(), &mut issues),
        None => Some(Vec::new()),
    };
    let (many, call, progress) = made::<ManyCall>(token, read, None, issues)?;
    let ids = ids.ok_or_else(|| errors::validation(&[]))?;
    Ok((ids, many, call, js::function(progress)))
}

/// The batched reads' options: every call's, and `concurrency`, `onProgress` and `readLimit`.
struct ManyCall;

impl OptionsOf for ManyCall {
    type Extra = Many;
    fn read<'t>(v: Option<&&'t Tree>, issues: &mut Issues) -> Option<(Options<&'t Tree>, Many)> {
        validate::many_options(v, issues)
    }
}

fn read_many(pool_ids: &JsValue, token: &JsValue, options: Option<JsValue>, list: List) -> Promise {
    let (ids, many, call, progress) = match checked_many(Some(pool_ids), token, &options.unwrap_or_default()) {
        Ok(c) => c,
        Err(e) => return Promise::reject(&e),
    };
    promise(async move {
        let call = Rc::new(call);
        let pools: Vec<Option<String>> = ids.iter().cloned().map(Some).collect();
        let reads = Rc::new(RefCell::new(Reads::new(&pools, &[list], &call, &many, progress)));
        reads.borrow_mut().tell();
        run(reads.clone(), call, many.concurrency).await?;
        let out = results(&ids, &reads.borrow());
        Ok(out.into())
    })
}

/// Every pool's assignments, batched: one result per pool, in order.
#[wasm_bindgen(
    js_name = listAssignmentsMany,
    unchecked_return_type = "Promise<PoolResult<EmbeddedSimActivationCodePoolAssignment>[]>"
)]
pub fn list_assignments_many(
    #[wasm_bindgen(js_name = poolIds, unchecked_param_type = "readonly string[]")] pool_ids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ManyOptions")] options: Option<JsValue>,
) -> Promise {
    read_many(&pool_ids, &token, options, List::Assignments)
}

/// Every pool's device states, batched: one result per pool, in order.
#[wasm_bindgen(js_name = listDeviceStatesMany, unchecked_return_type = "Promise<PoolResult<EmbeddedSimDeviceState>[]>")]
pub fn list_device_states_many(
    #[wasm_bindgen(js_name = poolIds, unchecked_param_type = "readonly string[]")] pool_ids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ManyOptions")] options: Option<JsValue>,
) -> Promise {
    read_many(&pool_ids, &token, options, List::DeviceStates)
}

/// The whole tenant's eSIM state: every pool, with its assignments, its device states counted
/// by state and the devices that failed. A pool whose reads failed has its `error` instead;
/// the others are kept. Paced under Intune's read limit, as the batched reads are.
#[wasm_bindgen(js_name = poolReport, unchecked_return_type = "Promise<TenantReport>")]
pub fn pool_report(
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ManyOptions")] options: Option<JsValue>,
) -> Promise {
    let (_, many, call, progress) = match checked_many(None, &token, &options.unwrap_or_default()) {
        Ok(c) => c,
        Err(e) => return Promise::reject(&e),
    };
    promise(async move {
        let call = Rc::new(call);
        let pools = paced_pools(&call, &shared_pace(call.base_url.origin(), &many)).await?;
        let ids: Vec<Option<String>> =
            pools.iter().map(|p| js::get(&p, "id").as_string().filter(|id| crate::guid::is_guid(id))).collect();
        let lists = [List::Assignments, List::DeviceStates];
        let mut reads = Reads::new(&ids, &lists, &call, &many, progress);
        reads.tell();
        let reads = Rc::new(RefCell::new(reads));
        run(reads.clone(), call, many.concurrency).await?;
        let reads = reads.borrow();
        let report = Object::new();
        set(&report, "generatedDateTime", &js_sys::Date::new_0().to_iso_string().into());
        let rows = Array::new();
        for (pool, row) in pools.iter().zip(&reads.slots) {
            rows.push(&pool_row(&pool, row));
        }
        set(&report, "pools", &rows);
        Ok(report.into())
    })
}

/// Every pool of the tenant, page after page, each page paced with the reads that follow.
async fn paced_pools(call: &Call, pace: &RefCell<Pace>) -> Result<Array, JsValue> {
    let mut request = List::Pools.first(call, None, &ListQuery::default());
    let pages = Array::new();
    loop {
        let wait = pace.borrow_mut().take(1, js_sys::Date::now());
        if wait > 0.0 {
            call.wait(wait).await?;
            continue;
        }
        let (more, next) = page(call, List::Pools, &request).await?;
        pages.push(&more);
        match next {
            Some(link) => request = request::next_page(&link, &call.client_request_id),
            // Joined once: page by page would be O(pages²).
            None => return Ok(pages.flat(1)),
        }
    }
}

/// The properties of a pool a report shows.
const POOL_SUMMARY: [&str; 5] = ["id", "displayName", "activationCodeCount", "createdDateTime", "modifiedDateTime"];
/// The properties of a failed device a report shows.
const FAILURE: [&str; 6] = ["id", "state", "deviceName", "userName", "stateDetails", "lastSyncDateTime"];

fn pick(from: &JsValue, names: &[&str]) -> Object {
    let out = Object::new();
    for name in names {
        let v = js::get(from, name);
        set(&out, name, &if v.is_undefined() { JsValue::NULL } else { v });
    }
    out
}

/// One pool's row of the report: its counts, or the first error of its reads.
fn pool_row(pool: &JsValue, row: &[Slot]) -> JsValue {
    let out = Object::new();
    set(&out, "pool", &pick(pool, &POOL_SUMMARY));
    if let Some(e) = row.iter().find_map(|s| s.error.as_ref()) {
        set(&out, "error", e);
        return out.into();
    }
    let (Some(assignments), Some(states)) = (row.first(), row.get(1)) else { return out.into() };
    set(&out, "assignments", &assignments.items());
    let by_state = Object::new();
    for s in crate::model::EmbeddedSimDeviceStateValue::ALL {
        set(&by_state, s.as_str(), &0.into());
    }
    let failures = Array::new();
    let states = states.items();
    for device in states.iter() {
        // A state Graph adds later is counted under its own name.
        let state = js::get(&device, "state").as_string().unwrap_or_else(|| String::from("unknown"));
        let count = js::get(&by_state, &state).as_f64().unwrap_or(0.0);
        set(&by_state, &state, &(count + 1.0).into());
        if crate::model::EmbeddedSimDeviceStateValue::ALL.iter().any(|s| s.is_failure() && s.as_str() == state) {
            failures.push(&pick(&device, &FAILURE));
        }
    }
    let counts = Object::new();
    set(&counts, "total", &states.length().into());
    set(&counts, "byState", &by_state);
    set(&out, "deviceStates", &counts);
    set(&out, "failures", &failures);
    out.into()
}
