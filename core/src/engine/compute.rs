//! Base amounts from a fee basis and the request's inputs. Exact and checked.

use rust_decimal::Decimal;

use crate::model::{input_spec, Basis, InputKind, InputSpec};
use crate::money::{add, mul, percent_of, sub};
use crate::quote::InputValue;
use crate::{Error, ErrorKind, Money, Request};

/// A parsed input value.
pub(crate) enum Parsed<'a> {
    Count(u64),
    Money(Decimal),
    Choice(&'a str),
}

pub(crate) fn parse_input<'a>(
    spec: &InputSpec,
    value: &'a InputValue,
) -> Result<Parsed<'a>, Error> {
    let invalid = || {
        Error::new(ErrorKind::InvalidInput {
            name: spec.name.to_string(),
            value: value.as_text(),
            expected: spec.expected(),
        })
    };
    match spec.kind {
        InputKind::Count => {
            let n = match value {
                InputValue::Integer(n) => *n,
                InputValue::Text(t) => t.trim().parse::<u64>().map_err(|_| invalid())?,
            };
            if n < u64::from(spec.min.unwrap_or(1)) || n > crate::limits::MAX_COUNT {
                return Err(Error::new(ErrorKind::InvalidInput {
                    name: spec.name.to_string(),
                    value: n.to_string(),
                    expected: format!(
                        "a whole number from {} to {}",
                        spec.min.unwrap_or(1),
                        crate::limits::MAX_COUNT
                    ),
                }));
            }
            Ok(Parsed::Count(n))
        }
        InputKind::Money => {
            let d = match value {
                InputValue::Integer(n) => Decimal::from(*n),
                InputValue::Text(t) => t.parse::<Money>().map_err(|_| invalid())?.0,
            };
            if d.trunc().abs().to_string().len() > crate::limits::MAX_MONEY_DIGITS as usize {
                return Err(invalid());
            }
            Ok(Parsed::Money(d))
        }
        InputKind::Choice => match value {
            InputValue::Text(t) if spec.allowed.contains(&t.as_str()) => {
                Ok(Parsed::Choice(t.as_str()))
            }
            _ => Err(invalid()),
        },
    }
}

/// Reads an input of a request, applying its default.
pub(crate) fn input_value<'a>(req: &'a Request, name: &str) -> Result<Parsed<'a>, Error> {
    let spec = input_spec(name)
        .ok_or_else(|| Error::internal(format!("input `{name}` not in vocabulary")))?;
    if name == "applicant_kind" {
        return Ok(Parsed::Choice(req.applicant.kind.as_str()));
    }
    match req.inputs.get(name) {
        Some(v) => parse_input(spec, v),
        None => match spec.default {
            Some(d) if spec.kind == InputKind::Count => d
                .parse::<u64>()
                .map(Parsed::Count)
                .map_err(|_| Error::internal("bad default")),
            _ => Err(Error::new(ErrorKind::MissingInput {
                name: name.to_string(),
                expected: spec.expected(),
            })),
        },
    }
}

fn count(req: &Request, name: &str) -> Result<u64, Error> {
    match input_value(req, name)? {
        Parsed::Count(n) => Ok(n),
        _ => Err(Error::internal(format!("input `{name}` is not a count"))),
    }
}

pub(crate) fn money(req: &Request, name: &str) -> Result<Decimal, Error> {
    match input_value(req, name)? {
        Parsed::Money(d) => Ok(d),
        _ => Err(Error::internal(format!("input `{name}` is not money"))),
    }
}

fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Computes the base amount of a basis, with a short description of the computation.
pub(crate) fn base(basis: &Basis, req: &Request) -> Result<(Decimal, String), Error> {
    match basis {
        Basis::Fixed(m) => Ok((m.0, format!("fixed {}", m))),
        Basis::WithExtra(w) => {
            let n = count(req, &w.input)?;
            let extra = n.saturating_sub(u64::from(w.included));
            let extra_amount = mul(Decimal::from(extra), w.each.0, "extra units")?;
            let total = add(w.amount.0, extra_amount, "extra units")?;
            Ok((
                total,
                format!(
                    "{} + {extra} {} above {} × {} = {}",
                    w.amount,
                    w.input,
                    w.included,
                    w.each,
                    plain(total)
                ),
            ))
        }
        Basis::PerUnit(p) => {
            let n = count(req, &p.input)?;
            let mut remaining = n;
            let mut per_group = Decimal::ZERO;
            let mut parts = Vec::new();
            for t in &p.tiers {
                let take = match t.first {
                    Some(f) => remaining.min(u64::from(f)),
                    None => remaining,
                };
                if take > 0 {
                    per_group = add(
                        per_group,
                        mul(Decimal::from(take), t.price.0, "per unit")?,
                        "per unit",
                    )?;
                    parts.push(format!("{take} × {}", t.price));
                }
                remaining = remaining.saturating_sub(take);
            }
            // A count of 0 (a test part not sat again) has no parts to list.
            let mut text = format!("{n} {}", p.input);
            if !parts.is_empty() {
                text.push_str(": ");
                text.push_str(&parts.join(" + "));
            }
            if let Some(cap) = p.cap_per_group {
                if per_group > cap.0 {
                    per_group = cap.0;
                    text.push_str(&format!(", capped at {cap}"));
                }
            }
            let mut total = per_group;
            if let Some(per) = &p.per {
                let groups = count(req, per)?;
                total = mul(per_group, Decimal::from(groups), "per group")?;
                text.push_str(&format!(" = {} per {per}, × {groups}", plain(per_group)));
            }
            if let Some(cap) = p.cap {
                if total > cap.0 {
                    total = cap.0;
                    text.push_str(&format!(", line capped at {cap}"));
                }
            }
            text.push_str(&format!(" = {}", plain(total)));
            Ok((total, text))
        }
        Basis::PercentOfValue(p) => {
            let v = money(req, &p.input)?;
            let mut total = percent_of(v, p.rate.0, "percent of value")?;
            let mut text = format!("{}% × {}", p.rate, plain(v));
            if let Some(min) = p.min.filter(|m| total < m.0) {
                total = min.0;
                text.push_str(&format!(", raised to the minimum {min}"));
            }
            if let Some(max) = p.max.filter(|m| total > m.0) {
                total = max.0;
                text.push_str(&format!(", capped at {max}"));
            }
            text.push_str(&format!(" = {}", plain(total)));
            Ok((total, text))
        }
        Basis::Bands(b) => {
            let v = money(req, &b.input)?;
            let band = b.rows.iter().rev().find(|r| match (r.from, r.above) {
                (Some(f), _) => v >= f.0,
                (None, Some(a)) => v > a.0,
                (None, None) => true,
            });
            let Some(band) = band else {
                return Err(Error::new(ErrorKind::InvalidInput {
                    name: b.input.clone(),
                    value: plain(v),
                    expected: "a value covered by the rule's bands".into(),
                }));
            };
            let lower = band.from.or(band.above).map_or(Decimal::ZERO, |m| m.0);
            let over = band.excess_over.map_or(lower, |m| m.0);
            let base_amount = band.amount.map_or(Decimal::ZERO, |m| m.0);
            let mut text = format!("band from {}: ", plain(lower));
            let mut total = base_amount;
            if let Some(rate) = band.rate {
                let excess = sub(v, over, "band excess")?.max(Decimal::ZERO);
                total = add(total, percent_of(excess, rate.0, "band rate")?, "band")?;
                text.push_str(&format!(
                    "{} + {}% × ({} − {})",
                    plain(base_amount),
                    rate,
                    plain(v),
                    plain(over)
                ));
            } else {
                text.push_str(&plain(base_amount));
            }
            if let Some(max) = b.max.filter(|m| total > m.0) {
                total = max.0;
                text.push_str(&format!(", capped at {max}"));
            }
            text.push_str(&format!(" = {}", plain(total)));
            Ok((total, text))
        }
        Basis::Choose { input, options } => {
            let chosen = match input_value(req, input)? {
                Parsed::Choice(c) => c,
                _ => return Err(Error::internal(format!("input `{input}` is not a choice"))),
            };
            let Some(b) = options.get(chosen) else {
                return Err(Error::new(ErrorKind::InvalidInput {
                    name: input.clone(),
                    value: chosen.to_string(),
                    expected: format!(
                        "one of {} (the values this rule prices)",
                        options
                            .keys()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }));
            };
            let (amount, text) = base(b, req)?;
            Ok((amount, format!("{input} = {chosen}: {text}")))
        }
        Basis::AmountInput { input } => {
            let v = money(req, input)?;
            Ok((v, format!("{input} given by the applicant: {}", plain(v))))
        }
    }
}

/// Collects the inputs a basis needs, following choices that the request already makes.
pub(crate) fn needed(basis: &Basis, req: &Request, out: &mut Vec<(&'static str, Vec<String>)>) {
    let mut push = |name: &str, allowed: Vec<String>| {
        if let Some(spec) = input_spec(name) {
            if !out.iter().any(|(n, _)| *n == spec.name) {
                out.push((spec.name, allowed));
            }
        }
    };
    match basis {
        Basis::Fixed(_) => {}
        Basis::WithExtra(w) => push(&w.input, Vec::new()),
        Basis::PerUnit(p) => {
            push(&p.input, Vec::new());
            if let Some(per) = &p.per {
                push(per, Vec::new());
            }
        }
        Basis::PercentOfValue(p) => push(&p.input, Vec::new()),
        Basis::Bands(b) => push(&b.input, Vec::new()),
        Basis::AmountInput { input } => push(input, Vec::new()),
        Basis::Choose { input, options } => {
            push(input, options.keys().cloned().collect());
            if let Ok(Parsed::Choice(c)) = input_value(req, input) {
                if let Some(b) = options.get(c) {
                    needed(b, req, out);
                }
            }
        }
    }
}
