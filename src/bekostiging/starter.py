"""Getting started: list the embedded examples, copy one out, and the scenario's JSON Schema.

The helpers behind `bekostiging examples`, `bekostiging init` and `bekostiging schema`
(CLI.md). They only read the embedded examples and write where they are told; the CLI
turns a `StarterError` into an `error: ...` line and exit code 1.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from bekostiging import examples, fields
from bekostiging.examples import DEFAULT
from bekostiging.findings import did_you_mean
from bekostiging.output import write_atomic
from bekostiging.scenario import model
from bekostiging.scenario.toml_files import PROJECT_FILE, load_tree, read_toml

README = "README.md"
MARKER_TEXT = (
    "# This folder is a bekostiging project: a scenario file below it may include any .toml\n"
    '# file below it (SECURITY.md, "What a scenario file can do").\n'
)
MAX_DESCRIPTION = 100
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class StarterError(Exception):
    """A request the starter helpers cannot fulfil; the message is meant for the user."""


# ---------------------------------------------------------------- examples


def list_examples() -> list[tuple[str, str]]:
    """Every embedded example as (name, one-line description), sorted by name.

    The description is the example's `[scenario] name` and the first line (heading) of
    its README.md, at most 100 characters.
    """
    return [(name, _describe(name)) for name in examples.names()]


def _describe(name: str) -> str:
    path = examples.path_of(name)
    meta = load_tree(path).data.get("scenario")
    title = meta.get("name") if isinstance(meta, dict) else None
    parts = [title.strip()] if isinstance(title, str) and title.strip() else []
    heading = _first_line(path.parent / README)
    if heading and heading not in parts:
        parts.append(heading)
    return _one_line(" — ".join(parts) or name)


def _first_line(readme: Path) -> str:
    if not readme.is_file():
        return ""
    for line in readme.read_text(encoding="utf-8").splitlines():
        text = line.strip().lstrip("#").strip()
        if text:
            return text
    return ""


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1].rstrip() + "…"


def init_example(target_dir: Path, name: str = DEFAULT, force: bool = False) -> list[Path]:
    """Copy an embedded example and every file it includes into `target_dir`, ready to edit.

    The example's folder becomes `target_dir`: for a one-file example `scenario.toml`, for
    a folder example its regions' folder and totals file. The shared files it includes
    (from `configs/`) go beside them, keeping their folders (`tarieven/...`), and every
    include is rewritten to point there, so `cd target_dir && bekostiging compare` runs
    the copy. The README comes along; a generator script does not (it writes the layout
    of the repository). Existing files are overwritten only with `force`; otherwise
    nothing is written and the error lists every file in the way. Returns the written
    paths: the scenario files first, the README last.
    """
    known = examples.names()
    if name not in known:
        listing = ", ".join(known) if known else "(none installed)"
        raise StarterError(
            f"unknown example '{name}'{did_you_mean(name, known)}; the examples are: {listing}"
        )

    from bekostiging.api import scenario_files

    folder = examples.folder_of(name).resolve()
    sources: dict[Path, list[tuple[str, Path]]] = {}  # every TOML file (resolved) -> its includes
    mains = [main.resolve() for main in scenario_files([examples.path_of(name)])]
    for main in mains:
        tree = load_tree(main)
        if tree.findings:  # pragma: no cover - the embedded examples are tested to load cleanly
            problems = "; ".join(
                f"{f.file}: {f.path}: {f.message}" if f.path else f.message for f in tree.findings
            )
            raise StarterError(f"example '{name}' cannot be read: {problems}")
        for path in tree.files:
            sources.setdefault(path, _includes(path))
    for path in sorted(folder.rglob("*.toml")):  # a totals file, ...
        sources.setdefault(path.resolve(), [])
    readme = folder / README

    targets = {source: target_dir / _place(source, folder) for source in sources}
    if len(set(targets.values())) != len(targets):  # pragma: no cover - a layout the examples do not have
        raise StarterError(f"example '{name}' has two files that would be written to one place")
    texts = {source: _rewritten(source, includes, targets) for source, includes in sources.items()}
    order = mains + [s for s in sources if s not in mains]
    plan = [(targets[s], texts[s]) for s in order]
    if _leaves_its_folder(sources, targets):  # regions that include the tables above them
        plan.append((target_dir / PROJECT_FILE, MARKER_TEXT.encode("utf-8")))
    if readme.is_file():
        plan.append((target_dir / README, readme.read_bytes()))

    if target_dir.exists() and not target_dir.is_dir():
        raise StarterError(f"{target_dir} exists and is not a folder")
    blocked = [t for t, _ in plan if t.is_dir()]
    if blocked:
        raise StarterError("cannot write files where folders are: " + ", ".join(map(str, blocked)))
    existing = [t for t, _ in plan if t.exists() or t.is_symlink()]
    if existing and not force:
        lines = "\n".join(f"  {t}" for t in existing)
        raise StarterError(f"refusing to overwrite existing files (--force overwrites them):\n{lines}")

    written: list[Path] = []
    for target, data in plan:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        except OSError as exc:
            raise StarterError(f"cannot write {target}: {exc.strerror or exc}") from exc
        written.append(target)
    return written


def _place(source: Path, folder: Path) -> Path:
    """Where an example's file goes, relative to the target folder: the example's own
    files as they are in its folder, a shared file as it is under `configs/`."""
    root = examples.data_root().resolve()
    for base in (folder, root / "configs", root):
        if source.is_relative_to(base):
            return source.relative_to(base)
    raise StarterError(f"{source} is not a file of the examples")  # pragma: no cover


def _leaves_its_folder(sources: dict[Path, list[tuple[str, Path]]], targets: dict[Path, Path]) -> bool:
    """Whether a written file includes one outside its own folder: then the target folder
    is marked as the project, so that its includes stay inside the project (SECURITY.md)."""
    return any(
        not targets[included].is_relative_to(targets[source].parent)
        for source, includes in sources.items()
        for _, included in includes
    )


def _includes(path: Path) -> list[tuple[str, Path]]:
    """The files `path` includes: each as written, and resolved."""
    data, _ = read_toml(path, str(path))
    meta = data.get("scenario") if data is not None else None
    entries = meta.get("include", []) if isinstance(meta, dict) else []
    return [(entry, (path.parent / entry).resolve()) for entry in entries]


def _rewritten(source: Path, includes: list[tuple[str, Path]], targets: dict[Path, Path]) -> bytes:
    """The file's bytes, with each include pointing to where its file is written."""
    raw = source.read_bytes()
    if not includes:
        return raw
    text = raw.decode("utf-8")
    for entry, included in includes:
        new = os.path.relpath(targets[included], targets[source].parent).replace(os.sep, "/")
        text = text.replace(f'"{entry}"', f'"{new}"').replace(f"'{entry}'", f"'{new}'")
    return text.encode("utf-8")


# ---------------------------------------------------------------- JSON Schema

SCHEMA_TITLE = "bekostiging scenario"
SCHEMA_DESCRIPTION = (
    "A bekostiging scenario file (TOML): one region's care system for one year, with the "
    "funding variants to compare. A file pulled in through `scenario.include` (a shared tariff "
    "table) uses the same format and needs no [scenario] table of its own, so nothing is "
    "required at this level; `bekostiging validate` checks the merged whole. Money is in euros "
    "with at most 2 decimals."
)

# Short descriptions for the top-level tables, added where the model gives none.
TABLE_DESCRIPTIONS = {
    "scenario": "The scenario itself: name and baseline variant (required in the main file), year, the "
    "party that pays co-payments, the default payer and the files to include.",
    "parties": "The parties by id, each a payer, provider, client or network.",
    "activities": "The activities (prestaties) by id: provider, payer, tariff, co-payment and cost price.",
    "profiles": "Client profiles by id: number of clients per year and their care path "
    "(activity id = expected units per client).",
    "availability": "The 7x24 availability functions by id: the party that bears the cost, "
    "and its annual cost.",
    "variants": "The funding variants to compare, by id: effects on the inputs and funding mechanisms.",
    "whatif": "What-ifs by id: outside changes (effects) applied to every variant, baseline included.",
    "expect": "Policy checks on the results, evaluated by `bekostiging check`.",
    "horizon": "Several years: growth, indexation, adoption and ramp-up of the variants, one-off "
    "investments, a discount rate for net present values.",
    "uncertainty": "Distributions on inputs (by dotted path) for `simulate` and `sensitivity`.",
}


class _ScenarioJsonSchema(GenerateJsonSchema):
    """pydantic's generator, adjusted to the way the scenario's numbers are actually read.

    Every number field is `Annotated[Decimal, BeforeValidator(_number), ...]`. pydantic
    describes the inner `Decimal`, which in validation mode it renders as
    `anyOf: [number, string]` (a Decimal accepts numeric strings in lax JSON input). Our
    `_number` validator runs first and accepts only TOML integers and decimals, never a
    string, so an editor must be told `number`. Doing this in `decimal_schema` rather than
    by rewriting `anyOf`s afterwards is exact: a field whose union also has a real string
    arm (`price = "budget_neutral"`, `distribution = "tariffs"`) keeps that arm, where
    after generation the two strings are indistinguishable. Defaults that are Decimals
    (pydantic writes them as strings, `"0"`) are written as numbers for the same reason.

    The range checks are `AfterValidator`s, invisible to pydantic; the two standard ones
    (`non_negative`, `Range` and `AtLeast`) are turned into `minimum`/`maximum` here.
    """

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        return {"type": "number"}

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, Decimal):
            return int(dft) if dft == dft.to_integral_value() else float(dft)
        return super().encode_default(dft)

    def function_after_schema(self, schema: core_schema.AfterValidatorFunctionSchema) -> JsonSchemaValue:
        json_schema = self.generate_inner(schema["schema"])
        if json_schema.get("type") == "number":
            json_schema = {**json_schema, **_bounds(schema["function"]["function"])}
        return json_schema


def _bounds(check: Any) -> dict[str, Any]:
    """`minimum`/`maximum` for the model's range validators; {} for any other validator."""
    if check is fields.non_negative:
        return {"minimum": 0}
    if isinstance(check, fields.Range):
        upper = "exclusiveMaximum" if check.high_open else "maximum"
        return {"minimum": _plain(Decimal(check.low)), upper: _plain(Decimal(check.high))}
    if isinstance(check, fields.AtLeast):
        return {"minimum": _plain(Decimal(check.low))}
    return {}


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


SPLITTABLE = (
    "ScenarioMeta",
    "Party",
    "Activity",
    "Profile",
    "AvailabilityFunction",
    "Variant",
    "WhatIf",
    "Horizon",
)


def schema_dict() -> dict[str, Any]:
    """The JSON Schema of the scenario format as a dict (see `json_schema`)."""
    generated = model.Scenario.model_json_schema(
        by_alias=True, mode="validation", schema_generator=_ScenarioJsonSchema
    )
    generated.pop("required", None)  # see SCHEMA_DESCRIPTION: an included file has no [scenario]
    definitions = generated.get("$defs", {})
    mechanism_models = _mechanism_models()
    _close_id_tables(generated)
    # A named entry's keys may be spread over a shared file and the file that includes it
    # (a function's `party` in one, its regional `annual_cost` in the other), so no key of a
    # named entry is required per file; `bekostiging validate` checks the merged whole.
    # Mechanisms, effects and other list items are whole in one file and keep theirs.
    for name in SPLITTABLE:
        definitions.get(name, {}).pop("required", None)
    for name, definition in definitions.items():
        if name in DATED or name in mechanism_models:
            definition["properties"] = {
                key: value if key == "ramp" else _by_year(value)
                for key, value in definition.get("properties", {}).items()
            }
    meta = definitions.get("ScenarioMeta", {}).get("properties", {})
    if "market_shares" in meta:
        meta["market_shares"] = _by_year(meta["market_shares"])
    _describe_fields(definitions)
    for table, text in TABLE_DESCRIPTIONS.items():
        prop = generated.get("properties", {}).get(table)
        if prop is not None and "description" not in prop:
            prop["description"] = text
    head = {"$schema": SCHEMA_DIALECT, "title": SCHEMA_TITLE, "description": SCHEMA_DESCRIPTION}
    rest = {k: v for k, v in generated.items() if k not in (*head, "$defs")}
    return {**head, **rest, "$defs": definitions}


def _describe_fields(definitions: dict[str, Any]) -> None:
    """Each key's one line (`scenario.descriptions`), for an editor's hover and completion."""
    from bekostiging.scenario.descriptions import describe_field

    for name, definition in definitions.items():
        for key, prop in definition.get("properties", {}).items():
            text = describe_field(name, key)
            if text is not None and "description" not in prop:
                prop["description"] = text


# Under [horizon] every number of these may be a table by year (CONTRACTS.md E); validation
# resolves the tables before the models see them, so the schema says so itself.
DATED = (
    "Party",
    "Profile",
    "AvailabilityFunction",
    "SetEffect",
    "ScaleEffect",
    "ShiftEffect",
    "MoveClientsEffect",
    "RefillEffect",
    "Band",
    "Corridor",
)
YEAR_KEY = "^[0-9]{4}$"


def _mechanism_models() -> frozenset[str]:
    from bekostiging.mechanisms import MECHANISMS

    return frozenset(spec.model.__name__ for spec in MECHANISMS if spec.model is not None)


def _by_year(node: Any) -> Any:
    """Every `number` in `node` may also be written as a table by year (`{2025 = 1.0}`)."""
    if isinstance(node, dict):
        if node.get("type") == "number":
            return {"anyOf": [node, _year_table(node)]}
        if "anyOf" in node:  # one flat list of arms: `price` stays number | table | string
            arms: list[Any] = []
            for arm in node["anyOf"]:
                is_number = isinstance(arm, dict) and arm.get("type") == "number"
                arms += [arm, _year_table(arm)] if is_number else [_by_year(arm)]
            return {**node, "anyOf": arms}
        return {key: _by_year(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_by_year(value) for value in node]
    return node


def _year_table(number: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "patternProperties": {YEAR_KEY: number}, "additionalProperties": False}


def _close_id_tables(node: Any) -> None:
    """Tables keyed by id (`dict[Id, ...]`) become `patternProperties`; pydantic leaves keys that
    do not match the id pattern allowed. Close them, as validation does."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_id_tables(value)
    elif isinstance(node, list):
        for value in node:
            _close_id_tables(value)


def json_schema() -> str:
    """The JSON Schema (draft 2020-12) of the scenario format, for `#:schema` in editors.

    Deterministic: the same text on every call (pydantic emits keys in a fixed order).
    """
    return json.dumps(schema_dict(), indent=2, ensure_ascii=False) + "\n"
