"""The runners of benches/compare outside Python give the Decimal reference's totals on the
workload (not a timing): lephi in Rust (its criterion bench, run once in test mode), lephi's
WebAssembly build in Node and in headless chromium, and GoRules ZEN's npm package in Node.
scripts/test-all runs this after `npm run build` in bindings-wasm/ and `npm install` in benches/node."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import runners

N = 300


@pytest.fixture(scope="module")
def workload(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], list[Decimal]]:
    m = runners.load_manifest()
    r = runners.rows(N, len(m["procedures"]))
    paths = runners.outside_inputs(m, r, tmp_path_factory.mktemp("workload"))
    return paths, [Decimal(x) for x in runners.pure_python(m, r)]


def decimals(totals: list[Any]) -> list[Decimal]:
    return [Decimal(str(x)) for x in totals]


def test_lephi_in_rust(workload: tuple[dict[str, Path], list[Decimal]]) -> None:
    paths, reference = workload
    totals, _ = runners.rust(paths, timed=False)
    assert decimals(totals) == reference


@pytest.mark.parametrize("where", ["Node", "chromium"])
def test_lephi_webassembly(workload: tuple[dict[str, Path], list[Decimal]], where: str) -> None:
    paths, reference = workload
    out = runners.wasm(paths, where)
    assert decimals(out["totals"]) == reference
    assert out["perCallUs"] > 0 and out["perCallJsonUs"] > 0


def test_zen_npm_package(workload: tuple[dict[str, Path], list[Decimal]]) -> None:
    paths, reference = workload
    out = runners.zen_node(paths)
    assert decimals(out["totals"]) == reference
