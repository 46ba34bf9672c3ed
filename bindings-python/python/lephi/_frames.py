"""Columnar pricing over pandas, polars and Arrow, and policy-scenario impact.

The rows are priced in Rust from Arrow columns with the GIL released; Python only moves whole
columns. Money stays exact: result columns are Arrow ``decimal128(38, 0)`` (whole đồng), and the
impact arithmetic is done in checked ``int64`` đồng.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from ._api import Engine

RESULT_COLUMNS = (
    "total",
    "fees_total",
    "postage_total",
    "postage_subsidy",
    "rule_ids",
    "status",
    "error_code",
    "error",
)


def _kind(table: Any) -> str:
    mod = type(table).__module__.split(".")[0]
    if mod == "pandas":
        return "pandas"
    if mod == "polars":
        if not hasattr(table, "to_arrow"):  # a LazyFrame: nothing has been computed yet
            raise TypeError(
                f"quote_many takes a polars DataFrame; got a {type(table).__name__}: call .collect() on it first"
            )
        return "polars"
    if mod == "pyarrow":
        return "pyarrow"
    if hasattr(table, "__arrow_c_stream__"):
        return "arrow"
    raise TypeError(
        f"quote_many takes a pandas DataFrame, a polars DataFrame, a pyarrow Table or any object with "
        f"__arrow_c_stream__; got {type(table).__name__}"
    )


def _to_arrow(table: Any, kind: str) -> Any:
    import pyarrow as pa

    if kind == "pandas":
        return _pandas_to_arrow(table)
    if kind == "pyarrow":
        return table if isinstance(table, pa.Table) else pa.table(table)
    return pa.table(table)


def _pandas_to_arrow(frame: Any) -> Any:
    """``pa.Table.from_pandas``, except that an object-dtype ``date`` column of ``datetime.date``
    cells (what ``pa.Table.to_pandas()`` gives) is read natively: pyarrow's per-cell conversion
    of it costs more than pricing the rows. Any other cell falls back to pyarrow."""
    import pyarrow as pa

    from . import _lephi

    column: Any = frame["date"] if "date" in frame.columns else None
    if getattr(column, "ndim", 0) == 1 and column.dtype == object:
        dates = _lephi.dates_from_objects(column.tolist())
        if dates is not None:
            rest = frame.drop(columns=["date"])
            if len(rest.columns) == 0:  # a table of no columns has no rows to append to
                return pa.table({"date": pa.array(dates)})
            return _from_pandas(rest).append_column("date", pa.array(dates))
    return _from_pandas(frame)


def _from_pandas(frame: Any) -> Any:
    """``pa.Table.from_pandas``; a column of mixed cells (``[1, "2", None]`` from a spreadsheet,
    ``True`` among counts) that pyarrow cannot give one type is read as text, cell by cell, so
    each bad cell is refused in its own row instead of the whole frame failing. The caller's
    frame is returned unchanged: the text is only what is priced. Floats follow the rule of
    float columns: a whole float is a count where counts are read, and a float is refused (as
    a ``TypeError``) in any other column quote_many reads, money above all."""
    import pyarrow as pa

    from . import _lephi

    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    read = set(_lephi.batch_columns())
    counts = set(_lephi.batch_count_columns())
    columns = {}
    for name in frame.columns:
        column = frame[name]
        try:
            columns[name] = pa.array(column, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            floats = "count" if name in counts else "refuse" if name in read else "text"
            cells = [_cell_text(name, v, floats) for v in column.tolist()]
            columns[name] = pa.array(cells, type=pa.string())
    return pa.table(columns)


def _cell_text(name: Any, value: Any, floats: str) -> str | None:
    """A cell of a mixed column as the text a request would carry: missing stays missing, a
    bool is ``true``/``false`` (a boolean column's words; a count refuses it), a date is
    ``YYYY-MM-DD``. A float is its integer where counts are read and whole (as in a float
    column), is refused where other values are read, and is its repr elsewhere."""
    import datetime as dt
    import math
    import numbers

    import numpy as np
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        # float, numpy's floats, Fraction: not exact money.
        value = float(value)
        if math.isnan(value):
            return None
        if floats == "refuse":
            raise TypeError(
                f"column `{name}` has a float ({value!r}) among its cells; expected strings, "
                "integers or decimals (never floats: use Decimal, int or str)"
            )
        if floats == "count" and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _price(engine: Engine, arrow_table: Any) -> Any:
    import pyarrow as pa

    return pa.table(engine._native.quote_batch(arrow_table))


def _attach(kind: str, original: Any, result: Any) -> Any:
    """Appends the result columns to the caller's frame (replacing earlier result columns)."""
    if kind == "pandas":
        import pandas as pd

        res = result.to_pandas(types_mapper=pd.ArrowDtype)
        res.index = original.index
        kept = original.drop(columns=[c for c in RESULT_COLUMNS if c in original.columns])
        return pd.concat([kept, res], axis=1)
    if kind == "polars":
        import polars as pl

        res = pl.from_arrow(result)
        kept = original.drop([c for c in RESULT_COLUMNS if c in original.columns])
        return pl.concat([kept, res], how="horizontal")
    import pyarrow as pa

    base = original if isinstance(original, pa.Table) else pa.table(original)
    base = base.drop_columns([c for c in RESULT_COLUMNS if c in base.column_names])
    for name in result.column_names:
        base = base.append_column(result.schema.field(name), result[name])
    return base


def _check_names(arrow_table: Any) -> None:
    """A frame that quote_many returned (all the result columns) is priced again, its result
    columns replaced; a table with only some of those names has columns of its own with them
    (a dossier's ``status``), which replacing would silently drop."""
    clash = [c for c in RESULT_COLUMNS if c in arrow_table.column_names]
    if clash and len(clash) != len(RESULT_COLUMNS):
        raise ValueError(
            f"the table has columns named {', '.join(clash)}, which quote_many adds; rename them "
            f"(a frame that quote_many returned, with all of {', '.join(RESULT_COLUMNS)}, is priced "
            "again and those columns replaced)"
        )


def _warn_unread(arrow_table: Any, stacklevel: int) -> None:
    """Columns that quote_many does not read are the caller's own and are left alone; one
    whose name is close to a column it reads (``chanel``, ``copie``) is most likely a typo that
    would price every row without it, so it gets a warning."""
    import difflib
    import warnings

    from . import _lephi

    read = _lephi.batch_columns()
    for name in arrow_table.column_names:
        if name in read or name in RESULT_COLUMNS:
            continue
        close = difflib.get_close_matches(str(name), read, n=1, cutoff=0.8)
        if close:
            warnings.warn(
                f"quote_many does not read the column `{name}` (did you mean `{close[0]}`?); "
                "the rows are priced without it",
                UserWarning,
                stacklevel=stacklevel + 1,
            )


def quote_many(engine: Engine, table: Any) -> Any:
    kind = _kind(table)
    arrow_table = _to_arrow(table, kind)
    _check_names(arrow_table)
    _warn_unread(arrow_table, stacklevel=3)  # the caller of Engine.quote_many
    result = _price(engine, arrow_table)
    return _attach(kind, table, result)


@dataclass(frozen=True)
class Impact:
    """What a policy scenario changes, per dossier (``rows``) and per group (``summary``).

    Amounts are whole đồng (``int64``). Per row: ``baseline_fees``, ``scenario_fees``,
    ``revenue_forgone`` (baseline fees − scenario fees), ``applicant_savings`` (baseline total
    − scenario total), ``postal_subsidy`` (what the budget pays for postage under the scenario)
    and ``status`` (``ok`` when both engines priced the row). The summary sums them by ``by``
    with ``dossiers`` and ``errors`` counts; ``revenue_collected`` is the scenario's fees.
    """

    rows: Any
    summary: Any


_SUMMED = (
    "baseline_fees",
    "revenue_collected",
    "revenue_forgone",
    "applicant_savings",
    "postal_subsidy",
)


def impact(dossiers: Any, *, baseline: Engine, scenario: Engine, by: Sequence[str] = ()) -> Impact:
    """Prices ``dossiers`` with both engines and reports the difference.

    ``dossiers`` is any frame :meth:`Engine.quote_many` accepts; ``rows`` and ``summary`` come
    back as the same kind of frame.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = _kind(dossiers)
    table = _to_arrow(dossiers, kind)
    _warn_unread(table, stacklevel=2)  # the caller of impact
    for col in by:
        if col not in table.column_names:
            raise ValueError(f"`by` names `{col}`, which is not a column of the dossiers")
        if col in _SUMMED or col in ("status", "error", "dossiers", "errors", "dossiers_count"):
            raise ValueError(f"`by` names `{col}`, which is also a column impact adds; rename it in the dossiers")
    b = _price(baseline, table)
    s = _price(scenario, table)

    def dong(t: Any, name: str) -> Any:
        return _int64(t[name], name)

    ok = pc.and_(pc.equal(b["status"], "ok"), pc.equal(s["status"], "ok"))
    b_fees, s_fees = dong(b, "fees_total"), dong(s, "fees_total")
    cols = {c: table[c] for c in by}
    cols.update(
        {
            "baseline_fees": b_fees,
            "revenue_collected": s_fees,
            "revenue_forgone": pc.subtract_checked(b_fees, s_fees),
            "applicant_savings": pc.subtract_checked(dong(b, "total"), dong(s, "total")),
            "postal_subsidy": dong(s, "postage_subsidy"),
            "status": pc.if_else(ok, "ok", "error"),
            "error": pc.coalesce(b["error"], s["error"]),
        }
    )
    rows = pa.table(cols)
    # One pass over every row: a row that either engine refused adds 0 to the sums and 1 to
    # `errors`, so a group's counts need no join (a join would not match a null group key to
    # itself, and report such a group's dossiers as errors). Summed as decimal128 and checked
    # back into int64: Arrow's int64 sum wraps around silently.
    dec = pa.decimal128(38, 0)
    wide = pa.table(
        {
            **{c: table[c] for c in by},
            **{c: pc.if_else(ok, pc.cast(rows[c], dec), pa.scalar(0, dec)) for c in _SUMMED},
            "dossiers": pc.cast(ok, pa.int64()),
        }
    )
    aggs = [(c, "sum") for c in _SUMMED] + [("dossiers", "sum"), ("dossiers", "count")]
    if by:
        try:
            summary = wide.group_by(list(by)).aggregate(aggs)
        except pa.ArrowNotImplementedError as e:
            raise TypeError(f"`by` names a column whose type cannot be grouped on: {e}") from e
        summary = summary.rename_columns([n.removesuffix("_sum") for n in summary.column_names])
        summary = summary.sort_by([(c, "ascending") for c in by])
    else:
        summary = pa.table({**{c: [pc.sum(wide[c])] for c in (*_SUMMED, "dossiers")}, "dossiers_count": [wide.num_rows]})
    for c in _SUMMED:
        summed = pc.fill_null(summary[c], pa.scalar(0, dec))  # the sum of no rows
        summary = summary.set_column(summary.column_names.index(c), c, _int64(summed, f"the sum of {c}"))
    counted = pc.fill_null(summary["dossiers"], 0)
    summary = summary.set_column(summary.column_names.index("dossiers"), "dossiers", pc.cast(counted, pa.int64()))
    summary = summary.append_column("errors", pc.subtract(pc.cast(summary["dossiers_count"], pa.int64()), summary["dossiers"]))
    order = list(by) + list(_SUMMED) + ["dossiers", "errors"]
    summary = summary.select(order)
    per_row = _convert(kind, rows)
    if kind == "pandas":  # row for row with the dossiers, as quote_many's result is
        per_row.index = dossiers.index
    return Impact(rows=per_row, summary=_convert(kind, summary))


def _int64(values: Any, what: str) -> Any:
    """Whole đồng as ``int64``, or ``OverflowError`` (never a wrapped-around amount)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return pc.cast(values, pa.int64())
    except pa.ArrowInvalid as e:
        raise OverflowError(
            f"{what} exceeds int64 (9223372036854775807 đồng), in which impact reports amounts; "
            "split the dossiers, or use quote_many, whose columns are decimal128(38, 0)"
        ) from e


def _convert(kind: str, table: Any) -> Any:
    if kind == "pandas":
        return table.to_pandas()
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table
