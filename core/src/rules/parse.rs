//! YAML → rule documents, keeping the file:line:column of every item for error messages.
//!
//! The YAML is read by lephi's own reader ([`super::yaml`]) into a tree, and the tree into the
//! rule model by the same deserializer that reads compiled rules ([`super::packed`]), so a
//! build that reads both carries the model's serde code once.
//!
//! Without the `yaml` feature (the browser's `lite` build) every YAML text is refused with a
//! message that points to the compiled form
//! ([`RuleLibrary::from_compiled`](crate::RuleLibrary::from_compiled)).

use crate::model::RuleDocument;
use crate::{Error, ErrorKind, Location};

/// Where each item of a document starts.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Locations {
    pub document: Option<Location>,
    pub jurisdictions: Vec<Location>,
    pub procedures: Vec<Location>,
    pub fees: Vec<Location>,
    pub adjustments: Vec<Location>,
    pub tariffs: Vec<Location>,
    pub subsidies: Vec<Location>,
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

/// `file`:line:column of byte `at` of `text`.
#[cfg(feature = "yaml")]
fn loc(file: &str, text: &str, at: usize) -> Location {
    let (line, column) = super::yaml::line_column(text, at);
    Location {
        file: file.to_string(),
        line,
        column,
    }
}

/// Where a top-level key's value starts, and each item of it if it is a sequence.
#[cfg(feature = "yaml")]
pub(crate) type Place = (String, Location, Vec<Location>);

/// Reads `text` (YAML, named `file` in errors) into a `T`, with the places of the items of
/// each top-level sequence, by key. Rule files and rule test files are both read this way.
#[cfg(feature = "yaml")]
pub(crate) fn read_yaml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<(T, Vec<Place>), Error> {
    use super::yaml::{self, Value};
    let text = yaml::normalize(text);
    let syntax = |at: usize, message: String| {
        Error::new(ErrorKind::RuleSyntax { message }).at(Some(loc(file, &text, at)))
    };
    let root = yaml::parse(&text).map_err(|e| syntax(e.at, e.message.clone()))?;
    // Nothing but blanks and comments: say so, rather than "invalid type: null, expected
    // struct RuleDocument".
    if matches!(&root.value, Value::Scalar(s, yaml::Style::Plain) if s.is_empty()) {
        return Err(syntax(
            0,
            "the file is empty: a rule file is a YAML mapping that starts with `document:` \
             (a rule test file, with `cases:`)"
                .into(),
        ));
    }
    let value: T = super::packed::from_tree(&root).map_err(|e| {
        let (message, offset) = e.into_parts();
        syntax(offset, message)
    })?;
    // The value read, so the root is a mapping of known keys: where each value and each item
    // of a sequence starts.
    let mut places = Vec::new();
    // In text order: each value, then its items, so the places cost one pass over the text.
    let mut lines = yaml::LineColumns::new(&text);
    let mut place = |at: usize| {
        let (line, column) = lines.of(at);
        Location {
            file: file.to_string(),
            line,
            column,
        }
    };
    if let Value::Map(entries) = &root.value {
        for (key, value) in entries {
            let Value::Scalar(k, _) = &key.value else {
                continue;
            };
            let at = place(value.at);
            let items = match &value.value {
                Value::Seq(items) => items.iter().map(|i| place(i.at)).collect(),
                _ => Vec::new(),
            };
            places.push((k.clone(), at, items));
        }
    }
    Ok((value, places))
}

#[cfg(feature = "yaml")]
fn parse_yaml(file: &str, text: &str) -> Result<(RuleDocument, Locations), Error> {
    let (document, places) = read_yaml::<RuleDocument>(file, text)?;
    let mut locs = Locations::default();
    for (key, at, items) in places {
        match key.as_str() {
            "document" => locs.document = Some(at),
            "jurisdictions" => locs.jurisdictions = items,
            "procedures" => locs.procedures = items,
            "fees" => locs.fees = items,
            "adjustments" => locs.adjustments = items,
            "postal_tariffs" => locs.tariffs = items,
            "postal_subsidies" => locs.subsidies = items,
            _ => {}
        }
    }
    Ok((document, locs))
}

/// lephi's reader against serde-saphyr (a general YAML library, which read rule files before):
/// the same documents and item places for every file of the library, and for damaged copies of
/// them the same outcome.
#[cfg(all(test, feature = "yaml"))]
mod agreement {
    use super::*;
    use crate::model::{
        Adjustment, DocumentHeader, FeeRule, Jurisdiction, PostalSubsidy, PostalTariff, Procedure,
    };
    use crate::Rounding;
    use serde::Deserialize;
    use serde_saphyr::Spanned;

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

    fn saphyr(file: &str, text: &str) -> Result<(RuleDocument, Locations), String> {
        let raw: SpannedDocument = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        let l = |s: &serde_saphyr::Location| Location {
            file: file.into(),
            line: u32::try_from(s.line()).unwrap_or(0),
            column: u32::try_from(s.column()).unwrap_or(0),
        };
        fn split<T>(
            items: Vec<Spanned<T>>,
            l: &dyn Fn(&serde_saphyr::Location) -> Location,
        ) -> (Vec<T>, Vec<Location>) {
            items
                .into_iter()
                .map(|s| (s.value, l(&s.referenced)))
                .unzip()
        }
        let (jurisdictions, j) = split(raw.jurisdictions, &l);
        let (procedures, p) = split(raw.procedures, &l);
        let (fees, f) = split(raw.fees, &l);
        let (adjustments, a) = split(raw.adjustments, &l);
        let (postal_tariffs, t) = split(raw.postal_tariffs, &l);
        let (postal_subsidies, s) = split(raw.postal_subsidies, &l);
        let locs = Locations {
            document: Some(l(&raw.document.referenced)),
            jurisdictions: j,
            procedures: p,
            fees: f,
            adjustments: a,
            tariffs: t,
            subsidies: s,
        };
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

    fn library() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
        let mut out = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "yaml")
                    && !p.to_string_lossy().ends_with(".test.yaml")
                {
                    let name = p
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    out.push((name, std::fs::read_to_string(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn every_library_file_reads_the_same() {
        let files = library();
        assert!(files.len() > 30);
        for (name, text) in &files {
            let ours = parse_yaml(name, text).unwrap_or_else(|e| panic!("{e}"));
            let theirs = saphyr(name, text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(ours.0, theirs.0, "{name}");
            assert_eq!(ours.1, theirs.1, "{name}");
        }
    }

    /// Every line of every library file cut short, dropped or re-indented: both readers accept
    /// the text with the same result, or both refuse it.
    #[test]
    fn damaged_library_files_get_the_same_verdict() {
        let mut checked = 0;
        let mut differ = Vec::new();
        for (name, text) in library().iter().take(12) {
            let lines: Vec<&str> = text.lines().collect();
            for i in 0..lines.len() {
                let line = lines[i];
                let variants = [
                    String::new(),
                    format!(" {line}"),
                    line.get(..line.len() / 2)
                        .map(str::to_string)
                        .unwrap_or_default(),
                    format!("{line}:"),
                    line.trim_start().to_string(),
                ];
                for v in variants {
                    let mut copy = lines.clone();
                    copy[i] = &v;
                    let t = copy.join("\n");
                    let ours = parse_yaml(name, &t).map(|d| d.0);
                    let theirs = saphyr(name, &t).map(|d| d.0);
                    checked += 1;
                    match (&ours, &theirs) {
                        (Ok(a), Ok(b)) if a == b => {}
                        (Err(_), Err(_)) => {}
                        _ => differ.push(format!(
                            "{name} line {}: {v:?}\n  lephi: {:?}\n  saphyr: {:?}",
                            i + 1,
                            ours.as_ref().err().map(|e| e.to_string()),
                            theirs.as_ref().err()
                        )),
                    }
                }
            }
        }
        assert!(checked > 500);
        assert!(
            differ.is_empty(),
            "{} of {checked} differ:\n{}",
            differ.len(),
            differ.join("\n")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// Random edits of library files, with YAML's own characters: both readers give the
        /// same document, or both refuse. (Not edited in: anchors, aliases, tags and complex
        /// keys, which lephi refuses on purpose and serde-saphyr reads; and tabs, which lephi
        /// refuses anywhere in a line's indentation and serde-saphyr accepts in some places.)
        #[test]
        fn edited_library_files_get_the_same_verdict(
            file in 0usize..64,
            edits in proptest::collection::vec(
                (proptest::prelude::any::<proptest::sample::Index>(), 0u8..3, proptest::sample::select(vec![
                    " ", "  ", "\n", "\n  ", "-", "- ", ":", ": ", "#", " #", "'", "\"", "[", "]", "{", "}", ",", "|", ">", "~", "null", "x", "ệ", "\\",
                ])),
                1..4,
            ),
        ) {
            let files = library();
            let (name, text) = &files[file % files.len()];
            let mut t = text.clone();
            for (at, op, piece) in edits {
                let mut i = at.index(t.len() + 1);
                while !t.is_char_boundary(i) {
                    i -= 1;
                }
                match op {
                    0 => t.insert_str(i, piece),
                    1 => {
                        let mut end = (i + piece.len()).min(t.len());
                        while !t.is_char_boundary(end) {
                            end -= 1;
                        }
                        t.replace_range(i..end, piece);
                    }
                    _ => {
                        let mut end = (i + 1).min(t.len());
                        while !t.is_char_boundary(end) {
                            end += 1;
                        }
                        t.replace_range(i..end, "");
                    }
                }
            }
            let ours = parse_yaml(name, &t).map(|d| d.0);
            let theirs = saphyr(name, &t).map(|d| d.0);
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => proptest::prop_assert_eq!(a, b, "{}", t),
                (Err(_), Err(_)) => {}
                _ => proptest::prop_assert!(false, "{t}\nlephi: {:?}\nsaphyr: {:?}", ours.as_ref().err().map(|e| e.to_string()), theirs.as_ref().err()),
            }
        }
    }
}
