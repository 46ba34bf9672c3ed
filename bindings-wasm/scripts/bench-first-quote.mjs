// Time to the estimator's first render on fresh pages (benches/README.md): two chromium
// launches × 6 fresh contexts, module start → first render, with `init()`, `new Engine()` and
// navigation start → first render. `node scripts/bench-first-quote.mjs [page dir] [query]`,
// e.g. `www ?procedure=passport.issue`; the page dir is relative to bindings-wasm/.
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";
const server = await serve(0);
const url = `http://127.0.0.1:${server.address().port}/${process.argv[2] ?? "www"}/${process.argv[3] ?? ""}`;
const rows = [];
for (let b = 0; b < 2; b++) {
  const browser = await launch();
  for (let i = 0; i < 6; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(url);
    await page.waitForSelector("body[data-ready=true]");
    const r = await page.evaluate(() => ({ ...window.lephiReady, status: document.getElementById("status").textContent, total: document.getElementById("total")?.dataset.total }));
    rows.push(r);
    console.log(b, i, r.firstQuoteMs.toFixed(1), r.wasmInitMs.toFixed(1), r.engineMs.toFixed(1), r.navigationToFirstQuoteMs.toFixed(0), JSON.stringify(r.status), r.total);
    await ctx.close();
  }
  await browser.close();
}
const med = (k) => { const v = rows.map((r) => r[k]).sort((a, b) => a - b); return ((v[5] + v[6]) / 2).toFixed(1) + ` (${v[0].toFixed(1)}–${v[11].toFixed(1)})`; };
console.log("first", med("firstQuoteMs"), "init", med("wasmInitMs"), "engine", med("engineMs"), "nav", med("navigationToFirstQuoteMs"));
server.close();
