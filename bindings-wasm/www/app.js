// The fee estimator: a static page over the lephi WebAssembly package. No server; after the
// first visit it also works offline (sw.js).
import init, { Engine, categories, zoneNames, formatVnd, amountInWords, warningText, version } from "../pkg/lite/lephi.js";
import { viKey } from "./vi-order.js";

const T = {
  vi: {
    title: "Ước tính phí, lệ phí thủ tục hành chính",
    lead: "Tính chính xác số tiền phải nộp, mức giảm khi nộp trực tuyến, miễn giảm và cước bưu chính, kèm căn cứ pháp lý. Chạy hoàn toàn trên máy của bạn.",
    when_where: "Thủ tục, nơi nộp, ngày nộp", date: "Ngày nộp hồ sơ", province: "Tỉnh, thành phố",
    search: "Tìm thủ tục (có dấu hoặc không dấu)", procedure: "Thủ tục", channel: "Cách nộp hồ sơ",
    situation: "Hoàn cảnh của người nộp (để áp dụng miễn, giảm)", kind: "Người nộp là",
    individual: "Cá nhân, hộ gia đình", organisation: "Tổ chức, doanh nghiệp", inputs: "Thông tin cần để tính",
    postage: "Dịch vụ bưu chính công ích", direction: "Gửi hồ sơ / nhận kết quả qua bưu điện", no_post: "Không dùng",
    send: "Gửi hồ sơ", return: "Nhận kết quả", both: "Cả hai chiều", zone: "Vùng",
    no_zone: "Chưa ghi nhận biểu cước bưu chính công ích nào ở nơi này vào ngày này",
    weight: "Khối lượng hồ sơ (gam)", estimate: "Ước tính",
    print: "In bản ước tính", footer: "Bản ước tính không thay thế thông báo thu của cơ quan có thẩm quyền. Nguồn: các văn bản nêu trong từng dòng.",
    national: "Toàn quốc (chỉ phí, lệ phí trung ương)",
    in_person: "Trực tiếp tại bộ phận một cửa", postal: "Qua bưu chính công ích", online_partial: "Trực tuyến một phần (mức độ 3)", online_full: "Trực tuyến toàn trình (mức độ 4)",
    item: "Khoản", base: "Mức thu", adjust: "Miễn, giảm", pay: "Phải nộp", basis: "Căn cứ", total: "Tổng phải nộp", in_words: "Bằng chữ",
    fees: "Phí, lệ phí", post_line: "Cước bưu chính", subsidy: "ngân sách hỗ trợ", saving: "Nộp trực tuyến tiết kiệm", none: "—", fingerprint: "Mã tái lập",
    pick: "Chọn một thủ tục để xem ước tính.",
    org_no_situation: "Các hoàn cảnh dưới đây chỉ áp dụng cho cá nhân, hộ gia đình.",
    merged: "{from} đã sáp nhập vào {to} từ ngày {date}: ước tính tính cho {to}.",
    no_match: "Không có thủ tục nào khớp với “{}”. Thử từ khác, hoặc xoá ô tìm kiếm để xem tất cả.",
    need_whole: "Ô “{}” cần một số nguyên (không dấu âm, không phần thập phân), ví dụ 1.",
    need_weight: "Nhập khối lượng hồ sơ: một số gam nguyên từ 1 đến 100000, ví dụ 100.",
    need_date: "Nhập ngày nộp hồ sơ: một ngày từ 01/01/1900 đến 31/12/2999.",
    need_count: "Ô “{}” cần một số nguyên từ {min} đến 1.000.000.",
    need_money: "Ô “{}” cần một số tiền bằng chữ số, không âm, phần nguyên tối đa 18 chữ số, ví dụ 1.500.000.000.",
    confidence: { verified: "đã đối chiếu văn bản", secondary: "nguồn thứ cấp", unverified: "chưa xác minh" },
    sources: "Văn bản căn cứ", issued_by: "Cơ quan ban hành", in_force: "Hiệu lực", from: "từ", to: "đến", read: "Đọc văn bản",
    note: "Ghi chú của thư viện (tiếng Anh)",
    lapsed: "Đã hết hiệu lực trước ngày nộp ({}).", not_yet: "Chưa có hiệu lực vào ngày nộp ({}).",
    listed_under: "Thủ tục được ghi trong thư viện theo văn bản này; các khoản tiền ở trên theo các văn bản có hiệu lực vào ngày nộp.",
    replaced_by: "Được thay thế bởi {}.",
    no_rate: "Thư viện chưa có mức thu của thủ tục này áp dụng vào ngày {}.",
    known_rates: "Mức thu đã biết", price_on: "Tính cho ngày {}",
    replaced: "Từ {date}, văn bản {by} đã thay thế văn bản quy định mức thu này; thư viện chưa có mức thu theo văn bản mới.",
    no_rate_kind: "Thư viện chưa có mức thu của thủ tục này khi người nộp là {}.",
    fill_in: "Nhập “{}” để xem ước tính.",
    weekdays: ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"],
    see_estimate: "Xem ước tính", assumed: "Thông tin dùng để tính", situation_short: "Hoàn cảnh", no_situation: "không chọn diện miễn, giảm nào",
  },
  en: {
    title: "Estimate the fees of an administrative procedure",
    lead: "Exact amounts to pay, online discounts, exemptions and postage, each with its legal basis. Runs entirely on your device.",
    when_where: "Procedure, place and date", date: "Filing date", province: "Province or city",
    search: "Find a procedure (with or without diacritics)", procedure: "Procedure", channel: "How you file",
    situation: "Your situation (for exemptions and reductions)", kind: "The applicant is",
    individual: "A person or household", organisation: "An organisation or business", inputs: "What the fee depends on",
    postage: "Public postal service", direction: "Send the dossier / receive the result by post", no_post: "Not used",
    send: "Send the dossier", return: "Receive the result", both: "Both ways", zone: "Zone",
    no_zone: "No public postal tariff is recorded for this place on this date",
    weight: "Dossier weight (grams)", estimate: "Estimate",
    print: "Print the estimate", footer: "An estimate does not replace the fee notice of the competent authority. Sources: the documents cited on each line.",
    national: "Nationwide (central fees only)",
    in_person: "In person at the one-stop desk", postal: "By public post", online_partial: "Online, partly (level 3)", online_full: "Online, end to end (level 4)",
    item: "Item", base: "Rate", adjust: "Exemptions, reductions", pay: "To pay", basis: "Legal basis", total: "Total to pay", in_words: "In words",
    fees: "Fees and charges", post_line: "Postage", subsidy: "paid by the budget", saving: "Filing online saves", none: "—", fingerprint: "Fingerprint",
    pick: "Choose a procedure to see the estimate.",
    org_no_situation: "The situations below apply to a person or household only.",
    merged: "{from} became part of {to} on {date}: the estimate is for {to}.",
    no_match: "No procedure matches “{}”. Try other words, or clear the search to see them all.",
    need_whole: "“{}” needs a whole number (no minus sign, no decimals), for example 1.",
    need_weight: "Enter the dossier weight: a whole number of grams from 1 to 100000, for example 100.",
    need_date: "Enter the filing date: a day from 1900-01-01 to 2999-12-31.",
    need_count: "“{}” needs a whole number from {min} to 1.000.000.",
    need_money: "“{}” needs an amount in figures, 0 or more, at most 18 digits before the decimal comma, for example 1.500.000.000.",
    confidence: { verified: "checked against the text", secondary: "secondary source", unverified: "unverified" },
    sources: "Documents relied on", issued_by: "Issued by", in_force: "In force", from: "from", to: "to", read: "Read the text",
    note: "Library note",
    lapsed: "No longer in force on the filing date ({}).", not_yet: "Not yet in force on the filing date ({}).",
    listed_under: "The library lists the procedure under this document; the amounts above come from documents in force on the filing date.",
    replaced_by: "Replaced by {}.",
    no_rate: "The library has no rate for this procedure in force on {}.",
    known_rates: "Known rates", price_on: "Price it for {}",
    replaced: "From {date}, {by} replaced the document that set this rate; the library does not have the new rate yet.",
    no_rate_kind: "The library has no rate for this procedure when the applicant is {}.",
    fill_in: "Enter “{}” to see the estimate.",
    weekdays: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    see_estimate: "See the estimate", assumed: "What the estimate assumes", situation_short: "Situation", no_situation: "no exemption category ticked",
  },
};
const CHANNELS = ["in_person", "postal", "online_partial", "online_full"];

let lang = "vi";
let engine;
let allProcedures = [];
const $ = (id) => document.getElementById(id);
const t = (k) => T[lang][k] ?? k;
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
const name = (n) => (lang === "en" && n.en) || n.vi;

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  $("lang-vi").setAttribute("aria-pressed", String(lang === "vi"));
  $("lang-en").setAttribute("aria-pressed", String(lang === "en"));
  renderDateWords();
  renderChannels();
  renderCategories();
  renderProvinces();
  renderProcedures();
  update();
}

function renderChannels() {
  const current = document.querySelector("input[name=channel]:checked")?.value ?? "in_person";
  $("channels").innerHTML = CHANNELS.map((c) =>
    `<label><input type="radio" name="channel" value="${c}" ${c === current ? "checked" : ""}> ${esc(t(c))}</label>`).join("");
}

// The exemption categories in words (`categories()`), read from the engine once.
let categoryList = null;
const situationList = () => (categoryList ??= categories());

function renderCategories() {
  const checked = new Set([...document.querySelectorAll("input[name=category]:checked")].map((i) => i.value));
  $("categories").innerHTML = situationList().map((c) =>
    `<label><input type="checkbox" name="category" value="${c.id}" ${checked.has(c.id) ? "checked" : ""}> ${esc(lang === "en" ? c.en : c.vi)}</label>`).join("");
}

// The provinces of the list shown (id → the engine's entry), and, while the page shows a
// province it moved to because the chosen one had merged into it, the two of them.
let provinceEntries = new Map();
let merger = null;

// The province the page opens on: `?province=<id>` or `<html data-province="<id>">`, so a
// province's portal opens the estimator on its own fees. Used once, for the first list.
let preferredProvince = new URLSearchParams(location.search).get("province") ?? document.documentElement.dataset.province ?? null;

function renderProvinces() {
  let current = $("province").value || "vn";
  // The province a portal names may have merged since it linked here (`?province=vn/tien-giang`
  // today): it is looked up among all the engine knows, so that its successor opens.
  let named = null;
  if (preferredProvince !== null) {
    current = preferredProvince;
    preferredProvince = null;
    named = engine.jurisdictions().find((j) => j.id === current) ?? null;
  }
  // A date the engine does not price keeps the list as it is (the status says what to type).
  const date = $("date").value;
  if (!dateInRange(date) && $("province").options.length) return;
  const list = engine.jurisdictions(dateInRange(date) ? date : undefined).filter((j) => j.id !== "vn");
  const keys = new Map(list.map((j) => [j, viKey(j.name.vi)]));
  list.sort((a, b) => (keys.get(a) < keys.get(b) ? -1 : keys.get(a) > keys.get(b) ? 1 : 0));
  const entries = new Map(list.map((j) => [j.id, j]));
  let chosen = entries.has(current) ? current : "vn";
  // A province that no longer exists on the new date: the one it became part of (its
  // `successors`), not the whole country. Back before the merger, the province chosen first.
  const gone = provinceEntries.get(current) ?? named;
  const next = gone && !entries.has(current) && (gone.successors ?? []).find((id) => entries.has(id));
  if (next) {
    merger = { from: gone, to: entries.get(next) };
    chosen = next;
  } else if (merger && current === merger.to.id && entries.has(merger.from.id)) {
    chosen = merger.from.id;
    merger = null;
  } else if (merger && current !== merger.to.id) {
    merger = null;
  }
  if (current !== "vn" && chosen === "vn" && !gone) {
    console.warn(`lephi: no province \`${current}\` on ${date || "this date"}; the page opens on the whole country`);
  }
  provinceEntries = entries;
  $("province").innerHTML = `<option value="vn">${esc(t("national"))}</option>` +
    list.map((j) => `<option value="${j.id}">${esc(name(j.name))}</option>`).join("");
  $("province").value = chosen;
  renderMerger();
}

// The note under the province while the page shows the province a merger moved it to.
function renderMerger() {
  let text = "";
  if (merger?.from.valid_to) {
    const day = new Date(`${merger.from.valid_to}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + 1);
    text = t("merged").replace("{from}", name(merger.from.name)).replaceAll("{to}", name(merger.to.name))
      .replace("{date}", shownDate(day.toISOString().slice(0, 10)));
  }
  $("province-note").textContent = text;
}

// The procedure the page opens on: `?procedure=<id>` or `<html data-procedure="<id>">`, so a
// portal can link from a procedure's page straight to its estimate. index.html names the
// driver's licence, which prices with no further input. Used once, for the first list.
let preferred = new URLSearchParams(location.search).get("procedure") ?? document.documentElement.dataset.procedure ?? null;

// Procedures in the alphabetical order of the names shown: Vietnamese order on the Vietnamese
// page (vi-order.js), the names without diacritics on the English one. Keys kept per language.
const procedureKeys = { vi: null, en: null };
function procedureOrder(a, b) {
  procedureKeys[lang] ??= new Map(allProcedures.map((p) => [p.id, lang === "vi" ? viKey(p.name.vi) : fold(name(p.name))]));
  const [x, y] = [procedureKeys[lang].get(a.id), procedureKeys[lang].get(b.id)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function renderProcedures() {
  let current = $("procedure").value;
  if (preferred !== null) {
    if (!current && !allProcedures.some((p) => p.id === preferred)) console.warn(`lephi: no procedure \`${preferred}\` in the library; the list opens on its first`);
    current ||= preferred;
    preferred = null;
  }
  const q = fold($("search").value.trim());
  const words = q.split(/\s+/).filter(Boolean);
  const shown = allProcedures.filter((p) => {
    const hay = fold(`${p.id} ${p.name.vi} ${p.name.en ?? ""} ${(p.codes ?? []).join(" ")} ${(p.keywords ?? []).join(" ")}`);
    return words.every((w) => hay.includes(w));
  }).sort(procedureOrder);
  $("procedure").innerHTML = shown.map((p) => `<option value="${p.id}">${esc(name(p.name))}</option>`).join("");
  if (shown.some((p) => p.id === current)) $("procedure").value = current;
  else if (shown.length) $("procedure").value = shown[0].id;
}

// A zone in the engine's words (`zoneNames`), capitalised for a list; a zone lephi has no
// words for shows its id.
let zoneWords = null;
function zoneName(id) {
  zoneWords ??= zoneNames();
  const z = zoneWords.find((n) => n.id === id);
  const text = z ? (lang === "en" ? z.en : z.vi) : id.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// The zones of the postal tariffs in force for the chosen place and date: they differ by
// province (inner city; within or between districts; between provinces of the same or a
// distant region), so the engine says which exist. The choice is kept while it still exists.
function renderZones() {
  let zones = [];
  try { zones = engine.postalZones($("province").value || "vn", $("date").value); } catch { zones = []; }
  const current = $("zone").value;
  const key = `${lang} ${zones.join(" ")}`;
  if ($("zone").dataset.key !== key) {
    $("zone").innerHTML = zones.length
      ? zones.map((z) => `<option value="${esc(z)}">${esc(zoneName(z))}</option>`).join("")
      : `<option value="">${esc(t("no_zone"))}</option>`;
    $("zone").dataset.key = key;
  }
  if (zones.includes(current)) $("zone").value = current;
}

function baseRequest() {
  return {
    procedure: $("procedure").value,
    date: $("date").value,
    jurisdiction: $("province").value || "vn",
    channel: document.querySelector("input[name=channel]:checked")?.value ?? "in_person",
    // The situations describe a person or a household; an organisation has none (the boxes
    // keep their ticks for a switch back).
    applicant: {
      kind: $("kind").value,
      categories: $("kind").value === "organisation" ? [] : [...document.querySelectorAll("input[name=category]:checked")].map((i) => i.value),
    },
  };
}

// What each needed input holds now: the field's value, else the input's default, else (for a
// choice) its first value, which is what the select shows.
function current(n, previous) {
  const v = previous[n.name] ?? n.default ?? "";
  if (n.kind !== "choice") return v;
  return n.choices.some((c) => c.value === v) ? v : n.choices[0]?.value ?? "";
}

// Every input the procedure needs with the choices as the form makes them. `missingInputs`
// lists an input behind a choice (the car's declared value behind first or later registration)
// only once the request makes that choice, so ask again after filling in each choice.
function neededInputs(request, previous) {
  const needed = [];
  const inputs = {};
  for (let round = 0; round < 16; round++) {
    let fresh;
    try { fresh = engine.missingInputs({ ...request, inputs }); } catch { break; }
    fresh = fresh.filter((n) => !needed.some((m) => m.name === n.name));
    if (!fresh.length) break;
    needed.push(...fresh);
    const choices = fresh.filter((n) => n.kind === "choice");
    if (!choices.length) break;
    for (const n of choices) inputs[n.name] = current(n, previous);
  }
  return needed;
}

function renderInputs(request) {
  const fields = () => Object.fromEntries(inputFields().map((el) => [el.dataset.input, el.value]));
  const needed = neededInputs(request, fields());
  // Keep the fields (and the caret) while the set of needed inputs stays the same.
  const signature = `${lang}|${needed.map((n) => `${n.name}:${n.allowed.join(",")}`).join(";")}`;
  if ($("inputs").dataset.signature === signature) return;
  $("inputs").dataset.signature = signature;
  const previous = fields();
  $("inputs-box").hidden = needed.length === 0;
  $("inputs").innerHTML = needed.map((n) => {
    const id = `in-${n.name}`;
    const label = esc(lang === "en" && n.label.en ? n.label.en : n.label.vi);
    const value = current(n, previous);
    if (n.kind === "choice") {
      return `<label for="${id}">${label}</label><select id="${id}" data-input="${n.name}" data-kind="choice">` +
        n.choices.map((c) => `<option value="${esc(c.value)}" ${c.value === value ? "selected" : ""}>${esc(c.label[lang] ?? c.label.vi)}</option>`).join("") + "</select>";
    }
    const mode = n.kind === "money" ? 'inputmode="decimal" placeholder="0"' : `inputmode="numeric" type="number" min="${n.min ?? 0}" step="1"`;
    // Money labels name their unit already ("… (đồng)").
    return `<label for="${id}">${label}</label><input id="${id}" data-input="${n.name}" data-kind="${n.kind}" ${mode} value="${esc(value)}">`;
  }).join("");
}

// The form's fields for the procedure's inputs, and what a field's label says.
const inputFields = () => [...document.querySelectorAll("#inputs [data-input]")];
const labelOf = (el) => el.labels?.[0]?.textContent.trim() || el.dataset.input;

// The label of the form's field for input `name`, if the form shows one.
function fieldLabel(name) {
  const field = name && inputFields().find((el) => el.dataset.input === name);
  return field ? labelOf(field) : null;
}

// What the form itself refuses (a count or a weight that is not a whole number), with a
// message that says what to type: the engine would refuse it too, but its message points into
// the request's JSON.
class FormError extends Error {}

// A field's whole number as typed, or null (empty, signed, or with decimals).
function whole(el) {
  const v = el.value.trim();
  return /^[0-9]+$/.test(v) ? Number(v) : null;
}

// The dates the engine prices (1900 to 2999): the date field takes any year a person types.
const DATES = { min: "1900-01-01", max: "2999-12-31" };
const dateInRange = (d) => /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(d) && d >= DATES.min && d <= DATES.max;

function fullRequest() {
  const req = baseRequest();
  if (!dateInRange(req.date)) throw new FormError(t("need_date"));
  const inputs = {};
  for (const el of inputFields()) {
    if (el.value.trim() === "") continue;
    if (el.dataset.kind === "count") {
      const n = whole(el);
      if (n === null) throw new FormError(t("need_whole").replace("{}", labelOf(el)));
      // The engine's range for counts (`limits::MAX_COUNT`), from the input's own minimum.
      const min = Number(el.min || 1);
      if (n < min || n > 1000000) throw new FormError(t("need_count").replace("{}", labelOf(el)).replace("{min}", min));
      inputs[el.dataset.input] = n;
    } else if (el.dataset.kind === "money") {
      // Money stays a decimal string, typed the Vietnamese way (1.500.000,5) or plainly; at
      // most 18 digits before the comma (`limits::MAX_MONEY_DIGITS`). Dots only group
      // thousands: `1500000.5` or `1.5` (an English decimal point) would be read as 15.000.005
      // or 15, so they are refused rather than guessed.
      const typed = el.value.trim();
      const amount = typed.replace(/\./g, "").replace(/,/g, ".");
      const grouped = !typed.includes(".") || /^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$/.test(typed);
      if (!grouped || !/^[0-9]{1,18}(\.[0-9]+)?$/.test(amount.replace(/^0+(?=[0-9])/, ""))) {
        throw new FormError(t("need_money").replace("{}", labelOf(el)));
      }
      inputs[el.dataset.input] = amount;
    } else {
      inputs[el.dataset.input] = el.value;
    }
  }
  if (Object.keys(inputs).length) req.inputs = inputs;
  const direction = $("direction").value;
  $("postage-details").hidden = !direction;
  if (direction) {
    const grams = whole($("weight"));
    if (grams === null || grams < 1 || grams > 100000) throw new FormError(t("need_weight"));
    req.postage = { direction, zone: $("zone").value, weight_grams: grams };
  }
  return req;
}

function conf(c) {
  return `<span class="conf-${c}">${esc(T[lang].confidence[c] ?? c)}</span>`;
}

// Escaped text with its `rule ids` (written between backticks, as in the contract's messages)
// shown as code rather than with the backticks.
function code(escaped) {
  return escaped.replace(/`([^`]+)`/g, "<code>$1</code>");
}

// The filing date as people write it: 01/05/2024 on the Vietnamese page, ISO on the English one.
function shownDate(iso) {
  const [y, m, d] = iso.split("-");
  return lang === "vi" && d ? `${d}/${m}/${y}` : iso;
}

// The filing date in words under its field, which shows the date in the browser's format, not
// the page's: "Thứ Tư, ngày 1 tháng 5 năm 2024" / "Wednesday, 1 May 2024".
function renderDateWords() {
  const [y, m, d] = $("date").value.split("-").map(Number);
  if (!y || !m || !d) { $("date-words").textContent = ""; return; }
  // `Date.UTC` reads years 0–99 as 1900–1999: set the year on its own.
  const day = new Date(Date.UTC(2000, m - 1, d));
  day.setUTCFullYear(y);
  const weekday = t("weekdays")[day.getUTCDay()];
  $("date-words").textContent = lang === "vi"
    ? `${weekday}, ngày ${d} tháng ${m} năm ${y}`
    : `${weekday}, ${d} ${t("months")[m - 1]} ${y}`;
}

// Today on the device's calendar. `toISOString` gives the day in UTC, which in Việt Nam
// (UTC+7) is still yesterday until 07:00.
function today() {
  const now = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

// A cell's column name, which the phone layout (one cell per line, no header row) shows
// before the cell's content.
function label(column) {
  return ` data-label="${esc(t(column))}"`;
}

// The documents the quote rests on, with how far each was checked and the library's notes
// on what is known and what is not (in English, as the rule files keep them).
//
// A document can be listed although it is out of force on the filing date: the one under which
// the library lists the procedure (the driver's licence under 37/2023/TT-BTC, which 154/2025
// replaced on 01/01/2026). Every priced rule lies inside its document's window (the validator
// checks it), so no other document can be out of force here; such a document is marked, with
// its replacement, so that a reader does not take it for the basis of the amounts.
function renderSources(sources, date) {
  if (!sources.length) return "";
  const numbers = new Map(sources.map((d) => [d.id, d.number]));
  const items = sources.map((d) => {
    // ISO dates compare as text.
    const off = d.kind === "registry" ? null : date < d.in_force_from ? "not_yet" : d.in_force_to && date > d.in_force_to ? "lapsed" : null;
    const replaced = off === "lapsed" && d.replaced_by ? ` ${esc(t("replaced_by").replace("{}", numbers.get(d.replaced_by) ?? d.replaced_by))}` : "";
    const status = off ? `<p class="lapsed">${esc(t(off).replace("{}", shownDate(date)))}${replaced} ${esc(t("listed_under"))}</p>` : "";
    const until = d.in_force_to ? ` ${esc(t("to"))} ${esc(shownDate(d.in_force_to))}` : "";
    // The validator lets only http(s) addresses through, also in rules loaded at run time.
    const link = d.url ? ` · <a href="${esc(d.url)}" rel="noopener noreferrer">${esc(t("read"))}</a>` : "";
    // The jurisdiction registry is not a legal document and has no meaningful dates.
    const dates = d.kind === "registry" ? "" : ` · ${esc(t("in_force"))} ${esc(t("from"))} ${esc(shownDate(d.in_force_from))}${until}`;
    const note = d.notes ? `<p class="note"><span>${esc(t("note"))}:</span> <span lang="en">${esc(d.notes)}</span></p>` : "";
    return `<li data-document="${esc(d.id)}"><strong>${esc(d.number)}</strong> — ${esc(d.title)}` +
      `<div class="basis">${esc(t("issued_by"))}: ${esc(d.issuer)}${dates} · ${conf(d.confidence)}${link}</div>${status}${note}</li>`;
  });
  return `<section class="sources" aria-labelledby="sources-title"><h3 id="sources-title">${esc(t("sources"))}</h3><ul>${items.join("")}</ul></section>`;
}

// What the form told the engine, as the page shows it, so that a printed estimate (which
// leaves the form out) says what it assumed: the applicant, the situations ticked and each
// input the procedure needed (a choice by its label, money in đồng).
function renderAssumed(req) {
  const chosen = new Set(req.applicant.categories);
  const situations = situationList().filter((c) => chosen.has(c.id)).map((c) => (lang === "en" ? c.en : c.vi));
  const items = [[t("kind"), t(req.applicant.kind)]];
  if (req.applicant.kind !== "organisation") {
    items.push([t("situation_short"), situations.length ? situations.join("; ") : t("no_situation")]);
  }
  for (const el of inputFields()) {
    const value = req.inputs?.[el.dataset.input];
    if (value === undefined) continue;
    const shown = el.dataset.kind === "choice" ? el.selectedOptions[0]?.textContent ?? String(value)
      : el.dataset.kind === "money" ? formatVnd(String(value)) : String(value);
    items.push([labelOf(el), shown]);
  }
  return `<div class="assumed"><h3>${esc(t("assumed"))}</h3><ul>${items.map(([k, v]) => `<li>${esc(k)}: <span>${esc(v)}</span></li>`).join("")}</ul></div>`;
}

// A rule id in a narrow column: it may break after the document's id (`tt-37-2023-btc/`) and
// at its hyphens, not between any two letters.
const ruleCode = (id) => `<code class="rule">${esc(id).replace("/", "/<wbr>")}</code>`;

function renderQuote(q, saving, sources, req) {
  const rows = q.lines.map((l) => {
    const adj = l.adjustments.filter((a) => a.applied).map((a) =>
      `${esc(name(a.name))}: ${esc(formatVnd(a.delta))}<div class="basis">${esc(a.basis.number)}, ${esc(a.basis.article)}</div>`).join("") || t("none");
    return `<tr data-rule="${esc(l.rule)}"><td>${esc(name(l.name))}<div class="basis">${ruleCode(l.rule)}</div></td>` +
      `<td class="num"${label("base")}>${esc(formatVnd(l.base))}</td><td${label("adjust")}>${adj}</td><td class="num line-amount"${label("pay")}>${esc(formatVnd(l.amount))}</td>` +
      `<td class="basis"${label("basis")}>${esc(l.basis.number)}, ${esc(l.basis.article)} (${conf(l.basis.confidence)})</td></tr>`;
  });
  if (q.postage) {
    const p = q.postage;
    const sub = p.subsidy !== "0" ? `${esc(formatVnd(p.subsidy))} ${esc(t("subsidy"))}` : t("none");
    rows.push(`<tr data-rule="${esc(p.rule)}"><td>${esc(t("post_line"))} (${esc(t(p.direction))}, ${p.weight_grams} g)</td>` +
      `<td class="num"${label("base")}>${esc(formatVnd(p.tariff))}</td><td${label("adjust")}>${sub}</td><td class="num" id="postage-amount"${label("pay")}>${esc(formatVnd(p.applicant))}</td>` +
      `<td class="basis"${label("basis")}>${esc(p.basis.number)}, ${esc(p.basis.article)} (${conf(p.basis.confidence)})</td></tr>`);
  }
  const warnings = q.warnings.length ? `<ul class="warnings">${q.warnings.map((w) => `<li>${code(esc(warningText(w, lang)))}</li>`).join("")}</ul>` : "";
  const save = saving && saving !== "0" ? `<p class="saving" id="saving">${esc(t("saving"))}: ${esc(formatVnd(saving))}</p>` : "";
  $("receipt").innerHTML =
    `<p><strong>${esc(name(q.procedure_name))}</strong> — ${esc($("province").selectedOptions[0]?.textContent ?? q.jurisdiction)}, ${esc(shownDate(q.date))}, ${esc(t(q.channel))}</p>` +
    renderAssumed(req) +
    `<table><caption class="sr-only">${esc(t("estimate"))}</caption><thead><tr><th scope="col">${esc(t("item"))}</th><th scope="col" class="num">${esc(t("base"))}</th>` +
    `<th scope="col">${esc(t("adjust"))}</th><th scope="col" class="num">${esc(t("pay"))}</th><th scope="col">${esc(t("basis"))}</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody><tfoot><tr><td colspan="3">${esc(t("total"))}</td><td class="num" id="total" data-total="${esc(q.total)}">${esc(formatVnd(q.total))}</td><td></td></tr></tfoot></table>` +
    `<p class="words">${esc(t("in_words"))}: <span id="words">${esc(amountInWords(q.total, lang))}</span></p>${save}${warnings}` +
    `${renderSources(sources, q.date)}<p class="basis">${esc(t("fingerprint"))}: <code>${esc(q.fingerprint)}</code></p>`;
}

// No rule in force on the date (the default date is today, and some rates are known only up
// to a date): say so plainly, list the windows the engine names (`details.windows`), each with
// a button that prices the request on the window's day nearest the date. Nothing moves the
// date unless the button is pressed.
function noRate(details) {
  const windows = details?.windows ?? [];
  if (!windows.length) return null;
  const items = windows.map((w) => {
    const span = `${t("from")} ${shownDate(w.from)}${w.to ? ` ${t("to")} ${shownDate(w.to)}` : ""}`;
    return `<li>${esc(span)} (<code>${esc(w.rule)}</code>) <button type="button" data-date="${esc(w.nearest_day)}">${esc(t("price_on").replace("{}", shownDate(w.nearest_day)))}</button></li>`;
  });
  // A document that replaced the rate's own, in force on the date, whose rate lephi lacks:
  // say so, so that the old rate is not taken for today's.
  const by = windows.find((w) => w.replaced_by);
  const replaced = by ? ` ${esc(t("replaced").replace("{date}", shownDate(by.replaced_from)).replace("{by}", by.replaced_by))}` : "";
  return `${esc(t("no_rate").replace("{}", shownDate(details.date)))}${replaced} ${esc(t("known_rates"))}:<ul class="windows">${items.join("")}</ul>`;
}

// The quote on the chosen channel and what filing online saves, from one comparison (which
// prices every channel). When the chosen channel cannot be priced, `quote` throws its error
// with the details the status needs.
function priced(req) {
  let comparison = null;
  try { comparison = engine.compareChannels(req); } catch { comparison = null; }
  const q = comparison?.channels.find((c) => c.channel === req.channel)?.quote ?? engine.quote(req);
  return { q, saving: comparison?.online_saving ?? null };
}

// For an organisation the situations are shown disabled, with a note saying why.
function renderKind() {
  const organisation = $("kind").value === "organisation";
  $("kind-note").hidden = !organisation;
  for (const box of document.querySelectorAll("input[name=category]")) box.disabled = organisation;
}

function update() {
  renderKind();
  if (!$("procedure").value) {
    // An empty list after a search: say the search found nothing, not "choose one".
    const search = $("search").value.trim();
    setStatus(esc(search && !$("procedure").options.length ? t("no_match").replace("{}", search) : t("pick")), search ? "prompt" : "");
    $("receipt").innerHTML = "";
    renderJump(null);
    announce("");
    return;
  }
  renderInputs(baseRequest());
  renderZones();
  try {
    const req = fullRequest();
    const { q, saving } = priced(req);
    setStatus("");
    renderQuote(q, saving, engine.sources(req), req);
    renderJump(q.total);
    announce(`${name(q.procedure_name)} — ${t("total")}: ${formatVnd(q.total)}` +
      (saving && saving !== "0" ? `. ${t("saving")}: ${formatVnd(saving)}` : ""));
  } catch (e) {
    // Errors about the request read in Vietnamese on the Vietnamese page (`message_vi`).
    const message = e instanceof FormError ? e.message : (lang === "vi" && e.details?.message_vi) || e.message;
    // An input the form asks for and that is still empty: name its field, not the input's id.
    const ask = e.code === "missing_input" ? fieldLabel(e.details?.name) : null;
    const html = (e.code === "date_outside_windows" && noRate(e.details)) ||
      // A rule that prices only some applicants (Hà Nội's land certificate: households and
      // individuals): the applicant is not wrong, the library lacks the rate.
      (e.code === "invalid_input" && e.details?.name === "applicant_kind" && T[lang][e.details.value] &&
        esc(t("no_rate_kind").replace("{}", t(e.details.value).toLowerCase()))) ||
      (ask && esc(t("fill_in").replace("{}", ask))) ||
      code(esc(message));
    // A field still to fill in is a prompt, not an error.
    const kind = ask ? "prompt" : "error";
    setStatus(html, kind, e instanceof FormError ? "form" : e.code ?? "");
    announce("");
    $("receipt").innerHTML = "";
    renderJump(null);
  }
}

// The status line: its text (HTML), its class (`prompt`, `error` or none) and the error's code,
// always set together, so nothing of an earlier status stays behind. Unchanged text is left in
// place, so a button in it survives an update between the press and the release (leaving a
// field that changed fires `change` on the press).
function setStatus(html, kind = "", code = "") {
  const s = $("status");
  if (s.dataset.html !== html || s.className !== kind) s.innerHTML = html;
  s.dataset.html = html;
  s.className = kind;
  s.dataset.code = code;
}

// What a screen reader says when the estimate changes: the procedure and its total (and the
// saving online), not the whole receipt. Set only when it changes, so an update that changes
// nothing says nothing.
function announce(text) {
  if ($("announce").textContent !== text) $("announce").textContent = text;
}

// The phone's bar to the estimate: the total when there is one.
function renderJump(total) {
  $("jump").innerHTML = (total === null ? "" : `<span>${esc(t("total"))}: <strong>${esc(formatVnd(total))}</strong></span> `) +
    `<span>${esc(t("see_estimate"))} <span aria-hidden="true">↓</span></span>`;
}

// A portal can price with its own rules: `?rules=<url>` or `<html data-rules="<url>">` names a
// file written by `lephi compile` (validated like any rules, up to 4 MB); without either, the
// library embedded in the engine.
function rulesUrl() {
  return new URLSearchParams(location.search).get("rules") ?? document.documentElement.dataset.rules ?? null;
}

async function fetchRules(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// The engine compiled by index.html's first script, or, if that did not happen or failed, none:
// `init()` then fetches and compiles it itself (and reports any error).
async function compiled() {
  try {
    const module = await window.lephiWasm;
    return module instanceof WebAssembly.Module ? { module_or_path: module } : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const started = performance.now();
  const url = rulesUrl();
  const rules = url ? fetchRules(url) : null;
  const early = await compiled();
  await init(early);
  const loaded = performance.now();
  engine = rules ? Engine.fromCompiled(await rules) : new Engine();
  const built = performance.now();
  allProcedures = engine.procedures();
  $("date").value = today();
  $("version").textContent = `lephi ${version()}`;
  $("lang-vi").addEventListener("click", () => { lang = "vi"; applyLanguage(); });
  $("lang-en").addEventListener("click", () => { lang = "en"; applyLanguage(); });
  $("search").addEventListener("input", () => { renderProcedures(); update(); });
  $("date").addEventListener("change", () => { renderDateWords(); renderProvinces(); update(); });
  // A province chosen by hand ends the note about a merger.
  $("province").addEventListener("change", () => { merger = null; renderMerger(); });
  $("print").addEventListener("click", () => window.print());
  $("status").addEventListener("click", (e) => {
    const day = e.target.closest("button[data-date]")?.dataset.date;
    if (!day) return;
    $("date").value = day;
    $("date").dispatchEvent(new Event("change"));
    $("date").focus();
  });
  $("form").addEventListener("change", (e) => { if (e.target.id !== "date") update(); });
  $("form").addEventListener("input", (e) => { if (e.target.dataset?.input || e.target.id === "weight") update(); });
  // The bar to the estimate steps aside while the estimate is in view.
  new IntersectionObserver(([e]) => document.body.classList.toggle("result-in-view", e.isIntersecting)).observe($("result"));
  applyLanguage();
  window.lephiReady = {
    firstQuoteMs: performance.now() - started,
    wasmInitMs: loaded - started,
    engineMs: built - loaded,
    navigationToFirstQuoteMs: performance.now(),
    compiledEarly: early !== undefined,
  };
  document.body.dataset.ready = "true";
  keepOffline();
}

// After the first quote, so it never delays it: a service worker (sw.js) stores the page and
// the engine for visits without a network. Pages opened from disk (file://) cannot have one.
function keepOffline() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register("sw.js").catch(() => {});
}

main().catch((e) => setStatus(esc(String(e)), "error", e.code ?? ""));
