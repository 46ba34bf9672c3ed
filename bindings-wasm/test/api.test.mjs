import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import full, { builds, lite, root } from "./load.mjs";

const licence = { procedure: "driver-licence.issue", date: "2024-05-01" };

// The same API in both builds.
for (const [name, lephi] of Object.entries(builds)) {
  const engine = new lephi.Engine();


  test(`${name}: quote returns decimal strings with citations`, () => {
    const q = engine.quote({ ...licence, channel: "online_full" });
    assert.equal(q.total, "115000");
    assert.equal(q.lines[0].basis.number, "37/2023/TT-BTC");
    assert.equal(q.lines[0].adjustments[0].basis.number, "63/2023/TT-BTC");
    assert.match(q.fingerprint, /^sha256:[0-9a-f]{64}$/);
  });

  test(`${name}: the object API and the JSON API agree byte for byte`, () => {
    const req = { ...licence, jurisdiction: "vn/ha-tinh", channel: "online_full", postage: { direction: "return", zone: "inner_city", weight_grams: 100 } };
    const viaObject = engine.quote(req);
    const viaJson = JSON.parse(engine.quoteJson(JSON.stringify(req)));
    assert.deepEqual(viaObject, viaJson);
    assert.equal(viaObject.postage.subsidy, "16000");
    assert.equal(viaObject.total, "125000");
    // `organization` is read as `organisation`, as the CLI and Python's batch columns read it.
    assert.equal(engine.quoteJson(JSON.stringify({ ...licence, applicant: { kind: "organization" } })),
      engine.quoteJson(JSON.stringify({ ...licence, applicant: { kind: "organisation" } })));
  });

  test(`${name}: postalZones lists the zones a postage request may name there and then`, () => {
    assert.deepEqual(engine.postalZones("vn/ha-tinh", "2024-05-01"), ["inner_city"]);
    assert.deepEqual(engine.postalZones("vn/khanh-hoa", "2024-05-01"), ["inter_district", "inter_province_distant_region", "inter_province_same_region", "intra_district"]);
    // Districts went with 2025-07-01, and so did the district-based tariffs.
    assert.deepEqual(engine.postalZones("vn/khanh-hoa", "2025-08-01"), []);
    assert.deepEqual(engine.postalZones("vn/ha-noi", "2024-05-01"), []);
    // Every zone listed prices.
    for (const zone of engine.postalZones("vn/khanh-hoa", "2024-05-01")) {
      assert.ok(engine.quote({ ...licence, jurisdiction: "vn/khanh-hoa", postage: { direction: "send", zone, weight_grams: 100 } }).postage);
    }
    // The engine has words for the zones it lists (what the estimator shows).
    const words = new Map(lephi.zoneNames().map((z) => [z.id, z]));
    assert.deepEqual(words.get("inter_district"), { en: "between districts (in the province)", id: "inter_district", vi: "liên huyện (trong tỉnh)" });
    for (const zone of engine.postalZones("vn/khanh-hoa", "2024-05-01")) assert.ok(words.has(zone), zone);
    assert.throws(() => engine.postalZones("vn/ha-tinhh", "2024-05-01"), (e) => e.code === "unknown_jurisdiction" && e.details.candidates[0] === "vn/ha-tinh");
    assert.throws(() => engine.postalZones("vn/tien-giang", "2026-05-01"), (e) => e.code === "jurisdiction_not_in_force");
    assert.throws(() => engine.postalZones("vn/ha-tinh", "2024-13-01"), (e) => e.code === "request_invalid" && /is not a date/.test(e.message));
  });

  test(`${name}: errors are Error objects with a stable code and details`, () => {
    assert.throws(() => engine.quote({ procedure: "driver-licence.isue", date: "2024-05-01" }), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.code, "unknown_procedure");
      assert.deepEqual(e.details.candidates, ["driver-licence.issue"]);
      assert.match(e.message, /did you mean `driver-licence.issue`/);
      return true;
    });
    assert.throws(() => engine.quote({ ...licence, jurisdiction: "vn/tien-giang", date: "2026-05-01" }), (e) => e.code === "jurisdiction_not_in_force" && e.details.successors[0] === "vn/dong-thap");
    assert.throws(() => engine.quote({ ...licence, date: "2019-01-01" }), (e) => e.code === "date_outside_windows");
  });

  test(`${name}: a text argument given anything but text is a typed error, and the engine goes on`, () => {
    // Through a `&str` parameter, the glue copied a number into wasm memory as if it were a
    // string: `RuntimeError: memory access out of bounds`, with no code.
    const typed = (f, name, value) => assert.throws(f, (e) =>
      e instanceof Error && e.code === "invalid_input" && e.details.name === name && e.details.value === value, `${name} = ${value}`);
    typed(() => engine.procedures(5), "search", "5");
    if (name === "lephi") {
      typed(() => lephi.Engine.fromRules(["document: {}", 5]), "rules[1]", "5");
      typed(() => lephi.compileRules([null]), "rules[0]", "(missing)");
    }
    typed(() => engine.jurisdictions(20240501), "date", "20240501");
    typed(() => engine.jurisdictions({}), "date", "(not text)");
    typed(() => engine.postalZones(null, "2024-05-01"), "jurisdiction", "(missing)");
    typed(() => engine.postalZones("vn/ha-tinh", new Date()), "date", "(not text)");
    typed(() => engine.explain(licence, 1), "lang", "1");
    typed(() => lephi.amountInWords("1", ["vi"]), "lang", "(not text)");
    typed(() => lephi.warningText({ code: "c", message: "m" }, NaN), "lang", "NaN");
    const { error } = JSON.parse(engine.quoteJson(licence));
    assert.deepEqual([error.code, error.message], ["request_invalid", "invalid request: quoteJson takes the request as JSON text (JSON.stringify(request)); quote(request) takes the object"]);
    // Left out or null, an optional text is its default.
    assert.equal(engine.procedures(null).length, engine.procedures().length);
    assert.equal(engine.explain(licence, undefined), engine.explain(licence, "vi"));
    assert.equal(lephi.amountInWords("115000", null), "Một trăm mười lăm nghìn đồng");
    assert.equal(engine.quote(licence).total, "135000");
  });

  test(`${name}: a JS number for money is a clear error`, () => {
    const req = { procedure: "registration-fee.house-land", date: "2024-05-01", inputs: { declared_value: 1000000000 } };
    assert.throws(() => engine.quote(req), (e) => e.code === "invalid_input" && /decimal string/.test(e.message));
    assert.equal(engine.quote({ ...req, inputs: { declared_value: "1000000000" } }).total, "5000000");
    assert.throws(() => lephi.formatVnd(1.5), (e) => e.code === "invalid_input");
    assert.throws(() => engine.quote({ ...licence, inputs: { copies: 1.5 } }), (e) => e.code === "request_invalid");
    // NaN and Infinity (JSON.stringify would send `null`) are named as given, with what the
    // input takes.
    assert.throws(() => engine.quote({ ...req, inputs: { declared_value: Infinity } }), (e) =>
      e.code === "invalid_input" && e.details.value === "Infinity" && /decimal string/.test(e.message));
    assert.throws(() => engine.quote({ ...licence, inputs: { copies: NaN } }), (e) =>
      e.code === "invalid_input" && e.details.name === "copies" && e.details.value === "NaN" &&
      e.message === "invalid input `copies` = `NaN` (expected a whole number ≥ 1)");
    assert.throws(() => engine.quote({ ...licence, inputs: { sheets: -Infinity } }), (e) =>
      e.code === "invalid_input" && e.details.value === "-Infinity");
    assert.throws(() => engine.quote({ ...req, inputs: { declared_value: 1e300 } }), (e) => e.details.value === "1e+300");
  });

  test(`${name}: compareChannels, missingInputs, explain`, () => {
    const c = engine.compareChannels(licence);
    assert.equal(c.online_saving, "20000");
    const need = engine.missingInputs({ procedure: "certified-copy.from-original", date: "2024-05-01" });
    assert.ok(need.some((n) => n.name === "pages" && n.required));
    const [zone] = engine.missingInputs({ procedure: "registration-fee.motorbike", date: "2024-05-01" });
    assert.deepEqual(zone.choices.map((c) => [c.value, c.label.vi, c.label.en]), [["first", "Lần đầu", "First registration"], ["later", "Lần thứ hai trở đi", "Second or later registration"]]);
    assert.match(engine.explain({ ...licence, channel: "online_full" }), /Một trăm mười lăm nghìn đồng/);
    assert.match(engine.explain({ ...licence, channel: "online_full" }, "en"), /One hundred fifteen thousand/);
    // A driving test asks how often each part is sat: once unless told, 0 for a part passed.
    const test = { procedure: "driving-test.car", date: "2026-03-02" };
    const sittings = engine.missingInputs(test);
    assert.deepEqual(sittings.map((n) => [n.name, n.min, n.default, n.required]), [
      ["theory_sittings", 0, "1", false], ["simulation_sittings", 0, "1", false],
      ["circuit_sittings", 0, "1", false], ["road_sittings", 0, "1", false]]);
    assert.equal(engine.quote(test).total, "630000");
    assert.equal(engine.quote({ ...test, inputs: { theory_sittings: 0, simulation_sittings: 0, circuit_sittings: 2 } }).total, "780000");
  });

  test(`${name}: sources lists the documents a quote rests on, with their notes`, () => {
    const req = { ...licence, jurisdiction: "vn/ha-tinh", channel: "online_full", postage: { direction: "return", zone: "inner_city", weight_grams: 100 } };
    const sources = engine.sources(req);
    assert.deepEqual(sources.map((d) => d.id), ["ht-bcci-return-subsidy", "tt-37-2023-btc", "tt-63-2023-btc", "vn-jurisdictions"]);
    const [subsidy] = sources;
    assert.equal(subsidy.confidence, "unverified");
    assert.equal(subsidy.in_force_from, "2023-01-01");
    assert.ok(!("in_force_to" in subsidy));
    assert.match(subsidy.notes, /^From news reports of 2022–2023 only/);
    assert.equal(sources[2].number, "63/2023/TT-BTC");
    // Every document the quote cites is among them.
    const ids = new Set(sources.map((d) => d.id));
    for (const line of engine.quote(req).lines) assert.ok(ids.has(line.basis.document), line.basis.document);
    assert.throws(() => engine.sources({ ...licence, date: "1990-01-01" }), (e) => e.code === "date_outside_windows");
    assert.throws(() => engine.sources({ procedure: "registration-fee.house-land", date: "2024-05-01", inputs: { declared_value: 1e9 } }), (e) => e.code === "invalid_input");
  });

  test(`${name}: procedures search ignores diacritics; jurisdictions by date`, () => {
    const a = engine.procedures("hộ chiếu").map((p) => p.id);
    const b = engine.procedures("ho chieu").map((p) => p.id);
    assert.deepEqual(a, b);
    assert.ok(a.includes("passport.issue"));
    // decomposed text (NFD), as some keyboards and pasted file names give it
    assert.deepEqual(engine.procedures("HỘ CHIẾU".normalize("NFD")).map((p) => p.id), a);
    const old = engine.jurisdictions("2024-01-01").map((j) => j.id);
    const now = engine.jurisdictions("2026-01-01").map((j) => j.id);
    assert.ok(old.includes("vn/tien-giang") && !now.includes("vn/tien-giang") && now.includes("vn/dong-thap"));
  });

  test(`${name}: formatVnd, amountInWords, version`, () => {
    assert.equal(lephi.formatVnd("1234567"), "1.234.567\u00a0₫");
    assert.equal(lephi.amountInWords("115000"), "Một trăm mười lăm nghìn đồng");
    assert.match(lephi.amountInWords("21", "en"), /^Twenty-one/);
    assert.match(lephi.version(), /^\d+\.\d+\.\d+$/);
    // The engine's form of amounts, signed; `1_000` (which Rust's decimal parser
    // took as 1000), `+5` and exponents are refused, as money in a request is.
    assert.equal(lephi.formatVnd("-20000.50"), "-20.000,5\u00a0₫");
    for (const bad of ["1_000", "+5", "1e6", ".5"]) {
      assert.throws(() => lephi.formatVnd(bad), (e) => e.code === "invalid_input" && e.message.includes('"-20000.5"'), bad);
    }
  });

  test(`${name}: warningText gives a quote's warnings in Vietnamese or as the English message`, () => {
    const q = engine.quote({ procedure: "judicial-record.certificate", date: "2024-05-01", applicant: { kind: "individual", categories: ["student"] } });
    const proof = q.warnings.find((w) => w.code === "proof_required");
    assert.ok(proof, JSON.stringify(q.warnings));
    assert.equal(lephi.warningText(proof, "en"), proof.message);
    assert.match(lephi.warningText(proof), /^`tt-244-2016-btc\/reduced-groups` chỉ áp dụng khi có giấy tờ chứng minh: giấy tờ/);
    const secondary = engine.quote({ procedure: "driver-licence.issue", date: "2024-05-01" }).warnings.find((w) => w.code === "secondary_source");
    assert.match(lephi.warningText(secondary, "vi"), /lấy từ nguồn thứ cấp/);
    // Without a Vietnamese rendering, the message stands.
    assert.equal(lephi.warningText({ code: "input_ignored", message: "`pages` is not used", rule: null }), "`pages` is not used");
    assert.throws(() => lephi.warningText({ code: "secondary_source" }), (e) => e.code === "invalid_input" && /\{code, message, rule\}/.test(e.message));
    assert.throws(() => lephi.warningText("secondary_source"), (e) => e.code === "invalid_input");
    assert.throws(() => lephi.warningText(proof, "fr"), (e) => e.code === "invalid_input" && /`vi` or `en`/.test(e.message));
  });

  test(`${name}: errors carry their message in Vietnamese too (details.message_vi)`, () => {
    assert.throws(() => engine.quote({ procedure: "passport.issue", date: "2000-01-01" }), (e) =>
      e.code === "date_outside_windows" &&
      e.message.startsWith("no rule for `passport.issue` is in force on `2000-01-01`") &&
      e.details.message_vi.startsWith("chưa có quy định nào về `passport.issue` có hiệu lực vào ngày `2000-01-01`"));
    // What an input takes reads in Vietnamese too, not as an English phrase in a Vietnamese sentence.
    assert.throws(() => engine.quote({ procedure: "civil-status.extract-copy", date: "2024-05-01", inputs: { copies: 0 } }), (e) =>
      e.code === "invalid_input" &&
      e.details.message_vi === "giá trị `0` của `copies` không hợp lệ (cần một số nguyên từ 1 đến 1000000)");
    assert.throws(() => engine.quote({ procedure: "registration-fee.car", date: "2024-05-01", inputs: { declared_value: 800000000 } }), (e) =>
      e.code === "invalid_input" && /\(cần số tiền dạng chuỗi số thập phân, ví dụ "800000000" \(số của JavaScript không chính xác\)\)$/.test(e.details.message_vi));
    // A request the reader refuses: the same message as Rust, and in Vietnamese.
    assert.throws(() => engine.quote({ procedure: "p", date: "2024-01-01", colour: "red" }), (e) =>
      e.code === "request_invalid" &&
      e.message.endsWith("unknown field `colour`, expected one of `procedure`, `jurisdiction`, `date`, `channel`, `applicant`, `inputs`, `postage` at line 1 column 38") &&
      e.details.message_vi.startsWith("yêu cầu không hợp lệ: không có trường `colour` (các trường hợp lệ: `procedure`"));
  });

  test(`${name}: fromCompiled validates with locations and limits`, () => {
    const compiled = full.compileRules(readFileSync(join(root, "tests", "conformance", "rules", "engine.yaml"), "utf8"));
    const e = lephi.Engine.fromCompiled(compiled);
    assert.equal(e.quote({ procedure: "e.fixed", jurisdiction: "vn/b", date: "2024-08-01" }).total, "100000");
    assert.ok(compiled instanceof Uint8Array);
    assert.throws(() => lephi.Engine.fromCompiled(new TextEncoder().encode("document: {id: d}")), (e) => e.code === "rule_syntax" && e.details.file === "compiled-rules.bin" && /compile/.test(e.message));
    assert.throws(() => lephi.Engine.fromCompiled(compiled.subarray(0, compiled.length - 5)), (e) => e.code === "rule_syntax" && /damaged/.test(e.message));
    assert.throws(() => lephi.Engine.fromCompiled(new Uint8Array(5 * 1024 * 1024)), (e) => e.code === "limit_exceeded");
    assert.throws(() => lephi.Engine.fromCompiled("lephi compiled rules"), (e) => e.code === "invalid_input" && /Uint8Array/.test(e.message));
    // The same library as from the YAML: same fingerprint, same quotes.
    const fromYaml = full.Engine.fromRules(readFileSync(join(root, "tests", "conformance", "rules", "engine.yaml"), "utf8"));
    assert.equal(e.fingerprint(), fromYaml.fingerprint());
    const req = JSON.stringify({ procedure: "e.value", jurisdiction: "vn/b", date: "2024-08-01", inputs: { declared_value: "12345678" } });
    assert.equal(e.quoteJson(req), fromYaml.quoteJson(req));
  });
}

test("lephi: fromRules validates with locations and limits", () => {
  assert.throws(() => full.Engine.fromRules("document: [unclosed"), (e) => e.code === "rule_syntax" && e.details.file === "rules-0.yaml" && e.details.line >= 1);
  assert.throws(() => full.Engine.fromRules("x".repeat(5 * 1024 * 1024)), (e) => e.code === "limit_exceeded");
  assert.throws(() => full.Engine.fromRules(42), (e) => e.code === "invalid_input");
  assert.throws(() => full.compileRules("document: [unclosed"), (e) => e.code === "rule_syntax" && e.details.file === "rules-0.yaml");
});

test("lephi: rule files read by lephi's YAML reader, with the same messages and places as Rust", () => {
  const head = "document: {id: d, number: '1', title: t, issuer: i, kind: circular, in_force_from: 2024-01-01, confidence: verified}\n";
  const bad = head + "procedures:\n  - id: p\n    name: {vi: P}\n    fees: [x]\n    colour: red\n";
  for (const text of [bad, bad.replaceAll("\n", "\r\n")]) {
    assert.throws(() => full.Engine.fromRules(text), (e) => e.code === "rule_syntax" && e.details.line === 6 && e.details.column === 5
      && e.message.includes("unknown field `colour`, expected one of `id`, `name`, `codes`, `fees`, `keywords`"));
  }
  assert.throws(() => full.Engine.fromRules(head + "procedures: &p []\n"), (e) => e.code === "rule_syntax" && e.details.line === 2 && e.details.column === 13
    && e.message.includes("anchors (`&`): rule files do not use this YAML feature"));
});

test("lephi/lite: no YAML parser; fromRules says what to use instead", () => {
  assert.equal(lite.compileRules, undefined);
  assert.throws(() => lite.Engine.fromRules("document: {id: d}"), (e) => e.code === "rule_syntax" && /Engine\.fromCompiled/.test(e.message) && e.details.file === "rules-0.yaml");
  assert.throws(() => lite.Engine.fromRules("x".repeat(5 * 1024 * 1024)), (e) => e.code === "limit_exceeded");
  assert.throws(() => lite.Engine.fromRules(42), (e) => e.code === "invalid_input");
});
