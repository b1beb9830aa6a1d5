//! The text interface the package's JavaScript calls (`api::run`), exactly as the wasm runs it:
//! arguments as JSON text in, `{"ok":...}` or `{"error":...}` out.
#![cfg(not(target_arch = "wasm32"))]

use intune_esim::api::run;
use serde_json::{json, Value};

const POOL: &str = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";
const CRID: &str = "c0ffee00-0000-4000-8000-000000000000";
const SEED_RESPONSE: &str = include_str!("fixtures/seed-response.json");

/// The answer's JSON, and the body after the NUL when there is one.
fn call(op: &str, input: Value, text: &str) -> (Value, Option<String>) {
    let out = run(op, &input.to_string(), text);
    let (head, body) = match out.split_once('\0') {
        Some((h, b)) => (h.to_owned(), Some(b.to_owned())),
        None => (out, None),
    };
    (serde_json::from_str(&head).unwrap_or_else(|e| panic!("{e}: {head}")), body)
}

#[test]
fn assign_answers_a_plan_and_the_body_after_it() {
    let input = json!({ "poolId": POOL, "assignments": [{ "target": { "@odata.type": "microsoft.graph.allDevicesAssignmentTarget" } }],
        "token": "Bearer abc", "options": { "baseUrl": "https://graph.microsoft.us/beta/" } });
    let (plan, body) = call("assign", input, CRID);
    assert_eq!(
        plan["ok"],
        json!({
            "method": "POST",
            "url": format!("https://graph.microsoft.us/beta/deviceManagement/embeddedSIMActivationCodePools/{POOL}/assign"),
            "headers": { "Accept": "application/json", "Content-Type": "application/json", "client-request-id": CRID },
            "token": "abc",
            "scope": "https://graph.microsoft.us/.default",
            "origin": "https://graph.microsoft.us",
            "clientRequestId": CRID,
            "read": "assign",
        })
    );
    let body: Value = serde_json::from_str(&body.unwrap()).unwrap();
    assert_eq!(
        body,
        json!({ "assignments": [{ "target": { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }] })
    );
}

#[test]
fn a_token_function_and_a_chosen_client_request_id_are_planned_for() {
    let input =
        json!({ "poolId": POOL, "assignments": [], "token": "\u{0}function", "options": { "clientRequestId": POOL } });
    let (plan, _) = call("assign", input, CRID);
    assert_eq!(plan["ok"]["token"], Value::Null);
    assert_eq!(plan["ok"]["clientRequestId"], POOL);
}

#[test]
fn every_problem_comes_back_at_once_with_its_path() {
    let input = json!({ "poolId": 5, "assignments": [{ "target": "x" }], "token": "\u{0}other", "options": { "fetch": 1, "timeoutMs": "\u{0}nan" } });
    let (answer, body) = call("assign", input, CRID);
    assert!(body.is_none());
    let e = &answer["error"];
    assert_eq!(e["intuneEsimError"], "ValidationError");
    let paths: Vec<&str> = e["issues"].as_array().unwrap().iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["poolId", "assignments[0].target", "token", "options.timeoutMs", "options.fetch"]);
    assert!(e["message"]
        .as_str()
        .unwrap()
        .starts_with("5 problems with the input: poolId: must be a GUID string, got a number"));
}

#[test]
fn answers_are_read_into_results_retries_and_errors() {
    let attempt = |status: u16, headers: Value, made: u32, remaining: Value| {
        json!({ "read": "assign", "status": status, "headers": headers, "made": made, "remainingMs": remaining,
            "nowMs": 0, "random": 0.5, "retry": { "retryBaseDelayMs": 10, "retryMaxDelayMs": 100 }, "clientRequestId": CRID })
    };
    let (ok, _) = call("answer", attempt(200, json!({}), 1, Value::Null), SEED_RESPONSE);
    assert_eq!(ok, json!({ "take": "value" }), "the shell takes the body's value");

    let (retry, _) = call("answer", attempt(429, json!({ "retry-after": "0" }), 1, Value::Null), "");
    assert_eq!(retry, json!({ "retry": 0 }));
    let (retry, _) = call("answer", attempt(503, json!({}), 1, Value::Null), "");
    assert_eq!(retry, json!({ "retry": 15 }), "halfway between 10 and 20 ms");

    let throttled = r#"{"error":{"code":"TooManyRequests","message":"Slow down."}}"#;
    let (late, _) = call("answer", attempt(429, json!({}), 1, json!(10)), throttled);
    assert_eq!(late["deadline"], true, "a 15 ms wait would end past the deadline");
    assert_eq!(late["error"]["intuneEsimError"], "GraphError");
    assert_eq!(late["error"]["body"], serde_json::from_str::<Value>(throttled).unwrap());
    assert_eq!(late["error"]["clientRequestId"], CRID);

    let (spent, _) = call("answer", attempt(429, json!({ "retry-after": "5" }), 4, Value::Null), "<html>busy</html>");
    assert_eq!(spent["error"]["body"], "<html>busy</html>");
    assert_eq!(spent["error"]["retryAfterMs"], 5000);
    assert!(spent.get("deadline").is_none());

    let (odd, _) = call("answer", attempt(200, json!({}), 1, Value::Null), r#"{"value":[{"id":1}]}"#);
    assert_eq!(odd["error"]["intuneEsimError"], "ResponseError");
}

#[test]
fn pages_carry_their_next_link_and_a_foreign_one_is_refused() {
    let page = r#"{"value":[{"id":"a","displayName":"A"}],"@odata.nextLink":"https://graph.microsoft.com/beta/x?$skiptoken=1"}"#;
    let (ok, _) = call("answer", json!({ "read": "page:pool", "status": 200 }), page);
    assert_eq!(ok, json!({ "take": "value", "nextLink": "https://graph.microsoft.com/beta/x?$skiptoken=1" }));
    let (one, _) = call("answer", json!({ "read": "pool", "status": 200 }), r#"{"id":"a"}"#);
    assert_eq!(one, json!({ "take": "body" }));
    let (gone, _) = call("answer", json!({ "read": "none", "status": 204 }), "");
    assert_eq!(gone, json!({ "ok": null }));

    let (plan, _) =
        call("listPools", json!({ "token": "t", "nextLink": "https://graph.microsoft.com/beta/x?$skiptoken=1" }), CRID);
    assert_eq!(plan["ok"]["url"], "https://graph.microsoft.com/beta/x?$skiptoken=1");
    let (refused, _) = call("listPools", json!({ "token": "t", "nextLink": "https://evil.example/beta/x" }), CRID);
    assert_eq!(refused["error"]["intuneEsimError"], "ResponseError");
}

#[test]
fn a_provider_token_is_checked_and_never_quoted() {
    let (ok, _) = call("token", json!({ "what": "the token function", "given": "Bearer abc" }), "");
    assert_eq!(ok["ok"], "abc");
    let (bad, _) = call("token", json!({ "what": "the token function", "given": "a secret with spaces" }), "");
    let message = bad["error"]["message"].as_str().unwrap();
    assert!(message.contains("the token function gave a token that must not contain whitespace"), "{message}");
    assert!(!message.contains("secret"));
    let (none, _) = call("token", json!({ "what": "getToken()" }), "");
    assert!(none["error"]["message"].as_str().unwrap().contains("getToken() gave null, not a token string"));
}

#[test]
fn text_that_is_not_the_interface_still_gets_a_json_answer() {
    for (op, input) in [("assign", "not json"), ("nope", "{}"), ("answer", "[]"), ("token", "null")] {
        let out = run(op, input, "");
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert!(v.get("error").is_some() || v.get("ok").is_some(), "{out}");
    }
}
