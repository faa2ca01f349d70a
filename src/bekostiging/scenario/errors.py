"""Pydantic's validation errors as findings: a clean dotted path, a message a user reads.

Pydantic names union members and discriminators in its error locations
("function-after[...]", "bundle"); a user wrote neither, so they are dropped. Unknown
keys get a "did you mean" from the keys the model allows at that place.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from bekostiging.fields import ID_RULE
from bekostiging.findings import Finding, did_you_mean
from bekostiging.scenario.toml_files import SourceTree

# Pydantic names union members in error locations ("list[str]", "function-after[...]"):
# those segments mean nothing to a user and are dropped from the dotted path.
_UNION_TAG = re.compile(r"^(str|int|float|bool|decimal|none|constrained-[a-z]+|[a-z-]+\[.*\])$")


def pydantic_findings(
    exc: ValidationError,
    model: type[BaseModel],
    raw: Any,
    at: tuple,
    tree: SourceTree | None = None,
) -> list[Finding]:
    """Translate pydantic's errors into findings with clean dotted paths and hints."""
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(seg for seg in error["loc"] if not _is_union_tag(seg))
        loc = _drop_discriminators(loc, raw)
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, str(error.get("ctx", {}).get("discriminator", "type")).strip("'"))
        path = (*at, *loc)
        message = _message(error, model, raw, loc)
        file = tree.file_of(path) if tree else ""
        out.append(Finding(file, ".".join(map(str, path)), message))
    return out


def _is_union_tag(seg: Any) -> bool:
    return isinstance(seg, str) and bool(_UNION_TAG.fullmatch(seg))


def _drop_discriminators(loc: tuple, raw: Any) -> tuple:
    """Remove the tag pydantic inserts after a list index of a tagged union."""
    out: list[Any] = []
    node = raw
    i = 0
    while i < len(loc):
        seg = loc[i]
        out.append(seg)
        node = _child(node, seg)
        if (
            isinstance(node, dict)
            and i + 1 < len(loc)
            and loc[i + 1] in (node.get("type"), node.get("op"), node.get("dist"))
            and loc[i + 1] not in node
        ):
            i += 1  # skip the tag
        i += 1
    return tuple(out)


def _child(node: Any, seg: Any) -> Any:
    if isinstance(node, dict):
        return node.get(seg)
    if isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
        return node[seg]
    return None


def _message(error: dict, model: type[BaseModel], raw: Any, loc: tuple) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        allowed = allowed_keys(model, raw, loc[:-1])
        return f"unknown key '{name}'{did_you_mean(name, allowed)}" + (
            "" if did_you_mean(name, allowed) or not allowed else f" (allowed: {', '.join(allowed)})"
        )
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        tag = str(ctx.get("tag", ""))
        expected = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
        field = str(ctx.get("discriminator", "type")).strip("'")
        return f"unknown {field} '{tag}'{did_you_mean(tag, expected)} (one of: {', '.join(expected)})"
    if kind == "union_tag_not_found":
        field = str(error.get("ctx", {}).get("discriminator", "type")).strip("'")
        return f"needs a `{field}` key"
    if kind == "string_pattern_mismatch":
        return f"'{error.get('input')}' is not a valid id ({ID_RULE})"
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}, got {error.get('input')!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a table"
    if kind == "list_type":
        return "must be a list"
    if kind == "string_type":
        return "must be a text string"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind == "too_short":
        return "must not be empty"
    msg = str(error["msg"])
    return msg[len("Value error, ") :] if msg.startswith("Value error, ") else msg


def allowed_keys(model: type[BaseModel], raw: Any, loc: tuple) -> list[str]:
    """The keys a table at `loc` (inside a `model` entry) may have, for "did you mean"."""
    tp: Any = model
    node = raw
    for seg in loc:
        tp = _step(tp, seg, node)
        node = _child(node, seg)
        if tp is None:
            return []
    tp = _pick_member(tp, node)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return sorted(f.alias or name for name, f in tp.model_fields.items())
    return []


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _pick_member(tp: Any, node: Any) -> Any:
    tp = _unwrap(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = [_unwrap(m) for m in typing.get_args(tp)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if isinstance(node, dict):
            for m in models:
                for tag in ("type", "op", "dist"):
                    field = m.model_fields.get(tag)
                    if field and node.get(tag) in typing.get_args(field.annotation):
                        return m
        if len(models) == 1:
            return models[0]
        dicts = [m for m in members if typing.get_origin(m) is dict]
        return dicts[0] if dicts else tp
    return tp


def _step(tp: Any, seg: Any, node: Any) -> Any:
    tp = _pick_member(tp, node)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, f in tp.model_fields.items():
            if seg in (name, f.alias):
                return f.annotation
        return None
    origin = typing.get_origin(tp)
    if origin is dict:
        return typing.get_args(tp)[1]
    if origin is list:
        return typing.get_args(tp)[0]
    return None
