//! The wasm shell, run by wasm-bindgen-test in Node (and in headless Chromium with
//! `WASM_BINDGEN_USE_BROWSER=1`): JavaScript values of every wrong type, hostile objects, token
//! providers, cancellation, and a `fetch` given in the options that answers with the seed's
//! response. The npm package's own tests (tests/js) cover the real HTTP against the emulator.
#![cfg(target_arch = "wasm32")]

use intune_esim::wasm::assign;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const POOL: &str = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";
const SEED_REQUEST: &str = include_str!("fixtures/seed-request.json");
const SEED_RESPONSE: &str = include_str!("fixtures/seed-response.json");

fn js(body: &str) -> JsValue {
    Function::new_no_args(body).call0(&JsValue::UNDEFINED).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn parse(s: &str) -> JsValue {
    js_sys::JSON::parse(s).unwrap()
}

fn stringify(v: &JsValue) -> String {
    js_sys::JSON::stringify(v).unwrap().as_string().unwrap()
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

/// A fetch that records its calls in `globalThis.calls` and answers with `status` and `body`.
fn recording_fetch(status: u16, body: &str) -> JsValue {
    let f = Function::new_with_args(
        "status, body",
        "globalThis.calls = []; return (url, init) => { globalThis.calls.push({ url, init }); \
         return Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json', 'request-id': 'r-1' } })); }",
    );
    f.call2(&JsValue::UNDEFINED, &status.into(), &body.into()).unwrap()
}

async fn settle(p: js_sys::Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

fn issue_paths(e: &JsValue) -> Vec<String> {
    Array::from(&get(e, "issues")).iter().map(|i| get(&i, "path").as_string().unwrap()).collect()
}

#[wasm_bindgen_test]
async fn the_seed_example_goes_out_as_the_seed_body_and_comes_back_typed() {
    let fetch = recording_fetch(200, SEED_RESPONSE);
    let assignments = get(&parse(SEED_REQUEST), "assignments");
    let opts = options(&[("fetch", fetch)]);
    let value = settle(assign(POOL.into(), assignments, "Bearer tok".into(), opts)).await.unwrap();
    assert_eq!(stringify(&value), stringify(&get(&parse(SEED_RESPONSE), "value")));

    let call = Array::from(&js("return globalThis.calls")).get(0);
    assert_eq!(
        get(&call, "url").as_string().unwrap(),
        format!("https://graph.microsoft.com/beta/deviceManagement/embeddedSIMActivationCodePools/{POOL}/assign")
    );
    let init = get(&call, "init");
    assert_eq!(get(&init, "method").as_string().unwrap(), "POST");
    let headers = get(&init, "headers");
    assert_eq!(get(&headers, "Authorization").as_string().unwrap(), "Bearer tok");
    assert_eq!(get(&headers, "Content-Type").as_string().unwrap(), "application/json");
    assert_eq!(get(&headers, "client-request-id").as_string().unwrap().len(), 36);
    let sent = parse(&get(&init, "body").as_string().unwrap());
    let expected = parse(&SEED_REQUEST.replace(
        "\"microsoft.graph.deviceAndAppManagementAssignmentTarget\"",
        "\"#microsoft.graph.deviceAndAppManagementAssignmentTarget\"",
    ));
    assert_eq!(stringify(&sent), stringify(&expected));
}

#[wasm_bindgen_test]
async fn wrong_javascript_types_are_a_validation_error_not_a_trap() {
    let cases: Vec<(JsValue, JsValue, JsValue, JsValue, Vec<&str>)> = vec![
        (5.into(), JsValue::NULL, 7.into(), "x".into(), vec!["poolId", "assignments", "token", "options"]),
        (
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
            vec!["poolId", "assignments", "token"],
        ),
        (
            POOL.into(),
            js("return [Symbol('x'), 10n, () => 1]"),
            "t".into(),
            JsValue::NULL,
            vec!["assignments[0]", "assignments[1]", "assignments[2]"],
        ),
        (POOL.into(), js("return [{ target: 'group' }]"), "t".into(), JsValue::NULL, vec!["assignments[0].target"]),
        (
            js("return new String('e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7')"),
            Array::new().into(),
            "t".into(),
            JsValue::NULL,
            vec!["poolId"],
        ),
        (POOL.into(), Array::new().into(), js("return { getToken: 1 }"), JsValue::NULL, vec!["token"]),
        (
            POOL.into(),
            Array::new().into(),
            "t".into(),
            js("return { signal: {}, fetch: 1 }"),
            vec!["options.signal", "options.fetch"],
        ),
    ];
    for (pool, assignments, token, opts, expected) in cases {
        let e = settle(assign(pool, assignments, token, opts)).await.unwrap_err();
        assert_eq!(get(&e, "intuneEsimError").as_string().unwrap(), "ValidationError");
        assert_eq!(issue_paths(&e), expected);
    }
}

#[wasm_bindgen_test]
async fn hostile_objects_do_not_break_the_module() {
    // Getters that throw, a proxy that throws on every trap, a revoked proxy.
    let hostile = js("const boom = () => { throw new Error('boom') };
         const p = new Proxy({}, { get: boom, ownKeys: boom, has: boom, getOwnPropertyDescriptor: boom });
         const r = Proxy.revocable({}, {}); r.revoke();
         return [{ get target() { throw new Error('getter') } }, p, { target: p }, { target: r.proxy }];");
    let e = settle(assign(POOL.into(), hostile, "t".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&e, "intuneEsimError").as_string().unwrap(), "ValidationError");
    assert_eq!(issue_paths(&e).len(), 4);
    // The instance still works.
    let fetch = recording_fetch(200, SEED_RESPONSE);
    let ok = settle(assign(POOL.into(), Array::new().into(), "t".into(), options(&[("fetch", fetch)]))).await;
    assert!(ok.is_ok());
}

#[wasm_bindgen_test]
async fn an_aborted_signal_rejects_with_its_reason_and_sends_nothing() {
    let fetch = recording_fetch(200, SEED_RESPONSE);
    let signal = js("const c = new AbortController(); c.abort(new Error('stop it')); return c.signal");
    let e =
        settle(assign(POOL.into(), Array::new().into(), "t".into(), options(&[("fetch", fetch), ("signal", signal)])))
            .await
            .unwrap_err();
    assert_eq!(get(&e, "message").as_string().unwrap(), "stop it");
    assert_eq!(Array::from(&js("return globalThis.calls")).length(), 0);
}

#[wasm_bindgen_test]
async fn a_fetch_that_never_answers_is_cut_off_by_the_deadline() {
    let never = js("return () => new Promise(() => {})");
    let e = settle(assign(
        POOL.into(),
        Array::new().into(),
        "t".into(),
        options(&[("fetch", never), ("timeoutMs", 30.into())]),
    ))
    .await
    .unwrap_err();
    assert_eq!(get(&e, "intuneEsimError").as_string().unwrap(), "TimeoutError");
    assert_eq!(get(&e, "timeoutMs").as_f64().unwrap(), 30.0);
}

#[wasm_bindgen_test]
async fn a_token_provider_that_never_answers_is_cut_off_too() {
    let never = js("return () => new Promise(() => {})");
    let fetch = recording_fetch(200, SEED_RESPONSE);
    let e =
        settle(assign(POOL.into(), Array::new().into(), never, options(&[("fetch", fetch), ("timeoutMs", 30.into())])))
            .await
            .unwrap_err();
    assert_eq!(get(&e, "intuneEsimError").as_string().unwrap(), "TimeoutError");
}

#[wasm_bindgen_test]
async fn token_functions_and_credentials_are_asked_for_the_token() {
    // MSAL's AuthenticationResult, as `() => msal.acquireTokenSilent(request)` returns it.
    let msal = js("return async () => ({ accessToken: 'from-msal' })");
    let fetch = recording_fetch(200, SEED_RESPONSE);
    settle(assign(POOL.into(), Array::new().into(), msal, options(&[("fetch", fetch)]))).await.unwrap();
    let auth = js("return globalThis.calls[0].init.headers.Authorization");
    assert_eq!(auth.as_string().unwrap(), "Bearer from-msal");

    // A TokenCredential is asked for the scope of the base URL's cloud.
    let credential = js("globalThis.scopes = null; return { getToken: async (s) => { globalThis.scopes = s; return { token: 'from-credential', expiresOnTimestamp: 0 } } }");
    let fetch = recording_fetch(200, SEED_RESPONSE);
    let opts = options(&[("fetch", fetch), ("baseUrl", "https://graph.microsoft.us/beta".into())]);
    settle(assign(POOL.into(), Array::new().into(), credential, opts)).await.unwrap();
    assert_eq!(stringify(&js("return globalThis.scopes")), r#"["https://graph.microsoft.us/.default"]"#);
    assert_eq!(
        js("return globalThis.calls[0].init.headers.Authorization").as_string().unwrap(),
        "Bearer from-credential"
    );
}

#[wasm_bindgen_test]
async fn a_provider_error_passes_through_and_a_bad_token_is_a_validation_error() {
    let throws = js("return () => { const e = new Error('interaction_required'); e.name = 'InteractionRequiredAuthError'; return Promise.reject(e) }");
    let e = settle(assign(POOL.into(), Array::new().into(), throws, JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&e, "name").as_string().unwrap(), "InteractionRequiredAuthError");

    let fetch = recording_fetch(200, SEED_RESPONSE);
    let spaced = js("return () => 'has a space'");
    let e = settle(assign(POOL.into(), Array::new().into(), spaced, options(&[("fetch", fetch)]))).await.unwrap_err();
    assert_eq!(issue_paths(&e), ["token"]);
    assert!(!get(&e, "message").as_string().unwrap().contains("has a space"));
    assert_eq!(Array::from(&js("return globalThis.calls")).length(), 0);

    let null_token = js("return { getToken: async () => null }");
    let e = settle(assign(POOL.into(), Array::new().into(), null_token, JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(issue_paths(&e), ["token"]);
}

#[wasm_bindgen_test]
async fn a_failing_fetch_is_a_network_error_with_its_cause() {
    let failing = js("return () => Promise.reject(new TypeError('Failed to fetch'))");
    let e =
        settle(assign(POOL.into(), Array::new().into(), "t".into(), options(&[("fetch", failing)]))).await.unwrap_err();
    assert_eq!(get(&e, "intuneEsimError").as_string().unwrap(), "NetworkError");
    assert_eq!(get(&get(&e, "cause"), "message").as_string().unwrap(), "Failed to fetch");
    assert!(get(&e, "message").as_string().unwrap().starts_with("Could not reach https://graph.microsoft.com"));
}

#[wasm_bindgen_test]
async fn graph_errors_and_bad_shapes_are_typed() {
    let forbidden =
        recording_fetch(403, r#"{"error":{"code":"Forbidden","message":"Nope.","innerError":{"request-id":"r-9"}}}"#);
    let e = settle(assign(POOL.into(), Array::new().into(), "t".into(), options(&[("fetch", forbidden)])))
        .await
        .unwrap_err();
    assert_eq!(get(&e, "intuneEsimError").as_string().unwrap(), "GraphError");
    assert_eq!(get(&e, "status").as_f64().unwrap(), 403.0);
    assert_eq!(get(&e, "code").as_string().unwrap(), "Forbidden");
    assert_eq!(get(&e, "requestId").as_string().unwrap(), "r-9");

    let shapeless = recording_fetch(200, r#"{"value":[{"id":"x"}]}"#);
    let e = settle(assign(POOL.into(), Array::new().into(), "t".into(), options(&[("fetch", shapeless)])))
        .await
        .unwrap_err();
    assert_eq!(get(&e, "intuneEsimError").as_string().unwrap(), "ResponseError");
    assert_eq!(get(&e, "message").as_string().unwrap(), "Graph's answer: value[0] has no target");
}

#[wasm_bindgen_test]
async fn throttled_answers_are_retried_as_one_call() {
    // 429, 503, then the seed's answer; the fetch records what each attempt carried.
    let fetch = js(&format!(
        "globalThis.calls = []; const answers = [[429, ''], [503, ''], [200, {SEED_RESPONSE:?}]];
         return (url, init) => {{ globalThis.calls.push({{ url, init }});
           const [status, body] = answers.shift();
           return Promise.resolve(new Response(body, {{ status }})); }}"
    ));
    let seen = js("globalThis.retries = []; return (info) => globalThis.retries.push(info)");
    let opts =
        options(&[("fetch", fetch), ("onRetry", seen), ("retryBaseDelayMs", 1.into()), ("retryMaxDelayMs", 5.into())]);
    let value = settle(assign(POOL.into(), Array::new().into(), "t".into(), opts)).await.unwrap();
    assert_eq!(Array::from(&value).length(), 1);
    let attempts = js("return globalThis.calls.map(c => [c.init.headers['Retry-Attempt'] ?? null, c.init.headers['client-request-id']])");
    let attempts: Vec<JsValue> = Array::from(&attempts).iter().collect();
    assert_eq!(attempts.len(), 3);
    let header = |i: usize| Array::from(&attempts[i]).get(0).as_string();
    assert_eq!([header(0), header(1), header(2)], [None, Some("1".into()), Some("2".into())]);
    let id = |i: usize| Array::from(&attempts[i]).get(1).as_string();
    assert!(id(0) == id(1) && id(1) == id(2));
    assert_eq!(stringify(&js("return globalThis.retries.map(r => [r.attempt, r.status])")), "[[1,429],[2,503]]");
}
