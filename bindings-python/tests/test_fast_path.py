"""`Engine.quote(procedure=..., ...)` builds the request natively from keyword arguments of
plain types (`_Engine.quote_fields`) and falls back to the general path (dict → contract JSON
→ parse) for anything else. These tests check that the fast path never decides differently:
the same request, the same quote, the same errors."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import lephi
from lephi import _lephi
from lephi._api import _ENCODER

FIELDS = ("procedure", "date", "jurisdiction", "channel", "applicant", "inputs", "postage")
CASES = sorted(
    p
    for p in (Path(__file__).resolve().parents[2] / "tests/conformance/cases").glob("*.json")
    if not p.name.endswith(".expected.json")
)


def general(engine: lephi.Engine, fields: dict[str, Any]) -> Any:
    """The general path: the merged dict as contract JSON, parsed by the core."""
    merged = {k: v for k, v in fields.items() if v is not None}
    text = _lephi.encode_request(merged)
    if text is None:
        text = _ENCODER.encode(merged)
    return engine._native.quote(text)


def fast(engine: lephi.Engine, fields: dict[str, Any]) -> Any:
    return engine._native.quote_fields(*(fields.get(k) for k in FIELDS))


def assert_same(engine: lephi.Engine, fields: dict[str, Any]) -> bool:
    """Both paths agree; True when the fast path decided."""
    quick = fast(engine, fields)
    try:
        slow = general(engine, fields)
    except lephi.LephiError:
        assert quick is None, f"the fast path accepted what the contract refuses: {fields}"
        return False
    if quick is None:
        return False
    assert quick.request_json() == slow.request_json()
    assert quick.to_json() == slow.to_json()
    assert [Decimal(x) for x in quick.totals()] == [Decimal(x) for x in slow.totals()]
    totals = json.loads(slow.to_json())
    assert [Decimal(x) for x in quick.totals()] == [Decimal(totals[k]) for k in ("total", "fees_total", "postage_total")]
    return True


@pytest.fixture(scope="module")
def libraries(root: Path) -> dict[str, lephi.Engine]:
    return {"bundled": lephi.Engine(), "engine": lephi.Engine.from_dir(root / "tests/conformance/rules")}


def test_conformance_requests_agree(libraries: dict[str, lephi.Engine]) -> None:
    decided = priced = 0
    for path in CASES:
        case = json.loads(path.read_text(encoding="utf-8"))
        request = case["request"]
        if set(request) - set(FIELDS):
            continue
        decided += assert_same(libraries[case["library"]], dict(request))
        priced += "error" not in json.loads(path.with_name(path.name.replace(".json", ".expected.json")).read_text(encoding="utf-8"))
    # Every case that prices is a plain request the fast path prices itself.
    assert decided == priced >= 20


POSTAGE = {"direction": "return", "zone": "inner_city", "weight_grams": 100}
BASE = dict(procedure="driver-licence.issue", date="2024-05-01", jurisdiction="vn/ha-tinh", channel="online_full")


@pytest.mark.parametrize(
    "change,decided",
    [
        ({}, True),
        ({"postage": POSTAGE}, True),
        ({"postage": {**POSTAGE, "direction": "both", "weight_grams": 250, "collect_fees": True}}, True),
        ({"date": dt.date(2024, 5, 1)}, True),
        ({"date": " 2024-05-01 "}, True),
        ({"jurisdiction": None, "channel": None}, True),
        ({"procedure": "judicial-record.certificate", "applicant": {"kind": "individual", "categories": ("student",)}, "inputs": {"copies": 4}}, True),
        ({"procedure": "registration-fee.car", "inputs": {"declared_value": Decimal("750000000.00"), "registration": "first"}}, True),
        ({"procedure": "registration-fee.car", "inputs": {"declared_value": "750000000", "registration": "later"}}, True),
        # The general path decides these (and raises where the contract refuses):
        ({"date": dt.datetime(2024, 5, 1, 10, 30)}, False),
        ({"date": "2024-13-01"}, False),
        ({"channel": "by_pigeon"}, False),
        ({"procedure": "no-such.procedure"}, False),
        ({"postage": {**POSTAGE, "weight_grams": -1}}, False),
        ({"postage": {**POSTAGE, "weight_grams": 2**40}}, False),
        ({"postage": {**POSTAGE, "colour": "red"}}, False),
        ({"postage": {**POSTAGE, "collect_fees": None}}, False),
        ({"postage": {"zone": "inner_city", "weight_grams": 100}}, False),
        ({"applicant": {"kind": None}}, False),
        ({"applicant": {"categories": ["no_such_category"]}}, False),
        ({"applicant": {"categories": "student"}}, False),
        ({"inputs": {"copies": -2}}, False),
        ({"inputs": {"copies": True}}, False),
        ({"inputs": {"copies": Decimal("NaN")}}, False),
        ({"inputs": {"copies": "x" * 40_000}}, False),
        ({"procedure": 12}, False),
    ],
)
def test_edge_cases_agree(engine: lephi.Engine, change: dict[str, Any], decided: bool) -> None:
    fields = {**BASE, **change}
    if "NaN" in repr(change.get("inputs")):
        # Not an amount: the general path raises TypeError before the core sees it.
        assert fast(engine, fields) is None
        with pytest.raises(TypeError):
            engine.quote(**fields)
        return
    if isinstance(fields.get("date"), dt.datetime):
        # The JSON encoder would refuse a datetime; the public API turns it into its date.
        assert fast(engine, fields) is None
        assert engine.quote(**fields).to_json() == engine.quote(**{**fields, "date": "2024-05-01"}).to_json()
        return
    assert assert_same(engine, fields) is decided


def test_public_call_equals_the_dict_form(engine: lephi.Engine) -> None:
    kw: dict[str, Any] = dict(BASE, postage=POSTAGE)
    by_keywords = engine.quote(**kw)
    by_dict = engine.quote(kw)
    assert by_keywords == by_dict
    assert by_keywords.to_json() == by_dict.to_json()
    assert by_keywords.total == Decimal("125000") and by_keywords.postage_total == Decimal("10000")
    assert by_keywords.explain("en") == by_dict.explain("en")
    again = pickle.loads(pickle.dumps(by_keywords))
    assert again.to_json() == by_keywords.to_json()
    assert again.explain() == by_keywords.explain()


def test_errors_are_unchanged(engine: lephi.Engine) -> None:
    with pytest.raises(TypeError, match="float"):
        engine.quote(**BASE, inputs={"copies": 2.0})
    with pytest.raises(lephi.UnknownProcedure):
        engine.quote(procedure="driver-licence.isue", date="2024-05-01")
    with pytest.raises(lephi.LephiError) as info:
        engine.quote(**{**BASE, "postage": {**POSTAGE, "colour": "red"}})
    assert "colour" in str(info.value)
