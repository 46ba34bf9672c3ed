use serde::Serialize;

use super::Names;

/// What values an input takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A whole count ≥ `min`.
    Count,
    /// An amount of money in đồng (decimal string or integer).
    Money,
    /// One of a fixed set of values.
    Choice,
}

impl InputKind {
    /// `count`, `money` or `choice`.
    pub fn as_str(&self) -> &'static str {
        match self {
            InputKind::Count => "count",
            InputKind::Money => "money",
            InputKind::Choice => "choice",
        }
    }
}

/// An input of the vocabulary, with its type, allowed values and default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InputSpec {
    /// The name used in requests (`pages`).
    pub name: &'static str,
    /// What it takes.
    pub kind: InputKind,
    /// Allowed values for a choice.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub allowed: &'static [&'static str],
    /// Smallest count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// Default when not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<&'static str>,
    /// What it means.
    #[serde(skip)]
    pub label_vi: &'static str,
    /// What it means, in English.
    #[serde(skip)]
    pub label_en: &'static str,
    /// Names of the allowed values of a choice, in the order of `allowed`: (Vietnamese,
    /// English).
    #[serde(skip)]
    pub value_labels: &'static [(&'static str, &'static str)],
}

impl InputSpec {
    /// Names for display.
    pub fn label(&self) -> Names {
        Names {
            vi: self.label_vi.to_string(),
            en: self.label_en.to_string(),
        }
    }

    /// Names for display of one allowed value of a choice; `None` for a value it does not
    /// allow.
    ///
    /// ```
    /// let zone = lephi::model::INPUTS.iter().find(|i| i.name == "vehicle_zone").unwrap();
    /// assert_eq!(zone.value_label("kv1").unwrap().vi, "Khu vực I");
    /// assert!(zone.value_label("kv9").is_none());
    /// ```
    pub fn value_label(&self, value: &str) -> Option<Names> {
        let i = self.allowed.iter().position(|a| *a == value)?;
        let (vi, en) = self.value_labels.get(i)?;
        Some(Names {
            vi: (*vi).to_string(),
            en: (*en).to_string(),
        })
    }

    /// A human description of what it takes, used in error messages.
    pub fn expected(&self) -> String {
        match self.kind {
            InputKind::Count => format!("a whole number ≥ {}", self.min.unwrap_or(1)),
            InputKind::Money => {
                // `limits::MAX_MONEY_DIGITS` digits before the point.
                "an amount in đồng, 0 or more with at most 18 digits before the decimal point, \
                 as a decimal string or integer, e.g. `\"1500000000\"`"
                    .into()
            }
            InputKind::Choice => format!(
                "one of {}",
                self.allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

const fn count(
    name: &'static str,
    default: Option<&'static str>,
    vi: &'static str,
    en: &'static str,
) -> InputSpec {
    InputSpec {
        name,
        kind: InputKind::Count,
        allowed: &[],
        min: Some(1),
        default,
        label_vi: vi,
        label_en: en,
        value_labels: &[],
    }
}

/// How many times a candidate sits one part of a test: 0 for a part already passed, 1 unless
/// given (a first attempt sits every part).
const fn sittings(name: &'static str, vi: &'static str, en: &'static str) -> InputSpec {
    InputSpec {
        min: Some(0),
        ..count(name, Some("1"), vi, en)
    }
}

/// The input vocabulary. Rule files may only use these names; requests may only send these.
pub const INPUTS: &[InputSpec] = &[
    count("copies", Some("1"), "Số bản", "Number of copies"),
    count("pages", None, "Số trang", "Number of pages"),
    count("persons", None, "Số người", "Number of persons"),
    count("vehicles", None, "Số phương tiện", "Number of vehicles"),
    sittings(
        "theory_sittings",
        "Số lần sát hạch lý thuyết",
        "Theory test sittings",
    ),
    sittings(
        "practical_sittings",
        "Số lần sát hạch thực hành",
        "Practical test sittings",
    ),
    sittings(
        "simulation_sittings",
        "Số lần sát hạch trên cabin mô phỏng",
        "Simulator test sittings",
    ),
    sittings(
        "circuit_sittings",
        "Số lần sát hạch thực hành trong hình",
        "Circuit (sa hình) test sittings",
    ),
    sittings(
        "road_sittings",
        "Số lần sát hạch thực hành trên đường",
        "On-road test sittings",
    ),
    InputSpec {
        name: "declared_value",
        kind: InputKind::Money,
        allowed: &[],
        min: None,
        default: None,
        label_vi: "Giá trị tài sản, hợp đồng (đồng)",
        label_en: "Declared value (đồng)",
        value_labels: &[],
    },
    InputSpec {
        name: "base_amount",
        kind: InputKind::Money,
        allowed: &[],
        min: None,
        default: None,
        label_vi: "Mức thu do cơ quan công bố (đồng)",
        label_en: "Base rate published by the agency (đồng)",
        value_labels: &[],
    },
    InputSpec {
        name: "base_salary",
        kind: InputKind::Money,
        allowed: &[],
        min: None,
        default: None,
        label_vi: "Mức lương cơ sở tại ngày nộp hồ sơ (đồng)",
        label_en: "Statutory base salary on the filing date (đồng)",
        value_labels: &[],
    },
    InputSpec {
        name: "area",
        kind: InputKind::Choice,
        allowed: &["urban_ward", "other"],
        min: None,
        default: None,
        label_vi: "Khu vực (phường nội thành hay nơi khác)",
        label_en: "Area (urban ward or elsewhere)",
        value_labels: &[
            ("Phường nội thành", "Urban ward"),
            ("Nơi khác", "Elsewhere"),
        ],
    },
    InputSpec {
        name: "vehicle_zone",
        kind: InputKind::Choice,
        allowed: &["kv1", "kv2", "kv3"],
        min: None,
        default: None,
        label_vi: "Khu vực đăng ký xe (I, II, III)",
        label_en: "Vehicle registration zone (I, II, III)",
        value_labels: &[
            ("Khu vực I", "Zone I"),
            ("Khu vực II", "Zone II"),
            ("Khu vực III", "Zone III"),
        ],
    },
    InputSpec {
        name: "registration",
        kind: InputKind::Choice,
        allowed: &["first", "later"],
        min: None,
        default: None,
        label_vi: "Đăng ký lần đầu hay lần thứ hai trở đi",
        label_en: "First or later registration",
        value_labels: &[
            ("Lần đầu", "First registration"),
            ("Lần thứ hai trở đi", "Second or later registration"),
        ],
    },
    InputSpec {
        name: "land_assets",
        kind: InputKind::Choice,
        allowed: &["land_only", "with_assets"],
        min: None,
        default: None,
        label_vi: "Chỉ có đất hay có nhà, tài sản gắn liền",
        label_en: "Land only, or land with a house or other assets",
        value_labels: &[
            ("Chỉ có đất", "Land only"),
            (
                "Có nhà, tài sản gắn liền với đất",
                "Land with a house or other assets",
            ),
        ],
    },
    InputSpec {
        name: "applicant_kind",
        kind: InputKind::Choice,
        allowed: &["individual", "organisation"],
        min: None,
        default: Some("individual"),
        label_vi: "Cá nhân hay tổ chức (lấy từ người nộp)",
        label_en: "Individual or organisation (taken from the applicant)",
        value_labels: &[("Cá nhân", "Individual"), ("Tổ chức", "Organisation")],
    },
];

/// Looks an input up by name.
pub(crate) fn input_spec(name: &str) -> Option<&'static InputSpec> {
    INPUTS.iter().find(|i| i.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_value_has_names_in_both_languages() {
        for spec in INPUTS {
            assert_eq!(spec.allowed.len(), spec.value_labels.len(), "{}", spec.name);
            assert_eq!(
                spec.kind == InputKind::Choice,
                !spec.allowed.is_empty(),
                "{}",
                spec.name
            );
            for value in spec.allowed {
                let names = spec.value_label(value).expect(value);
                assert!(!names.vi.is_empty() && !names.en.is_empty(), "{value}");
            }
        }
    }

    /// The money message states the limit as a literal (the Vietnamese table matches it
    /// exactly): it must follow `limits::MAX_MONEY_DIGITS`.
    #[test]
    fn the_money_message_names_the_digit_limit() {
        for spec in INPUTS.iter().filter(|s| s.kind == InputKind::Money) {
            let at_most = format!("at most {} digits", crate::limits::MAX_MONEY_DIGITS);
            assert!(spec.expected().contains(&at_most), "{}", spec.expected());
        }
    }
}
