//! [`Keyed`]: the library's id → entry maps, iterated in id order and looked up by a fast hash.
//!
//! A quote looks up its procedure, its jurisdiction and each fee item by id. In a `BTreeMap`
//! each lookup compared a dozen strings; a hash of the id finds it in one probe. The ids come
//! from the library, so the map's contents (and so its collisions) are fixed: an unkeyed hash
//! is safe even for ids taken from requests.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

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
    order: BTreeMap<String, usize>,
    slots: Vec<V>,
    hash: HashMap<Box<str>, usize, BuildHasherDefault<StrHasher>>,
}

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed {
            order: BTreeMap::new(),
            slots: Vec::new(),
            hash: HashMap::default(),
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

    /// Adds or replaces the entry of `id`.
    pub(crate) fn insert(&mut self, id: String, value: V) {
        if let Some(slot) = self.get_mut(&id) {
            *slot = value;
            return;
        }
        let i = self.slots.len();
        self.slots.push(value);
        self.hash.insert(Box::from(id.as_str()), i);
        self.order.insert(id, i);
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

    /// `(id, entry)` in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.order
            .iter()
            .filter_map(|(k, &i)| self.slots.get(i).map(|v| (k, v)))
    }

    /// Ids in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.order.keys()
    }

    /// Entries in id order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.order.values().filter_map(|&i| self.slots.get(i))
    }

    /// Entries, in no particular order.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.slots.iter_mut()
    }
}
