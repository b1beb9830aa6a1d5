//! The pure parts of the pool operations on the host: operators' CSV files, new pools' activation
//! codes, merging assignment changes, list requests and their answers.
#![cfg(not(target_arch = "wasm32"))]

use intune_esim::csv;
use intune_esim::merge::{self, Change, Entry};
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

const ZERO: &str = "00000000-0000-0000-0000-000000000000";

/// Assignments as Graph answers them. In Intune's shape (`zero`), a target with no filter carries
/// the zero filter id with `none`; in the shape of the eSIM docs' examples, no filter properties.
fn answered(targets: &[Value], zero: bool) -> Value {
    Value::Array(
        targets
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut t = t.clone();
                if zero && t.get("deviceAndAppManagementAssignmentFilterType").is_none() {
                    t["deviceAndAppManagementAssignmentFilterId"] = json!(ZERO);
                    t["deviceAndAppManagementAssignmentFilterType"] = json!("none");
                }
                json!({ "@odata.type": "#microsoft.graph.embeddedSIMActivationCodePoolAssignment", "id": format!("a{i}"), "target": t })
            })
            .collect(),
    )
}

fn read_back(targets: &[Value]) -> Value {
    answered(targets, true)
}

/// The set a change writes, as the wasm shell writes it: Graph's own items for the ones held.
fn written(current: &Value, m: &merge::Merged) -> Value {
    Value::Array(
        m.entries
            .iter()
            .map(|e| match e {
                Entry::Held(i) => current[*i].clone(),
                Entry::New(t) => json!({ "target": serde_json::to_value(t).unwrap() }),
            })
            .collect(),
    )
}

#[test]
fn adding_keeps_what_is_there_and_skips_what_is_already_there() {
    for zero in [true, false] {
        let current = answered(&[group(G1)], zero);
        let targets = json!([group(&G1.to_uppercase()), group(G2)]);
        let m = merge::merge(&&current, Some(&&targets), Change::Add).unwrap();
        assert_eq!(m.entries.len(), 2);
        assert_eq!(m.entries[0], Entry::Held(0), "existing assignments are sent back as Graph gave them");
        assert!(matches!(&m.entries[1], Entry::New(t) if t.id() == Some(G2)));
        assert_eq!(m.added.len(), 1);
        let again = merge::merge(&&current, Some(&&json!([group(G1)])), Change::Add).unwrap();
        assert!(again.is_unchanged());
        // Read back in either shape, the written set is what was written: no false conflict.
        for found_zero in [true, false] {
            let found = answered(&[group(G1), group(G2)], found_zero);
            assert!(merge::same_set(&m, &&current, &&found), "zero {zero}, read back zero {found_zero}");
        }
    }
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
    assert_eq!(m.entries, [Entry::Held(1), Entry::Held(2)]);
    assert!(merge::merge(&&current, Some(&&json!([all])), Change::Remove).unwrap().removed == [1]);
}

/// Graph beta grows: a target kind or a property this library does not know is Graph's to keep.
/// The change goes ahead and writes them back untouched.
#[test]
fn kinds_and_properties_this_library_does_not_know_are_written_back_untouched() {
    let fota = json!({ "@odata.type": "#microsoft.graph.androidFotaDeploymentAssignmentTarget", "groupId": G1,
                       "deviceAndAppManagementAssignmentFilterId": ZERO, "deviceAndAppManagementAssignmentFilterType": "none" });
    let later = json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "somePropertyGraphAddsLater": { "x": [1, 2.5, null] } });
    let current = json!([
        { "id": "1", "target": fota, "intent": "apply" },
        { "@odata.type": "#microsoft.graph.embeddedSIMActivationCodePoolAssignment", "id": "2", "target": later },
    ]);
    let m = merge::merge(&&current, Some(&&json!([group(G2)])), Change::Add).unwrap();
    let body = written(&current, &m);
    assert_eq!(body[0], current[0]);
    assert_eq!(body[1], current[1]);
    assert_eq!(body[2], json!({ "target": group(G2) }));
    assert!(merge::same_set(&m, &&current, &&body));
    // A group of the same id under the unknown kind is not the same target as a group target.
    let m = merge::merge(&&current, Some(&&json!([group(G1)])), Change::Add).unwrap();
    assert_eq!(m.added.len(), 1);
    // Removing a known target leaves the unknown ones be.
    let m = merge::merge(
        &&current,
        Some(&&json!([{ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" }])),
        Change::Remove,
    )
    .unwrap();
    assert_eq!(m.removed, [1]);
    assert_eq!(m.entries, [Entry::Held(0)]);
    // The read-back must hold the unknown kind too, else someone changed the pool.
    let m = merge::merge(&&current, Some(&&json!([group(G2)])), Change::Add).unwrap();
    let lost = Value::Array(written(&current, &m).as_array().unwrap()[1..].to_vec());
    assert!(!merge::same_set(&m, &&current, &&lost));
}

/// The caller's rules are for callers: a set Graph holds that `assign` would refuse from a caller
/// (the same group twice, a group both ways, an id that is not a GUID, no target kind at all) is
/// still changed without loss.
#[test]
fn what_graph_holds_is_never_judged_by_the_callers_rules() {
    let exclude = json!({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": G2 });
    let current = read_back(&[
        group(G1),
        group(&G1.to_uppercase()),
        group(G2),
        exclude,
        json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "not-a-guid" }),
        json!({ "groupId": G1 }),
        json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": null }),
    ]);
    let all = json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" });
    let m = merge::merge(&&current, Some(&&json!([all.clone()])), Change::Add).unwrap();
    assert_eq!(m.entries.len(), 8);
    assert!(merge::same_set(&m, &&current, &&written(&current, &m)));
    let m = merge::merge(&&current, Some(&&json!([group(G1)])), Change::Remove).unwrap();
    assert_eq!(m.removed, [0, 1], "both spellings of the group go");
}

#[test]
fn the_zero_filter_id_is_no_filter() {
    // From a caller: with `none` or no type, accepted; with include or exclude, refused with why.
    let mut issues = Issues::default();
    let none = json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1,
                       "deviceAndAppManagementAssignmentFilterId": ZERO, "deviceAndAppManagementAssignmentFilterType": "none" });
    let untyped = json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "deviceAndAppManagementAssignmentFilterId": ZERO });
    assert!(validate::target(&&none, "t", &mut issues).is_some());
    assert!(validate::target(&&untyped, "t", &mut issues).is_some());
    assert!(issues.0.is_empty(), "{:?}", issues.0);
    for t in ["include", "exclude"] {
        let mut issues = Issues::default();
        let v = json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
                        "deviceAndAppManagementAssignmentFilterId": ZERO, "deviceAndAppManagementAssignmentFilterType": t });
        assert!(validate::target(&&v, "t", &mut issues).is_none());
        assert_eq!(issues.0[0].path, "t.deviceAndAppManagementAssignmentFilterId");
        assert!(
            issues.0[0].message.contains("zero id") && issues.0[0].message.contains("real assignment filter"),
            "{}",
            issues.0[0].message
        );
    }
    // Graph's own answer pasted back into assign is a valid call.
    let pasted = read_back(&[group(G1), json!({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" })]);
    let mut issues = Issues::default();
    assert!(validate::assignments(Some(&&pasted), &mut issues).is_some(), "{:?}", issues.0);
    // Written with no filter, read back with the zero id (or null, or none alone): the same set.
    let m = merge::merge(&&json!([]), Some(&&json!([group(G1)])), Change::Add).unwrap();
    for found in [
        read_back(&[group(G1)]),
        answered(&[group(G1)], false),
        json!([{ "target": { "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1,
                             "deviceAndAppManagementAssignmentFilterId": null, "deviceAndAppManagementAssignmentFilterType": "none" } }]),
    ] {
        assert!(merge::same_set(&m, &&json!([]), &&found), "{found}");
    }
    // A real filter read back is another set.
    let filtered = json!([{ "target": { "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1,
                           "deviceAndAppManagementAssignmentFilterId": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
                           "deviceAndAppManagementAssignmentFilterType": "include" } }]);
    assert!(!merge::same_set(&m, &&json!([]), &&filtered));
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
    assert!(merge::same_set(&m, &&json!([]), &&current));
    assert!(!merge::same_set(&m, &&json!([]), &&read_back(&[group(G1)])));
    assert!(!merge::same_set(
        &m,
        &&json!([]),
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

/// Graph's own createPool example writes `@odata.type` on every activation code: taken, with or
/// without `#`; any other type is refused by its path.
#[test]
fn an_activation_code_may_carry_its_own_type() {
    let code = |t: Value| {
        json!({ "@odata.type": t, "integratedCircuitCardIdentifier": "8988247000000000001",
                "matchingIdentifier": "A1", "smdpPlusServerAddress": "smdp.example.com" })
    };
    for t in ["#microsoft.graph.embeddedSIMActivationCode", "microsoft.graph.embeddedSIMActivationCode"] {
        let mut issues = Issues::default();
        let pool = json!({ "displayName": "P", "activationCodes": [code(json!(t))] });
        assert!(validate::new_pool(Some(&&pool), &mut issues).is_some(), "{t}: {:?}", issues.0);
    }
    for t in [json!("#microsoft.graph.embeddedSIMActivationCodePool"), json!(3)] {
        let mut issues = Issues::default();
        let pool = json!({ "displayName": "P", "activationCodes": [code(t.clone())] });
        assert!(validate::new_pool(Some(&&pool), &mut issues).is_none());
        assert_eq!(issues.0[0].path, "pool.activationCodes[0].@odata.type", "{t}");
    }
}

/// "Already there" is the same target with the same filter as it applies: the same target with
/// another filter is refused (the caller's filter would be silently lost), whichever way Graph
/// writes "no filter".
#[test]
fn adding_a_target_the_pool_has_with_another_filter_is_refused() {
    let filtered = json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1,
                           "deviceAndAppManagementAssignmentFilterId": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
                           "deviceAndAppManagementAssignmentFilterType": "include" });
    for zero in [true, false] {
        let current = answered(&[group(G1)], zero);
        let issues = merge::merge(&&current, Some(&&json!([filtered.clone()])), Change::Add).unwrap_err();
        assert_eq!(issues[0].path, "targets[0]");
        assert!(issues[0].message.contains("another assignment filter"), "{}", issues[0].message);
        // The same filter, written either way, is already there.
        let none = json!({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1.to_uppercase(),
                           "deviceAndAppManagementAssignmentFilterType": "none" });
        assert!(merge::merge(&&current, Some(&&json!([none])), Change::Add).unwrap().is_unchanged());
        let with = answered(std::slice::from_ref(&filtered), zero);
        assert!(merge::merge(&&with, Some(&&json!([filtered.clone()])), Change::Add).unwrap().is_unchanged());
        assert!(merge::merge(&&with, Some(&&json!([group(G1)])), Change::Add).is_err());
    }
}
