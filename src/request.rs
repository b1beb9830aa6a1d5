//! Building Graph's HTTP requests as plain data; the shell hands them to `fetch`.

use crate::model::EmbeddedSimActivationCodePoolAssignment;
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
    let mut body = String::from("{\"assignments\":[");
    for (i, a) in assignments.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        a.write_json(&mut body);
    }
    body.push_str("]}");
    HttpRequest {
        method: "POST",
        url: [&pool_url(base, pool_id), "/assign"].concat(),
        headers: headers(token, client_request_id, true),
        body: Some(body),
    }
}
