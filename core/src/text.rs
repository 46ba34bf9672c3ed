//! Plain substring search for short texts.
//!
//! `str::find`, `contains` and `split_once` with a `&str` pattern bring core's Two-Way
//! searcher and its panic paths (which format `Debug` output with Unicode tables): about 8 KB
//! of the browser build. The texts searched here (an error message, a procedure's names) are
//! a few hundred bytes, where a plain scan is as fast.

/// The byte offset of the first `needle` in `hay`.
///
/// A match of valid UTF-8 in valid UTF-8 starts and ends on character boundaries.
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// Whether `needle` occurs in `hay`.
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// `hay` split around the first `separator`, like [`str::split_once`].
pub(crate) fn split_once<'a>(hay: &'a str, separator: &str) -> Option<(&'a str, &'a str)> {
    let at = find(hay, separator)?;
    Some((hay.get(..at)?, hay.get(at.checked_add(separator.len())?..)?))
}

/// The byte offset of the last `needle` in `hay`.
pub(crate) fn rfind(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(hay.len());
    }
    hay.as_bytes()
        .windows(needle.len())
        .rposition(|w| w == needle.as_bytes())
}

/// `hay` split around the last `separator`, like [`str::rsplit_once`].
pub(crate) fn rsplit_once<'a>(hay: &'a str, separator: &str) -> Option<(&'a str, &'a str)> {
    let at = rfind(hay, separator)?;
    Some((hay.get(..at)?, hay.get(at.checked_add(separator.len())?..)?))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_str(hay in "[aăb ệ]{0,12}", needle in "[aăb ệ]{0,3}") {
            prop_assert_eq!(super::find(&hay, &needle), hay.find(needle.as_str()));
            prop_assert_eq!(super::split_once(&hay, &needle), hay.split_once(needle.as_str()));
            prop_assert_eq!(super::contains(&hay, &needle), hay.contains(needle.as_str()));
            prop_assert_eq!(super::rfind(&hay, &needle), hay.rfind(needle.as_str()));
            prop_assert_eq!(super::rsplit_once(&hay, &needle), hay.rsplit_once(needle.as_str()));
        }
    }
}
