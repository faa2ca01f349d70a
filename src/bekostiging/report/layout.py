"""Tables that fit the width they are shown in, without losing a label or a digit.

`fit(table, console)` gives the tables to print for one rich table:

1. the table as wide as its cells, when that fits;
2. else the same table with its column headers wrapped between words;
3. else, when its first label column groups the rows (a variant, a scenario), the title
   on a line of its own and one table per group, titled with the group's name instead of
   the column;
4. else the value columns split into blocks, each block repeating the label columns
   (titled `(1/3)`, `(2/3)`, ...), a label wrapping between its words if need be;
5. else, when not even the labels and one value fit, or when a record per row is shorter
   than three or more blocks, one record per row: a line for each column, its header and
   its cell.

Label columns are the leading left-aligned columns (party, variant, role, ...), the value
columns the rest. A value cell (an amount, a percentage) is never wrapped, cut off or
ellipsised: every column is at least as wide as its widest value. Widths are measured
with rich (`Console.measure`) on the table as it will be printed.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.table import Column, Row, Table
from rich.text import Text

from bekostiging.printable import printable

if TYPE_CHECKING:
    from rich.console import Console

_UNBOUNDED = 1_000_000  # the width a table is measured at: as wide as it wants
# In rich markup a run of backslashes is special only before `[`: before a tag they escape
# it in pairs, before any other `[` one of them is dropped; at the end of a text they would
# escape a tag of ours that follows.
_BEFORE_BRACKET = re.compile(r"(\\*)(\[[a-z#/@][^[]*?]|\[|$)")


def _escaped(match: re.Match[str]) -> str:
    backslashes, bracket = match[1], match[2]
    if bracket == "[":
        return f"{backslashes}\\["
    if bracket:  # a tag: each backslash doubled, and one more to escape the tag
        return f"{backslashes}{backslashes}\\{bracket}"
    return f"{backslashes}{backslashes}[b][/b]" if backslashes else ""  # the end: an empty span follows


def markup(text: str) -> str:
    """`text` (a name, a key, anything from a file or the command line) as rich markup that
    prints it as written, wherever it stands in markup of our own: a tag in it (`[/]`,
    `[link=...]`) is escaped, and so are the backslashes before a bracket and at its end;
    a control character is shown as its escape (`\\x1b`). Printed with emoji codes off (the
    consoles here are), `:thumbs_up:` stays text too."""
    return _BEFORE_BRACKET.sub(_escaped, printable(text))


def fit(
    table: Table, console: Console, width: int | None = None, labels: int | None = None, groups: int = 1
) -> list[Table | Text]:
    """What to print to show `table` within `width` (default: the console's): tables, and
    the heading above the parts of a table shown in parts. `labels`: how many leading
    columns label a row (default: the left-aligned ones); `groups`: how many of them may
    become headings, one level after the other."""
    return _Grid.of(table, labels).fit(console, width or console.width, groups)


def fits(table: Table, console: Console, width: int | None = None) -> Table | None:
    """`table` as printed within `width` with its headers wrapped if need be, or None
    when even that is too wide."""
    return _Grid.of(table, None).narrowed(console, width or console.width)


def heading_of(title: str | Text) -> Text:
    """A table's title on a line of its own, as rich prints a title (the tables below it
    carry the names of their parts)."""
    text = title.copy() if isinstance(title, Text) else Text.from_markup(title, emoji=False)
    text.stylize("table.title")
    return text.append("\n")  # a line between it and the first part's title


def measure(table: Table, console: Console) -> int:
    """The width `table` takes when it may be as wide as it likes."""
    return console.measure(table, options=console.options.update_width(_UNBOUNDED)).maximum


def _plain(cell: Any) -> str:
    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        return Text.from_markup(cell, emoji=False).plain
    return str(cell)


def _numbered(title: Any, number: str) -> Any:
    """A title (markup or a `Text`, which must never be read as markup) with `(1/3)` after it."""
    if isinstance(title, Text):
        return title.copy().append(f" {number}") if title.plain else Text(number)
    return f"{title} {number}" if title else number


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


@dataclasses.dataclass
class _Grid:
    """A table taken apart: its settings, columns, and cells by row."""

    table: Table
    columns: list[Column]
    rows: list[list[Any]]
    row_info: list[Row]
    labels: int
    plain: list[list[str]]  # the text of each cell (by row), as it is printed

    @classmethod
    def of(cls, table: Table, labels: int | None) -> _Grid:
        columns = list(table.columns)
        if labels is None:
            labels = 0
            for column in columns:
                if column.justify not in ("left", "default", "full"):
                    break
                labels += 1
        cells = [list(c.cells) for c in columns]
        rows = [list(r) for r in zip(*cells, strict=True)] if cells else []
        plain = [[_plain(c) for c in row] for row in rows]
        return cls(table, columns, rows, list(table.rows), min(labels, len(columns)), plain)

    # ---- widths

    def _data(self, index: int) -> list[str]:
        found = [row[index] for row in self.plain]
        if self.table.show_footer:
            found.append(_plain(self.columns[index].footer))
        return found

    @functools.cached_property
    def natural(self) -> list[int]:
        """Every cell and header on its lines as written."""
        return [
            max([_longest_line(_plain(c.header)), *map(_longest_line, self._data(i)), 1])
            for i, c in enumerate(self.columns)
        ]

    def minimum(self, wrap_labels: bool = False) -> list[int]:
        """Headers wrapped between words; values never wrapped; labels wrapped only when
        `wrap_labels`."""
        widths = []
        for i, c in enumerate(self.columns):
            cell = _longest_word if wrap_labels and i < self.labels else _longest_line
            widths.append(max([_longest_word(_plain(c.header)), *map(cell, self._data(i)), 1]))
        return widths

    # ---- tables

    def build(self, widths: Sequence[int], rows: bool = True) -> Table:
        """The table with these column widths (a copy: the original keeps its own);
        without its rows when only its width is wanted."""
        table = copy.copy(self.table)
        table.columns = [
            dataclasses.replace(
                column,
                width=width,
                min_width=None,
                max_width=None,
                no_wrap=False,
                overflow="fold",  # should anything not fit after all: folded, never cut off
                _index=index,
                _cells=[row[index] for row in self.rows] if rows else [],
            )
            for index, (column, width) in enumerate(zip(self.columns, widths, strict=True))
        ]
        table.rows = [dataclasses.replace(r) for r in self.row_info] if rows else []
        return table

    def width(self, widths: Sequence[int], console: Console) -> int:
        """The width the table takes with these column widths (measured by rich)."""
        return measure(self.build(widths, rows=False), console)

    def narrowed(self, console: Console, width: int, wrap_labels: bool = False) -> Table | None:
        """The table within `width`: natural widths if they fit, else the least wrapping
        of headers (and labels, if asked) that fits; None if nothing does."""
        natural = self.natural
        if self.width(natural, console) <= width:
            return self.build(natural)
        least = self.minimum(wrap_labels)
        used = self.width(least, console)
        if used > width:
            return None
        # Spend what is left on whole columns, the cheapest first: each one widened is a
        # header (or label) unwrapped.
        slack = width - used
        widths = list(least)
        for i in sorted(range(len(widths)), key=lambda i: natural[i] - least[i]):
            extra = natural[i] - least[i]
            if 0 < extra <= slack:
                widths[i], slack = natural[i], slack - extra
        return self.build(widths)

    def fit(self, console: Console, width: int, groups: int) -> list[Table | Text]:
        found = self.narrowed(console, width)
        if found is not None:
            return [found]
        if groups > 0 and self.labels >= 2 and not self.table.show_footer:
            parts = self._groups()
            if len(parts) < len(self.rows):
                heading = [heading_of(self.table.title)] if self.table.title else []
                return [*heading, *(t for part in parts for t in part.fit(console, width, groups - 1))]
        return self._blocks(console, width)

    def _part(self, columns: Sequence[int], rows: Sequence[int], title: Any, labels: int) -> _Grid:
        table = copy.copy(self.table)
        table.title, table.caption = title, None
        return _Grid(
            table,
            [self.columns[c] for c in columns],
            [[self.rows[r][c] for c in columns] for r in rows],
            [self.row_info[r] for r in rows],
            labels,
            [[self.plain[r][c] for c in columns] for r in rows],
        )

    def _groups(self) -> list[_Grid]:
        """One grid per run of rows with the same first label, titled with it."""
        runs: list[tuple[str, list[int]]] = []
        for index, row in enumerate(self.plain):
            if runs and runs[-1][0] == row[0]:
                runs[-1][1].append(index)
            else:
                runs.append((row[0], [index]))
        rest = range(1, len(self.columns))
        parts = [self._part(rest, rows, markup(name), self.labels - 1) for name, rows in runs]
        if parts:
            parts[-1].table.caption = self.table.caption
        return parts

    def _blocks(self, console: Console, width: int) -> list[Table | Text]:
        """The value columns in blocks beside the label columns, as many per block as fit;
        one record per row when not even one fits beside the labels."""
        labels = list(range(self.labels))
        least = self.minimum()
        blocks: list[list[int]] = []
        for v in range(self.labels, len(self.columns)):
            trial = [*labels, *(blocks[-1] if blocks else []), v]
            if blocks and self._part(trial, [], None, 0).width([least[c] for c in trial], console) <= width:
                blocks[-1].append(v)
            else:
                blocks.append([v])
        tables: list[Table | Text] = []
        for number, block in enumerate(blocks or [[]], start=1):
            title = self.table.title
            if len(blocks) > 1:
                title = _numbered(title, f"({number}/{len(blocks)})")
            part = self._part([*labels, *block], range(len(self.rows)), title, self.labels)
            shown = part.narrowed(console, width) or part.narrowed(console, width, wrap_labels=True)
            if shown is None:
                return self._records(console, width)
            tables.append(shown)
        # Many blocks of a few rows read worse than a record per row: take the shorter.
        per_block = len(self.rows) + 5  # title, blank line, header, rule, rows, blank line
        if len(blocks) > 2 and len(self.rows) * (len(self.columns) + 1) < len(blocks) * per_block:
            return self._records(console, width)
        if isinstance(tables[-1], Table):
            tables[-1].caption = self.table.caption
        return tables

    def _records(self, console: Console, width: int) -> list[Table | Text]:
        """Every row as a record: a line per column, header and cell (the footer last)."""
        table = Table(
            title=self.table.title,
            caption=self.table.caption,
            box=self.table.box,
            title_justify=self.table.title_justify,
            caption_justify=self.table.caption_justify,
            show_header=False,
        )
        records = _Grid(table, [Column(), Column()], [], [], 1, [])
        heads = [" ".join(_plain(c.header).split()) for c in self.columns]
        found = [(row, r.style) for row, r in zip(self.rows, self.row_info, strict=True)]
        if self.table.show_footer:
            found.append(([c.footer for c in self.columns], None))
        for row, style in found:
            for index, (head, value) in enumerate(zip(heads, row, strict=True)):
                last = index == len(heads) - 1
                records.rows.append([markup(head), value])
                records.plain.append([head, _plain(value)])
                records.row_info.append(Row(style=style, end_section=last))
        shown = records.narrowed(console, width, wrap_labels=True)
        return [shown or records.build(records.minimum(wrap_labels=True))]
