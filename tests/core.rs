//! The pure core on the host: the seed's example end to end, every validation rule, and every
//! way of reading Graph's answer. Inputs are serde_json values, read through the same
//! `JsonView` the wasm shell uses on live JavaScript values.

use intune_esim::error::{Error, ErrorBody, Issue};
use intune_esim::model::EmbeddedSimActivationCodePoolAssignment;
use intune_esim::operation;
use intune_esim::request;
use intune_esim::response::{self, Headers, HttpResponse};
use intune_esim::url::BaseUrl;
use intune_esim::validate::{Options, TokenSource};
use serde_json::{json, Value};

const POOL: &str = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";
const GROUP: &str = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const GROUP2: &str = "11111111-2222-4333-8444-555555555555";
const FILTER: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const SEED_REQUEST: &str = include_str!("fixtures/seed-request.json");
const SEED_RESPONSE: &str = include_str!("fixtures/seed-response.json");

/// A checked `assign` call, as the wasm's export checks it (`operation::assign`).
#[derive(Debug)]
struct AssignCall {
    pool_id: String,
    assignments: Vec<EmbeddedSimActivationCodePoolAssignment>,
    token: TokenSource<&'static Value>,
    options: Options<&'static Value>,
}

fn call(pool: Value, assignments: Value, token: Value, options: Value) -> Result<AssignCall, Vec<Issue>> {
    // Leaked so the views can borrow them for 'static; a few bytes per test.
    let leak = |v: Value| -> Option<&'static Value> { Some(Box::leak(Box::new(v))) };
    let opt = |v: Value| if v.is_null() { None } else { leak(v) };
    let (p, a, t, o) = (opt(pool), opt(assignments), opt(token), opt(options));
    operation::assign(p.as_ref(), a.as_ref(), t.as_ref(), o.as_ref()).map(|c| AssignCall {
        pool_id: c.own.0,
        assignments: c.own.1,
        token: c.shared.token.expect("assign takes a token"),
        options: c.shared.options,
    })
}

/// The issues of a call with these assignments (everything else valid).
fn issues_of(assignments: Value) -> Vec<Issue> {
    match call(json!(POOL), assignments, json!("token"), Value::Null) {
        Ok(_) => Vec::new(),
        Err(issues) => issues,
    }
}

fn paths(issues: &[Issue]) -> Vec<&str> {
    issues.iter().map(|i| i.path.as_str()).collect()
}

fn target(t: Value) -> Value {
    json!([{ "target": t }])
}

#[test]
fn the_seed_example_produces_the_seed_body_with_targets_in_hash_form() {
    let seed: Value = serde_json::from_str(SEED_REQUEST).unwrap();
    let ok = call(json!(POOL), seed["assignments"].clone(), json!("Bearer abc.def"), Value::Null).unwrap();
    let TokenSource::Literal(token) = &ok.token else { panic!("a literal token") };
    assert_eq!(token, "abc.def");
    let req =
        request::assign(&ok.options.base_url, &ok.pool_id, &ok.assignments, "c0ffee00-0000-4000-8000-000000000000");
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.url,
        "https://graph.microsoft.com/beta/deviceManagement/embeddedSIMActivationCodePools/e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7/assign"
    );
    let mut expected = seed.clone();
    expected["assignments"][0]["target"]["@odata.type"] =
        json!("#microsoft.graph.deviceAndAppManagementAssignmentTarget");
    let body: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(body, expected);
    assert_eq!(
        req.headers,
        vec![
            ("Accept", "application/json".to_owned()),
            ("Content-Type", "application/json".to_owned()),
            ("client-request-id", "c0ffee00-0000-4000-8000-000000000000".to_owned()),
        ]
    );
}

#[test]
fn the_seed_response_is_read_as_a_typed_array() {
    let parsed: Value = serde_json::from_str(SEED_RESPONSE).unwrap();
    let headers = Headers::default();
    let value = response::collection(
        HttpResponse { status: 200, headers: &headers, text: SEED_RESPONSE, json: Some(&parsed) },
        "assignment",
    )
    .unwrap();
    assert_eq!(value, &parsed["value"]);
    let typed: Vec<intune_esim::model::EmbeddedSimActivationCodePoolAssignment> =
        serde_json::from_value(json!([{ "@odata.type": "#microsoft.graph.embeddedSIMActivationCodePoolAssignment", "id": POOL, "target": { "@odata.type": "#microsoft.graph.deviceAndAppManagementAssignmentTarget" } }])).unwrap();
    assert_eq!(typed.len(), 1);
}

#[test]
fn an_empty_set_is_sent_as_an_empty_array() {
    let base = BaseUrl::parse("https://graph.microsoft.com/beta").unwrap();
    let req = request::assign(&base, POOL, &[], POOL);
    assert_eq!(req.body.as_deref(), Some("{\"assignments\":[]}"));
}

#[test]
fn every_target_kind_is_accepted_and_sent_in_hash_form() {
    let list = json!([
        { "target": { "@odata.type": "microsoft.graph.allDevicesAssignmentTarget" } },
        { "target": { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" } },
        { "target": { "@odata.type": "microsoft.graph.groupAssignmentTarget", "groupId": GROUP,
            "deviceAndAppManagementAssignmentFilterId": FILTER, "deviceAndAppManagementAssignmentFilterType": "include" } },
        { "target": { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": GROUP2 } },
        { "target": { "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", "collectionId": "SMS00001",
            "deviceAndAppManagementAssignmentFilterType": "none" } },
        { "@odata.type": null, "id": null, "target": { "@odata.type": "#microsoft.graph.deviceAndAppManagementAssignmentTarget",
            "deviceAndAppManagementAssignmentFilterId": null, "deviceAndAppManagementAssignmentFilterType": null } },
    ]);
    // `@odata.type: null` on an assignment is not allowed (it is not the assignment type).
    let issues = issues_of(list.clone());
    assert_eq!(paths(&issues), ["assignments[5].@odata.type"]);
    let mut list = list;
    list[5].as_object_mut().unwrap().remove("@odata.type");
    let ok = call(json!(POOL), list, json!("t"), Value::Null).unwrap();
    let req = request::assign(&ok.options.base_url, POOL, &ok.assignments, POOL);
    let body: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    let types: Vec<&str> =
        body["assignments"].as_array().unwrap().iter().map(|a| a["target"]["@odata.type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "#microsoft.graph.allDevicesAssignmentTarget",
            "#microsoft.graph.allLicensedUsersAssignmentTarget",
            "#microsoft.graph.groupAssignmentTarget",
            "#microsoft.graph.exclusionGroupAssignmentTarget",
            "#microsoft.graph.configurationManagerCollectionAssignmentTarget",
            "#microsoft.graph.deviceAndAppManagementAssignmentTarget",
        ]
    );
    assert_eq!(body["assignments"][2]["target"]["groupId"], GROUP);
    assert_eq!(body["assignments"][2]["target"]["deviceAndAppManagementAssignmentFilterType"], "include");
    assert_eq!(body["assignments"][4]["target"]["collectionId"], "SMS00001");
    // null filter values are left out rather than sent.
    assert!(body["assignments"][5]["target"].get("deviceAndAppManagementAssignmentFilterId").is_none());
}

#[test]
fn an_empty_list_is_allowed() {
    assert!(issues_of(json!([])).is_empty());
}

#[test]
fn pool_id_must_be_a_guid_and_nothing_else_reaches_the_url() {
    for bad in [
        json!("../../users"),
        json!(format!("{POOL}/assign")),
        json!(format!("{POOL}?x")),
        json!(format!("{POOL}#")),
        json!(format!(" {POOL}")),
        json!(""),
        json!(42),
        json!({}),
        json!([POOL]),
        json!(true),
    ] {
        let err = call(bad.clone(), json!([]), json!("t"), Value::Null).unwrap_err();
        assert_eq!(paths(&err), ["poolId"], "{bad}");
    }
    let err = call(Value::Null, json!([]), json!("t"), Value::Null).unwrap_err();
    assert_eq!(err[0].message, "is required: the pool's id, a GUID");
}

#[test]
fn wrong_types_are_reported_not_crashed_on() {
    let err = call(json!(5), json!(null), json!(7), json!("x")).unwrap_err();
    assert_eq!(paths(&err), ["poolId", "assignments", "token", "options"]);
    assert_eq!(err[0].message, "must be a GUID string, got a number");
    assert_eq!(paths(&issues_of(json!({ "target": {} }))), ["assignments"]);
    assert_eq!(
        paths(&issues_of(json!(["a string", 3, null, []]))),
        ["assignments[0]", "assignments[1]", "assignments[2]", "assignments[3]"]
    );
    assert_eq!(paths(&issues_of(json!([{ "target": "group" }]))), ["assignments[0].target"]);
    assert_eq!(paths(&issues_of(json!([{}]))), ["assignments[0].target"]);
    assert_eq!(paths(&issues_of(target(json!({ "@odata.type": 5 })))), ["assignments[0].target.@odata.type"]);
    assert_eq!(
        paths(&issues_of(
            json!([{ "id": 5, "target": { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }])
        )),
        ["assignments[0].id"]
    );
}

#[test]
fn target_kinds_outside_the_five_and_the_base_are_refused_with_a_suggestion() {
    let err = issues_of(target(json!({ "@odata.type": "#microsoft.graph.groupAssignmentTargets", "groupId": GROUP })));
    assert_eq!(paths(&err), ["assignments[0].target.@odata.type"]);
    assert!(err[0].message.contains("did you mean #microsoft.graph.groupAssignmentTarget?"), "{}", err[0].message);
    let err = issues_of(target(json!({ "@odata.type": "#microsoft.graph.androidManagedStoreAppTarget" })));
    assert!(err[0].message.starts_with("is not a target kind"), "{}", err[0].message);
    let err = issues_of(target(json!({ "groupId": GROUP })));
    assert_eq!(paths(&err), ["assignments[0].target.@odata.type"]);
    assert!(err[0].message.starts_with("is required"));
}

#[test]
fn the_assignment_type_when_given_must_be_the_assignment_type() {
    let t = json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" });
    assert!(issues_of(
        json!([{ "@odata.type": "microsoft.graph.embeddedSIMActivationCodePoolAssignment", "target": t }])
    )
    .is_empty());
    let err = issues_of(json!([{ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "target": t }]));
    assert_eq!(paths(&err), ["assignments[0].@odata.type"]);
}

#[test]
fn group_ids_are_guids_and_required() {
    let cases = [
        (
            json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget" }),
            "is required for #microsoft.graph.groupAssignmentTarget",
        ),
        (
            json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "sales" }),
            "must be the Entra ID group's object id, a GUID",
        ),
        (
            json!({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": 7 }),
            "must be a string, got a number",
        ),
        (
            json!({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": null }),
            "must be a string, got null",
        ),
    ];
    for (t, message) in cases {
        let err = issues_of(target(t.clone()));
        assert_eq!(paths(&err), ["assignments[0].target.groupId"], "{t}");
        assert_eq!(err[0].message, message);
    }
}

#[test]
fn collection_ids_are_non_empty_and_required() {
    for t in [
        json!({ "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget" }),
        json!({ "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", "collectionId": "" }),
        json!({ "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", "collectionId": "  " }),
    ] {
        assert_eq!(paths(&issues_of(target(t.clone()))), ["assignments[0].target.collectionId"], "{t}");
    }
}

#[test]
fn a_property_of_another_kind_is_an_error() {
    let err =
        issues_of(target(json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "groupId": GROUP })));
    assert_eq!(paths(&err), ["assignments[0].target.groupId"]);
    assert!(err[0].message.starts_with("is not a property of this target kind"));
    let err = issues_of(target(
        json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": GROUP, "collectionId": "x" }),
    ));
    assert_eq!(paths(&err), ["assignments[0].target.collectionId"]);
}

#[test]
fn misspelt_properties_name_the_closest_known_one() {
    let err = issues_of(target(json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupID": GROUP })));
    assert_eq!(paths(&err), ["assignments[0].target.groupID", "assignments[0].target.groupId"]);
    assert_eq!(err[0].message, "is not a known property; did you mean groupId?");
    let err = issues_of(json!([{ "trget": { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }]));
    assert_eq!(err[0].path, "assignments[0].trget");
    assert!(err[0].message.ends_with("did you mean target?"));
    let err = issues_of(target(
        json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "deviceAndAppManagementAssignmentFilterTyp": "none" }),
    ));
    assert!(err[0].message.ends_with("did you mean deviceAndAppManagementAssignmentFilterType?"));
    let err = issues_of(target(json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "x y": 1 })));
    assert_eq!(err[0].path, "assignments[0].target[\"x y\"]");
    assert_eq!(err[0].message, "is not a known property");
}

#[test]
fn filters_follow_graphs_rules() {
    let with = |extra: Value| {
        let mut t = json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" });
        t.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        paths(&issues_of(target(t))).iter().map(|p| p.to_string()).collect::<Vec<_>>()
    };
    let fid = "assignments[0].target.deviceAndAppManagementAssignmentFilterId";
    let ftype = "assignments[0].target.deviceAndAppManagementAssignmentFilterType";
    assert!(with(json!({ "deviceAndAppManagementAssignmentFilterType": "none" })).is_empty());
    assert!(with(json!({ "deviceAndAppManagementAssignmentFilterType": "exclude", "deviceAndAppManagementAssignmentFilterId": FILTER })).is_empty());
    assert_eq!(
        with(
            json!({ "deviceAndAppManagementAssignmentFilterType": "Include", "deviceAndAppManagementAssignmentFilterId": FILTER })
        ),
        [ftype]
    );
    assert_eq!(with(json!({ "deviceAndAppManagementAssignmentFilterType": 1 })), [ftype]);
    assert_eq!(with(json!({ "deviceAndAppManagementAssignmentFilterType": "include" })), [fid]);
    assert_eq!(
        with(
            json!({ "deviceAndAppManagementAssignmentFilterType": "include", "deviceAndAppManagementAssignmentFilterId": "f1" })
        ),
        [fid]
    );
    assert_eq!(with(json!({ "deviceAndAppManagementAssignmentFilterId": FILTER })), [ftype]);
}

#[test]
fn the_same_target_twice_or_a_group_both_in_and_out_is_an_error() {
    let g = |kind: &str, id: &str| json!({ "target": { "@odata.type": kind, "groupId": id } });
    let group = "#microsoft.graph.groupAssignmentTarget";
    let excl = "#microsoft.graph.exclusionGroupAssignmentTarget";
    let err = issues_of(json!([g(group, GROUP), g(group, GROUP2), g(group, &GROUP.to_uppercase())]));
    assert_eq!(paths(&err), ["assignments[2].target"]);
    assert_eq!(err[0].message, "is the same target as assignments[0]");
    let err = issues_of(json!([g(group, GROUP), g(excl, GROUP)]));
    assert_eq!(paths(&err), ["assignments[1].target"]);
    assert!(err[0].message.contains("both included and excluded"));
    let all = json!({ "target": { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } });
    assert_eq!(paths(&issues_of(json!([all, all]))), ["assignments[1].target"]);
    assert!(issues_of(json!([g(group, GROUP), g(excl, GROUP2)])).is_empty());
    // Paths name the caller's own indexes, even when invalid items come before.
    let err = issues_of(json!(["x", all, 3, all]));
    assert_eq!(paths(&err), ["assignments[0]", "assignments[2]", "assignments[3].target"]);
    assert_eq!(err[2].message, "is the same target as assignments[1]");
}

#[test]
fn tokens_are_checked_without_being_quoted() {
    let secret = "eyJ0eXAi.secret part";
    let err = call(json!(POOL), json!([]), json!(secret), Value::Null).unwrap_err();
    assert_eq!(paths(&err), ["token"]);
    assert!(!err[0].message.contains("secret"));
    for bad in [json!(""), json!("Bearer "), json!(12), json!({ "token": "x" }), json!([])] {
        assert_eq!(paths(&call(json!(POOL), json!([]), bad.clone(), Value::Null).unwrap_err()), ["token"], "{bad}");
    }
    assert_eq!(
        call(json!(POOL), json!([]), Value::Null, Value::Null).unwrap_err()[0].message,
        "is required: a string, a function returning one, or a TokenCredential with getToken()"
    );
}

#[test]
fn options_are_checked_and_unknown_ones_named() {
    let opts = |o: Value| call(json!(POOL), json!([]), json!("t"), o);
    let ok =
        opts(json!({ "baseUrl": "https://graph.microsoft.us/beta/", "timeoutMs": 5000, "clientRequestId": GROUP }))
            .unwrap();
    assert_eq!(ok.options.base_url.as_string(), "https://graph.microsoft.us/beta");
    assert_eq!(ok.options.timeout_ms, Some(5000.0));
    assert_eq!(ok.options.client_request_id.as_deref(), Some(GROUP));
    assert_eq!(opts(json!({})).unwrap().options.base_url.as_string(), "https://graph.microsoft.com/beta");
    let err = opts(
        json!({ "baseURL": "https://x", "timeoutMs": -1, "clientRequestId": "abc", "signal": {}, "fetch": "fetch" }),
    )
    .unwrap_err();
    assert_eq!(
        paths(&err),
        ["options.baseURL", "options.timeoutMs", "options.clientRequestId", "options.signal", "options.fetch"]
    );
    assert_eq!(err[0].message, "is not a known property; did you mean baseUrl?");
    for bad in ["http://graph.microsoft.com/beta", "https://graph.microsoft.com/beta?$select=id", "graph.microsoft.com"]
    {
        assert_eq!(paths(&opts(json!({ "baseUrl": bad })).unwrap_err()), ["options.baseUrl"], "{bad}");
    }
    assert!(opts(json!({ "baseUrl": "http://localhost:8080/beta" })).is_ok());
    assert_eq!(paths(&opts(json!({ "timeoutMs": "5s" })).unwrap_err()), ["options.timeoutMs"]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let err = call(
        json!("nope"),
        json!([
            { "target": { "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupID": GROUP } },
            { "target": { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "deviceAndAppManagementAssignmentFilterType": "include" } },
            "x",
        ]),
        json!(""),
        json!({ "baseUrl": "ftp://x" }),
    )
    .unwrap_err();
    assert_eq!(
        paths(&err),
        [
            "poolId",
            "assignments[0].target.groupID",
            "assignments[0].target.groupId",
            "assignments[1].target.deviceAndAppManagementAssignmentFilterId",
            "assignments[2]",
            "token",
            "options.baseUrl",
        ]
    );
    let e: Error<&Value> = Error::Validation(err);
    assert!(e.message().starts_with("7 problems with the input: poolId: must be a GUID"), "{}", e.message());
    assert_eq!(e.name(), "ValidationError");
}

// ---- reading answers ----

fn answer(status: u16, headers: &[(&str, &str)], text: &str) -> Result<Value, Error<Value>> {
    let headers = Headers(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
    let parsed: Option<Value> = serde_json::from_str(text).ok();
    response::collection(HttpResponse { status, headers: &headers, text, json: parsed.as_ref() }, "assignment")
        .cloned()
        .map_err(|e| match e {
            Error::Network(m) => Error::Network(m),
            Error::Timeout(m) => Error::Timeout(m),
            Error::Conflict(m) => Error::Conflict(m),
            Error::Graph(g) => Error::Graph(Box::new(intune_esim::error::GraphError {
                body: match g.body {
                    ErrorBody::Json(v) => ErrorBody::Json(v.clone()),
                    ErrorBody::Text(t) => ErrorBody::Text(t),
                    ErrorBody::Empty => ErrorBody::Empty,
                },
                status: g.status,
                code: g.code,
                message: g.message,
                request_id: g.request_id,
                client_request_id: g.client_request_id,
                date: g.date,
                retry_after_ms: g.retry_after_ms,
            })),
            Error::Validation(i) => Error::Validation(i),
            Error::Response(m) => Error::Response(m),
        })
}

fn graph_error(status: u16, headers: &[(&str, &str)], text: &str) -> intune_esim::error::GraphError<Value> {
    match answer(status, headers, text) {
        Err(Error::Graph(g)) => *g,
        other => panic!("expected a GraphError, got {other:?}"),
    }
}

fn response_error(status: u16, text: &str) -> String {
    match answer(status, &[("Content-Type", "text/html")], text) {
        Err(Error::Response(m)) => m,
        other => panic!("expected a ResponseError, got {other:?}"),
    }
}

#[test]
fn unknown_properties_and_kinds_in_an_answer_are_kept() {
    let text = r##"{"value":[{"id":"1","target":{"@odata.type":"#microsoft.graph.futureTarget","newThing":[1,2]},"extra":true}],"@odata.context":"x"}"##;
    let value = answer(200, &[], text).unwrap();
    assert_eq!(
        value,
        json!([{ "id": "1", "target": { "@odata.type": "#microsoft.graph.futureTarget", "newThing": [1, 2] }, "extra": true }])
    );
}

#[test]
fn graph_error_bodies_give_code_message_and_ids() {
    let body = r#"{"error":{"code":"Forbidden","message":"Application is not authorized to perform this operation.","innerError":{"request-id":"r-1","client-request-id":"c-1","date":"2026-11-29T10:00:00"}}}"#;
    let g = graph_error(403, &[("request-id", "r-header")], body);
    assert_eq!(g.status, 403);
    assert_eq!(g.code.as_deref(), Some("Forbidden"));
    assert_eq!(g.request_id.as_deref(), Some("r-1"));
    assert_eq!(g.client_request_id.as_deref(), Some("c-1"));
    assert_eq!(g.date.as_deref(), Some("2026-11-29T10:00:00"));
    assert!(g.message.starts_with("Graph answered 403 Forbidden: Application is not authorized to perform this operation (code Forbidden). The token lacks"), "{}", g.message);
    assert!(matches!(g.body, ErrorBody::Json(_)));

    // `innererror`, and ids from the headers when the body has none (odd casing included).
    let g = graph_error(
        401,
        &[("REQUEST-ID", "r-2"), ("Date", "Sun, 29 Nov 2026 10:00:00 GMT")],
        r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired.","innererror":{"client-request-id":"c-2"}}}"#,
    );
    assert_eq!(g.request_id.as_deref(), Some("r-2"));
    assert_eq!(g.client_request_id.as_deref(), Some("c-2"));
    assert_eq!(g.date.as_deref(), Some("Sun, 29 Nov 2026 10:00:00 GMT"));
    assert!(g.message.contains("expired"));

    let g = graph_error(404, &[], r#"{"error":{"code":"ResourceNotFound","message":"{\"Message\": \"No pool\"}"}}"#);
    assert!(g.message.contains("No activation code pool has this id"));
    let g = graph_error(400, &[], r#"{"error":{"code":"BadRequest","message":"Invalid JSON."}}"#);
    assert_eq!(g.message, "Graph answered 400 Bad Request: Invalid JSON (code BadRequest)");
}

#[test]
fn non_json_error_bodies_still_give_a_useful_graph_error() {
    let html = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    let g = graph_error(500, &[("Content-Type", "text/html")], html);
    assert_eq!(g.message, "Graph answered 500 Internal Server Error with a text/html body instead of Graph's JSON error (a gateway or proxy answered?)");
    assert_eq!(g.body, ErrorBody::Text(html.to_owned()));
    let g = graph_error(502, &[], "");
    assert_eq!(g.message, "Graph answered 502 Bad Gateway");
    assert_eq!(g.body, ErrorBody::Empty);
    // JSON that is not Graph's error shape.
    let g = graph_error(418, &[], r#"{"error":"teapot"}"#);
    assert_eq!(g.message, "Graph answered 418");
    assert_eq!(g.code, None);
    let g = graph_error(
        429,
        &[],
        r#"{"error":{"code":"TooManyRequests","message":"Too many requests.","innerError":{"innerError":{"innerError":{}}}}}"#,
    );
    assert!(g.message.contains("100 writes and 1,000 requests per 20 seconds"));
}

#[test]
fn wrong_2xx_shapes_give_a_response_error() {
    assert!(response_error(200, "<html>hi</html>").contains("not JSON (text/html)"));
    assert!(response_error(200, "").contains("empty body"));
    assert!(response_error(204, "").contains("204 with an empty body"));
    assert!(response_error(200, r#"{"value":[{"id":"1","target":{}}"#).contains("not JSON"));
    assert_eq!(response_error(200, "{}"), "Graph's answer has no value array of assignments (got an object)");
    assert_eq!(response_error(200, "[]"), "Graph's answer has no value array of assignments (got an array)");
    assert_eq!(
        response_error(200, r#"{"value":{}}"#),
        "Graph's answer has a value that is an object, not an array of assignments"
    );
    assert_eq!(response_error(200, r#"{"value":[{"id":"1"}]}"#), "Graph's answer: value[0] has no target");
    assert_eq!(
        response_error(200, r#"{"value":[{"target":{}},{"target":"x"}]}"#),
        "Graph's answer: value[1] has a target that is a string, not an object"
    );
    assert_eq!(response_error(201, r#"{"value":[null]}"#), "Graph's answer: value[0] is null, not an object");
}

/// One entity: the object itself, or (as Intune's docs print GETs) that object alone under
/// `value`; anything else under `value` is still not an entity.
#[test]
fn an_entity_is_read_bare_or_as_the_docs_wrap_it() {
    let headers = Headers::default();
    let read = |text: &str| -> Result<Value, String> {
        let json: Value = serde_json::from_str(text).unwrap();
        let r = HttpResponse { status: 200, headers: &headers, text, json: Some(&json) };
        response::entity(r, "pool").cloned().map_err(|e| e.message())
    };
    assert_eq!(read(r#"{"id":"p","displayName":"A"}"#).unwrap()["displayName"], "A");
    assert_eq!(read(r#"{"value":{"id":"p","displayName":"A"}}"#).unwrap(), json!({ "id": "p", "displayName": "A" }));
    assert_eq!(
        read(r#"{"id":"p","value":{"id":"q"}}"#).unwrap()["id"],
        "p",
        "an entity with a value property is itself"
    );
    assert_eq!(read(r#"{"value":[{"id":"p"}]}"#).unwrap_err(), "Graph's answer: the pool has no id");
    assert_eq!(read(r#"{"value":{"displayName":"A"}}"#).unwrap_err(), "Graph's answer: the pool has no id");
    assert_eq!(read(r#"{"value":{"id":"p"},"@odata.context":"x"}"#).unwrap_err(), "Graph's answer: the pool has no id");
}
