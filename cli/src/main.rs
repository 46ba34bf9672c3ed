//! `lephi`: quote, explain, compare, sources, procedures, check, test, catalog, schema, compile.
//! Exit codes: 0 ok, 1 quote or validation error (message on stderr), 2 usage error.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use lephi::{ApplicantKind, Channel, Direction, Lang, Request, RuleLibrary};

#[derive(Parser)]
#[command(
    name = "lephi",
    version,
    about = "Exact prices for Vietnamese administrative procedures"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Price a request; prints the result as canonical JSON.
    Quote(QuoteArgs),
    /// Print an itemised receipt.
    Explain {
        #[command(flatten)]
        q: QuoteArgs,
        /// Language: vi or en.
        #[arg(long, default_value = "vi")]
        lang: String,
    },
    /// Price the request on every channel and show the saving of going online.
    Compare(QuoteArgs),
    /// List the legal documents a quote of the request rests on: number, title, issuer, dates
    /// in force, how far it was checked, where to read it, and the library's notes.
    Sources(QuoteArgs),
    /// List procedures, optionally matching SEARCH (with or without diacritics).
    Procedures {
        /// Words to look for.
        search: Vec<String>,
        /// Load rules from this directory instead of the embedded library.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Validate the rule files of a directory.
    Check {
        /// Directory of rule files (`*.yaml`, read from its subdirectories too; linked
        /// directories are not followed).
        dir: PathBuf,
    },
    /// Run the test cases (`*.test.yaml`) beside the rule files of a directory.
    Test {
        /// Directory of rule files.
        dir: PathBuf,
        /// Report rules that no case exercises, and fail unless coverage is 100%.
        #[arg(long)]
        coverage: bool,
        /// Also change each figure of the rule files in turn (a number by one, a window's
        /// edge by a day), run every case against each change, and fail on a change that no
        /// case notices.
        #[arg(long)]
        mutants: bool,
    },
    /// Print the rule catalog (Markdown) of a directory or of the embedded library.
    Catalog {
        /// Load rules from this directory instead of the embedded library.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Compile the embedded library (or a directory) for `rules/compiled.bin`: validated,
    /// parsed and packed, so it loads without a YAML parser (`Engine.fromCompiled` in the
    /// browser).
    Compile {
        /// Compile the rules of this directory instead of the embedded library.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Write to this file (the output is binary; without it, to standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Print the JSON Schema of rule files (or, with --contract, of requests and results).
    Schema {
        /// The request/result contract shared by Rust, Python and JavaScript.
        #[arg(long)]
        contract: bool,
    },
}

#[derive(Args)]
struct QuoteArgs {
    /// Read the request JSON from stdin (other request flags are ignored).
    #[arg(long)]
    json: bool,
    /// Procedure id, e.g. driver-licence.issue.
    #[arg(short, long)]
    procedure: Option<String>,
    /// Jurisdiction: vn, vn/PROVINCE (e.g. vn/ha-tinh) or a GSO code.
    #[arg(short, long, default_value = "vn")]
    jurisdiction: String,
    /// Submission date, YYYY-MM-DD.
    #[arg(short, long)]
    date: Option<String>,
    /// in_person, postal, online_partial or online_full.
    #[arg(short, long, default_value = "in_person")]
    channel: String,
    /// Applicant kind: individual or organisation.
    #[arg(long, default_value = "individual")]
    kind: String,
    /// Applicant category (repeatable), e.g. student.
    #[arg(long = "category")]
    categories: Vec<String>,
    /// Input NAME=VALUE (repeatable), e.g. pages=3.
    #[arg(short, long = "input")]
    inputs: Vec<String>,
    /// Postage direction: send, return or both.
    #[arg(long)]
    postage: Option<String>,
    /// Postage zone, e.g. inner_city (with --postage).
    #[arg(long, requires = "postage")]
    zone: Option<String>,
    /// Dossier weight in grams (with --postage).
    #[arg(long, default_value_t = 100, requires = "postage")]
    weight: u32,
    /// The post office also collects the fees (adds the tariff's collection surcharge; with
    /// --postage).
    #[arg(long, requires = "postage")]
    collect_fees: bool,
    /// Load rules from this directory instead of the embedded library.
    #[arg(long)]
    rules: Option<PathBuf>,
}

struct Usage(String);

enum Fail {
    Usage(String),
    Lephi(lephi::Error),
    Io(String),
    /// Standard output was closed by its reader (`lephi procedures | head`): the command
    /// stops quietly, as the reader wanted no more.
    Closed,
    /// An engine error told in the language the command was asked for (`explain --lang vi`).
    Told(lephi::Error, Lang),
}

impl Fail {
    fn output(e: std::io::Error) -> Fail {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Fail::Closed
        } else {
            Fail::Io(format!("cannot write the output: {e}"))
        }
    }
}

/// `print!` to standard output, except that a failed write is a `Fail` (`println!` panics
/// when the reader of a pipe has gone).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*).map_err(Fail::output)?
    }};
}

/// `println!` to standard output; see [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(Fail::output)?
    }};
}

/// `eprintln!` that never panics (a closed standard error loses the message, nothing more).
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

impl From<lephi::Error> for Fail {
    fn from(e: lephi::Error) -> Self {
        Fail::Lephi(e)
    }
}
impl From<Usage> for Fail {
    fn from(u: Usage) -> Self {
        Fail::Usage(u.0)
    }
}

/// `(name, text)` files.
type Files = Vec<(String, String)>;

fn read_dir_sources(dir: &Path) -> Result<(Files, Files), Fail> {
    let mut rules = Vec::new();
    let mut tests = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .map_err(|e| Fail::Io(format!("cannot read `{}`: {e}", d.display())))?;
        for e in entries.flatten() {
            let p = e.path();
            // A linked directory is not followed (as Python's `Engine.from_dir` does not): a
            // link back up the tree would read the same files again and again, each copy a
            // duplicate id, until the OS refuses the path.
            let linked = e.file_type().is_ok_and(|t| t.is_symlink());
            if p.is_dir() {
                if !linked {
                    stack.push(p);
                }
                continue;
            }
            let name = p
                .strip_prefix(dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            if !name.ends_with(".yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&p)
                .map_err(|e| Fail::Io(format!("cannot read `{}`: {e}", p.display())))?;
            let shown = dir.join(&name).to_string_lossy().to_string();
            if name.ends_with(".test.yaml") {
                tests.push((shown, text));
            } else {
                rules.push((shown, text));
            }
        }
    }
    // A directory without rule files is a mistake (a wrong path in CI would pass `check`
    // with "0 rule files ok", and `--rules` would price with an empty library).
    if rules.is_empty() {
        return Err(Fail::Io(format!(
            "no rule files (*.yaml other than *.test.yaml) in `{}`",
            dir.display()
        )));
    }
    rules.sort();
    tests.sort();
    Ok((rules, tests))
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

fn library(dir: &Option<PathBuf>) -> Result<RuleLibrary, Fail> {
    match dir {
        None => Ok(RuleLibrary::bundled()?),
        Some(d) => {
            let (rules, _) = read_dir_sources(d)?;
            Ok(RuleLibrary::from_sources(&pairs(&rules))?)
        }
    }
}

fn request(a: &QuoteArgs) -> Result<Request, Fail> {
    if a.json {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Fail::Io(e.to_string()))?;
        if text.trim().is_empty() {
            return Err(Fail::Usage(
                "--json reads the request from stdin, which was empty: pipe one in, e.g. \
                 echo '{\"procedure\":\"driver-licence.issue\",\"date\":\"2024-05-01\"}' | lephi quote --json"
                    .into(),
            ));
        }
        return Ok(Request::from_json(&text)?);
    }
    let procedure = a
        .procedure
        .as_deref()
        .ok_or_else(|| Usage("--procedure is required (or --json)".into()))?;
    let date = a
        .date
        .as_deref()
        .ok_or_else(|| Usage("--date YYYY-MM-DD is required (or --json)".into()))?;
    let channel = Channel::parse(&a.channel).ok_or_else(|| {
        Usage(format!(
            "unknown channel `{}` (in_person, postal, online_partial, online_full)",
            a.channel
        ))
    })?;
    let kind = match ApplicantKind::parse(&a.kind) {
        Some(kind) => kind,
        None => {
            return Err(Usage(format!(
                "unknown applicant kind `{}` (individual, organisation)",
                a.kind
            ))
            .into())
        }
    };
    let mut req = Request::new(procedure, date)?
        .with_jurisdiction(&a.jurisdiction)
        .with_channel(channel)
        .with_applicant_kind(kind);
    for c in &a.categories {
        req = req.with_category(c);
    }
    for kv in &a.inputs {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| Usage(format!("--input `{kv}` is not NAME=VALUE")))?;
        req = match v.parse::<u64>() {
            Ok(n) if k != "declared_value" && k != "base_amount" => req.with_input(k, n),
            _ => req.with_input(k, v),
        };
    }
    if let Some(d) = &a.postage {
        let Some(dir) = Direction::parse(d) else {
            return Err(Usage(format!(
                "unknown postage direction `{d}` (send, return, both)"
            ))
            .into());
        };
        let zone = a
            .zone
            .as_deref()
            .ok_or_else(|| Usage("--zone is required with --postage".into()))?;
        req = req.with_postage(dir, zone, a.weight);
        if let Some(p) = req.postage.as_mut() {
            p.collect_fees = a.collect_fees;
        }
    }
    Ok(req)
}

fn run(cli: Cli) -> Result<(), Fail> {
    match cli.cmd {
        Cmd::Quote(a) => {
            let lib = library(&a.rules)?;
            let q = lib.quote(&request(&a)?)?;
            outln!("{}", q.to_json());
        }
        Cmd::Explain { q, lang } => {
            let lang = Lang::parse(&lang)
                .ok_or_else(|| Usage(format!("unknown language `{lang}` (vi, en)")))?;
            let lib = library(&q.rules)?;
            let quote = lib.quote(&request(&q)?).map_err(|e| Fail::Told(e, lang))?;
            out!("{}", lephi::explain(&quote, lang));
        }
        Cmd::Compare(a) => {
            let lib = library(&a.rules)?;
            let c = lib.compare_channels(&request(&a)?)?;
            for ch in &c.channels {
                match (&ch.total, &ch.error) {
                    (Some(t), _) => outln!(
                        "{:<15} {}",
                        ch.channel.as_str(),
                        lephi::format_vnd(t.decimal())
                    ),
                    (None, Some(e)) => outln!("{:<15} error: {}", ch.channel.as_str(), e.message),
                    _ => {}
                }
            }
            if let Some(s) = c.online_saving {
                outln!("online saving   {}", lephi::format_vnd(s.decimal()));
            }
        }
        Cmd::Sources(a) => {
            let lib = library(&a.rules)?;
            let req = request(&a)?;
            for d in lib.sources(&req)? {
                let to = d
                    .in_force_to
                    .map(|t| format!(" to {t}"))
                    .unwrap_or_default();
                outln!("{} — {}", d.number, d.title);
                outln!(
                    "  {} · {} · {} · in force from {}{to} · {}",
                    d.id,
                    d.kind.as_str(),
                    d.issuer,
                    d.in_force_from,
                    d.confidence.as_str()
                );
                if let Some(url) = &d.url {
                    outln!("  {url}");
                }
                // Only the document that lists the procedure can be out of force here.
                if d.kind != lephi::model::DocumentKind::Registry && !d.in_force_on(req.date) {
                    let replaced = d
                        .replaced_by
                        .as_ref()
                        .map(|r| format!(", replaced by {r}"))
                        .unwrap_or_default();
                    outln!(
                        "  not in force on {}{replaced}: the library lists the procedure under it; the amounts come from documents in force on that date",
                        req.date
                    );
                }
                if let Some(notes) = &d.notes {
                    outln!("  note: {notes}");
                }
            }
        }
        Cmd::Procedures { search, rules } => {
            let lib = library(&rules)?;
            let q = search.join(" ");
            let found = lib.search_procedures(&q);
            for p in &found {
                outln!("{:<48} {}", p.id, p.name.vi);
            }
            // Nothing found is an answer, not an error: said on stderr, exit code 0.
            if found.is_empty() {
                errln!(
                    "no procedure matches `{q}`: every word must appear in its id, Vietnamese or \
                     English name, codes or keywords (with or without diacritics); \
                     `lephi procedures` lists them all"
                );
            }
        }
        Cmd::Check { dir } => {
            let (rules, _) = read_dir_sources(&dir)?;
            let errors = RuleLibrary::check(&pairs(&rules));
            if errors.is_empty() {
                outln!("{} rule files ok", rules.len());
            } else {
                for e in &errors {
                    errln!("error[{}]: {e}", e.code());
                }
                return Err(Fail::Io(format!("{} error(s)", errors.len())));
            }
        }
        Cmd::Test {
            dir,
            coverage,
            mutants,
        } => {
            let (rules, tests) = read_dir_sources(&dir)?;
            let lib = RuleLibrary::from_sources(&pairs(&rules))?;
            let report = lephi::testing::run(&lib, &pairs(&tests))?;
            for f in &report.failures {
                errln!("FAIL {}: {}: {}", f.location, f.name, f.message);
            }
            if coverage {
                for u in &report.uncovered {
                    outln!("uncovered: {u}");
                }
                let covered = report.coverable.saturating_sub(report.uncovered.len());
                outln!("coverage: {covered}/{} rules exercised", report.coverable);
            }
            outln!("{} passed, {} failed", report.passed, report.failures.len());
            if !report.failures.is_empty() || (coverage && !report.uncovered.is_empty()) {
                return Err(Fail::Io("rule tests failed".into()));
            }
            if mutants {
                let m = lephi::testing::mutants(&pairs(&rules), &pairs(&tests))?;
                for s in &m.survivors {
                    outln!(
                        "survived: {}: `{}: {}` → `{}` and every case still passes",
                        s.location,
                        s.key,
                        s.from,
                        s.to
                    );
                }
                outln!(
                    "mutants: {} tried, {} refused by the validator, {} noticed by a case, {} survived",
                    m.tried,
                    m.refused,
                    m.tried
                        .saturating_sub(m.refused)
                        .saturating_sub(m.survivors.len()),
                    m.survivors.len()
                );
                if !m.survivors.is_empty() {
                    return Err(Fail::Io("figures no case checks".into()));
                }
            }
        }
        Cmd::Catalog { rules } => {
            let lib = library(&rules)?;
            out!("{}", lephi::catalog::render(&lib));
        }
        Cmd::Compile { rules, output } => {
            let from_dir = match &rules {
                Some(d) => Some(read_dir_sources(d)?.0),
                None => None,
            };
            let compiled = match &from_dir {
                Some(files) => RuleLibrary::compile(&pairs(files)),
                None => RuleLibrary::compile(RuleLibrary::bundled_sources()),
            };
            let bytes = compiled.map_err(|errors| {
                for e in &errors {
                    errln!("error[{}]: {e}", e.code());
                }
                Fail::Io(format!("{} error(s)", errors.len()))
            })?;
            match output {
                Some(path) => std::fs::write(&path, bytes)
                    .map_err(|e| Fail::Io(format!("{}: {e}", path.display())))?,
                None => {
                    use std::io::Write as _;
                    std::io::stdout().write_all(&bytes).map_err(Fail::output)?;
                }
            }
        }
        Cmd::Schema { contract: false } => out!("{}", lephi::schema::rule_schema()),
        Cmd::Schema { contract: true } => out!("{}", lephi::schema::contract_schema()),
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Usage(m)) => {
            errln!("usage error: {m}");
            ExitCode::from(2)
        }
        Err(Fail::Lephi(e)) => {
            errln!("error[{}]: {e}", e.code());
            ExitCode::from(1)
        }
        Err(Fail::Io(m)) => {
            errln!("error: {m}");
            ExitCode::from(1)
        }
        Err(Fail::Closed) => ExitCode::SUCCESS,
        Err(Fail::Told(e, lang)) => {
            errln!("error[{}]: {}", e.code(), e.text(lang));
            ExitCode::from(1)
        }
    }
}
