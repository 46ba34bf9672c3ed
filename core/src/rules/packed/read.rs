//! Reading the packed form, or a YAML tree (tree mode): one serde `Deserializer` for both.

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::tree::{completed, integer, map_slots, plain, seq_slots, text, wrong, Kind, TreeSlots};
use super::{unzigzag, PackError, MAX_DEPTH, TREE};
use crate::rules::yaml::{Node, Style, Value};

/// Reads packed bytes, or (tree mode) a YAML tree: one deserializer type for both, so the
/// rule model's serde code exists once in a build that reads both (see [`from_tree`](super::from_tree)).
pub(super) struct Reader<'de> {
    pub(super) bytes: &'de [u8],
    pub(super) at: usize,
    pub(super) depth: u32,
    /// Tree mode: reading `yaml::Node`s instead of bytes.
    pub(super) tree: bool,
    /// Tree mode: the node the next `deserialize_*` call reads.
    pub(super) node: Option<&'de Node>,
    /// Tree mode: the content of the enum variant just read (`{variant: content}`).
    pub(super) content: Option<&'de Node>,
    /// Tree mode: the name of that variant, for messages.
    pub(super) variant: Option<&'de Node>,
}

impl<'de> Reader<'de> {
    pub(super) fn error(&self, message: &str) -> PackError {
        PackError::new(message.to_string(), self.at)
    }

    pub(super) fn byte(&mut self) -> Result<u8, PackError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| self.error("the data ends too early"))?;
        self.at = self.at.saturating_add(1);
        Ok(b)
    }

    pub(super) fn varint(&mut self) -> Result<u64, PackError> {
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
    pub(super) fn len(&mut self) -> Result<usize, PackError> {
        let n = self.varint()?;
        let left = self.bytes.len().saturating_sub(self.at);
        match usize::try_from(n) {
            Ok(n) if n <= left => Ok(n),
            _ => Err(self.error("a length larger than the data left")),
        }
    }

    pub(super) fn take(&mut self, n: usize) -> Result<&'de [u8], PackError> {
        let end = self.at.saturating_add(n);
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or_else(|| self.error("the data ends too early"))?;
        self.at = end;
        Ok(slice)
    }

    pub(super) fn str(&mut self) -> Result<&'de str, PackError> {
        let n = self.len()?;
        let start = self.at;
        let b = self.take(n)?;
        std::str::from_utf8(b).map_err(|_| PackError::new("text that is not UTF-8".into(), start))
    }

    /// Runs `read` one nesting level deeper, refusing more than [`MAX_DEPTH`] levels.
    pub(super) fn nested<T>(
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

    pub(super) fn i64(&mut self) -> Result<i64, PackError> {
        self.varint().map(unzigzag)
    }

    /// Visits a sequence, tuple or struct (with its `fields`): `slots` in tree mode, else
    /// `left` packed values.
    pub(super) fn visit_counted<V: Visitor<'de>>(
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

    /// Whether an option holds a value: in tree mode, whether its node is not null (the node
    /// stays to be read); in packed mode, its marker byte.
    #[inline(always)]
    pub(super) fn option_is_some(&mut self) -> Result<bool, PackError> {
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

/// `count` elements (a sequence, a tuple, a struct's fields) or `count` entries of a map.
///
/// In tree mode the nodes to read, last first: a sequence's items, a map's keys and values,
/// or a struct's fields in declaration order, `None` for a field the mapping leaves out (the
/// struct's visitor then takes its default or reports it missing).
pub(super) struct Counted<'a, 'de> {
    pub(super) r: &'a mut Reader<'de>,
    pub(super) left: usize,
    pub(super) slots: Vec<Option<&'de Node>>,
}

impl<'de> Counted<'_, 'de> {
    /// The next element (or map key), or `None` when `count` have been read.
    pub(super) fn next<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, PackError> {
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
    pub(super) fn tree_advance(&mut self) -> bool {
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
