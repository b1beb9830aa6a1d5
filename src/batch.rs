//! JSON batching: many GETs in one `POST {base}/$batch`, and each inner answer read back as the
//! answer of a single request would be, so it gives the same results and the same errors.
//!
//! Graph takes at most 20 requests a batch, and every inner request still counts against
//! Intune's limits: batching saves round trips, not quota.

use crate::error::Error;
use crate::json::{write_string, JsonView, Kind};
use crate::prelude::*;
use crate::request::{headers, HttpRequest};
use crate::response::{Headers, HttpResponse};
use crate::text::{decimal, is_whole, parse_u32};
use crate::url::BaseUrl;

/// Graph's limit on the requests of one batch.
pub const MAX_REQUESTS: usize = 20;

/// `POST {base}/$batch` with one GET per `(id, url)`; each `url` is relative to `base` (see
/// [`relative`]). The ids are the caller's own numbers: Graph may answer in any order.
pub fn request(base: &BaseUrl, inner: &[(usize, &str)], crid: &str) -> HttpRequest {
    let mut body = String::from("{\"requests\":[");
    for (n, (id, url)) in inner.iter().enumerate() {
        if n > 0 {
            body.push(',');
        }
        body.push_str("{\"id\":\"");
        body.push_str(&decimal(*id));
        body.push_str("\",\"method\":\"GET\",\"url\":");
        write_string(&mut body, url);
        // Each inner request carries the call's id too, so Graph's logs tie it to the call.
        body.push_str(",\"headers\":{\"Accept\":\"application/json\",\"client-request-id\":");
        write_string(&mut body, crid);
        body.push_str("}}");
    }
    body.push_str("]}");
    HttpRequest {
        method: "POST",
        url: joined(&[&base.as_string(), "/$batch"]),
        headers: headers(crid, true),
        body: Some(body),
    }
}

/// An absolute URL under `base` as a batch's inner URL (`/deviceManagement/...`), or `None`
/// when it is not under `base` (a nextLink to another version of the API is then followed as
/// a request of its own).
pub fn relative<'u>(base: &BaseUrl, url: &'u str) -> Option<&'u str> {
    let root = base.as_string();
    let rest = url.get(root.len()..)?;
    let same = url.get(..root.len()).is_some_and(|r| r.eq_ignore_ascii_case(&root));
    (same && rest.starts_with('/')).then_some(rest)
}

/// One inner answer of a batch: its request's id, where it is in `responses` (for the
/// caller's copy of its body), and what a single request's answer would hold.
#[derive(Debug, Clone)]
pub struct Inner<V> {
    pub id: usize,
    pub index: usize,
    pub status: u16,
    pub headers: Headers,
    /// The body when it is JSON; Graph writes other bodies as a string.
    pub json: Option<V>,
    pub text: String,
}

impl<V: JsonView> Inner<V> {
    /// The inner answer as a single request's answer, for the same readers.
    pub fn response(&self) -> HttpResponse<'_, V> {
        HttpResponse { status: self.status, headers: &self.headers, text: &self.text, json: self.json.clone() }
    }
}

/// Reads a batch's 200 answer, `{"responses":[{ id, status, headers?, body? }]}`. An answer that
/// is not of that shape is refused whole: the reads are then made one by one.
pub fn answers<V: JsonView>(r: HttpResponse<'_, V>) -> Result<Vec<Inner<V>>, Error<V>> {
    if !(200..300).contains(&r.status) {
        return Err(Error::Graph(Box::new(crate::response::graph_error(r))));
    }
    let list = r.json.as_ref().and_then(|b| b.get("responses")).filter(|l| l.kind() == Kind::Array);
    let Some(list) = list else {
        return Err(Error::Response(String::from("Graph's $batch answer has no responses array")));
    };
    let mut out = Vec::with_capacity(list.len());
    for index in 0..list.len() {
        let bad =
            |what: &str| Error::Response(joined(&["Graph's $batch answer: responses[", &decimal(index), "] ", what]));
        let item = list.at(index).filter(|i| i.kind() == Kind::Object).ok_or_else(|| bad("is not an object"))?;
        let id = item.get("id").and_then(|i| i.string()).and_then(|s| parse_u32(&s)).map(|n| n as usize);
        let status =
            item.get("status").and_then(|s| s.number()).filter(|n| is_whole(*n) && (100.0..=599.0).contains(n));
        let (Some(id), Some(status)) = (id, status) else {
            return Err(bad("has no id or status"));
        };
        let mut headers = Headers::default();
        if let Some(h) = item.get("headers").filter(|h| h.kind() == Kind::Object) {
            for name in h.keys() {
                if let Some(v) = h.get(&name).and_then(|v| v.string()) {
                    headers.0.push((name, v.into()));
                }
            }
        }
        let body = item.get("body").filter(|b| b.kind() != Kind::Null);
        // A body that is not JSON travels as a string (base64, which the shell decodes); these
        // reads never answer with a JSON string, so a string is always such a body.
        let (json, text) = match body {
            Some(b) if b.kind() == Kind::String => (None, b.string().map(Into::into).unwrap_or_default()),
            Some(b) => (Some(b), String::new()),
            None => (None, String::new()),
        };
        out.push(Inner { id, index, status: status as u16, headers, json, text });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BaseUrl {
        BaseUrl::parse("https://graph.microsoft.com/beta").unwrap()
    }

    #[test]
    fn a_batch_names_each_request_by_id() {
        let r = request(&base(), &[(0, "/deviceManagement/a"), (7, "/deviceManagement/b?$skiptoken=x\"y")], "c");
        assert_eq!(r.url, "https://graph.microsoft.com/beta/$batch");
        let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["requests"][1]["id"], "7");
        assert_eq!(body["requests"][1]["url"], "/deviceManagement/b?$skiptoken=x\"y");
        assert_eq!(body["requests"][0]["method"], "GET");
        assert_eq!(body["requests"][0]["headers"]["client-request-id"], "c");
    }

    #[test]
    fn only_urls_under_base_are_relative() {
        let b = base();
        assert_eq!(relative(&b, "https://graph.microsoft.com/beta/deviceManagement/x"), Some("/deviceManagement/x"));
        assert_eq!(relative(&b, "https://GRAPH.microsoft.com/beta/x?$skip=1"), Some("/x?$skip=1"));
        assert_eq!(relative(&b, "https://graph.microsoft.com/v1.0/x"), None);
        assert_eq!(relative(&b, "https://graph.microsoft.com/betax/x"), None);
        assert_eq!(relative(&b, "https://graph.microsoft.com/beta"), None);
    }

    #[test]
    fn answers_are_read_in_any_order_with_their_own_headers() {
        let json: serde_json::Value = serde_json::from_str(
            r#"{"responses":[
                {"id":"3","status":429,"headers":{"Retry-After":"2"},"body":{"error":{"code":"TooManyRequests"}}},
                {"id":"1","status":200,"body":{"value":[]}},
                {"id":"2","status":500,"headers":{"Content-Type":"text/html"},"body":"<html>"}]}"#,
        )
        .unwrap();
        let h = Headers::default();
        let got = answers(HttpResponse { status: 200, headers: &h, text: "", json: Some(&json) }).unwrap();
        assert_eq!(
            got.iter().map(|i| (i.id, i.index, i.status)).collect::<Vec<_>>(),
            [(3, 0, 429), (1, 1, 200), (2, 2, 500)]
        );
        assert_eq!(got[0].headers.get("retry-after"), Some("2"));
        assert_eq!(got[2].text, "<html>");
        assert!(got[2].json.is_none());
        let e = crate::response::graph_error(got[0].response());
        assert_eq!(e.code.as_deref(), Some("TooManyRequests"));
    }

    #[test]
    fn a_refusal_or_a_strange_answer_is_an_error() {
        let h = Headers::default();
        let refused: serde_json::Value = serde_json::from_str(r#"{"error":{"code":"BadRequest"}}"#).unwrap();
        assert!(matches!(
            answers(HttpResponse { status: 400, headers: &h, text: "", json: Some(&refused) }),
            Err(Error::Graph(_))
        ));
        for text in [
            r#"{"value":[]}"#,
            r#"{"responses":[1]}"#,
            r#"{"responses":[{"id":"x","status":200}]}"#,
            r#"{"responses":[{"id":"1","status":200.5}]}"#,
        ] {
            let json: serde_json::Value = serde_json::from_str(text).unwrap();
            assert!(matches!(
                answers(HttpResponse { status: 200, headers: &h, text: "", json: Some(&json) }),
                Err(Error::Response(_))
            ));
        }
    }
}
