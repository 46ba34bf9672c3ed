//! Small stable sorts: an insertion sort for the short lists the engine orders, and a merge
//! sort of indices for the lists that may be long.
//!
//! `slice::sort` is a few kilobytes of code for every element type and comparison it is used
//! with; in the browser build the engine's handful of sorts added up to about 30 KB. Most lists
//! sorted here are short (a quote's documents and adjustments, a jurisdiction's postal zones,
//! candidate names for an error), so an insertion sort is as fast and a few hundred bytes.
//! A library's ids and rule files come from rule text, which may be large, so they are ordered
//! by [`sorted_indices`] in O(n log n), with one instantiation for every use.

/// Sorts `v` stably so that no element is `less` than the one before it. O(n²): only for
/// lists of at most a few dozen elements.
pub(crate) fn small_sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 {
            let before = j.saturating_sub(1);
            match (v.get(j), v.get(before)) {
                (Some(x), Some(y)) if less(x, y) => v.swap(j, before),
                _ => break,
            }
            j = before;
        }
    }
}

/// [`small_sort_by`] in the natural order.
pub(crate) fn small_sort<T: Ord>(v: &mut [T]) {
    small_sort_by(v, |a, b| a < b);
}

/// The indices `0..n`, stably ordered so that for no two neighbours is the element of the
/// second `less` than that of the first. A merge sort, O(n log n) comparisons.
pub(crate) fn sorted_indices(n: usize, mut less: impl FnMut(usize, usize) -> bool) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    let mut scratch = Vec::with_capacity(n);
    merge_sort(&mut v, &mut scratch, &mut less);
    v
}

fn merge_sort(
    v: &mut [usize],
    scratch: &mut Vec<usize>,
    less: &mut impl FnMut(usize, usize) -> bool,
) {
    if v.len() <= 16 {
        small_sort_by(v, |&a, &b| less(a, b));
        return;
    }
    let mid = v.len() / 2;
    let (left, right) = v.split_at_mut(mid);
    merge_sort(left, scratch, less);
    merge_sort(right, scratch, less);
    scratch.clear();
    let mut l = left.iter().copied().peekable();
    let mut r = right.iter().copied().peekable();
    loop {
        // Ties take the left element first: stable.
        let take_right = match (l.peek(), r.peek()) {
            (Some(&a), Some(&b)) => less(b, a),
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (None, None) => break,
        };
        scratch.extend(if take_right { r.next() } else { l.next() });
    }
    // `scratch` holds exactly the elements of both halves.
    for (slot, &x) in v.iter_mut().zip(scratch.iter()) {
        *slot = x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_is_stable() {
        let mut seed = 7u64;
        for len in 0..40 {
            let mut v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|p| p.0);
            small_sort_by(&mut v, |a, b| a.0 < b.0);
            assert_eq!(v, expected);
            let mut plain: Vec<u8> = v.iter().map(|p| p.0).rev().collect();
            small_sort(&mut plain);
            assert!(plain.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    #[test]
    fn sorted_indices_order_like_the_standard_library_and_are_stable() {
        let mut seed = 11u64;
        for len in (0..70).chain([1000, 4097]) {
            let keys: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (seed >> 58) as u8
                })
                .collect();
            let mut expected: Vec<usize> = (0..len).collect();
            expected.sort_by_key(|&i| keys[i]);
            assert_eq!(
                sorted_indices(len, |a, b| keys[a] < keys[b]),
                expected,
                "{len}"
            );
        }
        // Reverse order, the insertion sort's worst case, in O(n log n) comparisons.
        let n = 100_000;
        let mut comparisons = 0u64;
        let order = sorted_indices(n, |a, b| {
            comparisons += 1;
            a > b
        });
        assert!(order.iter().rev().copied().eq(0..n));
        assert!(comparisons < 2_000_000, "{comparisons}");
    }
}
