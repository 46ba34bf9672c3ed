//! The one public error type.
//!
//! Every failure in lephi is an [`Error`]: opaque, cheap to clone, with a stable snake_case
//! [`code`](Error::code), an optional [`Location`] (file:line:column for rule files) and a
//! message that says what went wrong and what would be valid. Messages are lowercase, end
//! without a period and put values in backticks.

use std::fmt;

/// Where in a rule file (or request) an error was found. Lines and columns are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// The source name given to the loader (usually a path relative to the rules directory).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl Location {
    /// Line 1, column 1 of `file`: where an error about a whole file points.
    ///
    /// ```
    /// let at = lephi::Location::start_of("rules.bin");
    /// assert_eq!(at.to_string(), "rules.bin:1:1");
    /// ```
    pub fn start_of(file: impl Into<String>) -> Location {
        Location {
            file: file.into(),
            line: 1,
            column: 1,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A rule's validity window, as an error about dates names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleWindow {
    /// The rule id.
    pub rule: String,
    /// First day in force (ISO).
    pub from: String,
    /// Last day in force (ISO), if the window is closed.
    pub to: Option<String>,
    /// The day of the window nearest the request date: its last day if the date is after
    /// it, its first day if before.
    pub nearest_day: String,
    /// The number of the document that replaced the rule's document and is in force on the
    /// request date, when the window ended before that date: the library has no rate of it
    /// for the item (the circular that replaced a passport circular, say, was not read).
    pub replaced_by: Option<String>,
    /// The first day of that document (ISO).
    pub replaced_from: Option<String>,
}

/// The kind of an [`Error`], with the data a caller may need (close matches, successors, windows).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A rule file is not valid YAML or does not match the rule format.
    RuleSyntax {
        /// What the parser said.
        message: String,
    },
    /// A rule file is well-formed but breaks a rule of the format.
    RuleInvalid {
        /// What is wrong.
        message: String,
        /// What would be valid.
        hint: String,
    },
    /// Two things in the library share one id.
    RuleDuplicateId {
        /// The id.
        id: String,
        /// Where it was first defined.
        first: Option<Location>,
    },
    /// A rule refers to something that does not exist.
    RuleUnknownReference {
        /// What kind of thing (`procedure`, `fee item`, `jurisdiction`, ...).
        what: String,
        /// The id that was not found.
        id: String,
        /// Close matches.
        candidates: Vec<String>,
    },
    /// Two rules for the same fee item overlap in time and neither overrides the other.
    RuleOverlappingWindows {
        /// The fee item or tariff zone.
        item: String,
        /// The rule being checked.
        rule: String,
        /// The rule it overlaps.
        other: String,
    },
    /// A percentage outside 0–100.
    RulePercentOutOfRange {
        /// The value found.
        value: String,
    },
    /// A limit on untrusted input was exceeded.
    LimitExceeded {
        /// What was too large.
        what: String,
        /// The limit.
        limit: u64,
    },
    /// A request could not be read.
    RequestInvalid {
        /// What is wrong.
        message: String,
    },
    /// The procedure id is unknown.
    UnknownProcedure {
        /// The id given.
        id: String,
        /// Close matches.
        candidates: Vec<String>,
    },
    /// The jurisdiction slug or GSO code is unknown.
    UnknownJurisdiction {
        /// The id given.
        id: String,
        /// Close matches.
        candidates: Vec<String>,
    },
    /// The jurisdiction did not exist on the request date (for example a province merged on 2025-07-01).
    JurisdictionNotInForce {
        /// The jurisdiction.
        id: String,
        /// The request date.
        date: String,
        /// Its validity window.
        window: String,
        /// Where dossiers are filed instead.
        successors: Vec<String>,
    },
    /// No rule for a fee item is in force on the request date.
    DateOutsideWindows {
        /// The fee item, tariff or thing looked for.
        item: String,
        /// The request date.
        date: String,
        /// The nearest windows, formatted `from..to (rule)`.
        nearest: Vec<String>,
        /// The same windows, each with its bounds, its rule and its day nearest the request
        /// date, for a front end that offers to price that day instead (never silently).
        windows: Vec<RuleWindow>,
    },
    /// The fee item is not priced in the jurisdiction or any of its parents.
    NotPricedInJurisdiction {
        /// The fee item.
        item: String,
        /// The jurisdiction of the request.
        jurisdiction: String,
        /// Jurisdictions that do price it.
        available: Vec<String>,
    },
    /// An input the procedure needs was not given.
    MissingInput {
        /// The input name.
        name: String,
        /// What it takes.
        expected: String,
    },
    /// An input has a value it cannot take.
    InvalidInput {
        /// The input name.
        name: String,
        /// What was given.
        value: String,
        /// What it takes.
        expected: String,
    },
    /// An input name outside the vocabulary.
    UnknownInput {
        /// The name given.
        name: String,
        /// Known names.
        known: Vec<String>,
    },
    /// An applicant category outside the vocabulary.
    UnknownCategory {
        /// The category given.
        name: String,
        /// Close matches.
        candidates: Vec<String>,
    },
    /// No postal tariff covers the requested zone, weight or date.
    PostageUnavailable {
        /// What is missing.
        message: String,
        /// Zones that are available.
        zones: Vec<String>,
    },
    /// Money arithmetic overflowed.
    Overflow {
        /// Where.
        context: String,
    },
    /// A bug in lephi: please report it.
    Internal {
        /// What happened.
        message: String,
    },
}

/// The lephi error: every failure in lephi is one. It is cheap to clone, has a stable
/// snake_case [`code`](Error::code), an optional [`Location`] (file:line:column for rule files)
/// and a message that says what went wrong and what would be valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    location: Option<Location>,
}

impl Error {
    /// Builds an error of a kind, with no location.
    pub fn new(kind: ErrorKind) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                location: None,
            }),
        }
    }

    /// Attaches a location.
    #[must_use]
    pub fn at(mut self, location: Option<Location>) -> Self {
        if location.is_some() {
            self.inner.location = location;
        }
        self
    }

    /// The kind, with its structured data.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// Where the error was found, for rule files.
    pub fn location(&self) -> Option<&Location> {
        self.inner.location.as_ref()
    }

    /// A stable snake_case code, the same in Rust, Python and JavaScript.
    ///
    /// ```
    /// let lib = lephi::RuleLibrary::bundled()?;
    /// let req = lephi::Request::new("no-such-procedure", "2024-05-01")?;
    /// let err = lib.quote(&req).unwrap_err();
    /// assert_eq!(err.code(), "unknown_procedure");
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn code(&self) -> &'static str {
        match &self.inner.kind {
            ErrorKind::RuleSyntax { .. } => "rule_syntax",
            ErrorKind::RuleInvalid { .. } => "rule_invalid",
            ErrorKind::RuleDuplicateId { .. } => "rule_duplicate_id",
            ErrorKind::RuleUnknownReference { .. } => "rule_unknown_reference",
            ErrorKind::RuleOverlappingWindows { .. } => "rule_overlapping_windows",
            ErrorKind::RulePercentOutOfRange { .. } => "rule_percent_out_of_range",
            ErrorKind::LimitExceeded { .. } => "limit_exceeded",
            ErrorKind::RequestInvalid { .. } => "request_invalid",
            ErrorKind::UnknownProcedure { .. } => "unknown_procedure",
            ErrorKind::UnknownJurisdiction { .. } => "unknown_jurisdiction",
            ErrorKind::JurisdictionNotInForce { .. } => "jurisdiction_not_in_force",
            ErrorKind::DateOutsideWindows { .. } => "date_outside_windows",
            ErrorKind::NotPricedInJurisdiction { .. } => "not_priced_in_jurisdiction",
            ErrorKind::MissingInput { .. } => "missing_input",
            ErrorKind::InvalidInput { .. } => "invalid_input",
            ErrorKind::UnknownInput { .. } => "unknown_input",
            ErrorKind::UnknownCategory { .. } => "unknown_category",
            ErrorKind::PostageUnavailable { .. } => "postage_unavailable",
            ErrorKind::Overflow { .. } => "overflow",
            ErrorKind::Internal { .. } => "internal",
        }
    }

    pub(crate) fn rule(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::new(ErrorKind::RuleInvalid {
            message: message.into(),
            hint: hint.into(),
        })
    }

    pub(crate) fn request(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::RequestInvalid {
            message: message.into(),
        })
    }

    pub(crate) fn overflow(context: impl Into<String>) -> Self {
        Error::new(ErrorKind::Overflow {
            context: context.into(),
        })
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        debug_assert!(false, "internal error");
        Error::new(ErrorKind::Internal {
            message: message.into(),
        })
    }
}

/// The document that replaced a window's document, and from when (the first window that says).
fn replaced(windows: &[RuleWindow]) -> Option<(&str, &str)> {
    windows
        .iter()
        .find_map(|w| Some((w.replaced_by.as_deref()?, w.replaced_from.as_deref()?)))
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.inner.location {
            write!(f, "{loc}: ")?;
        }
        match &self.inner.kind {
            ErrorKind::RuleSyntax { message } => {
                // A rule test file (`*.test.yaml`, read by `lephi test`) is not a rule file.
                let tests = self
                    .inner
                    .location
                    .as_ref()
                    .is_some_and(|l| l.file.ends_with(".test.yaml"));
                let what = if tests { "rule test file" } else { "rule file" };
                write!(f, "invalid {what}: {message}")
            }
            ErrorKind::RuleInvalid { message, hint } => {
                write!(f, "{message}")?;
                if !hint.is_empty() {
                    write!(f, " (hint: {hint})")?;
                }
                Ok(())
            }
            ErrorKind::RuleDuplicateId { id, first } => {
                write!(f, "id `{id}` is defined twice")?;
                if let Some(first) = first {
                    write!(f, " (first at {first})")?;
                }
                Ok(())
            }
            ErrorKind::RuleUnknownReference {
                what,
                id,
                candidates,
            } => {
                write!(f, "unknown {what} `{id}`")?;
                if !candidates.is_empty() {
                    write!(f, " (did you mean {}?)", list(candidates))?;
                }
                Ok(())
            }
            ErrorKind::RuleOverlappingWindows { item, rule, other } => write!(
                f,
                "rules `{rule}` and `{other}` for `{item}` overlap in time (hint: end one window the day before the other starts, or declare `overrides: [{other}]`)"
            ),
            ErrorKind::RulePercentOutOfRange { value } => {
                write!(f, "percentage `{value}` is outside 0–100")
            }
            ErrorKind::LimitExceeded { what, limit } => {
                write!(f, "{what} exceeds the limit of {limit}")
            }
            ErrorKind::RequestInvalid { message } => write!(f, "invalid request: {message}"),
            ErrorKind::UnknownProcedure { id, candidates } => {
                write!(f, "unknown procedure `{id}`")?;
                if !candidates.is_empty() {
                    write!(f, " (did you mean {}?)", list(candidates))?;
                }
                Ok(())
            }
            ErrorKind::UnknownJurisdiction { id, candidates } => {
                write!(f, "unknown jurisdiction `{id}`")?;
                if !candidates.is_empty() {
                    write!(f, " (did you mean {}?)", list(candidates))?;
                }
                Ok(())
            }
            ErrorKind::JurisdictionNotInForce {
                id,
                date,
                window,
                successors,
            } => {
                write!(f, "jurisdiction `{id}` did not exist on `{date}` (it existed {window})")?;
                if !successors.is_empty() {
                    write!(f, "; file it in {} instead", list(successors))?;
                }
                Ok(())
            }
            ErrorKind::DateOutsideWindows {
                item,
                date,
                nearest,
                windows,
            } => {
                write!(f, "no rule for `{item}` is in force on `{date}`")?;
                if !nearest.is_empty() {
                    write!(f, " (rules exist for {})", list(nearest))?;
                }
                if let Some((by, from)) = replaced(windows) {
                    write!(
                        f,
                        "; `{by}` replaced that document from `{from}`, and the library has no rate from it"
                    )?;
                }
                Ok(())
            }
            ErrorKind::NotPricedInJurisdiction {
                item,
                jurisdiction,
                available,
            } => {
                write!(f, "`{item}` has no rate in `{jurisdiction}`")?;
                if !available.is_empty() {
                    write!(f, " (it is priced in {})", list(available))?;
                }
                Ok(())
            }
            ErrorKind::MissingInput { name, expected } => {
                write!(f, "missing input `{name}` (expected {expected})")
            }
            ErrorKind::InvalidInput {
                name,
                value,
                expected,
            } => write!(f, "invalid input `{name}` = `{value}` (expected {expected})"),
            ErrorKind::UnknownInput { name, known } => {
                write!(f, "unknown input `{name}` (known inputs: {})", list(known))
            }
            ErrorKind::UnknownCategory { name, candidates } => {
                write!(f, "unknown applicant category `{name}`")?;
                if !candidates.is_empty() {
                    write!(f, " (did you mean {}?)", list(candidates))?;
                }
                Ok(())
            }
            ErrorKind::PostageUnavailable { message, zones } => {
                write!(f, "postage unavailable: {message}")?;
                if !zones.is_empty() {
                    write!(f, " (zones: {})", list(zones))?;
                }
                Ok(())
            }
            ErrorKind::Overflow { context } => write!(f, "amount overflow in {context}"),
            ErrorKind::Internal { message } => {
                write!(f, "internal error: {message} (please report this)")
            }
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The message in `lang`.
    ///
    /// English is the [`Display`](fmt::Display) text, the contract's stable message. Vietnamese
    /// is for the people a quote is for: errors about what they asked (the procedure, the place,
    /// the date, the inputs, the postage) read in Vietnamese, with the same ids, dates and
    /// values quoted. Errors in rule files, which their authors read next to the file, stay in
    /// English. Bindings carry it as `message_vi` in an error's details.
    ///
    /// ```
    /// use lephi::{Lang, Request, RuleLibrary};
    /// let lib = RuleLibrary::bundled()?;
    /// let err = lib.quote(&Request::new("passport.issue", "2000-01-01")?).unwrap_err();
    /// assert_eq!(err.text(Lang::En), err.to_string());
    /// assert!(err.text(Lang::Vi).starts_with("chưa có quy định nào về `passport.issue` có hiệu lực vào ngày `2000-01-01`"));
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn text(&self, lang: crate::Lang) -> String {
        if lang == crate::Lang::En {
            return self.to_string();
        }
        // `before` the quoted items `after`, or nothing when there are none.
        let some = |items: &[String], before: &str, after: &str| {
            if items.is_empty() {
                String::new()
            } else {
                format!("{before}{}{after}", list(items))
            }
        };
        let did_you_mean = |candidates: &[String]| some(candidates, " (có phải là ", "?)");
        match &self.inner.kind {
            ErrorKind::LimitExceeded { what, limit } => {
                format!("{what} vượt quá giới hạn {limit}")
            }
            ErrorKind::RequestInvalid { message } => {
                format!("yêu cầu không hợp lệ: {}", request_vi(message))
            }
            ErrorKind::UnknownProcedure { id, candidates } => {
                format!("không có thủ tục `{id}`{}", did_you_mean(candidates))
            }
            ErrorKind::UnknownJurisdiction { id, candidates } => {
                format!("không có địa bàn `{id}`{}", did_you_mean(candidates))
            }
            ErrorKind::JurisdictionNotInForce {
                id,
                date,
                window,
                successors,
            } => format!(
                "địa bàn `{id}` không tồn tại vào ngày `{date}` (chỉ tồn tại {window}){}",
                some(successors, "; nộp hồ sơ tại ", "")
            ),
            ErrorKind::DateOutsideWindows {
                item,
                date,
                nearest,
                windows,
            } => {
                let mut text = format!(
                    "chưa có quy định nào về `{item}` có hiệu lực vào ngày `{date}`{}",
                    some(nearest, " (có quy định cho ", ")")
                );
                if let Some((by, from)) = replaced(windows) {
                    text.push_str(&format!(
                        "; `{by}` thay thế văn bản đó từ `{from}`, thư viện chưa có mức thu theo văn bản này"
                    ));
                }
                text
            }
            ErrorKind::NotPricedInJurisdiction {
                item,
                jurisdiction,
                available,
            } => format!(
                "`{item}` không có mức thu tại `{jurisdiction}`{}",
                some(available, " (có mức thu tại ", ")")
            ),
            ErrorKind::MissingInput { name, expected } => {
                format!("thiếu thông tin `{name}` (cần {})", expected_vi(expected))
            }
            ErrorKind::InvalidInput {
                name,
                value,
                expected,
            } => format!(
                "giá trị `{value}` của `{name}` không hợp lệ (cần {})",
                expected_vi(expected)
            ),
            ErrorKind::UnknownInput { name, known } => {
                format!(
                    "không có thông tin `{name}`{}",
                    some(known, " (các thông tin được dùng: ", ")")
                )
            }
            ErrorKind::UnknownCategory { name, candidates } => {
                format!("không có đối tượng `{name}`{}", did_you_mean(candidates))
            }
            ErrorKind::PostageUnavailable { message, zones } => format!(
                "không tính được cước bưu chính: {}{}",
                postage_vi(message),
                some(zones, " (các vùng có cước: ", ")")
            ),
            ErrorKind::Overflow { context } => {
                format!("số tiền vượt quá giới hạn tính toán ({context})")
            }
            _ => self.to_string(),
        }
    }
}

/// Up to three names from `known` that are close to `wanted` (edit distance, ignoring case).
/// What an input takes, in Vietnamese: the phrases that lephi writes into `expected` (the
/// engine's and the bindings'). A phrase not listed here stays as given.
fn expected_vi(en: &str) -> std::borrow::Cow<'_, str> {
    const FIXED: &[(&str, &str)] = &[
        (
            "an amount in đồng, 0 or more with at most 18 digits before the decimal point, \
             as a decimal string or integer, e.g. `\"1500000000\"`",
            "một số tiền (đồng) không âm, phần nguyên tối đa 18 chữ số, dạng chuỗi số thập \
             phân hoặc số nguyên, ví dụ `\"1500000000\"`",
        ),
        ("an amount ≥ 0", "một số tiền ≥ 0"),
        (
            "a value covered by the rule's bands",
            "một giá trị thuộc các khung của quy định",
        ),
        (
            "nothing here: set `applicant.kind` instead",
            "không đặt ở đây; hãy dùng `applicant.kind`",
        ),
        ("`vi` or `en`", "`vi` hoặc `en`"),
        (
            crate::money::AMOUNT_TEXT,
            "một chuỗi số thập phân, ví dụ \"115000\" hoặc \"-20000.5\"",
        ),
        (
            "a warning from a quote: {code, message, rule} with text values",
            "một cảnh báo của báo giá: {code, message, rule} có giá trị là chuỗi",
        ),
        (
            "the Uint8Array that `compileRules` returns or the bytes of `lephi compile -o FILE`",
            "Uint8Array do `compileRules` trả về hoặc nội dung tệp của `lephi compile -o FILE`",
        ),
        (
            "a YAML string or an array of YAML strings",
            "một chuỗi YAML hoặc một mảng chuỗi YAML",
        ),
        ("a date in 1900–2999", "một ngày trong các năm 1900–2999"),
        (
            "in_person, postal, online_partial, online_full (or level_3, level_4)",
            "in_person, postal, online_partial, online_full (hoặc level_3, level_4)",
        ),
        ("individual or organisation", "individual hoặc organisation"),
        ("send, return or both", "send, return hoặc both"),
        (
            "the zone as the tariff names it (e.g. inner_city)",
            "tên vùng như trong biểu cước (ví dụ inner_city)",
        ),
        (
            "the weight of the dossier in grams",
            "khối lượng hồ sơ tính bằng gam",
        ),
        ("grams", "số gam"),
    ];
    if let Some((_, vi)) = FIXED.iter().find(|(e, _)| *e == en) {
        return (*vi).into();
    }
    let range = |rest: &str, unit: &str| {
        crate::text::split_once(rest, " to ").map(|(a, b)| format!("{unit} từ {a} đến {b}"))
    };
    let vi = if let Some(n) = en
        .strip_prefix("a whole number ≥ ")
        .or_else(|| en.strip_prefix("an integer ≥ "))
    {
        Some(format!("một số nguyên ≥ {n}"))
    } else if let Some(rest) = en.strip_prefix("a whole number from ") {
        range(rest, "một số nguyên")
    } else if let Some(rest) = en.strip_prefix("grams from ") {
        range(rest, "số gam")
    } else if let Some(list) = en.strip_prefix("one of ") {
        Some(match list.strip_suffix(" (the values this rule prices)") {
            Some(list) => format!("một trong {list} (các giá trị mà quy định có mức thu)"),
            None => format!("một trong {list}"),
        })
    } else {
        en.strip_prefix("money as a decimal string such as ")
            .and_then(|r| r.strip_suffix(" (JS numbers are not exact)"))
            .map(|example| {
                format!("số tiền dạng chuỗi số thập phân, ví dụ {example} (số của JavaScript không chính xác)")
            })
    };
    vi.map_or(en.into(), Into::into)
}

/// Why a request could not be read, in Vietnamese: the messages of the request reader
/// (`quote::read`) and of the bindings, with quoted names and values and the place (`at line
/// L column C`) kept. Any other message stays as given.
fn request_vi(en: &str) -> std::borrow::Cow<'_, str> {
    const FIXED: &[(&str, &str)] = &[
        ("trailing characters", "có ký tự thừa sau yêu cầu"),
        ("expected value", "thiếu giá trị"),
        ("expected `,` or `}`", "cần `,` hoặc `}`"),
        ("expected `,` or `]`", "cần `,` hoặc `]`"),
        ("expected `:`", "cần `:`"),
        (
            "expected a key in double quotes",
            "cần tên trường trong dấu ngoặc kép",
        ),
        (
            "EOF while parsing a value",
            "yêu cầu kết thúc khi chưa có giá trị",
        ),
        (
            "EOF while parsing an object",
            "yêu cầu kết thúc khi đối tượng chưa đóng",
        ),
        (
            "EOF while parsing a list",
            "yêu cầu kết thúc khi danh sách chưa đóng",
        ),
        (
            "EOF while parsing a string",
            "yêu cầu kết thúc khi chuỗi chưa đóng",
        ),
        ("invalid number", "số không hợp lệ"),
        ("invalid escape", "ký tự thoát không hợp lệ"),
        (
            "invalid escape (`\\u` takes four hex digits)",
            "ký tự thoát không hợp lệ (`\\u` cần bốn chữ số hệ mười sáu)",
        ),
        (
            "control character (\\u0000-\\u001F) found while parsing a string",
            "chuỗi chứa ký tự điều khiển (\\u0000-\\u001F)",
        ),
        (
            "lone leading surrogate in hex escape",
            "mã `\\u` thiếu nửa sau của cặp thay thế",
        ),
        (
            "lone trailing surrogate in hex escape",
            "mã `\\u` là nửa sau của một cặp thay thế thiếu nửa trước",
        ),
        (
            "the request must be an object",
            "yêu cầu phải là một đối tượng",
        ),
        (
            "the request cannot be turned into JSON",
            "không chuyển được yêu cầu sang JSON",
        ),
    ];
    let (what, place) = match crate::text::rsplit_once(en, " at line ") {
        Some((what, place)) => match crate::text::split_once(place, " column ") {
            Some((line, column)) => (what, Some((line, column))),
            None => (en, None),
        },
        None => (en, None),
    };
    // The field being read, if the reader names one: `… in `inputs.copies``.
    let (what, field) = match crate::text::rsplit_once(what, " in ") {
        Some((w, f))
            if matches!(f.as_bytes().first(), Some(b'`' | b'"'))
                && matches!(f.as_bytes().last(), Some(b'`' | b'"')) =>
        {
            (w, Some(f))
        }
        _ => (what, None),
    };
    let vi = if let Some((_, vi)) = FIXED.iter().find(|(e, _)| *e == what) {
        Some((*vi).to_string())
    } else if let Some(rest) = what.strip_prefix("unknown field ") {
        crate::text::split_once(rest, ", expected one of ")
            .map(|(name, list)| format!("không có trường {name} (các trường hợp lệ: {list})"))
    } else if let Some(name) = what.strip_prefix("duplicate field ") {
        Some(format!("trường {name} bị lặp lại"))
    } else if let Some(name) = what.strip_prefix("missing field ") {
        Some(format!("thiếu trường {name}"))
    } else if let Some(rest) = what.strip_prefix("unknown variant ") {
        crate::text::split_once(rest, ", expected one of ")
            .map(|(value, list)| format!("giá trị {value} không hợp lệ (cần một trong {list})"))
    } else if let Some(rest) = what.strip_prefix("invalid type: ") {
        crate::text::split_once(rest, ", expected ").map(|(found, expected)| {
            format!(
                "sai kiểu: có {}, cần {}",
                found_vi(found),
                reader_expected_vi(expected)
            )
        })
    } else if let Some(rest) = what.strip_prefix("invalid value: ") {
        crate::text::split_once(rest, ", expected ").map(|(found, expected)| {
            format!(
                "giá trị không hợp lệ: {}, cần {}",
                found_vi(found),
                reader_expected_vi(expected)
            )
        })
    } else if let Some(value) = what.strip_suffix(" is not a date (expected `YYYY-MM-DD`)") {
        Some(format!(
            "{value} không phải là ngày (cần dạng `YYYY-MM-DD`)"
        ))
    } else if let Some(value) =
        what.strip_suffix(" is not a date (expected `YYYY-MM-DD` between 1900 and 2999)")
    {
        Some(format!(
            "{value} không phải là ngày (cần dạng `YYYY-MM-DD`, từ năm 1900 đến 2999)"
        ))
    } else if let Some(value) = what.strip_suffix(" is negative (inputs are ≥ 0)") {
        Some(format!("{value} là số âm (thông tin phải ≥ 0)"))
    } else if let Some(value) = what.strip_suffix(
        " is a floating-point number; give money as a decimal string such as \"1500000.5\"",
    ) {
        Some(format!(
            "{value} là số thực; hãy ghi số tiền dạng chuỗi số thập phân, ví dụ \"1500000.5\""
        ))
    } else {
        crate::text::split_once(what, " is too large (whole numbers go up to ").and_then(
            |(value, rest)| {
                let max = rest.strip_suffix("; give money as a decimal string)")?;
                Some(format!(
                    "{value} quá lớn (số nguyên tối đa {max}; hãy ghi số tiền dạng chuỗi số thập phân)"
                ))
            },
        )
    };
    let vi = match (vi, field) {
        (Some(vi), Some(field)) => Some(format!("{vi} ở {field}")),
        (vi, _) => vi,
    };
    match (vi, place) {
        (Some(vi), Some((line, column))) => format!("{vi} (dòng {line}, cột {column})").into(),
        (Some(vi), None) => vi.into(),
        (None, _) => en.into(),
    }
}

/// What the request reader found, in Vietnamese (`string "x"`, `integer `5``, `map` ...).
fn found_vi(en: &str) -> String {
    const KINDS: &[(&str, &str)] = &[
        ("string ", "chuỗi "),
        ("integer ", "số nguyên "),
        ("floating point ", "số thực "),
        ("boolean ", "giá trị logic "),
    ];
    match en {
        "map" => "một đối tượng".into(),
        "sequence" => "một danh sách".into(),
        _ => KINDS
            .iter()
            .find_map(|(e, vi)| en.strip_prefix(e).map(|rest| format!("{vi}{rest}")))
            .unwrap_or_else(|| en.into()),
    }
}

/// What the request reader expected, in Vietnamese; input phrases go through [`expected_vi`].
fn reader_expected_vi(en: &str) -> std::borrow::Cow<'_, str> {
    const FIXED: &[(&str, &str)] = &[
        ("a string", "một chuỗi"),
        ("a date `YYYY-MM-DD`", "một ngày dạng `YYYY-MM-DD`"),
        ("a request object", "một đối tượng yêu cầu"),
        ("an applicant object", "một đối tượng người nộp hồ sơ"),
        ("a postage object", "một đối tượng bưu chính"),
        ("an object of inputs", "một đối tượng các thông tin"),
        ("a list of strings", "một danh sách chuỗi"),
        ("a boolean", "`true` hoặc `false`"),
        ("a whole number of grams (u32)", "một số gam nguyên (u32)"),
        (
            "an integer or a string (money as a decimal string, never a float)",
            "một số nguyên hoặc một chuỗi (số tiền là chuỗi số thập phân, không dùng số thực)",
        ),
    ];
    match FIXED.iter().find(|(e, _)| *e == en) {
        Some((_, vi)) => (*vi).into(),
        None => expected_vi(en),
    }
}

/// Why postage cannot be priced, in Vietnamese: the four messages of the engine's postage
/// step, with their quoted ids, dates and numbers kept. Any other message stays as given.
fn postage_vi(en: &str) -> std::borrow::Cow<'_, str> {
    let vi = if let Some(rest) = en.strip_prefix("the tariff for zone ") {
        crate::text::split_once(rest, " declares prices only up to ").and_then(|(zone, rest)| {
            let (first, weight) = crate::text::split_once(rest, " g, and the dossier weighs ")?;
            let weight = weight.strip_suffix(" g")?;
            Some(format!(
                "biểu cước của vùng {zone} chỉ công bố giá đến {first} g, mà hồ sơ nặng {weight} g"
            ))
        })
    } else if let Some(rest) = en.strip_prefix("no postal tariff is in force in ") {
        crate::text::split_once(rest, " on ").map(|(place, date)| {
            format!("không có biểu cước bưu chính nào có hiệu lực tại {place} vào ngày {date}")
        })
    } else if let Some(rest) = en.strip_prefix("zone ") {
        crate::text::split_once(rest, " has no tariff in ").and_then(|(zone, rest)| {
            let (place, date) = crate::text::split_once(rest, " on ")?;
            Some(format!(
                "vùng {zone} không có biểu cước tại {place} vào ngày {date}"
            ))
        })
    } else {
        crate::text::split_once(
            en,
            " does not publish its fee-collection surcharge for fees of ",
        )
        .and_then(|(rule, rest)| {
            let amount =
                rest.strip_suffix("; quote without `collect_fees` or pay the fees to the agency")?;
            Some(format!(
                "{rule} không công bố cước thu hộ cho khoản phí {amount}; hãy tính không kèm \
                     `collect_fees` hoặc nộp phí trực tiếp cho cơ quan"
            ))
        })
    };
    vi.map_or(en.into(), Into::into)
}

pub(crate) fn close_matches<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> Vec<String> {
    let w = wanted.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = known
        .filter_map(|k| {
            let d = edit_distance(&w, &k.to_ascii_lowercase());
            let limit = (w.chars().count() / 3).max(2);
            let contains = crate::text::contains(k, wanted)
                || (wanted.len() >= 3 && crate::text::contains(k, &w));
            if d <= limit || contains {
                Some((d, k))
            } else {
                None
            }
        })
        .collect();
    crate::sort::small_sort(&mut scored);
    scored
        .into_iter()
        .take(3)
        .map(|(_, k)| k.to_string())
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len().saturating_add(1)];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i.saturating_add(1);
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let del = prev.get(j.saturating_add(1)).copied().unwrap_or(usize::MAX);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX);
            let sub = prev.get(j).copied().unwrap_or(usize::MAX);
            let v = del
                .saturating_add(1)
                .min(ins.saturating_add(1))
                .min(sub.saturating_add(cost));
            if let Some(slot) = cur.get_mut(j.saturating_add(1)) {
                *slot = v;
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Lang;

    /// One error of every kind, for the tests of this crate (messages, JSON details).
    pub(crate) fn every_kind() -> Vec<ErrorKind> {
        let v = |items: &[&str]| items.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        vec![
            ErrorKind::RuleSyntax {
                message: "tab \t and \"quotes\"".into(),
            },
            ErrorKind::RuleInvalid {
                message: "m".into(),
                hint: "h".into(),
            },
            ErrorKind::RuleDuplicateId {
                id: "d".into(),
                first: None,
            },
            ErrorKind::RuleUnknownReference {
                what: "document".into(),
                id: "x".into(),
                candidates: v(&["y", "z"]),
            },
            ErrorKind::RuleOverlappingWindows {
                item: "i".into(),
                rule: "r".into(),
                other: "o".into(),
            },
            ErrorKind::RulePercentOutOfRange {
                value: "120".into(),
            },
            ErrorKind::LimitExceeded {
                what: "request".into(),
                limit: 65_536,
            },
            ErrorKind::RequestInvalid {
                message: "bad date".into(),
            },
            ErrorKind::UnknownProcedure {
                id: "x".into(),
                candidates: v(&["y"]),
            },
            ErrorKind::UnknownJurisdiction {
                id: "vn/x".into(),
                candidates: vec![],
            },
            ErrorKind::JurisdictionNotInForce {
                id: "vn/tien-giang".into(),
                date: "2026-01-01".into(),
                window: "..2025-06-30".into(),
                successors: v(&["vn/dong-thap"]),
            },
            ErrorKind::DateOutsideWindows {
                item: "i".into(),
                date: "2030-01-01".into(),
                nearest: v(&["2020-01-01..2029-12-31 (r)", "2031-01-01.. (\"q\")"]),
                windows: vec![
                    RuleWindow {
                        rule: "r".into(),
                        from: "2020-01-01".into(),
                        to: Some("2029-12-31".into()),
                        nearest_day: "2029-12-31".into(),
                        replaced_by: Some("1/2030/TT-BTC".into()),
                        replaced_from: Some("2030-01-01".into()),
                    },
                    RuleWindow {
                        rule: "\"q\"".into(),
                        from: "2031-01-01".into(),
                        to: None,
                        nearest_day: "2031-01-01".into(),
                        replaced_by: None,
                        replaced_from: None,
                    },
                ],
            },
            ErrorKind::NotPricedInJurisdiction {
                item: "i".into(),
                jurisdiction: "vn".into(),
                available: v(&["vn/ha-noi"]),
            },
            ErrorKind::MissingInput {
                name: "pages".into(),
                expected: "an integer ≥ 1".into(),
            },
            ErrorKind::InvalidInput {
                name: "pages".into(),
                value: "0".into(),
                expected: "an integer ≥ 1".into(),
            },
            ErrorKind::UnknownInput {
                name: "page".into(),
                known: v(&["pages"]),
            },
            ErrorKind::UnknownCategory {
                name: "studnet".into(),
                candidates: v(&["student"]),
            },
            ErrorKind::PostageUnavailable {
                message: "no zone `x`".into(),
                zones: v(&["inner_city"]),
            },
            ErrorKind::Overflow {
                context: "postage".into(),
            },
            ErrorKind::Internal {
                message: "m".into(),
            },
        ]
    }

    #[test]
    fn request_errors_read_in_vietnamese_and_rule_errors_stay_english() {
        for kind in every_kind() {
            let e = Error::new(kind);
            let vi = e.text(Lang::Vi);
            assert_eq!(e.text(Lang::En), e.to_string());
            if e.code().starts_with("rule_") || e.code() == "internal" {
                // Rule files are written in English terms; their errors stay English.
                assert_eq!(vi, e.to_string(), "{}", e.code());
                continue;
            }
            assert_ne!(vi, e.to_string(), "{}", e.code());
            // The ids, dates and values the message quotes are kept.
            for quoted in e.to_string().split('`').skip(1).step_by(2) {
                assert!(
                    vi.contains(&format!("`{quoted}`")),
                    "{}: {vi} lacks `{quoted}`",
                    e.code()
                );
            }
        }
    }

    #[test]
    fn what_an_input_takes_reads_in_vietnamese() {
        let cases = [
            ("a whole number ≥ 1", "một số nguyên ≥ 1"),
            ("a whole number ≥ 0", "một số nguyên ≥ 0"),
            ("a whole number from 1 to 1000000", "một số nguyên từ 1 đến 1000000"),
            ("grams from 1 to 100000", "số gam từ 1 đến 100000"),
            ("one of `urban_ward`, `other`", "một trong `urban_ward`, `other`"),
            (
                "one of `kv1`, `kv2` (the values this rule prices)",
                "một trong `kv1`, `kv2` (các giá trị mà quy định có mức thu)",
            ),
            (
                "money as a decimal string such as \"800000000\" (JS numbers are not exact)",
                "số tiền dạng chuỗi số thập phân, ví dụ \"800000000\" (số của JavaScript không chính xác)",
            ),
            ("`vi` or `en`", "`vi` hoặc `en`"),
        ];
        for (en, vi) in cases {
            assert_eq!(expected_vi(en), vi);
        }
        // Every phrase of the input vocabulary has its Vietnamese form.
        for spec in crate::model::INPUTS {
            let en = spec.expected();
            assert_ne!(expected_vi(&en), en, "{en}");
        }
        // An unknown phrase is kept, not dropped.
        assert_eq!(expected_vi("a pony"), "a pony");
        let e = Error::new(ErrorKind::InvalidInput {
            name: "pages".into(),
            value: "0".into(),
            expected: "a whole number from 1 to 1000000".into(),
        });
        assert_eq!(
            e.text(Lang::Vi),
            "giá trị `0` của `pages` không hợp lệ (cần một số nguyên từ 1 đến 1000000)"
        );
    }

    #[test]
    fn close_matches_finds_typos() {
        let known = ["driver-licence.issue", "passport.issue", "id-card.exchange"];
        assert_eq!(
            close_matches("driver-license.issue", known.iter().copied()),
            vec!["driver-licence.issue".to_string()]
        );
        assert!(close_matches("zzz", known.iter().copied()).is_empty());
    }

    #[test]
    fn display_puts_location_first() {
        let e = Error::rule("bad", "good").at(Some(Location {
            file: "a.yaml".into(),
            line: 3,
            column: 5,
        }));
        assert_eq!(e.to_string(), "a.yaml:3:5: bad (hint: good)");
        assert_eq!(e.code(), "rule_invalid");
    }
}
