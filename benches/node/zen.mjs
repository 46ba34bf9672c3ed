// GoRules ZEN's npm package on the benches/compare workload: the decision graph and contexts
// come from compare.py (the same ones its Python runner uses). Prints JSON {precompiledUs,
// obviousUs, totals}: a precompiled decision's `evaluate`, and `engine.evaluate(key, ...)` with
// a loader (the obvious call). ZEN's Node API is asynchronous; each call is awaited in turn.
import { readFileSync } from "node:fs";
import { ZenEngine } from "@gorules/zen-engine";

const [graphPath, contextsPath] = process.argv.slice(2);
const graph = readFileSync(graphPath);
const contexts = JSON.parse(readFileSync(contextsPath, "utf8"));
const engine = new ZenEngine({ loader: async () => graph });
const decision = engine.createDecision(graph);

async function median(call) {
  const runs = [];
  for (let k = 0; k < 5; k++) {
    const t = process.hrtime.bigint();
    for (const c of contexts) await call(c);
    runs.push(Number(process.hrtime.bigint() - t) / contexts.length / 1000);
  }
  return runs.sort((a, b) => a - b)[2];
}

const totals = [];
for (const c of contexts) totals.push(String((await decision.evaluate(c)).result.total));
const precompiledUs = await median((c) => decision.evaluate(c));
const obviousUs = await median((c) => engine.evaluate("workload", c));
console.log(JSON.stringify({ precompiledUs, obviousUs, totals }));
