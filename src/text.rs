//! The few string operations the core needs (numbers to and from decimal text, trimming,
//! cutting and joining), each compiled once: std's generic versions compiled a char searcher,
//! `memchr` or a join of their own into the wasm at each kind of use.

use crate::prelude::*;

/// A whole number as `str::parse::<u32>` reads it: an optional `+`, then ASCII digits, `None`
/// past `u32::MAX`. The one reader of every number the core takes from text (dates, ports,
/// addresses, batch ids), where each `parse::<T>` compiled a copy of its own for its type.
#[inline(never)]
pub fn parse_u32(s: &str) -> Option<u32> {
    let digits = s.strip_prefix('+').unwrap_or(s);
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0u32, |n, b| {
        if b.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u32::from(b - b'0'))
        } else {
            None
        }
    })
}

/// `s` without the whitespace it starts and ends with (`char::is_whitespace`'s), as `str::trim`
/// gives it, in one forward pass: `str::trim` compiled a char searcher of its own, both ways.
pub fn trim(s: &str) -> &str {
    let (mut start, mut end) = (s.len(), 0);
    for (i, c) in s.char_indices() {
        if !c.is_whitespace() {
            start = start.min(i);
            end = i + c.len_utf8();
        }
    }
    s.get(start..end).unwrap_or_default()
}

/// Whether `s` is empty or whitespace alone (`char::is_whitespace`'s), as `s.trim().is_empty()`
/// says: it stops at the first character that is not, where [`trim`] reads to the end.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// `s` without the `byte`s it ends with (an ASCII byte: the cut is then on a character
/// boundary), as `trim_end_matches(char)` gives it; that one compiled a char searcher of its own.
pub fn without_trailing(s: &str, byte: u8) -> &str {
    let mut end = s.len();
    while end > 0 && s.as_bytes().get(end - 1) == Some(&byte) {
        end -= 1;
    }
    s.get(..end).unwrap_or(s)
}

/// `s` cut before the first `delimiter` (an ASCII byte, so the cut is on a character boundary):
/// `(s, "")` when there is none.
pub fn cut(s: &str, delimiter: u8) -> (&str, &str) {
    // A plain loop: an iterator's `position` compiled a fold of its own for each use.
    let mut i = 0;
    while i < s.len() && s.as_bytes().get(i) != Some(&delimiter) {
        i += 1;
    }
    (s.get(..i).unwrap_or(s), s.get(i..).unwrap_or(""))
}

/// The parts of `s` between `separator`s, as `s.split(char::from(separator))` gives them. The
/// separator is ASCII, so every cut is on a character boundary and a byte search finds it:
/// `str::split` compiled a char searcher and `memchr` into the wasm for the same parts.
pub fn split(s: &str, separator: u8) -> Split<'_> {
    Split { rest: Some(s), separator }
}

/// [`split`]'s iterator.
pub struct Split<'a> {
    /// What is left after the last separator; `None` once the last part was given.
    rest: Option<&'a str>,
    separator: u8,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (part, rest) = cut(self.rest?, self.separator);
        // `rest` starts with the separator, or is empty after the last part.
        self.rest = rest.get(1..);
        Some(part)
    }
}

/// The `parts` one after the other, as `parts.concat()` gives them: that one is std's generic
/// join, compiled with its separator handling and its panics for a result it cannot size.
pub fn joined(parts: &[&str]) -> String {
    let mut len = 0usize;
    for p in parts {
        len = len.saturating_add(p.len());
    }
    let mut out = String::with_capacity(len);
    for p in parts {
        out.push_str(p);
    }
    out
}

/// Decimal text of `n`, written by hand. Not to keep `core::fmt` out of the wasm: std's panic
/// messages bring it in anyway (README, "Size and speed"). But `n.to_string()`, core::fmt's
/// integer `Display`, measured a little larger: 19 B more gzipped on the first call, 70 B more
/// through intune-esim/inline.
pub fn decimal(n: usize) -> String {
    digits(n as u64)
}

fn digits(n: u64) -> String {
    // From the most significant digit on, straight into the String: no buffer to reverse.
    let mut unit = 1;
    while unit <= n / 10 {
        unit *= 10;
    }
    let mut out = String::new();
    loop {
        // `checked_div`: `unit` is never 0, but a plain `/` would keep a division-by-zero panic.
        out.push(char::from(b'0' + (n.checked_div(unit).unwrap_or(0) % 10) as u8));
        if unit == 1 {
            return out;
        }
        unit /= 10;
    }
}

/// Whether `n` is a whole number (`f64::fract` is std's, not core's).
pub fn is_whole(n: f64) -> bool {
    n.is_finite() && n == (n as i64) as f64
}

/// Decimal text of a whole number of milliseconds (rounded up, and held to 0..=2^53), by the same
/// loop as [`decimal`].
pub fn whole(n: f64) -> String {
    let n = if n.is_nan() { 0.0 } else { n.clamp(0.0, 9_007_199_254_740_992.0) };
    digits(n.ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_written_as_format_writes_them() {
        for n in [0, 1, 9, 10, 11, 99, 100, 101, 1994, 4_294_967_295, 10_000_000_000_000_000_000, u64::MAX] {
            assert_eq!(digits(n), n.to_string());
        }
    }

    #[test]
    fn parse_u32_reads_as_str_parse_does() {
        for s in
            ["", "+", "-", "-0", "0", "+7", "++7", "007", "1994", " 1", "1 ", "4294967295", "4294967296", "9x", "٣"]
        {
            assert_eq!(parse_u32(s), s.parse::<u32>().ok(), "{s:?}");
        }
    }

    #[test]
    fn without_trailing_trims_as_trim_end_matches_does() {
        for s in ["", ".", "...", "a.", "a..", ".a", "é.", "a.b.", "a"] {
            assert_eq!(without_trailing(s, b'.'), s.trim_end_matches('.'), "{s:?}");
        }
    }

    #[test]
    fn trim_trims_as_str_trim_does() {
        for s in ["", " ", " \u{a0}\u{3000} ", "a", " a ", "\ta b\n", "é ", "\u{2028}x\u{85}", "x\u{1}"] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
            assert_eq!(is_blank(s), s.trim().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn split_gives_the_parts_str_split_gives() {
        for s in ["", ".", "a", "a.b", ".a.", "a..b", "é.ü.", "...", "127.0.0.1"] {
            assert_eq!(split(s, b'.').collect::<Vec<_>>(), s.split('.').collect::<Vec<_>>(), "{s:?}");
        }
    }

    #[test]
    fn decimal_writes_numbers() {
        assert_eq!(decimal(0), "0");
        assert_eq!(decimal(7), "7");
        assert_eq!(decimal(1234567890), "1234567890");
        assert_eq!(whole(1.2), "2");
        assert_eq!(whole(-5.0), "0");
        assert_eq!(whole(f64::NAN), "0");
        assert_eq!(whole(1e300), "9007199254740992");
        assert_eq!(whole(180000.0), "180000");
    }
}
