// Size and speed of the WebAssembly package in Node (not a test): `node scripts/bench.mjs`
// after `npm run build`. The chromium figures come from test/estimator.test.mjs
// (test-results/browser-timings.json). Record both in benches/README.md.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import lephi, { pkgDir } from "../test/load.mjs";

const gz = (f) => gzipSync(readFileSync(join(pkgDir, f)), { level: 9 }).length;
const raw = (f) => readFileSync(join(pkgDir, f)).length;
for (const [name, dir] of [["lephi", "pkg"], ["lephi/lite", "pkg/lite"]]) {
  const wasm = `${dir}/lephi_bg.wasm`;
  const js = `${dir}/lephi.js`;
  console.log(`${name}: lephi_bg.wasm ${raw(wasm)} B, gzip -9 ${gz(wasm)} B; lephi.js gzip -9 ${gz(js)} B; wasm + js gzip -9 ${gz(wasm) + gz(js)} B`);
}

const engine = new lephi.Engine();
const req = { procedure: "driver-licence.issue", date: "2024-05-01", jurisdiction: "vn/ha-tinh", channel: "online_full", postage: { direction: "return", zone: "inner_city", weight_grams: 100 } };
const json = JSON.stringify(req);
function time(name, f, n = 20000) {
  for (let i = 0; i < 1000; i++) f();
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    runs.push(Number(process.hrtime.bigint() - t) / n / 1000);
  }
  runs.sort((a, b) => a - b);
  console.log(`${name}: ${runs[2].toFixed(2)} µs (median of 5)`);
}
time("quote(object) → object", () => engine.quote(req));
time("quoteJson(text) → text", () => engine.quoteJson(json));
const t0 = process.hrtime.bigint();
const e2 = new lephi.Engine();
e2.quote(req);
console.log(`new Engine() + first quote: ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)} ms`);
