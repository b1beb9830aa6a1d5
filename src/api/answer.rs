//! After each attempt: retry, or read the answer into a result or an error. And the check of a
//! token that a provider gave.

use super::out::{self, Writer};
use super::Args;
use crate::error::{Error, Issue};
use crate::json::{JsonView, Kind};
use crate::prelude::*;
use crate::response::{self, Headers, HttpResponse, Page};
use crate::retry::{self, Attempt, Decision, GiveUp};
use crate::validate::{self, token_string, Issues};
use crate::value::{self, Value};

/// `answer`: `{ read, status, headers, made, remainingMs, nowMs, random, retry, clientRequestId }`
/// and the body as `text`. `read` is the plan's; `retry` holds the caller's retry options.
///
/// Answers `{"retry":ms}` to wait and send again; on success `{"take":"value"}` (the body's
/// `value`, plus `"nextLink"` for a page of a list), `{"take":"body"}` or `{"ok":null}`, so that
/// the caller gets Graph's own JSON with every property it sent; or `{"error":{...}}`, with
/// `"deadline":true` when Graph was still throttling but the next wait would end past the
/// deadline.
pub fn read(args: &Args, text: &str) -> String {
    let number = |name: &str| args.get(name).and_then(|n| n.number()).filter(|n| n.is_finite());
    let status = number("status").filter(|s| (100.0..=599.0).contains(s)).map_or(0, |s| s as u16);
    let headers = Headers(
        Headers::READ
            .iter()
            .filter_map(|name| Some(((*name).to_owned(), args.get("headers")?.get(name)?.string()?.into())))
            .collect(),
    );
    let now_ms = number("nowMs").unwrap_or(0.0);
    let policy = validate::options(args.get("retry").as_ref(), &mut Issues::default()).map(|o| o.retry);
    let decision = retry::decide(
        &policy.unwrap_or_default(),
        &Attempt {
            status,
            retry_after: headers.get("retry-after"),
            made: number("made").map_or(1, |m| m as u32),
            remaining_ms: number("remainingMs"),
            now_ms,
            random: number("random").unwrap_or(0.5),
        },
    );
    let deadline = match decision {
        Decision::Retry { delay_ms } => {
            let mut w = Writer::new();
            return w.open().key("retry").ms(delay_ms).close().done();
        }
        Decision::GiveUp(why) => why == GiveUp::Deadline,
    };

    let crid = args.get("clientRequestId").and_then(|c| c.string());
    // Three levels are all any answer is read to: the body, its value array or error object, and
    // an item or innerError with their scalars (an item's target is only checked to be an object).
    let json = value::parse_to(text, 3).ok();
    let answer = HttpResponse { status, headers: &headers, text, json: json.as_ref() };
    let what = args.get("read").and_then(|r| r.string()).unwrap_or_default();
    // On success the shell parses the body itself (with JSON.parse, which makes the objects the
    // caller gets): the core says only which part to take, once it has checked the shape.
    let result = match what {
        "assign" => response::collection(answer, "assignment").map(|_| String::from("{\"take\":\"value\"}")),
        "pool" => response::entity(answer, "pool").map(|_| String::from("{\"take\":\"body\"}")),
        "none" => response::no_content(answer).map(|()| out::ok("null")),
        "page:assignment" => page(response::page(answer, "assignment", response::assignment_problem)),
        "page:deviceState" => page(response::page(answer, "device state", response::entity_problem)),
        _ => page(response::page(answer, "pool", response::entity_problem)),
    };
    let error = match result {
        Ok(json) => return json,
        Err(Error::Graph(mut g)) => {
            g.retry_after_ms = headers.get("retry-after").and_then(|v| retry::retry_after_ms(v, now_ms));
            Error::Graph(g)
        }
        Err(e) => e,
    };
    let mut w = Writer::new();
    w.open().key("error");
    out::descriptor(&mut w, &error, crid, text);
    if deadline {
        w.key("deadline").raw("true");
    }
    w.close().done()
}

/// `{"take":"value","nextLink":...}`: the page's items are the body's `value`.
fn page<'v, 'a>(result: Result<Page<&'v Value<'a>>, Error<&'v Value<'a>>>) -> Result<String, Error<&'v Value<'a>>> {
    result.map(|p| {
        let mut w = Writer::new();
        w.open().key("take").str("value").key("nextLink").opt(p.next_link.as_deref()).close().done()
    })
}

/// `token`: `{ what, given }`, what a token function or a credential's `getToken()` gave (the
/// shell has already taken `token` or `accessToken` out of an object). Answers the token to send,
/// or a ValidationError that never quotes it.
pub fn token(args: &Args) -> String {
    let what = args.get("what").and_then(|w| w.string()).unwrap_or_default();
    let given = args.get("given");
    let message = match given.map(|g| (g.kind(), g.string())) {
        Some((_, Some(t))) => match token_string(t) {
            Ok(t) => {
                let mut w = Writer::new();
                return w.open().key("ok").str(&t).close().done();
            }
            Err(m) => [what, " gave a token that ", m].concat(),
        },
        Some((kind, None)) => [what, " gave ", kind.described(), ", not a token string"].concat(),
        None => [what, " gave ", Kind::Null.described(), ", not a token string"].concat(),
    };
    out::invalid(&[Issue::new("token", message)])
}
