"""Policy checks: evaluate a scenario's `[[expect]]` blocks (SCENARIO.md §7).

    >>> from bekostiging import examples
    >>> from bekostiging.expectations import evaluate
    >>> outcomes = evaluate(examples.path_of("geboortezorg-regio"))
    >>> all(o.passed for o in outcomes)
    True

The scenario is loaded once; the expectations are grouped by their `whatif` list and each
combination is computed once, for just the variants its expectations name (the baseline
is always computed). Values are compared as exact decimals, bounds inclusive
(`min <= value <= max`), on the scale a user writes them in: money in euros, `delta_pct`
a percentage (`12.34`), `coverage` a fraction (`0.9509`). A value that does not exist (a
null `delta_pct` or `margin`, no shared-savings settlement for the payer) fails the check
with a reason; it never raises.

`bk.check` (and so `bekostiging check`) is a thin layer over `evaluate_scenario`,
`render_outcomes` and `junit_xml`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bekostiging.engine.run import run
from bekostiging.printable import printable, printable_lines
from bekostiging.report.figures import figures
from bekostiging.report.numbers import scaled
from bekostiging.scenario.load import load_scenario
from bekostiging.scenario.model import Expectation, Scenario

if TYPE_CHECKING:
    from rich.console import Group


#: metric -> (figures table, key column of the subject)
SOURCES = {
    **dict.fromkeys(("revenue", "payments", "net", "delta", "delta_pct", "margin"), ("results", "party")),
    **dict.fromkeys(("coverage", "gap"), ("availability", "function")),
    **dict.fromkeys(("payout", "repayment"), ("shared_savings", "payer")),
}
MONEY_METRICS = frozenset({"revenue", "payments", "net", "delta", "margin", "gap", "payout", "repayment"})


@dataclass(frozen=True)
class Outcome:
    """The result of one `[[expect]]` block."""

    index: int  # position in the file's [[expect]] array, from 0
    variant: str
    kind: str  # 'party' | 'function' | 'payer'
    subject: str  # the id of that party, function or payer
    metric: str
    whatifs: tuple[str, ...]
    min: Decimal | None
    max: Decimal | None
    value: Decimal | None  # None: the figure does not exist (see `reason`)
    passed: bool
    message: str | None
    reason: str  # in English, numbers plain (JSON, JUnit); `reason_in(lang)` for people
    # the reason as a catalogue key (`checks` labels `r_<why>`) and its values
    why: str = field(default="", compare=False)
    why_args: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def reason_in(self, lang: str | None = None) -> str:
        """Why the check passed or failed, in `lang` with its number format (`None`: the
        plain English of `reason`)."""
        from bekostiging.report.i18n import labels as labels_of

        if not self.why:
            return self.reason
        show = _plain if lang is None else (lambda v: format_value(v, self.metric, lang))
        args = {k: show(v) if isinstance(v, Decimal) else v for k, v in self.why_args.items()}
        return labels_of(lang or "en").checks[f"r_{self.why}"].format(metric=self.metric, **args)

    @property
    def name(self) -> str:
        """`expect[3] integraal zorgverzekeraar delta_pct`, with its what-ifs when it has
        any (`... coverage (what-ifs: minder_interventies)`): the JUnit test case name."""
        name = f"expect[{self.index}] {self.variant} {self.subject} {self.metric}"
        return f"{name} (what-ifs: {', '.join(self.whatifs)})" if self.whatifs else name


def evaluate(path: Path | str, *, baseline: str | None = None, sets: Sequence[str] = ()) -> list[Outcome]:
    """Evaluate every `[[expect]]` of a scenario file, in file order.

    `baseline` replaces `scenario.baseline` (for delta, delta_pct and shared-savings
    benchmarks); `sets` are `PATH=VALUE` overrides as in `compare --set`. Raises
    `ScenarioError` when the file is invalid or `baseline` is not a variant.
    """
    scenario, tree = load_scenario(path, tuple(sets))
    return evaluate_scenario(scenario, file=tree.main, baseline=baseline)


def evaluate_scenario(scenario: Scenario, *, file: str = "", baseline: str | None = None) -> list[Outcome]:
    """`evaluate` for a scenario already loaded (`file` names it in findings)."""

    def compute(variants: list[str], whatifs: tuple[str, ...]) -> tuple[Any, str]:
        result = run(scenario, variants=variants, baseline=baseline, whatifs=whatifs, file=file)
        return figures(result), result.baseline

    return evaluate_expects(scenario.expect, compute)


def evaluate_expects(
    expects: Sequence[Expectation], compute: Callable[[list[str], tuple[str, ...]], tuple[Any, str]]
) -> list[Outcome]:
    """The outcome of every expectation, in order. `compute(variants, whatifs)` gives the
    figures (anything with `.table(name)`) and the baseline of one what-if combination:
    one scenario's run, or the sum of several (a totals file); each combination once."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, e in enumerate(expects):
        groups.setdefault(tuple(e.whatif), []).append(i)

    outcomes: dict[int, Outcome] = {}
    for whatifs, indices in groups.items():
        lookup = _Lookup(*compute(list(dict.fromkeys(expects[i].variant for i in indices)), whatifs))
        for i in indices:
            outcomes[i] = _check(i, expects[i], lookup)
    return [outcomes[i] for i in range(len(expects))]


def failed(results_by_file: Mapping[str, Sequence[Outcome]]) -> int:
    """How many checks failed over all files (the CLI exits 1 when this is not 0)."""
    return sum(not o.passed for outcomes in results_by_file.values() for o in outcomes)


@dataclass(frozen=True)
class Summary:
    """What a `check` run comes to over its files, for people (`text`) and for CI (`as_dict`).

    `errors` (file -> text) are the files that failed to load; `without_checks` the files
    that loaded but have no `[[expect]]`, which fail only when checks are `required`.
    """

    files: tuple[str, ...]
    errors: Mapping[str, str]
    without_checks: tuple[str, ...]
    checks: int
    failed: int
    required: bool = False

    @classmethod
    def of(
        cls,
        results_by_file: Mapping[str, Sequence[Outcome]],
        errors: Mapping[str, str] | None = None,
        *,
        required: bool = False,
    ) -> Summary:
        errors = dict(errors or {})
        return cls(
            files=tuple(dict.fromkeys([*results_by_file, *errors])),
            errors=errors,
            without_checks=tuple(f for f, found in results_by_file.items() if not found and f not in errors),
            checks=sum(len(found) for found in results_by_file.values()),
            failed=failed(results_by_file),
            required=required,
        )

    @property
    def ok(self) -> bool:
        """Whether CI should pass: no failed check, no file that failed to load, and (when
        checks are required) no file without checks."""
        return not (self.failed or self.errors or (self.required and self.without_checks))

    def status(self, file: str) -> str:
        """`checked`, `no_checks` or `failed_to_load`."""
        if file in self.errors:
            return "failed_to_load"
        return "no_checks" if file in self.without_checks else "checked"

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": len(self.files),
            "checked": len(self.files) - len(self.errors) - len(self.without_checks),
            "failed_to_load": len(self.errors),
            "without_checks": len(self.without_checks),
            "checks": self.checks,
            "passed": self.checks - self.failed,
            "failed": self.failed,
            "ok": self.ok,
        }

    def text(self, lang: str = "nl") -> str:
        """`6 of 6 checks passed, 0 failed; 3 of 4 files checked, 1 failed to load (d.toml)`."""
        from bekostiging.report.i18n import labels as labels_of

        words = labels_of(lang).checks
        if not self.checks and not self.errors:
            return words["no_checks"].format(files=_names(self.without_checks or self.files))
        text = words["summary"].format(
            passed=self.checks - self.failed, total=self.checks, failed=self.failed
        )
        count = len(self.files)
        if self.errors:
            checked = count - len(self.errors)
            text += words["not_loaded"].format(
                checked=checked, count=count, failed=len(self.errors), files=_names(list(self.errors))
            )
        if self.without_checks:
            text += words["without_checks"].format(
                without=len(self.without_checks), count=count, files=_names(self.without_checks)
            )
        return text


def _names(files: Sequence[str], shown: int = 3) -> str:
    """`a.toml, b.toml, c.toml, … (+68)`: a few names of a long list."""
    names = ", ".join(files[:shown])
    return f"{names}, … (+{len(files) - shown})" if len(files) > shown else names


# ------------------------------------------------------------------ evaluation


class _Lookup:
    """The figures of one computed what-if combination, keyed for the metrics."""

    def __init__(self, figs: Any, baseline: str):
        self.baseline = baseline
        self.rows: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        for table, key in {*SOURCES.values()}:
            rows: dict[tuple[str, str], dict[str, Any]] = {}
            for row in figs.table(table).iter_rows(named=True):
                k = (row["variant"], row[key])
                if table == "shared_savings":  # `repayment`: what the recipients pay back, >= 0
                    row = {**row, "repayment": max(0, -row["payout"])}
                if table == "shared_savings" and k in rows:  # several mechanisms: sum the payouts
                    rows[k] = {**rows[k], **{m: rows[k][m] + row[m] for m in ("payout", "repayment")}}
                else:
                    rows[k] = row
            self.rows[table] = rows

    def value(self, e: Expectation, kind: str, subject: str) -> tuple[Decimal | None, str, dict[str, Any]]:
        """The value of the metric, or None and why there is none (a key of the `checks`
        labels, `r_<why>`, and its values)."""
        table, _ = SOURCES[e.metric]
        row = self.rows[table].get((e.variant, subject))
        where = {"subject": subject, "variant": e.variant, "kind": kind, "table": table}
        if row is None:
            return None, "no_settlement" if table == "shared_savings" else "no_figures", where
        value = scaled(row[e.metric], "payout" if e.metric == "repayment" else e.metric)
        if value is not None:
            return value, "", {}
        if e.metric in ("delta_pct", "margin", "coverage"):
            return None, f"null_{e.metric}", {**where, "baseline": self.baseline}
        return None, "null", where  # pragma: no cover


def _check(index: int, e: Expectation, lookup: _Lookup) -> Outcome:
    kind = "function" if e.function is not None else "payer" if e.payer is not None else "party"
    subject = e.function or e.payer or e.party
    assert subject is not None, "validated: every expectation names its subject"
    value, why, args = lookup.value(e, kind, subject)
    passed = False
    if value is not None:
        low = e.min is not None and value < e.min
        high = e.max is not None and value > e.max
        passed = not (low or high)
        why = _bounds_reason(e.min, e.max, low, high)
        args = {"value": value, "min": e.min, "max": e.max}
    found = Outcome(
        index=index,
        variant=e.variant,
        kind=kind,
        subject=subject,
        metric=e.metric,
        whatifs=tuple(e.whatif),
        min=e.min,
        max=e.max,
        value=value,
        passed=passed,
        message=e.message,
        reason="",
        why=why,
        why_args=args,
    )
    return replace(found, reason=found.reason_in(None))


def _bounds_reason(low: Decimal | None, high: Decimal | None, below: bool, above: bool) -> str:
    if below:
        return "below"
    if above:
        return "above"
    if low is not None and high is not None:
        return "within"
    return "at_least" if low is not None else "at_most"


def _plain(number: Decimal | None) -> str:
    """A decimal as written, never in exponent notation (`1E+3` -> `1000`)."""
    return "" if number is None else f"{number:f}"


# ------------------------------------------------------------------ JUnit XML

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold and a CI log shows safely: a control character (a file name, a
    key may have one) as its escape (`\\x1b`), the rest XML cannot hold (U+FFFE) dropped."""
    return _NOT_XML.sub("", printable_lines(text))


NO_CHECKS = "no [[expect]] checks (--require-checks)"


def junit_xml(
    results_by_file: Mapping[str, Sequence[Outcome]],
    *,
    errors: Mapping[str, str] | None = None,
    require_checks: bool = False,
    properties: Sequence[tuple[str, str]] = (),
) -> bytes:
    """JUnit XML for CI: one <testsuite> per file, one <testcase> per expectation.

    `errors` (file -> text) lists files that could not be evaluated (an invalid scenario);
    each becomes a suite with one <error> case, so CI shows it instead of a silent pass.
    With `require_checks` a file without checks gets one failing case `no checks`.
    `properties` (name, value) go into every suite's <properties> (the `--set` overrides).
    The bytes depend only on the arguments (no timestamps, no host names).
    """
    errors = errors or {}
    files = list(dict.fromkeys([*results_by_file, *errors]))
    root = ET.Element("testsuites", name="bekostiging check")
    total_tests = total_failures = total_errors = 0
    for file in files:
        outcomes = results_by_file.get(file, [])
        n_error = 1 if file in errors else 0
        n_missing = 1 if require_checks and not outcomes and not n_error else 0
        n_fail = sum(not o.passed for o in outcomes) + n_missing
        suite = ET.SubElement(
            root,
            "testsuite",
            name=_xml_text(file),
            tests=str(len(outcomes) + n_error + n_missing),
            failures=str(n_fail),
            errors=str(n_error),
            skipped="0",
        )
        if properties:
            found = ET.SubElement(suite, "properties")
            for name, value in properties:
                ET.SubElement(found, "property", name=_xml_text(name), value=_xml_text(value))
        for o in outcomes:
            case = ET.SubElement(suite, "testcase", classname=_xml_text(file), name=_xml_text(o.name))
            if not o.passed:
                failure = ET.SubElement(case, "failure", message=_xml_text(o.reason), type="expectation")
                failure.text = _xml_text(_failure_text(o))
        if n_missing:
            case = ET.SubElement(suite, "testcase", classname=_xml_text(file), name="no checks")
            ET.SubElement(case, "failure", message=NO_CHECKS, type="no_checks")
        if n_error:
            case = ET.SubElement(suite, "testcase", classname=_xml_text(file), name="load")
            error = ET.SubElement(case, "error", message="invalid scenario", type="ScenarioError")
            error.text = _xml_text(errors[file])
        total_tests += len(outcomes) + n_error + n_missing
        total_failures += n_fail
        total_errors += n_error
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _failure_text(o: Outcome) -> str:
    lines = [
        f"{o.kind} {o.subject}, metric {o.metric}, variant {o.variant}",
        f"what-ifs: {', '.join(o.whatifs) if o.whatifs else '-'}",
        f"min: {_plain(o.min) or '-'}, max: {_plain(o.max) or '-'}, value: {_plain(o.value) or '-'}",
        o.reason,
    ]
    if o.message:
        lines.append(o.message)
    return "\n".join(lines)


# ------------------------------------------------------------------ terminal


def render_outcomes(
    results_by_file: Mapping[str, Sequence[Outcome]], lang: str = "nl", summary: Summary | None = None
) -> Group:
    """A pass/fail table of every check (a file column when there are several files), then
    each check's note and, for a failed check, its reason, under the table's numbers.

    The notes are prose: in a column of the table they would wrap a word a line on any
    terminal narrower than the prose, so they come below it, each after its check's `#`.
    Print it with `console.print(...)`; it ends with the `summary` (by default that of
    these outcomes): passed and failed checks, files that failed to load or have none.
    """
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from bekostiging.report.i18n import labels as labels_of

    labels = labels_of(lang).checks
    outcomes = [(file, o) for file, os in results_by_file.items() for o in os]
    several = len(results_by_file) > 1
    title = labels["title"]
    if len(results_by_file) == 1:
        title += f": {printable(next(iter(results_by_file)))}"
    summary = summary or Summary.of(results_by_file)
    table = Table(title=Text(title), box=box.SIMPLE_HEAVY, title_justify="left")
    if several:
        table.add_column(labels["file"])
    table.add_column("#", justify="right")
    table.add_column(labels_of(lang).columns["variant"])
    table.add_column(labels["subject"])
    table.add_column(labels["metric"])
    table.add_column(labels["whatifs"])
    table.add_column(labels["value"], justify="right", no_wrap=True)
    table.add_column(labels["bounds"], justify="right", no_wrap=True)
    table.add_column(labels["result"], no_wrap=True)
    notes = Table.grid(padding=(0, 2))
    notes.title, notes.title_justify = Text(labels["note"]), "left"
    notes.add_column(justify="right", no_wrap=True)
    notes.add_column(ratio=1)
    for file, o in outcomes:
        cells = [
            Text(str(o.index)),
            Text(printable(o.variant)),
            Text(printable(o.subject)),
            Text(o.metric),
            Text(printable(", ".join(o.whatifs)) or "–"),
            Text(format_value(o.value, o.metric, lang)),
            Text(format_bounds(o.min, o.max, o.metric, lang)),
            Text(labels["pass"], style="green") if o.passed else Text(labels["fail"], style="bold red"),
        ]
        table.add_row(*([Text(printable(file))] if several else []), *cells)
        note = Text(printable_lines(o.message or ""))
        if not o.passed:
            note.append(("\n" if o.message else "") + printable_lines(o.reason_in(lang)), style="red")
        if note.plain:
            notes.add_row(Text(f"{printable(file)} #{o.index}" if several else f"#{o.index}"), note)
    verdict = Text(printable_lines(summary.text(lang)), style="green" if summary.ok else "red")
    return Group(table, *([notes] if notes.row_count else []), Text(), verdict)


def format_value(value: Decimal | None, metric: str, lang: str = "nl") -> str:
    """Money as `€ 1.234,56`, delta_pct as `12,34%`, coverage (a fraction) as `95,09%`.

    Shown exactly: a number with more decimals than the usual 2 keeps them, so a bound
    and a value never look equal when they are not.
    """
    from bekostiging.report.numbers import EMPTY, euro, percent

    if value is None:
        return EMPTY
    if metric == "coverage":
        value = value * 100
    exponent = value.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    if metric in MONEY_METRICS:
        return euro(value, lang, places=places)
    return percent(value, lang, places=places)


def format_bounds(low: Decimal | None, high: Decimal | None, metric: str, lang: str = "nl") -> str:
    if low is not None and high is not None:
        return f"{format_value(low, metric, lang)} … {format_value(high, metric, lang)}"
    if low is not None:
        return f"≥ {format_value(low, metric, lang)}"
    return f"≤ {format_value(high, metric, lang)}"
