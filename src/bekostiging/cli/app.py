"""The Typer application and its root options (the commands are registered in `cli/__init__`)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from bekostiging.version import __version__


def _flags_take_no_value() -> None:
    """Show a flag in the help as a flag: `--force`, not `--force <bool>`.

    typer's rich help (0.29) gives every option a type column, flags included, which reads
    as if they took a value (and `--attribution true` then fails on 'true' as a scenario
    file). Its plain help shows none for a flag; the rich help is made to agree.
    """
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_take_no_value()

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
