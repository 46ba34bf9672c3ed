//! Issue #6's shared workload in Rust (run by `benches/compare`, which writes the inputs):
//! `LEPHI_WORKLOAD_RULES` is the workload's rule file, `LEPHI_WORKLOAD_REQUESTS` a JSON array
//! of contract requests. The totals go to `LEPHI_WORKLOAD_TOTALS` (one per line) so compare can
//! check them against the reference before it reads criterion's timing. Without the variables
//! this bench measures nothing.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use lephi::{Request, RuleLibrary};

fn workload(c: &mut Criterion) {
    let (Ok(rules), Ok(requests)) = (
        std::env::var("LEPHI_WORKLOAD_RULES"),
        std::env::var("LEPHI_WORKLOAD_REQUESTS"),
    ) else {
        eprintln!("workload: LEPHI_WORKLOAD_RULES / LEPHI_WORKLOAD_REQUESTS not set; skipped");
        return;
    };
    let rules = std::fs::read_to_string(rules).expect("the workload rule file");
    let lib = RuleLibrary::from_sources(&[("workload.yaml", rules.as_str())]).expect("valid rules");
    let requests = std::fs::read_to_string(requests).expect("the workload requests");
    let requests: Vec<serde_json::Value> = serde_json::from_str(&requests).expect("a JSON array");
    let requests: Vec<Request> = requests
        .iter()
        .map(|r| Request::from_json(&r.to_string()).expect("a valid request"))
        .collect();
    let totals: Vec<String> = requests
        .iter()
        .map(|r| lib.quote(r).expect("priced").total.to_string())
        .collect();
    if let Ok(path) = std::env::var("LEPHI_WORKLOAD_TOTALS") {
        std::fs::write(path, totals.join("\n")).expect("writable totals file");
    }
    // One iteration prices every request once; compare divides by their number.
    c.bench_function("workload", |b| {
        b.iter(|| {
            for r in &requests {
                black_box(lib.quote(black_box(r)).ok());
            }
        })
    });
}

criterion_group!(benches, workload);
criterion_main!(benches);
