//! A read-only view of JSON-like values, and a small JSON writer.
//!
//! Validation and response checks are written once against [`JsonView`]. The view is a
//! [`crate::tree::Tree`], built by serde from the caller's JS values (or Graph's parsed answer);
//! in the host's tests it can also be a `serde_json::Value`.

use crate::prelude::*;

/// What kind of value a [`JsonView`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
    Function,
    /// What cannot be read as data and is not a function: a symbol, a bigint, a proxy or getter
    /// that throws, a boxed string, or more than one call reads.
    Other,
}

impl Kind {
    /// The word used in messages: "got a number".
    pub fn described(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
            Kind::Function => "a function",
            Kind::Other => "a value that cannot be read as data",
        }
    }
}

/// Read access to a JSON-like value. `get` and `at` answer `None` for a missing property,
/// an `undefined` one, or one whose getter throws: all three are "not there" to Graph.
pub trait JsonView: Sized + Clone {
    /// A string's text, borrowed from the value (no copy: validation reads every string of a
    /// call, and keeps few).
    type Str: core::ops::Deref<Target = str> + Into<String>;
    fn kind(&self) -> Kind;
    fn string(&self) -> Option<Self::Str>;
    fn number(&self) -> Option<f64>;
    fn get(&self, key: &str) -> Option<Self>;
    /// Own enumerable property names, in order; empty for non-objects.
    fn keys(&self) -> Vec<String>;
    /// Array length; 0 for non-arrays.
    fn len(&self) -> usize;
    fn at(&self, index: usize) -> Option<Self>;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every property name is one of `names` (the common case, checked without
    /// allocating where the view can).
    fn has_only(&self, names: &[&str]) -> bool {
        self.keys().iter().all(|k| names.contains(&k.as_str()))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'v> JsonView for &'v serde_json::Value {
    type Str = &'v str;
    fn kind(&self) -> Kind {
        match self {
            serde_json::Value::Null => Kind::Null,
            serde_json::Value::Bool(_) => Kind::Bool,
            serde_json::Value::Number(_) => Kind::Number,
            serde_json::Value::String(_) => Kind::String,
            serde_json::Value::Array(_) => Kind::Array,
            serde_json::Value::Object(_) => Kind::Object,
        }
    }
    fn string(&self) -> Option<&'v str> {
        self.as_str()
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object().and_then(|o| o.get(key))
    }
    fn keys(&self) -> Vec<String> {
        self.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
    }
    fn len(&self) -> usize {
        self.as_array().map_or(0, Vec::len)
    }
    fn at(&self, index: usize) -> Option<Self> {
        self.as_array().and_then(|a| a.get(index))
    }
}

/// Appends `s` to `out` as a JSON string literal. Runs of plain text are copied whole: this is
/// on the path of every request body, for every assignment.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both cuts are on character boundaries.
        out.push_str(s.get(run..i).unwrap_or_default());
        if escaped.is_empty() {
            out.push_str("\\u00");
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0xf));
        } else {
            out.push_str(escaped);
        }
        run = i + 1;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
}

/// Appends `[a,b,...]` to `out`, each item written by `write`.
pub fn write_array<T>(out: &mut String, items: &[T], write: impl Fn(&T, &mut String)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(item, out);
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_json_requires() {
        let mut out = String::new();
        write_string(&mut out, "a\"b\\c\n\u{1}é");
        assert_eq!(out, r#""a\"b\\c\n\u0001é""#);
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "a\"b\\c\n\u{1}é");
    }
}
