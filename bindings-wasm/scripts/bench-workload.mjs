// The benches/compare workload in Node: prints JSON {perCallUs, totals} for the first N rows,
// so compare.py can check the totals and time lephi's WebAssembly build beside the others.
import { readFileSync } from "node:fs";
import lephi from "../test/load.mjs";

const [rulesPath, requestsPath] = process.argv.slice(2);
const engine = lephi.Engine.fromRules(readFileSync(rulesPath, "utf8"));
const requests = JSON.parse(readFileSync(requestsPath, "utf8"));
const totals = requests.map((r) => engine.quote(r).total);
const json = requests.map((r) => JSON.stringify(r));
const runs = [];
for (let k = 0; k < 5; k++) {
  const t = process.hrtime.bigint();
  for (const r of requests) engine.quote(r);
  runs.push(Number(process.hrtime.bigint() - t) / requests.length / 1000);
}
const runsJson = [];
for (let k = 0; k < 5; k++) {
  const t = process.hrtime.bigint();
  for (const r of json) engine.quoteJson(r);
  runsJson.push(Number(process.hrtime.bigint() - t) / json.length / 1000);
}
runs.sort((a, b) => a - b);
runsJson.sort((a, b) => a - b);
console.log(JSON.stringify({ perCallUs: runs[2], perCallJsonUs: runsJson[2], totals }));
