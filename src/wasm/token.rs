//! Getting the access token: a string, a function (MSAL's `acquireTokenSilent` in a closure), or
//! an `@azure/identity` TokenCredential. A provider's own error (MSAL's
//! `InteractionRequiredAuthError`, say) is passed through untouched so the caller can react to it.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::cancel::{Cancel, Stop};
use super::js;
use crate::error::Issue;
use crate::json::JsonView;
use crate::text::joined;
use crate::tree::Tree;
use crate::url::BaseUrl;
use crate::validate::{token_string, TokenSource};

/// Where this call's token comes from, once the argument is checked.
pub enum Token {
    Literal(String),
    Function(Function),
    /// The credential, and its `getToken` as read when the call was checked.
    Credential(JsValue, JsValue),
}

impl Token {
    /// The checked source, with the caller's own function or credential (`given`) behind it.
    /// Every operation that makes a call takes a token: only `previewAssign` takes none, and it
    /// sends nothing, so `None` never reaches here. It is an empty token rather than an error
    /// path in every operation's start.
    pub fn new(source: Option<TokenSource<&Tree>>, given: &JsValue, get_token: &JsValue) -> Self {
        match source {
            None => Token::Literal(String::new()),
            Some(TokenSource::Literal(t)) => Token::Literal(t),
            // Checked to be a function (`typeof`, which holds across realms).
            Some(TokenSource::Function(_)) => Token::Function(given.clone().unchecked_into()),
            Some(TokenSource::Credential(_)) => Token::Credential(given.clone(), get_token.clone()),
        }
    }
}

/// Why no token came: the provider threw (pass it on), the call stopped, or what it gave is no
/// token (a problem with the input, which never quotes what it gave).
pub enum Failure {
    Thrown(JsValue),
    Stopped(Stop),
    Invalid(Issue),
}

/// The token to send; a credential is asked for `base`'s default scope.
pub async fn resolve(source: &Token, base: &BaseUrl, cancel: &Cancel, tenant: Option<&str>) -> Result<String, Failure> {
    // The tenant and scopes are made only for a provider: a literal token (most calls) needs
    // neither, and each costs calls into JavaScript.
    let tenant_js = || tenant.map_or(JsValue::UNDEFINED, JsValue::from_str);
    let scopes = || js::array(&[&base.default_scope().into()]);
    let (pending, what) = match source {
        Token::Literal(t) => return Ok(t.clone()),
        Token::Function(f) => {
            // A function is told which tenant and scopes the token is for: `{ tenantId, scopes }`,
            // with `tenantId` undefined when the call names none.
            let asked = js_sys::Object::new();
            js::set(&asked, "tenantId", &tenant_js());
            js::set(&asked, "scopes", &scopes());
            (f.call1(&JsValue::UNDEFINED, &asked), "the token function")
        }
        Token::Credential(_, get_token) if !get_token.is_function() => {
            return Err(Failure::Invalid(Issue::new(
                "token",
                "must be a TokenCredential whose getToken is a function",
            )));
        }
        Token::Credential(c, get_token) => {
            let get_token = get_token.unchecked_ref::<Function>();
            // `@azure/identity` serves another tenant (in its `additionallyAllowedTenants`)
            // when told it in the options.
            let asked = match tenant {
                Some(_) => {
                    let options = js_sys::Object::new();
                    js::set(&options, "tenantId", &tenant_js());
                    get_token.call2(c, &scopes(), &options)
                }
                None => get_token.call1(c, &scopes()),
            };
            (asked, "getToken()")
        }
    };
    let given = match cancel.race(pending).await {
        Ok(v) => v,
        Err(Ok(thrown)) => return Err(Failure::Thrown(thrown)),
        Err(Err(stop)) => return Err(Failure::Stopped(stop)),
    };
    // A string, an AccessToken `{ token }` (@azure/identity) or an AuthenticationResult
    // `{ accessToken }` (MSAL), so `() => msal.acquireTokenSilent(request)` works as it is.
    let text = given.as_string().or_else(|| {
        given
            .is_object()
            .then(|| js::get(&given, "token").as_string().or_else(|| js::get(&given, "accessToken").as_string()))?
    });
    let invalid = |m: String| Failure::Invalid(Issue::new("token", m));
    match text {
        Some(t) => token_string(&t).map_err(|m| invalid(joined(&[what, " gave a token that ", m]))),
        None => {
            let kind = (&super::input::tree(&given)).kind();
            Err(invalid(joined(&[what, " gave ", kind.described(), ", not a token string"])))
        }
    }
}
