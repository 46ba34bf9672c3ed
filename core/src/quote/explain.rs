//! The itemised receipt, in Vietnamese or English.

use std::fmt::Write as _;

use crate::model::{Channel, FeeKind};
use crate::quote::{Citation, Quote};
use crate::{format_vnd, words};

/// Language of an explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// Vietnamese (default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Parses `vi` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

fn channel(c: Channel, lang: Lang) -> &'static str {
    match (c, lang) {
        (Channel::InPerson, Lang::Vi) => "Trực tiếp",
        (Channel::Postal, Lang::Vi) => "Qua bưu chính công ích",
        (Channel::OnlinePartial, Lang::Vi) => "Trực tuyến một phần",
        (Channel::OnlineFull, Lang::Vi) => "Trực tuyến toàn trình",
        (Channel::InPerson, Lang::En) => "In person",
        (Channel::Postal, Lang::En) => "By post",
        (Channel::OnlinePartial, Lang::En) => "Online (partial)",
        (Channel::OnlineFull, Lang::En) => "Online (end to end)",
    }
}

fn cite(c: &Citation, lang: Lang) -> String {
    let conf = match (c.confidence, lang) {
        (crate::model::Confidence::Verified, _) => String::new(),
        (other, Lang::Vi) => format!(
            " [nguồn: {}]",
            match other {
                crate::model::Confidence::Secondary => "thứ cấp",
                _ => "chưa kiểm chứng",
            }
        ),
        (other, Lang::En) => format!(" [source: {}]", other.as_str()),
    };
    format!("{}, {}{conf}", c.number, c.article)
}

/// Renders a quote as an itemised receipt with the legal basis of each line and the total in
/// words.
///
/// ```
/// use lephi::{Channel, Lang, Request, RuleLibrary};
/// let lib = RuleLibrary::bundled()?;
/// let q = lib.quote(&Request::new("driver-licence.issue", "2024-05-01")?.with_channel(Channel::OnlineFull))?;
/// let text = lephi::explain(&q, Lang::Vi);
/// assert!(text.contains("115.000\u{a0}₫"));
/// assert!(text.contains("Một trăm mười lăm nghìn đồng"));
/// # Ok::<(), lephi::Error>(())
/// ```
pub fn explain(q: &Quote, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let mut s = String::new();
    let name = if vi || q.procedure_name.en.is_empty() {
        &q.procedure_name.vi
    } else {
        &q.procedure_name.en
    };
    let _ = writeln!(
        s,
        "{}",
        if vi {
            "ƯỚC TÍNH PHÍ, LỆ PHÍ"
        } else {
            "FEE ESTIMATE"
        }
    );
    let _ = writeln!(
        s,
        "{}: {name} ({})",
        if vi { "Thủ tục" } else { "Procedure" },
        q.procedure
    );
    let _ = writeln!(
        s,
        "{}: {} · {}: {} · {}: {}",
        if vi { "Nơi nộp" } else { "Jurisdiction" },
        q.jurisdiction,
        if vi { "Ngày nộp" } else { "Date" },
        if vi {
            q.date.to_vi_string()
        } else {
            q.date.to_string()
        },
        if vi { "Hình thức" } else { "Channel" },
        channel(q.channel, lang)
    );
    let _ = writeln!(s);
    for (i, l) in q.lines.iter().enumerate() {
        let kind = match (l.kind, vi) {
            (FeeKind::Phi, true) => "phí",
            (FeeKind::LePhi, true) => "lệ phí",
            (FeeKind::Phi, false) => "fee (phí)",
            (FeeKind::LePhi, false) => "charge (lệ phí)",
        };
        let lname = if vi || l.name.en.is_empty() {
            &l.name.vi
        } else {
            &l.name.en
        };
        let _ = writeln!(s, "{}. {lname} ({kind})", i.saturating_add(1));
        let _ = writeln!(
            s,
            "   {}: {}  [{}]",
            if vi { "Căn cứ" } else { "Legal basis" },
            cite(&l.basis, lang),
            l.rule
        );
        let _ = writeln!(
            s,
            "   {}: {}  ({})",
            if vi { "Mức thu" } else { "Base amount" },
            format_vnd(l.base.0),
            l.computation
        );
        for a in &l.adjustments {
            let aname = if vi || a.name.en.is_empty() {
                &a.name.vi
            } else {
                &a.name.en
            };
            if a.applied {
                let _ = writeln!(
                    s,
                    "   − {aname}: {}  ({}; {}) [{}]",
                    format_vnd(a.delta),
                    a.effect,
                    cite(&a.basis, lang),
                    a.rule
                );
            } else {
                let why = a.reason.unwrap_or_default();
                let _ = writeln!(
                    s,
                    "   {} {aname} [{}]: {why}",
                    if vi {
                        "(không áp dụng)"
                    } else {
                        "(not applied)"
                    },
                    a.rule
                );
            }
        }
        if let Some(r) = &l.rounding {
            let _ = writeln!(
                s,
                "   {}: {} → {} ({}, {})",
                if vi { "Làm tròn" } else { "Rounding" },
                format_vnd(l.exact.0),
                format_vnd(l.amount.0),
                r.rule,
                format_vnd(r.delta)
            );
        }
        let _ = writeln!(
            s,
            "   {}: {}",
            if vi { "Thành tiền" } else { "Amount" },
            format_vnd(l.amount.0)
        );
        if let Some(r) = &l.retained {
            let _ = writeln!(
                s,
                "   {}: {}% = {}",
                if vi {
                    "Cơ quan thu được để lại"
                } else {
                    "Kept by the collecting agency"
                },
                r.share,
                format_vnd(r.amount.0)
            );
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}: {}",
        if vi {
            "Cộng phí, lệ phí"
        } else {
            "Fees and charges"
        },
        format_vnd(q.fees_total.0)
    );
    if let Some(p) = &q.postage {
        let _ = writeln!(
            s,
            "{} ({}, {}, {} g): {}  ({})",
            if vi { "Cước bưu chính" } else { "Postage" },
            p.direction,
            p.zone,
            p.weight_grams,
            format_vnd(p.tariff.0),
            p.computation
        );
        let _ = writeln!(
            s,
            "   {}: {}  [{}]",
            if vi { "Căn cứ" } else { "Legal basis" },
            cite(&p.basis, lang),
            p.rule
        );
        for a in p.adjustments.iter().filter(|a| a.applied) {
            let aname = if vi || a.name.en.is_empty() {
                &a.name.vi
            } else {
                &a.name.en
            };
            let _ = writeln!(s, "   − {aname}: {}  [{}]", format_vnd(a.delta), a.rule);
        }
        if !p.subsidy.0.is_zero() {
            let _ = writeln!(
                s,
                "   {}: −{}  [{}]",
                if vi {
                    "Ngân sách hỗ trợ"
                } else {
                    "Subsidy"
                },
                format_vnd(p.subsidy.0),
                p.subsidy_rule.clone().unwrap_or_default()
            );
        }
        let _ = writeln!(
            s,
            "   {}: {}",
            if vi {
                "Người nộp trả"
            } else {
                "Applicant pays"
            },
            format_vnd(p.applicant.0)
        );
    }
    let _ = writeln!(
        s,
        "{}: {}",
        if vi { "TỔNG CỘNG" } else { "TOTAL" },
        format_vnd(q.total.0)
    );
    let _ = writeln!(
        s,
        "{}: {}",
        if vi { "Bằng chữ" } else { "In words" },
        if vi {
            words::vi_receipt(q.total.0)
        } else {
            words::en_receipt(q.total.0)
        }
    );
    if !q.warnings.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(s, "{}:", if vi { "Lưu ý" } else { "Warnings" });
        for w in &q.warnings {
            let text = if vi {
                warning_vi(w)
            } else {
                w.message.to_string()
            };
            let _ = writeln!(s, "- {} ({})", text, w.code);
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}: {}",
        if vi { "Mã tái lập" } else { "Fingerprint" },
        q.fingerprint
    );
    s
}

/// A warning in Vietnamese for the receipt. The JSON keeps the English message (the contract's
/// stable text); this renders the same facts from the code and the message's quoted parts.
fn warning_vi(w: &crate::quote::Warning) -> String {
    let rule = w.rule.as_deref().unwrap_or("");
    let parts: Vec<&str> = w.message.split('`').collect();
    match w.code {
        "secondary_source" => format!(
            "`{rule}` lấy từ nguồn thứ cấp (báo chí, dữ liệu bên thứ ba); cần đối chiếu văn bản chính thức"
        ),
        "unverified_source" => format!(
            "`{rule}` chưa được đối chiếu với văn bản pháp luật (chỉ từ trí nhớ hoặc tin báo)"
        ),
        "proof_required" => match w.message.split_once("applies only with proof: ") {
            Some((_, proof)) => format!("`{rule}` chỉ áp dụng khi có giấy tờ chứng minh: {proof}"),
            None => w.message.to_string(),
        },
        "rule_expires_soon" => match (parts.get(3), parts.get(4)) {
            (Some(to), Some(rest)) => {
                let days: String = rest
                    .trim_start_matches([' ', '('])
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                format!("`{rule}` hết hiệu lực ngày `{to}` ({days} ngày sau ngày nộp); sau đó mức thu thay đổi")
            }
            _ => w.message.to_string(),
        },
        _ => w.message.to_string(),
    }
}
