//! Finding what a list holds twice, in O(n log n): lists of assignments, pool ids and activation
//! codes run to tens of thousands, where comparing every pair would take seconds.
//!
//! Keys are strings and every sort here is the one heapsort of `(String, usize)`: the
//! standard sorts are faster on some inputs but compile to kilobytes of wasm each.

use crate::prelude::*;

/// `(key, index)` of every item with a key, sorted by key, then index.
pub fn sorted(mut keys: Vec<Option<String>>) -> Vec<(String, usize)> {
    // A loop into a Vec made once, rather than a filter_map's collect: less wasm, and no regrowing.
    // The keys are taken out in place: an iterator that owns them compiled a drop of its own.
    let mut keyed: Vec<(String, usize)> = Vec::with_capacity(keys.len());
    for (i, k) in keys.iter_mut().enumerate() {
        if let Some(k) = k.take() {
            keyed.push((k, i));
        }
    }
    heapsort(&mut keyed);
    keyed
}

/// In place, O(n log n) in every case, and a few hundred bytes of wasm.
fn heapsort<T: Ord>(v: &mut [T]) {
    let n = v.len();
    for root in (0..n / 2).rev() {
        sift_down(v, root, n);
    }
    for end in (1..n).rev() {
        swap(v, 0, end);
        sift_down(v, 0, end);
    }
}

/// Moves `v[root]` down the heap held in `v[..end]` until both its children are smaller.
fn sift_down<T: Ord>(v: &mut [T], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(v, child, child + 1) {
            child += 1;
        }
        if !less(v, root, child) {
            return;
        }
        swap(v, root, child);
        root = child;
    }
}

/// Whether `v[a] < v[b]`, both in bounds: the items compared themselves, where comparing the
/// `Option`s of `get` compiled an ordering of options of its own.
fn less<T: Ord>(v: &[T], a: usize, b: usize) -> bool {
    matches!((v.get(a), v.get(b)), (Some(x), Some(y)) if x < y)
}

/// Swaps `v[a]` and `v[b]`, `a < b`, as `slice::swap` does without its bounds check's panic
/// (and the panic's message and source location in the wasm): out of bounds, nothing is done.
fn swap<T>(v: &mut [T], a: usize, b: usize) {
    if let Some([first, .., last]) = v.get_mut(a..=b) {
        core::mem::swap(first, last);
    }
}

/// For each item whose key appeared earlier in the list: `(its index, the index of the key's first
/// appearance)`, in index order. Items whose key is `None` are never repeats.
pub fn repeats(keys: Vec<Option<String>>) -> Vec<(usize, usize)> {
    let len = keys.len();
    repeats_in(&sorted(keys), len)
}

/// [`repeats`] of a list of `len` items whose keys are already [`sorted`].
pub fn repeats_in(sorted: &[(String, usize)], len: usize) -> Vec<(usize, usize)> {
    // For each item, 1 + the index of its key's first appearance when it is a repeat, else 0:
    // a list of zeros is allocated zeroed, where one of `None`s was written item by item, and
    // is read by reference, without an iterator that owns it (and its drop) to compile.
    let mut first_of: Vec<usize> = vec![0; len];
    let mut run: Option<(&str, usize)> = None;
    for (key, i) in sorted {
        match run {
            Some((k, first)) if k == key => {
                if let Some(slot) = first_of.get_mut(*i) {
                    *slot = first + 1;
                }
            }
            _ => run = Some((key, *i)),
        }
    }
    let mut out = Vec::new();
    for (i, first) in first_of.iter().enumerate() {
        if *first > 0 {
            out.push((i, first - 1));
        }
    }
    out
}

/// Whether `key` is among `sorted`'s keys.
pub fn contains(sorted: &[(String, usize)], key: &str) -> bool {
    sorted.binary_search_by(|(k, _)| k.as_str().cmp(key)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heapsort_sorts() {
        let mut seed = 7u32;
        for len in [0, 1, 2, 3, 10, 100, 1000] {
            let mut v: Vec<u32> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    seed % 50
                })
                .collect();
            let mut expected = v.clone();
            expected.sort();
            heapsort(&mut v);
            assert_eq!(v, expected);
        }
    }

    fn keys(k: &[Option<&str>]) -> Vec<Option<String>> {
        k.iter().map(|k| k.map(str::to_owned)).collect()
    }

    #[test]
    fn repeats_point_to_the_first_appearance() {
        assert_eq!(
            repeats(keys(&[Some("a"), Some("b"), Some("a"), None, Some("b"), Some("a"), None])),
            [(2, 0), (4, 1), (5, 0)]
        );
        assert_eq!(repeats(Vec::new()), []);
        assert_eq!(repeats(keys(&[None, None])), []);
        let s = sorted(keys(&[Some("b"), None, Some("a")]));
        assert_eq!(s, [("a".to_owned(), 2), ("b".to_owned(), 0)]);
        assert!(contains(&s, "a") && !contains(&s, "c"));
    }
}
