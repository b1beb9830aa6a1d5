//! The options of a call: those every call takes, and the extras of lists (Graph's query), of the
//! batched reads and of `assignMany` (concurrency, progress and a pace). They are together because
//! each extra kind is read beside the common ones by the same reader, and its names must be known
//! to it so that only a truly unknown option is refused.

use super::{field_path, unknown_properties, Issues};
use crate::guid::is_guid;
use crate::json::{JsonView, Kind};
use crate::pace::{INTUNE_REQUESTS, INTUNE_WINDOW_MS, INTUNE_WRITES};
use crate::prelude::*;
use crate::request::ListQuery;
use crate::retry::{RetryPolicy, MAX_RETRIES, MAX_TIMER_MS};
use crate::text::{decimal, is_whole};
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

/// The options of a call that takes only every call's. This and the typed readers below
/// (`list_options`, `many_options`, `assign_many_options`, `bulk_options`) are [`read_options`]
/// for one kind of call, as the host tests and fuzzing call it; the shell's operations call
/// `read_options` itself (`operation.rs`), so the wasm compiles it once.
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
#[derive(Debug, Clone)]
pub struct OwnOptions {
    pub query: ListQuery,
    pub spread: (u32, u32, f64),
}

impl OwnOptions {
    /// The batched reads' spread, their `readLimit` its pace.
    pub fn many(&self) -> Many {
        let (concurrency, limit, per_ms) = self.spread;
        Many { concurrency, limit, per_ms }
    }

    /// `assignMany`'s spread, its `writeLimit` the pace.
    pub fn writes(&self) -> Spread {
        let (concurrency, writes, per_ms) = self.spread;
        Spread { concurrency, writes, per_ms }
    }
}

/// An option, named for the rule it is read by. A call's options are read by one loop over a
/// table of them ([`EVERY_CALL`], then the call's own), so each rule is written once and the
/// reading of a value and of its path is shared.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    BaseUrl,
    TimeoutMs,
    MaxRetries,
    RetryBaseDelayMs,
    RetryMaxDelayMs,
    OnRetry,
    ClientRequestId,
    TenantId,
    Signal,
    Fetch,
    Top,
    Select,
    Filter,
    Concurrency,
    OnProgress,
    /// `{ <count>, perMs }`, the pace to keep under: the name of its count and Intune's limit,
    /// its default.
    Pace(&'static str, u32),
}

/// The options every call takes, in the order they are checked and their issues listed
/// ([`OPTION_NAMES`] is the order in which a misspelt one's nearest is looked for).
const EVERY_CALL: [(&str, Rule); 10] = [
    ("baseUrl", Rule::BaseUrl),
    ("timeoutMs", Rule::TimeoutMs),
    ("maxRetries", Rule::MaxRetries),
    ("retryBaseDelayMs", Rule::RetryBaseDelayMs),
    ("retryMaxDelayMs", Rule::RetryMaxDelayMs),
    ("onRetry", Rule::OnRetry),
    ("clientRequestId", Rule::ClientRequestId),
    ("tenantId", Rule::TenantId),
    ("signal", Rule::Signal),
    ("fetch", Rule::Fetch),
];

/// The options a list call, the batched reads and `assignMany` each take beside every call's,
/// each with its rule: the one list their names ([`LIST_OPTION_NAMES`], ...) are taken from.
const LIST_OPTIONS: [(&str, Rule); 3] = [("top", Rule::Top), ("select", Rule::Select), ("filter", Rule::Filter)];
const MANY_OPTIONS: [(&str, Rule); 3] = [
    ("concurrency", Rule::Concurrency),
    ("onProgress", Rule::OnProgress),
    ("readLimit", Rule::Pace("requests", INTUNE_REQUESTS)),
];
const BULK_OPTIONS: [(&str, Rule); 3] = [
    ("concurrency", Rule::Concurrency),
    ("onProgress", Rule::OnProgress),
    ("writeLimit", Rule::Pace("writes", INTUNE_WRITES)),
];

/// The names of a call's own options, in their table's order.
const fn names(table: &[(&'static str, Rule); 3]) -> [&'static str; 3] {
    let [a, b, c] = table;
    [a.0, b.0, c.0]
}

/// The options of a call that takes the options of `set`: those of every call, then its own.
/// The one reader of every kind of call's.
pub fn read_options<V: JsonView>(
    v: Option<&V>,
    set: OptionSet,
    issues: &mut Issues,
) -> Option<(Options<V>, OwnOptions)> {
    let (names, own): (&[&str], &[(&str, Rule)]) = match set {
        OptionSet::Every => (&[], &[]),
        OptionSet::List => (&LIST_OPTION_NAMES, &LIST_OPTIONS),
        OptionSet::Many => (&MANY_OPTION_NAMES, &MANY_OPTIONS),
        OptionSet::AssignMany => (&BULK_OPTION_NAMES, &BULK_OPTIONS),
    };
    let mut read = Read::new(own);
    let v = match v {
        None => return Some((read.options, read.own)),
        Some(v) if v.kind() == Kind::Null => return Some((read.options, read.own)),
        Some(v) if v.kind() != Kind::Object => {
            issues.got("options", "must be an object", v.kind());
            return None;
        }
        Some(v) => v,
    };
    let before = issues.0.len();
    // Not a chain's collect: less wasm for the same names.
    let mut known: Vec<&str> = Vec::with_capacity(OPTION_NAMES.len() + names.len());
    known.extend_from_slice(&OPTION_NAMES);
    known.extend_from_slice(names);
    unknown_properties(v, "options", &known, &[], issues);
    for (name, rule) in EVERY_CALL {
        read.option(v, name, rule, issues);
    }
    for (name, rule) in own {
        read.option(v, name, *rule, issues);
    }
    (issues.0.len() == before).then_some((read.options, read.own))
}

/// The options read so far, each its default until read.
struct Read<V> {
    options: Options<V>,
    own: OwnOptions,
}

impl<V: JsonView> Read<V> {
    /// The defaults of a call whose own options are `rules`: the pace's is its Intune limit.
    fn new(own: &[(&str, Rule)]) -> Self {
        let mut count = INTUNE_WRITES;
        for (_, rule) in own {
            if let Rule::Pace(_, intune) = rule {
                count = *intune;
            }
        }
        Read {
            options: Options {
                base_url: BaseUrl::graph(),
                timeout_ms: None,
                client_request_id: None,
                tenant_id: None,
                signal: None,
                fetch: None,
                retry: RetryPolicy::default(),
                on_retry: None,
            },
            own: OwnOptions { query: ListQuery::default(), spread: (DEFAULT_CONCURRENCY, count, INTUNE_WINDOW_MS) },
        }
    }

    /// The option `name` of the options object `v`, by its rule.
    fn option(&mut self, v: &V, name: &str, rule: Rule, issues: &mut Issues) {
        let out = &mut self.options;
        if let Some(x) = v.get(name) {
            let path = &field_path("options", name);
            match rule {
                Rule::BaseUrl => match x.string() {
                    Some(s) => match BaseUrl::parse(&s) {
                        Ok(url) => out.base_url = url,
                        Err(m) => issues.push(path, m),
                    },
                    None => issues.got(path, "must be a string", x.kind()),
                },
                Rule::TimeoutMs => out.timeout_ms = milliseconds(&x, path, issues),
                Rule::MaxRetries => match x.number() {
                    Some(n) if is_whole(n) && (0.0..=f64::from(MAX_RETRIES)).contains(&n) => {
                        out.retry.max_retries = n as u32
                    }
                    Some(_) => issues.push(path, "must be a whole number from 0 (no retries) to 10"),
                    None => issues.got(path, "must be a number", x.kind()),
                },
                Rule::RetryBaseDelayMs => {
                    if let Some(ms) = milliseconds(&x, path, issues) {
                        out.retry.base_delay_ms = ms;
                    }
                }
                Rule::RetryMaxDelayMs => {
                    if let Some(ms) = milliseconds(&x, path, issues) {
                        out.retry.max_delay_ms = ms;
                    }
                }
                Rule::OnRetry => out.on_retry = function(x, path, "must be a function", issues),
                Rule::ClientRequestId => match x.string() {
                    Some(s) if is_guid(&s) => out.client_request_id = Some(s.into()),
                    Some(_) => issues.push(path, "must be a GUID (Graph logs it to correlate the call)"),
                    None => issues.got(path, "must be a GUID string", x.kind()),
                },
                Rule::TenantId => out.tenant_id = crate::tenant::tenant_id(&x, path, issues),
                Rule::Signal => {
                    let is_signal = x.kind() == Kind::Object
                        && x.get("aborted").map(|a| a.kind()) == Some(Kind::Bool)
                        && x.get("addEventListener").map(|a| a.kind()) == Some(Kind::Function);
                    if is_signal {
                        out.signal = Some(x);
                    } else {
                        issues.got(path, "must be an AbortSignal", x.kind());
                    }
                }
                Rule::Fetch => out.fetch = function(x, path, "must be a fetch function", issues),
                Rule::Top => match x.number() {
                    Some(n) if is_whole(n) && (1.0..=999.0).contains(&n) => self.own.query.top = Some(n as u32),
                    _ => issues.push(path, "must be a whole number from 1 to 999 (Graph's $top)"),
                },
                Rule::Select => select(&x, path, &mut self.own.query.select, issues),
                Rule::Filter => match x.string() {
                    Some(s) if !crate::text::is_blank(&s) && !s.chars().any(char::is_control) => {
                        self.own.query.filter = Some(s.into())
                    }
                    _ => issues.push(path, "must be an OData filter expression (Graph's $filter), a non-empty string"),
                },
                Rule::Concurrency => {
                    let n = x.number();
                    if !n.is_some_and(|n| is_whole(n) && (1.0..=32.0).contains(&n)) {
                        issues.push(path, "must be a whole number from 1 to 32");
                    }
                    if let Some(n) = n {
                        self.own.spread.0 = n as u32;
                    }
                }
                Rule::OnProgress => {
                    function(x, path, "must be a function", issues);
                }
                Rule::Pace(count, intune) => {
                    if let Some((n, per_ms)) = pace(&x, path, count, intune, issues) {
                        self.own.spread.1 = n;
                        self.own.spread.2 = per_ms;
                    }
                }
            }
        }
        // After both delays are read, whether either was given.
        if rule == Rule::RetryMaxDelayMs && out.retry.max_delay_ms < out.retry.base_delay_ms {
            issues.push(field_path("options", "retryMaxDelayMs"), "must not be less than retryBaseDelayMs");
        }
    }
}

/// `$select`: property names, as an array or a comma-separated string. Each name is read
/// straight into `select`; an array's non-strings and a string's empty parts are not names, and
/// neither is another kind of value.
fn select<V: JsonView>(x: &V, path: &str, select: &mut Vec<String>, issues: &mut Issues) {
    let mut ok = true;
    let mut add = |name: Option<&str>| match name {
        Some(n) if is_property_name(n) => select.push(n.to_owned()),
        _ => ok = false,
    };
    match x.kind() {
        Kind::String => {
            for p in crate::text::split(x.string().as_deref().unwrap_or_default(), b',') {
                add(Some(crate::text::trim(p)));
            }
        }
        Kind::Array => {
            for i in 0..x.len() {
                add(x.at(i).and_then(|p| p.string()).as_deref());
            }
        }
        _ => ok = false,
    }
    if !ok || select.is_empty() {
        issues.push(path, "must be property names (Graph's $select), as an array or a comma-separated string");
    }
}

pub const LIST_OPTION_NAMES: [&str; 3] = names(&LIST_OPTIONS);

/// A property name as `$select` takes it: ASCII letters and digits. (Byte by byte: a byte of a
/// non-ASCII character is never one of them, so no character need be decoded.)
fn is_property_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A function option (`onRetry`, `fetch`, `onProgress`).
fn function<V: JsonView>(x: V, path: &str, must: &str, issues: &mut Issues) -> Option<V> {
    if x.kind() == Kind::Function {
        return Some(x);
    }
    issues.got(path, must, x.kind());
    None
}

/// A duration option: a finite number of milliseconds, at least 1 and at most what a JavaScript
/// timer can wait (a longer one would fire at once in Node).
fn milliseconds<V: JsonView>(t: &V, path: &str, issues: &mut Issues) -> Option<f64> {
    match t.number() {
        Some(n) if (1.0..=MAX_TIMER_MS).contains(&n) => return Some(n),
        Some(_) => issues.push(path, "must be a number of milliseconds from 1 to 2147483647 (about 24 days)"),
        None => issues.got(path, "must be a number", t.kind()),
    }
    None
}

/// `assignMany`'s own options, beside those of every call.
pub const BULK_OPTION_NAMES: [&str; 3] = names(&BULK_OPTIONS);

/// The options of `assignMany`: those of every call, plus its own ([`bulk_options`]).
pub fn assign_many_options<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, Spread)> {
    read_options(v, OptionSet::AssignMany, issues).map(|(o, own)| (o, own.writes()))
}

/// `assignMany`'s own options: `concurrency` (1 to 32), `onProgress` (a function) and
/// `writeLimit` (`{ writes, perMs }`, the pace to keep under).
pub fn bulk_options<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Spread {
    let mut read = Read::new(&BULK_OPTIONS);
    if let Some(v) = v.filter(|v| v.kind() == Kind::Object) {
        for (name, rule) in BULK_OPTIONS {
            read.option(v, name, rule, issues);
        }
    }
    read.own.writes()
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
pub const MANY_OPTION_NAMES: [&str; 3] = names(&MANY_OPTIONS);

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

/// A pace option, `{ <count>, perMs }` (`writeLimit: { writes, perMs }`): whole numbers.
fn pace<V: JsonView>(w: &V, path: &str, count: &str, intune: u32, issues: &mut Issues) -> Option<(u32, f64)> {
    let whole = |field: &str| {
        w.get(field).and_then(|n| n.number()).filter(|&n| is_whole(n) && (1.0..=MAX_TIMER_MS).contains(&n))
    };
    match (w.kind(), whole(count), whole("perMs")) {
        (Kind::Object, Some(n), Some(per_ms)) => {
            unknown_properties(w, path, &[count, "perMs"], &[], issues);
            Some((n as u32, per_ms))
        }
        _ => {
            let example = joined(&[
                "must be { ",
                count,
                ", perMs }: whole numbers, like { ",
                count,
                ": ",
                &decimal(intune as usize),
                // INTUNE_WINDOW_MS as written: formatting it here would cost the wasm bytes for a
                // number that never changes at run time (tests/facts.rs checks the two agree).
                ", perMs: 20000 } (Intune's limit)",
            ]);
            issues.push(path, example);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_of_every_call_has_its_rule() {
        let mut checked: Vec<&str> = EVERY_CALL.iter().map(|(name, _)| *name).collect();
        let mut named = OPTION_NAMES.to_vec();
        checked.sort_unstable();
        named.sort_unstable();
        assert_eq!(checked, named);
    }
}
