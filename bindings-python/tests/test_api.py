from __future__ import annotations

import datetime as dt
import json
import pickle
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

import lephi
from conftest import SCENARIO


def test_quote_is_exact_and_cited(engine: lephi.Engine) -> None:
    q = engine.quote(procedure="driver-licence.issue", date="2024-05-01", channel="online_full")
    assert q.total == Decimal("115000") and isinstance(q.total, Decimal)
    assert q.fees_total == Decimal("115000") and q.postage_total == Decimal("0")
    (line,) = q.lines
    assert line.base == Decimal("135000") and line.amount == Decimal("115000")
    assert line.basis["number"] == "37/2023/TT-BTC"
    (adj,) = line.adjustments
    assert adj.rule == "tt-63-2023-btc/driver-licence-online"
    assert adj.delta == Decimal("-20000") and adj.basis["number"] == "63/2023/TT-BTC"
    assert q.rule_ids == ("tt-37-2023-btc/driver-licence", "tt-63-2023-btc/driver-licence-online")
    assert q.fingerprint.startswith("sha256:") and len(q.fingerprint) == 71
    assert q.date == dt.date(2024, 5, 1) and q.channel == "online_full" and q.currency == "VND"


def test_dict_request_and_keywords_agree(engine: lephi.Engine) -> None:
    a = engine.quote({"procedure": "driver-licence.issue", "date": "2024-05-01"}, channel="online_full")
    b = engine.quote(procedure="driver-licence.issue", date=dt.date(2024, 5, 1), channel="level_4")
    assert a.total == b.total == Decimal("115000")
    assert a.to_json() == b.to_json()


def test_temporary_online_rate_ends_by_itself(engine: lephi.Engine) -> None:
    before = engine.quote(procedure="driver-licence.issue", date="2025-12-31", channel="online_full")
    after = engine.quote(procedure="driver-licence.issue", date="2026-01-01", channel="online_full")
    assert before.total == Decimal("115000")
    assert after.total == Decimal("135000")


def test_postage_with_provincial_subsidy(engine: lephi.Engine) -> None:
    q = engine.quote(
        procedure="driver-licence.issue",
        date="2024-05-01",
        jurisdiction="vn/ha-tinh",
        channel="online_full",
        postage={"direction": "return", "zone": "inner_city", "weight_grams": 100},
    )
    p = q.postage
    assert p is not None
    assert (p.tariff, p.subsidy, p.applicant) == (Decimal("26000"), Decimal("16000"), Decimal("10000"))
    assert q.total == Decimal("125000")


def test_numpy_integers_and_booleans_are_request_values(engine: lephi.Engine) -> None:
    np = pytest.importorskip("numpy")
    postage = {"direction": "send", "zone": "inter_district", "weight_grams": 100, "collect_fees": True}
    request = {"procedure": "driver-licence.issue", "date": "2024-05-01", "jurisdiction": "vn/khanh-hoa"}
    plain = engine.quote({**request, "postage": postage})
    numpy = engine.quote({**request, "postage": {**postage, "weight_grams": np.int64(100), "collect_fees": np.True_}})
    assert numpy.to_json() == plain.to_json()
    with pytest.raises(TypeError, match="has type complex; expected str, int, bool, Decimal, date, list or dict"):
        engine.quote({**request, "inputs": {"copies": 3 + 0j}})


def test_money_as_float_is_a_type_error_with_the_fix(engine: lephi.Engine) -> None:
    with pytest.raises(TypeError, match=r"declared_value.*Decimal"):
        engine.quote(procedure="registration-fee.car", date="2024-05-01", inputs={"declared_value": 5e8})
    with pytest.raises(TypeError):
        lephi.format_vnd(1.5)  # type: ignore[arg-type]
    # every request entry point refuses floats the same way
    with pytest.raises(TypeError, match=r"weight_grams"):
        engine.compare_channels(procedure="driver-licence.issue", date="2024-05-01", jurisdiction="vn/ha-tinh",
                                postage={"direction": "return", "zone": "inner_city", "weight_grams": 100.0})
    with pytest.raises(TypeError, match=r"declared_value"):
        engine.explain(procedure="registration-fee.car", date="2024-05-01", inputs={"declared_value": 5e8})
    # A float count is refused with a message that fits a count, not only money.
    with pytest.raises(TypeError, match=r"`request\.inputs\.pages` is a float \(nan\); .*counts and grams are whole numbers"):
        engine.quote(procedure="certified-copy.from-original", date="2024-05-01", inputs={"pages": float("nan")})


def test_decimal_int_and_str_money_agree(engine: lephi.Engine) -> None:
    base = {"procedure": "registration-fee.house-land", "date": "2024-05-01"}
    totals = {
        engine.quote(base, inputs={"declared_value": v}).total
        for v in (Decimal("1000000000"), 1_000_000_000, "1000000000")
    }
    assert len(totals) == 1


def test_error_hierarchy(engine: lephi.Engine) -> None:
    with pytest.raises(lephi.UnknownProcedure) as e1:
        engine.quote(procedure="driver-licence.isue", date="2024-05-01")
    assert e1.value.candidates == ["driver-licence.issue"]
    assert isinstance(e1.value, lephi.LephiError) and isinstance(e1.value, ValueError)
    assert e1.value.code == "unknown_procedure"

    with pytest.raises(lephi.UnknownJurisdiction) as e2:
        engine.quote(procedure="driver-licence.issue", date="2024-05-01", jurisdiction="vn/quang-ngia")
    assert "vn/quang-ngai" in e2.value.candidates

    with pytest.raises(lephi.NoRuleInForce) as e3:
        engine.quote(procedure="driver-licence.issue", date="2019-05-01")
    assert e3.value.code == "date_outside_windows"
    assert any("2023-08-01" in w for w in e3.value.nearest)
    assert {"rule": "tt-37-2023-btc/driver-licence", "from": "2023-08-01", "to": "2025-12-31",
            "nearest_day": "2023-08-01"} in e3.value.windows
    # After the window, the document that replaced the circular (its rates not read) is named.
    with pytest.raises(lephi.NoRuleInForce) as e5:
        engine.quote(procedure="passport.issue", date="2026-12-07")
    assert e5.value.windows[0]["replaced_by"] == "28/2026/TT-BTC"
    assert e5.value.windows[0]["replaced_from"] == "2026-04-01"
    assert "`28/2026/TT-BTC` thay thế văn bản đó" in e5.value.message_vi

    with pytest.raises(lephi.JurisdictionNotInForce) as e4:
        engine.quote(procedure="driver-licence.issue", date="2026-05-01", jurisdiction="vn/tien-giang")
    assert e4.value.successors == ["vn/dong-thap"]

    with pytest.raises(lephi.MissingInput) as e5:
        engine.quote(procedure="registration-fee.car", date="2024-05-01")
    assert e5.value.name is not None

    with pytest.raises(lephi.InvalidInput) as e6:
        engine.quote(procedure="driver-licence.issue", date="2024-05-01", applicant={"categories": ["studnet"]})
    assert "student" in e6.value.candidates


def test_errors_pickle(engine: lephi.Engine) -> None:
    with pytest.raises(lephi.UnknownProcedure) as info:
        engine.quote(procedure="nope", date="2024-05-01")
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is lephi.UnknownProcedure
    assert str(again) == str(info.value) and again.details == info.value.details


def test_rule_file_errors_have_a_location(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "document:\n  id: bad\n  number: '1'\n  title: t\n  issuer: i\n  kind: circular\n"
        "  in_force_from: 2024-13-01\n  confidence: verified\n",
        encoding="utf-8",
    )
    with pytest.raises(lephi.RuleFileError) as info:
        lephi.Engine.from_dir(tmp_path)
    assert info.value.path == "bad.yaml"
    assert info.value.line == 7 and info.value.column is not None


def test_rule_text_errors_match_the_other_runtimes() -> None:
    # The same text and expectations as the WebAssembly package's test: one YAML reader.
    head = (
        "document: {id: d, number: '1', title: t, issuer: i, kind: circular, "
        "in_force_from: 2024-01-01, confidence: verified}\n"
    )
    bad = head + "procedures:\n  - id: p\n    name: {vi: P}\n    fees: [x]\n    colour: red\n"
    for text in (bad, bad.replace("\n", "\r\n")):
        with pytest.raises(lephi.RuleFileError) as info:
            lephi.Engine.from_rules(text)
        assert (info.value.line, info.value.column) == (6, 5)
        assert "unknown field `colour`, expected one of `id`, `name`, `codes`, `fees`, `keywords`" in str(
            info.value
        )


def test_quote_pickles_repr_and_html(engine: lephi.Engine) -> None:
    q = engine.quote(procedure="judicial-record.certificate", date="2024-05-01", inputs={"copies": 3})
    again = pickle.loads(pickle.dumps(q))
    assert again == q and again.total == q.total
    assert again.explain("en") == q.explain("en")
    assert repr(q).startswith("Quote(procedure='judicial-record.certificate'")
    assert "total=Decimal(" in repr(q)
    html = q._repr_html_()
    assert "<table>" in html and "205.000" in html


def test_explain_in_both_languages(engine: lephi.Engine) -> None:
    q = engine.quote(procedure="driver-licence.issue", date="2024-05-01", channel="online_full")
    vi, en = q.explain("vi"), q.explain()
    assert "Một trăm mười lăm nghìn đồng" in vi and "115.000\u00a0₫" in vi
    assert vi == en  # default language is Vietnamese
    assert "One hundred fifteen thousand" in q.explain("en")
    with pytest.raises(lephi.InvalidInput):
        q.explain("fr")


def test_compare_channels(engine: lephi.Engine) -> None:
    c = engine.compare_channels(procedure="driver-licence.issue", date="2024-05-01")
    assert c.totals["in_person"] == Decimal("135000")
    assert c.totals["online_full"] == Decimal("115000")
    assert c.online_saving == Decimal("20000")
    assert c.quotes["online_full"].explain("en") == engine.explain(
        procedure="driver-licence.issue", date="2024-05-01", channel="online_full", lang="en"
    )


def test_missing_inputs(engine: lephi.Engine) -> None:
    need = engine.missing_inputs(procedure="certified-copy.from-original", date="2024-05-01")
    pages = next(n for n in need if n["name"] == "pages")
    assert pages["required"] is True and pages["kind"] == "count" and pages["choices"] == []
    # A choice's values come with their names, for a form to show.
    (zone,) = engine.missing_inputs(procedure="registration-fee.motorbike", date="2024-05-01")
    assert zone["allowed"] == ["first", "later"]
    assert zone["choices"][0] == {"label": {"en": "First registration", "vi": "Lần đầu"}, "value": "first"}


def test_sources_are_the_documents_a_quote_rests_on(engine: lephi.Engine) -> None:
    req = {"procedure": "driver-licence.issue", "date": "2024-05-01", "jurisdiction": "vn/ha-tinh",
           "channel": "online_full", "postage": {"direction": "return", "zone": "inner_city", "weight_grams": 100}}
    sources = engine.sources(req)
    assert [d["id"] for d in sources] == ["ht-bcci-return-subsidy", "tt-37-2023-btc", "tt-63-2023-btc", "vn-jurisdictions"]
    subsidy = sources[0]
    assert subsidy["confidence"] == "unverified" and subsidy["kind"] == "tariff"
    assert subsidy["in_force_from"] == "2023-01-01" and "in_force_to" not in subsidy
    assert subsidy["notes"].startswith("From news reports of 2022–2023 only")
    # Every document the quote cites is among them, and the bytes are the core's.
    cited = {line["basis"]["document"] for line in engine.quote(req).to_dict()["lines"]}
    assert cited <= {d["id"] for d in sources}
    assert json.dumps(sources, ensure_ascii=False, separators=(",", ":"), sort_keys=True) == \
        engine._native.sources_json(json.dumps(req))
    with pytest.raises(lephi.errors.LephiError) as err:
        engine.sources(procedure="driver-licence.issue", date="1990-01-01")
    assert err.value.code == "date_outside_windows"


def test_procedures_search_with_or_without_diacritics(engine: lephi.Engine) -> None:
    a = [p["id"] for p in engine.procedures("hộ chiếu")]
    b = [p["id"] for p in engine.procedures("ho chieu")]
    assert a == b and "passport.issue" in a
    # decomposed text (NFD), as some keyboards and pasted file names give it
    assert [p["id"] for p in engine.procedures(unicodedata.normalize("NFD", "HỘ CHIẾU"))] == a
    all_ = engine.procedures()
    assert len(all_) >= 25 and {"id", "name_vi", "name_en", "codes", "fees"} <= set(all_[0])


def test_jurisdictions_by_date(engine: lephi.Engine) -> None:
    old = {j["id"] for j in engine.jurisdictions("2024-01-01")}
    new = {j["id"] for j in engine.jurisdictions(dt.date(2026, 1, 1))}
    assert "vn/tien-giang" in old and "vn/tien-giang" not in new and "vn/dong-thap" in new




def test_postal_zones_by_place_and_date(engine: lephi.Engine) -> None:
    assert engine.postal_zones("vn/ha-tinh", "2024-05-01") == ["inner_city"]
    khanh_hoa = engine.postal_zones("vn/khanh-hoa", dt.date(2024, 5, 1))
    assert khanh_hoa == ["inter_district", "inter_province_distant_region", "inter_province_same_region", "intra_district"]
    # Every zone listed prices; district tariffs ended with the districts (2025-07-01).
    for zone in khanh_hoa:
        q = engine.quote(procedure="driver-licence.issue", date="2024-05-01", jurisdiction="vn/khanh-hoa",
                         postage={"direction": "send", "zone": zone, "weight_grams": 100})
        assert q.postage is not None
    assert engine.postal_zones("vn/khanh-hoa", "2025-08-01") == []
    assert engine.postal_zones("vn/ha-noi", "2024-05-01") == []
    with pytest.raises(lephi.errors.UnknownJurisdiction) as err:
        engine.postal_zones("vn/ha-tinhh", "2024-05-01")
    assert err.value.code == "unknown_jurisdiction"


def test_decimals_in_exponent_form_and_negative_zero_are_amounts(engine: lephi.Engine) -> None:
    # str() writes these as `1.5E+9` and `-0`, which the contract's amounts do not allow.
    value = Decimal(15) * Decimal("1E+8")
    assert str(value) == "1.5E+9"
    car = {"procedure": "registration-fee.car", "date": "2024-05-01"}
    q = engine.quote(**car, inputs={"declared_value": value, "registration": "first"})
    assert q.total == engine.quote(**car, inputs={"declared_value": "1500000000", "registration": "first"}).total
    assert engine.quote(**car, inputs={"declared_value": Decimal("-0"), "registration": "first"}).total == 0
    assert lephi.format_vnd(value) == "1.500.000.000\u00a0₫"
    assert lephi.amount_in_words(Decimal("1.15E+5")) == "Một trăm mười lăm nghìn đồng"


def test_text_arguments_name_themselves_and_dates_take_datetimes(engine: lephi.Engine) -> None:
    # The native module's TypeError said only "'int' object is not an instance of 'str'".
    for call, name in [
        (lambda: engine.procedures(5), "search"),  # type: ignore[arg-type]
        (lambda: engine.jurisdictions(20240501), "date"),  # type: ignore[arg-type]
        (lambda: engine.postal_zones(None, "2024-05-01"), "jurisdiction"),  # type: ignore[arg-type]
        (lambda: engine.explain(procedure="driver-licence.issue", date="2024-05-01", lang=1), "lang"),  # type: ignore[arg-type]
        (lambda: lephi.amount_in_words("1", lang=None), "lang"),  # type: ignore[arg-type]
        (lambda: lephi.Engine.from_rules("document: {}", b"x"), "texts[1]"),  # type: ignore[arg-type]
    ]:
        with pytest.raises(TypeError, match=rf"^`{re.escape(name)}` takes text \(str\); got "):
            call()
    # A datetime is its day (its isoformat() carries the time, which is not a date).
    at = dt.datetime(2024, 5, 1, 23, 30)
    assert engine.postal_zones("vn/ha-tinh", at) == ["inner_city"]
    assert engine.jurisdictions(at) == engine.jurisdictions("2024-05-01")


def test_with_rules_says_when_a_path_is_missing(engine: lephi.Engine, tmp_path: Path) -> None:
    # A path with a typo is not read as YAML text (that said "expected struct RuleDocument").
    for missing in ["rules/vn/nope.yaml", "scenarios/", "scenario"]:
        with pytest.raises(FileNotFoundError, match=r"no rule file or directory at '.*': with_rules takes a path"):
            engine.with_rules(missing)
    with pytest.raises(FileNotFoundError, match="no rule file or directory at 'rules/vn/nope.yaml'"):
        engine.with_rules(Path("rules/vn/nope.yaml"))
    # A directory without rule files is refused too (the scenario would change nothing), and
    # so is one for Engine.from_dir.
    (tmp_path / "README.md").write_text("no rules here", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="no rule files"):
        engine.with_rules(tmp_path)
    with pytest.raises(FileNotFoundError, match="no rule file or directory"):
        lephi.Engine.from_dir(tmp_path / "missing")
    with pytest.raises(TypeError, match="got int"):
        engine.with_rules(5)  # type: ignore[arg-type]
    # Compiled rules (or any bytes that are not UTF-8) say so, not UnicodeDecodeError's codec.
    (tmp_path / "rules.bin").write_bytes(b"lephi compiled rules\n\x85\x00")
    with pytest.raises(ValueError, match=r"rules\.bin' is not UTF-8 text \(byte 21\): rule files are YAML"):
        engine.with_rules(tmp_path / "rules.bin")


def test_with_rules_layers_a_scenario(engine: lephi.Engine) -> None:
    scenario = engine.with_rules(SCENARIO)
    # A province can only change fees under its own authority (HĐND-set fees): the provincial
    # household-business fee is halved online, the national judicial-record fee is not.
    req = {"procedure": "household-business.registration", "date": "2023-03-01", "jurisdiction": "vn/tien-giang",
           "channel": "online_full", "inputs": {"base_amount": "100000"}}
    assert engine.quote(req).total == Decimal("100000")
    assert scenario.quote(req).total == Decimal("50000")
    national = dict(req, procedure="judicial-record.certificate", inputs={})
    assert scenario.quote(national).total == Decimal("200000")
    assert scenario.fingerprint != engine.fingerprint
    again = pickle.loads(pickle.dumps(scenario))
    assert again.quote(req).total == Decimal("50000")


def test_organization_is_read_as_organisation_in_every_form(engine: lephi.Engine) -> None:
    # The batch columns and the CLI took the American spelling; requests refused it.
    request = {"procedure": "driver-licence.issue", "date": "2024-05-01"}
    a = engine.quote({**request, "applicant": {"kind": "organization"}})
    b = engine.quote({**request, "applicant": {"kind": "organisation"}})
    assert a.to_json() == b.to_json()
    with pytest.raises(lephi.InvalidInput, match="Organisation"):
        engine.quote({**request, "applicant": {"kind": "Organisation"}})


def test_format_and_words() -> None:
    assert lephi.format_vnd(Decimal("1234567")) == "1.234.567\u00a0₫"
    assert lephi.format_vnd(135000) == "135.000\u00a0₫"
    assert lephi.amount_in_words("115000") == "Một trăm mười lăm nghìn đồng"
    assert lephi.amount_in_words(21, "en").startswith("Twenty-one")
    with pytest.raises(lephi.InvalidInput):
        lephi.format_vnd("12abc")
    # The engine's form of amounts, signed; what a request would refuse as money
    # (`1_000`, `+5`, `1e6`) is refused here too (Rust's decimal parser took `1_000` as 1000).
    assert lephi.format_vnd(Decimal("-20000.50")) == "-20.000,5\u00a0₫"
    for bad in ("1_000", "+5", "1e6", ".5"):
        with pytest.raises(lephi.InvalidInput, match='expected a decimal string such as "115000" or "-20000.5"'):
            lephi.format_vnd(bad)


def test_warnings_in_vietnamese_or_english(engine: lephi.Engine) -> None:
    q = engine.quote(
        procedure="judicial-record.certificate",
        date="2024-05-01",
        applicant={"kind": "individual", "categories": ["student"]},
    )
    proof = next(w for w in q.warnings if w.code == "proof_required")
    assert proof.text("en") == proof.message
    assert proof.text().startswith("`tt-244-2016-btc/reduced-groups` chỉ áp dụng khi có giấy tờ chứng minh: ")
    assert "chỉ áp dụng khi có giấy tờ chứng minh" in q._repr_html_()
    assert proof.message not in q._repr_html_()
    with pytest.raises(lephi.InvalidInput, match="`vi` or `en`"):
        proof.text("fr")


def test_errors_also_in_vietnamese(engine: lephi.Engine) -> None:
    with pytest.raises(lephi.LephiError) as caught:
        engine.quote(procedure="passport.issue", date="2000-01-01")
    assert caught.value.code == "date_outside_windows"
    assert caught.value.message.startswith("no rule for `passport.issue` is in force on `2000-01-01`")
    assert caught.value.message_vi.startswith("chưa có quy định nào về `passport.issue` có hiệu lực vào ngày `2000-01-01`")
    # What an input takes reads in Vietnamese too.
    with pytest.raises(lephi.InvalidInput) as caught:
        engine.quote(procedure="civil-status.extract-copy", date="2024-05-01", inputs={"copies": 0})
    assert caught.value.message_vi == "giá trị `0` của `copies` không hợp lệ (cần một số nguyên từ 1 đến 1000000)"


def test_version() -> None:
    assert lephi.__version__.count(".") == 2


def test_native_request_encoding_matches_pythons_encoder() -> None:
    from lephi._api import _ENCODER
    from lephi._lephi import encode_request

    plain = {
        "procedure": "judicial-record.certificate",
        "date": dt.date(2024, 5, 1),
        "jurisdiction": "vn/hà-tĩnh \"x\"\n",
        "applicant": {"kind": "individual", "categories": ("student", "poor_household")},
        "inputs": {"copies": 3, "declared_value": Decimal("1250000.50"), "area": "urban"},
        "postage": {"direction": "both", "zone": "inner_city", "weight_grams": 250, "collect_fees": True},
        "note": None,
        "big": 10**30,
        "float": 1.5,
    }
    native = encode_request(plain)
    assert native is not None
    assert json.loads(native) == json.loads(_ENCODER.encode(plain))
    # Types it does not handle exactly go back to Python's encoder (same result as before).
    for other in ({"date": dt.datetime(2024, 5, 1, 8)}, {"v": Decimal("NaN")}, {1: "x"}, {"v": float("inf")}, {"v": {1, 2}}):
        assert encode_request(other) is None


def test_quote_accepts_dates_and_decimals_natively_and_otherwise(engine: lephi.Engine) -> None:
    a = engine.quote(procedure="registration-fee.house-land", date=dt.date(2024, 5, 1), inputs={"declared_value": Decimal("2000000000")})
    b = engine.quote(procedure="registration-fee.house-land", date=dt.datetime(2024, 5, 1, 9), inputs={"declared_value": "2000000000"})
    assert a.to_dict() == b.to_dict()


@pytest.mark.parametrize("module", ["lephi", "lephi._api", "lephi._frames", "lephi.errors"])
def test_docstring_examples_run(module: str) -> None:
    """Every example in the package's docstrings runs and prints what it shows."""
    import doctest
    import importlib

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    shown = set()
    for t in doctest.DocTestFinder().find(importlib.import_module(module)):
        runner.run(t)
        if t.examples:
            shown.add(t.name)
    assert runner.failures == 0
    if module == "lephi._api":
        # The methods whose docstrings were tested on their own before keep their examples.
        assert {"lephi._api.Engine.sources", "lephi._api.Engine.postal_zones", "lephi._api.Engine.missing_inputs"} <= shown
    if module != "lephi._frames":
        assert runner.tries > 0, f"{module} shows no example"
