//! Generated files must match what the code generates.

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn json_schema_has_not_drifted() {
    let on_disk =
        std::fs::read_to_string(root().join("rules/schema/v1/rules.schema.json")).unwrap();
    assert!(on_disk == lephi::schema::rule_schema(), "rules/schema/v1/rules.schema.json is stale: run `cargo run -p lephi-cli -- schema > rules/schema/v1/rules.schema.json`");
}

#[test]
fn catalog_has_not_drifted() {
    let on_disk = std::fs::read_to_string(root().join("rules/CATALOG.md")).unwrap();
    let lib = lephi::RuleLibrary::bundled().unwrap();
    assert!(
        on_disk == lephi::catalog::render(&lib),
        "rules/CATALOG.md is stale: run `cargo run -p lephi-cli -- catalog > rules/CATALOG.md`"
    );
}

#[test]
fn precompiled_library_has_not_drifted() {
    let on_disk = std::fs::read(root().join("rules/compiled.bin")).unwrap();
    let fresh = lephi::RuleLibrary::compile(lephi::RuleLibrary::bundled_sources()).unwrap();
    assert!(
        on_disk == fresh,
        "rules/compiled.bin is stale: run `cargo run -p lephi-cli -- compile -o rules/compiled.bin`"
    );
    assert!(
        lephi::RuleLibrary::bundled_is_precompiled(),
        "build.rs did not embed rules/compiled.bin"
    );
}
