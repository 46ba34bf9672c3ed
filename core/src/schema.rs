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
