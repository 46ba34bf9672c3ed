from __future__ import annotations

from pathlib import Path

import pytest

import lephi

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def engine() -> lephi.Engine:
    return lephi.Engine()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


# A hypothetical provincial resolution (not law) used by the scenario tests: online dossiers in
# Tiền Giang pay 50% of the fees the provincial People's Council sets.
SCENARIO = """
document:
  id: scenario-tg-online-50
  number: "Kịch bản (không phải văn bản pháp luật)"
  title: "Giả định: giảm 50% phí, lệ phí thuộc thẩm quyền HĐND cho hồ sơ trực tuyến"
  issuer: "lephi scenario"
  kind: provincial_resolution
  in_force_from: 2023-01-01
  jurisdiction: vn/tien-giang
  confidence: unverified
adjustments:
  - id: online-50
    name: {vi: "Giả định: trực tuyến 50%", en: "Scenario: online 50%"}
    article: "—"
    applies_to: {all: true}
    when: {channels: [online_partial, online_full]}
    effect: {pay_percent: 50}
"""
