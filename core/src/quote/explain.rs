//! The itemised receipt, in Vietnamese or English.

use std::borrow::Cow;

use crate::model::{Channel, FeeKind};
use crate::quote::{Citation, Quote, Warning};
use crate::words;

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

/// The receipt under construction. Text is appended piece by piece (no `format!`
/// intermediates), which keeps an explanation within a few microseconds.
struct Out {
    s: String,
    vi: bool,
}

impl Out {
    fn str(&mut self, t: &str) -> &mut Self {
        self.s.push_str(t);
        self
    }
    /// Vietnamese or English text.
    fn tr(&mut self, vi: &str, en: &str) -> &mut Self {
        self.s.push_str(if self.vi { vi } else { en });
        self
    }
    /// A computation, effect, rounding label or reason, in the receipt's language.
    fn formula(&mut self, t: &str) -> &mut Self {
        let lang = if self.vi { Lang::Vi } else { Lang::En };
        self.s.push_str(&super::formula_text(t, lang));
        self
    }
    fn int(&mut self, n: u64) -> &mut Self {
        crate::money::push_u64(&mut self.s, n, 1);
        self
    }
    fn vnd(&mut self, d: rust_decimal::Decimal) -> &mut Self {
        crate::money::push_number_vi(&mut self.s, d);
        self.s.push_str("\u{a0}₫");
        self
    }
    fn name(&mut self, n: &crate::model::Names) -> &mut Self {
        let t = if self.vi || n.en.is_empty() {
            &n.vi
        } else {
            &n.en
        };
        self.s.push_str(t);
        self
    }
    fn cite(&mut self, c: &Citation) -> &mut Self {
        use crate::model::Confidence;
        self.str(&c.number).str(", ").str(&c.article);
        match (c.confidence, self.vi) {
            (Confidence::Verified, _) => self,
            (Confidence::Secondary, true) => self.str(" [nguồn: thứ cấp]"),
            (_, true) => self.str(" [nguồn: chưa kiểm chứng]"),
            (other, false) => self.str(" [source: ").str(other.as_str()).str("]"),
        }
    }
    fn nl(&mut self) -> &mut Self {
        self.s.push('\n');
        self
    }
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
    let mut o = Out {
        s: String::with_capacity(2048),
        vi,
    };
    o.tr("ƯỚC TÍNH PHÍ, LỆ PHÍ", "FEE ESTIMATE").nl();
    o.tr("Thủ tục", "Procedure")
        .str(": ")
        .name(q.procedure_name)
        .str(" (")
        .str(q.procedure)
        .str(")")
        .nl();
    o.tr("Nơi nộp", "Jurisdiction")
        .str(": ")
        .str(q.jurisdiction)
        .str(" · ")
        .tr("Ngày nộp", "Date")
        .str(": ");
    if vi {
        q.date.push_vi(&mut o.s);
    } else {
        q.date.push_iso(&mut o.s);
    }
    o.str(" · ")
        .tr("Hình thức", "Channel")
        .str(": ")
        .str(channel(q.channel, lang))
        .nl()
        .nl();
    for (i, l) in q.lines.iter().enumerate() {
        let kind = match (l.kind, vi) {
            (FeeKind::Phi, true) => "phí",
            (FeeKind::LePhi, true) => "lệ phí",
            (FeeKind::Phi, false) => "fee (phí)",
            (FeeKind::LePhi, false) => "charge (lệ phí)",
        };
        o.int(u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1))
            .str(". ")
            .name(l.name)
            .str(" (")
            .str(kind)
            .str(")")
            .nl();
        o.str("   ")
            .tr("Căn cứ", "Legal basis")
            .str(": ")
            .cite(l.basis)
            .str("  [")
            .str(l.rule)
            .str("]")
            .nl();
        o.str("   ")
            .tr("Mức thu", "Base amount")
            .str(": ")
            .vnd(l.base.0)
            .str("  (")
            .formula(&l.computation)
            .str(")")
            .nl();
        for a in &l.adjustments {
            if a.applied {
                o.str("   − ")
                    .name(a.name)
                    .str(": ")
                    .vnd(a.delta)
                    .str("  (")
                    .formula(a.effect)
                    .str("; ")
                    .cite(a.basis)
                    .str(") [")
                    .str(a.rule)
                    .str("]")
                    .nl();
            } else {
                o.str("   ")
                    .tr("(không áp dụng)", "(not applied)")
                    .str(" ")
                    .name(a.name)
                    .str(" [")
                    .str(a.rule)
                    .str("]: ")
                    .formula(a.reason.unwrap_or_default())
                    .nl();
            }
        }
        if let Some(r) = &l.rounding {
            o.str("   ")
                .tr("Làm tròn", "Rounding")
                .str(": ")
                .vnd(l.exact.0)
                .str(" → ")
                .vnd(l.amount.0)
                .str(" (")
                .formula(&r.rule)
                .str(", ")
                .vnd(r.delta)
                .str(")")
                .nl();
        }
        o.str("   ")
            .tr("Thành tiền", "Amount")
            .str(": ")
            .vnd(l.amount.0)
            .nl();
        if let Some(r) = &l.retained {
            o.str("   ")
                .tr("Cơ quan thu được để lại", "Kept by the collecting agency")
                .str(": ")
                .str(&r.share)
                .str("% = ")
                .vnd(r.amount.0)
                .nl();
        }
    }
    o.nl()
        .tr("Cộng phí, lệ phí", "Fees and charges")
        .str(": ")
        .vnd(q.fees_total.0)
        .nl();
    if let Some(p) = &q.postage {
        // The direction and zone in words; a zone lephi has no words for stays its id.
        let direction = crate::model::Direction::parse(p.direction).map(|d| d.names());
        let zone = crate::model::zone_names(p.zone);
        o.tr("Cước bưu chính", "Postage")
            .str(" (")
            .tr(
                direction.map_or(p.direction, |d| d.0),
                direction.map_or(p.direction, |d| d.1),
            )
            .str(", ")
            .tr(zone.map_or(p.zone, |z| z.0), zone.map_or(p.zone, |z| z.1))
            .str(", ")
            .int(u64::from(p.weight_grams))
            .str(" g): ")
            .vnd(p.tariff.0)
            .str("  (")
            .formula(&p.computation)
            .str(")")
            .nl();
        o.str("   ")
            .tr("Căn cứ", "Legal basis")
            .str(": ")
            .cite(p.basis)
            .str("  [")
            .str(p.rule)
            .str("]")
            .nl();
        for a in p.adjustments.iter().filter(|a| a.applied) {
            o.str("   − ")
                .name(a.name)
                .str(": ")
                .vnd(a.delta)
                .str("  [")
                .str(a.rule)
                .str("]")
                .nl();
        }
        if !p.subsidy.0.is_zero() {
            o.str("   ")
                .tr("Ngân sách hỗ trợ", "Subsidy")
                .str(": −")
                .vnd(p.subsidy.0)
                .str("  [")
                .str(p.subsidy_rule.unwrap_or_default())
                .str("]")
                .nl();
        }
        o.str("   ")
            .tr("Người nộp trả", "Applicant pays")
            .str(": ")
            .vnd(p.applicant.0)
            .nl();
    }
    o.tr("TỔNG CỘNG", "TOTAL").str(": ").vnd(q.total.0).nl();
    o.tr("Bằng chữ", "In words").str(": ");
    if vi {
        words::push_vi_receipt(&mut o.s, q.total.0);
    } else {
        o.str(&words::en_receipt(q.total.0));
    }
    o.nl();
    if !q.warnings.is_empty() {
        o.nl().tr("Lưu ý", "Warnings").str(":").nl();
        for w in &q.warnings {
            o.str("- ");
            o.str(&w.text(lang));
            o.str(" (").str(w.code).str(")").nl();
        }
    }
    o.nl()
        .tr("Mã tái lập", "Fingerprint")
        .str(": ")
        .str(&q.fingerprint)
        .nl();
    o.s
}

impl Warning<'_> {
    /// The warning in `lang`, as the receipt shows it: see [`warning_text`].
    ///
    /// ```
    /// use lephi::{Channel, Lang, Request, RuleLibrary};
    /// let lib = RuleLibrary::bundled()?;
    /// let q = lib.quote(&Request::new("driver-licence.issue", "2024-05-01")?.with_channel(Channel::OnlineFull))?;
    /// let w = &q.warnings[0];
    /// assert_eq!(w.code, "secondary_source");
    /// assert_eq!(w.text(Lang::En), w.message);
    /// assert!(w.text(Lang::Vi).contains("nguồn thứ cấp"));
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn text(&self, lang: Lang) -> Cow<'_, str> {
        warning_text(self.code, &self.message, self.rule, lang)
    }
}

/// A quote's warning in `lang`, from the parts its JSON carries (`code`, `message`, `rule`).
///
/// The English text is the message itself: the contract's stable text. The Vietnamese text
/// renders the same facts from the code, the rule and the message's quoted parts; a code
/// without a Vietnamese rendering keeps its message. For a page or a notebook that has the
/// quote as JSON (the WebAssembly package's `warningText`).
///
/// ```
/// use lephi::{warning_text, Lang};
/// let message = "`tt-37-2023-btc/driver-licence` comes from a secondary source (news or third-party data); check the official text";
/// let vi = warning_text("secondary_source", message, Some("tt-37-2023-btc/driver-licence"), Lang::Vi);
/// assert!(vi.starts_with("`tt-37-2023-btc/driver-licence` lấy từ nguồn thứ cấp"));
/// assert_eq!(warning_text("secondary_source", message, None, Lang::En), message);
/// ```
pub fn warning_text<'m>(
    code: &str,
    message: &'m str,
    rule: Option<&str>,
    lang: Lang,
) -> Cow<'m, str> {
    if lang == Lang::En {
        return Cow::Borrowed(message);
    }
    let rule = rule.unwrap_or("");
    let text = match code {
        "secondary_source" => format!(
            "`{rule}` lấy từ nguồn thứ cấp (báo chí, dữ liệu bên thứ ba); cần đối chiếu văn bản chính thức"
        ),
        "unverified_source" => format!(
            "`{rule}` chưa được đối chiếu với văn bản pháp luật (chỉ từ trí nhớ hoặc tin báo)"
        ),
        "proof_required" => match crate::text::split_once(message, "applies only with proof: ") {
            Some((_, proof)) => format!("`{rule}` chỉ áp dụng khi có giấy tờ chứng minh: {proof}"),
            None => return Cow::Borrowed(message),
        },
        "rule_expires_soon" => match quoted_parts_3_4(message) {
            (Some(to), Some(rest)) => {
                let days: String = rest
                    .trim_start_matches([' ', '('])
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                format!("`{rule}` hết hiệu lực ngày `{to}` ({days} ngày sau ngày nộp); sau đó mức thu thay đổi")
            }
            _ => return Cow::Borrowed(message),
        },
        _ => return Cow::Borrowed(message),
    };
    Cow::Owned(text)
}

/// The 4th and 5th pieces of a message split at backticks (the date and what follows it).
fn quoted_parts_3_4(message: &str) -> (Option<&str>, Option<&str>) {
    let mut parts = message.split('`');
    (parts.nth(3), parts.next())
}
