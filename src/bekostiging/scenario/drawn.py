"""Draws as an overlay on a validated scenario (HORIZON.md §2).

A simulation computes a block of draws at once (`bekostiging.lanes`): a drawn input is
`Lanes` in the scenario's data, one value per draw. Pydantic validates numbers, never
lanes. So `validate` splits such data in two: the scenario with single numbers, which
pydantic validates, and the overlay, where in the data each drawn value stands and its
lanes. The scenario is validated twice, once with every drawn input at its smallest draw
and once at its largest. Every rule on a single number is a bound (non-negative, a
fraction in [0, 1], at most 10^12, `reinvest` > 0 needs a network), so it holds for
every draw when it holds for the smallest and the largest. Of the rules on several
numbers, a co-payment within its tariff is checked draw by draw, and a share table
adding up to 1 holds at both extremes only when the drawn share is the same in every
draw (then it holds in all). A draw that breaks a rule is reported as `LaneProblem`,
naming the draw, as the one-draw-at-a-time evaluation would.

The overlay is then applied in one step, `with_draws`: the engine's view, the validated
models with the lanes at their places, built without validation (`model_copy`). The
engine reads its inputs as model attributes (`act.tariff`, `m.sharing_rate`), so this
view lets every mechanism run unchanged on draws; the number fields of the models are
typed `Amount` (`Decimal | Lanes`) for that reason (`scenario.model`).

Only code that runs inside `active()` looks for lanes, so ordinary runs pay nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any, TypeAlias

from pydantic import BaseModel, ValidationError

from bekostiging.lanes import Lanes
from bekostiging.scenario.model import Scenario

_ACTIVE: ContextVar[bool] = ContextVar("lanes", default=False)

DataPath: TypeAlias = tuple[str | int, ...]  # keys into the data (aliases such as "from")
Overlay: TypeAlias = dict[DataPath, Lanes]  # where a drawn value stands -> its value per draw


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


def lanes_possible() -> bool:
    """Whether data validated now may hold lanes (inside `active`)."""
    return _ACTIVE.get()


def validate(data: dict[str, Any]) -> Scenario:
    """`Scenario.model_validate` (derived data: context source=False); with lanes in the
    data (only when active) the engine's view: validated, then the overlay applied.

    Raises `ValidationError` for data without lanes, and `LaneProblem` for a draw that
    breaks a rule.
    """
    overlay = overlay_of(data) if _ACTIVE.get() else {}
    if not overlay:
        return Scenario.model_validate(data, context={"source": False})
    model = _validate_extremes(data, overlay)
    _check_copays(data, overlay)
    return with_draws(model, overlay)


def overlay_of(data: dict[str, Any]) -> Overlay:
    """Every drawn value in the data, by where it stands."""
    found: Overlay = {}

    def walk(node: Any, at: DataPath) -> None:
        if isinstance(node, Lanes):
            found[at] = node
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*at, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*at, i))

    walk(data, ())
    return found


def with_draws(model: Scenario, overlay: Overlay) -> Scenario:
    """The engine's view: a validated scenario with the overlay's lanes at their places.

    Built with `model_copy(update=...)`, which validates nothing: the single numbers
    around the lanes were validated, and every draw of the lanes was checked
    (`validate`). The result's number fields hold `Lanes` where the overlay says.
    """
    for path, lanes in overlay.items():
        model = _placed(model, path, lanes)
    return model


def _validate_extremes(data: dict[str, Any], overlay: Overlay) -> Scenario:
    """The scalar scenario, validated at the smallest and at the largest draws; the data
    is left as it was."""
    try:
        for extreme in (_smallest, _largest):
            for path, lanes in overlay.items():
                _place(data, path, extreme(lanes))
            try:
                model = Scenario.model_validate(data, context={"source": False})
            except ValidationError as exc:
                raise _problem(exc, overlay, extreme) from None
    finally:
        for path, lanes in overlay.items():
            _place(data, path, lanes)
    return model


def _smallest(lanes: Lanes) -> Decimal:
    return lanes.min()


def _largest(lanes: Lanes) -> Decimal:
    return lanes.max()


def _place(data: Any, path: DataPath, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _problem(exc: ValidationError, overlay: Overlay, extreme: Callable[[Lanes], Decimal]) -> LaneProblem:
    """The first error, at the draw whose value of the nearest drawn input is the extreme."""
    error = exc.errors()[0]
    where = tuple(error["loc"])
    # The drawn input the error is about: the one sharing the longest prefix with its place.
    _, lanes = max(overlay.items(), key=lambda leaf: _common(leaf[0], where))
    lane = (lanes == extreme(lanes)).first()
    shown = ".".join(str(k) for k in where if not isinstance(k, int) or k < 10**6)
    return LaneProblem(lane, shown, error["msg"])


def _common(a: tuple, b: tuple) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if str(x) != str(y):
            break
        n += 1
    return n


def _check_copays(data: dict[str, Any], overlay: Overlay) -> None:
    activities = {path[1] for path in overlay if path[0] == "activities" and len(path) == 3}
    for name in sorted(activities):
        activity = data["activities"][name]
        tariff, copay = activity.get("tariff"), activity.get("copay", 0)
        above = copay > tariff  # lanes: a drawn copay or tariff (one number each was validated)
        if isinstance(above, Lanes) and above.any():
            lane = above.first()
            raise LaneProblem(
                lane,
                f"activities.{name}.copay",
                f"copay {_at(copay, lane)} is above the tariff {_at(tariff, lane)}: the tariff is the full "
                "price, co-payment included",
            )


def _at(value: Any, lane: int) -> Any:
    return value[lane] if isinstance(value, Lanes) else value


def _placed(model: Any, path: DataPath, value: Lanes) -> Any:
    """A copy of `model` with `value` at `path` (data keys, aliases included), unvalidated."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(model, BaseModel):
        name = _field_name(type(model), str(head))
        return model.model_copy(update={name: _placed(getattr(model, name), rest, value)})
    if isinstance(model, dict):
        return {**model, head: _placed(model[head], rest, value)}
    if isinstance(model, list | tuple):
        items = list(model)
        items[int(head)] = _placed(items[int(head)], rest, value)
        return type(model)(items)
    raise TypeError(f"cannot place a drawn value at {head!r} in {type(model).__name__}")


def _field_name(model: type[BaseModel], key: str) -> str:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return name
    raise KeyError(key)
