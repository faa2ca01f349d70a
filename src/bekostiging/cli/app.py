"""The Typer application and its root options (the commands are registered in `cli/__init__`)."""

from __future__ import annotations

from typing import Annotated

import typer

from bekostiging.version import __version__

app = typer.Typer(
    name="bekostiging",
    help="Funding-model calculator for Dutch healthcare: what does each funding variant "
    "do to every party's money?",
    no_args_is_help=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bekostiging {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Compare funding variants for Dutch healthcare, per party, to the cent."""
