//! Embeds the rule library of `../rules` (every `*.yaml` except `*.test.yaml`) when the
//! `bundled` feature is on. The files are still validated at load, like any other source.
//!
//! It also embeds `../rules/compiled.bin` (the same files compiled, written by `lephi
//! compile`) when, and only when, its rule model, paths and SHA-256 hashes match exactly.
//! A stale file is left out with a warning, and the library is read from YAML instead.
//!
//! `LEPHI_MODEL_SHAPE` is the SHA-256 of `../rules/schema/v1/rules.schema.json` (a test keeps
//! that file equal to the schema generated from the model) without its `description` lines
//! and line-ending commas: compiled rules carry it, so data packed from another model is
//! refused rather than misread, while a change to the model's doc comments alone (which the
//! schema's descriptions come from) leaves compiled rules valid.

use std::fmt::Write as _;

#[path = "src/rules/shape.rs"]
mod shape;
use shape::shape_of;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml")
            && !p.to_string_lossy().ends_with(".test.yaml")
        {
            out.push(p);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let rules = manifest.join("..").join("rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut files = Vec::new();
    if std::env::var_os("CARGO_FEATURE_BUNDLED").is_some() {
        collect(&rules, &mut files);
    }
    files.sort();
    let mut code = String::from("&[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&rules)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let _ = writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            f.display().to_string()
        );
    }
    code.push(']');
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let _ = std::fs::write(out_dir.join("bundled_rules.rs"), code);
    let schema = rules.join("schema").join("v1").join("rules.schema.json");
    println!("cargo:rerun-if-changed={}", schema.display());
    let shape = std::fs::read_to_string(&schema)
        .map(|text| hex(shape_of(&text).as_bytes()))
        .unwrap_or_else(|_| "unknown".to_string());
    println!("cargo:rustc-env=LEPHI_MODEL_SHAPE={shape}");
    let compiled = rules.join("compiled.bin");
    println!("cargo:rerun-if-changed={}", compiled.display());
    let embed = !files.is_empty() && compiled_is_fresh(&rules, &files, &compiled, &shape);
    if !files.is_empty() && !embed {
        println!(
            "cargo:warning=rules/compiled.bin does not match rules/*.yaml; the embedded \
             library will be parsed from YAML at load (run `lephi compile -o rules/compiled.bin`)"
        );
    }
    let compiled_code = if embed {
        format!("Some(include_bytes!({:?}))", compiled.display().to_string())
    } else {
        "None".to_string()
    };
    let _ = std::fs::write(out_dir.join("bundled_compiled.rs"), compiled_code);
    // Rerun when a file is added to a sub-folder.
    let mut dirs = Vec::new();
    collect_dirs(&rules, &mut dirs);
    for d in dirs {
        println!("cargo:rerun-if-changed={}", d.display());
    }
}

fn collect_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    out.push(dir.to_path_buf());
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.path().is_dir() {
                collect_dirs(&e.path(), out);
            }
        }
    }
}

/// Lowercase hex SHA-256 of `bytes`.
fn hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether the header of `compiled` names the current rule model and exactly `files` with their
/// current SHA-256. The header is text: `lephi compiled rules`, `format 2`, `model <hex>`,
/// `files <n>`, then `<path>\t<hex>` lines up to an empty line.
fn compiled_is_fresh(rules: &Path, files: &[PathBuf], compiled: &Path, shape: &str) -> bool {
    let Ok(bytes) = std::fs::read(compiled) else {
        return false;
    };
    let Some(end) = bytes.windows(2).position(|w| w == b"\n\n") else {
        return false;
    };
    let Ok(header) = std::str::from_utf8(bytes.get(..end).unwrap_or_default()) else {
        return false;
    };
    let mut lines = header.lines();
    let model = format!("model {shape}");
    if lines.next() != Some("lephi compiled rules")
        || lines.next() != Some("format 2")
        || lines.next() != Some(model.as_str())
        || !lines.next().is_some_and(|l| l.starts_with("files "))
    {
        return false;
    }
    let mut expected: Vec<(String, String)> = Vec::new();
    for f in files {
        let Ok(bytes) = std::fs::read(f) else {
            return false;
        };
        let rel = f
            .strip_prefix(rules)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        expected.push((rel, hex(&bytes)));
    }
    let mut found: Vec<(String, String)> = Vec::new();
    for line in lines {
        let Some((file, hash)) = line.split_once('\t') else {
            return false;
        };
        found.push((file.to_string(), hash.to_string()));
    }
    expected.sort();
    found.sort();
    expected == found
}
