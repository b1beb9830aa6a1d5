//! The options of a call: those every call takes, and the extras of lists (Graph's query), of the
//! batched reads and of `assignMany` (concurrency, progress and a pace). They are together because
//! each extra kind is read beside the common ones by the same reader, and its names must be known
//! to it so that only a truly unknown option is refused.

use super::{unknown_properties, Issues};
use crate::guid::is_guid;
use crate::json::{decimal, is_whole, JsonView, Kind};
use crate::pace::{INTUNE_REQUESTS, INTUNE_WINDOW_MS, INTUNE_WRITES};
use crate::prelude::*;
use crate::request::ListQuery;
use crate::retry::{RetryPolicy, MAX_RETRIES, MAX_TIMER_MS};
use crate::url::BaseUrl;

/// The options every call takes.
#[derive(Debug, Clone)]
pub struct Options<V> {
    pub base_url: BaseUrl,
    pub timeout_ms: Option<f64>,
    pub client_request_id: Option<String>,
    /// The tenant the call is for, in lower case: told to the token provider, and a key of the
    /// paces.
    pub tenant_id: Option<String>,
    /// An AbortSignal (checked for its shape only; the shell uses it).
    pub signal: Option<V>,
    /// A fetch function to use instead of the global one.
    pub fetch: Option<V>,
    pub retry: RetryPolicy,
    /// Called before each wait between retries.
    pub on_retry: Option<V>,
}

pub const OPTION_NAMES: [&str; 10] = [
    "baseUrl",
    "tenantId",
    "signal",
    "timeoutMs",
    "fetch",
    "clientRequestId",
    "maxRetries",
    "retryBaseDelayMs",
    "retryMaxDelayMs",
    "onRetry",
];

pub fn options<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<Options<V>> {
    read_options(v, OptionSet::Every, issues).map(|(o, _)| o)
}

/// The options of a list call: the common ones, plus `top`, `select` and `filter`.
pub fn list_options<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, ListQuery)> {
    read_options(v, OptionSet::List, issues).map(|(o, own)| (o, own.query))
}

/// Which options a call takes: those of every call, and beside them a list's, the batched
/// reads' or `assignMany`'s own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionSet {
    Every,
    List,
    Many,
    AssignMany,
}

/// What a call's own options made: a list's query, and the spread of a call that makes many
/// requests (the concurrency, the pace's count and its window). Each is its default for the
/// calls that do not take it.
pub struct OwnOptions {
    pub query: ListQuery,
    pub spread: (u32, u32, f64),
}

impl OwnOptions {
    /// The batched reads' spread, their `readLimit` its pace.
    pub fn many(self) -> Many {
        let (concurrency, limit, per_ms) = self.spread;
        Many { concurrency, limit, per_ms }
    }

    /// `assignMany`'s spread, its `writeLimit` the pace.
    pub fn writes(self) -> Spread {
        let (concurrency, writes, per_ms) = self.spread;
        Spread { concurrency, writes, per_ms }
    }
}

/// The options of a call that takes the options of `set`: those of every call, then its own.
/// The one reader of every kind of call's, so the checks they share are compiled once.
pub fn read_options<V: JsonView>(
    v: Option<&V>,
    set: OptionSet,
    issues: &mut Issues,
) -> Option<(Options<V>, OwnOptions)> {
    let before = issues.0.len();
    let (names, pace): (&[&str], _) = match set {
        OptionSet::Every => (&[], WRITE_LIMIT),
        OptionSet::List => (&LIST_OPTION_NAMES, WRITE_LIMIT),
        OptionSet::Many => (&MANY_OPTION_NAMES, READ_LIMIT),
        OptionSet::AssignMany => (&BULK_OPTION_NAMES, WRITE_LIMIT),
    };
    let options = options_with(v, names, issues);
    let mut own = OwnOptions { query: ListQuery::default(), spread: (DEFAULT_CONCURRENCY, pace.2, INTUNE_WINDOW_MS) };
    match set {
        OptionSet::Every => {}
        OptionSet::List => own.query = list_query(v, issues),
        OptionSet::Many | OptionSet::AssignMany => own.spread = spread(v, pace, issues),
    }
    options.filter(|_| issues.0.len() == before).map(|o| (o, own))
}

/// A list's own options: `top`, `select` and `filter`, Graph's query.
fn list_query<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> ListQuery {
    let mut query = ListQuery::default();
    let v = v.filter(|v| v.kind() == Kind::Object);
    if let Some(t) = v.and_then(|v| v.get("top")) {
        match t.number() {
            Some(n) if is_whole(n) && (1.0..=999.0).contains(&n) => query.top = Some(n as u32),
            _ => issues.push("options.top", "must be a whole number from 1 to 999 (Graph's $top)"),
        }
    }
    if let Some(sel) = v.and_then(|v| v.get("select")) {
        // Each name read straight into the query, and whether all were names: an array's
        // non-strings and a string's empty parts are not, and neither is another kind of value.
        let mut ok = true;
        let mut add = |name: Option<&str>| match name {
            Some(n) if is_property_name(n) => query.select.push(n.to_owned()),
            _ => ok = false,
        };
        match sel.kind() {
            Kind::String => {
                for p in sel.string().as_deref().unwrap_or_default().split(',') {
                    add(Some(p.trim()));
                }
            }
            Kind::Array => {
                for i in 0..sel.len() {
                    add(sel.at(i).and_then(|p| p.string()).as_deref());
                }
            }
            _ => ok = false,
        }
        if !ok || query.select.is_empty() {
            issues.push(
                "options.select",
                "must be property names (Graph's $select), as an array or a comma-separated string",
            );
        }
    }
    if let Some(f) = v.and_then(|v| v.get("filter")) {
        match f.string() {
            Some(s) if !s.trim().is_empty() && !s.chars().any(char::is_control) => query.filter = Some(s.into()),
            _ => issues
                .push("options.filter", "must be an OData filter expression (Graph's $filter), a non-empty string"),
        }
    }
    query
}

pub const LIST_OPTION_NAMES: [&str; 3] = ["top", "select", "filter"];

/// A property name as `$select` takes it: ASCII letters and digits. (Byte by byte: a byte of a
/// non-ASCII character is never one of them, so no character need be decoded.)
fn is_property_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn options_with<V: JsonView>(v: Option<&V>, extra: &[&str], issues: &mut Issues) -> Option<Options<V>> {
    let mut out = Options {
        base_url: BaseUrl::graph(),
        timeout_ms: None,
        client_request_id: None,
        tenant_id: None,
        signal: None,
        fetch: None,
        retry: RetryPolicy::default(),
        on_retry: None,
    };
    let v = match v {
        None => return Some(out),
        Some(v) if v.kind() == Kind::Null => return Some(out),
        Some(v) if v.kind() != Kind::Object => {
            issues.got("options", "must be an object", v.kind());
            return None;
        }
        Some(v) => v,
    };
    let before = issues.0.len();
    // Not a chain's collect: less wasm for the same names.
    let mut known: Vec<&str> = Vec::with_capacity(OPTION_NAMES.len() + extra.len());
    known.extend_from_slice(&OPTION_NAMES);
    known.extend_from_slice(extra);
    unknown_properties(v, "options", &known, &[], issues);
    if let Some(b) = v.get("baseUrl") {
        match b.string() {
            Some(s) => match BaseUrl::parse(&s) {
                Ok(url) => out.base_url = url,
                Err(m) => issues.push("options.baseUrl", m),
            },
            None => issues.got("options.baseUrl", "must be a string", b.kind()),
        }
    }
    out.timeout_ms = milliseconds(v, "timeoutMs", issues);
    if let Some(n) = v.get("maxRetries") {
        match n.number() {
            Some(n) if is_whole(n) && (0.0..=f64::from(MAX_RETRIES)).contains(&n) => out.retry.max_retries = n as u32,
            Some(_) => issues.push("options.maxRetries", "must be a whole number from 0 (no retries) to 10"),
            None => issues.got("options.maxRetries", "must be a number", n.kind()),
        }
    }
    if let Some(ms) = milliseconds(v, "retryBaseDelayMs", issues) {
        out.retry.base_delay_ms = ms;
    }
    if let Some(ms) = milliseconds(v, "retryMaxDelayMs", issues) {
        out.retry.max_delay_ms = ms;
    }
    if out.retry.max_delay_ms < out.retry.base_delay_ms {
        issues.push("options.retryMaxDelayMs", "must not be less than retryBaseDelayMs");
    }
    if let Some(f) = v.get("onRetry") {
        if f.kind() == Kind::Function {
            out.on_retry = Some(f);
        } else {
            issues.got("options.onRetry", "must be a function", f.kind());
        }
    }
    if let Some(c) = v.get("clientRequestId") {
        match c.string() {
            Some(s) if is_guid(&s) => out.client_request_id = Some(s.into()),
            Some(_) => issues.push("options.clientRequestId", "must be a GUID (Graph logs it to correlate the call)"),
            None => issues.got("options.clientRequestId", "must be a GUID string", c.kind()),
        }
    }
    if let Some(t) = v.get("tenantId") {
        out.tenant_id = crate::tenant::tenant_id(&t, "options.tenantId", issues);
    }
    if let Some(s) = v.get("signal") {
        let is_signal = s.kind() == Kind::Object
            && s.get("aborted").map(|a| a.kind()) == Some(Kind::Bool)
            && s.get("addEventListener").map(|a| a.kind()) == Some(Kind::Function);
        if is_signal {
            out.signal = Some(s);
        } else {
            issues.got("options.signal", "must be an AbortSignal", s.kind());
        }
    }
    if let Some(f) = v.get("fetch") {
        if f.kind() == Kind::Function {
            out.fetch = Some(f);
        } else {
            issues.got("options.fetch", "must be a fetch function", f.kind());
        }
    }
    (issues.0.len() == before).then_some(out)
}

/// A duration option: a finite number of milliseconds, at least 1 and at most what a JavaScript
/// timer can wait (a longer one would fire at once in Node).
fn milliseconds<V: JsonView>(v: &V, name: &str, issues: &mut Issues) -> Option<f64> {
    let t = v.get(name)?;
    let path = ["options.", name].concat();
    match t.number() {
        Some(n) if (1.0..=MAX_TIMER_MS).contains(&n) => return Some(n),
        Some(_) => issues.push(&path, "must be a number of milliseconds from 1 to 2147483647 (about 24 days)"),
        None => issues.got(&path, "must be a number", t.kind()),
    }
    None
}

/// `assignMany`'s own options, beside those of every call.
pub const BULK_OPTION_NAMES: [&str; 3] = ["concurrency", "onProgress", "writeLimit"];

/// The options of `assignMany`: those of every call, plus its own ([`bulk_options`]).
pub fn assign_many_options<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, Spread)> {
    read_options(v, OptionSet::AssignMany, issues).map(|(o, own)| (o, own.writes()))
}

/// `assignMany`'s own options: `concurrency` (1 to 32), `onProgress` (a function) and
/// `writeLimit` (`{ writes, perMs }`, the pace to keep under).
pub fn bulk_options<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Spread {
    let (concurrency, writes, per_ms) = spread(v, WRITE_LIMIT, issues);
    Spread { concurrency, writes, per_ms }
}

/// A pace option: its name, the name of its count, and Intune's limit, its default.
type PaceOption = (&'static str, &'static str, u32);
const WRITE_LIMIT: PaceOption = ("writeLimit", "writes", INTUNE_WRITES);
const READ_LIMIT: PaceOption = ("readLimit", "requests", INTUNE_REQUESTS);

/// `concurrency` (1 to 32), `onProgress` (a function) and the pace option `{ <count>, perMs }`:
/// the concurrency, the count and the window, each its default when not given.
fn spread<V: JsonView>(v: Option<&V>, (name, count, intune): PaceOption, issues: &mut Issues) -> (u32, u32, f64) {
    let mut out = (DEFAULT_CONCURRENCY, intune, INTUNE_WINDOW_MS);
    let Some(v) = v.filter(|v| v.kind() == Kind::Object) else { return out };
    concurrency_and_progress(v, issues);
    out.0 = v.get("concurrency").and_then(|c| c.number()).map_or(out.0, |n| n as u32);
    if let Some((n, per_ms)) = limit(v, name, count, intune, issues) {
        out.1 = n;
        out.2 = per_ms;
    }
    out
}

/// How `assignMany`'s writes are spread: `concurrency` pools in flight, at most `writes` in any
/// `per_ms`: Intune's write limit is 100 per 20 seconds per app per tenant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub concurrency: u32,
    pub writes: u32,
    pub per_ms: f64,
}

impl Default for Spread {
    fn default() -> Self {
        Spread { concurrency: DEFAULT_CONCURRENCY, writes: INTUNE_WRITES, per_ms: INTUNE_WINDOW_MS }
    }
}

/// The default `concurrency` of every call that makes many requests: requests (or batches) in
/// flight at once. The paces, not this, keep the calls under Intune's limits.
pub const DEFAULT_CONCURRENCY: u32 = 4;

/// The options of the batched reads (`listAssignmentsMany`, `listDeviceStatesMany`,
/// `poolReport`), beside those of every call.
pub const MANY_OPTION_NAMES: [&str; 3] = ["concurrency", "onProgress", "readLimit"];

/// The options of the batched reads: those of every call, plus `concurrency` (batches in
/// flight), `onProgress` and `readLimit` (`{ requests, perMs }`, the pace to keep under).
pub fn many_options<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, Many)> {
    read_options(v, OptionSet::Many, issues).map(|(o, own)| (o, own.many()))
}

/// How the batched reads are spread: `concurrency` batches in flight, at most `limit` requests
/// (inner requests each count) in any `per_ms`; by default, Intune's limit for any request
/// ([`INTUNE_REQUESTS`] per [`INTUNE_WINDOW_MS`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Many {
    pub concurrency: u32,
    pub limit: u32,
    pub per_ms: f64,
}

impl Default for Many {
    fn default() -> Self {
        Many { concurrency: DEFAULT_CONCURRENCY, limit: INTUNE_REQUESTS, per_ms: INTUNE_WINDOW_MS }
    }
}

fn concurrency_and_progress<V: JsonView>(v: &V, issues: &mut Issues) {
    if let Some(c) = v.get("concurrency") {
        if !c.number().is_some_and(|n| is_whole(n) && (1.0..=32.0).contains(&n)) {
            issues.push("options.concurrency", "must be a whole number from 1 to 32");
        }
    }
    if let Some(f) = v.get("onProgress") {
        if f.kind() != Kind::Function {
            issues.got("options.onProgress", "must be a function", f.kind());
        }
    }
}

/// A pace option, `{ <count>, perMs }` (`writeLimit: { writes, perMs }`): whole numbers.
fn limit<V: JsonView>(v: &V, name: &str, count: &str, intune: u32, issues: &mut Issues) -> Option<(u32, f64)> {
    let w = v.get(name)?;
    let whole = |field: &str| {
        w.get(field).and_then(|n| n.number()).filter(|&n| is_whole(n) && (1.0..=MAX_TIMER_MS).contains(&n))
    };
    let path = ["options.", name].concat();
    match (w.kind(), whole(count), whole("perMs")) {
        (Kind::Object, Some(n), Some(per_ms)) => {
            unknown_properties(&w, &path, &[count, "perMs"], &[], issues);
            Some((n as u32, per_ms))
        }
        _ => {
            let example = [
                "must be { ",
                count,
                ", perMs }: whole numbers, like { ",
                count,
                ": ",
                &decimal(intune as usize),
                // INTUNE_WINDOW_MS as written: formatting it here would cost the wasm bytes for a
                // number that never changes at run time (tests/facts.rs checks the two agree).
                ", perMs: 20000 } (Intune's limit)",
            ]
            .concat();
            issues.push(&path, example);
            None
        }
    }
}
