//! Selection by jurisdiction and date. No silent fallback: a date outside every window is an
//! error that names the nearest windows.

use crate::rules::JurEntry;
use crate::rules::{FeeEntry, RuleLibrary};
use crate::{Date, Error, ErrorKind, RuleWindow};

/// Resolves a slug or GSO code on a date.
pub(crate) fn jurisdiction<'a>(
    lib: &'a RuleLibrary,
    id: &str,
    date: Date,
) -> Result<&'a JurEntry, Error> {
    let entry = match lib.jurisdictions.get(id) {
        Some(e) => e,
        None => {
            // GSO codes were reused after the 2025 merger: resolve them by date.
            let by_code: Vec<&JurEntry> = lib
                .jurisdictions
                .values()
                .filter(|e| e.j.has_code_on(id, date))
                .collect();
            match by_code
                .iter()
                .copied()
                .find(|e| e.window.contains(date))
                .or(by_code.first().copied())
            {
                Some(e) => e,
                None => {
                    return Err(Error::new(ErrorKind::UnknownJurisdiction {
                        id: id.to_string(),
                        candidates: crate::error::close_matches(
                            id,
                            lib.jurisdictions.keys().map(String::as_str),
                        ),
                    }))
                }
            }
        }
    };
    if !entry.window.contains(date) {
        return Err(Error::new(ErrorKind::JurisdictionNotInForce {
            id: entry.j.id.clone(),
            date: date.to_string(),
            window: entry.window.to_string(),
            successors: entry.j.successors.clone(),
        }));
    }
    Ok(entry)
}

/// The document that replaced `e`'s, in force on `date`, if `e`'s window ended before it.
fn successor_in_force<'a>(
    lib: &'a RuleLibrary,
    e: &FeeEntry,
    date: Date,
) -> Option<&'a crate::model::DocumentHeader> {
    if e.window.to.is_none_or(|to| to >= date) {
        return None;
    }
    let id = lib.docs.get(e.doc)?.header.replaced_by.as_deref()?;
    let next = &lib.docs.iter().find(|d| d.header.id == id)?.header;
    next.in_force_on(date).then_some(next)
}

/// The fee rule for `item` in force on `date`, most specific jurisdiction first.
pub(crate) fn fee_rule<'a>(
    lib: &'a RuleLibrary,
    item: &str,
    jur: &JurEntry,
    date: Date,
) -> Result<&'a FeeEntry, Error> {
    let entries = lib.fees.get(item).map(Vec::as_slice).unwrap_or(&[]);
    for &level in &jur.ancestor_ix {
        let mut in_force = entries
            .iter()
            .filter(|e| e.jix == level && e.window.contains(date));
        if let Some(first) = in_force.next() {
            // Overlaps are only allowed with `overrides`: take the rule that overrides the others.
            let mut best = first;
            for other in in_force {
                if other.rule.overrides.contains(&best.rule_id) {
                    best = other;
                }
            }
            return Ok(best);
        }
    }
    let in_chain: Vec<&FeeEntry> = entries
        .iter()
        .filter(|e| jur.ancestor_ix.contains(&e.jix))
        .collect();
    if in_chain.is_empty() {
        let mut available: Vec<String> = entries.iter().map(|e| e.jurisdiction.clone()).collect();
        crate::sort::small_sort(&mut available);
        available.dedup();
        return Err(Error::new(ErrorKind::NotPricedInJurisdiction {
            item: item.to_string(),
            jurisdiction: jur.j.id.clone(),
            available,
        }));
    }
    let mut near: Vec<(i64, String, usize)> = in_chain
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (
                e.window.distance(date),
                format!("{} ({})", e.window, e.rule_id),
                i,
            )
        })
        .collect();
    crate::sort::small_sort(&mut near);
    near.truncate(3);
    let windows = near
        .iter()
        .filter_map(|(_, _, i)| in_chain.get(*i))
        .map(|e| {
            let successor = successor_in_force(lib, e, date);
            RuleWindow {
                rule: e.rule_id.clone(),
                from: e.window.from.to_string(),
                to: e.window.to.map(|t| t.to_string()),
                nearest_day: e.window.nearest_day(date).to_string(),
                replaced_by: successor.map(|d| d.number.clone()),
                replaced_from: successor.map(|d| d.in_force_from.to_string()),
            }
        })
        .collect();
    Err(Error::new(ErrorKind::DateOutsideWindows {
        item: item.to_string(),
        date: date.to_string(),
        nearest: near.into_iter().map(|(_, s, _)| s).collect(),
        windows,
    }))
}
