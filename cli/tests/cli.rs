//! The command-line contract: exit codes 0 ok, 1 quote/validation error, 2 usage error.

use std::process::Command;

fn lephi(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lephi"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn quote_prints_canonical_json() {
    let (code, out, _) = lephi(&[
        "quote",
        "-p",
        "driver-licence.issue",
        "-d",
        "2024-05-01",
        "-c",
        "online_full",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"], "115000");
    assert_eq!(
        v["lines"][0]["adjustments"][0]["rule"],
        "tt-63-2023-btc/driver-licence-online"
    );
}

#[test]
fn explain_prints_a_receipt_in_both_languages() {
    let (code, out, _) = lephi(&[
        "explain",
        "-p",
        "passport.issue",
        "-d",
        "2024-06-01",
        "-c",
        "online_full",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("TOTAL: 180.000\u{a0}₫"), "{out}");
    let (_, vi, _) = lephi(&["explain", "-p", "passport.issue", "-d", "2024-06-01"]);
    assert!(vi.contains("Bằng chữ: Hai trăm nghìn đồng"), "{vi}");
    // A receipt that cannot be made says why in the receipt's language.
    let (code, _, err) = lephi(&["explain", "-p", "passport.issue", "-d", "2026-12-07"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error[date_outside_windows]: chưa có quy định nào về `passport.issue`"),
        "{err}"
    );
    let (_, _, err) = lephi(&[
        "explain",
        "-p",
        "passport.issue",
        "-d",
        "2026-12-07",
        "--lang",
        "en",
    ]);
    assert!(
        err.starts_with("error[date_outside_windows]: no rule for `passport.issue`"),
        "{err}"
    );
}

#[test]
fn errors_exit_1_and_usage_exits_2() {
    let (code, _, err) = lephi(&["quote", "-p", "driver-license.issue", "-d", "2024-05-01"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `driver-licence.issue`"), "{err}");
    let (code, _, _) = lephi(&["quote", "-d", "2024-05-01"]);
    assert_eq!(code, 2);
    let (code, _, _) = lephi(&["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn check_and_test_run_on_the_rules_directory() {
    let (code, out, err) = lephi(&["check", "rules"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("rule files ok"));
    let (code, out, err) = lephi(&["test", "rules", "--coverage"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(", 0 failed"), "{out}");
}

#[test]
fn procedures_search_without_diacritics() {
    let (code, out, _) = lephi(&["procedures", "chung", "thuc"]);
    assert_eq!(code, 0);
    assert!(out.contains("certified-copy.from-original"), "{out}");
    // English names are searched too; a search that finds nothing says so on stderr.
    let (code, out, _) = lephi(&["procedures", "passport"]);
    assert_eq!((code, out.lines().count()), (0, 1), "{out}");
    let (code, out, err) = lephi(&["procedures", "zzz"]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(err.starts_with("no procedure matches `zzz`: "), "{err}");
}

#[test]
fn compare_shows_the_online_saving() {
    let (code, out, _) = lephi(&["compare", "-p", "driver-licence.issue", "-d", "2024-05-01"]);
    assert_eq!(code, 0);
    assert!(out.contains("online saving   20.000\u{a0}₫"), "{out}");
}

#[test]
fn sources_lists_the_documents_with_their_notes() {
    let (code, out, _) = lephi(&[
        "sources",
        "-p",
        "driver-licence.issue",
        "-d",
        "2024-05-01",
        "-j",
        "vn/ha-tinh",
        "-c",
        "online_full",
        "--postage",
        "return",
        "--zone",
        "inner_city",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Giá cước BCCI trả kết quả TTHC tại TP Hà Tĩnh"),
        "{out}"
    );
    assert!(out.contains("63/2023/TT-BTC — "), "{out}");
    assert!(
        out.contains("  tt-63-2023-btc · circular · Bộ Tài chính · in force from "),
        "{out}"
    );
    assert!(
        out.contains("  note: From news reports of 2022–2023 only"),
        "{out}"
    );
    assert!(!out.contains("not in force on"), "{out}");
    // In 2026 the licence's fee is 154/2025's; 37/2023 lists the procedure and says it lapsed.
    let (code, out, _) = lephi(&["sources", "-p", "driver-licence.issue", "-d", "2026-05-01"]);
    assert_eq!(code, 0);
    assert_eq!(out.matches("not in force on").count(), 1, "{out}");
    assert!(
        out.contains(
            "  tt-37-2023-btc · circular · Bộ Tài chính · in force from 2023-08-01 to 2025-12-31 · secondary\n  not in force on 2026-05-01, replaced by tt-154-2025-btc: the library lists the procedure under it; the amounts come from documents in force on that date\n"
        ),
        "{out}"
    );
    // A request that cannot be priced fails as `quote` does.
    let (code, _, err) = lephi(&["sources", "-p", "driver-licence.issue", "-d", "1990-01-01"]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn collect_fees_adds_the_tariffs_collection_surcharge() {
    let args = [
        "quote",
        "-p",
        "judicial-record.certificate",
        "-j",
        "vn/binh-dinh/tuy-phuoc",
        "-d",
        "2022-03-01",
        "--postage",
        "send",
        "--zone",
        "intra_district",
    ];
    let (code, out, _) = lephi(&args);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["postage"]["surcharge"], "0");
    assert_eq!(v["postage_total"], "22000");
    let mut with = args.to_vec();
    with.push("--collect-fees");
    let (code, out, _) = lephi(&with);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["postage"]["surcharge"], "8000");
    assert_eq!(v["postage_total"], "30000");
    // A direction that is not one of the three is a usage error that lists them.
    let mut bad = args.to_vec();
    bad[8] = "back";
    let (code, _, err) = lephi(&bad);
    assert_ne!(code, 0);
    assert!(
        err.contains("unknown postage direction `back` (send, return, both)"),
        "{err}"
    );
}

#[test]
fn compile_writes_the_embedded_library_or_a_directory() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::env::temp_dir().join(format!("lephi-compile-{}.bin", std::process::id()));
    let path = out.to_string_lossy().to_string();
    let (code, _, err) = lephi(&["compile", "-o", &path]);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read(&out).unwrap();
    assert_eq!(
        written,
        std::fs::read(root.join("rules/compiled.bin")).unwrap()
    );
    let lib = lephi::RuleLibrary::from_compiled("out.bin", &written).unwrap();
    assert!(lib.procedure("driver-licence.issue").is_some());
    // A directory: the conformance engine rules.
    let dir = root.join("tests/conformance/rules");
    let (code, _, err) = lephi(&["compile", "--rules", &dir.to_string_lossy(), "-o", &path]);
    assert_eq!(code, 0, "{err}");
    let lib = lephi::RuleLibrary::from_compiled("out.bin", &std::fs::read(&out).unwrap()).unwrap();
    assert!(lib.procedure("e.fixed").is_some());
    let _ = std::fs::remove_file(&out);
}

#[test]
fn quote_json_with_nothing_on_stdin_says_how_to_give_a_request() {
    // `Command::output` gives the child an empty stdin.
    let (code, out, err) = lephi(&["quote", "--json"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("--json reads the request from stdin, which was empty")
            && err.contains("| lephi quote --json"),
        "{err}"
    );
}

/// `--mutants` fails on a figure that no case checks and names it with its place; the
/// embedded library passes.
#[test]
fn test_mutants_names_the_figures_no_case_checks() {
    let (code, out, err) = lephi(&["test", "rules", "--coverage", "--mutants"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(" 0 survived"), "{out}");
    let dir = std::env::temp_dir().join(format!("lephi-mutants-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("d.yaml"),
        "document: {id: d, number: '1', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}  # mutant-equivalent: in_force_from, a test
jurisdictions: [{id: vn, name: {vi: VN}}]
procedures: [{id: p, name: {vi: P}, fees: [p]}]
fees: [{id: f, item: p, kind: le_phi, name: {vi: F}, article: 'Điều 1', basis: {fixed: 1000}}]
",
    )
    .unwrap();
    std::fs::write(
        dir.join("d.test.yaml"),
        "cases:\n  - {name: applied only, request: {procedure: p, date: 2024-06-01}, expect: {applied: []}}\n",
    )
    .unwrap();
    let d = dir.to_string_lossy().to_string();
    let (code, out, err) = lephi(&["test", d.as_str(), "--mutants"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("d.yaml:4:88: `fixed: 1000` → `999` and every case still passes"),
        "{out}"
    );
    assert!(
        out.contains(
            "mutants: 1 tried, 0 refused by the validator, 0 noticed by a case, 1 survived"
        ),
        "{out}"
    );
    assert!(err.contains("figures no case checks"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_directory_without_rule_files_is_an_error() {
    let dir = std::env::temp_dir().join(format!("lephi-no-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("README.md"), "no rules here").unwrap();
    let d = dir.to_string_lossy().to_string();
    for args in [
        vec!["check", d.as_str()],
        vec!["test", d.as_str()],
        vec!["procedures", "--rules", d.as_str()],
        vec!["compile", "--rules", d.as_str(), "-o", "/dev/null"],
    ] {
        let (code, _, err) = lephi(&args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(
            err.contains("no rule files (*.yaml other than *.test.yaml) in `"),
            "{args:?}: {err}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_linked_directory_is_not_followed() {
    let dir = std::env::temp_dir().join(format!("lephi-linked-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/vn");
    std::os::unix::fs::symlink(rules.canonicalize().unwrap(), dir.join("vn")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).unwrap();
    std::fs::write(dir.join("README.md"), "links only").unwrap();
    let d = dir.to_string_lossy().to_string();
    // Only links below: no rule files (before, the loop was read ~40 times over, until ELOOP).
    let (code, _, err) = lephi(&["check", d.as_str()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no rule files"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn postage_options_without_postage_are_a_usage_error_not_ignored() {
    // Before, `--zone` alone priced the fees without postage, as if it had not been given.
    for extra in [
        &["--zone", "inner_city"][..],
        &["--weight", "250"][..],
        &["--collect-fees"][..],
    ] {
        let mut args = vec![
            "quote",
            "-p",
            "driver-licence.issue",
            "-j",
            "vn/ha-tinh",
            "-d",
            "2024-05-01",
        ];
        args.extend_from_slice(extra);
        let (code, out, err) = lephi(&args);
        assert_eq!((code, out.as_str()), (2, ""), "{extra:?}: {err}");
        assert!(err.contains("--postage <POSTAGE>"), "{extra:?}: {err}");
    }
}

#[test]
fn a_reader_that_stops_reading_ends_the_command_quietly() {
    // `lephi procedures | head -1`: before, `println!` panicked on the closed pipe.
    for args in [
        &["procedures"][..],
        &["catalog"][..],
        &["schema"][..],
        &["compile"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lephi"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before anything is written
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
