"""Regions side by side: per variant, each scenario's change for every party, sorted so
that the regions that gain most stand on top (`compare --by scenario`, the report's
section "winners and losers per region").

A folder of regional files is computed scenario by scenario (SCENARIO.md §6); the total
says what a variant does nationally, this table says where. One row per variant ×
scenario × party, as exact scaled integers like every figure (`figures.SCALES`):

- one year (no `[horizon]`, or `--year Y`): `[year,] variant, scenario, party, net,
  delta, delta_pct, rank`;
- over a `[horizon]` (no `--year`): `variant, scenario, party, npv_delta,
  npv_margin_delta, rank`: the net present values of the `horizon` table, as `compare`
  shows them.

The regions of a variant are sorted by one figure, largest first, and `rank` numbers them
(1 = the largest gain; a tie keeps the order the scenarios were given). The figure is the
change of one party when one is chosen (`party`); by default it is the change of the
region's care: the providers and networks together, which is what the payers and clients
of the region pay more (or less) for it, since all nets of a scenario add up to zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bekostiging.report.figures import SCALES as FIGURE_SCALES

if TYPE_CHECKING:
    import polars as pl

    from bekostiging.report.figures import Figures

#: The roles whose changes add up to the change of a region's care (the default sort).
CARE = ("provider", "network")
ONE_YEAR = ["variant", "scenario", "party", "net", "delta", "delta_pct", "rank"]
NPV = ["variant", "scenario", "party", "npv_delta", "npv_margin_delta", "rank"]
SCALES = {c: FIGURE_SCALES[c] for c in ("net", "delta", "delta_pct", "npv_delta", "npv_margin_delta")}


def measure(frame: pl.DataFrame) -> str:
    """The column a region is judged by: `npv_delta` over a horizon, else `delta`."""
    return "npv_delta" if "npv_delta" in frame.columns else "delta"


def by_scenario(
    parts: Sequence[tuple[str, pl.DataFrame]],
    roles: Mapping[str, str],
    *,
    party: str | None = None,
) -> pl.DataFrame:
    """The rows of every scenario (`parts`: its name and its `results` of one year, or its
    `horizon` table), the regions of each variant sorted by `party`'s change (default: the
    providers' and networks' together, `CARE`), largest first, parties in the order the
    tables give them."""
    import polars as pl

    if not parts:
        raise ValueError("nothing to compare: no scenario given")
    stacked = pl.concat(
        [f.with_columns(scenario=pl.lit(name), _s=pl.lit(i, pl.Int64)) for i, (name, f) in enumerate(parts)],
        how="diagonal",
    )
    npv = "npv_delta" in stacked.columns
    columns = ["year", *ONE_YEAR] if "year" in stacked.columns and not npv else list(NPV if npv else ONE_YEAR)
    keys = (
        stacked.group_by("variant", "_s")
        .agg(_key=_key(stacked, roles, party))
        .sort(["_key", "_s"], descending=[True, False], nulls_last=True)
        .with_columns(rank=(pl.int_range(pl.len()).over("variant") + 1).cast(pl.Int64))
    )
    variants = _order(stacked["variant"])
    parties = _order(stacked["party"])
    return (
        stacked.join(keys.select("variant", "_s", "rank"), on=["variant", "_s"])
        .with_columns(
            _v=pl.col("variant").replace_strict(variants, return_dtype=pl.Int64),
            _p=pl.col("party").replace_strict(parties, return_dtype=pl.Int64),
        )
        .sort("_v", "rank", "_p")
        .select(columns)
    )


def _key(frame: pl.DataFrame, roles: Mapping[str, str], party: str | None) -> pl.Expr:
    """The sort figure of a group of rows: the sum of `party`'s change, or of the care
    parties' (`CARE`); null when the group has none of them."""
    import polars as pl

    chosen = pl.col("party") == party if party is not None else pl.col("party").is_in(care_parties(roles))
    return pl.when(chosen.any()).then(pl.col(measure(frame)).filter(chosen).sum())


def care_parties(roles: Mapping[str, str]) -> list[str]:
    """The parties whose changes the default sort adds up (`CARE`)."""
    return [p for p, role in roles.items() if role in CARE]


def _order(values: pl.Series) -> dict[str, int]:
    return {v: i for i, v in enumerate(values.unique(maintain_order=True).to_list())}


def sort_keys(
    frame: pl.DataFrame, roles: Mapping[str, str], party: str | None
) -> dict[tuple[str, str], int | None]:
    """Per (variant, scenario) of a `by_scenario` frame the figure its regions are sorted by
    (what the terminal and the report show as the first column)."""
    sums = frame.group_by("variant", "scenario").agg(_key=_key(frame, roles, party))
    return {(r["variant"], r["scenario"]): r["_key"] for r in sums.iter_rows(named=True)}


def parts_of(named: Sequence[tuple[str, Figures]], year: int | None = None) -> list[tuple[str, pl.DataFrame]]:
    """Per scenario (name, figures) the table its rows come from: the horizon's net present
    values when the figures have them and no `year` is chosen, else the `results` (of
    `year`, when given: without the year column)."""
    from bekostiging.report.tables import of_year

    found = []
    for name, figures in named:
        if year is None and "horizon" in figures.extra:
            found.append((name, figures.extra["horizon"]))
        else:
            found.append((name, of_year(figures.results, year)))
    return found


def names_of(metas: Sequence[Any]) -> list[str]:
    """How the rows name each scenario: its name, or, where two scenarios share one (two
    files of a folder, a warning when it is read), the name with its file, so that no two
    regions are counted as one."""
    names = [m.scenario_name for m in metas]
    twice = {n for n in names if names.count(n) > 1}
    return [
        f"{m.scenario_name} ({m.scenario_file})" if m.scenario_name in twice else m.scenario_name
        for m in metas
    ]
