//! The pure parts of the fleet operations on the host: `updatePool`'s changes and request, the
//! batched reads' options, and a batch's inner answers read as single answers are.
#![cfg(not(target_arch = "wasm32"))]

use intune_esim::batch;
use intune_esim::error::Error;
use intune_esim::request;
use intune_esim::response::{self, Headers, HttpResponse};
use intune_esim::url::BaseUrl;
use intune_esim::validate::{self, Issues, Many};
use serde_json::{json, Value};

fn issues_of(check: impl FnOnce(&mut Issues)) -> Vec<(String, String)> {
    let mut issues = Issues::default();
    check(&mut issues);
    issues.0.into_iter().map(|i| (i.path, i.message)).collect()
}

#[test]
fn only_display_name_may_change() {
    let ok = json!({ "displayName": "Contoso Berlin" });
    let mut issues = Issues::default();
    assert_eq!(validate::pool_update(Some(&&ok), &mut issues).as_deref(), Some("Contoso Berlin"));
    assert!(issues.0.is_empty());

    let other = json!({ "displayName": "x", "activationCodeCount": 3, "id": "y" });
    let found = issues_of(|i| {
        validate::pool_update(Some(&&other), i);
    });
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["changes.activationCodeCount", "changes.id"]);
    assert!(found[0].1.contains("only displayName"));

    for (bad, message) in [
        (json!({ "displayName": "  " }), "must not be empty"),
        (json!({ "displayName": 7 }), "must be a string"),
        (json!({}), "is required"),
    ] {
        let found = issues_of(|i| {
            assert!(validate::pool_update(Some(&&bad), i).is_none());
        });
        assert_eq!(found.len(), 1, "{bad}");
        assert_eq!(found[0].0, "changes.displayName");
        assert!(found[0].1.contains(message), "{bad}: {}", found[0].1);
    }
    // createPool and updatePool take a name by one rule, with no length or character rule Graph
    // does not document: whatever one accepts or refuses, so does the other, with one message.
    let codes = json!([{ "integratedCircuitCardIdentifier": "8988247000000000001", "matchingIdentifier": "A1",
                         "smdpPlusServerAddress": "smdp.example.com" }]);
    for name in [json!("é".repeat(300)), json!("a\nb"), json!("  "), json!(""), json!(7), json!(null), json!("Berlin")]
    {
        let update = issues_of(|i| {
            validate::pool_update(Some(&&json!({ "displayName": name })), i);
        });
        let create = issues_of(|i| {
            validate::new_pool(Some(&&json!({ "displayName": name, "activationCodes": codes })), i);
        });
        let messages = |found: &[(String, String)]| found.iter().map(|(_, m)| m.clone()).collect::<Vec<_>>();
        assert_eq!(messages(&update), messages(&create), "{name}");
        assert_eq!(update.is_empty(), name.as_str().is_some_and(|s| !s.trim().is_empty()), "{name}");
    }
    let not_object = json!("Berlin");
    assert_eq!(
        issues_of(|i| {
            validate::pool_update(Some(&&not_object), i);
        })[0]
            .0,
        "changes"
    );
}

#[test]
fn a_rename_is_one_patch_of_the_name_alone() {
    let base = BaseUrl::parse("https://graph.microsoft.us/beta").unwrap();
    let r = request::update_pool(&base, "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7", "Ber\"lin", "c");
    assert_eq!(r.method, "PATCH");
    assert_eq!(r.url, "https://graph.microsoft.us/beta/deviceManagement/embeddedSIMActivationCodePools/e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7");
    let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({ "displayName": "Ber\"lin" }));
}

#[test]
fn batched_reads_take_their_own_options() {
    let given = json!({ "concurrency": 4, "readLimit": { "requests": 50, "perMs": 1000 }, "timeoutMs": 5000 });
    let mut issues = Issues::default();
    let (options, many) = validate::many_options(Some(&&given), &mut issues).unwrap();
    assert_eq!(many, Many { concurrency: 4, limit: 50, per_ms: 1000.0 });
    assert_eq!(options.timeout_ms, Some(5000.0));
    let defaults = validate::many_options(None::<&&Value>, &mut Issues::default()).unwrap().1;
    assert_eq!(defaults, Many { concurrency: 4, limit: 1000, per_ms: 20_000.0 });
    // One default for every call that makes many requests: assignMany's too.
    let spread = validate::assign_many_options(None::<&&Value>, &mut Issues::default()).unwrap().1;
    assert_eq!((spread.concurrency, spread.writes, spread.per_ms), (defaults.concurrency, 100, 20_000.0));

    let bad = json!({ "concurrency": 0, "readLimit": { "requests": 10 }, "onProgress": 1, "writeLimit": {} });
    let found = issues_of(|i| {
        assert!(validate::many_options(Some(&&bad), i).is_none());
    });
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["options.writeLimit", "options.concurrency", "options.onProgress", "options.readLimit"]);
    assert!(found[3].1.contains("{ requests: 1000, perMs: 20000 }"), "{}", found[3].1);
}

#[test]
fn an_inner_answer_reads_as_a_single_answer_does() {
    let answer = json!({ "responses": [
        { "id": "0", "status": 404, "headers": { "request-id": "r-1" },
          "body": { "error": { "code": "NotFound", "message": "No pool" } } },
        { "id": "1", "status": 200, "body": { "value": [{ "id": "a", "target": {} }],
          "@odata.nextLink": "https://graph.microsoft.com/beta/deviceManagement/x?$skiptoken=2" } },
        { "id": "2", "status": 200, "body": { "value": [{ "id": "a" }] } },
    ] });
    let h = Headers::default();
    let inner = batch::answers(HttpResponse { status: 200, headers: &h, text: "", json: Some(&answer) }).unwrap();

    let Err(Error::Graph(g)) = response::page(inner[0].response(), "assignment", response::assignment_problem) else {
        panic!("a 404 inside a batch is the GraphError a single 404 is");
    };
    assert_eq!((g.status, g.code.as_deref(), g.request_id.as_deref()), (404, Some("NotFound"), Some("r-1")));
    assert!(g.message.contains("No pool"));

    let page = response::page(inner[1].response(), "assignment", response::assignment_problem).unwrap();
    let next = page.next_link.unwrap();
    let base = BaseUrl::graph();
    assert_eq!(batch::relative(&base, &next), Some("/deviceManagement/x?$skiptoken=2"));

    let Err(Error::Response(m)) = response::page(inner[2].response(), "assignment", response::assignment_problem)
    else {
        panic!("an item without a target is refused, as in a single answer");
    };
    assert!(m.contains("value[0] has no target"), "{m}");
}
