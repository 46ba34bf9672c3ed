//! The JSON contract that every runtime (Rust, Python, WebAssembly) goes through, so the same
//! request gives byte-identical text everywhere. Each function takes the request as JSON and
//! returns canonical JSON (sorted keys, money as decimal strings); failures come back as
//! `{"error":{"code":...,"message":...,"details":{...}}}` where noted.
//!
//! ```
//! let lib = lephi::RuleLibrary::bundled()?;
//! let cmp = lib.compare_channels_json(r#"{"procedure":"driver-licence.issue","date":"2024-05-01"}"#)?;
//! assert!(cmp.contains("\"online_saving\":\"20000\""));
//! let procs = lib.procedures_json(Some("ho chieu"));
//! assert!(procs.contains("\"passport.issue\""));
//! # Ok::<(), lephi::Error>(())
//! ```

use serde_json::{json, Map, Value};

use crate::quote::result::canonical;
use crate::{Date, Error, ErrorKind, Lang, Request, RuleLibrary};

/// The structured data of an error, for bindings that raise typed exceptions: `code`,
/// `message`, `message_vi` ([`Error::text`] in Vietnamese) and the fields of its kind
/// (`candidates`, `nearest`, `successors`, `name`, `expected`, `file`/`line`/`column` ...).
///
/// ```
/// let lib = lephi::RuleLibrary::bundled()?;
/// let err = lib.quote(&lephi::Request::new("driver-licence.isue", "2024-05-01")?).unwrap_err();
/// let d = lephi::json::error_details(&err);
/// assert_eq!(d["code"], "unknown_procedure");
/// assert_eq!(d["candidates"][0], "driver-licence.issue");
/// assert_eq!(d["message_vi"], "không có thủ tục `driver-licence.isue` (có phải là `driver-licence.issue`?)");
/// # Ok::<(), lephi::Error>(())
/// ```
pub fn error_details(e: &Error) -> Value {
    let mut m = Map::new();
    m.insert("code".into(), json!(e.code()));
    m.insert("message".into(), json!(e.to_string()));
    m.insert("message_vi".into(), json!(e.text(Lang::Vi)));
    let fields = match e.kind() {
        ErrorKind::RuleSyntax { message } | ErrorKind::RequestInvalid { message } => {
            json!({ "detail": message })
        }
        ErrorKind::RuleInvalid { message, hint } => json!({ "detail": message, "hint": hint }),
        ErrorKind::RuleDuplicateId { id, .. } => json!({ "id": id }),
        ErrorKind::RuleUnknownReference {
            what,
            id,
            candidates,
        } => json!({ "what": what, "id": id, "candidates": candidates }),
        ErrorKind::RuleOverlappingWindows { item, rule, other } => {
            json!({ "item": item, "rule": rule, "other": other })
        }
        ErrorKind::RulePercentOutOfRange { value } => json!({ "value": value }),
        ErrorKind::LimitExceeded { what, limit } => json!({ "what": what, "limit": limit }),
        ErrorKind::UnknownProcedure { id, candidates }
        | ErrorKind::UnknownJurisdiction { id, candidates } => {
            json!({ "id": id, "candidates": candidates })
        }
        ErrorKind::JurisdictionNotInForce {
            id,
            date,
            window,
            successors,
        } => json!({ "id": id, "date": date, "window": window, "successors": successors }),
        ErrorKind::DateOutsideWindows {
            item,
            date,
            nearest,
        } => json!({ "item": item, "date": date, "nearest": nearest }),
        ErrorKind::NotPricedInJurisdiction {
            item,
            jurisdiction,
            available,
        } => json!({ "item": item, "jurisdiction": jurisdiction, "available": available }),
        ErrorKind::MissingInput { name, expected } => {
            json!({ "name": name, "expected": expected })
        }
        ErrorKind::InvalidInput {
            name,
            value,
            expected,
        } => json!({ "name": name, "value": value, "expected": expected }),
        ErrorKind::UnknownInput { name, known } => json!({ "name": name, "candidates": known }),
        ErrorKind::UnknownCategory { name, candidates } => {
            json!({ "name": name, "candidates": candidates })
        }
        ErrorKind::PostageUnavailable { message, zones } => {
            json!({ "detail": message, "zones": zones })
        }
        ErrorKind::Overflow { context } => json!({ "context": context }),
        ErrorKind::Internal { message } => json!({ "detail": message }),
        #[allow(unreachable_patterns)]
        _ => json!({}),
    };
    if let Value::Object(f) = fields {
        m.extend(f);
    }
    if let Some(loc) = e.location() {
        m.insert("file".into(), json!(loc.file));
        m.insert("line".into(), json!(loc.line));
        m.insert("column".into(), json!(loc.column));
    }
    Value::Object(m)
}

/// `{"error": <error_details>}` as canonical JSON.
pub fn error_details_json(e: &Error) -> String {
    json!({ "error": error_details(e) }).to_string()
}

impl RuleLibrary {
    /// [`quote`](Self::quote) over JSON, with the error kept typed (bindings raise it).
    ///
    /// # Errors
    /// Whatever [`Request::from_json`] or [`quote`](Self::quote) returns.
    pub fn try_quote_json(&self, request_json: &str) -> Result<String, Error> {
        Ok(self.quote(&Request::from_json(request_json)?)?.to_json())
    }

    /// [`compare_channels`](Self::compare_channels) over JSON.
    ///
    /// # Errors
    /// Whatever [`compare_channels`](Self::compare_channels) returns.
    pub fn compare_channels_json(&self, request_json: &str) -> Result<String, Error> {
        Ok(self
            .compare_channels(&Request::from_json(request_json)?)?
            .to_json())
    }

    /// [`missing_inputs`](Self::missing_inputs) over JSON: a canonical array.
    ///
    /// # Errors
    /// Whatever [`missing_inputs`](Self::missing_inputs) returns.
    pub fn missing_inputs_json(&self, request_json: &str) -> Result<String, Error> {
        Ok(canonical(
            &self.missing_inputs(&Request::from_json(request_json)?)?,
        ))
    }

    /// The itemised receipt of a request in `vi` or `en`.
    ///
    /// # Errors
    /// Whatever [`quote`](Self::quote) returns, or an unknown language.
    pub fn explain_json(&self, request_json: &str, lang: &str) -> Result<String, Error> {
        let lang = Lang::parse(lang).ok_or_else(|| {
            Error::new(ErrorKind::InvalidInput {
                name: "lang".into(),
                value: lang.into(),
                expected: "`vi` or `en`".into(),
            })
        })?;
        let q = self.quote(&Request::from_json(request_json)?)?;
        Ok(crate::explain(&q, lang))
    }

    /// The procedure catalog as a canonical JSON array (`id`, `name`, `codes`, `fees`,
    /// `keywords`), filtered by a search that ignores diacritics.
    pub fn procedures_json(&self, search: Option<&str>) -> String {
        let list: Vec<&crate::model::Procedure> = match search {
            Some(q) if !q.trim().is_empty() => self.search_procedures(q),
            _ => self.procedures().collect(),
        };
        canonical(&list)
    }

    /// Jurisdictions as a canonical JSON array; with a date, only those that existed on it.
    pub fn jurisdictions_json(&self, date: Option<Date>) -> String {
        let list: Vec<&crate::model::Jurisdiction> = self
            .jurisdictions
            .values()
            .filter(|e| date.is_none_or(|d| e.window.contains(d)))
            .map(|e| &e.j)
            .collect();
        canonical(&list)
    }
}
