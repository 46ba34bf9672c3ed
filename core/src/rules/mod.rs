//! Rule text → validated library. Bundled and run-time rules go through the same validator.

mod bundled;
mod compiled;
mod keyed;
mod library;
mod packed;
mod parse;
#[cfg(test)]
mod shape;
mod validate;
#[cfg_attr(not(feature = "yaml"), allow(dead_code))]
pub(crate) mod yaml;

pub(crate) use library::{AdjEntry, FeeEntry, JurEntry, ProcEntry, TariffEntry, ZoneTexts};
pub use library::{RuleLibrary, Source};
pub use parse::parse_document;
#[cfg(feature = "yaml")]
pub(crate) use parse::read_yaml;
