//! Embeds the rule library of `../rules` (every `*.yaml` except `*.test.yaml`) when the
//! `bundled` feature is on. The files are still validated at load, like any other source.
//!
//! It also embeds `../rules/compiled.jsonl` (the same files parsed, written by `lephi
//! compile`) when, and only when, its paths and SHA-256 hashes match the YAML files exactly.
//! A stale file is left out with a warning, and the library is read from YAML instead.

use std::fmt::Write as _;
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
    let compiled = rules.join("compiled.jsonl");
    println!("cargo:rerun-if-changed={}", compiled.display());
    let embed = !files.is_empty() && compiled_is_fresh(&rules, &files, &compiled);
    if !files.is_empty() && !embed {
        println!(
            "cargo:warning=rules/compiled.jsonl does not match rules/*.yaml; the embedded \
             library will be parsed from YAML at load (run `lephi compile > rules/compiled.jsonl`)"
        );
    }
    let compiled_code = if embed {
        format!("Some(include_str!({:?}))", compiled.display().to_string())
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

/// Whether every line of `compiled` names one of `files` with its current SHA-256, and every
/// file has a line. Each line starts `{"file":"<path>","sha256":"<64 hex>"`.
fn compiled_is_fresh(rules: &Path, files: &[PathBuf], compiled: &Path) -> bool {
    use sha2::{Digest, Sha256};
    let Ok(text) = std::fs::read_to_string(compiled) else {
        return false;
    };
    let mut expected: Vec<(String, String)> = Vec::new();
    for f in files {
        let Ok(bytes) = std::fs::read(f) else {
            return false;
        };
        let rel = f
            .strip_prefix(rules)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let digest = Sha256::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        expected.push((rel, hex));
    }
    let mut found: Vec<(String, String)> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Some(rest) = line.strip_prefix("{\"file\":\"") else {
            return false;
        };
        let Some((file, rest)) = rest.split_once("\",\"sha256\":\"") else {
            return false;
        };
        let Some(hash) = rest.get(..64) else {
            return false;
        };
        found.push((file.to_string(), hash.to_string()));
    }
    expected.sort();
    found.sort();
    expected == found
}
