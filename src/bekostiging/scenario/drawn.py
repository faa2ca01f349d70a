"""A scenario whose drawn inputs are lanes: one value per draw (HORIZON.md §2).

A simulation computes all its draws at once (`bekostiging.lanes`), so a drawn input is
an array in the scenario's data. Pydantic validates numbers, not arrays of them, so such
data is validated as ordinary scenarios: once with every array at its smallest draw and
once at its largest. The lanes are then put back into the validated model at their
places. Every rule on a single number is a bound (non-negative, a fraction in [0, 1], at
most 10^12, `reinvest` > 0 needs a network), so it holds for every draw when it holds
for the smallest and the largest. Of the rules on several numbers, a co-payment within
its tariff is checked draw by draw, and a share table adding up to 1 holds at both
extremes only when the drawn share is the same in every draw (then it holds in all). A
draw that breaks a rule is reported as `LaneProblem`, naming the draw, as the
one-draw-at-a-time evaluation would.

Only code that runs inside `active()` looks for lanes, so ordinary runs pay nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pydantic import BaseModel, ValidationError

from bekostiging.scenario.model import Scenario

_ACTIVE: ContextVar[bool] = ContextVar("lanes", default=False)


class LaneProblem(ValueError):
    """Draw `lane` (0-based, within the computed lanes) makes an input invalid."""

    def __init__(self, lane: int, path: str, message: str):
        self.lane, self.path, self.message = lane, path, message
        super().__init__(f"draw {lane + 1}: {path}: {message}")

    def within(self, context: str) -> LaneProblem:
        """The same problem, its message preceded by where it arose (`in 2027`, ...)."""
        return LaneProblem(self.lane, self.path, f"{context}: {self.message}")


@contextmanager
def active() -> Iterator[None]:
    """Data validated inside this block may hold lanes."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def validate(data: dict[str, Any]) -> Scenario:
    """`Scenario.model_validate` (derived data: context source=False), lanes allowed when active.

    Raises `ValidationError` for data without lanes, and `LaneProblem` for a draw that
    breaks a rule.
    """
    leaves = list(lane_leaves(data)) if _ACTIVE.get() else []
    if not leaves:
        return Scenario.model_validate(data, context={"source": False})
    for extreme in (_smallest, _largest):
        for path, lanes in leaves:
            _place(data, path, extreme(lanes))
        try:
            model = Scenario.model_validate(data, context={"source": False})
        except ValidationError as exc:
            _restore(data, leaves)
            raise _problem(exc, data, leaves, extreme) from None
    _restore(data, leaves)
    _check_copays(data, leaves)
    for path, lanes in leaves:
        model = _inject(model, path, lanes)
    return model


def lane_leaves(node: Any, at: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, lanes) of every array in the data."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from lane_leaves(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from lane_leaves(v, (*at, i))
    elif hasattr(node, "dtype"):
        yield at, node


def _smallest(lanes: Any) -> Any:
    return lanes.min()


def _largest(lanes: Any) -> Any:
    return lanes.max()


def _place(data: Any, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _restore(data: dict[str, Any], leaves: list[tuple[tuple, Any]]) -> None:
    for path, lanes in leaves:
        _place(data, path, lanes)


def _problem(exc: ValidationError, data: dict[str, Any], leaves: list, extreme) -> LaneProblem:
    """The first error, at the draw whose value of the nearest drawn input is the extreme."""
    error = exc.errors()[0]
    where = tuple(error["loc"])
    # The drawn input the error is about: the one sharing the longest prefix with its place.
    _, lanes = max(leaves, key=lambda leaf: _common(leaf[0], where))
    target = extreme(lanes)
    lane = next(i for i, v in enumerate(lanes) if v == target)
    shown = ".".join(str(k) for k in where if not isinstance(k, int) or k < 10**6)
    return LaneProblem(lane, shown, error["msg"])


def _common(a: tuple, b: tuple) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if str(x) != str(y):
            break
        n += 1
    return n


def _check_copays(data: dict[str, Any], leaves: list[tuple[tuple, Any]]) -> None:
    import numpy as np

    activities = {path[1] for path, _ in leaves if path[0] == "activities" and len(path) == 3}
    for name in sorted(activities):
        activity = data["activities"][name]
        tariff, copay = activity.get("tariff"), activity.get("copay", 0)
        above = np.asarray(np.greater(copay, tariff))
        if above.any():
            lane = int(np.flatnonzero(above)[0]) if above.ndim else 0
            raise LaneProblem(
                lane,
                f"activities.{name}.copay",
                f"copay {_at(copay, lane)} is above the tariff {_at(tariff, lane)}: the tariff is the full "
                "price, co-payment included",
            )


def _at(value: Any, lane: int) -> Any:
    return value[lane] if hasattr(value, "dtype") else value


def _inject(model: Any, path: tuple, value: Any) -> Any:
    """A copy of the validated model with `value` at `path` (data keys, aliases included)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(model, BaseModel):
        name = _field_name(type(model), str(head))
        return model.model_copy(update={name: _inject(getattr(model, name), rest, value)})
    if isinstance(model, dict):
        return {**model, head: _inject(model[head], rest, value)}
    if isinstance(model, list | tuple):
        items = list(model)
        items[int(head)] = _inject(items[int(head)], rest, value)
        return type(model)(items)
    raise TypeError(f"cannot place a drawn value at {head!r} in {type(model).__name__}")


def _field_name(model: type[BaseModel], key: str) -> str:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return name
    raise KeyError(key)
