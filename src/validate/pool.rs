//! Pools: a new pool for `createPool` (its name and activation codes) and the changes
//! `updatePool` may make (its name only). Both read `displayName` by one rule, so both are here,
//! with the checks of activation code rows, which the CSV reader applies to a file's rows too.

use super::assignment::own_odata_type;
use super::{field_path, item_path, unknown_properties, Issues};
use crate::activation_code::{is_iccid, is_matching_id, is_smdp_address, ICCID_RULE, MATCHING_ID_RULE, SMDP_RULE};
use crate::json::{JsonView, Kind};
use crate::model::{EmbeddedSimActivationCode, NewPool};
use crate::prelude::*;
use crate::repeats::repeats;

const POOL_PROPERTIES: [&str; 3] = ["@odata.type", "displayName", "activationCodes"];
// `@odata.type` too: Graph's own createPool example writes it on every code.
const CODE_PROPERTIES: [&str; 4] =
    ["@odata.type", "integratedCircuitCardIdentifier", "matchingIdentifier", "smdpPlusServerAddress"];

/// `createPool`'s pool: a display name and activation codes that each match Graph's patterns,
/// with no ICCID twice. Every bad row is reported with its index.
pub fn new_pool<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<NewPool> {
    let v = match v {
        Some(v) if v.kind() == Kind::Object => v,
        other => {
            issues.got_or_undefined(
                "pool",
                "must be an object with displayName and activationCodes",
                other.map(|o| o.kind()),
            );
            return None;
        }
    };
    let before = issues.0.len();
    unknown_properties(v, "pool", &POOL_PROPERTIES, &[], issues);
    let message = "must be #microsoft.graph.embeddedSIMActivationCodePool, or left out";
    own_odata_type(v, NewPool::ODATA_TYPE, "pool", message, issues);
    let display_name =
        display_name(v, "pool.displayName", "is required: the pool's name in Intune", issues).unwrap_or_default();
    let codes = match v.get("activationCodes") {
        Some(list) if list.kind() == Kind::Array => list,
        Some(other) => {
            issues.got("pool.activationCodes", "must be an array of activation codes", other.kind());
            return None;
        }
        None => {
            issues.push("pool.activationCodes", "is required: the pool's activation codes");
            return None;
        }
    };
    let mut activation_codes = Vec::with_capacity(codes.len());
    for i in 0..codes.len() {
        let path = item_path("pool.activationCodes", i, "");
        let Some(code) = codes.at(i).filter(|c| c.kind() == Kind::Object) else {
            issues.push(
                &path,
                "must be an object with integratedCircuitCardIdentifier, matchingIdentifier and smdpPlusServerAddress",
            );
            continue;
        };
        unknown_properties(&code, &path, &CODE_PROPERTIES, &[], issues);
        let message = "must be #microsoft.graph.embeddedSIMActivationCode, or left out";
        own_odata_type(&code, EmbeddedSimActivationCode::ODATA_TYPE, &path, message, issues);
        // An empty ICCID or address given as "" breaks the rules as a missing one does (a
        // MatchingID may be empty).
        let field = |name: &str, issues: &mut Issues| match code.get(name).map(|f| (f.kind(), f.string())) {
            Some((_, Some(s))) if s.is_empty() && name != "matchingIdentifier" => {
                issues.push(field_path(&path, name), "must not be empty");
                String::new()
            }
            Some((_, Some(s))) => s.into(),
            Some((k, None)) => {
                issues.got(&field_path(&path, name), "must be a string", k);
                String::new()
            }
            None => {
                issues.push(field_path(&path, name), "is required");
                String::new()
            }
        };
        let c = EmbeddedSimActivationCode {
            integrated_circuit_card_identifier: field("integratedCircuitCardIdentifier", issues),
            matching_identifier: field("matchingIdentifier", issues),
            smdp_plus_server_address: field("smdpPlusServerAddress", issues),
        };
        for (name, rule) in activation_code_problems(&c) {
            issues.push(field_path(&path, name), rule);
        }
        activation_codes.push(c);
    }
    for (i, dup) in duplicate_iccids(&activation_codes) {
        issues.push(
            item_path("pool.activationCodes", i, ".integratedCircuitCardIdentifier"),
            joined(&["is the same ICCID as ", &item_path("activationCodes", dup, "")]),
        );
    }
    (issues.0.len() == before).then_some(NewPool { display_name, activation_codes })
}

/// The fields of `c` that break the metadata's patterns, each with its rule. Empty fields that
/// were missing altogether are reported by the caller, not again here.
pub fn activation_code_problems(c: &EmbeddedSimActivationCode) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if !c.integrated_circuit_card_identifier.is_empty() && !is_iccid(&c.integrated_circuit_card_identifier) {
        out.push(("integratedCircuitCardIdentifier", ICCID_RULE));
    }
    if !is_matching_id(&c.matching_identifier) {
        out.push(("matchingIdentifier", MATCHING_ID_RULE));
    }
    if !c.smdp_plus_server_address.is_empty() && !is_smdp_address(&c.smdp_plus_server_address) {
        out.push(("smdpPlusServerAddress", SMDP_RULE));
    }
    out
}

/// `(index, index of its first occurrence)` for each ICCID seen before in `codes`.
pub fn duplicate_iccids(codes: &[EmbeddedSimActivationCode]) -> Vec<(usize, usize)> {
    // A plain loop, not a map's collect: less wasm for the same keys.
    let mut keys = Vec::with_capacity(codes.len());
    for c in codes {
        keys.push(Some(c.integrated_circuit_card_identifier.clone()).filter(|s| !s.is_empty()));
    }
    repeats(keys)
}

/// `updatePool`'s changes: only `displayName` may change, by the same rule as `createPool`'s. Any
/// other property is refused by name: Graph would ignore some silently.
pub fn pool_update<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<String> {
    let v = match v {
        Some(v) if v.kind() == Kind::Object => v,
        other => {
            issues.got_or_undefined("changes", "must be an object like { displayName }", other.map(|o| o.kind()));
            return None;
        }
    };
    let before = issues.0.len();
    for key in v.keys() {
        if key != "displayName" && v.get(&key).is_some() {
            issues.push(field_path("changes", &key), "cannot be changed: updatePool changes only displayName");
        }
    }
    let name = display_name(v, "changes.displayName", "is required: the pool's new name", issues);
    name.filter(|_| issues.0.len() == before)
}

/// A pool's `displayName`, for `createPool` and `updatePool` alike: a string that is not blank.
/// Graph documents no length or character rule, so none is made up here.
fn display_name<V: JsonView>(v: &V, path: &str, required: &str, issues: &mut Issues) -> Option<String> {
    match v.get("displayName").map(|d| (d.kind(), d.string())) {
        Some((_, Some(s))) if !crate::text::is_blank(&s) => Some(s.into()),
        Some((_, Some(_))) => {
            issues.push(path, "must not be empty");
            None
        }
        Some((k, None)) => {
            issues.got(path, "must be a string", k);
            None
        }
        None => {
            issues.push(path, required);
            None
        }
    }
}
