// The benches/compare workload in headless chromium: prints JSON {perCallUs, perCallJsonUs,
// totals} like bench-workload.mjs does in Node, from the built package served over HTTP.
import { readFileSync } from "node:fs";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

const [rulesPath, requestsPath] = process.argv.slice(2);
const rules = readFileSync(rulesPath, "utf8");
const requests = JSON.parse(readFileSync(requestsPath, "utf8"));
const server = await serve(0);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/www/`);
  const result = await page.evaluate(async ([rules, requests]) => {
    const m = await import("/pkg/lephi.js");
    await m.default();
    const engine = m.Engine.fromRules(rules);
    const totals = requests.map((r) => engine.quote(r).total);
    const json = requests.map((r) => JSON.stringify(r));
    const median = (f, items) => {
      const runs = [];
      for (let k = 0; k < 5; k++) {
        const t = performance.now();
        for (const r of items) f(r);
        runs.push(((performance.now() - t) / items.length) * 1000);
      }
      return runs.sort((a, b) => a - b)[2];
    };
    return {
      perCallUs: median((r) => engine.quote(r), requests),
      perCallJsonUs: median((r) => engine.quoteJson(r), json),
      totals,
    };
  }, [rules, requests]);
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  server.close();
}
