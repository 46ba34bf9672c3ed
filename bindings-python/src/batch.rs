//! Columnar pricing: Arrow record batches in, Arrow result columns out.
//!
//! Column names follow the request contract: `procedure`, `date`, `jurisdiction`, `channel`,
//! `applicant_kind`, `categories` (a list of strings or one comma-separated string), one column
//! per input of the vocabulary (`copies`, `pages`, `declared_value`, ...), `postage_direction`,
//! `postage_zone`, `postage_weight_grams`, `postage_collect_fees`. Absent columns and nulls take
//! the request defaults. Other columns are ignored.
//!
//! A column of the wrong type fails the whole call (it is a schema mistake, e.g. money as
//! float64); a bad value fails only its row. Identical requests are priced once per call:
//! the engine is deterministic, so the memo changes nothing but the time.

mod gather;
mod keys;

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use lephi::model::{InputKind, INPUTS};
use lephi::quote::{Applicant, InputValue, PostageRequest};
use lephi::{ApplicantKind, Channel, Date, Direction, Error, ErrorKind, Request, RuleLibrary};
use rust_decimal::Decimal;

/// The columns of the request that are not inputs of the vocabulary.
const REQUEST_COLUMNS: [&str; 10] = [
    "procedure",
    "date",
    "jurisdiction",
    "channel",
    "applicant_kind",
    "categories",
    "postage_direction",
    "postage_zone",
    "postage_weight_grams",
    "postage_collect_fees",
];

/// Every column a batch reads (the others are the caller's own and are ignored).
pub(crate) fn column_names() -> Vec<&'static str> {
    let inputs = INPUTS.iter().map(|spec| spec.name);
    let mut names: Vec<&'static str> = REQUEST_COLUMNS.to_vec();
    names.extend(inputs.filter(|n| !REQUEST_COLUMNS.contains(n)));
    names
}

/// The columns read as whole numbers (the count inputs and the postage weight), where a
/// float column's whole values are accepted (pandas makes an integer column with a missing
/// value float64).
pub(crate) fn count_column_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = INPUTS
        .iter()
        .filter(|spec| spec.kind == InputKind::Count)
        .map(|spec| spec.name)
        .collect();
    names.push("postage_weight_grams");
    names
}

/// Why a whole batch was refused.
pub(crate) enum BatchError {
    /// A column has a type that cannot carry its values exactly (raised as `TypeError`).
    Type(String),
    /// Something else about the table (raised as `ValueError`).
    Value(String),
}

/// The priced outcome of one distinct request.
struct Priced<'a> {
    total: i128,
    fees_total: i128,
    postage_total: i128,
    subsidy: i128,
    /// Borrowed from the library.
    rule_ids: Vec<&'a str>,
}

type Outcome<'a> = Result<Priced<'a>, (&'static str, String)>;

/// One cell, read from the Arrow buffers to hash and compare rows (no allocation per row).
#[derive(Clone, Copy)]
enum Cell<'a> {
    Null,
    Int(i64),
    Float(u64),
    Text(&'a str),
    Bool(bool),
}

/// Text cells in any of Arrow's string layouts, read in place (pandas gives `large_string`,
/// polars `string_view`, categoricals come as dictionaries).
enum Strs {
    Utf8(arrow_array::StringArray),
    Large(arrow_array::LargeStringArray),
    View(arrow_array::StringViewArray),
    Dict(
        arrow_array::PrimitiveArray<Int32Type>,
        arrow_array::StringArray,
    ),
}

impl Strs {
    fn get(&self, row: usize) -> Option<&str> {
        match self {
            Strs::Utf8(a) => a.is_valid(row).then(|| a.value(row)),
            Strs::Large(a) => a.is_valid(row).then(|| a.value(row)),
            Strs::View(a) => a.is_valid(row).then(|| a.value(row)),
            Strs::Dict(keys, values) => {
                if keys.is_null(row) {
                    return None;
                }
                let k = usize::try_from(keys.value(row)).ok()?;
                (k < values.len() && values.is_valid(k)).then(|| values.value(k))
            }
        }
    }

    fn is_null(&self, row: usize) -> bool {
        self.get(row).is_none()
    }

    /// Folds this column into the row keys; a dictionary codes its values once and its rows
    /// through the keys.
    fn fold(&self, row_keys: &mut keys::RowKeys) {
        let constant = match self {
            Strs::Utf8(a) => repeats_one_cell(a),
            Strs::Large(a) => repeats_one_cell(a),
            _ => false,
        };
        if constant {
            return;
        }
        match self {
            Strs::Utf8(a) => row_keys.fold_bytes(|r| a.is_valid(r).then(|| a.value(r).as_bytes())),
            Strs::Large(a) => row_keys.fold_bytes(|r| a.is_valid(r).then(|| a.value(r).as_bytes())),
            Strs::View(a) => row_keys.fold_bytes(|r| a.is_valid(r).then(|| a.value(r).as_bytes())),
            Strs::Dict(dict_keys, values) => {
                let mut coder = keys::Coder::default();
                let value_codes: Vec<u32> = (0..values.len())
                    .map(|i| {
                        if values.is_valid(i) {
                            coder.code(values.value(i).as_bytes())
                        } else {
                            0
                        }
                    })
                    .collect();
                row_keys.fold_ints(|r| {
                    if dict_keys.is_null(r) {
                        return None;
                    }
                    let k = usize::try_from(dict_keys.value(r)).ok()?;
                    value_codes
                        .get(k)
                        .copied()
                        .filter(|&c| c != 0)
                        .map(i64::from)
                })
            }
        }
    }
}

/// Whether every cell holds the same string, decided over whole buffers: equal lengths
/// (evenly spaced offsets) and a values buffer equal to itself shifted by one cell. False
/// means "not shown", and the cell-by-cell check decides.
fn repeats_one_cell<O: arrow_array::OffsetSizeTrait>(
    a: &arrow_array::GenericStringArray<O>,
) -> bool {
    if a.null_count() > 0 || a.is_empty() {
        return false;
    }
    let offsets = a.value_offsets();
    let (Some(&first), Some(&second), Some(&last)) =
        (offsets.first(), offsets.get(1), offsets.last())
    else {
        return false;
    };
    let (Some(start), Some(len), Some(end)) = (
        first.to_usize(),
        (second - first).to_usize(),
        last.to_usize(),
    ) else {
        return false;
    };
    if !offsets.windows(2).all(|w| w[1] - w[0] == second - first) {
        return false;
    }
    match (a.value_data().get(start..end), end.checked_sub(len)) {
        (Some(values), Some(cut)) => cut
            .checked_sub(start)
            .is_some_and(|keep| values.get(len..) == values.get(..keep)),
        _ => false,
    }
}

fn strs(col: &ArrayRef) -> Option<Strs> {
    match col.data_type() {
        DataType::Utf8 => Some(Strs::Utf8(col.as_string::<i32>().clone())),
        DataType::LargeUtf8 => Some(Strs::Large(col.as_string::<i64>().clone())),
        DataType::Utf8View => Some(Strs::View(col.as_string_view().clone())),
        DataType::Dictionary(_, _) => {
            let dict = arrow_cast::cast(
                col,
                &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            )
            .ok()?;
            let dict = dict.as_dictionary_opt::<Int32Type>()?;
            let values = dict.values().as_string_opt::<i32>()?.clone();
            Some(Strs::Dict(dict.keys().clone(), values))
        }
        _ => None,
    }
}

enum Col {
    Absent,
    Text(Strs),
    Dates(arrow_array::PrimitiveArray<Date32Type>),
    Ints(arrow_array::PrimitiveArray<Int64Type>),
    Floats(arrow_array::PrimitiveArray<Float64Type>),
    Lists(arrow_array::ListArray),
    Bools(arrow_array::BooleanArray),
}

fn type_error(name: &str, dt: &DataType, expected: &str) -> BatchError {
    BatchError::Type(format!(
        "column `{name}` has Arrow type {dt}; expected {expected}"
    ))
}

fn as_text(name: &str, col: &ArrayRef) -> Result<Col, BatchError> {
    match col.data_type() {
        DataType::Float16 | DataType::Float32 | DataType::Float64 => Err(type_error(
            name,
            col.data_type(),
            "strings, integers or decimals (never floats: use Decimal, int or str)",
        )),
        _ => match strs(col) {
            Some(s) => Ok(Col::Text(s)),
            None => arrow_cast::cast(col, &DataType::Utf8)
                .map(|a| Col::Text(Strs::Utf8(a.as_string::<i32>().clone())))
                .map_err(|_| type_error(name, col.data_type(), "strings")),
        },
    }
}

fn as_count(name: &str, col: &ArrayRef) -> Result<Col, BatchError> {
    let dt = col.data_type();
    if matches!(
        dt,
        DataType::Float16 | DataType::Float32 | DataType::Float64
    ) {
        // pandas turns integer columns with missing values into float64: accept whole values.
        return arrow_cast::cast(col, &DataType::Float64)
            .map(|a| Col::Floats(a.as_primitive::<Float64Type>().clone()))
            .map_err(|_| type_error(name, dt, "whole numbers"));
    }
    if dt.is_integer() || matches!(dt, DataType::Decimal128(_, 0)) {
        return whole_numbers(name, col, "whole numbers");
    }
    as_text(name, col)
}

/// An integer column as `int64` where every value fits; a column with a value that does not
/// (a `uint64` above 2^63, a wide decimal) is read as the values' text instead, so that the
/// engine refuses that row's value as given rather than the cast turning it into a null,
/// which would price the row as if the value were missing.
fn whole_numbers(name: &str, col: &ArrayRef, expected: &str) -> Result<Col, BatchError> {
    let ints = arrow_cast::cast(col, &DataType::Int64)
        .map_err(|_| type_error(name, col.data_type(), expected))?;
    if ints.null_count() == col.logical_null_count() {
        return Ok(Col::Ints(ints.as_primitive::<Int64Type>().clone()));
    }
    arrow_cast::cast(col, &DataType::Utf8)
        .map(|a| Col::Text(Strs::Utf8(a.as_string::<i32>().clone())))
        .map_err(|_| type_error(name, col.data_type(), expected))
}

/// Money: integer columns are read as whole đồng where they are (no text on the way);
/// decimals and strings as their decimal text.
fn as_money(name: &str, col: &ArrayRef) -> Result<Col, BatchError> {
    if col.data_type().is_integer() {
        return whole_numbers(name, col, "whole đồng");
    }
    as_text(name, col)
}

fn as_date(col: &ArrayRef) -> Result<Col, BatchError> {
    let dt = col.data_type();
    match dt {
        // A column of nulls only (what pyarrow infers from all-`None` cells) is a date column
        // with no dates: every row is refused for its missing date, as a null cell would be.
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _) | DataType::Null => {
            match arrow_cast::cast(col, &DataType::Date32) {
                Ok(days) if days.null_count() == col.logical_null_count() => {
                    Ok(Col::Dates(days.as_primitive::<Date32Type>().clone()))
                }
                _ => days_as_text(col),
            }
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(_, _) => {
            as_text("date", col)
        }
        _ => Err(type_error(
            "date",
            dt,
            "dates (date32, timestamp) or ISO strings `YYYY-MM-DD`",
        )),
    }
}

/// A `date64` or timestamp column with a value beyond `date32` (the cast refuses the column
/// or turns the value into a null): each cell as its day's text, so that only the rows whose
/// value is out of range are refused, for the day they hold, and the others are priced.
fn days_as_text(col: &ArrayRef) -> Result<Col, BatchError> {
    let dt = col.data_type();
    let per_day: i64 = match dt {
        DataType::Date64 | DataType::Timestamp(arrow_schema::TimeUnit::Millisecond, _) => {
            86_400_000
        }
        DataType::Timestamp(arrow_schema::TimeUnit::Second, _) => 86_400,
        DataType::Timestamp(arrow_schema::TimeUnit::Microsecond, _) => 86_400_000_000,
        DataType::Timestamp(arrow_schema::TimeUnit::Nanosecond, _) => 86_400_000_000_000,
        _ => return Err(type_error("date", dt, "dates")),
    };
    let raw =
        arrow_cast::cast(col, &DataType::Int64).map_err(|_| type_error("date", dt, "dates"))?;
    let raw = raw.as_primitive::<Int64Type>();
    let texts: arrow_array::StringArray = (0..col.len())
        .map(|row| {
            if raw.is_null(row) {
                return None;
            }
            // The cast's day where it has one (a timestamp's day in its own time zone); a value
            // it cannot convert is shown as its UTC day.
            let day = arrow_cast::cast(&col.slice(row, 1), &DataType::Date32)
                .ok()
                .filter(|d| d.is_valid(0))
                .map(|d| i64::from(d.as_primitive::<Date32Type>().value(0)))
                .unwrap_or_else(|| raw.value(row).div_euclid(per_day));
            Some(civil_day(day))
        })
        .collect();
    Ok(Col::Text(Strs::Utf8(texts)))
}

fn as_categories(col: &ArrayRef) -> Result<Col, BatchError> {
    let dt = col.data_type();
    match dt {
        DataType::List(_)
        | DataType::LargeList(_)
        | DataType::ListView(_)
        | DataType::LargeListView(_)
        | DataType::FixedSizeList(_, _) => arrow_cast::cast(
            col,
            &DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
        )
        .map(|a| Col::Lists(a.as_list::<i32>().clone()))
        .map_err(|_| type_error("categories", dt, "a list of strings")),
        _ => as_text("categories", col),
    }
}

/// Booleans; text that is not one of Arrow's boolean words (`true`, `false`, `yes`, `no`, …),
/// which the cast would turn into a null and so into `false`, stays text for its row to be
/// refused.
fn as_bool(name: &str, col: &ArrayRef) -> Result<Col, BatchError> {
    match arrow_cast::cast(col, &DataType::Boolean) {
        Ok(a) if a.null_count() == col.logical_null_count() => {
            Ok(Col::Bools(a.as_boolean().clone()))
        }
        Ok(_) => as_text(name, col),
        Err(_) => Err(type_error(name, col.data_type(), "booleans")),
    }
}

/// A cell of a boolean column read as text (see [`as_bool`]), by Arrow's own rule for the
/// column's other cells.
fn bool_text(name: &str, text: &str) -> Result<bool, Error> {
    arrow_cast::cast::cast_single_string_to_boolean_default(text)
        .ok_or_else(|| invalid(name, text, "true or false"))
}

fn column(
    batch: &RecordBatch,
    name: &str,
    conv: impl Fn(&ArrayRef) -> Result<Col, BatchError>,
) -> Result<Col, BatchError> {
    match batch.column_by_name(name) {
        Some(c) => conv(c),
        None => Ok(Col::Absent),
    }
}

impl Col {
    fn text(&self, row: usize) -> Option<&str> {
        match self {
            Col::Text(a) => a.get(row),
            _ => None,
        }
    }

    fn cell(&self, row: usize) -> Cell<'_> {
        if self.is_null(row) {
            return Cell::Null;
        }
        match self {
            Col::Absent | Col::Lists(_) => Cell::Null,
            Col::Text(a) => a.get(row).map_or(Cell::Null, Cell::Text),
            Col::Dates(a) => Cell::Int(i64::from(a.value(row))),
            Col::Ints(a) => Cell::Int(a.value(row)),
            Col::Floats(a) => Cell::Float(a.value(row).to_bits()),
            Col::Bools(a) => Cell::Bool(a.value(row)),
        }
    }

    /// Folds this column's cells into the row keys (lists are folded by
    /// [`Columns::fold_category_lists`]).
    fn fold(&self, row_keys: &mut keys::RowKeys) {
        match self {
            Col::Absent | Col::Lists(_) => {}
            Col::Text(s) => s.fold(row_keys),
            Col::Dates(a) => row_keys.fold_ints(|r| a.is_valid(r).then(|| i64::from(a.value(r)))),
            Col::Ints(a) => row_keys.fold_ints(|r| a.is_valid(r).then(|| a.value(r))),
            Col::Floats(a) => row_keys.fold_ints(|r| {
                let v = a.value(r);
                (a.is_valid(r) && !v.is_nan())
                    .then(|| i64::from_le_bytes(v.to_bits().to_le_bytes()))
            }),
            Col::Bools(a) => row_keys.fold_ints(|r| a.is_valid(r).then(|| i64::from(a.value(r)))),
        }
    }

    fn is_null(&self, row: usize) -> bool {
        match self {
            Col::Absent => true,
            Col::Text(a) => a.is_null(row),
            Col::Dates(a) => a.is_null(row),
            Col::Ints(a) => a.is_null(row),
            Col::Floats(a) => a.is_null(row) || a.value(row).is_nan(),
            Col::Lists(a) => a.is_null(row),
            Col::Bools(a) => a.is_null(row),
        }
    }
}

fn invalid(name: &str, value: impl Into<String>, expected: &str) -> Error {
    Error::new(ErrorKind::InvalidInput {
        name: name.into(),
        value: value.into(),
        expected: expected.into(),
    })
}

/// A count cell as the engine reads it from a request: a whole number where the cell holds
/// one, otherwise the cell's text, which the engine refuses with the input's own range (so a
/// row says what `{"copies": -1}` or `{"copies": "2.5"}` would, not a message of the batch's).
fn count_at(col: &Col, row: usize) -> Option<InputValue> {
    if col.is_null(row) {
        return None;
    }
    match col {
        Col::Ints(a) => Some(match u64::try_from(a.value(row)) {
            Ok(v) => InputValue::Integer(v),
            Err(_) => InputValue::Text(a.value(row).to_string()),
        }),
        Col::Floats(a) => {
            let v = a.value(row);
            // Exact for whole values below 2^53; anything else goes as text, not rounded.
            Some(match format!("{v:.0}").parse::<u64>() {
                Ok(n) if v.fract() == 0.0 && (0.0..9.0e15).contains(&v) => InputValue::Integer(n),
                _ => InputValue::Text(v.to_string()),
            })
        }
        Col::Text(a) => a.get(row).map(|t| InputValue::Text(t.to_string())),
        _ => None,
    }
}

/// A day of a date column outside lephi's range, written `YYYY-MM-DD` for the row's message
/// (proleptic Gregorian, days from 1970-01-01 as Arrow counts them).
#[allow(clippy::arithmetic_side_effects)] // bounded: see the first line
fn civil_day(days: i64) -> String {
    // Howard Hinnant's `civil_from_days`; |days| < 2^47 here (an i64 of seconds over 86,400).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The postage weight of a row: a whole number of grams, as a request's `weight_grams`.
fn grams_at(col: &Col, row: usize) -> Result<Option<u32>, Error> {
    const EXPECTED: &str = "a whole number of grams (u32)";
    let grams = match count_at(col, row) {
        None => return Ok(None),
        Some(InputValue::Integer(n)) => u32::try_from(n).map_err(|_| n.to_string()),
        Some(InputValue::Text(t)) => t.trim().parse::<u32>().map_err(|_| t),
    };
    grams
        .map(Some)
        .map_err(|shown| invalid("postage_weight_grams", shown, EXPECTED))
}

/// The columns of one record batch, typed once.
struct Columns {
    procedure: Col,
    date: Col,
    jurisdiction: Col,
    channel: Col,
    applicant_kind: Col,
    categories: Col,
    inputs: Vec<(&'static str, InputKind, Col)>,
    postage_direction: Col,
    postage_zone: Col,
    postage_weight: Col,
    postage_collect: Col,
}

impl Columns {
    fn new(batch: &RecordBatch) -> Result<Columns, BatchError> {
        if batch.column_by_name("procedure").is_none() {
            return Err(BatchError::Value(
                "the table needs a `procedure` column (and a `date` column)".into(),
            ));
        }
        if batch.column_by_name("date").is_none() {
            return Err(BatchError::Value("the table needs a `date` column".into()));
        }
        let text = |name: &'static str| move |c: &ArrayRef| as_text(name, c);
        let mut inputs = Vec::new();
        for spec in INPUTS {
            if spec.name == "applicant_kind" {
                continue;
            }
            let col = match spec.kind {
                InputKind::Count => column(batch, spec.name, |c| as_count(spec.name, c))?,
                InputKind::Money => column(batch, spec.name, |c| as_money(spec.name, c))?,
                InputKind::Choice => column(batch, spec.name, |c| as_text(spec.name, c))?,
            };
            if !matches!(col, Col::Absent) {
                inputs.push((spec.name, spec.kind.clone(), col));
            }
        }

        Ok(Columns {
            procedure: column(batch, "procedure", text("procedure"))?,
            date: column(batch, "date", as_date)?,
            jurisdiction: column(batch, "jurisdiction", text("jurisdiction"))?,
            channel: column(batch, "channel", text("channel"))?,
            applicant_kind: column(batch, "applicant_kind", text("applicant_kind"))?,
            categories: column(batch, "categories", as_categories)?,
            inputs,
            postage_direction: column(batch, "postage_direction", text("postage_direction"))?,
            postage_zone: column(batch, "postage_zone", text("postage_zone"))?,
            postage_weight: column(batch, "postage_weight_grams", |c| {
                as_count("postage_weight_grams", c)
            })?,
            postage_collect: column(batch, "postage_collect_fees", |c| {
                as_bool("postage_collect_fees", c)
            })?,
        })
    }

    /// The columns a request reads, in a fixed order (absent ones left out).
    fn keyed(&self) -> Vec<&Col> {
        let mut cols = vec![
            &self.procedure,
            &self.date,
            &self.jurisdiction,
            &self.channel,
            &self.applicant_kind,
            &self.categories,
            &self.postage_direction,
            &self.postage_zone,
            &self.postage_weight,
            &self.postage_collect,
        ];
        cols.extend(self.inputs.iter().map(|(_, _, c)| c));
        cols.retain(|c| !matches!(c, Col::Absent));
        cols
    }

    fn list_categories(&self, row: usize) -> impl Iterator<Item = Option<&str>> + '_ {
        let (values, range) = match &self.categories {
            Col::Lists(a) if a.is_valid(row) => {
                let offsets = a.value_offsets();
                let range = match (offsets.get(row), offsets.get(row.saturating_add(1))) {
                    (Some(s), Some(e)) => (*s as usize)..(*e as usize),
                    _ => 0..0,
                };
                (Some(a.values().as_string::<i32>()), range)
            }
            _ => (None, 0..0),
        };
        range.map(move |i| values.filter(|v| v.is_valid(i)).map(|v| v.value(i)))
    }

    /// Folds the `categories` column into the row keys when it holds lists.
    fn fold_category_lists(&self, row_keys: &mut keys::RowKeys) {
        let Col::Lists(a) = &self.categories else {
            return;
        };
        let mut coder = keys::Coder::default();
        let mut buf = Vec::new();
        row_keys.fold_codes(|r| {
            if a.is_null(r) {
                return 0;
            }
            buf.clear();
            for v in self.list_categories(r) {
                match v {
                    Some(t) => {
                        buf.extend_from_slice(&(t.len() as u64).to_le_bytes());
                        buf.extend_from_slice(t.as_bytes());
                    }
                    None => buf.push(0xff),
                }
            }
            coder.code(&buf)
        });
    }

    /// Writes everything a row's request depends on into `buf` (tagged, length-prefixed), so
    /// two rows build the same request exactly when their encodings are equal.
    fn encode_row(&self, keyed: &[&Col], row: usize, buf: &mut Vec<u8>) {
        fn text(buf: &mut Vec<u8>, t: &str) {
            buf.extend_from_slice(&(t.len() as u64).to_le_bytes());
            buf.extend_from_slice(t.as_bytes());
        }
        buf.clear();
        for c in keyed {
            match c.cell(row) {
                Cell::Null => buf.push(0),
                Cell::Int(v) => {
                    buf.push(1);
                    buf.extend_from_slice(&v.to_le_bytes());
                }
                Cell::Float(v) => {
                    buf.push(2);
                    buf.extend_from_slice(&v.to_le_bytes());
                }
                Cell::Text(t) => {
                    buf.push(3);
                    text(buf, t);
                }
                Cell::Bool(v) => buf.push(if v { 4 } else { 5 }),
            }
        }
        for v in self.list_categories(row) {
            match v {
                Some(t) => {
                    buf.push(6);
                    text(buf, t);
                }
                None => buf.push(7),
            }
        }
    }

    fn request(&self, row: usize) -> Result<Request, Error> {
        let procedure = self
            .procedure
            .text(row)
            .ok_or_else(|| {
                Error::new(ErrorKind::RequestInvalid {
                    message: "`procedure` is empty in this row".into(),
                })
            })?
            .to_string();
        let date = match &self.date {
            Col::Dates(a) if a.is_valid(row) => Date::from_unix_days(i64::from(a.value(row)))
                .ok_or_else(|| {
                    invalid(
                        "date",
                        civil_day(i64::from(a.value(row))),
                        "a date in 1900–2999",
                    )
                })?,
            Col::Text(a) if !a.is_null(row) => Date::parse(a.get(row).unwrap_or_default().trim())?,
            _ => {
                return Err(Error::new(ErrorKind::RequestInvalid {
                    message: "`date` is empty in this row".into(),
                }))
            }
        };
        let jurisdiction = self.jurisdiction.text(row).unwrap_or("vn").to_string();
        let channel = match self.channel.text(row) {
            None => Channel::default(),
            Some(c) => Channel::parse(c).ok_or_else(|| {
                invalid(
                    "channel",
                    c,
                    "in_person, postal, online_partial, online_full (or level_3, level_4)",
                )
            })?,
        };
        let kind = match self.applicant_kind.text(row) {
            None => ApplicantKind::default(),
            Some(text) => ApplicantKind::parse(text)
                .ok_or_else(|| invalid("applicant_kind", text, "individual or organisation"))?,
        };
        let categories = match &self.categories {
            Col::Lists(a) if a.is_valid(row) => {
                let values = a.value(row);
                let values = values.as_string::<i32>();
                values.iter().flatten().map(str::to_string).collect()
            }
            Col::Text(a) if !a.is_null(row) => a
                .get(row)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        let mut inputs = std::collections::BTreeMap::new();
        for (name, kind, col) in &self.inputs {
            let value = match kind {
                InputKind::Count => count_at(col, row),
                InputKind::Money => match col {
                    // the same value the engine reads from `{"declared_value": 800000000}`;
                    // a negative amount goes as text and is refused there as in a request
                    Col::Ints(a) if a.is_valid(row) => Some(match u64::try_from(a.value(row)) {
                        Ok(v) => InputValue::Integer(v),
                        Err(_) => InputValue::Text(a.value(row).to_string()),
                    }),
                    _ => col.text(row).map(|t| InputValue::Text(t.to_string())),
                },
                InputKind::Choice => col.text(row).map(|t| InputValue::Text(t.to_string())),
            };
            if let Some(v) = value {
                inputs.insert((*name).to_string(), v);
            }
        }
        let postage = match self.postage_direction.text(row) {
            None => None,
            Some(d) => {
                let direction = match d {
                    "send" => Direction::Send,
                    "return" => Direction::Return,
                    "both" => Direction::Both,
                    other => {
                        return Err(invalid("postage_direction", other, "send, return or both"))
                    }
                };
                let zone = self
                    .postage_zone
                    .text(row)
                    .ok_or_else(|| {
                        Error::new(ErrorKind::MissingInput {
                            name: "postage_zone".into(),
                            expected: "the zone as the tariff names it (e.g. inner_city)".into(),
                        })
                    })?
                    .to_string();
                let weight_grams = grams_at(&self.postage_weight, row)?.ok_or_else(|| {
                    Error::new(ErrorKind::MissingInput {
                        name: "postage_weight_grams".into(),
                        expected: "the weight of the dossier in grams".into(),
                    })
                })?;
                let collect_fees = match &self.postage_collect {
                    Col::Bools(a) if a.is_valid(row) => a.value(row),
                    Col::Text(a) => match a.get(row) {
                        Some(t) => bool_text("postage_collect_fees", t)?,
                        None => false,
                    },
                    _ => false,
                };
                Some(PostageRequest {
                    direction,
                    zone,
                    weight_grams,
                    collect_fees,
                })
            }
        };
        Ok(Request {
            procedure,
            jurisdiction,
            date,
            channel,
            applicant: Applicant { kind, categories },
            inputs,
            postage,
        })
    }
}

fn whole_dong(d: Decimal) -> Result<i128, (&'static str, String)> {
    let n = d.normalize();
    if n.scale() == 0 {
        Ok(n.mantissa())
    } else {
        Err((
            "fractional_dong",
            format!("the amount {n} has a fraction of a đồng; the batch columns hold whole đồng"),
        ))
    }
}

fn price_one<'a>(lib: &'a RuleLibrary, req: &Request) -> Outcome<'a> {
    let q = lib.quote(req).map_err(|e| (e.code(), e.to_string()))?;
    let mut rule_ids = Vec::new();
    for line in &q.lines {
        rule_ids.push(line.rule);
        rule_ids.extend(
            line.adjustments
                .iter()
                .filter(|a| a.applied)
                .map(|a| a.rule),
        );
    }
    let mut subsidy = Decimal::ZERO;
    if let Some(p) = &q.postage {
        rule_ids.push(p.rule);
        rule_ids.extend(p.adjustments.iter().filter(|a| a.applied).map(|a| a.rule));
        rule_ids.extend(p.subsidy_rule);
        subsidy = p.subsidy.decimal();
    }
    Ok(Priced {
        total: whole_dong(q.total.decimal())?,
        fees_total: whole_dong(q.fees_total.decimal())?,
        postage_total: whole_dong(q.postage_total.decimal())?,
        subsidy: whole_dong(subsidy)?,
        rule_ids,
    })
}

fn out_schema() -> SchemaRef {
    let money = || DataType::Decimal128(38, 0);
    Arc::new(Schema::new(vec![
        Field::new("total", money(), true),
        Field::new("fees_total", money(), true),
        Field::new("postage_total", money(), true),
        Field::new("postage_subsidy", money(), true),
        Field::new(
            "rule_ids",
            DataType::List(gather::RuleIds::item_field()),
            true,
        ),
        Field::new("status", gather::text_type(), false),
        Field::new("error_code", gather::text_type(), true),
        Field::new("error", gather::text_type(), true),
    ]))
}

/// Prices every row of every batch.
///
/// Rows are grouped by what they ask (see [`keys`]); each distinct request is built from its
/// first row and priced once for the whole call (batches share a memo keyed by the request's
/// cells), and the result columns copy each row's outcome (see [`gather`]).
pub(crate) fn price(
    lib: &RuleLibrary,
    batches: &[RecordBatch],
    _schema: &SchemaRef,
) -> Result<(Vec<RecordBatch>, SchemaRef), BatchError> {
    let schema = out_schema();
    // Across batches: the cells of each priced request (in one arena) → its outcome.
    let mut memo: hashbrown::HashTable<(u64, usize, usize, u32)> = hashbrown::HashTable::new();
    let mut arena: Vec<u8> = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    let mut outcomes: Vec<Outcome> = Vec::new();
    // Per batch, per row: the index of its outcome.
    let mut row_outcomes: Vec<Vec<u32>> = Vec::with_capacity(batches.len());
    for batch in batches {
        let rows = batch.num_rows();
        if u32::try_from(rows).map_or(true, |r| r == u32::MAX) {
            return Err(BatchError::Value(
                "a record batch has 2^32 rows or more; split the table into smaller batches".into(),
            ));
        }
        let cols = Columns::new(batch)?;
        let keyed = cols.keyed();
        let mut row_keys = keys::RowKeys::new(rows);
        for col in &keyed {
            col.fold(&mut row_keys);
        }
        cols.fold_category_lists(&mut row_keys);
        let distinct = row_keys.number();
        let mut outcome_of: Vec<u32> = Vec::with_capacity(distinct.first_rows.len());
        for &row in &distinct.first_rows {
            cols.encode_row(&keyed, row, &mut buf);
            let hash = keys::hash_bytes(&buf);
            let found = memo.find(hash, |&(h, start, end, _)| {
                h == hash && arena.get(start..end) == Some(buf.as_slice())
            });
            let index = match found {
                Some(&(_, _, _, index)) => index,
                None => {
                    let priced = match cols.request(row) {
                        Err(e) => Err((e.code(), e.to_string())),
                        Ok(req) => price_one(lib, &req),
                    };
                    let index = u32::try_from(outcomes.len()).map_err(|_| {
                        BatchError::Value("more than 4 billion distinct rows in one call".into())
                    })?;
                    outcomes.push(priced);
                    let start = arena.len();
                    arena.extend_from_slice(&buf);
                    memo.insert_unique(hash, (hash, start, arena.len(), index), |&(h, ..)| h);
                    index
                }
            };
            outcome_of.push(index);
        }
        row_outcomes.push(
            distinct
                .id
                .iter()
                .map(|&d| outcome_of[d as usize])
                .collect(),
        );
    }

    let ok: Vec<bool> = outcomes.iter().map(Result::is_ok).collect();
    let failed: Vec<bool> = ok.iter().map(|&v| !v).collect();
    let amount = |f: fn(&Priced) -> i128| -> Vec<i128> {
        outcomes.iter().map(|o| o.as_ref().map_or(0, f)).collect()
    };
    let (total, fees, postage, subsidy) = (
        amount(|p| p.total),
        amount(|p| p.fees_total),
        amount(|p| p.postage_total),
        amount(|p| p.subsidy),
    );
    let rule_ids = gather::RuleIds::new(
        outcomes
            .iter()
            .map(|o| o.as_ref().ok().map(|p| p.rule_ids.as_slice())),
    )?;
    let status = gather::Dictionary::new(
        outcomes
            .iter()
            .map(|o| Some(if o.is_ok() { "ok" } else { "error" })),
    )?;
    let code = gather::Dictionary::new(outcomes.iter().map(|o| o.as_ref().err().map(|(c, _)| *c)))?;
    let message = gather::Dictionary::new(
        outcomes
            .iter()
            .map(|o| o.as_ref().err().map(|(_, m)| m.as_str())),
    )?;
    let mut out = Vec::with_capacity(batches.len());
    for rows in &row_outcomes {
        let priced = gather::nulls(rows, &ok);
        let unpriced = gather::nulls(rows, &failed);
        let columns = vec![
            gather::money(rows, &total, priced.clone())?,
            gather::money(rows, &fees, priced.clone())?,
            gather::money(rows, &postage, priced.clone())?,
            gather::money(rows, &subsidy, priced.clone())?,
            rule_ids.column(rows, priced)?,
            status.column(rows, None)?,
            code.column(rows, unpriced.clone())?,
            message.column(rows, unpriced)?,
        ];
        out.push(
            RecordBatch::try_new(schema.clone(), columns)
                .map_err(|e| BatchError::Value(e.to_string()))?,
        );
    }
    Ok((out, schema))
}
