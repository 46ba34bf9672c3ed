use serde::{Deserialize, Serialize};

use super::Names;

/// An administrative procedure (thủ tục hành chính) with a stable id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// Stable id, e.g. `driver-licence.issue`.
    pub id: String,
    /// Name in Vietnamese and English.
    pub name: Names,
    /// National procedure codes (`1.000028` style), where known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    /// The fee items it triggers, in receipt order.
    pub fees: Vec<String>,
    /// Extra search words (without diacritics is fine).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
}
