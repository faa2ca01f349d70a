"""`examples`, `init` and `schema`: getting started."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bekostiging.cli.emit import write


def examples() -> None:
    """List the embedded examples, one line each."""
    from bekostiging.starter import list_examples

    for name, description in list_examples():
        typer.echo(f"{name:28s} {description}")


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to write the example into.")] = Path("."),
    example: Annotated[
        str | None, typer.Option("--example", "-e", help="Which example (see `examples`).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that exist.")] = False,
) -> None:
    """Write an example scenario (and the files it includes) to start from."""
    from bekostiging import examples as embedded
    from bekostiging.starter import StarterError, init_example

    try:
        written = init_example(directory, example or embedded.DEFAULT, force=force)
    except StarterError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for path in written:
        typer.echo(f"wrote {path}")
    start = written[0].parent if embedded.path_of(example or embedded.DEFAULT).is_dir() else written[0]
    typer.echo(f"next: bekostiging compare {start}")


def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")
    ] = None,
) -> None:
    """The JSON Schema of the scenario format (for `#:schema` in editors)."""
    from bekostiging.starter import json_schema

    write(json_schema(), output, [])
