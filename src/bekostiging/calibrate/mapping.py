"""The mapping file: claim codes to scenario activities, and the rules that place clients.

The file is a pydantic model validated in one pass, so every problem is reported at once
as a `Finding`: the file, the key as the file writes it (`codes.E1`, `codes."E 1"`,
`profile[0].name`) and a message; an unknown key gets a "did you mean". Checks that read
two keys (a rule needs a condition, a code cannot be both mapped and ignored) run as soon
as the keys they read are valid, like the scenario's cross-reference checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bekostiging import fields
from bekostiging.calibrate.errors import CalibrationError
from bekostiging.fields import is_id
from bekostiging.findings import Finding, describe, unknown
from bekostiging.scenario.model import ID_RULE

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Errors about the table that holds the field whose validator raised them.
_OF_THE_TABLE = frozenset({"rule_without_condition"})


def _id(what: str) -> BeforeValidator:
    """A profile or activity id, by the scenario's id rule."""

    def check(value: Any) -> str:
        if is_id(value):
            return value
        raise PydanticCustomError(
            "not_an_id",
            "must {what} id ({rule}), got {got}",
            {"what": what, "rule": ID_RULE, "got": describe(value)},
        )

    return BeforeValidator(check)


def _number(*, zero_allowed: bool) -> BeforeValidator:
    """A TOML number (not a boolean) in range (finite, at most 10^12, `fields.number`) above
    zero, or at least zero."""

    def check(value: Any) -> Decimal:
        try:  # its size is checked on the exponent, before any arithmetic (`1e1000000`)
            number: Decimal | None = fields.number(value)
        except PydanticCustomError as exc:
            if exc.type not in ("not_a_number", "not_finite"):
                raise  # too large, too many decimals: that rule's message
            number = None
        if number is not None and (number > 0 or (zero_allowed and number == 0)):
            return number
        raise PydanticCustomError(
            "out_of_range",
            "must be a number {bound}, got {got}",
            {"bound": ">= 0" if zero_allowed else "> 0", "got": describe(value)},
        )

    return BeforeValidator(check)


def _shaped(test: Callable[[Any], bool], message: str) -> BeforeValidator:
    """A container of the right shape, or one message that says what the key holds."""

    def check(value: Any) -> Any:
        if test(value):
            return value
        raise PydanticCustomError("wrong_shape", message)

    return BeforeValidator(check)


def _is_code_list(value: Any) -> bool:
    """A TOML list of texts (or, from Python, any collection of them)."""
    collection = isinstance(value, list | tuple | set | frozenset)
    return collection and all(isinstance(c, str) and c.strip() for c in value)


def _not_blank(code: str) -> str:
    if not code.strip():
        raise PydanticCustomError("empty_code", "a claim code must not be empty")
    return code


def _shorthand(value: Any) -> Any:
    """`E1 = "zh_echo"` is `E1 = { activity = "zh_echo" }`."""
    return value if isinstance(value, dict | CodeTarget) else {"activity": value}


def _scenario_path(value: Any, info: ValidationInfo) -> Path:
    if not isinstance(value, str | Path) or not str(value).endswith(".toml"):
        raise PydanticCustomError(
            "not_a_scenario", "must be the path of a scenario .toml file, relative to the mapping file"
        )
    return Path((info.context or {}).get("base") or Path.cwd()) / value


def _choice(value: Any) -> Any:
    if value in ("report", "error"):
        return value
    raise PydanticCustomError("choice", 'must be "report" or "error", got {got}', {"got": describe(value)})


ClaimCode = Annotated[str, AfterValidator(_not_blank)]
CodeList = Annotated[tuple[str, ...], _shaped(_is_code_list, "must be a list of claim codes (texts)")]


class _Table(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CodeTarget(_Table):
    """What one claim code declares: `factor` scenario units of `activity` per claimed unit."""

    activity: Annotated[str, _id("name an activity")]
    factor: Annotated[Decimal, _number(zero_allowed=False)] = Decimal(1)  # a partial prestatie: 0.5


class ProfileRule(_Table):
    """`[[profile]]`: a client with a line of any of `any_code` and at least `min_units`
    units of each code there (both, when both are given) gets the profile `name`."""

    name: Annotated[str, _id("be a profile")]
    any_code: CodeList = ()
    min_units: Annotated[
        dict[str, Annotated[Decimal, _number(zero_allowed=True)]],
        _shaped(lambda v: isinstance(v, dict), "must be a table of claim code = minimum units"),
    ] = Field(default_factory=dict, validate_default=True)

    @field_validator("min_units")
    @classmethod
    def _needs_a_condition(cls, value: dict[str, Decimal], info: ValidationInfo) -> dict[str, Decimal]:
        if not value and not info.data.get("any_code"):
            raise PydanticCustomError(
                "rule_without_condition",
                "a rule needs any_code and/or min_units (use default_profile for everyone else)",
            )
        return value


class Mapping(_Table):
    """A validated mapping file (docs/calibrate.md, "The mapping file")."""

    scenario: Annotated[Path | None, BeforeValidator(_scenario_path)] = (
        None  # resolved against the file's folder
    )
    default_profile: Annotated[str | None, _id("be a profile")] = None
    unmapped: Annotated[Literal["report", "error"], BeforeValidator(_choice)] = "report"
    codes: Annotated[
        dict[ClaimCode, Annotated[CodeTarget, BeforeValidator(_shorthand)]],
        _shaped(lambda v: isinstance(v, dict), 'must be a table of claim code = "activity_id"'),
    ] = Field(default_factory=dict, validate_default=True)
    ignore: Annotated[frozenset[str], _shaped(_is_code_list, "must be a list of claim codes (texts)")] = (
        frozenset()
    )
    rules: Annotated[
        tuple[ProfileRule, ...],
        _shaped(
            lambda v: isinstance(v, list | tuple) and all(isinstance(r, dict | ProfileRule) for r in v),
            "must be an array of tables: [[profile]] name = ..., any_code = [...]",
        ),
    ] = Field((), alias="profile")
    _source: str = PrivateAttr("mapping")

    @field_validator("codes")
    @classmethod
    def _maps_something(cls, value: dict[str, CodeTarget]) -> dict[str, CodeTarget]:
        if not value:
            raise PydanticCustomError(
                "no_codes", "maps no claim code to an activity: nothing could be calibrated"
            )
        return value

    @field_validator("ignore")
    @classmethod
    def _not_mapped(cls, value: frozenset[str], info: ValidationInfo) -> frozenset[str]:
        both = sorted(value & set(info.data.get("codes", {})))
        if len(both) == 1:
            raise PydanticCustomError(
                "mapped_and_ignored",
                "code {code} is both mapped to an activity (codes) and ignored",
                {"code": repr(both[0])},
            )
        if both:
            raise PydanticCustomError(
                "mapped_and_ignored",
                "codes {codes} are both mapped to an activity (codes) and ignored",
                {"codes": ", ".join(map(repr, both))},
            )
        return value

    @model_validator(mode="after")
    def _remember_the_file(self, info: ValidationInfo) -> Mapping:
        self._source = (info.context or {}).get("source", "mapping")
        return self

    @property
    def source(self) -> str:
        """The mapping file as messages show it."""
        return self._source

    @property
    def marker_codes(self) -> frozenset[str]:
        """Codes the rules look at that are not activities (diagnosis codes and the like)."""
        used = {c for r in self.rules for c in (*r.any_code, *r.min_units)}
        return frozenset(used - set(self.codes))

    @property
    def profiles(self) -> list[str]:
        """Every profile the mapping can assign, in rule order, the default last."""
        names = [r.name for r in self.rules]
        if self.default_profile:
            names.append(self.default_profile)
        return list(dict.fromkeys(names))


def load_mapping(path: Path | str) -> Mapping:
    """Read and validate a mapping file; raise `CalibrationError` with every problem."""
    from bekostiging.scenario.toml_files import display, read_toml

    path = Path(path)
    shown = display(path)
    data, findings = read_toml(path, shown)
    if data is None:
        raise CalibrationError(findings)
    return parse_mapping(data, shown=shown, base=path.resolve().parent)


def parse_mapping(data: dict[str, Any], *, shown: str = "mapping", base: Path | None = None) -> Mapping:
    """Validate a parsed mapping (TOML read with `parse_float=Decimal`).

    `shown` names the file in messages; `base` is the folder `scenario` is relative to
    (default: the working directory).
    """
    try:
        return Mapping.model_validate(data, context={"source": shown, "base": base})
    except ValidationError as exc:
        raise CalibrationError(_findings(exc, data, shown)) from None


def check_mapping_against(mapping: Mapping, scenario: Any) -> list[Finding]:
    """Activities and profiles the mapping names must exist in the scenario."""
    problems = []
    for code, target in mapping.codes.items():
        if target.activity not in scenario.activities:
            problems.append(
                Finding(
                    mapping.source,
                    key_path(["codes", code]),
                    unknown("activity", target.activity, scenario.activities),
                )
            )
    for i, rule in enumerate(mapping.rules):
        if rule.name not in scenario.profiles:
            message = unknown("profile", rule.name, scenario.profiles)
            problems.append(Finding(mapping.source, key_path(["profile", i, "name"]), message))
    if mapping.default_profile and mapping.default_profile not in scenario.profiles:
        message = unknown("profile", mapping.default_profile, scenario.profiles)
        problems.append(Finding(mapping.source, "default_profile", message))
    return problems


def key_path(location: Iterable[str | int]) -> str:
    """A location as the mapping file writes it: `codes."E 1".factor`, `profile[0].name`."""
    out = ""
    for part in location:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
            out += f".{key}" if out else key
    return out


# ---------------------------------------------------------------- pydantic's errors as findings


def _findings(exc: ValidationError, data: dict[str, Any], shown: str) -> list[Finding]:
    out = []
    for error in _unknown_keys_first(exc.errors(include_url=False)):
        location = [part for part in error["loc"] if part != "[key]"]  # a bad key is at its own place
        if error["type"] in _OF_THE_TABLE:
            location = location[:-1]
        location = _as_written(location, data)
        if error["type"] == "extra_forbidden":
            message = unknown("key", str(location[-1]), _keys_of(location[:-1]))
        elif error["type"] == "missing":
            message = "required key is missing"
        else:
            message = error["msg"]
        out.append(Finding(shown, key_path(location), message))
    return out


def _unknown_keys_first(errors: list[Any]) -> list[Any]:
    """Pydantic lists a table's unknown keys after its fields: a typo reads better first.

    Otherwise the order stays pydantic's (the order of the fields, then of the entries).
    """
    first: dict[tuple, int] = {}
    for i, error in enumerate(errors):
        for depth in range(1, len(error["loc"]) + 1):
            first.setdefault(error["loc"][:depth], i)

    def order(error: Any) -> list[tuple[int, int]]:
        loc, extra = error["loc"], error["type"] == "extra_forbidden"
        return [(0 if extra and d == len(loc) else 1, first[loc[:d]]) for d in range(1, len(loc) + 1)]

    return sorted(errors, key=order)


def _as_written(location: list[Any], data: Any) -> list[Any]:
    """The location cut where the file has no deeper table: `E1 = "x"` has no `E1.activity`."""
    node = data
    for depth, part in enumerate(location):
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return location[:depth]
    return location


def _keys_of(table: list[Any]) -> list[str]:
    """The keys the table at `table` may have."""
    model: type[BaseModel] = Mapping
    if table:
        model = CodeTarget if table[0] == "codes" else ProfileRule
    return [field.alias or name for name, field in model.model_fields.items()]
