//! Catalog and search: what the library prices, readable by people.

use std::fmt::Write as _;

use crate::model::{Basis, Effect, Procedure};
use crate::RuleLibrary;

/// Folds Vietnamese text to lowercase ASCII for search (`Hộ chiếu` → `ho chieu`).
///
/// Vietnamese letters of either case lose their marks, ASCII is lowercased, and any other
/// character is kept as it is. (No general Unicode case mapping: its tables would be a tenth of
/// the browser build, and the catalog is Vietnamese and English.)
///
/// ```
/// assert_eq!(lephi::catalog::fold("Lý lịch Tư pháp Đồng"), "ly lich tu phap dong");
/// assert_eq!(lephi::catalog::fold("ĐĂNG KÝ HỘ KINH DOANH"), "dang ky ho kinh doanh");
/// // decomposed (NFD) text: `ấ` as `a` + U+0302 + U+0301, `ư` as `u` + U+031B
/// assert_eq!(lephi::catalog::fold("gia\u{302}\u{301}y chu\u{31b}\u{301}ng"), "giay chung");
/// ```
pub fn fold(text: &str) -> String {
    const GROUPS: &[(&str, char)] = &[
        ("àáạảãâầấậẩẫăằắặẳẵÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴ", 'a'),
        ("èéẹẻẽêềếệểễÈÉẸẺẼÊỀẾỆỂỄ", 'e'),
        ("ìíịỉĩÌÍỊỈĨ", 'i'),
        ("òóọỏõôồốộổỗơờớợởỡÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠ", 'o'),
        ("ùúụủũưừứựửữÙÚỤỦŨƯỪỨỰỬỮ", 'u'),
        ("ỳýỵỷỹỲÝỴỶỸ", 'y'),
        ("đĐ", 'd'),
    ];
    text.chars()
        // Combining marks: text in decomposed form (NFD: `a` + U+0302 + U+0301 for `ấ`, as
        // some keyboards and copied file names give it) folds like its composed form.
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| {
            if c.is_ascii() {
                return c.to_ascii_lowercase();
            }
            GROUPS
                .iter()
                .find(|(set, _)| set.chars().any(|s| s == c))
                .map_or(c, |(_, plain)| *plain)
        })
        .collect()
}

impl RuleLibrary {
    /// Procedures whose id, names, codes or keywords contain every word of `query`, with or
    /// without diacritics.
    ///
    /// ```
    /// let lib = lephi::RuleLibrary::bundled()?;
    /// let hits = lib.search_procedures("hộ chiếu");
    /// assert_eq!(hits[0].id, "passport.issue");
    /// assert_eq!(lib.search_procedures("ho chieu")[0].id, "passport.issue");
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn search_procedures(&self, query: &str) -> Vec<&Procedure> {
        let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
        self.procedures()
            .filter(|p| {
                let hay = fold(&format!(
                    "{} {} {} {} {}",
                    p.id,
                    p.name.vi,
                    p.name.en,
                    p.codes.join(" "),
                    p.keywords.join(" ")
                ));
                words.iter().all(|w| crate::text::contains(&hay, w))
            })
            .collect()
    }
}

fn basis_text(b: &Basis) -> String {
    match b {
        Basis::Fixed(m) => format!("{} đ", crate::format_number_vi(m.0)),
        Basis::WithExtra(w) => format!(
            "{} đ (+{} đ per {} above {})",
            crate::format_number_vi(w.amount.0),
            crate::format_number_vi(w.each.0),
            w.input,
            w.included
        ),
        Basis::PerUnit(p) => {
            let tiers: Vec<String> = p
                .tiers
                .iter()
                .map(|t| match t.first {
                    Some(f) => {
                        format!("{} đ for the first {f}", crate::format_number_vi(t.price.0))
                    }
                    // The last tier: "after" the ones before it, or the only price.
                    None if p.tiers.len() > 1 => {
                        format!("{} đ after", crate::format_number_vi(t.price.0))
                    }
                    None => format!("{} đ each", crate::format_number_vi(t.price.0)),
                })
                .collect();
            let mut s = format!("per {}: {}", p.input, tiers.join(", "));
            if let Some(c) = p.cap_per_group {
                let _ = write!(
                    s,
                    "; at most {} đ per {}",
                    crate::format_number_vi(c.0),
                    p.per.as_deref().unwrap_or("group")
                );
            }
            s
        }
        Basis::PercentOfValue(p) => {
            let mut s = format!("{}% of {}", p.rate, p.input);
            if let Some(m) = p.max {
                let _ = write!(s, ", at most {} đ", crate::format_number_vi(m.0));
            }
            s
        }
        Basis::Bands(b) => format!(
            "{} value bands on {}{}",
            b.rows.len(),
            b.input,
            b.max
                .map(|m| format!(", at most {} đ", crate::format_number_vi(m.0)))
                .unwrap_or_default()
        ),
        Basis::Choose { input, options } => format!(
            "by {input}: {}",
            options
                .iter()
                .map(|(k, v)| format!("{k} → {}", basis_text(v)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Basis::AmountInput { input } => format!("set by the province (give `{input}`)"),
    }
}

fn effect_text(e: &Effect) -> String {
    match e {
        Effect::PayPercent(p) => format!("pay {p}%"),
        Effect::ReducePercent(p) => format!("{p}% off"),
        Effect::ReplaceAmount(m) => format!("{} đ instead", crate::format_number_vi(m.0)),
        Effect::ReduceAmount(m) => format!("{} đ off", crate::format_number_vi(m.0)),
        Effect::Exempt => "0 đ (exempt)".into(),
    }
}

/// Renders `rules/CATALOG.md`: every procedure with its rates, adjustments by channel and
/// category, legal basis, validity and source confidence. Deterministic, so tests check drift.
pub fn render(lib: &RuleLibrary) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# lephi rule catalog\n");
    let _ = writeln!(s, "Generated by `lephi catalog` from the rule files; do not edit by hand. Windows are inclusive;");
    let _ = writeln!(
        s,
        "confidence is `verified` (legal text read), `secondary` or `unverified`.\n"
    );
    for p in lib.procedures() {
        let _ = writeln!(s, "## `{}` — {}\n", p.id, p.name.vi);
        if !p.name.en.is_empty() {
            let _ = writeln!(
                s,
                "*{}*{}\n",
                p.name.en,
                if p.codes.is_empty() {
                    String::new()
                } else {
                    format!(" · codes {}", p.codes.join(", "))
                }
            );
        }
        let _ = writeln!(s, "| rule | where | valid | amount | basis | confidence |");
        let _ = writeln!(s, "|---|---|---|---|---|---|");
        for item in &p.fees {
            for e in lib.fees.get(item).map(Vec::as_slice).unwrap_or(&[]) {
                let doc = lib
                    .docs
                    .get(e.doc)
                    .map(|d| d.header.number.as_str())
                    .unwrap_or("");
                let _ = writeln!(
                    s,
                    "| `{}` | {} | {} | {} | {}, {} | {} |",
                    e.rule_id,
                    e.jurisdiction,
                    e.window,
                    basis_text(&e.rule.basis),
                    doc,
                    e.rule.article,
                    e.confidence.as_str()
                );
            }
        }
        let mut adjs: Vec<String> = Vec::new();
        for item in &p.fees {
            for e in lib.fees.get(item).map(Vec::as_slice).unwrap_or(&[]) {
                for ai in &e.adjustments {
                    if let Some(a) = lib.adjustments.get(*ai) {
                        let t = &a.adj.applies_to;
                        if !t.procedures.is_empty()
                            && !t.procedures.contains(&p.id)
                            && !t.all
                            && !t.items.contains(item)
                            && e.rule.group.as_ref().is_none_or(|g| !t.groups.contains(g))
                            && !t.kinds.contains(&e.rule.kind)
                        {
                            continue;
                        }
                        let w = &a.adj.when;
                        let mut cond = Vec::new();
                        if !w.channels.is_empty() {
                            cond.push(
                                w.channels
                                    .iter()
                                    .map(|c| c.as_str())
                                    .collect::<Vec<_>>()
                                    .join("/"),
                            );
                        }
                        if !w.categories.is_empty() {
                            cond.push(w.categories.join("/"));
                        }
                        if let Some(k) = w.applicant_kind {
                            cond.push(k.as_str().to_string());
                        }
                        let doc = lib
                            .docs
                            .get(a.doc)
                            .map(|d| d.header.number.as_str())
                            .unwrap_or("");
                        let line = format!(
                            "| `{}` | {} | {} | {} | {} | {}, {} | {} |",
                            a.rule_id,
                            a.jurisdiction,
                            a.window,
                            if cond.is_empty() {
                                "always".into()
                            } else {
                                cond.join("; ")
                            },
                            effect_text(&a.adj.effect),
                            doc,
                            a.adj.article,
                            a.confidence.as_str()
                        );
                        if !adjs.contains(&line) {
                            adjs.push(line);
                        }
                    }
                }
            }
        }
        if !adjs.is_empty() {
            let _ = writeln!(
                s,
                "\n| adjustment | where | valid | when | effect | basis | confidence |"
            );
            let _ = writeln!(s, "|---|---|---|---|---|---|---|");
            for l in adjs {
                let _ = writeln!(s, "{l}");
            }
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "## Postage\n");
    let _ = writeln!(
        s,
        "| tariff | where | valid | zone | first step | further steps | confidence |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|");
    for t in &lib.tariffs {
        for z in &t.tariff.zones {
            let step = match (z.step_grams, z.step) {
                (Some(g), Some(p)) => format!("{} đ per {g} g", crate::format_number_vi(p.0)),
                _ => "not published".into(),
            };
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} | {} đ up to {} g | {} | {} |",
                t.rule_id,
                t.jurisdiction,
                t.window,
                z.zone,
                crate::format_number_vi(z.first.0),
                z.first_grams,
                step,
                t.confidence.as_str()
            );
        }
    }
    for sub in &lib.subsidies {
        let _ = writeln!(s, "\nSubsidy `{}` ({}, {}): the applicant pays at most {} đ per direction; {} pays the rest ({}).", sub.rule_id, sub.jurisdiction, sub.window, crate::format_number_vi(sub.subsidy.applicant_pays_max.0), sub.subsidy.payer, sub.confidence.as_str());
    }
    s
}
