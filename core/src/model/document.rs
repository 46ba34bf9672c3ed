use serde::{Deserialize, Serialize};

use super::{Adjustment, FeeRule, Jurisdiction, PostalSubsidy, PostalTariff, Procedure};
use crate::{Date, Rounding};

/// A name in Vietnamese and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// English.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
    /// Vietnamese, with diacritics.
    pub vi: String,
}

/// How far a fact was checked against the legal text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Read in the legal text itself.
    Verified,
    /// From a secondary source (news, gov-news excerpt, third-party data): probably right.
    Secondary,
    /// From memory or news reports only: check before relying on it.
    Unverified,
}

impl Confidence {
    /// `verified`, `secondary` or `unverified`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Verified => "verified",
            Confidence::Secondary => "secondary",
            Confidence::Unverified => "unverified",
        }
    }
}

/// The kind of legal document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Luật (law).
    Law,
    /// Nghị định (decree).
    Decree,
    /// Nghị quyết of the Government (resolution).
    GovernmentResolution,
    /// Thông tư (circular).
    Circular,
    /// Nghị quyết HĐND (provincial People's Council resolution).
    ProvincialResolution,
    /// Quyết định (decision), including postal tariff decisions.
    Decision,
    /// A published price list (e.g. a post office's tariff notice).
    Tariff,
    /// Not a legal document: the registry of jurisdictions and their mergers.
    Registry,
}

impl DocumentKind {
    /// The snake_case name rule files use, e.g. `provincial_resolution`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Law => "law",
            DocumentKind::Decree => "decree",
            DocumentKind::GovernmentResolution => "government_resolution",
            DocumentKind::Circular => "circular",
            DocumentKind::ProvincialResolution => "provincial_resolution",
            DocumentKind::Decision => "decision",
            DocumentKind::Tariff => "tariff",
            DocumentKind::Registry => "registry",
        }
    }
}

/// The header of a rule file: which legal document it encodes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentHeader {
    /// ASCII kebab-case id, e.g. `tt-63-2023-btc`. Rule ids are `<document id>/<local id>`.
    pub id: String,
    /// The official number, e.g. `63/2023/TT-BTC`.
    pub number: String,
    /// The title in Vietnamese.
    pub title: String,
    /// Who issued it, e.g. `Bộ Tài chính`.
    pub issuer: String,
    /// Kind of document.
    pub kind: DocumentKind,
    /// Signing date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<Date>,
    /// First day in force.
    pub in_force_from: Date,
    /// Last day in force, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force_to: Option<Date>,
    /// The jurisdiction whose rules this document sets (default `vn`).
    #[serde(default = "default_vn")]
    pub jurisdiction: String,
    /// Ids of library documents this one amends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amends: Vec<String>,
    /// Ids of library documents this one replaces. Each of them names this one in its
    /// `replaced_by` (the validator checks both sides).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<String>,
    /// Id of the library document that replaced this one, if any; that document lists this
    /// one in its `replaces`. A quote dated after this document's rates end, while that
    /// document is in force, is refused with an error that names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// Other documents it relies on, by official number (not necessarily in the library).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<String>,
    /// Where the text can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// How far the facts in this file were checked.
    pub confidence: Confidence,
    /// Free notes for readers (what is known, what is not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl DocumentHeader {
    /// The days the document is in force.
    pub fn window(&self) -> crate::Window {
        crate::Window {
            from: self.in_force_from,
            to: self.in_force_to,
        }
    }

    /// Whether the document is in force on `date`. A quote's [`sources`] can list a document
    /// that is not: the one under which the library lists the procedure, when a later document
    /// sets its fee (every priced rule lies inside its own document's window).
    ///
    /// [`sources`]: crate::RuleLibrary::sources
    ///
    /// ```
    /// let lib = lephi::RuleLibrary::bundled()?;
    /// let date: lephi::Date = "2026-05-01".parse()?;
    /// let docs = lib.sources(&lephi::Request::new("driver-licence.issue", "2026-05-01")?)?;
    /// let lapsed: Vec<&str> = docs.iter().filter(|d| !d.in_force_on(date)).map(|d| d.id.as_str()).collect();
    /// assert_eq!(lapsed, ["tt-37-2023-btc"]);
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn in_force_on(&self, date: Date) -> bool {
        self.window().contains(date)
    }
}

pub(crate) fn default_vn() -> String {
    "vn".to_string()
}

/// One rule file: a legal document and the fees, adjustments and tariffs it creates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleDocument {
    /// The JSON Schema the file follows (for editors).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Which document this is.
    pub document: DocumentHeader,
    /// Default rounding for the amounts of this document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
    /// Jurisdictions (normally only in the registry file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jurisdictions: Vec<Jurisdiction>,
    /// Procedures this document introduces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<Procedure>,
    /// Fee rates (phí, lệ phí).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<FeeRule>,
    /// Discounts, replacements and exemptions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<Adjustment>,
    /// Postal tariffs for sending dossiers and returning results.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postal_tariffs: Vec<PostalTariff>,
    /// Provincial subsidies of postage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postal_subsidies: Vec<PostalSubsidy>,
}

#[cfg(test)]
mod tests {
    use super::DocumentKind;

    /// Every kind the rule schema lists (generated from this enum, and checked for drift) reads
    /// back as itself through `as_str`.
    #[test]
    fn kind_names_are_the_rule_files() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../../rules/schema/v1/rules.schema.json"))
                .unwrap_or_default();
        let names: Vec<&str> = schema["$defs"]["DocumentKind"]["oneOf"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|k| k["const"].as_str())
            .collect();
        assert_eq!(names.len(), 8, "{names:?}");
        for name in names {
            let kind: Option<DocumentKind> = serde_json::from_value(name.into()).ok();
            assert_eq!(kind.map(DocumentKind::as_str), Some(name));
        }
    }
}
