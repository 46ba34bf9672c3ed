//! Limits on untrusted input. Each says what it prevents and why it has its value.

use crate::{Error, ErrorKind};

/// Largest rule file, in bytes. The largest real document in the library is a few KB; the
/// biggest fee circulars encode in well under 100 KB. 1 MiB leaves room and stops a page from
/// freezing the browser on a pasted multi-megabyte file.
pub const MAX_RULE_FILE_BYTES: usize = 1024 * 1024;

/// Most rule files in one library: the Vietnamese library has a few dozen; 4,096 covers one
/// file per document for every province for decades.
pub const MAX_RULE_FILES: usize = 4096;

/// Largest request, in bytes. A request has a handful of fields; 64 KiB stops memory abuse
/// through huge category lists or input maps.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// Largest count input (`pages`, `copies`, ...). Real dossiers have at most thousands of pages;
/// the cap keeps every product of count × price far from decimal overflow.
pub const MAX_COUNT: u64 = 1_000_000;

/// Largest money input, in đồng (10^18). The largest values priced (registration fees on
/// buildings) are far below; this keeps `rate × value` exact in 96-bit decimals.
pub const MAX_MONEY_DIGITS: u32 = 18;

/// Largest postage weight in grams (100 kg): dossiers weigh grams to a few kilograms.
pub const MAX_WEIGHT_GRAMS: u32 = 100_000;

pub(crate) fn check_len(what: &str, len: usize, max: usize) -> Result<(), Error> {
    if len > max {
        return Err(Error::new(ErrorKind::LimitExceeded {
            what: format!("{what} size ({len} bytes)"),
            limit: u64::try_from(max).unwrap_or(u64::MAX),
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_max_passes_and_one_more_fails() {
        assert!(check_len("x", MAX_REQUEST_BYTES, MAX_REQUEST_BYTES).is_ok());
        let e = check_len("x", MAX_REQUEST_BYTES + 1, MAX_REQUEST_BYTES);
        assert_eq!(e.map_err(|e| e.code()), Err("limit_exceeded"));
    }
}
