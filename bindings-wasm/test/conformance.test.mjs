// The shared cross-runtime cases of tests/conformance: the WebAssembly result must equal the
// expected JSON byte for byte (the same files Rust and Python run).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import full, { builds, root } from "./load.mjs";

const dir = join(root, "tests", "conformance", "cases");
const cases = readdirSync(dir).filter((f) => f.endsWith(".json") && !f.endsWith(".expected.json")).sort();
const engineYaml = readFileSync(join(root, "tests", "conformance", "rules", "engine.yaml"), "utf8");

test("there are conformance cases", () => assert.ok(cases.length >= 30));

// `lephi` reads the engine rules as YAML; `lephi/lite` reads them compiled (by `lephi`).
for (const [build, lephi] of Object.entries(builds)) {
  const engines = {
    bundled: new lephi.Engine(),
    engine: lephi.compileRules ? lephi.Engine.fromRules(engineYaml) : lephi.Engine.fromCompiled(full.compileRules(engineYaml)),
  };
  for (const name of cases) {
    test(`${build}: conformance: ${name}`, () => {
      const c = JSON.parse(readFileSync(join(dir, name), "utf8"));
      const expected = readFileSync(join(dir, name.replace(/\.json$/, ".expected.json")), "utf8").trimEnd();
      assert.equal(engines[c.library].quoteJson(JSON.stringify(c.request)), expected);
    });
  }
}
