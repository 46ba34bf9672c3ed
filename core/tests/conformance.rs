//! Cross-runtime conformance: `tests/conformance/cases/<name>.json` holds a request; the
//! canonical result must equal `<name>.expected.json` byte for byte. Python and WebAssembly
//! run the same files. `LEPHI_BLESS=1 cargo test` rewrites expectations (review the diff!).

use lephi::RuleLibrary;

use crate::common::{engine_library, root};

#[test]
fn every_case_matches_its_expected_json_byte_for_byte() {
    let engine = engine_library();
    let bundled = RuleLibrary::bundled().unwrap();
    let dir = root().join("tests/conformance/cases");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.to_string_lossy().ends_with(".json")
                && !p.to_string_lossy().ends_with(".expected.json")
        })
        .collect();
    names.sort();
    assert!(names.len() >= 30, "conformance cases missing");
    let bless = std::env::var_os("LEPHI_BLESS").is_some();
    let mut failures = Vec::new();
    for path in names {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let lib = match case["library"].as_str() {
            Some("engine") => &engine,
            Some("bundled") => &bundled,
            other => panic!("unknown library {other:?} in {}", path.display()),
        };
        let actual = lib.quote_json(&case["request"].to_string());
        let expected_path = path.with_extension("expected.json");
        if bless {
            std::fs::write(&expected_path, format!("{actual}\n")).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap();
        if expected.trim_end() != actual {
            failures.push(format!(
                "{}:\n  expected {}\n  actual   {actual}",
                path.display(),
                expected.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
