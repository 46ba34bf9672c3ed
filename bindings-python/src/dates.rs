//! Object-dtype date columns read straight into Arrow `date32`.
//!
//! `pyarrow.Table.to_pandas()` turns a `date32` column into object cells of `datetime.date`
//! (deduplicated: equal dates share one object). Converting such a column back with
//! `pyarrow.Table.from_pandas` costs 50–140 ms per million rows, more than pricing them. Here
//! each distinct object is read once (through `date.toordinal()`), and every other cell is a
//! pointer lookup in a small direct-mapped cache.

use std::sync::Arc;

use arrow_array::{ArrayRef, Date32Array};
use arrow_schema::{DataType, Field};
use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3_arrow::PyArray;

/// `date(1970, 1, 1).toordinal()`: Arrow's `date32` counts days from 1970-01-01.
const EPOCH_ORDINAL: i64 = 719_163;

/// Cache slots (a power of two); a miss only costs one `toordinal()` call.
const SLOTS: usize = 1024;

/// Reads a list of cells that are exactly `datetime.date` (or `None`, read as a missing date)
/// into an Arrow `date32` array. Returns `None` when any cell is something else (a string, a
/// `datetime`, `NaT`, ...): the caller then lets pyarrow convert the column, which accepts more
/// and reports its own errors.
#[pyfunction]
pub fn dates_from_objects(py: Python<'_>, cells: &Bound<'_, PyList>) -> PyResult<Option<PyArray>> {
    let date_type = py.import("datetime")?.getattr("date")?;
    let mut cache = [(0usize, 0i32); SLOTS];
    let mut days: Vec<Option<i32>> = Vec::with_capacity(cells.len());
    for cell in cells.iter() {
        if cell.is_none() {
            days.push(None);
            continue;
        }
        let key = cell.as_ptr() as usize;
        let slot = (key >> 4) & (SLOTS - 1);
        if cache[slot].0 == key {
            days.push(Some(cache[slot].1));
            continue;
        }
        // Only a cell still alive in `cells` is cached, so its address cannot be reused for
        // another object while this loop runs.
        if !cell.get_type().is(&date_type) {
            return Ok(None);
        }
        let ordinal: i64 = cell.call_method0("toordinal")?.extract()?;
        let Ok(day) = i32::try_from(ordinal - EPOCH_ORDINAL) else {
            return Ok(None);
        };
        cache[slot] = (key, day);
        days.push(Some(day));
    }
    let array: ArrayRef = Arc::new(Date32Array::from(days));
    Ok(Some(PyArray::new(
        array,
        Arc::new(Field::new("date", DataType::Date32, true)),
    )))
}
