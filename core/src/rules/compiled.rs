//! Compiled rules: rule files validated, parsed and packed.
//!
//! Reading YAML with spans is most of the cost of loading the library, and the YAML parser is
//! most of the browser build. The embedded files are therefore also kept compiled
//! (`rules/compiled.bin`, written by `lephi compile`), and rules loaded at run time may come
//! compiled too ([`RuleLibrary::from_compiled`](crate::RuleLibrary::from_compiled)). Loading
//! runs the same validator as for YAML, so errors, fingerprints and quotes are identical.
//!
//! The form is a short text header, then the files in the packed binary form of
//! [`packed`](super::packed):
//!
//! ```text
//! lephi compiled rules
//! format 2
//! model <SHA-256 of the rule-file JSON Schema>
//! files <n>
//! <path>\t<SHA-256 of its YAML text>      (one line per file)
//! <empty line>
//! <packed files, in the header's order: parsed document, line:column of each item>
//! ```
//!
//! Each file's path and SHA-256 are written once, in the header (format 1 repeated them in the
//! packed part: 1.3 KB of the gzipped browser builds, as hex digests do not compress).
//!
//! The `model` line ties the packed data to the rule model it was written from: data from
//! another model is refused, never misread. `build.rs` reads the header (without the packed
//! part) and embeds the file only when its model, paths and hashes match `rules/` exactly;
//! otherwise the YAML is parsed as before (and a test fails until the file is regenerated).

use serde::{Deserialize, Serialize};

use super::parse::Locations;
use crate::model::RuleDocument;
use crate::{Error, ErrorKind, Location};

/// The first line of compiled rules.
const MAGIC: &str = "lephi compiled rules\n";

/// The SHA-256 of `rules/schema/v1/rules.schema.json` (which a test keeps equal to the JSON
/// Schema generated from the model) without its descriptions, so doc comments alone do not
/// change it (set by `build.rs`).
pub(crate) const MODEL_SHAPE: &str = env!("LEPHI_MODEL_SHAPE");

/// One precompiled rule file.
pub(crate) struct CompiledFile {
    pub file: String,
    pub sha256: String,
    pub document: RuleDocument,
    pub at: CompiledLocations,
}

/// What the packed part holds of a file (its path and SHA-256 are in the header).
#[derive(Serialize)]
struct PackedRef<'a> {
    document: &'a RuleDocument,
    at: &'a CompiledLocations,
}

/// [`PackedRef`], read back.
#[derive(Deserialize)]
struct Packed {
    document: RuleDocument,
    at: CompiledLocations,
}

/// `[line, column]` of each item, in document order.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompiledLocations {
    document: [u32; 2],
    jurisdictions: Vec<[u32; 2]>,
    procedures: Vec<[u32; 2]>,
    fees: Vec<[u32; 2]>,
    adjustments: Vec<[u32; 2]>,
    tariffs: Vec<[u32; 2]>,
    subsidies: Vec<[u32; 2]>,
}

fn pack(v: &[Location]) -> Vec<[u32; 2]> {
    v.iter().map(|l| [l.line, l.column]).collect()
}

fn unpack(file: &str, v: &[[u32; 2]]) -> Vec<Location> {
    v.iter()
        .map(|&[line, column]| Location {
            file: file.to_string(),
            line,
            column,
        })
        .collect()
}

impl CompiledLocations {
    pub(crate) fn from_locations(l: &Locations) -> CompiledLocations {
        CompiledLocations {
            document: l.document.as_ref().map_or([1, 1], |d| [d.line, d.column]),
            jurisdictions: pack(&l.jurisdictions),
            procedures: pack(&l.procedures),
            fees: pack(&l.fees),
            adjustments: pack(&l.adjustments),
            tariffs: pack(&l.tariffs),
            subsidies: pack(&l.subsidies),
        }
    }

    pub(crate) fn to_locations(&self, file: &str) -> Locations {
        let [line, column] = self.document;
        Locations {
            document: Some(Location {
                file: file.to_string(),
                line,
                column,
            }),
            jurisdictions: unpack(file, &self.jurisdictions),
            procedures: unpack(file, &self.procedures),
            fees: unpack(file, &self.fees),
            adjustments: unpack(file, &self.adjustments),
            tariffs: unpack(file, &self.tariffs),
            subsidies: unpack(file, &self.subsidies),
        }
    }
}

/// Lowercase hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            s.push(char::from(
                HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    s
}

/// The 32 bytes of a 64-digit lowercase hex digest.
pub(crate) fn unhex(s: &str) -> Option<[u8; 32]> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(c.wrapping_sub(b'a').wrapping_add(10)),
        _ => None,
    };
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *o = (digit(*hi)? << 4) | digit(*lo)?;
    }
    Some(out)
}

fn refused(name: &str, message: String) -> Error {
    Error::new(ErrorKind::RuleSyntax { message }).at(Some(Location::start_of(name)))
}

/// Writes compiled rules: the header, then the packed files.
pub(crate) fn write(files: &[CompiledFile]) -> Result<Vec<u8>, Error> {
    let mut out = String::from(MAGIC);
    out.push_str("format 2\nmodel ");
    out.push_str(MODEL_SHAPE);
    out.push_str(&format!("\nfiles {}\n", files.len()));
    for f in files {
        if f.file.contains(['\t', '\n', '\r']) {
            return Err(refused(
                &f.file,
                "a rule file whose name has a tab or a line break cannot be compiled (the \
                 header lists one name per line); rename it"
                    .into(),
            ));
        }
        out.push_str(&format!("{}\t{}\n", f.file, f.sha256));
    }
    out.push('\n');
    let mut bytes = out.into_bytes();
    let packed: Vec<PackedRef<'_>> = files
        .iter()
        .map(|f| PackedRef {
            document: &f.document,
            at: &f.at,
        })
        .collect();
    let body = super::packed::to_bytes(&packed).map_err(|e| {
        Error::new(ErrorKind::Internal {
            message: format!("compile: {e}"),
        })
    })?;
    bytes.extend_from_slice(&body);
    Ok(bytes)
}

/// Reads compiled rules. `name` stands for them in error locations: anything that is not
/// compiled rules of this model is a `rule_syntax` error that says what to do.
pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<Vec<CompiledFile>, Error> {
    let again = "compile the YAML again with this version (`lephi compile` or `compileRules`)";
    let Some(rest) = bytes.strip_prefix(MAGIC.as_bytes()) else {
        return Err(refused(
            name,
            format!("this is not compiled rules (they start with `lephi compiled rules`); {again}"),
        ));
    };
    let header_end = rest.windows(2).position(|w| w == b"\n\n").ok_or_else(|| {
        refused(
            name,
            format!("the header of the compiled rules has no end; {again}"),
        )
    })?;
    let (header, body) = rest.split_at(header_end);
    let body = body.get(2..).unwrap_or_default();
    let header = std::str::from_utf8(header).map_err(|_| {
        refused(
            name,
            format!("the header of the compiled rules is not UTF-8; {again}"),
        )
    })?;
    let mut lines = header.lines();
    if lines.next() != Some("format 2") {
        return Err(refused(
            name,
            format!("compiled rules of another format; {again}"),
        ));
    }
    if lines.next().and_then(|l| l.strip_prefix("model ")) != Some(MODEL_SHAPE) {
        return Err(refused(
            name,
            format!("compiled rules of another rule model (another lephi version); {again}"),
        ));
    }
    let count = lines
        .next()
        .and_then(|l| l.strip_prefix("files "))
        .and_then(|n| n.parse::<usize>().ok())
        .ok_or_else(|| {
            refused(
                name,
                format!("the header does not say how many files; {again}"),
            )
        })?;
    if count > crate::limits::MAX_RULE_FILES {
        return Err(Error::new(ErrorKind::LimitExceeded {
            what: format!("number of rule files ({count})"),
            limit: crate::limits::MAX_RULE_FILES as u64,
        }));
    }
    let mut listed = Vec::with_capacity(count);
    for line in lines {
        match line.split_once('\t') {
            Some((file, sha256)) if unhex(sha256).is_some() => listed.push((file, sha256)),
            _ => {
                return Err(refused(
                    name,
                    format!(
                        "a header line of the compiled rules is not `<path>\\t<SHA-256>`; {again}"
                    ),
                ))
            }
        }
    }
    let packed: Vec<Packed> = super::packed::from_bytes(body).map_err(|e| {
        refused(
            name,
            format!("the compiled rules are damaged: {e}; {again}"),
        )
    })?;
    if packed.len() != count || listed.len() != count {
        return Err(refused(
            name,
            format!("the header and the packed files of the compiled rules disagree; {again}"),
        ));
    }
    Ok(listed
        .into_iter()
        .zip(packed)
        .map(|((file, sha256), p)| CompiledFile {
            file: file.to_string(),
            sha256: sha256.to_string(),
            document: p.document,
            at: p.at,
        })
        .collect())
}
