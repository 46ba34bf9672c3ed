//! The rule model's shape, as compiled rules record it: the generated JSON Schema
//! (`rules/schema/v1/rules.schema.json`) without what doc comments change. `build.rs` includes
//! this file to set `LEPHI_MODEL_SHAPE`; the crate compiles it only for its tests.

/// The schema without its `description` lines (the generated schema is pretty-printed, one
/// key per line, each description on one line) and, since a description may be an object's
/// last key, without the comma at the end of a line.
pub(crate) fn shape_of(schema: &str) -> String {
    schema
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"description\":"))
        .map(|l| l.trim_end().trim_end_matches(','))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::shape_of;

    const SCHEMA: &str = include_str!("../../../rules/schema/v1/rules.schema.json");

    fn sha256(text: &str) -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn compiled_rules_carry_the_schemas_shape() {
        assert_eq!(
            super::super::compiled::MODEL_SHAPE,
            sha256(&shape_of(SCHEMA))
        );
    }

    #[test]
    fn doc_comments_do_not_change_the_shape_and_the_model_does() {
        let base = "{\n  \"type\": \"object\",\n  \"description\": \"A fee.\",\n  \"properties\": {\n    \"id\": {\n      \"type\": \"string\"\n    }\n  }\n}";
        let reworded = base.replace("A fee.", "A fee, reworded.");
        // A description added as the object's last key puts a comma on the line before it.
        let added = base.replace(
            "      \"type\": \"string\"\n",
            "      \"type\": \"string\",\n      \"description\": \"Local id.\"\n",
        );
        let retyped = base.replace("\"string\"", "\"integer\"");
        assert_eq!(shape_of(&reworded), shape_of(base));
        assert_eq!(shape_of(&added), shape_of(base));
        assert_ne!(shape_of(&retyped), shape_of(base));
        // The real schema has descriptions, and its shape has none.
        assert!(SCHEMA.contains("\"description\":"));
        assert!(!shape_of(SCHEMA).contains("\"description\":"));
    }
}
