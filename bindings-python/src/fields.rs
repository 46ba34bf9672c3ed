//! Keyword arguments → `Request`, natively: the fast path of `Engine.quote(procedure=..., ...)`.
//!
//! The general path merges the arguments into a dict, encodes it as contract JSON and parses
//! that (≈ 3 µs of the 8 µs a call took). This builds the same `Request` straight from the
//! arguments, for the plain shapes a request has: strings, `datetime.date`, exact `int`,
//! finite `Decimal`, `bool`, dicts with the contract's keys and lists of strings. Enum and
//! date texts go through the core's own serde deserialisers, so the same texts are accepted.
//! Anything else (another type, an unknown key, a `None` inside a dict, a value out of range,
//! a request near the size limit) answers `None`, and Python takes the general path, which
//! gives the same request or the same error as before: nothing is accepted here that the
//! JSON contract refuses. `tests/test_fast_path.py` checks both paths build equal requests.

use std::collections::BTreeMap;

use lephi::quote::{Applicant, InputValue, PostageRequest};
use lephi::{Direction, Request};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyInt, PyList, PyString, PyTuple};
use serde::Deserialize;

/// Requests whose texts add up to more than this take the general path, which enforces the
/// exact byte limit on the JSON (`lephi::limits::MAX_REQUEST_BYTES`).
const TEXT_BUDGET: usize = lephi::limits::MAX_REQUEST_BYTES / 2;

struct Budget(usize);

impl Budget {
    fn take(&mut self, text: &str) -> Option<()> {
        // Each text also costs quotes, a key and separators in JSON.
        self.0 = self.0.checked_sub(text.len().saturating_add(8))?;
        Some(())
    }
}

/// A Python `str` (exactly), as UTF-8.
fn text<'a>(obj: &'a Bound<'_, PyAny>, budget: &mut Budget) -> Option<&'a str> {
    let s = obj.cast_exact::<PyString>().ok()?.to_str().ok()?;
    budget.take(s)?;
    Some(s)
}

/// A contract enum or date from its text, through the core's deserialiser.
fn parse<'de, T: Deserialize<'de>>(s: &'de str) -> Option<T> {
    T::deserialize(serde::de::value::BorrowedStrDeserializer::<
        serde::de::value::Error,
    >::new(s))
    .ok()
}

fn date(obj: &Bound<'_, PyAny>, budget: &mut Budget) -> Option<lephi::Date> {
    if let Some(s) = text(obj, budget) {
        return parse(s);
    }
    if obj.is_exact_instance_of::<PyDate>() && !obj.is_instance_of::<PyDateTime>() {
        let iso: String = obj.call_method0("isoformat").ok()?.extract().ok()?;
        return parse::<lephi::Date>(&iso);
    }
    None
}

/// Calls `each(key, value)` for the items of an exact `dict`; `None` when a key is not a
/// `str` among `allowed`, a value is `None`, or `each` answers `None`.
fn items<'py>(
    obj: &Bound<'py, PyAny>,
    allowed: &[&str],
    mut each: impl FnMut(&str, &Bound<'py, PyAny>) -> Option<()>,
) -> Option<()> {
    for (k, v) in obj.cast_exact::<PyDict>().ok()?.iter() {
        let key = k.cast_exact::<PyString>().ok()?.to_str().ok()?;
        if !allowed.contains(&key) || v.is_none() {
            return None;
        }
        each(key, &v)?;
    }
    Some(())
}

fn applicant(obj: &Bound<'_, PyAny>, budget: &mut Budget) -> Option<Applicant> {
    let mut a = Applicant::default();
    items(obj, &["kind", "categories"], |key, v| {
        if key == "kind" {
            a.kind = parse(text(v, budget)?)?;
        } else {
            if !(v.is_exact_instance_of::<PyList>() || v.is_exact_instance_of::<PyTuple>()) {
                return None;
            }
            for c in v.try_iter().ok()? {
                a.categories.push(text(&c.ok()?, budget)?.to_owned());
            }
        }
        Some(())
    })?;
    Some(a)
}

/// `str(d)` of a finite `decimal.Decimal`, as the general path writes it.
fn decimal_text(obj: &Bound<'_, PyAny>) -> Option<String> {
    let ty = obj.get_type();
    if ty.name().ok()?.to_cow().ok()? != "Decimal" || ty.module().ok()?.to_cow().ok()? != "decimal"
    {
        return None;
    }
    if !obj.call_method0("is_finite").ok()?.is_truthy().ok()? {
        return None;
    }
    Some(obj.str().ok()?.to_cow().ok()?.into_owned())
}

fn inputs(obj: &Bound<'_, PyAny>, budget: &mut Budget) -> Option<BTreeMap<String, InputValue>> {
    let d = obj.cast_exact::<PyDict>().ok()?;
    let mut out = BTreeMap::new();
    for (k, v) in d.iter() {
        let name = text(&k, budget)?.to_owned();
        let value = if let Ok(i) = v.cast_exact::<PyInt>() {
            // Negative or huge integers: the general path gives the error.
            InputValue::Integer(i.extract::<u64>().ok()?)
        } else if let Some(s) = text(&v, budget) {
            InputValue::Text(s.to_owned())
        } else {
            let s = decimal_text(&v)?;
            budget.take(&s)?;
            InputValue::Text(s)
        };
        out.insert(name, value);
    }
    Some(out)
}

fn postage(obj: &Bound<'_, PyAny>, budget: &mut Budget) -> Option<PostageRequest> {
    let (mut direction, mut zone, mut weight, mut collect) = (None, None, None, false);
    items(
        obj,
        &["direction", "zone", "weight_grams", "collect_fees"],
        |key, v| {
            match key {
                "direction" => direction = Some(parse::<Direction>(text(v, budget)?)?),
                "zone" => zone = Some(text(v, budget)?.to_owned()),
                "weight_grams" => {
                    weight = Some(v.cast_exact::<PyInt>().ok()?.extract::<u32>().ok()?);
                }
                _ => collect = v.cast_exact::<PyBool>().ok()?.is_true(),
            }
            Some(())
        },
    )?;
    Some(PostageRequest {
        direction: direction?,
        zone: zone?,
        weight_grams: weight?,
        collect_fees: collect,
    })
}

/// The request the keyword arguments describe (`None` arguments are absent), or `None` when
/// the general path must decide.
#[allow(clippy::too_many_arguments)]
pub(crate) fn request(
    procedure: &Bound<'_, PyAny>,
    date_: &Bound<'_, PyAny>,
    jurisdiction: &Bound<'_, PyAny>,
    channel: &Bound<'_, PyAny>,
    applicant_: &Bound<'_, PyAny>,
    inputs_: &Bound<'_, PyAny>,
    postage_: &Bound<'_, PyAny>,
) -> Option<Request> {
    let mut budget = Budget(TEXT_BUDGET);
    let b = &mut budget;
    Some(Request {
        procedure: text(procedure, b)?.to_owned(),
        date: date(date_, b)?,
        jurisdiction: if jurisdiction.is_none() {
            "vn".to_owned()
        } else {
            text(jurisdiction, b)?.to_owned()
        },
        channel: if channel.is_none() {
            lephi::Channel::default()
        } else {
            parse(text(channel, b)?)?
        },
        applicant: if applicant_.is_none() {
            Applicant::default()
        } else {
            applicant(applicant_, b)?
        },
        inputs: if inputs_.is_none() {
            BTreeMap::new()
        } else {
            inputs(inputs_, b)?
        },
        postage: if postage_.is_none() {
            None
        } else {
            Some(postage(postage_, b)?)
        },
    })
}
