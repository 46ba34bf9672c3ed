//! Which rows of a record batch ask the same thing.
//!
//! Each column the request reads is turned into small codes, one per row (0 for null, then one
//! code per distinct value, in the order first seen), in a tight loop over that column alone,
//! and the codes are folded straight into one integer per row (mixed radix: exact, no hash
//! collisions to worry about). The integers are then numbered densely. Two rows get the same
//! number exactly when every column holds the same cell for both.
//!
//! Columns that are constant in the batch are recognised in one pass and skipped; integer
//! columns with a small range (dates, counts) index directly; text goes through a hash table of
//! the distinct values. When the product of the columns' value counts would overflow 64 bits,
//! the keys folded so far are renumbered densely first (at most one per row), so folding stays
//! exact for any table.

use hashbrown::HashTable;

/// FxHash of a byte string (the keys are the caller's own data, not secret).
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}

fn hash_u64(v: u64) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write_u64(v);
    h.finish()
}

/// The longest cell compared as words rather than bytes.
const SHORT: usize = 32;

/// A string of at most [`SHORT`] bytes as four words and its length: equal strings give
/// equal keys and different ones different keys, so short cells compare without a memcmp.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Short(u64, u64, u64, u64, usize);

impl Short {
    /// Every byte is covered by overlapping fixed-width loads (the first and the last 8 bytes,
    /// and the middle words of longer cells; 4- and 2-byte windows below 8 bytes). Given the
    /// length, the words determine the bytes, so equal keys mean equal strings.
    fn of(bytes: &[u8]) -> Option<Short> {
        let n = bytes.len();
        let u64_at = |i: usize| {
            bytes
                .get(i..i + 8)
                .and_then(|w| w.try_into().ok())
                .map_or(0, u64::from_le_bytes)
        };
        let u32_at = |i: usize| {
            bytes
                .get(i..i + 4)
                .and_then(|w| w.try_into().ok())
                .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
        };
        let u16_at = |i: usize| {
            bytes
                .get(i..i + 2)
                .and_then(|w| w.try_into().ok())
                .map_or(0, |w| u64::from(u16::from_le_bytes(w)))
        };
        Some(match n {
            0 => Short(0, 0, 0, 0, 0),
            1 => Short(bytes.first().map_or(0, |&b| u64::from(b)), 0, 0, 0, 1),
            2..=3 => Short(u16_at(0) | (u16_at(n - 2) << 16), 0, 0, 0, n),
            4..=7 => Short(u32_at(0) | (u32_at(n - 4) << 32), 0, 0, 0, n),
            8..=16 => Short(u64_at(0), u64_at(n - 8), 0, 0, n),
            17..=24 => Short(u64_at(0), u64_at(8), u64_at(n - 8), 0, n),
            25..=SHORT => Short(u64_at(0), u64_at(8), u64_at(16), u64_at(n - 8), n),
            _ => return None,
        })
    }

    /// Equality without a branch per word (the few-values scan runs once per row).
    fn same(&self, other: &Short) -> bool {
        ((self.0 ^ other.0)
            | (self.1 ^ other.1)
            | (self.2 ^ other.2)
            | (self.3 ^ other.3)
            | (self.4 ^ other.4) as u64)
            == 0
    }

    fn hash(&self) -> u64 {
        hash_u64(
            self.0
                ^ self.1.rotate_left(17)
                ^ self.2.rotate_left(31)
                ^ self.3.rotate_left(47)
                ^ self.4 as u64,
        )
    }
}

/// Dense codes for byte strings: 1, 2, ... in the order first seen. The distinct values are
/// copied into one arena, so lookups compare against compact memory; strings of up to 32 bytes
/// (the usual procedure ids, channels, slugs) are compared as four words.
pub(crate) struct Coder {
    table: HashTable<(u64, usize, usize, u32)>,
    short: HashTable<(Short, u32)>,
    arena: Vec<u8>,
    /// Every short cell seen so far while there are at most [`FEW`] of them (channels, kinds,
    /// directions), in a fixed array scanned without a branch per entry (unused entries hold
    /// [`NO_CELL`], which no cell equals). `None` once there are more.
    few: Option<[(Short, u32); FEW]>,
    /// How many entries of `few` are used.
    few_len: usize,
    /// The last cell found in `few`, and its code.
    last: (Short, u32),
    /// A direct-mapped cache in front of `short`, indexed by the top bits of the hash: with
    /// tens of distinct values (procedure ids) most rows are answered by one comparison.
    recent: Vec<(Short, u32)>,
}

/// How many distinct short cells are looked up by a linear scan.
const FEW: usize = 4;

/// No cell has this length, so no cell equals it.
const NO_CELL: Short = Short(0, 0, 0, 0, usize::MAX);

/// Slots of `Coder::recent` (a power of two).
const RECENT_BITS: u32 = 10;

impl Default for Coder {
    fn default() -> Coder {
        Coder {
            table: HashTable::new(),
            short: HashTable::new(),
            arena: Vec::new(),
            few: Some([(NO_CELL, 0); FEW]),
            few_len: 0,
            last: (NO_CELL, 0),
            recent: Vec::new(),
        }
    }
}

impl Coder {
    fn next_code(&self) -> u32 {
        // There are at most as many codes as rows, and the caller refuses batches of 2^32 rows.
        u32::try_from(self.table.len() + self.short.len())
            .unwrap_or(u32::MAX - 1)
            .saturating_add(1)
    }

    /// The code of `bytes` (≥ 1).
    pub(crate) fn code(&mut self, bytes: &[u8]) -> u32 {
        match Short::of(bytes) {
            Some(key) => self.code_short(key),
            None => self.code_long(bytes),
        }
    }

    /// The code of a short cell.
    fn code_short(&mut self, key: Short) -> u32 {
        let hash = match &self.few {
            Some(few) => {
                // Runs of one value (a log sorted by channel or date) skip the scan.
                if key.same(&self.last.0) {
                    return self.last.1;
                }
                // codes are ≥ 1 and at most one entry matches
                let found = few.iter().fold(0, |found, (k, code)| {
                    found | (code & u32::from(k.same(&key)).wrapping_neg())
                });
                if found != 0 {
                    self.last = (key, found);
                    return found;
                }
                key.hash()
            }
            None => {
                let hash = key.hash();
                let slot = (hash >> (64 - RECENT_BITS)) as usize;
                if let Some((k, code)) = self.recent.get(slot) {
                    if k.same(&key) {
                        return *code;
                    }
                }
                if let Some(&(_, code)) = self.short.find(hash, |&(k, _)| k == key) {
                    if let Some(entry) = self.recent.get_mut(slot) {
                        *entry = (key, code);
                    }
                    return code;
                }
                hash
            }
        };
        let code = self.next_code();
        self.short
            .insert_unique(hash, (key, code), |(k, _)| k.hash());
        if let Some(few) = &mut self.few {
            if let Some(entry) = few.get_mut(self.few_len) {
                *entry = (key, code);
                self.few_len += 1;
            } else {
                self.few = None;
                self.recent = vec![(NO_CELL, 0); 1 << RECENT_BITS];
            }
        }
        code
    }

    /// The code of a cell longer than [`SHORT`].
    fn code_long(&mut self, bytes: &[u8]) -> u32 {
        let hash = hash_bytes(bytes);
        let arena = &self.arena;
        if let Some(&(_, _, _, code)) = self.table.find(hash, |&(h, start, end, _)| {
            h == hash && arena.get(start..end) == Some(bytes)
        }) {
            return code;
        }
        let code = self.next_code();
        let start = self.arena.len();
        self.arena.extend_from_slice(bytes);
        let end = self.arena.len();
        self.table
            .insert_unique(hash, (hash, start, end, code), |&(h, _, _, _)| h);
        code
    }
}

/// The folded keys of a batch's rows.
///
/// Columns are folded one at a time: `key += code × weight`, where `weight` is the product of
/// the code counts of the columns folded before. Codes are below `rows + 2`, so a column is
/// folded only while `weight × (rows + 2)` fits in 64 bits; otherwise the keys are renumbered
/// densely first (then `weight ≤ rows`). Two rows get equal keys exactly when every folded
/// column has equal codes for both.
pub(crate) struct RowKeys {
    keys: Vec<u64>,
    /// Every key is below this.
    weight: u64,
}

/// Rows numbered by what they ask: `id[row]` in `0..first_rows.len()`, and for each number the
/// first row that has it.
pub(crate) struct Distinct {
    pub(crate) id: Vec<u32>,
    pub(crate) first_rows: Vec<usize>,
}

impl RowKeys {
    pub(crate) fn new(rows: usize) -> RowKeys {
        RowKeys {
            keys: vec![0; rows],
            weight: 1,
        }
    }

    fn rows(&self) -> usize {
        self.keys.len()
    }

    /// Makes room for one more column whose codes are at most `rows + 1`.
    fn make_room(&mut self) {
        let limit = (self.rows() as u64).saturating_add(2);
        if self.weight.checked_mul(limit).is_none() {
            let distinct = self.number();
            self.keys = distinct.id.iter().map(|&i| u64::from(i)).collect();
            self.weight = distinct.first_rows.len().max(1) as u64;
        }
    }

    /// Folds codes (each at most `rows + 1`) given row by row; returns the largest.
    pub(crate) fn fold_codes(&mut self, mut code_at: impl FnMut(usize) -> u32) -> u32 {
        self.make_room();
        let w = self.weight;
        let mut max = 0;
        for (r, k) in self.keys.iter_mut().enumerate() {
            let c = code_at(r);
            max = max.max(c);
            // c ≤ rows + 1 and w × (rows + 2) fits (make_room), so this stays below 2^64.
            *k = k.wrapping_add(u64::from(c).wrapping_mul(w));
        }
        self.weight = w.saturating_mul(u64::from(max) + 1);
        max
    }

    /// Folds a column of byte strings (`None` for a null cell). A column that holds the same
    /// cell in every row is recognised in one pass and adds nothing.
    pub(crate) fn fold_bytes<'a>(&mut self, bytes_at: impl Fn(usize) -> Option<&'a [u8]>) {
        let rows = self.rows();
        let first = if rows == 0 { None } else { bytes_at(0) };
        let constant = match first.map(Short::of) {
            // a short cell compares as words, without a memcmp per row
            Some(Some(f)) => (1..rows).all(|r| bytes_at(r).and_then(Short::of) == Some(f)),
            _ => (1..rows).all(|r| bytes_at(r) == first),
        };
        if constant {
            return;
        }
        let mut coder = Coder::default();
        self.fold_codes(|r| bytes_at(r).map_or(0, |b| coder.code(b)));
    }

    /// Folds a column of integers (`None` for a null cell): a small range indexes directly,
    /// anything else goes through the byte coder.
    pub(crate) fn fold_ints(&mut self, int_at: impl Fn(usize) -> Option<i64>) {
        let rows = self.rows();
        // Without a branch per row: a null cell leaves the bounds as they are.
        let (mut lo, mut hi, mut nulls) = (i64::MAX, i64::MIN, false);
        for r in 0..rows {
            let v = int_at(r);
            lo = lo.min(v.unwrap_or(i64::MAX));
            hi = hi.max(v.unwrap_or(i64::MIN));
            nulls |= v.is_none();
        }
        if lo > hi {
            return; // all null (or no rows)
        }
        if lo == hi && !nulls {
            return;
        }
        let span = i128::from(hi) - i128::from(lo);
        if span < rows as i128 {
            // 0 ≤ v - lo ≤ span < rows, so the wrapping difference is the exact one, and
            // v - lo + 1 ≤ rows fits in u32 (batches are below 2^32 rows).
            self.fold_codes(|r| {
                int_at(r).map_or(0, |v| (v.wrapping_sub(lo) as u32).wrapping_add(1))
            });
            return;
        }
        // A wide range (amounts, ids): the distinct values through a hash table of integers.
        // A direct-mapped cache in front of it answers most rows when the values are few.
        let mut table: HashTable<(i64, u32)> = HashTable::new();
        let mut recent = vec![(0i64, 0u32); 1 << RECENT_BITS];
        self.fold_codes(|r| {
            int_at(r).map_or(0, |v| {
                let hash = hash_u64(v as u64);
                let slot = (hash >> (64 - RECENT_BITS)) as usize;
                if let Some(&(k, code)) = recent.get(slot) {
                    if k == v && code != 0 {
                        return code;
                    }
                }
                if let Some(&(_, code)) = table.find(hash, |&(k, _)| k == v) {
                    if let Some(entry) = recent.get_mut(slot) {
                        *entry = (v, code);
                    }
                    return code;
                }
                // at most one code per row, and batches are below 2^32 rows
                let code = u32::try_from(table.len() + 1).unwrap_or(u32::MAX);
                table.insert_unique(hash, (v, code), |&(k, _)| hash_u64(k as u64));
                code
            })
        });
    }

    /// Numbers the distinct keys densely, in the order first seen.
    pub(crate) fn number(&self) -> Distinct {
        let rows = self.keys.len();
        let mut id = Vec::with_capacity(rows);
        let mut first_rows = Vec::new();
        let direct_limit = (rows as u64).saturating_mul(4).saturating_add(1 << 16);
        if self.weight <= direct_limit {
            let mut slot = vec![u32::MAX; self.weight as usize];
            for (row, &k) in self.keys.iter().enumerate() {
                // Every key is below the weight; were one not, the row would simply get a number
                // of its own (priced once more, never mixed up with another row).
                let n = match slot.get_mut(k as usize) {
                    Some(s) if *s != u32::MAX => *s,
                    s => {
                        let n = first_rows.len() as u32;
                        first_rows.push(row);
                        if let Some(s) = s {
                            *s = n;
                        }
                        n
                    }
                };
                id.push(n);
            }
        } else {
            let mut table: HashTable<(u64, u32)> = HashTable::with_capacity(1024);
            for (row, &k) in self.keys.iter().enumerate() {
                let h = hash_u64(k);
                let n = match table.find(h, |&(key, _)| key == k) {
                    Some(&(_, n)) => n,
                    None => {
                        let n = first_rows.len() as u32;
                        first_rows.push(row);
                        table.insert_unique(h, (k, n), |&(key, _)| hash_u64(key));
                        n
                    }
                };
                id.push(n);
            }
        }
        Distinct { id, first_rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A small deterministic generator (the tests need no crate for it).
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    /// Numbers rows by their tuple of cells, the slow obvious way.
    fn naive(columns: &[Vec<Option<i64>>], rows: usize) -> Vec<u32> {
        let mut seen: HashMap<Vec<Option<i64>>, u32> = HashMap::new();
        (0..rows)
            .map(|r| {
                let key: Vec<Option<i64>> = columns.iter().map(|c| c[r]).collect();
                let n = seen.len() as u32;
                *seen.entry(key).or_insert(n)
            })
            .collect()
    }

    #[test]
    fn rows_get_the_same_number_exactly_when_every_cell_is_equal() {
        let mut seed = 7;
        for round in 0..40 {
            let rows = 1 + (lcg(&mut seed) % 600) as usize;
            let ncols = 1 + (lcg(&mut seed) % 9) as usize;
            // ranges from constant to far wider than the rows, so every path is taken:
            // constant columns, direct indexing, the hash coder, and renumbering on overflow
            let columns: Vec<Vec<Option<i64>>> = (0..ncols)
                .map(|c| {
                    let range = [1u64, 2, 5, 300, 1 << 20, 1 << 40][(round + c) % 6];
                    (0..rows)
                        .map(|_| {
                            let v = lcg(&mut seed);
                            (!v.is_multiple_of(11) || range == 1).then(|| (v % range) as i64 - 3)
                        })
                        .collect()
                })
                .collect();
            let mut keys = RowKeys::new(rows);
            for (c, col) in columns.iter().enumerate() {
                if c % 2 == 0 {
                    keys.fold_ints(|r| col[r]);
                } else {
                    let text: Vec<Option<String>> = col
                        .iter()
                        .map(|v| v.map(|v| format!("{v:0>width$}", width = (c * 7) % 40)))
                        .collect();
                    keys.fold_bytes(|r| text[r].as_deref().map(str::as_bytes));
                }
            }
            let distinct = keys.number();
            assert_eq!(distinct.id, naive(&columns, rows), "round {round}");
            for (n, &row) in distinct.first_rows.iter().enumerate() {
                assert_eq!(distinct.id[row], n as u32);
            }
        }
    }

    #[test]
    fn a_short_key_changes_with_every_byte_and_the_length() {
        for n in 0..=SHORT {
            let base: Vec<u8> = (0..n as u8)
                .map(|b| b.wrapping_mul(37).wrapping_add(1))
                .collect();
            let key = Short::of(&base).expect("short");
            assert!(key.same(&Short::of(&base.clone()).expect("short")));
            for i in 0..n {
                let mut other = base.clone();
                other[i] ^= 0x80;
                assert!(
                    !key.same(&Short::of(&other).expect("short")),
                    "n {n}, byte {i}"
                );
            }
            let mut longer = base.clone();
            longer.push(0);
            assert!(Short::of(&longer).is_none_or(|k| !key.same(&k)), "n {n}");
        }
        assert!(Short::of(&[0; SHORT + 1]).is_none());
    }

    #[test]
    fn short_and_long_strings_code_apart() {
        let mut coder = Coder::default();
        let cells: [&[u8]; 7] = [
            b"",
            b"a",
            b"a\0",
            b"online_full",
            b"01234567890123456789012345678901",
            b"012345678901234567890123456789012",
            b"0123456789012345678901234567890",
        ];
        let codes: Vec<u32> = cells.iter().map(|c| coder.code(c)).collect();
        assert_eq!(codes, [1, 2, 3, 4, 5, 6, 7]);
        let again: Vec<u32> = cells.iter().map(|c| coder.code(c)).collect();
        assert_eq!(again, codes);
    }
}
