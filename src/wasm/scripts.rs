//! The operations of scripts more than of portals: reading an operator's activation code file,
//! creating a pool from it, and checking an `assignMany` call. They are in the wasm a browser
//! loads only when one of them is called (cargo feature `scripts`): a portal that assigns and
//! lists does not download them.

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{settled, Outcome};

use super::changes::to_js;
use super::errors;
use super::input::{self, view};
use super::pools::{checked, single, Read};
use crate::error::Issue;
use crate::model::EmbeddedSimActivationCode;
use crate::request;
use crate::validate::{self, Issues};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ActivationCodeFile<'a> {
    display_name: Option<&'a str>,
    activation_codes: &'a [EmbeddedSimActivationCode],
}

/// An operator's activation code file: `{ displayName, activationCodes }`, every bad row reported.
#[wasm_bindgen(
    js_name = parseActivationCodesCsv,
    unchecked_return_type = "Promise<{ displayName: string | null; activationCodes: EmbeddedSimActivationCode[] }>"
)]
pub fn parse_activation_codes_csv(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> Promise {
    let Some(text) = text.as_string() else {
        return settled(Err(errors::validation(&[Issue::new("text", "must be the file's text, a string")])));
    };
    settled(crate::csv::parse(&text).map_err(|issues| errors::validation(&issues)).map(|file| {
        to_js(&ActivationCodeFile {
            display_name: file.display_name.as_deref(),
            activation_codes: &file.activation_codes,
        })
    }))
}

/// `POST .../embeddedSIMActivationCodePools`: every activation code is checked first.
#[wasm_bindgen(js_name = createPool, unchecked_return_type = "Promise<EmbeddedSimActivationCodePool>")]
pub fn create_pool(
    #[wasm_bindgen(unchecked_param_type = "NewPool")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
) -> Promise {
    let tree = input::arg(&pool);
    let checked =
        checked(&token, &options.unwrap_or_default(), None, |issues| validate::new_pool(view(&tree).as_ref(), issues));
    let made = checked.map(|(pool, call)| (request::create_pool(&call.base_url, &pool, &call.client_request_id), call));
    single(made, Read::Pool)
}

/// Checks an `assignMany` call before the first write: the pool ids, the shared arguments and
/// the options (those of every call and its own), every problem at once.
#[wasm_bindgen(js_name = checkAssignMany, unchecked_return_type = "Promise<void>")]
pub fn check_assign_many(
    #[wasm_bindgen(js_name = poolIds)] pool_ids: JsValue,
    assignments: JsValue,
    token: JsValue,
    options: JsValue,
) -> Promise {
    settled(check_many(&pool_ids, &assignments, &token, &options))
}

fn check_many(pool_ids: &JsValue, assignments: &JsValue, token: &JsValue, options: &JsValue) -> Outcome {
    let (ids, assignments) = (input::arg(pool_ids), input::arg(assignments));
    let ((token_tree, _), given) = (input::token(token), input::options(options));
    let mut issues = Issues::default();
    validate::pool_ids(view(&ids).as_ref(), &mut issues);
    validate::assignments(view(&assignments).as_ref(), &mut issues);
    validate::token(view(&token_tree).as_ref(), &mut issues);
    validate::assign_many_options(view(&given.tree).as_ref(), &mut issues);
    if issues.0.is_empty() {
        Ok(JsValue::UNDEFINED)
    } else {
        Err(errors::validation(&issues.0))
    }
}
