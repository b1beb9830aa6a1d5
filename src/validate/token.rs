//! The access token: the kinds of source a caller may give, and the rule for a token given as a
//! string. The rule is its own function because the wasm shell applies it again to what a token
//! function or a TokenCredential returns, when the call runs.

use super::Issues;
use crate::json::{JsonView, Kind};
use crate::prelude::*;

/// The access token as given in a string: a leading `Bearer ` is tolerated and dropped.
/// The message never quotes the token.
pub fn token_string(raw: &str) -> Result<String, &'static str> {
    let token = match raw.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => raw.get(7..).unwrap_or(""),
        _ => raw,
    };
    if token.is_empty() {
        return Err("must not be empty");
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain whitespace or control characters (is it a whole token?)");
    }
    Ok(token.to_owned())
}

/// Where the access token comes from.
#[derive(Debug, Clone)]
pub enum TokenSource<V> {
    Literal(String),
    /// A function returning a token or a promise of one (MSAL's `acquireTokenSilent` in a closure).
    Function(V),
    /// An `@azure/identity` TokenCredential: an object with `getToken(scopes)`.
    Credential(V),
}

pub fn token<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<TokenSource<V>> {
    const KINDS: &str = "a string, a function returning one, or a TokenCredential with getToken()";
    let v = match v {
        Some(v) => v,
        None => {
            issues.push("token", joined(&["is required: ", KINDS]));
            return None;
        }
    };
    match v.kind() {
        Kind::String => match token_string(v.string().as_deref().unwrap_or_default()) {
            Ok(t) => Some(TokenSource::Literal(t)),
            Err(m) => {
                issues.push("token", m);
                None
            }
        },
        Kind::Function => Some(TokenSource::Function(v.clone())),
        Kind::Object if v.get("getToken").map(|g| g.kind()) == Some(Kind::Function) => {
            Some(TokenSource::Credential(v.clone()))
        }
        kind => {
            issues.got("token", &joined(&["must be ", KINDS]), kind);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_prefix_is_dropped_and_bad_tokens_refused() {
        assert_eq!(token_string("Bearer abc.def").as_deref(), Ok("abc.def"));
        assert_eq!(token_string("bearer abc").as_deref(), Ok("abc"));
        assert_eq!(token_string("abc").as_deref(), Ok("abc"));
        for bad in ["", "Bearer ", "Bearer  abc", "ab c", "abc\n", "a\u{0}b"] {
            assert!(token_string(bad).is_err(), "{bad:?}");
        }
    }
}
