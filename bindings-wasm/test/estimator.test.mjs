// End to end: the built estimator page in headless Debian chromium, driven by playwright-core.
// Picks a procedure, switches channel, checks the amounts shown against the engine, saves a
// screenshot, and records the in-browser timings (not asserted: speed is for benches/).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import lephi, { pkgDir, root } from "./load.mjs";
import { serve } from "../scripts/serve.mjs";
import { CHROMIUM, launch } from "../scripts/chromium.mjs";

const out = join(pkgDir, "test-results");
const engine = new lephi.Engine();
let server, browser, page, url;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (scripts/test-all does it)`);
  mkdirSync(out, { recursive: true });
  server = await serve(0);
  url = `http://127.0.0.1:${server.address().port}/www/`;
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  page.on("pageerror", (e) => { throw e; });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

const shown = async () => page.locator("#total").getAttribute("data-total");

/** Opens `at` in `p`, fails the test on any page error, and waits for the first quote. */
async function opened(p, at) {
  p.on("pageerror", (e) => { throw e; });
  await p.goto(at);
  await p.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  return p;
}

test("the page opens on a priced procedure (or the one ?procedure= names), procedures in alphabetical order", async () => {
  // index.html names the driver's licence (`data-procedure`): the first view is an estimate for
  // today, not a prompt or an error.
  const today = await page.inputValue("#date");
  const first = { procedure: "driver-licence.issue", date: today, jurisdiction: "vn", channel: "in_person", applicant: { kind: "individual", categories: [] } };
  assert.equal(await page.inputValue("#procedure"), "driver-licence.issue");
  assert.equal(await page.locator("#status").textContent(), "");
  assert.equal(await shown(), engine.quote(first).total);
  assert.equal(await page.locator("#jump").isVisible(), false, "a wide screen shows the estimate beside the form, with no bar");
  // The list is in Vietnamese alphabetical order of the names shown, and in the order of the
  // English names (without diacritics) on the English page.
  const { viKey } = await import("../www/vi-order.js");
  const names = () => page.locator("#procedure option").evaluateAll((os) => os.map((o) => o.textContent));
  const vi = await names();
  assert.equal(vi.length, engine.procedures().length);
  assert.deepEqual(vi, [...vi].sort((a, b) => (viKey(a) < viKey(b) ? -1 : viKey(a) > viKey(b) ? 1 : 0)));
  assert.equal(vi[0], "Cấp bản sao trích lục hộ tịch");
  await page.getByRole("button", { name: "English" }).click();
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").toLowerCase();
  const en = await names();
  assert.deepEqual(en, [...en].sort((a, b) => (fold(a) < fold(b) ? -1 : fold(a) > fold(b) ? 1 : 0)));
  assert.equal(await page.inputValue("#procedure"), "driver-licence.issue", "switching language keeps the procedure");
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
  // A portal links straight to a procedure's estimate.
  const context = await browser.newContext();
  try {
    const linked = await opened(await context.newPage(), `${url}?procedure=judicial-record.certificate`);
    assert.equal(await linked.inputValue("#procedure"), "judicial-record.certificate");
    assert.equal(await linked.locator("#total").getAttribute("data-total"), engine.quote({ ...first, procedure: "judicial-record.certificate" }).total);
    // An id the library lacks opens the list on its first procedure, and says why in the console.
    const unknown = await context.newPage();
    const warnings = [];
    unknown.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });
    await opened(unknown, `${url}?procedure=no-such.procedure`);
    assert.equal(await unknown.locator("#procedure option").first().getAttribute("value"), await unknown.inputValue("#procedure"));
    assert.deepEqual(warnings, ["lephi: no procedure `no-such.procedure` in the library; the list opens on its first"]);
  } finally {
    await context.close();
  }
});

test("the date starts as today in the device's time zone, not in UTC", async () => {
  // 01:30 on 24/11/2026 in Hà Nội is still 23/11 in UTC.
  const context = await browser.newContext({ timezoneId: "Asia/Ho_Chi_Minh" });
  try {
    const p = await context.newPage();
    await p.clock.setFixedTime(new Date("2026-11-23T18:30:00Z"));
    await opened(p, url);
    assert.equal(await p.inputValue("#date"), "2026-11-24");
    assert.equal(await p.locator("#date-words").textContent(), "Thứ Ba, ngày 24 tháng 11 năm 2026");
  } finally {
    await context.close();
  }
});

test("pick a procedure, switch channel, amounts match the engine", async () => {
  await page.getByLabel("Ngày nộp hồ sơ").fill("2024-05-01");
  await page.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
  await page.getByLabel("Tìm thủ tục (có dấu hoặc không dấu)").fill("giay phep lai xe");
  await page.getByLabel("Thủ tục", { exact: true }).selectOption("driver-licence.issue");
  await page.getByLabel("Trực tiếp tại bộ phận một cửa").check();
  const base = { procedure: "driver-licence.issue", date: "2024-05-01", jurisdiction: "vn", applicant: { kind: "individual", categories: [] } };
  assert.equal(await shown(), engine.quote({ ...base, channel: "in_person" }).total);
  assert.equal(await shown(), "135000");
  await page.getByLabel("Trực tuyến toàn trình (mức độ 4)").check();
  assert.equal(await shown(), engine.quote({ ...base, channel: "online_full" }).total);
  assert.equal(await page.locator("#total").textContent(), "115.000\u00a0₫");
  assert.match(await page.locator("#words").textContent(), /Một trăm mười lăm nghìn đồng/);
  assert.match(await page.locator("#saving").textContent(), /20\.000/);
  // A screen reader hears the procedure, the total and the saving, not the whole receipt again.
  assert.equal(await page.locator("#result").getAttribute("aria-live"), null);
  assert.equal(await page.locator("#announce").getAttribute("aria-live"), "polite");
  const licenceName = engine.procedures().find((p) => p.id === "driver-licence.issue").name.vi;
  assert.equal(await page.locator("#announce").textContent(), `${licenceName} — Tổng phải nộp: 115.000\u00a0₫. Nộp trực tuyến tiết kiệm: 20.000\u00a0₫`);
  assert.match(await page.locator("#receipt").textContent(), /63\/2023\/TT-BTC/);
  // The line's rule id reads (and copies) whole; in its narrow column it breaks after the
  // document's id and at hyphens, so no line of it is cut inside a word.
  const rule = page.locator('#receipt tr[data-rule="tt-37-2023-btc/driver-licence"] code.rule');
  assert.equal(await rule.textContent(), "tt-37-2023-btc/driver-licence");
  const lines = await rule.evaluate((c) => {
    const text = c.textContent, range = document.createRange(), tops = [];
    let node = c.firstChild, offset = 0;
    for (let i = 0; i < text.length; i++) {
      while (offset >= node.textContent.length) { node = node.nextSibling; offset = 0; while (node.firstChild) node = node.firstChild; }
      range.setStart(node, offset); range.setEnd(node, offset + 1); offset++;
      tops.push(Math.round(range.getBoundingClientRect().top));
    }
    const out = [];
    [...text].forEach((ch, i) => { if (i === 0 || tops[i] !== tops[i - 1]) out.push(""); out[out.length - 1] += ch; });
    return out;
  });
  assert.ok(lines.every((l, i) => i === lines.length - 1 || /[-/]$/.test(l)), `lines of the rule id: ${JSON.stringify(lines)}`);
  // The filing date as Vietnamese write it, and in words under its field (which follows the
  // browser's locale: headless chromium shows 05/01/2024).
  assert.match(await page.locator("#receipt p").first().textContent(), /, 01\/05\/2024, /);
  assert.equal(await page.locator("#date-words").textContent(), "Thứ Tư, ngày 1 tháng 5 năm 2024");
  assert.equal(await page.getByLabel("Ngày nộp hồ sơ").getAttribute("aria-describedby"), "date-words");
  // Every document listed is in force on that date.
  assert.equal(await page.locator("#receipt .sources .lapsed").count(), 0);
  // In 2026 the licence is priced by 154/2025, and 37/2023 (under which the library lists the
  // procedure) is still listed: it says that it no longer applies, and what replaced it.
  await page.getByLabel("Ngày nộp hồ sơ").fill("2026-05-01");
  await page.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
  const y2026 = { ...base, date: "2026-05-01", channel: "online_full" };
  assert.deepEqual(engine.sources(y2026).map((d) => d.id), ["tt-154-2025-btc", "tt-37-2023-btc", "vn-jurisdictions"]);
  assert.equal(await page.locator("#receipt .sources .lapsed").count(), 1);
  assert.equal(
    await page.locator('#receipt .sources li[data-document="tt-37-2023-btc"] .lapsed').textContent(),
    "Đã hết hiệu lực trước ngày nộp (01/05/2026). Được thay thế bởi 154/2025/TT-BTC. Thủ tục được ghi trong thư viện theo văn bản này; các khoản tiền ở trên theo các văn bản có hiệu lực vào ngày nộp.",
  );
  assert.match(await page.locator("#receipt table").textContent(), /154\/2025\/TT-BTC/);
  // A year the engine does not price (a typo such as 0202 for 2024), or no date: the form says
  // which dates it takes, no estimate for another date stays on screen, and nothing throws.
  const dateStatus = async () => page.locator("#status").evaluate((s) => [s.textContent, s.className, s.dataset.code]);
  const provinces = await page.locator("#province option").count();
  for (const [d, words] of [["0202-05-01", "Thứ Bảy, ngày 1 tháng 5 năm 202"], ["3000-01-01", "Thứ Tư, ngày 1 tháng 1 năm 3000"], ["", ""]]) {
    await page.getByLabel("Ngày nộp hồ sơ").fill(d);
    await page.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
    assert.deepEqual(await dateStatus(), ["Nhập ngày nộp hồ sơ: một ngày từ 01/01/1900 đến 31/12/2999.", "error", "form"], d);
    assert.equal(await page.locator("#receipt").textContent(), "", d);
    assert.equal(await page.locator("#date-words").textContent(), words);
    assert.equal(await page.locator("#province option").count(), provinces, "the province list stays as it was");
  }
  assert.deepEqual(await page.getByLabel("Ngày nộp hồ sơ").evaluate((i) => [i.min, i.max]), ["1900-01-01", "2999-12-31"]);
  // The engine's dates are the field's: it refuses the day before and after.
  for (const date of ["1899-12-31", "3000-01-01"]) assert.throws(() => engine.quote({ ...base, date }), (e) => e.code === "request_invalid", date);
  assert.ok(engine.quote({ ...base, date: "2999-12-31", channel: "in_person" }).total);
  await page.getByLabel("Ngày nộp hồ sơ").fill("2024-05-01");
  await page.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
});

test("what the library has no rate for reads plainly: a date (with the dates it has, priced on request), an applicant", async () => {
  await page.getByLabel("Ngày nộp hồ sơ").fill("2026-11-24");
  await page.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
  await page.getByLabel("Tìm thủ tục (có dấu hoặc không dấu)").fill("ho chieu");
  await page.getByLabel("Thủ tục", { exact: true }).selectOption("passport.issue");
  const base = { procedure: "passport.issue", jurisdiction: "vn", channel: "online_full", applicant: { kind: "individual", categories: [] } };
  assert.throws(() => engine.quote({ ...base, date: "2026-11-24" }), { code: "date_outside_windows" });
  assert.equal(await page.locator("#status").getAttribute("data-code"), "date_outside_windows");
  assert.equal(await page.locator("#total").count(), 0);
  const status = await page.locator("#status").textContent();
  assert.match(status, /^Thư viện chưa có mức thu của thủ tục này áp dụng vào ngày 24\/11\/2026\. Từ 01\/04\/2026, văn bản 28\/2026\/TT-BTC đã thay thế văn bản quy định mức thu này; thư viện chưa có mức thu theo văn bản mới\. Mức thu đã biết:/);
  assert.match(status, /từ 01\/12\/2023 đến 31\/03\/2026 \(tt-25-2021-btc\/passport\)/);
  // The date moves only when asked: the button prices the last day of the window.
  assert.equal(await page.getByLabel("Ngày nộp hồ sơ").inputValue(), "2026-11-24");
  await page.getByRole("button", { name: "Tính cho ngày 31/03/2026" }).click();
  assert.equal(await page.getByLabel("Ngày nộp hồ sơ").inputValue(), "2026-03-31");
  assert.equal(await page.locator("#status").textContent(), "");
  assert.equal(await shown(), engine.quote({ ...base, date: "2026-03-31" }).total);
  // Before a window opens, its first day is offered.
  await page.getByLabel("Ngày nộp hồ sơ").fill("2023-11-01");
  await page.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
  assert.match(await page.locator("#status").textContent(), /Tính cho ngày 01\/12\/2023/);
  assert.doesNotMatch(await page.locator("#status").textContent(), /thay thế/, "before the window nothing has replaced it");
  // A rule that prices only households and individuals says so for an organisation.
  await page.getByLabel("Ngày nộp hồ sơ").fill("2024-05-01");
  await page.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
  await page.getByLabel("Tỉnh, thành phố").selectOption("vn/ha-noi");
  await page.getByLabel("Tìm thủ tục (có dấu hoặc không dấu)").fill("giay chung nhan lan dau");
  await page.getByLabel("Thủ tục", { exact: true }).selectOption("land-certificate.first-issue");
  await page.getByLabel("Người nộp là").selectOption("organisation");
  const land = { procedure: "land-certificate.first-issue", date: "2024-05-01", jurisdiction: "vn/ha-noi", applicant: { kind: "organisation", categories: [] } };
  assert.throws(() => engine.quote(land), { code: "invalid_input" });
  assert.equal(await page.locator("#status").getAttribute("data-code"), "invalid_input");
  assert.equal(await page.locator("#status").textContent(), "Thư viện chưa có mức thu của thủ tục này khi người nộp là tổ chức, doanh nghiệp.");
  await page.getByLabel("Người nộp là").selectOption("individual");
  assert.equal(await page.locator("#status").textContent(), "");
  await page.getByLabel("Tỉnh, thành phố").selectOption("vn");
  // Back to where the next test starts.
  await page.getByLabel("Ngày nộp hồ sơ").fill("2024-05-01");
  await page.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
  await page.getByLabel("Tìm thủ tục (có dấu hoặc không dấu)").fill("");
  await page.getByLabel("Thủ tục", { exact: true }).selectOption("driver-licence.issue");
});

test("province, postage with subsidy, and the English switch", async () => {
  // The zones offered are those of the tariffs in force where and when the dossier is filed.
  const zones = () => page.locator("#zone option").evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  await page.getByLabel("Gửi hồ sơ / nhận kết quả qua bưu điện").selectOption("return");
  await page.getByLabel("Tỉnh, thành phố").selectOption("vn/khanh-hoa");
  assert.deepEqual(await zones(), [
    ["inter_district", "Liên huyện (trong tỉnh)"],
    ["inter_province_distant_region", "Liên tỉnh, cách vùng"],
    ["inter_province_same_region", "Liên tỉnh, nội vùng"],
    ["intra_district", "Nội huyện"],
  ]);
  await page.getByLabel("Vùng").selectOption("inter_district");
  const kh = { procedure: "driver-licence.issue", date: "2024-05-01", jurisdiction: "vn/khanh-hoa", channel: "online_full", applicant: { kind: "individual", categories: [] }, postage: { direction: "return", zone: "inter_district", weight_grams: 100 } };
  assert.equal(await shown(), engine.quote(kh).total);
  assert.equal(engine.quote(kh).postage.tariff, "30000");
  await page.getByLabel("Tỉnh, thành phố").selectOption("vn/ha-noi");
  assert.deepEqual(await zones(), [["", "Chưa ghi nhận biểu cước bưu chính công ích nào ở nơi này vào ngày này"]]);
  assert.match(await page.locator("#status").textContent(), /không có biểu cước bưu chính nào có hiệu lực tại vn\/ha-noi/);
  await page.getByLabel("Tỉnh, thành phố").selectOption("vn/ha-tinh");
  assert.deepEqual(await zones(), [["inner_city", "Nội thành, thị xã"]]);
  await page.getByLabel("Vùng").selectOption("inner_city");
  const req = { procedure: "driver-licence.issue", date: "2024-05-01", jurisdiction: "vn/ha-tinh", channel: "online_full", applicant: { kind: "individual", categories: [] }, postage: { direction: "return", zone: "inner_city", weight_grams: 100 } };
  assert.equal(await shown(), engine.quote(req).total);
  assert.equal(await shown(), "125000");
  assert.match(await page.locator("#receipt").textContent(), /16\.000/);
  // The documents the quote rests on, as the engine lists them, with the subsidy's caveat.
  const listed = () => page.locator("#receipt .sources li").evaluateAll((ls) => ls.map((l) => l.dataset.document));
  assert.deepEqual(await listed(), engine.sources(req).map((d) => d.id));
  const subsidy = page.locator('#receipt .sources li[data-document="ht-bcci-return-subsidy"]');
  assert.match(await subsidy.textContent(), /chưa xác minh/);
  assert.match(await subsidy.locator('.note [lang="en"]').textContent(), /^From news reports of 2022–2023 only/);
  assert.match(await page.locator('#receipt .sources li[data-document="tt-63-2023-btc"]').textContent(), /Hiệu lực từ 01\/12\/2023 đến 31\/12\/2025/);
  await page.getByRole("button", { name: "English" }).click();
  assert.equal(await page.locator("#sources-title").textContent(), "Documents relied on");
  assert.equal(await page.locator("#date-words").textContent(), "Wednesday, 1 May 2024");
  assert.match(await page.locator("#words").textContent(), /One hundred twenty-five thousand/);
  assert.match(await page.locator("#receipt ul.warnings").textContent(), /comes from a secondary source/);
  // Rule ids in warnings read as code, not as the message's backticks.
  assert.equal(await page.locator("#receipt ul.warnings code").first().textContent(), "tt-37-2023-btc/driver-licence");
  assert.doesNotMatch(await page.locator("#receipt ul.warnings").textContent(), /`/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  await page.screenshot({ path: join(out, "estimator.png"), fullPage: true });
});

test("a province's portal opens the page on its province (?province=ID or data-province)", async () => {
  const context = await browser.newContext();
  try {
    const p = await opened(await context.newPage(), `${url}?province=vn/ha-tinh&procedure=judicial-record.certificate`);
    assert.equal(await p.inputValue("#province"), "vn/ha-tinh");
    assert.match(await p.locator("#receipt p").first().textContent(), /^Cấp Phiếu lý lịch tư pháp — Hà Tĩnh, /);
    assert.equal(await p.locator("#total").getAttribute("data-total"),
      engine.quote({ procedure: "judicial-record.certificate", date: await p.inputValue("#date"), jurisdiction: "vn/ha-tinh" }).total);
    // A province the list lacks on that date opens the whole country, and says why in the console.
    const q = await context.newPage();
    const warnings = [];
    q.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });
    await opened(q, `${url}?province=vn/atlantis`);
    assert.equal(await q.inputValue("#province"), "vn");
    assert.deepEqual(warnings, [`lephi: no province \`vn/atlantis\` on ${await q.inputValue("#date")}; the page opens on the whole country`]);
    // A province that has merged since the portal linked here opens the province it became
    // part of (the date is today's, after 01/07/2025), with the note; no warning.
    const r = await context.newPage();
    const rWarnings = [];
    r.on("console", (m) => { if (m.type() === "warning") rWarnings.push(m.text()); });
    await opened(r, `${url}?province=vn/ha-nam`);
    assert.equal(await r.inputValue("#province"), "vn/ninh-binh");
    assert.equal(await r.locator("#province-note").textContent(), "Hà Nam đã sáp nhập vào Ninh Bình từ ngày 01/07/2025: ước tính tính cho Ninh Bình.");
    await r.getByLabel("Ngày nộp hồ sơ").fill("2025-06-30");
    await r.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
    assert.equal(await r.inputValue("#province"), "vn/ha-nam");
    assert.deepEqual(rWarnings, []);
  } finally {
    await context.close();
  }
});

test("a province that merged: a later date moves to the province it became part of, and says so", async () => {
  const p = await opened(await browser.newPage(), url);
  try {
    const setDate = async (d) => { await p.getByLabel("Ngày nộp hồ sơ").fill(d); await p.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change"); };
    const state = async () => [await p.inputValue("#province"), await p.locator("#province-note").textContent()];
    await setDate("2025-06-30");
    await p.getByLabel("Tỉnh, thành phố").selectOption("vn/ha-nam");
    assert.deepEqual(await state(), ["vn/ha-nam", ""]);
    await setDate("2026-01-01");
    const note = "Hà Nam đã sáp nhập vào Ninh Bình từ ngày 01/07/2025: ước tính tính cho Ninh Bình.";
    assert.deepEqual(await state(), ["vn/ninh-binh", note]);
    assert.match(await p.locator("#receipt p").first().textContent(), /— Ninh Bình, 01\/01\/2026,/);
    assert.equal(await p.getByLabel("Tỉnh, thành phố").getAttribute("aria-describedby"), "province-note");
    await p.getByRole("button", { name: "English" }).click();
    assert.deepEqual(await state(), ["vn/ninh-binh", "Ha Nam became part of Ninh Binh on 2025-07-01: the estimate is for Ninh Binh."]);
    await p.getByRole("button", { name: "Tiếng Việt" }).click();
    assert.deepEqual(await state(), ["vn/ninh-binh", note]);
    // Back before the merger, the province chosen first.
    await setDate("2025-06-30");
    assert.deepEqual(await state(), ["vn/ha-nam", ""]);
    // A province chosen by hand ends the note; a province that did not merge stays as it is.
    await setDate("2026-01-01");
    await p.getByLabel("Tỉnh, thành phố").selectOption("vn/ha-tinh");
    assert.deepEqual(await state(), ["vn/ha-tinh", ""]);
    await setDate("2024-05-01");
    assert.deepEqual(await state(), ["vn/ha-tinh", ""]);
  } finally {
    await p.close();
  }
});

test("an organisation has no personal situations: they are disabled and not sent", async () => {
  const p = await opened(await browser.newPage(), `${url}?procedure=judicial-record.certificate`);
  try {
    await p.getByLabel("Ngày nộp hồ sơ").fill("2024-05-01");
    await p.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
    const base = { procedure: "judicial-record.certificate", date: "2024-05-01", jurisdiction: "vn", channel: "in_person" };
    const total = () => p.locator("#total").getAttribute("data-total");
    await p.getByLabel("Học sinh, sinh viên").check();
    assert.equal(await total(), engine.quote({ ...base, applicant: { kind: "individual", categories: ["student"] } }).total);
    // The page sends none; the library's reductions for persons would not apply anyway.
    await p.getByLabel("Người nộp là").selectOption("organisation");
    assert.equal(await total(), engine.quote({ ...base, applicant: { kind: "organisation", categories: [] } }).total);
    assert.equal(engine.quote({ ...base, applicant: { kind: "organisation", categories: ["student"] } }).total, "200000");
    assert.equal(await total(), "200000");
    assert.equal(await p.getByLabel("Học sinh, sinh viên").isDisabled(), true);
    assert.equal(await p.locator("#kind-note").textContent(), "Các hoàn cảnh dưới đây chỉ áp dụng cho cá nhân, hộ gia đình.");
    assert.equal(await p.locator("#kind-note").isVisible(), true);
    assert.doesNotMatch(await p.locator("#receipt .assumed").textContent(), /Hoàn cảnh/);
    // Back to a person: the tick is still there and counts again.
    await p.getByLabel("Người nộp là").selectOption("individual");
    assert.equal(await p.getByLabel("Học sinh, sinh viên").isChecked(), true);
    assert.equal(await p.locator("#kind-note").isVisible(), false);
    assert.equal(await total(), "100000");
  } finally {
    await p.close();
  }
});

test("inputs appear only when the procedure needs them; phone width works", async () => {
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
  await page.getByLabel("Gửi hồ sơ / nhận kết quả qua bưu điện").selectOption("");
  await page.getByLabel("Tỉnh, thành phố").selectOption("vn");
  await page.getByLabel("Tìm thủ tục (có dấu hoặc không dấu)").fill("chứng thực bản sao");
  await page.getByLabel("Thủ tục", { exact: true }).selectOption("certified-copy.from-original");
  assert.equal(await page.locator("#inputs-box").isVisible(), true);
  await page.locator("#in-pages").fill("5");
  await page.locator("#in-pages").dispatchEvent("input");
  const status = await page.locator("#status").textContent();
  const dbg = await page.evaluate(() => [document.getElementById("procedure").value, document.getElementById("search").value, document.getElementById("procedure").options.length]);
  assert.equal(status, "", `the page shows an error: ${status} ${JSON.stringify(dbg)}`);
  const req = { procedure: "certified-copy.from-original", date: "2024-05-01", applicant: { kind: "individual", categories: [] }, channel: "online_full", inputs: { pages: 5 } };
  assert.equal(await shown(), engine.quote(req).total);
  // A count or a weight that is not a whole number is refused by the form, saying what to
  // type (not where the request's JSON went wrong), and no stale estimate stays on screen.
  const refused = async (field, value, says) => {
    await page.locator(field).fill(value);
    await page.locator(field).dispatchEvent("input");
    const text = await page.locator("#status").textContent();
    assert.match(text, says, `${field} = ${JSON.stringify(value)}: ${text}`);
    assert.doesNotMatch(text, /dòng|cột|line|column/);
    assert.equal(await page.locator("#total").count(), 0);
  };
  await refused("#in-pages", "-5", /Ô “Số trang” cần một số nguyên/);
  await refused("#in-pages", "2.5", /cần một số nguyên/);
  // A whole number out of the engine's range names the range, with the field's label.
  await refused("#in-pages", "0", /^Ô “Số trang” cần một số nguyên từ 1 đến 1\.000\.000\.$/);
  await refused("#in-pages", "1000001", /^Ô “Số trang” cần một số nguyên từ 1 đến 1\.000\.000\.$/);
  // The same range as the engine's: it refuses 0 and 1.000.001 pages, and prices 1.000.000.
  const copyWith = (pages) => ({ procedure: "certified-copy.from-original", date: "2024-05-01", inputs: { pages } });
  for (const pages of [0, 1000001]) assert.throws(() => engine.quote(copyWith(pages)), (e) => e.code === "invalid_input", String(pages));
  assert.ok(engine.quote(copyWith(1000000)).total);
  await page.locator("#in-pages").fill("5");
  await page.locator("#in-pages").dispatchEvent("input");
  assert.equal(await shown(), engine.quote(req).total);
  await page.getByLabel("Gửi hồ sơ / nhận kết quả qua bưu điện").selectOption("return");
  await refused("#weight", "", /Nhập khối lượng hồ sơ/);
  await refused("#weight", "0", /từ 1 đến 100000/);
  await page.locator("#weight").fill("100");
  await page.getByLabel("Gửi hồ sơ / nhận kết quả qua bưu điện").selectOption("");
  assert.equal(await shown(), engine.quote(req).total);
  const cellLabels = () => page.evaluate(() =>
    [...document.querySelectorAll("#receipt tbody tr:first-child td[data-label]")].map((td) => getComputedStyle(td, "::before").content));
  assert.deepEqual(await cellLabels(), ["none", "none", "none", "none"], "a wide receipt is a table with a header row");
  await page.setViewportSize({ width: 380, height: 1600 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 400, `no horizontal scroll at phone width (scrollWidth ${width})`);
  // At phone width the receipt is one cell per line without the header row, so each cell
  // names its column, and the total's label and amount stand apart on one line.
  assert.deepEqual(await cellLabels(), ['"Mức thu: "', '"Miễn, giảm: "', '"Phải nộp: "', '"Căn cứ: "']);
  const [label, amount] = await page.evaluate(() =>
    [...document.querySelectorAll("#receipt tfoot td")].filter((td) => td.textContent).map((td) => td.getBoundingClientRect().toJSON()));
  assert.ok(amount.left - label.right >= 8 && Math.abs(amount.top - label.top) < 4, `total row: ${JSON.stringify({ label, amount })}`);
  // The estimate is below the long form: a bar at the foot of the screen carries the total and
  // leads to it, and steps aside once the estimate is in view.
  await page.evaluate(() => window.scrollTo(0, 0));
  const jump = page.locator("#jump");
  await jump.waitFor({ state: "visible" });
  assert.equal(await jump.textContent(), `Tổng phải nộp: ${lephi.formatVnd(engine.quote(req).total)} Xem ước tính ↓`);
  const bar = await jump.boundingBox();
  assert.ok(Math.abs(bar.y + bar.height - 1600) < 2 && bar.width >= 370, `the bar is at the foot of the screen: ${JSON.stringify(bar)}`);
  await jump.click();
  await jump.waitFor({ state: "hidden" });
  assert.ok(await page.evaluate(() => document.getElementById("result").getBoundingClientRect().top < innerHeight), "the estimate is in view");
  // A choice input reads in words, its value stays the id the engine takes.
  await page.getByLabel("Tìm thủ tục (có dấu hoặc không dấu)").fill("");
  await page.getByLabel("Thủ tục", { exact: true }).selectOption("registration-fee.car");
  const choices = await page.locator("#in-registration option").evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  assert.deepEqual(choices, [["first", "Lần đầu"], ["later", "Lần thứ hai trở đi"]]);
  // An input behind a choice is asked for with the choice the form shows: the car's declared
  // value behind its registration, the motorbike's area behind a first registration.
  const fields = () => page.locator("#inputs [data-input]").evaluateAll((es) => es.map((e) => e.dataset.input));
  assert.deepEqual(await fields(), ["registration", "declared_value"]);
  // Until the value is typed, the status asks for it by its label (which names its unit once),
  // as a prompt, not as the engine's error about `declared_value`.
  assert.equal(await page.locator("#status").textContent(), "Nhập “Giá trị tài sản, hợp đồng (đồng)” để xem ước tính.");
  assert.equal(await page.locator("#status").getAttribute("class"), "prompt");
  assert.equal(await page.locator("#status").getAttribute("data-code"), "missing_input");
  // A search that finds nothing says so, as a prompt without a code (the earlier prompt's code
  // does not stay behind), and clearing the search brings the earlier prompt back.
  const search = page.getByLabel("Tìm thủ tục (có dấu hoặc không dấu)");
  await search.fill("zzzz");
  const statusNow = async () => page.locator("#status").evaluate((s) => [s.textContent, s.className, s.dataset.code ?? ""]);
  assert.deepEqual(await statusNow(), ["Không có thủ tục nào khớp với “zzzz”. Thử từ khác, hoặc xoá ô tìm kiếm để xem tất cả.", "prompt", ""]);
  await search.fill("");
  await page.getByLabel("Thủ tục", { exact: true }).selectOption("registration-fee.car");
  assert.deepEqual(await statusNow(), ["Nhập “Giá trị tài sản, hợp đồng (đồng)” để xem ước tính.", "prompt", "missing_input"]);
  assert.equal(await page.locator("#announce").textContent(), "", "the status says what is missing; no total is announced");
  assert.equal(await page.getByLabel("Giá trị tài sản, hợp đồng (đồng)", { exact: true }).getAttribute("id"), "in-declared_value");
  // An amount the engine cannot read is refused by the form with the field's label and an
  // example, not with the input's id and the request's jargon.
  // Dots only group thousands: an English decimal point (1500000.5, 1.5) is not guessed at.
  for (const typed of ["abc", "-5", "1 500 000", "1e9", "1234567890123456789", "1500000.5", "1.5", "1.50.000", "1.500.00"]) {
    await page.locator("#in-declared_value").fill(typed);
    await page.locator("#in-declared_value").dispatchEvent("input");
    assert.deepEqual(await statusNow(), ["Ô “Giá trị tài sản, hợp đồng (đồng)” cần một số tiền bằng chữ số, không âm, phần nguyên tối đa 18 chữ số, ví dụ 1.500.000.000.", "error", "form"], typed);
  }
  // The form's limits are the engine's: it refuses what the form refuses (19 digits before
  // the point) and prices the largest amount the form lets through.
  const carWith = (value) => ({ procedure: "registration-fee.car", date: "2024-05-01", inputs: { registration: "first", declared_value: value } });
  assert.throws(() => engine.quote(carWith("1234567890123456789")), (e) => e.code === "invalid_input");
  assert.ok(engine.quote(carWith("999999999999999999")).total);
  // Eighteen digits, leading zeros and a decimal comma are amounts.
  for (const [typed, sent] of [["123.456.789.012.345.678", "123456789012345678"], ["000.001.500", "0001500"], ["1.500,5", "1500.5"]]) {
    await page.locator("#in-declared_value").fill(typed);
    await page.locator("#in-declared_value").dispatchEvent("input");
    const expect = engine.quote({ procedure: "registration-fee.car", date: "2024-05-01", jurisdiction: "vn", channel: "online_full", applicant: { kind: "individual", categories: [] }, inputs: { registration: "first", declared_value: sent } }).total;
    assert.equal(await shown(), expect, typed);
  }
  await page.locator("#in-declared_value").fill("1.500.000.000");
  await page.locator("#in-declared_value").dispatchEvent("input");
  const car = { procedure: "registration-fee.car", date: "2024-05-01", jurisdiction: "vn", channel: "online_full", applicant: { kind: "individual", categories: [] }, inputs: { registration: "first", declared_value: "1500000000" } };
  assert.deepEqual(await statusNow(), ["", "", ""], "a priced estimate leaves no code of the prompt before it");
  assert.equal(await shown(), engine.quote(car).total);
  assert.equal(await shown(), "150000000");
  // The estimate says what it assumed: the applicant, no situation, and each input as the form shows it.
  assert.deepEqual(await page.locator("#receipt .assumed li").allTextContents(), [
    "Người nộp là: Cá nhân, hộ gia đình",
    "Hoàn cảnh: không chọn diện miễn, giảm nào",
    "Đăng ký lần đầu hay lần thứ hai trở đi: Lần đầu",
    "Giá trị tài sản, hợp đồng (đồng): 1.500.000.000\u00a0₫",
  ]);
  await page.locator("#in-registration").selectOption("later");
  assert.equal(await shown(), engine.quote({ ...car, inputs: { ...car.inputs, registration: "later" } }).total);
  assert.equal(await shown(), "30000000");
  await page.screenshot({ path: join(out, "estimator-phone.png"), fullPage: true });
  // The motorbike asks the same registration question, so the answer stays ("later"); a
  // first registration brings the area.
  await page.getByLabel("Thủ tục", { exact: true }).selectOption("registration-fee.motorbike");
  assert.deepEqual(await fields(), ["registration", "declared_value"]);
  await page.locator("#in-declared_value").fill("40000000");
  await page.locator("#in-declared_value").dispatchEvent("input");
  const bike = { ...car, procedure: "registration-fee.motorbike", inputs: { registration: "later", declared_value: "40000000" } };
  assert.equal(await shown(), engine.quote(bike).total);
  await page.locator("#in-registration").selectOption("first");
  assert.deepEqual(await fields(), ["registration", "area", "declared_value"]);
  assert.equal(await page.locator("#in-declared_value").inputValue(), "40000000", "the value typed stays");
  await page.locator("#in-area").selectOption("other");
  assert.equal(await shown(), engine.quote({ ...bike, inputs: { registration: "first", area: "other", declared_value: "40000000" } }).total);
  assert.equal(await shown(), "800000");
  // A driving test asks how often each part is sat, once unless told; 0 is a part passed.
  await page.getByLabel("Thủ tục", { exact: true }).selectOption("driving-test.car");
  assert.deepEqual(await fields(), ["theory_sittings", "simulation_sittings", "circuit_sittings", "road_sittings"]);
  assert.equal(await page.locator("#in-circuit_sittings").inputValue(), "1");
  const drive = { ...car, procedure: "driving-test.car", inputs: { theory_sittings: 1, simulation_sittings: 1, circuit_sittings: 1, road_sittings: 1 } };
  assert.equal(await shown(), engine.quote(drive).total);
  await page.locator("#in-theory_sittings").fill("0");
  await page.locator("#in-theory_sittings").dispatchEvent("input");
  await page.locator("#in-circuit_sittings").fill("2");
  await page.locator("#in-circuit_sittings").dispatchEvent("input");
  assert.equal(await shown(), engine.quote({ ...drive, inputs: { ...drive.inputs, theory_sittings: 0, circuit_sittings: 2 } }).total);
  await refused("#in-road_sittings", "-1", /Ô “Số lần sát hạch thực hành trên đường” cần một số nguyên/);
});

test("a portal's own compiled rules (?rules=URL), and a clear error when they cannot load", async () => {
  const yaml = readFileSync(join(root, "tests", "conformance", "rules", "engine.yaml"), "utf8");
  writeFileSync(join(out, "engine-rules.bin"), lephi.compileRules(yaml));
  const own = await opened(await browser.newPage(), `${url}?rules=../test-results/engine-rules.bin`);
  await own.getByLabel("Ngày nộp hồ sơ").fill("2024-08-01");
  await own.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
  await own.getByLabel("Tỉnh, thành phố").selectOption("vn/b");
  await own.getByLabel("Thủ tục", { exact: true }).selectOption("e.fixed");
  await own.getByLabel("Trực tiếp tại bộ phận một cửa").check();
  assert.equal(await own.locator("#total").getAttribute("data-total"), "100000");
  const missing = await browser.newPage();
  await missing.goto(`${url}?rules=../test-results/no-such-rules.bin`);
  await missing.waitForFunction(() => document.getElementById("status").textContent.includes("404"), null, { timeout: 30_000 });
  // With no engine there is no estimate: a phone shows no empty bar to it.
  await missing.setViewportSize({ width: 380, height: 800 });
  assert.equal(await missing.locator("#jump").isVisible(), false);
  await own.close();
  await missing.close();
});

/** A fresh context whose responses for `pattern` get `headers` added, and its page at `url`. */
async function withHeaders(pattern, headers) {
  const context = await browser.newContext();
  await context.route(pattern, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), ...headers } });
  });
  const p = await opened(await context.newPage(), url);
  const close = async () => {
    await context.unrouteAll({ behavior: "ignoreErrors" });
    await context.close();
  };
  return { p, close };
}

/** Prices a driving licence in person on 2024-05-01 on page `p` and returns the total shown. */
async function licenceTotal(p) {
  await p.getByLabel("Ngày nộp hồ sơ").fill("2024-05-01");
  await p.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
  await p.getByLabel("Thủ tục", { exact: true }).selectOption("driver-licence.issue");
  await p.getByLabel("Trực tiếp tại bộ phận một cửa").check();
  return p.locator("#total").getAttribute("data-total");
}

test("the engine is compiled while the page loads; if that fails or a CSP refuses it, the page compiles it itself", async () => {
  assert.equal(await page.evaluate(() => window.lephiReady.compiledEarly), true);
  // A server that gives the wasm the wrong type: compileStreaming refuses it, and init() falls
  // back to compiling the bytes (wasm-bindgen's glue warns in the console).
  const wrongType = await withHeaders("**/lephi_bg.wasm", { "content-type": "text/plain" });
  assert.equal(await wrongType.p.evaluate(() => window.lephiReady.compiledEarly), false);
  assert.equal(await licenceTotal(wrongType.p), "135000");
  await wrongType.close();
  // A portal whose Content-Security-Policy refuses inline scripts: no early compile, same page.
  const strict = await withHeaders(url, { "content-security-policy": "script-src 'self' 'wasm-unsafe-eval'" });
  assert.equal(await strict.p.evaluate(() => window.lephiReady.compiledEarly), false);
  assert.equal(await licenceTotal(strict.p), "135000");
  await strict.close();
});

test("by keyboard alone: search, pick, tick a situation; and the printed estimate", async () => {
  const context = await browser.newContext();
  try {
    const kb = await opened(await context.newPage(), url);
    const focused = () => kb.evaluate(() => {
      const el = document.activeElement;
      return { id: el?.id ?? "", value: el?.value ?? "", label: el?.labels?.[0]?.textContent?.trim() ?? "" };
    });
    // Tab forward until `wanted` has the focus: every control is reachable in reading order.
    const tabTo = async (wanted, what) => {
      for (let i = 0; i < 60; i++) {
        await kb.keyboard.press("Tab");
        if (wanted(await focused())) return;
      }
      assert.fail(`${what} is not reachable with Tab`);
    };
    const today = await kb.inputValue("#date");
    await tabTo((f) => f.id === "search", "the procedure search");
    await kb.keyboard.type("ly lich tu phap");
    await kb.keyboard.press("Tab");
    assert.equal((await focused()).id, "procedure");
    await kb.keyboard.press("ArrowDown");
    assert.equal(await kb.inputValue("#procedure"), "judicial-record.certificate");
    const req = { procedure: "judicial-record.certificate", date: today, jurisdiction: "vn", channel: "in_person", applicant: { kind: "individual", categories: [] } };
    assert.equal(await kb.locator("#total").getAttribute("data-total"), engine.quote(req).total);
    await tabTo((f) => f.value === "student", "the student checkbox");
    await kb.keyboard.press("Space");
    const student = engine.quote({ ...req, applicant: { kind: "individual", categories: ["student"] } }).total;
    assert.equal(await kb.locator("#total").getAttribute("data-total"), student);
    assert.equal(student, "100000");
    assert.match(await kb.locator("#receipt ul.warnings").textContent(), /chỉ áp dụng khi có giấy tờ chứng minh/);
    assert.match(await kb.locator("#receipt").textContent(), /Mã tái lập: sha256:/);
    // A date no rule covers: the error reads in Vietnamese, the engine's own text.
    const early = { ...req, date: "2000-01-01", applicant: { kind: "individual", categories: ["student"] } };
    const error = (() => { try { engine.quote(early); } catch (e) { return e; } })();
    assert.equal(error?.code, "date_outside_windows");
    await kb.getByLabel("Ngày nộp hồ sơ").fill("2000-01-01");
    await kb.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
    // The page says it plainly, with the window the engine names (its rule id as code) and a
    // button, which the keyboard presses, to price the window's first day.
    assert.deepEqual(error.details.nearest, ["2017-01-01.. (tt-244-2016-btc/certificate)"]);
    assert.deepEqual(error.details.windows, [{ from: "2017-01-01", nearest_day: "2017-01-01", rule: "tt-244-2016-btc/certificate" }]);
    assert.match(await kb.locator("#status").textContent(), /^Thư viện chưa có mức thu của thủ tục này áp dụng vào ngày 01\/01\/2000\. Mức thu đã biết:từ 01\/01\/2017 \(tt-244-2016-btc\/certificate\)/);
    assert.equal(await kb.locator("#status code").first().textContent(), "tt-244-2016-btc/certificate");
    await kb.getByRole("button", { name: "Tính cho ngày 01/01/2017" }).focus();
    await kb.keyboard.press("Enter");
    assert.equal(await kb.getByLabel("Ngày nộp hồ sơ").inputValue(), "2017-01-01");
    assert.equal(await kb.locator("#total").getAttribute("data-total"), engine.quote({ ...early, date: "2017-01-01" }).total);
    await kb.getByLabel("Ngày nộp hồ sơ").fill(today);
    await kb.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
    assert.equal(await kb.locator("#total").getAttribute("data-total"), student);

    // Printed, the estimate stands alone: the form and the buttons are left out.
    await kb.emulateMedia({ media: "print" });
    assert.equal(await kb.locator("#form").isVisible(), false);
    assert.equal(await kb.locator("#print").isVisible(), false);
    assert.equal(await kb.locator("#total").isVisible(), true);
    assert.match(await kb.locator("#receipt").textContent(), /244\/2016\/TT-BTC/);
    // It states what it assumed, which the hidden form no longer shows.
    assert.equal(await kb.locator("#receipt .assumed").isVisible(), true);
    assert.deepEqual(await kb.locator("#receipt .assumed li").allTextContents(), ["Người nộp là: Cá nhân, hộ gia đình", "Hoàn cảnh: Học sinh, sinh viên", "Số bản: 1"]);
    await kb.pdf({ path: join(out, "estimate.pdf"), format: "A4" });
    await kb.screenshot({ path: join(out, "estimate-print.png"), fullPage: true });
  } finally {
    await context.close();
  }
});

test("axe-core finds no accessibility violation: Vietnamese and English, phone width, inputs, postage, a form error", async () => {
  // axe-core's default rules: WCAG 2.0–2.2 A and AA, and its best practices (labels, names,
  // landmarks, contrast, ARIA use, language of parts).
  const axe = readFileSync(join(pkgDir, "node_modules", "axe-core", "axe.min.js"), "utf8");
  const states = [
    ["the first estimate", 1100, async () => {}],
    ["phone width", 360, async () => {}],
    ["a procedure with inputs", 1100, async (p) => opened(p, `${url}?procedure=registration-fee.car`)],
    ["postage with a subsidy, in English", 1100, async (p) => {
      await p.getByLabel("Gửi hồ sơ / nhận kết quả qua bưu điện").selectOption("return");
      await p.getByLabel("Tỉnh, thành phố").selectOption("vn/ha-tinh");
      await p.getByRole("button", { name: "English" }).click();
    }],
    ["a date the form refuses", 1100, async (p) => {
      await p.locator("#date").fill("1800-01-01");
      await p.waitForFunction(() => document.querySelector("#status")?.dataset.code);
    }],
  ];
  const context = await browser.newContext();
  for (const [state, width, prepare] of states) {
    const p = await opened(await context.newPage(), url);
    await p.setViewportSize({ width, height: 1200 });
    await prepare(p);
    await p.addScriptTag({ content: axe });
    const { violations } = await p.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(found, [], `${state}: ${found.join("; ")}`);
    await p.close();
  }
  await context.close();
});

test("after one visit the page works offline (sw.js): the server is gone and it still prices", async () => {
  const own = await serve(0);
  const at = `http://127.0.0.1:${own.address().port}/www/`;
  const context = await browser.newContext();
  try {
    const offline = await opened(await context.newPage(), at);
    // It controls the page only once installed (every file stored) and activated.
    await offline.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    own.closeAllConnections();
    await new Promise((done) => own.close(done));
    await assert.rejects(fetch(at));
    await offline.reload();
    await offline.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    await offline.getByLabel("Ngày nộp hồ sơ").fill("2024-05-01");
    await offline.getByLabel("Ngày nộp hồ sơ").dispatchEvent("change");
    await offline.getByLabel("Thủ tục", { exact: true }).selectOption("driver-licence.issue");
    await offline.getByLabel("Trực tuyến toàn trình (mức độ 4)").check();
    assert.equal(await offline.locator("#total").getAttribute("data-total"), "115000");
  } finally {
    await context.close();
    own.close();
  }
});

test("timings in chromium (recorded for benches/README.md)", async () => {
  const timing = await page.evaluate(async () => {
    // The build the page loads (`lephi/lite`).
    const m = await import("/pkg/lite/lephi.js");
    await m.default();
    const e = new m.Engine();
    const req = { procedure: "driver-licence.issue", date: "2024-05-01", jurisdiction: "vn/ha-tinh", channel: "online_full", postage: { direction: "return", zone: "inner_city", weight_grams: 100 } };
    for (let i = 0; i < 500; i++) e.quote(req);
    const n = 5000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) e.quote(req);
    const perQuoteUs = ((performance.now() - t0) / n) * 1000;
    const json = JSON.stringify(req);
    const t1 = performance.now();
    for (let i = 0; i < n; i++) e.quoteJson(json);
    const perQuoteJsonUs = ((performance.now() - t1) / n) * 1000;
    return { perQuoteUs, perQuoteJsonUs, ...window.lephiReady };
  });
  writeFileSync(join(out, "browser-timings.json"), JSON.stringify(timing, null, 2));
  assert.ok(timing.perQuoteUs > 0);
});
