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
