//! Graph's and Intune's facts are written once for the package, in `pkg/facts.json`: the emulator
//! and the CLI read that file. The core is compiled to wasm and reads no file, so it keeps its own
//! constants; these tests hold each of them to the file, so that neither side can change alone.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use intune_esim::activation_code::{is_iccid, is_matching_id, is_smdp_address};
use intune_esim::batch::MAX_REQUESTS;
use intune_esim::model::{
    without_hash, DeviceAndAppManagementAssignmentFilterType as FilterType, EmbeddedSimDeviceStateValue, TargetKind,
};
use intune_esim::pace::{INTUNE_REQUESTS, INTUNE_WINDOW_MS, INTUNE_WRITES};
use intune_esim::response::{self, Headers, HttpResponse};
use intune_esim::retry::RetryPolicy;
use intune_esim::target_key::{FILTER_ID, FILTER_TYPE, ZERO_FILTER_ID};
use intune_esim::url::DEFAULT_BASE_URL;
use intune_esim::validate::{self, Issues, Many};
use proptest::string::string_regex;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

// Compiled in, so that cargo runs these tests again whenever the file changes.
const FACTS: &str = include_str!("../pkg/facts.json");

fn facts() -> Value {
    serde_json::from_str(FACTS).expect("pkg/facts.json is JSON")
}

/// A number of the file, read as JSON numbers are (20000 and 20000.0 are one value).
fn number(facts: &Value, pointer: &str) -> f64 {
    facts
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("pkg/facts.json has no number at {pointer}"))
}

/// `1000` as the core's messages write it: `1,000`.
fn with_thousands(n: f64) -> String {
    let digits = format!("{n:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn every_fact_of_the_file_is_checked() {
    // A fact added to the file needs its check here (or, for one the core does not hold, in
    // tests/js/facts.test.mjs), or it would be one home nobody holds the core to.
    let facts = facts();
    let names: BTreeSet<&str> = facts.as_object().unwrap().keys().map(String::as_str).collect();
    let checked = BTreeSet::from([
        "$comment",
        "baseUrl",
        "targetKinds",
        "filter",
        "deviceStates",
        "activationCodePatterns",
        "intuneLimits",
        "intuneTenantLimits",
        "batchSize",
        "retry",
        "concurrency",
    ]);
    assert_eq!(names, checked);
}

#[test]
fn the_target_kinds_and_their_id_properties_are_the_cores() {
    let core: serde_json::Map<String, Value> = TargetKind::ALL
        .into_iter()
        .map(|kind| {
            let name = without_hash(kind.odata_type()).strip_prefix("microsoft.graph.").unwrap();
            (name.to_owned(), json!(kind.id_property()))
        })
        .collect();
    assert_eq!(facts()["targetKinds"], Value::Object(core));
}

#[test]
fn the_filter_properties_types_and_no_filter_id_are_the_cores() {
    let types: Vec<&str> = FilterType::ALL.into_iter().map(FilterType::as_str).collect();
    assert_eq!(
        facts()["filter"],
        json!({ "idProperty": FILTER_ID, "typeProperty": FILTER_TYPE, "types": types, "noFilterId": ZERO_FILTER_ID })
    );
}

#[test]
fn the_device_states_are_the_cores_in_graphs_order() {
    let states: Vec<&str> =
        EmbeddedSimDeviceStateValue::ALL.into_iter().map(EmbeddedSimDeviceStateValue::as_str).collect();
    assert_eq!(facts()["deviceStates"], json!(states));
}

/// One of the core's checks of an activation code's field.
type Check = fn(&str) -> bool;

#[test]
fn what_the_activation_code_patterns_match_the_core_takes() {
    let facts = facts();
    let patterns = facts["activationCodePatterns"].as_object().unwrap();
    let checks: [(&str, Check); 3] = [
        ("integratedCircuitCardIdentifier", is_iccid),
        ("matchingIdentifier", is_matching_id),
        ("smdpPlusServerAddress", is_smdp_address),
    ];
    assert_eq!(patterns.keys().map(String::as_str).collect::<BTreeSet<_>>(), checks.iter().map(|(f, _)| *f).collect());
    let mut runner = TestRunner::new(Config { cases: 2000, failure_persistence: None, ..Config::default() });
    for (field, takes) in checks {
        // Each pattern matches a whole value; proptest's generator takes no anchors, so the
        // strings are generated from what is between them.
        let pattern = patterns[field].as_str().unwrap();
        let body = pattern.strip_prefix('^').and_then(|p| p.strip_suffix('$')).expect("the pattern is anchored");
        let strategy = string_regex(body).unwrap_or_else(|e| panic!("{field}: {e}"));
        runner
            .run(&strategy, |s| {
                assert!(takes(&s), "{field}: {s:?} matches {pattern} but the core refuses it");
                Ok(())
            })
            .unwrap();
    }
    // The other way (what the core takes, the patterns match) needs a regex engine, which these
    // tests do not have: tests/js/facts.test.mjs checks it against the emulator, which matches
    // with the patterns.
}

#[test]
fn intunes_limits_are_the_cores_and_its_messages_say_them() {
    let facts = facts();
    let (requests, writes, window_ms) = (
        number(&facts, "/intuneLimits/requests"),
        number(&facts, "/intuneLimits/writes"),
        number(&facts, "/intuneLimits/windowMs"),
    );
    assert_eq!(facts["intuneLimits"].as_object().unwrap().len(), 3);
    assert_eq!((f64::from(INTUNE_REQUESTS), f64::from(INTUNE_WRITES), INTUNE_WINDOW_MS), (requests, writes, window_ms));

    // The batched reads keep under the request limit unless told another pace.
    let defaults = validate::many_options(None::<&&Value>, &mut Issues::default()).unwrap().1;
    let concurrency = number(&facts, "/concurrency");
    assert_eq!(defaults, Many { concurrency: concurrency as u32, limit: requests as u32, per_ms: window_ms });
    // And assignMany under the write limit, with the same concurrency.
    let spread = validate::assign_many_options(None::<&&Value>, &mut Issues::default()).unwrap().1;
    assert_eq!(
        (f64::from(spread.concurrency), f64::from(spread.writes), spread.per_ms),
        (concurrency, writes, window_ms)
    );

    // A pace option given wrong is told the limit as an example.
    let mut issues = Issues::default();
    validate::bulk_options(Some(&&json!({ "writeLimit": {} })), &mut issues);
    let bad = json!({ "readLimit": {} });
    validate::many_options(Some(&&bad), &mut issues);
    let messages: Vec<&str> = issues.0.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains(&format!("{{ writes: {writes}, perMs: {window_ms} }}")), "{}", messages[0]);
    assert!(messages[1].contains(&format!("{{ requests: {requests}, perMs: {window_ms} }}")), "{}", messages[1]);

    // A 429 says what the limits are.
    let throttled = response::graph_error(HttpResponse::<&Value> {
        status: 429,
        headers: &Headers::default(),
        text: "",
        json: None,
    });
    let said = format!(
        "{} writes and {} requests per {} seconds",
        with_thousands(writes),
        with_thousands(requests),
        with_thousands(window_ms / 1000.0)
    );
    assert!(throttled.message.contains(&said), "{:?} does not say {said:?}", throttled.message);
}

#[test]
fn intunes_limits_per_tenant_are_the_emulators_only() {
    // Intune also counts a tenant's requests across all its apps. The core paces one app and holds
    // no constant for these: only the emulator enforces them (tests/js/tenants.test.mjs holds its
    // exported limits and its 429s to this file). What must hold here is that they make sense
    // beside the per-app ones: the same window, and never below what one app may send.
    let facts = facts();
    assert_eq!(facts["intuneTenantLimits"].as_object().unwrap().len(), 3);
    assert_eq!(number(&facts, "/intuneTenantLimits/windowMs"), number(&facts, "/intuneLimits/windowMs"));
    for kind in ["writes", "requests"] {
        let (tenant, app) =
            (number(&facts, &format!("/intuneTenantLimits/{kind}")), number(&facts, &format!("/intuneLimits/{kind}")));
        assert!(tenant >= app, "{kind}: {tenant} per tenant is below {app} per app");
    }
}

#[test]
fn the_batch_size_is_the_cores() {
    assert_eq!(number(&facts(), "/batchSize"), MAX_REQUESTS as f64);
}

#[test]
fn a_calls_defaults_are_the_base_url_and_retry_policy_of_the_file() {
    let facts = facts();
    assert_eq!(facts["baseUrl"], DEFAULT_BASE_URL);
    // What a call without options gets, not only the constants.
    let options = validate::options(None::<&&Value>, &mut Issues::default()).unwrap();
    assert_eq!(options.base_url.as_string(), DEFAULT_BASE_URL);
    assert_eq!(options.retry, RetryPolicy::default());
    let retry = RetryPolicy {
        max_retries: number(&facts, "/retry/maxRetries") as u32,
        base_delay_ms: number(&facts, "/retry/baseDelayMs"),
        max_delay_ms: number(&facts, "/retry/maxDelayMs"),
    };
    assert_eq!(facts["retry"].as_object().unwrap().len(), 3);
    assert_eq!(options.retry, retry);
}
