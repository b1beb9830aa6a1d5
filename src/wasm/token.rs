//! Getting the access token: a string, a function (MSAL's `acquireTokenSilent` in a closure), or
//! an `@azure/identity` TokenCredential. A provider's own error (MSAL's
//! `InteractionRequiredAuthError`, say) is passed through untouched so the caller can react to it.

use wasm_bindgen::prelude::*;

use super::cancel::{Cancel, Stop};
use super::js;
use crate::error::{Error, Issue};
use crate::json::{JsonView, Kind};
use crate::url::BaseUrl;
use crate::validate::{token_string, TokenSource};

/// Why no token came: the provider threw (pass it on), or what it gave is no token.
pub enum TokenFailure {
    Thrown(JsValue),
    Stopped(Stop),
    Invalid(Error<JsValue>),
}

pub async fn resolve(source: TokenSource<JsValue>, base: &BaseUrl, cancel: &Cancel) -> Result<String, TokenFailure> {
    let (pending, what) = match source {
        TokenSource::Literal(t) => return Ok(t),
        TokenSource::Function(f) => (js::call(&f, &JsValue::UNDEFINED, &[]), "the token function"),
        TokenSource::Credential(c) => {
            let scopes = js_sys::Array::of1(&base.default_scope().into());
            (js::call_method(&c, "getToken", &[&scopes]), "getToken()")
        }
    };
    let given = match pending {
        Ok(p) => cancel.race(&p).await,
        Err(e) => return Err(TokenFailure::Thrown(e)),
    };
    let given = match given {
        Ok(v) => v,
        Err(Ok(thrown)) => return Err(TokenFailure::Thrown(thrown)),
        Err(Err(stop)) => return Err(TokenFailure::Stopped(stop)),
    };
    // A string, an AccessToken `{ token }` (@azure/identity) or an AuthenticationResult
    // `{ accessToken }` (MSAL), so `() => msal.acquireTokenSilent(request)` works as it is.
    let text = match given.kind() {
        Kind::String => given.as_string(),
        Kind::Object => js::get(&given, "token").as_string().or_else(|| js::get(&given, "accessToken").as_string()),
        _ => None,
    };
    let invalid = |m: String| TokenFailure::Invalid(Error::Validation(vec![Issue::new("token", m)]));
    match text {
        Some(t) => token_string(&t).map_err(|m| invalid([what, " gave a token that ", m].concat())),
        None => Err(invalid([what, " gave ", given.kind().described(), ", not a token string"].concat())),
    }
}
