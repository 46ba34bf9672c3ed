// The estimator sorts provinces with its own Vietnamese sort key (no ICU collator to load):
// the order must be Intl.Collator("vi")'s for every name the library has.
import { test } from "node:test";
import assert from "node:assert/strict";
import lephi from "./load.mjs";
import { viKey } from "../www/vi-order.js";

const byKey = (a, b) => (viKey(a) < viKey(b) ? -1 : viKey(a) > viKey(b) ? 1 : 0);

test("province names sort as Intl.Collator('vi') sorts them", () => {
  const engine = new lephi.Engine();
  const all = [...engine.jurisdictions("2024-01-01"), ...engine.jurisdictions("2026-01-01")];
  const names = [...new Set(all.map((j) => j.name.vi))];
  assert.ok(names.length > 60, `${names.length} names`);
  assert.deepEqual([...names].sort(byKey), [...names].sort(new Intl.Collator("vi").compare));
});

test("letters, then tones, in Vietnamese order", () => {
  const words = ["ba", "bà", "bả", "bã", "bá", "bạ", "bă", "bâ", "da", "đa", "o", "ô", "ơ", "u", "ư", "Ả", "a b"];
  assert.deepEqual([...words].sort(byKey), [...words].sort(new Intl.Collator("vi").compare));
});
