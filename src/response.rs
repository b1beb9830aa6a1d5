//! Reading Graph's answer: a typed success, or a typed error, from status, headers and body.
//!
//! The body is parsed by the host's `JSON.parse` and read into a [`crate::tree::Tree`] (or by
//! serde_json in host tests) and handed in as a [`JsonView`]; a success returns the server's own objects, checked for the shape Graph
//! documents, so every property it sent, known or not, reaches the caller.

use crate::error::{Error, ErrorBody, GraphError};
use crate::json::{JsonView, Kind};
use crate::prelude::*;
use crate::text::{decimal, is_blank};

/// The response headers the core reads, looked up without regard to case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

impl Headers {
    /// The names the core reads: the shell needs to copy only these out of a `Headers` object.
    pub const READ: [&'static str; 5] = ["content-type", "request-id", "client-request-id", "date", "retry-after"];

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// An HTTP answer: `json` is the body parsed as JSON, or `None` when it is empty or not JSON.
pub struct HttpResponse<'a, V> {
    pub status: u16,
    pub headers: &'a Headers,
    pub text: &'a str,
    pub json: Option<V>,
}

/// The JSON body of a 2xx answer, or the error that stands in its way. `expected` says what the
/// body should have been, for messages ("a list of assignments").
fn json_body<V: JsonView>(r: HttpResponse<'_, V>, expected: &str) -> Result<V, Error<V>> {
    if !(200..300).contains(&r.status) {
        return Err(Error::Graph(Box::new(graph_error(r))));
    }
    let status = decimal(usize::from(r.status));
    match r.json {
        Some(b) => Ok(b),
        None if is_blank(r.text) => Err(Error::Response(joined(&[
            "Graph answered ",
            &status,
            " with an empty body where ",
            expected,
            " was expected",
        ]))),
        None => {
            let ct = r.headers.get("content-type").unwrap_or("no content type");
            Err(Error::Response(joined(&[
                "Graph answered ",
                &status,
                " with a body that is not JSON (",
                ct,
                ") where ",
                expected,
                " was expected",
            ])))
        }
    }
}

/// One page of a collection: the server's own `value` array, and the link to the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<V> {
    pub value: V,
    pub next_link: Option<String>,
}

/// Reads an answer that carries a collection (`{"value":[...], "@odata.nextLink"?}`). `what`
/// names the items for messages ("assignment"); `problem` says what is wrong with an item, if
/// anything: an answer with a broken item is refused whole rather than half-used.
pub fn page<V: JsonView>(
    r: HttpResponse<'_, V>,
    what: &str,
    problem: fn(&V) -> Option<String>,
) -> Result<Page<V>, Error<V>> {
    let body = json_body(r, &joined(&["a list of ", what, "s"]))?;
    let value = match body.get("value") {
        Some(v) if v.kind() == Kind::Array => v,
        Some(v) => {
            return Err(Error::Response(joined(&[
                "Graph's answer has a value that is ",
                v.kind().described(),
                ", not an array of ",
                what,
                "s",
            ])))
        }
        None => {
            return Err(Error::Response(joined(&[
                "Graph's answer has no value array of ",
                what,
                "s (got ",
                body.kind().described(),
                ")",
            ])))
        }
    };
    for i in 0..value.len() {
        let found = match value.at(i) {
            Some(item) if item.kind() == Kind::Object => problem(&item),
            Some(item) => Some(joined(&["is ", item.kind().described(), ", not an object"])),
            None => Some(String::from("is missing")),
        };
        if let Some(p) = found {
            return Err(Error::Response(joined(&["Graph's answer: value[", &decimal(i), "] ", &p])));
        }
    }
    let next_link = match body.get("@odata.nextLink") {
        None => None,
        Some(l) if l.kind() == Kind::Null => None,
        Some(l) => match l.string() {
            Some(s) => Some(s.into()),
            None => {
                return Err(Error::Response(String::from("Graph's answer has an @odata.nextLink that is not a string")))
            }
        },
    };
    Ok(Page { value, next_link })
}

/// An assignment must have a `target` object; Graph may add target kinds, so its type is not checked.
pub fn assignment_problem<V: JsonView>(a: &V) -> Option<String> {
    match a.get("target").map(|t| t.kind()) {
        Some(Kind::Object) => None,
        Some(k) => Some(joined(&["has a target that is ", k.described(), ", not an object"])),
        None => Some(String::from("has no target")),
    }
}

/// Pools and device states are entities: they must have a string `id`.
pub fn entity_problem<V: JsonView>(e: &V) -> Option<String> {
    match e.get("id").map(|i| i.kind()) {
        Some(Kind::String) => None,
        Some(k) => Some(joined(&["has an id that is ", k.described(), ", not a string"])),
        None => Some(String::from("has no id")),
    }
}

/// Reads `assign`'s answer: the assignments Graph now holds.
pub fn collection<V: JsonView>(r: HttpResponse<'_, V>, what: &str) -> Result<V, Error<V>> {
    page(r, what, assignment_problem).map(|p| p.value)
}

/// Reads an answer that carries one entity (a pool). Graph sends the entity itself; Intune's
/// docs print every GET of one object wrapped as `{"value": {...}}`, so an answer of that shape
/// alone (no `id`, only `value`, which is an object) is read as the object inside.
pub fn entity<V: JsonView>(r: HttpResponse<'_, V>, what: &str) -> Result<V, Error<V>> {
    let body = json_body(r, &joined(&["a ", what]))?;
    let body = if docs_wrapped(&body) { body.get("value").unwrap_or(body) } else { body };
    match body.kind() {
        Kind::Object => match entity_problem(&body) {
            None => Ok(body),
            Some(p) => Err(Error::Response(joined(&["Graph's answer: the ", what, " ", &p]))),
        },
        k => Err(Error::Response(joined(&["Graph's answer is ", k.described(), ", not a ", what]))),
    }
}

/// Whether an answer is one object wrapped as Intune's docs print a GET's answer: `{"value":
/// {...}}` and nothing else. The caller then gets the object inside.
pub fn docs_wrapped<V: JsonView>(body: &V) -> bool {
    body.has_only(&["value"]) && body.get("value").is_some_and(|v| v.kind() == Kind::Object)
}

/// Reads an answer that carries nothing on success (a DELETE's 204).
pub fn no_content<V: JsonView>(r: HttpResponse<'_, V>) -> Result<(), Error<V>> {
    if (200..300).contains(&r.status) {
        Ok(())
    } else {
        Err(Error::Graph(Box::new(graph_error(r))))
    }
}

/// A non-2xx answer as a [`GraphError`]: Graph's `error.code` and `error.message` when the body
/// is Graph's error JSON, the request ids from `innerError` (or `innererror`) or the headers,
/// and a message that says what to do about the common statuses.
pub fn graph_error<V: JsonView>(r: HttpResponse<'_, V>) -> GraphError<V> {
    let error = r.json.as_ref().and_then(|b| b.get("error")).filter(|e| e.kind() == Kind::Object);
    let field = |name: &str| error.as_ref().and_then(|e| e.get(name)).and_then(|v| v.string()).map(Into::into);
    let inner = error
        .as_ref()
        .and_then(|e| e.get("innerError").or_else(|| e.get("innererror")))
        .filter(|i| i.kind() == Kind::Object);
    let code = field("code").filter(|c| !c.is_empty());
    let graph_message = field("message").filter(|m| !is_blank(m));

    let mut message = joined(&["Graph answered ", &decimal(usize::from(r.status))]);
    if let Some(reason) = reason_phrase(r.status) {
        message.push(' ');
        message.push_str(reason);
    }
    match (&graph_message, &r.json) {
        (Some(m), _) => {
            message.push_str(": ");
            message.push_str(crate::text::without_trailing(m, b'.'));
        }
        (None, None) if !is_blank(r.text) => {
            message.push_str(" with a ");
            message.push_str(r.headers.get("content-type").unwrap_or("non-JSON"));
            message.push_str(" body instead of Graph's JSON error (a gateway or proxy answered?)");
        }
        _ => {}
    }
    if let Some(c) = &code {
        message.push_str(" (code ");
        message.push_str(c);
        message.push(')');
    }
    if let Some(hint) = hint(r.status) {
        message.push_str(". ");
        message.push_str(hint);
    }

    let body = match (r.json, is_blank(r.text)) {
        (Some(j), _) => ErrorBody::Json(j),
        (None, true) => ErrorBody::Empty,
        (None, false) => ErrorBody::Text(r.text.to_owned()),
    };
    GraphError {
        status: r.status,
        code,
        message,
        request_id: answer_id(inner.as_ref(), r.headers, "request-id"),
        client_request_id: answer_id(inner.as_ref(), r.headers, "client-request-id"),
        date: answer_id(inner.as_ref(), r.headers, "date"),
        retry_after_ms: None,
        body,
    }
}

/// `name` of Graph's `innerError`, else the header of that name: one function for the three
/// the error carries, where each was read inline.
fn answer_id<V: JsonView>(inner: Option<&V>, headers: &Headers, name: &str) -> Option<String> {
    let own = inner.and_then(|i| i.get(name)).and_then(|v| v.string()).map(Into::into);
    own.or_else(|| headers.get(name).map(str::to_owned))
}

fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// What to do next, for the statuses an admin meets first.
fn hint(status: u16) -> Option<&'static str> {
    Some(match status {
        401 => "The token was refused: it expired, or was issued for another resource (its audience must be the Graph host of baseUrl)",
        403 => "The token lacks DeviceManagementConfiguration.ReadWrite.All, the signed-in user has no Intune role allowing it, or the tenant has no Intune license",
        404 => "No activation code pool has this id in this tenant (or the baseUrl points to the wrong cloud or version)",
        429 => "Graph is throttling this app: Intune allows 100 writes and 1,000 requests per 20 seconds per app per tenant",
        _ => return None,
    })
}
