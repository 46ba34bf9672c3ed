//! The npm package `lephi`: the engine in WebAssembly for in-browser fee estimators.
//!
//! Thin by design: requests cross as plain JS objects (turned into the JSON contract with
//! `JSON.stringify`), results come back as the canonical JSON of the core (parsed with
//! `JSON.parse`), so they are byte-identical with Rust and Python. Money crosses as decimal
//! strings; a JS number given for money is refused with a clear error. Errors are thrown as
//! `Error` objects with the stable `code`, the core's message and its `details`.
//!
//! Two builds share this code: `lephi` (feature `yaml`: rules as YAML or compiled) and
//! `lephi/lite` (no YAML parser, for pages that price with the embedded library or with rules
//! compiled by `lephi compile` / `compileRules`).

use lephi::model::{InputKind, INPUTS};
use lephi::{Date, Error, ErrorKind, RuleLibrary};
use rust_decimal::Decimal;
use wasm_bindgen::prelude::*;

/// talc instead of Rust's default dlmalloc: smaller, and as fast here (see Cargo.toml).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Rule text loaded at run time is limited to this many bytes in all (the embedded library is
/// about 200 KB).
pub const MAX_RULES_BYTES: usize = 4 * 1024 * 1024;

fn throw(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let details = lephi::json::error_details_text(e);
    let _ = js_sys::Reflect::set(&err, &"name".into(), &"LephiError".into());
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().into());
    if let Ok(d) = js_sys::JSON::parse(&details) {
        let _ = js_sys::Reflect::set(&err, &"details".into(), &d);
    }
    err.into()
}

fn invalid(name: &str, value: &str, expected: &str) -> Error {
    Error::new(ErrorKind::InvalidInput {
        name: name.into(),
        value: value.into(),
        expected: expected.into(),
    })
}

/// The request object as contract JSON, refusing JS numbers for money inputs.
fn request_json(request: &JsValue) -> Result<String, JsValue> {
    if let Ok(inputs) = js_sys::Reflect::get(request, &"inputs".into()) {
        if inputs.is_object() {
            let keys = js_sys::Object::keys(&inputs.clone().into());
            for key in keys.iter() {
                let name = key.as_string().unwrap_or_default();
                let value = js_sys::Reflect::get(&inputs, &key).unwrap_or(JsValue::UNDEFINED);
                let Some(number) = value.as_f64() else {
                    continue;
                };
                let spec = INPUTS.iter().find(|s| s.name == name);
                if spec.is_some_and(|s| s.kind == InputKind::Money) {
                    return Err(throw(&invalid(
                        &name,
                        &js_number_text(&value),
                        "money as a decimal string such as \"800000000\" (JS numbers are not exact)",
                    )));
                }
                // JSON has no NaN or Infinity: `JSON.stringify` would send `null`, and the
                // error would name a value the caller never gave.
                if !number.is_finite() {
                    let expected = spec.map_or_else(|| "a whole number".into(), |s| s.expected());
                    return Err(throw(&invalid(&name, &js_number_text(&value), &expected)));
                }
            }
        }
    }
    match js_sys::JSON::stringify(request) {
        Ok(s) => s.as_string().ok_or_else(|| {
            throw(&Error::new(ErrorKind::RequestInvalid {
                message: "the request must be an object".into(),
            }))
        }),
        Err(_) => Err(throw(&Error::new(ErrorKind::RequestInvalid {
            message: "the request cannot be turned into JSON".into(),
        }))),
    }
}

/// A text argument from JS, taken as a `JsValue` and checked here: `None` for `undefined` or
/// `null`, an `invalid_input` error naming `name` for anything else that is not a string.
/// (A `&str` parameter leaves the check to the glue, which copies a number or an object into
/// wasm memory as if it were a string: a trap, `memory access out of bounds`, not an error.)
fn text_arg(v: &JsValue, name: &str, expected: &str) -> Result<Option<String>, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| {
        let shown = if v.as_f64().is_some() {
            js_number_text(v)
        } else {
            "(not text)".into()
        };
        throw(&invalid(name, &shown, expected))
    })
}

/// A text argument that must be given.
fn required_text(v: &JsValue, name: &str, expected: &str) -> Result<String, JsValue> {
    text_arg(v, name, expected)?.ok_or_else(|| throw(&invalid(name, "(missing)", expected)))
}

/// `vi` (the default) or `en`.
fn lang_arg(v: &JsValue) -> Result<lephi::Lang, JsValue> {
    match text_arg(v, "lang", LANGS)?.as_deref() {
        None | Some("vi") => Ok(lephi::Lang::Vi),
        Some("en") => Ok(lephi::Lang::En),
        Some(other) => Err(throw(&invalid("lang", other, LANGS))),
    }
}

const LANGS: &str = "`vi` or `en`";
const ISO_DATE: &str = "an ISO date `YYYY-MM-DD`";

/// A JS number as JS writes it (`String(x)`: `NaN`, `Infinity`, `1e+300`), without Rust's
/// float printer in the build.
fn js_number_text(v: &JsValue) -> String {
    js_sys::Number::from(v.clone())
        .to_string_with_radix(10)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

fn parse(json: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(json)
}

fn amount(text: &str) -> Result<Decimal, JsValue> {
    lephi::parse_amount(text).map_err(|e| throw(&e))
}

/// A validated rule library and the engine that prices with it.
#[wasm_bindgen]
pub struct Engine {
    lib: RuleLibrary,
}

#[wasm_bindgen]
impl Engine {
    /// The engine with the embedded Vietnamese library.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Engine, JsValue> {
        RuleLibrary::bundled()
            .map(|lib| Engine { lib })
            .map_err(|e| throw(&e))
    }

    /// An engine from rule-file texts (YAML), validated like the embedded ones. Pass one text or
    /// an array of texts; errors name `rules-N.yaml` with line and column. The `lite` build
    /// has no YAML parser and refuses with `rule_syntax`, naming `Engine.fromCompiled`.
    #[wasm_bindgen(js_name = fromRules)]
    pub fn from_rules(rules: JsValue) -> Result<Engine, JsValue> {
        let texts = rule_texts(&rules)?;
        if cfg!(not(feature = "yaml")) {
            return Err(throw(
                &Error::new(ErrorKind::RuleSyntax {
                    message: "the `lephi/lite` build reads no YAML: load rules compiled with \
                              `lephi compile` (or `compileRules` of the `lephi` build) with \
                              `Engine.fromCompiled`, or import `lephi`"
                        .into(),
                })
                .at(Some(lephi::Location::start_of("rules-0.yaml"))),
            ));
        }
        with_names(&texts, RuleLibrary::from_sources)
            .map(|lib| Engine { lib })
            .map_err(|e| throw(&e))
    }

    /// An engine from compiled rules (a `Uint8Array`): what `lephi compile` or `compileRules`
    /// write, validated like YAML (errors name the YAML file, line and column of the item).
    /// Both builds have it.
    #[wasm_bindgen(js_name = fromCompiled)]
    pub fn from_compiled(compiled: JsValue) -> Result<Engine, JsValue> {
        let Some(bytes) = compiled.dyn_ref::<js_sys::Uint8Array>() else {
            return Err(throw(&invalid(
                "compiled",
                "(not a Uint8Array)",
                "the Uint8Array that `compileRules` returns or the bytes of `lephi compile -o FILE`",
            )));
        };
        check_rules_len(usize::try_from(bytes.length()).unwrap_or(usize::MAX))?;
        RuleLibrary::from_compiled("compiled-rules.bin", &bytes.to_vec())
            .map(|lib| Engine { lib })
            .map_err(|e| throw(&e))
    }

    /// Prices a request object; returns the result object (money as decimal strings).
    pub fn quote(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let json = request_json(&request)?;
        let out = self.lib.try_quote_json(&json).map_err(|e| throw(&e))?;
        parse(&out)
    }

    /// Prices a request given as JSON text and returns canonical JSON text, or
    /// `{"error":{"code","message"}}` (the cross-runtime conformance form).
    #[wasm_bindgen(js_name = quoteJson)]
    pub fn quote_json(&self, request: JsValue) -> String {
        match request.as_string() {
            Some(text) => self.lib.quote_json(&text),
            None => lephi::json::error_details_json(&Error::new(ErrorKind::RequestInvalid {
                message: "quoteJson takes the request as JSON text (JSON.stringify(request)); \
                          quote(request) takes the object"
                    .into(),
            })),
        }
    }

    /// The request priced on every channel, with the saving of going online.
    #[wasm_bindgen(js_name = compareChannels)]
    pub fn compare_channels(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let json = request_json(&request)?;
        let out = self
            .lib
            .compare_channels_json(&json)
            .map_err(|e| throw(&e))?;
        parse(&out)
    }

    /// The inputs a partial request still needs, so a form asks only what matters. An input
    /// behind a choice (a car's declared value, behind its registration) is listed once the
    /// request makes that choice, so ask again after filling in a choice.
    #[wasm_bindgen(js_name = missingInputs)]
    pub fn missing_inputs(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let json = request_json(&request)?;
        let out = self.lib.missing_inputs_json(&json).map_err(|e| throw(&e))?;
        parse(&out)
    }

    /// The legal documents a quote of the request rests on (the ones its fingerprint hashes),
    /// sorted by id: number, title, issuer, dates in force, confidence, `url` and the
    /// library's `notes` on what is known and what is not.
    pub fn sources(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let json = request_json(&request)?;
        let out = self.lib.sources_json(&json).map_err(|e| throw(&e))?;
        parse(&out)
    }

    /// The itemised receipt text in `vi` (default) or `en`.
    pub fn explain(&self, request: JsValue, lang: JsValue) -> Result<String, JsValue> {
        let lang = match lang_arg(&lang)? {
            lephi::Lang::Vi => "vi",
            lephi::Lang::En => "en",
        };
        let json = request_json(&request)?;
        self.lib.explain_json(&json, lang).map_err(|e| throw(&e))
    }

    /// The procedure catalog, filtered by a search with or without diacritics.
    pub fn procedures(&self, search: JsValue) -> Result<JsValue, JsValue> {
        let search = text_arg(&search, "search", "words to look for, as text")?;
        parse(&self.lib.procedures_json(search.as_deref()))
    }

    /// Jurisdictions; with an ISO date, only those that existed on it.
    pub fn jurisdictions(&self, date: JsValue) -> Result<JsValue, JsValue> {
        let date = match text_arg(&date, "date", ISO_DATE)? {
            Some(d) => Some(Date::parse(&d).map_err(|e| throw(&e))?),
            None => None,
        };
        parse(&self.lib.jurisdictions_json(date))
    }

    /// The postal zones (`postage.zone`) the tariffs in force offer in a jurisdiction on an ISO
    /// date, sorted; empty when no tariff is recorded there (`[]`, not an error).
    // Built as a `js_sys::Array`: a `Vec<String>` return brings its own conversion code (about
    // 0.4 KB of the gzipped `lite` build).
    #[wasm_bindgen(js_name = postalZones)]
    pub fn postal_zones(&self, jurisdiction: JsValue, date: JsValue) -> Result<JsValue, JsValue> {
        let jurisdiction = required_text(
            &jurisdiction,
            "jurisdiction",
            "a jurisdiction id such as `vn/ha-tinh`",
        )?;
        let date = Date::parse(&required_text(&date, "date", ISO_DATE)?).map_err(|e| throw(&e))?;
        let zones = self
            .lib
            .postal_zones(&jurisdiction, date)
            .map_err(|e| throw(&e))?;
        let list = js_sys::Array::new();
        for zone in zones {
            list.push(&zone.into());
        }
        Ok(list.into())
    }

    /// sha256 of every rule document and the engine version.
    pub fn fingerprint(&self) -> String {
        self.lib.fingerprint()
    }
}

fn check_rules_len(total: usize) -> Result<(), JsValue> {
    if total > MAX_RULES_BYTES {
        return Err(throw(&Error::new(ErrorKind::LimitExceeded {
            what: "rule text loaded at run time (bytes)".into(),
            limit: MAX_RULES_BYTES as u64,
        })));
    }
    Ok(())
}

/// One rule text or an array of them, within the size limit.
fn rule_texts(rules: &JsValue) -> Result<Vec<String>, JsValue> {
    let texts: Vec<String> = if let Some(s) = rules.as_string() {
        vec![s]
    } else if js_sys::Array::is_array(rules) {
        let mut texts = Vec::new();
        for (i, v) in js_sys::Array::from(rules).iter().enumerate() {
            // Not "" for a number or null: that read as an empty rule file.
            texts.push(required_text(&v, &format!("rules[{i}]"), "a YAML string")?);
        }
        texts
    } else {
        return Err(throw(&invalid(
            "rules",
            "(not text)",
            "a YAML string or an array of YAML strings",
        )));
    };
    check_rules_len(texts.iter().map(String::len).sum())?;
    Ok(texts)
}

/// Calls `f` with the texts named `rules-0.yaml`, `rules-1.yaml`... (the names errors give).
fn with_names<T>(texts: &[String], f: impl for<'a> FnOnce(&[(&'a str, &'a str)]) -> T) -> T {
    let names: Vec<String> = (0..texts.len())
        .map(|i| format!("rules-{i}.yaml"))
        .collect();
    let sources: Vec<(&str, &str)> = names
        .iter()
        .zip(texts)
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    f(&sources)
}

/// Validates rule-file texts (YAML) and returns their compiled form (a `Uint8Array`) for
/// `Engine.fromCompiled`, as `lephi compile` writes it (files named `rules-N.yaml`). Only in
/// the `lephi` build.
#[cfg(feature = "yaml")]
#[wasm_bindgen(js_name = compileRules)]
pub fn compile_rules(rules: JsValue) -> Result<Vec<u8>, JsValue> {
    let texts = rule_texts(&rules)?;
    with_names(&texts, RuleLibrary::compile).map_err(|errors| {
        let first = errors.into_iter().next().unwrap_or_else(|| {
            Error::new(ErrorKind::Internal {
                message: "validation failed without an error".into(),
            })
        });
        throw(&first)
    })
}

/// `135.000 ₫` from a decimal string.
#[wasm_bindgen(js_name = formatVnd)]
pub fn format_vnd(amount_text: JsValue) -> Result<String, JsValue> {
    let text = money_text(&amount_text)?;
    Ok(lephi::format_vnd(amount(&text)?))
}

/// The amount in words, as on a receipt (`vi`, default) or in English (`en`).
#[wasm_bindgen(js_name = amountInWords)]
pub fn amount_in_words(amount_text: JsValue, lang: JsValue) -> Result<String, JsValue> {
    let a = amount(&money_text(&amount_text)?)?;
    Ok(match lang_arg(&lang)? {
        lephi::Lang::Vi => lephi::words::vi_receipt(a),
        lephi::Lang::En => lephi::words::en_receipt(a),
    })
}

fn money_text(v: &JsValue) -> Result<String, JsValue> {
    v.as_string().ok_or_else(|| {
        throw(&invalid(
            "amount",
            &if v.as_f64().is_some() {
                js_number_text(v)
            } else {
                "(not text)".into()
            },
            "money as a decimal string such as \"115000\" (JS numbers are not exact)",
        ))
    })
}

/// A quote's warning (`{code, message, rule}`) in `vi` (default) or `en`, as the receipt
/// shows it: the English message is the contract's text, the Vietnamese renders the same facts.
#[wasm_bindgen(js_name = warningText)]
pub fn warning_text(warning: JsValue, lang: JsValue) -> Result<String, JsValue> {
    let lang = lang_arg(&lang)?;
    let text = |key: &str| {
        js_sys::Reflect::get(&warning, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let expected = "a warning from a quote: {code, message, rule} with text values";
    let (Some(code), Some(message)) = (text("code"), text("message")) else {
        return Err(throw(&invalid("warning", "(not a warning)", expected)));
    };
    let rule = text("rule");
    Ok(lephi::warning_text(&code, &message, rule.as_deref(), lang).into_owned())
}

/// The applicant categories: `[{id, vi, en}]` (the vocabulary requests may use).
#[wasm_bindgen]
pub fn categories() -> Result<JsValue, JsValue> {
    vocabulary(lephi::model::CATEGORIES)
}

/// The postal zones lephi has words for: `[{id, vi, en}]` (`postalZones` says which are in
/// force where; a tariff may also name a zone not listed here).
#[wasm_bindgen(js_name = zoneNames)]
pub fn zone_names() -> Result<JsValue, JsValue> {
    vocabulary(lephi::model::ZONES)
}

/// `(id, vi, en)` rows as `[{id, vi, en}]`.
fn vocabulary(rows: &[(&str, &str, &str)]) -> Result<JsValue, JsValue> {
    let list = js_sys::Array::new();
    for &(id, vi, en) in rows {
        let row = js_sys::Object::new();
        for (key, value) in [("en", en), ("id", id), ("vi", vi)] {
            js_sys::Reflect::set(&row, &key.into(), &value.into())?;
        }
        list.push(&row);
    }
    Ok(list.into())
}

/// The engine version.
#[wasm_bindgen]
pub fn version() -> String {
    lephi::VERSION.to_string()
}
