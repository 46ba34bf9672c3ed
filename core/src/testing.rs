//! Rule test cases: `<document>.test.yaml` beside each rule file, read as sentences.
//!
//! ```yaml
//! cases:
//!   - name: A driver's licence filed online in 2024 costs 115.000 đ
//!     request: {procedure: driver-licence.issue, date: 2024-05-01, channel: online_full}
//!     expect: {total: 115000, applied: [tt-63-2023-btc/driver-licence-online]}
//! ```
//!
//! `expect` may give `total`, `fees_total`, `postage_total`, `subsidy`, `lines` (rule id →
//! amount), `applied` (exactly the adjustments applied), `warnings` (codes that must appear) or
//! `error` (the error code) with, optionally, `message` (text its message must contain). Equality is exact. [`run`] also reports coverage: every fee rule,
//! adjustment, tariff zone and subsidy that no passing case exercises.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::{Error, Location, Money, Quote, Request, RuleLibrary};

mod mutants;
pub use mutants::{mutants, MutantReport, Survivor};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    request: Request,
    expect: Expect,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    total: Option<Money>,
    #[serde(default)]
    fees_total: Option<Money>,
    #[serde(default)]
    postage_total: Option<Money>,
    #[serde(default)]
    subsidy: Option<Money>,
    #[serde(default)]
    lines: BTreeMap<String, Money>,
    #[serde(default)]
    applied: Option<Vec<String>>,
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(default)]
    error: Option<String>,
    /// Text the error's (English) message must contain, with `error`.
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    jurisdiction: Option<String>,
}

/// A failed case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Where the case starts.
    pub location: Location,
    /// The case name.
    pub name: String,
    /// What differed.
    pub message: String,
}

/// The outcome of running rule tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestReport {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failures: Vec<Failure>,
    /// Rules (and `tariff#zone`) that no passing case exercises.
    pub uncovered: Vec<String>,
    /// Everything that can be covered.
    pub coverable: usize,
}

fn check(q: &Quote, e: &Expect) -> Vec<String> {
    let mut diffs = Vec::new();
    let mut cmp = |what: &str, want: &Option<Money>, got: Money| {
        if let Some(w) = want {
            if *w != got {
                diffs.push(format!("{what}: expected {w}, got {got}"));
            }
        }
    };
    cmp("total", &e.total, q.total);
    cmp("fees_total", &e.fees_total, q.fees_total);
    cmp("postage_total", &e.postage_total, q.postage_total);
    cmp(
        "subsidy",
        &e.subsidy,
        q.postage.as_ref().map_or(Money::ZERO, |p| p.subsidy),
    );
    for (rule, want) in &e.lines {
        match q.lines.iter().find(|l| *l.rule == **rule) {
            Some(l) if l.amount == *want => {}
            Some(l) => diffs.push(format!("line `{rule}`: expected {want}, got {}", l.amount)),
            None => diffs.push(format!(
                "line `{rule}` is not in the quote (lines: {})",
                q.lines
                    .iter()
                    .map(|l| l.rule)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    if let Some(want) = &e.applied {
        let mut got: Vec<String> = q
            .lines
            .iter()
            .flat_map(|l| l.adjustments.iter())
            .chain(q.postage.iter().flat_map(|p| p.adjustments.iter()))
            .filter(|a| a.applied)
            .map(|a| a.rule.to_string())
            .collect();
        got.sort();
        got.dedup();
        let mut want = want.clone();
        want.sort();
        if got != want {
            diffs.push(format!(
                "applied adjustments: expected {want:?}, got {got:?}"
            ));
        }
    }
    if let Some(j) = &e.jurisdiction {
        if *q.jurisdiction != **j {
            diffs.push(format!(
                "jurisdiction: expected {j}, got {}",
                q.jurisdiction
            ));
        }
    }
    for w in &e.warnings {
        if !q.warnings.iter().any(|x| x.code == w) {
            diffs.push(format!("expected a `{w}` warning"));
        }
    }
    diffs
}

fn covered_by(q: &Quote, out: &mut BTreeSet<String>) {
    for l in &q.lines {
        out.insert(l.rule.to_string());
        for a in l.adjustments.iter().filter(|a| a.applied) {
            out.insert(a.rule.to_string());
        }
    }
    if let Some(p) = &q.postage {
        out.insert(format!("{}#{}", p.rule, p.zone));
        for a in p.adjustments.iter().filter(|a| a.applied) {
            out.insert(a.rule.to_string());
        }
        if let Some(s) = &p.subsidy_rule {
            out.insert(s.to_string());
        }
    }
}

/// Everything in a library that a test can cover.
pub fn coverable(lib: &RuleLibrary) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for entries in lib.fees.values() {
        for e in entries {
            all.insert(e.rule_id.clone());
        }
    }
    for a in &lib.adjustments {
        all.insert(a.rule_id.clone());
    }
    for t in &lib.tariffs {
        for z in &t.tariff.zones {
            all.insert(format!("{}#{}", t.rule_id, z.zone));
        }
    }
    for s in &lib.subsidies {
        all.insert(s.rule_id.clone());
    }
    all
}

/// Runs test files `(name, text)` against a library.
///
/// # Errors
/// `rule_syntax` with a location when a test file cannot be read.
///
/// ```
/// let lib = lephi::RuleLibrary::bundled()?;
/// let tests = "cases:\n  - name: online licence\n    request: {procedure: driver-licence.issue, date: 2024-05-01, channel: online_full}\n    expect: {total: 115000}\n";
/// let report = lephi::testing::run(&lib, &[("t.test.yaml", tests)])?;
/// assert_eq!(report.passed, 1);
/// # Ok::<(), lephi::Error>(())
/// ```
pub fn run(lib: &RuleLibrary, files: &[(&str, &str)]) -> Result<TestReport, Error> {
    Ok(run_cases(lib, &read_cases(files)?))
}

/// Every case of the test files, with where it starts.
fn read_cases(files: &[(&str, &str)]) -> Result<Vec<(Location, Case)>, Error> {
    let mut out = Vec::new();
    for (name, text) in files {
        let (file, places) = crate::rules::read_yaml::<TestFile>(name, text)?;
        let starts = places
            .into_iter()
            .find(|(key, ..)| key == "cases")
            .map(|(.., items)| items)
            .unwrap_or_default();
        for (i, c) in file.cases.into_iter().enumerate() {
            let location = starts
                .get(i)
                .cloned()
                .unwrap_or_else(|| Location::start_of(*name));
            out.push((location, c));
        }
    }
    Ok(out)
}

fn run_cases(lib: &RuleLibrary, cases: &[(Location, Case)]) -> TestReport {
    let mut report = TestReport::default();
    let mut covered = BTreeSet::new();
    for (location, c) in cases {
        let diffs = match (lib.quote(&c.request), &c.expect.error) {
            (Ok(q), None) => {
                let mut d = check(&q, &c.expect);
                if c.expect.message.is_some() {
                    d.push("`message` is what an error says: give `error` with it".into());
                }
                if d.is_empty() {
                    covered_by(&q, &mut covered);
                }
                d
            }
            (Ok(q), Some(code)) => vec![format!(
                "expected error `{code}`, got a quote of {}",
                q.total
            )],
            (Err(e), Some(code)) if e.code() == code => match &c.expect.message {
                Some(m) if !crate::text::contains(&e.to_string(), m) => {
                    vec![format!("the error does not say {m:?}: {e}")]
                }
                _ => Vec::new(),
            },
            (Err(e), Some(code)) => vec![format!(
                "expected error `{code}`, got error `{}`: {e}",
                e.code()
            )],
            (Err(e), None) => vec![format!("unexpected error `{}`: {e}", e.code())],
        };
        if diffs.is_empty() {
            report.passed = report.passed.saturating_add(1);
        } else {
            report.failures.push(Failure {
                location: location.clone(),
                name: c.name.clone(),
                message: diffs.join("; "),
            });
        }
    }
    let all = coverable(lib);
    report.coverable = all.len();
    report.uncovered = all.difference(&covered).cloned().collect();
    report
}
