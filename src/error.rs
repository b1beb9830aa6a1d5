//! The one error type of the core. Each variant becomes one JavaScript error class of the same
//! name (`pkg/errors.js`); the wasm shell, which alone sees the network and the clock, adds the
//! properties only it knows (`attempts`, `cause`, `timeoutMs`).
//!
//! Nothing here ever holds the access token: messages are built from the input's shape, the
//! server's answer and fixed text only.

use crate::prelude::*;
use crate::text::decimal;

/// One problem with the caller's input, at a path like `assignments[2].target.groupId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub path: String,
    pub message: String,
}

impl Issue {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue { path: path.into(), message: message.into() }
    }
}

/// What a failed Graph answer carried in its body.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody<V> {
    /// The parsed JSON (normally `{"error":{...}}`).
    Json(V),
    /// A body that is not JSON (a gateway's HTML page, plain text).
    Text(String),
    Empty,
}

/// A non-2xx answer from Graph.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphError<V> {
    pub status: u16,
    /// `error.code`, for programs: `Forbidden`, `BadRequest`, `ResourceNotFound`...
    pub code: Option<String>,
    /// A sentence for people: the status, Graph's own `error.message` and a hint.
    pub message: String,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub date: Option<String>,
    /// From a `Retry-After` header, when the server sent one that could be read.
    pub retry_after_ms: Option<f64>,
    pub body: ErrorBody<V>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Error<V> {
    /// The input broke one or more rules; nothing was sent.
    Validation(Vec<Issue>),
    /// Graph answered with a non-2xx status.
    Graph(Box<GraphError<V>>),
    /// Graph answered 2xx with a body that is not what it documents.
    Response(String),
    /// `fetch` itself failed: no answer came.
    Network(String),
    /// `timeoutMs` passed before the call finished.
    Timeout(String),
    /// A pool's assignments changed while `addAssignments`/`removeAssignments` wrote them.
    Conflict(String),
}

impl<V> Error<V> {
    /// The JavaScript class name of this error.
    pub fn name(&self) -> &'static str {
        match self {
            Error::Validation(_) => "ValidationError",
            Error::Graph(_) => "GraphError",
            Error::Response(_) => "ResponseError",
            Error::Network(_) => "NetworkError",
            Error::Timeout(_) => "TimeoutError",
            Error::Conflict(_) => "ConflictError",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Error::Validation(issues) => validation_message(issues),
            Error::Graph(e) => e.message.clone(),
            Error::Response(m) | Error::Network(m) | Error::Timeout(m) | Error::Conflict(m) => m.clone(),
        }
    }
}

/// Every class name [`Error::name`] gives: a test checks that `pkg/errors.js` exports each.
pub const ERROR_NAMES: [&str; 6] =
    ["ValidationError", "GraphError", "ResponseError", "NetworkError", "TimeoutError", "ConflictError"];

/// "No answer within 30000 ms (timeoutMs)".
pub fn timeout_message(timeout_ms: f64) -> String {
    joined(&["No answer within ", &crate::text::whole(timeout_ms), " ms (timeoutMs)"])
}

/// Graph was still throttling when the deadline would have passed during the next wait.
pub fn deadline_message(timeout_ms: f64) -> String {
    joined(&[
        &timeout_message(timeout_ms),
        ": Graph was still throttling, and the next retry would have ended past the deadline",
    ])
}

/// `fetch` rejected. `detail` is fetch's own message (and its cause's code, in Node); the message
/// names where the call went, never its headers.
pub fn network_message(origin: &str, detail: Option<&str>) -> String {
    let mut m = joined(&["Could not reach ", origin]);
    if let Some(d) = detail.filter(|d| !d.is_empty()) {
        m.push_str(" (");
        m.push_str(d);
        m.push(')');
    }
    m.push_str(": the server is down, the name does not resolve, or (in a browser) CORS blocked the answer");
    m
}

/// What `addAssignments`/`removeAssignments` say when the read-back differs from what was written.
pub const CONFLICT_MESSAGE: &str = "The pool's assignments changed while they were being written (another admin or script?): what Graph holds now is not what was written. Read them again and retry.";

/// "3 problems with the input: poolId: ...; token: ...; ..." — every issue in one line, so a
/// log of `err.message` alone is enough to fix the call.
pub fn validation_message(issues: &[Issue]) -> String {
    let mut m = String::new();
    match issues.len() {
        1 => m.push_str("1 problem with the input: "),
        n => {
            m.push_str(&decimal(n));
            m.push_str(" problems with the input: ");
        }
    }
    for (i, issue) in issues.iter().enumerate() {
        if i > 0 {
            m.push_str("; ");
        }
        m.push_str(&issue.path);
        m.push_str(": ");
        m.push_str(&issue.message);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_exports_a_class_of_each_name() {
        let js = include_str!("../pkg/errors.js");
        let kinds: [Error<()>; 6] = [
            Error::Validation(Vec::new()),
            Error::Graph(Box::new(GraphError {
                status: 500,
                code: None,
                message: String::new(),
                request_id: None,
                client_request_id: None,
                date: None,
                retry_after_ms: None,
                body: ErrorBody::Empty,
            })),
            Error::Response(String::new()),
            Error::Network(String::new()),
            Error::Timeout(String::new()),
            Error::Conflict(String::new()),
        ];
        assert_eq!(kinds.iter().map(Error::name).collect::<Vec<_>>(), ERROR_NAMES);
        for name in ERROR_NAMES {
            let class = joined(&["export class ", name, " extends IntuneEsimError"]);
            assert!(js.contains(&class), "pkg/errors.js has no {name}");
        }
    }
}
