use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Channel, Confidence, FeeKind, Names};
use crate::{Date, Money};

/// Serialises a value as canonical JSON: keys sorted, no spaces, decimals as strings.
/// This is the byte-for-byte form the conformance tests compare across runtimes.
pub(crate) fn canonical<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(v) => v.to_string(),
        Err(e) => format!(
            "{{\"error\":{{\"code\":\"internal\",\"message\":{:?}}}}}",
            e.to_string()
        ),
    }
}

/// The legal basis of an amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Citation {
    /// Library document id.
    pub document: String,
    /// Official number (`63/2023/TT-BTC`).
    pub number: String,
    /// Article, clause or table row.
    pub article: String,
    /// How far it was checked.
    pub confidence: Confidence,
}

/// A price quote. Money fields serialise as decimal strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Quote {
    /// Procedure id.
    pub procedure: String,
    /// Procedure name.
    pub procedure_name: Names,
    /// Resolved jurisdiction id.
    pub jurisdiction: String,
    /// Submission date.
    pub date: Date,
    /// Channel.
    pub channel: Channel,
    /// Always `VND`.
    pub currency: &'static str,
    /// One line per fee item.
    pub lines: Vec<Line>,
    /// Sum of the lines (phí and lệ phí).
    pub fees_total: Money,
    /// What the applicant pays for postage.
    pub postage_total: Money,
    /// Everything the applicant pays.
    pub total: Money,
    /// Postage detail, or null.
    pub postage: Option<PostageQuote>,
    /// Warnings (expiring rules, secondary sources, proof needed).
    pub warnings: Vec<Warning>,
    /// `sha256:` of the engine version and the rule files used.
    pub fingerprint: String,
}

/// One fee line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Line {
    /// Fee item id.
    pub item: String,
    /// Rule id (`<document>/<local id>`).
    pub rule: String,
    /// `phi` or `le_phi`.
    pub kind: FeeKind,
    /// Name of the fee.
    pub name: Names,
    /// Amount before adjustments.
    pub base: Money,
    /// How the base was computed.
    pub computation: String,
    /// Adjustments considered, applied or not.
    pub adjustments: Vec<AppliedAdjustment>,
    /// Exact amount after adjustments, before rounding.
    pub exact: Money,
    /// Rounding applied to get `amount`, when it changed anything.
    pub rounding: Option<RoundingNote>,
    /// Final amount.
    pub amount: Money,
    /// Legal basis of the rate.
    pub basis: Citation,
    /// Share the collecting agency keeps, where the document says so.
    pub retained: Option<Retained>,
}

/// An adjustment considered for a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AppliedAdjustment {
    /// Rule id.
    pub rule: String,
    /// Name.
    pub name: Names,
    /// What it does (`pay_percent 80`, `replace_amount 115000`, `exempt`).
    pub effect: String,
    /// Whether it was applied.
    pub applied: bool,
    /// Why not, when not applied.
    pub reason: Option<String>,
    /// Change to the amount (negative for reductions; 0 when not applied).
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub delta: Decimal,
    /// Legal basis.
    pub basis: Citation,
}

/// Rounding applied to a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoundingNote {
    /// e.g. `half_up to 1 đ`.
    pub rule: String,
    /// `amount − exact`.
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub delta: Decimal,
}

/// The share of a phí the collecting agency keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Retained {
    /// Percent kept.
    pub share: String,
    /// Amount kept.
    pub amount: Money,
}

/// Postage detail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PostageQuote {
    /// Tariff rule id.
    pub rule: String,
    /// Zone.
    pub zone: String,
    /// Direction.
    pub direction: &'static str,
    /// Weight in grams.
    pub weight_grams: u32,
    /// How the tariff was computed.
    pub computation: String,
    /// Tariff price (all trips, with any collection surcharge), before reductions and subsidy.
    pub tariff: Money,
    /// Collection surcharge included in `tariff`.
    pub surcharge: Money,
    /// Merit-group reductions considered.
    pub adjustments: Vec<AppliedAdjustment>,
    /// Paid by the province (or operator) under a subsidy.
    pub subsidy: Money,
    /// Subsidy rule id.
    pub subsidy_rule: Option<String>,
    /// Who pays the subsidy.
    pub subsidy_payer: Option<String>,
    /// What the applicant pays.
    pub applicant: Money,
    /// Legal basis of the tariff.
    pub basis: Citation,
}

/// A warning attached to a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Warning {
    /// `rule_expires_soon`, `secondary_source`, `unverified_source`, `proof_required`, `input_ignored`.
    pub code: &'static str,
    /// Human text.
    pub message: String,
    /// The rule concerned.
    pub rule: Option<String>,
}

impl Quote {
    /// The quote as canonical JSON (sorted keys, decimal strings): the contract's result form.
    ///
    /// ```
    /// let lib = lephi::RuleLibrary::bundled()?;
    /// let q = lib.quote(&lephi::Request::new("driver-licence.issue", "2024-05-01")?)?;
    /// assert!(q.to_json().contains("\"total\":\"135000\""));
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        canonical(self)
    }
}

/// One channel of a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChannelQuote {
    /// Channel.
    pub channel: Channel,
    /// Total, when the channel could be priced.
    pub total: Option<Money>,
    /// The quote.
    pub quote: Option<Quote>,
    /// The error code and message otherwise.
    pub error: Option<ErrorInfo>,
}

/// An error as data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorInfo {
    /// Stable code.
    pub code: &'static str,
    /// Message.
    pub message: String,
}

impl From<&crate::Error> for ErrorInfo {
    fn from(e: &crate::Error) -> Self {
        ErrorInfo {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// The same request priced on every channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChannelComparison {
    /// One entry per channel, in `Channel::ALL` order.
    pub channels: Vec<ChannelQuote>,
    /// The cheapest channel.
    pub cheapest: Option<Channel>,
    /// In-person total minus the cheapest online total (what going online saves).
    pub online_saving: Option<Money>,
}

impl ChannelComparison {
    /// Canonical JSON.
    pub fn to_json(&self) -> String {
        canonical(self)
    }
}
