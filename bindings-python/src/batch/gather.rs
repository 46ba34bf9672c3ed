//! The result columns: each row copies the outcome of the distinct request it asked.
//!
//! The outcomes are few (one per distinct request) and the rows many, so every column is written
//! in one pass straight into its Arrow buffers. Text is dictionary-encoded (`dictionary<int32,
//! utf8>`: a categorical column in pandas and polars): the few distinct strings are stored once
//! per call and each row holds a 4-byte index, so a million rows that share one error message
//! do not carry a million copies of it. The dictionaries are shared by every batch of the call.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, Decimal128Array, DictionaryArray, Int32Array, ListArray, PrimitiveArray, StringArray,
};
use arrow_buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field};

use super::BatchError;

fn too_big() -> BatchError {
    BatchError::Value(
        "the result columns of this batch exceed 2^31 entries; split the table into smaller batches"
            .into(),
    )
}

fn arrow(e: arrow_schema::ArrowError) -> BatchError {
    BatchError::Value(e.to_string())
}

/// The validity of the rows (`valid` per outcome), or None when every row is valid. The
/// columns of a batch that are null in the same rows share one.
pub(crate) fn nulls(rows: &[u32], valid: &[bool]) -> Option<NullBuffer> {
    if valid.iter().all(|&v| v) {
        return None;
    }
    let buffer = NullBuffer::from_iter(rows.iter().map(|&o| valid.get(o as usize) == Some(&true)));
    (buffer.null_count() > 0).then_some(buffer)
}

/// Whole-đồng amounts as `decimal128(38, 0)`, null where `nulls` says.
pub(crate) fn money(
    rows: &[u32],
    amounts: &[i128],
    nulls: Option<NullBuffer>,
) -> Result<ArrayRef, BatchError> {
    let values: ScalarBuffer<i128> = rows
        .iter()
        .map(|&o| amounts.get(o as usize).copied().unwrap_or(0))
        .collect();
    Decimal128Array::try_new(values, nulls)
        .and_then(|a| a.with_precision_and_scale(38, 0))
        .map(|a| Arc::new(a) as ArrayRef)
        .map_err(arrow)
}

/// The distinct strings of a dictionary, each stored once, in the order first seen.
#[derive(Default)]
struct Interner<'a> {
    seen: HashMap<&'a str, i32>,
    values: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    /// The index of `s` among the values (added if new).
    fn index(&mut self, s: &'a str) -> Result<i32, BatchError> {
        if let Some(&i) = self.seen.get(s) {
            return Ok(i);
        }
        let i = i32::try_from(self.values.len()).map_err(|_| too_big())?;
        self.values.push(s);
        self.seen.insert(s, i);
        Ok(i)
    }

    /// The values as the dictionary of an Arrow column.
    fn values(self) -> ArrayRef {
        Arc::new(StringArray::from(self.values))
    }
}

/// The distinct strings of a column, stored once, and each outcome's index among them.
pub(crate) struct Dictionary {
    values: ArrayRef,
    /// Per outcome: its value's index, or None for a null cell.
    index: Vec<Option<i32>>,
}

impl Dictionary {
    /// One optional string per outcome.
    pub(crate) fn new<'a>(
        per_outcome: impl Iterator<Item = Option<&'a str>>,
    ) -> Result<Dictionary, BatchError> {
        let mut strings = Interner::default();
        let index = per_outcome
            .map(|s| s.map(|s| strings.index(s)).transpose())
            .collect::<Result<_, _>>()?;
        Ok(Dictionary {
            values: strings.values(),
            index,
        })
    }

    /// The column for `rows` (each row names its outcome), null where `nulls` says (which
    /// must be where the outcome has no string).
    pub(crate) fn column(
        &self,
        rows: &[u32],
        nulls: Option<NullBuffer>,
    ) -> Result<ArrayRef, BatchError> {
        let keys: ScalarBuffer<i32> = rows
            .iter()
            .map(|&o| self.index.get(o as usize).copied().flatten().unwrap_or(0))
            .collect();
        let keys = PrimitiveArray::<Int32Type>::try_new(keys, nulls).map_err(arrow)?;
        DictionaryArray::try_new(keys, self.values.clone())
            .map(|a| Arc::new(a) as ArrayRef)
            .map_err(arrow)
    }
}

/// The type of a dictionary-encoded text column.
pub(crate) fn text_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// The rule ids of each row: `list<dictionary<int32, utf8>>`, null for a row that was not
/// priced.
pub(crate) struct RuleIds {
    values: ArrayRef,
    /// The indices of every outcome's rule ids, one after another.
    flat: Vec<i32>,
    /// Per outcome: where its indices start in `flat` and how many there are (none when it
    /// was not priced).
    spans: Vec<(u32, u32)>,
}

impl RuleIds {
    pub(crate) fn new<'a>(
        per_outcome: impl Iterator<Item = Option<&'a [&'a str]>>,
    ) -> Result<RuleIds, BatchError> {
        let mut strings = Interner::default();
        let mut flat = Vec::new();
        let mut spans = Vec::new();
        for list in per_outcome {
            let start = u32::try_from(flat.len()).map_err(|_| too_big())?;
            for s in list.unwrap_or(&[]) {
                flat.push(strings.index(s)?);
            }
            let len = u32::try_from(flat.len()).map_err(|_| too_big())? - start;
            spans.push((start, len));
        }
        Ok(RuleIds {
            values: strings.values(),
            flat,
            spans,
        })
    }

    pub(crate) fn item_field() -> Arc<Field> {
        Arc::new(Field::new("item", text_type(), true))
    }

    /// The column for `rows`, null where `nulls` says (which must be where the outcome was
    /// not priced).
    pub(crate) fn column(
        &self,
        rows: &[u32],
        nulls: Option<NullBuffer>,
    ) -> Result<ArrayRef, BatchError> {
        let span = |o: u32| self.spans.get(o as usize).copied().unwrap_or((0, 0));
        let count = rows
            .iter()
            .try_fold(0usize, |n, &o| n.checked_add(span(o).1 as usize))
            .ok_or_else(too_big)?;
        i32::try_from(count).map_err(|_| too_big())?;
        let mut keys: Vec<i32> = Vec::with_capacity(count);
        let mut offsets: Vec<i32> = Vec::with_capacity(rows.len() + 1);
        offsets.push(0);
        for &o in rows {
            let (start, len) = span(o);
            // A row has a handful of rule ids: pushed one by one (a memcpy call per row
            // cost more than the copy).
            let ids = self
                .flat
                .get(start as usize..(start as usize).saturating_add(len as usize))
                .unwrap_or(&[]);
            for &id in ids {
                keys.push(id);
            }
            // count fits in i32 (checked above), so every prefix does too.
            offsets.push(keys.len() as i32);
        }
        let items =
            DictionaryArray::try_new(Int32Array::from(keys), self.values.clone()).map_err(arrow)?;
        ListArray::try_new(
            Self::item_field(),
            OffsetBuffer::new(offsets.into()),
            Arc::new(items),
            nulls,
        )
        .map(|a| Arc::new(a) as ArrayRef)
        .map_err(arrow)
    }
}
