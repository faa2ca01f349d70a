"""Tables for people: what a terminal shows, or the same as plain text (160 columns, or
as wide as asked), without trailing spaces.

Each result draws its own view (`Result.show`: compare's overview per party, a tree for
`explain`, one narrow table per figure for `simulate`); this writer gives it a console.
`frame_table` is the view of any other table: a rich table of its columns.
"""

from __future__ import annotations

import io
from typing import Any

WIDTH = 160  # of text written to a file or a pipe


def write(result: Any, table: str | None, *, dialect: str = "standard", lang: str = "nl") -> str:
    return text(lambda console: result.show(console, table, lang))


def text(draw: Any, width: int = WIDTH) -> str:
    """What `draw(console)` prints, as plain text without colours, `width` columns wide;
    no line ends in the spaces rich pads tables and rules with."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False, emoji=False)
    draw(console)
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip(" ") for line in printed.split("\n"))


def frame_table(frame: Any, title: str, lang: str) -> Any:
    """A rich table of a frame: euros, percentages and yes/no in the language's format. The
    title and the cells are text, never markup (a name, a claim code, a file name as written;
    a control character shown as its escape, `\\x1b`)."""
    import polars as pl
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from bekostiging.printable import printable
    from bekostiging.report.i18n import labels as catalogue
    from bekostiging.report.numbers import euro, percent

    labels = catalogue(lang)
    table = Table(title=Text(printable(title)), box=box.SIMPLE_HEAVY, title_justify="left")
    kinds = {}
    for column, dtype in frame.schema.items():
        kinds[column] = _kind(column, dtype, pl)
        right = kinds[column] in ("money", "percent", "fraction", "number")
        table.add_column(
            labels.columns.get(column, column), justify="right" if right else "left", no_wrap=right
        )

    def cell(value: Any, kind: str) -> str:
        if value is None:
            return "–"
        if isinstance(value, bool):
            return labels.words["yes" if value else "no"]
        if kind == "money":
            return euro(value, lang)
        if kind == "percent":
            return percent(value, lang)
        if kind == "fraction":
            return percent(value, lang, fraction=True)
        return str(value)

    for row in frame.iter_rows(named=True):
        table.add_row(*(Text(printable(cell(v, kinds[c]))) for c, v in row.items()))
    return table


def _kind(column: str, dtype: Any, pl: Any) -> str:
    if isinstance(dtype, pl.Decimal):
        if column == "delta_pct":
            return "percent"
        return {2: "money", 4: "fraction"}.get(dtype.scale, "number")
    return "number" if dtype.is_numeric() or dtype == pl.Object else "text"
