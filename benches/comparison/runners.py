"""The runners of benches/compare: one workload (benches/workload.yaml), several engines.

Each runner turns the manifest into its own form once (`prepare`), then prices rows and returns
the total each applicant pays, in whole đồng. Rows are columns of equal length:
`procedure` (index into the manifest), `online` (bool), `poor` (bool), `pages`, `value` (đồng)
and `postage` (bool).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
MANIFEST = HERE.parent / "workload.yaml"


def load_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def rows(n: int, procedures: int) -> dict[str, list[Any]]:
    """The workload's rows, as the manifest's comment defines them."""
    return {
        "procedure": [i % procedures for i in range(n)],
        "online": [(i // procedures) % 2 == 1 for i in range(n)],
        "poor": [i % 7 == 0 for i in range(n)],
        "pages": [1 + i % 120 for i in range(n)],
        "value": [10_000_000 * (1 + i % 500) for i in range(n)],
        "postage": [i % 3 == 0 for i in range(n)],
    }


# -- hand-written baselines ---------------------------------------------------------------------


def pure_python(m: dict[str, Any], r: dict[str, list[Any]]) -> list[int]:
    """A plain `Decimal` loop: the reference semantics, written the obvious way."""
    one = Decimal(1)
    post = min(Decimal(m["postage"]["price"]), Decimal(m["postage"]["applicant_pays_max"]))
    out = []
    procs = m["procedures"]
    for i in range(len(r["procedure"])):
        p = procs[r["procedure"][i]]
        if p["basis"] == "fixed":
            fee = Decimal(p["amount"])
        elif p["basis"] == "per_page":
            fee = min(Decimal(p["unit"]) * r["pages"][i], Decimal(p["cap"]))
        else:
            fee = min((Decimal(r["value"][i]) * Decimal(p["rate"]) / 100).quantize(one, ROUND_HALF_UP), Decimal(p["cap"]))
        if r["poor"][i]:
            fee = Decimal(0)
        elif r["online"][i]:
            online = p["online"]
            if "replace" in online:
                fee = min(fee, Decimal(online["replace"]))
            else:
                fee = (fee * Decimal(online["percent"]) / 100).quantize(one, ROUND_HALF_UP)
        out.append(int(fee + (post if r["postage"][i] else 0)))
    return out


def numpy_int64(m: dict[str, Any], r: dict[str, Any]) -> Any:
    """Vectorised over int64 đồng with integer half-up rounding (exact while values fit)."""
    import numpy as np

    procs = m["procedures"]
    n = len(procs)
    basis = np.array([{"fixed": 0, "per_page": 1, "percent_of_value": 2}[p["basis"]] for p in procs])
    amount = np.array([p.get("amount", 0) for p in procs], dtype=np.int64)
    unit = np.array([p.get("unit", 0) for p in procs], dtype=np.int64)
    cap = np.array([p.get("cap", 0) for p in procs], dtype=np.int64)
    # rate in hundredths of a percent (basis points of the value / 100): "0.5" → 50
    rate_bp = np.array([int(Decimal(p.get("rate", "0")) * 100) for p in procs], dtype=np.int64)
    pct = np.array([p["online"].get("percent", 100) for p in procs], dtype=np.int64)
    replace = np.array([p["online"].get("replace", -1) for p in procs], dtype=np.int64)
    assert n == len(basis)
    idx = np.asarray(r["procedure"])
    pages = np.asarray(r["pages"], dtype=np.int64)
    value = np.asarray(r["value"], dtype=np.int64)
    b = basis[idx]
    fixed = amount[idx]
    per_page = np.minimum(unit[idx] * pages, cap[idx])
    by_value = np.minimum((value * rate_bp[idx] + 5_000) // 10_000, cap[idx])
    fee = np.where(b == 0, fixed, np.where(b == 1, per_page, by_value))
    rep = replace[idx]
    online_fee = np.where(rep >= 0, np.minimum(fee, rep), (fee * pct[idx] + 50) // 100)
    fee = np.where(np.asarray(r["online"]), online_fee, fee)
    fee = np.where(np.asarray(r["poor"]), 0, fee)
    post = min(m["postage"]["price"], m["postage"]["applicant_pays_max"])
    return fee + np.where(np.asarray(r["postage"]), post, 0)


def pandas_frame(r: dict[str, Any]) -> Any:
    """The rows as a pandas DataFrame of int64 and bool columns (built before timing)."""
    import pandas as pd

    return pd.DataFrame({k: r[k] for k in ("procedure", "online", "poor", "pages", "value", "postage")}).astype(
        {"procedure": "int64", "pages": "int64", "value": "int64", "online": "bool", "poor": "bool", "postage": "bool"}
    )


def pandas_int64(m: dict[str, Any], frame: Any) -> Any:
    """The numpy version's arithmetic written with pandas Series (int64 đồng, exact)."""
    import pandas as pd

    procs = m["procedures"]
    table = pd.DataFrame(
        {
            "basis": [{"fixed": 0, "per_page": 1, "percent_of_value": 2}[p["basis"]] for p in procs],
            "amount": [p.get("amount", 0) for p in procs],
            "unit": [p.get("unit", 0) for p in procs],
            "cap": [p.get("cap", 0) for p in procs],
            "rate_bp": [int(Decimal(p.get("rate", "0")) * 100) for p in procs],
            "pct": [p["online"].get("percent", 100) for p in procs],
            "rep": [p["online"].get("replace", -1) for p in procs],
        },
        dtype="int64",
    )
    p = table.take(frame["procedure"]).reset_index(drop=True)
    per_page = (p["unit"] * frame["pages"]).clip(upper=p["cap"])
    by_value = ((frame["value"] * p["rate_bp"] + 5_000) // 10_000).clip(upper=p["cap"])
    fee = p["amount"].where(p["basis"] == 0, per_page.where(p["basis"] == 1, by_value))
    online_fee = fee.clip(upper=p["rep"]).where(p["rep"] >= 0, (fee * p["pct"] + 50) // 100)
    fee = online_fee.where(frame["online"], fee).mask(frame["poor"], 0)
    post = min(m["postage"]["price"], m["postage"]["applicant_pays_max"])
    return fee + frame["postage"].astype("int64") * post


# -- lephi ---------------------------------------------------------------------------------------


def lephi_rules(m: dict[str, Any]) -> str:
    """The manifest as a lephi rule file."""
    out = [
        "document: {id: workload, number: W/2024, title: Benchmark workload, issuer: lephi benches, kind: circular, in_force_from: 2024-01-01, confidence: verified}",
        "jurisdictions: [{id: vn, name: {vi: Việt Nam}}]",
        "procedures:",
    ]
    for p in m["procedures"]:
        out.append(f"  - {{id: {p['id']}, name: {{vi: {p['id']}}}, fees: [{p['id']}]}}")
    out.append("fees:")
    for p in m["procedures"]:
        if p["basis"] == "fixed":
            basis = f"{{fixed: {p['amount']}}}"
        elif p["basis"] == "per_page":
            basis = f"{{per_unit: {{input: pages, tiers: [{{price: {p['unit']}}}], cap: {p['cap']}}}}}"
        else:
            basis = f"{{percent_of_value: {{input: declared_value, rate: {p['rate']}, max: {p['cap']}}}}}"
        out.append(f"  - {{id: {p['id']}, item: {p['id']}, kind: le_phi, name: {{vi: {p['id']}}}, article: Điều 1, basis: {basis}}}")
    out.append("adjustments:")
    out.append(f"  - {{id: exempt, name: {{vi: Miễn}}, article: Điều 2, applies_to: {{all: true}}, when: {{categories: [{m['exempt']}]}}, effect: exempt}}")
    for p in m["procedures"]:
        o = p["online"]
        effect = f"{{replace_amount: {o['replace']}}}" if "replace" in o else f"{{pay_percent: {o['percent']}}}"
        out.append(f"  - {{id: online-{p['id']}, name: {{vi: Trực tuyến}}, article: Điều 3, applies_to: {{items: [{p['id']}]}}, when: {{channels: [online_full]}}, effect: {effect}}}")
    pg = m["postage"]
    out += [
        "postal_tariffs:",
        f"  - {{id: post, name: {{vi: Cước}}, article: Điều 4, operator: VNPost, zones: [{{zone: z, first_grams: 100, first: {pg['price']}}}]}}",
        "postal_subsidies:",
        f"  - {{id: subsidy, name: {{vi: Hỗ trợ}}, article: Điều 5, zones: [z], directions: [return], applicant_pays_max: {pg['applicant_pays_max']}, payer: provincial_budget}}",
    ]
    return "\n".join(out) + "\n"


def lephi_engine(m: dict[str, Any]) -> Any:
    import lephi

    return lephi.Engine.from_rules(lephi_rules(m))


def lephi_table(m: dict[str, Any], r: dict[str, Any]) -> Any:
    """The rows as the Arrow table `quote_many` reads (columns named after the contract)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    procs = m["procedures"]
    ids = pa.array([p["id"] for p in procs])
    n = len(r["procedure"])
    online = pa.array(r["online"])
    postage = pa.array(r["postage"])
    return pa.table(
        {
            "procedure": ids.take(pa.array(r["procedure"])),
            "date": pa.array(["2024-05-01"] * n),
            "channel": pc.if_else(online, "online_full", "in_person"),
            "categories": pc.if_else(pa.array(r["poor"]), m["exempt"], ""),
            "pages": pa.array(r["pages"], pa.int64()),
            "declared_value": pa.array(r["value"], pa.int64()),
            "postage_direction": pc.if_else(postage, "return", pa.scalar(None, pa.string())),
            "postage_zone": pc.if_else(postage, "z", pa.scalar(None, pa.string())),
            "postage_weight_grams": pc.if_else(postage, 100, pa.scalar(None, pa.int64())),
        }
    )


def lephi_batch(engine: Any, table: Any) -> list[int]:
    import pyarrow as pa

    out = engine.quote_many(table)
    return [int(v) for v in out["total"].cast(pa.int64()).to_pylist()]


def lephi_request(m: dict[str, Any], r: dict[str, Any], i: int) -> dict[str, Any]:
    p = m["procedures"][r["procedure"][i]]
    req: dict[str, Any] = {
        "procedure": p["id"],
        "date": "2024-05-01",
        "channel": "online_full" if r["online"][i] else "in_person",
        "applicant": {"categories": [m["exempt"]] if r["poor"][i] else []},
        "inputs": {"pages": r["pages"][i], "declared_value": r["value"][i]},
    }
    if r["postage"][i]:
        req["postage"] = {"direction": "return", "zone": "z", "weight_grams": 100}
    return req


def lephi_per_call(engine: Any, m: dict[str, Any], r: dict[str, Any]) -> list[int]:
    return [int(engine.quote(lephi_request(m, r, i)).total) for i in range(len(r["procedure"]))]


# -- GoRules ZEN -----------------------------------------------------------------------------------


def zen_graph(m: dict[str, Any]) -> dict[str, Any]:
    """The schedule as a ZEN decision graph: a decision table (one row per procedure) gives the
    parameters, an expression node computes the total."""
    rules = []
    for k, p in enumerate(m["procedures"]):
        o = p["online"]
        rules.append(
            {
                "_id": f"r{k}",
                "in": f'"{p["id"]}"',
                "basis": f'"{p["basis"]}"',
                "amount": str(p.get("amount", 0)),
                "unit": str(p.get("unit", 0)),
                "cap": str(p.get("cap", 0)),
                "rate": str(p.get("rate", 0)),
                "pct": str(o.get("percent", 100)),
                "rep": str(o.get("replace", -1)),
            }
        )
    outputs = [{"id": f, "name": f, "field": f} for f in ("basis", "amount", "unit", "cap", "rate", "pct", "rep")]
    post = min(m["postage"]["price"], m["postage"]["applicant_pays_max"])
    raw = (
        "basis == 'fixed' ? amount : (basis == 'per_page' ? min([unit * pages, cap]) "
        ": min([round(value * rate / 100), cap]))"
    )
    expressions = [
        {"id": "x1", "key": "raw", "value": raw},
        {"id": "x2", "key": "fee", "value": f"poor ? 0 : (online ? (rep >= 0 ? min([raw, rep]) : round(raw * pct / 100)) : raw)"},
        {"id": "x3", "key": "total", "value": f"fee + (postage ? {post} : 0)"},
    ]
    node = lambda i, t, name, content=None: {"id": i, "type": t, "name": name, "position": {"x": 0, "y": 0}, **({"content": content} if content else {})}
    return {
        "nodes": [
            node("in", "inputNode", "request"),
            node("table", "decisionTableNode", "schedule", {
                "hitPolicy": "first", "passThrough": True, "inputField": None, "outputPath": None, "executionMode": "single",
                "inputs": [{"id": "in", "name": "procedure", "field": "procedure"}], "outputs": outputs, "rules": rules}),
            node("raw", "expressionNode", "raw fee", {"expressions": expressions[:1], "passThrough": True, "inputField": None, "outputPath": None, "executionMode": "single"}),
            node("fee", "expressionNode", "fee", {"expressions": expressions[1:2], "passThrough": True, "inputField": None, "outputPath": None, "executionMode": "single"}),
            node("total", "expressionNode", "total", {"expressions": expressions[2:], "passThrough": False, "inputField": None, "outputPath": None, "executionMode": "single"}),
            node("out", "outputNode", "response"),
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "table", "type": "edge"},
            {"id": "e2", "sourceId": "table", "targetId": "raw", "type": "edge"},
            {"id": "e3", "sourceId": "raw", "targetId": "fee", "type": "edge"},
            {"id": "e4", "sourceId": "fee", "targetId": "total", "type": "edge"},
            {"id": "e5", "sourceId": "total", "targetId": "out", "type": "edge"},
        ],
    }


def zen_context(m: dict[str, Any], r: dict[str, Any], i: int) -> dict[str, Any]:
    return {
        "procedure": m["procedures"][r["procedure"][i]]["id"],
        "online": r["online"][i],
        "poor": r["poor"][i],
        "pages": r["pages"][i],
        "value": r["value"][i],
        "postage": r["postage"][i],
    }


def zen_decision(m: dict[str, Any]) -> Any:
    import json

    import zen

    return zen.ZenEngine().create_decision(json.dumps(zen_graph(m)))


def zen_per_call(decision: Any, m: dict[str, Any], r: dict[str, Any]) -> list[Decimal]:
    return [Decimal(str(decision.evaluate(zen_context(m, r, i))["result"]["total"])) for i in range(len(r["procedure"]))]


# -- OpenFisca -----------------------------------------------------------------------------------


def openfisca_system(m: dict[str, Any]) -> Any:
    """The schedule as OpenFisca parameters (one node per procedure) and one vectorised formula.
    OpenFisca stores float variables as float32 and int variables as int32, so declared values
    (up to 5 billion đồng) are floats here: the runner is timed, and its inexactness reported."""
    import numpy as np
    from openfisca_core.entities import build_entity
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    Dossier = build_entity(key="dossier", plural="dossiers", label="Dossier", is_person=True)

    def var(name, vtype):
        return type(name, (Variable,), {"value_type": vtype, "entity": Dossier, "definition_period": DateUnit.YEAR, "label": name})

    def fee_formula(dossiers: Any, period: Any, parameters: Any) -> Any:
        p = parameters(period).workload
        ids = [q["id"] for q in m["procedures"]]
        node = lambda f: np.array([float(p[i][f]) for i in ids])
        idx = dossiers("procedure", period)
        pages = dossiers("pages", period)
        value = dossiers("value", period)
        basis = node("kind_code")[idx]; amount = node("fixed_amount")[idx]; unit = node("page_price")[idx]; cap = node("cap_amount")[idx]; rate = node("rate_pct")[idx]
        pct = node("online_pct")[idx]; rep = node("online_replace")[idx]
        raw = np.where(basis == 0, amount, np.where(basis == 1, np.minimum(unit * pages, cap), np.minimum(np.floor(value * rate / 100 + 0.5), cap)))
        online_fee = np.where(rep >= 0, np.minimum(raw, rep), np.floor(raw * pct / 100 + 0.5))
        fee = np.where(dossiers("online", period), online_fee, raw)
        fee = np.where(dossiers("poor", period), 0, fee)
        post = min(m["postage"]["price"], m["postage"]["applicant_pays_max"])
        return fee + np.where(dossiers("postage", period), post, 0)

    class TBS(TaxBenefitSystem):
        def __init__(self):
            super().__init__([Dossier])
            for n, t in [("procedure", int), ("online", bool), ("poor", bool), ("pages", int), ("value", float), ("postage", bool)]:
                self.add_variable(var(n, t))
            total = type("total", (Variable,), {"value_type": float, "entity": Dossier, "definition_period": DateUnit.YEAR, "label": "total", "formula": fee_formula})
            self.add_variable(total)
            data = {}
            for q in m["procedures"]:
                vals = {"kind_code": {"fixed": 0, "per_page": 1, "percent_of_value": 2}[q["basis"]], "fixed_amount": q.get("amount", 0), "page_price": q.get("unit", 0), "cap_amount": q.get("cap", 0), "rate_pct": float(q.get("rate", 0)), "online_pct": q["online"].get("percent", 100), "online_replace": q["online"].get("replace", -1)}
                data[q["id"]] = {k: {"values": {"2024-01-01": v}} for k, v in vals.items()}
            self.parameters = ParameterNode("", data={"workload": data})


    return TBS()


def openfisca_run(tbs: Any, r: dict[str, Any]) -> Any:
    import numpy as np
    from openfisca_core.simulations import SimulationBuilder

    n = len(r["procedure"])
    sim = SimulationBuilder().build_default_simulation(tbs, n)
    for k in ("procedure", "online", "poor", "pages", "value", "postage"):
        sim.set_input(k, "2024", np.asarray(r[k]))
    return sim.calculate("total", "2024")


# -- runners outside this process ---------------------------------------------------------------
# lephi in Rust (criterion), lephi's WebAssembly build in Node and in headless chromium, and ZEN's
# npm package in Node. They read the workload from files and report their totals as text.

ROOT = HERE.parents[1]


def outside_inputs(m: dict[str, Any], r: dict[str, Any], folder: Path) -> dict[str, Path]:
    """Writes the rows of `r` for the outside runners: lephi's rules and contract requests
    (money as decimal strings, as JavaScript needs), ZEN's graph and contexts."""
    import json

    n = len(r["procedure"])
    paths = {k: folder / f for k, f in (("rules", "w.yaml"), ("requests", "r.json"), ("graph", "g.json"), ("contexts", "c.json"))}
    paths["rules"].write_text(lephi_rules(m), encoding="utf-8")
    reqs = [lephi_request(m, r, i) for i in range(n)]
    reqs = [dict(q, inputs={k: str(v) if k == "declared_value" else v for k, v in q["inputs"].items()}) for q in reqs]
    paths["requests"].write_text(json.dumps(reqs), encoding="utf-8")
    paths["graph"].write_text(json.dumps(zen_graph(m)), encoding="utf-8")
    paths["contexts"].write_text(json.dumps([zen_context(m, r, i) for i in range(n)]), encoding="utf-8")
    return paths


def _run(cmd: list[str], env: dict[str, str] | None = None) -> str:
    import os
    import subprocess

    return subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT, env={**os.environ, **(env or {})}).stdout


def rust(paths: dict[str, Path], *, timed: bool) -> tuple[list[str], float | None]:
    """lephi in Rust (`core/benches/workload.rs`): the totals, and with `timed` criterion's
    median seconds for one pass over every request (else the bench runs once, in test mode)."""
    import json

    totals = paths["rules"].with_name("rust-totals.txt")
    env = {"LEPHI_WORKLOAD_RULES": str(paths["rules"]), "LEPHI_WORKLOAD_REQUESTS": str(paths["requests"]), "LEPHI_WORKLOAD_TOTALS": str(totals)}
    if timed:
        _run(["cargo", "bench", "-q", "-p", "lephi", "--bench", "workload", "--", "--noplot"], env)
        est = json.loads((ROOT / "target/criterion/workload/new/estimates.json").read_text(encoding="utf-8"))
        seconds: float | None = est["median"]["point_estimate"] / 1e9
    else:
        _run(["cargo", "test", "-q", "-p", "lephi", "--bench", "workload"], env)
        seconds = None
    return totals.read_text(encoding="utf-8").split("\n"), seconds


def wasm(paths: dict[str, Path], where: str) -> dict[str, Any]:
    """lephi's WebAssembly build (`npm run build` in bindings-wasm/) in `Node` or `chromium`:
    {perCallUs, perCallJsonUs, totals}."""
    import json

    script = {"Node": "bench-workload.mjs", "chromium": "bench-workload-browser.mjs"}[where]
    out: dict[str, Any] = json.loads(_run(["node", str(ROOT / "bindings-wasm/scripts" / script), str(paths["rules"]), str(paths["requests"])]))
    return out


def zen_node(paths: dict[str, Path]) -> dict[str, Any]:
    """ZEN's npm package (`npm install` in benches/node): {precompiledUs, obviousUs, totals}."""
    import json

    out: dict[str, Any] = json.loads(_run(["node", str(ROOT / "benches/node/zen.mjs"), str(paths["graph"]), str(paths["contexts"])]))
    return out
