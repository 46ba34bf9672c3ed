"""The shared cross-runtime cases of tests/conformance: the Python result must equal the
expected JSON byte for byte (the same files the Rust and WebAssembly suites run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lephi

CASES = sorted(
    p
    for p in (Path(__file__).resolve().parents[2] / "tests/conformance/cases").glob("*.json")
    if not p.name.endswith(".expected.json")
)


@pytest.fixture(scope="module")
def libraries(root: Path) -> dict[str, lephi.Engine]:
    return {
        "bundled": lephi.Engine(),
        "engine": lephi.Engine.from_dir(root / "tests/conformance/rules"),
    }


def test_there_are_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_case_matches_rust_byte_for_byte(case_path: Path, libraries: dict[str, lephi.Engine]) -> None:
    case = json.loads(case_path.read_text(encoding="utf-8"))
    engine = libraries[case["library"]]
    request = json.dumps(case["request"], ensure_ascii=False)
    actual = engine._native.quote_json_or_error(request)
    expected = case_path.with_name(case_path.name.replace(".json", ".expected.json")).read_text(encoding="utf-8")
    assert actual == expected.rstrip("\n")


@pytest.mark.parametrize("case_path", CASES[:12], ids=[p.stem for p in CASES[:12]])
def test_typed_api_agrees_with_the_contract(case_path: Path, libraries: dict[str, lephi.Engine]) -> None:
    case = json.loads(case_path.read_text(encoding="utf-8"))
    engine = libraries[case["library"]]
    expected = json.loads(case_path.with_name(case_path.name.replace(".json", ".expected.json")).read_text(encoding="utf-8"))
    if "error" in expected:
        with pytest.raises(lephi.LephiError) as info:
            engine.quote(case["request"])
        assert info.value.code == expected["error"]["code"]
        assert str(info.value) == expected["error"]["message"]
    else:
        q = engine.quote(case["request"])
        assert str(q.total) == expected["total"]
        assert q.to_dict() == expected
