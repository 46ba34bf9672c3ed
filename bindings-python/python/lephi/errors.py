"""Exceptions raised by lephi.

Every error is a :class:`LephiError`, itself a :class:`ValueError`, so generic handlers keep
working. Each carries the stable ``code`` (the same in Rust, Python and JavaScript), the message
text of the Rust core (``str(exc)``), and the structured ``details`` of its kind.

>>> import lephi
>>> try:
...     lephi.Engine().quote(procedure="driver-licence.isue", date="2024-05-01")
... except lephi.UnknownProcedure as e:
...     print(e.code, e.candidates)
unknown_procedure ['driver-licence.issue']
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "LephiError",
    "RuleFileError",
    "UnknownProcedure",
    "UnknownJurisdiction",
    "JurisdictionNotInForce",
    "NoRuleInForce",
    "MissingInput",
    "InvalidInput",
]


class LephiError(ValueError):
    """Base class of every lephi error."""

    code: str
    details: dict[str, Any]

    def __init__(self, message: str, *, code: str = "lephi_error", details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.details = dict(details or {})

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    @property
    def message_vi(self) -> str:
        """The message in Vietnamese, for errors about a request (procedure, place, date,
        inputs, postage); errors in rule files keep the English ``message``."""
        return str(self.details.get("message_vi", self.message))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.code, self.details))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


def _rebuild(cls: type[LephiError], message: str, code: str, details: dict[str, Any]) -> LephiError:
    return cls(message, code=code, details=details)


class RuleFileError(LephiError):
    """A rule file is invalid: ``path``, ``line`` and ``column`` say where (1-based)."""

    @property
    def path(self) -> str | None:
        return self.details.get("file")

    @property
    def line(self) -> int | None:
        return self.details.get("line")

    @property
    def column(self) -> int | None:
        return self.details.get("column")


class _WithCandidates(LephiError):
    @property
    def candidates(self) -> list[str]:
        """Close matches of what was asked for."""
        return list(self.details.get("candidates", []))


class UnknownProcedure(_WithCandidates):
    """The procedure id is unknown; ``candidates`` are close matches."""


class UnknownJurisdiction(_WithCandidates):
    """The jurisdiction slug or GSO code is unknown; ``candidates`` are close matches."""


class JurisdictionNotInForce(LephiError):
    """The jurisdiction did not exist on the date (e.g. a province merged on 2025-07-01);
    ``successors`` say where the dossier is filed instead."""

    @property
    def successors(self) -> list[str]:
        return list(self.details.get("successors", []))


class NoRuleInForce(LephiError):
    """No rule prices the fee (or the postage) on that date or in that place. ``nearest``
    lists the nearest validity windows; lephi never falls back to them silently. ``windows``
    gives the same windows as dicts (``rule``, ``from``, ``to`` when closed,
    ``nearest_day``, the day of the window nearest the request date, and ``replaced_by`` and
    ``replaced_from`` when a document in force on the date replaced the window's document and
    the library has no rate from it)."""

    @property
    def nearest(self) -> list[str]:
        return list(self.details.get("nearest", []))

    @property
    def windows(self) -> list[dict[str, str]]:
        return [dict(w) for w in self.details.get("windows", [])]

    @property
    def available(self) -> list[str]:
        return list(self.details.get("available", self.details.get("zones", [])))


class _AboutAnInput(LephiError):
    @property
    def name(self) -> str | None:
        """The input (or field) concerned."""
        return self.details.get("name")

    @property
    def expected(self) -> str | None:
        """What it takes."""
        return self.details.get("expected")


class MissingInput(_AboutAnInput):
    """An input the procedure needs was not given (``name``, ``expected``)."""


class InvalidInput(_AboutAnInput):
    """A request value cannot be used (bad input, unknown category or input name, bad date)."""

    @property
    def candidates(self) -> list[str]:
        return list(self.details.get("candidates", []))


_BY_CODE: dict[str, type[LephiError]] = {
    "rule_syntax": RuleFileError,
    "rule_invalid": RuleFileError,
    "rule_duplicate_id": RuleFileError,
    "rule_unknown_reference": RuleFileError,
    "rule_overlapping_windows": RuleFileError,
    "rule_percent_out_of_range": RuleFileError,
    "unknown_procedure": UnknownProcedure,
    "unknown_jurisdiction": UnknownJurisdiction,
    "jurisdiction_not_in_force": JurisdictionNotInForce,
    "date_outside_windows": NoRuleInForce,
    "not_priced_in_jurisdiction": NoRuleInForce,
    "postage_unavailable": NoRuleInForce,
    "missing_input": MissingInput,
    "invalid_input": InvalidInput,
    "unknown_input": InvalidInput,
    "unknown_category": InvalidInput,
    "request_invalid": InvalidInput,
}


def _from_core(details_json: str) -> LephiError:
    """Builds the exception for a core error (called from the native module)."""
    details = json.loads(details_json)
    code = details.get("code", "internal")
    cls = _BY_CODE.get(code, LephiError)
    if code == "limit_exceeded" and details.get("file") is not None:
        cls = RuleFileError
    return cls(details.get("message", code), code=code, details=details)
