//! The operations of scripts more than of portals: reading an operator's activation code file,
//! creating a pool from it, and checking an `assignMany` call. They are in the wasm a browser
//! loads only when one of them is called (cargo feature `scripts`): a portal that assigns and
//! lists does not download them.

use super::local::verdict;
use super::out::{self, Writer};
use super::prepare::{checked, crid, plan, token_and_options};
use super::Args;
use crate::error::Issue;
use crate::json::{write_array, JsonView};
use crate::model::EmbeddedSimActivationCode;
use crate::prelude::*;
use crate::request;
use crate::validate::{self, Issues};

/// `{ text }` → `{ displayName, activationCodes }`.
pub fn parse_activation_codes_csv(args: &Args) -> String {
    let Some(text) = args.get("text").and_then(|t| t.string()) else {
        return out::invalid(&[Issue::new("text", "must be the file's text, a string")]);
    };
    match crate::csv::parse(text) {
        Err(issues) => out::invalid(&issues),
        Ok(file) => {
            let mut codes = String::new();
            write_array(&mut codes, &file.activation_codes, EmbeddedSimActivationCode::write_json);
            let mut w = Writer::new();
            w.raw("{\"ok\":{").key("displayName").opt(file.display_name.as_deref());
            w.key("activationCodes").raw(&codes).raw("}}");
            w.0
        }
    }
}

/// `{ pool, token, options }` → the plan of `POST .../embeddedSIMActivationCodePools`.
pub fn create_pool(args: &Args, fresh: &str) -> String {
    match checked(args, |issues| validate::new_pool(args.get("pool").as_ref(), issues)) {
        Err(e) => e,
        Ok((pool, token, options)) => {
            let id = crid(&options, fresh);
            plan(request::create_pool(&options.base_url, &pool, id), &token, &options, id, "pool")
        }
    }
}

/// `{ poolIds, assignments, token, options, bulk }`: an `assignMany` call, checked before the
/// first write.
pub fn check_assign_many(args: &Args) -> String {
    let mut issues = Issues::default();
    validate::pool_ids(args.get("poolIds").as_ref(), &mut issues);
    validate::assignments(args.get("assignments").as_ref(), &mut issues);
    validate::bulk_options(args.get("bulk").as_ref(), &mut issues);
    token_and_options(args, &mut issues);
    verdict(issues)
}
