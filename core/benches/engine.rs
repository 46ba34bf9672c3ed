//! criterion benchmarks: one quote (fixed fee + online discount + postage), the same with the
//! explanation, and loading the whole embedded library. Figures go in benches/README.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
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
    c.bench_function("load the embedded library", |b| {
        b.iter(|| RuleLibrary::bundled().unwrap())
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
