//! Mutation testing of rule files: does some case notice when a figure changes?
//!
//! Coverage says a rule was used by a passing case; it does not say that a case checks what the
//! rule computes. A case that expects only an `applied` list, or only a warning, passes whatever
//! the amount. So each figure of every rule file is changed in turn, the library is loaded
//! again through the validator and every case is run:
//! - a number (an amount, a rate, a percent, a count, a weight) by one: down from 1 or more,
//!   up below 1 (`135000` → `134999`, `0.15` → `1.15`, `1` → `0`);
//! - the first day of a window (`in_force_from`, `valid_from`) one day later, and its last day
//!   (`in_force_to`, `valid_to`) one day earlier, so a case on each edge is needed to notice.
//!
//! A mutant is killed when the validator refuses it or a case fails. One that loads and passes
//! every case survives: nothing in the tests depends on that figure.
//!
//! Some changes cannot change any quote, such as an edge between two bands that give the same
//! amount there. Such a figure is marked on its line with a comment naming its key and why,
//! `# mutant-equivalent: above, the bands meet here`, and is not changed. An item of a list
//! that no case can need is marked with its key and the item:
//! `# mutant-equivalent: items passport.issue, no passport rate in this window`.
//!
//! Lists of what an adjustment applies to (`channels`, `categories`, `groups`, `items`, as
//! one-line flow lists of two or more) are changed too: each item is left out in turn. So is
//! each condition of a one-line `when: {…}` of two or more (`applicant_kind`, `categories`,
//! `channels`), so that a case shows who or which channel does not get the adjustment.

use crate::rules::yaml::{self, Node, Style, Value};
use crate::{Date, Error, Location, RuleLibrary};

use super::{read_cases, run_cases};

/// A change to one figure of a rule file that no case noticed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Survivor {
    /// Where the figure is.
    pub location: Location,
    /// The key it is the value of, e.g. `fixed` or `valid_to`.
    pub key: String,
    /// The figure as written.
    pub from: String,
    /// What it was changed to.
    pub to: String,
}

/// The outcome of [`mutants`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MutantReport {
    /// Mutants tried: one per number and window edge of the rule files.
    pub tried: usize,
    /// Mutants the validator refused (the others were run against every case).
    pub refused: usize,
    /// Mutants no case noticed.
    pub survivors: Vec<Survivor>,
}

/// Changes each figure of the rule files `rules` in turn and runs the cases of `tests`
/// against each changed library (see the module docs).
///
/// # Errors
/// The error of the unchanged library or test files when they do not load, and
/// `rule_invalid` when a case fails against the unchanged library: a mutant is only
/// meaningful against tests that pass.
///
/// ```
/// let rules = "document: {id: d, number: '1', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}
/// jurisdictions: [{id: vn, name: {vi: VN}}]
/// procedures: [{id: p, name: {vi: P}, fees: [p]}]
/// fees: [{id: f, item: p, kind: le_phi, name: {vi: F}, article: 'Điều 1', basis: {fixed: 1000}}]
/// ";
/// // This case checks the amount but not the first day: moving `in_force_from` survives.
/// let tests = "cases:\n  - {name: p, request: {procedure: p, date: 2024-05-01}, expect: {total: 1000}}\n";
/// let report = lephi::testing::mutants(&[("d.yaml", rules)], &[("d.test.yaml", tests)])?;
/// assert_eq!(report.tried, 2);
/// let [s] = report.survivors.as_slice() else { panic!("{report:?}") };
/// assert_eq!((s.key.as_str(), s.from.as_str(), s.to.as_str()), ("in_force_from", "2024-01-01", "2024-01-02"));
/// assert_eq!(s.location.to_string(), "d.yaml:1:84");
/// # Ok::<(), lephi::Error>(())
/// ```
pub fn mutants(rules: &[(&str, &str)], tests: &[(&str, &str)]) -> Result<MutantReport, Error> {
    let cases = read_cases(tests)?;
    let base = run_cases(&RuleLibrary::from_sources(rules)?, &cases);
    if let Some(f) = base.failures.first() {
        return Err(Error::rule(
            format!(
                "case `{}` at {} fails before any change",
                f.name, f.location
            ),
            "make every case pass first (`lephi test`)",
        ));
    }
    let texts: Vec<String> = rules
        .iter()
        .map(|(_, t)| yaml::normalize(t).into_owned())
        .collect();
    let mut report = MutantReport::default();
    for (i, (name, _)) in rules.iter().enumerate() {
        let Some(text) = texts.get(i) else { continue };
        // A file the unchanged library read parses here too.
        let Ok(root) = yaml::parse(text) else {
            continue;
        };
        let mut sites = Vec::new();
        figures(&root, "", text, &mut sites);
        sites.retain(|site| !marked_equivalent(text, site));
        let mut places = yaml::LineColumns::new(text);
        for site in sites {
            report.tried = report.tried.saturating_add(1);
            let changed = format!(
                "{}{}{}",
                text.get(..site.at).unwrap_or_default(),
                site.with,
                text.get(site.end..).unwrap_or_default()
            );
            let sources: Vec<(&str, &str)> = rules
                .iter()
                .zip(&texts)
                .enumerate()
                .map(|(j, ((n, _), t))| (*n, if j == i { changed.as_str() } else { t.as_str() }))
                .collect();
            let Ok(lib) = RuleLibrary::from_sources(&sources) else {
                report.refused = report.refused.saturating_add(1);
                continue;
            };
            if run_cases(&lib, &cases).failures.is_empty() {
                let (line, column) = places.of(site.place);
                report.survivors.push(Survivor {
                    location: Location {
                        file: (*name).to_string(),
                        line,
                        column,
                    },
                    key: site.key,
                    from: site.from,
                    to: site.to,
                });
            }
        }
    }
    Ok(report)
}

/// A figure to change: where it is written (`place`), under which key, and to what. The text
/// from `at` to `end` is replaced by `with` (`to` is how the change is shown).
struct Site {
    place: usize,
    at: usize,
    end: usize,
    key: String,
    from: String,
    to: String,
    with: String,
}

impl Site {
    /// `name` (a list item or a condition, written at `place`) left out by removing `span`.
    fn left_out(place: usize, span: std::ops::Range<usize>, key: &str, name: &str) -> Site {
        Site {
            place,
            at: span.start,
            end: span.end,
            key: key.to_string(),
            from: name.to_string(),
            to: "(left out)".into(),
            with: String::new(),
        }
    }
}

/// Lists whose every item should matter to some case: the channels, categories, groups and
/// items an adjustment applies to.
const LISTS: &[&str] = &["channels", "categories", "groups", "items"];

/// The figures under `node`, in the order they are written. Only plain scalars written on
/// one line are changed, so the text at `at` is exactly the scalar.
fn figures(node: &Node, key: &str, text: &str, out: &mut Vec<Site>) {
    match &node.value {
        Value::Scalar(t, Style::Plain) => {
            let written = text.get(node.at..node.at.saturating_add(t.len()));
            if written != Some(t.as_str()) {
                return;
            }
            if let Some(to) = changed(key, t) {
                out.push(Site {
                    place: node.at,
                    at: node.at,
                    end: node.at.saturating_add(t.len()),
                    key: key.to_string(),
                    from: t.clone(),
                    with: to.clone(),
                    to,
                });
            }
        }
        Value::Scalar(..) => {}
        Value::Seq(items) => {
            if LISTS.contains(&key) && text.get(node.at..).is_some_and(|t| t.starts_with('[')) {
                dropped_items(items, key, text, out);
            }
            for item in items {
                figures(item, key, text, out);
            }
        }
        Value::Map(entries) => {
            if key == "when" && text.get(node.at..).is_some_and(|t| t.starts_with('{')) {
                dropped_conditions(entries, text, out);
            }
            for (k, v) in entries {
                let name = match &k.value {
                    Value::Scalar(name, _) => name.as_str(),
                    _ => "",
                };
                figures(v, name, text, out);
            }
        }
    }
}

/// Each item of a one-line flow list `[a, b, c]` of two or more plain items, left out in turn
/// (with the separator before it, or after it for the first).
fn dropped_items(items: &[Node], key: &str, text: &str, out: &mut Vec<Site>) {
    let spans: Option<Vec<(usize, usize, &str)>> = items
        .iter()
        .map(|n| match &n.value {
            Value::Scalar(t, Style::Plain) => {
                let end = n.at.saturating_add(t.len());
                (text.get(n.at..end) == Some(t.as_str())).then_some((n.at, end, t.as_str()))
            }
            _ => None,
        })
        .collect();
    let Some(spans) = spans.filter(|s| s.len() >= 2) else {
        return;
    };
    for (i, &(at, end, item)) in spans.iter().enumerate() {
        let (from, to) = match i.checked_sub(1).and_then(|p| spans.get(p)) {
            Some(&(_, previous_end, _)) => (previous_end, end),
            None => (at, spans.get(1).map_or(end, |&(next, ..)| next)),
        };
        out.push(Site::left_out(at, from..to, key, item));
    }
}

/// Each condition of a one-line flow `when: {…}` of two or more, left out in turn: the
/// adjustment then also applies where that condition would refuse it (another channel, an
/// organisation, no category).
fn dropped_conditions(entries: &[(Node, Node)], text: &str, out: &mut Vec<Site>) {
    // Each entry runs from its key to the end of its value: the end of the line's text before
    // the next key's separator, found from the next key's start.
    let starts: Vec<usize> = entries.iter().map(|(k, _)| k.at).collect();
    let close = starts
        .last()
        .and_then(|&last| text.get(last..))
        .and_then(|rest| rest.find('}'))
        .zip(starts.last())
        .map(|(n, &last)| last.saturating_add(n));
    let (Some(close), true) = (close, starts.len() >= 2) else {
        return;
    };
    for (i, ((k, _), &at)) in entries.iter().zip(&starts).enumerate() {
        let Value::Scalar(name, _) = &k.value else {
            continue;
        };
        let next = starts.get(i.saturating_add(1)).copied();
        let (from, to) = match next {
            // `a: x, ` up to the next key.
            Some(next) => (at, next),
            // The last: from the end of the previous entry's value, `, b: y`, to the brace.
            None => {
                let previous_end = text
                    .get(..at)
                    .and_then(|before| before.rfind(','))
                    .unwrap_or(at);
                (previous_end, close)
            }
        };
        out.push(Site::left_out(at, from..to, "when", name));
    }
}

/// Whether the figure's line says that changing it cannot change a quote:
/// `# mutant-equivalent: <key>, <why>`, or for one item of a list,
/// `# mutant-equivalent: <key> <item>, <why>`.
fn marked_equivalent(text: &str, site: &Site) -> bool {
    let line_end = text
        .get(site.place..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |n| site.place.saturating_add(n));
    let line = text.get(site.place..line_end).unwrap_or_default();
    let Some((_, comment)) = line.split_once('#') else {
        return false;
    };
    comment.split("mutant-equivalent:").skip(1).any(|marked| {
        let what = marked.split(',').next().unwrap_or_default().trim();
        let mut words = what.split_whitespace();
        let key = words.next();
        let item = words.next();
        key == Some(site.key.as_str())
            && item.is_none_or(|item| item == site.from && site.with.is_empty())
    })
}

/// The mutant of a figure, or `None` for what is not one (a text, an id, a date that is not
/// a window's edge, such as `signed`).
fn changed(key: &str, t: &str) -> Option<String> {
    if let Some(day) = Date::parse_str(t) {
        return match key {
            "in_force_from" | "valid_from" => Some(day.add_days(1).to_string()),
            "in_force_to" | "valid_to" => Some(day.add_days(-1).to_string()),
            _ => None,
        };
    }
    // Written as amounts are (digits, an optional fraction): `parse_amount` refuses the rest.
    let n = crate::parse_amount(t).ok()?;
    let one = rust_decimal::Decimal::ONE;
    let to = if n >= one {
        n.checked_sub(one)?
    } else {
        n.checked_add(one)?
    };
    Some(to.to_string())
}

#[cfg(test)]
mod tests {
    use super::changed;

    #[test]
    fn figures_change_by_one_and_edges_by_a_day() {
        assert_eq!(changed("fixed", "135000").as_deref(), Some("134999"));
        assert_eq!(changed("rate", "0.15").as_deref(), Some("1.15"));
        assert_eq!(changed("first", "1").as_deref(), Some("0"));
        assert_eq!(changed("amount", "0").as_deref(), Some("1"));
        assert_eq!(changed("pay_percent", "100").as_deref(), Some("99"));
        assert_eq!(
            changed("valid_from", "2025-12-31").as_deref(),
            Some("2026-01-01")
        );
        assert_eq!(
            changed("in_force_to", "2026-03-01").as_deref(),
            Some("2026-02-28")
        );
        for other in [
            "kv1",
            "online-50",
            "2023-09-07",
            "1e5",
            "1.",
            ".5",
            "+5",
            "0x10",
            "",
        ] {
            let key = if other == "2023-09-07" {
                "signed"
            } else {
                "fixed"
            };
            assert_eq!(changed(key, other), None, "{other}");
        }
    }
}
