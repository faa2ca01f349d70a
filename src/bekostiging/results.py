"""What every command returns: named tables in euros, plus where they came from.

Each result offers the same few things, and the writers (`report.writers`) read nothing
else: `names()` and `table(name)` (polars frames, money as exact `Decimal` euros),
`default_table` (what csv and parquet write when no table is chosen), `sheets()` (what
xlsx writes), `sources` (the provenance of each scenario), `document(table)` (the JSON)
and `show(console, table, lang)` (the view for people). Inside, the figures stay exact
scaled integers; they become euros here, when a table is first asked for.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bekostiging.findings import OptionError
from bekostiging.report.render import SCHEMA_VERSION, Meta, provenance

if TYPE_CHECKING:
    import polars as pl
    from rich.console import Console

    from bekostiging.engine.run import Run
    from bekostiging.engine.simulate import Draws
    from bekostiging.expectations import Outcome, Summary
    from bekostiging.findings import Finding
    from bekostiging.report.explain import Explanation
    from bekostiging.report.figures import Figures
    from bekostiging.scenario.model import Scenario
    from bekostiging.scenario.toml_files import SourceTree


class Result(ABC):
    """Named tables plus metadata (see the module docstring)."""

    default_table = "results"
    sources: list[Meta]

    @abstractmethod
    def names(self) -> list[str]:
        """Every table this result has, in the order xlsx writes them."""

    @abstractmethod
    def _table(self, name: str) -> pl.DataFrame:
        """The table `name` in euros (called once per table, by `table`)."""

    @abstractmethod
    def document(self, table: str | None = None) -> dict[str, Any]:
        """The JSON document (`table` may add a table left out by default)."""

    @abstractmethod
    def show(self, console: Console, table: str | None, lang: str) -> None:
        """Print the view for people (of one table, when `table` is given)."""

    def check_table(self, name: str) -> None:
        if name not in self.names():
            raise OptionError(f"no table {name!r} here; the tables are: {', '.join(self.names())}")

    def table(self, name: str) -> pl.DataFrame:
        """One table, money as `Decimal` euros (computed once, when first asked for)."""
        self.check_table(name)
        cache: dict[str, pl.DataFrame] = self.__dict__.setdefault("_euros", {})
        if name not in cache:
            cache[name] = self._table(name)
        return cache[name]

    @property
    def tables(self) -> dict[str, pl.DataFrame]:
        """Every table by name."""
        return {name: self.table(name) for name in self.names()}

    def sheets(self) -> list[str]:
        return self.names()

    def number_kinds(self, name: str) -> list[dict[str, str]] | None:
        """Per row of table `name`, the kind of number (`money`, `percent`, `fraction`) of
        the columns whose kind depends on the row; None when each column has one kind (the
        xlsx writer formats by it)."""
        return None


def _names(frame: pl.DataFrame, metas: Sequence[Meta]) -> pl.DataFrame:
    """The table with each party's name beside its id columns (`party_name`, ... last)."""
    from bekostiging.report.euros import with_names

    return with_names(frame, {p["id"]: p["name"] for m in metas for p in m.parties})


def _print_fitted(console: Console, renderables: Sequence[Any], labels: int | None = None) -> None:
    """Print `renderables`, each table at the console's width without losing a label or a
    digit (`layout.fit`: headers wrapped, blocks of columns, or records). `labels`: how
    many leading columns label a row (default: the left-aligned ones)."""
    from rich.table import Table

    from bekostiging.report.layout import fit

    for renderable in renderables:
        framed = isinstance(renderable, Table) and renderable.box is not None  # not a grid of prose
        for part in fit(renderable, console, labels=labels) if framed else [renderable]:
            console.print(part)


def _notes(meta: Meta, lang: str) -> str:
    """`  (what-ifs: ...)  (--set: ...)` for a title line, or nothing."""
    from bekostiging.report.i18n import labels
    from bekostiging.report.render import run_notes

    return run_notes([meta], labels(lang).words)


def rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """A table's rows for a JSON document: decimals as `Decimal`, structs as dicts."""
    return list(frame.iter_rows(named=True))


# ------------------------------------------------------------------ compare


class Comparison(Result):
    """One scenario computed (`bk.compare`): the CLI.md tables by name.

    `figures` holds the same tables as exact scaled integers (cents; `delta_pct` in
    hundredths of a percent; fractions in ten-thousandths), `run` the engine's run (with a
    `[horizon]`: of `year`, the first year or the one asked for), `scenario` the validated
    model, `tree` its source (the raw data and every file read).
    """

    def __init__(
        self,
        scenario: Scenario,
        tree: SourceTree,
        run: Run,
        figures: Figures,
        meta: Meta,
        year: int | None = None,
        horizon: Callable[[], pl.DataFrame] | None = None,
    ):
        self.scenario, self.tree, self.run, self.meta, self.year = scenario, tree, run, meta, year
        self.sources = [meta]
        self._figures = figures
        # The summary over the whole horizon, when only one year was computed: it needs
        # every year, so they are computed when (and only when) an output shows it.
        self._horizon = horizon
        self._rerun: dict[str, Any] | None = None  # how `run` was computed (`rerun_with`)

    def rerun_with(self, **how: Any) -> Comparison:
        """Say how `run` was computed (`engine.run.run(scenario, **how)`): a copy of this
        comparison sent to another process (`cores.in_order`) then carries its tables but
        neither the run (which holds functions) nor the scenario and its source (which the
        receiver has: `rejoin`), and computes the run again only if it is asked for."""
        self._rerun = how
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if self._rerun is not None and self._horizon is None:
            for name in ("run", "scenario", "tree"):
                state.pop(name, None)
        return state

    def rejoin(self, scenario: Scenario, tree: SourceTree) -> Comparison:
        """A comparison received from another process, with its scenario and source again."""
        if "scenario" not in self.__dict__:
            self.scenario, self.tree = scenario, tree
        return self

    def __getattr__(self, name: str) -> Any:
        rerun = self.__dict__.get("_rerun")
        if name == "run" and rerun is not None and "scenario" in self.__dict__:
            from bekostiging.engine.run import run

            self.run = run(self.scenario, **rerun)
            return self.run
        raise AttributeError(name)

    @property
    def items(self) -> list[Comparison]:
        """The comparison of each scenario: this one (as `Comparisons.items` for several)."""
        return [self]

    @property
    def figures(self) -> Figures:
        if self._horizon is not None:
            self._figures.extra["horizon"] = self._horizon()
            self._horizon = None
        return self._figures

    def figures_for(self, table: str | None) -> Figures:
        """The figures a view of `table` needs (the horizon summary only when it shows it)."""
        return self.figures if table in (None, "horizon") else self._figures

    def names(self) -> list[str]:
        return [*self._figures.names(), *(["horizon"] if self._horizon is not None else [])]

    @property
    def default_table(self) -> str:  # type: ignore[override]
        """`results`, unless a breakdown (`by`) was asked for: then that breakdown."""
        by = [name for name in self._figures.extra if name.startswith("by_")]
        return by[0] if by else "results"

    def check_table(self, name: str) -> None:
        if name not in self.names():
            hints = {"attribution": "it needs attribution=True (--attribution)", "horizon": "no [horizon]"}
            if name.startswith("by_"):
                hints[name] = f"it needs by={name[3:]!r} (--by {name[3:]})"
            if name in hints:
                raise OptionError(f"no table {name!r} here: {hints[name]}")
        super().check_table(name)

    def _table(self, name: str) -> pl.DataFrame:
        from bekostiging.report.euros import in_euros
        from bekostiging.report.figures import SCALES, columns_of

        frame = self.figures_for(name).table(name)
        return _names(in_euros(frame, SCALES, columns_of(frame, name)), self.sources)

    @property
    def results(self) -> pl.DataFrame:
        return self.table("results")

    @property
    def ledger(self) -> pl.DataFrame:
        return self.table("ledger")

    def document(self, table: str | None = None) -> dict[str, Any]:
        """CLI.md's JSON: every table but the ledger (unless `table` is `ledger`)."""
        document: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            **provenance(self.meta),
            "variants": self.meta.variants,
            "parties": self.meta.parties,
        }
        for name in self.names():
            if name != "ledger" or table == "ledger":
                document[name] = rows(self.table(name))
        return document

    @property
    def horizon_years(self) -> list[int]:
        """Every year of the `[horizon]` (also when only `year` was computed); none without."""
        from bekostiging.scenario.load import start_year

        horizon = self.scenario.horizon
        start = start_year(horizon, self.tree.data) if horizon is not None else None
        return [] if horizon is None or start is None else list(range(start, start + horizon.years))

    def show(self, console: Console, table: str | None, lang: str, *, all_years: bool = False) -> None:
        """With a `[horizon]` of several years and no table chosen: the summary over the
        horizon; `all_years` adds the tables of every year."""
        from bekostiging.report.terminal import render_tables

        figures = self.figures_for(table)
        render_tables(
            figures, self.meta, table, lang, console=console, all_years=all_years, horizon=self.horizon_years
        )


class Comparisons(Result):
    """Several scenarios, each computed on its own (SCENARIO.md §6): every table with a
    leading `scenario` column, `results` with `total` rows summed per party; iterate for
    each scenario's `Comparison`."""

    def __init__(self, items: Sequence[Comparison]):
        from bekostiging.report.tables import combine

        self.items = list(items)
        self.sources = [c.meta for c in self.items]
        parts = [(c.meta.scenario_name, c.figures_for("results")) for c in self.items]
        self.total = combine(parts).total("results")  # scaled

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Comparison]:
        return iter(self.items)

    def __getitem__(self, index: int) -> Comparison:
        return self.items[index]

    def names(self) -> list[str]:
        return self.items[0].names()

    @property
    def default_table(self) -> str:  # type: ignore[override]
        return self.items[0].default_table

    def check_table(self, name: str) -> None:
        self.items[0].check_table(name)

    def _table(self, name: str) -> pl.DataFrame:
        """The scaled tables of every scenario stacked, with `scenario` first, converted to
        euros and named once (71 regions: one conversion, not 71), each row with the names
        its own scenario gives the parties; `results` with the total rows last."""
        import polars as pl

        from bekostiging.report.euros import in_euros, with_names_by
        from bekostiging.report.figures import SCALES, columns_of

        frames = [c.figures_for(name).table(name) for c in self]
        columns = columns_of(frames[0], name)
        stacked = pl.concat([f.select(columns) if f.columns != columns else f for f in frames])
        heights = [f.height for f in frames]
        labels = [c.meta.scenario_name for c, h in zip(self, heights, strict=True) for _ in range(h)]
        stacked.insert_column(0, pl.Series("scenario", labels, dtype=pl.String))
        whose = pl.Series("_s", [i for i, h in enumerate(heights) for _ in range(h)], dtype=pl.Int64)
        converted = in_euros(stacked, SCALES, ["scenario", *columns]).with_columns(whose)
        names = {i: {p["id"]: p["name"] for p in c.meta.parties} for i, c in enumerate(self)}
        parts = [with_names_by(converted, "_s", names).drop("_s")]
        if name == "results":
            from bekostiging.report.tables import TOTAL

            parts.append(self.total_results.select(pl.lit(TOTAL).alias("scenario"), pl.all()))
        return pl.concat(parts)

    @property
    def results(self) -> pl.DataFrame:
        return self.table("results")

    @property
    def total_results(self) -> pl.DataFrame:
        """`results` summed per variant × party over the scenarios (`delta_pct` recomputed)."""
        from bekostiging.report.euros import in_euros
        from bekostiging.report.figures import SCALES

        return _names(in_euros(self.total, SCALES), self.sources)

    def document(self, table: str | None = None) -> dict[str, Any]:
        from bekostiging.version import __version__

        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "bekostiging", "version": __version__},
            "scenarios": [c.document(table) for c in self],
            "total": {"results": rows(self.total_results)},
        }

    def show(self, console: Console, table: str | None, lang: str, *, all_years: bool = False) -> None:
        from bekostiging.report.terminal import render_many_tables

        items = [(c.figures_for(table), c.meta) for c in self]
        render_many_tables(
            items,
            self.total,
            table,
            lang,
            console=console,
            all_years=all_years,
            horizon=self[0].horizon_years,
        )


class RegionComparisons(Comparisons):
    """Several scenarios with the regional view (`bk.compare(..., by="scenario")`): the
    table `by_scenario` (`report.regions`), one row per variant × scenario × party with
    its change, the regions of each variant sorted by `party`'s change (default: the
    providers' and networks' together), largest first; everything else as `Comparisons`."""

    def __init__(self, items: Sequence[Comparison], party: str | None = None):
        super().__init__(items)
        self.party = party

    @property
    def roles(self) -> dict[str, str]:
        return {p["id"]: p["role"] for m in self.sources for p in m.parties}

    @property
    def regions(self) -> pl.DataFrame:
        """`by_scenario` as exact scaled integers (cents, hundredths of a percent)."""
        cached = self.__dict__.get("_regions")
        if cached is None:
            from bekostiging.report.regions import by_scenario, names_of, parts_of

            named = list(zip(names_of(self.sources), [c.figures_for("results") for c in self], strict=True))
            cached = self.__dict__["_regions"] = by_scenario(parts_of(named), self.roles, party=self.party)
        return cached

    def names(self) -> list[str]:
        return [*super().names(), "by_scenario"]

    @property
    def default_table(self) -> str:  # type: ignore[override]
        return "by_scenario"

    def check_table(self, name: str) -> None:
        if name != "by_scenario":
            super().check_table(name)

    def _table(self, name: str) -> pl.DataFrame:
        if name != "by_scenario":
            return super()._table(name)
        from bekostiging.report.euros import in_euros
        from bekostiging.report.regions import SCALES

        return _names(in_euros(self.regions, SCALES), self.sources)

    def document(self, table: str | None = None) -> dict[str, Any]:
        return {**super().document(table), "by_scenario": rows(self.table("by_scenario"))}

    def show(self, console: Console, table: str | None, lang: str, *, all_years: bool = False) -> None:
        """The total of every scenario as `Comparisons` shows it, then per variant a table
        of the regions (rows) and the parties' changes (columns); `table="by_scenario"`:
        only those."""
        if table != "by_scenario":
            super().show(console, table, lang, all_years=all_years)
        if table in (None, "by_scenario"):
            from bekostiging.report.terminal import render_by_scenario

            render_by_scenario(self.regions, self.sources, self.party, lang, console, self[0].horizon_years)


# ------------------------------------------------------------------ uncertainty (HORIZON.md §2)


class Simulation(Result):
    """Monte Carlo statistics (`bk.simulate`): `results` per variant × party,
    `shared_savings` per payer and `settlement_risk` per recipient of shared savings, with
    the columns of HORIZON.md §2 (and docs/horizon.md); `draws` holds every
    draw's figures. With a `[horizon]`, net, delta and the shared savings are those of
    `year` (the one asked for, else the first), and `npv_delta` covers the whole horizon
    (`span`: its first and last year and discount rate)."""

    def __init__(
        self,
        meta: Meta,
        n_draws: int,
        seed: int,
        statistics: dict[str, list[dict[str, Any]]],
        draws: Draws,
        year: int | None = None,
        *,
        span: tuple[int, int, Decimal] | None = None,
        chosen: bool = False,
    ):
        self.meta, self.n_draws, self.seed, self.year = meta, n_draws, seed, year
        self.span, self._chosen = span, chosen
        self.sources = [meta]
        self._statistics = statistics
        self._draws = draws

    def names(self) -> list[str]:
        return ["results", "shared_savings", "settlement_risk"]

    def _table(self, name: str) -> pl.DataFrame:
        import polars as pl

        from bekostiging.report import simulation as columns
        from bekostiging.report.euros import in_euros

        names = {
            "results": columns.RESULTS + (columns.NPV if self._draws.npv_delta is not None else []),
            "shared_savings": columns.SHARED_SAVINGS,
            "settlement_risk": columns.SETTLEMENT_RISK,
        }[name]
        found = self._statistics[name]
        schema = {c: pl.String if c in columns.NAMES else pl.Int64 for c in names}
        frame = pl.DataFrame([[r[c] for c in names] for r in found], schema=schema, orient="row")
        return _names(in_euros(frame, columns.SCALES), self.sources)

    @property
    def results(self) -> pl.DataFrame:
        return self.table("results")

    @property
    def shared_savings(self) -> pl.DataFrame:
        return self.table("shared_savings")

    @property
    def settlement_risk(self) -> pl.DataFrame:
        return self.table("settlement_risk")

    @property
    def draws(self) -> pl.DataFrame:
        """One row per draw × variant × party (draws numbered from 1): net and delta (and,
        with a `[horizon]`, npv_delta) in euros."""
        cached = self.__dict__.get("_draw_frame")
        if cached is None:
            cached = self.__dict__["_draw_frame"] = self._draw_frame()
        return cached

    def _draw_frame(self) -> pl.DataFrame:
        import numpy as np
        import polars as pl

        from bekostiging.report.euros import in_euros

        d = self._draws
        keys = len(d.keys)
        figures = {"net": d.net, "delta": d.delta}
        if d.npv_delta is not None:
            figures["npv_delta"] = d.npv_delta
        columns: dict[str, Any] = {
            "draw": np.repeat(np.arange(1, self.n_draws + 1, dtype=np.int64), keys),
            "variant": [v for _ in range(self.n_draws) for v, _ in d.keys],
            "party": [p for _ in range(self.n_draws) for _, p in d.keys],
        }
        for name, series in figures.items():
            columns[name] = np.stack(series).T.ravel() if keys else np.array([], dtype=np.int64)
        return in_euros(pl.DataFrame(columns), dict.fromkeys(figures, 2))

    def document(self, table: str | None = None) -> dict[str, Any]:
        document: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            **provenance(self.meta),
            "draws": self.n_draws,
            "seed": self.seed,
        }
        if self.year is not None:
            document["year"] = self.year  # net, delta and p_eligible are this year's
        return document | {name: rows(self.table(name)) for name in self.names()}

    def show(self, console: Console, table: str | None, lang: str) -> None:
        from bekostiging.report.euros import PARTY_COLUMNS
        from bekostiging.report.simulation import View, simulation_tables

        view = View(self.year, self.span, self._chosen, table)
        names = [f"{c}_name" for c in PARTY_COLUMNS]  # the terminal shows names in the id columns
        tables = {name: self.table(name).drop(names, strict=False) for name in self.names()}
        _print_fitted(console, simulation_tables(tables, self.meta, lang, self.n_draws, self.seed, view))


class Sensitivity(Result):
    """One-way sensitivity (`bk.sensitivity`): the `tornado` table, sorted by swing.

    `low` and `high` are the parameter values as written (decimals of differing scale,
    an `Object` column); `metric_low`, `metric_high` and `swing` are euros."""

    default_table = "tornado"

    def __init__(
        self,
        meta: Meta,
        variant: str,
        party: str,
        metric: str,
        found: list[dict[str, Any]],
        *,
        year: int | None = None,
        span: tuple[int, int, Decimal] | None = None,
        money: frozenset[str] = frozenset(),
    ):
        self.meta, self.variant, self.party, self.metric = meta, variant, party, metric
        self.year, self.span, self._money = year, span, money  # year: of a net or delta, with a horizon
        self.sources = [meta]
        self._rows = found

    def names(self) -> list[str]:
        return ["tornado"]

    def _table(self, name: str) -> pl.DataFrame:
        import polars as pl

        from bekostiging.report.euros import in_euros
        from bekostiging.report.simulation import SCALES, TORNADO

        schema = {"parameter": pl.String, "low": pl.Object, "high": pl.Object}
        schema |= {c: pl.Int64 for c in TORNADO if c not in schema}
        frame = pl.DataFrame([[r[c] for c in TORNADO] for r in self._rows], schema=schema, orient="row")
        return in_euros(frame, SCALES)

    @property
    def tornado(self) -> pl.DataFrame:
        return self.table("tornado")

    def document(self, table: str | None = None) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            **provenance(self.meta),
            "variant": self.variant,
            "party": self.party,
            "metric": self.metric,
            **({"year": self.year} if self.year is not None else {}),
            "tornado": rows(self.tornado),
        }

    def show(self, console: Console, table: str | None, lang: str) -> None:
        from bekostiging.report.simulation import View, tornado_tables

        view = View(self.year, self.span)
        shown = tornado_tables(
            self.tornado, self.meta, lang, self.metric, self.variant, self.party, view, self._money
        )
        _print_fitted(console, shown)


# ------------------------------------------------------------------ explain


class Trace(Result):
    """The ledger lines behind one party's figure (`bk.explain`), grouped by component.

    Its JSON is the versioned trace of `explain --format json`; as tables, `flows` (one
    row per ledger line, with its formula) and `components` (revenue and payments each).
    """

    default_table = "flows"

    def __init__(self, explanation: Explanation, meta: Meta):
        self.explanation, self.meta = explanation, meta
        self.sources = [meta]

    @property
    def revenue(self) -> Decimal:
        return Decimal(self.explanation.revenue).scaleb(-2)

    @property
    def payments(self) -> Decimal:
        return Decimal(self.explanation.payments).scaleb(-2)

    @property
    def net(self) -> Decimal:
        return Decimal(self.explanation.net).scaleb(-2)

    def names(self) -> list[str]:
        return ["flows", "components"]

    def _table(self, name: str) -> pl.DataFrame:
        import polars as pl

        from bekostiging.report.euros import in_euros

        e = self.explanation
        if name == "components":
            schema = {"component": pl.String, "revenue": pl.Int64, "payments": pl.Int64}
            found = [(c.component, c.revenue, c.payments) for c in e.components]
            return in_euros(pl.DataFrame(found, schema=schema, orient="row"), {"revenue": 2, "payments": 2})
        schema = {
            "component": pl.String,
            "direction": pl.String,
            "payer": pl.String,
            "payee": pl.String,
            "profile": pl.String,
            "activity": pl.String,
            "amount": pl.Int64,
            "formula": pl.String,
        }
        found = [
            (c.component, direction, f.payer, f.payee, f.profile, f.activity, f.amount, f.describe())
            for c in e.components
            for direction, flows in (("in", c.inflows), ("out", c.outflows))
            for f in flows
        ]
        return _names(in_euros(pl.DataFrame(found, schema=schema, orient="row"), {"amount": 2}), self.sources)

    def document(self, table: str | None = None) -> dict[str, Any]:
        from bekostiging.report.explain import trace_document

        return trace_document(self.explanation, self.meta)

    def show(self, console: Console, table: str | None, lang: str) -> None:
        notes = _notes(self.meta, lang).strip()
        if notes:
            console.print(notes, markup=False, highlight=False, emoji=False)
        if table is None:
            from bekostiging.report.explain import render_tree

            console.print(render_tree(self.explanation, lang))
            return
        from bekostiging.report.writers.table import frame_table

        e = self.explanation
        console.print(frame_table(self.table(table), f"{e.party_name}, {e.variant_name}: {table}", lang))


# ------------------------------------------------------------------ check


class Checks(Result):
    """The outcomes of the `[[expect]]` checks (`bk.check`), one row per check.

    `min`, `max` and `value` are decimals as written and as computed (money in euros,
    `delta_pct` a percentage, `coverage` a fraction; an `Object` column since their
    scales differ); `value` is null, and `passed` false, when the figure does not exist.
    """

    default_table = "outcomes"
    COLUMNS = (
        "file",
        "index",
        "variant",
        "kind",
        "subject",
        "metric",
        "whatifs",
        "min",
        "max",
        "value",
        "passed",
        "message",
        "reason",
        "name",
    )

    def __init__(
        self,
        by_file: dict[str, list[Outcome]],
        sources: list[Meta],
        *,
        errors: dict[str, str] | None = None,
        require_checks: bool = False,
    ):
        self.by_file = by_file
        self.sources = sources
        self.errors = dict(errors or {})  # file -> why it could not be checked (it failed to load)
        self.require_checks = require_checks  # a file without [[expect]] fails

    @classmethod
    def combine(
        cls, parts: Sequence[Checks], *, errors: dict[str, str] | None = None, require_checks: bool = False
    ) -> Checks:
        """One result of several; `errors` adds the files that failed to load."""
        by_file = {label: found for part in parts for label, found in part.by_file.items()}
        found = {label: text for part in parts for label, text in part.errors.items()} | (errors or {})
        return cls(
            by_file,
            [meta for part in parts for meta in part.sources],
            errors=found,
            require_checks=require_checks,
        )

    @property
    def failed(self) -> int:
        """How many checks failed (the CLI exits 1 when this is not 0)."""
        return sum(not o.passed for found in self.by_file.values() for o in found)

    @property
    def summary(self) -> Summary:
        """Checks passed and failed, files that failed to load or have no checks; `.ok`
        says whether CI should pass."""
        from bekostiging.expectations import Summary

        return Summary.of(self.by_file, self.errors, required=self.require_checks)

    def missing(self) -> list[Finding]:
        """With `require_checks`: a finding for each file without `[[expect]]` checks."""
        from bekostiging.expectations import NO_CHECKS
        from bekostiging.findings import Finding

        if not self.require_checks:
            return []
        return [Finding(file, "", NO_CHECKS) for file in self.summary.without_checks]

    def names(self) -> list[str]:
        return ["outcomes"]

    def _table(self, name: str) -> pl.DataFrame:
        import polars as pl

        schema = {c: pl.String for c in self.COLUMNS}
        schema |= {"index": pl.Int64, "min": pl.Object, "max": pl.Object, "value": pl.Object}
        schema["passed"] = pl.Boolean
        found = [
            (
                file,
                o.index,
                o.variant,
                o.kind,
                o.subject,
                o.metric,
                ", ".join(o.whatifs),
                o.min,
                o.max,
                o.value,
                o.passed,
                o.message,
                o.reason,
                o.name,
            )
            for file, outcomes in self.by_file.items()
            for o in outcomes
        ]
        return pl.DataFrame(found, schema=schema, orient="row")

    @property
    def outcomes(self) -> pl.DataFrame:
        return self.table("outcomes")

    def number_kinds(self, name: str) -> list[dict[str, str]] | None:
        """A check's bounds and value are of its metric: money, a percentage or a fraction."""
        from bekostiging.expectations import MONEY_METRICS

        kinds = {"delta_pct": "percent", "coverage": "fraction"}
        found = []
        for outcomes in self.by_file.values():
            for o in outcomes:
                kind = "money" if o.metric in MONEY_METRICS else kinds.get(o.metric)
                found.append(dict.fromkeys(("min", "max", "value"), kind) if kind else {})
        return found

    def document(self, table: str | None = None) -> dict[str, Any]:
        from bekostiging.version import __version__

        inputs = list({(i["file"], i["sha256"]): i for m in self.sources for i in m.inputs}.values())
        summary = self.summary
        files = []
        for file in summary.files:
            found = self.by_file.get(file, [])
            failed = sum(not o.passed for o in found)
            files.append(
                {
                    "file": file,
                    "status": summary.status(file),
                    "checks": len(found),
                    "passed": len(found) - failed,
                    "failed": failed,
                    "error": self.errors.get(file),
                }
            )
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "bekostiging", "version": __version__},
            "inputs": inputs,
            "overrides": self.overrides,
            "summary": summary.as_dict(),
            "files": files,
            "outcomes": rows(self.outcomes),
        }

    @property
    def overrides(self) -> list[str]:
        """The `--set` overrides the checked scenarios were computed with (`PATH=VALUE`)."""
        return list(dict.fromkeys(o for m in self.sources for o in m.overrides))

    def show(self, console: Console, table: str | None, lang: str) -> None:
        from rich.text import Text

        from bekostiging.expectations import render_outcomes
        from bekostiging.printable import printable, printable_lines

        if self.overrides:  # (the what-ifs are per check, in a column)
            console.print(
                f"(--set: {printable(', '.join(self.overrides))})", markup=False, highlight=False, emoji=False
            )
        summary = self.summary
        if summary.checks:
            shown = render_outcomes(self.by_file, lang=lang, summary=summary).renderables
            # the checks' numbers label a row (and the file, with several): each block of a
            # table too wide for the console repeats them
            _print_fitted(console, shown, labels=2 if len(self.by_file) > 1 else 1)
        else:
            console.print(Text(printable_lines(summary.text(lang)), style="green" if summary.ok else "red"))

    def junit(self) -> bytes:
        """JUnit XML for CI: files that failed to load are error cases; with
        `require_checks`, a file without checks is a failing case. Every suite records
        the `--set` overrides as properties named `--set`."""
        from bekostiging.expectations import junit_xml

        return junit_xml(
            self.by_file,
            errors=self.errors,
            require_checks=self.require_checks,
            properties=[("--set", o) for o in self.overrides],
        )


# ------------------------------------------------------------------ calibrate


class CalibrationReport(Result):
    """What `bk.calibrate` found in a claims extract: the scenario fragment (TOML text,
    `fragment(region)`) and the report as tables (profiles, paths, prices, unmapped codes,
    outliers, ...), so the report can be written in every format like any other result."""

    default_table = "profiles"

    def __init__(self, calibration: Any):
        from bekostiging.calibrate import report_tables

        self.calibration = calibration
        self.sources = []  # no scenario to name; the report's own metadata is in `about`
        self._frames, self.about = report_tables(calibration)

    def names(self) -> list[str]:
        return list(self._frames)

    def _table(self, name: str) -> pl.DataFrame:
        return self._frames[name]

    def fragment(self, region: str | None = None) -> str:
        return self.calibration.fragment(region)

    @property
    def problems(self) -> list[str]:
        """Why a fragment does not validate against the scenario, per region (empty: fine)."""
        found = self.calibration.fragment_problems.items()
        return [f"{region or 'fragment'}: {p}" for region, ps in found for p in ps]

    def text(self, lang: str = "en") -> str:
        """The report as a person reads it on stderr, in `lang` (`en`, `nl`): a control
        character (in a claim code, a file name) shown as its escape (`\\x1b`)."""
        from bekostiging.printable import printable_lines

        return printable_lines(self.calibration.report(lang))

    def document(self, table: str | None = None) -> dict[str, Any]:
        import dataclasses

        from bekostiging.version import __version__

        about = {k: v for k, v in dataclasses.asdict(self.about).items() if k != "fragment_problems"}
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "bekostiging", "version": __version__},
            "calibration": {**about, "notes": list(about["notes"]), "problems": self.problems},
            **{name: rows(self.table(name)) for name in self.names() if table in (None, name)},
        }

    def show(self, console: Console, table: str | None, lang: str) -> None:
        if table is None:
            console.print(self.text(lang), markup=False, highlight=False, emoji=False, end="")
            return
        from bekostiging.report.writers.table import frame_table

        console.print(frame_table(self.table(table), table, lang))


# ------------------------------------------------------------------ a client's journey


class Journey(Result):
    """One typical client of a profile under each variant (`bk.journey`): `path` (expected
    units per activity, after each variant's effects), `payments` (euros per client per
    payer × payee × component; `kind` direct, or share of per-population money) and
    `summary` (per variant: direct, copay, share and total per client). Units and client
    counts are decimals as computed (an `Object` column); money is euros, each figure
    rounded half-even to the cent on its own (`report.journey`)."""

    default_table = "payments"

    def __init__(self, figures: Any, meta: Meta):
        self.figures, self.meta = figures, meta
        self.sources = [meta]

    @property
    def profile(self) -> str:
        return self.figures.profile

    @property
    def year(self) -> int | None:
        return self.figures.year

    def names(self) -> list[str]:
        return ["path", "payments", "summary"]

    def _table(self, name: str) -> pl.DataFrame:
        from bekostiging.report.euros import in_euros
        from bekostiging.report.journey import SCALES, frame

        return _names(in_euros(frame(self.figures, name), SCALES), self.sources)

    def document(self, table: str | None = None) -> dict[str, Any]:
        from bekostiging.report.journey import SHARE_RULE

        return {
            "schema_version": SCHEMA_VERSION,
            **provenance(self.meta),
            "profile": self.profile,
            "profile_name": self.figures.profile_name,
            **({"year": self.year} if self.year is not None else {}),
            "share_rule": SHARE_RULE,
            "variants": self.meta.variants,
            "parties": self.meta.parties,
            **{name: rows(self.table(name)) for name in self.names()},
        }

    def show(self, console: Console, table: str | None, lang: str) -> None:
        from bekostiging.report.euros import PARTY_COLUMNS
        from bekostiging.report.journey import show

        names = [f"{c}_name" for c in PARTY_COLUMNS]
        tables = {name: self.table(name).drop(names, strict=False) for name in self.names()}
        notes = _notes(self.meta, lang).strip()
        shown = show(tables, self.figures, self.meta, table, lang, console)
        if notes:
            from rich.text import Text

            shown.insert(1, Text(notes))
        _print_fitted(console, shown)


# ------------------------------------------------------------------ diff


class Difference(Result):
    """Two versions of one scenario compared (`bk.diff`): `inputs`, the inputs that differ
    (`path`, `old`, `new` as TOML writes them, `set_in`: the file that sets the value);
    `results`, every figure of every variant × party (× `year`; the horizon's
    `npv_delta` and `npv_margin_delta` with an empty year) with `old`, `new` and `change`
    in euros (`delta_pct` in percent); `totals`, the spending per variant (× year) the same
    way. Two folders: every table leads with `file`, the file name the two sides' files
    are matched by. `old` and `new` hold each side's provenance.
    """

    def __init__(
        self, pairs: Sequence[Any], old: list[Meta], new: list[Meta], view: Any, labels: tuple[str, str]
    ):
        self.pairs, self.old, self.new, self.view, self.labels = list(pairs), old, new, view, labels
        self.sources = [*old, *new]
        self.folder = any(p.member is not None for p in self.pairs)

    def names(self) -> list[str]:
        return ["inputs", "results", "totals"]

    def _table(self, name: str) -> pl.DataFrame:
        import polars as pl

        from bekostiging.report.euros import in_euros

        lead = {"file": pl.String} if self.folder else {}
        if name == "inputs":
            schema = lead | {"path": pl.String, "old": pl.String, "new": pl.String, "set_in": pl.String}
        else:
            schema = lead | {"variant": pl.String}
            schema |= {"party": pl.String} if name == "results" else {}
            schema |= {"year": pl.Int64} if self.view.years else {}
            schema |= {"figure": pl.String, "old": pl.Int64, "new": pl.Int64, "change": pl.Int64}
        found = [
            [{"file": p.member, **row}.get(c) for c in schema] for p in self.pairs for row in getattr(p, name)
        ]
        frame = pl.DataFrame(found, schema=schema, orient="row")
        if name == "inputs":
            return frame
        return _names(in_euros(frame, {"old": 2, "new": 2, "change": 2}), self.sources)

    @property
    def inputs(self) -> pl.DataFrame:
        return self.table("inputs")

    @property
    def results(self) -> pl.DataFrame:
        return self.table("results")

    @property
    def totals(self) -> pl.DataFrame:
        return self.table("totals")

    @property
    def unchanged(self) -> bool:
        """No input differs and every figure is the same on both sides."""
        return not any(p.one_sided or p.inputs for p in self.pairs) and all(
            row["change"] == 0 for p in self.pairs for row in (*p.results, *p.totals)
        )

    def number_kinds(self, name: str) -> list[dict[str, str]] | None:
        """`delta_pct` rows are percentages, the other figures money."""
        if name == "inputs":
            return None
        return [
            dict.fromkeys(("old", "new", "change"), "percent" if f == "delta_pct" else "money")
            for f in self.table(name)["figure"].to_list()
        ]

    def document(self, table: str | None = None) -> dict[str, Any]:
        from bekostiging.version import __version__

        def side(metas: list[Meta]) -> list[dict[str, Any]]:
            return [{k: v for k, v in provenance(m).items() if k != "tool"} for m in metas]

        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "bekostiging", "version": __version__},
            "old": side(self.old),
            "new": side(self.new),
            **{name: rows(self.table(name)) for name in self.names()},
        }

    def show(self, console: Console, table: str | None, lang: str, *, all_years: bool = False) -> None:
        from dataclasses import replace

        from bekostiging.report.differences import full_table, tables
        from bekostiging.report.writers.table import frame_table

        if table is not None:
            frame = self.table(table)
            shown = frame_table(frame, table, lang) if table == "inputs" else full_table(frame, table, lang)
            _print_fitted(console, [shown])
            return
        view = replace(self.view, lang=lang, all_years=all_years)
        one_sided = [p for p in self.pairs if p.one_sided]
        shown = tables(*self.labels, self.inputs, self.results, self.totals, view, one_sided)
        _print_fitted(console, shown)


# ------------------------------------------------------------------ solve (issue 18)


class Solution(Result):
    """The value of one input that gives a figure its target (`bk.solve`).

    `value` (a finite decimal) applied with `--set PATH=VALUE` gives exactly `achieved`;
    `status` is `met`, `closest` (the figure jumps over an `=` target: `other` is the
    value just past the jump and its figure) or `out_of_reach` (`reachable`: the least
    and greatest figure found over the range). Tables: `solution` (one row) and `points`
    (every evaluation, in order). `span`: the horizon's first and last year and discount
    rate when the figure is a net present value.
    """

    default_table = "solution"

    def __init__(
        self,
        meta: Meta,
        path: str,
        target: Any,
        outcome: Any,
        *,
        low: Decimal,
        high: Decimal,
        year: int | None = None,
        span: tuple[int, int, Decimal] | None = None,
        make_whole: str | None = None,
        minimised: str | None = None,
        baseline: str | None = None,
        margin: Decimal | None = None,
    ):
        self.meta, self.path, self.target, self.outcome = meta, path, target, outcome
        # --make-whole: the party's change of margin at the value (None: it has no costs)
        self.margin = margin
        self.low, self.high, self.year, self.span = low, high, year, span
        self.make_whole, self.minimised = make_whole, minimised
        self.baseline = baseline  # as asked for (None: the scenario's own)
        self.sources = [meta]

    @property
    def value(self) -> Decimal:
        return self.outcome.value

    @property
    def achieved(self) -> Decimal:
        return self.outcome.achieved

    @property
    def status(self) -> str:
        return self.outcome.status

    @property
    def evaluations(self) -> int:
        return self.outcome.evaluations

    @property
    def reachable(self) -> tuple[Decimal, Decimal]:
        return self.outcome.reachable

    @property
    def assignment(self) -> str:
        """`PATH=VALUE`, as `--set` takes it."""
        from bekostiging.decisions.solve import plain

        return f"{self.path}={plain(self.value)}"

    def names(self) -> list[str]:
        return ["solution", "points"]

    def _row(self) -> dict[str, Any]:
        from bekostiging.decisions.solve import plain

        o, t = self.outcome, self.target
        low, high = self.reachable
        return {
            "path": self.path,
            "variant": t.variant,
            "party": t.party,
            "metric": t.metric,
            "relation": t.relation,
            "target": t.value,
            "year": self.year,
            "npv": self.span is not None,
            "low": Decimal(plain(self.low)),
            "high": Decimal(plain(self.high)),
            "value": Decimal(plain(o.value)),
            "achieved": o.achieved,
            "difference": o.achieved - t.value,
            "status": o.status,
            "method": o.method,
            "evaluations": o.evaluations,
            "reach_min": low,
            "reach_max": high,
            "other_value": Decimal(plain(o.other.value)) if o.other is not None else None,
            "other_figure": o.other.figure if o.other is not None else None,
            "make_whole": self.make_whole,
            "minimised": self.minimised,
            "minimised_spend": o.objective,
            "margin_delta": self.margin,
        }

    def _table(self, name: str) -> pl.DataFrame:
        import polars as pl

        from bekostiging.decisions.solve import plain
        from bekostiging.decisions.targets import places

        figure = pl.Decimal(20, places(self.target.metric))
        if name == "points":
            schema = {"n": pl.Int64, "value": pl.Object, "figure": figure}
            found = [(i, Decimal(plain(p.value)), p.figure) for i, p in enumerate(self.outcome.points, 1)]
            return pl.DataFrame(found, schema=schema, orient="row")
        row = self._row()
        schema = {c: pl.String for c in row}
        schema |= dict.fromkeys(("low", "high", "value", "other_value"), pl.Object)
        schema |= dict.fromkeys(
            ("target", "achieved", "difference", "reach_min", "reach_max", "other_figure"), figure
        )
        schema |= {
            "year": pl.Int64,
            "npv": pl.Boolean,
            "evaluations": pl.Int64,
            "minimised_spend": pl.Decimal(20, 2),
            "margin_delta": pl.Decimal(20, 2),
        }
        return pl.DataFrame([row], schema=schema)

    def document(self, table: str | None = None) -> dict[str, Any]:
        """The JSON object: the answer at the top (`path`, `value`, `achieved`,
        `evaluations`, ...), then both tables."""
        row = self._row()
        low, high = self.reachable
        return {
            "schema_version": SCHEMA_VERSION,
            **provenance(self.meta),
            "path": self.path,
            "value": row["value"],
            "achieved": row["achieved"],
            "target": {
                "variant": self.target.variant,
                "party": self.target.party,
                "metric": self.target.metric,
                "relation": self.target.relation,
                "value": self.target.value,
            },
            "variant": self.target.variant,
            "party": self.target.party,
            "metric": self.target.metric,
            "year": self.year,
            "npv": self.span is not None,
            "status": self.status,
            "method": self.outcome.method,
            "evaluations": self.evaluations,
            "reachable": {"min": low, "max": high},
            "make_whole": self.make_whole,
            "minimised": (
                {"party": self.minimised, "spend": self.outcome.objective}
                if self.minimised is not None
                else None
            ),
            "set": self.assignment,
            "solution": rows(self.table("solution")),
            "points": rows(self.table("points")),
        }

    def show(self, console: Console, table: str | None, lang: str) -> None:
        from bekostiging.report.solve import solution_tables

        if table == "points":
            from bekostiging.report.i18n import labels
            from bekostiging.report.writers.table import frame_table

            _print_fitted(console, [frame_table(self.table("points"), labels(lang).solve["points"], lang)])
            return
        _print_fitted(console, solution_tables(self, lang))


# ------------------------------------------------------------------ frontier (issue 18)


class Frontier(Result):
    """The negotiation space of one variant (`bk.frontier`): the `grid` table (one row per
    point: the varied values as written, each listed party's delta in euros, the smallest
    of them, whether the point is in the region, and its markers) and the `points` table
    (the max-min and the Nash bargaining point). `grid` holds the numbers as computed
    (`decisions.frontier.Grid`: cents, indices from 0)."""

    default_table = "grid"

    def __init__(self, grid: Any, meta: Meta):
        self.grid, self.meta = grid, meta
        self.sources = [meta]

    def names(self) -> list[str]:
        return ["grid", "points"]

    def _table(self, name: str) -> pl.DataFrame:
        g = self.grid
        if name == "grid":
            marks = {
                i: [k for k, at in (("max_min", g.max_min), ("nash", g.nash)) if at == i]
                for i in range(g.size)
            }
            found = [self._row(i, ",".join(marks[i]) or None) for i in range(g.size)]
            return self._frame(found, "marker")
        chosen = [("max_min", g.max_min), ("nash", g.nash)]
        found = [self._row(i, kind) if i is not None else self._empty(kind) for kind, i in chosen]
        return self._frame(found, "kind", first=True)

    def _columns(self) -> list[str]:
        return [
            *(a.path for a in self.grid.axes),
            *(f"delta_{p}" for p in self.grid.parties),
            "min_delta",
            "feasible",
        ]

    def _row(self, index: int, label: str | None) -> list[Any]:
        g = self.grid
        deltas = [g.deltas[p][index] for p in g.parties]
        return [label, index + 1, *g.values_at(index), *deltas, g.smallest[index], g.feasible[index]]

    def _empty(self, label: str) -> list[Any]:
        return [label, None, *(None for _ in self._columns())]

    def _frame(self, found: list[list[Any]], label: str, *, first: bool = False) -> pl.DataFrame:
        import polars as pl

        from bekostiging.report.euros import in_euros

        money = [f"delta_{p}" for p in self.grid.parties] + ["min_delta"]
        schema: dict[str, Any] = {label: pl.String, "point": pl.Int64}
        schema |= {a.path: pl.Object for a in self.grid.axes}
        schema |= {c: pl.Int64 for c in money} | {"feasible": pl.Boolean}
        frame = pl.DataFrame(found, schema=schema, orient="row")
        order = [label, "point", *self._columns()] if first else ["point", *self._columns(), label]
        return in_euros(frame.select(order), dict.fromkeys(money, 2))

    @property
    def grid_table(self) -> pl.DataFrame:
        return self.table("grid")

    @property
    def points(self) -> pl.DataFrame:
        return self.table("points")

    def document(self, table: str | None = None) -> dict[str, Any]:
        g = self.grid
        ranges = g.ranges()
        return {
            "schema_version": SCHEMA_VERSION,
            **provenance(self.meta),
            "variant": g.variant,
            "parties": list(g.parties),
            "metric": g.metric,
            **({"year": g.year} if g.year is not None else {}),
            "vary": [{"path": a.path, "low": a.low, "high": a.high, "n": a.n} for a in g.axes],
            "region": {
                "points": len(g.region),
                "of": g.size,
                "ranges": [
                    {"path": a.path, "low": r[0] if r else None, "high": r[1] if r else None}
                    for a, r in zip(g.axes, ranges, strict=True)
                ],
            },
            "nash_none": g.nash_none,
            "points": rows(self.points),
            "grid": rows(self.grid_table),
        }

    def show(self, console: Console, table: str | None, lang: str) -> None:
        from bekostiging.report.frontier import summary

        if table is not None:
            from bekostiging.report.writers.table import frame_table

            _print_fitted(console, [frame_table(self.table(table), table, lang)])
            return
        _print_fitted(console, summary(self, lang), labels=2)

    def chart(self, fmt: str = "svg", lang: str = "nl") -> str:
        """The heat map (two inputs) or line chart (one) as a standalone SVG file, or a
        self-contained HTML page with the chart and its data tables (`fmt="html"`)."""
        from bekostiging.report.frontier import page, svg

        if fmt == "html":
            return page(self, lang)
        if fmt == "svg":
            from bekostiging.report.html.charts import standalone

            return standalone(svg(self, lang))
        raise OptionError(f"unknown chart format {fmt!r}; choose from svg, html")
