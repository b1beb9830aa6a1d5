//! The operations of scripts more than of portals: reading an operator's activation code file,
//! and creating a pool from it.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::settled;

use super::call::Args;
use super::errors;
use super::input;
use super::pools::single;
use super::pools::{to_js, Out};
use crate::engine::single::Expect;
use crate::error::Issue;
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
        // A plain loop: a map's collect is compiled of its own.
        let mut codes = Vec::with_capacity(file.activation_codes.len());
        for c in &file.activation_codes {
            codes.push(code(c));
        }
        to_js(&Out::Object(vec![
            ("displayName", Out::opt(file.display_name.as_deref())),
            ("activationCodes", Out::List(codes)),
        ]))
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

/// One activation code as `parseActivationCodesCsv` resolves it: the model's own properties.
fn code(c: &EmbeddedSimActivationCode) -> Out<'_> {
    let [a, b, d] = c.properties();
    Out::Object(vec![(a.0, Out::Str(a.1)), (b.0, Out::Str(b.1)), (d.0, Out::Str(d.1))])
}
