"""Figures of several scenarios or years as one, and the tables derived from them.

`combine` puts several scenarios side by side (each table with a leading `scenario`
column) and sums them per party id (SCENARIO.md §6, CLI.md: several files); `by_year`
stacks the tables of the years of a horizon with a leading `year` column (HORIZON.md §1),
and `split_years`/`of_year` take them apart again. The derived tables the terminal and
the report show (flows per pair of parties, sums over parties, the change of a total
against the baseline, a settlement's kept part) are made here too, so that the renderers
only pick, label and format: every sum is a group_by over exact integers, and every ratio
is recomputed from the summed integers, rounded half-to-even.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bekostiging.report.figures import COLUMNS, TABLES, Figures, div_half_even

if TYPE_CHECKING:
    import polars as pl

TOTAL = "total"  # the `scenario` of the summed rows in CLI.md's output of several files


# ------------------------------------------------------------------ years


def by_year(per_year: dict[int, Figures]) -> Figures:
    """Figures of several years as one: every table gets a leading `year` column."""
    import polars as pl

    def stack(name: str) -> pl.DataFrame:
        frames = [f.table(name).with_columns(year=pl.lit(y, pl.Int64)) for y, f in per_year.items()]
        return pl.concat(frames).select(["year", *COLUMNS[name]])

    first = next(iter(per_year.values()))
    return Figures(
        **{name: stack(name) for name in TABLES},
        extra={name: stack(name) for name in first.extra},
    )


def split_years(figures: Figures) -> dict[int, Figures]:
    """The opposite of `by_year`: one `Figures` per year (the horizon table left out)."""
    return {
        y: Figures(
            **{name: of_year(figures.table(name), y) for name in TABLES},
            extra={n: of_year(f, y) for n, f in figures.extra.items() if n != "horizon"},
        )
        for y in years_of(figures.results)
    }


def years_of(frame: pl.DataFrame) -> list[int]:
    """The years a stacked table covers, in order; none for a table of one year."""
    return frame["year"].unique(maintain_order=True).to_list() if "year" in frame.columns else []


def of_year(frame: pl.DataFrame, year: int | None) -> pl.DataFrame:
    """The rows of one year, without the year column (all rows of a table without years)."""
    import polars as pl

    if year is None or "year" not in frame.columns:
        return frame
    return frame.filter(pl.col("year") == year).drop("year")


# ------------------------------------------------------------------ several scenarios


@dataclass
class Combined:
    """The figures of several scenarios, in the order given, with their names."""

    scenarios: list[str]
    parts: list[Figures]
    _totals: dict[str, pl.DataFrame] = field(default_factory=dict, init=False, repr=False)

    def __iter__(self) -> Iterator[tuple[str, Figures]]:
        return iter(zip(self.scenarios, self.parts, strict=True))

    def has(self, name: str) -> bool:
        """Whether every scenario has the table (`attribution` and `horizon` are optional)."""
        return all(name in f.names() for f in self.parts)

    def table(self, name: str) -> pl.DataFrame:
        """The table of every scenario, one after the other, with a leading `scenario` column."""
        import polars as pl

        frames = [f.table(name).with_columns(scenario=pl.lit(s)) for s, f in self]
        stacked = pl.concat(frames, how="diagonal")
        return stacked.select("scenario", pl.exclude("scenario"))

    def total(self, name: str) -> pl.DataFrame:
        """The table summed over the scenarios per party id (per variant, function, payer,
        ... as the table is keyed), year by year; the total of one scenario is its own table."""
        if name not in self._totals:
            frames = [f.table(name) for f in self.parts]
            self._totals[name] = frames[0] if len(frames) == 1 else _summed(name, frames)
        return self._totals[name]


def combine(parts: Sequence[tuple[str, Figures]]) -> Combined:
    """Several scenarios' figures (name, figures) as one `Combined`."""
    if not parts:
        raise ValueError("nothing to combine: no scenario given")
    return Combined([name for name, _ in parts], [figures for _, figures in parts])


# Tables whose total is a plain sum of their numbers per key.
_KEYS = {
    "components": ["variant", "party", "component"],
    "totals": ["variant"],
    "attribution": ["variant", "party", "step"],
    "by_payer": ["variant", "payer", "component"],
}


def _summed(name: str, frames: list[pl.DataFrame]) -> pl.DataFrame:
    import polars as pl

    stacked = pl.concat(frames)
    if name == "ledger":
        return stacked  # the ledger of the whole is every scenario's flows
    special = {
        "results": _sum_results,
        "availability": _sum_availability,
        "shared_savings": _sum_shared_savings,
        "horizon": _sum_horizon,
    }
    if name in special:
        return special[name](stacked)
    if name.startswith("by_") and name not in _KEYS:
        return sum_by(stacked, ["variant", "party", name[3:]])
    return sum_by(stacked, _KEYS[name])


def sum_by(frame: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Every other column summed per key (and per year), keys in the order first seen."""
    import polars as pl

    keys = _with_year(frame, keys)
    values = [c for c in frame.columns if c not in keys]
    return frame.group_by(keys, maintain_order=True).agg(pl.col(values).sum())


def _with_year(frame: pl.DataFrame, keys: Sequence[str]) -> list[str]:
    return ["year", *keys] if "year" in frame.columns and "year" not in keys else list(keys)


def _sum_results(stacked: pl.DataFrame) -> pl.DataFrame:
    """`delta_pct` recomputed from the summed delta and baseline net; `cost` stays null only
    where every scenario has it null, and margin = summed net − summed cost."""
    import polars as pl

    keys = _with_year(stacked, ["variant", "party"])
    return (
        stacked.group_by(keys, maintain_order=True)
        .agg(
            pl.col("role").first(),
            pl.col("revenue", "payments", "net", "delta").sum(),
            pl.col("cost").sum(),
            pl.col("cost").is_not_null().any().alias("_has_cost"),
        )
        .with_columns(
            cost=pl.when(pl.col("_has_cost")).then(pl.col("cost")), _base=pl.col("net") - pl.col("delta")
        )
        .with_columns(
            delta_pct=pl.when(pl.col("_base") != 0).then(
                div_half_even(pl.col("delta") * 10_000, pl.col("_base").abs())
            ),
            margin=pl.col("net") - pl.col("cost"),
        )
        .select(*keys[:-2], *COLUMNS["results"])
    )


def _sum_availability(stacked: pl.DataFrame) -> pl.DataFrame:
    """Coverage recomputed from the summed costs and funding."""
    import polars as pl

    keys = _with_year(stacked, ["variant", "function", "party"])
    return (
        stacked.group_by(keys, maintain_order=True)
        .agg(pl.col("annual_cost", "embedded", "separate", "gap").sum())
        .with_columns(
            coverage=pl.when(pl.col("annual_cost") > 0).then(
                div_half_even((pl.col("embedded") + pl.col("separate")) * 10_000, pl.col("annual_cost"))
            )
        )
        .select(*keys[:-3], *COLUMNS["availability"])
    )


def _sum_shared_savings(stacked: pl.DataFrame) -> pl.DataFrame:
    """Per variant × payer: the amounts summed, the savings rate recomputed, the split summed
    per party; `eligible` when any scenario is, and how many of how many settlements are."""
    import polars as pl

    keys = _with_year(stacked, ["variant", "payer"])
    amounts = ["benchmark", "actual", "savings", "payout", "reinvested"]
    summed = stacked.group_by(keys, maintain_order=True).agg(
        pl.col(amounts).sum(),
        pl.col("eligible").any(),
        *(_same(c) for c in ("outcome", "reason")),
        n_eligible=pl.col("eligible").cast(pl.Int64).sum(),
        n_settlements=pl.len().cast(pl.Int64),
    )
    split = (
        stacked.select(*keys, "recipients")
        .explode("recipients")
        .drop_nulls("recipients")
        .unnest("recipients")
        .group_by([*keys, "party"], maintain_order=True)
        .agg(pl.col("amount").sum())
        .group_by(keys, maintain_order=True)
        .agg(recipients=pl.struct("party", "amount"))
    )
    empty = pl.lit([], dtype=stacked.schema["recipients"])
    return (
        summed.join(split, on=keys, how="left", maintain_order="left")
        .with_columns(
            recipients=pl.col("recipients").fill_null(empty),
            savings_rate=pl.when(pl.col("benchmark") != 0).then(
                div_half_even(pl.col("savings") * 10_000, pl.col("benchmark").abs())
            ),
        )
        .select(*keys[:-2], *COLUMNS["shared_savings"], "n_eligible", "n_settlements")
    )


def _same(column: str) -> pl.Expr:
    """A text column summed over scenarios: its value when all agree, else null."""
    import polars as pl

    return pl.when(pl.col(column).n_unique() == 1).then(pl.col(column).first()).alias(column)


def _sum_horizon(stacked: pl.DataFrame) -> pl.DataFrame:
    """NPVs add up over scenarios; a payback year does not, so the sum has none."""
    import polars as pl

    return (
        stacked.group_by("variant", "party", maintain_order=True)
        .agg(
            pl.col("npv_delta").sum(),
            pl.when(pl.col("npv_margin_delta").is_not_null().any()).then(pl.col("npv_margin_delta").sum()),
        )
        .with_columns(payback_year=pl.lit(None, pl.Int64))
    )


# ------------------------------------------------------------------ derived tables


def flows(ledger: pl.DataFrame) -> pl.DataFrame:
    """The ledger summed per variant × payer × payee: the money from one party to another."""
    import polars as pl

    keys = _with_year(ledger, ["variant", "payer", "payee"])
    return ledger.group_by(keys, maintain_order=True).agg(pl.col("amount").sum())


def party_sums(results: pl.DataFrame) -> pl.DataFrame:
    """Net and delta summed over the parties per variant (the `Som` line of a table)."""
    return sum_by(results.select(*_with_year(results, ["variant"]), "net", "delta"), ["variant"])


def step_sums(attribution: pl.DataFrame) -> pl.DataFrame:
    """The attribution steps of each variant × party summed: the delta they explain."""
    return sum_by(attribution.drop("step"), ["variant", "party"])


def spend_change(totals: pl.DataFrame, baseline: str) -> pl.DataFrame:
    """Per variant of one year the total spend and its change against the baseline's (null
    when this table has no baseline row)."""
    import polars as pl

    base = totals.filter(pl.col("variant") == baseline)["total"]
    value = base.item(0) if base.len() else None
    return totals.select("variant", "total", change=pl.col("total") - pl.lit(value, pl.Int64))


def settlements(shared_savings: pl.DataFrame) -> pl.DataFrame:
    """Shared-savings rows with what the report shows beside them: `kept` (the savings the
    payer keeps: savings − payout) and, for one scenario, one settlement per row."""
    import polars as pl

    frame = shared_savings
    if "n_settlements" not in frame.columns:
        frame = frame.with_columns(
            n_eligible=pl.col("eligible").cast(pl.Int64), n_settlements=pl.lit(1, pl.Int64)
        )
    return frame.with_columns(kept=pl.col("savings") - pl.col("payout"))


def flow_picture(
    flows: list[tuple[str, str, int]], roles: dict[str, str]
) -> tuple[dict[str, int], list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """Flows (payer, payee, cents) -> the columns of a money-flow picture and its bands.

    Payers and the client stand left (0), networks in the middle (1), providers right (2);
    a provider that pays other parties onward (a contractor) stands in the middle too, and
    so does a payer that on balance receives from another payer (a transfer to a gemeente).
    Flows between two parties are netted (a clawback against the payment it reverses);
    a net flow that does not run left to right is returned separately, as not drawn.
    """
    payers = {"payer", "client"}
    onward = {p for p, q, a in flows if a and roles.get(q) not in payers}
    # A payer that, on balance, receives from another payer (a transfer, a share of the
    # savings, a contribution to a pooled budget) stands in the middle: the money runs
    # payer -> payer -> provider, left to right.
    between: dict[tuple[str, str], int] = {}
    for p, q, a in flows:
        if roles.get(p) == "payer" and roles.get(q) == "payer":
            between[(p, q)] = between.get((p, q), 0) + a
            between[(q, p)] = between.get((q, p), 0) - a
    receiving = {q for (_, q), a in between.items() if a > 0}
    receiving -= {
        p for (p, _), a in between.items() if a > 0
    }  # a payer that also pays one on balance stays left
    column = {}
    for party in dict.fromkeys(x for p, q, _ in flows for x in (p, q)):
        role = roles.get(party, "provider")
        middle = role == "network" or party in onward
        column[party] = (
            0 if role in payers and party not in receiving else 1 if middle or party in receiving else 2
        )
    net: dict[tuple[str, str], int] = {}
    for p, q, amount in flows:
        a, b, sign = (p, q, 1) if column[p] <= column[q] else (q, p, -1)
        net[(a, b)] = net.get((a, b), 0) + sign * amount
    drawn, not_drawn = [], []
    for (a, b), amount in net.items():
        if amount == 0:
            continue
        if amount > 0 and column[a] < column[b]:
            drawn.append((a, b, amount))
        else:
            not_drawn.append((a, b, amount) if amount > 0 else (b, a, -amount))
    return column, drawn, not_drawn


def node_amounts(drawn: list[tuple[str, str, int]], column: dict[str, int]) -> dict[str, int]:
    """Per party of a flow picture the amount beside it: what it pays (left column), what it
    receives (the others); a party in the middle that receives nothing drawn (its money came
    from a party in the middle too), what it passes on."""
    sums: dict[str, int] = {}
    passed: dict[str, int] = {}
    for s, t, amount in drawn:
        if column[s] == 0:
            sums[s] = sums.get(s, 0) + amount
        else:
            passed[s] = passed.get(s, 0) + amount
        sums[t] = sums.get(t, 0) + amount
    return {**sums, **{p: a for p, a in passed.items() if p not in sums}}
