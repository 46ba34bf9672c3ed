"""Python benchmarks (not a test): one `quote` call, and `quote_many` over 1.000.000 rows from
pyarrow, polars and pandas. Run: `.venv/bin/python benches/python/bench.py` after building the
package; record the figures in benches/README.md with the machine."""

from __future__ import annotations

import platform
import statistics
import time

import pandas as pd
import polars as pl
import pyarrow as pa

import lephi

N = 1_000_000


POSTAGE = {"direction": "return", "zone": "inner_city", "weight_grams": 100}


def _median_per_call(call: object) -> float:
    for _ in range(2000):
        call()  # type: ignore[operator]
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(20_000):
            call()  # type: ignore[operator]
        runs.append((time.perf_counter() - t) / 20_000)
    return statistics.median(runs)


def per_call(engine: lephi.Engine) -> dict[str, float]:
    """The same request as the Rust bench, written three ways: keyword arguments as in the
    docs, a `**kwargs` dict, and the contract's dict."""
    kw = dict(procedure="driver-licence.issue", date="2024-05-01", jurisdiction="vn/ha-tinh", channel="online_full",
              postage=POSTAGE)
    return {
        "keywords": _median_per_call(lambda: engine.quote(
            procedure="driver-licence.issue", date="2024-05-01", jurisdiction="vn/ha-tinh",
            channel="online_full", postage=POSTAGE)),
        "**kwargs": _median_per_call(lambda: engine.quote(**kw)),
        "contract dict": _median_per_call(lambda: engine.quote(kw)),
    }


def table(rows: int) -> pa.Table:
    days = pa.array(range(19_358, 19_358 + 181), pa.int32()).cast(pa.date32())  # 2023-01-01 + 180 days
    procs = ["judicial-record.certificate", "civil-status.extract-copy", "household-business.registration", "driver-licence.issue"]
    chans = ["in_person", "online_full", "online_partial", "postal"]
    idx = pa.array(range(rows))
    import pyarrow.compute as pc
    return pa.table({
        "procedure": pa.array(procs).take(pc.remainder(idx, 4)),
        "date": days.take(pc.remainder(idx, 181)),
        "jurisdiction": pa.array(["vn/tien-giang"] * rows),
        "channel": pa.array(chans).take(pc.remainder(pc.divide(idx, 4), 4)),
        "copies": pc.add(pc.remainder(idx, 3), 1),
        "base_amount": pa.array(["100000"] * rows),
    })


def batch(engine: lephi.Engine, frame: object) -> str:
    """The first call on this frame (fresh memory), then the median of 5 more (memory reused)."""
    t = time.perf_counter()
    engine.quote_many(frame)
    first = time.perf_counter() - t
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        engine.quote_many(frame)
        runs.append(time.perf_counter() - t)
    return f"{statistics.median(runs) * 1e3:.0f} ms (first call {first * 1e3:.0f} ms)"


def main() -> None:
    engine = lephi.Engine()
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()} lephi {lephi.__version__}")
    for form, seconds in per_call(engine).items():
        print(f"quote per call ({form}): {seconds * 1e6:.2f} µs")
    t = table(N)
    print(f"quote_many 1M rows, pyarrow: {batch(engine, t)}")
    print(f"quote_many 1M rows, polars:  {batch(engine, pl.from_arrow(t))}")
    frame = t.to_pandas()
    # pyarrow turns date32 into object cells of datetime.date; converting those back is most
    # of the pandas overhead. A date column read with parse_dates / pd.to_datetime is datetime64.
    print(f"quote_many 1M rows, pandas (object dates):     {batch(engine, frame)}")
    frame["date"] = pd.to_datetime(frame["date"])
    print(f"quote_many 1M rows, pandas (datetime64 dates): {batch(engine, frame)}")


if __name__ == "__main__":
    main()
