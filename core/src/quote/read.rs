//! Reads a [`Request`] from its JSON text.
//!
//! A request has a small, fixed shape: an object of known keys whose values are strings,
//! whole numbers, a boolean, a list of strings and three small objects. This reader goes
//! straight from the text to the request and checks JSON's grammar (RFC 8259) on the way. It
//! builds no tree and does not recurse: nothing in a request nests deeper than `inputs`, and a
//! list or object anywhere else is refused where it starts.
//!
//! Why not serde_json's reader: in the browser build it was about a sixth of the gzipped
//! package. That was its number parser, its error machinery and, through serde's `Unexpected`,
//! Rust's float printer. `Request` keeps its derived `Deserialize` for other formats (rule test
//! files are YAML). A property test checks that the two read the same texts to the same request
//! and refuse the same texts. There are two deliberate differences: serde also accepts a struct
//! written as a list of its fields in order, and a channel, kind or direction written as
//! `{"name": null}`. This reader refuses both; the contract writes them as keys and strings.
//!
//! Errors are `request_invalid`. Each says what was wrong and ends with where: the field being
//! read, if any (`in `inputs.copies``), then `at line L column C`, counting characters from 1.
//! The field is for callers who never saw the JSON (Python's and JavaScript's objects).

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::request::{Applicant, InputValue, PostageRequest, Request};
use crate::model::{ApplicantKind, Channel, Direction};
use crate::{Date, Error};

const REQUEST_FIELDS: &str =
    "`procedure`, `jurisdiction`, `date`, `channel`, `applicant`, `inputs`, `postage`";
const APPLICANT_FIELDS: &str = "`kind`, `categories`";
const POSTAGE_FIELDS: &str = "`direction`, `zone`, `weight_grams`, `collect_fees`";
const CHANNELS: &str = "one of `in_person`, `postal`, `online_partial`, `online_full`";
const KINDS: &str = "one of `individual`, `organisation`";
const DIRECTIONS: &str = "one of `send`, `return`, `both`";

/// Reads a whole request; anything but whitespace after it is an error.
pub(crate) fn request(text: &str) -> Result<Request, Error> {
    let mut r = Reader {
        text,
        pos: 0,
        top: None,
        sub: None,
        key: (0, 0),
    };
    let request = r.request()?;
    r.skip_ws();
    if r.pos < text.len() {
        return Err(r.fail("trailing characters"));
    }
    Ok(request)
}

/// A number as written: whole numbers are read, the others are kept as text for the message.
enum Number<'a> {
    Whole(u64),
    Negative(&'a str),
    Fraction(&'a str),
    Huge(&'a str),
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// Where the request's field whose value is being read (`postage`) is written, as the
    /// byte range of its key between the quotes, for messages.
    top: Option<(usize, usize)>,
    /// The same for the field inside it (`weight_grams`, an input's name).
    sub: Option<(usize, usize)>,
    /// The last key read.
    key: (usize, usize),
}

impl<'a> Reader<'a> {
    // `peek` and `bump` run once or more per byte of a request. The WebAssembly build is
    // optimised for size (`opt-level = "z"`) and left both as calls. Inlined (with the
    // writer's `Json::raw`), a Hà Tĩnh quote's wasm call is about 4% faster in Node, and the
    // build is a few bytes smaller.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    #[inline(always)]
    fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn fail(&self, what: &str) -> Error {
        self.fail_at(self.pos, what)
    }

    /// `what` at the character that starts at byte `pos`.
    fn fail_at(&self, pos: usize, what: &str) -> Error {
        let mut end = pos.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end = end.saturating_sub(1);
        }
        let before = self.text.get(..end).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |n| n.saturating_add(1));
        let line = before.matches('\n').count().saturating_add(1);
        let column = before
            .get(line_start..)
            .unwrap_or_default()
            .chars()
            .count()
            .saturating_add(1);
        let mut message = String::from(what);
        if let Some(top) = self.top {
            // The keys as written (an escape stays an escape).
            let key = |(from, to): (usize, usize)| self.text.get(from..to).unwrap_or_default();
            let mut field = String::from(key(top));
            if let Some(sub) = self.sub {
                field.push('.');
                field.push_str(key(sub));
            }
            message.push_str(" in ");
            message.push_str(&backticked(&field));
        }
        Error::request(format!("{message} at line {line} column {column}"))
    }

    /// Opens an object (after whitespace), or says what is there instead.
    fn open(&mut self, expected: &str) -> Result<(), Error> {
        self.skip_ws();
        if self.peek() == Some(b'{') {
            self.bump();
            Ok(())
        } else {
            Err(self.invalid_type(expected))
        }
    }

    /// The next key of an open object and where it starts, with its `:` read; `None` after `}`.
    fn next_key(&mut self, first: &mut bool) -> Result<Option<(Cow<'a, str>, usize)>, Error> {
        self.sub = None;
        self.skip_ws();
        if *first {
            *first = false;
            if self.peek() == Some(b'}') {
                self.bump();
                return Ok(None);
            }
        } else {
            match self.peek() {
                Some(b',') => {
                    self.bump();
                    self.skip_ws();
                }
                Some(b'}') => {
                    self.bump();
                    return Ok(None);
                }
                None => return Err(self.fail("EOF while parsing an object")),
                Some(_) => return Err(self.fail("expected `,` or `}`")),
            }
        }
        match self.peek() {
            Some(b'"') => {}
            None => return Err(self.fail("EOF while parsing an object")),
            Some(_) => return Err(self.fail("expected a key in double quotes")),
        }
        let at = self.pos;
        let key = self.string()?;
        self.key = (at.saturating_add(1), self.pos.saturating_sub(1));
        self.skip_ws();
        match self.peek() {
            Some(b':') => self.bump(),
            None => return Err(self.fail("EOF while parsing an object")),
            Some(_) => return Err(self.fail("expected `:`")),
        }
        Ok(Some((key, at)))
    }

    /// Refuses a key given twice in one object; `seen` has a bit per key.
    fn once(&self, seen: &mut u8, bit: u8, key: &str, at: usize) -> Result<(), Error> {
        if *seen & bit != 0 {
            return Err(self.fail_at(at, &format!("duplicate field `{key}`")));
        }
        *seen |= bit;
        Ok(())
    }

    /// Refuses an object just closed (at its `}`) that lacks one of the `fields` it needs.
    fn required(&self, seen: u8, fields: &[(u8, &str)]) -> Result<(), Error> {
        match fields.iter().find(|(bit, _)| seen & bit == 0) {
            Some((_, field)) => Err(self.fail_at(
                self.pos.saturating_sub(1),
                &format!("missing field `{field}`"),
            )),
            None => Ok(()),
        }
    }

    fn unknown(&self, key: &str, at: usize, fields: &str) -> Error {
        self.fail_at(
            at,
            &format!(
                "unknown field {}, expected one of {fields}",
                backticked(key)
            ),
        )
    }

    fn request(&mut self) -> Result<Request, Error> {
        const PROCEDURE: u8 = 1;
        const DATE: u8 = 2;
        const JURISDICTION: u8 = 4;
        self.open("a request object")?;
        // One value under construction, so that an error drops one thing.
        let mut request = Request {
            procedure: String::new(),
            jurisdiction: String::new(),
            date: Date::FIRST,
            channel: Channel::default(),
            applicant: Applicant::default(),
            inputs: BTreeMap::new(),
            postage: None,
        };
        let mut seen = 0u8;
        let mut first = true;
        loop {
            self.top = None;
            let Some((key, at)) = self.next_key(&mut first)? else {
                break;
            };
            let bit = match &*key {
                "procedure" => PROCEDURE,
                "date" => DATE,
                "jurisdiction" => JURISDICTION,
                "channel" => 8,
                "applicant" => 16,
                "inputs" => 32,
                "postage" => 64,
                _ => return Err(self.unknown(&key, at, REQUEST_FIELDS)),
            };
            self.once(&mut seen, bit, &key, at)?;
            self.top = Some(self.key);
            match bit {
                PROCEDURE => request.procedure = self.text_value("a string")?,
                DATE => request.date = self.date()?,
                JURISDICTION => request.jurisdiction = self.text_value("a string")?,
                8 => request.channel = self.choice(Channel::parse, CHANNELS)?,
                16 => request.applicant = self.applicant()?,
                32 => self.inputs(&mut request.inputs)?,
                _ => request.postage = self.postage()?,
            }
        }
        self.required(seen, &[(PROCEDURE, "procedure"), (DATE, "date")])?;
        if seen & JURISDICTION == 0 {
            request.jurisdiction = crate::model::default_jurisdiction();
        }
        Ok(request)
    }

    fn applicant(&mut self) -> Result<Applicant, Error> {
        self.open("an applicant object")?;
        let mut applicant = Applicant::default();
        let mut seen = 0u8;
        let mut first = true;
        while let Some((key, at)) = self.next_key(&mut first)? {
            match &*key {
                "kind" => {
                    self.once(&mut seen, 1, &key, at)?;
                    self.sub = Some(self.key);
                    applicant.kind = self.choice(ApplicantKind::parse, KINDS)?;
                }
                "categories" => {
                    self.once(&mut seen, 2, &key, at)?;
                    self.sub = Some(self.key);
                    self.texts(&mut applicant.categories)?;
                }
                _ => return Err(self.unknown(&key, at, APPLICANT_FIELDS)),
            }
        }
        Ok(applicant)
    }

    fn postage(&mut self) -> Result<Option<PostageRequest>, Error> {
        const DIRECTION: u8 = 1;
        const ZONE: u8 = 2;
        const WEIGHT: u8 = 4;
        self.skip_ws();
        if self.peek() == Some(b'n') {
            self.literal("null")?;
            return Ok(None);
        }
        self.open("a postage object")?;
        let mut postage = PostageRequest {
            direction: Direction::Send,
            zone: String::new(),
            weight_grams: 0,
            collect_fees: false,
        };
        let mut seen = 0u8;
        let mut first = true;
        while let Some((key, at)) = self.next_key(&mut first)? {
            let bit = match &*key {
                "direction" => DIRECTION,
                "zone" => ZONE,
                "weight_grams" => WEIGHT,
                "collect_fees" => 8,
                _ => return Err(self.unknown(&key, at, POSTAGE_FIELDS)),
            };
            self.once(&mut seen, bit, &key, at)?;
            self.sub = Some(self.key);
            match bit {
                DIRECTION => postage.direction = self.choice(Direction::parse, DIRECTIONS)?,
                ZONE => postage.zone = self.text_value("a string")?,
                WEIGHT => postage.weight_grams = self.grams()?,
                _ => postage.collect_fees = self.boolean()?,
            }
        }
        self.required(
            seen,
            &[
                (DIRECTION, "direction"),
                (ZONE, "zone"),
                (WEIGHT, "weight_grams"),
            ],
        )?;
        Ok(Some(postage))
    }

    /// `inputs`: names to whole numbers or strings. A name given twice keeps its last value.
    fn inputs(&mut self, inputs: &mut BTreeMap<String, InputValue>) -> Result<(), Error> {
        self.open("an object of inputs")?;
        let mut first = true;
        while let Some((name, _)) = self.next_key(&mut first)? {
            self.sub = Some(self.key);
            let value = self.input_value()?;
            inputs.insert(name.into_owned(), value);
        }
        Ok(())
    }

    fn input_value(&mut self) -> Result<InputValue, Error> {
        const EXPECTED: &str = "an integer or a string (money as a decimal string, never a float)";
        self.skip_ws();
        let at = self.pos;
        match self.peek() {
            Some(b'"') => Ok(InputValue::Text(self.string()?.into_owned())),
            Some(b'-' | b'0'..=b'9') => match self.number()? {
                Number::Whole(n) => Ok(InputValue::Integer(n)),
                Number::Negative(shown) => Err(self.fail_at(
                    at,
                    &format!("`{shown}` is negative (inputs are ≥ 0)"),
                )),
                Number::Fraction(shown) => Err(self.fail_at(
                    at,
                    &format!(
                        "`{shown}` is a floating-point number; give money as a decimal string such as \"1500000.5\""
                    ),
                )),
                Number::Huge(shown) => Err(self.fail_at(
                    at,
                    &format!(
                        "`{shown}` is too large (whole numbers go up to {}; give money as a decimal string)",
                        u64::MAX
                    ),
                )),
            },
            _ => Err(self.invalid_type(EXPECTED)),
        }
    }

    /// A string value (after whitespace), or says what is there instead.
    fn text_value(&mut self, expected: &str) -> Result<String, Error> {
        self.skip_ws();
        if self.peek() == Some(b'"') {
            self.string().map(Cow::into_owned)
        } else {
            Err(self.invalid_type(expected))
        }
    }

    fn date(&mut self) -> Result<Date, Error> {
        self.skip_ws();
        let at = self.pos;
        if self.peek() != Some(b'"') {
            return Err(self.invalid_type("a date `YYYY-MM-DD`"));
        }
        let text = self.string()?;
        Date::parse_str(text.trim()).ok_or_else(|| {
            self.fail_at(
                at,
                &format!("`{text}` is not a date (expected `YYYY-MM-DD`)"),
            )
        })
    }

    /// One of a fixed set of names; `expected` lists them.
    fn choice<T>(&mut self, parse: fn(&str) -> Option<T>, expected: &str) -> Result<T, Error> {
        self.skip_ws();
        let at = self.pos;
        if self.peek() != Some(b'"') {
            return Err(self.invalid_type(expected));
        }
        let text = self.string()?;
        parse(&text).ok_or_else(|| {
            self.fail_at(
                at,
                &format!("unknown variant {}, expected {expected}", backticked(&text)),
            )
        })
    }

    /// A list of strings.
    fn texts(&mut self, out: &mut Vec<String>) -> Result<(), Error> {
        self.skip_ws();
        if self.peek() != Some(b'[') {
            return Err(self.invalid_type("a list of strings"));
        }
        self.bump();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(());
        }
        loop {
            out.push(self.text_value("a string")?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return Ok(());
                }
                None => return Err(self.fail("EOF while parsing a list")),
                Some(_) => return Err(self.fail("expected `,` or `]`")),
            }
        }
    }

    fn grams(&mut self) -> Result<u32, Error> {
        const EXPECTED: &str = "a whole number of grams (u32)";
        self.skip_ws();
        let at = self.pos;
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.invalid_type(EXPECTED));
        }
        let shown = match self.number()? {
            Number::Whole(n) => match u32::try_from(n) {
                Ok(n) => return Ok(n),
                Err(_) => format!("invalid value: integer `{n}`"),
            },
            Number::Negative(s) | Number::Huge(s) => format!("invalid value: integer `{s}`"),
            Number::Fraction(s) => format!("invalid type: floating point `{s}`"),
        };
        Err(self.fail_at(at, &format!("{shown}, expected {EXPECTED}")))
    }

    fn boolean(&mut self) -> Result<bool, Error> {
        self.skip_ws();
        match self.peek() {
            Some(b't') => self.literal("true").map(|()| true),
            Some(b'f') => self.literal("false").map(|()| false),
            _ => Err(self.invalid_type("a boolean")),
        }
    }

    /// `null`, `true` or `false`, exactly.
    fn literal(&mut self, word: &str) -> Result<(), Error> {
        let rest = self.text.get(self.pos..).unwrap_or_default();
        if rest.starts_with(word) {
            self.pos = self.pos.saturating_add(word.len());
            Ok(())
        } else {
            Err(self.fail("expected value"))
        }
    }

    /// A JSON number (RFC 8259 §6), read from its first character.
    fn number(&mut self) -> Result<Number<'a>, Error> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.fail("invalid number")),
        }
        let mut whole = true;
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.fail("invalid number"));
            }
            self.digits();
            whole = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.fail("invalid number"));
            }
            self.digits();
            whole = false;
        }
        let shown = self.text.get(start..self.pos).unwrap_or_default();
        Ok(if !whole {
            Number::Fraction(shown)
        } else if negative {
            Number::Negative(shown)
        } else {
            shown
                .bytes()
                .try_fold(0u64, |n, b| {
                    n.checked_mul(10)?
                        .checked_add(u64::from(b.wrapping_sub(b'0')))
                })
                .map_or(Number::Huge(shown), Number::Whole)
        })
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.bump();
        }
    }

    /// A JSON string, from its opening quote: borrowed from the text when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        self.bump();
        let (run, stop) = self.run();
        match stop {
            Some(b'"') => {
                self.bump();
                Ok(Cow::Borrowed(run))
            }
            _ => self.escaped(run.to_string()).map(Cow::Owned),
        }
    }

    /// Plain string content up to the next `"`, `\\` or control character, and that byte.
    fn run(&mut self) -> (&'a str, Option<u8>) {
        let rest = self.text.get(self.pos..).unwrap_or_default();
        let n = rest
            .bytes()
            .position(crate::json::is_special)
            .unwrap_or(rest.len());
        self.pos = self.pos.saturating_add(n);
        // `n` is at an ASCII byte or the end, so on a character boundary.
        (rest.get(..n).unwrap_or_default(), self.peek())
    }

    /// The rest of a string that has escapes (or is broken), after its plain start `out`.
    #[cold]
    fn escaped(&mut self, mut out: String) -> Result<String, Error> {
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.bump();
                    self.escape(&mut out)?;
                }
                None => return Err(self.fail("EOF while parsing a string")),
                Some(_) => {
                    return Err(self
                        .fail("control character (\\u0000-\\u001F) found while parsing a string"))
                }
            }
            let (run, _) = self.run();
            out.push_str(run);
        }
    }

    /// One escape, after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), Error> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.bump();
                let unit = self.hex4()?;
                let c = match unit {
                    0xD800..=0xDBFF => {
                        let rest = self.text.get(self.pos..).unwrap_or_default();
                        if !rest.starts_with("\\u") {
                            return Err(self.fail("lone leading surrogate in hex escape"));
                        }
                        self.pos = self.pos.saturating_add(2);
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.fail("lone leading surrogate in hex escape"));
                        }
                        let high = u32::from(unit).wrapping_sub(0xD800);
                        let low = u32::from(low).wrapping_sub(0xDC00);
                        char::from_u32((high << 10 | low).wrapping_add(0x1_0000))
                    }
                    0xDC00..=0xDFFF => None,
                    other => char::from_u32(u32::from(other)),
                };
                let Some(c) = c else {
                    return Err(self.fail("lone trailing surrogate in hex escape"));
                };
                out.push(c);
                return Ok(());
            }
            None => return Err(self.fail("EOF while parsing a string")),
            Some(_) => return Err(self.fail("invalid escape")),
        };
        self.bump();
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16, Error> {
        let mut unit = 0u16;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b.wrapping_sub(b'0'),
                Some(b @ b'a'..=b'f') => b.wrapping_sub(b'a').wrapping_add(10),
                Some(b @ b'A'..=b'F') => b.wrapping_sub(b'A').wrapping_add(10),
                None => return Err(self.fail("EOF while parsing a string")),
                Some(_) => return Err(self.fail("invalid escape (`\\u` takes four hex digits)")),
            };
            unit = unit << 4 | u16::from(digit);
            self.bump();
        }
        Ok(unit)
    }

    /// The error for a value of the wrong kind, naming what was found as serde does.
    fn invalid_type(&mut self, expected: &str) -> Error {
        let at = self.pos;
        let found = match self.peek() {
            None => return self.fail("EOF while parsing a value"),
            Some(b'"') => match self.string() {
                Ok(s) => format!("string {}", crate::json::string(&s)),
                Err(e) => return e,
            },
            Some(b'{') => "map".to_string(),
            Some(b'[') => "sequence".to_string(),
            Some(b'n') => match self.literal("null") {
                Ok(()) => "null".to_string(),
                Err(e) => return e,
            },
            Some(b't') => match self.literal("true") {
                Ok(()) => "boolean `true`".to_string(),
                Err(e) => return e,
            },
            Some(b'f') => match self.literal("false") {
                Ok(()) => "boolean `false`".to_string(),
                Err(e) => return e,
            },
            Some(b'-' | b'0'..=b'9') => match self.number() {
                Ok(Number::Whole(n)) => format!("integer `{n}`"),
                Ok(Number::Negative(s) | Number::Huge(s)) => format!("integer `{s}`"),
                Ok(Number::Fraction(s)) => format!("floating point `{s}`"),
                Err(e) => return e,
            },
            Some(_) => return self.fail("expected value"),
        };
        self.fail_at(at, &format!("invalid type: {found}, expected {expected}"))
    }
}

/// A name in backticks; one with a backtick or a control character is shown as JSON instead.
fn backticked(name: &str) -> String {
    if name.contains(|c: char| c == '`' || c.is_control()) {
        crate::json::string(name)
    } else {
        format!("`{name}`")
    }
}
