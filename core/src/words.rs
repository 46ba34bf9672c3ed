//! Amounts in words ("bằng chữ") in Vietnamese and English, for receipts.
//!
//! Written for lephi because no maintained crate gets Vietnamese receipts right: `mốt`, `lăm`,
//! `linh`, `không trăm` in inner groups, and exact integers of any size (no f64).

use rust_decimal::Decimal;

const UNITS_VI: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

fn unit_vi(d: u32) -> &'static str {
    UNITS_VI.get(d as usize).copied().unwrap_or("")
}

/// Reads one group of three digits. `full` says whether an empty hundreds digit is read
/// ("không trăm"), which is needed for every group but the leading one.
fn group_vi(n: u32, full: bool, out: &mut Vec<&'static str>) {
    let h = n / 100;
    let t = (n / 10) % 10;
    let u = n % 10;
    if h > 0 || full {
        out.push(unit_vi(h));
        out.push("trăm");
    }
    match t {
        0 => {
            if u > 0 {
                if h > 0 || full {
                    out.push("linh");
                }
                out.push(unit_vi(u));
            }
        }
        1 => {
            out.push("mười");
            match u {
                0 => {}
                5 => out.push("lăm"),
                _ => out.push(unit_vi(u)),
            }
        }
        _ => {
            out.push(unit_vi(t));
            out.push("mươi");
            match u {
                0 => {}
                1 => out.push("mốt"),
                5 => out.push("lăm"),
                _ => out.push(unit_vi(u)),
            }
        }
    }
}

/// Splits a non-negative integer into groups of three digits, most significant first.
fn groups(mut n: u128) -> Vec<u32> {
    let mut g = Vec::new();
    loop {
        g.push(u32::try_from(n % 1000).unwrap_or(0));
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    g.reverse();
    g
}

/// Reads a number below one tỷ. `preceded` says whether something was already read before it
/// (then every group says its hundreds, even "không trăm").
fn below_billion_vi(n: u128, preceded: bool, out: &mut Vec<&'static str>) {
    let parts = [
        (n / 1_000_000 % 1000, "triệu"),
        (n / 1000 % 1000, "nghìn"),
        (n % 1000, ""),
    ];
    let mut started = preceded;
    for (g, scale) in parts {
        if g == 0 {
            continue;
        }
        group_vi(u32::try_from(g).unwrap_or(0), started, out);
        if !scale.is_empty() {
            out.push(scale);
        }
        started = true;
    }
}

fn integer_vi(n: u128, preceded: bool, out: &mut Vec<&'static str>) {
    const TY: u128 = 1_000_000_000;
    if n >= TY {
        integer_vi(n / TY, preceded, out);
        out.push("tỷ");
        if !n.is_multiple_of(TY) {
            below_billion_vi(n % TY, true, out);
        }
    } else {
        below_billion_vi(n, preceded, out);
    }
}

fn integer_words_vi(n: u128) -> String {
    if n == 0 {
        return "không".into();
    }
    let mut out = Vec::new();
    integer_vi(n, false, &mut out);
    out.join(" ")
}

/// Vietnamese words for an amount, e.g. `một trăm mười lăm nghìn`.
///
/// Negative amounts start with `âm`; fractions are read digit by digit after `phẩy`.
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(lephi::words::vi(Decimal::from(115000)), "một trăm mười lăm nghìn");
/// assert_eq!(lephi::words::vi(Decimal::from(1001)), "một nghìn không trăm linh một");
/// ```
pub fn vi(amount: Decimal) -> String {
    let a = amount.normalize();
    let neg = a.is_sign_negative() && !a.is_zero();
    let abs = a.abs();
    let int = abs.trunc();
    let frac = abs.fract();
    let mut s = String::new();
    if neg {
        s.push_str("âm ");
    }
    let n = u128::try_from(int.mantissa())
        .unwrap_or(0)
        .checked_div(10u128.checked_pow(int.scale()).unwrap_or(1))
        .unwrap_or(0);
    s.push_str(&integer_words_vi(n));
    if !frac.is_zero() {
        s.push_str(" phẩy");
        let text = frac.to_string();
        for c in text.chars().skip(2) {
            if let Some(d) = c.to_digit(10) {
                s.push(' ');
                s.push_str(unit_vi(d));
            }
        }
    }
    s
}

/// The receipt form: capitalised, followed by `đồng`.
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(lephi::words::vi_receipt(Decimal::from(115000)), "Một trăm mười lăm nghìn đồng");
/// ```
pub fn vi_receipt(amount: Decimal) -> String {
    let mut out = String::with_capacity(64);
    push_vi_receipt(&mut out, amount);
    out
}

/// Appends the receipt form of [`vi`].
pub(crate) fn push_vi_receipt(out: &mut String, amount: Decimal) {
    let words = vi(amount);
    let mut c = words.chars();
    if let Some(first) = c.next() {
        out.push(capital(first));
        out.push_str(c.as_str());
        out.push_str(" đồng");
    }
}

const ONES_EN: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS_EN: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const SCALES_EN: [&str; 7] = [
    "",
    "thousand",
    "million",
    "billion",
    "trillion",
    "quadrillion",
    "quintillion",
];

fn group_en(n: u32) -> String {
    let mut parts = Vec::new();
    let h = n / 100;
    let r = n % 100;
    if h > 0 {
        parts.push(format!(
            "{} hundred",
            ONES_EN.get(h as usize).copied().unwrap_or("")
        ));
    }
    if r > 0 {
        if r < 20 {
            parts.push(ONES_EN.get(r as usize).copied().unwrap_or("").to_string());
        } else {
            let t = TENS_EN.get((r / 10) as usize).copied().unwrap_or("");
            if r.is_multiple_of(10) {
                parts.push(t.to_string());
            } else {
                parts.push(format!(
                    "{t}-{}",
                    ONES_EN.get((r % 10) as usize).copied().unwrap_or("")
                ));
            }
        }
    }
    parts.join(" ")
}

/// English words for the integer part of an amount, e.g. `one hundred fifteen thousand`.
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(lephi::words::en(Decimal::from(115000)), "one hundred fifteen thousand");
/// ```
pub fn en(amount: Decimal) -> String {
    let a = amount.normalize();
    let int = a.abs().trunc();
    let n = u128::try_from(int.mantissa())
        .unwrap_or(0)
        .checked_div(10u128.checked_pow(int.scale()).unwrap_or(1))
        .unwrap_or(0);
    if n == 0 {
        return "zero".into();
    }
    let gs = groups(n);
    let count = gs.len();
    let mut words = Vec::new();
    if a.is_sign_negative() {
        words.push("minus".to_string());
    }
    for (idx, g) in gs.iter().enumerate() {
        if *g == 0 {
            continue;
        }
        words.push(group_en(*g));
        let place = count.saturating_sub(idx).saturating_sub(1);
        let scale = SCALES_EN.get(place).copied().unwrap_or("");
        if !scale.is_empty() {
            words.push(scale.to_string());
        }
    }
    words.join(" ")
}

/// The capital of the first letter of amount words: they start with an ASCII letter, or `â`
/// (`âm`, negative). No general Unicode case mapping, whose tables would weigh on the browser
/// build.
fn capital(c: char) -> char {
    match c {
        'â' => 'Â',
        c => c.to_ascii_uppercase(),
    }
}

/// The English receipt form: `One hundred fifteen thousand dong`.
pub fn en_receipt(amount: Decimal) -> String {
    let words = en(amount);
    let mut c = words.chars();
    match c.next() {
        Some(first) => format!("{}{} dong", capital(first), c.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(n: i64) -> String {
        vi(Decimal::from(n))
    }

    #[test]
    fn vietnamese_test_vectors() {
        let cases: &[(i64, &str)] = &[
            (0, "không"),
            (5, "năm"),
            (10, "mười"),
            (15, "mười lăm"),
            (21, "hai mươi mốt"),
            (24, "hai mươi bốn"),
            (25, "hai mươi lăm"),
            (101, "một trăm linh một"),
            (105, "một trăm linh năm"),
            (110, "một trăm mười"),
            (1_001, "một nghìn không trăm linh một"),
            (2_005_000, "hai triệu không trăm linh năm nghìn"),
            (1_000_050, "một triệu không trăm năm mươi"),
            (1_000_500, "một triệu năm trăm"),
            (1_000_000_005, "một tỷ không trăm linh năm"),
            (115_000, "một trăm mười lăm nghìn"),
            (135_000, "một trăm ba mươi lăm nghìn"),
            (500_000_000, "năm trăm triệu"),
            (70_000_000, "bảy mươi triệu"),
            (1_000_000_000_000, "một nghìn tỷ"),
            (1_500_000_000_000, "một nghìn năm trăm tỷ"),
            (1_000_000_000_000_000, "một triệu tỷ"),
            (2_000_001_000_000, "hai nghìn tỷ không trăm linh một triệu"),
            (-5_000, "âm năm nghìn"),
        ];
        for (n, expected) in cases {
            assert_eq!(&w(*n), expected, "{n}");
        }
        assert_eq!(vi(Decimal::new(125, 1)), "mười hai phẩy năm");
        assert_eq!(
            vi_receipt(Decimal::from(115_000)),
            "Một trăm mười lăm nghìn đồng"
        );
    }

    #[test]
    fn english_test_vectors() {
        assert_eq!(en(Decimal::from(0)), "zero");
        assert_eq!(
            en(Decimal::from(135_000)),
            "one hundred thirty-five thousand"
        );
        assert_eq!(en(Decimal::from(1_000_001)), "one million one");
        assert_eq!(en_receipt(Decimal::from(20)), "Twenty dong");
    }
}
