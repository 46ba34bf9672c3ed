use serde::{Deserialize, Serialize};

use super::{ApplicantKind, Channel, Confidence, FeeKind, Names};
use crate::{Date, Money, Percent};

/// A discount, replacement amount or exemption that a document grants under conditions.
///
/// By default adjustments do not stack: among those that apply to a line, the single most
/// favourable one is used (NQ 66.22/2026/NQ-CP Art 5.2), and an exemption beats every
/// reduction. An adjustment with `stacks: true` is applied after that, in `order`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// Local id; the rule id is `<document id>/<id>`.
    pub id: String,
    /// What it is called.
    pub name: Names,
    /// Article or clause.
    pub article: String,
    /// Where it applies (default: the document's jurisdiction). It only touches fees set in
    /// that jurisdiction or below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// First day (default: the document's `in_force_from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// Last day (default: the document's `in_force_to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Date>,
    /// Which lines it touches.
    pub applies_to: Target,
    /// Conditions on the request.
    #[serde(default)]
    pub when: Conditions,
    /// What it does.
    pub effect: Effect,
    /// The largest reduction it can give, per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_reduction: Option<Money>,
    /// The largest reduction as a multiple of an amount the applicant gives, per line (the
    /// registration-fee incentive of NQ 66.22/2026: at most 5 × the base salary, an amount
    /// lephi does not hold). When both caps are given the smaller one binds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_reduction_input: Option<InputCap>,
    /// Whether it stacks on top of the best single incentive.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stacks: bool,
    /// Order among stacking adjustments (lower first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<u32>,
    /// Proof the applicant must show (turned into a warning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<String>,
    /// Confidence when it differs from the document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Notes for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Which lines an adjustment touches. Lists combine with "or"; `all` touches every fee line
/// in scope; `postage` touches the postage line instead of fees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Every fee line in scope.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all: bool,
    /// Fee items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// Fee groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Fee kinds (phí / lệ phí).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<FeeKind>,
    /// Procedures (every line of these procedures).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<String>,
    /// The postage of the dossier instead of fees.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub postage: bool,
}

/// Conditions on the request; every given condition must hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// Any of these channels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    /// The applicant has any of these categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// The applicant is of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant_kind: Option<ApplicantKind>,
}

/// What an adjustment does to a line's amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Effect {
    /// Pay this percentage of the amount (`80` = pay 80%).
    PayPercent(Percent),
    /// Reduce by this percentage (`10` = 10% off).
    ReducePercent(Percent),
    /// Pay this amount instead (115.000 đ online).
    ReplaceAmount(Money),
    /// Reduce by this amount (never below 0).
    ReduceAmount(Money),
    /// Pay nothing.
    Exempt,
}

/// A cap of `times` × the money input `input`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InputCap {
    /// A money input of the vocabulary (`base_salary`).
    pub input: String,
    /// How many times the input.
    pub times: u32,
}
