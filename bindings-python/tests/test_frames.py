from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import lephi
from conftest import SCENARIO

ROWS: dict[str, list[Any]] = {
    "procedure": ["driver-licence.issue", "driver-licence.issue", "judicial-record.certificate",
                  "certified-copy.from-original", "driver-licence.issue", "no-such-procedure", "registration-fee.car"],
    "date": ["2024-05-01", "2026-02-01", "2024-05-01", "2024-05-01", "2024-05-01", "2024-05-01", "2024-05-01"],
    "jurisdiction": ["vn", "vn", "vn", "vn", "vn/ha-tinh", "vn", "vn/ha-noi"],
    "channel": ["online_full", "online_full", "in_person", "in_person", "level_4", "in_person", "in_person"],
    "categories": ["", "", "student", "", "", "", ""],
    "copies": [None, None, 3, 1, None, None, None],
    "pages": [None, None, None, 5, None, None, None],
    "declared_value": [None, None, None, None, None, None, Decimal("800000000")],
    "vehicle_zone": [None, None, None, None, None, None, "kv1"],
    "registration": [None, None, None, None, None, None, "first"],
    "postage_direction": [None, None, None, None, "return", None, None],
    "postage_zone": [None, None, None, None, "inner_city", None, None],
    "postage_weight_grams": [None, None, None, None, 100, None, None],
}


def scalar_totals(engine: lephi.Engine) -> list[str | None]:
    out: list[str | None] = []
    for i in range(len(ROWS["procedure"])):
        req: dict[str, Any] = {k: ROWS[k][i] for k in ("procedure", "date", "jurisdiction", "channel")}
        req["applicant"] = {"categories": [c for c in ROWS["categories"][i].split(",") if c]}
        req["inputs"] = {k: ROWS[k][i] for k in ("copies", "pages", "declared_value", "vehicle_zone", "registration") if ROWS[k][i] is not None}
        if ROWS["postage_direction"][i]:
            req["postage"] = {"direction": ROWS["postage_direction"][i], "zone": ROWS["postage_zone"][i], "weight_grams": ROWS["postage_weight_grams"][i]}
        try:
            out.append(str(engine.quote(req).total))
        except lephi.LephiError:
            out.append(None)
    return out


def as_str(values: Any) -> list[str | None]:
    return [None if v is None or v is pd.NA else str(v) for v in values]


def test_pyarrow_in_pyarrow_out_matches_scalar_quotes(engine: lephi.Engine) -> None:
    table = pa.table(ROWS)
    out = engine.quote_many(table)
    assert isinstance(out, pa.Table)
    assert out.schema.field("total").type == pa.decimal128(38, 0)
    assert as_str(out["total"].to_pylist()) == scalar_totals(engine)
    assert out["status"].to_pylist() == ["ok"] * 5 + ["error", "ok"]
    assert out["error_code"].to_pylist()[5] == "unknown_procedure"
    assert out.column_names[: len(ROWS)] == list(ROWS)


def test_pandas_in_pandas_out(engine: lephi.Engine) -> None:
    df = pd.DataFrame(ROWS, index=[10, 11, 12, 13, 14, 15, 16])
    out = engine.quote_many(df)
    assert isinstance(out, pd.DataFrame) and list(out.index) == list(df.index)
    assert as_str(out["total"]) == scalar_totals(engine)
    assert out.loc[14, "postage_subsidy"] == Decimal("16000")
    assert out.loc[14, "total"] == Decimal("125000")
    assert list(out.loc[14, "rule_ids"])[-1] == "ht-bcci-return-subsidy/citizen-pays-10000"
    # running it again replaces the result columns instead of duplicating them
    again = engine.quote_many(out)
    assert list(again.columns) == list(out.columns)


def test_polars_in_polars_out(engine: lephi.Engine) -> None:
    df = pl.DataFrame({k: v for k, v in ROWS.items() if k != "declared_value"}).with_columns(
        pl.Series("declared_value", ROWS["declared_value"], dtype=pl.Decimal(20, 0))
    )
    out = engine.quote_many(df)
    assert isinstance(out, pl.DataFrame)
    assert as_str(out["total"].to_list()) == scalar_totals(engine)


def test_dates_as_date_types_and_lists_of_categories(engine: lephi.Engine) -> None:
    table = pa.table(
        {
            "procedure": ["judicial-record.certificate"] * 3,
            "date": pa.array([dt.date(2024, 5, 1)] * 3, pa.date32()),
            "categories": [["student"], [], None],
        }
    )
    out = engine.quote_many(table)
    assert as_str(out["total"].to_pylist()) == ["100000", "200000", "200000"]
    df = pd.DataFrame({"procedure": ["driver-licence.issue"] * 2, "date": pd.to_datetime(["2024-05-01", "2026-05-01"]), "channel": ["online_full"] * 2})
    assert as_str(engine.quote_many(df)["total"]) == ["115000", "135000"]


def test_pandas_object_date_cells_are_read_natively_and_anything_else_falls_back(engine: lephi.Engine) -> None:
    # What `pa.Table.to_pandas()` gives for a date32 column: object cells of `datetime.date`.
    dates = pa.array([dt.date(2024, 5, 1), dt.date(2026, 5, 1), None, dt.date(2024, 5, 1)], pa.date32())
    df = pa.table({"procedure": ["driver-licence.issue"] * 4, "date": dates, "channel": ["online_full"] * 4}).to_pandas()
    assert df["date"].dtype == object
    out = engine.quote_many(df)
    assert as_str(out["total"]) == ["115000", "135000", None, "115000"]
    assert as_str(out["error_code"]) == [None, None, "request_invalid", None]
    assert list(out.columns[:3]) == ["procedure", "date", "channel"]
    # The native reader gives exactly pyarrow's date32, at the calendar's edges too.
    cells = [dt.date(1, 1, 1), dt.date(1969, 12, 31), dt.date(1970, 1, 1), dt.date(2024, 2, 29), dt.date(9999, 12, 31), None]
    assert pa.array(lephi._lephi.dates_from_objects(cells)).equals(pa.array(cells, pa.date32()))
    # Any other cell leaves the column to pyarrow's conversion.
    assert lephi._lephi.dates_from_objects([dt.date(2024, 5, 1), "2026-05-01"]) is None
    assert lephi._lephi.dates_from_objects([dt.datetime(2024, 5, 1, 8, 30)]) is None
    # A date column with no dates at all refuses every row, whichever way it arrives.
    empty = pd.DataFrame({"procedure": ["driver-licence.issue"] * 2, "date": pd.Series([None, None], dtype=object)})
    for frame in (empty, pa.Table.from_pandas(empty, preserve_index=False)):
        out = engine.quote_many(frame)
        assert as_str(out["error_code"]) == ["request_invalid"] * 2
    mixed = pd.DataFrame({"procedure": ["driver-licence.issue"] * 2, "date": ["2024-05-01", "2026-05-01"], "channel": ["online_full"] * 2})
    mixed["date"] = mixed["date"].astype(object)
    assert as_str(engine.quote_many(mixed)["total"]) == ["115000", "135000"]


def test_a_bad_row_is_marked_and_the_rest_priced(engine: lephi.Engine) -> None:
    table = pa.table({"procedure": ["driver-licence.issue"] * 4, "date": ["2024-05-01", "not-a-date", None, "2019-01-01"]})
    out = engine.quote_many(table)
    assert out["status"].to_pylist() == ["ok", "error", "error", "error"]
    assert out["error_code"].to_pylist() == [None, "request_invalid", "request_invalid", "date_outside_windows"]
    assert out["total"].to_pylist()[0] == Decimal("135000")
    assert "2019-01-01" in out["error"].to_pylist()[3]


def test_a_whole_number_too_wide_for_int64_is_refused_in_its_row_not_priced_as_missing(engine: lephi.Engine) -> None:
    # A cast to int64 would make these nulls, and a null count prices as one copy.
    copies = pa.array([2**63 + 5, 3], pa.uint64())
    table = pa.table({"procedure": ["judicial-record.certificate"] * 2, "date": ["2024-05-01"] * 2, "copies": copies})
    out = engine.quote_many(table)
    assert out["status"].to_pylist() == ["error", "ok"]
    assert out["error"].to_pylist()[0] == (
        "invalid input `copies` = `9223372036854775813` (expected a whole number from 1 to 1000000)"
    )
    assert out["total"].to_pylist()[1] == Decimal("205000")
    value = pa.array([2**64 - 1, 800_000_000], pa.uint64())
    cars = pa.table({"procedure": ["registration-fee.car"] * 2, "date": ["2024-05-01"] * 2, "jurisdiction": ["vn/ha-noi"] * 2,
                     "vehicle_zone": ["kv1"] * 2, "registration": ["first"] * 2, "declared_value": value})
    out = engine.quote_many(cars)
    assert out["error_code"].to_pylist() == ["invalid_input", None]
    assert "`declared_value` = `18446744073709551615`" in out["error"].to_pylist()[0]


def test_a_count_the_engine_refuses_reads_as_it_would_in_a_request(engine: lephi.Engine) -> None:
    table = pa.table({"procedure": ["judicial-record.certificate"] * 4, "date": ["2024-05-01"] * 4,
                      "copies": pa.array([-1, 0, 1_000_001, 3], pa.int64())})
    errors = engine.quote_many(table)["error"].to_pylist()
    for row, copies in enumerate(["-1", "0", "1000001"]):
        with pytest.raises(lephi.InvalidInput) as raised:
            engine.quote(procedure="judicial-record.certificate", date="2024-05-01", inputs={"copies": str(copies)})
        assert errors[row] == str(raised.value)
    assert errors[3] is None


def test_a_day_outside_the_range_is_refused_in_its_row_for_the_day_it_holds(engine: lephi.Engine) -> None:
    days = pa.table({"procedure": ["driver-licence.issue"] * 2, "date": pa.array([-25_568, -106_752], pa.date32())})
    assert engine.quote_many(days)["error"].to_pylist() == [
        "invalid input `date` = `1899-12-31` (expected a date in 1900–2999)",
        "invalid input `date` = `1677-09-21` (expected a date in 1900–2999)",
    ]
    # Beyond date32 the cast refuses the whole column (seconds) or makes a null (date64): only
    # that row is refused, and a timestamp's day is still its day in its own time zone.
    stamps = pa.array([1_701_363_600, None, 2**62], pa.int64())  # 2023-11-30T17:00Z = 1 Dec in Hà Nội time
    table = pa.table({"procedure": ["driver-licence.issue"] * 3, "channel": ["online_full"] * 3,
                      "date": stamps.cast(pa.timestamp("s", tz="Asia/Ho_Chi_Minh"))})
    out = engine.quote_many(table)
    assert out["status"].to_pylist() == ["ok", "error", "error"]
    assert out["total"].to_pylist()[0] == Decimal("115000")
    assert out["error"].to_pylist()[1] == "invalid request: `date` is empty in this row"
    assert out["error"].to_pylist()[2] == (
        "invalid request: `146138514283-06-19` is not a date (expected `YYYY-MM-DD` between 1900 and 2999)"
    )
    ms = pa.array([1_701_363_600_000, -(2**63)], pa.int64()).cast(pa.date64())
    out = engine.quote_many(pa.table({"procedure": ["driver-licence.issue"] * 2, "date": ms}))
    assert out["status"].to_pylist() == ["ok", "error"]
    assert "is not a date" in out["error"].to_pylist()[1]


def test_money_as_float_column_is_a_type_error(engine: lephi.Engine) -> None:
    df = pd.DataFrame({"procedure": ["registration-fee.car"], "date": ["2024-05-01"], "declared_value": [8e8]})
    with pytest.raises(TypeError, match="declared_value.*float"):
        engine.quote_many(df)


def test_counts_from_pandas_float_columns_with_missing_values(engine: lephi.Engine) -> None:
    df = pd.DataFrame({"procedure": ["judicial-record.certificate"] * 3, "date": ["2024-05-01"] * 3, "copies": [3.0, None, 2.5]})
    out = engine.quote_many(df)
    assert as_str(out["total"]) == ["205000", "200000", None]
    assert out["error_code"].iloc[2] == "invalid_input"


def test_missing_required_columns_is_a_value_error(engine: lephi.Engine) -> None:
    with pytest.raises(ValueError, match="procedure"):
        engine.quote_many(pa.table({"date": ["2024-05-01"]}))
    with pytest.raises(TypeError):
        engine.quote_many([1, 2, 3])
    # a pandas frame with only its dates (read natively) still says what is missing
    with pytest.raises(ValueError, match="procedure"):
        engine.quote_many(pd.DataFrame({"date": [dt.date(2024, 5, 1)] * 3}))
    with pytest.raises(TypeError, match=r"LazyFrame: call \.collect\(\)"):
        engine.quote_many(pl.LazyFrame({"procedure": ["driver-licence.issue"], "date": ["2024-05-01"]}))




def test_impact_of_a_scenario(engine: lephi.Engine) -> None:
    dossiers = pd.DataFrame(
        {
            "procedure": ["household-business.registration"] * 4 + ["judicial-record.certificate", "nope"],
            "date": ["2023-03-01"] * 6,
            "jurisdiction": ["vn/tien-giang"] * 6,
            "channel": ["online_full", "in_person", "online_partial", "in_person", "online_full", "online_full"],
            "base_amount": ["100000", "100000", "50000", "50000", None, None],
        }
    )
    result = lephi.impact(dossiers, baseline=engine, scenario=engine.with_rules(SCENARIO), by=["channel"])
    rows, summary = result.rows, result.summary
    assert list(rows["revenue_forgone"].fillna(-1)) == [50000, 0, 25000, 0, 0, -1]
    by = summary.set_index("channel")
    assert by.loc["online_full", "revenue_forgone"] == 50000
    assert by.loc["online_full", "revenue_collected"] == 250000  # 50.000 + 200.000
    assert by.loc["online_full", "errors"] == 1
    assert by.loc["in_person", "applicant_savings"] == 0
    assert int(summary["dossiers"].sum()) == 5
    total = lephi.impact(dossiers, baseline=engine, scenario=engine.with_rules(SCENARIO)).summary
    assert int(total.loc[0, "revenue_forgone"]) == 75000 and int(total.loc[0, "errors"]) == 1


def test_impact_sums_never_wrap_around(engine: lephi.Engine) -> None:
    # 100 cars declared at 18 digits: each fee fits in int64, their sum does not (Arrow's
    # int64 sum would give a negative revenue).
    cars = pa.table({"procedure": ["registration-fee.car"] * 100, "date": ["2024-05-01"] * 100,
                     "jurisdiction": ["vn/ha-noi"] * 100, "vehicle_zone": ["kv1"] * 100, "registration": ["first"] * 100,
                     "declared_value": ["999999999999999999"] * 100, "region": ["north"] * 100})
    one = engine.quote_many(cars.slice(0, 1))
    assert one["status"].to_pylist() == ["ok"] and one["fees_total"][0].as_py() >= 10**17
    for by in ((), ("region",)):
        with pytest.raises(OverflowError, match="the sum of baseline_fees exceeds int64"):
            lephi.impact(cars, baseline=engine, scenario=engine, by=by)
    fine = lephi.impact(cars.slice(0, 2), baseline=engine, scenario=engine, by=("region",)).summary
    assert fine["baseline_fees"].to_pylist() == [2 * one["fees_total"][0].as_py()]


def test_impact_groups_rows_whose_key_is_null_and_groups_of_errors_only(engine: lephi.Engine) -> None:
    # Before, the summary joined the groups' counts to their sums, and a join does not match a
    # null key to itself: the two priced rows of the null group were reported as 2 errors.
    dossiers = pa.table({"procedure": ["driver-licence.issue"] * 3 + ["nope"], "date": ["2024-05-01"] * 4,
                         "office": ["a", None, None, "b"]})
    summary = lephi.impact(dossiers, baseline=engine, scenario=engine, by=["office"]).summary
    assert summary.schema.field("baseline_fees").type == pa.int64() and summary.schema.field("errors").type == pa.int64()
    got = {r["office"]: (r["baseline_fees"], r["dossiers"], r["errors"]) for r in summary.to_pylist()}
    assert got == {"a": (135000, 1, 0), None: (270000, 2, 0), "b": (0, 0, 1)}
    with pytest.raises(TypeError, match="cannot be grouped on"):
        lephi.impact(dossiers.append_column("lists", pa.array([[1]] * 4)), baseline=engine, scenario=engine, by=["lists"])


def test_impact_rows_keep_the_dossiers_index(engine: lephi.Engine) -> None:
    dossiers = pd.DataFrame({"procedure": ["driver-licence.issue"] * 3, "date": ["2024-05-01"] * 3,
                             "channel": ["online_full", "in_person", "online_full"]}, index=[17, 3, 9])
    rows = lephi.impact(dossiers, baseline=engine, scenario=engine).rows
    assert rows.index.tolist() == [17, 3, 9]
    assert rows.index.equals(engine.quote_many(dossiers).index)


def test_a_column_of_the_callers_with_a_result_columns_name_is_not_dropped(engine: lephi.Engine) -> None:
    dossiers = pd.DataFrame({"procedure": ["driver-licence.issue"], "date": ["2024-05-01"], "status": ["đã trả kết quả"]})
    with pytest.raises(ValueError, match="has columns named status, which quote_many adds; rename them"):
        engine.quote_many(dossiers)
    for name in ("status", "dossiers"):
        with pytest.raises(ValueError, match=f"`by` names `{name}`, which is also a column impact adds"):
            lephi.impact(dossiers.rename(columns={"status": name}), baseline=engine, scenario=engine, by=[name])
    # A frame quote_many returned is priced again, its result columns replaced.
    priced = engine.quote_many(dossiers.rename(columns={"status": "dossier_status"}))
    again = engine.quote_many(priced.assign(date="2026-05-01"))
    assert list(again.columns) == list(priced.columns)
    assert as_str(again["total"]) == ["135000"] and again["dossier_status"].tolist() == ["đã trả kết quả"]


def test_a_column_named_almost_like_one_quote_many_reads_gets_a_warning(engine: lephi.Engine) -> None:
    columns = lephi._lephi.batch_columns()
    assert columns[:3] == ["procedure", "date", "jurisdiction"] and {"copies", "declared_value", "postage_weight_grams"} <= set(columns)
    table = pa.table({"procedure": ["driver-licence.issue"], "date": ["2024-05-01"], "chanel": ["online_full"], "region": ["north"]})
    with pytest.warns(UserWarning, match=r"does not read the column `chanel` \(did you mean `channel`\?\)") as caught:
        out = engine.quote_many(table)
    assert len(caught) == 1  # `region` is the caller's own column, far from any name read
    assert caught[0].filename == __file__
    assert out["total"].to_pylist() == [Decimal("135000")]  # priced in person: the typo is not read
    # impact reads the same columns, and says the same
    with pytest.warns(UserWarning, match="does not read the column `chanel`") as caught:
        lephi.impact(table, baseline=engine, scenario=engine)
    assert caught[0].filename == __file__  # the warning points at the caller's line
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        engine.quote_many(pa.table({"procedure": ["driver-licence.issue"], "date": ["2024-05-01"], "channel": ["online_full"]}))


def test_a_collect_fees_cell_that_is_not_a_boolean_is_refused_in_its_row(engine: lephi.Engine) -> None:
    # Arrow's cast makes `maybe` a null, which was priced as false: without the surcharge.
    n = 4
    table = pa.table({"procedure": ["driver-licence.issue"] * n, "date": ["2024-05-01"] * n, "jurisdiction": ["vn/khanh-hoa"] * n,
                      "postage_direction": ["send"] * n, "postage_zone": ["inter_district"] * n, "postage_weight_grams": [100] * n,
                      "postage_collect_fees": ["true", "False", "maybe", None]})
    out = engine.quote_many(table)
    with_fees, without = out["total"].to_pylist()[0], out["total"].to_pylist()[1]
    assert with_fees > without and out["total"].to_pylist()[3] == without
    assert out["error"].to_pylist()[2] == "invalid input `postage_collect_fees` = `maybe` (expected true or false)"
    # The other cells are read by Arrow's own rule (`ye` is yes there), as in a column with no bad cell.
    mixed = table.set_column(6, "postage_collect_fees", pa.array(["ye", "of", "maybe", None]))
    assert engine.quote_many(mixed)["total"].to_pylist()[:2] == [with_fees, without]
    # A weight given as text is read as grams, or refused in its row.
    weights = table.set_column(5, "postage_weight_grams", pa.array(["100", "heavy", "100", "100"]))
    assert engine.quote_many(weights)["error"].to_pylist()[1] == (
        "invalid input `postage_weight_grams` = `heavy` (expected a whole number of grams (u32))"
    )


def test_postage_collect_fees_column_matches_the_contract(root: Any) -> None:
    """`postage_collect_fees` adds the post office's fee-collection surcharge, as the request's
    `postage.collect_fees` does (conformance case postage-surcharge-on-send: 553000)."""
    engine = lephi.Engine.from_dir(root / "tests/conformance/rules")
    table = pa.table(
        {
            "procedure": ["e.value"] * 2,
            "date": ["2024-03-01"] * 2,
            "declared_value": ["200000000"] * 2,
            "postage_direction": ["send"] * 2,
            "postage_zone": ["inter_province"] * 2,
            "postage_weight_grams": [100, 100],
            "postage_collect_fees": [True, False],
        }
    )
    totals = as_str(engine.quote_many(table)["total"].to_pylist())
    assert totals[0] == "553000"
    assert totals[0] == str(engine.quote({"procedure": "e.value", "date": "2024-03-01", "inputs": {"declared_value": "200000000"},
                                          "postage": {"direction": "send", "zone": "inter_province", "weight_grams": 100, "collect_fees": True}}).total)
    assert Decimal(totals[1]) < Decimal(totals[0])


def test_driving_test_sittings_are_read_from_columns_and_0_is_a_part_not_sat(engine: lephi.Engine) -> None:
    frame = pl.DataFrame({
        "procedure": ["driving-test.car"] * 3 + ["driving-test.a1"],
        "date": ["2026-03-02"] * 4,
        "circuit_sittings": [None, 2, 0, None],
        "theory_sittings": [None, 0, 0, 0],
        "road_sittings": [1, 1, -1, None],
    })
    out = engine.quote_many(frame)
    assert out["total"].to_list()[:2] == [Decimal("630000"), Decimal("880000")]
    assert out["status"].to_list() == ["ok", "ok", "error", "ok"]
    assert out["error_code"].to_list()[2] == "invalid_input"
    assert out["total"].to_list()[3] == Decimal("70000")


def test_a_pandas_column_of_mixed_cells_is_refused_cell_by_cell_not_as_a_whole(engine: lephi.Engine) -> None:
    # What a spreadsheet import gives: numbers and text in one object column, a bool among
    # counts, a column of the caller's own that pyarrow cannot type. pyarrow refuses such a
    # frame outright; each bad cell must mark only its row, and the caller's cells stay as given.
    frame = pd.DataFrame({
        "procedure": ["certified-copy.from-original"] * 5,
        "date": ["2024-05-01", dt.date(2024, 5, 1), pd.Timestamp("2024-05-01 10:00"), "2024-05-01", 5],
        "pages": [1, "2", 3.0, True, 4],
        "note": [1, "a", None, 2.5, dt.date(2024, 1, 1)],
    })
    out = engine.quote_many(frame)
    assert as_str(out["total"]) == ["2000", "4000", "5000", None, None]
    assert list(out["status"]) == ["ok", "ok", "ok", "error", "error"]
    assert "`pages` = `true`" in out["error"][3]
    assert "`5` is not a date" in out["error"][4]
    assert list(out["pages"]) == [1, "2", 3.0, True, 4]
    assert list(out["note"])[:2] == [1, "a"]
    # impact reads the frame the same way.
    result = lephi.impact(frame, baseline=engine, scenario=engine)
    assert list(result.rows["status"]) == ["ok", "ok", "ok", "error", "error"]
    # A float among money cells is refused like a float column of money: never floats.
    money = pd.DataFrame({
        "procedure": ["registration-fee.house-land"] * 2,
        "date": ["2024-05-01"] * 2,
        "declared_value": ["1500000000", 1500000000.0],
    })
    with pytest.raises(TypeError, match=r"column `declared_value` has a float \(1500000000.0\)"):
        engine.quote_many(money)
    with pytest.raises(TypeError, match="never floats"):
        engine.quote_many(money.astype({"declared_value": float}))
