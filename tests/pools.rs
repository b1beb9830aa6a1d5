//! The pure parts of the pool operations on the host: operators' CSV files, new pools' activation
//! codes, merging assignment changes, list requests and their answers.
#![cfg(not(target_arch = "wasm32"))]

use intune_esim::csv;
use intune_esim::merge::{self, Change};
use intune_esim::request::{self, ListQuery};
use intune_esim::response::{self, Headers, HttpResponse};
use intune_esim::url::BaseUrl;
use intune_esim::validate::{self, Issues};
use serde_json::{json, Value};

const G1: &str = "3f1e2d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const G2: &str = "11111111-2222-4333-8444-555555555555";

fn problems(text: &str) -> Vec<(String, String)> {
    csv::parse(text).unwrap_err().into_iter().map(|i| (i.path, i.message)).collect()
}

#[test]
fn intune_layout_with_bom_crlf_blank_lines_and_quotes() {
    let text = "\u{feff}smdp.example.com,\"Contoso, eSIM\"\r\n\r\n8901260000000000001,ABC-1\r\n\"8901260000000000002\", ABC-2 \r\n\n";
    let file = csv::parse(text).unwrap();
    assert_eq!(file.display_name.as_deref(), Some("Contoso, eSIM"));
    let codes: Vec<(&str, &str, &str)> = file
        .activation_codes
        .iter()
        .map(|c| {
            (
                c.integrated_circuit_card_identifier.as_str(),
                c.matching_identifier.as_str(),
                c.smdp_plus_server_address.as_str(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [("8901260000000000001", "ABC-1", "smdp.example.com"), ("8901260000000000002", "ABC-2", "smdp.example.com")]
    );
}

#[test]
fn three_columns_with_or_without_a_header() {
    let rows = "8901260000000000001,ABC-1,smdp.example.com\n89012600000000000022,,rsp.operator.net\n";
    let plain = csv::parse(rows).unwrap();
    assert_eq!(plain.display_name, None);
    assert_eq!(plain.activation_codes.len(), 2);
    assert_eq!(plain.activation_codes[1].matching_identifier, "");
    let headed = csv::parse(&["ICCID,MatchingID,SM-DP+ address\n", rows].concat()).unwrap();
    assert_eq!(headed.activation_codes, plain.activation_codes);
}

#[test]
fn every_bad_line_is_reported_with_its_number() {
    let text = "ICCID,MatchingID,SMDP\n8901260000000000001,ABC,smdp.example.com\n\n123,A B,localhost\n8901260000000000001,X,smdp.example.com\n1,2\n";
    assert_eq!(
        problems(text),
        [
            ("line 4".into(), "integratedCircuitCardIdentifier must be an ICCID: 19 or 20 digits".into()),
            ("line 4".into(), "matchingIdentifier must be a MatchingID: letters, digits and - only".into()),
            (
                "line 4".into(),
                "smdpPlusServerAddress must be the SM-DP+ server's host name, like smdp.example.com".into()
            ),
            ("line 6".into(), "has 2 fields; expected 3 (ICCID,MatchingID,SM-DP+ address)".into()),
            ("line 5".into(), "repeats the ICCID of line 2".into()),
        ]
    );
    assert_eq!(problems("")[0].0, "file");
    assert_eq!(problems("\n\r\n")[0].0, "file");
    assert_eq!(
        problems("ICCID,MatchingID,SMDP\n"),
        [("file".into(), "has no activation codes, only a header line".into())]
    );
    let bad_header = problems("not a host,Name\n8901260000000000001,A\n");
    assert_eq!(bad_header[0].0, "line 1");
    let wrong_width = problems("smdp.example.com,Name\n8901260000000000001,A,smdp.example.com\n");
    assert_eq!(wrong_width[0].1, "has 3 fields; expected 2 (ICCID,MatchingID), as the first line is Intune's header");
}

#[test]
fn new_pools_are_checked_row_by_row() {
    let pool = json!({
        "displayName": "Contoso",
        "activationCodes": [
            { "integratedCircuitCardIdentifier": "8901260000000000001", "matchingIdentifier": "A-1", "smdpPlusServerAddress": "smdp.example.com" },
            { "integratedCircuitCardIdentifier": "8901260000000000001", "matchingIdentifier": "A 2", "smdpPlusServerAddress": "smdp" },
            { "iccid": "x" },
            "row"
        ]
    });
    let mut issues = Issues::default();
    assert!(validate::new_pool(Some(&&pool), &mut issues).is_none());
    let paths: Vec<&str> = issues.0.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "pool.activationCodes[1].matchingIdentifier",
            "pool.activationCodes[1].smdpPlusServerAddress",
            "pool.activationCodes[2].iccid",
            "pool.activationCodes[2].integratedCircuitCardIdentifier",
            "pool.activationCodes[2].matchingIdentifier",
            "pool.activationCodes[2].smdpPlusServerAddress",
            "pool.activationCodes[3]",
            "pool.activationCodes[1].integratedCircuitCardIdentifier",
        ]
    );
    let good = json!({ "displayName": "Contoso", "activationCodes": [pool["activationCodes"][0].clone()] });
    let mut issues = Issues::default();
    let p = validate::new_pool(Some(&&good), &mut issues).unwrap();
    let base = BaseUrl::parse("https://graph.microsoft.com/beta").unwrap();
    let req = request::create_pool(&base, &p, G1);
    assert_eq!(req.url, "https://graph.microsoft.com/beta/deviceManagement/embeddedSIMActivationCodePools");
    let body: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["@odata.type"], "#microsoft.graph.embeddedSIMActivationCodePool");
    assert_eq!(body["activationCodes"][0], good["activationCodes"][0]);
}

fn group(id: &str) -> Value {
    json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": id })
}

fn read_back(targets: &[Value]) -> Value {
    Value::Array(
        targets
            .iter()
            .map(|t| {
                let mut t = t.clone();
                t["deviceAndAppManagementAssignmentFilterId"] = Value::Null;
                t["deviceAndAppManagementAssignmentFilterType"] = json!("none");
                json!({ "@odata.type": "#microsoft.graph.embeddedSIMActivationCodePoolAssignment", "id": "x", "target": t })
            })
            .collect(),
    )
}

#[test]
fn adding_keeps_what_is_there_and_skips_what_is_already_there() {
    let current = read_back(&[group(G1)]);
    let targets = json!([group(&G1.to_uppercase()), group(G2)]);
    let m = merge::merge(&&current, Some(&&targets), Change::Add).unwrap();
    let ids: Vec<Option<&str>> = m.assignments.iter().map(|a| a.target.id()).collect();
    assert_eq!(ids, [Some(G1), Some(G2)]);
    assert_eq!(m.added.len(), 1);
    assert_eq!(m.assignments[0].id.as_deref(), Some("x"), "existing assignments keep their ids");
    let again = merge::merge(&&current, Some(&&json!([group(G1)])), Change::Add).unwrap();
    assert!(again.is_unchanged());
}

#[test]
fn removing_keeps_the_others() {
    let all = json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" });
    let current = read_back(&[group(G1), all.clone(), group(G2)]);
    let m = merge::merge(
        &&current,
        Some(&&json!([group(G1), group("99999999-2222-4333-8444-555555555555")])),
        Change::Remove,
    )
    .unwrap();
    assert_eq!(m.removed, [0]);
    assert_eq!(m.assignments.len(), 2);
    assert!(merge::merge(&&current, Some(&&json!([all])), Change::Remove).unwrap().removed == [1]);
}

#[test]
fn a_merge_never_drops_what_it_cannot_send_back() {
    let current = json!([{ "id": "1", "target": { "@odata.type": "#microsoft.graph.someFutureTarget", "x": 1 } }]);
    let issues = merge::merge(&&current, Some(&&json!([group(G1)])), Change::Add).unwrap_err();
    assert_eq!(issues[0].path, "current assignments[0].target.@odata.type");
    assert!(issues[0].message.contains("so the pool is left as it is"), "{}", issues[0].message);
}

#[test]
fn bad_targets_and_opposites_are_refused() {
    let current = read_back(&[group(G1)]);
    let exclude = json!({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": G1 });
    let issues = merge::merge(&&current, Some(&&json!([exclude])), Change::Add).unwrap_err();
    assert!(issues[0].message.contains("both included and excluded"));
    for (targets, path) in [
        (json!([]), "targets"),
        (json!("group"), "targets"),
        (json!([{ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupID": G1 }]), "targets[0].groupID"),
        (json!([group(G1), group(G1)]), "targets[1]"),
    ] {
        let issues = merge::merge(&&current, Some(&&targets), Change::Add).unwrap_err();
        assert_eq!(issues[0].path, path, "{targets}");
    }
}

#[test]
fn a_read_back_is_compared_as_a_set() {
    let current = read_back(&[group(G1), group(G2)]);
    let m = merge::merge(&&json!([]), Some(&&json!([group(G2), group(G1)])), Change::Add).unwrap();
    assert!(merge::same_set(&m.assignments, &&current));
    assert!(!merge::same_set(&m.assignments, &&read_back(&[group(G1)])));
    assert!(!merge::same_set(
        &m.assignments,
        &&read_back(&[group(G1), group(G2), json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" })])
    ));
}

#[test]
fn list_requests_and_pages() {
    let base = BaseUrl::parse("https://graph.microsoft.us/beta").unwrap();
    let q = ListQuery {
        top: Some(50),
        select: vec!["id".into(), "displayName".into()],
        filter: Some("displayName eq 'A&B'".into()),
    };
    let req = request::get(&base, None, &q, G1);
    assert_eq!(
        req.url,
        "https://graph.microsoft.us/beta/deviceManagement/embeddedSIMActivationCodePools?$top=50&$select=id,displayName&$filter=displayName%20eq%20%27A%26B%27"
    );
    assert_eq!(req.method, "GET");
    assert!(req.body.is_none() && !req.headers.iter().any(|(k, _)| *k == "Content-Type"));
    let req = request::get(&base, Some((G1, "deviceStates")), &ListQuery::default(), G1);
    assert!(req.url.ends_with(&format!("/embeddedSIMActivationCodePools/{G1}/deviceStates")));

    assert!(request::check_next_link(&base, "https://graph.microsoft.us/beta/deviceManagement/x?$skiptoken=2").is_ok());
    for evil in [
        "https://evil.example/beta",
        "https://graph.microsoft.us.evil.example/beta",
        "http://graph.microsoft.us/beta",
        "https://graph.microsoft.us@evil/x",
        "//evil/x",
        "",
    ] {
        assert!(request::check_next_link(&base, evil).is_err(), "{evil}");
    }

    let text = r#"{"value":[{"id":"p1","displayName":"A"}],"@odata.nextLink":"https://graph.microsoft.us/beta/next"}"#;
    let parsed: Value = serde_json::from_str(text).unwrap();
    let headers = Headers::default();
    let page = response::page(
        HttpResponse { status: 200, headers: &headers, text, json: Some(&parsed) },
        "pool",
        response::entity_problem,
    )
    .unwrap();
    assert_eq!(page.next_link.as_deref(), Some("https://graph.microsoft.us/beta/next"));
    let text = r#"{"value":[{"displayName":"A"}]}"#;
    let parsed: Value = serde_json::from_str(text).unwrap();
    let err = response::page(
        HttpResponse { status: 200, headers: &headers, text, json: Some(&parsed) },
        "pool",
        response::entity_problem,
    )
    .unwrap_err();
    assert_eq!(err.message(), "Graph's answer: value[0] has no id");
}
