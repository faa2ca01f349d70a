"""Options shared by the commands: one definition each, so they mean the same everywhere.

The output options (`--format`, `--table`, `--output`, `--csv-dialect`, `--lang`) are the
same for every tabular command; the formats come from the writers' registry, so a new
writer is an option of every command without an edit here.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bekostiging.report.writers import TABULAR

Format = StrEnum("Format", [(name, name) for name in TABULAR])  # type: ignore[misc]


class Dialect(StrEnum):
    standard = "standard"
    excel_nl = "excel-nl"


class Lang(StrEnum):
    nl = "nl"
    en = "en"


class By(StrEnum):
    party = "party"
    component = "component"
    profile = "profile"
    activity = "activity"
    payer = "payer"
    scenario = "scenario"


class CompareTable(StrEnum):
    results = "results"
    components = "components"
    availability = "availability"
    shared_savings = "shared_savings"
    totals = "totals"
    ledger = "ledger"
    attribution = "attribution"
    by_component = "by_component"
    by_profile = "by_profile"
    by_activity = "by_activity"
    by_payer = "by_payer"
    horizon = "horizon"
    by_scenario = "by_scenario"


class SimulationTable(StrEnum):
    results = "results"
    shared_savings = "shared_savings"
    settlement_risk = "settlement_risk"


class TornadoTable(StrEnum):
    tornado = "tornado"


class TraceTable(StrEnum):
    flows = "flows"
    components = "components"


class CheckTable(StrEnum):
    outcomes = "outcomes"


class DiffTable(StrEnum):
    inputs = "inputs"
    results = "results"
    totals = "totals"


class Metric(StrEnum):
    delta = "delta"
    net = "net"
    npv_delta = "npv_delta"


# The options that change what is computed, in a panel of their own in `--help` (where the
# `--set` example also has the width to show whole on an 80-column terminal).
INPUTS_PANEL = "Baseline, what-ifs and overrides"

DEFAULT_HELP = (
    "Default: ./scenario.toml if there is one (what `init DIR` writes), else the embedded "
    "example 'geboortezorg-regio'; stderr says which."
)
ScenarioArg = Annotated[
    str | None,
    typer.Argument(
        help="Scenario file, or the name of an embedded example. " + DEFAULT_HELP,
        show_default=False,
    ),
]
ScenariosArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Scenario files or folders (all scenario files in them), or embedded example names. "
        + DEFAULT_HELP,
        show_default=False,
    ),
]
BaselineOpt = Annotated[
    str | None,
    typer.Option("--baseline", help="Another baseline than scenario.baseline.", rich_help_panel=INPUTS_PANEL),
]
WhatifOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--whatif",
        "-w",
        help="Apply these what-ifs, in this order (repeatable).",
        rich_help_panel=INPUTS_PANEL,
    ),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        rich_help_panel=INPUTS_PANEL,
        help="Override one input, e.g. --set activities.kz_uur.tariff=65 "
        "(repeatable; validated like the file).",
    ),
]
# `explain` and `sensitivity` are about one figure: one variant's, of one party. Both are
# required; they are optional to typer so that a missing one is reported with the choices
# the scenario has (`inputs.require`).
FigureVariantOpt = Annotated[
    str | None,
    typer.Option("--variant", "-v", help="The variant of the figure (required).", show_default=False),
]
FigurePartyOpt = Annotated[
    str | None,
    typer.Option("--party", "-p", help="The party of the figure (required).", show_default=False),
]
VariantsOpt = Annotated[
    list[str] | None, typer.Option("--variant", "-v", help="Only these variants (repeatable).")
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: from the extension of --output, else table).",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of stdout; its extension sets the format.",
    ),
]
DialectOpt = Annotated[
    Dialect,
    typer.Option("--csv-dialect", help="excel-nl: ';', decimal comma and a BOM, for Dutch Excel."),
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Labels and number format of terminal tables.")]
TABLE_HELP = "The table csv and parquet write and the terminal shows (json and xlsx hold every table)."
