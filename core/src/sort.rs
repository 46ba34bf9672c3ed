//! A small stable sort for the short lists the engine orders.
//!
//! `slice::sort` is a few kilobytes of code for every element type and comparison it is used
//! with; in the browser build the engine's handful of sorts added up to about 30 KB. The lists
//! sorted here are short (a quote's documents and adjustments, a jurisdiction's postal zones,
//! candidate names for an error), so an insertion sort is as fast and a few hundred bytes.

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
}
