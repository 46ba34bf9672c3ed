//! A compact binary form of serde data, for compiled rules.
//!
//! Fields are written in declaration order without names; integers and lengths are LEB128
//! varints; strings are a length and UTF-8 bytes; an enum is its variant index and its content;
//! `None` is `0` and `Some(x)` is `1` then `x`. A field the model skips when empty
//! (`skip_serializing_if`: `None`, `[]`, `""`, `false`, `{}`) is written as a single `0`, which
//! reads back as exactly that empty value, so the rule model needs no attributes of its own.
//!
//! Why not JSON: reading the rule model from JSON made serde instantiate serde_json's
//! self-describing reader for every model type, about a sixth of the browser build. This
//! reader is a few hundred lines, is monomorphised once per type with little code, and reads
//! the library faster. It is not self-describing: the data must come from this model, which
//! the header of compiled rules checks (see `compiled.rs`).
//!
//! Untrusted input is safe: every read is bounds-checked, lengths cannot exceed the bytes left,
//! and nesting is limited to [`MAX_DEPTH`].

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};

use super::yaml::{Node, Style, Value};

/// Deepest nesting of containers read (the rule model nests a few levels; `choose` bases
/// nest a few more).
pub(crate) const MAX_DEPTH: u32 = 128;

/// Whether this build reads YAML trees too (feature `yaml`). When it does not, every tree
/// branch below is `if false` and leaves the build.
const TREE: bool = cfg!(feature = "yaml");

/// What went wrong, and at which byte. Boxed, so that a read's `Result` is a pointer wider
/// than its value and the reader's happy path moves no error-sized results.
#[derive(Debug)]
pub(crate) struct PackError(Box<Failure>);

#[derive(Debug)]
pub(crate) struct Failure {
    pub message: String,
    pub offset: usize,
    /// Whether `offset` was set where the error arose (tree mode places every error once).
    placed: bool,
    /// `invalid_length(n)`: in tree mode, field `n` of a struct is missing.
    missing: Option<usize>,
}

impl std::ops::Deref for PackError {
    type Target = Failure;
    fn deref(&self) -> &Failure {
        &self.0
    }
}

impl std::ops::DerefMut for PackError {
    fn deref_mut(&mut self) -> &mut Failure {
        &mut self.0
    }
}

impl PackError {
    fn new(message: String, offset: usize) -> PackError {
        PackError(Box::new(Failure {
            message,
            offset,
            placed: true,
            missing: None,
        }))
    }

    fn unplaced(message: String) -> PackError {
        PackError(Box::new(Failure {
            message,
            offset: 0,
            placed: false,
            missing: None,
        }))
    }

    /// The message and the byte it concerns.
    #[cfg(feature = "yaml")]
    pub(crate) fn into_parts(self) -> (String, usize) {
        (self.0.message, self.0.offset)
    }

    /// Sets the place if nothing deeper set it.
    fn or_at(mut self, offset: usize) -> PackError {
        if !self.placed {
            self.offset = offset;
            self.placed = true;
        }
        self
    }
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for PackError {}

impl ser::Error for PackError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        PackError::unplaced(msg.to_string())
    }
}

impl de::Error for PackError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        PackError::unplaced(msg.to_string())
    }
    fn invalid_length(len: usize, expected: &dyn de::Expected) -> Self {
        let mut e = PackError::unplaced(format!("invalid length {len}, expected {expected}"));
        e.missing = Some(len);
        e
    }
    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        de::Error::custom(format_args!(
            "invalid type: {}, expected {expected}",
            Unexpected(unexpected)
        ))
    }
    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        de::Error::custom(format_args!(
            "invalid value: {}, expected {expected}",
            Unexpected(unexpected)
        ))
    }
}

/// serde's [`de::Unexpected`] as serde writes it, except that a float is not printed: packed
/// data holds none, and printing one would put a float formatter into the browser build.
struct Unexpected<'a>(de::Unexpected<'a>);

impl fmt::Display for Unexpected<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use de::Unexpected as U;
        match self.0 {
            U::Bool(b) => write!(f, "boolean `{b}`"),
            U::Unsigned(i) => write!(f, "integer `{i}`"),
            U::Signed(i) => write!(f, "integer `{i}`"),
            U::Float(_) => f.write_str("floating point"),
            U::Char(c) => write!(f, "character `{c}`"),
            U::Str(s) => write!(f, "string {}", crate::json::string(s)),
            U::Bytes(_) => f.write_str("byte array"),
            U::Unit => f.write_str("unit value"),
            U::Option => f.write_str("Option value"),
            U::NewtypeStruct => f.write_str("newtype struct"),
            U::Seq => f.write_str("sequence"),
            U::Map => f.write_str("map"),
            U::Enum => f.write_str("enum"),
            U::UnitVariant => f.write_str("unit variant"),
            U::NewtypeVariant => f.write_str("newtype variant"),
            U::TupleVariant => f.write_str("tuple variant"),
            U::StructVariant => f.write_str("struct variant"),
            U::Other(other) => f.write_str(other),
        }
    }
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(u8::try_from(v & 0x7f).unwrap_or(0) | 0x80);
        v >>= 7;
    }
    out.push(u8::try_from(v).unwrap_or(0));
}

fn zigzag(v: i64) -> u64 {
    // The usual zigzag map: 0, -1, 1, -2... → 0, 1, 2, 3...
    u64::from_ne_bytes(((v << 1) ^ (v >> 63)).to_ne_bytes())
}

fn unzigzag(v: u64) -> i64 {
    i64::from_ne_bytes((v >> 1).to_ne_bytes())
        ^ i64::from_ne_bytes((v & 1).to_ne_bytes()).wrapping_neg()
}

/// Writes `value` in the packed form.
pub(crate) fn to_bytes<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, PackError> {
    let mut w = Writer { out: Vec::new() };
    value.serialize(&mut w)?;
    Ok(w.out)
}

/// Reads a `T` from the whole of `bytes`.
pub(crate) fn from_bytes<'de, T: de::Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, PackError> {
    let mut r = Reader {
        bytes,
        at: 0,
        depth: 0,
        tree: false,
        node: None,
        content: None,
        variant: None,
    };
    let v = T::deserialize(&mut r).map_err(|e| e.or_at(r.at))?;
    if r.at != bytes.len() {
        return Err(r.error("bytes left over after the data"));
    }
    Ok(v)
}

struct Writer {
    out: Vec<u8>,
}

fn unsupported(what: &str) -> PackError {
    PackError::unplaced(format!(
        "{what} is not used by the rule model and has no packed form"
    ))
}

/// Narrower integers are written as the 64-bit ones (every integer is one varint).
macro_rules! widen {
    ($($method:ident($t:ty)),* => $to:ident($wide:ty)) => {$(
        fn $method(self, v: $t) -> Result<(), PackError> {
            self.$to(<$wide>::from(v))
        }
    )*};
}

impl Writer {
    /// The length of a sequence or map, which must be known before its elements.
    fn length(&mut self, len: Option<usize>, what: &str) -> Result<&mut Self, PackError> {
        let len = len.ok_or_else(|| unsupported(&format!("{what} of unknown length")))?;
        varint(&mut self.out, len as u64);
        Ok(self)
    }

    /// The index of an enum variant, before its content.
    fn variant(&mut self, index: u32) -> Result<&mut Self, PackError> {
        varint(&mut self.out, u64::from(index));
        Ok(self)
    }
}

impl ser::Serializer for &mut Writer {
    type Ok = ();
    type Error = PackError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), PackError> {
        self.out.push(u8::from(v));
        Ok(())
    }
    widen!(serialize_i8(i8), serialize_i16(i16), serialize_i32(i32) => serialize_i64(i64));
    fn serialize_i64(self, v: i64) -> Result<(), PackError> {
        varint(&mut self.out, zigzag(v));
        Ok(())
    }
    widen!(serialize_u8(u8), serialize_u16(u16), serialize_u32(u32) => serialize_u64(u64));
    fn serialize_u64(self, v: u64) -> Result<(), PackError> {
        varint(&mut self.out, v);
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), PackError> {
        Err(unsupported("a float"))
    }
    fn serialize_f64(self, _: f64) -> Result<(), PackError> {
        Err(unsupported("a float"))
    }
    fn serialize_char(self, v: char) -> Result<(), PackError> {
        self.serialize_u64(u64::from(u32::from(v)))
    }
    fn serialize_str(self, v: &str) -> Result<(), PackError> {
        self.serialize_bytes(v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), PackError> {
        varint(&mut self.out, v.len() as u64);
        self.out.extend_from_slice(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), PackError> {
        self.out.push(0);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), PackError> {
        self.out.push(1);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), PackError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), PackError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
    ) -> Result<(), PackError> {
        self.serialize_u32(index)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), PackError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), PackError> {
        varint(&mut self.out, u64::from(index));
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, PackError> {
        self.length(len, "a sequence")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, PackError> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, PackError> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, PackError> {
        self.variant(index)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, PackError> {
        self.length(len, "a map")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, PackError> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, PackError> {
        self.variant(index)
    }
}

/// Sequences, tuples and tuple variants: their elements one after the other.
macro_rules! elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Writer {
            type Ok = ();
            type Error = PackError;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), PackError> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), PackError> {
                Ok(())
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Writer {
    type Ok = ();
    type Error = PackError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), PackError> {
        k.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), PackError> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), PackError> {
        Ok(())
    }
}

/// Structs and struct variants: their fields in declaration order, without names.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Writer {
            type Ok = ();
            type Error = PackError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                _: &'static str,
                v: &T,
            ) -> Result<(), PackError> {
                v.serialize(&mut **self)
            }
            /// A field left out because it is empty: `0` reads back as that empty value.
            fn skip_field(&mut self, _: &'static str) -> Result<(), PackError> {
                self.out.push(0);
                Ok(())
            }
            fn end(self) -> Result<(), PackError> {
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

/// Reads packed bytes, or (tree mode) a YAML tree: one deserializer type for both, so the
/// rule model's serde code exists once in a build that reads both (see [`from_tree`]).
struct Reader<'de> {
    bytes: &'de [u8],
    at: usize,
    depth: u32,
    /// Tree mode: reading `yaml::Node`s instead of bytes.
    tree: bool,
    /// Tree mode: the node the next `deserialize_*` call reads.
    node: Option<&'de Node>,
    /// Tree mode: the content of the enum variant just read (`{variant: content}`).
    content: Option<&'de Node>,
    /// Tree mode: the name of that variant, for messages.
    variant: Option<&'de Node>,
}

impl<'de> Reader<'de> {
    fn error(&self, message: &str) -> PackError {
        PackError::new(message.to_string(), self.at)
    }

    fn byte(&mut self) -> Result<u8, PackError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| self.error("the data ends too early"))?;
        self.at = self.at.saturating_add(1);
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, PackError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(self.error("an integer longer than 64 bits"))
    }

    /// A length, which can never exceed the bytes left.
    fn len(&mut self) -> Result<usize, PackError> {
        let n = self.varint()?;
        let left = self.bytes.len().saturating_sub(self.at);
        match usize::try_from(n) {
            Ok(n) if n <= left => Ok(n),
            _ => Err(self.error("a length larger than the data left")),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'de [u8], PackError> {
        let end = self.at.saturating_add(n);
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or_else(|| self.error("the data ends too early"))?;
        self.at = end;
        Ok(slice)
    }

    fn str(&mut self) -> Result<&'de str, PackError> {
        let n = self.len()?;
        let start = self.at;
        let b = self.take(n)?;
        std::str::from_utf8(b).map_err(|_| PackError::new("text that is not UTF-8".into(), start))
    }

    /// Runs `read` one nesting level deeper, refusing more than [`MAX_DEPTH`] levels.
    fn nested<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, PackError>,
    ) -> Result<T, PackError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("nesting deeper than 128 levels"));
        }
        self.depth = self.depth.saturating_add(1);
        let v = read(self);
        self.depth = self.depth.saturating_sub(1);
        v
    }

    fn i64(&mut self) -> Result<i64, PackError> {
        self.varint().map(unzigzag)
    }
}

/// `count` elements (a sequence, a tuple, a struct's fields) or `count` entries of a map.
///
/// In tree mode the nodes to read, last first: a sequence's items, a map's keys and values,
/// or a struct's fields in declaration order, `None` for a field the mapping leaves out (the
/// struct's visitor then takes its default or reports it missing).
struct Counted<'a, 'de> {
    r: &'a mut Reader<'de>,
    left: usize,
    slots: Vec<Option<&'de Node>>,
}

impl<'de> Counted<'_, 'de> {
    /// The next element (or map key), or `None` when `count` have been read.
    fn next<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, PackError> {
        if TREE && self.r.tree {
            if !self.tree_advance() {
                return Ok(None);
            }
        } else if self.left == 0 {
            return Ok(None);
        } else {
            self.left = self.left.saturating_sub(1);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }

    /// Tree mode: moves to the next slot's node; `false` at the end or at an absent field.
    /// Out of line: it is the same for every element type.
    #[inline(never)]
    fn tree_advance(&mut self) -> bool {
        match self.slots.pop() {
            Some(Some(node)) => {
                self.r.node = Some(node);
                true
            }
            _ => false,
        }
    }
}

impl<'de> de::SeqAccess<'de> for Counted<'_, 'de> {
    type Error = PackError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, PackError> {
        self.next(seed)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::MapAccess<'de> for Counted<'_, 'de> {
    type Error = PackError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, PackError> {
        self.next(seed)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, PackError> {
        if TREE && self.r.tree {
            self.r.node = self.slots.pop().flatten();
        }
        seed.deserialize(&mut *self.r)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Reader<'de> {
    type Error = PackError;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), PackError> {
        if TREE && self.tree {
            // `node` is the variant's name (set by `deserialize_enum`).
            let v = seed.deserialize(&mut *self)?;
            return Ok((v, self));
        }
        let index = u32::try_from(self.varint()?).map_err(|_| self.error("a variant index"))?;
        let v = seed.deserialize(IntoDeserializer::<PackError>::into_deserializer(index))?;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Reader<'de> {
    type Error = PackError;
    fn unit_variant(self) -> Result<(), PackError> {
        match self.content.take() {
            Some(n) if TREE && self.tree && !n.is_null() => {
                let name = self.variant.and_then(text).unwrap_or("variant");
                Err(PackError::new(
                    format!("`{name}` takes no content: write it alone, as `{name}`"),
                    n.at,
                ))
            }
            _ => Ok(()),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, PackError> {
        self.variant_content()?;
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, PackError> {
        self.variant_content()?;
        de::Deserializer::deserialize_tuple(self, len, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, PackError> {
        self.variant_content()?;
        if TREE && self.tree {
            return de::Deserializer::deserialize_struct(self, "", fields, visitor);
        }
        self.visit_counted(None, fields.len(), None, visitor)
    }
}

/// How serde names what a node holds, in `invalid type` messages.
fn unexpected(n: &Node) -> de::Unexpected<'_> {
    match &n.value {
        _ if n.is_null() => de::Unexpected::Other("null"),
        Value::Scalar(t, _) => de::Unexpected::Str(t),
        Value::Seq(_) => de::Unexpected::Seq,
        Value::Map(_) => de::Unexpected::Map,
    }
}

/// A scalar's text, unless it is null.
fn text(n: &Node) -> Option<&str> {
    match &n.value {
        Value::Scalar(t, _) if !n.is_null() => Some(t),
        _ => None,
    }
}

/// A plain scalar's text (only plain scalars are numbers or booleans).
fn plain(n: &Node) -> Option<&str> {
    match &n.value {
        Value::Scalar(t, Style::Plain) => Some(t),
        _ => None,
    }
}

/// A plain scalar that is a decimal integer: an optional sign, then digits without a leading
/// zero (`007` is more likely a slip than seven).
fn integer(n: &Node) -> Option<&str> {
    let t = plain(n)?;
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let ok = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.len() == 1 || !digits.starts_with('0'));
    ok.then_some(t)
}

/// The slots of a struct read from a mapping: its fields in declaration order.
fn struct_slots<'de>(
    n: &'de Node,
    fields: &'static [&'static str],
) -> Result<Option<Vec<Option<&'de Node>>>, PackError> {
    let Value::Map(entries) = &n.value else {
        return Ok(None);
    };
    let mut slots: Vec<Option<&Node>> = vec![None; fields.len()];
    for (k, v) in entries {
        let name = text(k).unwrap_or("");
        let i = fields
            .iter()
            .position(|f| *f == name)
            .ok_or_else(|| <PackError as de::Error>::unknown_field(name, fields).or_at(k.at))?;
        match slots.get_mut(i) {
            Some(slot @ None) => *slot = Some(v),
            _ => {
                let field = fields.get(i).copied().unwrap_or("");
                return Err(<PackError as de::Error>::duplicate_field(field).or_at(k.at));
            }
        }
    }
    slots.reverse();
    Ok(Some(slots))
}

/// The slots of a map: key, value, key, value…; a key given twice is refused.
fn map_slots(n: &Node) -> Result<Option<Vec<Option<&Node>>>, PackError> {
    let Value::Map(entries) = &n.value else {
        return Ok(None);
    };
    // Duplicates found in key order (O(n log n): a rule text may hold a large mapping);
    // the one reported is the later of the first pair in the text.
    let key = |i: usize| entries.get(i).and_then(|(k, _)| text(k));
    let order = crate::sort::sorted_indices(entries.len(), |a, b| (key(a), a) < (key(b), b));
    let duplicate = order
        .windows(2)
        .filter_map(|w| match w {
            [a, b] if key(*a).is_some() && key(*a) == key(*b) => Some(*b),
            _ => None,
        })
        .min();
    if let Some((k, _)) = duplicate.and_then(|i| entries.get(i)) {
        return Err(PackError::new(
            format!("duplicate key `{}`", text(k).unwrap_or("")),
            k.at,
        ));
    }
    let mut slots = Vec::with_capacity(entries.len().saturating_mul(2));
    for (k, v) in entries {
        slots.push(Some(k));
        slots.push(Some(v));
    }
    slots.reverse();
    Ok(Some(slots))
}

/// `(variant name, content)` of an enum written as `name` or `{name: content}`.
fn enum_parts(n: &Node) -> Option<(&Node, Option<&Node>)> {
    match &n.value {
        Value::Scalar(..) if !n.is_null() => Some((n, None)),
        Value::Map(entries) => match entries.as_slice() {
            [(k, v)] => Some((k, Some(v))),
            _ => None,
        },
        _ => None,
    }
}

/// serde's `invalid type` error for node `n`.
fn wrong(n: &Node, expected: &dyn de::Expected) -> PackError {
    <PackError as de::Error>::invalid_type(unexpected(n), expected)
}

/// A sequence's items as slots, last first.
fn seq_slots(n: &Node) -> Option<Vec<Option<&Node>>> {
    match &n.value {
        Value::Seq(items) => Some(items.iter().rev().map(Some).collect()),
        _ => None,
    }
}

/// Where a tree-mode container starts, and its slots.
type TreeSlots<'de> = (usize, Vec<Option<&'de Node>>);

/// The containers a tree-mode read prepares slots for.
enum Kind {
    Seq,
    Tuple(usize),
    Map,
    Struct(&'static [&'static str]),
}

/// Tree mode: completes the error of a read that started at `at`, in place (a generic
/// `map_err` would move each type's value): a struct's missing field is named (`fields`), and
/// the error is placed at the node unless a deeper node already placed it.
#[inline(never)]
fn complete(e: &mut PackError, at: usize, fields: Option<&'static [&'static str]>) {
    let field = fields.and_then(|f| e.missing.and_then(|i| f.get(i)));
    if let Some(field) = field.filter(|_| !e.placed) {
        *e = <PackError as de::Error>::missing_field(field);
    }
    if !e.placed {
        e.offset = at;
        e.placed = true;
    }
}

/// Completes `read`'s error (tree mode; `at` is `None` in packed mode).
#[inline(always)]
fn completed<T>(
    mut read: Result<T, PackError>,
    at: Option<usize>,
    fields: Option<&'static [&'static str]>,
) -> Result<T, PackError> {
    if TREE {
        if let (Err(e), Some(at)) = (&mut read, at) {
            complete(e, at, fields);
        }
    }
    read
}

impl<'de> Reader<'de> {
    /// Tree mode: the node the current `deserialize_*` call reads.
    fn tree_node(&mut self) -> Result<&'de Node, PackError> {
        self.node
            .take()
            .ok_or_else(|| PackError::unplaced("nothing to read here (lephi bug)".into()))
    }

    /// Before a container is visited. In tree mode, takes the node and returns where it starts
    /// and its slots (or the error for a node of the wrong kind, naming `expected`). In packed
    /// mode, returns `None`: the count comes from the bytes. Not generic, so that each type
    /// has one call of its visitor for both modes.
    ///
    /// The mode is checked inline: packed reading (the embedded library) makes no call here.
    #[inline(always)]
    fn tree_slots(
        &mut self,
        kind: Kind,
        expected: &dyn de::Expected,
    ) -> Result<Option<TreeSlots<'de>>, PackError> {
        if !(TREE && self.tree) {
            return Ok(None);
        }
        self.slots_of_node(kind, expected)
    }

    #[inline(never)]
    fn slots_of_node(
        &mut self,
        kind: Kind,
        expected: &dyn de::Expected,
    ) -> Result<Option<TreeSlots<'de>>, PackError> {
        let n = self.tree_node()?;
        let slots = match kind {
            Kind::Seq => seq_slots(n),
            Kind::Tuple(len) => seq_slots(n).filter(|s| s.len() == len),
            Kind::Map => map_slots(n)?,
            Kind::Struct(fields) => struct_slots(n, fields)?,
        };
        match slots {
            Some(slots) => Ok(Some((n.at, slots))),
            None => Err(wrong(n, expected).or_at(n.at)),
        }
    }

    /// Visits a sequence, tuple or struct (with its `fields`): `slots` in tree mode, else
    /// `left` packed values.
    fn visit_counted<V: Visitor<'de>>(
        &mut self,
        tree: Option<TreeSlots<'de>>,
        left: usize,
        fields: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value, PackError> {
        let (at, slots) = match tree {
            Some((at, slots)) if TREE => (Some(at), slots),
            _ => (None, Vec::new()),
        };
        // One call of the visitor for both modes, so it can stay inlined in its one caller.
        let read = self.nested(|r| visitor.visit_seq(Counted { r, left, slots }));
        completed(read, at, fields)
    }

    /// Before a variant's content: in tree mode, the content is the node to read.
    fn variant_content(&mut self) -> Result<(), PackError> {
        if TREE && self.tree {
            let content = self.content.take().filter(|c| !c.is_null());
            self.node = Some(content.ok_or_else(|| {
                let name = self.variant.and_then(text).unwrap_or("variant");
                PackError::unplaced(format!("`{name}` needs content: write it as `{name}: …`"))
            })?);
        }
        Ok(())
    }

    /// Tree mode: whether the option's node is not null (the node stays to be read).
    #[inline(never)]
    fn node_is_some(&mut self) -> Result<bool, PackError> {
        let n = self.tree_node()?;
        if n.is_null() {
            return Ok(false);
        }
        self.node = Some(n);
        Ok(true)
    }

    /// Tree mode, before an enum is visited: the variant's name becomes the node to read and
    /// its content is kept for the variant. Returns where the enum starts.
    #[inline(always)]
    fn tree_enum(&mut self) -> Result<Option<usize>, PackError> {
        if !(TREE && self.tree) {
            return Ok(None);
        }
        self.enum_of_node().map(Some)
    }

    #[inline(never)]
    fn enum_of_node(&mut self) -> Result<usize, PackError> {
        let n = self.tree_node()?;
        let (name, content) = enum_parts(n).ok_or_else(|| {
            PackError::new(
                "an enum is written as its variant's name, or as one `variant: content` pair"
                    .into(),
                n.at,
            )
        })?;
        self.node = Some(name);
        self.content = content;
        self.variant = Some(name);
        Ok(n.at)
    }

    /// Whether an option holds a value: in tree mode, whether its node is not null (the node
    /// stays to be read); in packed mode, its marker byte.
    #[inline(always)]
    fn option_is_some(&mut self) -> Result<bool, PackError> {
        if TREE && self.tree {
            return self.node_is_some();
        }
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.error("an option marker that is neither 0 nor 1")),
        }
    }
}

/// Narrower integers read as the 64-bit ones (every integer is one varint).
macro_rules! forward {
    ($($method:ident),* => $to:ident) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
            self.$to(visitor)
        }
    )*};
}

/// Tree mode: `$read` with the node, its errors placed at the node.
macro_rules! tree {
    ($self:ident, |$n:ident| $read:expr) => {
        if TREE && $self.tree {
            let $n = $self.tree_node()?;
            let at = $n.at;
            // A closure so that `?` inside `$read` lands here, to be placed.
            #[allow(clippy::redundant_closure_call)]
            let read = (|| $read)();
            return completed(read, Some(at), None);
        }
    };
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = PackError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        // YAML says what it holds (the request inputs of rule test files): null, an integer,
        // text, a sequence or a mapping. A plain `1.5` stays text, never a float.
        tree!(self, |n| match &n.value {
            _ if n.is_null() => visitor.visit_unit(),
            Value::Scalar(t, style) => {
                let int = if *style == Style::Plain {
                    integer(n)
                } else {
                    None
                };
                match (
                    int.and_then(|t| t.parse::<u64>().ok()),
                    int.and_then(|t| t.parse::<i64>().ok()),
                ) {
                    (Some(v), _) => visitor.visit_u64(v),
                    (None, Some(v)) => visitor.visit_i64(v),
                    _ => visitor.visit_borrowed_str(t),
                }
            }
            Value::Seq(_) => match seq_slots(n) {
                Some(slots) => {
                    let left = slots.len();
                    self.visit_counted(Some((n.at, slots)), left, None, visitor)
                }
                None => Err(wrong(n, &visitor)),
            },
            Value::Map(_) => match map_slots(n)? {
                Some(slots) => self.nested(|r| visitor.visit_map(Counted { r, left: 0, slots })),
                None => Err(wrong(n, &visitor)),
            },
        });
        Err(self.error("the packed form is not self-describing; the reader needs the type"))
    }
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        tree!(self, |n| match plain(n) {
            Some("true" | "True" | "TRUE") => visitor.visit_bool(true),
            Some("false" | "False" | "FALSE") => visitor.visit_bool(false),
            _ => Err(wrong(n, &visitor)),
        });
        match self.byte()? {
            0 => visitor.visit_bool(false),
            1 => visitor.visit_bool(true),
            _ => Err(self.error("a boolean that is neither 0 nor 1")),
        }
    }
    forward!(deserialize_i8, deserialize_i16, deserialize_i32 => deserialize_i64);
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        tree!(
            self,
            |n| match integer(n).and_then(|t| t.parse::<i64>().ok()) {
                Some(v) => visitor.visit_i64(v),
                None => Err(wrong(n, &visitor)),
            }
        );
        visitor.visit_i64(self.i64()?)
    }
    forward!(deserialize_u8, deserialize_u16, deserialize_u32 => deserialize_u64);
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        tree!(
            self,
            |n| match integer(n).and_then(|t| t.parse::<u64>().ok()) {
                Some(v) => visitor.visit_u64(v),
                None => Err(wrong(n, &visitor)),
            }
        );
        visitor.visit_u64(self.varint()?)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, _: V) -> Result<V::Value, PackError> {
        Err(self.error("a float, which the packed form does not carry"))
    }
    fn deserialize_f64<V: Visitor<'de>>(self, _: V) -> Result<V::Value, PackError> {
        Err(self.error("a float, which the packed form does not carry"))
    }
    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        tree!(self, |n| {
            let mut chars = text(n).unwrap_or("").chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => visitor.visit_char(c),
                _ => Err(wrong(n, &visitor)),
            }
        });
        let c = u32::try_from(self.varint()?)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| self.error("a character that is not Unicode"))?;
        visitor.visit_char(c)
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        tree!(self, |n| match text(n) {
            Some(t) => visitor.visit_borrowed_str(t),
            None => Err(wrong(n, &visitor)),
        });
        visitor.visit_borrowed_str(self.str()?)
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        self.deserialize_str(visitor)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        let n = self.len()?;
        visitor.visit_borrowed_bytes(self.take(n)?)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        self.deserialize_bytes(visitor)
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        if self.option_is_some()? {
            self.nested(|r| visitor.visit_some(r))
        } else {
            visitor.visit_none()
        }
    }
    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        tree!(self, |n| if n.is_null() {
            visitor.visit_unit()
        } else {
            Err(wrong(n, &visitor))
        });
        visitor.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, PackError> {
        self.deserialize_unit(visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, PackError> {
        self.nested(|r| visitor.visit_newtype_struct(r))
    }
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        let tree = self.tree_slots(Kind::Seq, &visitor)?;
        let left = match &tree {
            Some((_, slots)) => slots.len(),
            None => self.len()?,
        };
        self.visit_counted(tree, left, None, visitor)
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, PackError> {
        let tree = self.tree_slots(Kind::Tuple(len), &visitor)?;
        self.visit_counted(tree, len, None, visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, PackError> {
        self.deserialize_tuple(len, visitor)
    }
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        let (at, left, slots) = match self.tree_slots(Kind::Map, &visitor)? {
            Some((at, slots)) if TREE => (Some(at), 0, slots),
            _ => (None, self.len()?, Vec::new()),
        };
        let read = self.nested(|r| visitor.visit_map(Counted { r, left, slots }));
        completed(read, at, None)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, PackError> {
        let tree = self.tree_slots(Kind::Struct(fields), &visitor)?;
        self.visit_counted(tree, fields.len(), Some(fields), visitor)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, PackError> {
        let at = self.tree_enum()?;
        let read = self.nested(|r| visitor.visit_enum(r));
        completed(read, at, None)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PackError> {
        tree!(self, |n| match text(n) {
            Some(t) => visitor.visit_borrowed_str(t),
            None => Err(wrong(n, &visitor)),
        });
        visitor.visit_u64(self.varint()?)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, PackError> {
        Err(self.error("the packed form cannot skip unknown data"))
    }
    fn is_human_readable(&self) -> bool {
        TREE && self.tree
    }
}

/// Reads a `T` from a YAML tree ([`yaml::parse`](super::yaml::parse)), with the same
/// deserializer as packed bytes. An error's `offset` is the byte in the YAML text where the
/// node it concerns starts.
#[cfg(feature = "yaml")]
pub(crate) fn from_tree<'de, T: de::Deserialize<'de>>(node: &'de Node) -> Result<T, PackError> {
    let mut r = Reader {
        bytes: &[],
        at: 0,
        depth: 0,
        tree: true,
        node: Some(node),
        content: None,
        variant: None,
    };
    T::deserialize(&mut r).map_err(|e| e.or_at(node.at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq, Default)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maybe: Option<u32>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        list: Vec<String>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        text: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        flag: bool,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        map: BTreeMap<String, i64>,
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Unit,
        New(Box<Shape>),
        Pair(u8, i32),
        Named { a: Inner, b: Option<char> },
    }

    #[test]
    fn round_trips_with_skipped_fields() {
        let values = [
            Shape::Unit,
            Shape::New(Box::new(Shape::Pair(7, -300))),
            Shape::Named {
                a: Inner::default(),
                b: None,
            },
            Shape::Named {
                a: Inner {
                    maybe: Some(u32::MAX),
                    list: vec!["Lệ phí".into(), String::new()],
                    text: "x".into(),
                    flag: true,
                    map: BTreeMap::from([("k".into(), i64::MIN), ("m".into(), i64::MAX)]),
                },
                b: Some('đ'),
            },
        ];
        for v in values {
            let bytes = to_bytes(&v).unwrap();
            assert_eq!(from_bytes::<Shape>(&bytes).unwrap(), v);
        }
    }

    #[test]
    fn refuses_truncated_trailing_and_deep_data() {
        let v = Shape::Named {
            a: Inner {
                list: vec!["abc".into()],
                ..Inner::default()
            },
            b: Some('a'),
        };
        let bytes = to_bytes(&v).unwrap();
        for cut in 0..bytes.len() {
            assert!(from_bytes::<Shape>(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(from_bytes::<Shape>(&longer).is_err());
        // New(New(New(...))) 10,000 deep: an error, not a stack overflow.
        let deep = vec![1u8; 10_000];
        let e = from_bytes::<Shape>(&deep).unwrap_err();
        assert!(e.message.contains("nesting"), "{e}");
        // A huge length is refused before anything is allocated.
        let e = from_bytes::<Vec<u8>>(&[0xff, 0xff, 0xff, 0xff, 0x0f]).unwrap_err();
        assert!(e.message.contains("length"), "{e}");
    }

    #[test]
    fn wrong_values_are_named_as_serde_names_them() {
        // An enum's variant index beyond its variants: serde's `invalid_value`, through our
        // `Unexpected` (which prints no floats).
        let e = from_bytes::<Shape>(&[9]).unwrap_err();
        assert!(
            e.message
                .starts_with("invalid value: integer `9`, expected variant index"),
            "{e}"
        );
        use de::Unexpected as U;
        for (u, shown) in [
            (U::Float(1.5), "floating point"),
            (U::Str("a\"b"), "string \"a\\\"b\""),
            (U::Signed(-3), "integer `-3`"),
            (U::Bool(true), "boolean `true`"),
            (U::Char('x'), "character `x`"),
            (U::Other("thing"), "thing"),
        ] {
            assert_eq!(super::Unexpected(u).to_string(), shown);
        }
    }

    #[test]
    fn zigzag_round_trips() {
        for v in [0, 1, -1, 63, -64, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
    }
}
