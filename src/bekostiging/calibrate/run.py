"""`calibrate`: the stages from a claims file and a mapping to a `Calibration`.

The library never writes files, never exits and never draws on a terminal: bad input
raises `CalibrationError` with every problem found, and progress goes to a callback the
caller may give (the CLI draws a progress bar from it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bekostiging.calibrate import aggregate
from bekostiging.calibrate.claims import check_columns, open_claims
from bekostiging.calibrate.errors import CalibrationError
from bekostiging.calibrate.fragment import check_fragment, render_fragment
from bekostiging.calibrate.mapping import Mapping, check_mapping_against, load_mapping
from bekostiging.calibrate.results import Calibration, assemble
from bekostiging.findings import Finding, ScenarioError

BY_CHOICES = ("region",)

Progress = Callable[[int, int, str], None]
"""`progress(done, total, stage)`: called as each stage starts, with the stages done before
it, the number of stages and what the stage does; and once at the end with
`(total, total, "done")`. Polars reports nothing from inside one query, so the count moves
per stage; a caller that wants to show life meanwhile spins on its own."""

STAGES = (
    "reading the header",
    "assigning clients to profiles",
    "counting codes per profile and activity",
    "price distribution per code",
    "finding price outliers",
    "building the fragment",
)


def calibrate(
    claims: Path | str,
    mapping: Mapping | Path | str,
    *,
    by: str | None = None,
    scenario: Path | str | None = None,
    progress: Progress | None = None,
    lang: str = "en",
) -> Calibration:
    """Calibrate profiles from a claims extract. Raises `CalibrationError` on bad input.

    `scenario` (default: the mapping's `scenario`) supplies tariffs and profile names and
    is checked against: unknown activities or profiles in the mapping are errors.
    `by="region"` makes one part (and fragment) per region. `progress`: see `Progress`.
    """
    if by is not None and by not in BY_CHOICES:
        raise CalibrationError([Finding("--by", "", f"must be one of: {', '.join(BY_CHOICES)}, got {by!r}")])
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    scenario_path = Path(scenario) if scenario is not None else mapping.scenario
    model, scenario_shown = _load_scenario(scenario_path, mapping, from_mapping=scenario is None)
    stage = _stages(progress)

    stage()
    source = open_claims(claims)
    columns = check_columns(source, by)
    if not mapping.profiles and "profile" not in columns:
        raise CalibrationError(
            [
                Finding(
                    mapping.source,
                    "",
                    "assigns no profile: give [[profile]] rules or default_profile "
                    "(or a profile column in the claims)",
                )
            ]
        )

    stage()
    try:
        clients = aggregate.clients(source, mapping, columns, by)
    except CalibrationError:
        aggregate.code_table(source, mapping, columns)  # a broken file: its own message first
        raise
    groups = aggregate.ClientGroups.of(source, clients, by)

    stage()
    codes, prices, sums = aggregate.code_table(source, mapping, columns, groups)
    aggregate.check_codes(source, mapping, codes)
    conflicts = aggregate.conflicts(source, clients, model)

    stage()
    fences = aggregate.fences(prices)

    stage()
    grouped, examples = aggregate.aggregate(source, groups, sums, prices, fences, columns)

    stage()
    result = assemble(source, mapping, model, scenario_shown, codes, fences, clients, grouped, examples, by)
    result.profile_conflicts, result.region_conflicts = conflicts
    result.profile_column = "profile" in columns
    for part in result.parts:
        part.fragment = render_fragment(result, part, model, lang)
        if scenario_path is not None:
            result.fragment_problems[part.region] = check_fragment(part.fragment, scenario_path)
    stage()
    return result


def _stages(progress: Progress | None) -> Callable[[], None]:
    """A function to call at the start of each stage and once at the end."""
    done = 0

    def stage() -> None:
        nonlocal done
        if progress is not None:
            progress(done, len(STAGES), STAGES[done] if done < len(STAGES) else "done")
        done += 1

    return stage


def _load_scenario(path: Path | None, mapping: Mapping, *, from_mapping: bool) -> tuple[Any, str | None]:
    """The scenario to calibrate towards, and its name in messages; the mapping must fit it.

    A scenario the mapping names that is not there is the mapping's problem: the message
    names the mapping file and its key `scenario` (a scenario given as `--scenario` names
    itself, as every scenario argument does).
    """
    if path is None:
        return None, None
    from bekostiging.scenario.load import load_scenario
    from bekostiging.scenario.toml_files import display, read_toml

    if from_mapping and (path.is_dir() or not path.exists()):
        shown = display(path)
        _, findings = read_toml(path, shown)
        raise CalibrationError(
            [Finding(mapping.source, "scenario", f"{shown} {f.message}") for f in findings]
        )

    try:
        model, _ = load_scenario(path)
    except ScenarioError as exc:
        raise CalibrationError(exc.findings) from None
    problems = check_mapping_against(mapping, model)
    if problems:
        raise CalibrationError(problems)
    return model, display(path)
