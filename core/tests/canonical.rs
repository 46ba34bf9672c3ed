//! The JSON the bindings receive is canonical (keys sorted at every level, no spaces) although
//! it is written directly, not through `serde_json::Value`: re-sorting each output through
//! `Value` gives the same bytes.

use lephi::{Date, Error, RuleLibrary};
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
