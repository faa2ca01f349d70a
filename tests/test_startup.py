"""What a run imports (issue 19: start-up speed), checked by what is imported, never by time.

`bekostiging --help` draws typer's rich help without markdown-it and pygments
(`cli.light_help`), and a JSON or table run needs no numpy (polars would import it for a
frame built from Python `Decimal`s: `report.euros`).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from decimal import Decimal

import polars as pl
import pytest

from bekostiging.report.euros import _recipients, in_euros

HEAVY = ("numpy", "pyarrow", "pandas", "markdown_it", "pygments", "rich.markdown", "rich.traceback")


def _imported_after(args: list[str]) -> tuple[set[str], str]:
    """The heavy modules a CLI run in a fresh process has imported, and its stdout."""
    code = (
        "import sys, io, contextlib\n"
        "from bekostiging.cli import main\n"
        f"sys.argv = ['bekostiging', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stdout.flush()\n"
        f"print('\\nIMPORTED', sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8")
    assert "IMPORTED" in done.stderr, done.stderr
    listed = done.stderr.rsplit("IMPORTED", 1)[1].strip()
    return set(ast.literal_eval(listed)), done.stdout


def test_help_imports_neither_markdown_nor_pygments():
    imported, out = _imported_after(["--help"])
    assert imported == set()
    assert "compare" in out and "Usage" in out


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_compare_imports_no_numpy(fmt):
    imported, out = _imported_after(["compare", "hybride-ziekenhuis", "-f", fmt])
    assert "numpy" not in imported
    assert out.strip()


def test_the_stand_ins_are_the_real_classes_when_used():
    """A markdown help or a pretty traceback still works: the stand-in imports the real
    module when it is used; any other import of those modules gets the real module."""
    code = (
        "import sys\n"
        "from bekostiging.cli import light_help\n"
        "light_help.install()\n"
        "import typer.rich_utils as ru\n"
        "assert 'rich.markdown' not in sys.modules and 'rich.traceback' not in sys.modules\n"
        "md = ru.Markdown('# Kop')\n"
        "import rich.markdown, rich.traceback\n"
        "assert type(md) is rich.markdown.Markdown\n"
        "assert ru.Traceback.from_exception.__self__ is rich.traceback.Traceback\n"
        "assert not isinstance(sys.modules['rich.markdown'], light_help._StandIn)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def test_help_is_the_same_with_and_without_the_stand_ins():
    """The stand-ins change what is imported, not one character of the help."""
    plain = "import sys\nsys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != '_Finder']\n"
    runs = []
    for prefix in ("", plain):
        code = (
            "import sys\n"
            "from bekostiging.cli import main\n"
            f"{prefix}"
            "sys.argv = ['bekostiging', '--help']\n"
            "try:\n"
            "    main()\n"
            "except SystemExit:\n"
            "    pass\n"
            "print('MARKDOWN' if 'rich.markdown' in sys.modules else 'LIGHT', file=sys.stderr)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={"COLUMNS": "100", "TERM": "dumb", "PATH": ""},
        )
        runs.append((done.stdout, done.stderr.strip().splitlines()[-1]))
    (light, light_state), (full, full_state) = runs
    assert (light_state, full_state) == ("LIGHT", "MARKDOWN")
    assert light == full and "compare" in light


def test_recipients_in_euros_exactly():
    """Shared savings' recipients: amounts in cents become exact euros; a missing list and
    an empty one stay as they are."""
    struct = pl.Struct({"party": pl.String, "amount": pl.Int64})
    values = pl.Series(
        "recipients",
        [None, [], [{"party": "a", "amount": 123_456_789}, {"party": "b", "amount": -7}]],
        dtype=pl.List(struct),
    )
    out = _recipients(values)
    assert out.name == "recipients"
    assert out.dtype == pl.List(pl.Struct({"party": pl.String, "amount": pl.Decimal(20, 2)}))
    assert out.to_list() == [
        None,
        [],
        [{"party": "a", "amount": Decimal("1234567.89")}, {"party": "b", "amount": Decimal("-0.07")}],
    ]


def test_scaled_columns_in_euros_exactly():
    frame = pl.DataFrame(
        {"net": [1, -250, 9_223_372_036_854_775_807], "delta_pct": [5, -12_345, 0], "x": [1, 2, 3]}
    )
    out = in_euros(frame, {"net": 2, "delta_pct": 4})
    assert out.schema == {"net": pl.Decimal(20, 2), "delta_pct": pl.Decimal(20, 4), "x": pl.Int64}
    assert out.rows() == [
        (Decimal("0.01"), Decimal("0.0005"), 1),
        (Decimal("-2.50"), Decimal("-1.2345"), 2),
        (Decimal("92233720368547758.07"), Decimal("0.0000"), 3),
    ]


def test_a_ledger_of_plain_numbers_keeps_its_rows_and_sums():
    """The plain-number path of `Ledger.add` (whole cents, euros rounded half-to-even):
    a negative amount is the reverse flow, zero and self-payments are not kept, and the
    "so far" sums are those of the rows; past the limit it raises."""
    from bekostiging.arithmetic import MAX_LEDGER_CENTS, MoneyOverflow
    from bekostiging.engine.ledger import Ledger

    ledger = Ledger()
    ledger.add("fee", "zv", "zh", Decimal("10.005"), "p", "a")  # 1000.5 cents: half to even
    ledger.add("fee", "zv", "zh", -250)  # back from zh to zv
    ledger.add("fee", "zv", "zv", 99)
    ledger.add("fee", "zv", "zh", Decimal("0.004"))
    ledger.add("copay", "client", "zh", 7)
    rows = [(f.component, f.payer, f.payee, f.amount, f.profile, f.activity) for f in ledger.flows]
    assert rows == [
        ("fee", "zv", "zh", 1000, "p", "a"),
        ("fee", "zh", "zv", 250, None, None),
        ("copay", "client", "zh", 7, None, None),
    ]
    assert (ledger.inflows("zh"), ledger.outflows("zh"), ledger.inflows("zv"), ledger.outflows("zv")) == (
        1007,
        250,
        250,
        1000,
    )
    assert (ledger.paid("zv", "zh"), ledger.paid("zh", "zv"), ledger.net_spend("zv")) == (1000, 250, 750)
    ledger.add("fee", "zv", "zh", MAX_LEDGER_CENTS - 1257)  # exactly at the limit
    with pytest.raises(MoneyOverflow):
        ledger.add("fee", "zh", "zv", 1)


def test_a_command_that_pauses_the_collector_switches_it_on_again(monkeypatch):
    """`compare` pauses the cyclic collector for its one pass (`emit.one_pass`); a program
    that runs the CLI in-process (a test) gets it back when the command ends."""
    import gc

    from typer.testing import CliRunner

    import bekostiging.cli.compare as compare_cli
    from bekostiging.cli import app

    assert gc.isenabled()
    paused = []
    real = compare_cli.emit

    def spy(*args, **kwargs):
        paused.append(not gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(compare_cli, "emit", spy)
    result = CliRunner().invoke(app, ["compare", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert paused == [True]
    assert gc.isenabled()


def test_the_console_script_leaves_the_paused_collector_off_for_its_exit(monkeypatch, capsysbinary):
    """`bekostiging.cli.main` is a process that ends with its command: switched on again,
    the collector would walk the whole heap once more while the interpreter shuts down."""
    import gc
    import sys

    from bekostiging import cli

    monkeypatch.setattr(sys, "argv", ["bekostiging", "compare", "-f", "json"])
    assert gc.isenabled()
    try:
        with pytest.raises(SystemExit) as done:
            cli.main()
        assert done.value.code in (0, None)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert b'"schema_version"' in capsysbinary.readouterr().out
