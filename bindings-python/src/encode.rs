//! Request dicts → contract JSON, natively.
//!
//! `json.JSONEncoder` with a `default` hook was a third of a Python `quote` call. This writes
//! the same JSON from the plain types a request holds (dict, list, tuple, str, bool, int,
//! float, None, finite `Decimal`, `datetime.date`). For anything else it answers `None` and
//! Python falls back to its encoder, so the accepted requests and the errors are unchanged.
//! Floats are written as JSON numbers on purpose: the core refuses them, and Python then
//! re-checks the request to raise `TypeError` with the field's path.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

/// Nesting deeper than any request needs is left to the Python encoder (and its errors).
const MAX_DEPTH: usize = 16;

fn string(out: &mut String, s: &str) {
    match serde_json::to_string(s) {
        Ok(t) => out.push_str(&t),
        Err(_) => out.push_str("null"),
    }
}

/// Appends `obj` as JSON; `Ok(false)` when `obj` is not a type this encoder handles.
fn value(out: &mut String, obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<bool> {
    if depth > MAX_DEPTH {
        return Ok(false);
    }
    if let Ok(s) = obj.cast_exact::<PyString>() {
        let Ok(text) = s.to_str() else {
            return Ok(false);
        };
        string(out, text);
    } else if obj.is_none() {
        out.push_str("null");
    } else if let Ok(b) = obj.cast_exact::<PyBool>() {
        out.push_str(if b.is_true() { "true" } else { "false" });
    } else if let Ok(i) = obj.cast_exact::<PyInt>() {
        out.push_str(&i.str()?.to_cow()?);
    } else if let Ok(d) = obj.cast_exact::<PyDict>() {
        out.push('{');
        for (k, (key, v)) in d.iter().enumerate() {
            let Ok(key) = key.cast_exact::<PyString>() else {
                return Ok(false);
            };
            if k > 0 {
                out.push(',');
            }
            let Ok(key) = key.to_str() else {
                return Ok(false);
            };
            string(out, key);
            out.push(':');
            if !value(out, &v, depth.saturating_add(1))? {
                return Ok(false);
            }
        }
        out.push('}');
    } else if obj.is_exact_instance_of::<PyList>() || obj.is_exact_instance_of::<PyTuple>() {
        out.push('[');
        for (k, v) in obj.try_iter()?.enumerate() {
            if k > 0 {
                out.push(',');
            }
            if !value(out, &v?, depth.saturating_add(1))? {
                return Ok(false);
            }
        }
        out.push(']');
    } else if let Ok(f) = obj.cast_exact::<PyFloat>() {
        // Refused by the core as money; written so that the refusal names the field.
        let x = f.value();
        if !x.is_finite() {
            return Ok(false);
        }
        out.push_str(&format!("{x:?}"));
    } else if obj.is_exact_instance_of::<PyDate>() && !obj.is_instance_of::<PyDateTime>() {
        string(out, &obj.call_method0("isoformat")?.extract::<String>()?);
    } else if obj.get_type().name()?.to_cow()? == "Decimal"
        && obj.get_type().module()?.to_cow()? == "decimal"
    {
        if !obj.call_method0("is_finite")?.is_truthy()? {
            return Ok(false);
        }
        let text = obj.str()?;
        let text = text.to_cow()?;
        // `1.5E+9` and `-0` are amounts the contract writes otherwise (`_decimal_text`).
        if text.contains(['E', 'e']) || text.starts_with('-') {
            return Ok(false);
        }
        string(out, &text);
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// The contract JSON of a request dict, or `None` to let Python's encoder handle it.
#[pyfunction]
pub(crate) fn encode_request(obj: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    let mut out = String::with_capacity(256);
    Ok(value(&mut out, obj, 0)?.then_some(out))
}
