//! Which tenant a call is for. Intune counts its limits per app per tenant, so a service
//! provider's calls into many customer tenants are paced per tenant: by `options.tenantId` as a
//! caller writes it (a GUID, or a verified domain such as `contoso.onmicrosoft.com`), or else by
//! the `tid` claim of the access token, read only to key the pace: never verified, logged or kept.

use crate::activation_code::is_smdp_address;
use crate::guid::is_guid;
use crate::json::{JsonView, Kind};
use crate::prelude::*;
use crate::validate::{self, Issues};

const RULE: &str = "must be a tenant id: a GUID, or a verified domain such as contoso.onmicrosoft.com";

/// A tenant id: a GUID or a domain name, in lower case (Entra ids and domains ignore case).
pub fn is_tenant_id(s: &str) -> bool {
    is_guid(s) || (s.len() <= 253 && is_smdp_address(s))
}

/// A tenant id the caller wrote at `path`, in lower case.
pub fn tenant_id<V: JsonView>(v: &V, path: &str, issues: &mut Issues) -> Option<String> {
    match v.string() {
        Some(s) if is_tenant_id(&s) => Some(s.to_ascii_lowercase()),
        _ => {
            issues.push(path, RULE);
            None
        }
    }
}

/// `tenantsReport`'s tenants: at least one, each a tenant id, none twice.
pub fn tenant_ids<V: JsonView>(v: Option<&V>, issues: &mut Issues) -> Option<Vec<String>> {
    let list = match v {
        Some(l) if l.kind() == Kind::Array && !l.is_empty() => l,
        Some(l) if l.kind() == Kind::Array => {
            issues.push("tenantIds", "must name at least one tenant");
            return None;
        }
        other => {
            issues.got_or_undefined("tenantIds", "must be an array of tenant ids", other.map(|o| o.kind()));
            return None;
        }
    };
    validate::id_list(
        list,
        "tenantIds",
        "tenant",
        |id, path, issues| id.and_then(|t| tenant_id(&t, path, issues)),
        issues,
    )
}

/// The payload of a JWT-shaped token as standard, padded base64, for the host's own decoder
/// (`atob`): `None` when the token is not three dot-separated parts.
pub fn jwt_payload_base64(token: &str) -> Option<String> {
    let mut parts = crate::text::split(token, b'.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || payload.is_empty() || payload.len() > 16_384 {
        return None;
    }
    // A plain loop into a String made once, where a map's collect was compiled of its own.
    let mut out = String::with_capacity(payload.len() + 3);
    for c in payload.chars() {
        out.push(match c {
            '-' => '+',
            '_' => '/',
            c => c,
        });
    }
    while out.len() % 4 != 0 {
        out.push('=');
    }
    Some(out)
}

/// The `tid` of a token's decoded payload, when it is a GUID: the key of its tenant's pace.
pub fn tid_of<V: JsonView>(payload: &V) -> Option<String> {
    let tid = payload.get("tid")?.string()?;
    is_guid(&tid).then(|| tid.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids_are_guids_or_domains() {
        for good in ["72f988bf-86f1-41af-91ab-2d7cd011db47", "contoso.onmicrosoft.com", "Fabrikam.com"] {
            assert!(is_tenant_id(good), "{good}");
        }
        for bad in ["", "contoso", "contoso.", ".com", "a b.com", "72f988bf-86f1-41af-91ab-2d7cd011db4", "x@y.com"] {
            assert!(!is_tenant_id(bad), "{bad}");
        }
    }

    #[test]
    fn a_jwt_payload_becomes_padded_base64() {
        assert_eq!(jwt_payload_base64("h.eyJ0aWQiOiJ4In0.s").as_deref(), Some("eyJ0aWQiOiJ4In0="));
        assert_eq!(jwt_payload_base64("h.a-b_.s").as_deref(), Some("a+b/"));
        for not_a_jwt in ["opaque", "a.b", "a.b.c.d", "a..c"] {
            assert_eq!(jwt_payload_base64(not_a_jwt), None, "{not_a_jwt}");
        }
    }
}
