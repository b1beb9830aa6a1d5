//! Building Graph's HTTP requests as plain data; the shell hands them to `fetch`.

use crate::json::{decimal, write_array};
use crate::model::{EmbeddedSimActivationCodePoolAssignment, NewPool};
use crate::url::BaseUrl;

/// One HTTP request. `Debug` masks the token, so a request printed anywhere never leaks it.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

impl HttpRequest {
    /// The headers with `Authorization` shown as `Bearer ***`: what a dry run or a preview shows.
    pub fn masked_headers(&self) -> Vec<(&'static str, String)> {
        self.headers
            .iter()
            .map(|(k, v)| match *k {
                "Authorization" => (*k, String::from("Bearer ***")),
                _ => (*k, v.clone()),
            })
            .collect()
    }
}

impl core::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.masked_headers())
            .field("body", &self.body)
            .finish()
    }
}

/// The headers of every call: Graph's JSON, the bearer token, and a `client-request-id` that
/// Graph logs, so a failed call can be traced by Microsoft support.
fn headers(token: &str, client_request_id: &str, has_body: bool) -> Vec<(&'static str, String)> {
    let mut h = vec![("Authorization", ["Bearer ", token].concat()), ("Accept", String::from("application/json"))];
    if has_body {
        h.push(("Content-Type", String::from("application/json")));
    }
    h.push(("client-request-id", client_request_id.to_owned()));
    h
}

/// `{base}/deviceManagement/embeddedSIMActivationCodePools/{poolId}`; `pool_id` has been checked
/// to be a GUID, so nothing else can reach the path.
pub fn pool_url(base: &BaseUrl, pool_id: &str) -> String {
    [&base.as_string(), "/deviceManagement/embeddedSIMActivationCodePools/", pool_id].concat()
}

/// `POST .../embeddedSIMActivationCodePools/{poolId}/assign` with `{"assignments":[...]}`.
/// This replaces the pool's whole set of assignments.
pub fn assign(
    base: &BaseUrl,
    pool_id: &str,
    assignments: &[EmbeddedSimActivationCodePoolAssignment],
    token: &str,
    client_request_id: &str,
) -> HttpRequest {
    let mut body = String::from("{\"assignments\":");
    write_array(&mut body, assignments, EmbeddedSimActivationCodePoolAssignment::write_json);
    body.push('}');
    HttpRequest {
        method: "POST",
        url: [&pool_url(base, pool_id), "/assign"].concat(),
        headers: headers(token, client_request_id, true),
        body: Some(body),
    }
}

/// `$top`, `$select` and `$filter` of a list call, passed through to Graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub top: Option<u32>,
    pub select: Vec<String>,
    pub filter: Option<String>,
}

impl ListQuery {
    /// `?$top=10&$select=id,displayName&$filter=...`, percent-encoded; empty when nothing is set.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(top) = self.top {
            parts.push(["$top=", &decimal(top as usize)].concat());
        }
        if !self.select.is_empty() {
            parts.push(["$select=", &percent_encode(&self.select.join(","))].concat());
        }
        if let Some(filter) = &self.filter {
            parts.push(["$filter=", &percent_encode(filter)].concat());
        }
        if parts.is_empty() {
            String::new()
        } else {
            ["?", &parts.join("&")].concat()
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (and `,`, which OData lists use).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b',') {
            out.push(char::from(b));
        } else {
            out.push('%');
            for nibble in [b >> 4, b & 0xf] {
                out.push(char::from(if nibble < 10 { b'0' + nibble } else { b'A' + nibble - 10 }));
            }
        }
    }
    out
}

/// `GET {base}/deviceManagement/embeddedSIMActivationCodePools[/{poolId}/{part}]{query}`:
/// `pool` is `None` for the pools themselves, `Some((id, ""))` for one pool, and
/// `Some((id, "assignments"))` or `Some((id, "deviceStates"))` for its collections.
pub fn get(base: &BaseUrl, pool: Option<(&str, &str)>, query: &ListQuery, token: &str, crid: &str) -> HttpRequest {
    let mut url = match pool {
        None => [&base.as_string(), "/deviceManagement/embeddedSIMActivationCodePools"].concat(),
        Some((id, "")) => pool_url(base, id),
        Some((id, part)) => [&pool_url(base, id), "/", part].concat(),
    };
    url.push_str(&query.to_query_string());
    HttpRequest { method: "GET", url, headers: headers(token, crid, false), body: None }
}

/// Checks Graph's `@odata.nextLink` before it is followed: it must point to the same origin as
/// `baseUrl`, so the token is never sent to a host the caller did not choose.
pub fn check_next_link(base: &BaseUrl, next_link: &str) -> Result<(), &'static str> {
    let same_origin = next_link.get(..base.origin().len()).is_some_and(|o| o.eq_ignore_ascii_case(base.origin()))
        && next_link.get(base.origin().len()..).is_some_and(|rest| rest.starts_with('/'));
    if !same_origin || next_link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("Graph's @odata.nextLink points somewhere other than baseUrl's host; it was not followed, so the token was not sent there");
    }
    Ok(())
}

/// The next page of a list, at a `next_link` that passed [`check_next_link`].
pub fn next_page(next_link: &str, token: &str, crid: &str) -> HttpRequest {
    HttpRequest { method: "GET", url: next_link.to_owned(), headers: headers(token, crid, false), body: None }
}

/// `DELETE .../embeddedSIMActivationCodePools/{poolId}`.
pub fn delete_pool(base: &BaseUrl, pool_id: &str, token: &str, crid: &str) -> HttpRequest {
    HttpRequest { method: "DELETE", url: pool_url(base, pool_id), headers: headers(token, crid, false), body: None }
}

/// `POST .../embeddedSIMActivationCodePools` with the new pool.
pub fn create_pool(base: &BaseUrl, pool: &NewPool, token: &str, crid: &str) -> HttpRequest {
    let mut body = String::new();
    pool.write_json(&mut body);
    HttpRequest {
        method: "POST",
        url: [&base.as_string(), "/deviceManagement/embeddedSIMActivationCodePools"].concat(),
        headers: headers(token, crid, true),
        body: Some(body),
    }
}
