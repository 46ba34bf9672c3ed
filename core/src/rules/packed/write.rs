//! Writing the packed form: a serde `Serializer` (what `lephi compile` and `compileRules` use).

use serde::ser::{self, Serialize};

use super::{varint, zigzag, PackError};

pub(super) struct Writer {
    pub(super) out: Vec<u8>,
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
    pub(super) fn length(
        &mut self,
        len: Option<usize>,
        what: &str,
    ) -> Result<&mut Self, PackError> {
        let len = len.ok_or_else(|| unsupported(&format!("{what} of unknown length")))?;
        varint(&mut self.out, len as u64);
        Ok(self)
    }

    /// The index of an enum variant, before its content.
    pub(super) fn variant(&mut self, index: u32) -> Result<&mut Self, PackError> {
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
