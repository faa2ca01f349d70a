"""The library's front door: load a scenario, compute it, read its tables, render them.

Every command of the CLI is one function here (the CLI calls nothing else), and each
returns a result with named tables in euros (`bekostiging.results`):

    >>> import bekostiging as bk
    >>> s = bk.load("geboortezorg-regio")
    >>> r = bk.compare(s, year=2025)
    >>> r.table("totals").columns
    ['year', 'variant', 'payer_spend', 'client_copay', 'total']
    >>> bk.render(r, "csv", "totals").splitlines()[:2]
    ['year,variant,payer_spend,client_copay,total', '2025,mono,22152142.58,636979.50,22789122.08']

Invalid input raises `ScenarioError`, whose `findings` carry file, dotted path and
message; an argument that does not fit (a year outside the horizon, an unknown table)
raises `OptionError`. docs/api.md shows the whole API.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bekostiging import examples
from bekostiging.findings import Finding, ScenarioError
from bekostiging.report.render import Meta, render
from bekostiging.results import (
    CalibrationReport,
    Checks,
    Comparison,
    Comparisons,
    Difference,
    Frontier,
    Journey,
    OptionError,
    RegionComparisons,
    Result,
    Sensitivity,
    Simulation,
    Solution,
    Trace,
)

if TYPE_CHECKING:
    from bekostiging.engine.run import Run
    from bekostiging.report.figures import Figures
    from bekostiging.scenario import model as models
    from bekostiging.scenario.effects import Applied
    from bekostiging.scenario.toml_files import Parsed, SourceTree

K = TypeVar("K")

__all__ = [
    "Checks",
    "Comparison",
    "Comparisons",
    "Difference",
    "Finding",
    "Journey",
    "OptionError",
    "RegionComparisons",
    "Result",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "Simulation",
    "Solution",
    "Trace",
    "check",
    "compare",
    "diff",
    "explain",
    "frontier",
    "journey",
    "load",
    "loads",
    "render",
    "sensitivity",
    "simulate",
    "solve",
]

#: Overrides of inputs, validated like the file: a mapping of dotted path to value (a
#: `Decimal`, `int`, `bool`, or a `str` read as `--set` reads it), or `PATH=VALUE` texts.
Overrides = Mapping[str, Decimal | int | bool | str] | Sequence[str]


@dataclass(frozen=True, eq=False)
class Scenario:
    """A loaded, valid scenario: the model, and the source it came from (the raw TOML data
    and every file read, with their hashes), so that overrides are validated like the file.
    """

    model: models.Scenario
    tree: SourceTree
    label: str  # how outputs name it: as given, or (a folder's member) its file name
    # The overrides applied to the files, in order, each as `PATH=VALUE`: outputs record
    # them beside the files' hashes, since the numbers no longer follow from the files alone.
    overrides: tuple[str, ...] = ()
    # Each variant's effects applied to `model`, as loading checked them (by variant id):
    # `compare` computes the variants from them instead of applying the effects again.
    # Not sent to another process (`cores`): there they are applied again when needed.
    applied: Mapping[str, Applied] = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "applied": {}}

    @property
    def name(self) -> str:
        return self.model.scenario.name

    @property
    def file(self) -> str:
        """The scenario file as outputs name it (`bekostiging:examples/...` when embedded)."""
        return self.tree.main

    @property
    def files(self) -> list[Path]:
        """Every file read, the scenario file first."""
        return list(self.tree.files)

    def with_overrides(self, overrides: Overrides | None) -> Scenario:
        """This scenario with some inputs replaced; raises `ScenarioError` if invalid."""
        if not overrides:
            return self
        tree = self.tree.copy()
        applied: dict[str, Applied] = {}
        model = _validated(tree, overrides, applied)
        return Scenario(model, tree, self.label, (*self.overrides, *_recorded(overrides)), applied)


#: Called with each note about a folder's files: a file skipped and why, or a warning
#: (two files with the same scenario name). The CLI prints them on stderr.
Notes = Callable[[str], None]


def load(
    source: str | Path, *, overrides: Overrides | None = None, notes: Notes | None = None
) -> Scenario | tuple[Scenario, ...]:
    """A scenario file, a folder of them, or the name of an embedded example.

    A file gives a `Scenario`; a folder (or an example that is a folder of regions) a
    tuple, one per scenario file in it (`notes`, if given, hears which files were skipped
    and why). Raises `ScenarioError` with every problem of every file.
    """
    from bekostiging.cores import in_order
    from bekostiging.scenario.toml_files import Parsed

    parsed = Parsed()  # the regions of a folder share their includes: each file parsed once

    def one(member: tuple[Path, str, dict[str, Any] | None]) -> Scenario | ScenarioError:
        path, label, data = member
        try:
            return _load_file(path, overrides, label, data, parsed)
        except ScenarioError as exc:
            return exc

    found, findings = [], []
    sent = lambda loaded: not isinstance(loaded, ScenarioError)  # noqa: E731
    members = _members(source, notes)
    for loaded in in_order(one, members, sent=sent, prepare=_loading):  # a folder's files on every core
        if isinstance(loaded, ScenarioError):
            findings += loaded.findings
        else:
            found.append(loaded)
    if findings:
        raise ScenarioError(findings)
    return tuple(found) if examples.resolve(str(source)).is_dir() else found[0]


def _loading() -> None:
    """Import what loading needs (before workers are forked: `cores.in_order`)."""
    from bekostiging.scenario import checks, load  # noqa: F401


def _computing() -> None:
    """Import what computing a comparison needs (polars, the engine, the figures), before
    workers are forked (`cores.in_order`): imported, polars starts no thread pool yet."""
    from bekostiging.engine import run  # noqa: F401
    from bekostiging.report import figures  # noqa: F401


def _members(source: str | Path, notes: Notes | None) -> list[tuple[Path, str, dict[str, Any] | None]]:
    """The scenario files `source` names (a file, a folder, an embedded example), each with
    the name outputs give it (`source` itself, or a folder member's file name) and, for a
    folder member, its data as the folder's scan parsed it (so no file is parsed twice)."""
    from bekostiging.scenario.folders import scan

    resolved = examples.resolve(str(source))
    if not resolved.is_dir():
        return [(resolved, str(source), None)]
    folder = scan(resolved)
    _tell(notes, folder.notes())
    if not folder.scenarios:
        return [(resolved, str(source), None)]  # the loader says why there is nothing to run
    return [(path, _display(path), folder.data.get(path)) for path in folder.scenarios]


def _tell(notes: Notes | None, lines: Sequence[str]) -> None:
    if notes is not None:
        for line in lines:
            notes(line)


def loads(
    text: str, base_dir: str | Path = ".", *, name: str = "<text>", overrides: Overrides | None = None
) -> Scenario:
    """A scenario given as TOML text; its includes are read relative to `base_dir`, and
    outputs name it `name` (with the sha256 of the text)."""
    from bekostiging.scenario.toml_files import load_text

    return _from_tree(load_text(text, Path(base_dir), name), overrides, name)


def _load_file(
    path: Path,
    overrides: Overrides | None,
    label: str,
    data: dict[str, Any] | None = None,
    parsed: Parsed | None = None,
) -> Scenario:
    from bekostiging.scenario.toml_files import load_tree

    if path.is_dir():
        from bekostiging.scenario.folders import scan

        raise ScenarioError([Finding(label, "", scan(path).empty(label))])
    return _from_tree(load_tree(path, data, parsed), overrides, label)


def _from_tree(tree: SourceTree, overrides: Overrides | None, label: str) -> Scenario:
    if tree.findings and not tree.data:  # nothing could be read
        raise ScenarioError(tree.findings)
    applied: dict[str, Applied] = {}
    return Scenario(_validated(tree, overrides, applied), tree, label, _recorded(overrides), applied)


def _recorded(overrides: Overrides | None) -> tuple[str, ...]:
    """The overrides as outputs record them: `PATH=VALUE` each, in the order applied
    (`--set` texts as given, trimmed; a mapping's values as TOML writes them)."""
    if not overrides:
        return ()
    if isinstance(overrides, Mapping):
        return tuple(f"{path}={_toml(value)}" for path, value in overrides.items())
    return tuple("=".join(part.strip() for part in text.split("=", 1)) for text in overrides)


def _toml(value: Any, inner: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if inner else value.strip()  # read as --set reads it
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v, inner=True) for v in value) + "]"
    return str(value)


def _inputs(s: Scenario) -> list[dict[str, str]]:
    """What the numbers of `s` came from: each file read with its sha256 and, when inputs
    were overridden, an entry `<--set>` (no file, like `<text>` of `loads`) with the sha256
    of the overrides (one `PATH=VALUE` a line): the inputs of two runs differ whenever
    their numbers can."""
    found = s.tree.sha256()
    if s.overrides:
        text = "".join(f"{o}\n" for o in s.overrides)
        found.append({"file": _OVERRIDES, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})
    return found


#: How outputs name the overrides among the inputs.
_OVERRIDES = "<--set>"


def _validated(
    tree: SourceTree, overrides: Overrides | None, applied: dict[str, Applied] | None = None
) -> models.Scenario:
    """Apply the overrides to `tree` (in place) and validate it; every finding at once.
    `applied` gets each variant's effects applied, as the check applied them."""
    from bekostiging.scenario.load import validate_tree

    if overrides:
        from bekostiging.scenario.overrides import SOURCE, apply_overrides

        apply_overrides(tree, overrides, "overrides" if isinstance(overrides, Mapping) else SOURCE)
    scenario = validate_tree(tree, applied)
    if tree.findings:
        raise ScenarioError(tree.findings)
    assert scenario is not None
    return scenario


#: What names the scenarios to compute: loaded ones, paths, example names, or a sequence of them.
Source = Scenario | str | Path | Sequence[Scenario | str | Path]


def once(scenarios: Sequence[Scenario], notes: Notes | None = None) -> list[Scenario]:
    """Each scenario once, in order: one file named twice (`a.toml ./a.toml`, a folder and a
    file in it, a link to it) would add its money twice. The same file with other
    overrides is another scenario. `notes` hears each one left out, and why."""
    kept: dict[tuple, Scenario] = {}
    for s in scenarios:
        key = (tuple(s.tree.texts.items()) or tuple(s.tree.files[:1]) or s.tree.main, s.overrides)
        if key in kept:
            _tell(notes, [counted_once(s.label, kept[key].label)])
        else:
            kept[key] = s
    return list(kept.values())


def counted_once(label: str, first: str) -> str:
    """The note for a file named again, `label`, after `first`."""
    why = "named more than once" if label == first else f"the same file as {first}"
    return f"skipped {label}: {why} (each file is counted once)"


def _scenarios(source: Source, overrides: Overrides | None) -> list[Scenario]:
    """Whatever names the scenarios (loaded, a path, an example name, or a sequence of
    these), with the overrides applied, each once (`once`); every problem of every file
    at once."""
    items = [source] if isinstance(source, Scenario | str | Path) else list(source)
    found, findings = [], []
    for item in items:
        try:
            if isinstance(item, Scenario):
                found.append(item.with_overrides(overrides))
            else:
                loaded = load(item, overrides=overrides)
                found += [loaded] if isinstance(loaded, Scenario) else list(loaded)
        except ScenarioError as exc:
            findings += exc.findings
    if findings:
        raise ScenarioError(findings)
    return once(found)


def _one(source: Source, overrides: Overrides | None, command: str) -> Scenario:
    found = _scenarios(source, overrides)
    if len(found) != 1:
        raise OptionError(f"{command} takes one scenario file; got {len(found)}")
    return found[0]


# ------------------------------------------------------------------ compare

BREAKDOWNS = ("party", "component", "profile", "activity", "payer", "scenario")


def compare(
    source: Source,
    *,
    variants: Sequence[str] | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    overrides: Overrides | None = None,
    year: int | None = None,
    attribution: bool = False,
    by: str | None = None,
    party: str | None = None,
) -> Comparison | Comparisons:
    """Compute every (or the chosen) variant and compare the money of every party.

    `attribution` adds the step-by-step split of every delta (table `attribution`); `by`
    (component, profile, activity or payer) a breakdown `by_<by>`. With a `[horizon]` every
    table gets a `year` column and there is a `horizon` table of net present values;
    `year` computes just that year (the summary over every year when an output needs it).
    Several scenarios give `Comparisons`, computed each on its own, with the same years.
    `by="scenario"` (several scenarios only: a folder of regions) gives
    `RegionComparisons`, with the table `by_scenario`: per variant each scenario's change
    for every party, the regions sorted by `party`'s change (default: the providers' and
    networks' together), largest first (`report.regions`).
    """
    if by is not None and by not in BREAKDOWNS:
        raise OptionError(f"unknown breakdown {by!r}; choose from {', '.join(BREAKDOWNS)}")
    if party is not None and by != "scenario":
        raise OptionError("party sorts the regions of by='scenario' (--party needs --by scenario)")
    found = _scenarios(source, overrides)
    for s in found:
        check_year(s, year)
    regional = by == "scenario"
    if regional:
        _check_regions(found, party)
        by = None  # each scenario computed as it is; the regional table is made of them
    comparisons, findings = [], []
    for s, computed in zip(
        found, _compared(found, variants, baseline, whatifs, attribution, by, year), strict=True
    ):
        if isinstance(computed, ScenarioError):
            findings += computed.findings
        else:
            comparisons.append(computed.rejoin(s.model, s.tree))
    if findings:
        raise ScenarioError(findings)
    if len(comparisons) == 1:
        return comparisons[0]
    _same_years(comparisons)
    return RegionComparisons(comparisons, party) if regional else Comparisons(comparisons)


def _check_regions(found: Sequence[Scenario], party: str | None) -> None:
    """A regional view needs several scenarios, and the party it sorts by must be one of
    theirs (`OptionError`, `ScenarioError` with the choices)."""
    from bekostiging.findings import choose_from

    if len(found) < 2:
        named = f" ({found[0].label})" if found else ""
        raise OptionError(f"--by scenario needs several scenarios: a folder or several files; got one{named}")
    parties = dict.fromkeys(p for s in found for p, _ in _parties_in_order(s))
    if party is not None and party not in parties:
        raise ScenarioError([Finding(found[0].file, "--party", choose_from("party", party, parties))])


def check_year(source: Scenario, year: int | None) -> None:
    """Raise `OptionError` unless `year` is None or a year of the scenario's horizon."""
    if year is None:
        return
    horizon = source.model.horizon
    if horizon is None:
        raise OptionError(f"{source.file}: year {year}: this scenario has no [horizon]")
    start = _start(source)
    if not start <= year < start + horizon.years:
        raise OptionError(
            f"{source.file}: year {year} is not in the horizon {start}-{start + horizon.years - 1}"
        )


def _start(source: Scenario) -> int:
    from bekostiging.scenario.load import start_year

    assert source.model.horizon is not None
    start = start_year(source.model.horizon, source.tree.data)
    assert start is not None, "validated: a horizon has a start"
    return start


def _compared(
    found: Sequence[Scenario], variants, baseline, whatifs, attribution, by, year
) -> list[Comparison | ScenarioError]:
    """Each scenario's comparison, or the error that says why there is none; the one-year
    scenarios of a folder on every core (`cores.in_blocks`: the same results, in order),
    the tables of each core's block in one polars pass (`report.figures.figures_of`)."""
    from bekostiging.cores import in_blocks

    def one(s: Scenario) -> Comparison | ScenarioError:
        try:
            return _compare(s, variants, baseline, whatifs, attribution, by, year)
        except ScenarioError as exc:
            return exc

    if any(s.model.horizon is not None for s in found):  # a horizon's summary is a function: not sent
        return [one(s) for s in found]

    def block(scenarios: Sequence[Scenario]) -> list[Comparison | ScenarioError]:
        return _compare_block(scenarios, variants, baseline, whatifs, attribution, by)

    return in_blocks(block, found, sent=lambda c: isinstance(c, Comparison), prepare=_computing)


def _compare_block(
    scenarios: Sequence[Scenario], variants, baseline, whatifs, attribution, by
) -> list[Comparison | ScenarioError]:
    """The comparisons of one-year scenarios, their tables in one pass; a scenario that fails
    gives its error in its place. Should the pass fail (a cost beyond any amount in one
    scenario), each scenario's tables are made on their own, so the error is its own."""
    from bekostiging.engine.run import run

    runs: dict[int, Run] = {}
    failed: dict[int, ScenarioError] = {}
    for i, s in enumerate(scenarios):
        try:
            runs[i] = run(s.model, **_how(s, variants, baseline, whatifs), applied=s.applied)
        except ScenarioError as exc:
            failed[i] = exc
    try:
        tables = _figures_of(runs, attribution, by)
    except ScenarioError:
        tables = {}
    for i in runs.keys() - tables.keys():
        try:
            tables[i] = _figures(runs[i], attribution, by)
        except ScenarioError as exc:
            failed[i] = exc
    return [
        failed[i] if i in failed else _comparison(s, runs[i], tables[i], _how(s, variants, baseline, whatifs))
        for i, s in enumerate(scenarios)
    ]


def _compare(s: Scenario, variants, baseline, whatifs, attribution, by, year) -> Comparison:
    if s.model.horizon is not None:
        return _compare_years(s, variants, baseline, whatifs, attribution, by, year)
    (found,) = _compare_block([s], variants, baseline, whatifs, attribution, by)
    if isinstance(found, ScenarioError):
        raise found
    return found


def _how(s: Scenario, variants, baseline, whatifs) -> dict[str, Any]:
    """How `engine.run.run` computes a scenario's comparison (`Comparison.rerun_with`)."""
    return {"variants": variants, "baseline": baseline, "whatifs": whatifs, "file": s.file}


def _comparison(s: Scenario, result: Run, figures: Figures, how: dict[str, Any]) -> Comparison:
    meta = _meta(s, result.baseline, how["whatifs"], [(v, r.name) for v, r in result.variants.items()])
    return Comparison(s.model, s.tree, result, figures, meta).rerun_with(**how)


def _meta(s: Scenario, baseline: str, whatifs: Sequence[str], variants: list[tuple[str, str]]) -> Meta:
    return Meta(
        scenario_name=s.name,
        scenario_file=s.file,
        inputs=_inputs(s),
        baseline=baseline,
        whatifs=list(whatifs),
        overrides=list(s.overrides),
        variants=[{"id": v, "name": name} for v, name in variants],
        parties=[{"id": k, "name": p.name or k, "role": p.role} for k, p in _parties_in_order(s)],
    )


def _parties_in_order(s: Scenario) -> list[tuple[str, Any]]:
    """The parties in the scenario's order: as a reader meets them in its [parties], an
    included file's where it is included (`SourceTree.party_order`); any other (one set
    with --set) after them."""
    order = {p: i for i, p in enumerate(s.tree.party_order())}
    return sorted(s.model.parties.items(), key=lambda item: order.get(item[0], len(order)))


def _run_meta(s: Scenario, result: Run, whatifs: Sequence[str]) -> Meta:
    return _meta(s, result.baseline, whatifs, [(v, r.name) for v, r in result.variants.items()])


def _figures(result: Run, attribution: bool, by: str | None) -> Figures:
    from bekostiging.report.figures import figures

    return _with_extras(result, figures(result), attribution, by)


def _figures_of(runs: Mapping[K, Run], attribution: bool, by: str | None) -> dict[K, Figures]:
    """`_figures` of each run, their contract tables computed in one polars pass."""
    from bekostiging.report.figures import figures_of

    tables = figures_of(list(runs.values()))
    return {k: _with_extras(r, t, attribution, by) for (k, r), t in zip(runs.items(), tables, strict=True)}


def _with_extras(result: Run, tables: Figures, attribution: bool, by: str | None) -> Figures:
    """The run's tables with the ones asked for besides: `attribution`, `by_<by>`."""
    from bekostiging.report.figures import attribution_frame, breakdown, by_payer

    if attribution:
        from bekostiging.engine.attribution import attribute

        steps = [s for v in result.variants if v != result.baseline for s in attribute(result, v)]
        tables.extra["attribution"] = attribution_frame(steps)
    if by == "payer":
        roles = {p: party.role for p, party in result.scenario.parties.items()}
        tables.extra["by_payer"] = by_payer(tables, roles, result.scenario.scenario.market_shares)
    elif by is not None and by != "party":
        tables.extra[f"by_{by}"] = breakdown(tables, by)
    return tables


def _compare_years(s: Scenario, variants, baseline, whatifs, attribution, by, year) -> Comparison:
    """The years of the horizon (or just `year`), their tables stacked, and the summary."""
    from bekostiging.engine.horizon import run_horizon
    from bekostiging.report.tables import by_year

    start = _start(s)

    def years_run(only: int | None):
        return run_horizon(
            s.tree.data,
            s.model,
            start,
            variants=variants,
            baseline=baseline,
            whatifs=whatifs,
            file=s.file,
            only_year=only,
        )

    years = years_run(year)
    per_year = _figures_of(years.years, attribution, by)
    tables = by_year(per_year)
    shown_year = year if year is not None else start
    first = years.years[shown_year]
    meta = _run_meta(s, first, whatifs)
    if year is None:
        tables.extra["horizon"] = _horizon_frame(years, {y: f.results for y, f in per_year.items()})
        return Comparison(s.model, s.tree, first, tables, meta, shown_year)

    def every_year():
        from bekostiging.report.figures import figures_of

        full = years_run(None)
        tables = figures_of(list(full.years.values()))
        return _horizon_frame(full, {y: t.results for y, t in zip(full.years, tables, strict=True)})

    return Comparison(s.model, s.tree, first, tables, meta, shown_year, horizon=every_year)


def _horizon_frame(years: Any, results: dict[int, Any]) -> Any:
    """The `horizon` table: npv_delta, npv_margin_delta and payback_year per variant × party."""
    import polars as pl

    from bekostiging.engine.horizon import summary

    rows = summary(years, {y: list(frame.iter_rows(named=True)) for y, frame in results.items()})
    schema = {
        "variant": pl.String,
        "party": pl.String,
        "npv_delta": pl.Int64,
        "npv_margin_delta": pl.Int64,
        "payback_year": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema)


def scenario_files(arguments: Sequence[Path], notes: Notes | None = None) -> list[Path]:
    """Files as given; a folder stands for the scenario files in it (not the files they
    include, nor totals files: `notes` hears which were skipped and why)."""
    from bekostiging.scenario.folders import scan

    found: list[Path] = []
    for argument in arguments:
        if not argument.is_dir():
            found.append(argument)
            continue
        folder = scan(argument)
        _tell(notes, folder.notes())
        found += folder.scenarios or [argument]  # none: the loader says why
    return found


def _display(path: Path) -> str:
    from bekostiging.scenario.toml_files import display

    return display(path)


def _same_years(comparisons: Sequence[Comparison]) -> None:
    """Several files add up year by year, so they must cover the same years: all one year,
    or all with a `[horizon]` over the same years."""

    from bekostiging.report.tables import years_of

    def years(c: Comparison) -> tuple[int, ...] | None:
        return tuple(years_of(c.figures_for("results").results)) or None

    first = years(comparisons[0])
    if all(years(c) == first for c in comparisons):
        return

    def shown_years(found: tuple[int, ...] | None) -> str:
        return "one year (no [horizon])" if found is None else f"the years {found[0]}-{found[-1]}"

    raise ScenarioError(
        [
            Finding(
                c.tree.main,
                "horizon",
                f"covers {shown_years(years(c))}, but {comparisons[0].tree.main} covers "
                f"{shown_years(first)}: files compared together are added up year by year, so they "
                "need the same years (compare them one by one, or use --year Y on files with a horizon)",
            )
            for c in comparisons[1:]
            if years(c) != first
        ]
    )


# ------------------------------------------------------------------ uncertainty (HORIZON.md §2)


def _uncertain(s: Scenario, baseline, whatifs, variants=None):
    """The scenario's deterministic run (for the names of what is drawn), and the job to draw with."""
    from bekostiging.engine.run import run
    from bekostiging.engine.simulate import Job

    if s.model.uncertainty is None:
        raise ScenarioError([Finding(s.file, "uncertainty", "has no [uncertainty] table: nothing to draw")])
    result = run(s.model, variants=variants, baseline=baseline, whatifs=whatifs, file=s.file)
    start = _start(s) if s.model.horizon is not None else None
    base = s.tree.data if start is not None else s.model.model_dump(by_alias=True)
    job = Job(base, {}, tuple(variants) if variants else None, baseline, tuple(whatifs), s.file, start)
    return result, job


def _span(s: Scenario) -> tuple[int, int, Decimal] | None:
    """A horizon's first and last year and its discount rate; None without one."""
    if s.model.horizon is None:
        return None
    start = _start(s)
    return start, start + s.model.horizon.years - 1, s.model.horizon.discount_rate


def _party_order(s: Scenario) -> list[str]:
    """The parties as every table lists them: by role (payer, client, network, provider),
    then by id (docs/semantics.md, "Figures and output order")."""
    from bekostiging.report.figures import ROLE_ORDER

    parties = s.model.parties
    return sorted(parties, key=lambda p: (ROLE_ORDER.index(parties[p].role), p))


def _check_draws(draws: int | None) -> None:
    """`draws` within the limit, before anything is loaded (SECURITY.md)."""
    from bekostiging.scenario.limits import MAX_DRAWS

    if draws is not None and not 1 <= draws <= MAX_DRAWS:
        raise OptionError(f"--draws {draws}: the number of draws must be 1 to {MAX_DRAWS:,} (SECURITY.md)")


def _check_cells(s: Scenario, n: int, pairs: int, *, option: bool) -> None:
    """Draws × (variant, party) pairs within `MAX_DRAW_CELLS`: every draw's figures are kept."""
    from bekostiging.scenario.limits import MAX_DRAW_CELLS

    if n * pairs <= MAX_DRAW_CELLS:
        return
    message = (
        f"{n:,} draws × {pairs:,} variant-party pairs keep {n * pairs:,} figures; the limit is "
        f"{MAX_DRAW_CELLS:,} (SECURITY.md): use at most {MAX_DRAW_CELLS // pairs:,} draws, "
        "or fewer variants (--variant)"
    )
    if option:
        raise OptionError(f"--draws {n}: {message}")
    raise ScenarioError([Finding(s.file, "uncertainty.draws", message)])


def simulate(
    source: Source,
    *,
    draws: int | None = None,
    seed: int | None = None,
    year: int | None = None,
    variants: Sequence[str] | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    overrides: Overrides | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Simulation:
    """Monte Carlo over the scenario's `[uncertainty]` parameters (default: its own
    number of draws and seed); `progress(k)` is called as each block of k draws is done.

    With a `[horizon]`, net and delta (and the shared-savings tables) are those of `year`
    (default: the first year) and npv_delta covers every year; `year` outside the horizon
    raises `OptionError`, as does a number of draws above `MAX_DRAWS`, before loading."""
    from dataclasses import replace

    from bekostiging.engine.simulate import run_draws, statistics
    from bekostiging.scenario.uncertainty import Sampler

    _check_draws(draws)
    s = _one(source, overrides, "simulate")
    check_year(s, year)
    result, job = _uncertain(s, baseline, whatifs, variants)
    assert s.model.uncertainty is not None
    n = draws if draws is not None else s.model.uncertainty.draws
    _check_cells(s, n, len(result.variants) * len(s.model.parties), option=draws is not None)
    chosen_seed = seed if seed is not None else s.model.uncertainty.seed
    span = _span(s)
    shown = (year if year is not None else span[0]) if span else None
    sampler = Sampler(s.model.uncertainty, chosen_seed)
    found = run_draws(
        replace(job, year=shown),
        sampler,
        n,
        workers=workers,
        progress=progress,
        parties=_party_order(s),
    )
    meta = _run_meta(s, result, whatifs)
    return Simulation(
        meta, n, chosen_seed, statistics(found), found, shown, span=span, chosen=year is not None
    )


METRICS = ("delta", "net", "npv_delta")


def sensitivity(
    source: Source,
    *,
    variant: str,
    party: str,
    metric: str | None = None,
    year: int | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    overrides: Overrides | None = None,
) -> Sensitivity:
    """One-way sensitivity of one figure: each parameter at its two swing values
    (low/high, or p5/p95), the others at the scenario's own values; the `tornado`
    table sorted by swing, largest first.

    The figure (`metric`) is `delta` by default; with a `[horizon]` it is `npv_delta`
    over every year, unless a `year` is given: then that year's `delta` (or `net`)."""
    from dataclasses import replace

    from bekostiging.engine.simulate import evaluate
    from bekostiging.findings import choose_from
    from bekostiging.scenario.uncertainty import swing_values

    if metric is not None and metric not in METRICS:
        raise OptionError(f"unknown metric {metric!r}; choose from {', '.join(METRICS)}")
    s = _one(source, overrides, "sensitivity")
    check_year(s, year)
    span = _span(s)
    if metric is None:
        metric = "npv_delta" if span is not None and year is None else "delta"
    if metric == "npv_delta" and year is not None:
        raise OptionError(
            f"--year {year} does not go with --metric npv_delta, which covers every year "
            f"of the horizon; for one year use --metric delta or net"
        )
    result, job = _uncertain(s, baseline, whatifs)
    assert s.model.uncertainty is not None
    problems = []
    if variant not in s.model.variants:
        problems.append(Finding(s.file, "--variant", choose_from("variant", variant, s.model.variants)))
    if party not in s.model.parties:
        problems.append(Finding(s.file, "--party", choose_from("party", party, s.model.parties)))
    if metric == "npv_delta" and span is None:
        problems.append(Finding(s.file, "--metric", "npv_delta needs a [horizon]"))
    if problems:
        raise ScenarioError(problems)
    column = {"net": 0, "delta": 1, "npv_delta": 2}[metric]
    shown = None if span is None or metric == "npv_delta" else (year if year is not None else span[0])
    job = replace(job, year=shown, npv=metric == "npv_delta")

    def measure(values: dict) -> int:
        figures, _ = evaluate(replace(job, columns={p: [v] for p, v in values.items()}), 0)
        return figures[(variant, party)][column]

    found = []
    for name, dist in s.model.uncertainty.params.items():
        low, high = swing_values(dist)
        at_low, at_high = measure({name: low}), measure({name: high})
        found.append(
            {
                "parameter": name,
                "low": low,
                "high": high,
                "metric_low": at_low,
                "metric_high": at_high,
                "swing": abs(at_high - at_low),
            }
        )
    found.sort(key=lambda r: (-r["swing"], r["parameter"]))
    meta = _run_meta(s, result, whatifs)
    money = _money_params(s, list(s.model.uncertainty.params))
    return Sensitivity(meta, variant, party, metric, found, year=shown, span=span, money=money)


def _money_params(s: Scenario, paths: list[str]) -> frozenset[str]:
    """The parameters that are money inputs (a tariff, an annual cost: HORIZON.md §1), shown in euros."""
    from bekostiging.scenario.years import money_leaves

    leaves = [tuple(str(k) for k in path) for path, _, _ in money_leaves(s.tree.data)]

    def matches(pattern: list[str], leaf: tuple[str, ...]) -> bool:
        return len(pattern) == len(leaf) and all(p in ("*", k) for p, k in zip(pattern, leaf, strict=True))

    return frozenset(p for p in paths if any(matches(p.split("."), leaf) for leaf in leaves))


# ------------------------------------------------------------------ explain, check


def explain(
    source: Source,
    *,
    variant: str,
    party: str,
    component: str | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    overrides: Overrides | None = None,
    year: int | None = None,
) -> Trace:
    """The ledger lines behind one party's figure in one variant, each with its formula
    (with a `[horizon]`: of `year`, default the first; only that year is computed)."""
    from bekostiging.engine.horizon import run_horizon
    from bekostiging.engine.run import run
    from bekostiging.report.explain import explain as trace

    s = _one(source, overrides, "explain")
    check_year(s, year)
    shown = None
    if s.model.horizon is not None:
        shown = year if year is not None else _start(s)
        years = run_horizon(
            s.tree.data,
            s.model,
            _start(s),
            baseline=baseline,
            whatifs=whatifs,
            file=s.file,
            only_year=shown,
        )
        result = years.years[shown]
    else:
        result = run(s.model, baseline=baseline, whatifs=whatifs, file=s.file)
    explanation = trace(result, variant, party, component, file=s.file, year=shown)
    return Trace(explanation, _run_meta(s, result, whatifs))


def check(source: Source, *, baseline: str | None = None, overrides: Overrides | None = None) -> Checks:
    """Evaluate the `[[expect]]` policy checks of each scenario: one row per check."""
    from bekostiging.expectations import evaluate_scenario

    parts, findings = [], []
    for s in _scenarios(source, overrides):
        try:
            outcomes = evaluate_scenario(s.model, file=s.file, baseline=baseline)
        except ScenarioError as exc:
            findings += exc.findings
            continue
        variants = [(v, entry.name or v) for v, entry in s.model.variants.items()]
        meta = _meta(s, baseline or s.model.scenario.baseline, (), variants)
        parts.append(Checks({s.label: outcomes}, [meta]))
    if findings:
        raise ScenarioError(findings)
    return Checks.combine(parts)


def check_files(source: str | Path, notes: Notes | None = None) -> list[tuple[Path, str, bool]]:
    """The files `check` evaluates for `source`, each with its name in outputs and whether
    it is a totals file (docs/cli.md): a totals file itself, or a folder's scenario files,
    then the totals files in it (`notes` hears which files were skipped and why)."""
    from bekostiging import totals
    from bekostiging.scenario.folders import scan

    resolved = examples.resolve(str(source))
    if not resolved.is_dir():
        return [(resolved, str(source), resolved.is_file() and totals.is_totals_file(resolved))]
    folder = scan(resolved)
    _tell(notes, folder.notes(totals_read=True))
    if not folder.scenarios and not folder.totals:
        return [(resolved, str(source), False)]  # the loader says why there is nothing to run
    return [(path, _display(path), False) for path in folder.scenarios] + [
        (path, _display(path), True) for path in folder.totals
    ]


def check_totals(
    path: Path, label: str, *, baseline: str | None = None, overrides: Overrides | None = None
) -> Checks:
    """The checks of a totals file: the `[[expect]]` blocks of the scenarios it names, then
    its own on their sum (`bekostiging.totals`)."""
    from bekostiging import totals

    found = totals.load_totals(path, label)
    scenarios = _scenarios(list(found.scenarios), overrides)
    outcomes = totals.evaluate_totals(found, scenarios, baseline=baseline)
    parts = [check(s, baseline=baseline) for s in scenarios if s.model.expect]
    return Checks.combine(
        [*parts, Checks({found.label: outcomes}, [_totals_meta(found, scenarios, baseline)])]
    )


def _totals_meta(found: Any, scenarios: Sequence[Scenario], baseline: str | None) -> Meta:
    """Where a totals check's numbers came from: the totals file, then every input once."""
    from bekostiging.scenario.toml_files import display

    first = scenarios[0]
    own = {"file": display(found.path), "sha256": hashlib.sha256(found.path.read_bytes()).hexdigest()}
    files, seen = [own], {own["file"]}
    for entry in (e for s in scenarios for e in _inputs(s)):
        if entry["file"] not in seen:
            seen.add(entry["file"])
            files.append(entry)
    variants = [(v, entry.name or v) for v, entry in first.model.variants.items()]
    meta = _meta(first, baseline or first.model.scenario.baseline, (), variants)
    return dataclasses.replace(meta, scenario_name=found.name, scenario_file=own["file"], inputs=files)


# ------------------------------------------------------------------ calibrate (docs/calibrate.md)


def calibrate(
    claims: Path | str,
    mapping: Path | str,
    *,
    by: str | None = None,
    scenario: Path | str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    lang: str = "en",
) -> CalibrationReport:
    """Client profiles and care paths from a claims extract: the fragment and the report.

    Raises `ScenarioError` (its findings name the file and place) for a bad extract or
    mapping. `progress(done, total, stage)` is called as the stages pass.
    """
    from bekostiging.calibrate import calibrate as run

    return CalibrationReport(run(claims, mapping, by=by, scenario=scenario, progress=progress, lang=lang))


# ------------------------------------------------------------------ the HTML report


class OutputUnavailable(RuntimeError):
    """This output cannot be made on this machine (a PNG needs a headless Chromium)."""


def report(
    comparison: Comparison | Comparisons,
    *,
    chart: str | None = None,
    png: bool = False,
    lang: str = "nl",
    variant: str | None = None,
    year: int | None = None,
) -> str | bytes:
    """The self-contained HTML page of a comparison, or one `chart` of it as SVG (or PNG).

    Compute the comparison with `attribution=True` for the waterfall chart. An unknown
    chart or variant raises `OptionError`; a PNG without a browser, `OutputUnavailable`.
    """
    from bekostiging.report import html

    subject: Any = list(comparison) if isinstance(comparison, Comparisons) else comparison
    try:
        if chart is None:
            return html.build_report(subject, lang=lang, flow_variant=variant, year=year)
        svg = html.chart_svg(subject, chart, lang=lang, flow_variant=variant, year=year)
    except ValueError as exc:
        raise OptionError(str(exc)) from None
    if not png:
        return svg
    from bekostiging.report.html.raster import PngUnavailable, svg_to_png

    try:
        return svg_to_png(svg)
    except PngUnavailable as exc:
        raise OutputUnavailable(str(exc)) from None


# ------------------------------------------------------------------ a client's journey


def journey(
    source: Source,
    *,
    profile: str,
    variants: Sequence[str] | None = None,
    year: int | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    overrides: Overrides | None = None,
) -> Journey:
    """One typical client of `profile` under the baseline and each variant (default: all):
    her care path, who is paid what for her (euros per client, her co-payment included)
    and, apart, her share of per-population money (`report.journey`).

    With a `[horizon]`: one year, `year` (default: the first), each variant as contracted
    in that year (its ramped effects, not mixed by adoption: she is a client under it).
    An unknown profile or variant raises `ScenarioError` (with the choices); a `year`
    outside the horizon, or without one, `OptionError`."""
    from bekostiging.engine.horizon import unmixed_year
    from bekostiging.engine.run import run
    from bekostiging.findings import choose_from
    from bekostiging.report.journey import journey as figures

    s = _one(source, overrides, "journey")
    check_year(s, year)
    if profile not in s.model.profiles:
        problems = [Finding(s.file, "--profile", choose_from("profile", profile, s.model.profiles))]
        problems += [
            Finding(s.file, "--variant", choose_from("variant", v, s.model.variants))
            for v in variants or ()
            if v not in s.model.variants
        ]
        raise ScenarioError(problems)
    chosen = dict(variants=variants, baseline=baseline, whatifs=whatifs, file=s.file)
    if s.model.horizon is not None:
        shown: int | None = year if year is not None else _start(s)
        result = unmixed_year(s.tree.data, s.model, _start(s), shown, **chosen)
    else:
        shown = None
        result = run(s.model, **chosen)
    return Journey(figures(result, profile, shown), _run_meta(s, result, whatifs))


# ------------------------------------------------------------------ diff


#: What names one side of a diff: a loaded scenario, a path (a file or a folder), the name
#: of an embedded example, or a folder's scenarios as `load` gives them.
Side = Scenario | str | Path | Sequence[Scenario]


def diff(
    old: Side,
    new: Side,
    *,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    overrides: Overrides | None = None,
    year: int | None = None,
    notes: Notes | None = None,
) -> Difference:
    """Two versions of one scenario: the inputs that differ and the change of every figure.

    `old` and `new` are two files, or two folders whose files are matched by file name (a
    file on one side only is compared with nothing). Inputs are compared as the merged
    data of each file and its includes (the paths `--set` takes); figures per variant ×
    party (× year under a `[horizon]`, plus its net present values), each side computed
    with the same `baseline`, `whatifs`, `overrides` and `year`. `notes` hears the notes
    of a folder's files and a warning when the two sides are different scenarios (another
    `[scenario].name`). A folder against a file raises `OptionError`."""
    from bekostiging.report.differences import View

    labels = _named(old), _named(new)
    old, new = diff_sides(old, new, overrides=overrides, notes=notes)
    (before, folder), (after, _) = _side(old, notes), _side(new, notes)
    every = [*before.values(), *after.values()]
    for s in every:
        check_year(s, year)
    pairs, metas, findings = [], ([], []), []
    for member in [*before, *(m for m in after if m not in before)]:
        a, b = before.get(member), after.get(member)
        if a is not None and b is not None and a.name != b.name:
            _tell(notes, [_other_scenario(a, b)])
        found = []
        for s in (a, b):
            try:
                found.append(None if s is None else _compare(s, None, baseline, whatifs, False, None, year))
            except ScenarioError as exc:
                findings += exc.findings
        if len(found) == 2:
            pairs.append(_pair(member if folder else None, a, b, *found, year))
            for side, c in zip(metas, found, strict=True):
                side += [c.meta] if c is not None else []
    if findings:
        raise ScenarioError(findings)
    horizon = next((s for s in every if s.model.horizon is not None), None)
    span = None
    if horizon is not None and horizon.model.horizon is not None:
        span = (_start(horizon), _start(horizon) + horizon.model.horizon.years - 1)
    view = View(
        "nl",
        {v["id"]: v["name"] for m in (*metas[0], *metas[1]) for v in m.variants},
        {p["id"]: p["name"] for m in (*metas[0], *metas[1]) for p in m.parties},
        years=horizon is not None,
        year=year,
        span=span,
    )
    return Difference(pairs, *metas, view, labels)


def _pair(
    member: str | None,
    a: Scenario | None,
    b: Scenario | None,
    old: Comparison | None,
    new: Comparison | None,
    year: int | None,
) -> Any:
    """One file's two versions compared: its inputs and its figures."""
    from bekostiging.report.differences import Pair
    from bekostiging.scenario.changes import changes, every_input

    pair = Pair(member, a.label if a else None, b.label if b else None)
    if a is not None and b is not None:
        pair.inputs = [c.row() for c in changes(a.tree, b.tree)]
    elif a is not None:
        pair.inputs = [c.row() for c in every_input(a.tree, "old")]
    elif b is not None:
        pair.inputs = [c.row() for c in every_input(b.tree, "new")]
    pair.results, pair.totals = _figure_changes(old, new, year)
    return pair


def _same_kind(old: Side, new: Side) -> None:
    """Two files, or two folders: raise `OptionError` for a folder against a file."""

    def is_folder(side: Side) -> bool:
        if isinstance(side, Scenario):
            return False
        if isinstance(side, str | Path):
            return examples.resolve(str(side)).is_dir()
        return True

    kinds = is_folder(old), is_folder(new)
    if kinds[0] != kinds[1]:
        what = ["a folder" if k else "a file" for k in kinds]
        raise OptionError(
            f"{_named(old)} is {what[0]} and {_named(new)} is {what[1]}: diff compares two versions "
            "of one scenario, two files or two folders (whose files are matched by file name)"
        )


def _named(side: Side) -> str:
    if isinstance(side, Scenario):
        return side.label
    if isinstance(side, str | Path):
        return str(side)
    return str(Path(side[0].file).parent) if side else "()"


def diff_sides(
    old: Side, new: Side, *, overrides: Overrides | None = None, notes: Notes | None = None
) -> tuple[Scenario | tuple[Scenario, ...], Scenario | tuple[Scenario, ...]]:
    """The two sides of a diff loaded (with the overrides), every problem of both at once:
    a file each, or a folder's scenarios each. Raises `OptionError` for a folder against a
    file (before anything is read), `ScenarioError` for invalid input."""
    _same_kind(old, new)
    found, findings = [], []
    for side in (old, new):
        try:
            if isinstance(side, Scenario):
                found.append(side.with_overrides(overrides))
            elif isinstance(side, str | Path):
                found.append(load(side, overrides=overrides, notes=notes))
            else:
                found.append(tuple(_scenarios(list(side), overrides)))
        except ScenarioError as exc:
            findings += exc.findings
    if findings:
        raise ScenarioError(findings)
    return found[0], found[1]


def _side(
    side: Scenario | tuple[Scenario, ...], notes: Notes | None
) -> tuple[dict[str | None, Scenario], bool]:
    """A side's scenarios by the name they are matched by (a folder's: the file name), and
    whether the side is a folder."""
    if isinstance(side, Scenario):
        return {None: side}, False
    return {Path(s.file).name: s for s in once(side, notes)}, True


def _other_scenario(a: Scenario, b: Scenario) -> str:
    return (
        f"warning: {a.label} is scenario '{a.name}' and {b.label} is scenario '{b.name}': diff is "
        "meant for two versions of one scenario (the figures are compared all the same)"
    )


def _figure_changes(old: Comparison | None, new: Comparison | None, year: int | None) -> tuple[list, list]:
    """The `results` and `totals` rows of a pair (scaled integers): every year's figures
    and, under a horizon without `year`, the net present values over it (no year)."""
    from bekostiging.report.differences import (
        NPV_FIGURES,
        RESULT_FIGURES,
        TOTAL_FIGURES,
        changes,
        present_values,
    )

    def rows(c: Comparison | None, name: str) -> list[dict[str, Any]]:
        if c is None:
            return []
        figures = c.figures_for(name)
        if name == "horizon":
            frame = figures.extra.get("horizon") if year is None else None
            if frame is None:
                return []
            horizon = c.scenario.horizon
            assert horizon is not None
            present = present_values(rows(c, "results"), c.horizon_years[0], horizon.discount_rate)
            return [
                {**present[(r["variant"], r["party"])], **r, "year": None}
                for r in frame.iter_rows(named=True)
            ]
        return list(figures.table(name).iter_rows(named=True))

    years = any(c is not None and c.scenario.horizon is not None for c in (old, new))
    year_key = ("year",) if years else ()
    results = changes(
        rows(old, "results"), rows(new, "results"), ("variant", "party", *year_key), RESULT_FIGURES
    )
    results += changes(
        rows(old, "horizon"), rows(new, "horizon"), ("variant", "party", *year_key), NPV_FIGURES
    )
    totals = changes(rows(old, "totals"), rows(new, "totals"), ("variant", *year_key), TOTAL_FIGURES)
    return results, totals


# ------------------------------------------------------------------ solve (issue 18)


def solve(
    source: Source,
    *,
    vary: str,
    target: str | None = None,
    between: tuple[Decimal | int | str, Decimal | int | str] | None = None,
    year: int | None = None,
    make_whole: str | None = None,
    variant: str | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    overrides: Overrides | None = None,
) -> Solution:
    """The value of the input at `vary` (a dotted path, as `--set` takes it) within
    `between` that gives a figure its target (docs/cli.md, "solve").

    `target` is `VARIANT:PARTY:METRIC=VALUE` (or `>=`, `<=`); `make_whole=PARTY` instead
    asks for `VARIANT:PARTY:delta>=0` at the least spend of the payer (`variant`, or the
    variant `vary` lies in). Without `between`, the field's own bounds (a fraction: 0 to
    1) or, for a field bounded below only, that bound to twice its value. With a
    `[horizon]` the money figures are net present values, or `year`'s. Only that variant
    (and the baseline) is computed, once per value tried. A target out of reach is no
    error: the result's `status` says so (`out_of_reach`) and `reachable` gives the interval.
    """
    from bekostiging.decisions import solve as solving
    from bekostiging.decisions import targets

    goal, between_given = solve_goal(target, make_whole, variant, vary), between
    ends = solve_range(between) if between is not None else None
    s = _one(source, overrides, "solve")
    check_year(s, year)
    span = _span(s)
    npv = (span[0], span[2]) if span is not None and year is None else None
    if npv is not None and goal.metric == "coverage":
        raise OptionError(
            f"coverage is a ratio of one year and has no net present value: give a year "
            f"(--year {span[0]} to {span[1]})"
        )
    _check_goal(s, goal, vary, make_whole is not None)
    if ends is None:
        ends = _default_range(s, vary)
    low, high = ends
    money = _money_params(s, [vary]) == {vary}
    count = [0]
    cache: dict[Decimal, Comparison] = {}

    def evaluate(value: Decimal) -> Comparison:
        if value not in cache:
            count[0] += 1
            try:
                tried = s.with_overrides({vary: solving.plain(value)})
            except ScenarioError as exc:
                where = "--between" if between_given is not None and value in (low, high) else "--vary"
                raise ScenarioError(
                    Finding(
                        where if f.file == "overrides" else f.file,
                        f.path,
                        f"{f.message} (at {solving.plain(value)})",
                    )
                    for f in exc.findings
                ) from None
            found = compare(tried, variants=[goal.variant], baseline=baseline, whatifs=whatifs, year=year)
            assert isinstance(found, Comparison)
            cache[value] = found
        return cache[value]

    def figure(value: Decimal) -> Decimal:
        return targets.read(evaluate(value), goal, npv)

    payer = _payer_of(s, vary, goal.variant) if make_whole is not None else None

    def spend(value: Decimal) -> Decimal:
        assert payer is not None
        metric = "payer_spend" if payer == targets.ALL_PAYERS else "spend"
        return targets.read(evaluate(value), dataclasses.replace(goal, party=payer), npv, metric=metric)

    try:
        found = solving.solve(
            figure,
            low,
            high,
            goal.value,
            goal.relation,
            unit=goal.unit,
            places=2 if money else solving.PLACES,
            objective=spend if payer is not None else None,
        )
    except targets.NoFigure as exc:
        raise OptionError(str(exc)) from None
    chosen = evaluate(found.value)
    margin = None
    if make_whole is not None:  # a party with costs is whole on what it keeps, not on its net
        try:
            margin = targets.read(chosen, goal, npv, metric="margin_delta")
        except targets.NoFigure:
            margin = None
    return Solution(
        chosen.meta,
        vary,
        goal,
        found,
        low=low,
        high=high,
        year=year,
        span=span if npv is not None else None,
        make_whole=make_whole,
        minimised=payer,
        baseline=baseline,
        margin=margin,
    )


def solve_goal(target: str | None, make_whole: str | None, variant: str | None, vary: str) -> Any:
    """The target `solve` aims at (`OptionError` for one that cannot be read)."""
    from bekostiging.decisions import targets

    if (target is None) == (make_whole is None):
        raise OptionError(
            f"give either a target (e.g. --target {targets.EXAMPLE}) or --make-whole PARTY, not "
            + ("both" if target is not None else "neither")
        )
    if target is not None:
        if variant is not None:
            raise OptionError("--variant goes with --make-whole; a --target names its variant")
        try:
            return targets.parse(target)
        except targets.TargetError as exc:
            raise OptionError(str(exc)) from None
    segments = vary.split(".")
    if variant is None and len(segments) > 1 and segments[0] == "variants" and segments[1] != "*":
        variant = segments[1]
    if variant is None:
        raise OptionError(
            f"--make-whole {make_whole} needs the variant (--variant V): {vary} is not inside one"
        )
    assert make_whole is not None
    return targets.Target(variant, make_whole, "delta", ">=", Decimal(0))


def solve_range(between: tuple[Any, Any]) -> tuple[Decimal, Decimal]:
    """`between` as two decimals, LOW below HIGH (`OptionError` otherwise)."""
    from bekostiging.scenario.overrides import parse_value

    found = []
    for given in between:
        value = parse_value(given) if isinstance(given, str) else given
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or not Decimal(value).is_finite():
            raise OptionError(f"--between {given}: not a number")
        found.append(Decimal(value))
    low, high = found
    if not low < high:
        raise OptionError(f"--between {between[0]} {between[1]}: LOW must be below HIGH")
    return low, high


def _check_goal(s: Scenario, goal: Any, vary: str, make_whole: bool) -> None:
    """Every problem of the target and the path at once (`ScenarioError`, exit 1)."""
    from bekostiging.decisions import targets
    from bekostiging.findings import choose_from
    from bekostiging.scenario.paths import hint, reach

    option = "--make-whole" if make_whole else "--target"
    problems = []
    m = s.model
    if goal.variant not in m.variants:
        problems.append(
            Finding(
                s.file,
                "--variant" if make_whole else option,
                choose_from("variant", goal.variant, m.variants),
            )
        )
    all_payers = goal.metric == "payer_spend" and goal.party == targets.ALL_PAYERS
    functions = {f: fn.party for f, fn in m.availability.items()}
    if goal.metric == "coverage":
        owned = [f for f, p in functions.items() if p == goal.party]
        if goal.party not in functions and len(owned) != 1:
            why = (
                f"{goal.party} bears {len(owned)} availability functions ({', '.join(owned)}): name one"
                if owned
                else choose_from("availability function", goal.party, functions)
            )
            problems.append(Finding(s.file, option, why))
    elif not all_payers and goal.party not in m.parties:
        problems.append(Finding(s.file, option, choose_from("party", goal.party, m.parties)))
    elif goal.metric == "payer_spend" and not all_payers and m.parties[goal.party].role != "payer":
        payers = [p for p, party in m.parties.items() if party.role == "payer"]
        problems.append(
            Finding(
                s.file,
                option,
                f"payer_spend is a payer's: choose from {', '.join([*payers, '*'])} (* is every payer)",
            )
        )
    types = [x.type for x in m.variants[goal.variant].mechanisms] if goal.variant in m.variants else None
    if goal.metric == "payout" and types is not None and "shared_savings" not in types:
        problems.append(
            Finding(s.file, option, f"{goal.variant} has no shared_savings mechanism, so no payout")
        )
    segments = vary.split(".")
    reached = reach(s.tree.data, segments)
    # A key the tables leave out (an optional field, `adjust`) may be set, as with --set:
    # the first evaluation validates it. Its table must be there.
    tables = [p[k] for p, k in reach(s.tree.data, segments[:-1])] if len(segments) > 1 else [s.tree.data]
    if not reached and not any(isinstance(x, dict) for x in tables):
        problems.append(Finding(s.file, "--vary", f"{vary} matches nothing{hint(s.tree.data, segments)}"))
    for parent, key in reached:
        value = parent[key]
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            from bekostiging.findings import describe

            dated = " (a value per year: vary one year, e.g. PATH.2025)" if isinstance(value, dict) else ""
            problems.append(
                Finding(s.file, "--vary", f"{vary} is not a number: it is {describe(value)}{dated}")
            )
            break
    if problems:
        raise ScenarioError(problems)


def _default_range(s: Scenario, vary: str) -> tuple[Decimal, Decimal]:
    """The field's own bounds; a field bounded below only: that bound to twice its value."""
    from bekostiging.decisions import targets
    from bekostiging.scenario.paths import reach

    segments = vary.split(".")
    low, high, high_open = targets.bounds(s.model, segments)
    if low is not None and high is not None and not high_open:
        return low, high
    values = [Decimal(parent[key]) for parent, key in reach(s.tree.data, segments)]
    current = max(values) if values else None
    if low is not None and high is None and current is not None and current > low:
        return low, 2 * current
    if low is not None and high is not None:
        shown = f"it lies in [{low}, {high})"
    elif low is not None:
        shown = f"it is at least {low}, " + (f"and its value is {current}" if values else "and it is not set")
    else:
        shown = "the scenario format sets it no bounds"
    raise OptionError(f"--vary {vary}: give --between LOW HIGH ({shown})")


def _payer_of(s: Scenario, vary: str, variant: str) -> str:
    """Whose spend `--make-whole` keeps least: the payer the varied mechanism names; every
    payer together (`*`) for any other input, or a mechanism paid by the default payer."""
    from bekostiging.decisions import targets

    segments = vary.split(".")
    if (
        len(segments) > 3
        and segments[0] == "variants"
        and segments[1] == variant
        and segments[2] == "mechanisms"
    ):
        index = segments[3]
        mechanisms = s.model.variants[variant].mechanisms
        if index.isdigit() and int(index) < len(mechanisms):
            payer = getattr(mechanisms[int(index)], "payer", None)
            if payer is not None and payer in s.model.parties:
                return payer
    return targets.ALL_PAYERS


# ------------------------------------------------------------------ frontier (issue 18)


def frontier(
    source: Source,
    *,
    variant: str,
    vary: Sequence[tuple[str, Decimal | int | str, Decimal | int | str, int | str]],
    parties: Sequence[str],
    year: int | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    overrides: Overrides | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    figure: str = "delta",
) -> Frontier:
    """The negotiation space of `variant`: a grid over one or two inputs (`vary`, each
    `(PATH, LOW, HIGH, N)`), every listed party's delta at each point (with a `[horizon]`
    the NPV over it, with `year` that year's delta), the region where every one of them
    is at least 0, and its max-min and Nash bargaining points (`decisions.frontier`).

    Returns a `Frontier` with the tables `grid` and `points`. A grid that cannot be
    (N < 2, LOW >= HIGH, more than `MAX_GRID_POINTS` points) raises `OptionError` before
    anything is loaded; an unknown variant or party, a path that names no number, or a
    value the scenario refuses raises `ScenarioError`. `workers`: processes for a large
    grid (default: every core); `progress(k)` is called as each block of k points is done.

    `figure="margin"`: each party's change of margin (net less its costs) instead of net,
    for payment terms only (`variants.V.mechanisms.*`, which do not change the care
    delivered, so not its cost): the change of cost, from one comparison, is taken from
    every point's yearly delta, and discounted as `compare` does (`npv_margin_delta`).
    A party without costs keeps its delta. Either way the grid says which listed parties
    have costs (`Grid.costly`), so the terminal can say when the reading matters.
    """
    from bekostiging.decisions import frontier as space
    from bekostiging.results import Frontier

    axes = space.axes_of(vary)
    space.check_figure(figure, axes, variant)
    s = _one(source, overrides, "frontier")
    check_year(s, year)
    chosen = space.check_choices(s.model, s.file, variant, parties, baseline)
    base = baseline or s.model.scenario.baseline
    if base not in s.model.variants:
        from bekostiging.findings import choose_from

        raise ScenarioError([Finding(s.file, "--baseline", choose_from("variant", base, s.model.variants))])
    dumped = s.model.model_dump(by_alias=True)
    findings = space.check_paths(s.tree.data, dumped, axes, variant, base, whatifs)
    if findings:
        raise ScenarioError(findings)
    axes = [
        dataclasses.replace(
            a, values=space.grid_values(a.low, a.high, a.n, money=space.is_money(s.tree.data, a.path))
        )
        for a in axes
    ]
    ends, problems = [], []
    for corner in space.corners(axes):
        try:
            ends.append(_varied(s, corner))
        except ScenarioError as exc:
            problems += [f for f in exc.findings if f not in problems]
    if problems:
        raise ScenarioError(problems)
    span = _span(s)
    start = span[0] if span else None
    data = ends[0].tree.data if span else ends[0].model.model_dump(by_alias=True)
    points = functools.partial(
        space.evaluate, data, axes, variant=variant, baseline=baseline, whatifs=whatifs,
        file=s.file, start=start, workers=workers,
    )  # fmt: skip
    deltas = points(parties=chosen, year=year, progress=progress)
    npv = span is not None and year is None
    costs = _cost_changes(s, variant, baseline, whatifs, year, chosen)
    costly = tuple(p for p in chosen if p in costs)
    if figure == "margin" and costly:
        if npv:  # each year's delta at every point, less that year's change of cost, discounted
            assert span is not None
            yearly = {y: points(parties=costly, year=y) for y in range(span[0], span[1] + 1)}
            for p in costly:
                found = {y: of_year[p] for y, of_year in yearly.items()}
                deltas[p] = space.present_margins(found, costs[p], span[0], span[2])
        else:
            for p in costly:
                (change,) = costs[p].values()
                deltas[p] = [d - change for d in deltas[p]]
    metric = ("npv_" if npv else "") + ("margin_delta" if figure == "margin" else "delta")
    grid = space.read(space.Grid(variant, base, chosen, axes, metric, year, span, deltas, costly=costly))
    meta = _meta(s, base, whatifs, [(v, s.model.variants[v].name or v) for v in (base, variant)])
    return Frontier(grid, meta)


def _cost_changes(
    s: Scenario,
    variant: str,
    baseline: str | None,
    whatifs: Sequence[str],
    year: int | None,
    parties: Sequence[str],
) -> dict[str, dict[int | None, int]]:
    """Per listed party with costs in `variant` or the baseline: its change of cost (cents)
    in each year computed (`year`, every year of a horizon, or the one year), from one
    comparison: payment terms do not change the care delivered, so not its cost."""
    import polars as pl

    found = compare(s, variants=[variant], baseline=baseline, whatifs=whatifs, year=year)
    assert isinstance(found, Comparison)
    rows = list(found.table("results").filter(pl.col("party").is_in(list(parties))).iter_rows(named=True))
    base = found.meta.baseline
    before = {(r["party"], r.get("year")): r["cost"] for r in rows if r["variant"] == base}
    out: dict[str, dict[int | None, int]] = {}
    for r in rows:
        theirs = before[(r["party"], r.get("year"))]
        if r["variant"] != variant or (r["cost"] is None and theirs is None):
            continue
        change = ((r["cost"] or 0) - (theirs or 0)).scaleb(2)
        out.setdefault(r["party"], {})[r.get("year")] = int(change)
    return out


def _varied(s: Scenario, values: Mapping[str, Decimal]) -> Scenario:
    """`s` with the varied inputs at `values`, validated like the file; its findings name
    `--vary` (every problem of both ends of the grid at once, by the caller)."""
    from bekostiging.decisions.frontier import SOURCE
    from bekostiging.scenario.load import validate_tree
    from bekostiging.scenario.overrides import apply_overrides

    tree = s.tree.copy()
    apply_overrides(tree, values, SOURCE)
    model = validate_tree(tree)
    if tree.findings:
        raise ScenarioError(tree.findings)
    assert model is not None
    return Scenario(model, tree, s.label, s.overrides)
