// Where a `quoteJson` call and the first quote spend their time (not a test): `node
// scripts/bench-parts.mjs` after `npm run build`. The same measurements run in Node and in
// headless chromium on `lephi/lite`: the whole call, the wasm export alone ("raw": the request
// string in, result bytes out, no decoding of the result), decoding the result into a JS string, and
// `JSON.parse` of it, and the whole call for a plain request (one national fee, no postage);
// then, on a fresh page, each step's first (cold) and second (warm) call.
// Figures go in benches/README.md.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pkgDir } from "../test/load.mjs";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

// Runs in Node and, serialised, in the page: keep it self-contained.
async function measure(m, wasmSource) {
  const wasm = await m.default({ module_or_path: wasmSource });
  const engine = new m.Engine();
  const request = { procedure: "driver-licence.issue", date: "2024-05-01", jurisdiction: "vn/ha-tinh", channel: "online_full", postage: { direction: "return", zone: "inner_city", weight_grams: 100 } };
  const json = JSON.stringify(request);
  const light = { procedure: "driver-licence.issue", date: "2024-05-01", channel: "online_full" };
  const lightJson = JSON.stringify(light);
  const result = engine.quoteJson(json);
  const resultBytes = new TextEncoder().encode(result);
  const asciiBytes = new TextEncoder().encode(result.replace(/[^\x00-\x7f]/g, "?"));
  const decoder = new TextDecoder();
  const median = (f, n = 20000) => {
    for (let i = 0; i < 2000; i++) f();
    const runs = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      for (let i = 0; i < n; i++) f();
      runs.push(((performance.now() - t) / n) * 1000);
    }
    return +runs.sort((a, b) => a - b)[2].toFixed(2);
  };
  // The raw call must give the quote itself, not an error (it did once: the export's signature
  // changed and this script went on timing the refusal).
  const out = wasm.engine_quoteJson(engine.__wbg_ptr, json);
  const raw = decoder.decode(new Uint8Array(wasm.memory.buffer, out[0], out[1]));
  wasm.__wbindgen_free(out[0], out[1], 1);
  if (raw !== result || !result.startsWith('{"')) throw new Error(`the raw call does not give the quote: ${raw.slice(0, 80)}`);
  return {
    resultBytes: resultBytes.length,
    nonAsciiChars: [...result].filter((c) => c.charCodeAt(0) > 127).length,
    quoteJsonUs: median(() => engine.quoteJson(json)),
    // The export takes the request as a JS value (d10c571) and reads it as a string in Rust.
    rawWasmCallUs: median(() => {
      const out = wasm.engine_quoteJson(engine.__wbg_ptr, json);
      wasm.__wbindgen_free(out[0], out[1], 1);
    }),
    decodeResultUs: median(() => decoder.decode(resultBytes)),
    decodeSameLengthAsciiUs: median(() => decoder.decode(asciiBytes)),
    jsonParseResultUs: median(() => JSON.parse(result)),
    quoteObjectUs: median(() => engine.quote(request)),
    // The estimator's plainest request: one national fee, online, no province, no postage.
    lightResultBytes: new TextEncoder().encode(engine.quoteJson(lightJson)).length,
    lightQuoteJsonUs: median(() => engine.quoteJson(lightJson)),
    lightQuoteObjectUs: median(() => engine.quote(light)),
  };
}

// On a fresh page: each step's first call, then the same call again.
async function coldWarm(url) {
  const ms = (t) => +(performance.now() - t).toFixed(1);
  const request = { procedure: "driver-licence.issue", date: "2024-05-01", jurisdiction: "vn/ha-tinh", channel: "online_full", postage: { direction: "return", zone: "inner_city", weight_grams: 100 } };
  let t = performance.now();
  const m = await import(url);
  const out = { importMs: ms(t) };
  t = performance.now();
  await m.default();
  out.initMs = ms(t);
  t = performance.now();
  const engine = new m.Engine();
  out.engineColdMs = ms(t);
  t = performance.now();
  new m.Engine();
  out.engineWarmMs = ms(t);
  t = performance.now();
  engine.quote(request);
  out.quoteColdMs = ms(t);
  t = performance.now();
  engine.quote(request);
  out.quoteWarmMs = ms(t);
  t = performance.now();
  engine.procedures();
  out.proceduresColdMs = ms(t);
  return out;
}

const lite = join(pkgDir, "pkg", "lite");
const node = await measure(await import(join(lite, "lephi.js")), readFileSync(join(lite, "lephi_bg.wasm")));
console.log("Node", JSON.stringify(node));

const server = await serve(0);
const browser = await launch();
try {
  const base = `http://127.0.0.1:${server.address().port}`;
  const page = await browser.newPage();
  await page.goto(`${base}/www/`);
  const chromium = await page.evaluate(
    async ([src]) => {
      const measure = eval(`(${src})`);
      return measure(await import("/pkg/lite/lephi.js"), undefined);
    },
    [measure.toString()],
  );
  console.log("chromium", JSON.stringify(chromium));
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(`${base}/www/style.css`);
    console.log("chromium cold/warm", JSON.stringify(await fresh.evaluate(coldWarm, `${base}/pkg/lite/lephi.js`)));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
