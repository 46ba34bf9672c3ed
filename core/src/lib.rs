//! # lephi — exact prices for Vietnamese administrative procedures
//!
//! lephi prices every *phí* and *lệ phí* a citizen or business pays for an administrative
//! procedure, the discounts for filing online, the exemptions for protected groups and the
//! postage for sending a dossier or receiving a result by the public postal service — for
//! a date, a province and a channel, with the legal basis of every amount.
//!
//! ```
//! use lephi::{Channel, Request, RuleLibrary};
//!
//! let lib = RuleLibrary::bundled()?;               // the embedded Vietnamese library
//! let req = Request::new("driver-licence.issue", "2024-05-01")?;
//! let in_person = lib.quote(&req)?;
//! let online = lib.quote(&req.clone().with_channel(Channel::OnlineFull))?;
//! assert_eq!(in_person.total.to_string(), "135000");
//! assert_eq!(online.total.to_string(), "115000");  // TT 63/2023/TT-BTC Art 8
//! assert_eq!(&*online.lines[0].adjustments[0].rule, "tt-63-2023-btc/driver-licence-online");
//! # Ok::<(), lephi::Error>(())
//! ```
//!
//! ## Overview
//!
//! - [`RuleLibrary`]: validated rule documents. [`RuleLibrary::bundled`] embeds `rules/`
//!   (read from its compiled form, `rules/compiled.bin`, in about a millisecond);
//!   [`RuleLibrary::from_sources`] loads any `(name, text)` files and
//!   [`RuleLibrary::bundled_with`] adds them to the embedded ones, all through the same
//!   validator.
//! - [`Request`]: procedure, jurisdiction (`vn`, `vn/<province>` or a GSO code), date, channel,
//!   applicant, inputs and postage. It is the JSON contract shared with Python and JavaScript.
//! - [`Quote`]: one [`Line`](quote::Line) per fee item with its base, every adjustment
//!   considered, rounding, the legal basis and rule id; postage; totals; warnings; a fingerprint.
//!   It borrows its texts from the library that priced it (`Quote<'lib>`), so pricing copies
//!   no text; keep [`Quote::to_json`] (or the request) when it must outlive the library.
//! - [`Error`]: one error type with a stable [`code`](Error::code) and a file:line:column
//!   [`location`](Error::location) for rule files.
//! - [`Money`] is an exact decimal (never `f64`); [`Rounding`] is declared in rule data.
//!
//! ## Cookbook
//!
//! ### Compare channels
//! ```
//! let lib = lephi::RuleLibrary::bundled()?;
//! let cmp = lib.compare_channels(&lephi::Request::new("passport.issue", "2024-06-01")?)?;
//! assert_eq!(cmp.online_saving.map(|m| m.to_string()), Some("20000".into()));
//! # Ok::<(), lephi::Error>(())
//! ```
//!
//! ### Ask only for the inputs that matter
//! ```
//! let lib = lephi::RuleLibrary::bundled()?;
//! let need = lib.missing_inputs(&lephi::Request::new("notarization.land-transfer", "2024-06-01")?)?;
//! assert_eq!(need[0].name, "declared_value");
//! // Postage zones differ by province and date: offer only those of the tariffs in force.
//! let zones = lib.postal_zones("vn/ha-tinh", lephi::Date::parse("2024-06-01")?)?;
//! assert_eq!(zones, ["inner_city"]);
//! # Ok::<(), lephi::Error>(())
//! ```
//!
//! ### Print a receipt
//! ```
//! let lib = lephi::RuleLibrary::bundled()?;
//! let q = lib.quote(&lephi::Request::new("passport.issue", "2024-06-01")?)?;
//! println!("{}", lephi::explain(&q, lephi::Lang::En));
//! # Ok::<(), lephi::Error>(())
//! ```
//!
//! ### Load your own rules
//! ```
//! let doc = r#"
//! document: {id: demo, number: "1/2024", title: Demo, issuer: Demo, kind: circular,
//!            in_force_from: 2024-01-01, confidence: verified}
//! jurisdictions: [{id: vn, name: {vi: Việt Nam}}]
//! procedures: [{id: demo.issue, name: {vi: Thử, en: Demo}, fees: [demo.fee]}]
//! fees:
//!   - {id: fee, item: demo.fee, kind: le_phi, name: {vi: Lệ phí}, article: Điều 1, basis: {fixed: 50000}}
//! "#;
//! let lib = lephi::RuleLibrary::from_sources(&[("demo.yaml", doc)])?;
//! let q = lib.quote(&lephi::Request::new("demo.issue", "2024-02-01")?)?;
//! assert_eq!(q.total.to_string(), "50000");
//! # Ok::<(), lephi::Error>(())
//! ```
//!
//! ### Test your rules
//! Cases beside the rule files read as sentences ([`testing::run`], `lephi test`), and
//! [`testing::mutants`] (`lephi test --mutants`) checks that they check every figure: each
//! amount, rate and window edge changed in turn must make some case fail.
//! ```
//! let doc = "document: {id: d, number: '1', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}
//! jurisdictions: [{id: vn, name: {vi: VN}}]
//! procedures: [{id: p, name: {vi: P}, fees: [p]}]
//! fees: [{id: f, item: p, kind: le_phi, name: {vi: F}, article: 'Điều 1', basis: {fixed: 1000}}]
//! ";
//! let cases = "cases:
//!   - {name: first day, request: {procedure: p, date: 2024-01-01}, expect: {total: 1000}}
//!   - {name: the day before, request: {procedure: p, date: 2023-12-31}, expect: {error: date_outside_windows}}
//! ";
//! let lib = lephi::RuleLibrary::from_sources(&[("d.yaml", doc)])?;
//! assert_eq!(lephi::testing::run(&lib, &[("d.test.yaml", cases)])?.passed, 2);
//! let mutants = lephi::testing::mutants(&[("d.yaml", doc)], &[("d.test.yaml", cases)])?;
//! assert_eq!((mutants.tried, mutants.survivors.len()), (2, 0));
//! # Ok::<(), lephi::Error>(())
//! ```
//!
//! ## Crate features
//!
//! - `bundled` (default): embeds the rule files of `rules/` (a few dozen KB of YAML) and, while
//!   it matches them, their precompiled form.
//! - `yaml` (default): reads rule files (and rule test files) as YAML, with file:line:column
//!   in every error. Rule files are read by lephi's own reader of the YAML they are written in
//!   (see `rules/README.md`); without the feature, rules load only in their compiled form.
//! - `schema`: derives the JSON Schema of the rule format (`schema::rule_schema`).
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

pub mod catalog;
mod date;
mod engine;
mod error;
pub mod json;
pub mod limits;
pub mod model;
mod money;
pub mod quote;
pub mod rules;
#[cfg(feature = "schema")]
pub mod schema;
mod sort;
#[cfg(feature = "yaml")]
pub mod testing;
mod text;
pub mod words;

pub use date::{Date, Window};
pub use engine::{error_json, Choice, NeededInput};
pub use error::{Error, ErrorKind, Location, RuleWindow};
pub use model::{ApplicantKind, Channel, Direction};
pub use money::{
    format_number_vi, format_vnd, parse_amount, Money, Percent, Rounding, RoundingMode,
    RoundingStage,
};
pub use quote::{explain, formula_text, warning_text, Lang, Quote, Request};
pub use rules::RuleLibrary;

/// The engine version, part of every quote's fingerprint.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
