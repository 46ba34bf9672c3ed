use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::{ApplicantKind, Channel, Direction};
use crate::{Date, Error};

/// A pricing request: which procedure, where, when, how it is filed, by whom, with which inputs.
///
/// JSON keys: `procedure`, `jurisdiction` (default `vn`), `date` (required), `channel`
/// (default `in_person`), `applicant` {`kind`, `categories`}, `inputs` {name: value},
/// `postage` {`direction`, `zone`, `weight_grams`, `collect_fees`}.
///
/// ```
/// let req = lephi::Request::from_json(r#"{"procedure":"driver-licence.issue","date":"2024-05-01","channel":"online_full"}"#)?;
/// assert_eq!(req.jurisdiction, "vn");
/// # Ok::<(), lephi::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Procedure id.
    pub procedure: String,
    /// `vn`, `vn/<province>` or a GSO code.
    #[serde(default = "crate::model::default_jurisdiction")]
    pub jurisdiction: String,
    /// Submission date.
    pub date: Date,
    /// How the dossier is filed.
    #[serde(default)]
    pub channel: Channel,
    /// Who files it.
    #[serde(default)]
    pub applicant: Applicant,
    /// Inputs by name (`copies`, `pages`, `declared_value`, `area`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, InputValue>,
    /// Postage through the public postal service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postage: Option<PostageRequest>,
}

/// The applicant: kind and categories (from [`CATEGORIES`](crate::model::CATEGORIES)).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// Individual or organisation.
    #[serde(default)]
    pub kind: ApplicantKind,
    /// Categories such as `student`, `poor_household`, `digital_citizen`.
    #[serde(default)]
    pub categories: Vec<String>,
}

/// Postage requested with the dossier.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PostageRequest {
    /// `send`, `return` or `both`.
    pub direction: Direction,
    /// Zone as the tariff names it.
    pub zone: String,
    /// Weight of the dossier in grams.
    pub weight_grams: u32,
    /// Whether the post office collects the fees (adds the collection surcharge).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub collect_fees: bool,
}

/// An input value: an integer or a string (money as a decimal string). Floats are refused,
/// because money must stay exact.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum InputValue {
    /// A whole number.
    Integer(u64),
    /// Text: a choice or a decimal amount.
    Text(String),
}

impl InputValue {
    /// The value as text (integers in decimal).
    pub fn as_text(&self) -> String {
        match self {
            InputValue::Integer(i) => i.to_string(),
            InputValue::Text(t) => t.clone(),
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for InputValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "InputValue".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A whole number, or text: a choice or money as a decimal string (never a float)",
            "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]
        })
    }
}

impl From<u64> for InputValue {
    fn from(v: u64) -> Self {
        InputValue::Integer(v)
    }
}
impl From<u32> for InputValue {
    fn from(v: u32) -> Self {
        InputValue::Integer(u64::from(v))
    }
}
impl From<&str> for InputValue {
    fn from(v: &str) -> Self {
        InputValue::Text(v.to_string())
    }
}
impl From<String> for InputValue {
    fn from(v: String) -> Self {
        InputValue::Text(v)
    }
}

impl Serialize for InputValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            InputValue::Integer(i) => s.serialize_u64(*i),
            InputValue::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for InputValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = InputValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string (money as a decimal string, never a float)")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<InputValue, E> {
                Ok(InputValue::Integer(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<InputValue, E> {
                u64::try_from(v)
                    .map(InputValue::Integer)
                    .map_err(|_| E::custom(format!("`{v}` is negative (inputs are ≥ 0)")))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<InputValue, E> {
                // This derived path serves other formats (YAML rule tests); JSON requests go
                // through `quote::read`, which shows the number as written.
                let shown = serde_json::Number::from_f64(v)
                    .map_or_else(|| "NaN".to_string(), |n| n.to_string());
                Err(E::custom(format!(
                    "`{shown}` is a floating-point number; give money as a decimal string such as \"1500000.5\""
                )))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<InputValue, E> {
                Ok(InputValue::Text(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<InputValue, E> {
                Ok(InputValue::Text(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl Request {
    /// A request for `procedure` on `date` (ISO), national jurisdiction, in person.
    ///
    /// # Errors
    /// `request_invalid` when the date is not `YYYY-MM-DD`.
    pub fn new(procedure: &str, date: &str) -> Result<Request, Error> {
        Ok(Request {
            procedure: procedure.to_string(),
            jurisdiction: "vn".to_string(),
            date: Date::parse(date)?,
            channel: Channel::InPerson,
            applicant: Applicant::default(),
            inputs: BTreeMap::new(),
            postage: None,
        })
    }

    /// Reads a request from the JSON contract.
    ///
    /// # Errors
    /// `request_invalid` with the reason; `limit_exceeded` above [`MAX_REQUEST_BYTES`](crate::limits::MAX_REQUEST_BYTES).
    pub fn from_json(text: &str) -> Result<Request, Error> {
        crate::limits::check_len("request", text.len(), crate::limits::MAX_REQUEST_BYTES)?;
        super::read::request(text)
    }

    /// The request as canonical JSON (sorted keys).
    pub fn to_json(&self) -> String {
        crate::quote::result::canonical(self)
    }

    /// Sets the jurisdiction.
    #[must_use]
    pub fn with_jurisdiction(mut self, j: &str) -> Self {
        self.jurisdiction = j.to_string();
        self
    }
    /// Sets the channel.
    #[must_use]
    pub fn with_channel(mut self, c: Channel) -> Self {
        self.channel = c;
        self
    }
    /// Sets the applicant kind.
    #[must_use]
    pub fn with_applicant_kind(mut self, k: ApplicantKind) -> Self {
        self.applicant.kind = k;
        self
    }
    /// Adds an applicant category.
    #[must_use]
    pub fn with_category(mut self, c: &str) -> Self {
        self.applicant.categories.push(c.to_string());
        self
    }
    /// Sets an input.
    #[must_use]
    pub fn with_input(mut self, name: &str, value: impl Into<InputValue>) -> Self {
        self.inputs.insert(name.to_string(), value.into());
        self
    }
    /// Requests postage.
    #[must_use]
    pub fn with_postage(mut self, direction: Direction, zone: &str, weight_grams: u32) -> Self {
        self.postage = Some(PostageRequest {
            direction,
            zone: zone.to_string(),
            weight_grams,
            collect_fees: false,
        });
        self
    }
}
