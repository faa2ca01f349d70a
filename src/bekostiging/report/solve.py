"""`solve`'s view for people: the answer as a two-column table, then the `--set` to check it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any


def solution_tables(solution: Any, lang: str) -> list[Any]:
    """The rich renderables of a `Solution` (duck-typed: this layer sits below results)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from bekostiging.decisions.solve import plain
    from bekostiging.printable import printable
    from bekostiging.report.i18n import labels
    from bekostiging.report.render import run_notes

    catalogue = labels(lang)
    words = catalogue.solve
    o, t = solution.outcome, solution.target

    def figure(value: Decimal | None) -> str:
        return _figure(value, t.metric, lang)

    column = catalogue.columns.get(t.metric, t.metric)
    when = (
        words["npv"].format(first=solution.span[0], last=solution.span[1])
        if solution.span is not None
        else words["in_year"].format(year=solution.year)
        if solution.year is not None
        else ""
    )
    relation = {">=": "≥", "<=": "≤"}.get(t.relation, t.relation)
    aim = f"{t.variant}: {t.party}, {column} {relation} {figure(t.value)}"
    # the title names the user's own overrides; the solved one (the last) is the answer
    own = replace(solution.meta, overrides=solution.meta.overrides[:-1])
    title = words["title"].format(path=solution.path) + run_notes([own], catalogue.words)
    table = Table(title=Text(printable(title)), box=box.SIMPLE_HEAVY, title_justify="left", show_header=False)
    table.add_column("", justify="left")
    table.add_column("", justify="left")
    rows = [
        (words["target"], aim + (f" ({when})" if when else "")),
        (words["value"], plain(o.value)),
        (words["achieved"], figure(o.achieved)),
        (words["difference"], figure(o.achieved - t.value)),
        (words["status"], words[o.status]),
    ]
    if o.other is not None and o.status != "met":
        rows.append((words["other"], f"{plain(o.other.value)}: {figure(o.other.figure)}"))
    low, high = solution.reachable
    rows += [
        (words["method"], words[o.method]),
        (words["evaluations"], str(o.evaluations)),
        (words["range"], f"{plain(solution.low)} {words['to']} {plain(solution.high)}"),
        (words["reachable"], f"{figure(low)} {words['to']} {figure(high)}"),
    ]
    if solution.minimised is not None and o.objective is not None:
        who = (
            words["all_payers"]
            if solution.minimised == "*"
            else words["spend"].format(party=solution.minimised)
        )
        rows.append((words["minimised"], f"{who}: {_figure(o.objective, 'spend', lang)}"))
    if solution.margin is not None:
        rows.append((words["margin"], _figure(solution.margin, "margin_delta", lang)))
    for label, value in rows:
        table.add_row(Text(label), Text(printable(value)))
    check = Text(printable(words["check"].format(command=_check_command(solution))))
    shown: list[Any] = [table, check]
    if solution.margin is not None and solution.margin != o.achieved:
        on_margin = f"{t.variant}:{t.party}:margin_delta>=0"
        shown.append(Text(printable(words["margin_note"].format(party=t.party, target=on_margin))))
    return shown


def _check_command(solution: Any) -> str:
    """The `compare` options that show the achieved figure: the variant, the solved `--set`,
    the year and the user's own what-ifs and baseline."""
    meta, t = solution.meta, solution.target
    parts = [f"-v {t.variant}", *(f"-w {w}" for w in meta.whatifs)]
    if solution.baseline is not None:
        parts.append(f"--baseline {solution.baseline}")
    parts += [f"--set {o}" for o in meta.overrides]
    if solution.year is not None:
        parts.append(f"--year {solution.year}")
    elif solution.span is not None:
        parts.append("--table horizon")
    return " ".join(parts)


def _figure(value: Decimal | None, metric: str, lang: str) -> str:
    from bekostiging.report.numbers import euro, number

    if value is None:
        return "–"
    if metric == "coverage":
        return number(value, 4, lang)
    return euro(value, lang)
