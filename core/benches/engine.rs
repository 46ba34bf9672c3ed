//! criterion benchmarks: one quote (fixed fee + online discount + postage), the same with the
//! explanation, the same from request JSON to result JSON, and loading the whole embedded library. Figures go in benches/README.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

#[allow(dead_code)]
#[path = "../tests/common.rs"]
mod common;
use lephi::{Channel, Direction, Lang, Request, RuleLibrary};

fn benches(c: &mut Criterion) {
    let lib = RuleLibrary::bundled().unwrap();
    let req = Request::new("driver-licence.issue", "2024-05-01")
        .unwrap()
        .with_jurisdiction("vn/ha-tinh")
        .with_channel(Channel::OnlineFull)
        .with_postage(Direction::Return, "inner_city", 100);
    assert_eq!(lib.quote(&req).unwrap().total.to_string(), "125000");
    c.bench_function("quote: fixed + online discount + postage", |b| {
        b.iter(|| lib.quote(black_box(&req)).unwrap())
    });
    c.bench_function("quote + explain (vi)", |b| {
        b.iter(|| lephi::explain(&lib.quote(black_box(&req)).unwrap(), Lang::Vi))
    });
    // What Python's `quote_json` and WebAssembly's `quoteJson` run: request JSON in, canonical
    // result JSON out.
    let json = r#"{"procedure":"driver-licence.issue","date":"2024-05-01","jurisdiction":"vn/ha-tinh","channel":"online_full","postage":{"direction":"return","zone":"inner_city","weight_grams":100}}"#;
    assert!(lib.quote_json(json).contains(r#""total":"125000""#));
    c.bench_function("quote_json: request JSON → result JSON", |b| {
        b.iter(|| lib.quote_json(black_box(json)))
    });
    // The request alone: lephi's reader, and serde_json through the derived `Deserialize`.
    c.bench_function("request JSON → Request (lephi's reader)", |b| {
        b.iter(|| Request::from_json(black_box(json)).unwrap())
    });
    c.bench_function("request JSON → Request (serde_json, derived)", |b| {
        b.iter(|| serde_json::from_str::<Request>(black_box(json)).unwrap())
    });
    c.bench_function("load the embedded library", |b| {
        b.iter(|| RuleLibrary::bundled().unwrap())
    });
    // Rule text as `Engine.fromRules` and `lephi check` read it: every YAML file of `rules/`,
    // read, validated and indexed.
    let texts: Vec<(String, String)> = common::yaml_files(&common::root().join("rules"))
        .into_iter()
        .filter(|(name, _)| !name.ends_with(".test.yaml"))
        .collect();
    let sources: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    c.bench_function("load the library from its YAML files", |b| {
        b.iter(|| RuleLibrary::from_sources(black_box(&sources)).unwrap())
    });
    // A large rule text: the jurisdictions file after 1 MB of comment lines. Finding its 250
    // items' lines and columns scanned from the start for each one (2026-12-07: 50 ms).
    let jurisdictions = texts
        .iter()
        .find(|(n, _)| n == "vn/jurisdictions.yaml")
        .map(|(_, t)| t.as_str())
        .unwrap();
    let large = format!(
        "{}{jurisdictions}",
        "# a comment line of forty characters..\n".repeat(25_000)
    );
    c.bench_function(
        "load a 1 MB rule file (250 items after 1 MB of comments)",
        |b| {
            b.iter(|| {
                RuleLibrary::from_sources(black_box(&[("vn/jurisdictions.yaml", large.as_str())]))
                    .unwrap()
            })
        },
    );
}

criterion_group!(engine, benches);
criterion_main!(engine);
