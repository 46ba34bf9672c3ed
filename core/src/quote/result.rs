use std::borrow::Cow;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Channel, Confidence, FeeKind, Names};
use crate::{Date, Money};

/// Serialises a value as canonical JSON: keys sorted, no spaces, decimals as strings.
/// This is the byte-for-byte form the conformance tests compare across runtimes.
pub(crate) fn canonical<T: Serialize>(value: &T) -> String {
    // Written directly, not through `serde_json::Value`: the types serialised here declare
    // their fields in sorted order (a test re-sorts every output through `Value` and compares).
    match serde_json::to_string(value) {
        Ok(text) => text,
        Err(e) => format!(
            "{{\"error\":{{\"code\":\"internal\",\"message\":{}}}}}",
            crate::json::string(&e.to_string())
        ),
    }
}

/// The legal basis of an amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Citation {
    /// Article, clause or table row.
    pub article: String,
    /// How far it was checked.
    pub confidence: Confidence,
    /// Library document id.
    pub document: String,
    /// Official number (`63/2023/TT-BTC`).
    pub number: String,
}

/// A price quote. Money fields serialise as decimal strings.
///
/// A quote borrows its texts (rule ids, names, legal bases) from the [`RuleLibrary`](crate::RuleLibrary)
/// that priced it, so pricing copies no text and counts no references. Keep
/// [`to_json`](Self::to_json) (or the request, since quoting is deterministic) to outlive it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Quote<'a> {
    /// Channel.
    pub channel: Channel,
    /// Always `VND`.
    pub currency: &'static str,
    /// Submission date.
    pub date: Date,
    /// Sum of the lines (phí and lệ phí).
    pub fees_total: Money,
    /// `sha256:` of the engine version and the rule files used.
    pub fingerprint: Arc<str>,
    /// Resolved jurisdiction id.
    pub jurisdiction: &'a str,
    /// One line per fee item.
    pub lines: Vec<Line<'a>>,
    /// Postage detail, or null.
    pub postage: Option<PostageQuote<'a>>,
    /// What the applicant pays for postage.
    pub postage_total: Money,
    /// Procedure id.
    pub procedure: &'a str,
    /// Procedure name.
    pub procedure_name: &'a Names,
    /// Everything the applicant pays.
    pub total: Money,
    /// Warnings (expiring rules, secondary sources, proof needed).
    pub warnings: Vec<Warning<'a>>,
}

/// One fee line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Line<'a> {
    /// Adjustments considered, applied or not.
    pub adjustments: Vec<AppliedAdjustment<'a>>,
    /// Final amount.
    pub amount: Money,
    /// Amount before adjustments.
    pub base: Money,
    /// Legal basis of the rate.
    pub basis: &'a Citation,
    /// How the base was computed.
    pub computation: Cow<'a, str>,
    /// Exact amount after adjustments, before rounding.
    pub exact: Money,
    /// Fee item id.
    pub item: &'a str,
    /// `phi` or `le_phi`.
    pub kind: FeeKind,
    /// Name of the fee.
    pub name: &'a Names,
    /// Share the collecting agency keeps, where the document says so.
    pub retained: Option<Retained>,
    /// Rounding applied to get `amount`, when it changed anything.
    pub rounding: Option<RoundingNote>,
    /// Rule id (`<document>/<local id>`).
    pub rule: &'a str,
}

/// An adjustment considered for a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AppliedAdjustment<'a> {
    /// Whether it was applied.
    pub applied: bool,
    /// Legal basis.
    pub basis: &'a Citation,
    /// Change to the amount (negative for reductions; 0 when not applied).
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub delta: Decimal,
    /// What it does (`pay_percent 80`, `replace_amount 115000`, `exempt`).
    pub effect: &'a str,
    /// Name.
    pub name: &'a Names,
    /// Why not, when not applied.
    pub reason: Option<&'static str>,
    /// Rule id.
    pub rule: &'a str,
}

/// Rounding applied to a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoundingNote {
    /// `amount − exact`.
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub delta: Decimal,
    /// e.g. `half_up to 1 đ`.
    pub rule: String,
}

/// The share of a phí the collecting agency keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Retained {
    /// Amount kept.
    pub amount: Money,
    /// Percent kept.
    pub share: String,
}

/// Postage detail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PostageQuote<'a> {
    /// Merit-group reductions considered.
    pub adjustments: Vec<AppliedAdjustment<'a>>,
    /// What the applicant pays.
    pub applicant: Money,
    /// Legal basis of the tariff.
    pub basis: &'a Citation,
    /// How the tariff was computed.
    pub computation: Cow<'a, str>,
    /// Direction.
    pub direction: &'static str,
    /// Tariff rule id.
    pub rule: &'a str,
    /// Paid by the province (or operator) under a subsidy.
    pub subsidy: Money,
    /// Who pays the subsidy.
    pub subsidy_payer: Option<&'a str>,
    /// Subsidy rule id.
    pub subsidy_rule: Option<&'a str>,
    /// Collection surcharge included in `tariff`.
    pub surcharge: Money,
    /// Tariff price (all trips, with any collection surcharge), before reductions and subsidy.
    pub tariff: Money,
    /// Weight in grams.
    pub weight_grams: u32,
    /// Zone.
    pub zone: &'a str,
}

/// A warning attached to a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Warning<'a> {
    /// `rule_expires_soon`, `secondary_source`, `unverified_source`, `proof_required`, `input_ignored`.
    pub code: &'static str,
    /// Human text.
    pub message: Cow<'a, str>,
    /// The rule concerned.
    pub rule: Option<&'a str>,
}

/// A warning the library writes once at load (a rule's source confidence, the proof an
/// exemption needs); quotes borrow it as a [`Warning`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredWarning {
    pub code: &'static str,
    pub message: Box<str>,
    pub rule: Option<Arc<str>>,
}

impl StoredWarning {
    pub(crate) fn borrow(&self) -> Warning<'_> {
        Warning {
            code: self.code,
            message: Cow::Borrowed(&self.message),
            rule: self.rule.as_deref(),
        }
    }
}

impl Quote<'_> {
    /// The quote as canonical JSON (sorted keys, decimal strings): the contract's result form.
    ///
    /// ```
    /// let lib = lephi::RuleLibrary::bundled()?;
    /// let q = lib.quote(&lephi::Request::new("driver-licence.issue", "2024-05-01")?)?;
    /// assert!(q.to_json().contains("\"total\":\"135000\""));
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = super::wire::Json::new();
        out.quote(self);
        out.finish()
    }
}

/// One channel of a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChannelQuote<'a> {
    /// Channel.
    pub channel: Channel,
    /// The error code and message otherwise.
    pub error: Option<ErrorInfo>,
    /// The quote.
    pub quote: Option<Quote<'a>>,
    /// Total, when the channel could be priced.
    pub total: Option<Money>,
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
pub struct ChannelComparison<'a> {
    /// One entry per channel, in `Channel::ALL` order.
    pub channels: Vec<ChannelQuote<'a>>,
    /// The cheapest channel.
    pub cheapest: Option<Channel>,
    /// In-person total minus the cheapest online total (what going online saves).
    pub online_saving: Option<Money>,
}

impl ChannelComparison<'_> {
    /// Canonical JSON.
    pub fn to_json(&self) -> String {
        let mut out = super::wire::Json::new();
        out.comparison(self);
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Channel, Direction, Request, RuleLibrary};

    #[test]
    fn to_json_equals_canonical() -> Result<(), crate::Error> {
        let lib = RuleLibrary::bundled()?;
        let requests = [
            Request::new("driver-licence.issue", "2024-05-01")?
                .with_jurisdiction("vn/ha-tinh")
                .with_channel(Channel::OnlineFull)
                .with_postage(Direction::Both, "inner_city", 250),
            Request::new("judicial-record.certificate", "2024-05-01")?
                .with_category("student")
                .with_input("copies", 4u32),
            Request::new("certified-copy.from-original", "2024-05-01")?.with_input("pages", 7u32),
        ];
        for req in &requests {
            let q = lib.quote(req)?;
            assert_eq!(q.to_json(), canonical(&q));
            let c = lib.compare_channels(req)?;
            assert_eq!(c.to_json(), canonical(&c));
        }
        Ok(())
    }
}
