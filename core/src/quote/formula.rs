//! The short computations of a quote (`computation`, an adjustment's `effect`, a rounding
//! label, the reason an incentive was not applied) in words for a Vietnamese receipt.
//!
//! The quote's JSON keeps them in English: they are part of the cross-runtime contract. A
//! receipt in Vietnamese renders them here, from the few phrases the engine writes them with;
//! numbers and anything else pass through, with a decimal point written as a comma.

use std::borrow::Cow;

use crate::model::{input_spec, InputKind};
use crate::quote::Lang;

/// The engine's phrases, longest first where one starts another. `%` marks a phrase whose
/// number is a percentage.
const PHRASES: &[(&str, &str)] = &[
    ("fixed ", "cố định "),
    (" above ", " vượt quá "),
    (", line capped at ", ", cả dòng tối đa "),
    (", capped at ", ", tối đa "),
    (", raised to the minimum ", ", nâng lên mức tối thiểu "),
    (", at most ", ", tối đa "),
    ("band from ", "khung từ "),
    (" given by the applicant: ", " do người nộp kê khai: "),
    ("up to ", "đến "),
    ("both directions: ", "cả hai chiều: "),
    (" + fee collection ", " + cước thu hộ "),
    (" per ", " mỗi "),
    ("pay_percent ", "%nộp "),
    ("reduce_percent ", "%giảm "),
    ("replace_amount ", "thu "),
    ("reduce_amount ", "giảm "),
    ("half_up to ", "làm tròn (từ nửa trở lên) đến "),
    ("half_even to ", "làm tròn (nửa về số chẵn) đến "),
    ("down to ", "làm tròn xuống đến "),
    ("an exemption applies", "đã được miễn"),
    ("exempt", "miễn"),
    (
        "a more favourable incentive applies; incentives do not stack",
        "đã áp dụng ưu đãi có lợi hơn; các ưu đãi không cộng dồn",
    ),
];

/// A computation, effect, rounding label or reason of a quote in `lang`. English is the text
/// itself. In Vietnamese the engine's phrases are translated, a count input is named by what
/// it counts and a choice by the value's name, and decimal points become commas.
///
/// ```
/// use lephi::{formula_text, Lang};
/// let en = "200000 + 2 copies above 2 × 5000 = 210000";
/// assert_eq!(formula_text(en, Lang::En), en);
/// assert_eq!(formula_text(en, Lang::Vi), "200000 + 2 bản vượt quá 2 × 5000 = 210000");
/// assert_eq!(formula_text("area = urban_ward: fixed 25000", Lang::Vi), "Phường nội thành: cố định 25000");
/// assert_eq!(formula_text("reduce_percent 50, at most 100000", Lang::Vi), "giảm 50%, tối đa 100000");
/// assert_eq!(formula_text("0.1% × 5000 = 5.5", Lang::Vi), "0,1% × 5000 = 5,5");
/// // Only whole words: an id that starts like a phrase stays as it is.
/// assert_eq!(formula_text("exempt_groups, xfixed 5", Lang::Vi), "exempt_groups, xfixed 5");
/// ```
pub fn formula_text(text: &str, lang: Lang) -> Cow<'_, str> {
    if lang == Lang::En {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(16));
    let mut rest = text;
    let mut percent = false;
    let mut last = ' ';
    while let Some(c) = rest.chars().next() {
        if percent && !(c.is_ascii_digit() || c == '.') {
            out.push('%');
            percent = false;
        }
        // A phrase is a whole word: `exempt` in `exempt_groups` or `fixed` in `xfixed` is not.
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let inside = last.is_ascii_alphanumeric() || last == '_';
        let phrase = PHRASES.iter().find(|(en, _)| {
            rest.starts_with(en)
                && !(inside && en.as_bytes().first().is_some_and(|b| word(*b)))
                && !(en.as_bytes().last().is_some_and(|b| word(*b))
                    && rest.as_bytes().get(en.len()).is_some_and(|b| word(*b)))
        });
        if let Some((en, vi)) = phrase {
            let vi = match vi.strip_prefix('%') {
                Some(v) => {
                    percent = true;
                    v
                }
                None => vi,
            };
            out.push_str(vi);
            rest = rest.get(en.len()..).unwrap_or_default();
            last = ' ';
            continue;
        }
        let id_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
            .count();
        if c.is_ascii_lowercase() && !last.is_ascii_alphanumeric() {
            let (id, after) = rest.split_at_checked(id_len).unwrap_or((rest, ""));
            rest = after;
            last = 'a';
            match input_spec(id) {
                Some(spec) if spec.kind == InputKind::Count => {
                    // "Số bản" → "bản": what the input counts.
                    let noun = spec.label_vi.strip_prefix("Số ").unwrap_or(spec.label_vi);
                    out.push_str(noun);
                }
                Some(spec) if spec.kind == InputKind::Choice => {
                    let value = after.strip_prefix(" = ").map(|v| {
                        let n = v
                            .bytes()
                            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                            .count();
                        v.split_at_checked(n).unwrap_or((v, ""))
                    });
                    match value.and_then(|(v, after)| Some((spec.value_label(v)?, after))) {
                        Some((names, after)) => {
                            out.push_str(&names.vi);
                            rest = after;
                        }
                        None => out.push_str(id),
                    }
                }
                _ => out.push_str(id),
            }
            continue;
        }
        let next = rest.get(c.len_utf8()..).unwrap_or_default();
        let decimal_point = c == '.'
            && last.is_ascii_digit()
            && next.bytes().next().is_some_and(|b| b.is_ascii_digit());
        out.push(if decimal_point { ',' } else { c });
        last = c;
        rest = next;
    }
    if percent {
        out.push('%');
    }
    Cow::Owned(out)
}
