//! The one value tree the core reads its input (and Graph's answers) as.
//!
//! It is built through `serde::Deserialize` with a single `deserialize_any` visitor: in the wasm
//! serde-wasm-bindgen builds it from the caller's JavaScript values, on the host serde_json from
//! JSON text. Validation walks it through [`JsonView`], so it reports every problem at once, each
//! with its path; serde's derives on the final types would stop at the first.
//!
//! Two kinds exist that JSON has not: [`Tree::Function`], which the wasm shell puts where the
//! caller gave a function (a token function, `options.fetch`), and [`Tree::Other`], for what no
//! rule can accept (a symbol, a bigint, a value whose getter threw, nesting past [`MAX_DEPTH`],
//! values past [`MAX_VALUES`]).

use crate::json::{JsonView, Kind};
use crate::prelude::*;
use core::cell::Cell;
use core::fmt;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// How deep a value is read. Graph's deepest input is four levels (`assignments[i].target.x`);
/// past this, a value is [`Tree::Other`], and a cycle or a 10,000-deep nesting cannot exhaust
/// the stack.
pub const MAX_DEPTH: usize = 64;

/// How many values one argument may hold. A JavaScript value can share an object many times
/// over (`a = [b, b]`, `b = [c, c]`, ...: 2^40 paths in 40 levels), which a walk would read
/// for ever; past this, the rest is [`Tree::Other`]. A call of 100,000 assignments is about
/// 600,000 values.
pub const MAX_VALUES: usize = 1_000_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Tree>),
    /// Properties in the order they came (and a later duplicate shadows nothing: the first wins).
    Object(Vec<(String, Tree)>),
    Function,
    Other,
}

impl Tree {
    /// The property `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        match self {
            Tree::Object(props) => props.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl<'de> de::Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let budget = Budget::new();
        Depth { depth: 0, budget: &budget }.deserialize(d)
    }
}

/// The property that stands for the rest of an object a walk stopped reading: no rule knows it,
/// so the call is refused there, never sent with part of its input.
pub const CUT: &str = "(more than one call can read)";

/// How many more values a walk may read (see [`MAX_VALUES`]), and whether the cut was marked.
pub struct Budget {
    left: Cell<usize>,
    marked: Cell<bool>,
}

impl Budget {
    pub fn new() -> Self {
        Budget::of(MAX_VALUES)
    }

    pub fn of(values: usize) -> Self {
        Budget { left: Cell::new(values), marked: Cell::new(false) }
    }

    /// Takes one value; false once there are none left.
    pub fn take(&self) -> bool {
        let left = self.left.get();
        self.left.set(left.saturating_sub(1));
        left > 0
    }

    pub fn spent(&self) -> bool {
        self.left.get() == 0
    }

    /// Whether `items` more values cannot all be read: an array that says it is longer is
    /// refused whole, at once, rather than read up to the limit.
    pub fn short_of(&self, items: usize) -> bool {
        items > self.left.get()
    }

    /// Whether the container that stopped reading should end with an [`Tree::Other`] where the
    /// walk was cut: only the innermost one, so the problem is reported once, where it is.
    pub fn mark_cut(&self) -> bool {
        !self.marked.replace(true)
    }
}

impl Default for Budget {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads one value `depth` levels down.
#[derive(Clone, Copy)]
struct Depth<'b> {
    depth: usize,
    budget: &'b Budget,
}

impl<'de> DeserializeSeed<'de> for Depth<'_> {
    type Value = Tree;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        if self.depth >= MAX_DEPTH || !self.budget.take() {
            // Not descended into (serde-wasm-bindgen reads nothing of it).
            d.deserialize_ignored_any(de::IgnoredAny)?;
            return Ok(Tree::Other);
        }
        d.deserialize_any(self)
    }
}

impl Depth<'_> {
    fn inner(self) -> Self {
        Depth { depth: self.depth + 1, budget: self.budget }
    }

    /// Whether a container may read one more item: not once the budget is spent (what is left
    /// of the container is not read at all).
    fn more(self) -> bool {
        !self.budget.spent()
    }
}

/// An item that could not be read (a JavaScript Set, a bigint past 64 bits) is `Other`, and
/// reading stops there: after an error serde's contract says nothing of what a deserializer can
/// still give. The other problems of the call are still reported.
fn or_other<T, E>(r: Result<Option<T>, E>, out: &mut Vec<T>, other: impl FnOnce() -> T) -> bool {
    match r {
        Ok(Some(v)) => {
            out.push(v);
            true
        }
        Ok(None) => false,
        Err(_) => {
            out.push(other());
            false
        }
    }
}

impl<'de> Visitor<'de> for Depth<'_> {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_unit<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }
    fn visit_none<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        self.deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Tree, E> {
        Ok(Tree::String(v))
    }
    /// A typed array or an ArrayBuffer: no rule takes bytes.
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Tree, E> {
        Ok(Tree::Other)
    }
    fn visit_byte_buf<E>(self, _: Vec<u8>) -> Result<Tree, E> {
        Ok(Tree::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        if seq.size_hint().is_some_and(|n| self.budget.short_of(n)) {
            return Ok(Tree::Other);
        }
        let inner = self.inner();
        // A hint is the caller's to give: at most what a call can reasonably hold up front.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while self.more() && or_other(seq.next_element_seed(inner), &mut items, || Tree::Other) {}
        if !self.more() && self.budget.mark_cut() {
            items.push(Tree::Other);
        }
        Ok(Tree::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let inner = self.inner();
        let mut props: Vec<(String, Tree)> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while self.more() {
            // A key that cannot be read (a JavaScript Map's object key) refuses the whole value:
            // going on past it would read what is left as if nothing were missing.
            let Some(key) = map.next_key::<String>()? else { break };
            let value = map.next_value_seed(inner).unwrap_or(Tree::Other);
            props.push((key, value));
        }
        if !self.more() && self.budget.mark_cut() {
            props.push((CUT.into(), Tree::Other));
        }
        Ok(Tree::Object(props))
    }
}

impl<'t> JsonView for &'t Tree {
    type Str = &'t str;

    fn kind(&self) -> Kind {
        match self {
            Tree::Null => Kind::Null,
            Tree::Bool(_) => Kind::Bool,
            Tree::Number(_) => Kind::Number,
            Tree::String(_) => Kind::String,
            Tree::Array(_) => Kind::Array,
            Tree::Object(_) => Kind::Object,
            Tree::Function => Kind::Function,
            Tree::Other => Kind::Other,
        }
    }
    fn string(&self) -> Option<&'t str> {
        match self {
            Tree::String(s) => Some(s),
            _ => None,
        }
    }
    fn number(&self) -> Option<f64> {
        match self {
            Tree::Number(n) => Some(*n),
            _ => None,
        }
    }
    fn get(&self, key: &str) -> Option<Self> {
        Tree::get(self, key)
    }
    fn keys(&self) -> Vec<String> {
        match self {
            Tree::Object(props) => {
                // A plain loop, not a map's collect: less wasm for the same keys.
                let mut keys = Vec::with_capacity(props.len());
                for (k, _) in props {
                    keys.push(k.clone());
                }
                keys
            }
            _ => Vec::new(),
        }
    }
    fn has_only(&self, names: &[&str]) -> bool {
        match self {
            Tree::Object(props) => props.iter().all(|(k, _)| names.contains(&k.as_str())),
            _ => true,
        }
    }
    fn len(&self) -> usize {
        match self {
            Tree::Array(items) => items.len(),
            _ => 0,
        }
    }
    fn at(&self, index: usize) -> Option<Self> {
        match self {
            Tree::Array(items) => items.get(index),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(json: &str) -> Tree {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn json_becomes_the_tree() {
        let t = tree(r#"{"a":[1,true,null,"x"],"b":{"c":2.5}}"#);
        assert_eq!(
            t,
            Tree::Object(vec![
                (
                    "a".into(),
                    Tree::Array(vec![Tree::Number(1.0), Tree::Bool(true), Tree::Null, Tree::String("x".into())])
                ),
                ("b".into(), Tree::Object(vec![("c".into(), Tree::Number(2.5))])),
            ])
        );
        assert_eq!(t.get("b").and_then(|b| b.get("c")).and_then(|c| (&c).number()), Some(2.5));
    }

    #[test]
    fn nesting_past_the_limit_is_other() {
        let deep = joined(&[&"[".repeat(MAX_DEPTH + 1), "1", &"]".repeat(MAX_DEPTH + 1)]);
        let mut t = &tree(&deep);
        for _ in 0..MAX_DEPTH {
            t = match t {
                Tree::Array(items) => &items[0],
                other => panic!("not an array: {other:?}"),
            };
        }
        assert_eq!(t, &Tree::Other);
    }

    #[test]
    fn a_walk_stops_at_the_budget() {
        let budget = Budget::of(5);
        assert!(budget.take());
        let seed = Depth { depth: 0, budget: &budget };
        // The array and three items use the budget up; the walk reads no further, which
        // serde_json (whose text goes on) reports as an error, and serde-wasm-bindgen (whose
        // array does not care) as the items read, then `Other`.
        let mut de = serde_json::Deserializer::from_str("[1,2,3,4,5,6,7,8]");
        assert!(seed.deserialize(&mut de).is_err());
        assert!(!budget.take());
    }
}
