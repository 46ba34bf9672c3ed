//! The engine: request + library → quote. Pure and deterministic.

mod compute;
mod postage;
mod select;
mod stack;

pub(crate) use stack::effect_label;

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{input_spec, Channel, InputKind, Names, CATEGORIES, INPUTS};
use crate::money::{add, percent_of};
use crate::quote::result::StoredWarning;
use crate::quote::{ChannelComparison, ChannelQuote, Line, Quote, Retained, RoundingNote, Warning};
use crate::rules::RuleLibrary;
use crate::{Date, Error, ErrorKind, Money, Request};

/// An input the procedure still needs, for estimator forms. Fields in sorted order: its JSON
/// (`missing_inputs_json`) is canonical.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NeededInput {
    /// Allowed values for a choice (only those the rules price).
    pub allowed: Vec<String>,
    /// The same values, each with its names for display (empty unless a choice).
    pub choices: Vec<Choice>,
    /// Default, when the input is optional.
    pub default: Option<&'static str>,
    /// `count`, `money` or `choice`.
    pub kind: InputKind,
    /// Label.
    pub label: Names,
    /// Smallest count.
    pub min: Option<u32>,
    /// Input name.
    pub name: &'static str,
    /// Whether the quote fails without it.
    pub required: bool,
}

/// One value a choice input takes, with its names for display: what a form shows for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Choice {
    /// Names for display (`Khu vực I`, `Zone I`).
    pub label: Names,
    /// The value sent in requests (`kv1`).
    pub value: String,
}

fn check_request(req: &Request) -> Result<(), Error> {
    for c in &req.applicant.categories {
        if !CATEGORIES.iter().any(|k| k.0 == c.as_str()) {
            return Err(Error::new(ErrorKind::UnknownCategory {
                name: c.clone(),
                candidates: crate::error::close_matches(c, CATEGORIES.iter().map(|k| k.0)),
            }));
        }
    }
    for (name, value) in &req.inputs {
        let Some(spec) = input_spec(name) else {
            return Err(Error::new(ErrorKind::UnknownInput {
                name: name.clone(),
                known: INPUTS.iter().map(|i| i.name.to_string()).collect(),
            }));
        };
        if spec.name == "applicant_kind" {
            return Err(Error::new(ErrorKind::InvalidInput {
                name: name.clone(),
                value: value.as_text(),
                expected: "nothing here: set `applicant.kind` instead".into(),
            }));
        }
        compute::parse_input(spec, value)?;
    }
    if let Some(p) = &req.postage {
        if p.weight_grams == 0 || p.weight_grams > crate::limits::MAX_WEIGHT_GRAMS {
            return Err(Error::new(ErrorKind::InvalidInput {
                name: "postage.weight_grams".into(),
                value: p.weight_grams.to_string(),
                expected: format!("grams from 1 to {}", crate::limits::MAX_WEIGHT_GRAMS),
            }));
        }
    }
    Ok(())
}

fn push_expiry<'a>(
    warnings: &mut Vec<Warning<'a>>,
    rule: &'a str,
    w: &crate::date::Window,
    date: crate::Date,
) {
    if let Some(to) = w.to.filter(|&to| date.soon(to, 30)) {
        let days = date.days_until(to);
        warnings.push(Warning {
            code: "rule_expires_soon",
            message: format!("`{rule}` ends on `{to}` ({days} days after the request date); the amount changes after that").into(),
            rule: Some(rule),
        });
    }
}

impl RuleLibrary {
    /// A procedure by id, or the error naming close matches.
    fn procedure_entry(&self, id: &str) -> Result<&crate::rules::ProcEntry, Error> {
        self.procedures.get(id).ok_or_else(|| {
            Error::new(ErrorKind::UnknownProcedure {
                id: id.to_string(),
                candidates: crate::error::close_matches(
                    id,
                    self.procedures.keys().map(String::as_str),
                ),
            })
        })
    }

    /// Prices a request.
    ///
    /// # Errors
    /// A typed [`Error`]: unknown procedure or jurisdiction (with close matches), a
    /// jurisdiction that did not exist on the date (with its successors), no rule in force
    /// (with the nearest windows), missing or invalid inputs, unknown categories, postage that
    /// no tariff covers, or overflow.
    ///
    /// ```
    /// use lephi::{Channel, Request, RuleLibrary};
    /// let lib = RuleLibrary::bundled()?;
    /// let req = Request::new("driver-licence.issue", "2024-05-01")?.with_channel(Channel::OnlineFull);
    /// let q = lib.quote(&req)?;
    /// assert_eq!(q.total.to_string(), "115000");
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn quote(&self, req: &Request) -> Result<Quote<'_>, Error> {
        self.quote_with_documents(req).map(|(quote, _)| quote)
    }

    /// The documents a quote of this request rests on, sorted by id: the ones its
    /// fingerprint hashes (the procedure's, the jurisdiction registry, and those of every fee,
    /// adjustment considered, postal tariff and subsidy). Each header carries the official
    /// number, title, issuer, dates in force, where to read it, how far it was checked and the
    /// library's notes on what is known and what is not.
    ///
    /// # Errors
    /// Whatever [`quote`](Self::quote) returns for the request.
    ///
    /// ```
    /// use lephi::{Channel, Direction, Request, RuleLibrary};
    /// let lib = RuleLibrary::bundled()?;
    /// let req = Request::new("driver-licence.issue", "2024-05-01")?
    ///     .with_jurisdiction("vn/ha-tinh")
    ///     .with_channel(Channel::OnlineFull)
    ///     .with_postage(Direction::Return, "inner_city", 100);
    /// let sources = lib.sources(&req)?;
    /// let ids: Vec<&str> = sources.iter().map(|d| d.id.as_str()).collect();
    /// assert!(ids.contains(&"tt-63-2023-btc") && ids.contains(&"ht-bcci-return-subsidy"));
    /// let subsidy = sources.iter().find(|d| d.id == "ht-bcci-return-subsidy").unwrap();
    /// assert!(subsidy.notes.as_deref().unwrap_or("").starts_with("From news reports"));
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn sources(&self, req: &Request) -> Result<Vec<&crate::model::DocumentHeader>, Error> {
        let (_, docs) = self.quote_with_documents(req)?;
        Ok(docs
            .iter()
            .filter_map(|&i| self.docs.get(i).map(|d| &d.header))
            .collect())
    }

    /// The quote and the indices of the documents it used, sorted and without repeats.
    fn quote_with_documents(&self, req: &Request) -> Result<(Quote<'_>, Vec<usize>), Error> {
        check_request(req)?;
        let proc_entry = self.procedure_entry(&req.procedure)?;
        let (procedure, pid) = (&proc_entry.p, &proc_entry.p.id);
        let jur = select::jurisdiction(self, &req.jurisdiction, req.date)?;
        let mut docs_used = Vec::with_capacity(8);
        docs_used.extend([proc_entry.doc, jur.doc]);
        let mut warnings = Vec::new();
        let mut lines = Vec::with_capacity(procedure.fees.len());
        let mut fees_total = Decimal::ZERO;
        for item in &procedure.fees {
            let entry = select::fee_rule(self, item, jur, req.date)?;
            docs_used.push(entry.doc);
            let (base, computation) = match (&entry.rule.basis, &entry.fixed_computation) {
                (crate::model::Basis::Fixed(m), Some(text)) => (m.0, Cow::Borrowed(&**text)),
                (basis, _) => {
                    let (amount, text) = compute::base(basis, req)?;
                    (amount, Cow::Owned(text))
                }
            };
            let rounding = entry.rounding;
            let stepped = rounding.stage == crate::money::RoundingStage::EachStep;
            let base = if stepped { rounding.apply(base)? } else { base };
            let stacked = stack::adjust(
                self,
                entry,
                req,
                jur,
                pid,
                base,
                stepped.then_some(rounding),
            )?;
            let exact = stacked.amount;
            let amount = rounding.apply(exact)?;
            let delta = crate::money::sub(amount, exact, "rounding")?;
            for ai in &stacked.used {
                if let Some(a) = self.adjustments.get(*ai) {
                    docs_used.push(a.doc);
                }
            }
            for ai in &stacked.applied {
                if let Some(a) = self.adjustments.get(*ai) {
                    warnings.extend(a.shared.caution.iter().map(StoredWarning::borrow));
                    push_expiry(&mut warnings, &a.shared.id, &a.window, req.date);
                    warnings.extend(a.proof.iter().map(StoredWarning::borrow));
                }
            }
            warnings.extend(entry.shared.caution.iter().map(StoredWarning::borrow));
            push_expiry(&mut warnings, &entry.shared.id, &entry.window, req.date);
            let retained = match entry.rule.retained_share {
                Some(share) => Some(Retained {
                    share: share.to_string(),
                    amount: Money(crate::Rounding::default().apply(percent_of(
                        amount,
                        share.0,
                        "retained share",
                    )?)?),
                }),
                None => None,
            };
            fees_total = add(fees_total, amount, "fees total")?;
            lines.push(Line {
                item: &entry.item,
                rule: &entry.shared.id,
                kind: entry.rule.kind,
                name: &entry.shared.name,
                base: Money(crate::money::norm(base)),
                computation,
                adjustments: stacked.listed,
                exact: Money(crate::money::norm(exact)),
                rounding: (!delta.is_zero()).then(|| RoundingNote {
                    rule: rounding.label(),
                    delta: crate::money::norm(delta),
                }),
                amount: Money(crate::money::norm(amount)),
                basis: &entry.shared.basis,
                retained,
            });
        }
        let postage = match &req.postage {
            Some(p) => Some(postage::quote(
                self,
                req,
                p,
                jur,
                fees_total,
                &mut docs_used,
                &mut warnings,
            )?),
            None => None,
        };
        let postage_total = postage.as_ref().map_or(Decimal::ZERO, |p| p.applicant.0);
        let total = add(fees_total, postage_total, "total")?;
        // Sorts and dedups `docs_used`, which `sources` then reads.
        let fingerprint = self.fingerprint_of(&mut docs_used);
        let quote = Quote {
            procedure: &proc_entry.id,
            procedure_name: &proc_entry.name,
            jurisdiction: &jur.id,
            date: req.date,
            channel: req.channel,
            currency: "VND",
            lines,
            fees_total: Money(crate::money::norm(fees_total)),
            postage_total: Money(crate::money::norm(postage_total)),
            total: Money(crate::money::norm(total)),
            postage,
            warnings,
            fingerprint,
        };
        Ok((quote, docs_used))
    }

    /// Prices the request on every channel and reports the saving of going online.
    ///
    /// # Errors
    /// Only errors that do not depend on the channel (unknown procedure, bad inputs...).
    ///
    /// ```
    /// let lib = lephi::RuleLibrary::bundled()?;
    /// let c = lib.compare_channels(&lephi::Request::new("driver-licence.issue", "2024-05-01")?)?;
    /// assert_eq!(c.online_saving.map(|m| m.to_string()), Some("20000".into()));
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn compare_channels(&self, req: &Request) -> Result<ChannelComparison<'_>, Error> {
        let mut channels = Vec::new();
        let mut first_error = None;
        for ch in Channel::ALL {
            let r = req.clone().with_channel(ch);
            match self.quote(&r) {
                Ok(q) => channels.push(ChannelQuote {
                    channel: ch,
                    total: Some(q.total),
                    quote: Some(q),
                    error: None,
                }),
                Err(e) => {
                    channels.push(ChannelQuote {
                        channel: ch,
                        total: None,
                        quote: None,
                        error: Some((&e).into()),
                    });
                    first_error.get_or_insert(e);
                }
            }
        }
        if channels.iter().all(|c| c.quote.is_none()) {
            if let Some(e) = first_error {
                return Err(e);
            }
        }
        let cheapest = channels
            .iter()
            .filter_map(|c| c.total.map(|t| (t, c.channel)))
            .min()
            .map(|(_, c)| c);
        let in_person = channels
            .iter()
            .find(|c| c.channel == Channel::InPerson)
            .and_then(|c| c.total);
        let best_online = channels
            .iter()
            .filter(|c| c.channel.is_online())
            .filter_map(|c| c.total)
            .min();
        let online_saving = match (in_person, best_online) {
            (Some(a), Some(b)) => Some(Money(
                a.0.checked_sub(b.0)
                    .unwrap_or(Decimal::ZERO)
                    .max(Decimal::ZERO)
                    .normalize(),
            )),
            _ => None,
        };
        Ok(ChannelComparison {
            channels,
            cheapest,
            online_saving,
        })
    }

    /// The postal zones (`postage.zone`) that the public postal tariffs in force on `date` offer
    /// in `jurisdiction` and the jurisdictions it belongs to, sorted; empty when no tariff is
    /// recorded there for that date. A form offers these, and only these, as the zone.
    ///
    /// # Errors
    /// `unknown_jurisdiction`, or `jurisdiction_not_in_force` for a jurisdiction that did not
    /// exist on `date`.
    ///
    /// ```
    /// let lib = lephi::RuleLibrary::bundled()?;
    /// let may_2024 = lephi::Date::parse("2024-05-01")?;
    /// assert_eq!(lib.postal_zones("vn/ha-tinh", may_2024)?, ["inner_city"]);
    /// assert_eq!(lib.postal_zones("vn/binh-duong", may_2024)?, ["inter_district", "inter_province", "intra_district"]);
    /// assert!(lib.postal_zones("vn/ha-noi", may_2024)?.is_empty());
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn postal_zones(&self, jurisdiction: &str, date: Date) -> Result<Vec<&str>, Error> {
        let jur = select::jurisdiction(self, jurisdiction, date)?;
        Ok(postage::zones_in_force(self, jur, date))
    }

    /// The inputs a (possibly partial) request still needs, with their types and allowed
    /// values, so a form asks only what matters.
    ///
    /// An input that a choice leads to is listed once the request makes that choice: a car's
    /// declared value is behind its registration (first or later), a motorbike's area behind
    /// a first registration. A form that fills in a choice asks again (the estimator page
    /// does, with the value its select shows).
    ///
    /// # Errors
    /// Unknown procedure or jurisdiction, or no rule in force on the date.
    ///
    /// ```
    /// let lib = lephi::RuleLibrary::bundled()?;
    /// let need = lib.missing_inputs(&lephi::Request::new("certified-copy.from-original", "2024-05-01")?)?;
    /// assert!(need.iter().any(|i| i.name == "pages" && i.required));
    ///
    /// let names = |req: &lephi::Request| -> Result<Vec<&'static str>, lephi::Error> {
    ///     Ok(lib.missing_inputs(req)?.iter().map(|i| i.name).collect())
    /// };
    /// let car = lephi::Request::new("registration-fee.car", "2024-05-01")?;
    /// assert_eq!(names(&car)?, ["registration"]);
    /// assert_eq!(names(&car.with_input("registration", "first"))?, ["declared_value"]);
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn missing_inputs(&self, req: &Request) -> Result<Vec<NeededInput>, Error> {
        let procedure = &self.procedure_entry(&req.procedure)?.p;
        let jur = select::jurisdiction(self, &req.jurisdiction, req.date)?;
        let mut needed: Vec<(&'static str, Vec<String>)> = Vec::new();
        for item in &procedure.fees {
            let entry = select::fee_rule(self, item, jur, req.date)?;
            compute::needed(&entry.rule.basis, req, &mut needed);
            // An incentive whose cap is tied to an input needs it too, when it applies.
            for a in entry
                .adjustments
                .iter()
                .filter_map(|i| self.adjustments.get(*i))
            {
                if let Some(c) = &a.adj.max_reduction_input {
                    if stack::targets_line(a, entry, &req.procedure)
                        && stack::conditions_hold(a, req, jur)
                    {
                        if let Some(spec) = input_spec(&c.input) {
                            if !needed.iter().any(|(n, _)| *n == spec.name) {
                                needed.push((spec.name, Vec::new()));
                            }
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (name, allowed) in needed {
            if req.inputs.contains_key(name) || name == "applicant_kind" {
                continue;
            }
            if let Some(spec) = input_spec(name) {
                // The validator admits only values the input allows, and each of those has
                // names (tested); a value without them would be shown as itself, not dropped.
                let choices = allowed
                    .iter()
                    .map(|value| Choice {
                        label: spec.value_label(value).unwrap_or_else(|| Names {
                            vi: value.clone(),
                            en: value.clone(),
                        }),
                        value: value.clone(),
                    })
                    .collect();
                out.push(NeededInput {
                    name: spec.name,
                    kind: spec.kind.clone(),
                    allowed,
                    choices,
                    min: spec.min,
                    default: spec.default,
                    required: spec.default.is_none(),
                    label: spec.label(),
                });
            }
        }
        Ok(out)
    }
}

impl RuleLibrary {
    /// Prices a request given as JSON and returns canonical JSON: the quote, or
    /// `{"error":{"code":...,"message":...}}`. This is the one entry point every runtime
    /// (Rust, Python, WebAssembly) uses for byte-identical results.
    ///
    /// ```
    /// let lib = lephi::RuleLibrary::bundled()?;
    /// let out = lib.quote_json(r#"{"procedure":"driver-licence.issue","date":"2024-05-01"}"#);
    /// assert!(out.contains("\"total\":\"135000\""));
    /// let err = lib.quote_json(r#"{"procedure":"x","date":"2024-05-01"}"#);
    /// assert!(err.starts_with("{\"error\":{\"code\":\"unknown_procedure\""));
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn quote_json(&self, request_json: &str) -> String {
        match Request::from_json(request_json).and_then(|r| self.quote(&r)) {
            Ok(q) => q.to_json(),
            Err(e) => error_json(&e),
        }
    }
}

/// An error as canonical JSON: `{"error":{"code":...,"message":...}}`.
pub fn error_json(e: &Error) -> String {
    format!(
        "{{\"error\":{{\"code\":{},\"message\":{}}}}}",
        crate::json::string(e.code()),
        crate::json::string(&e.to_string())
    )
}
