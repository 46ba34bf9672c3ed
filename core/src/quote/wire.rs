//! The contract's JSON, written directly.
//!
//! A quote's JSON is mostly text the library shares (names, citations, warnings) and whole
//! đồng amounts. Going through serde cost ~40k instructions per quote, most of it escaping
//! strings byte by byte and formatting decimals through `fmt`. This writer copies strings
//! that need no escaping in one go, writes whole amounts without `fmt`, and falls back to
//! serde_json for anything else, so the bytes are exactly serde's (sorted keys, decimal
//! strings). The tests compare it with the serde form on every conformance and rule test
//! request.

use rust_decimal::Decimal;

use super::result::{
    AppliedAdjustment, ChannelComparison, ChannelQuote, Citation, Line, PostageQuote, Quote,
    Warning,
};
use crate::model::Names;
use crate::money::push_u64;
use crate::Money;

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

    fn raw(&mut self, t: &str) -> &mut Self {
        self.s.push_str(t);
        self
    }

    /// `"key":` (keys are ASCII identifiers, never escaped). `first` omits the comma.
    fn key(&mut self, k: &str, first: bool) -> &mut Self {
        if !first {
            self.s.push(',');
        }
        self.s.push('"');
        self.s.push_str(k);
        self.s.push_str("\":");
        self
    }

    fn string(&mut self, t: &str) -> &mut Self {
        // A branch-free reduction, so the check runs on whole vectors of bytes.
        let needs_escape = t.as_bytes().iter().fold(false, |acc, &b| {
            acc | (b < 0x20) | (b == b'"') | (b == b'\\')
        });
        if !needs_escape {
            self.s.push('"');
            self.s.push_str(t);
            self.s.push('"');
        } else {
            match serde_json::to_string(t) {
                Ok(escaped) => self.s.push_str(&escaped),
                Err(_) => self.s.push_str("null"),
            }
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
    fn decimal(&mut self, d: Decimal) -> &mut Self {
        self.s.push('"');
        let fast = d.scale() == 0 && !d.is_zero();
        match u64::try_from(d.mantissa().unsigned_abs()) {
            Ok(n) if fast => {
                if d.is_sign_negative() {
                    self.s.push('-');
                }
                push_u64(&mut self.s, n, 1);
            }
            _ => {
                use std::fmt::Write as _;
                let _ = write!(self.s, "{d}");
            }
        }
        self.s.push('"');
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
        self.raw("{");
        let first = n.en.is_empty();
        if !first {
            self.key("en", true).string(&n.en);
        }
        self.key("vi", first).string(&n.vi).raw("}")
    }

    fn citation(&mut self, c: &Citation) -> &mut Self {
        self.raw("{")
            .key("article", true)
            .string(&c.article)
            .key("confidence", false)
            .string(c.confidence.as_str())
            .key("document", false)
            .string(&c.document)
            .key("number", false)
            .string(&c.number)
            .raw("}")
    }

    fn adjustments(&mut self, list: &[AppliedAdjustment]) -> &mut Self {
        self.raw("[");
        for (i, a) in list.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.raw("{")
                .key("applied", true)
                .raw(if a.applied { "true" } else { "false" })
                .key("basis", false)
                .citation(a.basis)
                .key("delta", false)
                .decimal(a.delta)
                .key("effect", false)
                .string(a.effect)
                .key("name", false)
                .names(a.name)
                .key("reason", false)
                .opt_string(a.reason)
                .key("rule", false)
                .string(a.rule)
                .raw("}");
        }
        self.raw("]")
    }

    fn line(&mut self, l: &Line) -> &mut Self {
        self.raw("{")
            .key("adjustments", true)
            .adjustments(&l.adjustments)
            .key("amount", false)
            .money(l.amount)
            .key("base", false)
            .money(l.base)
            .key("basis", false)
            .citation(l.basis)
            .key("computation", false)
            .string(&l.computation)
            .key("exact", false)
            .money(l.exact)
            .key("item", false)
            .string(l.item)
            .key("kind", false)
            .string(l.kind.as_str())
            .key("name", false)
            .names(l.name)
            .key("retained", false);
        match &l.retained {
            Some(r) => {
                self.raw("{")
                    .key("amount", true)
                    .money(r.amount)
                    .key("share", false)
                    .string(&r.share)
                    .raw("}");
            }
            None => {
                self.raw("null");
            }
        }
        self.key("rounding", false);
        match &l.rounding {
            Some(r) => {
                self.raw("{")
                    .key("delta", true)
                    .decimal(r.delta)
                    .key("rule", false)
                    .string(&r.rule)
                    .raw("}");
            }
            None => {
                self.raw("null");
            }
        }
        self.key("rule", false).string(l.rule).raw("}")
    }

    fn postage(&mut self, p: &PostageQuote) -> &mut Self {
        self.raw("{")
            .key("adjustments", true)
            .adjustments(&p.adjustments)
            .key("applicant", false)
            .money(p.applicant)
            .key("basis", false)
            .citation(p.basis)
            .key("computation", false)
            .string(&p.computation)
            .key("direction", false)
            .string(p.direction)
            .key("rule", false)
            .string(p.rule)
            .key("subsidy", false)
            .money(p.subsidy)
            .key("subsidy_payer", false)
            .opt_string(p.subsidy_payer)
            .key("subsidy_rule", false)
            .opt_string(p.subsidy_rule)
            .key("surcharge", false)
            .money(p.surcharge)
            .key("tariff", false)
            .money(p.tariff)
            .key("weight_grams", false)
            .uint(u64::from(p.weight_grams))
            .key("zone", false)
            .string(p.zone)
            .raw("}")
    }

    fn warning(&mut self, w: &Warning) -> &mut Self {
        self.raw("{")
            .key("code", true)
            .string(w.code)
            .key("message", false)
            .string(&w.message)
            .key("rule", false)
            .opt_string(w.rule)
            .raw("}")
    }

    pub(crate) fn quote(&mut self, q: &Quote) -> &mut Self {
        self.raw("{")
            .key("channel", true)
            .string(q.channel.as_str())
            .key("currency", false)
            .string(q.currency)
            .key("date", false)
            .raw("\"");
        q.date.push_iso(&mut self.s);
        self.raw("\"")
            .key("fees_total", false)
            .money(q.fees_total)
            .key("fingerprint", false)
            .string(&q.fingerprint)
            .key("jurisdiction", false)
            .string(q.jurisdiction)
            .key("lines", false)
            .raw("[");
        for (i, l) in q.lines.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.line(l);
        }
        self.raw("]").key("postage", false);
        match &q.postage {
            Some(p) => self.postage(p),
            None => self.raw("null"),
        };
        self.key("postage_total", false)
            .money(q.postage_total)
            .key("procedure", false)
            .string(q.procedure)
            .key("procedure_name", false)
            .names(q.procedure_name)
            .key("total", false)
            .money(q.total)
            .key("warnings", false)
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
        self.raw("{")
            .key("channel", true)
            .string(c.channel.as_str())
            .key("error", false);
        match &c.error {
            Some(e) => {
                self.raw("{")
                    .key("code", true)
                    .string(e.code)
                    .key("message", false)
                    .string(&e.message)
                    .raw("}");
            }
            None => {
                self.raw("null");
            }
        }
        self.key("quote", false);
        match &c.quote {
            Some(q) => self.quote(q),
            None => self.raw("null"),
        };
        self.key("total", false).opt_money(c.total).raw("}")
    }

    pub(crate) fn comparison(&mut self, c: &ChannelComparison) -> &mut Self {
        self.raw("{").key("channels", true).raw("[");
        for (i, ch) in c.channels.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.channel_quote(ch);
        }
        self.raw("]")
            .key("cheapest", false)
            .opt_string(c.cheapest.map(crate::Channel::as_str))
            .key("online_saving", false)
            .opt_money(c.online_saving)
            .raw("}")
    }
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn strings_are_escaped_like_serde() {
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
