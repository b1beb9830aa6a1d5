//! The operations of scripts more than of portals: reading an operator's activation code file,
//! creating a pool from it, and checking an `assignMany` call. They are in the wasm a browser
//! loads only when one of them is called (cargo feature `scripts`): a portal that assigns and
//! lists does not download them.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::changes::to_js;
use super::errors;
use super::input::{self, view};
use super::pools::checked;
use crate::error::Issue;
use crate::model::EmbeddedSimActivationCode;
use crate::request;
use crate::response;
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
    unchecked_return_type = "{ displayName: string | null; activationCodes: EmbeddedSimActivationCode[] }"
)]
pub async fn parse_activation_codes_csv(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<JsValue, JsValue> {
    let Some(text) = text.as_string() else {
        return Err(errors::validation(&[Issue::new("text", "must be the file's text, a string")]));
    };
    let file = crate::csv::parse(&text).map_err(|issues| errors::validation(&issues))?;
    let out =
        ActivationCodeFile { display_name: file.display_name.as_deref(), activation_codes: &file.activation_codes };
    Ok(to_js(&out))
}

/// `POST .../embeddedSIMActivationCodePools`: every activation code is checked first.
#[wasm_bindgen(js_name = createPool, unchecked_return_type = "EmbeddedSimActivationCodePool")]
pub async fn create_pool(
    #[wasm_bindgen(unchecked_param_type = "NewPool")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    // A missing or null `options` is no options.
    let options = options.unwrap_or_default();
    let tree = input::arg(&pool);
    let (pool, call) = checked(&token, &options, None, |issues| validate::new_pool(view(&tree).as_ref(), issues))?;
    let reply = call.send(&request::create_pool(&call.base_url, &pool, &call.client_request_id)).await?;
    call.read(&reply, |r| response::entity(r, "pool").map(|_| ()))?;
    Ok(reply.json.map_or(JsValue::UNDEFINED, |(j, _)| j))
}

/// Checks an `assignMany` call before the first write: the pool ids, the shared arguments and
/// the bulk options (`bulk`), every problem at once.
#[wasm_bindgen(js_name = checkAssignMany)]
pub async fn check_assign_many(
    #[wasm_bindgen(js_name = poolIds)] pool_ids: JsValue,
    assignments: JsValue,
    token: JsValue,
    options: JsValue,
    bulk: JsValue,
) -> Result<(), JsValue> {
    let (ids, assignments, bulk) = (input::arg(&pool_ids), input::arg(&assignments), input::options(&bulk));
    let (token_tree, options_tree) = (input::token(&token), input::options(&options));
    let mut issues = Issues::default();
    validate::pool_ids(view(&ids).as_ref(), &mut issues);
    validate::assignments(view(&assignments).as_ref(), &mut issues);
    validate::bulk_options(view(&bulk).as_ref(), &mut issues);
    validate::token(view(&token_tree).as_ref(), &mut issues);
    validate::options(view(&options_tree).as_ref(), &mut issues);
    if issues.0.is_empty() {
        Ok(())
    } else {
        Err(errors::validation(&issues.0))
    }
}
