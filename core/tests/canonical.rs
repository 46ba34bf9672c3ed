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

#[test]
fn sources_are_the_documents_a_quote_rests_on() -> Result<(), Box<dyn std::error::Error>> {
    let lib = RuleLibrary::bundled()?;
    let request = r#"{"procedure":"driver-licence.issue","date":"2024-05-01","jurisdiction":"vn/ha-tinh","channel":"online_full","postage":{"direction":"return","zone":"inner_city","weight_grams":100}}"#;
    let text = lib.sources_json(request)?;
    assert_canonical(&text);
    let sources = lib.sources(&lephi::Request::from_json(request)?)?;
    assert_eq!(text, serde_json::to_value(&sources)?.to_string());
    let ids: Vec<&str> = sources.iter().map(|d| d.id.as_str()).collect();
    // The procedure's and the fee's circular, the online rate, Hà Tĩnh's postage and subsidy,
    // and the jurisdiction registry.
    assert_eq!(
        ids,
        [
            "ht-bcci-return-subsidy",
            "tt-37-2023-btc",
            "tt-63-2023-btc",
            "vn-jurisdictions"
        ]
    );
    assert!(text.contains(r#""notes":"From news reports of 2022–2023 only"#));
    // A request that cannot be priced fails as `quote` fails.
    let bad = r#"{"procedure":"driver-licence.issue","date":"1990-01-01"}"#;
    assert_eq!(
        lib.sources_json(bad).map_err(|e| e.code()),
        lib.try_quote_json(bad).map_err(|e| e.code())
    );
    Ok(())
}

/// Every document a quote cites (each line's, adjustment's and postage's basis, and the
/// subsidy rule's document) is among its sources, on every channel, with and without postage.
#[test]
fn every_cited_document_is_a_source() -> Result<(), Box<dyn std::error::Error>> {
    let lib = RuleLibrary::bundled()?;
    let mut checked = 0;
    for p in lib.procedures() {
        for jurisdiction in ["vn", "vn/ha-tinh", "vn/quang-ngai", "vn/ha-nam"] {
            for (channel, postage) in [
                ("in_person", ""),
                ("online_full", ""),
                (
                    "online_full",
                    r#","postage":{"direction":"both","zone":"inner_city","weight_grams":100}"#,
                ),
            ] {
                let request = format!(
                    r#"{{"procedure":"{}","date":"2024-05-01","jurisdiction":"{jurisdiction}","channel":"{channel}"{postage}}}"#,
                    p.id
                );
                let Ok(quote) = lib.try_quote_json(&request) else {
                    continue;
                };
                let quote: Value = serde_json::from_str(&quote)?;
                let sources: Value = serde_json::from_str(&lib.sources_json(&request)?)?;
                let ids: Vec<&str> = sources
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|d| d["id"].as_str())
                    .collect();
                let mut cited = Vec::new();
                collect_documents(&quote, &mut cited);
                for id in cited {
                    assert!(
                        ids.contains(&id.as_str()),
                        "{id} not in {ids:?} for {request}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
    Ok(())
}

fn collect_documents(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(doc)) = map.get("basis").and_then(|b| b.get("document")) {
                out.push(doc.clone());
            }
            if let Some(Value::String(rule)) = map.get("subsidy_rule") {
                out.extend(rule.split('/').next().map(str::to_string));
            }
            map.values().for_each(|x| collect_documents(x, out));
        }
        Value::Array(list) => list.iter().for_each(|x| collect_documents(x, out)),
        _ => {}
    }
}
