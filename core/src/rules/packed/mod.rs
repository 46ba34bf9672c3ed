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
//!
//! The same reader also reads a YAML tree ([`from_tree`], feature `yaml`): rule files go
//! through the model's serde code once, whichever form they come in. `write` is the
//! serializer, `read` the deserializer for both forms, and `tree` what tree mode needs from a
//! YAML node.

use std::fmt;

use serde::de;
use serde::ser::{self, Serialize};

#[cfg(feature = "yaml")]
use super::yaml::Node;

/// Deepest nesting of containers read (the rule model nests a few levels; `choose` bases
/// nest a few more).
pub(crate) const MAX_DEPTH: u32 = 128;

/// Whether this build reads YAML trees too (feature `yaml`). When it does not, every tree
/// branch of the reader is `if false` and leaves the build.
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

mod read;
mod tree;
mod write;

use read::Reader;
use write::Writer;

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
