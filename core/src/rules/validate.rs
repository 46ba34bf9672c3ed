//! Parsed documents → [`RuleLibrary`], rejecting anything the engine could misread.
//! Every rejection is a typed error with the file:line:column of the offending item.

use rust_decimal::Decimal;

use std::sync::Arc;

use super::keyed::Keyed;
use super::library::{
    AdjEntry, DocEntry, FeeEntry, JurEntry, ProcEntry, RuleLibrary, Shared, Source, SubsidyEntry,
    TariffEntry, ZoneTexts,
};
use super::parse::{parse_with_locations, Locations};
use crate::date::Window;
use crate::error::close_matches;
use crate::model::{input_spec, Basis, Effect, InputKind, RuleDocument, Target, CATEGORIES};
use crate::{Date, Error, ErrorKind, Location, Percent};

struct Ctx {
    errors: Vec<Error>,
}

impl Ctx {
    fn err(&mut self, e: Error, at: &Location) {
        self.errors.push(e.at(Some(at.clone())));
    }
    fn rule(&mut self, at: &Location, msg: impl Into<String>, hint: impl Into<String>) {
        self.err(Error::rule(msg, hint), at);
    }
    fn unknown(&mut self, at: &Location, what: &str, id: &str, known: Vec<&str>) {
        let candidates = close_matches(id, known.into_iter());
        self.err(
            Error::new(ErrorKind::RuleUnknownReference {
                what: what.into(),
                id: id.into(),
                candidates,
            }),
            at,
        );
    }
    fn percent(&mut self, at: &Location, p: &Percent) {
        if p.0 > Decimal::ONE_HUNDRED {
            self.err(
                Error::new(ErrorKind::RulePercentOutOfRange {
                    value: p.to_string(),
                }),
                at,
            );
        }
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_procedure_id(s: &str) -> bool {
    s.split('.').all(is_slug)
}

/// Where each id was first declared: a second declaration of it is `rule_duplicate_id`, naming
/// the first.
#[derive(Default)]
struct Declared(Keyed<Location>);

impl Declared {
    /// Records `id` as declared at `at`; `false`, with the error reported, when it was declared
    /// before (the first place stays the one named).
    fn claim(&mut self, ctx: &mut Ctx, id: &str, at: &Location) -> bool {
        if let Some(first) = self.0.get(id) {
            ctx.err(
                Error::new(ErrorKind::RuleDuplicateId {
                    id: id.into(),
                    first: Some(first.clone()),
                }),
                at,
            );
            return false;
        }
        self.0.insert(id.to_string(), at.clone());
        true
    }

    fn get(&self, id: &str) -> Option<&Location> {
        self.0.get(id)
    }

    fn ids(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }
}

/// The id `<document>/<item>` of a rule (a fee, an adjustment, a postal tariff or subsidy),
/// after checking that the item's own id is a slug (`example` shows one) and that the whole id
/// is new; `None` when a rule already has it.
fn rule_id(
    ctx: &mut Ctx,
    rules: &mut Declared,
    document: &str,
    item: &str,
    at: &Location,
    example: &str,
) -> Option<String> {
    if !is_slug(item) {
        ctx.rule(
            at,
            format!("rule id `{item}` is not ASCII kebab-case"),
            format!("e.g. `{example}`"),
        );
    }
    let id = format!("{document}/{item}");
    rules.claim(ctx, &id, at).then_some(id)
}

/// The jurisdiction a rule applies in: its own, or else its document's; reported when the
/// library does not know it.
fn rule_jurisdiction(
    ctx: &mut Ctx,
    lib: &RuleLibrary,
    at: &Location,
    own: &Option<String>,
    document: &str,
) -> String {
    let id = own.clone().unwrap_or_else(|| document.to_string());
    jurisdiction_known(ctx, lib, at, &id);
    id
}

/// Reports a jurisdiction the library does not know, with the closest ones it does.
fn jurisdiction_known(ctx: &mut Ctx, lib: &RuleLibrary, at: &Location, id: &str) {
    if !lib.jurisdictions.contains_key(id) {
        ctx.unknown(
            at,
            "jurisdiction",
            id,
            lib.jurisdictions.keys().map(String::as_str).collect(),
        );
    }
}

/// `vn`, a province `vn/<slug>` or a district `vn/<slug>/<slug>`.
fn is_jurisdiction_id(s: &str) -> bool {
    s == "vn"
        || s.strip_prefix("vn/").is_some_and(|rest| {
            let mut parts = rest.split('/');
            parts.next().is_some_and(is_slug)
                && parts.next().is_none_or(is_slug)
                && parts.next().is_none()
        })
}

fn window(
    ctx: &mut Ctx,
    at: &Location,
    from: Option<Date>,
    to: Option<Date>,
    doc: &Window,
) -> Window {
    let w = Window {
        from: from.unwrap_or(doc.from),
        to: to.or(doc.to),
    };
    if let Some(t) = w.to {
        if t < w.from {
            ctx.rule(
                at,
                format!("window ends `{t}` before it starts `{}`", w.from),
                "valid_to must be on or after valid_from",
            );
        }
    }
    if w.from < doc.from {
        ctx.rule(
            at,
            format!(
                "window starts `{}` before the document is in force (`{}`)",
                w.from, doc.from
            ),
            "start on or after the document's in_force_from",
        );
    }
    if let (Some(dt), true) = (doc.to, w.to.is_none_or(|t| doc.to.is_some_and(|dt| t > dt))) {
        ctx.rule(
            at,
            format!("window ends after the document stops being in force (`{dt}`)"),
            "end on or before the document's in_force_to",
        );
    }
    w
}

fn check_input(ctx: &mut Ctx, at: &Location, name: &str, kind: InputKind) {
    match input_spec(name) {
        None => ctx.unknown(
            at,
            "input",
            name,
            crate::model::INPUTS.iter().map(|i| i.name).collect(),
        ),
        Some(spec) if spec.kind != kind => ctx.rule(
            at,
            format!("input `{name}` is a {:?} input, not {:?}", spec.kind, kind),
            format!("use an input of kind {kind:?}"),
        ),
        Some(_) => {}
    }
}

fn check_basis(ctx: &mut Ctx, at: &Location, basis: &Basis) {
    match basis {
        Basis::Fixed(_) => {}
        Basis::WithExtra(w) => check_input(ctx, at, &w.input, InputKind::Count),
        Basis::PerUnit(p) => {
            check_input(ctx, at, &p.input, InputKind::Count);
            if let Some(per) = &p.per {
                check_input(ctx, at, per, InputKind::Count);
            }
            if p.tiers.is_empty() {
                ctx.rule(
                    at,
                    "per_unit has no tiers",
                    "give at least one `{price: ...}`",
                );
            }
            let n = p.tiers.len();
            for (i, t) in p.tiers.iter().enumerate() {
                let last = i.saturating_add(1) == n;
                if last && t.first.is_some() {
                    ctx.rule(
                        at,
                        "the last tier has `first`",
                        "the last tier covers every further unit: remove `first`",
                    );
                }
                if !last && t.first.is_none_or(|f| f == 0) {
                    ctx.rule(
                        at,
                        "a tier before the last has no `first` count",
                        "give `first: N` (N ≥ 1) on every tier but the last",
                    );
                }
            }
        }
        Basis::PercentOfValue(p) => {
            check_input(ctx, at, &p.input, InputKind::Money);
            ctx.percent(at, &p.rate);
            if let (Some(min), Some(max)) = (p.min, p.max) {
                if min > max {
                    ctx.rule(at, "`min` is above `max`", "min ≤ max");
                }
            }
        }
        Basis::Bands(b) => {
            check_input(ctx, at, &b.input, InputKind::Money);
            if b.rows.is_empty() {
                ctx.rule(at, "bands has no rows", "give at least one band");
            }
            let mut prev: Option<Decimal> = None;
            for (i, r) in b.rows.iter().enumerate() {
                if r.from.is_some() && r.above.is_some() {
                    ctx.rule(
                        at,
                        format!("band {} has both `from` and `above`", i.saturating_add(1)),
                        "`from` is inclusive, `above` exclusive: give one",
                    );
                }
                let lower = r.from.or(r.above).map(|m| m.0);
                if i > 0 && lower.is_none() {
                    ctx.rule(
                        at,
                        format!("band {} has no lower bound", i.saturating_add(1)),
                        "give `from` or `above` on every band but the first",
                    );
                }
                if let (Some(p), Some(l)) = (prev, lower) {
                    if l < p {
                        ctx.rule(
                            at,
                            format!(
                                "band {} starts below the previous band",
                                i.saturating_add(1)
                            ),
                            "list bands in ascending order",
                        );
                    }
                }
                if r.amount.is_none() && r.rate.is_none() {
                    ctx.rule(
                        at,
                        format!(
                            "band {} has neither `amount` nor `rate`",
                            i.saturating_add(1)
                        ),
                        "give a base `amount`, a `rate`, or both",
                    );
                }
                if let Some(rate) = &r.rate {
                    ctx.percent(at, rate);
                }
                prev = lower.or(prev);
            }
        }
        Basis::Choose { input, options } => {
            check_input(ctx, at, input, InputKind::Choice);
            if options.is_empty() {
                ctx.rule(
                    at,
                    format!("choose on `{input}` has no options"),
                    "give one basis per value",
                );
            }
            if let Some(spec) = input_spec(input) {
                for key in options.keys() {
                    if !spec.allowed.contains(&key.as_str()) {
                        ctx.rule(
                            at,
                            format!("`{key}` is not a value of input `{input}`"),
                            spec.expected(),
                        );
                    }
                }
            }
            for b in options.values() {
                check_basis(ctx, at, b);
            }
        }
        Basis::AmountInput { input } => check_input(ctx, at, input, InputKind::Money),
    }
}

fn target_is_empty(t: &Target) -> bool {
    !t.all
        && !t.postage
        && t.items.is_empty()
        && t.groups.is_empty()
        && t.kinds.is_empty()
        && t.procedures.is_empty()
}

/// Whether `inner` is `outer` or lies below it.
pub(crate) fn within(jur: &super::keyed::Keyed<JurEntry>, inner: &str, outer: &str) -> bool {
    jur.get(inner)
        .is_some_and(|e| e.ancestors.iter().any(|a| a == outer))
}

#[allow(clippy::too_many_lines)]
/// Where a document came from: its YAML text (hashed when a fingerprint first needs it) or,
/// for a precompiled file, the hash of that text.
pub(crate) enum Origin<'a> {
    Text(&'a str),
    Hashed([u8; 32]),
}

/// A parsed rule file, ready for validation.
pub(crate) type ParsedFile<'a> = (String, Origin<'a>, RuleDocument, Locations);

pub(crate) fn build(sources: &[Source<'_>]) -> Result<RuleLibrary, Vec<Error>> {
    let mut ctx = Ctx { errors: Vec::new() };
    if sources.len() > crate::limits::MAX_RULE_FILES {
        return Err(vec![Error::new(ErrorKind::LimitExceeded {
            what: format!("number of rule files ({})", sources.len()),
            limit: crate::limits::MAX_RULE_FILES as u64,
        })]);
    }
    let mut parsed = Vec::new();
    for (name, text) in sources {
        match parse_with_locations(name, text) {
            Ok((doc, locs)) => parsed.push((name.to_string(), Origin::Text(text), doc, locs)),
            Err(e) => ctx.errors.push(e),
        }
    }
    if !ctx.errors.is_empty() {
        return Err(ctx.errors);
    }
    build_parsed(parsed)
}

/// The files in document-id order (stable, so of two files with one id the first stays first),
/// by a merge sort of indices rather than `sort_by`, whose code for this element type was
/// 4.6 KB of the browser build.
fn by_document_id(parsed: Vec<ParsedFile<'_>>) -> Vec<ParsedFile<'_>> {
    let id = |i: usize| parsed.get(i).map_or("", |p| p.2.document.id.as_str());
    let order = crate::sort::sorted_indices(parsed.len(), |a, b| id(a) < id(b));
    let mut slots: Vec<Option<ParsedFile<'_>>> = parsed.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// Validates and indexes parsed files: the one validator for YAML and precompiled sources.
pub(crate) fn build_parsed(parsed: Vec<ParsedFile<'_>>) -> Result<RuleLibrary, Vec<Error>> {
    let mut ctx = Ctx { errors: Vec::new() };
    if parsed.len() > crate::limits::MAX_RULE_FILES {
        return Err(vec![Error::new(ErrorKind::LimitExceeded {
            what: format!("number of rule files ({})", parsed.len()),
            limit: crate::limits::MAX_RULE_FILES as u64,
        })]);
    }
    let mut parsed = by_document_id(parsed);

    // Documents.
    let mut lib = RuleLibrary {
        docs: Vec::new(),
        jurisdictions: Default::default(),
        procedures: Default::default(),
        fees: Default::default(),
        adjustments: Vec::new(),
        postage_adjustments: Vec::new(),
        tariffs: Vec::new(),
        subsidies: Vec::new(),
        fingerprints: Default::default(),
    };
    let mut doc_at = Declared::default();
    for (file, origin, doc, locs) in &parsed {
        let at = locs
            .document
            .clone()
            .unwrap_or(Location::start_of(file.clone()));
        let h = &doc.document;
        if !is_slug(&h.id) {
            ctx.rule(
                &at,
                format!("document id `{}` is not ASCII kebab-case", h.id),
                "use lowercase letters, digits and `-`, e.g. `tt-63-2023-btc`",
            );
        }
        doc_at.claim(&mut ctx, &h.id, &at);
        // Front ends turn `url` into a link: only web addresses, never `javascript:` and the like.
        if let Some(url) = &h.url {
            // `crate::text`, not `str::split_once`: std's substring search is kilobytes of
            // WebAssembly.
            let web = crate::text::split_once(url, "://").is_some_and(|(scheme, _)| {
                scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")
            });
            if !web {
                ctx.rule(
                    &at,
                    format!("`url` `{url}` is not a web address"),
                    "an address that starts with https:// (or http://)",
                );
            }
        }
        if let Some(to) = h.in_force_to {
            if to < h.in_force_from {
                ctx.rule(
                    &at,
                    format!(
                        "`in_force_to` `{to}` is before `in_force_from` `{}`",
                        h.in_force_from
                    ),
                    "in_force_to ≥ in_force_from",
                );
            }
        }
        lib.docs.push(DocEntry {
            header: h.clone(),
            file: file.clone(),
            text: match origin {
                Origin::Text(t) => Box::from(*t),
                Origin::Hashed(_) => Box::from(""),
            },
            sha256: match origin {
                Origin::Text(_) => std::sync::OnceLock::new(),
                Origin::Hashed(h) => std::sync::OnceLock::from(*h),
            },
        });
    }

    // Jurisdictions.
    let mut jur_at = Declared::default();
    for (di, (_, _, doc, locs)) in parsed.iter_mut().enumerate() {
        for (j, at) in std::mem::take(&mut doc.jurisdictions)
            .into_iter()
            .zip(&locs.jurisdictions)
        {
            if !is_jurisdiction_id(&j.id) {
                ctx.rule(
                    at,
                    format!(
                        "jurisdiction id `{}` is not `vn`, `vn/<ascii-slug>` or \
                         `vn/<province-slug>/<district-slug>`",
                        j.id
                    ),
                    "e.g. `vn/quang-ngai` or `vn/binh-dinh/tuy-phuoc` (no diacritics)",
                );
            } else if let Some((province, _)) =
                j.id.strip_prefix("vn/").and_then(|r| r.split_once('/'))
            {
                let expected = format!("vn/{province}");
                if j.parent.as_deref() != Some(expected.as_str()) {
                    ctx.rule(
                        at,
                        format!("district `{}` must have the parent `{expected}`", j.id),
                        format!("add `parent: {expected}`"),
                    );
                }
            }
            if !jur_at.claim(&mut ctx, &j.id, at) {
                continue;
            }
            let from = j.valid_from.unwrap_or_else(|| {
                Date::from_ymd(1900, 1, 1).unwrap_or(doc.document.in_force_from)
            });
            let window = Window {
                from,
                to: j.valid_to,
            };
            if j.valid_to.is_some_and(|t| t < from) {
                ctx.rule(
                    at,
                    "jurisdiction ends before it starts",
                    "valid_to ≥ valid_from",
                );
            }
            lib.jurisdictions.insert(
                j.id.clone(),
                JurEntry {
                    ancestor_ix: Vec::new(),
                    id: Arc::from(j.id.as_str()),
                    j,
                    window,
                    ancestors: Vec::new(),
                    doc: di,
                },
            );
        }
    }
    let ids: Vec<String> = lib.jurisdictions.keys().cloned().collect();
    for id in &ids {
        let mut chain = vec![id.clone()];
        let mut cur = id.clone();
        let at = jur_at
            .get(id)
            .cloned()
            .unwrap_or(Location::start_of(String::new()));
        while let Some(parent) = lib.jurisdictions.get(&cur).and_then(|e| e.j.parent.clone()) {
            if !lib.jurisdictions.contains_key(&parent) {
                ctx.unknown(
                    &at,
                    "parent jurisdiction",
                    &parent,
                    ids.iter().map(String::as_str).collect(),
                );
                break;
            }
            if chain.contains(&parent) || chain.len() > 16 {
                ctx.rule(
                    &at,
                    format!("jurisdiction `{id}` is its own ancestor"),
                    "parents must form a tree",
                );
                break;
            }
            chain.push(parent.clone());
            cur = parent;
        }
        if let Some(e) = lib.jurisdictions.get(id) {
            for s in e.j.successors.iter().chain(&e.j.formed_from) {
                if !ids.contains(s) {
                    ctx.unknown(
                        &at,
                        "successor jurisdiction",
                        s,
                        ids.iter().map(String::as_str).collect(),
                    );
                }
            }
            if !e.j.successors.is_empty() && e.j.valid_to.is_none() {
                ctx.rule(
                    &at,
                    format!("jurisdiction `{id}` has successors but no `valid_to`"),
                    "set the last day it existed",
                );
            }
        }
        if let Some(e) = lib.jurisdictions.get_mut(id) {
            e.ancestors = chain;
        }
    }
    for (d, (_, _, doc, locs)) in lib.docs.iter().zip(&parsed) {
        let at = locs
            .document
            .clone()
            .unwrap_or(Location::start_of(d.file.clone()));
        jurisdiction_known(&mut ctx, &lib, &at, &doc.document.jurisdiction);
        for r in doc
            .document
            .amends
            .iter()
            .chain(&doc.document.replaces)
            .chain(&doc.document.replaced_by)
        {
            if doc_at.get(r).is_none() {
                ctx.unknown(&at, "document", r, doc_at.ids());
            }
        }
        // A replacement is said on both sides: the engine names a rate's successor from
        // `replaced_by`, and a reader of the new document looks for what it `replaces`.
        let this = &doc.document;
        let other = |id: &str| parsed.iter().map(|p| &p.2.document).find(|o| o.id == id);
        for old in this.replaces.iter().filter_map(|r| other(r)) {
            if old.replaced_by.as_deref() != Some(this.id.as_str()) {
                ctx.rule(
                    &at,
                    format!(
                        "`{}` replaces `{}`, whose `replaced_by` does not name it",
                        this.id, old.id
                    ),
                    format!("set `replaced_by: {}` in `{}`", this.id, old.id),
                );
            }
        }
        if let Some(new) = this.replaced_by.as_deref().and_then(other) {
            if !new.replaces.contains(&this.id) {
                ctx.rule(
                    &at,
                    format!(
                        "`{}` is replaced by `{}`, whose `replaces` does not list it",
                        this.id, new.id
                    ),
                    format!("add `{}` to `replaces` in `{}`", this.id, new.id),
                );
            }
        }
    }

    // Procedures.
    let mut proc_at = Declared::default();
    for (di, (_, _, doc, locs)) in parsed.iter_mut().enumerate() {
        for (p, at) in std::mem::take(&mut doc.procedures)
            .into_iter()
            .zip(&locs.procedures)
        {
            if !is_procedure_id(&p.id) {
                ctx.rule(
                    at,
                    format!("procedure id `{}` is not ASCII kebab-case with dots", p.id),
                    "e.g. `driver-licence.issue`",
                );
            }
            if p.fees.is_empty() {
                ctx.rule(
                    at,
                    format!("procedure `{}` lists no fee items", p.id),
                    "list the fee items it triggers under `fees`",
                );
            }
            if !proc_at.claim(&mut ctx, &p.id, at) {
                continue;
            }
            lib.procedures.insert(
                p.id.clone(),
                ProcEntry {
                    id: Arc::from(p.id.as_str()),
                    name: Arc::new(p.name.clone()),
                    p,
                    doc: di,
                },
            );
        }
    }
    let mut items_listed: Keyed<()> = Keyed::default();
    for e in lib.procedures.values() {
        for item in &e.p.fees {
            items_listed.insert(item.clone(), ());
        }
    }

    // Fee rules.
    let mut rule_at = Declared::default();
    let mut groups: Keyed<()> = Keyed::default();
    for (di, (_, _, doc, locs)) in parsed.iter_mut().enumerate() {
        let h = &doc.document;
        let doc_window = Window {
            from: h.in_force_from,
            to: h.in_force_to,
        };
        for (f, at) in std::mem::take(&mut doc.fees).into_iter().zip(&locs.fees) {
            let Some(rule_id) = rule_id(&mut ctx, &mut rule_at, &h.id, &f.id, at, "driver-licence")
            else {
                continue;
            };
            let jurisdiction =
                rule_jurisdiction(&mut ctx, &lib, at, &f.jurisdiction, &h.jurisdiction);
            if !items_listed.contains_key(&f.item) {
                ctx.unknown(
                    at,
                    "fee item (no procedure lists it)",
                    &f.item,
                    items_listed.keys().map(String::as_str).collect(),
                );
            }
            let w = window(&mut ctx, at, f.valid_from, f.valid_to, &doc_window);
            check_basis(&mut ctx, at, &f.basis);
            if let Some(p) = &f.retained_share {
                ctx.percent(at, p);
            }
            if let Some(g) = &f.group {
                groups.insert(g.clone(), ());
            }
            let confidence = f.confidence.unwrap_or(h.confidence);
            if let Some(entries) = lib.fees.get_or_default(&f.item) {
                entries.push(FeeEntry {
                    jix: u32::MAX,
                    shared: Shared::new(h, &rule_id, &f.name, &f.article, confidence),
                    item: Arc::from(f.item.as_str()),
                    fixed_computation: match &f.basis {
                        Basis::Fixed(m) => Some(Arc::from(format!("fixed {m}"))),
                        _ => None,
                    },
                    rule_id,
                    doc: di,
                    rounding: f.rounding.or(doc.rounding).unwrap_or_default(),
                    rule: f,
                    jurisdiction,
                    window: w,
                    confidence,
                    location: at.clone(),
                    adjustments: Vec::new(),
                });
            }
        }
    }
    for (id, ProcEntry { p, .. }) in lib.procedures.iter() {
        let at = proc_at
            .get(id)
            .cloned()
            .unwrap_or(Location::start_of(String::new()));
        for item in &p.fees {
            if !lib.fees.contains_key(item) {
                ctx.rule(
                    &at,
                    format!("fee item `{item}` of procedure `{id}` has no rate in any document"),
                    "add a fee rule with `item: ...`, or remove the item",
                );
            }
        }
    }
    // Overlaps and overrides.
    for (item, entries) in lib.fees.iter() {
        for (i, a) in entries.iter().enumerate() {
            for o in &a.rule.overrides {
                if !entries.iter().any(|e| &e.rule_id == o) {
                    ctx.unknown(
                        &a.location,
                        "rule to override",
                        o,
                        entries.iter().map(|e| e.rule_id.as_str()).collect(),
                    );
                }
            }
            for b in entries.iter().skip(i.saturating_add(1)) {
                if a.jurisdiction == b.jurisdiction
                    && a.window.overlaps(&b.window)
                    && !a.rule.overrides.contains(&b.rule_id)
                    && !b.rule.overrides.contains(&a.rule_id)
                {
                    ctx.err(
                        Error::new(ErrorKind::RuleOverlappingWindows {
                            item: item.clone(),
                            rule: b.rule_id.clone(),
                            other: a.rule_id.clone(),
                        }),
                        &b.location,
                    );
                }
            }
        }
    }

    // Adjustments.
    let known_categories: Vec<&str> = CATEGORIES.iter().map(|c| c.0).collect();
    for (di, (_, _, doc, locs)) in parsed.iter_mut().enumerate() {
        let h = &doc.document;
        let doc_window = Window {
            from: h.in_force_from,
            to: h.in_force_to,
        };
        for (a, at) in std::mem::take(&mut doc.adjustments)
            .into_iter()
            .zip(&locs.adjustments)
        {
            let Some(rule_id) = rule_id(&mut ctx, &mut rule_at, &h.id, &a.id, at, "online-80")
            else {
                continue;
            };
            let jurisdiction =
                rule_jurisdiction(&mut ctx, &lib, at, &a.jurisdiction, &h.jurisdiction);
            let w = window(&mut ctx, at, a.valid_from, a.valid_to, &doc_window);
            if let Some(c) = &a.max_reduction_input {
                check_input(&mut ctx, at, &c.input, InputKind::Money);
                if c.times == 0 {
                    ctx.rule(
                        at,
                        "`max_reduction_input.times` is 0",
                        "give a multiple ≥ 1, e.g. `{input: base_salary, times: 5}`",
                    );
                }
            }
            let t = &a.applies_to;
            if target_is_empty(t) {
                ctx.rule(at, "adjustment applies to nothing", "set `applies_to` with `all`, `items`, `groups`, `kinds`, `procedures` or `postage`");
            }
            if t.postage
                && (t.all
                    || !t.items.is_empty()
                    || !t.groups.is_empty()
                    || !t.kinds.is_empty()
                    || !t.procedures.is_empty())
            {
                ctx.rule(
                    at,
                    "adjustment targets both postage and fees",
                    "write one adjustment for postage and another for fees",
                );
            }
            for i in &t.items {
                if !lib.fees.contains_key(i) {
                    ctx.unknown(
                        at,
                        "fee item",
                        i,
                        lib.fees.keys().map(String::as_str).collect(),
                    );
                }
            }
            for g in &t.groups {
                if !groups.contains_key(g) {
                    ctx.unknown(
                        at,
                        "fee group",
                        g,
                        groups.keys().map(String::as_str).collect(),
                    );
                }
            }
            for p in &t.procedures {
                if !lib.procedures.contains_key(p) {
                    ctx.unknown(
                        at,
                        "procedure",
                        p,
                        lib.procedures.keys().map(String::as_str).collect(),
                    );
                }
            }
            for c in &a.when.categories {
                if !known_categories.contains(&c.as_str()) {
                    ctx.unknown(at, "applicant category", c, known_categories.clone());
                }
            }
            match &a.effect {
                Effect::PayPercent(p) | Effect::ReducePercent(p) => ctx.percent(at, p),
                _ => {}
            }
            if a.order.is_some() && !a.stacks {
                ctx.rule(
                    at,
                    "`order` is set but the adjustment does not stack",
                    "add `stacks: true` or remove `order`",
                );
            }
            let confidence = a.confidence.unwrap_or(h.confidence);
            let shared = Shared::new(h, &rule_id, &a.name, &a.article, confidence);
            lib.adjustments.push(AdjEntry {
                jix: u32::MAX,
                effect: Arc::from(crate::engine::effect_label(&a)),
                proof: a
                    .proof
                    .as_ref()
                    .map(|p| crate::quote::result::StoredWarning {
                        code: "proof_required",
                        message: format!("`{rule_id}` applies only with proof: {p}").into(),
                        rule: Some(shared.id.clone()),
                    }),
                shared,
                rule_id,
                doc: di,
                adj: a,
                jurisdiction,
                window: w,
                confidence,
            });
        }
    }

    // Postal tariffs and subsidies.
    for (di, (_, _, doc, locs)) in parsed.iter_mut().enumerate() {
        let h = &doc.document;
        let doc_window = Window {
            from: h.in_force_from,
            to: h.in_force_to,
        };
        for (t, at) in std::mem::take(&mut doc.postal_tariffs)
            .into_iter()
            .zip(&locs.tariffs)
        {
            let Some(rule_id) = rule_id(&mut ctx, &mut rule_at, &h.id, &t.id, at, "inner-city")
            else {
                continue;
            };
            let jurisdiction =
                rule_jurisdiction(&mut ctx, &lib, at, &t.jurisdiction, &h.jurisdiction);
            let w = window(&mut ctx, at, t.valid_from, t.valid_to, &doc_window);
            if t.zones.is_empty() {
                ctx.rule(at, "tariff has no zones", "give at least one zone");
            }
            let mut seen: Keyed<()> = Keyed::default();
            for z in &t.zones {
                if !seen.insert(z.zone.clone(), ()) {
                    ctx.rule(
                        at,
                        format!("zone `{}` appears twice", z.zone),
                        "one row per zone",
                    );
                }
                if z.first_grams == 0 {
                    ctx.rule(
                        at,
                        format!("zone `{}` has `first_grams: 0`", z.zone),
                        "the first step covers at least 1 g",
                    );
                }
                if z.step_grams.is_some() != z.step.is_some() || z.step_grams == Some(0) {
                    ctx.rule(
                        at,
                        format!(
                            "zone `{}` needs both `step_grams` (≥ 1) and `step`, or neither",
                            z.zone
                        ),
                        "give the size and price of each further step",
                    );
                }
            }
            let n = t.collection_surcharge.len();
            for (i, s) in t.collection_surcharge.iter().enumerate() {
                let last = i.saturating_add(1) == n;
                if last == s.below.is_some() {
                    ctx.rule(
                        at,
                        "collection surcharge tiers need `below` on every tier but the last",
                        "e.g. `[{below: 500000, amount: 0}, {amount: 8000}]`",
                    );
                }
            }
            for other in &lib.tariffs {
                if other.jurisdiction == jurisdiction && other.window.overlaps(&w) {
                    for z in &t.zones {
                        if other.tariff.zones.iter().any(|oz| oz.zone == z.zone) {
                            ctx.err(
                                Error::new(ErrorKind::RuleOverlappingWindows {
                                    item: format!("postage zone {}", z.zone),
                                    rule: rule_id.clone(),
                                    other: other.rule_id.clone(),
                                }),
                                at,
                            );
                        }
                    }
                }
            }
            let confidence = t.confidence.unwrap_or(h.confidence);
            lib.tariffs.push(TariffEntry {
                jix: u32::MAX,
                shared: Shared::new(h, &rule_id, &t.name, &t.article, confidence),
                zones: t
                    .zones
                    .iter()
                    .map(|z| ZoneTexts {
                        zone: Arc::from(z.zone.as_str()),
                        first: Arc::from(format!("up to {} g: {}", z.first_grams, z.first)),
                        both: z.both.map(|b| Arc::from(format!("both directions: {b}"))),
                    })
                    .collect(),
                rule_id,
                doc: di,
                tariff: t,
                jurisdiction,
                window: w,
                confidence,
            });
        }
        for (s, at) in std::mem::take(&mut doc.postal_subsidies)
            .into_iter()
            .zip(&locs.subsidies)
        {
            let Some(rule_id) = rule_id(
                &mut ctx,
                &mut rule_at,
                &h.id,
                &s.id,
                at,
                "citizen-pays-10000",
            ) else {
                continue;
            };
            let jurisdiction =
                rule_jurisdiction(&mut ctx, &lib, at, &s.jurisdiction, &h.jurisdiction);
            let w = window(&mut ctx, at, s.valid_from, s.valid_to, &doc_window);
            let confidence = s.confidence.unwrap_or(h.confidence);
            lib.subsidies.push(SubsidyEntry {
                jix: u32::MAX,
                shared: Shared::new(h, &rule_id, &s.name, &s.article, confidence),
                payer: Arc::from(s.payer.as_str()),
                rule_id,
                doc: di,
                subsidy: s,
                jurisdiction,
                window: w,
                confidence,
            });
        }
    }

    lib.postage_adjustments = lib
        .adjustments
        .iter()
        .enumerate()
        .filter(|(_, a)| a.adj.applies_to.postage)
        .map(|(i, _)| i)
        .collect();
    // Index: which adjustments can touch which fee rule.
    // Taken out while the adjustments and jurisdictions are read, so neither is copied.
    let mut fees = std::mem::take(&mut lib.fees);
    let (adjustments, jurisdictions) = (&lib.adjustments, &lib.jurisdictions);
    for entries in fees.values_mut() {
        for e in entries.iter_mut() {
            for (ai, a) in adjustments.iter().enumerate() {
                let t = &a.adj.applies_to;
                if t.postage {
                    continue;
                }
                let hits = t.all
                    || t.items.contains(&e.rule.item)
                    || e.rule.group.as_ref().is_some_and(|g| t.groups.contains(g))
                    || t.kinds.contains(&e.rule.kind)
                    || !t.procedures.is_empty();
                if hits
                    && (e.rule.provincial
                        || within(jurisdictions, &e.jurisdiction, &a.jurisdiction))
                {
                    e.adjustments.push(ai);
                }
            }
        }
    }
    lib.fees = fees;

    index_jurisdictions(&mut lib);
    if ctx.errors.is_empty() {
        Ok(lib)
    } else {
        Err(ctx.errors)
    }
}

/// Numbers the jurisdictions (in id order) so that quotes compare integers, not strings: every
/// rule gets the number of its jurisdiction and every jurisdiction those of its ancestors.
/// An unknown jurisdiction (already reported) gets `u32::MAX`, which matches nothing.
fn index_jurisdictions(lib: &mut RuleLibrary) {
    let ids: Vec<String> = lib.jurisdictions.keys().cloned().collect();
    let of = |j: &str| {
        ids.binary_search_by(|k| k.as_str().cmp(j))
            .ok()
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or(u32::MAX)
    };
    for e in lib.jurisdictions.values_mut() {
        e.ancestor_ix = e.ancestors.iter().map(|a| of(a)).collect();
    }
    for e in lib.fees.values_mut().flatten() {
        e.jix = of(&e.jurisdiction);
    }
    for e in &mut lib.adjustments {
        e.jix = of(&e.jurisdiction);
    }
    for e in &mut lib.tariffs {
        e.jix = of(&e.jurisdiction);
    }
    for e in &mut lib.subsidies {
        e.jix = of(&e.jurisdiction);
    }
}
