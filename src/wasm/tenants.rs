//! `tenantsReport`: `poolReport` of each of many tenants in one call (`crate::engine::tenants`),
//! each tenant with its own token and paces; one entry per tenant, in the order given.

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;

use super::call::{kept, start, Args, Call};
use super::input;
use super::js::{set, set_str};
use super::json::Js;
use super::many::{pool_rows, stopped};
use crate::engine::tenants::TenantsReport;
use crate::operation;

/// Every customer tenant's eSIM state: `{ generatedDateTime, tenants }`, each tenant
/// `{ tenantId, ok: true, report }` or `{ tenantId, ok: false, error }`. A tenant that cannot be
/// read costs the others nothing; an abort, `timeoutMs` or `onRetry`'s throw stops the call,
/// whose error's `results` holds the tenants done so far.
#[wasm_bindgen(js_name = tenantsReport, unchecked_return_type = "Promise<TenantsReport>")]
pub fn tenants_report(
    #[wasm_bindgen(js_name = tenantIds, unchecked_param_type = "readonly string[]")] tenant_ids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TenantTokenSource")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "TenantsReportOptions")] options: JsValue,
) -> Promise {
    let args = Args::new(&token, &options);
    let ids = input::arg(&tenant_ids);
    let checked = operation::tenants_report(ids.as_ref().as_ref(), args.token().as_ref(), args.options().as_ref());
    start(args.call(&token, checked, None).map(|(ids, many, call)| {
        let tenants = TenantsReport::new(&ids, many, &call.engine);
        let count = ids.len();
        let done = move |tenants: &mut TenantsReport<Js>, ran: Result<(), JsValue>, call: &Call| {
            let generated: JsValue = js_sys::Date::new_0().to_iso_string().into();
            // A plain loop: a collect into an `Array` is an `Extend` compiled of its own.
            let entries = Array::new();
            for i in 0..count {
                let Some((id, outcome)) = tenants.result(i) else { continue };
                let entry = Object::new();
                set_str(&entry, "tenantId", id);
                match outcome {
                    Ok(rows) => {
                        let report = Object::new();
                        set(&report, "generatedDateTime", &generated);
                        set(&report, "pools", &pool_rows(call, rows));
                        set(&entry, "ok", &true.into());
                        set(&entry, "report", &report);
                    }
                    Err(f) => {
                        set(&entry, "ok", &false.into());
                        set(&entry, "error", &call.failure(f));
                    }
                }
                entries.push(&entry);
            }
            match ran {
                Ok(()) => {
                    let out = Object::new();
                    set(&out, "generatedDateTime", &generated);
                    set(&out, "tenants", &entries);
                    Ok(out.into())
                }
                Err(e) => Err(stopped(e, entries)),
            }
        };
        (call, kept(tenants, done))
    }))
}
