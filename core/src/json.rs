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

use serde_json::Value;

use crate::{Date, Error, ErrorKind, Lang, Request, RuleLibrary};

/// The structured data of an error, for bindings that raise typed exceptions: `code`,
/// `message`, `message_vi` ([`Error::text`] in Vietnamese) and the fields of its kind
/// (`candidates`, `nearest`, `successors`, `name`, `expected`, `file`/`line`/`column` ...).
/// The same object as [`error_details_text`], parsed.
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
    serde_json::from_str(&error_details_text(e)).unwrap_or(Value::Null)
}

/// [`error_details`] as canonical JSON text (keys sorted, no spaces), written without building
/// a [`Value`]: what the bindings hand to JavaScript and Python.
///
/// ```
/// let err = lephi::Error::new(lephi::ErrorKind::UnknownInput {
///     name: "page".into(),
///     known: vec!["pages".into()],
/// });
/// assert_eq!(
///     lephi::json::error_details_text(&err),
///     r#"{"candidates":["pages"],"code":"unknown_input","message":"unknown input `page` (known inputs: `pages`)","message_vi":"không có thông tin `page` (các thông tin được dùng: `pages`)","name":"page"}"#
/// );
/// ```
pub fn error_details_text(e: &Error) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in detail_fields(e).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(key);
        out.push_str("\":");
        out.push_str(value);
    }
    out.push('}');
    out
}

/// Whether a byte cannot stand as itself inside a JSON string: a control character, `"` or
/// `\\`. The writer escapes these; the request reader stops its plain runs at them.
pub(crate) fn is_special(b: u8) -> bool {
    // Built at compile time: an index out of range would fail the build, never run.
    #[allow(clippy::indexing_slicing)]
    const SPECIAL: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            table[b] = true;
            b += 1;
        }
        table[b'"' as usize] = true;
        table[b'\\' as usize] = true;
        table
    };
    // A `u8` is always inside the table; `get` only satisfies the no-indexing lint.
    SPECIAL.get(usize::from(b)).copied().unwrap_or(true)
}

/// A string as a JSON string literal.
pub(crate) fn string(t: &str) -> String {
    let mut out = String::with_capacity(t.len().saturating_add(2));
    push_string(&mut out, t);
    out
}

/// Appends `t` as a JSON string literal, escaped exactly as serde_json escapes: `\"`, `\\`,
/// `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as `\u00xx`, everything else as is.
pub(crate) fn push_string(out: &mut String, t: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut run = 0;
    for (i, b) in t.bytes().enumerate() {
        let short = match b {
            b'"' => '"',
            b'\\' => '\\',
            0x08 => 'b',
            0x0c => 'f',
            b'\n' => 'n',
            b'\r' => 'r',
            b'\t' => 't',
            0..=0x1f => 'u',
            _ => continue,
        };
        // Escaped bytes are ASCII, so `run..i` is on character boundaries.
        out.push_str(t.get(run..i).unwrap_or_default());
        run = i.saturating_add(1);
        out.push('\\');
        out.push(short);
        if short == 'u' {
            out.push_str("00");
            for nibble in [b >> 4, b & 0xf] {
                out.push(char::from(
                    HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                ));
            }
        }
    }
    out.push_str(t.get(run..).unwrap_or_default());
    out.push('"');
}

/// A list of strings as a JSON array.
fn strings(items: &[String]) -> String {
    let mut out = String::from("[");
    for (i, t) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, t);
    }
    out.push(']');
    out
}

/// Rule windows as a JSON array of objects with sorted keys (`to` left out when open).
fn rule_windows(items: &[crate::error::RuleWindow]) -> String {
    let mut out = String::from("[");
    for (i, w) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"from\":");
        push_string(&mut out, &w.from);
        out.push_str(",\"nearest_day\":");
        push_string(&mut out, &w.nearest_day);
        if let (Some(by), Some(from)) = (&w.replaced_by, &w.replaced_from) {
            out.push_str(",\"replaced_by\":");
            push_string(&mut out, by);
            out.push_str(",\"replaced_from\":");
            push_string(&mut out, from);
        }
        out.push_str(",\"rule\":");
        push_string(&mut out, &w.rule);
        if let Some(to) = &w.to {
            out.push_str(",\"to\":");
            push_string(&mut out, to);
        }
        out.push('}');
    }
    out.push(']');
    out
}

/// The details of an error as `(key, JSON text)`, sorted by key.
fn detail_fields(e: &Error) -> Vec<(&'static str, String)> {
    let list = strings;
    let mut f = vec![
        ("code", string(e.code())),
        ("message", string(&e.to_string())),
        ("message_vi", string(&e.text(Lang::Vi))),
    ];
    match e.kind() {
        ErrorKind::RuleSyntax { message }
        | ErrorKind::RequestInvalid { message }
        | ErrorKind::Internal { message } => f.push(("detail", string(message))),
        ErrorKind::RuleInvalid { message, hint } => {
            f.extend([("detail", string(message)), ("hint", string(hint))]);
        }
        ErrorKind::RuleDuplicateId { id, .. } => f.push(("id", string(id))),
        ErrorKind::RuleUnknownReference {
            what,
            id,
            candidates,
        } => f.extend([
            ("what", string(what)),
            ("id", string(id)),
            ("candidates", list(candidates)),
        ]),
        ErrorKind::RuleOverlappingWindows { item, rule, other } => f.extend([
            ("item", string(item)),
            ("rule", string(rule)),
            ("other", string(other)),
        ]),
        ErrorKind::RulePercentOutOfRange { value } => f.push(("value", string(value))),
        ErrorKind::LimitExceeded { what, limit } => {
            f.extend([("what", string(what)), ("limit", limit.to_string())]);
        }
        ErrorKind::UnknownProcedure { id, candidates }
        | ErrorKind::UnknownJurisdiction { id, candidates } => {
            f.extend([("id", string(id)), ("candidates", list(candidates))]);
        }
        ErrorKind::JurisdictionNotInForce {
            id,
            date,
            window,
            successors,
        } => f.extend([
            ("id", string(id)),
            ("date", string(date)),
            ("window", string(window)),
            ("successors", list(successors)),
        ]),
        ErrorKind::DateOutsideWindows {
            item,
            date,
            nearest,
            windows,
        } => f.extend([
            ("item", string(item)),
            ("date", string(date)),
            ("nearest", list(nearest)),
            ("windows", rule_windows(windows)),
        ]),
        ErrorKind::NotPricedInJurisdiction {
            item,
            jurisdiction,
            available,
        } => f.extend([
            ("item", string(item)),
            ("jurisdiction", string(jurisdiction)),
            ("available", list(available)),
        ]),
        ErrorKind::MissingInput { name, expected } => {
            f.extend([("name", string(name)), ("expected", string(expected))]);
        }
        ErrorKind::InvalidInput {
            name,
            value,
            expected,
        } => f.extend([
            ("name", string(name)),
            ("value", string(value)),
            ("expected", string(expected)),
        ]),
        ErrorKind::UnknownInput {
            name,
            known: candidates,
        }
        | ErrorKind::UnknownCategory { name, candidates } => {
            f.extend([("name", string(name)), ("candidates", list(candidates))]);
        }
        ErrorKind::PostageUnavailable { message, zones } => {
            f.extend([("detail", string(message)), ("zones", list(zones))]);
        }
        ErrorKind::Overflow { context } => f.push(("context", string(context))),
        #[allow(unreachable_patterns)]
        _ => {}
    }
    if let Some(loc) = e.location() {
        f.extend([
            ("file", string(&loc.file)),
            ("line", loc.line.to_string()),
            ("column", loc.column.to_string()),
        ]);
    }
    crate::sort::small_sort_by(&mut f, |a, b| a.0 < b.0);
    f
}

/// `{"error": <error_details>}` as canonical JSON.
pub fn error_details_json(e: &Error) -> String {
    format!("{{\"error\":{}}}", error_details_text(e))
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
        let needed = self.missing_inputs(&Request::from_json(request_json)?)?;
        let mut out = crate::quote::wire::Json::new();
        out.needed_inputs(&needed);
        Ok(out.finish())
    }

    /// [`sources`](Self::sources) over JSON: a canonical array of document headers.
    ///
    /// # Errors
    /// Whatever [`quote`](Self::quote) returns for the request.
    ///
    /// ```
    /// let lib = lephi::RuleLibrary::bundled()?;
    /// let text = lib.sources_json(r#"{"procedure":"driver-licence.issue","date":"2024-05-01"}"#)?;
    /// assert!(text.starts_with(r#"[{"confidence":"#) && text.contains(r#""number":"37/2023/TT-BTC""#));
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn sources_json(&self, request_json: &str) -> Result<String, Error> {
        let docs = self.sources(&Request::from_json(request_json)?)?;
        let mut out = crate::quote::wire::Json::new();
        out.documents(&docs);
        Ok(out.finish())
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
        let mut out = crate::quote::wire::Json::new();
        out.procedures(&list);
        out.finish()
    }

    /// Jurisdictions as a canonical JSON array; with a date, only those that existed on it.
    pub fn jurisdictions_json(&self, date: Option<Date>) -> String {
        let list: Vec<&crate::model::Jurisdiction> = self
            .jurisdictions
            .values()
            .filter(|e| date.is_none_or(|d| e.window.contains(d)))
            .map(|e| &e.j)
            .collect();
        let mut out = crate::quote::wire::Json::new();
        out.jurisdictions(&list);
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;

    /// The text is canonical: re-sorting it through `Value` gives the same bytes.
    fn assert_canonical(text: &str) {
        let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(value.to_string(), text);
    }

    #[test]
    fn error_details_are_canonical_and_carry_every_field() {
        let at = Location {
            file: "vn/x.yaml".into(),
            line: 7,
            column: 3,
        };
        for kind in crate::error::tests::every_kind() {
            for location in [None, Some(at.clone())] {
                let e = Error::new(kind.clone()).at(location.clone());
                let text = error_details_text(&e);
                assert_canonical(&text);
                let d = error_details(&e);
                assert_eq!(d.to_string(), text);
                assert_eq!(d["code"], e.code());
                assert_eq!(d["message"], e.to_string());
                // Every field of the kind, besides code and the two messages (and `first`, a
                // location given in the message).
                let fields = d.as_object().map_or(0, serde_json::Map::len);
                let expected = 3 + kind_fields(&kind) + if location.is_some() { 3 } else { 0 };
                assert_eq!(fields, expected, "{text}");
                assert_eq!(error_details_json(&e), format!(r#"{{"error":{text}}}"#));
            }
        }
    }

    fn kind_fields(kind: &ErrorKind) -> usize {
        match kind {
            ErrorKind::RuleSyntax { .. }
            | ErrorKind::RequestInvalid { .. }
            | ErrorKind::Internal { .. }
            | ErrorKind::RuleDuplicateId { .. }
            | ErrorKind::RulePercentOutOfRange { .. }
            | ErrorKind::Overflow { .. } => 1,
            ErrorKind::RuleUnknownReference { .. }
            | ErrorKind::RuleOverlappingWindows { .. }
            | ErrorKind::NotPricedInJurisdiction { .. }
            | ErrorKind::InvalidInput { .. } => 3,
            ErrorKind::JurisdictionNotInForce { .. } | ErrorKind::DateOutsideWindows { .. } => 4,
            _ => 2,
        }
    }

    /// The direct writer of document headers gives serde's sorted form for every document of
    /// the library, so each optional field is compared where it occurs.
    #[test]
    fn documents_are_serdes_sorted_form() -> Result<(), Error> {
        let lib = RuleLibrary::bundled()?;
        let all: Vec<&crate::model::DocumentHeader> = lib.documents().collect();
        let mut out = crate::quote::wire::Json::new();
        out.documents(&all);
        let text = out.finish();
        let serde_form = serde_json::to_value(&all).map(|v| v.to_string());
        assert_eq!(
            Ok(text.as_str()),
            serde_form.as_deref().map_err(|e| e.to_string())
        );
        for key in [
            "amends",
            "cites",
            "in_force_to",
            "notes",
            "replaced_by",
            "replaces",
            "signed",
            "url",
        ] {
            assert!(text.contains(&format!("\"{key}\":")), "{key}");
        }
        Ok(())
    }

    #[test]
    fn error_json_is_canonical() {
        for kind in crate::error::tests::every_kind() {
            let e = Error::new(kind);
            let text = crate::error_json(&e);
            assert_canonical(&text);
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            assert_eq!(v["error"]["message"], e.to_string());
        }
    }
}
