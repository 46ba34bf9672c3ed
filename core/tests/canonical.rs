//! The JSON the bindings receive is canonical (keys sorted at every level, no spaces) although
//! it is written directly, not through `serde_json::Value`: re-sorting each output through
//! `Value` gives the same bytes.

use lephi::json::{error_details, error_details_json, error_details_text};
use lephi::{Date, Error, ErrorKind, Location, RuleLibrary};
use serde_json::Value;

fn assert_canonical(text: &str) {
    let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(value.to_string(), text);
}

#[test]
fn catalog_jurisdictions_and_missing_inputs_are_canonical() -> Result<(), Error> {
    let lib = RuleLibrary::bundled()?;
    assert_canonical(&lib.procedures_json(None));
    assert_canonical(&lib.procedures_json(Some("ho chieu")));
    assert_canonical(&lib.jurisdictions_json(None));
    assert_canonical(&lib.jurisdictions_json(Some(Date::parse("2024-05-01")?)));
    let mut priced = 0;
    for p in lib.procedures() {
        for date in ["2024-05-01", "2026-09-01"] {
            let request = format!(r#"{{"procedure":"{}","date":"{date}"}}"#, p.id);
            if let Ok(text) = lib.missing_inputs_json(&request) {
                assert_canonical(&text);
                priced += 1;
            }
            assert_canonical(&lib.quote_json(&request));
        }
    }
    assert!(priced > 50, "{priced}");
    Ok(())
}

#[test]
fn catalog_and_jurisdictions_are_serdes_sorted_form() -> Result<(), Box<dyn std::error::Error>> {
    let lib = RuleLibrary::bundled()?;
    let procedures: Vec<_> = lib.procedures().collect();
    assert_eq!(
        lib.procedures_json(None),
        serde_json::to_value(&procedures)?.to_string()
    );
    let jurisdictions: Vec<_> = lib.jurisdictions().collect();
    assert_eq!(
        lib.jurisdictions_json(None),
        serde_json::to_value(&jurisdictions)?.to_string()
    );
    // Every optional part occurs somewhere, so each branch of the writer is compared. The
    // library has no jurisdiction that starts on a date, so one is added.
    let text = format!(
        "{}\n  - {{id: vn/moi, name: {{vi: Mới, en: \"New \\\"quoted\\\"\"}}, parent: vn, valid_from: 2025-07-01}}\n",
        include_str!("../../rules/vn/jurisdictions.yaml").trim_end()
    );
    let with_new = RuleLibrary::from_sources(&[("vn/jurisdictions.yaml", text.as_str())])?;
    let jurisdictions: Vec<_> = with_new.jurisdictions().collect();
    let all = with_new.jurisdictions_json(None);
    assert_eq!(all, serde_json::to_value(&jurisdictions)?.to_string());
    for key in [
        "formed_from",
        "gso",
        "parent",
        "previous_gso",
        "successors",
        "valid_from",
        "valid_to",
    ] {
        assert!(all.contains(&format!("\"{key}\":")), "{key}");
    }
    let all = lib.procedures_json(None);
    for key in ["codes", "keywords"] {
        assert!(all.contains(&format!("\"{key}\":")), "{key}");
    }
    Ok(())
}

fn every_kind() -> Vec<ErrorKind> {
    let v = |items: &[&str]| items.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    vec![
        ErrorKind::RuleSyntax {
            message: "tab \t and \"quotes\"".into(),
        },
        ErrorKind::RuleInvalid {
            message: "m".into(),
            hint: "h".into(),
        },
        ErrorKind::RuleDuplicateId {
            id: "d".into(),
            first: None,
        },
        ErrorKind::RuleUnknownReference {
            what: "document".into(),
            id: "x".into(),
            candidates: v(&["y", "z"]),
        },
        ErrorKind::RuleOverlappingWindows {
            item: "i".into(),
            rule: "r".into(),
            other: "o".into(),
        },
        ErrorKind::RulePercentOutOfRange {
            value: "120".into(),
        },
        ErrorKind::LimitExceeded {
            what: "request".into(),
            limit: 65_536,
        },
        ErrorKind::RequestInvalid {
            message: "bad date".into(),
        },
        ErrorKind::UnknownProcedure {
            id: "x".into(),
            candidates: v(&["y"]),
        },
        ErrorKind::UnknownJurisdiction {
            id: "vn/x".into(),
            candidates: vec![],
        },
        ErrorKind::JurisdictionNotInForce {
            id: "vn/tien-giang".into(),
            date: "2026-01-01".into(),
            window: "..2025-06-30".into(),
            successors: v(&["vn/dong-thap"]),
        },
        ErrorKind::DateOutsideWindows {
            item: "i".into(),
            date: "2030-01-01".into(),
            nearest: v(&["a..b"]),
        },
        ErrorKind::NotPricedInJurisdiction {
            item: "i".into(),
            jurisdiction: "vn".into(),
            available: v(&["vn/ha-noi"]),
        },
        ErrorKind::MissingInput {
            name: "pages".into(),
            expected: "an integer ≥ 1".into(),
        },
        ErrorKind::InvalidInput {
            name: "pages".into(),
            value: "0".into(),
            expected: "an integer ≥ 1".into(),
        },
        ErrorKind::UnknownInput {
            name: "page".into(),
            known: v(&["pages"]),
        },
        ErrorKind::UnknownCategory {
            name: "studnet".into(),
            candidates: v(&["student"]),
        },
        ErrorKind::PostageUnavailable {
            message: "no zone `x`".into(),
            zones: v(&["inner_city"]),
        },
        ErrorKind::Overflow {
            context: "postage".into(),
        },
        ErrorKind::Internal {
            message: "m".into(),
        },
    ]
}

#[test]
fn error_details_are_canonical_and_carry_every_field() {
    let at = Location {
        file: "vn/x.yaml".into(),
        line: 7,
        column: 3,
    };
    for kind in every_kind() {
        for location in [None, Some(at.clone())] {
            let e = Error::new(kind.clone()).at(location.clone());
            let text = error_details_text(&e);
            assert_canonical(&text);
            let d = error_details(&e);
            assert_eq!(d.to_string(), text);
            assert_eq!(d["code"], e.code());
            assert_eq!(d["message"], e.to_string());
            // Every field of the kind, besides code and the two messages (and `first`, a
            // location given in the message).
            let fields = d.as_object().map_or(0, serde_json::Map::len);
            let expected = 3 + kind_fields(&kind) + if location.is_some() { 3 } else { 0 };
            assert_eq!(fields, expected, "{text}");
            assert_eq!(error_details_json(&e), format!(r#"{{"error":{text}}}"#));
        }
    }
}

fn kind_fields(kind: &ErrorKind) -> usize {
    match kind {
        ErrorKind::RuleSyntax { .. }
        | ErrorKind::RequestInvalid { .. }
        | ErrorKind::Internal { .. }
        | ErrorKind::RuleDuplicateId { .. }
        | ErrorKind::RulePercentOutOfRange { .. }
        | ErrorKind::Overflow { .. } => 1,
        ErrorKind::RuleUnknownReference { .. }
        | ErrorKind::RuleOverlappingWindows { .. }
        | ErrorKind::DateOutsideWindows { .. }
        | ErrorKind::NotPricedInJurisdiction { .. }
        | ErrorKind::InvalidInput { .. } => 3,
        ErrorKind::JurisdictionNotInForce { .. } => 4,
        _ => 2,
    }
}

#[test]
fn error_json_is_canonical() {
    for kind in every_kind() {
        let e = Error::new(kind);
        let text = lephi::error_json(&e);
        assert_canonical(&text);
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert_eq!(v["error"]["message"], e.to_string());
    }
}
