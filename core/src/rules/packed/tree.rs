//! Tree mode: what the reader needs from a YAML node (its slots, scalars and messages).

use serde::de;

use super::read::Reader;
use super::{PackError, TREE};
use crate::rules::yaml::{Node, Style, Value};

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
pub(super) fn text(n: &Node) -> Option<&str> {
    match &n.value {
        Value::Scalar(t, _) if !n.is_null() => Some(t),
        _ => None,
    }
}

/// A plain scalar's text (only plain scalars are numbers or booleans).
pub(super) fn plain(n: &Node) -> Option<&str> {
    match &n.value {
        Value::Scalar(t, Style::Plain) => Some(t),
        _ => None,
    }
}

/// A plain scalar that is a decimal integer: an optional sign, then digits without a leading
/// zero (`007` is more likely a slip than seven).
pub(super) fn integer(n: &Node) -> Option<&str> {
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
pub(super) fn map_slots(n: &Node) -> Result<Option<Vec<Option<&Node>>>, PackError> {
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
pub(super) fn wrong(n: &Node, expected: &dyn de::Expected) -> PackError {
    <PackError as de::Error>::invalid_type(unexpected(n), expected)
}

/// A sequence's items as slots, last first.
pub(super) fn seq_slots(n: &Node) -> Option<Vec<Option<&Node>>> {
    match &n.value {
        Value::Seq(items) => Some(items.iter().rev().map(Some).collect()),
        _ => None,
    }
}

/// Where a tree-mode container starts, and its slots.
pub(super) type TreeSlots<'de> = (usize, Vec<Option<&'de Node>>);

/// The containers a tree-mode read prepares slots for.
pub(super) enum Kind {
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
pub(super) fn completed<T>(
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
    pub(super) fn tree_node(&mut self) -> Result<&'de Node, PackError> {
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
    pub(super) fn tree_slots(
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

    /// Before a variant's content: in tree mode, the content is the node to read.
    pub(super) fn variant_content(&mut self) -> Result<(), PackError> {
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
    pub(super) fn node_is_some(&mut self) -> Result<bool, PackError> {
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
    pub(super) fn tree_enum(&mut self) -> Result<Option<usize>, PackError> {
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
}
