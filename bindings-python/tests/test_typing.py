"""The stub of the native module matches it (mypy.stubtest), and the package type-checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=HERE, capture_output=True, text=True, check=False)


def test_stub_matches_the_native_module() -> None:
    r = run("mypy.stubtest", "lephi._lephi")
    assert r.returncode == 0, r.stdout + r.stderr


def test_package_type_checks_strictly() -> None:
    r = run("mypy")
    assert r.returncode == 0, r.stdout + r.stderr
