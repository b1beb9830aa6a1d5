//! Each public operation's arguments, checked by the one composition ([`validate::checked`]):
//! the wasm's exports and the host tests call these same functions, so the checks the tests
//! exercise are the ones that ship.

use crate::error::Issue;
use crate::json::{JsonView, Kind};
use crate::model::{EmbeddedSimActivationCodePoolAssignment as Assignment, NewPool};
use crate::prelude::*;
use crate::request::ListQuery;
use crate::validate::{self, checked, AssignManyCall, Checked, EveryCall, Issues, ListCall, Many, ManyCall, Spread};

type Result<T, V, E = ()> = core::result::Result<Checked<T, V, E>, Vec<Issue>>;

fn pool_id<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<String> {
    validate::pool_id(v, "poolId", issues)
}

/// Both arguments' values, when both passed their checks (each checked whatever the other's
/// outcome, so that every issue is told). Inlined: `Option::zip` compiled a function of its own
/// for each pair of types.
#[inline(always)]
fn both<A, B>(a: Option<A>, b: Option<B>) -> Option<(A, B)> {
    Some((a?, b?))
}

/// `assign(poolId, assignments, token, options?)`.
pub fn assign<V: JsonView>(
    pool: Option<&V>,
    list: Option<&V>,
    token: Option<&V>,
    options: Option<&V>,
) -> Result<(String, Vec<Assignment>), V> {
    assignments(pool, list, Some(token), options)
}

/// `previewAssign(poolId, assignments, options?)`: `assign`'s checks, with no token.
pub fn preview<V: JsonView>(
    pool: Option<&V>,
    list: Option<&V>,
    options: Option<&V>,
) -> Result<(String, Vec<Assignment>), V> {
    assignments(pool, list, None, options)
}

/// `assign`'s checks, and `previewAssign`'s (no token): one function compiled for both.
fn assignments<V: JsonView>(
    pool: Option<&V>,
    list: Option<&V>,
    token: Option<Option<&V>>,
    options: Option<&V>,
) -> Result<(String, Vec<Assignment>), V> {
    checked::<V, EveryCall, _>(|i| both(pool_id(pool, i), validate::assignments(list, i)), token, options)
}

/// `getPool` and `deletePool`: `(poolId, token, options?)`.
pub fn pool<V: JsonView>(pool: Option<&V>, token: Option<&V>, options: Option<&V>) -> Result<String, V> {
    checked::<V, EveryCall, _>(|i| pool_id(pool, i), Some(token), options)
}

/// `updatePool(poolId, { displayName }, token, options?)`.
pub fn update_pool<V: JsonView>(
    pool: Option<&V>,
    changes: Option<&V>,
    token: Option<&V>,
    options: Option<&V>,
) -> Result<(String, String), V> {
    checked::<V, EveryCall, _>(|i| both(pool_id(pool, i), validate::pool_update(changes, i)), Some(token), options)
}

/// `createPool(pool, token, options?)`.
pub fn create_pool<V: JsonView>(pool: Option<&V>, token: Option<&V>, options: Option<&V>) -> Result<NewPool, V> {
    checked::<V, EveryCall, _>(|i| validate::new_pool(pool, i), Some(token), options)
}

/// The lists: `listPools(token, options?)` (`pool` is `None`), and a pool's
/// `listAssignments`/`listDeviceStates(poolId, token, options?)`.
pub fn list<V: JsonView>(
    pool: Option<Option<&V>>,
    token: Option<&V>,
    options: Option<&V>,
) -> Result<Option<String>, V, ListQuery> {
    checked::<V, ListCall, _>(
        |i| match pool {
            None => Some(None),
            Some(p) => pool_id(p, i).map(Some),
        },
        Some(token),
        options,
    )
}

/// One page of the pools (`iteratePools`): `nextLink` is the last page's, or null for the first.
pub fn list_page<V: JsonView>(
    next_link: Option<&V>,
    token: Option<&V>,
    options: Option<&V>,
) -> Result<Option<String>, V, ListQuery> {
    let link = |issues: &mut Issues| match next_link {
        None => Some(None),
        Some(l) if l.kind() == Kind::Null => Some(None),
        Some(l) => match l.string() {
            Some(s) => Some(Some(s.into())),
            None => {
                issues.push("nextLink", "must be the string Graph gave as @odata.nextLink");
                None
            }
        },
    };
    checked::<V, ListCall, _>(link, Some(token), options)
}

/// `addAssignments`/`removeAssignments(poolId, targets, token, options?)`: the targets by their
/// own rules before anything is read (the merge checks them against the pool's set later).
pub fn change<V: JsonView>(
    pool: Option<&V>,
    targets: Option<&V>,
    token: Option<&V>,
    options: Option<&V>,
) -> Result<String, V> {
    let own = |issues: &mut Issues| {
        let pool = pool_id(pool, issues);
        crate::merge::read_targets(targets, issues);
        pool
    };
    checked::<V, EveryCall, _>(own, Some(token), options)
}

/// `listAssignmentsMany`/`listDeviceStatesMany(poolIds, token, options?)`.
pub fn many<V: JsonView>(pool_ids: Option<&V>, token: Option<&V>, options: Option<&V>) -> Result<Vec<String>, V, Many> {
    checked::<V, ManyCall, _>(|i| validate::pool_ids(pool_ids, i), Some(token), options)
}

/// `poolReport(token, options?)`.
pub fn report<V: JsonView>(token: Option<&V>, options: Option<&V>) -> Result<(), V, Many> {
    checked::<V, ManyCall, _>(|_| Some(()), Some(token), options)
}

/// `assignMany(poolIds, assignments, token, options?)`.
pub fn assign_many<V: JsonView>(
    pool_ids: Option<&V>,
    list: Option<&V>,
    token: Option<&V>,
    options: Option<&V>,
) -> Result<(Vec<String>, Vec<Assignment>), V, Spread> {
    let own = |i: &mut Issues| {
        let ids = validate::pool_ids(pool_ids, i);
        both(ids, validate::assignments(list, i))
    };
    checked::<V, AssignManyCall, _>(own, Some(token), options)
}

/// `tenantsReport(tenantIds, token, options?)`: the token must be asked once per tenant, so a
/// string (one tenant's token) is refused; the tenants are `tenantIds`, so `options.tenantId` is.
pub fn tenants_report<V: JsonView>(
    tenant_ids: Option<&V>,
    token: Option<&V>,
    options: Option<&V>,
) -> Result<Vec<String>, V, Many> {
    let own = |issues: &mut Issues| {
        let ids = crate::tenant::tenant_ids(tenant_ids, issues);
        if token.is_some_and(|t| t.kind() == Kind::String) {
            let message = "must be a function or a TokenCredential, asked once per tenant: one token string cannot serve several tenants";
            issues.push("token", message);
        }
        if options.and_then(|o| o.get("tenantId")).is_some() {
            issues.push("options.tenantId", "is not taken by tenantsReport, which reads the tenants of tenantIds");
        }
        ids
    };
    checked::<V, ManyCall, _>(own, Some(token), options)
}
