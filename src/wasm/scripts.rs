//! The operations of scripts more than of portals: reading an operator's activation code file,
//! and creating a pool from it.

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;

use super::settled;

use super::call::Args;
use super::errors;
use super::input;
use super::js::{self, set};
use super::pools::single;
use crate::engine::single::Expect;
use crate::error::Issue;
use crate::json::write_array;
use crate::model::EmbeddedSimActivationCode;
use crate::{operation, request};

/// An operator's activation code file: `{ displayName, activationCodes }`, every bad row reported.
#[wasm_bindgen(
    js_name = parseActivationCodesCsv,
    unchecked_return_type = "Promise<{ displayName: string | null; activationCodes: EmbeddedSimActivationCode[] }>"
)]
pub fn parse_activation_codes_csv(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> Promise {
    let Some(text) = text.as_string() else {
        return settled(Err(errors::validation(vec![Issue::new("text", "must be the file's text, a string")])));
    };
    settled(crate::csv::parse(&text).map_err(errors::validation).map(|file| {
        // The codes as the JSON `createPool` sends them (the model's own properties, in its
        // order), parsed by the host in one go: a file may hold thousands, which `JSON.parse`
        // makes faster than objects set a property at a time.
        let mut json = String::new();
        write_array(&mut json, &file.activation_codes, EmbeddedSimActivationCode::write_json);
        let codes = js::json_parse(&JsValue::from_str(&json)).unwrap_or_else(|_| Array::new().into());
        let out = Object::new();
        set(&out, "displayName", &file.display_name.as_deref().map_or(JsValue::NULL, JsValue::from_str));
        set(&out, "activationCodes", &codes);
        out.into()
    }))
}

/// `POST .../embeddedSIMActivationCodePools`: every activation code is checked first.
#[wasm_bindgen(js_name = createPool, unchecked_return_type = "Promise<EmbeddedSimActivationCodePool>")]
pub fn create_pool(
    #[wasm_bindgen(unchecked_param_type = "NewPool")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
) -> Promise {
    let args = Args::new(&token, &options);
    let pool = input::arg(&pool);
    let checked = operation::create_pool(pool.as_ref().as_ref(), args.token().as_ref(), args.options().as_ref());
    let call = args.call(&token, checked, None).map(|(pool, (), call)| {
        let request = request::create_pool(&call.engine.base_url, &pool, &call.engine.client_request_id);
        (call, request)
    });
    single(call, Expect::Pool)
}
