//! Every example response of Microsoft Graph's docs pages for the eSIM methods, and of Graph's
//! general pages on errors, JSON batching and throttling, read through the reader the library
//! uses for that method. The fixtures in `fixtures/graph-docs/` are the docs' bodies exactly as
//! printed (not fixed); `fixtures/graph-docs/SOURCES.md` names the page and revision of each, and
//! `DOCS` below lists each with its page and the status and headers its example gives.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use intune_esim::batch;
use intune_esim::error::{Error, ErrorBody, GraphError};
use intune_esim::model::{
    EmbeddedSimActivationCodePool, EmbeddedSimActivationCodePoolAssignment, EmbeddedSimDeviceState,
};
use intune_esim::response::{self, Headers, HttpResponse};
use intune_esim::retry::{self, Attempt, Decision, RetryPolicy};
use intune_esim::validate::{self, Issues};
use serde_json::{json, Value};

/// One example response of a docs page.
struct Doc {
    /// Its file under `fixtures/graph-docs/`.
    file: &'static str,
    /// The page's path in microsoft-graph-docs-contrib.
    page: &'static str,
    /// The status line as the page prints it (or what stands for it, for a body alone).
    status_line: &'static str,
    status: u16,
    /// The headers the page's example gives, as it gives them.
    headers: &'static [(&'static str, &'static str)],
    /// Reads the answer with the library's reader and checks what comes back.
    check: fn(&Answer),
}

const API: &str = "api-reference/beta/api/";
const OK: &str = "HTTP/1.1 200 OK";
const CREATED: &str = "HTTP/1.1 201 Created";
const NO_CONTENT: &str = "HTTP/1.1 204 No Content";
const JSON: (&str, &str) = ("Content-Type", "application/json");

/// The examples, each with its page. `every_file_in_the_folder_is_read` keeps this list and the
/// folder (and SOURCES.md) the same.
const DOCS: &[Doc] = &[
    Doc {
        file: "embeddedsimactivationcodepool-list.response.json",
        page: "intune-esim-embeddedsimactivationcodepool-list.md",
        status_line: OK,
        status: 200,
        headers: &[JSON, ("Content-Length", "717")],
        check: pool_list,
    },
    Doc {
        file: "embeddedsimactivationcodepool-get.response.json",
        page: "intune-esim-embeddedsimactivationcodepool-get.md",
        status_line: OK,
        status: 200,
        headers: &[JSON, ("Content-Length", "675")],
        check: pool_get,
    },
    Doc {
        file: "embeddedsimactivationcodepool-create.response.json",
        page: "intune-esim-embeddedsimactivationcodepool-create.md",
        status_line: CREATED,
        status: 201,
        headers: &[JSON, ("Content-Length", "628")],
        check: pool_written,
    },
    Doc {
        file: "embeddedsimactivationcodepool-update.response.json",
        page: "intune-esim-embeddedsimactivationcodepool-update.md",
        status_line: OK,
        status: 200,
        headers: &[JSON, ("Content-Length", "628")],
        check: pool_written,
    },
    Doc {
        file: "embeddedsimactivationcodepool-delete.response.txt",
        page: "intune-esim-embeddedsimactivationcodepool-delete.md",
        status_line: NO_CONTENT,
        status: 204,
        headers: &[],
        check: deleted,
    },
    Doc {
        file: "embeddedsimactivationcodepool-assign.response.json",
        page: "intune-esim-embeddedsimactivationcodepool-assign.md",
        status_line: OK,
        status: 200,
        headers: &[JSON, ("Content-Length", "450")],
        check: assign,
    },
    Doc {
        file: "embeddedsimactivationcodepoolassignment-list.response.json",
        page: "intune-esim-embeddedsimactivationcodepoolassignment-list.md",
        status_line: OK,
        status: 200,
        headers: &[JSON, ("Content-Length", "450")],
        check: assignment_list,
    },
    Doc {
        file: "embeddedsimactivationcodepoolassignment-get.response.json",
        page: "intune-esim-embeddedsimactivationcodepoolassignment-get.md",
        status_line: OK,
        status: 200,
        headers: &[JSON, ("Content-Length", "422")],
        check: assignment_get,
    },
    Doc {
        file: "embeddedsimactivationcodepoolassignment-create.response.json",
        page: "intune-esim-embeddedsimactivationcodepoolassignment-create.md",
        status_line: CREATED,
        status: 201,
        headers: &[JSON, ("Content-Length", "389")],
        check: assignment_written,
    },
    Doc {
        file: "embeddedsimactivationcodepoolassignment-update.response.json",
        page: "intune-esim-embeddedsimactivationcodepoolassignment-update.md",
        status_line: OK,
        status: 200,
        headers: &[JSON, ("Content-Length", "389")],
        check: assignment_written,
    },
    Doc {
        file: "embeddedsimactivationcodepoolassignment-delete.response.txt",
        page: "intune-esim-embeddedsimactivationcodepoolassignment-delete.md",
        status_line: NO_CONTENT,
        status: 204,
        headers: &[],
        check: deleted,
    },
    Doc {
        file: "embeddedsimdevicestate-list.response.json",
        page: "intune-esim-embeddedsimdevicestate-list.md",
        status_line: OK,
        status: 200,
        headers: &[JSON, ("Content-Length", "602")],
        check: device_state_list,
    },
    Doc {
        file: "embeddedsimdevicestate-get.response.json",
        page: "intune-esim-embeddedsimdevicestate-get.md",
        status_line: OK,
        status: 200,
        headers: &[JSON, ("Content-Length", "568")],
        check: device_state_get,
    },
    Doc {
        file: "embeddedsimdevicestate-create.response.json",
        page: "intune-esim-embeddedsimdevicestate-create.md",
        status_line: CREATED,
        status: 201,
        headers: &[JSON, ("Content-Length", "529")],
        check: device_state_written,
    },
    Doc {
        file: "embeddedsimdevicestate-update.response.json",
        page: "intune-esim-embeddedsimdevicestate-update.md",
        status_line: OK,
        status: 200,
        headers: &[JSON, ("Content-Length", "529")],
        check: device_state_written,
    },
    Doc {
        file: "embeddedsimdevicestate-delete.response.txt",
        page: "intune-esim-embeddedsimdevicestate-delete.md",
        status_line: NO_CONTENT,
        status: 204,
        headers: &[],
        check: deleted,
    },
    // The error page prints a body alone, no status line: it is read as the 400 its code says.
    Doc {
        file: "errors.response.json",
        page: "concepts/errors.md",
        status_line: "(none: a JSON body alone)",
        status: 400,
        headers: &[],
        check: error_example,
    },
    Doc {
        file: "errors.earlier.response.json",
        page: "concepts/errors.md",
        status_line: "(none: a JSON body alone)",
        status: 400,
        headers: &[],
        check: error_example_earlier,
    },
    Doc {
        file: "json-batching.response.json",
        page: "concepts/json-batching.md",
        status_line: OK,
        status: 200,
        headers: &[JSON],
        check: batch_example,
    },
    Doc {
        file: "json-batching.earlier.response.txt",
        page: "concepts/json-batching.md",
        status_line: "200 OK",
        status: 200,
        headers: &[JSON],
        check: batch_example_earlier,
    },
    Doc {
        file: "throttling.response.json",
        page: "concepts/throttling.md",
        status_line: "HTTP/1.1 429 Too Many Requests",
        status: 429,
        headers: &[("Content-Length", "312"), JSON, ("Retry-After", "10")],
        check: throttled,
    },
    Doc {
        file: "throttling.earlier.response.json",
        page: "concepts/throttling.md",
        status_line: "HTTP/1.1 429 Too Many Requests",
        status: 429,
        headers: &[JSON, ("Retry-After", "2.128")],
        check: throttled_earlier,
    },
];

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graph-docs")
}

/// A docs example as the shell hands it to the core: the body's text, and its JSON when it
/// parses (the shell's `JSON.parse`; an empty body is no JSON).
struct Answer {
    doc: &'static Doc,
    text: String,
    json: Option<Value>,
    headers: Headers,
}

impl Answer {
    fn of(file: &str) -> Answer {
        let doc = DOCS.iter().find(|d| d.file == file).unwrap_or_else(|| panic!("{file} is not in DOCS"));
        let text = fs::read_to_string(folder().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let json = serde_json::from_str(&text).ok();
        let headers = Headers(doc.headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect());
        Answer { doc, text, json, headers }
    }

    fn response(&self) -> HttpResponse<'_, &Value> {
        HttpResponse { status: self.doc.status, headers: &self.headers, text: &self.text, json: self.json.as_ref() }
    }

    /// The body as the docs print it; only for bodies that are JSON.
    fn body(&self) -> &Value {
        self.json.as_ref().unwrap_or_else(|| panic!("{} is not JSON", self.doc.file))
    }
}

fn read(file: &str) {
    let a = Answer::of(file);
    (a.doc.check)(&a);
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default()
}

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

const POOL_ID: &str = "ec308741-8741-ec30-4187-30ec418730ec";
const ASSIGNMENT_ID: &str = "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7";
const DEVICE_STATE_ID: &str = "908884a3-84a3-9088-a384-8890a3848890";

/// Every property the docs show on a pool.
const POOL_PROPERTIES: [&str; 7] = [
    "@odata.type",
    "id",
    "displayName",
    "createdDateTime",
    "modifiedDateTime",
    "activationCodes",
    "activationCodeCount",
];
const DEVICE_STATE_PROPERTIES: [&str; 10] = [
    "@odata.type",
    "id",
    "createdDateTime",
    "modifiedDateTime",
    "lastSyncDateTime",
    "universalIntegratedCircuitCardIdentifier",
    "deviceName",
    "userName",
    "state",
    "stateDetails",
];
const FILTER_ID: &str = "deviceAndAppManagementAssignmentFilterId";
const FILTER_TYPE: &str = "deviceAndAppManagementAssignmentFilterType";

/// The docs' pool, every property as shown (its activation code included, though the resource
/// page says codes cannot be read back from Intune).
fn check_pool(p: &Value) {
    assert_eq!(keys(p), set(&POOL_PROPERTIES));
    assert_eq!(p["@odata.type"], "#microsoft.graph.embeddedSIMActivationCodePool");
    assert_eq!(p["id"], POOL_ID);
    assert_eq!(p["displayName"], "Display Name value");
    assert_eq!(p["createdDateTime"], "2017-01-01T00:02:43.5775965-08:00");
    assert_eq!(p["modifiedDateTime"], "2017-01-01T00:00:22.8983556-08:00");
    assert_eq!(p["activationCodeCount"], 3);
    assert_eq!(
        p["activationCodes"],
        json!([{
            "@odata.type": "microsoft.graph.embeddedSIMActivationCode",
            "integratedCircuitCardIdentifier": "Integrated Circuit Card Identifier value",
            "matchingIdentifier": "Matching Identifier value",
            "smdpPlusServerAddress": "Smdp Plus Server Address value"
        }])
    );
    // The package's declared type of a pool reads it too.
    let typed: EmbeddedSimActivationCodePool = serde_json::from_value(p.clone()).unwrap();
    assert_eq!((typed.id.as_str(), typed.activation_code_count), (POOL_ID, 3));
}

/// The docs' assignment: a target of all licensed users with an include filter, every property
/// as shown. Its target's `@odata.type` has no `#`.
fn check_assignment(a: &Value) {
    assert_eq!(keys(a), set(&["@odata.type", "id", "target"]));
    assert_eq!(a["@odata.type"], "#microsoft.graph.embeddedSIMActivationCodePoolAssignment");
    assert_eq!(a["id"], ASSIGNMENT_ID);
    assert_eq!(
        a["target"],
        json!({
            "@odata.type": "microsoft.graph.allLicensedUsersAssignmentTarget",
            FILTER_ID: "Device And App Management Assignment Filter Id value",
            FILTER_TYPE: "include"
        })
    );
    // The package's declared type names target kinds with the `#` Graph writes on the wire; the
    // docs leave it out, and that is the only thing the typed read stumbles on.
    assert!(serde_json::from_value::<EmbeddedSimActivationCodePoolAssignment>(a.clone()).is_err());
    let mut hashed = a.clone();
    hashed["target"]["@odata.type"] = json!("#microsoft.graph.allLicensedUsersAssignmentTarget");
    let typed: EmbeddedSimActivationCodePoolAssignment = serde_json::from_value(hashed).unwrap();
    assert_eq!(typed.id.as_deref(), Some(ASSIGNMENT_ID));
}

fn check_device_state(d: &Value) {
    assert_eq!(keys(d), set(&DEVICE_STATE_PROPERTIES));
    assert_eq!(d["@odata.type"], "#microsoft.graph.embeddedSIMDeviceState");
    assert_eq!(d["id"], DEVICE_STATE_ID);
    assert_eq!(d["lastSyncDateTime"], "2017-01-01T00:02:49.3205976-08:00");
    assert_eq!(d["universalIntegratedCircuitCardIdentifier"], "Universal Integrated Circuit Card Identifier value");
    assert_eq!(d["deviceName"], "Device Name value");
    assert_eq!(d["userName"], "User Name value");
    assert_eq!(d["state"], "failed");
    assert_eq!(d["stateDetails"], "State Details value");
    let typed: EmbeddedSimDeviceState = serde_json::from_value(d.clone()).unwrap();
    assert!(typed.state.is_failure());
}

/// A list page, as the shell reads it (`List::read` in the wasm shell's pools.rs): the server's
/// own `value`, one item, no next page.
fn one_page<'a>(a: &'a Answer, what: &str, problem: fn(&&'a Value) -> Option<String>) -> Value {
    let page = response::page(a.response(), what, problem).unwrap();
    assert!(std::ptr::eq(page.value, &a.body()["value"]), "the page is Graph's own array");
    assert_eq!(page.next_link, None);
    let items = page.value.as_array().unwrap();
    assert_eq!(items.len(), 1);
    items[0].clone()
}

/// Intune's docs print a GET of one object wrapped in `{"value": {...}}`, which is not the
/// OData answer Graph sends (the entity itself). `response::entity` reads the object inside, as
/// it would the entity alone, every property kept.
fn wrapped_entity(a: &Answer, what: &str) -> Value {
    assert_eq!(keys(a.body()), set(&["value"]));
    let inner = &a.body()["value"];
    let got = response::entity(a.response(), what).unwrap();
    assert!(std::ptr::eq(got, inner));
    got.clone()
}

/// A created or updated object: the body is the entity itself.
fn entity(a: &Answer, what: &str) -> Value {
    let got = response::entity(a.response(), what).unwrap();
    assert!(std::ptr::eq(got, a.body()), "the entity is Graph's own object");
    got.clone()
}

fn pool_list(a: &Answer) {
    check_pool(&one_page(a, "pool", response::entity_problem));
}

fn pool_get(a: &Answer) {
    check_pool(&wrapped_entity(a, "pool"));
}

fn pool_written(a: &Answer) {
    check_pool(&entity(a, "pool"));
}

fn assign(a: &Answer) {
    let value = response::collection(a.response(), "assignment").unwrap();
    assert!(std::ptr::eq(value, &a.body()["value"]));
    let items = value.as_array().unwrap();
    assert_eq!(items.len(), 1);
    check_assignment(&items[0]);
}

fn assignment_list(a: &Answer) {
    check_assignment(&one_page(a, "assignment", response::assignment_problem));
}

fn assignment_get(a: &Answer) {
    check_assignment(&wrapped_entity(a, "assignment"));
}

fn assignment_written(a: &Answer) {
    check_assignment(&entity(a, "assignment"));
}

fn device_state_list(a: &Answer) {
    check_device_state(&one_page(a, "device state", response::entity_problem));
}

fn device_state_get(a: &Answer) {
    check_device_state(&wrapped_entity(a, "device state"));
}

fn device_state_written(a: &Answer) {
    check_device_state(&entity(a, "device state"));
}

/// A DELETE's 204: no headers, no body, nothing to read.
fn deleted(a: &Answer) {
    assert_eq!((a.text.as_str(), a.json.is_none(), a.headers.0.len()), ("", true, 0));
    assert_eq!(response::no_content(a.response()), Ok(()));
}

fn graph_error_of(a: &Answer) -> GraphError<&Value> {
    let e = response::graph_error(a.response());
    assert_eq!(e.status, a.doc.status);
    assert_eq!(e.body, ErrorBody::Json(a.body()), "the error keeps Graph's own body");
    // A 2xx reader meets the same answer with the same error.
    match response::entity(a.response(), "pool") {
        Err(Error::Graph(g)) => assert_eq!(*g, e),
        other => panic!("{other:?}"),
    }
    e
}

fn error_example(a: &Answer) {
    let e = graph_error_of(a);
    assert_eq!(e.code.as_deref(), Some("badRequest"));
    assert_eq!(
        e.message,
        "Graph answered 400 Bad Request: Uploaded fragment overlaps with existing data (code badRequest)"
    );
    // innerError's request-id and date (placeholders in the docs); it has no client-request-id.
    assert_eq!(e.request_id.as_deref(), Some("request-id"));
    assert_eq!(e.date.as_deref(), Some("date-time"));
    assert_eq!(e.client_request_id, None);
    assert_eq!(e.retry_after_ms, None);
    assert_eq!(a.body()["error"]["innerError"]["code"], "invalidRange");
}

/// The page's earlier example writes innerError's id as `requestId`, a name Graph does not send
/// (its answers say `request-id`): the reader does not take it for the request id.
fn error_example_earlier(a: &Answer) {
    let e = graph_error_of(a);
    assert_eq!(e.code.as_deref(), Some("invalidRange"));
    assert_eq!(
        e.message,
        "Graph answered 400 Bad Request: Uploaded fragment overlaps with existing data (code invalidRange)"
    );
    assert_eq!(e.request_id, None);
    assert_eq!(e.date.as_deref(), Some("date-time"));
    assert_eq!(a.body()["error"]["innerError"]["requestId"], "request-id");
}

fn batch_example(a: &Answer) {
    let inner = batch::answers(a.response()).unwrap();
    let body = a.body();
    assert_eq!(
        inner.iter().map(|i| (i.id, i.index, i.status)).collect::<Vec<_>>(),
        [(1, 0, 200), (2, 1, 403), (3, 2, 403), (4, 3, 405), (5, 4, 200)]
    );
    for i in &inner {
        let docs = &body["responses"][i.index];
        // Every header of each inner answer is kept, and its body is Graph's own.
        assert_eq!(i.headers.0.len(), docs["headers"].as_object().unwrap().len());
        for (name, value) in &i.headers.0 {
            assert_eq!(docs["headers"][name], value.as_str());
        }
        assert!(std::ptr::eq(i.json.unwrap(), &docs["body"]));
        assert_eq!(i.text, "");
    }
    assert_eq!(inner[1].headers.get("x-tasks-correlationid"), Some("18a8e521-78a4-4129-9b6b-d678116464e7"));

    // The two successes read as pages, as a batched list read is: the first has a next page.
    let first = response::page(inner[0].response(), "directory object", response::entity_problem).unwrap();
    assert_eq!(first.value.as_array().unwrap().len(), 1);
    assert_eq!(first.value[0]["displayName"], "User Administrator");
    assert_eq!(
        first.next_link.as_deref(),
        body["responses"][0]["body"]["@odata.nextLink"].as_str(),
        "the inner answer's own nextLink"
    );
    let fifth = response::page(inner[4].response(), "user", response::entity_problem).unwrap();
    assert_eq!(fifth.value[0]["id"], "10a1d484-cd1a-4162-a5a4-832370bac356");
    assert_eq!(fifth.next_link, None);

    // The failures read as a single request's GraphError: codes, Graph's messages, the ids.
    let errors: Vec<GraphError<&Value>> = inner[1..4].iter().map(|i| response::graph_error(i.response())).collect();
    assert_eq!(
        errors.iter().map(|e| (e.status, e.code.as_deref())).collect::<Vec<_>>(),
        // The first one's code is "" in the docs: no code at all.
        [(403, None), (403, Some("Authorization_RequestDenied")), (405, Some("Request_BadRequest"))]
    );
    assert!(errors[0]
        .message
        .starts_with("Graph answered 403 Forbidden: You do not have the required permissions to access this item. "));
    assert!(errors[1]
        .message
        .starts_with("Graph answered 403 Forbidden: Insufficient privileges to complete the operation (code Authorization_RequestDenied). "));
    assert_eq!(
        errors[2].message,
        "Graph answered 405 Method Not Allowed: Specified HTTP method is not allowed for the request target (code Request_BadRequest)"
    );
    assert_eq!(
        errors
            .iter()
            .map(|e| (e.request_id.as_deref(), e.client_request_id.as_deref(), e.date.as_deref()))
            .collect::<Vec<_>>(),
        [
            (
                Some("93b6f17e-c05d-4f45-ad2a-6665c708d8a0"),
                Some("e70c5c1b-8b47-68c0-3171-3d22f5e0bd54"),
                Some("2025-02-13T10:17:05")
            ),
            (
                Some("93b6f17e-c05d-4f45-ad2a-6665c708d8a0"),
                Some("e70c5c1b-8b47-68c0-3171-3d22f5e0bd54"),
                Some("2025-02-13T10:17:06")
            ),
            (
                Some("3a3b1bf7-3596-4493-8264-de81e028071f"),
                Some("e5f9a304-2796-b7e8-ccce-dd989953ebc4"),
                Some("2025-02-13T10:21:18")
            ),
        ]
    );
}

/// The page's earlier example is not JSON (a trailing comma after `"OData-Version": "4.0"`): the
/// body does not parse, and the batch reader says so as a ResponseError, without a panic. (The
/// shell then makes the reads one request each.)
fn batch_example_earlier(a: &Answer) {
    assert!(a.json.is_none());
    assert!(a.text.contains("\"OData-Version\": \"4.0\",\n      }"));
    match batch::answers(a.response()) {
        Err(Error::Response(m)) => assert_eq!(m, "Graph's $batch answer has no responses array"),
        other => panic!("{other:?}"),
    }
    // With that comma gone the rest reads: ids out of order, a 302 without body, a 204 whose
    // body is null.
    let fixed: Value = serde_json::from_str(&a.text.replace("\"4.0\",\n", "\"4.0\"\n")).unwrap();
    let inner =
        batch::answers(HttpResponse { status: 200, headers: &a.headers, text: "", json: Some(&fixed) }).unwrap();
    assert_eq!(
        inner.iter().map(|i| (i.id, i.status, i.json.is_some())).collect::<Vec<_>>(),
        [(1, 302, false), (3, 401, true), (5, 200, true), (2, 200, true), (4, 204, false)]
    );
    assert_eq!(
        inner[0].headers.get("Location"),
        Some("https://b0mpua-by3301.files.1drv.com/y23vmagahszhxzlcvhasdhasghasodfi")
    );
    assert_eq!(response::graph_error(inner[1].response()).code.as_deref(), Some("Forbidden"));
    assert_eq!(response::no_content(inner[4].response()), Ok(()));
}

fn throttled_error(a: &Answer) -> GraphError<&Value> {
    let e = graph_error_of(a);
    assert_eq!(e.code.as_deref(), Some("TooManyRequests"));
    assert!(e
        .message
        .starts_with("Graph answered 429 Too Many Requests: Please retry again later (code TooManyRequests). "));
    assert_eq!(e.request_id.as_deref(), Some("94fb3b52-452a-4535-a601-69e0a90e3aa2"));
    assert_eq!(e.date.as_deref(), Some("2020-08-18T12:51:51"));
    e
}

fn retry_of(a: &Answer) -> Decision {
    let attempt = Attempt {
        status: a.doc.status,
        retry_after: a.headers.get("retry-after"),
        made: 1,
        remaining_ms: None,
        now_ms: 0.0,
        random: 0.0,
    };
    retry::decide(&RetryPolicy::default(), &attempt)
}

fn throttled(a: &Answer) {
    throttled_error(a);
    assert_eq!(retry::retry_after_ms(a.headers.get("retry-after").unwrap(), 0.0), Some(10_000.0));
    assert_eq!(retry_of(a), Decision::Retry { delay_ms: 10_000.0 });
}

/// The page's earlier example sends `Retry-After: 2.128`, which is neither delay-seconds (a whole
/// number) nor an HTTP date: it is not read, and the retry waits the backoff instead.
fn throttled_earlier(a: &Answer) {
    throttled_error(a);
    assert_eq!(retry::retry_after_ms("2.128", 0.0), None);
    let backoff = retry::backoff_ms(&RetryPolicy::default(), 1, 0.0);
    assert_eq!(retry_of(a), Decision::Retry { delay_ms: backoff });
}

#[test]
fn pool_list_docs_example() {
    read("embeddedsimactivationcodepool-list.response.json");
}

#[test]
fn pool_get_docs_example() {
    read("embeddedsimactivationcodepool-get.response.json");
}

#[test]
fn pool_create_docs_example() {
    read("embeddedsimactivationcodepool-create.response.json");
}

#[test]
fn pool_update_docs_example() {
    read("embeddedsimactivationcodepool-update.response.json");
}

#[test]
fn pool_delete_docs_example() {
    read("embeddedsimactivationcodepool-delete.response.txt");
}

#[test]
fn pool_assign_docs_example() {
    read("embeddedsimactivationcodepool-assign.response.json");
}

#[test]
fn assignment_list_docs_example() {
    read("embeddedsimactivationcodepoolassignment-list.response.json");
}

#[test]
fn assignment_get_docs_example() {
    read("embeddedsimactivationcodepoolassignment-get.response.json");
}

#[test]
fn assignment_create_docs_example() {
    read("embeddedsimactivationcodepoolassignment-create.response.json");
}

#[test]
fn assignment_update_docs_example() {
    read("embeddedsimactivationcodepoolassignment-update.response.json");
}

#[test]
fn assignment_delete_docs_example() {
    read("embeddedsimactivationcodepoolassignment-delete.response.txt");
}

#[test]
fn device_state_list_docs_example() {
    read("embeddedsimdevicestate-list.response.json");
}

#[test]
fn device_state_get_docs_example() {
    read("embeddedsimdevicestate-get.response.json");
}

#[test]
fn device_state_create_docs_example() {
    read("embeddedsimdevicestate-create.response.json");
}

#[test]
fn device_state_update_docs_example() {
    read("embeddedsimdevicestate-update.response.json");
}

#[test]
fn device_state_delete_docs_example() {
    read("embeddedsimdevicestate-delete.response.txt");
}

#[test]
fn error_docs_example() {
    read("errors.response.json");
}

#[test]
fn error_docs_earlier_example() {
    read("errors.earlier.response.json");
}

#[test]
fn batch_docs_example() {
    read("json-batching.response.json");
}

#[test]
fn batch_docs_earlier_example_is_not_json() {
    read("json-batching.earlier.response.txt");
}

#[test]
fn throttling_docs_example() {
    read("throttling.response.json");
}

#[test]
fn throttling_docs_earlier_example() {
    read("throttling.earlier.response.json");
}

/// Every file of the folder is in `DOCS` (so it is read through its reader) and in SOURCES.md
/// with its page and status line, and every entry of `DOCS` has its file: a new fixture cannot
/// be left unread or unnamed.
#[test]
fn every_file_in_the_folder_is_read() {
    let mut files: Vec<String> = fs::read_dir(folder())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "SOURCES.md")
        .collect();
    files.sort();
    let mut listed: Vec<String> = DOCS.iter().map(|d| d.file.to_owned()).collect();
    listed.sort();
    assert_eq!(files, listed, "the folder and DOCS must list the same fixtures");
    listed.dedup();
    assert_eq!(listed.len(), DOCS.len(), "a fixture is listed twice");

    let sources = fs::read_to_string(folder().join("SOURCES.md")).unwrap();
    for d in DOCS {
        let row = sources
            .lines()
            .find(|l| l.starts_with(&["| `", d.file, "` |"].concat()))
            .unwrap_or_else(|| panic!("{} has no row in SOURCES.md", d.file));
        let page = if d.page.starts_with("concepts/") { d.page.to_owned() } else { [API, d.page].concat() };
        assert!(row.contains(&["`", &page, "`"].concat()), "{}: SOURCES.md names another page", d.file);
        assert!(row.contains(&["| `", d.status_line, "` |"].concat()), "{}: SOURCES.md gives another status", d.file);
        (d.check)(&Answer::of(d.file));
    }
}

/// The docs' `Content-Length` is the length of the body they print, with CRLF line breaks: a
/// check that each fixture is the docs' body byte for byte.
#[test]
fn each_fixture_is_as_long_as_its_page_says() {
    for d in DOCS {
        let Some((_, length)) = d.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-length")) else {
            continue;
        };
        let a = Answer::of(d.file);
        let printed = a.text.strip_suffix('\n').unwrap_or(&a.text).replace('\n', "\r\n");
        assert_eq!(printed.len().to_string(), *length, "{}", d.file);
    }
}

/// What the caller-side rules say of the docs' objects pasted back as input. Each pinned by path:
/// the docs' placeholder values ("Device And App Management Assignment Filter Id value", "Integrated
/// Circuit Card Identifier value") are not the GUIDs and codes the rules ask for, and the docs add
/// read-only properties that the rules do not take. The `@odata.type` the docs write on each
/// activation code is taken, as on an assignment.
#[test]
fn docs_objects_pasted_back_as_input() {
    let assign = Answer::of("embeddedsimactivationcodepool-assign.response.json");
    let mut issues = Issues::default();
    assert!(validate::assignments(Some(&&assign.body()["value"]), &mut issues).is_none());
    let paths: Vec<&str> = issues.0.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["assignments[0].target.deviceAndAppManagementAssignmentFilterId"]);

    // The same assignment with a real filter id is taken, target kind without `#` and all, and
    // sent in the `#` form.
    let mut fixed = assign.body()["value"].clone();
    fixed[0]["target"][FILTER_ID] = json!("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
    let mut issues = Issues::default();
    let taken = validate::assignments(Some(&&fixed), &mut issues).unwrap();
    assert!(issues.0.is_empty());
    let mut sent = String::new();
    taken[0].write_json(&mut sent);
    let sent: Value = serde_json::from_str(&sent).unwrap();
    assert_eq!(sent["target"]["@odata.type"], "#microsoft.graph.allLicensedUsersAssignmentTarget");
    assert_eq!(sent["target"][FILTER_TYPE], "include");

    // The pool as created, pasted back into createPool and updatePool.
    let pool = Answer::of("embeddedsimactivationcodepool-create.response.json");
    let mut issues = Issues::default();
    assert!(validate::new_pool(Some(&pool.body()), &mut issues).is_none());
    let paths: BTreeSet<&str> = issues.0.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        set(&[
            "pool.id",
            "pool.createdDateTime",
            "pool.modifiedDateTime",
            "pool.activationCodeCount",
            "pool.activationCodes[0].integratedCircuitCardIdentifier",
            "pool.activationCodes[0].matchingIdentifier",
            "pool.activationCodes[0].smdpPlusServerAddress",
        ])
    );
    let mut issues = Issues::default();
    assert_eq!(validate::pool_update(Some(&pool.body()), &mut issues), None);
    let paths: BTreeSet<&str> = issues.0.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        set(&[
            "changes.@odata.type",
            "changes.id",
            "changes.createdDateTime",
            "changes.modifiedDateTime",
            "changes.activationCodes",
            "changes.activationCodeCount",
        ])
    );

    // The docs' ids are canonical GUIDs, so they pass as a poolId.
    for id in [POOL_ID, ASSIGNMENT_ID, DEVICE_STATE_ID] {
        let mut issues = Issues::default();
        assert_eq!(validate::pool_id(Some(&&json!(id)), "poolId", &mut issues).as_deref(), Some(id));
    }
}
