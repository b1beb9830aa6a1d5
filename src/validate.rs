//! The input rules of a call. Every problem is collected, each with the path of the value it is
//! about, so one `ValidationError` tells the caller everything to fix; nothing is sent until the
//! list is empty.

use crate::activation_code::{is_iccid, is_matching_id, is_smdp_address, ICCID_RULE, MATCHING_ID_RULE, SMDP_RULE};
use crate::error::Issue;
use crate::guid::is_guid;
use crate::json::{decimal, is_whole, JsonView, Kind};
use crate::model::{
    without_hash, AssignmentFilter, DeviceAndAppManagementAssignmentFilterType as FilterType,
    DeviceAndAppManagementAssignmentTarget as Target, EmbeddedSimActivationCode,
    EmbeddedSimActivationCodePoolAssignment, NewPool, TargetKind,
};
use crate::pace::{INTUNE_REQUESTS, INTUNE_WINDOW_MS, INTUNE_WRITES};
use crate::prelude::*;
use crate::repeats::{repeats, repeats_in, sorted};
use crate::request::ListQuery;
use crate::retry::{RetryPolicy, MAX_RETRIES, MAX_TIMER_MS};
use crate::target_key::{FILTER_ID, FILTER_TYPE, ZERO_FILTER_ID};
use crate::url::BaseUrl;

/// Collects issues while walking the input.
#[derive(Debug, Default)]
pub struct Issues(pub Vec<Issue>);

impl Issues {
    pub fn push(&mut self, path: &str, message: impl Into<String>) {
        self.0.push(Issue::new(path, message));
    }

    /// Puts `prefix` in front of the paths of the issues from the `first`th on. A part checked
    /// with paths relative to itself gets its full path this way, built only when it has problems
    /// (most calls have none, and a large call has thousands of parts).
    pub fn within(&mut self, first: usize, prefix: impl FnOnce() -> String) {
        if self.0.len() > first {
            let prefix = prefix();
            for issue in self.0.iter_mut().skip(first) {
                issue.path.insert_str(0, &prefix);
            }
        }
    }
}

fn got(kind: Kind) -> String {
    ["got ", kind.described()].concat()
}

/// `poolId`: a GUID, which is also all that can ever reach the URL path.
pub fn pool_id<V: JsonView>(v: Option<&V>, path: &str, issues: &mut Issues) -> Option<String> {
    match v.map(|v| (v.kind(), v.string())) {
        Some((_, Some(s))) if is_guid(&s) => Some(s.into()),
        Some((_, Some(s))) if s.is_empty() => {
            issues.push(path, "must be the pool's id (a GUID), got an empty string");
            None
        }
        Some((_, Some(_))) => {
            issues.push(path, "must be a GUID like e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7");
            None
        }
        Some((kind, None)) => {
            issues.push(path, ["must be a GUID string, ", &got(kind)].concat());
            None
        }
        None => {
            issues.push(path, "is required: the pool's id, a GUID");
            None
        }
    }
}

/// The access token as given in a string: a leading `Bearer ` is tolerated and dropped.
/// The message never quotes the token.
pub fn token_string(raw: &str) -> Result<String, &'static str> {
    let token = match raw.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => raw.get(7..).unwrap_or(""),
        _ => raw,
    };
    if token.is_empty() {
        return Err("must not be empty");
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain whitespace or control characters (is it a whole token?)");
    }
    Ok(token.to_owned())
}

/// Where the access token comes from.
#[derive(Debug, Clone)]
pub enum TokenSource<V> {
    Literal(String),
    /// A function returning a token or a promise of one (MSAL's `acquireTokenSilent` in a closure).
    Function(V),
    /// An `@azure/identity` TokenCredential: an object with `getToken(scopes)`.
    Credential(V),
}

pub fn token<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<TokenSource<V>> {
    const KINDS: &str = "a string, a function returning one, or a TokenCredential with getToken()";
    let v = match v {
        Some(v) => v,
        None => {
            issues.push("token", ["is required: ", KINDS].concat());
            return None;
        }
    };
    match v.kind() {
        Kind::String => match token_string(v.string().as_deref().unwrap_or_default()) {
            Ok(t) => Some(TokenSource::Literal(t)),
            Err(m) => {
                issues.push("token", m);
                None
            }
        },
        Kind::Function => Some(TokenSource::Function(v.clone())),
        Kind::Object if v.get("getToken").map(|g| g.kind()) == Some(Kind::Function) => {
            Some(TokenSource::Credential(v.clone()))
        }
        kind => {
            issues.push("token", ["must be ", KINDS, ", ", &got(kind)].concat());
            None
        }
    }
}

/// The options every call takes.
#[derive(Debug, Clone)]
pub struct Options<V> {
    pub base_url: BaseUrl,
    pub timeout_ms: Option<f64>,
    pub client_request_id: Option<String>,
    /// An AbortSignal (checked for its shape only; the shell uses it).
    pub signal: Option<V>,
    /// A fetch function to use instead of the global one.
    pub fetch: Option<V>,
    pub retry: RetryPolicy,
    /// Called before each wait between retries.
    pub on_retry: Option<V>,
}

pub const OPTION_NAMES: [&str; 9] = [
    "baseUrl",
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
    options_with(v, &[], issues)
}

/// The options of a list call: the common ones, plus `top`, `select` and `filter`.
pub fn list_options<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, ListQuery)> {
    let before = issues.0.len();
    let options = options_with(v, &LIST_OPTION_NAMES, issues);
    let mut query = ListQuery::default();
    let v = v.filter(|v| v.kind() == Kind::Object);
    if let Some(t) = v.and_then(|v| v.get("top")) {
        match t.number() {
            Some(n) if is_whole(n) && (1.0..=999.0).contains(&n) => query.top = Some(n as u32),
            _ => issues.push("options.top", "must be a whole number from 1 to 999 (Graph's $top)"),
        }
    }
    if let Some(sel) = v.and_then(|v| v.get("select")) {
        let names: Vec<Option<String>> = match sel.kind() {
            Kind::String => {
                sel.string().map(|s| s.split(',').map(|p| Some(p.trim().to_owned())).collect()).unwrap_or_default()
            }
            Kind::Array => (0..sel.len()).map(|i| sel.at(i).and_then(|p| p.string()).map(Into::into)).collect(),
            _ => vec![None],
        };
        let ok = !names.is_empty()
            && names
                .iter()
                .all(|n| n.as_ref().is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric())));
        if ok {
            query.select = names.into_iter().flatten().collect();
        } else {
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
    match options {
        Some(o) if issues.0.len() == before => Some((o, query)),
        _ => None,
    }
}

pub const LIST_OPTION_NAMES: [&str; 3] = ["top", "select", "filter"];

fn options_with<V: JsonView>(v: Option<&V>, extra: &[&str], issues: &mut Issues) -> Option<Options<V>> {
    let mut out = Options {
        base_url: BaseUrl::graph(),
        timeout_ms: None,
        client_request_id: None,
        signal: None,
        fetch: None,
        retry: RetryPolicy::default(),
        on_retry: None,
    };
    let v = match v {
        None => return Some(out),
        Some(v) if v.kind() == Kind::Null => return Some(out),
        Some(v) if v.kind() != Kind::Object => {
            issues.push("options", ["must be an object, ", &got(v.kind())].concat());
            return None;
        }
        Some(v) => v,
    };
    let before = issues.0.len();
    let known: Vec<&str> = OPTION_NAMES.iter().chain(extra).copied().collect();
    unknown_properties(v, "options", &known, &[], issues);
    if let Some(b) = v.get("baseUrl") {
        match b.string() {
            Some(s) => match BaseUrl::parse(&s) {
                Ok(url) => out.base_url = url,
                Err(m) => issues.push("options.baseUrl", m),
            },
            None => issues.push("options.baseUrl", ["must be a string, ", &got(b.kind())].concat()),
        }
    }
    out.timeout_ms = milliseconds(v, "timeoutMs", issues);
    if let Some(n) = v.get("maxRetries") {
        match n.number() {
            Some(n) if is_whole(n) && (0.0..=f64::from(MAX_RETRIES)).contains(&n) => out.retry.max_retries = n as u32,
            Some(_) => issues.push("options.maxRetries", "must be a whole number from 0 (no retries) to 10"),
            None => issues.push("options.maxRetries", ["must be a number, ", &got(n.kind())].concat()),
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
            issues.push("options.onRetry", ["must be a function, ", &got(f.kind())].concat());
        }
    }
    if let Some(c) = v.get("clientRequestId") {
        match c.string() {
            Some(s) if is_guid(&s) => out.client_request_id = Some(s.into()),
            Some(_) => issues.push("options.clientRequestId", "must be a GUID (Graph logs it to correlate the call)"),
            None => issues.push("options.clientRequestId", ["must be a GUID string, ", &got(c.kind())].concat()),
        }
    }
    if let Some(s) = v.get("signal") {
        let is_signal = s.kind() == Kind::Object
            && s.get("aborted").map(|a| a.kind()) == Some(Kind::Bool)
            && s.get("addEventListener").map(|a| a.kind()) == Some(Kind::Function);
        if is_signal {
            out.signal = Some(s);
        } else {
            issues.push("options.signal", ["must be an AbortSignal, ", &got(s.kind())].concat());
        }
    }
    if let Some(f) = v.get("fetch") {
        if f.kind() == Kind::Function {
            out.fetch = Some(f);
        } else {
            issues.push("options.fetch", ["must be a fetch function, ", &got(f.kind())].concat());
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
        None => issues.push(&path, ["must be a number, ", &got(t.kind())].concat()),
    }
    None
}

const ASSIGNMENT_PROPERTIES: [&str; 3] = ["@odata.type", "id", "target"];

/// `assignments`: the whole new set of the pool's assignments (an empty array removes them all).
pub fn assignments<V: JsonView>(
    v: Option<&V>,
    issues: &mut Issues,
) -> Option<Vec<EmbeddedSimActivationCodePoolAssignment>> {
    let v = match v {
        Some(v) if v.kind() == Kind::Array => v,
        Some(v) => {
            issues.push("assignments", ["must be an array of assignments, ", &got(v.kind())].concat());
            return None;
        }
        None => {
            issues
                .push("assignments", "is required: an array of assignments ([] removes every assignment of the pool)");
            return None;
        }
    };
    let before = issues.0.len();
    let mut out = Vec::with_capacity(v.len());
    for i in 0..v.len() {
        let first = issues.0.len();
        let a = assignment(v.at(i), issues);
        issues.within(first, || ["assignments[", &decimal(i), "]"].concat());
        if let Some(a) = a {
            out.push((i, a));
        }
    }
    conflicts(&out.iter().map(|(i, a)| (*i, &a.target)).collect::<Vec<_>>(), "assignments", ".target", issues);
    (issues.0.len() == before).then(|| out.into_iter().map(|(_, a)| a).collect())
}

/// One assignment; the paths of its issues start at the assignment (".target.groupId").
fn assignment<V: JsonView>(v: Option<V>, issues: &mut Issues) -> Option<EmbeddedSimActivationCodePoolAssignment> {
    let v = match v {
        Some(v) if v.kind() == Kind::Object => v,
        other => {
            let kind = other.map_or("undefined", |o| o.kind().described());
            issues.push("", ["must be an object with a target, got ", kind].concat());
            return None;
        }
    };
    unknown_properties(&v, "", &ASSIGNMENT_PROPERTIES, &[], issues);
    let mut ok = true;
    let odata_type = if own_odata_type(
        &v,
        EmbeddedSimActivationCodePoolAssignment::ODATA_TYPE,
        "",
        "must be #microsoft.graph.embeddedSIMActivationCodePoolAssignment, or left out",
        issues,
    ) {
        v.get("@odata.type").and_then(|t| t.string()).map(Into::into)
    } else {
        ok = false;
        None
    };
    let id = optional_string(&v, "id", "", issues, &mut ok);
    let target = match v.get("target") {
        None => {
            issues.push(".target", "is required: who the pool is assigned to");
            None
        }
        Some(t) => target(&t, ".target", issues),
    };
    match (ok, target) {
        (true, Some(target)) => Some(EmbeddedSimActivationCodePoolAssignment { odata_type, id, target }),
        _ => None,
    }
}

/// An object's own `@odata.type`, which a caller may leave out: when given, it must name
/// `expected`, with or without the `#` (Graph's docs write both), or `message` is its issue.
/// Whether it is acceptable. (The message is whole at each call, not built from `expected`: a
/// built one costs more wasm than the three literals.)
fn own_odata_type<V: JsonView>(v: &V, expected: &str, path: &str, message: &str, issues: &mut Issues) -> bool {
    match v.get("@odata.type") {
        Some(t) if t.string().map_or(true, |s| without_hash(&s) != without_hash(expected)) => {
            issues.push(&[path, ".@odata.type"].concat(), message);
            false
        }
        _ => true,
    }
}

/// An optional string property; `null` counts as absent, as Graph returns unset values as null.
fn optional_string<V: JsonView>(v: &V, name: &str, path: &str, issues: &mut Issues, ok: &mut bool) -> Option<String> {
    let p = v.get(name)?;
    match p.kind() {
        Kind::Null => None,
        Kind::String => p.string().map(Into::into),
        kind => {
            issues.push(&[path, ".", name].concat(), ["must be a string, ", &got(kind)].concat());
            *ok = false;
            None
        }
    }
}

pub fn target<V: JsonView>(v: &V, path: &str, issues: &mut Issues) -> Option<Target> {
    if v.kind() != Kind::Object {
        issues.push(path, ["must be an object with an @odata.type, ", &got(v.kind())].concat());
        return None;
    }
    let type_path = || [path, ".@odata.type"].concat();
    let kind = match v.get("@odata.type").map(|t| (t.kind(), t.string())) {
        Some((_, Some(s))) => match TargetKind::from_odata_type(&s) {
            Some(k) => k,
            None => {
                issues.push(&type_path(), unknown_kind_message(&s));
                return None;
            }
        },
        Some((kind, None)) => {
            issues.push(&type_path(), ["must be a string, ", &got(kind)].concat());
            return None;
        }
        None => {
            issues.push(&type_path(), unknown_kind_message(""));
            return None;
        }
    };
    // Fixed arrays, not vectors: this runs for every assignment of a call.
    let (known, others): (&[&str], &[&str]) = match kind.id_property() {
        Some("groupId") => (&["@odata.type", FILTER_ID, FILTER_TYPE, "groupId"], &["collectionId"]),
        Some(_) => (&["@odata.type", FILTER_ID, FILTER_TYPE, "collectionId"], &["groupId"]),
        None => (&["@odata.type", FILTER_ID, FILTER_TYPE], &["groupId", "collectionId"]),
    };
    unknown_properties(v, path, known, others, issues);

    let mut ok = true;
    let mut id = String::new();
    if let Some(name) = kind.id_property() {
        let id_path = || [path, ".", name].concat();
        match v.get(name).map(|p| (p.kind(), p.string())) {
            Some((_, Some(s))) if name == "groupId" && !is_guid(&s) => {
                issues.push(&id_path(), "must be the Entra ID group's object id, a GUID");
                ok = false;
            }
            Some((_, Some(s))) if s.trim().is_empty() => {
                issues.push(&id_path(), "must be a non-empty collection id");
                ok = false;
            }
            Some((_, Some(s))) => id = s.into(),
            Some((k, None)) => {
                issues.push(&id_path(), ["must be a string, ", &got(k)].concat());
                ok = false;
            }
            None => {
                issues.push(&id_path(), ["is required for ", kind.odata_type()].concat());
                ok = false;
            }
        }
    }
    let filter = filter(v, path, issues, &mut ok);
    ok.then(|| Target::new(kind, id, filter))
}

fn unknown_kind_message(s: &str) -> String {
    let mut m = String::from(if s.is_empty() {
        "is required: one of "
    } else {
        "is not a target kind this call takes; use one of "
    });
    for (i, k) in TargetKind::ALL.into_iter().skip(1).enumerate() {
        if i > 0 {
            m.push_str(", ");
        }
        m.push_str(k.odata_type());
    }
    if let Some(near) = closest(without_hash(s), TargetKind::ALL.map(|k| without_hash(k.odata_type())).as_slice()) {
        m.push_str(" (did you mean #");
        m.push_str(near);
        m.push_str("?)");
    }
    m
}

fn filter<V: JsonView>(v: &V, path: &str, issues: &mut Issues, ok: &mut bool) -> AssignmentFilter {
    let id = optional_string(v, FILTER_ID, path, issues, ok);
    let type_path = || [path, ".", FILTER_TYPE].concat();
    let filter_type = match v.get(FILTER_TYPE) {
        None => None,
        Some(t) if t.kind() == Kind::Null => None,
        Some(t) => {
            let s = t.string();
            let s = s.as_deref().unwrap_or_default();
            let found = FilterType::ALL.into_iter().find(|f| f.as_str() == s);
            if found.is_none() {
                issues.push(&type_path(), "must be none, include or exclude");
                *ok = false;
                // The pairing rules below would only repeat this problem.
                return AssignmentFilter { id, filter_type: None };
            }
            found
        }
    };
    let id_path = || [path, ".", FILTER_ID].concat();
    // Intune answers "no filter" as the zero id with `none`: a caller who pastes that back means
    // no filter, but the zero id cannot be the filter that `include` or `exclude` applies.
    let zero = id.as_deref() == Some(ZERO_FILTER_ID);
    match (&id, filter_type) {
        (Some(id), _) if !is_guid(id) => {
            issues.push(&id_path(), "must be the assignment filter's id, a GUID");
            *ok = false;
        }
        (Some(_), Some(FilterType::Include | FilterType::Exclude)) if zero => {
            issues.push(
                &id_path(),
                "is the zero id, which Graph writes for no filter: give a real assignment filter's id with include or exclude, or set the filter type to none",
            );
            *ok = false;
        }
        (Some(_), None | Some(FilterType::None)) if zero => {}
        (None, Some(FilterType::Include | FilterType::Exclude)) => {
            issues.push(&id_path(), "is required when the filter type is include or exclude");
            *ok = false;
        }
        (Some(_), None | Some(FilterType::None)) => {
            issues.push(
                &type_path(),
                "must be include or exclude when a filter id is given (otherwise the filter is ignored)",
            );
            *ok = false;
        }
        _ => {}
    }
    AssignmentFilter { id, filter_type }
}

/// Reports every property not in `known`, naming the closest known one: Graph silently ignores
/// a misspelt property, which would assign to nobody. `other_kinds` are properties that exist,
/// but on another target kind.
fn unknown_properties<V: JsonView>(v: &V, path: &str, known: &[&str], other_kinds: &[&str], issues: &mut Issues) {
    if v.has_only(known) {
        return;
    }
    for key in v.keys() {
        if known.contains(&key.as_str()) || v.get(&key).is_none() {
            continue;
        }
        let mut m = if other_kinds.contains(&key.as_str()) {
            String::from("is not a property of this target kind")
        } else {
            String::from("is not a known property")
        };
        if let Some(near) = closest(&key, known) {
            m.push_str("; did you mean ");
            m.push_str(near);
            m.push('?');
        }
        let p = if key.chars().all(|c| c.is_ascii_alphanumeric()) {
            [path, ".", &key].concat()
        } else {
            [path, "[\"", &key.replace('"', "\\\""), "\"]"].concat()
        };
        issues.push(&p, m);
    }
}

/// The known name nearest to `s` (case-insensitive edit distance), if it is near enough to be a
/// likely typo.
pub fn closest<'a>(s: &str, known: &[&'a str]) -> Option<&'a str> {
    let s = s.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (distance(&s, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = i;
        let mut next = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let up = row.get(j + 1).copied().unwrap_or(usize::MAX - 1);
            let left = next.last().copied().unwrap_or(usize::MAX - 1);
            next.push((prev + cost).min(up + 1).min(left + 1));
            prev = up;
        }
        row = next;
    }
    row.last().copied().unwrap_or(0)
}

/// The same target twice, or one group both included and excluded: Graph's answer to either is
/// undefined, and both are almost always a mistake in the caller's list. The one check for
/// `assign`'s assignments and for the targets of `addAssignments`/`removeAssignments`:
/// `targets` pairs each valid target with its index in the caller's `list` (for the paths), and
/// `suffix` is what follows `list[i]` in an issue's path (".target" for an assignment).
pub fn conflicts(targets: &[(usize, &Target)], list: &str, suffix: &str, issues: &mut Issues) {
    let at = |n: usize| targets.get(n).map_or(0, |(i, _)| *i);
    let mut found: Vec<Vec<String>> = vec![Vec::new(); targets.len()];
    let mut note = |n: usize, message: String| {
        if let Some(f) = found.get_mut(n) {
            f.push(message);
        }
    };
    // Every target's key, computed and sorted once for both checks.
    let keys = sorted(targets.iter().map(|(_, t)| Some(t.key())).collect());
    for (n, first) in repeats_in(&keys, targets.len()) {
        note(n, ["is the same target as ", list, "[", &decimal(at(first)), "]"].concat());
    }
    // A group both included and excluded: a target whose opposite key an earlier one holds.
    for (n, (_, t)) in targets.iter().enumerate() {
        let Some(opposite) = t.opposite_key() else { continue };
        // Sorted by key, then index: the run's first entry is the earliest target with that key.
        let run = keys.partition_point(|(k, _)| k.as_str() < opposite.as_str());
        let earliest = keys.get(run).filter(|(k, _)| *k == opposite).map(|(_, i)| *i);
        if let Some(o) = earliest.filter(|o| *o < n) {
            let message = [
                "names a group that ",
                list,
                "[",
                &decimal(at(o)),
                "] also names: a group cannot be both included and excluded",
            ];
            note(n, message.concat());
        }
    }
    for (n, messages) in found.into_iter().enumerate() {
        for message in messages {
            issues.push(&[list, "[", &decimal(at(n)), "]", suffix].concat(), message);
        }
    }
}

const POOL_PROPERTIES: [&str; 3] = ["@odata.type", "displayName", "activationCodes"];
// `@odata.type` too: Graph's own createPool example writes it on every code.
const CODE_PROPERTIES: [&str; 4] =
    ["@odata.type", "integratedCircuitCardIdentifier", "matchingIdentifier", "smdpPlusServerAddress"];

/// `createPool`'s pool: a display name and activation codes that each match Graph's patterns,
/// with no ICCID twice. Every bad row is reported with its index.
pub fn new_pool<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<NewPool> {
    let v = match v {
        Some(v) if v.kind() == Kind::Object => v,
        other => {
            let kind = other.map_or("undefined", |o| o.kind().described());
            issues.push("pool", ["must be an object with displayName and activationCodes, got ", kind].concat());
            return None;
        }
    };
    let before = issues.0.len();
    unknown_properties(v, "pool", &POOL_PROPERTIES, &[], issues);
    let message = "must be #microsoft.graph.embeddedSIMActivationCodePool, or left out";
    own_odata_type(v, NewPool::ODATA_TYPE, "pool", message, issues);
    let display_name =
        display_name(v, "pool.displayName", "is required: the pool's name in Intune", issues).unwrap_or_default();
    let codes = match v.get("activationCodes") {
        Some(list) if list.kind() == Kind::Array => list,
        Some(other) => {
            issues
                .push("pool.activationCodes", ["must be an array of activation codes, ", &got(other.kind())].concat());
            return None;
        }
        None => {
            issues.push("pool.activationCodes", "is required: the pool's activation codes");
            return None;
        }
    };
    let mut activation_codes = Vec::with_capacity(codes.len());
    for i in 0..codes.len() {
        let path = ["pool.activationCodes[", &decimal(i), "]"].concat();
        let Some(code) = codes.at(i).filter(|c| c.kind() == Kind::Object) else {
            issues.push(
                &path,
                "must be an object with integratedCircuitCardIdentifier, matchingIdentifier and smdpPlusServerAddress",
            );
            continue;
        };
        unknown_properties(&code, &path, &CODE_PROPERTIES, &[], issues);
        let message = "must be #microsoft.graph.embeddedSIMActivationCode, or left out";
        own_odata_type(&code, EmbeddedSimActivationCode::ODATA_TYPE, &path, message, issues);
        // An empty ICCID or address given as "" breaks the rules as a missing one does (a
        // MatchingID may be empty).
        let field = |name: &str, issues: &mut Issues| match code.get(name).map(|f| (f.kind(), f.string())) {
            Some((_, Some(s))) if s.is_empty() && name != "matchingIdentifier" => {
                issues.push(&[path.as_str(), ".", name].concat(), "must not be empty");
                String::new()
            }
            Some((_, Some(s))) => s.into(),
            Some((k, None)) => {
                issues.push(&[path.as_str(), ".", name].concat(), ["must be a string, ", &got(k)].concat());
                String::new()
            }
            None => {
                issues.push(&[path.as_str(), ".", name].concat(), "is required");
                String::new()
            }
        };
        let c = EmbeddedSimActivationCode {
            integrated_circuit_card_identifier: field("integratedCircuitCardIdentifier", issues),
            matching_identifier: field("matchingIdentifier", issues),
            smdp_plus_server_address: field("smdpPlusServerAddress", issues),
        };
        for (name, rule) in activation_code_problems(&c) {
            issues.push(&[path.as_str(), ".", name].concat(), rule);
        }
        activation_codes.push(c);
    }
    for (i, dup) in duplicate_iccids(&activation_codes) {
        issues.push(
            &["pool.activationCodes[", &decimal(i), "].integratedCircuitCardIdentifier"].concat(),
            ["is the same ICCID as activationCodes[", &decimal(dup), "]"].concat(),
        );
    }
    (issues.0.len() == before).then_some(NewPool { display_name, activation_codes })
}

/// The fields of `c` that break the metadata's patterns, each with its rule. Empty fields that
/// were missing altogether are reported by the caller, not again here.
pub fn activation_code_problems(c: &EmbeddedSimActivationCode) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if !c.integrated_circuit_card_identifier.is_empty() && !is_iccid(&c.integrated_circuit_card_identifier) {
        out.push(("integratedCircuitCardIdentifier", ICCID_RULE));
    }
    if !is_matching_id(&c.matching_identifier) {
        out.push(("matchingIdentifier", MATCHING_ID_RULE));
    }
    if !c.smdp_plus_server_address.is_empty() && !is_smdp_address(&c.smdp_plus_server_address) {
        out.push(("smdpPlusServerAddress", SMDP_RULE));
    }
    out
}

/// `(index, index of its first occurrence)` for each ICCID seen before in `codes`.
pub fn duplicate_iccids(codes: &[EmbeddedSimActivationCode]) -> Vec<(usize, usize)> {
    repeats(
        codes.iter().map(|c| Some(c.integrated_circuit_card_identifier.clone()).filter(|s| !s.is_empty())).collect(),
    )
}

/// `assignMany`'s pool ids: an array of GUIDs, none twice.
pub fn pool_ids<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<Vec<String>> {
    let list = match v {
        Some(l) if l.kind() == Kind::Array => l,
        other => {
            let kind = other.map_or("undefined", |o| o.kind().described());
            issues.push("poolIds", ["must be an array of pool ids, got ", kind].concat());
            return None;
        }
    };
    let before = issues.0.len();
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for i in 0..list.len() {
        let path = ["poolIds[", &decimal(i), "]"].concat();
        out.push(pool_id(list.at(i).as_ref(), &path, issues).unwrap_or_default());
    }
    for (i, first) in repeats(out.iter().map(|id| Some(id.to_ascii_lowercase()).filter(|id| !id.is_empty())).collect())
    {
        issues.push(
            &["poolIds[", &decimal(i), "]"].concat(),
            ["is the same pool as poolIds[", &decimal(first), "]"].concat(),
        );
    }
    (issues.0.len() == before).then_some(out)
}

/// `assignMany`'s own options, beside those of every call.
pub const BULK_OPTION_NAMES: [&str; 3] = ["concurrency", "onProgress", "writeLimit"];

/// The options of `assignMany`: those of every call, plus its own ([`bulk_options`]).
pub fn assign_many_options<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, Spread)> {
    let before = issues.0.len();
    let options = options_with(v, &BULK_OPTION_NAMES, issues);
    let spread = bulk_options(v, issues);
    options.filter(|_| issues.0.len() == before).map(|o| (o, spread))
}

/// `assignMany`'s own options: `concurrency` (1 to 32), `onProgress` (a function) and
/// `writeLimit` (`{ writes, perMs }`, the pace to keep under).
pub fn bulk_options<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Spread {
    let mut spread = Spread::default();
    let Some(v) = v.filter(|v| v.kind() == Kind::Object) else { return spread };
    concurrency_and_progress(v, issues);
    spread.concurrency = v.get("concurrency").and_then(|c| c.number()).map_or(spread.concurrency, |n| n as u32);
    if let Some((writes, per_ms)) = limit(v, "writeLimit", "writes", INTUNE_WRITES, issues) {
        spread.writes = writes;
        spread.per_ms = per_ms;
    }
    spread
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
    let before = issues.0.len();
    let options = options_with(v, &MANY_OPTION_NAMES, issues);
    let mut many = Many::default();
    if let Some(v) = v.filter(|v| v.kind() == Kind::Object) {
        concurrency_and_progress(v, issues);
        many.concurrency = v.get("concurrency").and_then(|c| c.number()).map_or(many.concurrency, |n| n as u32);
        if let Some((requests, per_ms)) = limit(v, "readLimit", "requests", INTUNE_REQUESTS, issues) {
            many.limit = requests;
            many.per_ms = per_ms;
        }
    }
    match options {
        Some(o) if issues.0.len() == before => Some((o, many)),
        _ => None,
    }
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
            issues.push("options.onProgress", ["must be a function, ", &got(f.kind())].concat());
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

/// `updatePool`'s changes: only `displayName` may change, by the same rule as `createPool`'s. Any
/// other property is refused by name: Graph would ignore some silently.
pub fn pool_update<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<String> {
    let v = match v {
        Some(v) if v.kind() == Kind::Object => v,
        other => {
            let kind = other.map_or("undefined", |o| o.kind().described());
            issues.push("changes", ["must be an object like { displayName }, got ", kind].concat());
            return None;
        }
    };
    let before = issues.0.len();
    for key in v.keys() {
        if key != "displayName" && v.get(&key).is_some() {
            issues.push(&["changes.", &key].concat(), "cannot be changed: updatePool changes only displayName");
        }
    }
    let name = display_name(v, "changes.displayName", "is required: the pool's new name", issues);
    name.filter(|_| issues.0.len() == before)
}

/// A pool's `displayName`, for `createPool` and `updatePool` alike: a string that is not blank.
/// Graph documents no length or character rule, so none is made up here.
fn display_name<V: JsonView>(v: &V, path: &str, required: &str, issues: &mut Issues) -> Option<String> {
    match v.get("displayName").map(|d| (d.kind(), d.string())) {
        Some((_, Some(s))) if !s.trim().is_empty() => Some(s.into()),
        Some((_, Some(_))) => {
            issues.push(path, "must not be empty");
            None
        }
        Some((k, None)) => {
            issues.push(path, ["must be a string, ", &got(k)].concat());
            None
        }
        None => {
            issues.push(path, required);
            None
        }
    }
}

/// A kind of options: those of every call, or those and an operation's own (`Extra`).
pub trait OptionsKind {
    type Extra;
    fn read<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, Self::Extra)>;
}

/// The options every call takes, and no others.
pub struct EveryCall;

impl OptionsKind for EveryCall {
    type Extra = ();
    fn read<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, ())> {
        options(v, issues).map(|o| (o, ()))
    }
}

/// A list's: every call's, and Graph's query options.
pub struct ListCall;

impl OptionsKind for ListCall {
    type Extra = ListQuery;
    fn read<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, ListQuery)> {
        list_options(v, issues)
    }
}

/// The batched reads': every call's, `concurrency`, `onProgress` and `readLimit`.
pub struct ManyCall;

impl OptionsKind for ManyCall {
    type Extra = Many;
    fn read<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, Many)> {
        many_options(v, issues)
    }
}

/// `assignMany`'s: every call's, `concurrency`, `onProgress` and `writeLimit`.
pub struct AssignManyCall;

impl OptionsKind for AssignManyCall {
    type Extra = Spread;
    fn read<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<(Options<V>, Spread)> {
        assign_many_options(v, issues)
    }
}

/// A call whose every argument passed.
#[derive(Debug, Clone)]
pub struct Checked<T, V, E> {
    /// The operation's own arguments, as its checks made them.
    pub own: T,
    /// `None` for the one operation that takes no token (`previewAssign`).
    pub token: Option<TokenSource<V>>,
    pub options: Options<V>,
    pub extra: E,
}

/// The one composition of a call's checks: the operation's own arguments (`own`), then the token
/// (`None` when the operation takes none) and the options of kind `K`. Every problem at once, in
/// that order, or none.
pub fn checked<V: JsonView, K: OptionsKind, T>(
    own: impl FnOnce(&mut Issues) -> Option<T>,
    token_arg: Option<Option<&V>>,
    options_arg: Option<&V>,
) -> Result<Checked<T, V, K::Extra>, Vec<Issue>> {
    let mut issues = Issues::default();
    let own = own(&mut issues);
    let (token, options, extra) = common::<V, K>(issues, own.is_some(), token_arg, options_arg)?;
    // What passed every check but made nothing cannot happen: refused rather than unwrapped.
    own.map(|own| Checked { own, token, options, extra }).ok_or_else(Vec::new)
}

/// What the checks every call shares make: the token (if the operation takes one), the options
/// and the options' own extra.
type Common<V, E> = (Option<TokenSource<V>>, Options<V>, E);

/// The checks every call shares, after the operation's own (`issues`, and whether they gave
/// their arguments): compiled once per kind of options, whatever the operation's own are.
fn common<V: JsonView, K: OptionsKind>(
    mut issues: Issues,
    own: bool,
    token_arg: Option<Option<&V>>,
    options_arg: Option<&V>,
) -> Result<Common<V, K::Extra>, Vec<Issue>> {
    let token = token_arg.map(|t| token(t, &mut issues));
    let read = K::read(options_arg, &mut issues);
    match (token, read) {
        (token, Some((options, extra))) if own && issues.0.is_empty() => Ok((token.flatten(), options, extra)),
        _ => Err(issues.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos() {
        assert_eq!(closest("groupID", &["groupId", "target"]), Some("groupId"));
        assert_eq!(closest("trget", &["@odata.type", "id", "target"]), Some("target"));
        assert_eq!(closest("zzzzzzzz", &["@odata.type", "id", "target"]), None);
        assert_eq!(closest("deviceAndAppManagementAssignmentFilterID", &[FILTER_ID, FILTER_TYPE]), Some(FILTER_ID));
    }

    #[test]
    fn bearer_prefix_is_dropped_and_bad_tokens_refused() {
        assert_eq!(token_string("Bearer abc.def").as_deref(), Ok("abc.def"));
        assert_eq!(token_string("bearer abc").as_deref(), Ok("abc"));
        assert_eq!(token_string("abc").as_deref(), Ok("abc"));
        for bad in ["", "Bearer ", "Bearer  abc", "ab c", "abc\n", "a\u{0}b"] {
            assert!(token_string(bad).is_err(), "{bad:?}");
        }
    }
}
