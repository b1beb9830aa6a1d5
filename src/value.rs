//! A small, strict JSON parser: text in, a borrowed tree with source spans out.
//!
//! The wasm module receives its inputs as `JSON.stringify`'d text and Graph's answers as body
//! text, and checks both through [`JsonView`]. serde_json is too big for the wasm, and
//! `core::fmt` and `str::parse::<f64>` each pull kilobytes of code into it, so this parser works
//! on bytes and computes numbers itself. It accepts exactly what `JSON.parse` accepts (RFC 8259),
//! never panics, and runs in linear time: strings without escapes are borrowed, not copied, and
//! containers nested deeper than [`MAX_DEPTH`] are checked by a loop, not by recursion.

use alloc::borrow::Cow;

use crate::json::{JsonView, Kind};
use crate::prelude::*;
use crate::repeats::repeats;

// JavaScript values JSON cannot hold arrive as these strings: the package's JS puts them in before
// `JSON.stringify`, which would otherwise drop functions and write NaN and Infinity as null, and
// validation could no longer say "got a function" or "must be a finite number". The leading NUL
// keeps them apart from any string a caller or Graph would send.

/// Stands for a function.
pub const FUNCTION_MARKER: &str = "\u{0}function";
/// Stands for a value that is neither JSON nor a function (a symbol, a bigint).
pub const OTHER_MARKER: &str = "\u{0}other";
/// Stands for NaN, Infinity or -Infinity: a number, but not one JSON can write.
pub const NAN_MARKER: &str = "\u{0}nan";

/// Arrays and objects nested deeper than this are checked but not built (see [`Node::Deep`]).
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value and the byte range of its text in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Value<'a> {
    pub start: usize,
    pub end: usize,
    pub node: Node<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Null,
    Bool(bool),
    /// Read for range checks only (the nearest f64, give or take an ulp); the exact text is
    /// `src[start..end]`.
    Number(f64),
    /// Borrowed from the source when the literal has no escapes.
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    /// Properties in source order, duplicates kept.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
    /// An array or object nested deeper than [`MAX_DEPTH`] (or the depth given to [`parse_to`]):
    /// syntax-checked but not built.
    Deep {
        /// An array, else an object.
        array: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the source where the text stopped being JSON.
    pub offset: usize,
    pub message: &'static str,
}

/// Parses one JSON value, surrounded only by JSON whitespace.
pub fn parse(text: &str) -> Result<Value<'_>, ParseError> {
    parse_to(text, MAX_DEPTH)
}

/// Like [`parse`], but containers nested `depth` deep or deeper are only checked, not built
/// (each is a [`Node::Deep`], whose kind and text are all it has): for text of which only the
/// outer levels are read, the rest costs a syntax check.
pub fn parse_to(text: &str, depth: usize) -> Result<Value<'_>, ParseError> {
    let mut p = Parser { text, bytes: text.as_bytes(), pos: 0, max_depth: depth.min(MAX_DEPTH), stack: Vec::new() };
    p.skip_whitespace();
    let value = p.value(0)?;
    p.skip_whitespace();
    match p.peek() {
        None => Ok(value),
        Some(_) => Err(p.error("Unexpected text after the JSON value")),
    }
}

impl Value<'_> {
    /// This value's text in `src`, the text it was parsed from.
    pub fn text<'s>(&self, src: &'s str) -> &'s str {
        src.get(self.start..self.end).unwrap_or("")
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Containers this deep are checked, not built.
    max_depth: usize,
    /// [`Parser::skip_deep`]'s stack, kept between calls: a shallow parse of a large answer skips
    /// one container per item, and would otherwise allocate a stack for each.
    stack: Vec<bool>,
}

impl<'a> Parser<'a> {
    // The three helpers every byte goes through: inlined whatever opt-level "z" thinks, as that
    // makes reading a large answer a tenth faster for about a hundred bytes of wasm.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline(always)]
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8, message: &'static str) -> Result<(), ParseError> {
        self.eat(byte).then_some(()).ok_or_else(|| self.error(message))
    }

    fn error(&self, message: &'static str) -> ParseError {
        ParseError { offset: self.pos, message }
    }

    #[inline(always)]
    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Source text between two offsets. Callers cut only next to ASCII quotes and backslashes,
    /// which are always char boundaries, so the empty fallback is never taken.
    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.text.get(from..to).unwrap_or("")
    }

    /// A value whose enclosing containers number `depth`.
    fn value(&mut self, depth: usize) -> Result<Value<'a>, ParseError> {
        let start = self.pos;
        let node = match self.peek() {
            Some(open @ (b'[' | b'{')) if depth >= self.max_depth => {
                self.skip_deep()?;
                Node::Deep { array: open == b'[' }
            }
            Some(b'[') => {
                let mut items = Vec::new();
                if !self.open(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.next_item(true)? {
                            break;
                        }
                    }
                }
                Node::Array(items)
            }
            Some(b'{') => {
                let mut properties = Vec::new();
                if !self.open(b'}') {
                    loop {
                        let key = self.key()?;
                        properties.push((key, self.value(depth + 1)?));
                        if self.next_item(false)? {
                            break;
                        }
                    }
                }
                Node::Object(properties)
            }
            _ => self.scalar()?,
        };
        Ok(Value { start, end: self.pos, node })
    }

    /// Steps over an opening bracket and the whitespace after it; true if `close` follows at
    /// once, an empty container.
    fn open(&mut self, close: u8) -> bool {
        self.pos += 1;
        self.skip_whitespace();
        self.eat(close)
    }

    /// After an item of an open array or object: true at the container's end, false after a
    /// comma, with the position then at the next item.
    fn next_item(&mut self, array: bool) -> Result<bool, ParseError> {
        self.skip_whitespace();
        let (close, message) = if array {
            (b']', "Expected , or ] after an array item")
        } else {
            (b'}', "Expected , or } after a property")
        };
        if self.eat(close) {
            return Ok(true);
        }
        self.expect(b',', message)?;
        self.skip_whitespace();
        Ok(false)
    }

    /// A property name and its colon, leaving the position at the property's value.
    fn key(&mut self) -> Result<Cow<'a, str>, ParseError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("Expected a property name in double quotes"));
        }
        let key = self.string()?;
        self.skip_whitespace();
        self.expect(b':', "Expected : after the property name")?;
        self.skip_whitespace();
        Ok(key)
    }

    /// Checks a container nested deeper than [`MAX_DEPTH`] without building it or recursing, so
    /// no input can overflow the stack. A stack of one bool per open container (is it an array)
    /// is all the grammar needs to know which closing bracket and what kind of item come next.
    /// The stack is empty at the start: a skip returns only once it is empty again, and an error
    /// ends the whole parse.
    fn skip_deep(&mut self) -> Result<(), ParseError> {
        loop {
            // At a value: an opened container goes on to its first item, anything else is whole.
            match self.peek() {
                Some(bracket @ (b'[' | b'{')) => {
                    let array = bracket == b'[';
                    if !self.open(if array { b']' } else { b'}' }) {
                        self.stack.push(array);
                        if !array {
                            self.key()?;
                        }
                        continue;
                    }
                }
                _ => {
                    self.scalar()?;
                }
            }
            // After a value: close the containers that end here, then stop or go on to the next.
            loop {
                let Some(&array) = self.stack.last() else { return Ok(()) };
                if !self.next_item(array)? {
                    if !array {
                        self.key()?;
                    }
                    break;
                }
                self.stack.pop();
            }
        }
    }

    fn scalar(&mut self) -> Result<Node<'a>, ParseError> {
        match self.peek() {
            Some(b'"') => Ok(Node::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.word(b"true", Node::Bool(true)),
            Some(b'f') => self.word(b"false", Node::Bool(false)),
            Some(b'n') => self.word(b"null", Node::Null),
            None => Err(self.error("Unexpected end of input")),
            Some(_) => Err(self.error("Expected a JSON value")),
        }
    }

    fn word(&mut self, word: &'static [u8], node: Node<'a>) -> Result<Node<'a>, ParseError> {
        if self.bytes.get(self.pos..self.pos + word.len()) != Some(word) {
            return Err(self.error("Expected a JSON value"));
        }
        self.pos += word.len();
        Ok(node)
    }

    /// A string literal, borrowed from the source unless it has escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.pos += 1;
        // Once an escape is met, the text so far is copied into `decoded`; `run` is where the
        // text not yet copied starts.
        let mut decoded: Option<String> = None;
        let mut run = self.pos;
        loop {
            match self.peek() {
                None => return Err(self.error("Unterminated string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    let out = decoded.get_or_insert_with(String::new);
                    out.push_str(self.slice(run, self.pos));
                    self.pos += 1;
                    out.push(self.escape()?);
                    run = self.pos;
                }
                Some(0..=0x1f) => return Err(self.error("Control characters in a string must be escaped")),
                // Plain text up to the next quote, backslash or control character, in one go:
                // strings are most of what a request or an answer holds.
                Some(_) => {
                    let rest = self.bytes.get(self.pos..).unwrap_or_default();
                    self.pos += rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len());
                }
            }
        }
        let rest = self.slice(run, self.pos);
        self.pos += 1;
        Ok(match decoded {
            None => Cow::Borrowed(rest),
            Some(mut s) => {
                s.push_str(rest);
                Cow::Owned(s)
            }
        })
    }

    /// The character an escape stands for, the position just after the backslash.
    fn escape(&mut self) -> Result<char, ParseError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                // A high surrogate pairs with a low one in a following `\u` escape. A lone
                // surrogate, which `JSON.parse` keeps but a Rust string cannot hold, becomes
                // U+FFFD (as does any surrogate `char::from_u32` refuses).
                let low = if (0xd800..0xdc00).contains(&unit) { self.low_surrogate() } else { None };
                let code = low.map_or(unit, |low| 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
                return Ok(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            _ => return Err(self.error("Invalid escape in a string")),
        };
        self.pos += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| char::from(b).to_digit(16));
            unit = unit * 16 + digit.ok_or_else(|| self.error("Expected four hex digits after \\u"))?;
            self.pos += 1;
        }
        Ok(unit)
    }

    /// A `\uDC00`..`\uDFFF` escape next, consumed; otherwise nothing is consumed.
    fn low_surrogate(&mut self) -> Option<u32> {
        if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
            return None;
        }
        let saved = self.pos;
        self.pos += 2;
        match self.hex4() {
            Ok(low) if (0xdc00..0xe000).contains(&low) => Some(low),
            _ => {
                self.pos = saved;
                None
            }
        }
    }

    /// A number, to JSON's grammar exactly: `-`, then `0` or a digit run not starting with 0, then
    /// optionally `.` and digits, then optionally `e` or `E`, a sign and digits.
    fn number(&mut self) -> Result<Node<'a>, ParseError> {
        let negative = self.eat(b'-');
        let mut decimal = Decimal::default();
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error("Leading zeros are not allowed"));
                }
            }
            Some(b'1'..=b'9') => {
                while let Some(d) = self.digit() {
                    decimal.push(d, false);
                }
            }
            _ => return Err(self.error("Expected a digit")),
        }
        if self.eat(b'.') {
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("Expected a digit after the decimal point"));
            }
            while let Some(d) = self.digit() {
                decimal.push(d, true);
            }
        }
        if self.eat(b'e') || self.eat(b'E') {
            let negative_exponent = self.eat(b'-');
            if !negative_exponent {
                self.eat(b'+');
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("Expected a digit in the exponent"));
            }
            // Saturating: an exponent past i64 makes the number infinite or zero whatever its
            // digits, and no digit run can shift it back into range.
            let mut exponent: i64 = 0;
            while let Some(d) = self.digit() {
                exponent = exponent.saturating_mul(10).saturating_add(i64::from(d));
            }
            let exponent = if negative_exponent { -exponent } else { exponent };
            decimal.exponent = decimal.exponent.saturating_add(exponent);
        }
        let magnitude = decimal.to_f64();
        Ok(Node::Number(if negative { -magnitude } else { magnitude }))
    }

    fn digit(&mut self) -> Option<u8> {
        let d = self.peek().filter(u8::is_ascii_digit)?;
        self.pos += 1;
        Some(d - b'0')
    }
}

/// A number's value as `digits × 10^exponent`, keeping 19 significant digits: they always fit
/// in a u64, and the digits dropped change the f64 by an ulp at most.
#[derive(Default)]
struct Decimal {
    digits: u64,
    significant: u32,
    exponent: i64,
}

impl Decimal {
    fn push(&mut self, d: u8, fractional: bool) {
        if self.significant < 19 {
            self.digits = self.digits * 10 + u64::from(d);
            // Leading zeros are not significant.
            if self.digits != 0 {
                self.significant += 1;
            }
            if fractional {
                self.exponent -= 1;
            }
        } else if !fractional {
            self.exponent += 1;
        }
    }

    fn to_f64(&self) -> f64 {
        let (m, e) = (self.digits, self.exponent);
        // Both m and 10^|e| exact in an f64: one rounding, the correctly rounded result that
        // `str::parse` gives (Clinger's fast path). Almost every number met in practice is one.
        if m <= 1 << 53 && (-22..=22).contains(&e) {
            let power = (0..e.unsigned_abs()).fold(1.0, |p, _| p * 10.0);
            return if e < 0 { m as f64 / power } else { m as f64 * power };
        }
        // m < 10^19, so beyond these bounds the value overflows or is below half the smallest
        // subnormal; within them |e| <= 343.
        if m == 0 || e <= -344 {
            return 0.0;
        }
        if e >= 309 {
            return f64::INFINITY;
        }
        let power = Fp::power(if e < 0 { Fp::TENTH } else { Fp::new(10, 0) }, e.unsigned_abs());
        Fp::new(u128::from(m), 0).mul(power).to_f64()
    }
}

/// `f × 2^e`, normalised so `f`'s top bit is set: binary floating point with 64-bit precision.
/// A power of ten built from a dozen products of these is off by far less than an f64 ulp, so
/// only the final rounding to 53 bits shows: the result is within an ulp of the true value.
#[derive(Clone, Copy)]
struct Fp {
    f: u64,
    e: i32,
}

impl Fp {
    /// 0.1 rounded to 64 bits: `0xCCCC_CCCC_CCCC_CCCD × 2^-67`.
    const TENTH: Fp = Fp { f: 0xcccc_cccc_cccc_cccd, e: -67 };

    /// `v × 2^e`, truncated to 64 bits; `v` is never 0.
    fn new(v: u128, e: i32) -> Fp {
        let zeros = v.leading_zeros();
        let top = v.checked_shl(zeros).unwrap_or(0);
        Fp { f: (top >> 64) as u64, e: e + 64 - zeros as i32 }
    }

    fn mul(self, other: Fp) -> Fp {
        Fp::new(u128::from(self.f) * u128::from(other.f), self.e + other.e)
    }

    /// `base^k` by squaring.
    fn power(mut base: Fp, mut k: u64) -> Fp {
        let mut result = Fp::new(1, 0);
        while k > 0 {
            if k & 1 == 1 {
                result = result.mul(base);
            }
            base = base.mul(base);
            k >>= 1;
        }
        result
    }

    /// Rounds to the nearest f64, ties to even, so an exact `self` gives what `str::parse` gives
    /// (10^23, say, is a tie).
    fn to_f64(self) -> f64 {
        // The leading bit is worth 2^top. An f64 keeps 53 bits, fewer below 2^-1022 (subnormal),
        // none below 2^-1075.
        let top = self.e + 63;
        if top > 1023 {
            return f64::INFINITY;
        }
        let dropped = (11 + (-1022 - top).max(0)) as u32;
        if dropped > 64 {
            return 0.0;
        }
        let kept = self.f.checked_shr(dropped).unwrap_or(0);
        let rest = self.f << (64 - dropped);
        let up = rest > 1 << 63 || (rest == 1 << 63 && kept & 1 == 1);
        // A carry out of the 53 bits moves into the exponent field, which is what the bits need.
        let mantissa = kept + u64::from(up);
        if top < -1022 {
            f64::from_bits(mantissa)
        } else {
            f64::from_bits((((top + 1022) as u64) << 52) + mantissa)
        }
    }
}

/// The view validation and answer checks read: `get` finds the last property of a name, as
/// `JSON.parse` keeps the last duplicate, and a null property is there (as with serde_json).
impl<'v> JsonView for &'v Value<'_> {
    type Str = &'v str;
    fn kind(&self) -> Kind {
        match &self.node {
            Node::Null => Kind::Null,
            Node::Bool(_) => Kind::Bool,
            Node::Number(_) => Kind::Number,
            // Only a string that starts with NUL can be a marker: one byte read for all others.
            Node::String(s) if !s.starts_with('\0') => Kind::String,
            Node::String(s) => match &**s {
                FUNCTION_MARKER => Kind::Function,
                OTHER_MARKER => Kind::Other,
                NAN_MARKER => Kind::Number,
                _ => Kind::String,
            },
            Node::Array(_) | Node::Deep { array: true } => Kind::Array,
            Node::Object(_) | Node::Deep { array: false } => Kind::Object,
        }
    }

    fn string(&self) -> Option<&'v str> {
        let Node::String(s) = &self.node else { return None };
        (self.kind() == Kind::String).then_some(&**s)
    }

    fn number(&self) -> Option<f64> {
        match &self.node {
            Node::Number(n) => Some(*n),
            Node::String(s) if s == NAN_MARKER => Some(f64::NAN),
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Option<Self> {
        let Node::Object(properties) = &self.node else { return None };
        properties.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Each name once, where it first appears, like the keys of the object `JSON.parse` makes.
    /// (JavaScript lists integer-like names such as "1" first; Graph's names never are.)
    fn keys(&self) -> Vec<String> {
        let Node::Object(properties) = &self.node else { return Vec::new() };
        // Objects are small but many (two per assignment): compare pairs, without sorting.
        if properties.len() <= 16 {
            let mut names: Vec<String> = Vec::with_capacity(properties.len());
            for (k, _) in properties {
                if !names.iter().any(|n| n == k) {
                    names.push(String::from(&**k));
                }
            }
            return names;
        }
        // A repeated name is listed once, where it first appeared (O(n log n): see `repeats`).
        let names: Vec<String> = properties.iter().map(|(k, _)| String::from(&**k)).collect();
        let again: Vec<usize> =
            repeats(names.iter().cloned().map(Some).collect()).into_iter().map(|(i, _)| i).collect();
        names.into_iter().enumerate().filter(|(i, _)| again.binary_search(i).is_err()).map(|(_, n)| n).collect()
    }

    fn has_only(&self, names: &[&str]) -> bool {
        let Node::Object(properties) = &self.node else { return true };
        properties.iter().all(|(k, _)| names.contains(&&**k))
    }

    fn len(&self) -> usize {
        let Node::Array(items) = &self.node else { return 0 };
        items.len()
    }

    fn at(&self, index: usize) -> Option<Self> {
        let Node::Array(items) = &self.node else { return None };
        items.get(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(src: &str) -> Node<'_> {
        parse(src).unwrap().node
    }

    fn number(src: &str) -> f64 {
        match node(src) {
            Node::Number(n) => n,
            other => panic!("{src}: {other:?}"),
        }
    }

    fn string(src: &str) -> String {
        match node(src) {
            Node::String(s) => s.into_owned(),
            other => panic!("{src}: {other:?}"),
        }
    }

    #[test]
    fn accepts_what_json_parse_accepts() {
        assert_eq!(node("null"), Node::Null);
        assert_eq!(node(" \t\r\ntrue\n"), Node::Bool(true));
        assert_eq!(node("false"), Node::Bool(false));
        assert_eq!(node("[]"), Node::Array(vec![]));
        assert_eq!(node("{ }"), Node::Object(vec![]));
        assert_eq!(string(r#""é😀 \u00e9""#), "é😀 é");
        for ok in ["0", "-0", "1", "-12", "0.5", "1e3", "1E+3", "1e-3", "-0.0e0", "[ 1 , [ ] , { \"a\" : [ null ] } ]"]
        {
            assert!(parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_what_json_parse_rejects() {
        let structure = ["", " ", "[", "]", "}", "[1,]", r#"{"a":1,}"#, "[,1]", "{,}", "[1 2]", "[1]]", "[1}", "1 2"];
        let properties = [r#"{"a" 1}"#, "{a:1}", r#"{"a":}"#, r#"{"a"}"#, "{1:2}", r#"{"a":1]"#, "{'a':1}"];
        let numbers = ["01", "-01", "00", "+1", ".5", "1.", "1.e3", "1e", "1e+", "-", "--1", "0x10", "NaN", "Infinity"];
        let words = ["tru", "True", "nul", "undefined", "'a'", "// c\n1", "/* c */ 1", "1 // c"];
        let strings =
            ["\"a\u{1}b\"", "\"a\nb\"", r#""\x""#, r#""\u12""#, r#""\u12G4""#, r#""\U0041""#, "\"abc", "\"\\"];
        let spaces = ["\u{feff}1", "\u{a0}1", "1\u{b}", "\u{c}1"];
        for text in [&structure[..], &properties, &numbers, &words, &strings, &spaces].concat() {
            let e = parse(text).unwrap_err();
            assert!(e.offset <= text.len() && !e.message.is_empty(), "{text:?}: {e:?}");
        }
        assert_eq!(parse("[1,]").unwrap_err(), ParseError { offset: 3, message: "Expected a JSON value" });
        assert_eq!(parse("01").unwrap_err().message, "Leading zeros are not allowed");
        assert_eq!(
            parse("[1] x").unwrap_err(),
            ParseError { offset: 4, message: "Unexpected text after the JSON value" }
        );
        assert_eq!(parse("\"ab").unwrap_err().offset, 3);
        assert_eq!(parse("").unwrap_err().message, "Unexpected end of input");
    }

    #[test]
    fn spans_cover_each_values_text() {
        let src = " { \"a\" : [1.5e3, \"x\\ny\", {\"b\":null}] , \"c\":true } ";
        let v = parse(src).unwrap();
        assert_eq!(v.text(src), src.trim());
        let a = (&v).get("a").unwrap();
        assert_eq!(a.text(src), r#"[1.5e3, "x\ny", {"b":null}]"#);
        let texts: Vec<&str> = (0..a.len()).map(|i| a.at(i).unwrap().text(src)).collect();
        assert_eq!(texts, ["1.5e3", r#""x\ny""#, r#"{"b":null}"#]);
        assert_eq!(a.at(2).unwrap().get("b").unwrap().text(src), "null");
        assert_eq!((&v).get("c").unwrap().text(src), "true");
    }

    #[test]
    fn escapes_are_decoded_and_plain_strings_borrowed() {
        assert_eq!(string(r#""\"\\\/\b\f\n\r\t""#), "\"\\/\u{8}\u{c}\n\r\t");
        assert_eq!(string(r#""a\u0041b\u00E9\u4e2d""#), "aAbé中");
        assert!(matches!(node(r#""plain é""#), Node::String(Cow::Borrowed("plain é"))));
        assert!(matches!(node(r#""\n""#), Node::String(Cow::Owned(_))));
        assert!(matches!(&parse(r#"{"k":1}"#).unwrap().node, Node::Object(p) if matches!(p[0].0, Cow::Borrowed("k"))));
    }

    #[test]
    fn surrogate_pairs_join_and_lone_surrogates_become_replacement_characters() {
        assert_eq!(string(r#""\ud83d\ude00""#), "😀");
        assert_eq!(string(r#""\uD83D\uDE00""#), "😀");
        assert_eq!(string(r#""\ud83d""#), "\u{fffd}");
        assert_eq!(string(r#""\ude00""#), "\u{fffd}");
        assert_eq!(string(r#""\ud83dx""#), "\u{fffd}x");
        assert_eq!(string(r#""\ud83d\u0041""#), "\u{fffd}A");
        assert_eq!(string(r#""\ud83d\ud83d\ude00""#), "\u{fffd}😀");
        assert_eq!(string(r#""\ude00\ud83d""#), "\u{fffd}\u{fffd}");
        assert!(parse(r#""\ud83d\u00""#).is_err());
        assert!(parse(r#""\ud83d\""#).is_err());
    }

    #[test]
    fn markers_stand_for_what_json_cannot_hold() {
        let src = r#"["\u0000function", "\u0000other", "\u0000nan", "\u0000x", "function"]"#;
        let v = parse(src).unwrap();
        let at = |i| (&v).at(i).unwrap();
        assert_eq!((at(0).kind(), at(0).string(), at(0).number()), (Kind::Function, None, None));
        assert_eq!((at(1).kind(), at(1).string(), at(1).number()), (Kind::Other, None, None));
        assert_eq!((at(2).kind(), at(2).string()), (Kind::Number, None));
        assert!(at(2).number().unwrap().is_nan());
        assert_eq!((at(3).kind(), at(3).string()), (Kind::String, Some("\u{0}x")));
        assert_eq!(at(4).string(), Some("function"));
    }

    #[test]
    fn the_view_reads_objects_as_json_parse_makes_them() {
        let v = parse(r#"{"b":1,"a":2,"b":null,"c":[true]}"#).unwrap();
        let v = &v;
        assert_eq!(v.kind(), Kind::Object);
        assert_eq!(v.keys(), ["b", "a", "c"]);
        assert_eq!(v.get("b").unwrap().kind(), Kind::Null, "the last duplicate, and null is there");
        assert_eq!(v.get("a").unwrap().number(), Some(2.0));
        assert!(v.get("d").is_none());
        assert_eq!((v.len(), v.at(0)), (0, None));
        let c = v.get("c").unwrap();
        assert_eq!((c.kind(), c.len(), c.keys().len(), c.get("0")), (Kind::Array, 1, 0, None));
        assert_eq!(c.at(0).unwrap().kind(), Kind::Bool);
        assert!(c.at(1).is_none());
        let s = &parse(r#""x""#).unwrap();
        assert_eq!((s.kind(), s.string(), s.number(), s.len(), s.keys().len()), (Kind::String, Some("x"), None, 0, 0));
    }

    #[test]
    fn a_shallow_parse_checks_what_it_does_not_build() {
        let src = r##"{"value": [{"id": "a", "target": {"@odata.type": "#x", "groupId": "g"}}, {"target": []}]}"##;
        let v = parse_to(src, 3).unwrap();
        let items = (&v).get("value").unwrap();
        let target = items.at(0).unwrap().get("target").unwrap();
        assert_eq!(target.node, Node::Deep { array: false });
        assert_eq!((target.kind(), target.get("groupId")), (Kind::Object, None));
        assert_eq!(target.text(src), r##"{"@odata.type": "#x", "groupId": "g"}"##);
        assert_eq!(items.at(0).unwrap().get("id").unwrap().string(), Some("a"));
        assert_eq!(items.at(1).unwrap().get("target").unwrap().kind(), Kind::Array);
        // Below the depth, the grammar is still all checked.
        assert!(parse_to(r#"{"value": [{"target": {"a": 01}}]}"#, 3).is_err());
        assert!(parse_to(r#"{"value": [{"target": {"a": 1,}}]}"#, 3).is_err());
        assert_eq!(parse_to("[[[[1]]]]", 0).unwrap().node, Node::Deep { array: true });
    }

    #[test]
    fn deep_nesting_is_checked_without_recursion() {
        let n = 1_000_000;
        let src = "[".repeat(n) + &"]".repeat(n);
        let v = parse(&src).unwrap();
        let mut at = &v;
        for _ in 0..MAX_DEPTH {
            at = at.at(0).unwrap();
        }
        assert_eq!(at.node, Node::Deep { array: true });
        assert_eq!(((&at).kind(), (&at).len()), (Kind::Array, 0));
        assert_eq!(at.text(&src).len(), 2 * (n - MAX_DEPTH));

        let objects = "{\"a\":".repeat(n) + "1" + &"}".repeat(n);
        let v = parse(&objects).unwrap();
        let mut at = &v;
        for _ in 0..MAX_DEPTH {
            at = at.get("a").unwrap();
        }
        assert_eq!(((&at).kind(), (&at).get("a")), (Kind::Object, None));

        // Below MAX_DEPTH, all of the grammar is still checked.
        let deep = |inner: &str| "[".repeat(MAX_DEPTH) + inner + &"]".repeat(MAX_DEPTH);
        let good = r#"[{"a": [1, "]}", {}, [], {"b": [null, -0.5e1], "c": {"d": 1, "e": {}}}]} ,2]"#;
        assert!(parse(&deep(good)).is_ok());
        assert_eq!(parse(&deep("[]")).unwrap().text(&deep("[]")).len(), 2 * MAX_DEPTH + 2);
        let bad = ["[01]", "[1,]", r#"{"a" 1}"#, r#"{"a":1,2}"#, r#"{1:2}"#, r#"{"a":}"#, "[1}", r#"{"a":1]"#];
        for bad in bad.into_iter().chain(["[\"\u{1}\"]", "[tru]", "[[]", "[]]", "[", "[\"\\x\"]"]) {
            assert!(parse(&deep(bad)).is_err(), "{bad}");
        }
        assert!(parse(&("[".repeat(n) + &"]".repeat(n - 1))).is_err());
        assert!(parse(&("[".repeat(n) + &"]".repeat(n + 1))).is_err());
        assert!(parse(&("[".repeat(n) + &"}".repeat(n))).is_err());
    }

    #[test]
    fn numbers_are_read_exactly_where_it_matters() {
        for (text, want) in [
            ("0", 0.0),
            ("7", 7.0),
            ("-12", -12.0),
            ("0.5", 0.5),
            ("1.25", 1.25),
            ("1e3", 1e3),
            ("2.5E-3", 2.5e-3),
            ("0.1", 0.1),
            ("0.000001", 0.000001),
            ("9007199254740992", 9007199254740992.0),
            ("-9007199254740992", -9007199254740992.0),
            ("1e22", 1e22),
            ("1e23", 1e23),
            ("1e309", f64::INFINITY),
            ("-1e309", f64::NEG_INFINITY),
            ("1e-400", 0.0),
            ("0e999999999999999999999", 0.0),
            ("1e99999999999999999999999", f64::INFINITY),
            ("1e-99999999999999999999999", 0.0),
            ("1.7976931348623157e308", f64::MAX),
            ("5e-324", 5e-324),
            ("2.2250738585072014e-308", f64::MIN_POSITIVE),
        ] {
            assert_eq!(number(text), want, "{text}");
        }
        assert!(number("-0").is_sign_negative());
        for whole in
            [1u64, 10, 4_294_967_297, 123_456_789_012_345, (1 << 53) - 1, 1 << 53, 1 << 60, 10_000_000_000_000_000_000]
        {
            assert_eq!(number(&whole.to_string()), whole as f64, "{whole}");
        }
        // Exact ties round to even, as in `str::parse`.
        assert_eq!(number("9007199254740993"), 9007199254740992.0);
        assert_eq!(number("9007199254740995"), 9007199254740996.0);
        assert_eq!(number(&("1".to_owned() + &"0".repeat(400) + "e-400")), 1.0);
        assert_eq!(number(&("0.".to_owned() + &"0".repeat(400) + "1e400")), 0.1);
        assert_eq!(number(&"9".repeat(10_000)), f64::INFINITY);
    }

    /// Within an ulp of `str::parse` (which rounds correctly) across the whole range.
    #[test]
    fn numbers_are_within_an_ulp_of_str_parse() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..200_000 {
            let mut text = String::new();
            if next(2) == 0 {
                text.push('-');
            }
            let digits = 1 + next(25);
            for i in 0..digits {
                text.push(char::from(b'0' + if i == 0 { 1 + next(9) as u8 } else { next(10) as u8 }));
            }
            if next(2) == 0 {
                text.push('.');
                for _ in 0..1 + next(20) {
                    text.push(char::from(b'0' + next(10) as u8));
                }
            }
            if next(4) != 0 {
                text.push_str(&format!("e{}", next(700) as i64 - 350));
            }
            let (ours, std) = (number(&text), text.parse::<f64>().unwrap());
            assert!(ours.to_bits().abs_diff(std.to_bits()) <= 1, "{text}: {ours:e} vs {std:e}");
        }
    }
}
