//! Property-based fuzzing of the pure core: validation over arbitrary JSON, answer reading over
//! arbitrary status, headers and bodies, the retry policy over arbitrary headers, base URLs over
//! arbitrary strings, JSON text against serde_json, and the wasm's one entry (`api::run`) over
//! any operation, arguments and text. Nothing may panic, and whatever is accepted must survive a
//! round trip.
//!
//! `FUZZ_CASES` sets the cases per property (default 2000: seconds, for `npm test`). The inputs
//! in `tests/fuzz-corpus/` (cases found interesting once) run every time, before the random ones.
#![cfg(not(target_arch = "wasm32"))]

use intune_esim::error::Error;
use intune_esim::json::JsonView;
use intune_esim::model::EmbeddedSimActivationCodePoolAssignment;
use intune_esim::request;
use intune_esim::response::{self, Headers, HttpResponse};
use intune_esim::retry::{self, Attempt, Decision, RetryPolicy};
use intune_esim::url::BaseUrl;
use intune_esim::validate;
use intune_esim::value;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use serde_json::{json, Map, Value};

const POOL: &str = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";

fn config() -> Config {
    let cases = std::env::var("FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000);
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..Config::default()
    }
}

/// Strings that matter to the rules, mixed with arbitrary ones.
fn interesting_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("#microsoft.graph.groupAssignmentTarget".to_owned()),
        Just("microsoft.graph.exclusionGroupAssignmentTarget".to_owned()),
        Just("#microsoft.graph.allDevicesAssignmentTarget".to_owned()),
        Just("#microsoft.graph.allLicensedUsersAssignmentTarget".to_owned()),
        Just("#microsoft.graph.configurationManagerCollectionAssignmentTarget".to_owned()),
        Just("#microsoft.graph.deviceAndAppManagementAssignmentTarget".to_owned()),
        Just("#microsoft.graph.embeddedSIMActivationCodePoolAssignment".to_owned()),
        Just("include".to_owned()),
        Just("exclude".to_owned()),
        Just("none".to_owned()),
        Just("3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9".to_owned()),
        Just("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee".to_owned()),
        any::<String>(),
        "[a-zA-Z0-9 #./-]{0,12}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("@odata.type".to_owned()),
        Just("id".to_owned()),
        Just("target".to_owned()),
        Just("groupId".to_owned()),
        Just("groupID".to_owned()),
        Just("collectionId".to_owned()),
        Just("deviceAndAppManagementAssignmentFilterId".to_owned()),
        Just("deviceAndAppManagementAssignmentFilterType".to_owned()),
        Just("value".to_owned()),
        Just("error".to_owned()),
        Just("code".to_owned()),
        Just("message".to_owned()),
        Just("innerError".to_owned()),
        Just("request-id".to_owned()),
        any::<String>(),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        interesting_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Mostly well-formed assignments, so the fuzzer also reaches the accepting paths.
fn assignment_list() -> impl Strategy<Value = Value> {
    let target = (
        interesting_string(),
        prop::option::of(interesting_string()),
        prop::option::of(interesting_string()),
        prop::option::of(interesting_string()),
    )
        .prop_map(|(kind, group, filter_id, filter_type)| {
            let mut t = Map::new();
            t.insert("@odata.type".into(), json!(kind));
            if let Some(g) = group {
                t.insert(if kind.contains("onfiguration") { "collectionId" } else { "groupId" }.into(), json!(g));
            }
            if let Some(f) = filter_id {
                t.insert("deviceAndAppManagementAssignmentFilterId".into(), json!(f));
            }
            if let Some(f) = filter_type {
                t.insert("deviceAndAppManagementAssignmentFilterType".into(), json!(f));
            }
            Value::Object(t)
        });
    let item = prop_oneof![4 => target.prop_map(|t| json!({ "target": t })), 1 => json_value()];
    prop_oneof![4 => prop::collection::vec(item, 0..6).prop_map(Value::Array), 1 => json_value()]
}

/// Validation never panics; what it accepts is sent as JSON that reads back as the same model,
/// and validating the sent body again accepts it unchanged.
fn check_assign(assignments: &Value) {
    let (token, pool) = (json!("t"), json!(POOL));
    let result = validate::assign_call(Some(&&pool), Some(&assignments), Some(&&token), None);
    let call = match result {
        Ok(call) => call,
        Err(issues) => {
            assert!(!issues.is_empty());
            assert!(issues.iter().all(|i| !i.message.is_empty() && !i.path.is_empty()));
            return;
        }
    };
    let req = request::assign(&call.options.base_url, &call.pool_id, &call.assignments, POOL);
    let body: Value = serde_json::from_str(req.body.as_deref().unwrap_or("")).expect("the body is JSON");
    let ours: Vec<EmbeddedSimActivationCodePoolAssignment> =
        call.assignments.iter().map(|a| serde_json::from_value(serde_json::to_value(a).unwrap()).unwrap()).collect();
    assert_eq!(ours, call.assignments, "serde round trip");
    assert_eq!(body["assignments"], serde_json::to_value(&call.assignments).unwrap());
    let again = validate::assign_call(Some(&&pool), Some(&&body["assignments"]), Some(&&token), None)
        .expect("what was sent validates again");
    assert_eq!(again.assignments, call.assignments);
}

/// Reading an answer never panics; a success is the body's own `value`, which re-serialises to
/// JSON that parses back equal.
fn check_answer(status: u16, headers: &[(String, String)], text: &str) {
    let headers = Headers(headers.to_vec());
    let parsed: Option<Value> = serde_json::from_str(text).ok();
    match response::collection(HttpResponse { status, headers: &headers, text, json: parsed.as_ref() }, "assignment") {
        Ok(value) => {
            assert!((200..300).contains(&status));
            let again: Value = serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap();
            assert_eq!(&again, value);
        }
        Err(Error::Graph(g)) => {
            assert!(!(200..300).contains(&status));
            assert!(g.message.starts_with("Graph answered "));
        }
        Err(Error::Response(m)) => assert!((200..300).contains(&status) && !m.is_empty()),
        Err(other) => panic!("unexpected error kind {other:?}"),
    }
}

fn check_retry(status: u16, retry_after: Option<&str>, made: u32, remaining: Option<f64>, now: f64, random: f64) {
    let policy = RetryPolicy { max_retries: 3, base_delay_ms: 100.0, max_delay_ms: 10_000.0 };
    let a = Attempt { status, retry_after, made, remaining_ms: remaining, now_ms: now, random };
    match retry::decide(&policy, &a) {
        Decision::Retry { delay_ms } => {
            assert!(retry::is_retryable(status));
            assert!(made <= policy.max_retries);
            assert!(delay_ms.is_finite() && (0.0..=policy.max_delay_ms).contains(&delay_ms), "{delay_ms}");
            if let Some(left) = remaining {
                assert!(delay_ms < left);
            }
        }
        Decision::GiveUp(_) => {}
    }
}

fn check_base_url(s: &str) {
    if let Ok(url) = BaseUrl::parse(s) {
        let whole = url.as_string();
        assert!(!whole.contains(['?', '#']) && !whole.chars().any(char::is_whitespace));
        assert!(whole.starts_with("https://") || whole.starts_with("http://"));
        assert_eq!(BaseUrl::parse(&whole).as_ref(), Ok(&url), "re-parsing is stable");
    }
}

/// A CSV file either gives valid codes or says what is wrong, at a line; never a panic.
fn check_csv(text: &str) {
    match intune_esim::csv::parse(text) {
        Ok(file) => {
            assert!(!file.activation_codes.is_empty());
            for c in &file.activation_codes {
                assert!(intune_esim::validate::activation_code_problems(c).is_empty());
                assert!(intune_esim::activation_code::is_iccid(&c.integrated_circuit_card_identifier));
            }
        }
        Err(issues) => {
            assert!(!issues.is_empty());
            assert!(issues.iter().all(|i| i.path == "file" || i.path.starts_with("line ")));
        }
    }
}

/// What goes between a string's quotes: plain and raw control characters, escapes good and bad.
/// No surrogate escapes: there serde_json departs from `JSON.parse`.
fn string_content() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z \t\n\u{1}\u{1f}é😀]", r#"\\["\\/bfnrtuxa0e']"#, r#"\\u[0-9a-cefA-CEF][0-9a-fA-F]{0,3}"#,]
}

/// A piece of JSON text: one of its characters, a literal, a number or part of one, a string, or
/// a string's content.
fn json_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => r#"[\[\]{}",:0-9eE.+\\u tnrfalse\t\n\r-]"#,
        1 => prop_oneof![Just("true"), Just("null"), Just("")].prop_map(str::to_owned),
        2 => "[-+.]?[0-9]{0,2}[.]?[0-9]{0,2}([eE][+-]?[0-9]{0,2})?",
        2 => prop::collection::vec(string_content(), 0..4).prop_map(|p| format!("\"{}\"", p.concat())),
        2 => string_content(),
    ]
}

/// The tokens of compact JSON text: punctuation, strings, and the runs between (numbers, words).
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(first) = rest.chars().next() {
        let len = match first {
            '[' | ']' | '{' | '}' | ',' | ':' => 1,
            '"' => {
                let mut escaped = false;
                let close = rest.char_indices().skip(1).find(|&(_, c)| {
                    let close = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    close
                });
                close.map_or(rest.len(), |(i, _)| i + 1)
            }
            _ => rest.find(|c| "[]{},:\"".contains(c)).unwrap_or(rest.len()),
        };
        let (token, tail) = rest.split_at(len);
        out.push(token);
        rest = tail;
    }
    out
}

/// Soups of JSON pieces (mostly invalid), and valid JSON with one edit: a token removed, doubled
/// or replaced by a piece, a piece inserted, or a string's content added to. Nearly valid text is
/// where a parser's mistakes hide.
fn json_soup() -> impl Strategy<Value = String> {
    let soup = prop::collection::vec(json_piece(), 0..24).prop_map(|pieces| pieces.concat());
    let edit = (json_value(), any::<prop::sample::Index>(), 0..5u8, json_piece(), string_content());
    let edited = edit.prop_map(|(value, at, edit, piece, content)| {
        let text = value.to_string();
        let mut tokens = tokens(&text);
        let i = at.index(tokens.len() + 1);
        let string;
        match (edit, tokens.get(i).copied()) {
            (0, Some(_)) => drop(tokens.remove(i)),
            (1, Some(token)) => tokens.insert(i, token),
            (2, Some(_)) => tokens[i] = &piece,
            (3, Some(token)) if token.starts_with('"') => {
                string = format!("\"{content}{}", &token[1..]);
                tokens[i] = &string;
            }
            _ => tokens.insert(i, &piece),
        }
        tokens.concat()
    });
    prop_oneof![soup, edited]
}

/// Our parser's view and serde_json's of the same text agree at every level. Keys are compared
/// as sets: serde_json's map sorts them, ours keeps source order.
fn same_view(ours: &value::Value, theirs: &Value) {
    assert_eq!(ours.kind(), theirs.kind());
    assert_eq!(ours.string(), theirs.string());
    match (ours.number(), theirs.number()) {
        // serde_json's default float reading may be an ulp off, as may ours.
        (Some(a), Some(b)) => assert!(a == b || a.to_bits().abs_diff(b.to_bits()) <= 2, "{a:e} vs {b:e}"),
        (a, b) => assert_eq!(a, b),
    }
    let mut keys = ours.keys();
    keys.sort();
    assert_eq!(keys, theirs.keys());
    for k in &keys {
        same_view(ours.get(k).unwrap(), theirs.get(k).unwrap());
    }
    assert!(ours.get("\u{1}missing").is_none());
    assert_eq!(ours.len(), theirs.len());
    for i in 0..ours.len() {
        same_view(ours.at(i).unwrap(), theirs.at(i).unwrap());
    }
    assert!(ours.at(ours.len()).is_none());
}

/// Parsing never panics, accepts exactly what serde_json accepts, and reads the same values,
/// except where serde_json departs from `JSON.parse`: it rejects lone surrogate escapes and
/// numbers beyond f64's range (Infinity to `JSON.parse`), and nesting past 128.
fn check_json_text(text: &str) {
    let ours = value::parse(text);
    let theirs = serde_json::from_str::<Value>(text);
    match &ours {
        Ok(v) => assert_eq!(v.text(text), text.trim_matches([' ', '\t', '\n', '\r'])),
        Err(e) => assert!(e.offset <= text.len() && !e.message.is_empty()),
    }
    if text.to_ascii_lowercase().contains("\\ud") || text.matches(['[', '{']).count() > 100 {
        return;
    }
    match (&ours, &theirs) {
        (Ok(o), Ok(t)) => same_view(o, t),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) if e.to_string().contains("number out of range") => {}
        _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
    }
}

#[test]
fn the_corpus_of_interesting_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz-corpus") {
        let path = entry.unwrap().path();
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        match case["kind"].as_str() {
            Some("assignments") => check_assign(&case["input"]),
            Some("answer") => {
                let headers: Vec<(String, String)> = case["headers"]
                    .as_object()
                    .map(|h| h.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned())).collect())
                    .unwrap_or_default();
                check_answer(case["status"].as_u64().unwrap() as u16, &headers, case["text"].as_str().unwrap());
            }
            Some("retryAfter") => check_retry(429, case["input"].as_str(), 1, None, 1.8e12, 0.5),
            Some("baseUrl") => check_base_url(case["input"].as_str().unwrap()),
            Some("csv") => check_csv(case["input"].as_str().unwrap()),
            other => panic!("{}: unknown kind {other:?}", path.display()),
        }
        count += 1;
    }
    assert!(count > 0);
}

/// The wasm's one entry, over any operation name, any arguments and any text: it never panics,
/// and always answers JSON of one of its shapes (a request's body, after a NUL, is checked too).
fn check_run(op: &str, input: &str, text: &str) {
    let out = intune_esim::api::run(op, input, text);
    let (head, body) = match out.split_once('\0') {
        Some((h, b)) => (h, Some(b)),
        None => (out.as_str(), None),
    };
    let answer: Value = serde_json::from_str(head).unwrap_or_else(|e| panic!("{e}: {head}"));
    let shape = ["ok", "error", "retry", "take"].iter().filter(|k| answer.get(**k).is_some()).count();
    assert_eq!(shape, 1, "{head}");
    if let Some(e) = answer.get("error") {
        assert!(e["intuneEsimError"].is_string() && e["message"].is_string(), "{head}");
    }
    if let Some(b) = body.filter(|b| !b.is_empty()) {
        serde_json::from_str::<Value>(b).unwrap_or_else(|e| panic!("the body is JSON: {e}: {b}"));
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn validation_never_panics_and_round_trips(assignments in assignment_list()) {
        check_assign(&assignments);
    }

    #[test]
    fn answers_are_read_without_panics(
        status in prop_oneof![Just(200u16), Just(201), Just(204), Just(400), Just(429), Just(500), 0u16..1000],
        headers in prop::collection::vec((prop_oneof![Just("Retry-After".to_owned()), Just("REQUEST-ID".to_owned()), Just("content-type".to_owned()), any::<String>()], any::<String>()), 0..4),
        body in prop_oneof![
            json_value().prop_map(|v| v.to_string()),
            json_value().prop_map(|v| json!({ "value": v }).to_string()),
            json_value().prop_map(|v| json!({ "error": v }).to_string()),
            any::<String>(),
        ],
    ) {
        check_answer(status, &headers, &body);
    }

    #[test]
    fn the_retry_policy_keeps_its_bounds(
        status in prop_oneof![Just(429u16), Just(503), Just(504), 0u16..1000],
        retry_after in prop::option::of(prop_oneof![any::<String>(), "[0-9]{1,30}", "-[0-9]{1,5}", Just("Sun, 29 Nov 2026 10:00:12 GMT".to_owned())]),
        made in 0u32..20,
        remaining in prop::option::of(-1e6f64..1e7),
        now in 0f64..4e12,
        random in prop_oneof![0f64..1.0, any::<f64>()],
    ) {
        check_retry(status, retry_after.as_deref(), made, remaining, now, random);
    }

    #[test]
    fn activation_code_files_never_panic_and_what_they_accept_is_valid(
        text in prop_oneof![
            any::<String>(),
            prop::collection::vec(prop_oneof![
                "[0-9]{18,21}", "[A-Za-z0-9 -]{0,8}", "[a-z]{1,6}\\.[a-z]{2,4}", Just("\"".to_owned()), Just("".to_owned())
            ], 0..4).prop_map(|f| f.join(",")).prop_map(|l| format!("{l}\n{l}\r\n\n{l}")),
        ],
    ) {
        check_csv(&text);
    }

    #[test]
    fn json_text_is_read_as_json_parse_reads_it(
        text in prop_oneof![
            1 => any::<String>(),
            6 => json_soup(),
            1 => json_value().prop_map(|v| v.to_string()),
            1 => json_value().prop_map(|v| serde_json::to_string_pretty(&v).unwrap()),
        ],
    ) {
        check_json_text(&text);
    }

    #[test]
    fn base_urls_never_panic_and_are_stable(s in prop_oneof![any::<String>(), "(https?|ftp)://[a-z0-9.:@\\[\\]-]{0,20}(/[a-z./?#]{0,10}){0,3}"]) {
        check_base_url(&s);
    }
    #[test]
    fn the_wasm_entry_answers_json_whatever_it_is_given(
        op in prop_oneof![
            Just("assign"), Just("listPools"), Just("listAssignments"), Just("listDeviceStates"), Just("getPool"),
            Just("createPool"), Just("deletePool"), Just("answer"), Just("token"), Just("parseActivationCodesCsv"),
            Just("checkChange"), Just("mergeAssignments"), Just("sameAssignments"), Just("checkAssignMany"),
            Just("previewAssign"), Just("nope"),
        ],
        fields in prop::collection::vec((prop_oneof![
            Just("poolId".to_owned()), Just("assignments".to_owned()), Just("token".to_owned()), Just("options".to_owned()),
            Just("nextLink".to_owned()), Just("pool".to_owned()), Just("targets".to_owned()), Just("current".to_owned()),
            Just("change".to_owned()), Just("written".to_owned()), Just("found".to_owned()), Just("poolIds".to_owned()),
            Just("bulk".to_owned()), Just("text".to_owned()), Just("read".to_owned()), Just("status".to_owned()),
            Just("headers".to_owned()), Just("made".to_owned()), Just("retry".to_owned()), Just("what".to_owned()),
            Just("given".to_owned()), any::<String>(),
        ], prop_oneof![3 => json_value(), 1 => assignment_list(), 1 => Just(json!(POOL)), 1 => Just(json!("\u{0}function"))]), 0..6),
        text in prop_oneof![any::<String>(), json_value().prop_map(|v| v.to_string()), Just(POOL.to_owned())],
    ) {
        let input = Value::Object(fields.into_iter().collect::<Map<_, _>>()).to_string();
        check_run(op, &input, &text);
        check_run(op, &text, &input);
    }
}
