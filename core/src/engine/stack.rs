//! Declared stacking of adjustments.
//!
//! 1. An exemption that applies beats everything: the line is 0 and nothing else applies.
//! 2. Otherwise the non-stacking adjustments compete and the single most favourable one is
//!    applied (NQ 66.22/2026/NQ-CP Art 5.2); ties go to the first rule id.
//! 3. Then adjustments with `stacks: true` apply on top, in `order` (then rule id).

use rust_decimal::Decimal;

use crate::model::{Adjustment, Effect};
use crate::money::{percent_of, sub};
use crate::quote::{AppliedAdjustment, Request};
use crate::rules::{AdjEntry, FeeEntry, JurEntry, RuleLibrary};
use crate::{Error, Rounding};

pub(crate) struct Stacked<'a> {
    pub amount: Decimal,
    pub listed: Vec<AppliedAdjustment<'a>>,
    /// Adjustments applied.
    pub applied: Vec<usize>,
    /// Adjustments considered (applied or not).
    pub used: Vec<usize>,
}

/// The label of an adjustment's effect with its caps, e.g. `pay_percent 80` or
/// `reduce_percent 50, at most 5 × base_salary`.
pub(crate) fn effect_label(a: &Adjustment) -> String {
    let mut s = match &a.effect {
        Effect::PayPercent(p) => format!("pay_percent {p}"),
        Effect::ReducePercent(p) => format!("reduce_percent {p}"),
        Effect::ReplaceAmount(m) => format!("replace_amount {m}"),
        Effect::ReduceAmount(m) => format!("reduce_amount {m}"),
        Effect::Exempt => "exempt".into(),
    };
    if let Some(m) = a.max_reduction {
        s.push_str(&format!(", at most {m}"));
    }
    if let Some(c) = &a.max_reduction_input {
        s.push_str(&format!(", at most {} × {}", c.times, c.input));
    }
    s
}

/// Applies one adjustment to an amount. A reduction never raises an amount, nor exceeds the
/// adjustment's caps (an input-tied cap reads its input from the request).
pub(crate) fn apply_effect(
    a: &Adjustment,
    amount: Decimal,
    req: &Request,
) -> Result<Decimal, Error> {
    let new = match &a.effect {
        Effect::PayPercent(p) => percent_of(amount, p.0, "adjustment")?,
        Effect::ReducePercent(p) => {
            sub(amount, percent_of(amount, p.0, "adjustment")?, "adjustment")?
        }
        Effect::ReplaceAmount(m) => m.0.min(amount),
        Effect::ReduceAmount(m) => sub(amount, m.0.min(amount), "adjustment")?,
        Effect::Exempt => Decimal::ZERO,
    };
    let new = new.max(Decimal::ZERO).min(amount);
    let mut cap = a.max_reduction.map(|m| m.0);
    if let Some(c) = &a.max_reduction_input {
        let v = super::compute::money(req, &c.input)?;
        let by_input = crate::money::mul(Decimal::from(c.times), v, "reduction cap")?;
        cap = Some(cap.map_or(by_input, |m| m.min(by_input)));
    }
    Ok(match cap {
        Some(max) if sub(amount, new, "adjustment")? > max => sub(amount, max, "adjustment")?,
        _ => new,
    })
}

/// Whether the conditions of an adjustment hold for a request.
/// Cheap tests first: channel, applicant and date before the jurisdiction's ancestry.
pub(crate) fn conditions_hold(a: &AdjEntry, req: &Request, jur: &JurEntry) -> bool {
    let w = &a.adj.when;
    (w.channels.is_empty() || w.channels.contains(&req.channel))
        && w.applicant_kind.is_none_or(|k| k == req.applicant.kind)
        && (w.categories.is_empty()
            || w.categories
                .iter()
                .any(|c| req.applicant.categories.contains(c)))
        && a.window.contains(req.date)
        && jur.ancestor_ix.contains(&a.jix)
}

pub(crate) fn targets_line(a: &AdjEntry, entry: &FeeEntry, procedure: &str) -> bool {
    let t = &a.adj.applies_to;
    t.all
        || t.items.contains(&entry.rule.item)
        || entry
            .rule
            .group
            .as_ref()
            .is_some_and(|g| t.groups.contains(g))
        || t.kinds.contains(&entry.rule.kind)
        || t.procedures.iter().any(|p| p == procedure)
}

pub(crate) fn listed<'a>(
    a: &'a AdjEntry,
    applied: bool,
    reason: Option<&'static str>,
    delta: Decimal,
) -> AppliedAdjustment<'a> {
    AppliedAdjustment {
        rule: &a.shared.id,
        name: &a.shared.name,
        effect: &a.effect,
        applied,
        reason,
        delta: crate::money::norm(delta),
        basis: &a.shared.basis,
    }
}

/// Picks and applies adjustments among `candidates` to `base`.
pub(crate) fn resolve<'a>(
    lib: &'a RuleLibrary,
    candidates: Vec<usize>,
    base: Decimal,
    step_rounding: Option<Rounding>,
    req: &Request,
) -> Result<Stacked<'a>, Error> {
    let round = |d: Decimal| -> Result<Decimal, Error> {
        match step_rounding {
            Some(r) => r.apply(d),
            None => Ok(d),
        }
    };
    let get = |i: usize| {
        lib.adjustments
            .get(i)
            .ok_or_else(|| Error::internal("adjustment index"))
    };
    let mut out = Stacked {
        amount: base,
        listed: Vec::with_capacity(candidates.len()),
        applied: Vec::new(),
        used: Vec::new(),
    };
    if candidates.is_empty() {
        return Ok(out);
    }
    let exemption = candidates
        .iter()
        .copied()
        .find(|i| get(*i).is_ok_and(|a| a.adj.effect == Effect::Exempt));
    if let Some(ei) = exemption {
        for i in &candidates {
            let a = get(*i)?;
            if *i == ei {
                out.listed.push(listed(
                    a,
                    true,
                    None,
                    sub(Decimal::ZERO, base, "exemption")?,
                ));
                out.applied.push(*i);
            } else {
                out.listed.push(listed(
                    a,
                    false,
                    Some("an exemption applies"),
                    Decimal::ZERO,
                ));
            }
        }
        out.amount = Decimal::ZERO;
        out.used = candidates;
        return Ok(out);
    }
    let stacks = |i: &usize| get(*i).is_ok_and(|a| a.adj.stacks);
    let single = || candidates.iter().filter(|i| !stacks(i));
    let mut best: Option<(Decimal, usize)> = None;
    for i in single() {
        let r = round(apply_effect(&get(*i)?.adj, base, req)?)?;
        if best.is_none_or(|(b, _)| r < b) {
            best = Some((r, *i));
        }
    }
    let mut amount = base;
    for i in single() {
        let a = get(*i)?;
        match best {
            Some((r, bi)) if bi == *i => {
                out.listed
                    .push(listed(a, true, None, sub(r, base, "adjustment")?));
                out.applied.push(*i);
                amount = r;
            }
            _ => out.listed.push(listed(
                a,
                false,
                Some("a more favourable incentive applies; incentives do not stack"),
                Decimal::ZERO,
            )),
        }
    }
    let mut stacking: Vec<usize> = candidates.iter().copied().filter(stacks).collect();
    crate::sort::small_sort_by(&mut stacking, |x, y| {
        let key = |i: usize| {
            get(i)
                .ok()
                .map(|a| (a.adj.order.unwrap_or(u32::MAX), a.rule_id.as_str()))
        };
        key(*x) < key(*y)
    });
    for i in &stacking {
        let a = get(*i)?;
        let r = round(apply_effect(&a.adj, amount, req)?)?;
        out.listed
            .push(listed(a, true, None, sub(r, amount, "adjustment")?));
        out.applied.push(*i);
        amount = r;
    }
    out.amount = amount;
    out.used = candidates;
    Ok(out)
}

pub(crate) fn adjust<'a>(
    lib: &'a RuleLibrary,
    entry: &FeeEntry,
    req: &Request,
    jur: &JurEntry,
    procedure: &str,
    base: Decimal,
    step_rounding: Option<Rounding>,
) -> Result<Stacked<'a>, Error> {
    let candidates: Vec<usize> = entry
        .adjustments
        .iter()
        .copied()
        .filter(|i| {
            lib.adjustments
                .get(*i)
                .is_some_and(|a| targets_line(a, entry, procedure) && conditions_hold(a, req, jur))
        })
        .collect();
    resolve(lib, candidates, base, step_rounding, req)
}
