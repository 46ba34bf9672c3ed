//! The contract's JSON, written directly.
//!
//! A quote's JSON is mostly text the library shares (names, citations, warnings) and whole
//! đồng amounts. Going through serde cost ~40k instructions per quote, most of it escaping
//! strings byte by byte and formatting decimals through `fmt`. This writer copies strings
//! that need no escaping in one go, escapes the others as serde_json does
//! ([`crate::json::push_string`]), writes whole amounts without `fmt` and other decimals with
//! their `Display`, so the bytes are exactly serde's (sorted keys, decimal strings). The tests
//! compare it with the serde form on every conformance and rule test request. The browser
//! build has no serde_json at all.

use rust_decimal::Decimal;

use super::result::{
    AppliedAdjustment, ChannelComparison, ChannelQuote, Citation, Line, PostageQuote, Quote,
    Warning,
};
use crate::model::Names;
use crate::money::push_u64;
use crate::Money;

/// `,"name":` as one literal: one append instead of four (keys are ASCII identifiers, never
/// escaped). The WebAssembly build is optimised for size and keeps every append a call.
macro_rules! key {
    ($name:literal) => {
        concat!(",\"", $name, "\":")
    };
}

/// `{"name":`: an object and its first key.
macro_rules! open {
    ($name:literal) => {
        concat!("{\"", $name, "\":")
    };
}

/// Whether a text needs JSON escaping (a control character, `"` or `\\`). Most texts do not,
/// and are copied in one go.
fn needs_escape(t: &str) -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    return escape_by_comparison(t.as_bytes());
    // WebAssembly (built for size, so not vectorised): eight bytes at a time in a 64-bit word.
    // A table lookup per byte was 1.5–2 µs faster than the comparisons per quote in Node and
    // chromium; the words are faster again (measured in benches/README.md).
    #[cfg(target_arch = "wasm32")]
    return escape_by_words(t.as_bytes());
}

/// A branch-free reduction, so the check runs on whole vectors of bytes.
#[cfg(any(not(target_arch = "wasm32"), test))]
fn escape_by_comparison(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |acc, &b| {
        acc | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

#[cfg(test)]
fn escape_by_table(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| crate::json::is_special(b))
}

/// Eight bytes per step: in each word, whether some byte is below 0x20, or is `"` or `\\`
/// (equal means the XOR is a zero byte). `(x - 0x01…01 * n) & !x & 0x80…80` is non-zero
/// exactly when some byte of `x` is below `n` (for `n` ≤ 0x80); a borrow only crosses a byte
/// that is itself below `n`, so the answer for the whole word is exact.
#[cfg(any(target_arch = "wasm32", test))]
fn escape_by_words(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn below(x: u64, n: u64) -> u64 {
        x.wrapping_sub(ONES.wrapping_mul(n)) & !x
    }
    let (words, rest) = bytes.as_chunks::<8>();
    let mut hit = 0;
    for w in words {
        let x = u64::from_le_bytes(*w);
        hit |= below(x, 0x20) | below(x ^ (ONES * 0x22), 1) | below(x ^ (ONES * 0x5c), 1);
    }
    hit & HIGH != 0 || rest.iter().any(|&b| crate::json::is_special(b))
}

pub(crate) struct Json {
    s: String,
}

impl Json {
    pub(crate) fn new() -> Json {
        Json {
            s: String::with_capacity(4096),
        }
    }

    pub(crate) fn finish(self) -> String {
        self.s
    }

    /// Inlined: a call to a call to `push_str` in the size-optimised WebAssembly build.
    #[inline(always)]
    fn raw(&mut self, t: &str) -> &mut Self {
        self.s.push_str(t);
        self
    }

    // `push_str("\"")`, not `push('"')`: the size-optimised WebAssembly build calls the UTF-8
    // encoder for every `push(char)`.
    #[allow(clippy::single_char_add_str)]
    fn string(&mut self, t: &str) -> &mut Self {
        if !needs_escape(t) {
            self.s.reserve(t.len().saturating_add(2));
            self.s.push_str("\"");
            self.s.push_str(t);
            self.s.push_str("\"");
        } else {
            crate::json::push_string(&mut self.s, t);
        }
        self
    }

    fn opt_string(&mut self, t: Option<&str>) -> &mut Self {
        match t {
            Some(t) => self.string(t),
            None => self.raw("null"),
        }
    }

    /// A decimal as a JSON string, exactly as `Decimal`'s `Display` writes it.
    #[allow(clippy::single_char_add_str)] // as in `string`
    fn decimal(&mut self, d: Decimal) -> &mut Self {
        self.s.push_str("\"");
        let fast = d.scale() == 0 && !d.is_zero();
        match u64::try_from(d.mantissa().unsigned_abs()) {
            Ok(n) if fast => {
                if d.is_sign_negative() {
                    self.s.push_str("-");
                }
                push_u64(&mut self.s, n, 1);
            }
            _ => {
                use std::fmt::Write as _;
                let _ = write!(self.s, "{d}");
            }
        }
        self.s.push_str("\"");
        self
    }

    /// Money as a JSON string, exactly as [`Money`]'s `Display` writes it (normalised).
    fn money(&mut self, m: Money) -> &mut Self {
        if m.0.scale() == 0 && m.0.is_zero() {
            return self.raw("\"0\"");
        }
        if m.0.scale() == 0 {
            return self.decimal(m.0);
        }
        self.decimal(m.0.normalize())
    }

    fn opt_money(&mut self, m: Option<Money>) -> &mut Self {
        match m {
            Some(m) => self.money(m),
            None => self.raw("null"),
        }
    }

    fn uint(&mut self, n: u64) -> &mut Self {
        push_u64(&mut self.s, n, 1);
        self
    }

    fn names(&mut self, n: &Names) -> &mut Self {
        if n.en.is_empty() {
            self.raw(open!("vi"));
        } else {
            self.raw(open!("en")).string(&n.en).raw(key!("vi"));
        }
        self.string(&n.vi).raw("}")
    }

    fn citation(&mut self, c: &Citation) -> &mut Self {
        self.raw(open!("article"))
            .string(&c.article)
            .raw(key!("confidence"))
            .string(c.confidence.as_str())
            .raw(key!("document"))
            .string(&c.document)
            .raw(key!("number"))
            .string(&c.number)
            .raw("}")
    }

    fn adjustments(&mut self, list: &[AppliedAdjustment]) -> &mut Self {
        self.raw("[");
        for (i, a) in list.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.raw(open!("applied"))
                .raw(if a.applied { "true" } else { "false" })
                .raw(key!("basis"))
                .citation(a.basis)
                .raw(key!("delta"))
                .decimal(a.delta)
                .raw(key!("effect"))
                .string(a.effect)
                .raw(key!("name"))
                .names(a.name)
                .raw(key!("reason"))
                .opt_string(a.reason)
                .raw(key!("rule"))
                .string(a.rule)
                .raw("}");
        }
        self.raw("]")
    }

    fn line(&mut self, l: &Line) -> &mut Self {
        self.raw(open!("adjustments"))
            .adjustments(&l.adjustments)
            .raw(key!("amount"))
            .money(l.amount)
            .raw(key!("base"))
            .money(l.base)
            .raw(key!("basis"))
            .citation(l.basis)
            .raw(key!("computation"))
            .string(&l.computation)
            .raw(key!("exact"))
            .money(l.exact)
            .raw(key!("item"))
            .string(l.item)
            .raw(key!("kind"))
            .string(l.kind.as_str())
            .raw(key!("name"))
            .names(l.name)
            .raw(key!("retained"));
        match &l.retained {
            Some(r) => {
                self.raw(open!("amount"))
                    .money(r.amount)
                    .raw(key!("share"))
                    .string(&r.share)
                    .raw("}");
            }
            None => {
                self.raw("null");
            }
        }
        self.raw(key!("rounding"));
        match &l.rounding {
            Some(r) => {
                self.raw(open!("delta"))
                    .decimal(r.delta)
                    .raw(key!("rule"))
                    .string(&r.rule)
                    .raw("}");
            }
            None => {
                self.raw("null");
            }
        }
        self.raw(key!("rule")).string(l.rule).raw("}")
    }

    fn postage(&mut self, p: &PostageQuote) -> &mut Self {
        self.raw(open!("adjustments"))
            .adjustments(&p.adjustments)
            .raw(key!("applicant"))
            .money(p.applicant)
            .raw(key!("basis"))
            .citation(p.basis)
            .raw(key!("computation"))
            .string(&p.computation)
            .raw(key!("direction"))
            .string(p.direction)
            .raw(key!("rule"))
            .string(p.rule)
            .raw(key!("subsidy"))
            .money(p.subsidy)
            .raw(key!("subsidy_payer"))
            .opt_string(p.subsidy_payer)
            .raw(key!("subsidy_rule"))
            .opt_string(p.subsidy_rule)
            .raw(key!("surcharge"))
            .money(p.surcharge)
            .raw(key!("tariff"))
            .money(p.tariff)
            .raw(key!("weight_grams"))
            .uint(u64::from(p.weight_grams))
            .raw(key!("zone"))
            .string(p.zone)
            .raw("}")
    }

    fn warning(&mut self, w: &Warning) -> &mut Self {
        self.raw(open!("code"))
            .string(w.code)
            .raw(key!("message"))
            .string(&w.message)
            .raw(key!("rule"))
            .opt_string(w.rule)
            .raw("}")
    }

    pub(crate) fn quote(&mut self, q: &Quote) -> &mut Self {
        self.raw(open!("channel"))
            .string(q.channel.as_str())
            .raw(key!("currency"))
            .string(q.currency)
            .raw(key!("date"))
            .raw("\"");
        q.date.push_iso(&mut self.s);
        self.raw("\"")
            .raw(key!("fees_total"))
            .money(q.fees_total)
            .raw(key!("fingerprint"))
            .string(&q.fingerprint)
            .raw(key!("jurisdiction"))
            .string(q.jurisdiction)
            .raw(key!("lines"))
            .raw("[");
        for (i, l) in q.lines.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.line(l);
        }
        self.raw("]").raw(key!("postage"));
        match &q.postage {
            Some(p) => self.postage(p),
            None => self.raw("null"),
        };
        self.raw(key!("postage_total"))
            .money(q.postage_total)
            .raw(key!("procedure"))
            .string(q.procedure)
            .raw(key!("procedure_name"))
            .names(q.procedure_name)
            .raw(key!("total"))
            .money(q.total)
            .raw(key!("warnings"))
            .raw("[");
        for (i, w) in q.warnings.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.warning(w);
        }
        self.raw("]}")
    }

    fn channel_quote(&mut self, c: &ChannelQuote) -> &mut Self {
        self.raw(open!("channel"))
            .string(c.channel.as_str())
            .raw(key!("error"));
        match &c.error {
            Some(e) => {
                self.raw(open!("code"))
                    .string(e.code)
                    .raw(key!("message"))
                    .string(&e.message)
                    .raw("}");
            }
            None => {
                self.raw("null");
            }
        }
        self.raw(key!("quote"));
        match &c.quote {
            Some(q) => self.quote(q),
            None => self.raw("null"),
        };
        self.raw(key!("total")).opt_money(c.total).raw("}")
    }

    pub(crate) fn comparison(&mut self, c: &ChannelComparison) -> &mut Self {
        self.raw(open!("channels")).raw("[");
        for (i, ch) in c.channels.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.channel_quote(ch);
        }
        self.raw("]")
            .raw(key!("cheapest"))
            .opt_string(c.cheapest.map(crate::Channel::as_str))
            .raw(key!("online_saving"))
            .opt_money(c.online_saving)
            .raw("}")
    }
}

/// The catalog's procedures and jurisdictions, in canonical JSON. Their model types declare
/// fields in the order rule files read (`id`, `name` first), so serde's derive would not sort
/// them; these write the sorted form directly (tested against the sorted serde form).
impl Json {
    fn strings(&mut self, list: &[String]) -> &mut Self {
        self.raw("[");
        for (i, t) in list.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.string(t);
        }
        self.raw("]")
    }

    /// `,"key":[...]`, left out when the list is empty (`skip_serializing_if = "Vec::is_empty"`).
    fn strings_field(&mut self, key: &str, list: &[String]) -> &mut Self {
        if list.is_empty() {
            return self;
        }
        self.raw(key).strings(list)
    }

    fn date_field(&mut self, key: &str, date: Option<crate::Date>) -> &mut Self {
        match date {
            Some(d) => self.raw(key).string(&d.to_string()),
            None => self,
        }
    }

    pub(crate) fn procedures(&mut self, list: &[&crate::model::Procedure]) -> &mut Self {
        self.raw("[");
        for (i, p) in list.iter().enumerate() {
            self.raw(if i > 0 { ",{" } else { "{" });
            if !p.codes.is_empty() {
                self.raw("\"codes\":").strings(&p.codes).raw(",");
            }
            self.raw("\"fees\":")
                .strings(&p.fees)
                .raw(key!("id"))
                .string(&p.id)
                .strings_field(key!("keywords"), &p.keywords)
                .raw(key!("name"))
                .names(&p.name)
                .raw("}");
        }
        self.raw("]")
    }

    /// What [`missing_inputs`](crate::RuleLibrary::missing_inputs) returns, in the field order
    /// `NeededInput` declares (sorted); optional fields are `null` when absent.
    pub(crate) fn needed_inputs(&mut self, list: &[crate::NeededInput]) -> &mut Self {
        self.raw("[");
        for (i, n) in list.iter().enumerate() {
            self.raw(if i > 0 { ",{" } else { "{" })
                .raw("\"allowed\":")
                .strings(&n.allowed)
                .raw(key!("choices"))
                .raw("[");
            for (j, c) in n.choices.iter().enumerate() {
                self.raw(if j > 0 { ",{" } else { "{" })
                    .raw("\"label\":")
                    .names(&c.label)
                    .raw(key!("value"))
                    .string(&c.value)
                    .raw("}");
            }
            self.raw("]")
                .raw(key!("default"))
                .opt_string(n.default)
                .raw(key!("kind"))
                .string(n.kind.as_str())
                .raw(key!("label"))
                .names(&n.label)
                .raw(key!("min"));
            match n.min {
                Some(min) => self.uint(u64::from(min)),
                None => self.raw("null"),
            };
            self.raw(key!("name"))
                .string(n.name)
                .raw(key!("required"))
                .raw(if n.required { "true" } else { "false" })
                .raw("}");
        }
        self.raw("]")
    }

    fn opt_string_field(&mut self, key: &str, t: Option<&str>) -> &mut Self {
        match t {
            Some(t) => self.raw(key).string(t),
            None => self,
        }
    }

    /// Document headers (what [`sources`](crate::RuleLibrary::sources) returns), with
    /// serde's rules for absent and empty fields.
    pub(crate) fn documents(&mut self, list: &[&crate::model::DocumentHeader]) -> &mut Self {
        self.raw("[");
        for (i, d) in list.iter().enumerate() {
            self.raw(if i > 0 { ",{" } else { "{" });
            if !d.amends.is_empty() {
                self.raw("\"amends\":").strings(&d.amends).raw(",");
            }
            if !d.cites.is_empty() {
                self.raw("\"cites\":").strings(&d.cites).raw(",");
            }
            self.raw("\"confidence\":")
                .string(d.confidence.as_str())
                .raw(key!("id"))
                .string(&d.id)
                .date_field(key!("in_force_from"), Some(d.in_force_from))
                .date_field(key!("in_force_to"), d.in_force_to)
                .raw(key!("issuer"))
                .string(&d.issuer)
                .raw(key!("jurisdiction"))
                .string(&d.jurisdiction)
                .raw(key!("kind"))
                .string(d.kind.as_str())
                .opt_string_field(key!("notes"), d.notes.as_deref())
                .raw(key!("number"))
                .string(&d.number)
                .opt_string_field(key!("replaced_by"), d.replaced_by.as_deref())
                .strings_field(key!("replaces"), &d.replaces)
                .date_field(key!("signed"), d.signed)
                .raw(key!("title"))
                .string(&d.title)
                .opt_string_field(key!("url"), d.url.as_deref())
                .raw("}");
        }
        self.raw("]")
    }

    pub(crate) fn jurisdictions(&mut self, list: &[&crate::model::Jurisdiction]) -> &mut Self {
        self.raw("[");
        for (i, j) in list.iter().enumerate() {
            self.raw(if i > 0 { ",{" } else { "{" });
            if !j.formed_from.is_empty() {
                self.raw("\"formed_from\":")
                    .strings(&j.formed_from)
                    .raw(",");
            }
            if let Some(gso) = &j.gso {
                self.raw("\"gso\":").string(gso).raw(",");
            }
            self.raw("\"id\":")
                .string(&j.id)
                .raw(key!("name"))
                .names(&j.name)
                .opt_string_field(key!("parent"), j.parent.as_deref());
            if let Some(prev) = &j.previous_gso {
                self.raw(key!("previous_gso"))
                    .raw(open!("code"))
                    .string(&prev.code)
                    .raw(key!("until"))
                    .string(&prev.until.to_string())
                    .raw("}");
            }
            self.strings_field(key!("successors"), &j.successors)
                .date_field(key!("valid_from"), j.valid_from)
                .date_field(key!("valid_to"), j.valid_to)
                .raw("}");
        }
        self.raw("]")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The three escape checks agree on any bytes, of any length (mostly printable, so
        /// that about half the texts need no escaping).
        #[test]
        fn escape_checks_agree(
            bytes in proptest::collection::vec(prop_oneof![40 => 0x20u8..=0xff, 1 => any::<u8>()], 0..40)
        ) {
            let expected = super::escape_by_table(&bytes);
            prop_assert_eq!(super::escape_by_words(&bytes), expected);
            prop_assert_eq!(super::escape_by_comparison(&bytes), expected);
        }
    }

    #[test]
    fn both_escape_checks_agree_on_every_byte() {
        for b in 0..=u8::MAX {
            let text = [b'a', b, b'z'];
            let expected = super::escape_by_table(&text);
            assert_eq!(
                expected,
                super::escape_by_comparison(&text),
                "byte {b:#04x}"
            );
            // Every position in a word and in the tail, next to every other byte value (a
            // borrow from a neighbour must not make or hide a hit).
            for len in 1..=17 {
                for at in 0..len {
                    for fill in [b'a', 0x1f, 0x20, 0x21, 0x7f, 0x80, 0xe1, 0xff] {
                        let mut text = vec![fill; len];
                        text[at] = b;
                        assert_eq!(
                            super::escape_by_words(&text),
                            super::escape_by_table(&text),
                            "byte {b:#04x} at {at} of {len} among {fill:#04x}"
                        );
                    }
                }
            }
        }
        assert!(!super::escape_by_table("Lệ phí trực tuyến".as_bytes()));
        assert!(!super::escape_by_words(
            "Lệ phí trực tuyến, Điều 8".as_bytes()
        ));
    }

    #[test]
    fn strings_are_escaped_like_serde() {
        for b in 0..0x80u8 {
            let t = format!("a{}z", char::from(b));
            assert_eq!(
                crate::json::string(&t),
                serde_json::to_string(&t).unwrap_or_default()
            );
        }
        for t in [
            "",
            "plain",
            "Lệ phí \"đặc biệt\"",
            "a\\b",
            "line\nbreak\t\u{1}",
            "\u{7f}€",
        ] {
            let mut out = super::Json::new();
            out.string(t);
            assert_eq!(out.finish(), serde_json::to_string(t).unwrap_or_default());
        }
    }

    /// Needs the rule tests, which are YAML.
    #[cfg(feature = "yaml")]
    mod known_requests {
        use std::path::{Path, PathBuf};

        use crate::quote::result::canonical;
        use crate::{Request, RuleLibrary};

        #[derive(serde::Deserialize)]
        struct Cases {
            cases: Vec<Case>,
        }

        #[derive(serde::Deserialize)]
        struct Case {
            request: Request,
        }

        fn files(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = entry.path();
                if p.is_dir() {
                    files(&p, suffix, out);
                } else if p.to_string_lossy().ends_with(suffix) {
                    out.push(p);
                }
            }
        }

        fn assert_same(lib: &RuleLibrary, req: &Request, seen: &mut usize) {
            if let Ok(q) = lib.quote(req) {
                assert_eq!(q.to_json(), canonical(&q), "{}", req.to_json());
                *seen += 1;
            }
            if let Ok(c) = lib.compare_channels(req) {
                assert_eq!(c.to_json(), canonical(&c), "{}", req.to_json());
            }
        }

        /// The direct writer gives serde's bytes on every request of the rule tests and the
        /// conformance cases.
        #[test]
        fn writer_matches_serde_on_every_known_request() -> Result<(), Box<dyn std::error::Error>> {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            let lib = RuleLibrary::bundled()?;
            let mut seen = 0;
            let mut tests = Vec::new();
            files(&root.join("rules"), ".test.yaml", &mut tests);
            for f in &tests {
                let cases: Cases = serde_saphyr::from_str(&std::fs::read_to_string(f)?)?;
                for c in &cases.cases {
                    assert_same(&lib, &c.request, &mut seen);
                }
            }
            let engine_rules =
                std::fs::read_to_string(root.join("tests/conformance/rules/engine.yaml"))?;
            let engine = RuleLibrary::from_sources(&[("engine.yaml", &engine_rules)])?;
            let mut cases = Vec::new();
            files(&root.join("tests/conformance/cases"), ".json", &mut cases);
            for f in cases
                .iter()
                .filter(|f| !f.to_string_lossy().ends_with(".expected.json"))
            {
                let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f)?)?;
                let Ok(req) = Request::from_json(&case["request"].to_string()) else {
                    continue;
                };
                let which = if case["library"] == "engine" {
                    &engine
                } else {
                    &lib
                };
                assert_same(which, &req, &mut seen);
            }
            assert!(seen > 150, "only {seen} quotes compared");
            Ok(())
        }
    }
}
