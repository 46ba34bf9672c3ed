//! `lephi._lephi`: the native half of the Python package `lephi`.
//!
//! Thin by design: conversions and error mapping only. Single requests go through the core's
//! JSON contract (`RuleLibrary::try_quote_json` ...), so the text is byte-identical with the
//! Rust and WebAssembly results; batches build `Request`s straight from Arrow columns
//! (module `batch`). Errors become the exception classes of `lephi/errors.py` through its
//! `_from_core` factory, with the structured details of `lephi::json::error_details`.

mod batch;
mod dates;
mod encode;
mod fields;

use std::sync::Arc;

use lephi::{Date, Error, RuleLibrary};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use rust_decimal::Decimal;

/// Turns a core error into the matching `lephi.errors` exception.
pub(crate) fn raise(py: Python<'_>, e: &Error) -> PyErr {
    let details = lephi::json::error_details_text(e);
    match py
        .import("lephi.errors")
        .and_then(|m| m.getattr("_from_core"))
        .and_then(|f| f.call1((details,)))
    {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

/// A priced quote kept on the Rust side: its canonical JSON is written only when Python asks.
///
/// A core `Quote` borrows its texts from the library, so this keeps the library and the
/// request instead and prices again when the JSON is asked for (about a microsecond; quoting
/// is deterministic, so the result is the same quote).
#[pyclass(module = "lephi._lephi", name = "_Quote", frozen)]
struct NativeQuote {
    lib: Arc<RuleLibrary>,
    req: lephi::Request,
    /// `total`, `fees_total`, `postage_total` of the quote.
    totals: [lephi::Money; 3],
}

#[pymethods]
impl NativeQuote {
    /// The canonical JSON of the quote (the cross-runtime contract).
    fn to_json(&self) -> String {
        match self.lib.quote(&self.req) {
            Ok(q) => q.to_json(),
            Err(e) => lephi::error_json(&e),
        }
    }

    /// The canonical JSON of the request that was priced.
    fn request_json(&self) -> String {
        self.req.to_json()
    }

    /// `(total, fees_total, postage_total)`: `int` for whole đồng, else the decimal string.
    fn totals(&self) -> (Amount, Amount, Amount) {
        let [t, f, p] = self.totals;
        (t.into(), f.into(), p.into())
    }
}

/// An amount for `decimal.Decimal(...)`: whole đồng as an `int` (cheaper to make than a
/// string), anything else as its decimal string. Both give the same `Decimal`.
#[derive(IntoPyObject)]
enum Amount {
    Whole(i64),
    Text(String),
}

impl From<lephi::Money> for Amount {
    fn from(m: lephi::Money) -> Amount {
        let d = m.decimal();
        match i64::try_from(d.mantissa()) {
            Ok(whole) if d.scale() == 0 => Amount::Whole(whole),
            _ => Amount::Text(m.to_string()),
        }
    }
}

impl PyEngine {
    /// Prices a request; the quote keeps its totals, Python reads them with `totals()`.
    fn price(&self, req: lephi::Request) -> Result<NativeQuote, Error> {
        let totals = {
            let q = self.lib.quote(&req)?;
            [q.total, q.fees_total, q.postage_total]
        };
        let lib = Arc::clone(&self.lib);
        Ok(NativeQuote { lib, req, totals })
    }
}

/// A validated rule library (the embedded Vietnamese one, and/or rule files given as text).
#[pyclass(module = "lephi._lephi", name = "_Engine", frozen)]
struct PyEngine {
    lib: Arc<RuleLibrary>,
    sources: Vec<(String, String)>,
    bundled: bool,
}

#[pymethods]
impl PyEngine {
    /// `sources` are `(name, text)` pairs; a source named like an embedded file replaces it.
    #[new]
    #[pyo3(signature = (sources = Vec::new(), bundled = true))]
    fn new(py: Python<'_>, sources: Vec<(String, String)>, bundled: bool) -> PyResult<Self> {
        let lib = py
            .detach(|| {
                let refs: Vec<(&str, &str)> = sources
                    .iter()
                    .map(|(n, t)| (n.as_str(), t.as_str()))
                    .collect();
                if bundled {
                    // The embedded library (precompiled) with these files added or replacing.
                    RuleLibrary::bundled_with(&refs)
                } else {
                    RuleLibrary::from_sources(&refs)
                }
            })
            .map_err(|e| raise(py, &e))?;
        Ok(PyEngine {
            lib: Arc::new(lib),
            sources,
            bundled,
        })
    }

    /// The extra sources this engine was built with (not the embedded ones).
    #[getter]
    fn sources(&self) -> Vec<(String, String)> {
        self.sources.clone()
    }

    /// Whether the embedded library is included.
    #[getter]
    fn bundled(&self) -> bool {
        self.bundled
    }

    /// The library fingerprint.
    fn fingerprint(&self) -> String {
        self.lib.fingerprint()
    }

    /// Canonical quote JSON; raises the typed error.
    fn quote_json(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        py.detach(|| self.lib.try_quote_json(request))
            .map_err(|e| raise(py, &e))
    }

    /// The quote of a contract JSON request; Python reads its totals without the JSON.
    /// Raises the typed error.
    fn quote(&self, py: Python<'_>, request: &str) -> PyResult<NativeQuote> {
        // A quote takes about a microsecond: cheaper than releasing and retaking the GIL.
        lephi::Request::from_json(request)
            .and_then(|req| self.price(req))
            .map_err(|e| raise(py, &e))
    }

    /// The fast path of `Engine.quote(procedure=..., ...)`: the request built straight from
    /// the keyword arguments (see `fields`), priced. `None` when the arguments need the
    /// general path or the request fails: Python then takes the general path, which gives the
    /// same quote or raises the typed error.
    #[allow(clippy::too_many_arguments)]
    fn quote_fields(
        &self,
        procedure: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        jurisdiction: &Bound<'_, PyAny>,
        channel: &Bound<'_, PyAny>,
        applicant: &Bound<'_, PyAny>,
        inputs: &Bound<'_, PyAny>,
        postage: &Bound<'_, PyAny>,
    ) -> Option<NativeQuote> {
        let req = fields::request(
            procedure,
            date,
            jurisdiction,
            channel,
            applicant,
            inputs,
            postage,
        )?;
        self.price(req).ok()
    }

    /// Canonical quote JSON or `{"error":{"code","message"}}` (the conformance form).
    fn quote_json_or_error(&self, py: Python<'_>, request: &str) -> String {
        py.detach(|| self.lib.quote_json(request))
    }

    fn compare_channels_json(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        py.detach(|| self.lib.compare_channels_json(request))
            .map_err(|e| raise(py, &e))
    }

    fn missing_inputs_json(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        py.detach(|| self.lib.missing_inputs_json(request))
            .map_err(|e| raise(py, &e))
    }

    fn sources_json(&self, py: Python<'_>, request: &str) -> PyResult<String> {
        py.detach(|| self.lib.sources_json(request))
            .map_err(|e| raise(py, &e))
    }

    fn explain(&self, py: Python<'_>, request: &str, lang: &str) -> PyResult<String> {
        py.detach(|| self.lib.explain_json(request, lang))
            .map_err(|e| raise(py, &e))
    }

    #[pyo3(signature = (search = None))]
    fn procedures_json(&self, search: Option<&str>) -> String {
        self.lib.procedures_json(search)
    }

    #[pyo3(signature = (date = None))]
    fn jurisdictions_json(&self, py: Python<'_>, date: Option<&str>) -> PyResult<String> {
        let date = date
            .map(Date::parse)
            .transpose()
            .map_err(|e| raise(py, &e))?;
        Ok(self.lib.jurisdictions_json(date))
    }

    fn postal_zones(
        &self,
        py: Python<'_>,
        jurisdiction: &str,
        date: &str,
    ) -> PyResult<Vec<String>> {
        let date = Date::parse(date).map_err(|e| raise(py, &e))?;
        self.lib
            .postal_zones(jurisdiction, date)
            .map(|zones| zones.into_iter().map(str::to_string).collect())
            .map_err(|e| raise(py, &e))
    }

    /// Prices every row of an Arrow table; returns a table of result columns, one row per
    /// input row. A bad row gets `status = "error"`; the rest are priced. The GIL is released.
    fn quote_batch(&self, py: Python<'_>, table: PyTable) -> PyResult<PyTable> {
        let (batches, schema) = table.into_inner();
        let out = py.detach(|| batch::price(&self.lib, &batches, &schema));
        match out {
            Ok((batches, schema)) => PyTable::try_new(batches, schema),
            Err(batch::BatchError::Type(msg)) => Err(pyo3::exceptions::PyTypeError::new_err(msg)),
            Err(batch::BatchError::Value(msg)) => Err(PyValueError::new_err(msg)),
        }
    }
}

fn parse_amount(py: Python<'_>, amount: &str) -> PyResult<Decimal> {
    lephi::parse_amount(amount).map_err(|e| raise(py, &e))
}

/// `135.000 ₫` (dots between thousands, a no-break space, the đồng sign).
#[pyfunction]
fn format_vnd(py: Python<'_>, amount: &str) -> PyResult<String> {
    Ok(lephi::format_vnd(parse_amount(py, amount)?))
}

/// The amount in words, as on a receipt (`vi`) or in English (`en`).
#[pyfunction]
#[pyo3(signature = (amount, lang = "vi"))]
fn amount_in_words(py: Python<'_>, amount: &str, lang: &str) -> PyResult<String> {
    let a = parse_amount(py, amount)?;
    Ok(match parse_lang(py, lang)? {
        lephi::Lang::Vi => lephi::words::vi_receipt(a),
        lephi::Lang::En => lephi::words::en_receipt(a),
    })
}

/// A quote's warning in `vi` (the receipt's rendering) or `en` (its message).
#[pyfunction]
#[pyo3(signature = (code, message, rule = None, lang = "vi"))]
fn warning_text(
    py: Python<'_>,
    code: &str,
    message: &str,
    rule: Option<&str>,
    lang: &str,
) -> PyResult<String> {
    Ok(lephi::warning_text(code, message, rule, parse_lang(py, lang)?).into_owned())
}

fn parse_lang(py: Python<'_>, lang: &str) -> PyResult<lephi::Lang> {
    lephi::Lang::parse(lang).ok_or_else(|| {
        raise(
            py,
            &Error::new(lephi::ErrorKind::InvalidInput {
                name: "lang".into(),
                value: lang.into(),
                expected: "`vi` or `en`".into(),
            }),
        )
    })
}

/// The columns `quote_batch` reads: the request's, then one per input of the vocabulary.
#[pyfunction]
fn batch_columns() -> Vec<&'static str> {
    batch::column_names()
}

/// The columns `quote_batch` reads as whole numbers (a float column's whole values are
/// accepted there, and nowhere else).
#[pyfunction]
fn batch_count_columns() -> Vec<&'static str> {
    batch::count_column_names()
}

/// The engine version (part of every fingerprint).
#[pyfunction]
fn version() -> &'static str {
    lephi::VERSION
}

#[pymodule]
fn _lephi(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEngine>()?;
    m.add_class::<NativeQuote>()?;
    m.add_function(wrap_pyfunction!(format_vnd, m)?)?;
    m.add_function(wrap_pyfunction!(amount_in_words, m)?)?;
    m.add_function(wrap_pyfunction!(warning_text, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(batch_columns, m)?)?;
    m.add_function(wrap_pyfunction!(batch_count_columns, m)?)?;
    m.add_function(wrap_pyfunction!(encode::encode_request, m)?)?;
    m.add_function(wrap_pyfunction!(dates::dates_from_objects, m)?)?;
    m.add("__version__", lephi::VERSION)?;
    Ok(())
}

/// The extension's own memory (batch keys and result buffers, tens of MB per million rows)
/// comes from mimalloc, which reuses freed pages across calls instead of faulting in fresh
/// zeroed pages from the kernel each time. Python's and pyarrow's memory is not affected.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
