"""The peer of `bekostiging compare -f json` on a one-year scenario: the same formulas in
plain Python (stdlib only: tomllib, Decimal, json), for benchmarks/speed.py.

It reads benchmarks/data/one-year.toml (or the file given) and writes the figures the tool
writes (`results`, `components`, `totals`) as JSON. It knows only what that scenario uses:
fee-for-service with co-payments, the `scale` and `set` effects, the `collaboration`
mechanism, fixed and variable costs. Every flow is exact and rounded half-to-even to whole
cents once; figures are sums of cents. It is a yardstick, not a second engine: no
includes, no horizon, no other mechanism, no validation.

Run: python benchmarks/peer.py [SCENARIO.toml]
"""

from __future__ import annotations

import json
import sys
import tomllib
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

ROLES = ("payer", "client", "network", "provider")
COMPONENTS = ("fee", "copay", "collaboration")
DEFAULT = Path(__file__).parent / "data" / "one-year.toml"


def cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def euros(amount: int | None) -> Decimal | None:
    return None if amount is None else Decimal(amount).scaleb(-2)


def half_even(n: int, d: int) -> int:
    q, r = divmod(n, d)
    return q + (2 * r > d or (2 * r == d and q % 2 == 1))


def with_effects(data: dict, effects: list[dict]) -> dict:
    """A copy of the scenario's tables with the variant's effects applied."""
    out = {
        "activities": {a: dict(v) for a, v in data["activities"].items()},
        "profiles": {p: {**v, "path": dict(v["path"])} for p, v in data["profiles"].items()},
    }
    for e in effects:
        *parents, leaf = e["path"].split(".")
        table = out
        for key in parents:
            table = table[key]
        table[leaf] = table[leaf] * e["factor"] if e["op"] == "scale" else e["value"]
    return out


def flows(data: dict, variant: dict) -> list[tuple[str, str, str, int]]:
    """(component, payer, payee, cents) of one variant, in the engine's order."""
    s = with_effects(data, variant.get("effects", []))
    meta = data["scenario"]
    ledger = []
    for profile in s["profiles"].values():
        for a, per_client in profile["path"].items():
            act = s["activities"][a]
            units = profile["clients"] * per_client
            copay = act.get("copay", Decimal(0))
            if copay:
                ledger.append(("copay", meta["client"], act["provider"], cents(units * copay)))
            payer = act.get("payer", meta["default_payer"])
            ledger.append(("fee", payer, act["provider"], cents(units * max(act["tariff"] - copay, 0))))
    for m in variant.get("mechanisms", []):
        assert m["type"] == "collaboration", "the peer knows fee-for-service and collaboration"
        clients = sum(s["profiles"][p]["clients"] for p in m.get("profiles", s["profiles"]))
        amount = m.get("fixed", Decimal(0)) + m.get("per_client", Decimal(0)) * clients
        ledger.append(("collaboration", m.get("payer", meta["default_payer"]), m["recipient"], cents(amount)))
    return [f for f in ledger if f[3] != 0], s


def cost_of(s: dict, party: dict, key: str) -> int | None:
    priced = {
        a: act["cost"] for a, act in s["activities"].items() if act["provider"] == key and "cost" in act
    }
    fixed = party.get("fixed_cost")
    if not priced and fixed is None:
        return None
    variable = sum(
        (
            p["clients"] * u * priced[a]
            for p in s["profiles"].values()
            for a, u in p["path"].items()
            if a in priced
        ),
        Decimal(0),
    )
    return cents(variable + (fixed or Decimal(0)))


def compare(data: dict) -> dict:
    parties = data["parties"]
    order = sorted(parties, key=lambda p: (ROLES.index(parties[p]["role"]), p))
    results, components, totals, nets = [], [], [], {}
    for v, variant in data["variants"].items():
        ledger, s = flows(data, variant)
        revenue = dict.fromkeys(parties, 0)
        payments = dict.fromkeys(parties, 0)
        by_component: dict[tuple[str, str], list[int]] = {}
        for component, payer, payee, amount in ledger:
            payments[payer] += amount
            revenue[payee] += amount
            by_component.setdefault((payee, component), [0, 0])[0] += amount
            by_component.setdefault((payer, component), [0, 0])[1] += amount
        nets[v] = {p: revenue[p] - payments[p] for p in parties}
        base = nets[data["scenario"]["baseline"]]
        for p in order:
            net, delta = nets[v][p], nets[v][p] - base[p]
            cost = cost_of(s, parties[p], p)
            results.append(
                {
                    "variant": v,
                    "party": p,
                    "role": parties[p]["role"],
                    "revenue": euros(revenue[p]),
                    "payments": euros(payments[p]),
                    "net": euros(net),
                    "delta": euros(delta),
                    "delta_pct": euros(half_even(delta * 10_000, abs(base[p]))) if base[p] else None,
                    "cost": euros(cost),
                    "margin": None if cost is None else euros(net - cost),
                    "party_name": parties[p].get("name", p),
                }
            )
            for c in COMPONENTS:
                if (p, c) in by_component:
                    got, paid = by_component[(p, c)]
                    components.append(
                        {
                            "variant": v,
                            "party": p,
                            "component": c,
                            "revenue": euros(got),
                            "payments": euros(paid),
                            "party_name": parties[p].get("name", p),
                        }
                    )
        spend = sum(payments[p] - revenue[p] for p in parties if parties[p]["role"] == "payer")
        copay = sum(a for c, *_, a in ledger if c == "copay")
        totals.append(
            {
                "variant": v,
                "payer_spend": euros(spend),
                "client_copay": euros(copay),
                "total": euros(spend + copay),
            }
        )
    return {"results": results, "components": components, "totals": totals}


def dumps(value: object, level: int = 0) -> str:
    """JSON with `Decimal` written as the exact number it is (as the tool writes it)."""
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {dumps(v, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}" if items else "{}"
    if isinstance(value, list):
        return (
            "[\n" + ",\n".join(inner + dumps(v, level + 1) for v in value) + "\n" + pad + "]"
            if value
            else "[]"
        )
    return json.dumps(value, ensure_ascii=False)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    for table in data["profiles"].values():
        table["clients"] = Decimal(table["clients"])
    sys.stdout.write(dumps(compare(data)) + "\n")


if __name__ == "__main__":
    main()
