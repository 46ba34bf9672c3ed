use serde::{Deserialize, Serialize};

use super::{Confidence, Names};
use crate::{Date, Money};

/// Which way the post carries the dossier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Send the dossier to the agency (nhận gửi hồ sơ).
    Send,
    /// Return the result to the applicant (chuyển trả kết quả).
    Return,
    /// Both.
    Both,
}

/// Postal zones that tariffs use, with their meaning in Vietnamese and English (for receipts
/// and forms). A tariff may name another zone; it is then shown by its id.
pub const ZONES: &[(&str, &str, &str)] = &[
    ("inner_city", "nội thành, thị xã", "inner city or town"),
    ("intra_district", "nội huyện", "within the district"),
    (
        "inter_district",
        "liên huyện (trong tỉnh)",
        "between districts (in the province)",
    ),
    ("intra_province", "trong tỉnh", "within the province"),
    ("inter_province", "liên tỉnh", "between provinces"),
    (
        "inter_province_same_region",
        "liên tỉnh, nội vùng",
        "between provinces, same region",
    ),
    (
        "inter_province_distant_region",
        "liên tỉnh, cách vùng",
        "between provinces, distant region",
    ),
];

/// A zone's words: `(vi, en)`, or `None` for a zone not in [`ZONES`].
///
/// ```
/// assert_eq!(lephi::model::zone_names("intra_district"), Some(("nội huyện", "within the district")));
/// assert_eq!(lephi::model::zone_names("zone_7"), None);
/// ```
pub fn zone_names(zone: &str) -> Option<(&'static str, &'static str)> {
    ZONES
        .iter()
        .find(|(id, ..)| *id == zone)
        .map(|&(_, vi, en)| (vi, en))
}

impl Direction {
    /// What the direction means: `(vi, en)`.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Direction::Send => ("gửi hồ sơ", "send the dossier"),
            Direction::Return => ("nhận kết quả", "receive the result"),
            Direction::Both => ("cả hai chiều", "both ways"),
        }
    }

    /// The direction named `send`, `return` or `both`, as requests write it.
    ///
    /// ```
    /// use lephi::model::Direction;
    /// assert_eq!(Direction::parse("return"), Some(Direction::Return));
    /// assert_eq!(Direction::parse("back"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Direction> {
        match name {
            "send" => Some(Direction::Send),
            "return" => Some(Direction::Return),
            "both" => Some(Direction::Both),
            _ => None,
        }
    }

    /// `send`, `return` or `both`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Send => "send",
            Direction::Return => "return",
            Direction::Both => "both",
        }
    }
    /// How many one-way trips.
    pub fn trips(self) -> u32 {
        match self {
            Direction::Both => 2,
            _ => 1,
        }
    }
}

/// A postal tariff (public postal service, QĐ 45/2016/QĐ-TTg, TT 22/2017/TT-BTTTT).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PostalTariff {
    /// Local id; the rule id is `<document id>/<id>`.
    pub id: String,
    /// Name.
    pub name: Names,
    /// Article or clause, or the notice that publishes it.
    pub article: String,
    /// Where it applies (default: the document's jurisdiction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// First day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// Last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Date>,
    /// The postal operator.
    pub operator: String,
    /// Prices per zone.
    pub zones: Vec<ZoneRate>,
    /// Surcharge for collecting the fee, by the fee amount (tiers ascending; the last has no `below`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collection_surcharge: Vec<SurchargeTier>,
    /// Confidence when it differs from the document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Price of one zone, per direction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ZoneRate {
    /// Zone as the tariff names it (`inner_city`, `intra_province`, `inter_province`).
    pub zone: String,
    /// Weight covered by the first step.
    pub first_grams: u32,
    /// Price of the first step, one way.
    pub first: Money,
    /// Size of each further step; absent when the tariff declares no price above the first step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_grams: Option<u32>,
    /// Price of each further step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<Money>,
    /// Price for both directions together (within the first step), when the tariff sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub both: Option<Money>,
}

/// A collection surcharge tier: `amount` when the fees total is below `below`.
///
/// A tier without `amount` records that the source did not publish it (Bình Dương's notice is
/// cut off above 500.000 đ): a quote that reaches it is refused with `postage_unavailable`
/// rather than priced without the surcharge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SurchargeTier {
    /// Upper bound (exclusive) of the fees total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<Money>,
    /// Surcharge; absent when the source does not give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
}

/// A provincial subsidy: the applicant pays at most `applicant_pays_max` per dossier per
/// direction; the budget pays the rest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PostalSubsidy {
    /// Local id; the rule id is `<document id>/<id>`.
    pub id: String,
    /// Name.
    pub name: Names,
    /// Article or clause.
    pub article: String,
    /// Where it applies (default: the document's jurisdiction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// First day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// Last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Date>,
    /// Zones it covers (all when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    /// Directions it covers (all when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub directions: Vec<Direction>,
    /// The most the applicant pays per dossier per direction.
    pub applicant_pays_max: Money,
    /// Who pays the rest (`provincial_budget`, `postal_operator`).
    pub payer: String,
    /// Confidence when it differs from the document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}
