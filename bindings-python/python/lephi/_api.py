"""The Python face of the engine: requests in, exact quotes out.

Everything is computed by the Rust core; this module only turns Python values into the JSON
contract (refusing floats for money) and the answers back into ``Decimal``-valued objects.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Mapping, TypeVar

_T = TypeVar("_T")

from . import _lephi
from .errors import LephiError

__all__ = [
    "Engine",
    "Quote",
    "Line",
    "Adjustment",
    "Postage",
    "Warning",
    "ChannelComparison",
    "format_vnd",
    "amount_in_words",
]

# Said for every float, not only money: counts (`pages`) and grams are whole numbers.
_MONEY_HINT = (
    "lephi takes no floats (money must be exact; counts and grams are whole numbers): "
    "pass an int, a decimal.Decimal or a str (e.g. Decimal('1500000'))"
)


def _text(name: str, value: Any, optional: bool = False) -> Any:
    """A text argument, checked here so that the ``TypeError`` names it (the native module's
    says only ``'int' object is not an instance of 'str'``)."""
    if (value is None and optional) or isinstance(value, str):
        return value
    raise TypeError(f"`{name}` takes text (str); got {type(value).__name__}")


def _iso_day(value: _dt.date) -> str:
    """The ISO day of a ``date``, or of a ``datetime`` (whose ``isoformat()`` carries the time)."""
    return (value.date() if isinstance(value, _dt.datetime) else value).isoformat()


def _date_text(name: str, value: Any, optional: bool = False) -> Any:
    """A date argument: ``datetime.date`` (or ``datetime``) or ISO text."""
    if isinstance(value, _dt.date):
        return _iso_day(value)
    return _text(name, value, optional)


def _decimal_text(value: Decimal) -> str:
    """A finite Decimal as the contract writes amounts: digits with an optional fraction.
    ``str`` gives ``1.5E+9`` for ``Decimal(15) * Decimal('1E+8')`` and ``-0`` for a negative
    zero, which the engine refuses."""
    return "0" if value.is_zero() else format(value, "f")


# What a request's values may be (numpy integers and booleans count as int and bool).
_REQUEST_TYPES = "str, int, bool, Decimal, date, list or dict"


def _check_value(where: str, value: Any) -> Any:
    """Refuses floats anywhere in a request; converts Decimal and dates to their JSON form."""
    t = type(value)
    if t is str or t is int or value is None:
        return value
    if t is dict:
        return {str(k): _check_value(f"{where}.{k}", v) for k, v in value.items()}
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        raise TypeError(f"`{where}` is a float ({value!r}); {_MONEY_HINT}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"`{where}` is {value}; {_MONEY_HINT}")
        return _decimal_text(value)
    if isinstance(value, _dt.date):
        return _iso_day(value)
    if isinstance(value, Mapping):
        return {str(k): _check_value(f"{where}.{k}", v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_check_value(f"{where}[{i}]", v) for i, v in enumerate(value)]
    if value is None or isinstance(value, (int, str)):
        return value
    # numpy scalars and the like: accept integers, refuse floating point.
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind in ("i", "u"):
        return int(value)
    if kind == "b":
        return bool(value)
    if kind == "f":
        raise TypeError(f"`{where}` is a float ({value!r}); {_MONEY_HINT}")
    raise TypeError(f"`{where}` has type {type(value).__name__}; expected {_REQUEST_TYPES}")


def _json_default(value: Any) -> Any:
    """JSON for the non-JSON types a request may hold (Decimal, dates, numpy integers)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"{value} is not an amount; {_MONEY_HINT}")
        return _decimal_text(value)
    if isinstance(value, _dt.date):
        return _iso_day(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind in ("i", "u"):
        return int(value)
    if kind == "b":
        return bool(value)
    raise TypeError(f"a request value has type {type(value).__name__}; expected {_REQUEST_TYPES}")


def _merge(request: Mapping[str, Any] | None, fields: dict[str, Any]) -> dict[str, Any]:
    if request is None:
        return {key: value for key, value in fields.items() if value is not None}
    merged: dict[str, Any] = dict(request)
    for key, value in fields.items():
        if value is not None:
            merged[key] = value
    return merged


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _call(native: Callable[[str], _T], request: Mapping[str, Any] | None, fields: dict[str, Any]) -> tuple[str, _T]:
    """Encodes a request as contract JSON and hands it to a native call. The request is not
    walked first: the core refuses floats itself, and only when it refuses a request is the
    request re-checked, so a float raises ``TypeError`` with its path and the fix."""
    merged = _merge(request, fields)
    # Natively for the plain types a request holds; Python's encoder for anything else.
    rj = _lephi.encode_request(merged)
    if rj is None:
        rj = _ENCODER.encode(merged)
    try:
        return rj, native(rj)
    except LephiError:
        _check_value("request", merged)
        raise


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@dataclass(frozen=True)
class Adjustment:
    """A discount, exemption or replacement considered for a line."""

    rule: str
    name: str
    effect: str
    applied: bool
    delta: Decimal
    reason: str | None
    basis: dict[str, Any]


@dataclass(frozen=True)
class Line:
    """One fee item (phí or lệ phí) with its legal basis."""

    item: str
    rule: str
    kind: str
    name: str
    base: Decimal
    computation: str
    adjustments: tuple[Adjustment, ...]
    amount: Decimal
    basis: dict[str, Any]


@dataclass(frozen=True)
class Postage:
    """Postage: the tariff price, the province's subsidy and what the applicant pays."""

    rule: str
    zone: str
    direction: str
    weight_grams: int
    tariff: Decimal
    surcharge: Decimal
    subsidy: Decimal
    applicant: Decimal
    basis: dict[str, Any]


@dataclass(frozen=True)
class Warning:
    """Something the applicant should know (secondary source, rule ending soon, proof needed)."""

    code: str
    message: str
    rule: str | None

    def text(self, lang: str = "vi") -> str:
        """The warning as the receipt shows it: in Vietnamese (``vi``, the default), or the
        English ``message`` (``en``)."""
        return _lephi.warning_text(self.code, self.message, self.rule, _text("lang", lang))


def _adjustment(a: Mapping[str, Any]) -> Adjustment:
    return Adjustment(
        rule=a["rule"],
        name=a["name"]["vi"],
        effect=a["effect"],
        applied=bool(a["applied"]),
        delta=Decimal(a["delta"]),
        reason=a.get("reason"),
        basis=a["basis"],
    )


_new_object = object.__new__


def _priced(engine: Engine, native: _lephi._Quote, request_json: str | None) -> Quote:
    """A `Quote` of a native quote, built without calling `__init__` (this is on the path of
    every `Engine.quote`; the call costs more than the fields)."""
    q: Quote = _new_object(Quote)
    q._engine = engine
    q._native = native
    q._request = request_json
    q._text = q._parsed = q._totals = None
    return q


class Quote:
    """An exact, cited quote. Amounts are ``decimal.Decimal`` in đồng.

    >>> import lephi
    >>> q = lephi.Engine().quote(procedure="driver-licence.issue", date="2024-05-01", channel="online_full")
    >>> q.total
    Decimal('115000')
    >>> q.lines[0].adjustments[0].rule
    'tt-63-2023-btc/driver-licence-online'
    """

    __slots__ = ("_engine", "_request", "_text", "_native", "_parsed", "_totals")

    def __init__(self, engine: Engine, request_json: str, result_json: str) -> None:
        # A quote from its JSON (pickles, channel comparisons); `Engine.quote` uses `_priced`.
        self._engine = engine
        self._request: str | None = request_json
        self._text: str | None = result_json
        self._native: _lephi._Quote | None = None
        self._parsed: dict[str, Any] | None = None
        self._totals: tuple[int | str, int | str, int | str] | None = None

    @property
    def _json(self) -> str:
        # Written by the core on first use: reading the totals does not need it.
        if self._text is None:
            self._text = self._native.to_json() if self._native is not None else "{}"
        return self._text

    @property
    def _request_json(self) -> str:
        # The request as contract JSON; a quote priced from keyword arguments writes it on use.
        if self._request is None:
            self._request = self._native.request_json() if self._native is not None else "{}"
        return self._request

    @property
    def _data(self) -> dict[str, Any]:
        # Parsed on first use: reading the totals does not need it.
        if self._parsed is None:
            self._parsed = json.loads(self._json)
        return self._parsed

    def _total(self, index: int, key: str) -> Decimal:
        if self._totals is None and self._native is not None:
            self._totals = self._native.totals()
        if self._totals is not None:
            return Decimal(self._totals[index])
        return Decimal(self._data[key])

    # -- amounts ---------------------------------------------------------------------------
    @property
    def total(self) -> Decimal:
        """Everything the applicant pays: fees plus the applicant's share of postage."""
        return self._total(0, "total")

    @property
    def fees_total(self) -> Decimal:
        return self._total(1, "fees_total")

    @property
    def postage_total(self) -> Decimal:
        return self._total(2, "postage_total")

    @property
    def currency(self) -> str:
        return str(self._data["currency"])

    # -- what was priced ---------------------------------------------------------------------
    @property
    def procedure(self) -> str:
        return str(self._data["procedure"])

    @property
    def jurisdiction(self) -> str:
        return str(self._data["jurisdiction"])

    @property
    def date(self) -> _dt.date:
        return _dt.date.fromisoformat(self._data["date"])

    @property
    def channel(self) -> str:
        return str(self._data["channel"])

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(
            Line(
                item=ln["item"],
                rule=ln["rule"],
                kind=ln["kind"],
                name=ln["name"]["vi"],
                base=Decimal(ln["base"]),
                computation=ln["computation"],
                adjustments=tuple(_adjustment(a) for a in ln["adjustments"]),
                amount=Decimal(ln["amount"]),
                basis=ln["basis"],
            )
            for ln in self._data["lines"]
        )

    @property
    def postage(self) -> Postage | None:
        p = self._data.get("postage")
        if p is None:
            return None
        return Postage(
            rule=p["rule"],
            zone=p["zone"],
            direction=p["direction"],
            weight_grams=int(p["weight_grams"]),
            tariff=Decimal(p["tariff"]),
            surcharge=Decimal(p["surcharge"]),
            subsidy=Decimal(p["subsidy"]),
            applicant=Decimal(p["applicant"]),
            basis=p["basis"],
        )

    @property
    def warnings(self) -> tuple[Warning, ...]:
        return tuple(Warning(w["code"], w["message"], w.get("rule")) for w in self._data["warnings"])

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Every rule that set or changed an amount."""
        ids: list[str] = []
        for ln in self._data["lines"]:
            ids.append(ln["rule"])
            ids.extend(a["rule"] for a in ln["adjustments"] if a["applied"])
        p = self._data.get("postage")
        if p:
            ids.append(p["rule"])
            ids.extend(a["rule"] for a in p["adjustments"] if a["applied"])
            if p.get("subsidy_rule"):
                ids.append(p["subsidy_rule"])
        return tuple(ids)

    @property
    def fingerprint(self) -> str:
        """sha256 of the rule documents used and the engine version: reproduces the quote."""
        return str(self._data["fingerprint"])

    # -- forms -------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The result in the JSON contract (money as decimal strings)."""
        data: dict[str, Any] = json.loads(self._json)
        return data

    def to_json(self) -> str:
        """Canonical JSON, byte-identical with the Rust and WebAssembly results."""
        return self._json

    def explain(self, lang: str = "vi") -> str:
        """The itemised receipt, in Vietnamese (``vi``) or English (``en``)."""
        return self._engine._native.explain(self._request_json, _text("lang", lang))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quote) and self._json == other._json

    def __hash__(self) -> int:
        return hash(self._json)

    def __repr__(self) -> str:
        return (
            f"Quote(procedure={self.procedure!r}, jurisdiction={self.jurisdiction!r}, "
            f"date={self._data['date']!r}, channel={self.channel!r}, total={self.total!r}, "
            f"fees_total={self.fees_total!r}, postage_total={self.postage_total!r}, "
            f"lines={len(self._data['lines'])}, warnings={len(self._data['warnings'])})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (Quote, (self._engine, self._request_json, self._json))

    def _repr_html_(self) -> str:
        e = html.escape
        rows = []
        for ln in self.lines:
            adj = "; ".join(
                f"{e(a.name)} ({e(format_vnd(a.delta))})" for a in ln.adjustments if a.applied
            )
            basis = f"{ln.basis.get('number', '')} {ln.basis.get('article', '')}".strip()
            rows.append(
                f"<tr><td>{e(ln.name)}<br><small><code>{e(ln.rule)}</code></small></td>"
                f"<td style='text-align:right'>{e(format_vnd(ln.base))}</td><td>{adj or '—'}</td>"
                f"<td style='text-align:right'><b>{e(format_vnd(ln.amount))}</b></td><td>{e(basis)}</td></tr>"
            )
        p = self.postage
        if p is not None:
            rows.append(
                f"<tr><td>Bưu chính ({e(p.direction)}, {e(p.zone)}, {p.weight_grams} g)"
                f"<br><small><code>{e(p.rule)}</code></small></td>"
                f"<td style='text-align:right'>{e(format_vnd(p.tariff))}</td>"
                f"<td>{'hỗ trợ ' + e(format_vnd(p.subsidy)) if p.subsidy else '—'}</td>"
                f"<td style='text-align:right'><b>{e(format_vnd(p.applicant))}</b></td>"
                f"<td>{e(str(p.basis.get('number', '')))}</td></tr>"
            )
        warn = "".join(f"<li>{e(w.text('vi'))}</li>" for w in self.warnings)
        return (
            f"<div class='lephi-quote'><p><b>{e(self._data['procedure_name']['vi'])}</b> — "
            f"{e(self.jurisdiction)}, {e(self._data['date'])}, {e(self.channel)}</p>"
            "<table><thead><tr><th>Khoản</th><th>Mức gốc</th><th>Điều chỉnh</th><th>Phải nộp</th>"
            f"<th>Căn cứ</th></tr></thead><tbody>{''.join(rows)}</tbody>"
            f"<tfoot><tr><td colspan='3'><b>Tổng cộng</b></td><td style='text-align:right'>"
            f"<b>{e(format_vnd(self.total))}</b></td><td></td></tr></tfoot></table>"
            f"{'<ul>' + warn + '</ul>' if warn else ''}</div>"
        )


class ChannelComparison:
    """The same request on every channel, with the saving of going online."""

    __slots__ = ("_data", "quotes", "errors")

    def __init__(self, engine: Engine, request_json: str, result_json: str) -> None:
        self._data: dict[str, Any] = json.loads(result_json)
        req = json.loads(request_json)
        self.quotes: dict[str, Quote] = {}
        self.errors: dict[str, str] = {}
        for c in self._data["channels"]:
            if c["quote"] is not None:
                r = dict(req, channel=c["channel"])
                rj = json.dumps(r, ensure_ascii=False, separators=(",", ":"))
                self.quotes[c["channel"]] = Quote(engine, rj, json.dumps(c["quote"], ensure_ascii=False, separators=(",", ":"), sort_keys=True))
            else:
                self.errors[c["channel"]] = c["error"]["message"]

    @property
    def totals(self) -> dict[str, Decimal]:
        return {ch: q.total for ch, q in self.quotes.items()}

    @property
    def cheapest(self) -> str | None:
        return self._data.get("cheapest")

    @property
    def online_saving(self) -> Decimal | None:
        return _dec(self._data.get("online_saving"))

    def to_dict(self) -> dict[str, Any]:
        return self._data

    def __repr__(self) -> str:
        totals = ", ".join(f"{k}={v}" for k, v in self.totals.items())
        return f"ChannelComparison({totals}, cheapest={self.cheapest!r}, online_saving={self.online_saving!r})"


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(
            f"{str(path)!r} is not UTF-8 text (byte {e.start}): rule files are YAML in UTF-8; "
            "compiled rules (`lephi compile`) load only in the browser package"
        ) from e


def _read_rules(path: Path) -> list[tuple[str, str]]:
    """The rule files at ``path`` (a file, or a directory read recursively); never nothing, so
    that a scenario cannot silently change nothing."""
    if path.is_file():
        return [(path.name, _read_text(path))]
    if not path.is_dir():
        raise FileNotFoundError(
            f"no rule file or directory at {str(path)!r}: with_rules takes a path to a "
            "rule file or a directory of them, or the YAML text itself"
        )
    files = sorted(p for p in path.rglob("*.yaml") if not p.name.endswith(".test.yaml"))
    if not files:
        raise FileNotFoundError(f"no rule files (*.yaml, other than *.test.yaml) in the directory {str(path)!r}")
    return [(p.relative_to(path).as_posix(), _read_text(p)) for p in files]


class Engine:
    """A validated rule library and the engine that prices requests with it.

    ``Engine()`` uses the Vietnamese library embedded in the package.

    >>> import lephi
    >>> engine = lephi.Engine()
    >>> engine.quote(procedure="passport.issue", date="2024-05-01", channel="online_full").total
    Decimal('180000')
    """

    __slots__ = ("_native", "_sources", "_bundled")

    def __init__(self) -> None:
        self._init([], True)

    def _init(self, sources: list[tuple[str, str]], bundled: bool) -> None:
        self._sources = list(sources)
        self._bundled = bundled
        self._native = _lephi._Engine(self._sources, bundled)

    @classmethod
    def _make(cls, sources: list[tuple[str, str]], bundled: bool) -> Engine:
        engine = cls.__new__(cls)
        engine._init(sources, bundled)
        return engine

    @classmethod
    def from_dir(cls, path: str | Path) -> Engine:
        """Loads every ``*.yaml`` rule file under ``path`` (not ``*.test.yaml``), without the
        embedded library. Raises :class:`RuleFileError` with file, line and column."""
        return cls._make(_read_rules(Path(path)), False)

    @classmethod
    def from_rules(cls, *texts: str, bundled: bool = False) -> Engine:
        """Builds an engine from rule-file texts (named ``<rules-N>.yaml`` in errors)."""
        return cls._make([(f"<rules-{i}>.yaml", _text(f"texts[{i}]", t)) for i, t in enumerate(texts)], bundled)

    def with_rules(self, path_or_text: str | Path) -> Engine:
        """A new engine with extra or replacement rules layered on this one (for scenarios).

        ``path_or_text`` is a rule file, a directory of rule files, or the YAML text itself. A
        file whose name equals an existing one (``vn/quang-ngai/nq-2022-online-50.yaml``)
        replaces it; anything else is added and validated with the rest.
        """
        if not isinstance(path_or_text, (str, Path)):
            raise TypeError(
                f"with_rules takes a path (str or pathlib.Path) or YAML text; got {type(path_or_text).__name__}"
            )
        if isinstance(path_or_text, str) and "\n" not in path_or_text and not Path(path_or_text).exists():
            # One line that is no YAML mapping, or that names a .yaml file, was meant as a path.
            line = path_or_text.strip()
            if ":" not in line or line.endswith((".yaml", ".yml")):
                raise FileNotFoundError(
                    f"no rule file or directory at {path_or_text!r}: with_rules takes a path to a "
                    "rule file or a directory of them, or the YAML text itself"
                )
        if isinstance(path_or_text, Path) or ("\n" not in path_or_text and Path(path_or_text).exists()):
            extra = _read_rules(Path(path_or_text))
        else:
            extra = [(f"<scenario-{len(self._sources)}>.yaml", str(path_or_text))]
        names = {n for n, _ in extra}
        merged = [(n, t) for n, t in self._sources if n not in names] + extra
        return Engine._make(merged, self._bundled)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Engine._make, (self._sources, self._bundled))

    def __repr__(self) -> str:
        extra = f", {len(self._sources)} extra file(s)" if self._sources else ""
        base = "embedded Vietnamese library" if self._bundled else "rule files"
        return f"<lephi.Engine {base}{extra}, {self.fingerprint[:19]}…>"

    @property
    def fingerprint(self) -> str:
        """sha256 of every rule document and the engine version."""
        return self._native.fingerprint()

    # -- pricing -----------------------------------------------------------------------------
    def quote(
        self,
        request: Mapping[str, Any] | None = None,
        /,
        *,
        procedure: str | None = None,
        date: str | _dt.date | None = None,
        jurisdiction: str | None = None,
        channel: str | None = None,
        applicant: Mapping[str, Any] | None = None,
        inputs: Mapping[str, int | str | Decimal] | None = None,
        postage: Mapping[str, Any] | None = None,
    ) -> Quote:
        """Prices one request, given as the contract's dict and/or keyword arguments.

        Raises a :class:`LephiError` subclass on bad requests and ``TypeError`` for floats.
        """
        if request is None:
            # Keyword arguments of plain types: the request is built natively (no dict, no
            # JSON). None means "take the general path", which decides the same request or
            # raises the typed error.
            fast = self._native.quote_fields(procedure, date, jurisdiction, channel, applicant, inputs, postage)
            if fast is not None:
                return _priced(self, fast, None)
        fields = dict(procedure=procedure, date=date, jurisdiction=jurisdiction, channel=channel, applicant=applicant, inputs=inputs, postage=postage)
        rj, native = _call(self._native.quote, request, fields)
        return _priced(self, native, rj)

    def explain(self, request: Mapping[str, Any] | None = None, /, *, lang: str = "vi", **fields: Any) -> str:
        """The itemised receipt of a request (``lang`` ``vi`` or ``en``)."""
        lang = _text("lang", lang)
        return _call(lambda rj: self._native.explain(rj, lang), request, fields)[1]

    def compare_channels(self, request: Mapping[str, Any] | None = None, /, **fields: Any) -> ChannelComparison:
        """The request priced on every channel, with the saving of going online."""
        rj, text = _call(self._native.compare_channels_json, request, fields)
        return ChannelComparison(self, rj, text)

    def missing_inputs(self, request: Mapping[str, Any] | None = None, /, **fields: Any) -> list[dict[str, Any]]:
        """The inputs a partial request still needs: name, kind, label, whether required, and
        for a choice its allowed values, with their names (``choices``). An input behind a
        choice (a car's ``declared_value``, behind its ``registration``) is listed once the
        request makes that choice:

        >>> engine = Engine()
        >>> [i["name"] for i in engine.missing_inputs(procedure="registration-fee.car", date="2024-05-01")]
        ['registration']
        >>> [i["name"] for i in engine.missing_inputs(procedure="registration-fee.car", date="2024-05-01",
        ...                                           inputs={"registration": "first"})]
        ['declared_value']
        """
        needed: list[dict[str, Any]] = json.loads(_call(self._native.missing_inputs_json, request, fields)[1])
        return needed

    def sources(self, request: Mapping[str, Any] | None = None, /, **fields: Any) -> list[dict[str, Any]]:
        """The legal documents a quote of the request rests on (the ones its fingerprint
        hashes), sorted by id: ``id``, ``number``, ``title``, ``issuer``, ``kind``,
        ``in_force_from`` (and ``in_force_to``, ``signed``, ``url`` when known),
        ``jurisdiction``, ``confidence`` and the library's ``notes`` on what is known and what
        is not. Dates are ISO strings, as in the JSON contract.

        >>> [d["id"] for d in Engine().sources(procedure="driver-licence.issue", date="2024-05-01", channel="online_full")]
        ['tt-37-2023-btc', 'tt-63-2023-btc', 'vn-jurisdictions']
        """
        found: list[dict[str, Any]] = json.loads(_call(self._native.sources_json, request, fields)[1])
        return found

    def procedures(self, search: str | None = None) -> list[dict[str, Any]]:
        """The procedure catalog (searchable with or without diacritics), as flat records:
        ``pandas.DataFrame(engine.procedures())`` works."""
        out = []
        for p in json.loads(self._native.procedures_json(_text("search", search, optional=True))):
            out.append(
                {
                    "id": p["id"],
                    "name_vi": p["name"]["vi"],
                    "name_en": p["name"].get("en", ""),
                    "codes": p.get("codes", []),
                    "fees": p["fees"],
                }
            )
        return out

    def jurisdictions(self, date: str | _dt.date | None = None) -> list[dict[str, Any]]:
        """Jurisdictions (all, or those that existed on ``date``)."""
        d = _date_text("date", date, optional=True)
        found: list[dict[str, Any]] = json.loads(self._native.jurisdictions_json(d))
        return found

    def postal_zones(self, jurisdiction: str, date: str | _dt.date) -> list[str]:
        """The postal zones (``postage.zone``) that the public postal tariffs in force on
        ``date`` offer in ``jurisdiction`` and the jurisdictions it belongs to, sorted; empty
        when no tariff is recorded there for that date.

        >>> Engine().postal_zones("vn/ha-tinh", "2024-05-01")
        ['inner_city']
        """
        return self._native.postal_zones(_text("jurisdiction", jurisdiction), _date_text("date", date))

    def quote_many(self, table: Any) -> Any:
        """Prices every row of a pandas DataFrame, a polars DataFrame or a pyarrow Table (or
        any Arrow PyCapsule producer) and returns the same kind of frame with ``total``,
        ``fees_total``, ``postage_total``, ``postage_subsidy`` (exact decimal đồng),
        ``rule_ids``, ``status``, ``error_code`` and ``error`` appended. The text columns are
        categorical (Arrow ``dictionary<int32, string>``; ``rule_ids`` a list of them): each
        distinct string is stored once however many rows share it.

        A bad row gets ``status == "error"`` and its message; the other rows are priced.
        Money columns given as floats raise ``TypeError``; counts may be whole floats (pandas
        makes an integer column with a gap float64). A pandas column of mixed cells (numbers
        and text from a spreadsheet) is read cell by cell, by the same rules. A table that already has some of
        the result columns' names raises ``ValueError`` (rename them); a frame that
        ``quote_many`` returned is priced again, its result columns replaced. Columns it
        does not read are left alone; one named almost like a column it reads (``chanel``)
        gets a ``UserWarning``, since the rows are priced without it.
        """
        from . import _frames

        return _frames.quote_many(self, table)


def format_vnd(amount: Decimal | int | str) -> str:
    """``135.000 ₫``: dots between thousands, a no-break space, the đồng sign."""
    return _lephi.format_vnd(str(_check_value("amount", amount)))


def amount_in_words(amount: Decimal | int | str, lang: str = "vi") -> str:
    """The amount in words, as on a receipt: ``Một trăm mười lăm nghìn đồng``."""
    return _lephi.amount_in_words(str(_check_value("amount", amount)), _text("lang", lang))

