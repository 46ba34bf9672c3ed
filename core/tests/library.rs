//! The embedded Vietnamese library: valid, its rule tests pass with full coverage, and it
//! matches the rules/ directory.

use lephi::RuleLibrary;

use crate::common::{pairs, root, yaml_files};

type Files = Vec<(String, String)>;

fn rules_and_tests() -> (Files, Files) {
    yaml_files(&root().join("rules"))
        .into_iter()
        .partition(|(n, _)| !n.ends_with(".test.yaml"))
}

#[test]
fn bundled_library_is_the_rules_directory() {
    let (rules, _) = rules_and_tests();
    let bundled: Vec<(String, String)> = RuleLibrary::bundled_sources()
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(bundled, rules);
}

#[test]
fn rules_directory_checks_clean() {
    let (rules, _) = rules_and_tests();
    let errors = RuleLibrary::check(&pairs(&rules));
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn rule_tests_pass_with_full_coverage() {
    let (_, tests) = rules_and_tests();
    let lib = RuleLibrary::bundled().unwrap();
    let report = lephi::testing::run(&lib, &pairs(&tests)).unwrap();
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(report.passed >= 150);
    assert!(
        report.uncovered.is_empty(),
        "uncovered: {:?}",
        report.uncovered
    );
}

#[test]
fn a_failing_rule_test_says_what_was_expected_and_what_came() {
    let lib = RuleLibrary::bundled().unwrap();
    let tests = "cases:
  - name: a code mistyped
    request: {procedure: household-business.registration, jurisdiction: vn/ha-noi, date: 2026-07-24}
    expect: {error: missing_inpt}
  - name: an error where a total was expected
    request: {procedure: household-business.registration, jurisdiction: vn/ha-noi, date: 2026-07-24}
    expect: {total: 100000}
  - name: a quote where an error was expected
    request: {procedure: driver-licence.issue, date: 2024-05-01}
    expect: {error: missing_input}
";
    let report = lephi::testing::run(&lib, &[("t.test.yaml", tests)]).unwrap();
    let messages: Vec<&str> = report.failures.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages[0].starts_with(
            "expected error `missing_inpt`, got error `missing_input`: missing input `base_amount`"
        ),
        "{messages:?}"
    );
    assert!(
        messages[1].starts_with("unexpected error `missing_input`: missing input `base_amount`"),
        "{messages:?}"
    );
    assert_eq!(
        messages[2],
        "expected error `missing_input`, got a quote of 135000"
    );
}

#[test]
fn every_rule_file_has_tests_beside_it() {
    let (rules, tests) = rules_and_tests();
    for (name, text) in &rules {
        let has_rules = text.contains("\nfees:")
            || text.contains("\nadjustments:")
            || text.contains("\npostal_tariffs:")
            || text.contains("\njurisdictions:");
        let test_name = name.replace(".yaml", ".test.yaml");
        let beside = tests.iter().any(|(n, _)| *n == test_name);
        let priced_elsewhere = name.contains("tt-28-2026");
        assert!(
            !has_rules || beside || priced_elsewhere,
            "{name} has no {test_name}"
        );
    }
}

#[test]
fn compare_channels_reports_the_online_saving() {
    let lib = RuleLibrary::bundled().unwrap();
    let req = lephi::Request::new("driver-licence.issue", "2024-05-01").unwrap();
    let c = lib.compare_channels(&req).unwrap();
    assert_eq!(c.online_saving.unwrap().to_string(), "20000");
    assert_eq!(c.cheapest, Some(lephi::Channel::OnlinePartial));
    assert_eq!(c.channels.len(), 4);
}

fn needed(lib: &RuleLibrary, req: &lephi::Request) -> Vec<&'static str> {
    lib.missing_inputs(req)
        .unwrap()
        .iter()
        .map(|n| n.name)
        .collect()
}

#[test]
fn missing_inputs_follow_choices() {
    let lib = RuleLibrary::bundled().unwrap();
    let req = lephi::Request::new("registration-fee.motorbike", "2024-05-01").unwrap();
    assert_eq!(needed(&lib, &req), ["registration"]);
    // A form shows each value of a choice in words.
    let need = lib.missing_inputs(&req).unwrap();
    let shown: Vec<_> = need[0]
        .choices
        .iter()
        .map(|c| (c.value.as_str(), c.label.vi.as_str(), c.label.en.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("first", "Lần đầu", "First registration"),
            (
                "later",
                "Lần thứ hai trở đi",
                "Second or later registration"
            )
        ]
    );
    assert_eq!(need[0].allowed, ["first", "later"]);
    let json = lib
        .missing_inputs_json(
            r#"{"procedure":"registration-fee.motorbike","date":"2024-05-01","inputs":{"registration":"first"}}"#,
        )
        .unwrap();
    assert!(
        json.starts_with(r#"[{"allowed":["other","urban_ward"],"choices":[{"label":{"en":"Elsewhere","vi":"Nơi khác"},"value":"other"},{"label":{"en":"Urban ward","vi":"Phường nội thành"},"value":"urban_ward"}],"default":null,"kind":"choice""#),
        "{json}"
    );
    let req = req.with_input("registration", "first");
    assert_eq!(needed(&lib, &req), ["area"]);
    let req = req.with_input("area", "other");
    assert_eq!(needed(&lib, &req), ["declared_value"]);
    let copy = lib
        .missing_inputs(&lephi::Request::new("certified-copy.from-original", "2024-05-01").unwrap())
        .unwrap();
    let copies = copy.iter().find(|n| n.name == "copies").unwrap();
    assert!(!copies.required);
    assert_eq!(copies.default, Some("1"));
}

#[test]
fn an_incentive_capped_by_an_input_asks_for_it_only_when_it_applies() {
    let lib = RuleLibrary::bundled().unwrap();
    let in_person = lephi::Request::new("registration-fee.car", "2026-09-01")
        .unwrap()
        .with_category("digital_citizen")
        .with_input("registration", "first")
        .with_input("declared_value", "1000000000");
    assert!(needed(&lib, &in_person).is_empty());
    let online = in_person.with_channel(lephi::Channel::OnlineFull);
    assert_eq!(needed(&lib, &online), ["base_salary"]);
    let err = lib.quote(&online).unwrap_err();
    assert_eq!(err.code(), "missing_input");
    let q = lib
        .quote(&online.with_input("base_salary", "2000000"))
        .unwrap();
    // 10% of 1 tỷ = 100 triệu; half off would be 50 triệu, capped at 5 × 2 triệu.
    assert_eq!(q.total.to_string(), "90000000");
}

#[test]
fn explanation_in_both_languages_cites_and_spells_the_total() {
    let lib = RuleLibrary::bundled().unwrap();
    let req = lephi::Request::new("notarization.land-transfer", "2024-01-01")
        .unwrap()
        .with_input("declared_value", "123456789");
    let q = lib.quote(&req).unwrap();
    let vi = lephi::explain(&q, lephi::Lang::Vi);
    assert!(vi.contains("257/2016/TT-BTC"), "{vi}");
    assert!(
        vi.contains("Làm tròn: 123.456,789\u{a0}₫ → 123.457\u{a0}₫"),
        "{vi}"
    );
    assert!(
        vi.contains("Một trăm hai mươi ba nghìn bốn trăm năm mươi bảy đồng"),
        "{vi}"
    );
    let en = lephi::explain(&q, lephi::Lang::En);
    assert!(
        en.contains("One hundred twenty-three thousand four hundred fifty-seven dong"),
        "{en}"
    );
    assert!(en.contains("[tt-257-2016-btc/land-transfer]"));
}

#[test]
fn the_receipt_names_the_postal_direction_and_zone_in_words() {
    let lib = RuleLibrary::bundled().unwrap();
    let req = lephi::Request::from_json(
        r#"{"procedure":"judicial-record.certificate","date":"2024-05-01","jurisdiction":"vn/khanh-hoa","postage":{"direction":"both","zone":"inter_district","weight_grams":100}}"#,
    )
    .unwrap();
    let q = lib.quote(&req).unwrap();
    let vi = lephi::explain(&q, lephi::Lang::Vi);
    assert!(
        vi.contains("Cước bưu chính (cả hai chiều, liên huyện (trong tỉnh), 100 g)"),
        "{vi}"
    );
    let en = lephi::explain(&q, lephi::Lang::En);
    assert!(
        en.contains("Postage (both ways, between districts (in the province), 100 g)"),
        "{en}"
    );
    // Every zone the library's tariffs use has words.
    let mut seen = 0;
    for date in [
        "2017-06-01",
        "2019-06-01",
        "2021-06-01",
        "2024-05-01",
        "2026-01-01",
    ] {
        let date = lephi::Date::parse(date).unwrap();
        for j in lib.jurisdictions() {
            for zone in lib.postal_zones(&j.id, date).unwrap_or_default() {
                assert!(
                    lephi::model::zone_names(zone).is_some(),
                    "`{zone}` ({}) has no words in model::ZONES",
                    j.id
                );
                seen += 1;
            }
        }
    }
    assert!(seen >= 10, "{seen}");
}

#[test]
fn merged_province_error_names_the_successor() {
    let lib = RuleLibrary::bundled().unwrap();
    let req = lephi::Request::new("driver-licence.issue", "2026-02-01")
        .unwrap()
        .with_jurisdiction("vn/tien-giang");
    let e = lib.quote(&req).unwrap_err();
    assert_eq!(e.code(), "jurisdiction_not_in_force");
    assert!(e.to_string().contains("`vn/dong-thap`"), "{e}");
}

#[test]
fn date_error_names_the_nearest_windows() {
    let lib = RuleLibrary::bundled().unwrap();
    let e = lib
        .quote(&lephi::Request::new("passport.issue", "2026-05-01").unwrap())
        .unwrap_err();
    assert_eq!(e.code(), "date_outside_windows");
    assert!(
        e.to_string()
            .contains("2023-12-01..2026-03-31 (tt-25-2021-btc/passport)"),
        "{e}"
    );
    // The same windows, structured, with the day a front end may offer to price instead.
    let lephi::ErrorKind::DateOutsideWindows { windows, .. } = e.kind() else {
        panic!("{e:?}")
    };
    assert_eq!(
        windows,
        &[lephi::RuleWindow {
            rule: "tt-25-2021-btc/passport".into(),
            from: "2023-12-01".into(),
            to: Some("2026-03-31".into()),
            nearest_day: "2026-03-31".into(),
            replaced_by: Some("28/2026/TT-BTC".into()),
            replaced_from: Some("2026-04-01".into()),
        }]
    );
    let details = lephi::json::error_details_text(&e);
    assert!(
        details.contains(r#""windows":[{"from":"2023-12-01","nearest_day":"2026-03-31","replaced_by":"28/2026/TT-BTC","replaced_from":"2026-04-01","rule":"tt-25-2021-btc/passport","to":"2026-03-31"}]"#),
        "{details}"
    );
    // The document that replaced the circular is in force, but sets no passport rate that
    // the library has: the message says so rather than only where the old rate ended.
    assert!(
        e.to_string().ends_with(
            "; `28/2026/TT-BTC` replaced that document from `2026-04-01`, and the library has no rate from it"
        ),
        "{e}"
    );
    assert!(
        e.text(lephi::Lang::Vi)
            .contains("`28/2026/TT-BTC` thay thế văn bản đó từ `2026-04-01`"),
        "{}",
        e.text(lephi::Lang::Vi)
    );
    // The same for a car registered after TT 60/2023 ended: TT 155/2025 replaced it and its
    // amounts were not read, so the error names it rather than pricing at the old rate.
    let car = lephi::Request::new("car-registration.first", "2026-01-01")
        .unwrap()
        .with_input("vehicle_zone", "kv3");
    let e = lib.quote(&car).unwrap_err();
    assert_eq!(e.code(), "date_outside_windows");
    assert!(
        e.to_string().ends_with(
            "; `155/2025/TT-BTC` replaced that document from `2026-01-01`, and the library has no rate from it"
        ),
        "{e}"
    );
    // Before the window, or while the old circular is still in force elsewhere, no successor.
    let before = lib
        .quote(&lephi::Request::new("passport.issue", "2020-05-01").unwrap())
        .unwrap_err();
    assert!(!before.to_string().contains("replaced"), "{before}");
    // Before a window opens, its first day; an open window has no `to`.
    let early = lib
        .quote(&lephi::Request::new("judicial-record.certificate", "2000-01-01").unwrap())
        .unwrap_err();
    let details = lephi::json::error_details_text(&early);
    assert!(
        details.contains(r#""windows":[{"from":"2017-01-01","nearest_day":"2017-01-01","rule":"tt-244-2016-btc/certificate"}]"#),
        "{details}"
    );
}

#[test]
fn search_ignores_diacritics() {
    let lib = RuleLibrary::bundled().unwrap();
    let a: Vec<&str> = lib
        .search_procedures("lý lịch")
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let b: Vec<&str> = lib
        .search_procedures("ly lich")
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(a, ["judicial-record.certificate"]);
    assert_eq!(a, b);
}

#[test]
fn fingerprint_changes_with_the_rules_used() {
    let lib = RuleLibrary::bundled().unwrap();
    let q1 = lib
        .quote(&lephi::Request::new("driver-licence.issue", "2024-05-01").unwrap())
        .unwrap();
    let q2 = lib
        .quote(&lephi::Request::new("passport.issue", "2024-05-01").unwrap())
        .unwrap();
    assert!(q1.fingerprint.starts_with("sha256:") && q1.fingerprint.len() == 71);
    assert_ne!(q1.fingerprint, q2.fingerprint);
}

#[test]
fn vietnamese_receipts_carry_vietnamese_warnings() {
    let lib = lephi::RuleLibrary::bundled().unwrap();
    let req = lephi::Request::new("driver-licence.issue", "2025-12-15")
        .unwrap()
        .with_channel(lephi::Channel::OnlineFull);
    let q = lib.quote(&req).unwrap();
    let vi = lephi::explain(&q, lephi::Lang::Vi);
    assert!(
        vi.contains("hết hiệu lực ngày `2025-12-31` (16 ngày sau ngày nộp)"),
        "{vi}"
    );
    assert!(vi.contains("lấy từ nguồn thứ cấp"), "{vi}");
    assert!(!vi.contains("comes from a secondary source"), "{vi}");
    let en = lephi::explain(&q, lephi::Lang::En);
    assert!(
        en.contains("ends on `2025-12-31` (16 days after the request date)"),
        "{en}"
    );
}

#[test]
fn the_precompiled_library_is_the_yaml_library() {
    assert!(
        RuleLibrary::bundled_is_precompiled(),
        "rules/compiled.jsonl is stale: run `cargo run -p lephi-cli -- compile > rules/compiled.jsonl`"
    );
    let fast = RuleLibrary::bundled().unwrap();
    let slow = RuleLibrary::from_sources(RuleLibrary::bundled_sources()).unwrap();
    assert_eq!(lephi::catalog::render(&fast), lephi::catalog::render(&slow));
    let ids: Vec<String> = slow.procedures().map(|p| p.id.clone()).collect();
    let mut compared = 0;
    for id in &ids {
        for jur in [
            "vn",
            "vn/ha-noi",
            "vn/quang-tri",
            "vn/binh-duong",
            "vn/ha-tinh",
        ] {
            for date in ["2019-06-01", "2024-05-01", "2026-09-01"] {
                for channel in ["in_person", "online_full"] {
                    let req = format!(
                        r#"{{"procedure":"{id}","jurisdiction":"{jur}","date":"{date}","channel":"{channel}","applicant":{{"categories":["digital_citizen"]}},"inputs":{{"base_amount":"100000","declared_value":"800000000","pages":3,"registration":"first","area":"other","vehicle_zone":"kv2","land_assets":"land_only","base_salary":"2000000"}}}}"#
                    );
                    assert_eq!(fast.quote_json(&req), slow.quote_json(&req), "{req}");
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 500);
    // Errors in added files keep their file:line:column.
    let err = RuleLibrary::bundled_with(&[("extra.yaml", "document:\n  id: x\n  colour: red\n")])
        .unwrap_err();
    assert_eq!(err.code(), "rule_syntax");
    assert_eq!(err.location().map(|l| l.line), Some(3));
}

#[test]
fn compiled_rules_load_like_their_yaml() {
    let compiled = std::fs::read(root().join("rules/compiled.bin")).unwrap();
    let from_compiled = RuleLibrary::from_compiled("compiled.bin", &compiled).unwrap();
    let from_yaml = RuleLibrary::from_sources(RuleLibrary::bundled_sources()).unwrap();
    assert_eq!(from_compiled.fingerprint(), from_yaml.fingerprint());
    assert_eq!(
        lephi::catalog::render(&from_compiled),
        lephi::catalog::render(&from_yaml)
    );
    // A validation error names the YAML file and the item's line and column in it. Compiling
    // validates, so make the compiled `c.yaml` (sorted first) rename `vn/zz`, which `d.yaml`
    // then refers to in vain.
    let country = "document: {id: c, number: '1', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}\njurisdictions:\n  - {id: vn, name: {vi: Việt Nam}}\n  - {id: vn/zz, name: {vi: Z}, parent: vn, gso: '98'}\n";
    let doc = "document: {id: d, number: '2', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}\njurisdictions:\n  - {id: vn/x, name: {vi: X}, parent: vn/zz, gso: '99'}\n";
    let both = RuleLibrary::compile(&[("c.yaml", country), ("d.yaml", doc)]).unwrap();
    // Files are written in name order, whatever order they come in.
    assert_eq!(
        RuleLibrary::compile(&[("d.yaml", doc), ("c.yaml", country)]).unwrap(),
        both
    );
    assert_eq!(
        RuleLibrary::from_compiled("x.bin", &both)
            .unwrap()
            .jurisdictions()
            .count(),
        3
    );
    let at = both
        .windows(5)
        .position(|w| w == b"vn/zz")
        .expect("the packed id");
    let mut renamed = both.clone();
    renamed[at + 4] = b'y';
    let err = RuleLibrary::from_compiled("x.bin", &renamed).unwrap_err();
    assert_eq!(err.code(), "rule_unknown_reference", "{err}");
    let loc = err.location().unwrap();
    assert_eq!((loc.file.as_str(), loc.line), ("d.yaml", 3));
    // A name the header cannot hold is refused when compiling, not written unreadable.
    let errors = RuleLibrary::compile(&[("c.yaml", country), ("d\n.yaml", doc)]).unwrap_err();
    assert_eq!(errors[0].code(), "rule_syntax");
    // Anything that is not compiled rules of this model: `rule_syntax` at the given name,
    // saying to compile again.
    for bad in [
        b"document: {id: d}".to_vec(),
        both.get(..both.len() - 3).unwrap().to_vec(),
        [both.as_slice(), b"x"].concat(),
        String::from_utf8_lossy(&both)
            .replacen("model ", "model 0", 1)
            .into_bytes(),
        Vec::new(),
    ] {
        let err = RuleLibrary::from_compiled("x.bin", &bad).unwrap_err();
        assert_eq!(err.code(), "rule_syntax", "{err}");
        assert_eq!(err.location().map(|l| l.file.as_str()), Some("x.bin"));
        assert!(err.to_string().contains("compile"), "{err}");
    }
    // The header is the only place of each file's name and digest (format 2): a damaged or
    // older header is refused with what was wrong, never read as other files.
    let end = both.windows(2).position(|w| w == b"\n\n").unwrap();
    let (header, body) = both.split_at(end);
    let header = std::str::from_utf8(header).unwrap();
    for (damage, says) in [
        (header.replacen("format 2", "format 1", 1), "another format"),
        (header.replacen("files 2", "files 1", 1), "disagree"),
        (header.replacen('\t', " ", 1), "is not `<path>\\t<SHA-256>`"),
        (
            header.replacen("c.yaml\t", "c.yaml\tx", 1),
            "is not `<path>\\t<SHA-256>`",
        ),
    ] {
        let bad = [damage.as_bytes(), body].concat();
        let err = RuleLibrary::from_compiled("x.bin", &bad).unwrap_err();
        assert_eq!(err.code(), "rule_syntax", "{err}");
        assert!(err.to_string().contains(says), "{err}");
    }
    // Intact, the header's names are the files' names in errors and the digests their
    // fingerprints.
    let lib = RuleLibrary::from_compiled("x.bin", &both).unwrap();
    let yaml = RuleLibrary::from_sources(&[("c.yaml", country), ("d.yaml", doc)]).unwrap();
    assert_eq!(lib.fingerprint(), yaml.fingerprint());
}

#[test]
fn a_source_named_like_an_embedded_file_replaces_it() {
    let name = "vn/national/tt-63-2023-btc.yaml";
    let original = RuleLibrary::bundled_sources()
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1;
    // Without TT 63's adjustments the online licence costs the Biểu rate.
    let cut = original.split("adjustments:").next().unwrap();
    let lib = RuleLibrary::bundled_with(&[(name, cut)]).unwrap();
    let req = lephi::Request::new("driver-licence.issue", "2024-05-01")
        .unwrap()
        .with_channel(lephi::Channel::OnlineFull);
    assert_eq!(lib.quote(&req).unwrap().total.to_string(), "135000");
    let lib = RuleLibrary::bundled().unwrap();
    assert_eq!(lib.quote(&req).unwrap().total.to_string(), "115000");
}

/// Every reason the engine gives for refusing postage reads in Vietnamese, keeping its quoted
/// zone, place, date and amounts.
#[test]
fn postage_refusals_read_in_vietnamese() {
    let lib = RuleLibrary::bundled().unwrap();
    let engine = crate::common::engine_library();
    let cases = [
        (
            &lib,
            r#"{"procedure":"judicial-record.certificate","jurisdiction":"vn/ha-tinh","date":"2022-12-31","postage":{"direction":"return","zone":"inner_city","weight_grams":100}}"#,
            "không tính được cước bưu chính: không có biểu cước bưu chính nào có hiệu lực tại `vn/ha-tinh` vào ngày `2022-12-31`",
        ),
        (
            &lib,
            r#"{"procedure":"driver-licence.issue","jurisdiction":"vn/ha-tinh","date":"2024-05-01","postage":{"direction":"return","zone":"inter_province","weight_grams":100}}"#,
            "không tính được cước bưu chính: vùng `inter_province` không có biểu cước tại `vn/ha-tinh` vào ngày `2024-05-01` (các vùng có cước: `inner_city`)",
        ),
        (
            &lib,
            r#"{"procedure":"nationality.restore","jurisdiction":"vn/binh-duong","date":"2021-03-01","postage":{"direction":"send","zone":"intra_district","weight_grams":100,"collect_fees":true}}"#,
            "không tính được cước bưu chính: `bd-bcci-2018/dossier` không công bố cước thu hộ cho khoản phí 2.500.000 đ; hãy tính không kèm `collect_fees` hoặc nộp phí trực tiếp cho cơ quan",
        ),
        (
            &engine,
            r#"{"procedure":"e.fixed","date":"2024-03-01","postage":{"direction":"send","zone":"inter_province","weight_grams":101}}"#,
            "không tính được cước bưu chính: biểu cước của vùng `inter_province` chỉ công bố giá đến 100 g, mà hồ sơ nặng 101 g",
        ),
    ];
    for (lib, request, vi) in cases {
        let request = lephi::Request::from_json(request).unwrap();
        let e = lib.quote(&request).unwrap_err();
        assert_eq!(e.code(), "postage_unavailable", "{e}");
        assert_eq!(e.text(lephi::Lang::Vi), vi, "{e}");
    }
}

/// Fills in what `missing_inputs` asks for, as a form does: each choice's first value, then
/// asks again (an input behind a choice is listed once the choice is made); counts and money
/// get a plain value. `None` if the request cannot be asked about (date, place).
fn filled_in(lib: &RuleLibrary, mut req: lephi::Request) -> Option<lephi::Request> {
    use lephi::model::InputKind;
    for _ in 0..16 {
        let need = lib.missing_inputs(&req).ok()?;
        if need.is_empty() {
            break;
        }
        for n in need {
            req = match n.kind {
                InputKind::Choice => req.with_input(n.name, n.allowed[0].as_str()),
                InputKind::Money => req.with_input(n.name, "1000000"),
                InputKind::Count => req.with_input(n.name, n.min.unwrap_or(1).max(1)),
            };
        }
    }
    Some(req)
}

/// Every input a quote of the library can need is one `missing_inputs` lists, choices
/// followed: after filling in what it asks, no quote fails for a missing input, on any
/// procedure, place, date, channel, applicant kind or (at a few places) situation. The
/// estimator builds its form this way. What may still refuse: no rule on the date or in the
/// place, and a rule that prices only some applicants.
#[test]
fn what_missing_inputs_asks_for_is_enough_to_quote() {
    use lephi::{ApplicantKind, Channel};
    let lib = RuleLibrary::bundled().unwrap();
    let procedures: Vec<&str> = lib.procedures().map(|p| p.id.as_str()).collect();
    let places: Vec<&str> = lib.jurisdictions().map(|j| j.id.as_str()).collect();
    let situations = [
        "vn",
        "vn/ha-noi",
        "vn/ha-tinh",
        "vn/quang-ngai",
        "vn/ha-nam",
    ];
    let (mut quoted, mut unexpected) = (0, Vec::new());
    for date in ["2022-06-01", "2024-05-01", "2025-09-01", "2026-09-01"] {
        for procedure in &procedures {
            for place in &places {
                let base = lephi::Request::new(procedure, date)
                    .unwrap()
                    .with_jurisdiction(place);
                let mut requests = Vec::new();
                for kind in [ApplicantKind::Individual, ApplicantKind::Organisation] {
                    for channel in [Channel::InPerson, Channel::OnlineFull] {
                        requests.push(base.clone().with_applicant_kind(kind).with_channel(channel));
                    }
                }
                if situations.contains(place) {
                    for (category, _, _) in lephi::model::CATEGORIES {
                        requests.push(
                            base.clone()
                                .with_channel(Channel::OnlineFull)
                                .with_category(category),
                        );
                    }
                }
                for req in requests {
                    let Some(req) = filled_in(&lib, req) else {
                        continue;
                    };
                    match lib.quote(&req) {
                        Ok(_) => quoted += 1,
                        Err(e) => match e.code() {
                            "date_outside_windows" | "not_priced_in_jurisdiction" => {}
                            "invalid_input" if e.to_string().contains("`applicant_kind`") => {}
                            _ => unexpected.push(format!("{}: {e}", req.to_json())),
                        },
                    }
                }
            }
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
    assert!(quoted > 10_000, "only {quoted} quotes");
}

/// Every computation, effect, rounding label and reason the rule tests' quotes give is read
/// in Vietnamese on a Vietnamese receipt: no word of the engine's English phrases is left
/// (the words are gathered from the quotes themselves, so a new phrase without Vietnamese
/// fails here). Money inputs keep their ids; counts and choices get their Vietnamese names.
#[test]
fn vietnamese_receipts_render_every_computation_in_vietnamese() {
    #[derive(serde::Deserialize)]
    struct File {
        cases: Vec<Case>,
    }
    #[derive(serde::Deserialize)]
    struct Case {
        request: lephi::Request,
    }
    let (_, tests) = rules_and_tests();
    let lib = RuleLibrary::bundled().unwrap();
    let mut texts = std::collections::BTreeSet::new();
    for (_, text) in &tests {
        let file: File = serde_saphyr::from_str(text).unwrap();
        for case in file.cases {
            let Ok(q) = lib.quote(&case.request) else {
                continue;
            };
            for l in &q.lines {
                texts.insert(l.computation.to_string());
                for a in &l.adjustments {
                    texts.insert(a.effect.to_string());
                    texts.extend(a.reason.map(str::to_string));
                }
                texts.extend(l.rounding.as_ref().map(|r| r.rule.clone()));
            }
            if let Some(p) = &q.postage {
                texts.insert(p.computation.to_string());
            }
        }
    }
    assert!(texts.len() > 100, "{}", texts.len());
    let kept = ["base_amount", "declared_value", "base_salary", "g"];
    let english: std::collections::BTreeSet<&str> = texts
        .iter()
        .flat_map(|t| t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter(|w| !kept.contains(w))
        .collect();
    assert!(english.contains("fixed") && english.contains("copies"));
    for t in &texts {
        let vi = lephi::formula_text(t, lephi::Lang::Vi);
        let left: Vec<&str> = vi
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| english.contains(w))
            .collect();
        assert!(left.is_empty(), "{t:?} → {vi:?} keeps {left:?}");
        assert_eq!(lephi::formula_text(t, lephi::Lang::En), t.as_str());
    }
}

#[test]
fn a_syntax_error_in_a_rule_test_file_says_it_is_a_rule_test_file() {
    let lib = RuleLibrary::bundled().unwrap();
    let tests = "cases:\n  - name: x\n    request: {procedure: driver-licence.issue, date: 2024-05-01, inputs: {copies: -1}}\n    expect: {total: 1}\n";
    let e = lephi::testing::run(&lib, &[("t.test.yaml", tests)])
        .err()
        .unwrap();
    assert_eq!(e.code(), "rule_syntax");
    assert!(
        e.to_string()
            .starts_with("t.test.yaml:3:83: invalid rule test file: `-1` is negative"),
        "{e}"
    );
}

/// The replacing document is named only once it is in force: in a gap between the two, the
/// date error names the old window alone.
#[test]
fn a_replacing_document_is_named_only_while_it_is_in_force() {
    let old = "document: {id: old, number: '1/2020/TT-BTC', title: t, issuer: i, kind: circular, in_force_from: 2020-01-01, in_force_to: 2024-12-31, replaced_by: new, confidence: verified}
jurisdictions: [{id: vn, name: {vi: Việt Nam}}]
procedures: [{id: p, name: {vi: P}, fees: [p]}]
fees: [{id: f, item: p, kind: le_phi, name: {vi: F}, article: 'Điều 1', basis: {fixed: 1000}}]
";
    let new = "document: {id: new, number: '2/2025/TT-BTC', title: t, issuer: i, kind: circular, in_force_from: 2025-06-01, replaces: [old], confidence: verified}\n";
    let lib = RuleLibrary::from_sources(&[("old.yaml", old), ("new.yaml", new)]).unwrap();
    let at = |date: &str| {
        lib.quote(&lephi::Request::new("p", date).unwrap())
            .unwrap_err()
            .to_string()
    };
    assert!(
        !at("2025-03-01").contains("replaced"),
        "{}",
        at("2025-03-01")
    );
    assert!(
        at("2025-07-01").ends_with(
            "; `2/2025/TT-BTC` replaced that document from `2025-06-01`, and the library has no rate from it"
        ),
        "{}",
        at("2025-07-01")
    );
}

/// `testing::mutants` changes each figure in turn and reports the changes no case notices; a
/// figure marked `mutant-equivalent` on its line is left alone. The embedded library has no
/// survivor (`lephi test rules --mutants` in the test command checks the same).
#[test]
fn mutation_testing_reports_figures_no_case_checks() {
    let rules = "document: {id: d, number: '1', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}
jurisdictions: [{id: vn, name: {vi: VN}}]
procedures: [{id: p, name: {vi: P}, fees: [p]}]
fees:
  - {id: f, item: p, kind: le_phi, name: {vi: F}, article: 'Điều 1', basis: {fixed: 1000}, valid_to: 2024-12-31}
";
    // Mutants of `rules` against `tests`, and their survivors as `place: key item`.
    let mutate = |rules: &str, tests: &str| {
        lephi::testing::mutants(&[("d.yaml", rules)], &[("d.test.yaml", tests)]).unwrap()
    };
    let survivors = |rules: &str, tests: &str| -> Vec<String> {
        mutate(rules, tests)
            .survivors
            .iter()
            .map(|s| format!("{}: {} {}", s.location, s.key, s.from))
            .collect()
    };
    let weak = "cases:\n  - {name: only the error, request: {procedure: p, date: 2023-12-31}, expect: {error: date_outside_windows}}\n  - {name: applied only, request: {procedure: p, date: 2024-06-01}, expect: {applied: []}}\n";
    let report = mutate(rules, weak);
    assert_eq!(report.tried, 3);
    let survived: Vec<(&str, &str, &str)> = report
        .survivors
        .iter()
        .map(|s| (s.key.as_str(), s.from.as_str(), s.to.as_str()))
        .collect();
    assert_eq!(
        survived,
        [
            ("in_force_from", "2024-01-01", "2024-01-02"),
            ("fixed", "1000", "999"),
            ("valid_to", "2024-12-31", "2024-12-30")
        ]
    );
    assert_eq!(report.survivors[1].location.to_string(), "d.yaml:5:85");
    // Cases on both edges that check the amount notice every change.
    let strong = "cases:\n  - {name: first day, request: {procedure: p, date: 2024-01-01}, expect: {total: 1000}}\n  - {name: last day, request: {procedure: p, date: 2024-12-31}, expect: {total: 1000}}\n";
    let report = mutate(rules, strong);
    assert_eq!((report.tried, report.survivors.len()), (3, 0), "{report:?}");
    // A figure marked equivalent is not changed.
    let marked = rules.replace(
        "in_force_from: 2024-01-01, confidence: verified}",
        "in_force_from: 2024-01-01, confidence: verified}  # mutant-equivalent: in_force_from, a test",
    );
    let report = mutate(&marked, weak);
    assert_eq!((report.tried, report.survivors.len()), (2, 2), "{report:?}");
    // Each item of what an adjustment applies to is left out in turn: a channel no case
    // files through survives, unless its line marks it.
    let with_online = format!(
        "{rules}adjustments:\n  - {{id: online, name: {{vi: O}}, article: 'Điều 2', applies_to: {{items: [p]}}, when: {{channels: [online_partial, online_full]}}, effect: exempt}}\n"
    );
    let online_full = format!(
        "{strong}  - {{name: online, request: {{procedure: p, date: 2024-06-01, channel: online_full}}, expect: {{total: 0}}}}\n"
    );
    assert_eq!(
        survivors(&with_online, &online_full),
        ["d.yaml:7:96: channels online_partial"]
    );
    let marked = with_online.replace(
        "effect: exempt}",
        "effect: exempt}  # mutant-equivalent: channels online_partial, a test",
    );
    let report = mutate(&marked, &online_full);
    assert_eq!((report.tried, report.survivors.len()), (4, 0), "{report:?}");
    // A later item is shown at its own place, not at the separator before it.
    let online_partial = online_full.replace("channel: online_full", "channel: online_partial");
    assert_eq!(
        survivors(&with_online, &online_partial),
        ["d.yaml:7:112: channels online_full"]
    );
    // Each condition of a `when` is left out in turn: a case must show who does not get it.
    let for_students = with_online.replace(
        "when: {channels: [online_partial, online_full]}",
        "when: {applicant_kind: individual, categories: [student]}",
    );
    let student = format!("{strong}  - {{name: s, request: {{procedure: p, date: 2024-06-01, applicant: {{categories: [student]}}}}, expect: {{total: 0}}}}\n");
    // The cases without a category already show that it is for students; none shows that it
    // is for persons only.
    assert_eq!(
        survivors(&for_students, &student),
        ["d.yaml:7:85: when applicant_kind"]
    );
    let others = format!("{student}  - {{name: o, request: {{procedure: p, date: 2024-06-01, applicant: {{kind: organisation, categories: [student]}}}}, expect: {{total: 1000}}}}\n");
    assert_eq!(survivors(&for_students, &others), Vec::<String>::new());
    // A case that fails before any change is an error, not a report.
    let failing = "cases:\n  - {name: wrong, request: {procedure: p, date: 2024-06-01}, expect: {total: 1}}\n";
    let e = lephi::testing::mutants(&[("d.yaml", rules)], &[("d.test.yaml", failing)]).unwrap_err();
    assert!(
        e.to_string()
            .contains("case `wrong` at d.test.yaml:2:5 fails before any change"),
        "{e}"
    );
}

/// `message` with `error` checks what the error says, not only its code.
#[test]
fn a_rule_test_can_check_what_an_error_says() {
    let lib = RuleLibrary::bundled().unwrap();
    let case = |message: &str| {
        format!("cases:\n  - name: car 2026\n    request: {{procedure: car-registration.first, date: 2026-01-01, inputs: {{vehicle_zone: kv3}}}}\n    expect: {{error: date_outside_windows, message: \"{message}\"}}\n")
    };
    let good = case("`155/2025/TT-BTC` replaced that document");
    let report = lephi::testing::run(&lib, &[("t.test.yaml", good.as_str())]).unwrap();
    assert_eq!((report.passed, report.failures.len()), (1, 0));
    let bad = case("`28/2026/TT-BTC`");
    let report = lephi::testing::run(&lib, &[("t.test.yaml", bad.as_str())]).unwrap();
    let [f] = report.failures.as_slice() else {
        panic!("{report:?}")
    };
    assert!(
        f.message
            .starts_with("the error does not say \"`28/2026/TT-BTC`\": "),
        "{}",
        f.message
    );
    let quote = "cases:\n  - {name: q, request: {procedure: passport.issue, date: 2024-05-01}, expect: {total: 200000, message: x}}\n";
    let report = lephi::testing::run(&lib, &[("t.test.yaml", quote)]).unwrap();
    assert_eq!(
        report.failures.first().map(|f| f.message.as_str()),
        Some("`message` is what an error says: give `error` with it")
    );
}
