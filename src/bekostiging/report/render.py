"""One renderer for every output format (sqlite-utils' lesson: never two copies).

Every command's result offers the same things (`results.Result`): named tables in euros,
the table csv and parquet write when none is chosen, its JSON document, and a view for
people. `render` hands a result to the writer of a format (`report.writers`); nothing
else in the tool branches on a format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bekostiging.printable import printable

SCHEMA_VERSION = 1


@dataclass
class Meta:
    """What the outputs say about where the numbers came from."""

    scenario_name: str
    scenario_file: str
    inputs: list[dict[str, str]]
    baseline: str
    whatifs: list[str]
    variants: list[dict[str, str]]
    parties: list[dict[str, str]]
    # `--set` overrides applied to the files, as `PATH=VALUE`; `inputs` then ends with an
    # entry `<--set>` holding their sha256.
    overrides: list[str] = field(default_factory=list)


def provenance(meta: Meta) -> dict[str, Any]:
    """Where the numbers came from: the tool, the scenario, every input file with its hash
    (and the overrides', when inputs were overridden), the baseline, what-ifs, overrides."""
    from bekostiging.version import __version__

    return {
        "tool": {"name": "bekostiging", "version": __version__},
        "scenario": {"name": meta.scenario_name, "file": meta.scenario_file},
        "inputs": meta.inputs,
        "baseline": meta.baseline,
        "whatifs": meta.whatifs,
        "overrides": meta.overrides,
    }


def run_notes(metas: list[Meta], words: dict[str, str]) -> str:
    """What a title line says about how the numbers were made, beyond the files:
    `  (what-ifs: a, b)  (--set: PATH=VALUE, ...)`, or nothing (`words`: the catalogue's).
    A control character in a `--set` is shown as its escape (`\\x1b`)."""
    whatifs = list(dict.fromkeys(w for m in metas for w in m.whatifs))
    overrides = list(dict.fromkeys(o for m in metas for o in m.overrides))
    notes = f"  ({words['whatifs']}: {', '.join(whatifs)})" if whatifs else ""
    return printable(notes + (f"  (--set: {', '.join(overrides)})" if overrides else ""))


def render(
    result: Any, fmt: str = "table", table: str | None = None, *, dialect: str = "standard", lang: str = "nl"
) -> str | bytes:
    """`result` as `fmt` (table, csv, json, parquet, xlsx): text, or bytes for the binary
    formats and for csv in the `excel-nl` dialect (its byte-order mark belongs to the bytes).

    `table` chooses the table csv and parquet write and the terminal shows (default: the
    result's main table); json and xlsx hold every table (compare's json adds the ledger
    only when `table` is `ledger`). Raises `OptionError` for a table the result does not
    have, `FormatError` for an unknown format or dialect.
    """
    from bekostiging.report.writers import DIALECTS, FormatError, writer

    chosen = writer(fmt)
    if dialect not in DIALECTS:
        raise FormatError(f"unknown csv dialect {dialect!r}; choose from {', '.join(DIALECTS)}")
    if table is not None:
        result.check_table(table)
    return chosen.write(result, table, dialect=dialect, lang=lang)
