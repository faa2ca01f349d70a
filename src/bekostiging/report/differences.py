"""Two versions of a scenario side by side (`bekostiging diff`): every figure's change.

Figures are matched by what they are about: variant × party (× year under a `[horizon]`)
× figure for `results`, variant (× year) × figure for `totals`; a folder's files by file
name first. A figure one side does not have (a variant, party or file only on one side)
is a row with that side empty and no change: it is compared with nothing. A figure that
is empty on both sides (a payer has no cost) is left out. Everything stays in scaled
integers here (cents; `delta_pct` in hundredths of a percent); `results.Difference`
turns them into euros.

On screen: the inputs that changed, then per variant only the figures that changed,
largest change first, with the number of figures that did not; csv, json and parquet
hold every row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: The figures of a party in one variant (and year), as `compare`'s `results` has them.
RESULT_FIGURES = ("revenue", "payments", "net", "delta", "delta_pct", "cost", "margin")
#: The figures of a party over a whole `[horizon]`, with no year: its net and margin
#: discounted as `compare`'s `horizon` table discounts deltas (`present_values`), and that
#: table's `npv_delta` and `npv_margin_delta`.
NPV_FIGURES = ("npv_net", "npv_margin", "npv_delta", "npv_margin_delta")
#: The spending of each variant (`compare`'s `totals`).
TOTAL_FIGURES = ("payer_spend", "client_copay", "total")


def changes(
    old: Sequence[Mapping[str, Any]],
    new: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    figures: Sequence[str],
) -> list[dict[str, Any]]:
    """One row per key × figure: `keys`' values, `figure`, `old`, `new` and `change` (None
    when a side has no such figure). Rows in the old side's order, then the new side's
    own; a figure empty on both sides is left out."""
    before = {tuple(r.get(k) for k in keys): r for r in old}
    after = {tuple(r.get(k) for k in keys): r for r in new}
    found = []
    for key in [*before, *(k for k in after if k not in before)]:
        a_row, b_row = before.get(key), after.get(key)
        for figure in figures:
            a = a_row.get(figure) if a_row is not None else None
            b = b_row.get(figure) if b_row is not None else None
            if a is None and b is None:
                continue
            change = b - a if a is not None and b is not None else None
            found.append(
                {**dict(zip(keys, key, strict=True)), "figure": figure, "old": a, "new": b, "change": change}
            )
    return found


def present_values(
    rows: Sequence[Mapping[str, Any]], start: int, rate: Decimal
) -> dict[tuple, dict[str, Any]]:
    """Per (variant, party): `npv_net` and `npv_margin`, the net present value over the
    years of `rows` (a horizon's `results`, in cents) of the party's net and margin, each
    year's divided by (1 + rate)^(year - start) as `compare` discounts a delta, rounded
    half-even to the cent once. A party without a cost in any year has no `npv_margin`;
    one with a cost in some years counts its net as its margin in the others."""
    from bekostiging.money import present_value

    nets: dict[tuple, dict[int, int]] = {}
    margins: dict[tuple, dict[int, int]] = {}
    costly: set[tuple] = set()
    for r in rows:
        key = (r["variant"], r["party"])
        nets.setdefault(key, {})[r["year"]] = r["net"]
        margins.setdefault(key, {})[r["year"]] = r["margin"] if r["margin"] is not None else r["net"]
        if r["margin"] is not None:
            costly.add(key)
    return {
        (variant, party): {
            "variant": variant,
            "party": party,
            "npv_net": present_value(nets[(variant, party)], start, rate),
            "npv_margin": present_value(margins[(variant, party)], start, rate)
            if (variant, party) in costly
            else None,
        }
        for variant, party in nets
    }


@dataclass
class Pair:
    """One file's two versions (a folder's: matched by file name), as `bk.diff` found them."""

    member: str | None  # the file name a folder's files are matched by; None for two files
    old: str | None  # each side's file as outputs name it; None: the side has no such file
    new: str | None
    inputs: list[dict[str, Any]] = field(default_factory=list)  # path, old, new, set_in
    results: list[dict[str, Any]] = field(default_factory=list)  # scaled integers
    totals: list[dict[str, Any]] = field(default_factory=list)

    @property
    def one_sided(self) -> bool:
        return self.old is None or self.new is None


# ------------------------------------------------------------------ the view for people


@dataclass(frozen=True)
class View:
    """What the screen shows of a difference."""

    lang: str
    variants: Mapping[str, str]  # id -> name, of both sides
    parties: Mapping[str, str]
    years: bool  # the figures have years (a [horizon])
    all_years: bool = False  # every year's figures (else, under a horizon: the summary)
    year: int | None = None  # the one year computed (--year)
    span: tuple[int, int] | None = None  # a horizon's first and last year


def tables(
    old: str, new: str, inputs: Any, results: Any, totals: Any, view: View, one_sided: Sequence[Pair] = ()
) -> list[Any]:
    """The renderables of a difference: a heading, the inputs that changed, per variant the
    figures that changed, the totals that changed; `inputs`, `results` and `totals` are
    the frames in euros (a folder's with a leading `file` column)."""
    from rich.text import Text

    from bekostiging.printable import printable
    from bekostiging.report.i18n import labels as catalogue

    words = catalogue(view.lang).words
    shown: list[Any] = [Text(printable(words["diff_heading"].format(old=old, new=new)), style="bold")]
    for pair in one_sided:
        key = "diff_added" if pair.old is None else "diff_removed"
        shown.append(Text(printable(words[key].format(file=pair.member))))
    folder = "file" in results.columns
    members = _members(inputs, results, totals) if folder else [None]
    any_change = bool(one_sided)
    for member in members:
        part = _of(inputs, member), _of(results, member), _of(totals, member)
        found = _member(*part, view, member)
        any_change |= bool(found)
        shown += found
    if not any_change:
        shown.append(Text(words["diff_none"]))
    elif view.years and view.span is not None and not view.all_years and view.year is None:
        shown.append(Text(words["years_hint"].format(first=view.span[0], last=view.span[1])))
    return shown


def _members(*frames: Any) -> list[str]:
    return list(dict.fromkeys(m for f in frames if "file" in f.columns for m in f["file"].to_list()))


def _of(frame: Any, member: str | None) -> Any:
    import polars as pl

    if member is None or "file" not in frame.columns:
        return frame
    return frame.filter(pl.col("file") == member).drop("file")


def _member(inputs: Any, results: Any, totals: Any, view: View, member: str | None) -> list[Any]:
    from rich.text import Text

    from bekostiging.printable import printable
    from bekostiging.report.i18n import labels as catalogue

    labels = catalogue(view.lang)
    words = labels.words
    shown: list[Any] = []
    if inputs.height:
        table = _new(words["diff_inputs"].format(count=inputs.height), (), {})  # folded, not aligned
        for column in ("path", "old", "new", "set_in"):
            table.add_column(labels.columns[column], overflow="fold")
        for row in inputs.iter_rows(named=True):
            table.add_row(*(Text(printable(row[c] if row[c] is not None else "–")) for c in inputs.columns))
        shown.append(table)
    if view.years and not view.all_years and view.year is None:
        import polars as pl

        results = results.filter(pl.col("year").is_null())  # the summary over the horizon
        totals = totals.clear()
    unchanged = 0
    variant_tables = []
    for variant in results["variant"].unique(maintain_order=True).to_list():
        rows = [r for r in results.iter_rows(named=True) if r["variant"] == variant]
        moved = [r for r in rows if r["change"] != 0]
        unchanged += len(rows) - len(moved)
        if moved:
            variant_tables.append(_figures(moved, variant, view))
    totals_moved = [r for r in totals.iter_rows(named=True) if r["change"] != 0]
    unchanged += totals.height - len(totals_moved)
    if totals_moved:
        variant_tables.append(_totals(totals_moved, view))
    if not variant_tables and not inputs.height:
        return []  # nothing differs
    if not inputs.height:
        shown.append(Text(words["diff_no_inputs"]))
    if member is not None:
        shown.insert(0, Text(printable(member), style="bold"))
    shown += variant_tables
    if not variant_tables:
        shown.append(Text(words["diff_no_figures"]))
    elif unchanged:
        shown.append(Text(words["diff_unchanged"].format(count=unchanged)))
    return shown


def _new(title: str, columns: Sequence[str], names: Mapping[str, str]) -> Any:
    """A table titled `title` with `columns` headed by their `names`, the numbers (and the
    year) right-aligned."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from bekostiging.printable import printable

    table = Table(title=Text(printable(title)), box=box.SIMPLE_HEAVY, title_justify="left")
    for column in columns:
        right = column in ("old", "new", "change", "year")
        table.add_column(names.get(column, column), justify="right" if right else "left", no_wrap=right)
    return table


def _size(row: Mapping[str, Any]) -> Decimal:
    """How large a change is: the change, or the figure itself when one side has none."""
    found = (
        row["change"] if row["change"] is not None else row["new"] if row["new"] is not None else row["old"]
    )
    return abs(found)


def _figures(rows: list[dict[str, Any]], variant: str, view: View) -> Any:
    """The figures of one variant that changed, largest change first."""
    from bekostiging.report.i18n import labels as catalogue

    labels = catalogue(view.lang)
    name = view.variants.get(variant, variant)
    title = labels.words["diff_variant"].format(variant=name if name == variant else f"{name} ({variant})")
    if view.years and not view.all_years and view.year is None and view.span is not None:
        title += " " + labels.words["diff_npv"].format(first=view.span[0], last=view.span[1])
    elif view.year is not None:
        title += f" ({view.year})"
    years = view.years and view.all_years
    table = _new(
        title, ("party", *(["year"] if years else []), "figure", "old", "new", "change"), labels.columns
    )
    for row in sorted(rows, key=lambda r: -_size(r)):
        party = view.parties.get(row["party"], row["party"])
        year = [str(row["year"]) if row["year"] is not None else _span(view, labels.words)] if years else []
        table.add_row(
            *_texts(party, *year, labels.columns.get(row["figure"], row["figure"]), *_numbers(row, view))
        )
    return table


def _span(view: View, words: Mapping[str, str]) -> str:
    """The years a net present value covers, as its year cell."""
    return words["diff_all_years"].format(first=view.span[0], last=view.span[1]) if view.span else ""


def _totals(rows: list[dict[str, Any]], view: View) -> Any:
    from bekostiging.report.i18n import labels as catalogue

    labels = catalogue(view.lang)
    title = labels.words["diff_totals"] + (f" ({view.year})" if view.year is not None else "")
    years = view.years and view.year is None
    table = _new(
        title, ("variant", *(["year"] if years else []), "figure", "old", "new", "change"), labels.columns
    )
    for row in sorted(rows, key=lambda r: -_size(r)):
        variant = view.variants.get(row["variant"], row["variant"])
        year = [str(row["year"])] if years else []
        table.add_row(
            *_texts(variant, *year, labels.columns.get(row["figure"], row["figure"]), *_numbers(row, view))
        )
    return table


def _numbers(row: Mapping[str, Any], view: View) -> list[str]:
    from bekostiging.report.numbers import euro, percent

    show = percent if row["figure"] == "delta_pct" else euro
    texts = [show(row[c], view.lang) for c in ("old", "new", "change")]
    if row["change"] is not None and row["change"] > 0:
        texts[2] = "+" + texts[2]
    return texts


def _texts(*values: str) -> list[Any]:
    from rich.text import Text

    from bekostiging.printable import printable

    return [Text(printable(v)) for v in values]


def full_table(frame: Any, title: str, lang: str) -> Any:
    """Every row of `results` or `totals` (`--table`), each number as its figure is
    written: a percentage for `delta_pct`, euros for the others."""
    from bekostiging.report.i18n import labels as catalogue

    shown = [c for c in frame.columns if not c.endswith("_name")]
    table = _new(title, shown, catalogue(lang).columns)
    view = View(lang, {}, {}, years=False)
    for row in frame.iter_rows(named=True):
        numbers = dict(zip(("old", "new", "change"), _numbers(row, view), strict=True))
        table.add_row(*_texts(*(numbers.get(c, "–" if row[c] is None else str(row[c])) for c in shown)))
    return table
