//! The wasm export itself, run by wasm-bindgen-test in Node (and in headless Chromium with
//! `WASM_BINDGEN_USE_BROWSER=1`): whatever text comes in, an answer in JSON comes out, and the
//! instance keeps working. (A panic would trap and leave the instance dead for the page's life.)
//! The package's shell around it is tested in tests/js.
#![cfg(target_arch = "wasm32")]

use intune_esim::wasm::run as core;
use wasm_bindgen_test::*;

const POOL: &str = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";
const SEED_RESPONSE: &str = include_str!("fixtures/seed-response.json");

fn is_json_answer(out: &str) -> bool {
    let head = out.split('\0').next().unwrap_or("");
    js_sys::JSON::parse(head).is_ok()
        && ["{\"ok\":", "{\"error\":", "{\"take\":", "{\"retry\":"].iter().any(|s| head.starts_with(s))
}

#[wasm_bindgen_test]
fn an_assign_is_planned_and_its_answer_read() {
    let input = format!(r#"{{"poolId":"{POOL}","assignments":[],"token":"Bearer tok"}}"#);
    let out = core("assign", &input, "c0ffee00-0000-4000-8000-000000000000");
    let (plan, body) = out.split_once('\0').unwrap();
    assert!(plan.contains(r#""token":"tok""#), "{plan}");
    assert!(plan.contains(r#""client-request-id":"c0ffee00-0000-4000-8000-000000000000""#), "{plan}");
    assert_eq!(body, r#"{"assignments":[]}"#);
    let answer = core("answer", r#"{"read":"assign","status":200,"made":1,"nowMs":0}"#, SEED_RESPONSE);
    assert_eq!(answer, r#"{"take":"value"}"#);
}

#[wasm_bindgen_test]
fn any_text_gets_an_answer_and_the_instance_survives() {
    let deep = "[".repeat(100_000);
    let nasty = [
        "",
        "not json",
        "{\"poolId\":",
        &deep,
        "{\"assignments\":[{\"target\":{\"@odata.type\":\"\\ud800\"}}]}",
        "{\"token\":\"\u{0}function\",\"options\":{\"timeoutMs\":\"\u{0}nan\"}}",
        "{\"poolId\":1e999999,\"assignments\":[-0.0e-99999]}",
    ];
    for op in ["assign", "listPools", "answer", "token", "parseActivationCodesCsv", "mergeAssignments", "nope"] {
        for input in nasty {
            for text in ["", "\u{feff}x", &deep, "{\"value\":[1,2]}"] {
                let out = core(op, input, text);
                assert!(is_json_answer(&out), "{op} {input:.40}: {out:.200}");
            }
        }
    }
    assert_eq!(core("answer", r#"{"read":"assign","status":200}"#, SEED_RESPONSE), r#"{"take":"value"}"#);
}
