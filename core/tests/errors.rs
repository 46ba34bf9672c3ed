//! Every error kind of rule loading, with its location.

use lephi::RuleLibrary;

const HEAD: &str = "document: {id: d, number: '1', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}\njurisdictions: [{id: vn, name: {vi: VN}}]\n";

fn check(body: &str) -> Vec<lephi::Error> {
    let text = format!("{HEAD}{body}");
    RuleLibrary::check(&[("f.yaml", text.as_str())])
}

fn first(body: &str) -> lephi::Error {
    check(body).into_iter().next().expect("an error")
}

#[test]
fn unknown_field_has_a_location() {
    let e = first("procedures:\n  - id: p\n    name: {vi: P}\n    fees: [x]\n    colour: red\n");
    assert_eq!(e.code(), "rule_syntax");
    let loc = e.location().unwrap();
    assert_eq!((loc.file.as_str(), loc.line), ("f.yaml", 7), "{e}");
    assert!(e.to_string().contains("colour"), "{e}");
}

#[test]
fn float_money_is_kept_exact_or_rejected() {
    let e = first("procedures: [{id: p, name: {vi: P}, fees: [x]}]\nfees: [{id: f, item: x, kind: phi, name: {vi: F}, article: A, basis: {fixed: -5}}]\n");
    assert_eq!(e.code(), "rule_syntax", "{e}");
}

#[test]
fn percent_over_100_is_rejected_at_the_adjustment() {
    let e = first("procedures: [{id: p, name: {vi: P}, fees: [x]}]\nfees: [{id: f, item: x, kind: phi, name: {vi: F}, article: A, basis: {fixed: 5}}]\nadjustments:\n  - {id: a, name: {vi: A}, article: A, applies_to: {items: [x]}, effect: {pay_percent: 120}}\n");
    assert_eq!(e.code(), "rule_percent_out_of_range");
    assert_eq!(e.location().unwrap().line, 6);
}

#[test]
fn overlapping_windows_are_rejected_unless_overridden() {
    let body = "procedures: [{id: p, name: {vi: P}, fees: [x]}]\nfees:\n  - {id: f1, item: x, kind: phi, name: {vi: F}, article: A, basis: {fixed: 5}}\n  - {id: f2, item: x, kind: phi, name: {vi: F}, article: A, valid_from: 2024-06-01, basis: {fixed: 6}}\n";
    let e = first(body);
    assert_eq!(e.code(), "rule_overlapping_windows");
    assert_eq!(e.location().unwrap().line, 6);
    let ok = body.replace(
        "valid_from: 2024-06-01,",
        "valid_from: 2024-06-01, overrides: [d/f1],",
    );
    assert!(check(&ok).is_empty());
    let text = format!("{HEAD}{ok}");
    let lib = RuleLibrary::from_sources(&[("f.yaml", text.as_str())]).unwrap();
    let q = lib
        .quote(&lephi::Request::new("p", "2024-07-01").unwrap())
        .unwrap();
    assert_eq!(q.total.to_string(), "6");
    let q = lib
        .quote(&lephi::Request::new("p", "2024-05-31").unwrap())
        .unwrap();
    assert_eq!(q.total.to_string(), "5");
}

#[test]
fn unknown_references_suggest_close_matches() {
    let e = first("procedures: [{id: p, name: {vi: P}, fees: [x]}]\nfees: [{id: f, item: x, kind: phi, name: {vi: F}, article: A, jurisdiction: vm, basis: {fixed: 5}}]\n");
    assert_eq!(e.code(), "rule_unknown_reference");
    assert!(e.to_string().contains("did you mean `vn`"), "{e}");
    let e = first("procedures: [{id: p, name: {vi: P}, fees: [x]}]\nfees: [{id: f, item: x, kind: phi, name: {vi: F}, article: A, basis: {fixed: 5}}]\nadjustments: [{id: a, name: {vi: A}, article: A, applies_to: {items: [x]}, when: {categories: [studnet]}, effect: exempt}]\n");
    assert!(e.to_string().contains("`student`"), "{e}");
}

#[test]
fn successor_must_exist_and_ids_are_unique() {
    let text = "document: {id: d, number: '1', title: t, issuer: i, kind: registry, in_force_from: 2024-01-01, confidence: verified}\njurisdictions:\n  - {id: vn, name: {vi: VN}}\n  - {id: vn/a, name: {vi: A}, parent: vn, valid_to: 2025-06-30, successors: [vn/zz]}\n";
    let errs = RuleLibrary::check(&[("j.yaml", text)]);
    assert_eq!(errs[0].code(), "rule_unknown_reference", "{errs:?}");
    assert!(
        errs[0]
            .to_string()
            .contains("unknown successor jurisdiction `vn/zz`"),
        "{}",
        errs[0]
    );
    let dup = format!("{HEAD}procedures: [{{id: p, name: {{vi: P}}, fees: [x]}}]\nfees: [{{id: f, item: x, kind: phi, name: {{vi: F}}, article: A, basis: {{fixed: 5}}}}]\n");
    let errs = RuleLibrary::check(&[("a.yaml", dup.as_str()), ("b.yaml", dup.as_str())]);
    assert!(
        errs.iter().any(|e| e.code() == "rule_duplicate_id"),
        "{errs:?}"
    );
    // Files with one document id keep their order: the second is the duplicate of the first.
    for (first, second) in [("a.yaml", "b.yaml"), ("b.yaml", "a.yaml")] {
        let errs = RuleLibrary::check(&[(first, dup.as_str()), (second, dup.as_str())]);
        let e = errs.iter().find(|e| e.code() == "rule_duplicate_id");
        let e = e.unwrap_or_else(|| panic!("{errs:?}"));
        assert_eq!(e.location().map(|l| l.file.as_str()), Some(second), "{e}");
        assert!(e.to_string().contains(first), "{e}");
    }
}

#[test]
fn every_kind_of_rule_id_is_a_slug_and_unique() {
    // A fee, an adjustment, a postal tariff and a postal subsidy: each id is checked where it
    // stands, with an example of the kind.
    let body = "procedures: [{id: p, name: {vi: P}, fees: [x]}]
fees: [{id: Fee, item: x, kind: phi, name: {vi: F}, article: A, basis: {fixed: 5}}]
adjustments: [{id: online 80, name: {vi: A}, article: A, applies_to: {items: [x]}, when: {channels: [online_full]}, effect: {pay_percent: 80}}]
postal_tariffs: [{id: Nội-thành, name: {vi: T}, article: A, operator: O, zones: [{zone: inner_city, first_grams: 100, first: 26000}]}]
postal_subsidies: [{id: pays_10000., name: {vi: S}, article: A, zones: [inner_city], applicant_pays_max: 10000, payer: provincial_budget}]
";
    let errs = check(body);
    let slugs: Vec<(String, u32)> = errs
        .iter()
        .filter(|e| e.to_string().contains("is not ASCII kebab-case"))
        .map(|e| (e.to_string(), e.location().map_or(0, |l| l.line)))
        .collect();
    assert_eq!(slugs.len(), 4, "{errs:?}");
    for ((id, example), (text, line)) in [
        ("Fee", "driver-licence"),
        ("online 80", "online-80"),
        ("Nội-thành", "inner-city"),
        ("pays_10000.", "citizen-pays-10000"),
    ]
    .iter()
    .zip(&slugs)
    {
        assert!(
            text.contains(&format!("rule id `{id}` is not ASCII kebab-case")),
            "{text}"
        );
        assert!(text.contains(&format!("e.g. `{example}`")), "{text}");
        assert!(*line >= 4, "{text} at line {line}");
    }
    // A second tariff with the same id is refused and names the first one's place.
    let twice = "postal_tariffs:
  - {id: t, name: {vi: T}, article: A, operator: O, zones: [{zone: inner_city, first_grams: 100, first: 26000}]}
  - {id: t, name: {vi: T}, article: A, operator: O, zones: [{zone: inner_city, first_grams: 100, first: 26000}]}
";
    let errs = check(twice);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].code(), "rule_duplicate_id");
    assert_eq!(errs[0].location().map(|l| l.line), Some(5));
    assert!(errs[0].to_string().contains("f.yaml:4"), "{}", errs[0]);
}

#[test]
fn a_document_declared_three_times_names_the_first_each_time() {
    let text = format!("{HEAD}procedures: [{{id: p, name: {{vi: P}}, fees: [x]}}]\n");
    let errs = RuleLibrary::check(&[("a.yaml", &text), ("b.yaml", &text), ("c.yaml", &text)]);
    let dups: Vec<_> = errs
        .iter()
        .filter(|e| e.code() == "rule_duplicate_id" && e.to_string().contains("`d`"))
        .collect();
    assert_eq!(dups.len(), 2, "{errs:?}");
    for e in dups {
        assert!(e.to_string().contains("a.yaml"), "{e}");
    }
}

#[test]
fn window_outside_the_document_is_rejected() {
    let e = first("procedures: [{id: p, name: {vi: P}, fees: [x]}]\nfees: [{id: f, item: x, kind: phi, name: {vi: F}, article: A, valid_from: 2023-01-01, basis: {fixed: 5}}]\n");
    assert_eq!(e.code(), "rule_invalid");
    assert!(
        e.to_string().contains("before the document is in force"),
        "{e}"
    );
}

#[test]
fn unknown_input_in_a_basis_is_rejected() {
    let e = first("procedures: [{id: p, name: {vi: P}, fees: [x]}]\nfees: [{id: f, item: x, kind: phi, name: {vi: F}, article: A, basis: {per_unit: {input: sheets, tiers: [{price: 1}]}}}]\n");
    assert_eq!(e.code(), "rule_unknown_reference");
    assert!(e.to_string().contains("unknown input `sheets`"), "{e}");
}

#[test]
fn oversized_rule_text_is_a_limit_error() {
    let max = lephi::limits::MAX_RULE_FILE_BYTES;
    let mut text = String::from(HEAD);
    while text.len() < max {
        text.push('#');
    }
    text.truncate(max);
    assert!(
        RuleLibrary::check(&[("f.yaml", text.as_str())]).is_empty(),
        "exactly MAX passes"
    );
    text.push('#');
    let errs = RuleLibrary::check(&[("f.yaml", text.as_str())]);
    assert_eq!(errs[0].code(), "limit_exceeded");
}

#[test]
fn requests_reject_floats_and_unknown_keys() {
    let e = lephi::Request::from_json(
        r#"{"procedure":"p","date":"2024-01-01","inputs":{"declared_value":1.5}}"#,
    )
    .unwrap_err();
    assert_eq!(e.code(), "request_invalid");
    assert!(e.to_string().contains("decimal string"), "{e}");
    let e = lephi::Request::from_json(r#"{"procedure":"p","date":"2024-01-01","colour":"red"}"#)
        .unwrap_err();
    assert!(e.to_string().contains("colour"), "{e}");
    let e = lephi::Request::from_json(r#"{"procedure":"p","date":"2024-02-30"}"#).unwrap_err();
    assert_eq!(e.code(), "request_invalid");
}

/// A money input out of range says what range is valid, in English and Vietnamese.
#[test]
fn a_money_input_out_of_range_names_the_range() {
    let lib = RuleLibrary::bundled().expect("bundled");
    for value in ["-5", "1000000000000000000"] {
        let req = lephi::Request::new("registration-fee.car", "2024-05-01")
            .expect("request")
            .with_input("registration", "first")
            .with_input("declared_value", value);
        let e = lib.quote(&req).unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        assert!(
            e.to_string()
                .contains("0 or more with at most 18 digits before the decimal point"),
            "{e}"
        );
        let vi = e.text(lephi::Lang::Vi);
        assert!(
            vi.contains("không âm, phần nguyên tối đa 18 chữ số"),
            "{vi}"
        );
    }
    let req = lephi::Request::new("registration-fee.car", "2024-05-01")
        .expect("request")
        .with_input("registration", "first")
        .with_input("declared_value", "999999999999999999");
    assert!(lib.quote(&req).is_ok());
}

/// A document's `url` becomes a link in front ends (the estimator's list of sources), so only
/// web addresses pass.
#[test]
fn a_document_url_must_be_a_web_address() {
    let with = |url: &str| {
        HEAD.replace(
            "confidence: verified}",
            &format!("confidence: verified, url: \"{url}\"}}"),
        )
    };
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "vbscript://x",
        "thuvienphapluat.vn/x",
    ] {
        let text = with(bad);
        let errors = RuleLibrary::check(&[("f.yaml", text.as_str())]);
        let e = errors.first().unwrap_or_else(|| panic!("{bad} passed"));
        assert_eq!(e.code(), "rule_invalid", "{e}");
        assert!(e.to_string().contains("is not a web address"), "{e}");
        assert!(e.to_string().contains("https://"), "{e}");
        assert_eq!(
            e.location().map(|l| (l.file.as_str(), l.line)),
            Some(("f.yaml", 1)),
            "{e}"
        );
    }
    for good in ["https://vbpl.vn/x", "HTTP://example.vn"] {
        let text = with(good);
        assert!(
            RuleLibrary::check(&[("f.yaml", text.as_str())]).is_empty(),
            "{good}"
        );
    }
}

/// `replaces` and `replaced_by` must name each other: the engine names a rate's successor
/// from the old document's `replaced_by`, so a link given on one side only would leave a
/// date error without the document that explains it.
#[test]
fn a_replacement_is_declared_on_both_sides() {
    let doc = |id: &str, extra: &str| {
        format!("document: {{id: {id}, number: '{id}', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified{extra}}}\n")
    };
    let vn = "jurisdictions: [{id: vn, name: {vi: VN}}]\n";
    let check = |old: String, new: String| {
        let old = format!("{old}{vn}");
        RuleLibrary::check(&[("old.yaml", old.as_str()), ("new.yaml", new.as_str())])
    };
    // Only the new document says it: the old one is named where the link is missing.
    let errors = check(doc("old", ""), doc("new", ", replaces: [old]"));
    let [e] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(e.code(), "rule_invalid");
    assert_eq!(
        e.to_string(),
        "new.yaml:1:11: `new` replaces `old`, whose `replaced_by` does not name it (hint: set `replaced_by: new` in `old`)"
    );
    // Only the old document says it.
    let errors = check(doc("old", ", replaced_by: new"), doc("new", ""));
    let [e] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(
        e.to_string(),
        "old.yaml:1:11: `old` is replaced by `new`, whose `replaces` does not list it (hint: add `old` to `replaces` in `new`)"
    );
    // A `replaced_by` naming a third document is caught from both sides.
    let third = doc("third", "");
    let old = format!("{}{vn}", doc("old", ", replaced_by: third"));
    let new = doc("new", ", replaces: [old]");
    let errors = RuleLibrary::check(&[
        ("old.yaml", old.as_str()),
        ("new.yaml", new.as_str()),
        ("third.yaml", third.as_str()),
    ]);
    assert_eq!(errors.len(), 2, "{errors:?}");
    // Both sides: no error.
    assert!(check(
        doc("old", ", replaced_by: new"),
        doc("new", ", replaces: [old]")
    )
    .is_empty());
}

#[test]
fn a_district_must_name_its_province_as_parent() {
    let text = "document: {id: d, number: '1', title: t, issuer: i, kind: registry, in_force_from: 2024-01-01, confidence: verified}
jurisdictions:
  - {id: vn, name: {vi: VN}}
  - {id: vn/binh-dinh, name: {vi: BĐ}, parent: vn}
  - {id: vn/binh-dinh/tuy-phuoc, name: {vi: TP}, parent: vn}
";
    let errors = RuleLibrary::check(&[("f.yaml", text)]);
    let e = errors.first().expect("an error");
    assert_eq!(e.code(), "rule_invalid", "{e}");
    assert!(e.to_string().contains("parent `vn/binh-dinh`"), "{e}");
    assert_eq!(e.location().unwrap().line, 5, "{e}");
    let fixed = text.replace("TP}, parent: vn}", "TP}, parent: vn/binh-dinh}");
    assert!(RuleLibrary::check(&[("f.yaml", fixed.as_str())]).is_empty());
}

#[test]
fn an_input_tied_cap_must_name_a_money_input() {
    let e = first("procedures: [{id: p, name: {vi: P}, fees: [x]}]\nfees: [{id: f, item: x, kind: phi, name: {vi: F}, article: A, basis: {fixed: 5}}]\nadjustments:\n  - {id: a, name: {vi: A}, article: A, applies_to: {items: [x]}, effect: {reduce_percent: 50}, max_reduction_input: {input: copies, times: 5}}\n");
    assert_eq!(e.code(), "rule_invalid", "{e}");
    assert!(e.to_string().contains("copies"), "{e}");
}

/// Rule files are read by lephi's own YAML reader: each mistake gets a message that says what
/// is wrong and what would be valid, at the line and column of the node concerned.
#[test]
fn rule_file_syntax_errors_say_what_and_where() {
    let cases: &[(&str, (u32, u32), &str)] = &[
        (
            "procedures: [{id: p, name: {vi: P}, fees: [x], colour: red}]",
            (3, 48),
            "unknown field `colour`, expected one of `id`, `name`, `codes`, `fees`, `keywords`",
        ),
        ("procedures: [{id: p, fees: [x]}]", (3, 14), "missing field `name`"),
        (
            "procedures: [{id: p, id: q, name: {vi: P}, fees: [x]}]",
            (3, 22),
            "duplicate field `id`",
        ),
        (
            "fees: [{id: f, item: x, kind: phio, name: {vi: F}, article: A, basis: {fixed: 5}}]",
            (3, 31),
            "unknown variant `phio`, expected `phi` or `le_phi`",
        ),
        (
            "fees: [{id: f, item: x, kind: phi, name: {vi: F}, article: A, basis: fixed}]",
            (3, 70),
            "`fixed` needs content: write it as `fixed: …`",
        ),
        (
            "fees: [{id: f, item: x, kind: {phi: 1}, name: {vi: F}, article: A, basis: {fixed: 5}}]",
            (3, 37),
            "`phi` takes no content: write it alone, as `phi`",
        ),
        (
            "fees: [{id: f, item: x, kind: phi, name: {vi: F}, article: A, basis: {fixed: [5]}}]",
            (3, 78),
            "invalid type: sequence, expected an amount as a decimal string, e.g. `135000`",
        ),
        ("procedures:", (3, 12), "invalid type: null, expected a sequence"),
        (
            "procedures: [{id: , name: {vi: P}, fees: [x]}]",
            (3, 19),
            "invalid type: null, expected a string",
        ),
        (
            "procedures:\n  - id: p\n    name: {vi: P}\n     fees: [x]",
            (6, 6),
            "this line is indented more than the block it follows",
        ),
        (
            "procedures: [{id: p, name: {vi: P}, fees: [x]}",
            (3, 13),
            "a `[` that is never closed",
        ),
        ("fees: &a []", (3, 7), "anchors (`&`): rule files do not use this YAML feature"),
        (
            "procedures:\n\t- id: p",
            (4, 1),
            "a tab in indentation: YAML indents with spaces",
        ),
    ];
    let choose = |options: &str| {
        format!("fees: [{{id: f, item: x, kind: phi, name: {{vi: F}}, article: A, basis: {{choose: {{input: area, options: {{{options}}}}}}}}}]")
    };
    let many: Vec<String> = (0..20_000).map(|i| format!("k{i}: {{fixed: 1}}")).collect();
    let with_duplicate = choose(&format!("{}, k7: {{fixed: 2}}", many.join(", ")));
    let col = |body: &str, at: &str| body.rfind(at).map_or(0, |i| i as u32 + 1);
    let twice = choose("a: {fixed: 1}, b: {fixed: 2}, a: {fixed: 3}");
    let escape = "procedures: [{id: \"p\\x+1\", name: {vi: P}, fees: [x]}]".to_string();
    let owned = [
        (
            twice.clone(),
            (3, col(&twice, "a: {fixed: 3}")),
            "duplicate key `a`",
        ),
        (
            with_duplicate.clone(),
            (3, col(&with_duplicate, "k7: {fixed: 2}")),
            "duplicate key `k7`",
        ),
        (
            escape.clone(),
            (3, col(&escape, "\\x")),
            "an escape that is not a Unicode character",
        ),
    ];
    let cases: Vec<(&str, (u32, u32), &str)> = cases
        .iter()
        .copied()
        .chain(owned.iter().map(|(b, at, m)| (b.as_str(), *at, *m)))
        .collect();
    for (body, (line, column), message) in &cases {
        let e = first(body);
        assert_eq!(e.code(), "rule_syntax", "{body}: {e}");
        let at = e.location().unwrap();
        assert_eq!((at.line, at.column), (*line, *column), "{body}: {e}");
        assert!(e.to_string().contains(message), "{body}:\n{e}");
    }
}

/// The same document in block style, flow style, quoted and folded: one reading.
#[test]
fn yaml_styles_read_the_same() {
    let block = "document:\n  id: d\n  number: '1'\n  title: t\n  issuer: i\n  kind: circular\n  in_force_from: 2024-01-01\n  confidence: verified\n  notes: >-\n    two\n    lines\njurisdictions:\n- id: vn\n  name:\n    vi: VN\nprocedures:\n  - id: p\n    name: {vi: \"P\"}\n    fees:\n      - x\nfees:\n  - id: f\n    item: x\n    kind: phi\n    name: {vi: F}\n    article: A\n    basis:\n      fixed: 5\n";
    let flow = "---\n{document: {id: d, number: \"1\", title: 't', issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified, notes: \"two lines\"},\n jurisdictions: [{id: vn, name: {vi: VN}}],\n procedures: [{id: p, name: {vi: P}, fees: [x]}],\n fees: [{id: f, item: x, kind: phi, name: {vi: F}, article: A, basis: {fixed: '5'}}]}\n...\n";
    let a = lephi::rules::parse_document("a.yaml", block).unwrap();
    let b = lephi::rules::parse_document("b.yaml", flow).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.document.notes.as_deref(), Some("two lines"));
}

/// A rule file with nothing in it (or only comments) says so, at its start.
#[test]
fn an_empty_rule_file_says_it_is_empty() {
    for text in ["", "   \n", "# a comment only\n\n"] {
        let errs = RuleLibrary::check(&[("empty.yaml", text)]);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].code(), "rule_syntax");
        assert_eq!(
            errs[0].to_string(),
            "empty.yaml:1:1: invalid rule file: the file is empty: a rule file is a YAML mapping \
             that starts with `document:` (a rule test file, with `cases:`)"
        );
    }
}
