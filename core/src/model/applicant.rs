use serde::{Deserialize, Serialize};

/// How the dossier is filed.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At the counter (trực tiếp).
    #[default]
    InPerson,
    /// Through the public postal service (bưu chính công ích).
    Postal,
    /// Online, partly (một phần; older texts: mức độ 3).
    #[serde(alias = "level_3", alias = "muc_do_3")]
    OnlinePartial,
    /// Online end to end (toàn trình; older texts: mức độ 4).
    #[serde(alias = "level_4", alias = "muc_do_4")]
    OnlineFull,
}

impl Channel {
    /// All channels, in a stable order.
    pub const ALL: [Channel; 4] = [
        Channel::InPerson,
        Channel::Postal,
        Channel::OnlinePartial,
        Channel::OnlineFull,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InPerson => "in_person",
            Channel::Postal => "postal",
            Channel::OnlinePartial => "online_partial",
            Channel::OnlineFull => "online_full",
        }
    }

    /// Parses a channel name, including the older `level_3`/`level_4` (mức độ 3/4).
    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "in_person" => Some(Channel::InPerson),
            "postal" => Some(Channel::Postal),
            "online_partial" | "level_3" | "muc_do_3" => Some(Channel::OnlinePartial),
            "online_full" | "level_4" | "muc_do_4" => Some(Channel::OnlineFull),
            _ => None,
        }
    }

    /// Whether the channel is online.
    pub fn is_online(self) -> bool {
        matches!(self, Channel::OnlinePartial | Channel::OnlineFull)
    }
}

/// Individual or organisation.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    /// A person (cá nhân, hộ gia đình).
    #[default]
    Individual,
    /// An organisation (tổ chức, doanh nghiệp).
    // `organization` is read as this too (see `parse`); said here, not in the doc comment,
    // which is part of the rule schema whose hash compiled rules carry.
    #[serde(alias = "organization")]
    Organisation,
}

impl ApplicantKind {
    /// Parses a kind: `individual`, or `organisation` (also spelt `organization`).
    ///
    /// ```
    /// use lephi::ApplicantKind;
    /// assert_eq!(ApplicantKind::parse("organization"), Some(ApplicantKind::Organisation));
    /// assert_eq!(ApplicantKind::parse("Organisation"), None);
    /// ```
    pub fn parse(name: &str) -> Option<ApplicantKind> {
        match name {
            "individual" => Some(ApplicantKind::Individual),
            "organisation" | "organization" => Some(ApplicantKind::Organisation),
            _ => None,
        }
    }

    /// `individual` or `organisation`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicantKind::Individual => "individual",
            ApplicantKind::Organisation => "organisation",
        }
    }
}

/// The applicant categories lephi knows, with their meaning in Vietnamese and English.
/// Rule files and requests may only use these; anything else is an error.
pub const CATEGORIES: &[(&str, &str, &str)] = &[
    ("child", "Trẻ em (dưới 16 tuổi)", "Child (under 16)"),
    ("child_under_6", "Trẻ em dưới 6 tuổi", "Child under 6"),
    ("elderly", "Người cao tuổi", "Elderly person"),
    ("poor_household", "Hộ nghèo", "Poor household"),
    ("disability", "Người khuyết tật", "Person with a disability"),
    (
        "revolutionary_merit",
        "Người có công với cách mạng",
        "Person with revolutionary merit",
    ),
    ("martyr_relative", "Thân nhân liệt sĩ", "Martyr's relative"),
    (
        "war_invalid",
        "Thương binh, người hưởng chính sách như thương binh, bệnh binh",
        "War invalid or sick soldier",
    ),
    (
        "heroic_mother",
        "Bà mẹ Việt Nam anh hùng",
        "Vietnamese Heroic Mother",
    ),
    (
        "pre_1945_revolutionary",
        "Người hoạt động cách mạng trước 19/8/1945",
        "Revolutionary active before 19/08/1945",
    ),
    (
        "hero",
        "Anh hùng lực lượng vũ trang, Anh hùng lao động",
        "Hero of the Armed Forces or of Labour",
    ),
    (
        "agent_orange",
        "Người hoạt động kháng chiến bị nhiễm chất độc hóa học",
        "Resistance participant affected by Agent Orange",
    ),
    ("student", "Học sinh, sinh viên", "Student"),
    (
        "ethnic_minority_special_difficulty_commune",
        "Người dân tộc thiểu số ở xã có điều kiện kinh tế - xã hội đặc biệt khó khăn",
        "Ethnic minority in a special-difficulty commune",
    ),
    (
        "special_difficulty_commune",
        "Người thường trú tại xã có điều kiện kinh tế - xã hội đặc biệt khó khăn",
        "Resident of a special-difficulty commune",
    ),
    (
        "border_commune",
        "Người thường trú tại xã biên giới, xã an toàn khu",
        "Resident of a border or safe-zone commune",
    ),
    (
        "island_district",
        "Người thường trú tại huyện đảo",
        "Resident of an island district",
    ),
    (
        "orphan_under_18",
        "Trẻ mồ côi dưới 18 tuổi",
        "Orphan under 18",
    ),
    (
        "digital_citizen",
        "Công dân số (tài khoản VNeID mức 2, đã tích hợp giấy tờ)",
        "Digital citizen (VNeID level 2 with integrated documents)",
    ),
];
