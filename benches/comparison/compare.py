"""benches/compare: lephi beside the engines people would otherwise use, on one workload.

Checks that every runner gives the same totals on the manifest, then times each one and prints
a table (median, ratio to lephi for the same work, exactness). Writes benches/RESULTS.md with the
machine, versions and date. Not a test: scripts/test-all runs only test_agreement.py.

Environment: LEPHI_COMPARE_ROWS (default 1000000) for the batch runners; ZEN's batch is timed on
LEPHI_COMPARE_ZEN_ROWS (default 20000) rows and reported per row, because 1M rows take minutes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import runners

ROWS = int(os.environ.get("LEPHI_COMPARE_ROWS", "1000000"))
ZEN_ROWS = int(os.environ.get("LEPHI_COMPARE_ZEN_ROWS", "20000"))
CALLS = 2000


def median_time(f: Callable[[], Any], repeat: int = 3) -> float:
    f()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for pkg in ("lephi", "zen-engine", "numpy", "pyarrow", "polars", "pandas", "OpenFisca-Core"):
        try:
            out[pkg] = version(pkg)
        except Exception:
            out[pkg] = "not installed"
    try:
        out["rustc"] = subprocess.run(["rustc", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        out["rustc"] = "unknown"
    return out


def main() -> None:
    import pandas as pd
    import polars as pl

    m = runners.load_manifest()
    n_procs = len(m["procedures"])
    print(f"workload: {n_procs} procedures, {ROWS} rows", flush=True)
    r = runners.rows(ROWS, n_procs)
    small = {k: v[:CALLS] for k, v in r.items()}
    zen_rows = {k: v[:ZEN_ROWS] for k, v in r.items()}

    # 1. Agreement first: every runner must give the reference totals.
    reference = runners.pure_python(m, r)
    engine = runners.lephi_engine(m)
    table = runners.lephi_table(m, r)
    pl_table = pl.from_arrow(table)
    pd_table = table.to_pandas()
    decision = runners.zen_decision(m)
    tbs = runners.openfisca_system(m)
    of_out = runners.openfisca_run(tbs, r)
    of_mismatch = sum(1 for i, ref in enumerate(reference) if int(round(float(of_out[i]))) != ref)
    exact = {
        "lephi": runners.lephi_batch(engine, table) == reference
        and runners.lephi_per_call(engine, m, small) == reference[:CALLS],
        "numpy int64": [int(x) for x in runners.numpy_int64(m, r)] == reference,
        "pandas int64": [int(x) for x in runners.pandas_int64(m, runners.pandas_frame(r))] == reference,
        "ZEN": runners.zen_per_call(decision, m, small) == reference[:CALLS],
        "pure Python Decimal": True,
        "OpenFisca": of_mismatch == 0,
    }
    print(f"OpenFisca rows off the exact total (float32): {of_mismatch}", flush=True)
    print("exact:", exact, flush=True)

    # 2. Timings.
    results: list[tuple[str, str, float, str]] = []  # runner, work, seconds per unit, unit

    def per_call(name: str, f: Callable[[int], Any]) -> None:
        t = median_time(lambda: [f(i) for i in range(CALLS)]) / CALLS
        results.append((name, "one quote per call", t, "call"))
        print(f"{name}: {t * 1e6:.1f} µs per call", flush=True)

    reqs = [runners.lephi_request(m, small, i) for i in range(CALLS)]
    per_call("lephi (Python, engine.quote)", lambda i: engine.quote(reqs[i]))
    ctxs = [runners.zen_context(m, small, i) for i in range(CALLS)]
    per_call("ZEN (decision.evaluate, precompiled)", lambda i: decision.evaluate(ctxs[i]))
    import zen

    graph = json.dumps(runners.zen_graph(m))
    zen_engine = zen.ZenEngine({"loader": lambda key: graph})
    per_call("ZEN (engine.evaluate, the obvious call)", lambda i: zen_engine.evaluate("workload", ctxs[i]))

    # The runners outside this process (Rust, WebAssembly in Node and chromium, ZEN's npm
    # package) get the same rows as files; each reports its totals, which are checked against
    # the reference like the others.
    import tempfile

    def outside(name: str, run: Callable[[], Any], hint: str) -> Any:
        try:
            return run()
        except (OSError, subprocess.CalledProcessError, ValueError, KeyError) as e:
            print(f"{name}: not run ({e}); {hint}", flush=True)
            return None

    def same_totals(totals: list[Any]) -> bool:
        return [Decimal(str(x)) for x in totals] == [Decimal(x) for x in reference[:CALLS]]

    with tempfile.TemporaryDirectory() as tmp:
        paths = runners.outside_inputs(m, small, Path(tmp))

        # lephi in Rust: criterion (core/benches/workload.rs), one iteration prices every request.
        rust = outside("lephi Rust", lambda: runners.rust(paths, timed=True), "is cargo on PATH?")
        if rust is not None:
            exact["lephi Rust"] = same_totals(rust[0])
            t = rust[1] / CALLS
            results.append(("lephi Rust (criterion, RuleLibrary::quote)", "one quote per call", t, "call"))
            print(f"lephi Rust: {t * 1e6:.2f} µs per call", flush=True)

        # lephi's WebAssembly build in Node and in headless chromium.
        for where in ("Node", "chromium"):
            out = outside(f"lephi WASM in {where}", lambda: runners.wasm(paths, where), "build it with `npm run build` in bindings-wasm/")
            if out is not None:
                exact[f"lephi WASM {where}"] = same_totals(out["totals"])
                results.append((f"lephi WASM in {where} (quote(object))", "one quote per call", out["perCallUs"] / 1e6, "call"))
                results.append((f"lephi WASM in {where} (quoteJson(text))", "one quote per call", out["perCallJsonUs"] / 1e6, "call"))
                print(f"lephi WASM in {where}: {out['perCallUs']:.1f} µs per call (quoteJson {out['perCallJsonUs']:.1f})", flush=True)

        # GoRules ZEN's npm package in Node (installed into benches/node on first use).
        node_dir = runners.ROOT / "benches/node"
        if not (node_dir / "node_modules/@gorules/zen-engine").exists():
            outside("npm install (ZEN)", lambda: subprocess.run(["npm", "install", "--no-audit", "--no-fund"], check=True, cwd=node_dir), "ZEN's npm package is skipped")
        out = outside("ZEN in Node", lambda: runners.zen_node(paths), "run `npm install` in benches/node")
        if out is not None:
            exact["ZEN npm"] = same_totals(out["totals"])
            results.append(("ZEN npm in Node (decision.evaluate, precompiled)", "one quote per call", out["precompiledUs"] / 1e6, "call"))
            results.append(("ZEN npm in Node (engine.evaluate, the obvious call)", "one quote per call", out["obviousUs"] / 1e6, "call"))
            print(f"ZEN in Node: {out['precompiledUs']:.1f} µs per call precompiled, {out['obviousUs']:.1f} obvious", flush=True)

    def batch(name: str, f: Callable[[], Any], rows: int = ROWS) -> None:
        t = median_time(f, repeat=3 if rows <= 20000 else 2)
        results.append((name, f"batch of {ROWS:,} rows", t * ROWS / rows, "batch"))
        print(f"{name}: {t * 1e3:.0f} ms for {rows:,} rows", flush=True)

    batch("lephi quote_many (pyarrow)", lambda: engine.quote_many(table))
    batch("lephi quote_many (polars)", lambda: engine.quote_many(pl_table))
    batch("lephi quote_many (pandas)", lambda: engine.quote_many(pd_table))
    import numpy as np

    r_np = {k: np.asarray(v) for k, v in r.items()}  # like lephi's table: columns built beforehand
    batch("numpy int64 (hand-written)", lambda: runners.numpy_int64(m, r_np))
    r_pd = runners.pandas_frame(r)
    batch("pandas int64 (hand-written)", lambda: runners.pandas_int64(m, r_pd))
    batch("pure Python Decimal loop (hand-written)", lambda: runners.pure_python(m, r))
    batch("OpenFisca (vectorised formula, float32)", lambda: runners.openfisca_run(tbs, r))
    zctx = [{"key": "workload", "context": runners.zen_context(m, zen_rows, i)} for i in range(ZEN_ROWS)]
    batch(f"ZEN evaluate_batch (timed on {ZEN_ROWS:,} rows, scaled)", lambda: zen_engine.evaluate_batch(zctx), rows=ZEN_ROWS)

    # 3. Table.
    base = {"call": next(t for n, _, t, u in results if n.startswith("lephi (Python")), "batch": next(t for n, _, t, u in results if n == "lephi quote_many (pyarrow)")}
    lines = [
        "| runner | work | median | × lephi | exact on the manifest |",
        "|---|---|---|---|---|",
    ]
    for name, work, t, unit in results:
        shown = f"{t * 1e6:.1f} µs" if unit == "call" else f"{t * 1e3:.0f} ms"
        key = next(k for k in ("lephi WASM Node", "lephi WASM chromium", "lephi Rust", "ZEN npm", "lephi", "ZEN", "numpy int64", "pandas int64", "OpenFisca", "pure Python Decimal") if name.replace(" in ", " ").startswith(k.split(" (")[0]))
        lines.append(f"| {name} | {work} | {shown} | {t / base[unit]:.2f} | {'yes' if exact[key] else 'NO'} |")
    table_md = "\n".join(lines)
    print(table_md)

    t = {name: sec for name, _, sec, _ in results}
    zen_call = t["ZEN (decision.evaluate, precompiled)"] / base["call"]
    zen_batch = next(sec for name, sec in t.items() if name.startswith("ZEN evaluate_batch")) / base["batch"]
    numpy_ratio = base["batch"] / t["numpy int64 (hand-written)"]
    of_ratio = t["OpenFisca (vectorised formula, float32)"] / base["batch"]
    goals = "\n".join(
        [
            "| goal (issue #6) | measured | status |",
            "|---|---|---|",
            f"| lephi per call from Python ≥ 4× faster than ZEN's precompiled call | {zen_call:.1f}× | {'met' if zen_call >= 4 else 'missed'} |",
            f"| 1M-row batch ≥ 200× faster than ZEN's batch | {zen_batch:.0f}× | {'met' if zen_batch >= 200 else 'missed'} |",
            f"| within 3× of hand-written numpy int64, staying exact | {numpy_ratio:.2f}× slower | {'met' if numpy_ratio <= 3 else 'missed'} |",
            f"| 1M-row batch ≥ 5× faster than OpenFisca | {of_ratio:.2f}× | {'met' if of_ratio >= 5 else 'missed'} (OpenFisca is also inexact: {of_mismatch:,} rows off) |",
        ]
    )
    print(goals)
    v = versions()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    doc = f"""# benches/compare results

Generated by `benches/compare` on {dt.date.today().isoformat()}. Machine: {machine}.
Versions: {", ".join(f"{k} {val}" for k, val in v.items())}.

Workload: `benches/workload.yaml` ({n_procs} procedures: fixed fees, online discounts as a percent
and as a fixed replacement, an exemption by category, a per-page fee with a cap, a percent-of-value
fee with a cap, and postage with a subsidy), {ROWS:,} rows. Every runner's totals were compared
with the `Decimal` reference before timing.

{table_md}

{goals}

Runners outside Python get the same rules, requests and contexts as files and report their
totals, checked like the others: lephi in Rust (criterion, `core/benches/workload.rs`; one
iteration prices the {CALLS:,} requests, the median is divided by their number), lephi's
WebAssembly build in Node and in headless chromium (`bindings-wasm/scripts/bench-workload*.mjs`,
median of 5 passes), and GoRules ZEN's npm package in Node (`benches/node/zen.mjs`; its API is
asynchronous, so each call is awaited in turn). Per-call ratios are to lephi from Python.
"""
    (Path(__file__).resolve().parents[1] / "RESULTS.md").write_text(doc, encoding="utf-8")
    print("wrote benches/RESULTS.md")


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    main()
