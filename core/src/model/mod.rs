//! The rule model: plain data read from rule files. One type per domain concept.

mod adjustment;
mod applicant;
mod document;
mod fee;
mod input;
mod jurisdiction;
mod postage;
mod procedure;

pub use adjustment::{Adjustment, Conditions, Effect, InputCap, Target};
pub use applicant::{ApplicantKind, Channel, CATEGORIES};
pub use document::{Confidence, DocumentHeader, DocumentKind, Names, RuleDocument};
pub use fee::{Band, Bands, Basis, FeeKind, FeeRule, PerUnit, PercentOfValue, Tier, WithExtra};
pub use input::{InputKind, InputSpec, INPUTS};
pub use jurisdiction::{Jurisdiction, PreviousCode};
pub use postage::{
    zone_names, Direction, PostalSubsidy, PostalTariff, SurchargeTier, ZoneRate, ZONES,
};
pub use procedure::Procedure;

pub(crate) fn default_jurisdiction() -> String {
    document::default_vn()
}
pub(crate) use input::input_spec;
