use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Confidence, Names};
use crate::{Date, Money, Percent, Rounding};

/// Phí (cost-recovery fee; the collector may keep a share) or lệ phí (charge paid in full to
/// the state budget).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    /// Phí.
    Phi,
    /// Lệ phí.
    LePhi,
}

impl FeeKind {
    /// `phi` or `le_phi`.
    pub fn as_str(self) -> &'static str {
        match self {
            FeeKind::Phi => "phi",
            FeeKind::LePhi => "le_phi",
        }
    }
}

/// A rate that a legal document sets for one fee item, in force for a window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FeeRule {
    /// Local id; the rule id is `<document id>/<id>`.
    pub id: String,
    /// The fee item priced (listed in a procedure's `fees`).
    pub item: String,
    /// Phí or lệ phí.
    pub kind: FeeKind,
    /// Name of the fee.
    pub name: Names,
    /// Article, clause or table row, e.g. `Điều 4 khoản 1`.
    pub article: String,
    /// Where it applies (default: the document's jurisdiction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// The rate is set by each province's People's Council (HĐND, TT 85/2019/TT-BTC): the
    /// line belongs to the province of the request, so that province's adjustments apply.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provincial: bool,
    /// Fee group, for adjustments that target a group (`ho_tich`, `gpxd`, `dkkd`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// First day (default: the document's `in_force_from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// Last day (default: the document's `in_force_to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Date>,
    /// How the amount is computed.
    pub basis: Basis,
    /// Rounding (default: the document's, else half-up to 1 đ on the line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
    /// Share of a phí the collecting agency keeps, where the document says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retained_share: Option<Percent>,
    /// Rule ids this rule overrides where their windows overlap.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// Confidence of this amount when it differs from the document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Notes for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// How a fee amount is computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Basis {
    /// A fixed amount per dossier (lần, hồ sơ, trường hợp).
    Fixed(Money),
    /// A fixed amount plus a price for each unit above an included count
    /// (judicial record: 200.000 đ, +5.000 đ per certificate from the 3rd).
    WithExtra(WithExtra),
    /// A price per unit with tiers and caps (certified copy: 2.000 đ/page for pages 1–2,
    /// 1.000 đ/page after, at most 200.000 đ per copy).
    PerUnit(PerUnit),
    /// A percentage of a declared value with an optional minimum and maximum.
    PercentOfValue(PercentOfValue),
    /// Progressive value bands: a base amount plus a marginal rate above a floor, with an
    /// overall maximum (notarisation).
    Bands(Bands),
    /// A choice by a categorical input (area, vehicle zone, applicant kind, registration).
    Choose {
        /// The categorical input (`area`, `vehicle_zone`, `registration`, `applicant_kind`).
        input: String,
        /// One basis per allowed value.
        options: BTreeMap<String, Basis>,
    },
    /// The base amount is not in the library: the caller gives it as an input (the rate set
    /// by a document whose amounts were not read). Adjustments still apply to it.
    AmountInput {
        /// The money input that carries the amount (`base_amount`).
        input: String,
    },
}

/// A fixed amount plus a price per unit above an included count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WithExtra {
    /// The amount for up to `included` units.
    pub amount: Money,
    /// The counted input (`copies`, `persons`, ...).
    pub input: String,
    /// Units covered by `amount`.
    pub included: u32,
    /// Price of each further unit.
    pub each: Money,
}

/// A tier of a per-unit price: the first `first` units at `price`; the last tier has no `first`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// How many units this tier covers (absent on the last tier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<u32>,
    /// Price per unit.
    pub price: Money,
}

/// A per-unit price, optionally inside groups (pages inside copies).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PerUnit {
    /// The counted input (`pages`, `copies`, `persons`, `vehicles`).
    pub input: String,
    /// Price tiers, in order.
    pub tiers: Vec<Tier>,
    /// Optional group count: the tiered price applies per group (e.g. `copies`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// Cap for one group (one copy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_group: Option<Money>,
    /// Cap for the whole line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Money>,
}

/// A percentage of a declared value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PercentOfValue {
    /// The money input (`declared_value`).
    pub input: String,
    /// The rate in percent (`0.5` for 0,5%).
    pub rate: Percent,
    /// Minimum amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Money>,
    /// Maximum amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Money>,
}

/// Progressive value bands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Bands {
    /// The money input (`declared_value`).
    pub input: String,
    /// Bands in ascending order; the last one whose lower bound admits the value applies.
    pub rows: Vec<Band>,
    /// Overall maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Money>,
}

/// One value band: `amount + rate% × (value − excess_over)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Inclusive lower bound ("từ"). Give `from` or `above`, or neither for the first band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Money>,
    /// Exclusive lower bound ("từ trên").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<Money>,
    /// Base amount of the band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Marginal rate in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Percent>,
    /// The rate applies to the value above this (default: the band's lower bound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excess_over: Option<Money>,
}
