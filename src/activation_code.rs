//! The patterns Graph's metadata gives for an `embeddedSIMActivationCode`'s fields. Checked here
//! so a bad row in an operator's file is reported with its place before anything is sent.
//!
//! The patterns themselves are written once, in `pkg/facts.json` (`activationCodePatterns`), which
//! the emulator matches with; they are implemented here by hand (a regex crate would grow the
//! wasm), and tests/facts.rs checks these functions take what the patterns match.

/// ICCID: 19 or 20 digits.
pub fn is_iccid(s: &str) -> bool {
    matches!(s.len(), 19 | 20) && s.bytes().all(|b| b.is_ascii_digit())
}

/// GSMA SGP.22 MatchingID: ASCII letters, digits and `-` (may be empty).
pub fn is_matching_id(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// SM-DP+ address: a host name with at least two labels, each of ASCII letters and digits with
/// single `-` inside, the last of two letters or more.
pub fn is_smdp_address(s: &str) -> bool {
    // One pass over the labels, each checked once the next shows it is not the last: no Vec of
    // them to collect (which compiled a collect of its own).
    let mut labels = crate::text::split(s, b'.');
    let mut last = labels.next().unwrap_or_default();
    let mut more = false;
    for label in labels {
        let ok = !last.is_empty()
            && crate::text::split(last, b'-')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !ok {
            return false;
        }
        last = label;
        more = true;
    }
    more && last.len() >= 2 && last.bytes().all(|b| b.is_ascii_alphabetic())
}

pub const ICCID_RULE: &str = "must be an ICCID: 19 or 20 digits";
pub const MATCHING_ID_RULE: &str = "must be a MatchingID: letters, digits and - only";
pub const SMDP_RULE: &str = "must be the SM-DP+ server's host name, like smdp.example.com";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iccids() {
        assert!(is_iccid("8901260000000000001"));
        assert!(is_iccid("89012600000000000012"));
        for bad in ["890126000000000000", "890126000000000000123", "8901260000000000001a", "", " 8901260000000000001"] {
            assert!(!is_iccid(bad), "{bad:?}");
        }
    }

    #[test]
    fn matching_ids() {
        assert!(is_matching_id("ABC-123-xyz"));
        assert!(is_matching_id(""));
        assert!(!is_matching_id("ABC 123"));
        assert!(!is_matching_id("ABC_123"));
    }

    #[test]
    fn smdp_addresses() {
        for ok in ["smdp.example.com", "rsp-0001.oberthur.net", "a.io", "x1.y-2-z.example.org"] {
            assert!(is_smdp_address(ok), "{ok}");
        }
        for bad in [
            "localhost",
            "example.c0m",
            "-a.example.com",
            "a-.example.com",
            "a..com",
            ".example.com",
            "example.com.",
            "smdp.example.c",
            "a b.com",
            "https://smdp.example.com",
            "",
        ] {
            assert!(!is_smdp_address(bad), "{bad:?}");
        }
    }
}
