"""Calibrate a scenario's profiles from a claims extract (docs/calibrate.md).

A claims extract has one row per declared prestatie; a mapping file maps claim codes to
scenario activities and gives the rules that put each client in a profile. `calibrate`
reads the extract with lazy polars queries on the streaming engine (memory stays bounded:
only per-client and per-code aggregates are ever held) and returns a `Calibration`:
clients per profile, mean units per client per activity (the care path), the observed
mean price per activity beside its tariff, the unmapped codes, the clients without a
profile and the price outliers, plus the scenario fragment as TOML text.

The modules, in the order the work flows: `mapping` (the mapping file, validated),
`claims` (reading the extract), `aggregate` (the streaming queries), `results` (what was
found), `fragment` (the TOML fragment, and writing it), `report` (the report as tables and
as text), `run` (the stages, with an optional progress callback).
"""

from bekostiging.calibrate.errors import CalibrationError
from bekostiging.calibrate.fragment import check_fragment, output_paths, render_fragment, write_fragments
from bekostiging.calibrate.mapping import (
    CodeTarget,
    Mapping,
    ProfileRule,
    check_mapping_against,
    load_mapping,
    parse_mapping,
)
from bekostiging.calibrate.report import TABLES, ReportMeta, render_report, report_tables
from bekostiging.calibrate.results import (
    ActivityPrice,
    Calibration,
    CodeCount,
    OutlierCode,
    Part,
    ProfileResult,
)
from bekostiging.calibrate.run import STAGES, Progress, calibrate

__all__ = [
    "STAGES",
    "TABLES",
    "ActivityPrice",
    "Calibration",
    "CalibrationError",
    "CodeCount",
    "CodeTarget",
    "Mapping",
    "OutlierCode",
    "Part",
    "ProfileResult",
    "ProfileRule",
    "Progress",
    "ReportMeta",
    "calibrate",
    "check_fragment",
    "check_mapping_against",
    "load_mapping",
    "output_paths",
    "parse_mapping",
    "render_fragment",
    "render_report",
    "report_tables",
    "write_fragments",
]
