// The size budget of the estimator's build (issue #5: ≤ 150 KB gzipped, wasm + JS glue, with
// and without the embedded library). Sizes are deterministic for a toolchain, so this guards
// against a change that brings back serde_json's reader, a float printer or a YAML parser.
// `node scripts/bench.mjs` prints every build's size; benches/README.md records them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { pkgDir } from "./load.mjs";

const gz = (file) => gzipSync(readFileSync(join(pkgDir, file)), { level: 9 }).length;

test("lephi/lite with the embedded library is at most 150 KB gzipped (wasm + JS)", () => {
  const size = gz("pkg/lite/lephi_bg.wasm") + gz("pkg/lite/lephi.js");
  assert.ok(size <= 150_000, `lephi/lite is ${size} B gzipped`);
});
