//! The JSON Schema of rule files, generated from the Rust model (feature `schema`).

/// The versioned schema id.
pub const SCHEMA_ID: &str = "https://lephi.invalid/schema/v1/rules.schema.json";

/// The JSON Schema of a rule file, pretty-printed, ending with a newline.
///
/// ```
/// let s = lephi::schema::rule_schema();
/// assert!(s.contains("\"document\""));
/// ```
pub fn rule_schema() -> String {
    let mut schema = schemars::schema_for!(crate::model::RuleDocument);
    schema.insert("$id".into(), serde_json::Value::String(SCHEMA_ID.into()));
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of the request/result contract: `$defs` for every type, and `roots` naming
/// the entry points (`Request`, `Quote`, `ChannelComparison`, `NeededInput`, `Procedure`,
/// `Jurisdiction`, and `DocumentHeader` for [`sources`](crate::RuleLibrary::sources)). The WebAssembly package turns it into its TypeScript declarations.
///
/// ```
/// let s = lephi::schema::contract_schema();
/// assert!(s.contains("\"Quote\"") && s.contains("\"Request\""));
/// ```
pub fn contract_schema() -> String {
    // Requests are read (a field with a default may be left out); results are written (a field
    // that serde skips when empty or absent is optional, an `Option` that it writes is null).
    let mut reading = schemars::SchemaGenerator::default();
    let mut writing = schemars::generate::SchemaSettings::default()
        .for_serialize()
        .into_generator();
    let mut roots = serde_json::Map::new();
    macro_rules! root {
        ($generator:ident, $name:literal, $t:ty) => {
            roots.insert(
                $name.into(),
                serde_json::to_value($generator.subschema_for::<$t>()).unwrap_or_default(),
            );
        };
    }
    root!(reading, "Request", crate::Request);
    root!(writing, "Quote", crate::Quote);
    root!(
        writing,
        "ChannelComparison",
        crate::quote::ChannelComparison
    );
    root!(writing, "NeededInput", crate::NeededInput);
    root!(writing, "Procedure", crate::model::Procedure);
    root!(writing, "Jurisdiction", crate::model::Jurisdiction);
    root!(writing, "DocumentHeader", crate::model::DocumentHeader);
    let mut defs = writing.take_definitions(true);
    // The request's own types (and the enums both sides share) as read.
    defs.extend(reading.take_definitions(true));
    let value = serde_json::json!({ "$defs": defs, "roots": roots });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
