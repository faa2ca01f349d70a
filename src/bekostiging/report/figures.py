"""Ledger -> figures (SCENARIO.md §5, CLI.md tables), as polars group_bys.

Numbers stay exact: money is Int64 cents, `delta_pct` Int64 hundredths of a percent,
`coverage` and `savings_rate` Int64 ten-thousandths. `SCALES` says how many decimals each
column has, so the renderers never see a float.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bekostiging.money import ZERO, cents, mul

if TYPE_CHECKING:
    import polars as pl

    from bekostiging.engine.run import Run

ROLE_ORDER = ("payer", "client", "network", "provider")
MONEY = (
    "revenue",
    "payments",
    "net",
    "delta",
    "cost",
    "margin",
    "annual_cost",
    "embedded",
    "separate",
    "gap",
    "benchmark",
    "actual",
    "savings",
    "payout",
    "reinvested",
    "payer_spend",
    "client_copay",
    "total",
    "amount",
    "paid",
    "fair_share",
    "free_ride",
)
SCALES = {
    **dict.fromkeys(MONEY, 2),
    "npv_delta": 2,
    "npv_margin_delta": 2,
    "delta_pct": 2,
    "coverage": 4,
    "savings_rate": 4,
}

COLUMNS = {
    "results": [
        "variant",
        "party",
        "role",
        "revenue",
        "payments",
        "net",
        "delta",
        "delta_pct",
        "cost",
        "margin",
    ],
    "components": ["variant", "party", "component", "revenue", "payments"],
    "availability": [
        "variant",
        "function",
        "party",
        "annual_cost",
        "embedded",
        "separate",
        "coverage",
        "gap",
    ],
    "shared_savings": [
        "variant",
        "payer",
        "benchmark",
        "actual",
        "savings",
        "savings_rate",
        "eligible",
        "outcome",
        "reason",
        "payout",
        "reinvested",
        "recipients",
    ],
    "totals": ["variant", "payer_spend", "client_copay", "total"],
    "ledger": ["variant", "component", "payer", "payee", "profile", "activity", "amount"],
}
TABLES = tuple(COLUMNS)
COLUMNS["horizon"] = ["variant", "party", "npv_delta", "npv_margin_delta", "payback_year"]
# Tables made on request: `--attribution` and `--by component|profile|activity`.
COLUMNS["attribution"] = ["variant", "party", "step", "amount"]
BREAKDOWNS = ("component", "profile", "activity")
for _by in BREAKDOWNS:
    COLUMNS[f"by_{_by}"] = ["variant", "party", _by, "revenue", "payments", "net"]
# `--by payer` (CONTRACTS.md B): what each payer pays per component, against its fair share.
COLUMNS["by_payer"] = ["variant", "payer", "component", "paid", "fair_share", "free_ride"]


@dataclass
class Figures:
    results: pl.DataFrame
    components: pl.DataFrame
    availability: pl.DataFrame
    shared_savings: pl.DataFrame
    totals: pl.DataFrame
    ledger: pl.DataFrame
    extra: dict[str, pl.DataFrame] = field(default_factory=dict)  # attribution, by_<x>

    def table(self, name: str) -> pl.DataFrame:
        return self.extra[name] if name in self.extra else getattr(self, name)

    def names(self) -> list[str]:
        """Every table this result holds, the contract tables first."""
        return [*TABLES, *self.extra]


def columns_of(frame: pl.DataFrame, name: str) -> list[str]:
    """The contract columns of a table; over several years with a leading `year`."""
    return ["year", *COLUMNS[name]] if "year" in frame.columns and name != "horizon" else COLUMNS[name]


def breakdown(figures: Figures, by: str) -> pl.DataFrame:
    """Revenue, payments and net per variant × party × component, profile or activity."""
    import polars as pl

    ledger = figures.ledger
    keys = ["variant", "party", by]
    inflow = ledger.group_by("variant", pl.col("payee").alias("party"), by).agg(
        revenue=pl.col("amount").sum()
    )
    outflow = ledger.group_by("variant", pl.col("payer").alias("party"), by).agg(
        payments=pl.col("amount").sum()
    )
    order = figures.results.select("variant", "party").with_row_index("_o")
    return (
        inflow.join(outflow, on=keys, how="full", coalesce=True, nulls_equal=True)
        .with_columns(pl.col("revenue", "payments").fill_null(0))
        .with_columns(net=pl.col("revenue") - pl.col("payments"))
        .join(order, on=["variant", "party"])
        .sort("_o", by, nulls_last=True)
        .select(COLUMNS[f"by_{by}"])
    )


def by_payer(figures: Figures, parties: dict[str, str], shares: dict[str, Decimal] | None) -> pl.DataFrame:
    """Per variant × payer × component: what the payer paid (net of what it got back), its
    fair share and how much it rides free (fair share − paid).

    A market payer's fair share is its market share of what all market payers together
    paid in that component (split by largest remainder, so the fair shares add up to the
    total exactly). A payer without a market share (a gemeente; the payer of a scenario
    without market shares) has no fair share to compare with: both columns are empty.
    """
    import polars as pl

    from bekostiging.money import allocate

    ledger = figures.ledger
    payers = [p for p, role in parties.items() if role == "payer"]
    out = ledger.group_by("variant", pl.col("payer").alias("who"), "component").agg(o=pl.col("amount").sum())
    back = ledger.group_by("variant", pl.col("payee").alias("who"), "component").agg(i=pl.col("amount").sum())
    paid = (
        out.join(back, on=["variant", "who", "component"], how="full", coalesce=True)
        .with_columns(pl.col("o", "i").fill_null(0))
        .filter(pl.col("who").is_in(payers))
        .select("variant", pl.col("who").alias("payer"), "component", paid=pl.col("o") - pl.col("i"))
    )
    shares = shares or {}
    fair: dict[tuple[str, str, str], int] = {}
    market = paid.filter(pl.col("payer").is_in(list(shares)))
    for (variant, component), part in market.group_by("variant", "component"):
        total = int(part["paid"].sum())
        fair.update({(variant, p, component): v for p, v in allocate(total, shares).items()})
    fair_frame = pl.DataFrame(
        [(*k, v) for k, v in fair.items()],
        schema={"variant": pl.String, "payer": pl.String, "component": pl.String, "fair_share": pl.Int64},
        orient="row",
    )
    order = pl.DataFrame({"variant": figures.results["variant"].unique(maintain_order=True)}).with_row_index(
        "_v"
    )
    rank = pl.DataFrame({"payer": payers}).with_row_index("_p")
    return (
        paid.join(fair_frame, on=["variant", "payer", "component"], how="full", coalesce=True)
        .with_columns(pl.col("paid").fill_null(0))
        .with_columns(free_ride=pl.col("fair_share") - pl.col("paid"))
        .join(order, on="variant")
        .join(rank, on="payer")
        .with_columns(_c=pl.col("component").replace_strict(_component_rank(), return_dtype=pl.Int64))
        .sort("_v", "_p", "_c")
        .select(COLUMNS["by_payer"])
    )


def attribution_frame(steps: list) -> pl.DataFrame:
    import polars as pl

    rows = [(s.variant, s.party, s.step, s.amount) for s in steps]
    schema = {"variant": pl.String, "party": pl.String, "step": pl.String, "amount": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def figures(run: Run) -> Figures:
    """The tables of one run (`figures_of` of one)."""
    return _tables([run], keyed=False)


def figures_of(runs: Sequence[Run]) -> list[Figures]:
    """The tables of each run, in order: the same as `[figures(r) for r in runs]`, computed
    in one polars pass over all their flows (a key column per run), then split.

    Polars costs a fixed few tenths of a millisecond per operation whatever the size of the
    table; the tables of one small run take about 35 operations. The years of a horizon
    and the regions of a folder share those operations instead of paying them each.
    """
    if len(runs) == 1:
        return [figures(runs[0])]
    together = _tables(runs, keyed=True)
    parts = {name: _split(together.table(name), len(runs)) for name in TABLES}
    return [Figures(**{name: parts[name][i] for name in TABLES}) for i in range(len(runs))]


def _split(frame: pl.DataFrame, count: int) -> list[pl.DataFrame]:
    """A keyed table as one table per run, in run order; the key column dropped."""
    found = frame.partition_by(KEY, as_dict=True, include_key=False, maintain_order=True)
    empty = frame.clear().drop(KEY)
    return [found.get((k,), empty) for k in range(count)]


KEY = "_k"  # the run a row belongs to, in `figures_of`


def _tables(runs: Sequence[Run], *, keyed: bool) -> Figures:
    """Every contract table of the runs, each row with its run's index in `KEY` when
    `keyed` (else of the one run, without it)."""
    import polars as pl

    ledger = _ledgers(runs)
    order = pl.DataFrame(
        [(k, v, i, v == run.baseline) for k, run in enumerate(runs) for i, v in enumerate(run.variants)],
        schema={KEY: pl.Int64, "variant": pl.String, "_v": pl.Int64, "_base": pl.Boolean},
        orient="row",
    )
    parties = _parties(runs)

    def summed(who: str, name: str, *by: str) -> pl.DataFrame:
        """The amounts `who` (payee: revenue; payer: payments) has per variant × party × `by`."""
        return ledger.group_by(KEY, "variant", pl.col(who).alias("party"), *by).agg(
            pl.col("amount").sum().alias(name)
        )

    results = (
        order.join(parties, on=KEY)
        .join(summed("payee", "revenue"), on=[KEY, "variant", "party"], how="left")
        .join(summed("payer", "payments"), on=[KEY, "variant", "party"], how="left")
        .with_columns(pl.col("revenue", "payments").fill_null(0))
        .with_columns(net=pl.col("revenue") - pl.col("payments"))
    )
    base_net = results.filter("_base").select(KEY, "party", base_net="net")
    results = (
        results.join(base_net, on=[KEY, "party"], how="left")
        .join(_costs(runs), on=[KEY, "variant", "party"], how="left")
        .with_columns(delta=pl.col("net") - pl.col("base_net"))
        .with_columns(
            delta_pct=pl.when(pl.col("base_net") != 0).then(
                div_half_even(pl.col("delta") * 10_000, pl.col("base_net").abs())
            ),
            margin=pl.col("net") - pl.col("cost"),
        )
        .sort(KEY, "_v", "_r", "party")
    )

    components = (
        summed("payee", "revenue", "component")
        .join(
            summed("payer", "payments", "component"),
            on=[KEY, "variant", "party", "component"],
            how="full",
            coalesce=True,
        )
        .with_columns(pl.col("revenue", "payments").fill_null(0))
        .join(order, on=[KEY, "variant"])
        .join(parties.select(KEY, "party", "_r"), on=[KEY, "party"])
        .with_columns(_c=pl.col("component").replace_strict(_component_rank(), return_dtype=pl.Int64))
        .sort(KEY, "_v", "_r", "party", "_c")
    )

    totals = (
        results.group_by(KEY, "variant", "_v")
        .agg(
            payer_spend=-pl.col("net").filter(pl.col("role") == "payer").sum(),
            client_copay=-pl.col("net").filter(pl.col("role") == "client").sum(),
        )
        .with_columns(total=pl.col("payer_spend") + pl.col("client_copay"))
        .sort(KEY, "_v")
    )
    ledger = ledger.join(order, on=[KEY, "variant"]).sort(KEY, "_v", maintain_order=True)

    def columns(name: str) -> list[str]:
        return [KEY, *COLUMNS[name]] if keyed else COLUMNS[name]

    return Figures(
        results=results.select(columns("results")),
        components=components.select(columns("components")),
        availability=_availability(runs).select(columns("availability")),
        shared_savings=_shared_savings(runs).select(columns("shared_savings")),
        totals=totals.select(columns("totals")),
        ledger=ledger.select(columns("ledger")),
    )


def _ledgers(runs: Sequence[Run]) -> pl.DataFrame:
    """The flows of every run as one frame, each row with its run's index in `KEY`."""
    import polars as pl

    from bekostiging.engine.ledger import flow_schema

    rows = [
        (k, v, f.component, f.payer, f.payee, f.profile, f.activity, f.amount)
        for k, run in enumerate(runs)
        for v, result in run.variants.items()
        for f in result.ledger.flows
    ]
    return pl.DataFrame(rows, schema={KEY: pl.Int64, **flow_schema()}, orient="row")


def _parties(runs: Sequence[Run]) -> pl.DataFrame:
    import polars as pl

    rows = [
        (k, party, p.role, ROLE_ORDER.index(p.role))
        for k, run in enumerate(runs)
        for party, p in run.scenario.parties.items()
    ]
    return pl.DataFrame(
        rows, schema={KEY: pl.Int64, "party": pl.String, "role": pl.String, "_r": pl.Int64}, orient="row"
    )


def _component_rank() -> dict[str, int]:
    from bekostiging.engine.ledger import COMPONENTS

    return {c: i for i, c in enumerate(COMPONENTS)}


def div_half_even(n: pl.Expr, d: pl.Expr) -> pl.Expr:
    """Integer n / d rounded half-to-even, exactly (d > 0)."""
    import polars as pl

    q = n.floordiv(d)
    r2 = (n - q * d) * 2
    up = (r2 > d) | ((r2 == d) & (q % 2 != 0))
    return q + up.cast(pl.Int64)


def variable_costs(result) -> dict[str, Decimal]:
    """Per party with any: cost × units of its activities + its availability functions'
    annual cost (a party with neither is left out). One pass over the units for all parties."""
    s = result.inputs
    priced = {a: act for a, act in s.activities.items() if act.cost is not None}
    costs: dict[str, Decimal] = {act.provider: ZERO for act in priced.values()}
    for (_, a), units in result.units.items():
        if a in priced:
            act = priced[a]
            costs[act.provider] += mul(act.cost, units)
    functions: dict[str, Decimal] = {}
    for f in s.availability.values():
        functions[f.party] = functions.get(f.party, ZERO) + f.annual_cost
    for party, annual in functions.items():
        costs[party] = costs.get(party, ZERO) + annual
    return costs


def _cost_cents(cost: Any, file: str, variant: str) -> Any:
    """A party's cost in cents; beyond any amount (inputs each in range, their product not:
    a cost of 10^12 per unit) the variant's error, as for a flow."""
    from bekostiging.arithmetic import MoneyOverflow
    from bekostiging.findings import Finding, ScenarioError

    try:
        return cents(cost)
    except MoneyOverflow as exc:
        problem = f"{exc}: check the magnitudes of units and costs"
        raise ScenarioError([Finding(file, f"variants.{variant}", problem)]) from None


def _costs(runs: Sequence[Run]) -> pl.DataFrame:
    """Cost per variant × party (SCENARIO.md §5). Over several years (HORIZON.md §1) a
    partly adopted variant's variable cost is mixed like its ledger; its fixed cost is
    not mixed (the party bears it whatever share of the region the variant reaches), and
    investments are added."""
    import polars as pl

    rows = []
    for k, run in enumerate(runs):
        rows += _costs_of(k, run)
    return pl.DataFrame(
        rows, schema={KEY: pl.Int64, "variant": pl.String, "party": pl.String, "cost": pl.Int64}, orient="row"
    )


def _costs_of(k: int, run: Run) -> list[tuple[int, str, str, int]]:
    rows = []
    for v, result in run.variants.items():
        variable = variable_costs(result)
        rest = variable_costs(result.rest) if result.rest is not None else {}
        for party, p in result.inputs.parties.items():
            cost = variable.get(party)
            if result.rest is not None and (cost is not None or party in rest):
                share = result.adoption
                cost = mul(share, cost or ZERO) + mul(1 - share, rest.get(party, ZERO))
            if p.fixed_cost is not None:
                cost = (cost or ZERO) + p.fixed_cost
            if party in result.investments:
                cost = (cost or ZERO) + result.investments[party]
            if cost is not None:
                rows.append((k, v, party, _cost_cents(cost, run.file, v)))
    return rows


def _availability(runs: Sequence[Run]) -> pl.DataFrame:
    import polars as pl

    rows = [
        {**row, KEY: k, "variant": v, "coverage": _scaled(row["coverage"], 4)}
        for k, run in enumerate(runs)
        for v, result in run.variants.items()
        for row in result.coverage
    ]
    schema = {
        KEY: pl.Int64,
        "variant": pl.String,
        "function": pl.String,
        "party": pl.String,
        "annual_cost": pl.Int64,
        "embedded": pl.Int64,
        "separate": pl.Int64,
        "coverage": pl.Int64,
        "gap": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema)


def _shared_savings(runs: Sequence[Run]) -> pl.DataFrame:
    import polars as pl

    rows = [
        {**row, KEY: k, "variant": v, "savings_rate": _scaled(row["savings_rate"], 4)}
        for k, run in enumerate(runs)
        for v, result in run.variants.items()
        for row in result.settlements
    ]
    schema = {
        KEY: pl.Int64,
        "variant": pl.String,
        "payer": pl.String,
        "benchmark": pl.Int64,
        "actual": pl.Int64,
        "savings": pl.Int64,
        "savings_rate": pl.Int64,
        "eligible": pl.Boolean,
        "outcome": pl.String,
        "reason": pl.String,
        "payout": pl.Int64,
        "reinvested": pl.Int64,
        "recipients": pl.List(pl.Struct({"party": pl.String, "amount": pl.Int64})),
    }
    return pl.DataFrame(rows, schema=schema)


def _scaled(value: Decimal | None, places: int) -> int | None:
    return None if value is None else int(value.scaleb(places))
