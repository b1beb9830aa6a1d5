//! The `baseUrl` option: Graph's root for one cloud, such as `https://graph.microsoft.com/beta`
//! or `https://graph.microsoft.us/beta`. Checked by hand (the `url` crate would triple the wasm).

use crate::prelude::*;

/// A checked base URL, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://host[:port]`, as written (lowercased scheme).
    origin: String,
    /// The path after the origin, without a trailing slash (`/beta`), possibly empty.
    path: String,
}

pub const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/beta";

impl BaseUrl {
    /// [`DEFAULT_BASE_URL`], as [`BaseUrl::parse`] reads it (a test checks they agree), without
    /// parsing it: most calls leave `baseUrl` out, and each would parse it again.
    pub fn graph() -> Self {
        BaseUrl { origin: String::from("https://graph.microsoft.com"), path: String::from("/beta") }
    }

    /// Checks `s`: an absolute `https:` URL without query, fragment or credentials; `http:` only
    /// for loopback hosts (a local emulator), because the token must never cross a network in clear.
    ///
    /// Every delimiter is ASCII, so the URL is cut at byte positions: the `str` pattern searchers
    /// (`find`, `split_once`, `contains`) each compiled a copy of their own
    /// into the wasm for the same cuts.
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        if s.is_empty() {
            return Err("must not be empty");
        }
        if has_space_or_control(s) {
            return Err("must not contain whitespace or control characters");
        }
        if s.bytes().any(|b| b == b'?' || b == b'#') {
            return Err("must not have a query or fragment: give the root, like https://graph.microsoft.com/beta");
        }
        let at = s.as_bytes().windows(3).position(|w| w == b"://");
        let Some((scheme, rest)) = at.and_then(|i| Some((s.get(..i)?, s.get(i + 3..)?))) else {
            return Err("must be an absolute URL, like https://graph.microsoft.com/beta");
        };
        // Written lowercase as the origin has it: the scheme is one of the two, in any case.
        let scheme = if scheme.eq_ignore_ascii_case("https") {
            "https"
        } else if scheme.eq_ignore_ascii_case("http") {
            "http"
        } else {
            return Err("must be an https: URL");
        };
        let (authority, path) = crate::text::cut(rest, b'/');
        if authority.bytes().any(|b| b == b'@') {
            return Err("must not carry credentials (user@host): the token is sent in a header");
        }
        let host = host_of(authority)?;
        if scheme == "http" && !is_loopback(host) {
            return Err("must be https: (http: is allowed only for localhost, 127.0.0.0/8 and [::1], where the token never leaves the machine)");
        }
        let path = crate::text::without_trailing(path, b'/');
        if crate::text::split(path, b'/').any(|seg| seg == "." || seg == "..") {
            return Err("must not contain . or .. path segments");
        }
        Ok(BaseUrl { origin: joined(&[scheme, "://", authority]), path: path.to_owned() })
    }

    /// The whole base URL, without a trailing slash.
    pub fn as_string(&self) -> String {
        joined(&[self.origin.as_str(), self.path.as_str()])
    }

    /// `https://host[:port]`: where the call goes, fit for error messages.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The scope to ask a token credential for: `<origin>/.default`, so a national cloud's
    /// token names its own host (`https://graph.microsoft.us/.default`).
    pub fn default_scope(&self) -> String {
        joined(&[self.origin.as_str(), "/.default"])
    }
}

/// Whether `s` has whitespace or a control character anywhere: a URL that does is refused
/// rather than cleaned, as is a `@odata.nextLink` that does.
pub(crate) fn has_space_or_control(s: &str) -> bool {
    s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The host part of `host[:port]` or `[v6][:port]`, checked.
fn host_of(authority: &str) -> Result<&str, &'static str> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = crate::text::cut(v6, b']');
        if after.is_empty() {
            return Err("has an unclosed [ in its host");
        }
        if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
            return Err("has an invalid IPv6 host");
        }
        let after = after.get(1..).unwrap_or("");
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err("has something after its IPv6 host that is not a port"),
        };
        // Keep the brackets: `[::1]` is how the host is written and compared.
        (authority.get(..inside.len() + 2).unwrap_or(authority), port)
    } else {
        let (host, port) = crate::text::cut(authority, b':');
        (host, port.get(1..))
    };
    if host.is_empty() {
        return Err("has no host");
    }
    if !host.starts_with('[') && !host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
        return Err("has a host with characters a host name cannot have");
    }
    if let Some(p) = port {
        let ok = !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
        if !ok || crate::text::parse_u32(p).map_or(true, |n| n == 0 || n > 65535) {
            return Err("has an invalid port");
        }
    }
    Ok(host)
}

/// `localhost`, `[::1]` or an address of 127.0.0.0/8, in any case: compared as written, without
/// a lowercased copy.
fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "[::1]" {
        return true;
    }
    // Counted and checked in one pass, without a Vec of the octets (a collect of its own).
    let mut octets = 0;
    for o in crate::text::split(host, b'.') {
        let ok = !o.is_empty() && o.len() <= 3 && crate::text::parse_u32(o).is_some_and(|n| n <= 255);
        if !ok || (octets == 0 && o != "127") {
            return false;
        }
        octets += 1;
    }
    octets == 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_clouds_and_loopback() {
        for (input, whole, scope) in [
            (
                "https://graph.microsoft.com/beta",
                "https://graph.microsoft.com/beta",
                "https://graph.microsoft.com/.default",
            ),
            (
                "https://graph.microsoft.us/beta/",
                "https://graph.microsoft.us/beta",
                "https://graph.microsoft.us/.default",
            ),
            (
                "HTTPS://dod-graph.microsoft.us/beta",
                "https://dod-graph.microsoft.us/beta",
                "https://dod-graph.microsoft.us/.default",
            ),
            (
                "https://microsoftgraph.chinacloudapi.cn/beta",
                "https://microsoftgraph.chinacloudapi.cn/beta",
                "https://microsoftgraph.chinacloudapi.cn/.default",
            ),
            ("http://127.0.0.1:8080/beta", "http://127.0.0.1:8080/beta", "http://127.0.0.1:8080/.default"),
            ("http://localhost:1/", "http://localhost:1", "http://localhost:1/.default"),
            ("http://[::1]:3000/beta", "http://[::1]:3000/beta", "http://[::1]:3000/.default"),
            ("http://127.255.0.9/x", "http://127.255.0.9/x", "http://127.255.0.9/.default"),
        ] {
            let b = BaseUrl::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(b.as_string(), whole);
            assert_eq!(b.default_scope(), scope);
        }
        assert_eq!(BaseUrl::parse(DEFAULT_BASE_URL), Ok(BaseUrl::graph()));
    }

    #[test]
    fn rejects_what_could_leak_or_mislead() {
        for bad in [
            "",
            "graph.microsoft.com/beta",
            "ftp://graph.microsoft.com/beta",
            "http://graph.microsoft.com/beta",
            "http://10.0.0.1/beta",
            "http://127.0.0.1.evil.com/beta",
            "http://localhost.evil.com/beta",
            "https://graph.microsoft.com/beta?x=1",
            "https://graph.microsoft.com/beta#top",
            "https://user:pw@graph.microsoft.com/beta",
            "https://graph.microsoft.com /beta",
            "https://graph.microsoft.com/be\nta",
            "https:///beta",
            "https://graph.microsoft.com:99999/beta",
            "https://graph.microsoft.com:/beta",
            "https://graph.microsoft.com/beta/../v1.0",
            "https://[::1/beta",
            "https://gra_ph.microsoft.com/beta",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad:?} passed");
        }
    }
}
