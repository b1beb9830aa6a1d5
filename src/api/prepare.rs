//! The operations that make one request: check every argument (every problem at once), then
//! answer with the request and what the shell needs to send it, its "plan":
//!
//! `{"ok":{"method","url","headers":{...},"token","scope","origin","clientRequestId","read"}}`,
//! then a NUL character and the body, if any, as it is to be sent (so a large body is not
//! escaped into a JSON string and parsed out again). NUL cannot occur in JSON text, not even
//! inside a string, so it cannot be confused with anything before it.
//!
//! `token` is the checked literal token, or null when a function or a TokenCredential gives it
//! (then `scope` is what to ask a credential for); `origin` names the server in network errors;
//! `read` is how to read the answer (see [`super::answer`]).

use super::out::{self, Writer};
use super::Args;
use crate::error::{Error, Issue};
use crate::json::JsonView;
use crate::prelude::*;
use crate::request::{self, HttpRequest, ListQuery};
use crate::validate::{self, Issues, Options, TokenSource};
use crate::value::Value;

type V<'v, 'a> = &'v Value<'a>;

/// The plan of a checked call; `crid` is its client-request-id (see [`crid`]).
pub(super) fn plan(
    request: HttpRequest,
    token: &TokenSource<V>,
    options: &Options<V>,
    crid: &str,
    read: &str,
) -> String {
    // Room for the body too, which is copied in last: a large one is then never copied twice.
    let mut w = Writer(String::with_capacity(512 + request.body.as_ref().map_or(0, String::len)));
    w.raw("{\"ok\":{").key("method").str(request.method).key("url").str(&request.url);
    w.key("headers").open();
    for (name, value) in &request.headers {
        w.key(name).str(value);
    }
    w.close();
    w.key("token").opt(match token {
        TokenSource::Literal(t) => Some(t),
        TokenSource::Function(_) | TokenSource::Credential(_) => None,
    });
    w.key("scope").str(&options.base_url.default_scope());
    w.key("origin").str(options.base_url.origin());
    w.key("clientRequestId").str(crid);
    w.key("read").str(read);
    w.raw("}}\0");
    if let Some(body) = &request.body {
        w.raw(body);
    }
    w.0
}

/// The token and options every request takes, plus the operation's own checks.
pub(super) fn checked<'v, 'a, T>(
    args: &Args<'v, 'a>,
    own: impl FnOnce(&mut Issues) -> Option<T>,
) -> Result<(T, TokenSource<V<'v, 'a>>, Options<V<'v, 'a>>), String> {
    let mut issues = Issues::default();
    let mine = own(&mut issues);
    let (token, options) = token_and_options(args, &mut issues);
    match (mine, token, options) {
        (Some(m), Some(t), Some(o)) if issues.0.is_empty() => Ok((m, t, o)),
        _ => Err(out::invalid(&issues.0)),
    }
}

/// The token and the options, which every call takes (and `assignMany` and the changes check
/// before their first request).
pub(super) fn token_and_options<'v, 'a>(
    args: &Args<'v, 'a>,
    issues: &mut Issues,
) -> (Option<TokenSource<V<'v, 'a>>>, Option<Options<V<'v, 'a>>>) {
    (validate::token(args.get("token").as_ref(), issues), validate::options(args.get("options").as_ref(), issues))
}

/// The caller's client-request-id, or the shell's fresh one.
pub(super) fn crid<'o>(options: &'o Options<V>, fresh: &'o str) -> &'o str {
    options.client_request_id.as_deref().unwrap_or(fresh)
}

pub fn assign(args: &Args, fresh: &str) -> String {
    let own = |issues: &mut Issues| {
        let pool_id = validate::pool_id(args.get("poolId").as_ref(), "poolId", issues);
        let assignments = validate::assignments(args.get("assignments").as_ref(), issues);
        pool_id.zip(assignments)
    };
    match checked(args, own) {
        Err(e) => e,
        Ok(((pool_id, assignments), token, options)) => {
            let id = crid(&options, fresh);
            plan(request::assign(&options.base_url, &pool_id, &assignments, id), &token, &options, id, "assign")
        }
    }
}

pub fn get_pool(args: &Args, fresh: &str) -> String {
    match checked(args, |issues| validate::pool_id(args.get("poolId").as_ref(), "poolId", issues)) {
        Err(e) => e,
        Ok((pool_id, token, options)) => {
            let id = crid(&options, fresh);
            let request = request::get(&options.base_url, Some((&pool_id, "")), &ListQuery::default(), id);
            plan(request, &token, &options, id, "pool")
        }
    }
}

pub fn delete_pool(args: &Args, fresh: &str) -> String {
    match checked(args, |issues| validate::pool_id(args.get("poolId").as_ref(), "poolId", issues)) {
        Err(e) => e,
        Ok((pool_id, token, options)) => {
            let id = crid(&options, fresh);
            plan(request::delete_pool(&options.base_url, &pool_id, id), &token, &options, id, "none")
        }
    }
}

/// One page of a list: the pools (`part` is `None`), or a pool's `assignments` or
/// `deviceStates`. The first page comes from the options' query; the next ones from Graph's
/// `@odata.nextLink` (the `nextLink` argument), which must point to `baseUrl`'s host.
pub fn list(args: &Args, part: Option<&'static str>, fresh: &str) -> String {
    let mut issues = Issues::default();
    let pool = part.map(|_| validate::pool_id(args.get("poolId").as_ref(), "poolId", &mut issues));
    let token = validate::token(args.get("token").as_ref(), &mut issues);
    let listed = validate::list_options(args.get("options").as_ref(), &mut issues);
    let next = args.get("nextLink").filter(|l| l.kind() != crate::json::Kind::Null).map(|l| l.string());
    if matches!(next, Some(None)) {
        issues.push("nextLink", "must be the string Graph gave as @odata.nextLink");
    }
    let (Some(token), Some((options, query)), true) = (token, listed, issues.0.is_empty()) else {
        return out::invalid(&issues.0);
    };
    let id = crid(&options, fresh);
    let (read, pool) = match (part, pool.flatten()) {
        (None, _) => ("page:pool", None),
        (Some("assignments"), Some(p)) => ("page:assignment", Some((p, "assignments"))),
        (Some(part), Some(p)) => ("page:deviceState", Some((p, part))),
        (Some(_), None) => return out::invalid(&[Issue::new("poolId", "is required")]),
    };
    let request = match next.flatten() {
        Some(link) => match request::check_next_link(&options.base_url, link) {
            Ok(()) => request::next_page(link, id),
            Err(m) => return out::error(&Error::Response(m.into())),
        },
        None => request::get(&options.base_url, pool.as_ref().map(|(p, part)| (p.as_str(), *part)), &query, id),
    };
    plan(request, &token, &options, id, read)
}
