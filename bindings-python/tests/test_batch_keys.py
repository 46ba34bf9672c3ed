"""`quote_many` groups rows by what they ask and prices each distinct request once; these tests
check that the grouping never mixes two different rows up, whatever the column types, chunking
and value ranges, by comparing every row with a scalar `quote` of the same request."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import lephi

JURISDICTIONS = ["vn", "vn/ha-tinh", "vn/tien-giang", "vn/dong-thap", "vn/quang-ngai", "vn/ha-noi", "vn/no-such-province"]
CHANNELS = ["in_person", "online_full", "online_partial", "postal", "level_3", None]
CATEGORIES = ["", "student", "elderly,poor_household", "disability", "child_under_6"]
# a cell longer than 32 bytes takes the hashed path; shorter ones are compared as words
LONG = "no-such-procedure-with-a-name-longer-than-thirty-two-bytes"


def random_rows(engine: lephi.Engine, n: int, seed: int) -> dict[str, list[Any]]:
    rng = random.Random(seed)
    procs = [p["id"] for p in engine.procedures()][:40] + [LONG]
    day0 = dt.date(2019, 1, 1)
    rows: dict[str, list[Any]] = {k: [] for k in ("procedure", "date", "jurisdiction", "channel", "categories", "copies", "pages", "persons", "base_amount")}
    for _ in range(n):
        rows["procedure"].append(rng.choice(procs))
        rows["date"].append(day0 + dt.timedelta(days=rng.randrange(0, 8 * 365)))
        rows["jurisdiction"].append(rng.choice(JURISDICTIONS))
        rows["channel"].append(rng.choice(CHANNELS))
        rows["categories"].append(rng.choice(CATEGORIES))
        # wide ranges (more distinct values than rows) code through the hash table, and so many
        # columns of them overflow 64 bits, so the keys are renumbered on the way
        rows["copies"].append(rng.choice([None, None, rng.randrange(1, 4), rng.randrange(1, 10**6)]))
        rows["pages"].append(rng.choice([None, None, rng.randrange(1, 10**6), rng.randrange(1, 10**12)]))
        rows["persons"].append(rng.choice([None, rng.randrange(1, 10**6)]))
        rows["base_amount"].append(rng.choice([None, "100000", "2500000", str(rng.randrange(1, 10**9))]))
    return rows


def scalar(engine: lephi.Engine, rows: dict[str, list[Any]], i: int) -> tuple[Any, ...]:
    req: dict[str, Any] = {"procedure": rows["procedure"][i], "date": rows["date"][i].isoformat(), "jurisdiction": rows["jurisdiction"][i]}
    if rows["channel"][i] is not None:
        req["channel"] = rows["channel"][i]
    req["applicant"] = {"categories": [c for c in rows["categories"][i].split(",") if c]}
    req["inputs"] = {k: rows[k][i] for k in ("copies", "pages", "persons", "base_amount") if rows[k][i] is not None}
    try:
        q = engine.quote(req)
    except lephi.LephiError as e:
        return (None, "error", e.code, None)
    return (str(q.total), "ok", None, list(q.rule_ids))


def batch(out: pa.Table) -> list[tuple[Any, ...]]:
    totals = [None if v is None else str(v) for v in out["total"].to_pylist()]
    return list(zip(totals, out["status"].to_pylist(), out["error_code"].to_pylist(), out["rule_ids"].to_pylist()))


@pytest.fixture(scope="module")
def rows(engine: lephi.Engine) -> dict[str, list[Any]]:
    return random_rows(engine, 1500, seed=20261123)


@pytest.fixture(scope="module")
def expected(engine: lephi.Engine, rows: dict[str, list[Any]]) -> list[tuple[Any, ...]]:
    return [scalar(engine, rows, i) for i in range(len(rows["procedure"]))]


def test_every_row_of_a_random_multi_chunk_table_matches_its_scalar_quote(engine: lephi.Engine, rows: dict[str, list[Any]], expected: list[tuple[Any, ...]]) -> None:
    whole = pa.table(rows)
    # uneven chunks, and the same requests again in later chunks (priced once per call)
    chunked = pa.Table.from_batches(whole.to_batches(max_chunksize=211) + whole.slice(0, 300).to_batches(max_chunksize=97))
    out = engine.quote_many(chunked)
    assert out.num_rows == chunked.num_rows
    assert batch(out) == expected + expected[:300]
    assert {"ok", "error"} == set(out["status"].to_pylist())


@pytest.mark.parametrize("text_type", [pa.large_string(), pa.string_view(), "dictionary"])
def test_text_columns_of_every_arrow_string_type_give_the_same_rows(engine: lephi.Engine, rows: dict[str, list[Any]], expected: list[tuple[Any, ...]], text_type: Any) -> None:
    table = pa.table(rows)
    for name in ("procedure", "jurisdiction", "channel", "categories"):
        col = table[name]
        col = col.dictionary_encode() if text_type == "dictionary" else col.cast(text_type)
        table = table.set_column(table.schema.get_field_index(name), name, col)
    assert batch(engine.quote_many(table)) == expected


def test_pandas_categorical_and_polars_frames_give_the_same_rows(engine: lephi.Engine, rows: dict[str, list[Any]], expected: list[tuple[Any, ...]]) -> None:
    df = pd.DataFrame(rows)
    df["procedure"] = df["procedure"].astype("category")
    df["jurisdiction"] = df["jurisdiction"].astype("category")
    out = engine.quote_many(df)
    assert batch(pa.Table.from_pandas(out[["total", "status", "error_code", "rule_ids"]].astype(object), preserve_index=False)) == expected
    pout = engine.quote_many(pl.DataFrame(rows))
    assert batch(pout.select("total", "status", "error_code", "rule_ids").to_arrow()) == expected


def test_result_text_is_categorical(engine: lephi.Engine) -> None:
    table = pa.table({"procedure": ["driver-licence.issue"] * 3 + ["no-such-procedure"], "date": ["2024-05-01"] * 4, "channel": ["online_full"] * 4})
    out = engine.quote_many(table)
    text = pa.dictionary(pa.int32(), pa.string())
    assert out.schema.field("status").type == text
    assert out.schema.field("error_code").type == text
    assert out.schema.field("error").type == text
    assert out.schema.field("rule_ids").type == pa.list_(text)
    # the strings are stored once: two distinct outcomes, two rule ids
    assert out["status"].chunk(0).dictionary.to_pylist() == ["ok", "error"]
    assert len(out["rule_ids"].chunk(0).values.dictionary) == 2
    df = engine.quote_many(table.to_pandas())
    assert (df["status"] == "ok").sum() == 3
    assert df.loc[3, "error_code"] == "unknown_procedure"
    assert df["error"].isna().sum() == 3
    pdf = engine.quote_many(pl.from_arrow(table))
    assert pdf.filter(pl.col("status") == "error")["error_code"].to_list() == ["unknown_procedure"]


@pytest.mark.parametrize("procedure", ["driver-licence.issue", "no-such-procedure"])
def test_a_batch_that_is_all_priced_or_all_refused(engine: lephi.Engine, procedure: str) -> None:
    out = engine.quote_many(pa.table({"procedure": [procedure] * 5, "date": ["2024-05-01"] * 5}))
    statuses = set(out["status"].to_pylist())
    if procedure == "no-such-procedure":
        assert statuses == {"error"} and out["total"].null_count == 5 and out["rule_ids"].null_count == 5
    else:
        assert statuses == {"ok"} and out["error"].null_count == 5 and out["error_code"].null_count == 5


def test_an_empty_table(engine: lephi.Engine) -> None:
    out = engine.quote_many(pa.table({"procedure": pa.array([], pa.string()), "date": pa.array([], pa.string())}))
    assert out.num_rows == 0 and "status" in out.column_names


@pytest.mark.parametrize("money_type", [pa.int64(), pa.uint32(), pa.int8(), pa.decimal128(20, 0), pa.string()])
def test_money_from_integer_decimal_and_text_columns_prices_alike(engine: lephi.Engine, money_type: Any) -> None:
    values = [800_000_000, 0, -5, None, 120]
    if money_type == pa.int8():
        values = [100, 0, -5, None, 120]
    elif money_type == pa.uint32():
        values = [800_000_000, 0, 5, None, 120]
    col = pa.array([None if v is None else (str(v) if money_type == pa.string() else v) for v in values], money_type)
    n = len(values)
    out = engine.quote_many(pa.table({"procedure": ["registration-fee.car"] * n, "date": ["2024-05-01"] * n, "jurisdiction": ["vn/ha-noi"] * n,
                                      "declared_value": col, "vehicle_zone": ["kv1"] * n, "registration": ["first"] * n}))
    for i, v in enumerate(values):
        req = {"procedure": "registration-fee.car", "date": "2024-05-01", "jurisdiction": "vn/ha-noi", "inputs": {"vehicle_zone": "kv1", "registration": "first"}}
        if v is not None:
            req["inputs"]["declared_value"] = v if v >= 0 else str(v)
        try:
            want: tuple[Any, ...] = (str(engine.quote(req).total), None)
        except lephi.LephiError as e:
            want = (None, e.code)
        got = out["total"][i].as_py()
        assert (None if got is None else str(got), out["error_code"][i].as_py()) == want, (money_type, v)


@pytest.mark.parametrize("string_type", [pa.string(), pa.large_string()])
def test_columns_that_almost_repeat_one_cell_are_not_taken_for_constant(engine: lephi.Engine, string_type: Any) -> None:
    n = 64
    # every date has the same length; only the last (or a middle) one differs
    for odd in (n - 1, n // 2, 0):
        dates = ["2024-05-01"] * n
        dates[odd] = "2026-05-01"
        table = pa.table({"procedure": ["driver-licence.issue"] * n, "date": pa.array(dates, string_type), "channel": ["online_full"] * n})
        for part in (table, table.slice(3), pa.Table.from_batches(table.to_batches(max_chunksize=5))):
            got = [str(v) for v in engine.quote_many(part)["total"].to_pylist()]
            want = ["135000" if d.startswith("2026") else "115000" for d in part["date"].to_pylist()]
            assert got == want, (odd, part.num_rows)
