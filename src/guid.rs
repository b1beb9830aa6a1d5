//! GUIDs: Graph's ids (pools, groups, filters) and the `client-request-id` we send.

use crate::prelude::*;

/// True for the canonical 8-4-4-4-12 hex form Graph uses, in either case, and nothing else:
/// no braces, no whitespace, nothing that could change a URL.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A random (version 4) GUID from 16 random bytes; the caller brings the randomness, so this
/// stays pure.
pub fn guid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        for nibble in [b >> 4, b & 0x0f] {
            out.push(char::from(if nibble < 10 { b'0' + nibble } else { b'a' + nibble - 10 }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_canonical_guids() {
        assert!(is_guid("e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7"));
        assert!(is_guid("E7304DCC-4DCC-E730-CC4D-30E7CC4D30E7"));
        for bad in [
            "",
            "e7304dcc4dcce730cc4d30e7cc4d30e7",
            "{e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7}",
            "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e",
            "e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7 ",
            "e7304dcc-4dcc-e730-cc4d/30e7cc4d30e7",
            "../../../../../../../../../../../..",
            "g7304dcc-4dcc-e730-cc4d-30e7cc4d30e7",
            "e7304dcc-4dcc-e730-cc4d-30e7cc4d30é",
        ] {
            assert!(!is_guid(bad), "{bad:?} passed");
        }
    }

    #[test]
    fn v4_guids_are_well_formed() {
        let g = guid_v4([0xff; 16]);
        assert!(is_guid(&g));
        assert_eq!(&g[14..15], "4");
        assert_eq!(g, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(guid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}
