"""lephi — exact prices of Vietnamese administrative procedures.

Every *phí* and *lệ phí*, the online discounts, the exemptions for protected groups and the
public-postal charges, each with its legal basis, from the same Rust engine that powers the
in-browser estimator and the ``lephi`` command line.

>>> import lephi
>>> engine = lephi.Engine()
>>> q = engine.quote(procedure="driver-licence.issue", date="2024-05-01", channel="online_full")
>>> line = q.lines[0]
>>> q.total, line.basis["number"], line.adjustments[0].basis["number"]
(Decimal('115000'), '37/2023/TT-BTC', '63/2023/TT-BTC')
>>> lephi.format_vnd(q.total)
'115.000\\xa0₫'
"""

from ._api import (
    Adjustment,
    ChannelComparison,
    Engine,
    Line,
    Postage,
    Quote,
    Warning,
    amount_in_words,
    format_vnd,
)
from ._frames import Impact, impact
from ._lephi import __version__
from .errors import (
    InvalidInput,
    JurisdictionNotInForce,
    LephiError,
    MissingInput,
    NoRuleInForce,
    RuleFileError,
    UnknownJurisdiction,
    UnknownProcedure,
)

__all__ = [
    "Adjustment",
    "ChannelComparison",
    "Engine",
    "Impact",
    "InvalidInput",
    "JurisdictionNotInForce",
    "LephiError",
    "Line",
    "MissingInput",
    "NoRuleInForce",
    "Postage",
    "Quote",
    "RuleFileError",
    "UnknownJurisdiction",
    "UnknownProcedure",
    "Warning",
    "__version__",
    "amount_in_words",
    "format_vnd",
    "impact",
]
