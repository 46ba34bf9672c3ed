// The allocator under churn: engines built and freed, quotes, refusals and one large rule text,
// over and over. Results must stay byte-identical to a fresh engine's, and the memory must stop
// growing once the first rounds have warmed it up (a leak or a failure to reuse freed blocks
// would grow it every round). The wasm allocator is `talc` (bindings-wasm/src/lib.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import full, { builds, memoryOf, root } from "./load.mjs";

const dir = join(root, "tests", "conformance", "cases");
const requests = readdirSync(dir)
  .filter((f) => f.endsWith(".json") && !f.endsWith(".expected.json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")))
  .map((c) => [c.library, JSON.stringify(c.request)]);
const compiled = full.compileRules(readFileSync(join(root, "tests", "conformance", "rules", "engine.yaml"), "utf8"));
const licence = { procedure: "driver-licence.issue", date: "2024-05-01", jurisdiction: "vn/ha-tinh", channel: "online_full" };

for (const [name, lephi] of Object.entries(builds)) {
  test(`${name}: memory is reused, and results stay the same, through churn`, () => {
    assert.ok(requests.length >= 30);
    const engines = () => ({ bundled: new lephi.Engine(), engine: lephi.Engine.fromCompiled(compiled) });
    const quotes = (e) => requests.map(([library, r]) => attempt(() => e[library].quoteJson(r)));
    const fresh = engines();
    const expected = quotes(fresh);
    fresh.bundled.free();
    fresh.engine.free();
    const memory = memoryOf.get(lephi);
    const round = () => {
      const e = engines();
      assert.deepEqual(quotes(e), expected);
      e.engine.free();
      const engine = e.bundled;
      engine.compareChannels(licence);
      engine.explain(licence, "en");
      engine.procedures("hộ chiếu");
      assert.throws(() => engine.quote({ ...licence, date: "2024-02-30" }), (e) => e.code === "request_invalid");
      engine.free();
    };
    for (let i = 0; i < 10; i++) round();
    const warm = memory.buffer.byteLength;
    for (let i = 0; i < 50; i++) round();
    assert.equal(memory.buffer.byteLength, warm, `memory grew from ${warm} to ${memory.buffer.byteLength} bytes`);
  });

  test(`${name}: a large block given back is used again`, () => {
    const memory = memoryOf.get(lephi);
    const big = "x".repeat(5 * 1024 * 1024);
    // 5 MB into the module and refused, three times: only the first may grow the memory.
    assert.throws(() => lephi.Engine.fromRules(big), (e) => e.code === "limit_exceeded");
    const after = memory.buffer.byteLength;
    for (let i = 0; i < 2; i++) {
      assert.throws(() => lephi.Engine.fromRules(big), (e) => e.code === "limit_exceeded");
      new lephi.Engine().free();
    }
    assert.equal(memory.buffer.byteLength, after);
  });
}

function attempt(f) {
  try {
    return f();
  } catch (e) {
    return `${e.code}: ${e.message}`;
  }
}
