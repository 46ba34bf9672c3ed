"""Executes examples/analyst.ipynb and checks its figures (not just that it runs)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples/analyst.ipynb"


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_figures_match_the_hand_computation(executed: nbformat.NotebookNode) -> None:
    printed = [o["text"] for o in outputs(executed) if o.get("output_type") == "stream"]
    figures = json.loads(printed[-1])
    assert figures["dossiers"] == 45_981
    assert figures["online"] == 18_320
    assert figures["in_person_or_postal"] == 25_079
    assert figures["carried_over"] == 2_582
    assert figures["priced"] == 43_399
    # Only HĐND-set fees are discounted: 4.000 household-business dossiers × 50.000 đ
    # + 2.000 construction permits × 37.500 đ.
    assert figures["revenue_forgone"] == str(4_000 * 50_000 + 2_000 * 37_500)
    assert figures["applicant_savings"] == figures["revenue_forgone"]
    # Baseline: judicial record 13.000 × 200.000 + extract copies 7.320 × 8.000
    # + certified copies 9.079 × 5.000 + household business 9.000 × 100.000 + permits 5.000 × 75.000.
    assert figures["baseline_fees"] == str(13_000 * 200_000 + 7_320 * 8_000 + 9_079 * 5_000 + 9_000 * 100_000 + 5_000 * 75_000)


def test_plot_and_itemised_quote_are_rendered(executed: nbformat.NotebookNode) -> None:
    outs = outputs(executed)
    assert any("image/png" in o.get("data", {}) for o in outs)
    assert any("lephi-quote" in o.get("data", {}).get("text/html", "") for o in outs)
