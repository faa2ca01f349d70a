"""The command line: parse options, call the API (`bekostiging.api`), emit, exit.

One module per command group; `options` holds the options they share and `emit` the
console, the output and the exit codes. Heavy imports (polars, pydantic models, rich
tables) happen inside the commands, so `bekostiging --help` stays fast.
"""

from __future__ import annotations

from bekostiging.cli import calibrate, check, compare, explain, report, starters, uncertainty
from bekostiging.cli import frontier as decisions_frontier
from bekostiging.cli.app import app

# The commands, in the order `--help` lists them.
for command in (
    compare.compare,
    check.validate,
    explain.explain,
    check.check,
    uncertainty.simulate,
    uncertainty.sensitivity,
    report.report,
    calibrate.calibrate,
    starters.examples,
    starters.init,
    starters.schema,
):
    app.command()(command)
del command
app.command(cls=decisions_frontier.Command)(decisions_frontier.frontier)


def main() -> None:
    app()


__all__ = ["app", "main"]
