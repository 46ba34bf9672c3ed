use serde::{Deserialize, Serialize};

use super::Names;
use crate::Date;

/// A place whose rules apply: `vn`, a province `vn/<slug>` or a district `vn/<slug>/<slug>`
/// (listed only where a district sets its own rule), valid for a window of time.
///
/// Provinces merged on 2025-07-01: an old province has `valid_to: 2025-06-30` and
/// `successors`. GSO codes are aliases and are resolved by date, because codes were reused
/// (`82` is Tiền Giang before the merger and Đồng Tháp after).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    /// `vn`, `vn/<ascii-slug>` or `vn/<province-slug>/<district-slug>`.
    pub id: String,
    /// Name as people know it.
    pub name: Names,
    /// Official GSO code (mã ĐVHC), used as an alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gso: Option<String>,
    /// The code it had until a date, when the 2025 recoding changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_gso: Option<PreviousCode>,
    /// Parent jurisdiction (`vn` for provinces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// First day it existed (open when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// Last day it existed (open when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Date>,
    /// Where its dossiers go after it ended.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub successors: Vec<String>,
    /// Old units merged into this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formed_from: Vec<String>,
}

/// A GSO code a jurisdiction had until a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PreviousCode {
    /// The old code.
    pub code: String,
    /// Last day it was used.
    pub until: Date,
}

impl Jurisdiction {
    /// Whether `code` named this jurisdiction on `date`.
    pub fn has_code_on(&self, code: &str, date: Date) -> bool {
        match &self.previous_gso {
            Some(p) if date <= p.until => p.code == code,
            _ => self.gso.as_deref() == Some(code),
        }
    }
}
