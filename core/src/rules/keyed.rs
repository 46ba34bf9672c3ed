//! [`Keyed`]: the library's id → entry maps, iterated in id order and looked up by a fast hash.
//!
//! A quote looks up its procedure, its jurisdiction and each fee item by id. In a `BTreeMap`
//! each lookup compared a dozen strings; a hash of the id finds it in one probe. The ids come
//! from the library, so the map's contents (and so its collisions) are fixed: an unkeyed hash
//! is safe even for ids taken from requests.
//!
//! The id order is not a `BTreeMap`: each `BTreeMap` key/value pair was several kilobytes of
//! WebAssembly. It is worked out on the first ordered read after an insert, by a merge sort
//! of the slots (so loading a large rule text stays O(n log n)), and kept. The validator uses
//! the same type for its id → location maps and id sets, so the browser build carries one map.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FxHash-style, eight bytes at a time. Used for ids and for the fingerprint memo's keys
/// (document indices, hashed as raw bytes); both come from the library, so a keyed
/// (DoS-resistant) hash buys nothing here.
#[derive(Default)]
pub(crate) struct StrHasher(u64);

impl Hasher for StrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
        let mut w = [0u8; 8];
        let rest = chunks.remainder();
        if let Some(dst) = w.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.write_u64(u64::from_le_bytes(w));
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(u64::try_from(n).unwrap_or(u64::MAX));
    }
}

/// Entries by id: `get` by hash, `keys` and `values` in id order.
#[derive(Clone, Debug)]
pub(crate) struct Keyed<V> {
    /// The id of each slot.
    ids: Vec<String>,
    slots: Vec<V>,
    hash: HashMap<Box<str>, usize, BuildHasherDefault<StrHasher>>,
    /// Slots in id order, worked out on the first ordered read after an insert.
    order: OnceLock<Vec<usize>>,
}

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed {
            ids: Vec::new(),
            slots: Vec::new(),
            hash: HashMap::default(),
            order: OnceLock::new(),
        }
    }
}

impl<V> Keyed<V> {
    pub(crate) fn get(&self, id: &str) -> Option<&V> {
        self.hash.get(id).and_then(|&i| self.slots.get(i))
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut V> {
        self.hash.get(id).and_then(|&i| self.slots.get_mut(i))
    }

    pub(crate) fn contains_key(&self, id: &str) -> bool {
        self.hash.contains_key(id)
    }

    /// Adds or replaces the entry of `id`; `true` if `id` is new.
    pub(crate) fn insert(&mut self, id: String, value: V) -> bool {
        if let Some(slot) = self.get_mut(&id) {
            *slot = value;
            return false;
        }
        let i = self.slots.len();
        self.slots.push(value);
        self.hash.insert(Box::from(id.as_str()), i);
        self.ids.push(id);
        self.order = OnceLock::new();
        true
    }

    /// The entry of `id`, added as `V::default()` if absent (always `Some`).
    pub(crate) fn get_or_default(&mut self, id: &str) -> Option<&mut V>
    where
        V: Default,
    {
        if !self.contains_key(id) {
            self.insert(id.to_string(), V::default());
        }
        self.get_mut(id)
    }

    /// Slot numbers in id order.
    fn order(&self) -> &[usize] {
        self.order.get_or_init(|| {
            let id = |i: usize| self.ids.get(i).map_or("", String::as_str);
            crate::sort::sorted_indices(self.ids.len(), |a, b| id(a) < id(b))
        })
    }

    /// `(id, entry)` in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.order()
            .iter()
            .filter_map(|&i| self.ids.get(i).zip(self.slots.get(i)))
    }

    /// Ids in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.order().iter().filter_map(|&i| self.ids.get(i))
    }

    /// Entries in id order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.order().iter().filter_map(|&i| self.slots.get(i))
    }

    /// Entries, in no particular order.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.slots.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_id_order_and_replaces() {
        let mut k: Keyed<u32> = Keyed::default();
        for (i, id) in ["vn/ha-tinh", "vn", "vn/quang-tri", "vn/ha-noi"]
            .iter()
            .enumerate()
        {
            assert!(k.insert((*id).to_string(), i as u32));
        }
        assert!(!k.insert("vn".to_string(), 9));
        let keys: Vec<&str> = k.keys().map(String::as_str).collect();
        assert_eq!(keys, ["vn", "vn/ha-noi", "vn/ha-tinh", "vn/quang-tri"]);
        let values: Vec<u32> = k.values().copied().collect();
        assert_eq!(values, [9, 3, 0, 2]);
        assert_eq!(k.get("vn/ha-tinh"), Some(&0));
        // An insert after an ordered read is seen by the next one.
        assert!(k.insert("vn/an-giang".to_string(), 7));
        assert_eq!(k.keys().next().map(String::as_str), Some("vn"));
        assert_eq!(k.keys().nth(1).map(String::as_str), Some("vn/an-giang"));
        assert!(!k.contains_key("vn/hue"));
    }
}
