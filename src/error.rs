//! The one error type of the core. Each variant becomes one JavaScript error class
//! (`ValidationError`, `GraphError`, `ResponseError`); `NetworkError` and `TimeoutError` are the
//! shell's (`pkg/send.js`), which alone sees the network and the clock.
//!
//! Nothing here ever holds the access token: messages are built from the input's shape, the
//! server's answer and fixed text only.

use crate::json::decimal;
use crate::prelude::*;

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
}

impl<V> Error<V> {
    /// The JavaScript class name of this error.
    pub fn name(&self) -> &'static str {
        match self {
            Error::Validation(_) => "ValidationError",
            Error::Graph(_) => "GraphError",
            Error::Response(_) => "ResponseError",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Error::Validation(issues) => validation_message(issues),
            Error::Graph(e) => e.message.clone(),
            Error::Response(m) => m.clone(),
        }
    }
}

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
