"""`examples`, `init` and `schema`: getting started."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from bekostiging.cli.emit import say, write


def examples() -> None:
    """List the embedded examples, one line each."""
    from bekostiging.starter import list_examples

    for name, description in list_examples():
        typer.echo(f"{name:28s} {description}")


def init(
    directory: Annotated[
        Path, typer.Argument(help="Folder to write the example into (its scenario.toml, includes beside it).")
    ] = Path("."),
    example: Annotated[
        str | None, typer.Option("--example", "-e", help="Which example (see `examples`).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that exist.")] = False,
) -> None:
    """Write an example to start from: DIR/scenario.toml, the files it includes beside it."""
    from bekostiging import examples as embedded
    from bekostiging.starter import StarterError, init_example

    try:
        written = init_example(directory, example or embedded.DEFAULT, force=force)
    except StarterError as exc:
        say(f"error: {exc}")
        raise typer.Exit(1) from None
    from bekostiging.printable import printable

    for path in written:
        typer.echo(f"wrote {printable(str(path))}")
    # A one-file example is `DIR/scenario.toml`, which commands run when given no scenario;
    # a folder example is its folder of regions.
    folder = embedded.path_of(example or embedded.DEFAULT).is_dir()
    run = [
        "bekostiging",
        "compare",
        *([written[0].parent.relative_to(directory).as_posix()] if folder else []),
    ]
    cd = [] if directory == Path(".") else [f"cd {shlex.quote(str(directory))}"]
    typer.echo(printable("next: " + " && ".join([*cd, " ".join(run)])))


def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")
    ] = None,
) -> None:
    """The JSON Schema of the scenario format (for `#:schema` in editors)."""
    from bekostiging.starter import json_schema

    write(json_schema(), output, [])
