//! Postage through the public postal service: tariff by zone and weight, collection
//! surcharge, merit-group reductions (TT 22/2017/TT-BTTTT) and provincial subsidies.
//!
//! Order: trip prices → surcharge → best single reduction (on the trips, not the surcharge)
//! → subsidy (the applicant pays at most the subsidy's cap per covered trip).

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::model::{Direction, ZoneRate};
use crate::money::{add, mul, sub};
use crate::quote::result::StoredWarning;
use crate::quote::{PostageQuote, PostageRequest, Request, Warning};
use crate::rules::{JurEntry, RuleLibrary, TariffEntry, ZoneTexts};
use crate::{Error, ErrorKind, Money};

fn trip_price<'a>(
    z: &ZoneRate,
    texts: &'a ZoneTexts,
    grams: u32,
) -> Result<(Decimal, Cow<'a, str>), Error> {
    if grams <= z.first_grams {
        return Ok((z.first.0, Cow::Borrowed(&texts.first)));
    }
    match (z.step_grams, z.step) {
        (Some(sg), Some(sp)) if sg > 0 => {
            let over = grams.saturating_sub(z.first_grams);
            let steps = over.div_ceil(sg);
            let total = add(z.first.0, mul(Decimal::from(steps), sp.0, "postage steps")?, "postage")?;
            Ok((
                total,
                Cow::Owned(format!("{} + {steps} × {} per {sg} g", z.first, sp)),
            ))
        }
        _ => Err(Error::new(ErrorKind::PostageUnavailable {
            message: format!(
                "the tariff for zone `{}` declares prices only up to {} g, and the dossier weighs {grams} g",
                z.zone, z.first_grams
            ),
            zones: Vec::new(),
        })),
    }
}

fn find_tariff<'a>(
    lib: &'a RuleLibrary,
    jur: &JurEntry,
    zone: &str,
    date: crate::Date,
) -> Result<(&'a TariffEntry, &'a ZoneRate, &'a ZoneTexts), Error> {
    for &level in &jur.ancestor_ix {
        for t in lib
            .tariffs
            .iter()
            .filter(|t| t.jix == level && t.window.contains(date))
        {
            if let Some((z, texts)) = t
                .tariff
                .zones
                .iter()
                .zip(&t.zones)
                .find(|(z, _)| z.zone == zone)
            {
                return Ok((t, z, texts));
            }
        }
    }
    let zones: Vec<String> = zones_in_force(lib, jur, date)
        .into_iter()
        .map(str::to_string)
        .collect();
    let message = if zones.is_empty() {
        format!("no postal tariff is in force in `{}` on `{date}`", jur.j.id)
    } else {
        format!("zone `{zone}` has no tariff in `{}` on `{date}`", jur.j.id)
    };
    Err(Error::new(ErrorKind::PostageUnavailable { message, zones }))
}

/// The zones of every tariff in force on `date` in `jur` or one of its ancestors, sorted and
/// without repeats: what `postage.zone` may be there.
pub(crate) fn zones_in_force<'a>(
    lib: &'a RuleLibrary,
    jur: &JurEntry,
    date: crate::Date,
) -> Vec<&'a str> {
    let mut zones: Vec<&str> = lib
        .tariffs
        .iter()
        .filter(|t| jur.ancestor_ix.contains(&t.jix) && t.window.contains(date))
        .flat_map(|t| t.tariff.zones.iter().map(|z| z.zone.as_str()))
        .collect();
    crate::sort::small_sort(&mut zones);
    zones.dedup();
    zones
}

pub(crate) fn quote<'a>(
    lib: &'a RuleLibrary,
    req: &Request,
    p: &PostageRequest,
    jur: &JurEntry,
    fees_total: Decimal,
    docs_used: &mut Vec<usize>,
    warnings: &mut Vec<Warning<'a>>,
) -> Result<PostageQuote<'a>, Error> {
    let (tariff, zone, texts) = find_tariff(lib, jur, &p.zone, req.date)?;
    docs_used.push(tariff.doc);
    let (one_way, step_text) = trip_price(zone, texts, p.weight_grams)?;
    let (trips, mut computation) = match (p.direction, zone.both, &texts.both) {
        (Direction::Both, Some(both), Some(text)) if p.weight_grams <= zone.first_grams => {
            (both.0, Cow::Borrowed(&**text))
        }
        (Direction::Both, _, _) => (
            mul(one_way, Decimal::TWO, "postage")?,
            Cow::Owned(format!("2 × ({step_text})")),
        ),
        _ => (one_way, step_text),
    };
    let sends = matches!(p.direction, Direction::Send | Direction::Both);
    let mut surcharge = Decimal::ZERO;
    if p.collect_fees && sends {
        if let Some(tier) = tariff
            .tariff
            .collection_surcharge
            .iter()
            .find(|t| t.below.is_none_or(|b| fees_total < b.0))
        {
            let Some(amount) = tier.amount else {
                return Err(Error::new(ErrorKind::PostageUnavailable {
                    message: format!(
                        "`{}` does not publish its fee-collection surcharge for fees of {} đ; \
                         quote without `collect_fees` or pay the fees to the agency",
                        tariff.shared.id,
                        crate::format_number_vi(fees_total)
                    ),
                    zones: Vec::new(),
                }));
            };
            surcharge = amount.0;
            computation = Cow::Owned(format!("{computation} + fee collection {amount}"));
        }
    }
    // Merit-group reductions: postage adjustments, best single one.
    let candidates: Vec<usize> = lib
        .postage_adjustments
        .iter()
        .copied()
        .filter(|i| {
            lib.adjustments
                .get(*i)
                .is_some_and(|a| super::stack::conditions_hold(a, req, jur))
        })
        .collect();
    let stacked = super::stack::resolve(lib, candidates, trips, None, req)?;
    for i in &stacked.used {
        if let Some(a) = lib.adjustments.get(*i) {
            docs_used.push(a.doc);
        }
    }
    let after = crate::Rounding::default().apply(stacked.amount)?;
    // Subsidy.
    let subsidy = lib.subsidies.iter().find(|s| {
        jur.ancestor_ix.contains(&s.jix)
            && s.window.contains(req.date)
            && (s.subsidy.zones.is_empty() || s.subsidy.zones.contains(&p.zone))
    });
    let mut applicant_trips = after;
    let mut subsidy_amount = Decimal::ZERO;
    if let Some(s) = subsidy {
        let covers =
            |d: Direction| s.subsidy.directions.is_empty() || s.subsidy.directions.contains(&d);
        let covered_trips: u32 = match p.direction {
            Direction::Both => u32::from(covers(Direction::Send))
                .saturating_add(u32::from(covers(Direction::Return))),
            d => u32::from(covers(d)),
        };
        if covered_trips > 0 {
            let uncovered = p.direction.trips().saturating_sub(covered_trips);
            let share_uncovered = mul(one_way, Decimal::from(uncovered), "postage")?.min(after);
            let cap = add(
                mul(
                    s.subsidy.applicant_pays_max.0,
                    Decimal::from(covered_trips),
                    "subsidy",
                )?,
                share_uncovered,
                "subsidy",
            )?;
            if after > cap {
                applicant_trips = cap;
                subsidy_amount = sub(after, cap, "subsidy")?;
            }
            docs_used.push(s.doc);
            warnings.extend(s.shared.caution.iter().map(StoredWarning::borrow));
        }
    }
    warnings.extend(tariff.shared.caution.iter().map(StoredWarning::borrow));
    let applicant = add(applicant_trips, surcharge, "postage")?;
    let tariff_total = add(trips, surcharge, "postage")?;
    Ok(PostageQuote {
        rule: &tariff.shared.id,
        zone: &texts.zone,
        direction: p.direction.as_str(),
        weight_grams: p.weight_grams,
        computation,
        tariff: Money(crate::money::norm(tariff_total)),
        surcharge: Money(crate::money::norm(surcharge)),
        adjustments: stacked.listed,
        subsidy: Money(crate::money::norm(subsidy_amount)),
        subsidy_rule: subsidy
            .filter(|_| !subsidy_amount.is_zero())
            .map(|s| &*s.shared.id),
        subsidy_payer: subsidy
            .filter(|_| !subsidy_amount.is_zero())
            .map(|s| &*s.payer),
        applicant: Money(crate::money::norm(applicant)),
        basis: &tariff.shared.basis,
    })
}
