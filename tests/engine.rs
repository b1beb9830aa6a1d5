//! The engine's machines on the host, driven with a fake clock in milliseconds: a simulated
//! Graph answers each request after a latency the test chooses, and the driver here does what
//! the wasm's does (send what the engine asks, wake it at the time it names, hand answers back).

use intune_esim::engine::assign_many::AssignMany;
use intune_esim::engine::change::ChangeOf;
use intune_esim::engine::reads::Reads;
use intune_esim::engine::report::Report;
use intune_esim::engine::single::{Expect, Single};
use intune_esim::engine::tenants::TenantsReport;
use intune_esim::engine::walk::{List, Walk};
use intune_esim::engine::{Answer, Call, Env, Failure, Got, Host, Io, Machine, Notice, Paces, Poll};
use intune_esim::error::Error;
use intune_esim::json::{JsonView, Kind};
use intune_esim::merge::Change;
use intune_esim::request::{self, ListQuery};
use intune_esim::response::Headers;
use intune_esim::retry::RetryPolicy;
use intune_esim::tree::Tree;
use intune_esim::url::BaseUrl;
use intune_esim::validate::{Many, Spread};
use serde_json::{json, Value};

/// Graph's JSON as the tests hold it.
#[derive(Clone, Debug, PartialEq)]
struct J(Value);

impl JsonView for J {
    type Str = String;
    fn kind(&self) -> Kind {
        match &self.0 {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }
    fn string(&self) -> Option<String> {
        self.0.as_str().map(Into::into)
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn get(&self, key: &str) -> Option<J> {
        self.0.as_object()?.get(key).cloned().map(J)
    }
    fn keys(&self) -> Vec<String> {
        self.0.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
    }
    fn len(&self) -> usize {
        self.0.as_array().map_or(0, Vec::len)
    }
    fn at(&self, i: usize) -> Option<J> {
        self.0.as_array()?.get(i).cloned().map(J)
    }
}

#[derive(Debug)]
struct T;

impl Host for T {
    type Json = J;
    type Cause = String;
    fn join(pages: Vec<J>) -> J {
        J(Value::Array(pages.into_iter().flat_map(|p| p.0.as_array().cloned().unwrap_or_default()).collect()))
    }
    fn stringify(v: &J) -> Option<String> {
        serde_json::to_string(&v.0).ok()
    }
    fn decode_base64(text: &str) -> (Option<J>, String) {
        (None, text.into())
    }
}

const BASE: &str = "https://graph.microsoft.com/beta";
const POOLS: &str = "https://graph.microsoft.com/beta/deviceManagement/embeddedSIMActivationCodePools";
const P1: &str = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";
const G1: &str = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const G2: &str = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";

fn call(deadline_ms: Option<f64>) -> Call {
    Call {
        base_url: BaseUrl::parse(BASE).unwrap(),
        client_request_id: "crid".into(),
        retry: RetryPolicy { max_retries: 3, base_delay_ms: 100.0, max_delay_ms: 10_000.0 },
        deadline: deadline_ms.map(|t| (t, t)),
        tenant: None,
    }
}

/// What Graph answers: a status, a `Retry-After` and a body, after `latency` ms.
struct Reply {
    status: u16,
    retry_after: Option<&'static str>,
    body: Option<Value>,
    latency: f64,
}

fn ok(body: Value) -> Reply {
    Reply { status: 200, retry_after: None, body: Some(body), latency: 50.0 }
}

fn status(status: u16, retry_after: Option<&'static str>) -> Reply {
    let body = json!({ "error": { "code": "TooManyRequests", "message": "slow down" } });
    Reply { status, retry_after, body: Some(body), latency: 50.0 }
}

/// A request as the simulated Graph saw it.
#[derive(Debug, Clone)]
struct Seen {
    at: f64,
    method: &'static str,
    url: String,
    body: Option<Value>,
    retry: u32,
    tenant: Option<String>,
}

/// The run of one machine: its output, the requests sent, the notices told (with their times),
/// and the most requests ever in flight at once.
struct Run<O> {
    out: O,
    seen: Vec<Seen>,
    notices: Vec<(f64, Notice)>,
    most_in_flight: usize,
    ended: f64,
}

/// Drives `machine` from time 0 until it is done, Graph answering through `graph`.
fn drive<M: Machine<T>>(
    machine: &mut M,
    call: &Call,
    paces: &mut Paces,
    graph: impl FnMut(&Seen) -> Reply,
) -> Run<M::Output> {
    drive_from(machine, call, paces, 0.0, graph)
}

fn drive_from<M: Machine<T>>(
    machine: &mut M,
    call: &Call,
    paces: &mut Paces,
    start: f64,
    mut graph: impl FnMut(&Seen) -> Reply,
) -> Run<M::Output> {
    let mut io = Io::default();
    let mut now = start;
    let mut flights: Vec<(u32, f64, Got<T>)> = Vec::new();
    let (mut seen, mut notices, mut most) = (Vec::new(), Vec::new(), 0);
    for _ in 0..100_000 {
        let mut env = Env { now_ms: now, random: 0.5, call, paces: &mut *paces };
        let polled = machine.poll(&mut env, &mut io);
        notices.extend(io.notices.drain(..).map(|n| (now, n)));
        for send in io.sends.drain(..) {
            let s = Seen {
                at: now,
                method: send.request.method,
                url: send.request.url.clone(),
                body: send.request.body.as_deref().map(|b| serde_json::from_str(b).unwrap()),
                retry: send.retry,
                tenant: send.tenant.clone(),
            };
            let reply = graph(&s);
            let mut headers = Headers::default();
            if let Some(r) = reply.retry_after {
                headers.0.push(("retry-after".into(), r.into()));
            }
            // Status 0 stands for a token that could not be had.
            let got = match reply.status {
                0 => Got::Token("no token for this tenant".into()),
                status => Got::Answer(Answer { status, headers, json: reply.body.map(J), text: String::new() }),
            };
            flights.push((send.id, now + reply.latency, got));
            seen.push(s);
        }
        most = most.max(flights.len());
        let wake = match polled {
            Poll::Done(out) => return Run { out, seen, notices, most_in_flight: most, ended: now },
            Poll::Wait(wake) => wake,
        };
        let next = flights.iter().enumerate().min_by(|a, b| a.1 .1.total_cmp(&b.1 .1)).map(|(i, f)| (i, f.1));
        let answer_first = match (next, wake) {
            (Some((_, at)), Some(w)) => at <= w,
            (Some(_), None) => true,
            (None, _) => false,
        };
        match (next, wake) {
            (Some((i, at)), _) if answer_first => {
                now = now.max(at);
                let (id, _, got) = flights.remove(i);
                let mut env = Env { now_ms: now, random: 0.5, call, paces: &mut *paces };
                machine.handle(id, got, &mut env, &mut io);
                notices.extend(io.notices.drain(..).map(|n| (now, n)));
            }
            (_, Some(w)) => now = now.max(w),
            _ => panic!("the machine waits for nothing at {now}"),
        }
    }
    panic!("the machine never finished");
}

fn page(items: Value, next: Option<&str>) -> Value {
    match next {
        Some(n) => json!({ "value": items, "@odata.nextLink": n }),
        None => json!({ "value": items }),
    }
}

fn assignment(id: &str, group: &str) -> Value {
    json!({ "id": id, "target": { "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": group } })
}

fn graph_error(f: &Failure<T>) -> (u16, u32, bool) {
    match f {
        Failure::Error { error: Error::Graph(g), answered: Some((_, attempts)), deadline } => {
            (g.status, *attempts, *deadline)
        }
        other => panic!("not a GraphError: {other:?}"),
    }
}

#[test]
fn a_throttled_request_waits_its_retry_after_and_goes_again() {
    let c = call(None);
    let request = request::get(&c.base_url, Some((P1, "")), &ListQuery::default(), "crid");
    let mut single: Single<T> = Single::new(request, Expect::Pool);
    let mut answers = vec![status(429, Some("2")), ok(json!({ "id": P1 }))].into_iter();
    let run = drive(&mut single, &c, &mut Paces::default(), |_| answers.next().unwrap());
    assert_eq!(run.out.unwrap().unwrap(), J(json!({ "id": P1 })));
    // Sent at 0, answered at 50, sent again 2 s later, marked as the first retry.
    assert_eq!(run.seen.iter().map(|s| (s.at, s.retry)).collect::<Vec<_>>(), [(0.0, 0), (2050.0, 1)]);
    assert_eq!(run.notices, [(50.0, Notice::Retrying { attempt: 1, status: 429, delay_ms: 2000.0 })]);
}

#[test]
fn a_wait_past_the_deadline_gives_up_with_the_last_answer() {
    let c = call(Some(1_000.0));
    let request = request::get(&c.base_url, Some((P1, "")), &ListQuery::default(), "crid");
    let mut single: Single<T> = Single::new(request, Expect::Pool);
    let run = drive(&mut single, &c, &mut Paces::default(), |_| status(429, Some("5")));
    assert_eq!(graph_error(&run.out.unwrap_err()), (429, 1, true));
    assert_eq!(run.seen.len(), 1);
    assert!(run.notices.is_empty());
}

#[test]
fn retries_end_after_max_retries_without_the_deadline() {
    let c = call(None);
    let request = request::get(&c.base_url, Some((P1, "")), &ListQuery::default(), "crid");
    let mut single: Single<T> = Single::new(request, Expect::Pool);
    let run = drive(&mut single, &c, &mut Paces::default(), |_| status(503, None));
    assert_eq!(graph_error(&run.out.unwrap_err()), (503, 4, false));
    // Backoff between the base and base * 2^n, the jitter at its middle: 150, 250 and 450 ms
    // after each answer (50 ms after each request).
    let at: Vec<f64> = run.seen.iter().map(|s| s.at).collect();
    assert_eq!(at, [0.0, 200.0, 500.0, 1000.0]);
}

#[test]
fn the_network_failing_is_the_requests_outcome() {
    let c = call(None);
    let request = request::get(&c.base_url, Some((P1, "")), &ListQuery::default(), "crid");
    let mut single: Single<T> = Single::new(request, Expect::Pool);
    let mut io = Io::default();
    let mut paces = Paces::default();
    let mut env = Env { now_ms: 0.0, random: 0.5, call: &c, paces: &mut paces };
    assert!(matches!(single.poll(&mut env, &mut io), Poll::Wait(None)));
    let id = io.sends.pop().unwrap().id;
    single.handle(id, Got::Network("ECONNREFUSED".into()), &mut env, &mut io);
    match single.poll(&mut env, &mut io) {
        Poll::Done(Err(Failure::Network { cause, attempts })) => {
            assert_eq!((cause.as_str(), attempts), ("ECONNREFUSED", 1))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_update_answered_204_is_read_back_with_one_get() {
    let c = call(None);
    let patch = request::update_pool(&c.base_url, P1, "Berlin", "crid");
    let mut update: Single<T> = Single::update(P1, patch);
    let mut answers = vec![
        Reply { status: 204, retry_after: None, body: None, latency: 50.0 },
        ok(json!({ "id": P1, "displayName": "Berlin" })),
    ]
    .into_iter();
    let run = drive(&mut update, &c, &mut Paces::default(), |_| answers.next().unwrap());
    assert_eq!(run.out.unwrap().unwrap().0["displayName"], "Berlin");
    assert_eq!(run.seen.iter().map(|s| s.method).collect::<Vec<_>>(), ["PATCH", "GET"]);
    assert_eq!(run.seen[1].url, format!("{POOLS}/{P1}"));
}

#[test]
fn a_list_is_followed_page_by_page_and_joined_once() {
    let c = call(None);
    let first = List::Assignments.first(&c, Some(P1), &ListQuery::default());
    let mut walk: Walk<T> = Walk::new(List::Assignments, first);
    let pages = [
        page(json!([assignment("a", G1)]), Some(&format!("{POOLS}/{P1}/assignments?$skiptoken=2"))),
        page(json!([assignment("b", G2)]), Some(&format!("{POOLS}/{P1}/assignments?$skiptoken=3"))),
        page(json!([]), None),
    ];
    let mut answers = pages.into_iter().map(ok);
    let run = drive(&mut walk, &c, &mut Paces::default(), |_| answers.next().unwrap());
    let (items, next) = run.out.unwrap();
    assert_eq!(items.0.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(next, None);
    assert_eq!(run.seen.len(), 3);
    assert!(run.seen[2].url.ends_with("$skiptoken=3"));
}

#[test]
fn a_next_link_to_another_host_is_refused_and_never_followed() {
    let c = call(None);
    let first = List::Pools.first(&c, None, &ListQuery::default());
    let mut walk: Walk<T> = Walk::new(List::Pools, first);
    let run = drive(&mut walk, &c, &mut Paces::default(), |_| {
        ok(page(json!([{ "id": P1 }]), Some("https://evil.example/steal")))
    });
    assert!(matches!(run.out, Err(Failure::Error { error: Error::Response(_), .. })));
    assert_eq!(run.seen.len(), 1);
}

/// A pool's assignments as a simulated Graph holds them: GETs read them, `assign` replaces them.
fn pool_graph(held: &mut Value, seen: &Seen) -> Reply {
    match seen.method {
        "GET" => ok(page(held.clone(), None)),
        _ => {
            *held = seen.body.as_ref().unwrap()["assignments"].clone();
            ok(page(held.clone(), None))
        }
    }
}

#[test]
fn a_change_keeps_what_graph_holds_byte_for_byte_and_reads_it_back() {
    let c = call(None);
    // An assignment with a property and a target kind this library does not know.
    let odd = json!({ "id": "x", "future": [1, { "a": null }], "target": { "@odata.type": "#microsoft.graph.somethingNewTarget", "n": 1 } });
    let mut held = json!([odd, assignment("a", G1)]);
    let targets = Tree::Array(vec![Tree::Object(vec![
        ("@odata.type".into(), Tree::String("#microsoft.graph.groupAssignmentTarget".into())),
        ("groupId".into(), Tree::String(G2.into())),
    ])]);
    let mut change: ChangeOf<T> = ChangeOf::new(P1, targets, Change::Add, &c);
    let run = drive(&mut change, &c, &mut Paces::default(), |s| pool_graph(&mut held, s));
    let changed = run.out.unwrap();
    assert_eq!(run.seen.iter().map(|s| s.method).collect::<Vec<_>>(), ["GET", "POST", "GET"]);
    let written = &run.seen[1].body.as_ref().unwrap()["assignments"];
    assert_eq!(written[0], odd);
    assert_eq!(written[2]["target"]["groupId"], G2);
    assert_eq!(changed.after.0.as_array().unwrap().len(), 3);
    assert_eq!(serde_json::from_str::<Value>(&changed.added).unwrap()[0]["groupId"], G2);
}

#[test]
fn a_change_that_changes_nothing_writes_nothing() {
    let c = call(None);
    let mut held = json!([assignment("a", G1)]);
    let targets = Tree::Array(vec![Tree::Object(vec![
        ("@odata.type".into(), Tree::String("#microsoft.graph.groupAssignmentTarget".into())),
        ("groupId".into(), Tree::String(G2.into())),
    ])]);
    let mut change: ChangeOf<T> = ChangeOf::new(P1, targets, Change::Remove, &c);
    let run = drive(&mut change, &c, &mut Paces::default(), |s| pool_graph(&mut held, s));
    assert!(run.out.unwrap().removed.is_empty());
    assert_eq!(run.seen.len(), 1);
}

#[test]
fn a_read_back_that_is_not_what_was_written_is_a_conflict() {
    let c = call(None);
    let mut held = json!([assignment("a", G1)]);
    let targets = Tree::Array(vec![Tree::Object(vec![(
        "@odata.type".into(),
        Tree::String("#microsoft.graph.allDevicesAssignmentTarget".into()),
    )])]);
    let mut change: ChangeOf<T> = ChangeOf::new(P1, targets, Change::Add, &c);
    let mut writes = 0;
    let run = drive(&mut change, &c, &mut Paces::default(), |s| {
        if s.method == "POST" {
            writes += 1;
        }
        // Someone else removed everything between the write and the read-back.
        if writes == 1 && s.method == "GET" {
            return ok(page(json!([]), None));
        }
        pool_graph(&mut held, s)
    });
    match run.out {
        Err(Failure::Conflict { written, found }) => {
            assert_eq!(serde_json::from_str::<Value>(&written).unwrap().as_array().unwrap().len(), 2);
            assert_eq!(found, J(json!([])));
        }
        _ => panic!("expected a conflict"),
    }
}

fn pool_id(i: usize) -> String {
    format!("e5100000-0000-4000-8000-{i:012x}")
}

/// A batch answered whole: each inner request answered by `inner` (its URL), in reverse order.
fn batch_graph(seen: &Seen, mut inner: impl FnMut(&str) -> (u16, Value)) -> Reply {
    let requests = seen.body.as_ref().unwrap()["requests"].as_array().unwrap().clone();
    let responses: Vec<Value> = requests
        .iter()
        .rev()
        .map(|r| {
            let (status, body) = inner(r["url"].as_str().unwrap());
            json!({ "id": r["id"], "status": status, "headers": { "Retry-After": "1" }, "body": body })
        })
        .collect();
    ok(json!({ "responses": responses }))
}

fn many(concurrency: u32, limit: u32, per_ms: f64) -> Many {
    Many { concurrency, limit, per_ms }
}

#[test]
fn many_reads_go_in_batches_of_20_each_answer_read_as_its_own() {
    let c = call(None);
    let pools: Vec<(String, bool)> = (0..45).map(|i| (pool_id(i), true)).collect();
    let mut reads: Reads<T> = Reads::new(&pools, &[List::Assignments], many(2, 1000, 20_000.0), &c);
    let run = drive(&mut reads, &c, &mut Paces::default(), |s| {
        batch_graph(s, |url| (200, page(json!([assignment(&url[url.len() - 30..], G1)]), None)))
    });
    let () = run.out;
    let sizes: Vec<usize> =
        run.seen.iter().map(|s| s.body.as_ref().unwrap()["requests"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [20, 20, 5]);
    assert!(run.most_in_flight <= 2);
    let results = reads.results();
    assert_eq!(results.len(), 45);
    assert!(results.iter().all(|r| matches!(r.as_deref(), Some([Ok(v)]) if v.len() == 1)));
    // First the total, then one notice per pool.
    assert_eq!(run.notices[0].1, Notice::Progress { done: 0, total: 45, pool: None });
    assert_eq!(run.notices.len(), 46);
}

#[test]
fn an_inner_429_is_retried_alone_after_its_own_retry_after() {
    let c = call(None);
    let pools: Vec<(String, bool)> = (0..3).map(|i| (pool_id(i), true)).collect();
    let mut reads: Reads<T> = Reads::new(&pools, &[List::DeviceStates], many(2, 1000, 20_000.0), &c);
    let mut throttled = false;
    let run = drive(&mut reads, &c, &mut Paces::default(), |s| {
        batch_graph(s, |url| {
            if url.contains(&pool_id(1)) && !throttled {
                throttled = true;
                return (429, json!({ "error": { "code": "TooManyRequests" } }));
            }
            (200, page(json!([{ "id": "d" }]), None))
        })
    });
    let () = run.out;
    assert_eq!(run.seen.len(), 2);
    let second = run.seen[1].body.as_ref().unwrap()["requests"].as_array().unwrap().clone();
    assert_eq!(second.len(), 1);
    assert!(second[0]["url"].as_str().unwrap().contains(&pool_id(1)));
    // The inner Retry-After (1 s) after the batch's answer at 50 ms.
    assert_eq!(run.seen[1].at, 1050.0);
    assert!(run.notices.iter().any(|(_, n)| *n == Notice::Retrying { attempt: 1, status: 429, delay_ms: 1000.0 }));
    assert!(reads.results().iter().all(|r| matches!(r.as_deref(), Some([Ok(_)]))));
}

#[test]
fn a_refused_batch_endpoint_falls_back_to_single_reads() {
    let c = call(None);
    let pools: Vec<(String, bool)> = (0..3).map(|i| (pool_id(i), true)).collect();
    let mut reads: Reads<T> = Reads::new(&pools, &[List::Assignments], many(1, 1000, 20_000.0), &c);
    let run = drive(&mut reads, &c, &mut Paces::default(), |s| {
        if s.url.ends_with("$batch") {
            return Reply {
                status: 400,
                retry_after: None,
                body: Some(json!({ "error": { "code": "BadRequest" } })),
                latency: 50.0,
            };
        }
        ok(page(json!([]), None))
    });
    let () = run.out;
    let methods: Vec<&str> = run.seen.iter().map(|s| s.method).collect();
    assert_eq!(methods, ["POST", "GET", "GET", "GET"]);
    assert!(reads.results().iter().all(|r| matches!(r.as_deref(), Some([Ok(_)]))));
}

#[test]
fn a_read_left_out_of_the_batch_answer_is_sent_again_then_fails_alone() {
    let c = call(None);
    let pools: Vec<(String, bool)> = (0..2).map(|i| (pool_id(i), true)).collect();
    let mut reads: Reads<T> = Reads::new(&pools, &[List::Assignments], many(1, 1000, 20_000.0), &c);
    let run = drive(&mut reads, &c, &mut Paces::default(), |s| {
        let requests = s.body.as_ref().unwrap()["requests"].as_array().unwrap().clone();
        // Only pool 0's read is ever answered.
        let responses: Vec<Value> = requests
            .iter()
            .filter(|r| r["url"].as_str().unwrap().contains(&pool_id(0)))
            .map(|r| json!({ "id": r["id"], "status": 200, "body": page(json!([]), None) }))
            .collect();
        ok(json!({ "responses": responses }))
    });
    let () = run.out;
    // The first batch, then pool 1 alone after each of its 3 retries' waits.
    assert_eq!(run.seen.len(), 4);
    let results = reads.results();
    assert!(matches!(results[0].as_deref(), Some([Ok(_)])));
    assert!(matches!(results[1].as_deref(), Some([Err(Failure::Error { error: Error::Response(_), .. })])));
}

#[test]
fn reads_keep_under_the_read_limit_and_two_calls_share_one_pace() {
    let c = call(None);
    let pools: Vec<(String, bool)> = (0..100).map(|i| (pool_id(i), true)).collect();
    let mut paces = Paces::default();
    let answer = |s: &Seen| batch_graph(s, |_| (200, page(json!([]), None)));
    let mut first: Reads<T> = Reads::new(&pools, &[List::Assignments], many(4, 40, 1_000.0), &c);
    let one = drive(&mut first, &c, &mut paces, answer);
    // 100 reads under 40 per second (3% under, over a window 5% longer): batches of 20 about
    // every 0.5 s, the first at once; and no window of the limit holds more than 40.
    let at: Vec<f64> = one.seen.iter().map(|s| s.at).collect();
    assert_eq!(at.len(), 5);
    for (i, t) in at.iter().enumerate() {
        assert!(at[i..].iter().take_while(|u| **u < t + 1_050.0).count() <= 2, "{at:?}");
    }
    // A second call right after starts where the first left the window.
    let mut second: Reads<T> = Reads::new(&pools[..20], &[List::Assignments], many(4, 40, 1_000.0), &c);
    let two = drive_from(&mut second, &c, &mut paces, one.ended, answer);
    assert!(two.seen[0].at > one.ended, "{} then {}", one.ended, two.seen[0].at);
}

#[test]
fn a_report_counts_each_pools_devices_by_state() {
    let c = call(None);
    let good = P1;
    let run_graph = |s: &Seen| {
        if s.method == "GET" {
            return ok(page(json!([{ "id": good, "displayName": "A" }, { "id": "not-a-guid" }]), None));
        }
        batch_graph(s, |url| {
            if url.ends_with("/assignments") {
                (200, page(json!([assignment("a", G1)]), None))
            } else {
                let states = json!([{ "id": "1", "state": "installed" }, { "id": "2", "state": "failed" }, { "id": "3", "state": "brandNew" }, { "id": "4" }]);
                (200, page(states, None))
            }
        })
    };
    let mut report: Report<T> = Report::new(many(2, 1000, 20_000.0), &c);
    let run = drive(&mut report, &c, &mut Paces::default(), run_graph);
    run.out.unwrap();
    let rows = report.rows();
    assert_eq!(rows.len(), 2);
    let summary = rows[0].lists.as_ref().ok().unwrap();
    assert_eq!(summary.total, 4);
    let count = |s: &str| summary.by_state.iter().find(|(n, _)| n == s).map(|(_, n)| *n);
    assert_eq!((count("installed"), count("failed"), count("notEvaluated")), (Some(1), Some(1), Some(0)));
    // States Graph adds later, and none at all, are counted under their own names.
    assert_eq!((count("brandNew"), count("unknown")), (Some(1), Some(1)));
    assert_eq!(summary.failures.len(), 1);
    assert!(matches!(&rows[1].lists, Err(Failure::Error { error: Error::Response(_), .. })));
    // The total first, then the pool with no id to read, failed, before any read is answered.
    let progress: Vec<&Notice> = run.notices.iter().map(|(_, n)| n).collect();
    assert_eq!(*progress[0], Notice::Progress { done: 0, total: 2, pool: None });
    assert_eq!(*progress[1], Notice::Progress { done: 1, total: 2, pool: Some(("not-a-guid".into(), false)) });
}

#[test]
fn assign_many_paces_its_writes_and_keeps_each_pools_result() {
    let c = call(None);
    let pools: Vec<String> = (0..12).map(pool_id).collect();
    let body = r##"[{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}]"##.to_string();
    let spread = Spread { concurrency: 8, writes: 5, per_ms: 1_000.0 };
    let mut writes: AssignMany<T> = AssignMany::new(pools.clone(), body, spread);
    let run = drive(&mut writes, &c, &mut Paces::default(), |s| {
        if s.url.contains(&pool_id(3)) {
            return Reply {
                status: 403,
                retry_after: None,
                body: Some(json!({ "error": { "code": "Forbidden" } })),
                latency: 50.0,
            };
        }
        ok(page(s.body.as_ref().unwrap()["assignments"].clone(), None))
    });
    let () = run.out;
    let at: Vec<f64> = run.seen.iter().map(|s| s.at).collect();
    assert_eq!(at.len(), 12);
    for (i, t) in at.iter().enumerate() {
        assert!(at[i..].iter().take_while(|u| **u < t + 1_050.0).count() <= 5, "{at:?}");
    }
    assert!(run.most_in_flight <= 8);
    let results = writes.results();
    assert!(results.iter().enumerate().all(|(i, r)| r.as_ref().unwrap().is_ok() == (i != 3)));
    let progress: Vec<&Notice> = run.notices.iter().map(|(_, n)| n).collect();
    assert_eq!(*progress[0], Notice::Progress { done: 0, total: 12, pool: None });
    assert!(progress.contains(&&Notice::Progress {
        done: progress.len() as u32 - 1,
        total: 12,
        pool: progress.last().and_then(|n| match n {
            Notice::Progress { pool, .. } => pool.clone(),
            _ => None,
        })
    }));
    assert!(progress
        .iter()
        .any(|n| matches!(n, Notice::Progress { pool: Some((id, false)), .. } if *id == pool_id(3))));
}

#[test]
fn a_429_slows_assign_manys_pace() {
    let c = call(None);
    let pools: Vec<String> = (0..6).map(pool_id).collect();
    let body = "[]".to_string();
    let spread = Spread { concurrency: 1, writes: 10, per_ms: 1_000.0 };
    let mut writes: AssignMany<T> = AssignMany::new(pools, body, spread);
    let mut first = true;
    let run = drive(&mut writes, &c, &mut Paces::default(), |_| {
        if std::mem::take(&mut first) {
            return status(429, Some("0"));
        }
        ok(page(json!([]), None))
    });
    let () = run.out;
    assert_eq!(run.seen.len(), 7);
    // At 9.7 writes a second a write is due every ~103 ms; at half the rate, every ~206.
    let gaps: Vec<f64> = run.seen.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(gaps[2] > 150.0, "{gaps:?}");
}

/// A tenant's Graph: its pools (the same display names in every tenant) and their lists.
fn tenant_graph(s: &Seen) -> Reply {
    let tenant = s.tenant.clone().unwrap_or_default();
    if s.method == "GET" {
        let pools: Vec<Value> = (0..30)
            .map(|i| json!({ "id": pool_id(i), "displayName": format!("Pool {i}"), "tenant": tenant }))
            .collect();
        return ok(page(Value::Array(pools), None));
    }
    batch_graph(s, |url| match url.ends_with("/assignments") {
        true => (200, page(json!([assignment("a", G1)]), None)),
        false => (200, page(json!([{ "id": "d", "state": "installed", "tenant": tenant }]), None)),
    })
}

#[test]
fn tenants_are_read_side_by_side_each_at_its_own_limit() {
    let c = call(None);
    let tenants = ["contoso.onmicrosoft.com".to_string(), "fabrikam.onmicrosoft.com".to_string()];
    // 30 pools: 1 read of the pools and 60 of their lists, under 20 per second per tenant.
    let mut one: TenantsReport<T> = TenantsReport::new(&tenants[..1], many(4, 20, 1_000.0), &c);
    let alone = drive(&mut one, &c, &mut Paces::default(), tenant_graph);
    let mut both: TenantsReport<T> = TenantsReport::new(&tenants, many(4, 20, 1_000.0), &c);
    let together = drive(&mut both, &c, &mut Paces::default(), tenant_graph);
    assert!(alone.ended > 2_000.0, "paced: {}", alone.ended);
    assert!(together.ended < alone.ended * 1.15, "two tenants in {} ms, one in {} ms", together.ended, alone.ended);
    // Each request went with its tenant's token, and each tenant's rows are its own.
    assert!(together.seen.iter().all(|s| s.tenant.is_some()));
    for (id, outcome) in both.results() {
        let rows = outcome.unwrap().ok().unwrap();
        assert_eq!(rows.len(), 30);
        assert!(rows.iter().all(|r| r.pool.0["tenant"] == id.as_str()));
        let states = |r: &intune_esim::engine::report::Row<T>| r.lists.as_ref().ok().unwrap().total;
        assert!(rows.iter().all(|r| states(r) == 1));
    }
    // Progress names the tenant, and counts the tenants done.
    let last = together.notices.iter().rev().find_map(|(_, n)| match n {
        Notice::Tenants { tenants_done, tenants, .. } => Some((*tenants_done, *tenants)),
        _ => None,
    });
    assert_eq!(last, Some((2, 2)));
}

#[test]
fn a_tenant_without_a_token_or_refused_fails_alone() {
    let c = call(None);
    let tenants: Vec<String> =
        ["a.example.com", "b.example.com", "c.example.com"].iter().map(|s| s.to_string()).collect();
    let mut report: TenantsReport<T> = TenantsReport::new(&tenants, many(2, 1000, 20_000.0), &c);
    let run = drive(&mut report, &c, &mut Paces::default(), |s| match s.tenant.as_deref() {
        Some("a.example.com") => Reply { status: 0, retry_after: None, body: None, latency: 50.0 },
        Some("b.example.com") => Reply {
            status: 403,
            retry_after: None,
            body: Some(json!({ "error": { "code": "Forbidden" } })),
            latency: 50.0,
        },
        _ => tenant_graph(s),
    });
    let () = run.out;
    let results = report.results();
    assert!(
        matches!(&results[0].1, Some(Err(Failure::Token(cause))) if cause == "no token for this tenant"),
        "{:?}",
        results[0].1.as_ref().map(|o| o.as_ref().err())
    );
    assert_eq!(graph_error(results[1].1.as_ref().unwrap().as_ref().err().unwrap()).0, 403);
    assert_eq!(results[2].1.as_ref().unwrap().as_ref().ok().unwrap().len(), 30);
}
