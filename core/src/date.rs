//! Civil dates (`YYYY-MM-DD`) and inclusive validity windows.
//!
//! lephi needs only whole days, comparisons and "n days later", so it has its own small date
//! type instead of a date-time crate (smaller WebAssembly, no time zones to get wrong).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A proleptic Gregorian date between years 1900 and 2999.
///
/// ```
/// let d = lephi::Date::parse("2025-12-31")?;
/// assert_eq!(d.add_days(1).to_string(), "2026-01-01");
/// # Ok::<(), lephi::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap =
                (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
            if leap {
                29
            } else {
                28
            }
        }
    }
}

impl Date {
    /// The first date lephi reads (1900-01-01).
    pub(crate) const FIRST: Date = Date {
        year: 1900,
        month: 1,
        day: 1,
    };

    /// Parses an ISO `YYYY-MM-DD` date.
    ///
    /// # Errors
    /// `request_invalid` when the text is not a real date between 1900-01-01 and 2999-12-31.
    pub fn parse(text: &str) -> Result<Date, crate::Error> {
        Self::parse_str(text).ok_or_else(|| {
            crate::Error::request(format!(
                "`{text}` is not a date (expected `YYYY-MM-DD` between 1900 and 2999)"
            ))
        })
    }

    pub(crate) fn parse_str(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let year: u16 = text.get(0..4)?.parse().ok()?;
        let month: u8 = text.get(5..7)?.parse().ok()?;
        let day: u8 = text.get(8..10)?.parse().ok()?;
        if !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Builds a date from its parts, if it is a real date in 1900–2999.
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Option<Date> {
        Self::parse_str(&format!("{year:04}-{month:02}-{day:02}"))
    }

    /// Days since 1900-01-01.
    #[allow(clippy::arithmetic_side_effects)] // years 1900–2999: every value stays below 10^7
    fn ordinal(self) -> i64 {
        // Days-from-civil (Howard Hinnant), shifted; all values are small.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 693_901
    }

    #[allow(clippy::arithmetic_side_effects)] // callers clamp n to ±400_000 around 1900–2999
    fn from_ordinal(n: i64) -> Option<Date> {
        let z = n + 693_901;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = if m <= 2 { y + 1 } else { y };
        Date::from_ymd(
            u16::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    }

    /// The date `days` after 1970-01-01 (Arrow `date32`, NumPy `datetime64[D]`), if it lies in
    /// 1900–2999.
    ///
    /// ```
    /// assert_eq!(lephi::Date::from_unix_days(19_723).map(|d| d.to_string()), Some("2024-01-01".into()));
    /// assert_eq!(lephi::Date::from_unix_days(i64::MAX), None);
    /// ```
    pub fn from_unix_days(days: i64) -> Option<Date> {
        // 1970-01-01 is ordinal 25_567 (days since 1900-01-01).
        if !(-30_000..=400_000).contains(&days) {
            return None;
        }
        Date::from_ordinal(days.checked_add(25_567)?)
    }

    /// The date `n` days later (or earlier for negative `n`), saturating at the supported range.
    #[must_use]
    #[allow(clippy::arithmetic_side_effects)] // bounded: ordinals are < 400_000 and n is clamped
    pub fn add_days(self, n: i32) -> Date {
        let n = i64::from(n.clamp(-400_000, 400_000));
        Date::from_ordinal(self.ordinal() + n).unwrap_or(if n < 0 {
            Date {
                year: 1900,
                month: 1,
                day: 1,
            }
        } else {
            Date {
                year: 2999,
                month: 12,
                day: 31,
            }
        })
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    #[allow(clippy::arithmetic_side_effects)] // bounded ordinals
    pub fn days_until(self, other: Date) -> i64 {
        other.ordinal() - self.ordinal()
    }

    /// Whether `other` is on or after `self` and at most `days` (≤ 31) days later. Cheaper
    /// than [`days_until`](Self::days_until) for the common case of a date months away.
    #[allow(clippy::arithmetic_side_effects)] // bounded by u16/u8 fields widened to u32
    pub(crate) fn soon(self, other: Date, days: i64) -> bool {
        let months = |d: Date| u32::from(d.year) * 12 + u32::from(d.month);
        if other < self || months(other) > months(self) + 2 {
            return false;
        }
        self.days_until(other) <= days
    }

    /// The date as `DD/MM/YYYY`, the Vietnamese way.
    pub fn to_vi_string(self) -> String {
        let mut s = String::with_capacity(10);
        self.push_vi(&mut s);
        s
    }

    /// Appends `dd/mm/yyyy`.
    pub(crate) fn push_vi(self, out: &mut String) {
        crate::money::push_u64(out, u64::from(self.day), 2);
        out.push('/');
        crate::money::push_u64(out, u64::from(self.month), 2);
        out.push('/');
        crate::money::push_u64(out, u64::from(self.year), 4);
    }

    /// Appends `yyyy-mm-dd`.
    pub(crate) fn push_iso(self, out: &mut String) {
        crate::money::push_u64(out, u64::from(self.year), 4);
        out.push('-');
        crate::money::push_u64(out, u64::from(self.month), 2);
        out.push('-');
        crate::money::push_u64(out, u64::from(self.day), 2);
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date `YYYY-MM-DD`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse_str(v.trim()).ok_or_else(|| {
                    E::custom(format!("`{v}` is not a date (expected `YYYY-MM-DD`)"))
                })
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date", "pattern": "^[12][0-9]{3}-[01][0-9]-[0-3][0-9]$"})
    }
}

/// An inclusive validity window: `from` to `to` (open-ended when `to` is `None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First day in force.
    pub from: Date,
    /// Last day in force, if any.
    pub to: Option<Date>,
}

impl Window {
    /// Whether `date` falls inside the window.
    pub fn contains(&self, date: Date) -> bool {
        date >= self.from && self.to.is_none_or(|to| date <= to)
    }

    /// Whether two windows share at least one day.
    pub fn overlaps(&self, other: &Window) -> bool {
        let a_end_before_b = self.to.is_some_and(|t| t < other.from);
        let b_end_before_a = other.to.is_some_and(|t| t < self.from);
        !(a_end_before_b || b_end_before_a)
    }

    /// Days between `date` and the window (0 when inside).
    pub fn distance(&self, date: Date) -> i64 {
        if date < self.from {
            date.days_until(self.from)
        } else if let Some(to) = self.to.filter(|t| date > *t) {
            to.days_until(date)
        } else {
            0
        }
    }

    /// The day of the window nearest `date`: `date` itself inside it, else the first day
    /// (before the window) or the last (after it).
    ///
    /// ```
    /// use lephi::{Date, Window};
    /// let d = |s| Date::parse(s).unwrap();
    /// let w = Window { from: d("2023-12-01"), to: Some(d("2026-03-31")) };
    /// assert_eq!(w.nearest_day(d("2026-11-24")), d("2026-03-31"));
    /// assert_eq!(w.nearest_day(d("2020-01-01")), d("2023-12-01"));
    /// assert_eq!(w.nearest_day(d("2024-05-01")), d("2024-05-01"));
    /// ```
    pub fn nearest_day(&self, date: Date) -> Date {
        if date < self.from {
            self.from
        } else {
            self.to.filter(|t| date > *t).unwrap_or(date)
        }
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            Some(to) => write!(f, "{}..{}", self.from, to),
            None => write!(f, "{}..", self.from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2023-13-01").is_err());
        assert!(Date::parse("23-01-01").is_err());
        assert!(Date::parse("2023-1-01").is_err());
        assert!(Date::parse("").is_err());
    }

    #[test]
    fn day_arithmetic_crosses_years() -> Result<(), crate::Error> {
        let d = Date::parse("2025-12-31")?;
        assert_eq!(d.add_days(1), Date::parse("2026-01-01")?);
        assert_eq!(d.add_days(-365), Date::parse("2024-12-31")?);
        assert_eq!(
            Date::parse("2024-03-01")?.add_days(-1),
            Date::parse("2024-02-29")?
        );
        assert_eq!(d.days_until(Date::parse("2026-01-30")?), 30);
        Ok(())
    }

    #[test]
    fn soon_agrees_with_days_until() -> Result<(), crate::Error> {
        let from = Date::parse("2025-01-31")?;
        for n in -5..120 {
            let to = from.add_days(n);
            let expected = (0..=30).contains(&from.days_until(to));
            assert_eq!(from.soon(to, 30), expected, "{from} → {to}");
        }
        Ok(())
    }

    #[test]
    fn windows_are_inclusive() -> Result<(), crate::Error> {
        let w = Window {
            from: Date::parse("2023-12-01")?,
            to: Some(Date::parse("2025-12-31")?),
        };
        assert!(w.contains(Date::parse("2023-12-01")?));
        assert!(w.contains(Date::parse("2025-12-31")?));
        assert!(!w.contains(Date::parse("2026-01-01")?));
        assert!(!w.contains(Date::parse("2023-11-30")?));
        Ok(())
    }
}
