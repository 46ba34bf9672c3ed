//! Money in whole or fractional đồng, exact, with declared rounding.
//!
//! Every amount is a [`rust_decimal::Decimal`]. Arithmetic is checked: an overflow is an
//! [`Error`](crate::Error) with code `overflow`, never a panic. Rounding never happens
//! implicitly; it is declared in rule data as a [`Rounding`] and reported in explanations.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// A non-negative amount of money in VND, read and written as a decimal string.
///
/// ```
/// let m: lephi::Money = "135000".parse()?;
/// assert_eq!(m.to_string(), "135000");
/// assert!("-1".parse::<lephi::Money>().is_err());
/// assert!("1e3".parse::<lephi::Money>().is_err());
/// # Ok::<(), lephi::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub(crate) Decimal);

impl Money {
    /// Zero đồng.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The amount as a decimal.
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// Wraps a non-negative decimal.
    ///
    /// # Errors
    /// `invalid_input` when the value is negative.
    pub fn new(value: Decimal) -> Result<Money, Error> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(Error::new(crate::ErrorKind::InvalidInput {
                name: "amount".into(),
                value: value.to_string(),
                expected: "an amount ≥ 0".into(),
            }));
        }
        Ok(Money(value.normalize()))
    }

    fn parse_text(text: &str) -> Option<Decimal> {
        let t = text.trim();
        if !is_plain_decimal(t) {
            return None;
        }
        Decimal::from_str_exact(t).ok().map(|d| d.normalize())
    }
}

/// Digits with an optional `.` fraction (`135000`, `0.5`): no sign, no `_`, no exponent, no
/// bare `.5` or `5.`.
fn is_plain_decimal(t: &str) -> bool {
    !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().filter(|c| *c == '.').count() <= 1
        && !t.starts_with('.')
        && !t.ends_with('.')
}

/// What [`parse_amount`] takes, as its errors say it.
pub(crate) const AMOUNT_TEXT: &str = "a decimal string such as \"115000\" or \"-20000.5\"";

/// Reads an amount to format or spell out (`formatVnd`, `amount_in_words`), written as the
/// engine writes amounts: an optional `-` (a reduction is negative), digits and an optional
/// `.` fraction, with the scale kept (`1.50` stays `1.50`). `_`, `+`, exponents and a bare
/// `.5` are refused, as they are in requests.
///
/// # Errors
/// `invalid_input` for `amount`, saying what is taken.
///
/// ```
/// assert_eq!(lephi::parse_amount(" -20000.50 ")?.to_string(), "-20000.50");
/// assert_eq!(lephi::format_vnd(lephi::parse_amount("135000")?), "135.000\u{a0}₫");
/// for bad in ["1_000", "+5", "1e6", ".5", "- 5", ""] {
///     assert_eq!(lephi::parse_amount(bad).unwrap_err().code(), "invalid_input");
/// }
/// # Ok::<(), lephi::Error>(())
/// ```
pub fn parse_amount(text: &str) -> Result<Decimal, Error> {
    let t = text.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    is_plain_decimal(digits)
        .then(|| Decimal::from_str_exact(digits).ok())
        .flatten()
        .map(|mut d| {
            d.set_sign_negative(negative && !d.is_zero());
            d
        })
        .ok_or_else(|| {
            Error::new(crate::ErrorKind::InvalidInput {
                name: "amount".into(),
                value: text.into(),
                expected: AMOUNT_TEXT.into(),
            })
        })
}

impl std::str::FromStr for Money {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Money::parse_text(s).map(Money).ok_or_else(|| {
            Error::request(format!(
                "`{s}` is not an amount (expected a non-negative decimal string such as `135000`)"
            ))
        })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Whole đồng (nearly every amount) print as the integer they are, without the
        // decimal formatter; a negative zero prints as `0` either way.
        if self.0.scale() == 0 {
            if let Ok(whole) = i64::try_from(self.0.mantissa()) {
                return write!(f, "{whole}");
            }
        }
        write!(f, "{}", self.0.normalize())
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a decimal string, e.g. `135000`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse_text(v).map(Money).ok_or_else(|| {
                    E::custom(format!(
                        "`{v}` is not an amount (expected digits with an optional `.` fraction, e.g. `135000`)"
                    ))
                })
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
                Ok(Money(Decimal::from(v)))
            }
        }
        // Type-directed: YAML hands the scalar text over untouched, so nothing goes through f64.
        d.deserialize_str(V)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "VND amount as a decimal string (or a YAML plain scalar of digits)",
            "type": ["string", "integer"],
            "pattern": "^[0-9]+(\\.[0-9]+)?$",
            "minimum": 0
        })
    }
}

/// A percentage, 0–100, read exactly like [`Money`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(pub(crate) Decimal);

impl Percent {
    /// The percentage as a decimal (e.g. `80` for 80%).
    pub fn decimal(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Money::deserialize(d).map(|m| Percent(m.0))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Percent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percent".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "a percentage 0–100 as a decimal string, e.g. `80` or `0.15`",
            "type": ["string", "number"],
            "pattern": "^[0-9]+(\\.[0-9]+)?$"
        })
    }
}

/// Checked `a + b`.
#[inline]
pub(crate) fn add(a: Decimal, b: Decimal, ctx: &str) -> Result<Decimal, Error> {
    a.checked_add(b).ok_or_else(|| overflow(ctx))
}

/// The overflow error, kept out of line: amounts never get near it.
#[cold]
#[inline(never)]
fn overflow(ctx: &str) -> Error {
    Error::overflow(ctx)
}
/// Checked `a - b`.
#[inline]
pub(crate) fn sub(a: Decimal, b: Decimal, ctx: &str) -> Result<Decimal, Error> {
    a.checked_sub(b).ok_or_else(|| overflow(ctx))
}
/// Checked `a * b`.
#[inline]
pub(crate) fn mul(a: Decimal, b: Decimal, ctx: &str) -> Result<Decimal, Error> {
    a.checked_mul(b).ok_or_else(|| overflow(ctx))
}
/// `a × p / 100`, checked.
pub(crate) fn percent_of(a: Decimal, p: Decimal, ctx: &str) -> Result<Decimal, Error> {
    let product = mul(a, p, ctx)?;
    product
        .checked_div(Decimal::ONE_HUNDRED)
        .ok_or_else(|| overflow(ctx))
}

/// How a computed amount is rounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RoundingMode {
    /// Half away from zero: 0,5 rounds up (Vietnamese accounting practice, Luật Kế toán).
    #[default]
    HalfUp,
    /// Half to even (banker's rounding).
    HalfEven,
    /// Toward zero (truncate): the applicant never pays the fraction.
    Down,
    /// Away from zero: any fraction rounds up.
    Up,
}

/// When rounding happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RoundingStage {
    /// Once, on each line's final amount (after adjustments).
    #[default]
    Line,
    /// After the base amount and again after every adjustment.
    EachStep,
}

/// A declared rounding rule: mode, increment (in đồng) and stage.
///
/// The default is half-up to the whole đồng on each line, which matches amounts stated in
/// whole đồng by every document read so far.
///
/// ```
/// use rust_decimal::Decimal;
/// let r = lephi::Rounding::default();
/// assert_eq!(r.apply(Decimal::new(1215005, 1))?, Decimal::from(121501));
/// # Ok::<(), lephi::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Rounding mode.
    #[serde(default)]
    pub mode: RoundingMode,
    /// Increment in đồng: `1` (default), `100`, `1000`.
    #[serde(default = "one")]
    pub increment: Money,
    /// When rounding happens.
    #[serde(default)]
    pub stage: RoundingStage,
}

fn one() -> Money {
    Money(Decimal::ONE)
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            mode: RoundingMode::HalfUp,
            increment: one(),
            stage: RoundingStage::Line,
        }
    }
}

impl Rounding {
    /// Rounds `value` to a multiple of the increment with the declared mode.
    ///
    /// # Errors
    /// `overflow` when the value cannot be represented.
    pub fn apply(&self, value: Decimal) -> Result<Decimal, Error> {
        let unit = self.increment.0.is_zero() || self.increment.0 == Decimal::ONE;
        if unit && value.scale() == 0 {
            // Whole đồng rounded to 1 đ: nothing to do (the common case).
            return Ok(norm(value));
        }
        let strategy = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Down => RoundingStrategy::ToZero,
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
        };
        let inc = if self.increment.0.is_zero() {
            Decimal::ONE
        } else {
            self.increment.0
        };
        let units = value
            .checked_div(inc)
            .ok_or_else(|| Error::overflow("rounding"))?;
        let rounded = units.round_dp_with_strategy(0, strategy);
        Ok(mul(rounded, inc, "rounding")?.normalize())
    }

    /// A short label for explanations, e.g. `half_up to 1 đ`.
    pub fn label(&self) -> String {
        let mode = match self.mode {
            RoundingMode::HalfUp => "half_up",
            RoundingMode::HalfEven => "half_even",
            RoundingMode::Down => "down",
            RoundingMode::Up => "up",
        };
        format!("{mode} to {} đ", self.increment)
    }
}

/// Formats an amount the Vietnamese way: `1.234.568 ₫` (dots group thousands, a no-break space
/// before the đồng sign, a comma before any fraction).
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(lephi::format_vnd(Decimal::from(135000)), "135.000\u{a0}₫");
/// assert_eq!(lephi::format_vnd(Decimal::new(-12345, 1)), "-1.234,5\u{a0}₫");
/// ```
pub fn format_vnd(amount: Decimal) -> String {
    let mut out = String::with_capacity(20);
    push_number_vi(&mut out, amount);
    out.push_str("\u{a0}₫");
    out
}

/// Formats a number with Vietnamese grouping (`1.234,5`), without a currency sign.
pub fn format_number_vi(amount: Decimal) -> String {
    let mut out = String::with_capacity(16);
    push_number_vi(&mut out, amount);
    out
}

/// Appends `n` in decimal, left-padded with zeros to `width` digits.
pub(crate) fn push_u64(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut start = buf.len();
    while n > 0 || start == buf.len() {
        start = start.saturating_sub(1);
        if let Some(slot) = buf.get_mut(start) {
            // n % 10 < 10, so the digit fits in a byte.
            *slot = b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0));
        }
        n /= 10;
    }
    let start = start.min(buf.len().saturating_sub(width));
    // Only ASCII digits were written, so this is always valid UTF-8.
    out.push_str(std::str::from_utf8(buf.get(start..).unwrap_or_default()).unwrap_or_default());
}

/// Appends a number with Vietnamese grouping (`1.234,5`). Whole amounts take a fast path
/// with no intermediate string.
pub(crate) fn push_number_vi(out: &mut String, amount: Decimal) {
    if amount.is_sign_negative() && !amount.is_zero() {
        out.push('-');
    }
    let abs = amount.abs();
    if abs.scale() == 0 {
        if let Ok(mut n) = u64::try_from(abs.mantissa()) {
            // Groups of three digits, most significant first.
            let mut groups = [0u16; 7];
            let mut count = 0usize;
            loop {
                if let Some(g) = groups.get_mut(count) {
                    *g = u16::try_from(n % 1000).unwrap_or(0);
                }
                count = count.saturating_add(1);
                n /= 1000;
                if n == 0 || count >= groups.len() {
                    break;
                }
            }
            for (k, g) in groups.iter().take(count).rev().enumerate() {
                if k == 0 {
                    push_u64(out, u64::from(*g), 1);
                } else {
                    out.push('.');
                    push_u64(out, u64::from(*g), 3);
                }
            }
            return;
        }
    }
    let text = abs.normalize().to_string();
    let (int_part, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let n = int_part.len();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && n.saturating_sub(i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
}

/// `d.normalize()`, without the work when `d` is already a whole number.
#[inline]
pub(crate) fn norm(d: Decimal) -> Decimal {
    if d.scale() == 0 {
        if d.is_zero() {
            Decimal::ZERO
        } else {
            d
        }
    } else {
        d.normalize()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole-number fast path agrees with grouping the decimal's own text.
    #[test]
    fn money_prints_like_the_normalised_decimal() -> Result<(), rust_decimal::Error> {
        let cases = [
            "0",
            "-0",
            "0.000",
            "135000",
            "-20000",
            "1500000.50",
            "0.5",
            "100.00",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "79228162514264337593543950335",
        ];
        for c in cases {
            let d = Decimal::from_str_exact(c)?;
            assert_eq!(Money(d).to_string(), d.normalize().to_string(), "{c}");
        }
        Ok(())
    }

    #[test]
    fn number_grouping_fast_path_matches_text_grouping() {
        fn by_text(d: Decimal) -> String {
            let text = d.normalize().abs().to_string();
            let (int_part, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
            let n = int_part.len();
            let mut out = String::new();
            if d.is_sign_negative() && !d.is_zero() {
                out.push('-');
            }
            for (i, c) in int_part.chars().enumerate() {
                if i > 0 && (n - i) % 3 == 0 {
                    out.push('.');
                }
                out.push(c);
            }
            if !frac.is_empty() {
                out.push(',');
                out.push_str(frac);
            }
            out
        }
        let samples = [
            Decimal::ZERO,
            Decimal::from(5),
            Decimal::from(999),
            Decimal::from(1000),
            Decimal::from(1001),
            Decimal::from(135_000),
            Decimal::from(-26_000),
            Decimal::from(1_000_000_007),
            Decimal::from(u64::MAX),
            Decimal::from(i128::from(u64::MAX) + 1),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(-12345, 1),
            Decimal::new(13_500_000, 2),
            Decimal::new(1, 28),
        ];
        for d in samples {
            assert_eq!(format_number_vi(d), by_text(d), "{d}");
        }
        assert_eq!(format_number_vi(Decimal::from(1_234_567)), "1.234.567");
    }

    #[test]
    fn rounding_is_half_up_not_bankers() -> Result<(), Error> {
        let r = Rounding::default();
        assert_eq!(r.apply(Decimal::new(25, 1))?, Decimal::from(3));
        assert_eq!(r.apply(Decimal::new(35, 1))?, Decimal::from(4));
        let even = Rounding {
            mode: RoundingMode::HalfEven,
            ..Rounding::default()
        };
        assert_eq!(even.apply(Decimal::new(25, 1))?, Decimal::from(2));
        let thousand = Rounding {
            mode: RoundingMode::Down,
            increment: Money(Decimal::from(1000)),
            stage: RoundingStage::Line,
        };
        assert_eq!(
            thousand.apply(Decimal::from(617_999))?,
            Decimal::from(617_000)
        );
        let up = Rounding {
            mode: RoundingMode::Up,
            ..Rounding::default()
        };
        assert_eq!(up.apply(Decimal::new(1001, 3))?, Decimal::from(2));
        Ok(())
    }

    #[test]
    fn formats_vnd() {
        assert_eq!(format_vnd(Decimal::ZERO), "0\u{a0}₫");
        assert_eq!(format_vnd(Decimal::from(999)), "999\u{a0}₫");
        assert_eq!(format_vnd(Decimal::from(1000)), "1.000\u{a0}₫");
        assert_eq!(format_vnd(Decimal::from(1_234_568)), "1.234.568\u{a0}₫");
        assert_eq!(format_vnd(Decimal::from(500_000_000)), "500.000.000\u{a0}₫");
    }

    #[test]
    fn money_parsing_is_strict() {
        assert!("135000".parse::<Money>().is_ok());
        assert!("0.5".parse::<Money>().is_ok());
        for bad in ["", "-5", "1e3", "1,000", ".5", "5.", "NaN", "1.2.3", " "] {
            assert!(bad.parse::<Money>().is_err(), "{bad}");
        }
    }

    #[test]
    fn overflow_is_an_error() {
        assert_eq!(
            add(Decimal::MAX, Decimal::ONE, "t").map_err(|e| e.code()),
            Err("overflow")
        );
        assert!(mul(Decimal::MAX, Decimal::TWO, "t").is_err());
    }
}
