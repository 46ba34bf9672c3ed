//! Property tests: invariants of the engine, stated over generated requests.

use lephi::{Channel, Request, RuleLibrary};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::common::engine_library;

fn lib() -> &'static RuleLibrary {
    use std::sync::OnceLock;
    static LIB: OnceLock<RuleLibrary> = OnceLock::new();
    LIB.get_or_init(engine_library)
}

/// The library's compiled form, as `lephi compile` writes it.
fn compiled() -> &'static [u8] {
    use std::sync::OnceLock;
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| RuleLibrary::compile(RuleLibrary::bundled_sources()).unwrap())
}

const PROCS: [&str; 8] = [
    "e.fixed",
    "e.extra",
    "e.pages",
    "e.value",
    "e.bands",
    "e.choose",
    "e.two",
    "e.provincial",
];
const CATS: [&str; 5] = [
    "student",
    "elderly",
    "poor_household",
    "war_invalid",
    "child",
];

fn request() -> impl Strategy<Value = Request> {
    (
        0..PROCS.len(),
        0..4usize,
        proptest::collection::vec(0..CATS.len(), 0..3),
        1u64..300,
        1u64..6,
        0u64..2_000_000_000_000,
        prop::bool::ANY,
        prop::option::of((0..3usize, 1u32..1000)),
        prop::bool::ANY,
    )
        .prop_map(|(p, ch, cats, pages, copies, value, urban, postage, org)| {
            let mut r = Request::new(PROCS[p], "2024-03-01")
                .unwrap()
                .with_jurisdiction("vn/b")
                .with_channel(Channel::ALL[ch])
                .with_input("pages", pages)
                .with_input("copies", copies)
                .with_input("declared_value", value.to_string())
                .with_input("base_amount", (value % 1_000_000).to_string())
                .with_input("area", if urban { "urban_ward" } else { "other" });
            if org {
                r = r.with_applicant_kind(lephi::ApplicantKind::Organisation);
            }
            for c in cats {
                r = r.with_category(CATS[c]);
            }
            if let Some((d, w)) = postage {
                let dir = [
                    lephi::Direction::Send,
                    lephi::Direction::Return,
                    lephi::Direction::Both,
                ][d];
                r = r.with_postage(dir, "inner_city", w);
            }
            r
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_amount_is_negative_and_totals_add_up(req in request()) {
        let q = lib().quote(&req).unwrap();
        let mut sum = Decimal::ZERO;
        for l in &q.lines {
            prop_assert!(l.amount.decimal() >= Decimal::ZERO);
            prop_assert!(l.base.decimal() >= Decimal::ZERO);
            sum += l.amount.decimal();
        }
        prop_assert_eq!(sum, q.fees_total.decimal());
        prop_assert_eq!(q.fees_total.decimal() + q.postage_total.decimal(), q.total.decimal());
        if let Some(p) = &q.postage {
            prop_assert!(p.applicant.decimal() >= Decimal::ZERO);
            prop_assert!(p.applicant.decimal() <= p.tariff.decimal());
        }
    }

    #[test]
    fn a_reduction_never_raises_an_amount(req in request()) {
        let q = lib().quote(&req).unwrap();
        for l in &q.lines {
            for a in &l.adjustments {
                prop_assert!(a.delta <= Decimal::ZERO, "{} raised the amount", a.rule);
            }
            prop_assert!(l.exact.decimal() <= l.base.decimal());
        }
    }

    #[test]
    fn an_exemption_gives_zero(req in request()) {
        let q = lib().quote(&req.with_category("poor_household")).unwrap();
        prop_assert_eq!(q.fees_total.decimal(), Decimal::ZERO);
    }

    #[test]
    fn amounts_are_monotone_in_pages_copies_value_and_weight(req in request(), more in 1u64..50) {
        let base = lib().quote(&req).unwrap();
        let bump = |name: &str| {
            let mut r = req.clone();
            let v = r.inputs.get(name).map(|v| v.as_text()).unwrap();
            let n: u64 = v.parse().unwrap();
            let bigger = n + more;
            r.inputs.insert(name.into(), if name == "declared_value" { lephi::quote::InputValue::Text(bigger.to_string()) } else { bigger.into() });
            lib().quote(&r).unwrap()
        };
        for name in ["pages", "copies", "declared_value"] {
            prop_assert!(bump(name).fees_total >= base.fees_total, "not monotone in {}", name);
        }
        if let Some(p) = &req.postage {
            let mut r = req.clone();
            r.postage = Some(lephi::quote::PostageRequest { weight_grams: p.weight_grams + 100, ..p.clone() });
            prop_assert!(lib().quote(&r).unwrap().postage_total >= base.postage_total);
        }
    }

    #[test]
    fn the_same_request_gives_the_same_result_and_fingerprint(req in request()) {
        let a = lib().quote_json(&req.to_json());
        let b = lib().quote_json(&req.to_json());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn the_direct_json_is_serdes_canonical_json(req in request()) {
        // `to_json` writes the contract without serde; it must give serde's sorted form.
        if let Ok(q) = lib().quote(&req) {
            prop_assert_eq!(q.to_json(), serde_json::to_value(&q).unwrap().to_string());
        }
        if let Ok(c) = lib().compare_channels(&req) {
            prop_assert_eq!(c.to_json(), serde_json::to_value(&c).unwrap().to_string());
        }
    }

    #[test]
    fn requests_round_trip_through_json(req in request()) {
        let back = Request::from_json(&req.to_json()).unwrap();
        prop_assert_eq!(back, req);
    }

    #[test]
    fn the_best_single_incentive_is_at_most_each_alternative(req in request()) {
        let q = lib().quote(&req).unwrap();
        for l in &q.lines {
            for a in l.adjustments.iter().filter(|a| !a.applied) {
                // A competing incentive that was not applied could not have given less.
                prop_assert!(a.reason.is_some());
            }
        }
    }

    #[test]
    fn no_json_makes_the_engine_panic(text in ".{0,200}") {
        let _ = lib().quote_json(&text);
    }

    #[test]
    fn no_yaml_makes_the_loader_panic(text in ".{0,300}") {
        let _ = RuleLibrary::check(&[("x.yaml", text.as_str())]);
    }

    /// Compiled rules from an untrusted source: the real library with bytes changed, cut or
    /// added loads or fails with an error, never a panic (the packed reader checks bounds,
    /// lengths, UTF-8 and depth).
    #[test]
    fn no_damaged_compiled_rules_make_the_loader_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        cut_it in any::<bool>(),
    ) {
        let mut bytes = compiled().to_vec();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if cut_it {
            bytes.truncate(cut.index(bytes.len()));
        }
        if let Err(e) = RuleLibrary::from_compiled("x.bin", &bytes) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn words_and_formatting_never_panic(n in any::<i64>(), scale in 0u32..6) {
        let d = Decimal::new(n, scale);
        let _ = lephi::words::vi(d);
        let _ = lephi::words::en(d);
        let f = lephi::format_vnd(d);
        let digits: String = f.chars().filter(|c| c.is_ascii_digit()).collect();
        let expect: String = d.normalize().abs().to_string().chars().filter(|c| c.is_ascii_digit()).collect();
        prop_assert_eq!(digits, expect);
    }

    /// Any text, phrases and ids among it: English is the text itself, and Vietnamese keeps
    /// every digit in order (only phrases, names and decimal points change).
    #[test]
    fn formula_text_never_panics_and_keeps_the_numbers(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("fixed ".to_string()), Just(" above ".to_string()), Just("pay_percent ".to_string()),
                Just("copies".to_string()), Just("area = ".to_string()), Just("urban_ward".to_string()),
                Just(".".to_string()), Just("%".to_string()), ".{0,6}", "[0-9]{1,4}",
            ],
            0..12,
        )
    ) {
        let text = parts.concat();
        prop_assert_eq!(lephi::formula_text(&text, lephi::Lang::En), text.as_str());
        let vi = lephi::formula_text(&text, lephi::Lang::Vi);
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        prop_assert_eq!(digits(&vi), digits(&text));
    }
}

#[test]
fn rule_files_round_trip_through_compiled_rules() {
    let lib = RuleLibrary::from_compiled("compiled.bin", compiled()).unwrap();
    let docs: Vec<_> = lib.documents().cloned().collect();
    let yaml = RuleLibrary::from_sources(RuleLibrary::bundled_sources()).unwrap();
    let expected: Vec<_> = yaml.documents().cloned().collect();
    assert_eq!(docs, expected);
}

#[test]
fn rule_files_round_trip_through_json() {
    for (name, text) in RuleLibrary::bundled_sources() {
        let doc = lephi::rules::parse_document(name, text).unwrap();
        let json = serde_json::to_string(&doc).unwrap();
        let back: lephi::model::RuleDocument = serde_json::from_str(&json).unwrap();
        assert_eq!(back, doc, "{name}");
    }
}
