//! The wasm shell's exports, called as Rust functions by wasm-bindgen-test in Node (and in
//! headless Chromium with `WASM_BINDGEN_USE_BROWSER=1`), with hostile JavaScript values built in
//! JavaScript: proxies whose traps throw, revoked proxies, getters that throw, cycles, bigints,
//! symbols, functions where data belongs, 100,000-element arrays and 10,000-deep nesting.
//!
//! Each export must settle: reject with a `ValidationError` (an `Error` whose `name` says so and
//! whose `issues` list every problem with its path) or, where the value is acceptable, resolve.
//! Never a trap or a panic, which would leave the instance dead for the page's life: after each
//! case a plain `previewAssign` must still resolve. Wherever a call to `assign` could pass its
//! checks, it is given a `fetch` of the test's own that records the call and rejects, so nothing
//! here reaches a network; a refused call must not have called it at all.
//!
//! The last section keeps the values that broke the shell when these tests were written (a
//! crash of Node, a trap, a hang, a call accepted that would have removed every assignment); the
//! two once slow ones are bounded now.
//!
//! Tests named `heavy_*` hold the thread for seconds at a time (100,000-item arrays, a value
//! read up to `MAX_VALUES`). In Chromium they run in a dedicated worker, never on the page:
//! a page busy that long cannot answer the WebDriver that reads its results (scripts/test.mjs).
#![cfg(target_arch = "wasm32")]

use intune_esim::wasm::errors::set_error_classes;
use intune_esim::wasm::local::preview_assign;
use intune_esim::wasm::many::assign_many;
use intune_esim::wasm::pools::assign;
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const POOL: &str = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";

/// A JavaScript expression's value (in the global scope, non-strict).
fn js(src: &str) -> JsValue {
    Function::new_no_args(&["return (", src, ");"].concat())
        .call0(&JsValue::NULL)
        .unwrap_or_else(|e| panic!("{src}: {e:?}"))
}

fn get(v: &JsValue, name: &str) -> JsValue {
    Reflect::get(v, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// How an export's promise settled.
#[derive(Debug)]
enum Settled {
    Resolved(JsValue),
    Rejected(JsValue),
    /// Not within `SETTLE_MS`: a call that hangs (the event loop still turns, so the race ends).
    Pending,
}

const SETTLE_MS: u32 = 30_000;

async fn settle(p: Promise) -> Settled {
    let race = js("(p, ms) => Promise.race([\
        p.then(v => ({ resolved: v }), e => ({ rejected: e })),\
        new Promise(r => setTimeout(() => r({ pending: true }), ms)),\
    ])");
    let raced = race.unchecked_ref::<Function>().call2(&JsValue::NULL, &p, &SETTLE_MS.into()).expect("the race");
    let o = JsFuture::from(raced.unchecked_into::<Promise>()).await.expect("the race resolves");
    if Reflect::has(&o, &"resolved".into()).unwrap_or(false) {
        Settled::Resolved(get(&o, "resolved"))
    } else if Reflect::has(&o, &"rejected".into()).unwrap_or(false) {
        Settled::Rejected(get(&o, "rejected"))
    } else {
        Settled::Pending
    }
}

/// One problem of a ValidationError.
#[derive(Debug)]
struct Issue {
    path: String,
    message: String,
}

/// The issues of a rejection, which must be a ValidationError with at least one issue, each with
/// a path and a message.
fn issues_of(e: &JsValue, what: &str) -> Vec<Issue> {
    assert!(e.is_instance_of::<js_sys::Error>(), "{what}: rejected with a non-Error {e:?}");
    assert_eq!(get(e, "name").as_string().as_deref(), Some("ValidationError"), "{what}: {e:?}");
    assert!(get(e, "message").as_string().is_some_and(|m| !m.is_empty()), "{what}: no message");
    let issues = get(e, "issues");
    assert!(Array::is_array(&issues), "{what}: issues is not an array: {issues:?}");
    let issues: Vec<Issue> = issues
        .unchecked_into::<Array>()
        .iter()
        .map(|i| Issue {
            path: get(&i, "path").as_string().unwrap_or_else(|| panic!("{what}: an issue without a path")),
            message: get(&i, "message").as_string().unwrap_or_else(|| panic!("{what}: an issue without a message")),
        })
        .collect();
    assert!(!issues.is_empty(), "{what}: a ValidationError with no issues");
    assert!(issues.iter().all(|i| !i.message.is_empty()), "{what}: an empty message in {issues:?}");
    issues
}

/// The call rejects with a ValidationError; its issues.
async fn refused(p: Promise, what: &str) -> Vec<Issue> {
    match settle(p).await {
        Settled::Rejected(e) => issues_of(&e, what),
        other => panic!("{what}: expected a ValidationError, got {other:?}"),
    }
}

/// The call rejects with a ValidationError that has an issue at `path` or under it.
async fn refused_at(p: Promise, path: &str, what: &str) -> Vec<Issue> {
    let issues = refused(p, what).await;
    assert!(issues.iter().any(|i| is_under(&i.path, path)), "{what}: no issue at {path}: {issues:?}");
    issues
}

/// `path` is `at` or a path inside it (`at.x`, `at[0]`).
fn is_under(path: &str, at: &str) -> bool {
    path.strip_prefix(at).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

async fn resolved(p: Promise, what: &str) -> JsValue {
    match settle(p).await {
        Settled::Resolved(v) => v,
        other => panic!("{what}: expected to resolve, got {other:?}"),
    }
}

/// `assignMany` with nothing sent: an aborted signal joins its options, so a call whose
/// arguments pass its checks rejects with the abort's reason ("checked") before any request,
/// and one that breaks them with a ValidationError.
fn check_assign_many(pools: JsValue, assignments: JsValue, token: JsValue, options: JsValue) -> Promise {
    // Options that cannot be copied (a throwing getter, a proxy) go as they are: they are refused.
    let with_signal = js("(o) => { try { return { ...o, signal: AbortSignal.abort('checked') } } catch { return o } }");
    let options = with_signal.unchecked_ref::<Function>().call1(&JsValue::NULL, &options).expect("options spread");
    assign_many(pools, assignments, token, options)
}

/// The call passed its checks (see [`check_assign_many`]).
async fn checked(p: Promise, what: &str) {
    match settle(p).await {
        Settled::Rejected(e) => assert_eq!(e.as_string().as_deref(), Some("checked"), "{what}: {e:?}"),
        other => panic!("{what}: expected the abort's reason, got {other:?}"),
    }
}

/// A plain call still works: the instance is alive and sound.
async fn still_works(after: &str) {
    let preview = resolved(preview_assign(POOL.into(), Array::new().into(), JsValue::UNDEFINED), after).await;
    assert_eq!(get(&preview, "method").as_string().as_deref(), Some("POST"), "after {after}");
    assert_eq!(get(&preview, "body").as_string().as_deref(), Some(r#"{"assignments":[]}"#), "after {after}");
}

/// A `fetch` that counts its calls and rejects: the only "network" these tests have.
fn recording_fetch() -> JsValue {
    js("() => { globalThis.__intuneEsimFetches = (globalThis.__intuneEsimFetches || 0) + 1;\
        return Promise.reject(new TypeError('no network in the wasm tests')); }")
}

fn fetches() -> f64 {
    get(&js_sys::global(), "__intuneEsimFetches").as_f64().unwrap_or(0.0)
}

fn options_with_fetch() -> JsValue {
    let o = js_sys::Object::new();
    let _ = Reflect::set(&o, &"fetch".into(), &recording_fetch());
    o.into()
}

/// `assign` with `assignments` refuses before any request, or (when they are acceptable) reaches
/// the recording fetch once and rejects with a NetworkError.
async fn assign_refuses_or_sends(assignments: JsValue, path: Option<&str>, what: &str) {
    let before = fetches();
    let p = assign(POOL.into(), assignments, "tok".into(), options_with_fetch());
    match path {
        Some(path) => {
            refused_at(p, path, what).await;
            assert_eq!(fetches(), before, "{what}: a refused call made a request");
        }
        None => {
            let Settled::Rejected(e) = settle(p).await else { panic!("{what}: the recording fetch rejects") };
            assert_eq!(get(&e, "name").as_string().as_deref(), Some("NetworkError"), "{what}: {e:?}");
            assert_eq!(fetches(), before + 1.0, "{what}: one request, to the recording fetch");
        }
    }
}

/// The assignments `src` builds, through every export that takes assignments: refused with an
/// issue at `path` (or under it), or accepted when `path` is `None`; the instance lives on.
async fn assignments_everywhere(src: &str, path: Option<&str>) {
    let what = &["assignments ", &src[..src.len().min(120)]].concat();
    let preview = preview_assign(POOL.into(), js(src), JsValue::UNDEFINED);
    match path {
        Some(path) => drop(refused_at(preview, path, what).await),
        None => drop(resolved(preview, what).await),
    }
    still_works(what).await;
    let pools: JsValue = Array::of1(&POOL.into()).into();
    let check = check_assign_many(pools, js(src), "tok".into(), JsValue::UNDEFINED);
    match path {
        Some(path) => drop(refused_at(check, path, what).await),
        None => checked(check, what).await,
    }
    still_works(what).await;
    assign_refuses_or_sends(js(src), path, what).await;
    still_works(what).await;
}

const ALL_DEVICES: &str = "{ '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' }";
/// A proxy handler whose every trap throws.
const THROWING: &str = "{ get() { throw new Error('get trap') }, has() { throw new Error('has trap') },\
    ownKeys() { throw new Error('ownKeys trap') }, getOwnPropertyDescriptor() { throw new Error('gOPD trap') },\
    getPrototypeOf() { throw new Error('getPrototypeOf trap') }, apply() { throw new Error('apply trap') } }";

fn with(src: &str, parts: &[(&str, &str)]) -> String {
    parts.iter().fold(src.to_owned(), |s, (k, v)| s.replace(k, v))
}

#[wasm_bindgen_test]
async fn plain_values_work() {
    let group = "[{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', \
        groupId: '3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9', deviceAndAppManagementAssignmentFilterId: \
        '0b0b0b0b-1c1c-4d4d-8e8e-2f2f2f2f2f2f', deviceAndAppManagementAssignmentFilterType: 'include' } }]";
    let preview = resolved(preview_assign(POOL.into(), js(group), JsValue::UNDEFINED), "a group").await;
    let body: JsValue = js_sys::JSON::parse(&get(&preview, "body").as_string().unwrap()).unwrap();
    let target = get(&get(&body, "assignments").unchecked_into::<Array>().get(0), "target");
    assert_eq!(get(&target, "groupId").as_string().as_deref(), Some("3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9"));
    assert!(get(&preview, "url").as_string().unwrap().ends_with(&[POOL, "/assign"].concat()));

    // `assign` end to end against a fetch of the test's own that answers as Graph does.
    let graph = js("async (url, init) => new Response(JSON.stringify({ value: JSON.parse(init.body).assignments\
        .map((a, i) => ({ id: 'a' + i, ...a })) }), { status: 200, headers: { 'content-type': 'application/json' } })");
    let options = js_sys::Object::new();
    let _ = Reflect::set(&options, &"fetch".into(), &graph);
    let value = resolved(assign(POOL.into(), js(group), "Bearer tok".into(), options.into()), "assign").await;
    assert_eq!(get(&value.unchecked_into::<Array>().get(0), "id").as_string().as_deref(), Some("a0"));

    let pools = Array::of1(&POOL.into()).into();
    let bulk = js("{ concurrency: 4, onProgress() {}, writeLimit: { writes: 100, perMs: 20000 } }");
    checked(check_assign_many(pools, js(group), "tok".into(), bulk), "check").await;
    assignments_everywhere("[]", None).await;
    assignments_everywhere(&["[{ target: ", ALL_DEVICES, " }]"].concat(), None).await;
}

#[wasm_bindgen_test]
async fn proxies_in_assignments_are_refused_or_read_through() {
    // Every read throws: an object, an item, a target.
    assignments_everywhere(&with("new Proxy({}, H)", &[("H", THROWING)]), Some("assignments")).await;
    assignments_everywhere(
        &with("[new Proxy({ target: T }, H)]", &[("H", THROWING), ("T", ALL_DEVICES)]),
        Some("assignments[0]"),
    )
    .await;
    assignments_everywhere(
        &with("[{ target: new Proxy(T, H) }]", &[("H", THROWING), ("T", ALL_DEVICES)]),
        Some("assignments[0].target"),
    )
    .await;
    // A revoked proxy throws on everything, Array.isArray included.
    assignments_everywhere(
        "(() => { const r = Proxy.revocable([], {}); r.revoke(); return r.proxy })()",
        Some("assignments"),
    )
    .await;
    assignments_everywhere(
        "(() => { const r = Proxy.revocable({}, {}); r.revoke(); return [r.proxy] })()",
        Some("assignments[0]"),
    )
    .await;
    // A proxy that only forwards is read as what it wraps (structuredClone refuses it; the careful walk does not).
    assignments_everywhere(&with("new Proxy([{ target: T }], {})", &[("T", ALL_DEVICES)]), None).await;
    assignments_everywhere(&with("new Proxy([{ target: new Proxy(T, {}) }], {})", &[("T", ALL_DEVICES)]), None).await;
}

#[wasm_bindgen_test]
async fn getters_that_throw_are_refused_at_their_path() {
    assignments_everywhere("[{ get target() { throw new Error('getter') } }]", Some("assignments[0].target")).await;
    assignments_everywhere(
        "[{ target: { get '@odata.type'() { throw new Error('getter') } } }]",
        Some("assignments[0].target.@odata.type"),
    )
    .await;
    assignments_everywhere(
        "[{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', get groupId() { throw new Error('getter') } } }]",
        Some("assignments[0].target.groupId"),
    )
    .await;
    assignments_everywhere(
        "Object.defineProperty([], 0, { get() { throw new Error('getter') }, enumerable: true })",
        Some("assignments[0]"),
    )
    .await;
    // A getter that answers is read like a value.
    assignments_everywhere(&["[{ get target() { return ", ALL_DEVICES, " } }]"].concat(), None).await;
}

#[wasm_bindgen_test]
async fn a_cycle_inside_assignments_is_refused_under_assignments_0() {
    // structuredClone keeps a cycle; the tree stops at MAX_DEPTH.
    let target_cycle = ["(() => { const t = ", ALL_DEVICES, "; t.self = t; return [{ target: t }] })()"].concat();
    let issues = refused_at(
        preview_assign(POOL.into(), js(&target_cycle), JsValue::UNDEFINED),
        "assignments[0]",
        "a target cycle",
    )
    .await;
    assert!(issues.iter().all(|i| i.path.starts_with("assignments[0]")), "{issues:?}");
    assert!(issues.iter().any(|i| i.path == "assignments[0].target.self"), "{issues:?}");
    assignments_everywhere(&target_cycle, Some("assignments[0].target.self")).await;
    let assignment_cycle = ["(() => { const a = { target: ", ALL_DEVICES, " }; a.again = a; return [a] })()"].concat();
    assignments_everywhere(&assignment_cycle, Some("assignments[0].again")).await;
    assignments_everywhere("(() => { const a = []; a.push(a); return a })()", Some("assignments[0]")).await;
    // With a function in it structuredClone refuses the value, and the careful walk meets the cycle.
    let careful_cycle =
        ["(() => { const t = ", ALL_DEVICES, "; t.f = () => 1; t.self = t; return [{ target: t }] })()"].concat();
    assignments_everywhere(&careful_cycle, Some("assignments[0].target")).await;
}

#[wasm_bindgen_test]
async fn functions_inside_assignments_are_refused_at_their_path() {
    let target_fn =
        "[{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: function () {} } }]";
    let issues = refused(preview_assign(POOL.into(), js(target_fn), JsValue::UNDEFINED), "a function groupId").await;
    let at = issues.iter().find(|i| i.path == "assignments[0].target.groupId").expect("an issue at the groupId");
    assert!(at.message.contains("function"), "{at:?}");
    assignments_everywhere(target_fn, Some("assignments[0].target.groupId")).await;
    assignments_everywhere(
        "[{ target: { '@odata.type': () => '#microsoft.graph.allDevicesAssignmentTarget' } }]",
        Some("assignments[0].target.@odata.type"),
    )
    .await;
    assignments_everywhere("[{ target() {} }]", Some("assignments[0].target")).await;
    assignments_everywhere(
        &["[Object.assign(() => {}, { target: ", ALL_DEVICES, " })]"].concat(),
        Some("assignments[0]"),
    )
    .await;
    assignments_everywhere("[class {}]", Some("assignments[0]")).await;
    assignments_everywhere("() => []", Some("assignments")).await;
    assignments_everywhere(
        &["[{ target: ", ALL_DEVICES, ", id: async () => 'x' }]"].concat(),
        Some("assignments[0].id"),
    )
    .await;
}

#[wasm_bindgen_test]
async fn bigints_and_symbols_are_refused() {
    assignments_everywhere("10n", Some("assignments")).await;
    assignments_everywhere("Symbol('assignments')", Some("assignments")).await;
    assignments_everywhere("[2n ** 80n]", Some("assignments[0]")).await;
    assignments_everywhere(
        "[{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 10n } }]",
        Some("assignments[0].target.groupId"),
    )
    .await;
    assignments_everywhere(
        "[{ target: { '@odata.type': Symbol('kind') } }]",
        Some("assignments[0].target.@odata.type"),
    )
    .await;
    assignments_everywhere(
        &["[{ target: ", ALL_DEVICES, ", id: Symbol.iterator }]"].concat(),
        Some("assignments[0].id"),
    )
    .await;
    // Symbol-keyed properties are not own enumerable string keys: not there, as for JSON.
    assignments_everywhere(&["[{ target: ", ALL_DEVICES, ", [Symbol('x')]: 1 }]"].concat(), None).await;
    for pool in ["10n", "Symbol('pool')", "2n ** 128n"] {
        refused_at(preview_assign(js(pool), Array::new().into(), JsValue::UNDEFINED), "poolId", pool).await;
        still_works(pool).await;
    }
}

#[wasm_bindgen_test]
async fn odd_objects_settle_soundly() {
    // Objects of built-in classes: read as what they hold, refused or accepted, never a trap.
    for src in [
        "new Date(0)",
        "[new Date(0)]",
        "[/target/]",
        "[new Error('x')]",
        "[new Set([1])]",
        "[new Map([[1, 2]])]",
        "[new Uint8Array(4)]",
        "[new ArrayBuffer(8)]",
        "[new WeakMap()]",
        "[Promise.resolve()]",
        "[new String('x')]",
        "[Object.create(null)]",
        "[[,,,]]",
        "[, , ]",
    ] {
        let what = &["assignments ", src].concat();
        match settle(preview_assign(POOL.into(), js(src), JsValue::UNDEFINED)).await {
            Settled::Rejected(e) => drop(issues_of(&e, what)),
            Settled::Resolved(_) => {}
            Settled::Pending => panic!("{what}: hangs"),
        }
        still_works(what).await;
    }
}

#[wasm_bindgen_test]
async fn heavy_arrays_of_100000_items() {
    let kind = "'#microsoft.graph.groupAssignmentTarget'";
    let distinct = with(
        "Array.from({ length: 100000 }, (_, i) => ({ target: { '@odata.type': K, groupId: '00000000-0000-4000-8000-' + i.toString(16).padStart(12, '0') } }))",
        &[("K", kind)],
    );
    let preview =
        resolved(preview_assign(POOL.into(), js(&distinct), JsValue::UNDEFINED), "100,000 distinct groups").await;
    let body = js_sys::JSON::parse(&get(&preview, "body").as_string().unwrap()).unwrap();
    assert_eq!(get(&body, "assignments").unchecked_into::<Array>().length(), 100_000);
    still_works("100,000 distinct groups").await;

    let empties = "Array.from({ length: 100000 }, () => ({}))";
    let issues = refused(preview_assign(POOL.into(), js(empties), JsValue::UNDEFINED), "100,000 empty objects").await;
    assert_eq!(issues.len(), 100_000);
    assert!(issues.iter().enumerate().all(|(n, i)| i.path == ["assignments[", &n.to_string(), "].target"].concat()));
    assignments_everywhere(empties, Some("assignments[99999].target")).await;

    let same = with(
        "Array.from({ length: 100000 }, () => ({ target: { '@odata.type': K, groupId: G } }))",
        &[("K", kind), ("G", "'3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9'")],
    );
    let issues =
        refused(preview_assign(POOL.into(), js(&same), JsValue::UNDEFINED), "100,000 times the same group").await;
    assert_eq!(issues.len(), 99_999);
    still_works("100,000 times the same group").await;

    // Functions everywhere: structuredClone refuses, the careful walk reads 100,000 items.
    assignments_everywhere("Array.from({ length: 100000 }, () => () => 1)", Some("assignments[99999]")).await;
    let pools = "Array.from({ length: 100000 }, () => 'e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7')";
    let check = check_assign_many(js(pools), Array::new().into(), "tok".into(), JsValue::UNDEFINED);
    assert_eq!(refused_at(check, "poolIds[1]", "100,000 times the same pool").await.len(), 99_999);
    still_works("100,000 pool ids").await;
}

#[wasm_bindgen_test]
async fn nesting_10000_deep() {
    let arrays = "(() => { let a = []; for (let i = 0; i < 10000; i++) a = [a]; return a })()";
    let objects = "(() => { let o = {}; for (let i = 0; i < 10000; i++) o = { x: o }; return o })()";
    let with_fn = "(() => { let o = { f() {} }; for (let i = 0; i < 10000; i++) o = { x: o }; return o })()";
    assignments_everywhere(arrays, Some("assignments[0]")).await;
    assignments_everywhere(&["[{ target: ", objects, " }]"].concat(), Some("assignments[0].target")).await;
    assignments_everywhere(&["[{ target: ", with_fn, " }]"].concat(), Some("assignments[0].target")).await;
    assignments_everywhere(&["[", objects, "]"].concat(), Some("assignments[0]")).await;
    for (src, what) in [(arrays, "arrays"), (objects, "objects"), (with_fn, "objects with a function")] {
        refused_at(preview_assign(js(src), Array::new().into(), JsValue::UNDEFINED), "poolId", what).await;
        refused_at(preview_assign(POOL.into(), Array::new().into(), js(src)), "options", what).await;
        let options = js(&["({ baseUrl: ", src, " })"].concat());
        refused_at(preview_assign(POOL.into(), Array::new().into(), options), "options.baseUrl", what).await;
        let check = check_assign_many(Array::new().into(), Array::new().into(), js(src), js(src));
        let issues = refused_at(check, "token", what).await;
        assert!(issues.iter().all(|i| i.path == "token" || is_under(&i.path, "options")), "{issues:?}");
        still_works(what).await;
    }
}

#[wasm_bindgen_test]
async fn a_token_that_is_a_proxy() {
    let pools = || Array::of1(&POOL.into()).into();
    let no_options = JsValue::UNDEFINED;
    for (src, what) in [
        (with("new Proxy({}, H)", &[("H", THROWING)]), "a proxy whose traps throw"),
        ("(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()".to_owned(), "a revoked proxy"),
        ("new Proxy({ getToken: 'not a function' }, {})".to_owned(), "a proxy of a credential without getToken()"),
    ] {
        let check = check_assign_many(pools(), Array::new().into(), js(&src), no_options.clone());
        let issues = refused(check, what).await;
        assert!(issues.iter().all(|i| i.path == "token"), "{what}: {issues:?}");
        still_works(what).await;
        let before = fetches();
        let issues = refused(assign(POOL.into(), Array::new().into(), js(&src), options_with_fetch()), what).await;
        assert!(issues.iter().all(|i| i.path == "token"), "{what}: {issues:?}");
        assert_eq!(fetches(), before, "{what}: a refused call made a request");
        still_works(what).await;
    }

    // A proxy of a function is a function: accepted, and what it throws when called (or read)
    // is the provider's own error, passed through before any request.
    let function = with("new Proxy(function () { return 'tok' }, H)", &[("H", THROWING)]);
    let check = check_assign_many(pools(), Array::new().into(), js(&function), no_options.clone());
    checked(check, "a function proxy").await;
    let before = fetches();
    match settle(assign(POOL.into(), Array::new().into(), js(&function), options_with_fetch())).await {
        Settled::Rejected(e) => {
            let message = get(&e, "message").as_string().unwrap_or_default();
            assert!(message.ends_with(" trap"), "the trap's own error: {e:?}");
        }
        other => panic!("a function proxy whose traps throw: {other:?}"),
    }
    assert_eq!(fetches(), before, "no request without a token");
    still_works("a function proxy").await;

    // A proxy that forwards to a credential is one: its token is asked for, then the request goes
    // (to the recording fetch).
    let credential = js("new Proxy({ getToken: async () => ({ token: 'tok', expiresOnTimestamp: 0 }) }, {})");
    let before = fetches();
    let Settled::Rejected(e) = settle(assign(POOL.into(), Array::new().into(), credential, options_with_fetch())).await
    else {
        panic!("the recording fetch rejects")
    };
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("NetworkError"), "{e:?}");
    assert_eq!(fetches(), before + 1.0);
    still_works("a credential proxy").await;
}

#[wasm_bindgen_test]
async fn options_with_a_throwing_fetch_getter() {
    let pools = || Array::of1(&POOL.into()).into();
    for name in ["fetch", "onRetry", "signal", "baseUrl", "timeoutMs", "clientRequestId", "maxRetries"] {
        let src = ["({ get ", name, "() { throw new Error('getter') } })"].concat();
        let path = ["options.", name].concat();
        let issues = refused(preview_assign(POOL.into(), Array::new().into(), js(&src)), &src).await;
        assert!(issues.iter().any(|i| i.path == path), "{src}: {issues:?}");
        still_works(&src).await;
        let check = check_assign_many(pools(), Array::new().into(), "tok".into(), js(&src));
        let issues = refused(check, &src).await;
        assert!(issues.iter().any(|i| i.path == path), "{src}: {issues:?}");
        still_works(&src).await;
        let before = fetches();
        let issues = refused(assign(POOL.into(), Array::new().into(), "tok".into(), js(&src)), &src).await;
        assert!(issues.iter().any(|i| i.path == path), "{src}: {issues:?}");
        assert_eq!(fetches(), before);
        still_works(&src).await;
    }
    // The options of assignMany's own, the same way.
    for name in ["concurrency", "onProgress", "writeLimit"] {
        let src = ["({ get ", name, "() { throw new Error('getter') } })"].concat();
        let check = check_assign_many(pools(), Array::new().into(), "tok".into(), js(&src));
        refused_at(check, &["options.", name].concat(), &src).await;
        still_works(&src).await;
    }
    // The options object itself a proxy whose traps throw, or revoked.
    for src in [
        with("new Proxy({}, H)", &[("H", THROWING)]),
        "(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()".to_owned(),
    ] {
        refused_at(preview_assign(POOL.into(), Array::new().into(), js(&src)), "options", &src).await;
        let before = fetches();
        refused_at(assign(POOL.into(), Array::new().into(), "tok".into(), js(&src)), "options", &src).await;
        assert_eq!(fetches(), before);
        still_works(&src).await;
    }
}

#[wasm_bindgen_test]
async fn a_signal_that_is_not_an_abort_signal() {
    for signal in [
        "{}",
        "'abort'",
        "true",
        "[]",
        "new EventTarget()",
        "{ aborted: 'no', addEventListener() {} }",
        "{ aborted: false, addEventListener: 'no' }",
        "AbortSignal",
        "new AbortController()",
        "Symbol('signal')",
        "10n",
    ] {
        let options = || js(&["({ signal: ", signal, " })"].concat());
        let issues = refused(preview_assign(POOL.into(), Array::new().into(), options()), signal).await;
        assert!(issues.iter().any(|i| i.path == "options.signal"), "{signal}: {issues:?}");
        still_works(signal).await;
        let before = fetches();
        let issues = refused(assign(POOL.into(), Array::new().into(), "tok".into(), options()), signal).await;
        assert!(issues.iter().any(|i| i.path == "options.signal"), "{signal}: {issues:?}");
        assert_eq!(fetches(), before);
        still_works(signal).await;
    }
    // A real signal is one; an aborted one stops `assign` before any request, with its reason.
    resolved(
        preview_assign(POOL.into(), Array::new().into(), js("({ signal: new AbortController().signal })")),
        "a signal",
    )
    .await;
    let options = js("({ signal: AbortSignal.abort(), fetch: () => Promise.reject(new Error('no')) })");
    match settle(assign(POOL.into(), Array::new().into(), "tok".into(), options)).await {
        Settled::Rejected(e) => assert_eq!(get(&e, "name").as_string().as_deref(), Some("AbortError"), "{e:?}"),
        other => panic!("an aborted signal: {other:?}"),
    }
    still_works("an aborted signal").await;
}

#[wasm_bindgen_test]
async fn error_classes_that_cannot_be_used_are_survived() {
    // The shell falls back to plain Errors when the registered classes cannot be read or built.
    for classes in [
        with("new Proxy({}, H)", &[("H", THROWING)]),
        "({ ValidationError: class { constructor() { throw new Error('no') } } })".to_owned(),
        "({ ValidationError: new Proxy(class {}, { construct() { throw new Error('no') } }) })".to_owned(),
        "({ ValidationError: 'not a class' })".to_owned(),
    ] {
        set_error_classes(js(&classes));
        refused_at(preview_assign("nope".into(), Array::new().into(), JsValue::UNDEFINED), "poolId", &classes).await;
        set_error_classes(JsValue::UNDEFINED);
        still_works(&classes).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Values that broke the shell when these tests were written: each test says what happened then.
// ---------------------------------------------------------------------------------------------

/// Was: src/wasm/cancel.rs read the caller's signal with web-sys's `AbortSignal::aborted` and
/// `reason`, bindings that do not catch. A signal that passed validation (which read `aborted` as
/// a boolean once) and threw on a later read threw through the wasm from `Cancel::stopped`, out of
/// the future's poll: in Node an uncaught exception that ended the process. The same when
/// `options.signal` was a getter giving `Call::new`'s second read another value.
#[wasm_bindgen_test]
async fn a_signal_that_throws_after_validation_is_survived() {
    let fetch = "fetch: () => Promise.reject(new Error('no network'))";
    for options in [
        ["(() => { let n = 0; return { ", fetch, ", signal: { get aborted() { if (++n > 1) throw new Error('boom'); return false }, addEventListener() {}, removeEventListener() {} } } })()"].concat(),
        ["(() => { let n = 0; return { ", fetch, ", get signal() { return ++n > 1 ? undefined : { aborted: false, addEventListener() {} } } } })()"].concat(),
        ["(() => { let n = 0; return { ", fetch, ", signal: { get aborted() { return ++n > 1 }, get reason() { throw new Error('reason') }, addEventListener() {} } } })()"].concat(),
    ] {
        match settle(assign(POOL.into(), Array::new().into(), "tok".into(), js(&options))).await {
            Settled::Pending => panic!("{options}: hangs"),
            Settled::Resolved(v) => panic!("{options}: resolved {v:?}"),
            // One of the package's own errors (the fetch's failure, or the abort the signal
            // claims), never an internal TypeError or the signal's own throw escaping.
            Settled::Rejected(e) => {
                let name = get(&e, "name").as_string().unwrap_or_default();
                assert!(["NetworkError", "AbortError"].contains(&name.as_str()), "{options}: {e:?}");
                assert!(e.is_instance_of::<js_sys::Error>(), "{options}: {e:?}");
            }
        }
        still_works(&options).await;
    }
}

/// Was: src/wasm/input.rs read an array's `length` with a caught `Reflect.get` and an unreadable
/// one as 0, so a proxy of an array whose `length` throws was read as `[]`, which `assign`
/// accepts and sends as `{"assignments":[]}`, removing every assignment of the pool.
#[wasm_bindgen_test]
async fn an_array_whose_length_cannot_be_read_is_refused() {
    let throwing_length =
        "new Proxy([() => 1], { get(t, k) { if (k === 'length') throw new Error('trap'); return t[k] } })";
    for src in [with("new Proxy([], H)", &[("H", THROWING)]), throwing_length.to_owned()] {
        refused_at(preview_assign(POOL.into(), js(&src), JsValue::UNDEFINED), "assignments", &src).await;
        still_works(&src).await;
        assign_refuses_or_sends(js(&src), Some("assignments"), &src).await;
        still_works(&src).await;
    }
}

/// Was: serde-wasm-bindgen reads a bigint within 64 bits as an integer, so a bigint nested in an
/// option that structuredClone copied became a number: assignMany's check accepted
/// `writeLimit: { writes: 100n, perMs: 20000n }`, and its JavaScript pace then threw a
/// TypeError ("Cannot mix BigInt and other types") after the check had passed.
#[wasm_bindgen_test]
async fn bigints_inside_options_are_refused() {
    let pools = || Array::of1(&POOL.into()).into();
    for (options, path) in [
        ("({ writeLimit: { writes: 100n, perMs: 20000n } })", "options.writeLimit"),
        ("({ concurrency: 4n })", "options.concurrency"),
        ("({ timeoutMs: 1000n })", "options.timeoutMs"),
    ] {
        refused_at(check_assign_many(pools(), Array::new().into(), "tok".into(), js(options)), path, options).await;
        still_works(options).await;
    }
}

/// Was a trap: src/tree.rs and src/wasm/input.rs read an array's every index up to its `length`,
/// so `new Array(2 ** 32 - 1)` (a sparse array, plain data structuredClone copies at once) grew a
/// `Vec` until "capacity overflow" panicked, after about 20 s. With the careful walk (a function
/// in the array) it is refused in about 3 s now.
#[wasm_bindgen_test]
async fn a_sparse_array_of_length_2_pow_32_minus_1_is_refused() {
    let src = "Object.assign(new Array(2 ** 32 - 1), { 0: () => 1 })";
    refused_at(preview_assign(POOL.into(), js(src), JsValue::UNDEFINED), "assignments", src).await;
    still_works(src).await;
}

/// The same through structuredClone and serde: an array longer than `MAX_VALUES` is refused
/// whole, before any of it is read (it once took 26 s to read 2,000,000 holes and report each).
#[wasm_bindgen_test]
async fn a_sparse_array_through_structured_clone_is_refused() {
    let src = "new Array(2 ** 32 - 1)";
    refused_at(preview_assign(POOL.into(), js(src), JsValue::UNDEFINED), "assignments", src).await;
    still_works(src).await;
}

/// Was a hang: `MAX_DEPTH` bounds a tree's depth, not its size, so a value that refers to itself
/// twice unfolded into 2^64 nodes (20 levels of `{ a: o, b: o }` took 12 s, 22 took 45 s, 24
/// took 200 s). `MAX_VALUES` bounds it: the walk stops there, and the call is refused.
#[wasm_bindgen_test]
async fn heavy_a_doubly_cyclic_value_is_read_in_bounded_time() {
    for cycle in [
        "(() => { const o = {}; o.a = o; o.b = o; return [{ target: o }] })()",
        "(() => { const o = { f() {} }; o.a = o; o.b = o; return [{ target: o }] })()",
    ] {
        refused_at(preview_assign(POOL.into(), js(cycle), JsValue::UNDEFINED), "assignments[0].target", cycle).await;
        still_works(cycle).await;
    }
}
