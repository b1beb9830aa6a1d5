//! Writing the answers of [`super::run`] as JSON text: `{"ok":...}`, or `{"error":{...}}` with an
//! error descriptor that `pkg/errors.js` turns into an instance of the class it names.

use crate::error::{Error, ErrorBody, Issue};
use crate::json::{whole, write_string};
use crate::prelude::*;
use crate::value::Value;

/// JSON text written front to back. A comma goes before every member but the first, which is
/// known from the last byte written: nothing else is tracked.
pub struct Writer(pub String);

impl Writer {
    pub fn new() -> Self {
        Writer(String::with_capacity(256))
    }

    /// `"name":`, after a comma unless an object or array was just opened.
    pub fn key(&mut self, name: &str) -> &mut Self {
        self.comma();
        write_string(&mut self.0, name);
        self.0.push(':');
        self
    }

    /// A comma unless an object or array was just opened: for array items.
    pub fn comma(&mut self) -> &mut Self {
        if !matches!(self.0.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.0.push(',');
        }
        self
    }

    pub fn str(&mut self, s: &str) -> &mut Self {
        write_string(&mut self.0, s);
        self
    }

    pub fn opt(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.str(s),
            None => self.raw("null"),
        }
    }

    /// Text that is JSON already: a literal, a number, or a span of Graph's own body.
    pub fn raw(&mut self, json: &str) -> &mut Self {
        self.0.push_str(json);
        self
    }

    pub fn ms(&mut self, n: f64) -> &mut Self {
        let n = whole(n);
        self.raw(&n)
    }

    pub fn open(&mut self) -> &mut Self {
        self.raw("{")
    }

    pub fn close(&mut self) -> &mut Self {
        self.raw("}")
    }

    /// The text written.
    pub fn done(&mut self) -> String {
        core::mem::take(&mut self.0)
    }
}

/// `{"ok":<json>}`.
pub fn ok(json: &str) -> String {
    ["{\"ok\":", json, "}"].concat()
}

/// `{"error":{...}}` for every problem with the input.
pub fn invalid(issues: &[Issue]) -> String {
    error(&Error::Validation(issues.to_vec()))
}

/// `{"error":{...}}`, before any request was made.
pub fn error(e: &Error<&Value>) -> String {
    let mut w = Writer::new();
    w.open().key("error");
    descriptor(&mut w, e, None, "");
    w.close().done()
}

/// One error descriptor. `client_request_id` is the call's, when it got as far as a request;
/// `body` is the text Graph's answer was read from (a GraphError's JSON body is a span of it).
pub fn descriptor(w: &mut Writer, e: &Error<&Value>, client_request_id: Option<&str>, body: &str) {
    w.open().key("intuneEsimError").str(e.name()).key("message").str(&e.message());
    match e {
        Error::Validation(issues) => {
            w.key("issues").raw("[");
            for i in issues {
                w.comma().open().key("path").str(&i.path).key("message").str(&i.message).close();
            }
            w.raw("]");
        }
        Error::Graph(g) => {
            w.key("status").raw(&crate::json::decimal(usize::from(g.status)));
            w.key("code").opt(g.code.as_deref());
            w.key("requestId").opt(g.request_id.as_deref());
            w.key("clientRequestId").opt(g.client_request_id.as_deref().or(client_request_id));
            w.key("date").opt(g.date.as_deref());
            if let Some(ms) = g.retry_after_ms {
                w.key("retryAfterMs").ms(ms);
            }
            w.key("body");
            match &g.body {
                ErrorBody::Json(v) => w.raw(v.text(body)),
                ErrorBody::Text(t) => w.str(t),
                ErrorBody::Empty => w.raw("null"),
            };
        }
        Error::Response(_) => {}
    }
    if let (Some(id), false) = (client_request_id, matches!(e, Error::Graph(_))) {
        w.key("clientRequestId").str(id);
    }
    w.close();
}
