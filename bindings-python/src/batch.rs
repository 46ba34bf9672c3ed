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

use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use lephi::model::{InputKind, INPUTS};
use lephi::quote::{Applicant, InputValue, PostageRequest};
use lephi::{ApplicantKind, Channel, Date, Direction, Error, ErrorKind, Request, RuleLibrary};
use rust_decimal::Decimal;

/// Why a whole batch was refused.
pub(crate) enum BatchError {
    /// A column has a type that cannot carry its values exactly (raised as `TypeError`).
    Type(String),
    /// Something else about the table (raised as `ValueError`).
    Value(String),
}

/// The priced outcome of one distinct request.
struct Priced {
    total: i128,
    fees_total: i128,
    postage_total: i128,
    subsidy: i128,
    rule_ids: Vec<Arc<str>>,
}

type Outcome = Result<Priced, (&'static str, String)>;

/// One cell, read from the Arrow buffers to hash and compare rows (no allocation per row).
#[derive(Clone, Copy)]
enum Cell<'a> {
    Null,
    Int(i64),
    Float(u64),
    Text(&'a str),
    Bool(bool),
}

enum Col {
    Absent,
    Text(arrow_array::StringArray),
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
        _ => arrow_cast::cast(col, &DataType::Utf8)
            .map(|a| Col::Text(a.as_string::<i32>().clone()))
            .map_err(|_| type_error(name, col.data_type(), "strings")),
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
        return arrow_cast::cast(col, &DataType::Int64)
            .map(|a| Col::Ints(a.as_primitive::<Int64Type>().clone()))
            .map_err(|_| type_error(name, dt, "whole numbers"));
    }
    as_text(name, col)
}

fn as_date(col: &ArrayRef) -> Result<Col, BatchError> {
    let dt = col.data_type();
    match dt {
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _) => {
            arrow_cast::cast(col, &DataType::Date32)
                .map(|a| Col::Dates(a.as_primitive::<Date32Type>().clone()))
                .map_err(|_| type_error("date", dt, "dates"))
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

fn as_bool(name: &str, col: &ArrayRef) -> Result<Col, BatchError> {
    arrow_cast::cast(col, &DataType::Boolean)
        .map(|a| Col::Bools(a.as_boolean().clone()))
        .map_err(|_| type_error(name, col.data_type(), "booleans"))
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
            Col::Text(a) if a.is_valid(row) => Some(a.value(row)),
            _ => None,
        }
    }

    fn cell(&self, row: usize) -> Cell<'_> {
        if self.is_null(row) {
            return Cell::Null;
        }
        match self {
            Col::Absent | Col::Lists(_) => Cell::Null,
            Col::Text(a) => Cell::Text(a.value(row)),
            Col::Dates(a) => Cell::Int(i64::from(a.value(row))),
            Col::Ints(a) => Cell::Int(a.value(row)),
            Col::Floats(a) => Cell::Float(a.value(row).to_bits()),
            Col::Bools(a) => Cell::Bool(a.value(row)),
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

fn count_at(col: &Col, name: &str, row: usize) -> Result<Option<u64>, Error> {
    if col.is_null(row) {
        return Ok(None);
    }
    match col {
        Col::Ints(a) => u64::try_from(a.value(row))
            .map(Some)
            .map_err(|_| invalid(name, a.value(row).to_string(), "a whole number ≥ 0")),
        Col::Floats(a) => {
            let v = a.value(row);
            // Exact for whole values below 2^53; anything else is refused, not rounded.
            if v.fract() == 0.0 && (0.0..9.0e15).contains(&v) {
                Ok(Some(format!("{v:.0}").parse::<u64>().map_err(|_| {
                    invalid(name, v.to_string(), "a whole number ≥ 0")
                })?))
            } else {
                Err(invalid(name, v.to_string(), "a whole number ≥ 0"))
            }
        }
        Col::Text(a) => a
            .value(row)
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| invalid(name, a.value(row), "a whole number ≥ 0")),
        _ => Ok(None),
    }
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
                InputKind::Money | InputKind::Choice => {
                    column(batch, spec.name, |c| as_text(spec.name, c))?
                }
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
                .ok_or_else(|| invalid("date", a.value(row).to_string(), "a date in 1900–2999"))?,
            Col::Text(a) if a.is_valid(row) => Date::parse(a.value(row).trim())?,
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
            Some("individual") => ApplicantKind::Individual,
            Some("organisation" | "organization") => ApplicantKind::Organisation,
            Some(other) => {
                return Err(invalid(
                    "applicant_kind",
                    other,
                    "individual or organisation",
                ))
            }
        };
        let categories = match &self.categories {
            Col::Lists(a) if a.is_valid(row) => {
                let values = a.value(row);
                let values = values.as_string::<i32>();
                values.iter().flatten().map(str::to_string).collect()
            }
            Col::Text(a) if a.is_valid(row) => a
                .value(row)
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
                InputKind::Count => count_at(col, name, row)?.map(InputValue::Integer),
                _ => col.text(row).map(|t| InputValue::Text(t.to_string())),
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
                let weight = count_at(&self.postage_weight, "postage_weight_grams", row)?
                    .ok_or_else(|| {
                        Error::new(ErrorKind::MissingInput {
                            name: "postage_weight_grams".into(),
                            expected: "the weight of the dossier in grams".into(),
                        })
                    })?;
                let weight_grams = u32::try_from(weight)
                    .map_err(|_| invalid("postage_weight_grams", weight.to_string(), "grams"))?;
                let collect_fees = match &self.postage_collect {
                    Col::Bools(a) if a.is_valid(row) => a.value(row),
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

fn price_one(lib: &RuleLibrary, req: &Request) -> Outcome {
    let q = lib.quote(req).map_err(|e| (e.code(), e.to_string()))?;
    let mut rule_ids = Vec::new();
    for line in &q.lines {
        rule_ids.push(line.rule.clone());
        rule_ids.extend(
            line.adjustments
                .iter()
                .filter(|a| a.applied)
                .map(|a| a.rule.clone()),
        );
    }
    let mut subsidy = Decimal::ZERO;
    if let Some(p) = &q.postage {
        rule_ids.push(p.rule.clone());
        rule_ids.extend(
            p.adjustments
                .iter()
                .filter(|a| a.applied)
                .map(|a| a.rule.clone()),
        );
        rule_ids.extend(p.subsidy_rule.clone());
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

/// The result columns, one row per distinct outcome.
fn outcome_columns(outcomes: &[Outcome]) -> Vec<ArrayRef> {
    let n = outcomes.len();
    let mut total = money_builder(n);
    let mut fees = money_builder(n);
    let mut postage = money_builder(n);
    let mut subsidy = money_builder(n);
    let mut rule_ids = ListBuilder::new(StringBuilder::new());
    let mut status = StringBuilder::new();
    let mut code = StringBuilder::new();
    let mut error = StringBuilder::new();
    for outcome in outcomes {
        match outcome {
            Ok(p) => {
                total.append_value(p.total);
                fees.append_value(p.fees_total);
                postage.append_value(p.postage_total);
                subsidy.append_value(p.subsidy);
                for id in &p.rule_ids {
                    rule_ids.values().append_value(id);
                }
                rule_ids.append(true);
                status.append_value("ok");
                code.append_null();
                error.append_null();
            }
            Err((c, m)) => {
                total.append_null();
                fees.append_null();
                postage.append_null();
                subsidy.append_null();
                rule_ids.append(false);
                status.append_value("error");
                code.append_value(c);
                error.append_value(m);
            }
        }
    }
    vec![
        Arc::new(total.finish()),
        Arc::new(fees.finish()),
        Arc::new(postage.finish()),
        Arc::new(subsidy.finish()),
        Arc::new(rule_ids.finish()),
        Arc::new(status.finish()),
        Arc::new(code.finish()),
        Arc::new(error.finish()),
    ]
}

fn money_builder(rows: usize) -> Decimal128Builder {
    Decimal128Builder::with_capacity(rows).with_data_type(DataType::Decimal128(38, 0))
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
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        ),
        Field::new("status", DataType::Utf8, false),
        Field::new("error_code", DataType::Utf8, true),
        Field::new("error", DataType::Utf8, true),
    ]))
}

/// Prices every row of every batch.
pub(crate) fn price(
    lib: &RuleLibrary,
    batches: &[RecordBatch],
    _schema: &SchemaRef,
) -> Result<(Vec<RecordBatch>, SchemaRef), BatchError> {
    let schema = out_schema();
    let mut out = Vec::with_capacity(batches.len());
    for batch in batches {
        let cols = Columns::new(batch)?;
        let keyed = cols.keyed();
        // Distinct rows: their encodings live in one arena (compact, so lookups stay in cache);
        // the table holds (start, end, outcome) and compares encodings byte for byte.
        let mut memo: hashbrown::HashTable<(usize, usize, usize)> = hashbrown::HashTable::new();
        let mut arena: Vec<u8> = Vec::new();
        let mut buf: Vec<u8> = Vec::with_capacity(256);
        let mut outcomes: Vec<Outcome> = Vec::new();
        let hash_of = |bytes: &[u8]| {
            use std::hash::Hasher;
            let mut h = rustc_hash::FxHasher::default();
            h.write(bytes);
            h.finish()
        };
        let rows = batch.num_rows();
        // Per row only the index of its distinct outcome; the result columns are built once per
        // distinct outcome and gathered with Arrow's `take`.
        let mut indices: Vec<u32> = Vec::with_capacity(rows);
        for row in 0..rows {
            cols.encode_row(&keyed, row, &mut buf);
            let hash = hash_of(&buf);
            let found = memo
                .find(hash, |&(start, end, _)| {
                    arena.get(start..end) == Some(buf.as_slice())
                })
                .map(|&(_, _, index)| index);
            let index = match found {
                Some(index) => index,
                None => {
                    let priced = match cols.request(row) {
                        Err(e) => Err((e.code(), e.to_string())),
                        Ok(req) => price_one(lib, &req),
                    };
                    outcomes.push(priced);
                    let index = outcomes.len().saturating_sub(1);
                    let start = arena.len();
                    arena.extend_from_slice(&buf);
                    let arena_ref = &arena;
                    memo.insert_unique(hash, (start, arena.len(), index), |&(s, e, _)| {
                        hash_of(arena_ref.get(s..e).unwrap_or(&[]))
                    });
                    index
                }
            };
            indices.push(u32::try_from(index).map_err(|_| {
                BatchError::Value("more than 4 billion distinct rows in one batch".into())
            })?);
        }
        let distinct = outcome_columns(&outcomes);
        let take = arrow_array::UInt32Array::from(indices);
        let columns = distinct
            .iter()
            .map(|c| arrow_select::take::take(c.as_ref(), &take, None))
            .collect::<Result<Vec<ArrayRef>, _>>()
            .map_err(|e| BatchError::Value(e.to_string()))?;
        out.push(
            RecordBatch::try_new(schema.clone(), columns)
                .map_err(|e| BatchError::Value(e.to_string()))?,
        );
    }
    Ok((out, schema))
}
