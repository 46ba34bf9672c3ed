//! The embedded library, precompiled.
//!
//! Reading YAML with spans is most of the cost of loading the library (about 7 ms of 8). The
//! bundled files are therefore also kept as JSON Lines (`rules/compiled.jsonl`, written by
//! `lephi compile`): one line per file with its path, the SHA-256 of its YAML text, the parsed
//! document and the line:column of each item. Loading reads those lines and runs the same
//! validator as for YAML, so errors, fingerprints and quotes are identical.
//!
//! `build.rs` embeds the file only when its paths and hashes match `rules/` exactly; otherwise
//! the YAML is parsed as before (and a test fails until the file is regenerated).

use serde::{Deserialize, Serialize};

use super::parse::Locations;
use crate::model::RuleDocument;
use crate::{Error, Location};

/// One precompiled rule file. Field order matters: `build.rs` reads `file` and `sha256` from
/// the start of each line without a JSON parser.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompiledFile {
    pub file: String,
    pub sha256: String,
    pub document: RuleDocument,
    pub at: CompiledLocations,
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

/// Reads the JSON Lines form. `name` stands for the whole text in error locations; a line
/// that does not parse is a `rule_syntax` error at its line and column. Each file comes with
/// its line number.
pub(crate) fn read(name: &str, text: &str) -> Result<Vec<(u32, CompiledFile)>, Error> {
    let mut files = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if files.len() >= crate::limits::MAX_RULE_FILES {
            return Err(Error::new(crate::ErrorKind::LimitExceeded {
                what: format!("number of rule files (more than {})", files.len()),
                limit: crate::limits::MAX_RULE_FILES as u64,
            }));
        }
        crate::limits::check_len(
            &format!("compiled rule file on line {}", i.saturating_add(1)),
            line.len(),
            crate::limits::MAX_RULE_FILE_BYTES,
        )?;
        let number = u32::try_from(i.saturating_add(1)).unwrap_or(u32::MAX);
        let file = serde_json::from_str::<CompiledFile>(line).map_err(|e| {
            Error::new(crate::ErrorKind::RuleSyntax {
                message: format!(
                    "compiled rules do not match this version's model ({e}); write them again \
                     with `lephi compile`"
                ),
            })
            .at(Some(Location {
                file: name.to_string(),
                line: number,
                column: u32::try_from(e.column()).unwrap_or(u32::MAX),
            }))
        })?;
        files.push((number, file));
    }
    Ok(files)
}
