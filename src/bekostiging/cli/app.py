"""The Typer application and its root options (the commands are registered in `cli/__init__`)."""

from __future__ import annotations

import gc
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from bekostiging.cli import light_help
from bekostiging.printable import printable_lines
from bekostiging.version import __version__

# click's exceptions, wherever this typer keeps click (its own copy since typer 0.2x)
_CLICK = {base.__name__: base for base in typer.BadParameter.__mro__}
_UsageError, _ClickException = _CLICK["UsageError"], _CLICK["ClickException"]


class _Group(TyperGroup):
    """The root command, whose wrong use is reported like every other error: on stderr as
    `error: <message>` (CLI.md), after click's usage line, not in a box titled `Error`."""

    def main(
        self, *args: Any, standalone_mode: bool = True, restore_collector: bool = True, **extra: Any
    ) -> Any:
        """`restore_collector`: switch the cyclic garbage collector on again if a command
        paused it (`emit.one_pass`), for a program that goes on (a test); the console
        script, whose process ends with the command, leaves it off (`cli.main`)."""
        collecting = gc.isenabled()
        try:
            return self._main(*args, standalone_mode=standalone_mode, **extra)
        finally:
            if collecting and restore_collector:
                gc.enable()

    def _main(self, *args: Any, standalone_mode: bool = True, **extra: Any) -> Any:
        from bekostiging.cli.stdout import guard

        guard()  # a stdout that cannot show every character shows the nearest, no traceback
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **extra)
        try:
            code = super().main(*args, standalone_mode=False, **extra)
        except _UsageError as exc:
            if exc.ctx is not None:
                help_option = max(exc.ctx.command.get_help_option_names(exc.ctx), key=len)
                typer.echo(exc.ctx.get_usage(), err=True)
                typer.echo(f"Try '{exc.ctx.command_path} {help_option}' for help.", err=True)
            typer.echo(f"error: {printable_lines(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except _ClickException as exc:
            typer.echo(f"error: {printable_lines(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


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
light_help.install()  # the help's rich, without markdown-it and pygments

app = typer.Typer(
    cls=_Group,
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
