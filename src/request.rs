//! Building Graph's HTTP requests as plain data; the shell hands them to `fetch`.
//!
//! The `Authorization` header is not here: the shell adds it at the last moment, once a token
//! provider has answered, so the request can be built (and previewed) before there is a token.

use crate::json::{write_array, write_string};
use crate::model::{EmbeddedSimActivationCodePoolAssignment, NewPool};
use crate::prelude::*;
use crate::text::decimal;
use crate::url::BaseUrl;

/// One HTTP request, all but its `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

/// The headers of every call: Graph's JSON, and a `client-request-id` that Graph logs, so a
/// failed call can be traced by Microsoft support.
pub(crate) fn headers(client_request_id: &str, has_body: bool) -> Vec<(&'static str, String)> {
    let mut h = vec![("Accept", String::from("application/json"))];
    if has_body {
        h.push(("Content-Type", String::from("application/json")));
    }
    h.push(("client-request-id", client_request_id.to_owned()));
    h
}

/// `{base}/deviceManagement/embeddedSIMActivationCodePools/{poolId}`; `pool_id` has been checked
/// to be a GUID, so nothing else can reach the path.
pub fn pool_url(base: &BaseUrl, pool_id: &str) -> String {
    joined(&[&base.as_string(), "/deviceManagement/embeddedSIMActivationCodePools/", pool_id])
}

/// `POST .../embeddedSIMActivationCodePools/{poolId}/assign` with `{"assignments":[...]}`.
/// This replaces the pool's whole set of assignments.
pub fn assign(
    base: &BaseUrl,
    pool_id: &str,
    assignments: &[EmbeddedSimActivationCodePoolAssignment],
    client_request_id: &str,
) -> HttpRequest {
    let mut list = String::new();
    write_array(&mut list, assignments, EmbeddedSimActivationCodePoolAssignment::write_json);
    assign_json(base, pool_id, &list, client_request_id)
}

/// `assign` with the assignments already written as a JSON array: a change of a pool's set sends
/// Graph's own objects back as they were read, written by the host's JSON.
pub fn assign_json(base: &BaseUrl, pool_id: &str, assignments: &str, client_request_id: &str) -> HttpRequest {
    let body = joined(&["{\"assignments\":", assignments, "}"]);
    HttpRequest {
        method: "POST",
        url: joined(&[&pool_url(base, pool_id), "/assign"]),
        headers: headers(client_request_id, true),
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
    /// Written into one String: joins of `Vec<String>`s compiled a copy loop of their own.
    pub fn to_query_string(&self) -> String {
        let mut out = String::new();
        // `?` before the first part, `&` before each other.
        let part = |out: &mut String, name: &str| {
            out.push(if out.is_empty() { '?' } else { '&' });
            out.push_str(name);
        };
        if let Some(top) = self.top {
            part(&mut out, "$top=");
            out.push_str(&decimal(top as usize));
        }
        if !self.select.is_empty() {
            part(&mut out, "$select=");
            // `,` is left as it is by the encoding: encoding each name is encoding the list.
            for (i, name) in self.select.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                percent_encode(name, &mut out);
            }
        }
        if let Some(filter) = &self.filter {
            part(&mut out, "$filter=");
            percent_encode(filter, &mut out);
        }
        out
    }
}

/// Percent-encodes, onto `out`, everything but RFC 3986's unreserved characters (and `,`, which OData lists use).
fn percent_encode(s: &str, out: &mut String) {
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
}

/// `GET {base}/deviceManagement/embeddedSIMActivationCodePools[/{poolId}/{part}]{query}`:
/// `pool` is `None` for the pools themselves, `Some((id, ""))` for one pool, and
/// `Some((id, "assignments"))` or `Some((id, "deviceStates"))` for its collections.
pub fn get(base: &BaseUrl, pool: Option<(&str, &str)>, query: &ListQuery, crid: &str) -> HttpRequest {
    HttpRequest { method: "GET", url: get_url(base, pool, query), headers: headers(crid, false), body: None }
}

/// [`get`]'s URL alone: the batched reads send theirs inside a `$batch`.
pub fn get_url(base: &BaseUrl, pool: Option<(&str, &str)>, query: &ListQuery) -> String {
    let mut url = match pool {
        None => joined(&[&base.as_string(), "/deviceManagement/embeddedSIMActivationCodePools"]),
        Some((id, "")) => pool_url(base, id),
        Some((id, part)) => joined(&[&pool_url(base, id), "/", part]),
    };
    url.push_str(&query.to_query_string());
    url
}

/// Checks Graph's `@odata.nextLink` before it is followed: it must point to the same origin as
/// `baseUrl`, so the token is never sent to a host the caller did not choose.
pub fn check_next_link(base: &BaseUrl, next_link: &str) -> Result<(), &'static str> {
    let same_origin = next_link.get(..base.origin().len()).is_some_and(|o| o.eq_ignore_ascii_case(base.origin()))
        && next_link.get(base.origin().len()..).is_some_and(|rest| rest.starts_with('/'));
    if !same_origin || crate::url::has_space_or_control(next_link) {
        return Err("Graph's @odata.nextLink points somewhere other than baseUrl's host; it was not followed, so the token was not sent there");
    }
    Ok(())
}

/// The next page of a list, at a `next_link` that passed [`check_next_link`].
pub fn next_page(next_link: &str, crid: &str) -> HttpRequest {
    HttpRequest { method: "GET", url: next_link.to_owned(), headers: headers(crid, false), body: None }
}

/// `DELETE .../embeddedSIMActivationCodePools/{poolId}`.
pub fn delete_pool(base: &BaseUrl, pool_id: &str, crid: &str) -> HttpRequest {
    HttpRequest { method: "DELETE", url: pool_url(base, pool_id), headers: headers(crid, false), body: None }
}

/// `PATCH .../embeddedSIMActivationCodePools/{poolId}` with `{"displayName":...}`, the one
/// property `updatePool` changes.
pub fn update_pool(base: &BaseUrl, pool_id: &str, display_name: &str, crid: &str) -> HttpRequest {
    let mut body = String::from("{\"displayName\":");
    write_string(&mut body, display_name);
    body.push('}');
    HttpRequest { method: "PATCH", url: pool_url(base, pool_id), headers: headers(crid, true), body: Some(body) }
}

/// `POST .../embeddedSIMActivationCodePools` with the new pool.
pub fn create_pool(base: &BaseUrl, pool: &NewPool, crid: &str) -> HttpRequest {
    let mut body = String::new();
    pool.write_json(&mut body);
    HttpRequest {
        method: "POST",
        url: joined(&[&base.as_string(), "/deviceManagement/embeddedSIMActivationCodePools"]),
        headers: headers(crid, true),
        body: Some(body),
    }
}
