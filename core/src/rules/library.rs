//! [`RuleLibrary`]: a validated, indexed, immutable set of rule documents.

use std::collections::HashMap;
use std::sync::Arc;

use crate::date::Window;
use crate::model::{
    Adjustment, Confidence, DocumentHeader, FeeRule, Jurisdiction, Names, PostalSubsidy,
    PostalTariff, Procedure,
};
use crate::quote::result::StoredWarning;
use crate::quote::Citation;
use crate::{Error, Location, Rounding};

/// A rule source: a name for error locations (a path) and its text.
pub type Source<'a> = (&'a str, &'a str);

#[derive(Clone, Debug)]
pub(crate) struct DocEntry {
    pub header: DocumentHeader,
    pub file: String,
    /// The source text, hashed only when a fingerprint first needs it: hashing every file
    /// at load was a tenth of the load time, and most quotes use a few documents.
    pub text: Box<str>,
    pub sha256: std::sync::OnceLock<[u8; 32]>,
}

impl DocEntry {
    pub(crate) fn sha256(&self) -> &[u8; 32] {
        self.sha256.get_or_init(|| {
            use sha2::{Digest, Sha256};
            Sha256::digest(self.text.as_bytes()).into()
        })
    }
}

/// What a quote borrows from the library instead of copying, built once at load: the rule
/// id, name and legal basis, and the warning its source confidence calls for.
#[derive(Clone, Debug)]
pub(crate) struct Shared {
    pub id: Arc<str>,
    pub name: Arc<Names>,
    pub basis: Arc<Citation>,
    /// The `secondary_source` / `unverified_source` warning, when the rule is not verified.
    pub caution: Option<StoredWarning>,
}

impl Shared {
    pub(crate) fn new(
        header: &DocumentHeader,
        rule_id: &str,
        name: &Names,
        article: &str,
        confidence: Confidence,
    ) -> Shared {
        let id: Arc<str> = Arc::from(rule_id);
        Shared {
            caution: confidence_warning(&id, confidence),
            basis: Arc::new(Citation {
                document: header.id.clone(),
                number: header.number.clone(),
                article: article.to_string(),
                confidence,
            }),
            name: Arc::new(name.clone()),
            id,
        }
    }
}

/// The warning for a rule whose source is not verified against the legal text.
pub(crate) fn confidence_warning(rule: &Arc<str>, c: Confidence) -> Option<StoredWarning> {
    let (code, text) = match c {
        Confidence::Verified => return None,
        Confidence::Secondary => (
            "secondary_source",
            "comes from a secondary source (news or third-party data); check the official text",
        ),
        Confidence::Unverified => (
            "unverified_source",
            "is not verified against a legal text (memory or news reports only)",
        ),
    };
    Some(StoredWarning {
        code,
        message: format!("`{rule}` {text}").into(),
        rule: Some(rule.clone()),
    })
}

/// A procedure with its shared id and name.
#[derive(Clone, Debug)]
pub(crate) struct ProcEntry {
    pub p: Procedure,
    pub doc: usize,
    pub id: Arc<str>,
    pub name: Arc<Names>,
}

/// Texts of one postal zone, shared by quotes.
#[derive(Clone, Debug)]
pub(crate) struct ZoneTexts {
    pub zone: Arc<str>,
    /// `up to 100 g: 26000`.
    pub first: Arc<str>,
    /// `both directions: 40000`.
    pub both: Option<Arc<str>>,
}

#[derive(Clone, Debug)]
pub(crate) struct JurEntry {
    pub id: Arc<str>,
    pub j: Jurisdiction,
    pub window: Window,
    /// Itself first, then its parent, grandparent...
    pub ancestors: Vec<String>,
    /// The same, as jurisdiction numbers (see `jix` on rules).
    pub ancestor_ix: Vec<u32>,
    pub doc: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct FeeEntry {
    pub rule_id: String,
    pub doc: usize,
    pub rule: FeeRule,
    pub jurisdiction: String,
    /// The number of `jurisdiction`, to compare with `JurEntry::ancestor_ix`.
    pub jix: u32,
    pub window: Window,
    pub rounding: Rounding,
    pub confidence: Confidence,
    pub location: Location,
    /// Indices into `adjustments` that may touch this rule.
    pub adjustments: Vec<usize>,
    pub shared: Shared,
    pub item: Arc<str>,
    /// The computation text of a fixed amount (`fixed 135000`), which never changes.
    pub fixed_computation: Option<Arc<str>>,
}

#[derive(Clone, Debug)]
pub(crate) struct AdjEntry {
    pub rule_id: String,
    pub doc: usize,
    pub adj: Adjustment,
    pub jurisdiction: String,
    /// The number of `jurisdiction`, to compare with `JurEntry::ancestor_ix`.
    pub jix: u32,
    pub window: Window,
    pub confidence: Confidence,
    pub shared: Shared,
    /// `pay_percent 80`, `exempt`...
    pub effect: Arc<str>,
    /// The `proof_required` warning, when the adjustment needs proof.
    pub proof: Option<StoredWarning>,
}

#[derive(Clone, Debug)]
pub(crate) struct TariffEntry {
    pub rule_id: String,
    pub doc: usize,
    pub tariff: PostalTariff,
    pub jurisdiction: String,
    /// The number of `jurisdiction`, to compare with `JurEntry::ancestor_ix`.
    pub jix: u32,
    pub window: Window,
    pub confidence: Confidence,
    pub shared: Shared,
    /// Parallel to `tariff.zones`.
    pub zones: Vec<ZoneTexts>,
}

#[derive(Clone, Debug)]
pub(crate) struct SubsidyEntry {
    pub rule_id: String,
    pub doc: usize,
    pub subsidy: PostalSubsidy,
    pub jurisdiction: String,
    /// The number of `jurisdiction`, to compare with `JurEntry::ancestor_ix`.
    pub jix: u32,
    pub window: Window,
    pub confidence: Confidence,
    pub shared: Shared,
    pub payer: Arc<str>,
}

/// A validated rule library. Load it once ([`bundled`](Self::bundled) or
/// [`from_sources`](Self::from_sources)), then price any number of requests with
/// [`quote`](Self::quote).
///
/// ```
/// let lib = lephi::RuleLibrary::bundled()?;
/// assert!(lib.procedure("driver-licence.issue").is_some());
/// # Ok::<(), lephi::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct RuleLibrary {
    pub(crate) docs: Vec<DocEntry>,
    pub(crate) jurisdictions: super::keyed::Keyed<JurEntry>,
    pub(crate) procedures: super::keyed::Keyed<ProcEntry>,
    pub(crate) fees: super::keyed::Keyed<Vec<FeeEntry>>,
    pub(crate) adjustments: Vec<AdjEntry>,
    /// Indices into `adjustments` of those that apply to postage.
    pub(crate) postage_adjustments: Vec<usize>,
    pub(crate) tariffs: Vec<TariffEntry>,
    pub(crate) subsidies: Vec<SubsidyEntry>,
    /// Fingerprints already computed, by the sorted set of documents a quote used.
    pub(crate) fingerprints: FingerprintCache,
}

/// A memo of fingerprints by document set. A quote uses a handful of documents, and the same
/// sets recur, so hashing them once per set (not once per quote) keeps SHA-256 out of the
/// hot path. Bounded: when full it is cleared, never grown. Cloning gives an empty cache.
#[derive(Default)]
pub(crate) struct FingerprintCache(
    std::sync::RwLock<
        HashMap<Vec<usize>, Arc<str>, std::hash::BuildHasherDefault<super::keyed::StrHasher>>,
    >,
);

const FINGERPRINT_CACHE_MAX: usize = 4096;

impl Clone for FingerprintCache {
    fn clone(&self) -> Self {
        FingerprintCache::default()
    }
}

impl std::fmt::Debug for FingerprintCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FingerprintCache")
    }
}

/// A compiled file, ready for validation.
fn unpack(
    name: &str,
    f: super::compiled::CompiledFile,
) -> Result<super::validate::ParsedFile<'static>, Error> {
    let hash = super::compiled::unhex(&f.sha256).ok_or_else(|| {
        Error::new(crate::ErrorKind::RuleSyntax {
            message: format!(
                "compiled rule file `{}` has no valid SHA-256 (64 lowercase hex digits)",
                f.file
            ),
        })
        .at(Some(Location::start_of(name)))
    })?;
    let locs = f.at.to_locations(&f.file);
    Ok((
        f.file,
        super::validate::Origin::Hashed(hash),
        f.document,
        locs,
    ))
}

impl RuleLibrary {
    /// The Vietnamese library embedded in the crate (feature `bundled`, on by default). It is
    /// validated exactly like rules loaded at run time.
    ///
    /// # Errors
    /// Only if the embedded files are invalid, which the crate's tests rule out.
    pub fn bundled() -> Result<RuleLibrary, Error> {
        Self::bundled_with(&[])
    }

    /// The embedded library with more rule files: a source named like an embedded file
    /// (`vn/national/tt-63-2023-btc.yaml`) replaces it, any other is added. Everything is
    /// validated together.
    ///
    /// # Errors
    /// The first parse or validation error.
    ///
    /// ```
    /// let extra = "document: {id: my-doc, number: '1', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}";
    /// let lib = lephi::RuleLibrary::bundled_with(&[("mine.yaml", extra)])?;
    /// assert!(lib.procedures().any(|p| p.id == "driver-licence.issue"));
    /// let err = lephi::RuleLibrary::bundled_with(&[("bad.yaml", "document: [")]).unwrap_err();
    /// assert_eq!(err.location().map(|l| l.file.as_str()), Some("bad.yaml"));
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn bundled_with(sources: &[Source<'_>]) -> Result<RuleLibrary, Error> {
        let first = |mut errors: Vec<Error>| {
            if errors.is_empty() {
                Error::internal("validation failed without an error")
            } else {
                errors.swap_remove(0)
            }
        };
        let Some(compiled) = super::bundled::COMPILED else {
            let mut all: Vec<Source<'_>> = super::bundled::SOURCES
                .iter()
                .filter(|(name, _)| !sources.iter().any(|(n, _)| n == name))
                .copied()
                .collect();
            all.extend_from_slice(sources);
            return super::validate::build(&all).map_err(first);
        };
        let mut parsed = Vec::new();
        for f in super::compiled::read("rules/compiled.bin", compiled)? {
            if sources.iter().any(|(n, _)| *n == f.file) {
                continue;
            }
            parsed.push(unpack("rules/compiled.bin", f)?);
        }
        let mut errors = Vec::new();
        for (name, text) in sources {
            match super::parse::parse_with_locations(name, text) {
                Ok((doc, locs)) => parsed.push((
                    name.to_string(),
                    super::validate::Origin::Text(text),
                    doc,
                    locs,
                )),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(first(errors));
        }
        super::validate::build_parsed(parsed).map_err(first)
    }

    /// Whether [`bundled`](Self::bundled) reads the compiled form of the embedded files
    /// (`rules/compiled.bin`) rather than parsing their YAML; `false` when that file is stale
    /// or the `bundled` feature is off. Both give the same library.
    pub fn bundled_is_precompiled() -> bool {
        super::bundled::COMPILED.is_some()
    }

    /// Validates rule files and writes their compiled form: a short header, then each file
    /// (sorted by name) with its name, the SHA-256 of its text, the parsed document and the
    /// positions of its items, packed (see [`from_compiled`](Self::from_compiled)).
    /// `lephi compile -o rules/compiled.bin` keeps the embedded copy in step with `rules/`.
    ///
    /// # Errors
    /// Every parse or validation error of the sources.
    pub fn compile(sources: &[Source<'_>]) -> Result<Vec<u8>, Vec<Error>> {
        super::validate::build(sources)?;
        // By name; `slice::sort_by` would add its own code for this element type (1.3 KB gzip
        // in the `lephi` WebAssembly build).
        let order = crate::sort::sorted_indices(sources.len(), |a, b| {
            sources.get(a).map(|s| s.0) < sources.get(b).map(|s| s.0)
        });
        let mut files = Vec::with_capacity(sources.len());
        for &(name, text) in order.iter().filter_map(|&i| sources.get(i)) {
            let (document, locs) =
                super::parse::parse_with_locations(name, text).map_err(|e| vec![e])?;
            let digest = {
                use sha2::{Digest, Sha256};
                Sha256::digest(text.as_bytes())
            };
            files.push(super::compiled::CompiledFile {
                file: name.to_string(),
                sha256: super::compiled::hex(&digest),
                document,
                at: super::compiled::CompiledLocations::from_locations(&locs),
            });
        }
        super::compiled::write(&files).map_err(|e| vec![e])
    }

    /// Loads rule files in their compiled form (what [`compile`](Self::compile) and
    /// `lephi compile` write) and validates them exactly like YAML: errors name each file with
    /// the line and column of the item in its YAML. This is how a build without the `yaml`
    /// feature (the browser estimator's) loads rules at run time. The fingerprint uses the
    /// SHA-256 of the YAML text recorded for each file.
    ///
    /// # Errors
    /// `rule_syntax` at `name` for bytes that are not compiled rules of this version's rule
    /// model (it says to compile again), `limit_exceeded` for too many files, then any
    /// validation error.
    ///
    /// ```
    /// let yaml = "document: {id: d, number: '1', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}\njurisdictions: [{id: vn, name: {vi: Việt Nam}}]";
    /// # #[cfg(feature = "yaml")] {
    /// let compiled = lephi::RuleLibrary::compile(&[("d.yaml", yaml)]).map_err(|mut e| e.remove(0))?;
    /// let lib = lephi::RuleLibrary::from_compiled("rules.bin", &compiled)?;
    /// assert_eq!(lib.documents().count(), 1);
    /// assert_eq!(lib.fingerprint(), lephi::RuleLibrary::from_sources(&[("d.yaml", yaml)])?.fingerprint());
    /// # }
    /// let err = lephi::RuleLibrary::from_compiled("rules.bin", b"document: {id: d}").unwrap_err();
    /// assert_eq!(err.code(), "rule_syntax");
    /// assert_eq!(err.location().map(|l| l.file.as_str()), Some("rules.bin"));
    /// # Ok::<(), lephi::Error>(())
    /// ```
    pub fn from_compiled(name: &str, compiled: &[u8]) -> Result<RuleLibrary, Error> {
        let parsed = super::compiled::read(name, compiled)?
            .into_iter()
            .map(|f| unpack(name, f))
            .collect::<Result<Vec<_>, Error>>()?;
        super::validate::build_parsed(parsed).map_err(|mut errors| {
            if errors.is_empty() {
                Error::internal("validation failed without an error")
            } else {
                errors.swap_remove(0)
            }
        })
    }

    /// The embedded rule files as `(path, text)` pairs (empty without feature `bundled`).
    pub fn bundled_sources() -> &'static [(&'static str, &'static str)] {
        super::bundled::SOURCES
    }

    /// Loads and validates rule files given as `(name, text)` pairs; `name` is used in error
    /// locations. Files are independent of order.
    ///
    /// # Errors
    /// The first validation error; use [`check`](Self::check) to get all of them.
    pub fn from_sources(sources: &[Source<'_>]) -> Result<RuleLibrary, Error> {
        super::validate::build(sources).map_err(|mut errors| {
            if errors.is_empty() {
                Error::internal("validation failed without an error")
            } else {
                errors.swap_remove(0)
            }
        })
    }

    /// Validates rule files and returns every error found (empty when the files are valid).
    pub fn check(sources: &[Source<'_>]) -> Vec<Error> {
        match super::validate::build(sources) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }

    /// A procedure by id.
    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.get(id).map(|e| &e.p)
    }

    /// Every procedure, sorted by id.
    pub fn procedures(&self) -> impl Iterator<Item = &Procedure> {
        self.procedures.values().map(|e| &e.p)
    }

    /// Every jurisdiction, sorted by id.
    pub fn jurisdictions(&self) -> impl Iterator<Item = &Jurisdiction> {
        self.jurisdictions.values().map(|e| &e.j)
    }

    /// The headers of every document, sorted by id.
    pub fn documents(&self) -> impl Iterator<Item = &DocumentHeader> {
        self.docs.iter().map(|d| &d.header)
    }

    /// The `sha256:` fingerprint of the whole library (engine version and every file).
    pub fn fingerprint(&self) -> String {
        let mut all: Vec<usize> = (0..self.docs.len()).collect();
        self.fingerprint_of(&mut all).to_string()
    }

    /// The fingerprint of a set of documents (order and repeats do not matter).
    pub(crate) fn fingerprint_of(&self, ids: &mut Vec<usize>) -> Arc<str> {
        // Already sorted for the whole library (`fingerprint`), a few documents for a quote.
        crate::sort::small_sort(ids);
        ids.dedup();
        // A poisoned lock only means another thread panicked mid-insert; the map is still a
        // valid memo, so keep using it.
        if let Some(hit) = self
            .fingerprints
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(ids.as_slice())
        {
            return hit.clone();
        }
        let fp = self.hash_docs(ids);
        let mut map = self
            .fingerprints
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= FINGERPRINT_CACHE_MAX {
            map.clear();
        }
        let fp: Arc<str> = Arc::from(fp);
        map.insert(ids.clone(), fp.clone());
        fp
    }

    fn hash_docs(&self, sorted_ids: &[usize]) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"lephi ");
        h.update(crate::VERSION.as_bytes());
        for &i in sorted_ids {
            if let Some(d) = self.docs.get(i) {
                h.update(d.header.id.as_bytes());
                h.update(d.sha256());
            }
        }
        let mut s = String::with_capacity(71);
        s.push_str("sha256:");
        s.push_str(&super::compiled::hex(&h.finalize()));
        s
    }
}
