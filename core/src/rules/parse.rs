//! YAML → rule documents, keeping the file:line:column of every item for error messages.
//!
//! Without the `yaml` feature (the browser build) every YAML text is refused with a message
//! that points to the compiled form ([`RuleLibrary::from_compiled`](crate::RuleLibrary::from_compiled)).

#[cfg(feature = "yaml")]
use serde::Deserialize;
#[cfg(feature = "yaml")]
use serde_saphyr::Spanned;

use crate::model::RuleDocument;
#[cfg(feature = "yaml")]
use crate::model::{
    Adjustment, DocumentHeader, FeeRule, Jurisdiction, PostalSubsidy, PostalTariff, Procedure,
};
#[cfg(feature = "yaml")]
use crate::Rounding;
use crate::{Error, ErrorKind, Location};

#[cfg(feature = "yaml")]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpannedDocument {
    #[serde(rename = "$schema", default)]
    schema: Option<String>,
    document: Spanned<DocumentHeader>,
    #[serde(default)]
    rounding: Option<Rounding>,
    #[serde(default)]
    jurisdictions: Vec<Spanned<Jurisdiction>>,
    #[serde(default)]
    procedures: Vec<Spanned<Procedure>>,
    #[serde(default)]
    fees: Vec<Spanned<FeeRule>>,
    #[serde(default)]
    adjustments: Vec<Spanned<Adjustment>>,
    #[serde(default)]
    postal_tariffs: Vec<Spanned<PostalTariff>>,
    #[serde(default)]
    postal_subsidies: Vec<Spanned<PostalSubsidy>>,
}

/// Where each item of a document starts.
#[derive(Clone, Debug, Default)]
pub(crate) struct Locations {
    pub document: Option<Location>,
    pub jurisdictions: Vec<Location>,
    pub procedures: Vec<Location>,
    pub fees: Vec<Location>,
    pub adjustments: Vec<Location>,
    pub tariffs: Vec<Location>,
    pub subsidies: Vec<Location>,
}

#[cfg(feature = "yaml")]
fn loc(file: &str, l: &serde_saphyr::Location) -> Location {
    Location {
        file: file.to_string(),
        line: u32::try_from(l.line()).unwrap_or(u32::MAX),
        column: u32::try_from(l.column()).unwrap_or(u32::MAX),
    }
}

#[cfg(feature = "yaml")]
fn split<T>(file: &str, items: Vec<Spanned<T>>) -> (Vec<T>, Vec<Location>) {
    let mut values = Vec::with_capacity(items.len());
    let mut locs = Vec::with_capacity(items.len());
    for s in items {
        locs.push(loc(file, &s.referenced));
        values.push(s.value);
    }
    (values, locs)
}

/// The first line of a parser message, without the snippet it renders.
#[cfg(feature = "yaml")]
fn short_message(e: &serde_saphyr::Error) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("").trim();
    // serde-saphyr prefixes "error: line L column C: " in some messages; the location is ours.
    let cleaned = first.trim_start_matches("error:").trim().to_string();
    if cleaned.is_empty() {
        text
    } else {
        cleaned
    }
}

/// Parses one rule file. `file` names it in error locations.
///
/// # Errors
/// `rule_syntax` with file:line:column when the YAML is malformed, a key is unknown or a value
/// has the wrong type; `limit_exceeded` above [`MAX_RULE_FILE_BYTES`](crate::limits::MAX_RULE_FILE_BYTES).
///
/// ```
/// let doc = lephi::rules::parse_document("x.yaml", "document: {id: d, number: '1', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}")?;
/// assert_eq!(doc.document.id, "d");
/// let err = lephi::rules::parse_document("x.yaml", "document: {id: d, colour: red}").unwrap_err();
/// assert_eq!(err.code(), "rule_syntax");
/// assert_eq!(err.location().map(|l| l.line), Some(1));
/// # Ok::<(), lephi::Error>(())
/// ```
pub fn parse_document(file: &str, text: &str) -> Result<RuleDocument, Error> {
    parse_with_locations(file, text).map(|(d, _)| d)
}

pub(crate) fn parse_with_locations(
    file: &str,
    text: &str,
) -> Result<(RuleDocument, Locations), Error> {
    crate::limits::check_len(
        &format!("rule file `{file}`"),
        text.len(),
        crate::limits::MAX_RULE_FILE_BYTES,
    )?;
    #[cfg(not(feature = "yaml"))]
    return Err(Error::new(ErrorKind::RuleSyntax {
        message: "this build reads no YAML (cargo feature `yaml` is off); give the rules in \
                  their compiled form (`lephi compile`)"
            .into(),
    })
    .at(Some(Location::start_of(file))));
    #[cfg(feature = "yaml")]
    parse_yaml(file, text)
}

#[cfg(feature = "yaml")]
fn parse_yaml(file: &str, text: &str) -> Result<(RuleDocument, Locations), Error> {
    let raw: SpannedDocument = serde_saphyr::from_str(text).map_err(|e| {
        let location = e
            .location()
            .map(|l| loc(file, &l))
            .or(Some(Location::start_of(file)));
        Error::new(ErrorKind::RuleSyntax {
            message: short_message(&e),
        })
        .at(location)
    })?;
    let mut locs = Locations {
        document: Some(loc(file, &raw.document.referenced)),
        ..Locations::default()
    };
    let (jurisdictions, l) = split(file, raw.jurisdictions);
    locs.jurisdictions = l;
    let (procedures, l) = split(file, raw.procedures);
    locs.procedures = l;
    let (fees, l) = split(file, raw.fees);
    locs.fees = l;
    let (adjustments, l) = split(file, raw.adjustments);
    locs.adjustments = l;
    let (postal_tariffs, l) = split(file, raw.postal_tariffs);
    locs.tariffs = l;
    let (postal_subsidies, l) = split(file, raw.postal_subsidies);
    locs.subsidies = l;
    Ok((
        RuleDocument {
            schema: raw.schema,
            document: raw.document.value,
            rounding: raw.rounding,
            jurisdictions,
            procedures,
            fees,
            adjustments,
            postal_tariffs,
            postal_subsidies,
        },
        locs,
    ))
}
