"""Probability distributions of `[uncertainty]` (HORIZON.md §2), their validation and sampling.

The models validate what a user writes (numbers are `Decimal`, via the project's `Number`);
sampling uses only the standard library (`random`, `statistics.NormalDist`, `math`) so the
draws are the same wherever the tool runs:

- every parameter gets its own generator, `stream(seed, path)`, seeded from
  `sha256(f"{seed}:{path}")`: adding or removing a parameter never changes the draws of
  the others, and the same seed always gives the same draws;
- `Sampler(uncertainty, seed).take(n)` gives every parameter's next `n` draws, a block at a
  time;
- `draw_many(dist, rng, n)` returns `n` draws as `Decimal`s, each float converted with
  `Decimal(repr(x))` (its shortest representation) and kept inside `[low, high]`; a
  degenerate distribution (no spread) returns exactly its deterministic value;
- `swing_values(dist)` gives the two values a one-way sensitivity analysis sets the
  parameter to.
"""

from __future__ import annotations

import decimal
import hashlib
import math
import random
from decimal import Decimal
from statistics import NormalDist
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from bekostiging.fields import Number, Strict
from bekostiging.scenario.limits import MAX_DRAWS

# Decimal arithmetic for the distribution parameters (logarithms of the lognormal).
_CONTEXT = decimal.Context(prec=40, rounding=decimal.ROUND_HALF_EVEN)
_STANDARD = NormalDist()
_Z5 = _STANDARD.inv_cdf(0.05)  # -1.6448536269514722
_Z95 = _STANDARD.inv_cdf(0.95)
_SQRT2 = math.sqrt(2.0)


# ---------------------------------------------------------------- validation helpers


def _not_below(name: str, value: Decimal, other: str, bound: Decimal | None) -> None:
    if bound is not None and value < bound:
        raise PydanticCustomError(
            "order",
            "{name} {value} is below {other} {bound}",
            {"name": name, "value": str(value), "other": other, "bound": str(bound)},
        )


def _positive(name: str):
    def check(value: Decimal) -> Decimal:
        if value <= 0:
            raise PydanticCustomError(
                "not_positive", "{name} must be > 0, got {got}", {"name": name, "got": str(value)}
            )
        return value

    return AfterValidator(check)


def _non_negative_sd(value: Decimal) -> Decimal:
    if value < 0:
        raise PydanticCustomError("negative", "sd must be >= 0, got {got}", {"got": str(value)})
    return value


Sd = Annotated[Number, AfterValidator(_non_negative_sd)]


def _param_path(path: str) -> str:
    """A dotted path as in effects: segments are names or list indexes, `*` any of them."""
    segments = path.split(".")
    if any(not s or s != s.strip() or any(c.isspace() for c in s) for s in segments) or any(
        "*" in s and s != "*" for s in segments
    ):
        raise PydanticCustomError(
            "param_path",
            "'{path}' is not a dotted path (like profiles.diabetes.clients; `*` stands for a whole segment)",
            {"path": path},
        )
    return path


ParamPath = Annotated[str, AfterValidator(_param_path)]


# ---------------------------------------------------------------- the distributions


class Uniform(Strict):
    """Every value in `[low, high]` equally likely; sampled with `rng.uniform(low, high)`."""

    dist: Literal["uniform"]
    low: Number
    high: Number

    @field_validator("high")
    @classmethod
    def _order(cls, high: Decimal, info: ValidationInfo) -> Decimal:
        _not_below("high", high, "low", info.data.get("low"))
        return high


class _LowModeHigh(Strict):
    low: Number
    mode: Number
    high: Number

    @field_validator("mode")
    @classmethod
    def _mode_order(cls, mode: Decimal, info: ValidationInfo) -> Decimal:
        _not_below("mode", mode, "low", info.data.get("low"))
        return mode

    @field_validator("high")
    @classmethod
    def _high_order(cls, high: Decimal, info: ValidationInfo) -> Decimal:
        if "mode" in info.data:
            _not_below("high", high, "mode", info.data["mode"])
        else:
            _not_below("high", high, "low", info.data.get("low"))
        return high


class Triangular(_LowModeHigh):
    """The triangle on `[low, high]` peaking at `mode`; mean (low + mode + high) / 3.

    Sampled with `rng.triangular(low, high, mode)` (inverse CDF of one uniform draw).
    """

    dist: Literal["triangular"]


class Pert(_LowModeHigh):
    """The (modified) PERT distribution: a beta on `[low, high]` with mode `mode`.

    Shape α = 1 + 4 (mode − low) / (high − low), β = 1 + 4 (high − mode) / (high − low), so
    the mean is (low + 4 mode + high) / 6. Sampled as `low + (high − low) ·
    rng.betavariate(α, β)`.
    """

    dist: Literal["pert"]


class _Truncated(Strict):
    """A bell (normal or lognormal) given by `mean` and `sd`, optionally truncated to [low, high]."""

    mean: Number
    sd: Sd
    low: Number | None = None
    high: Number | None = None

    @field_validator("high")
    @classmethod
    def _order(cls, high: Decimal | None, info: ValidationInfo) -> Decimal | None:
        low = info.data.get("low")
        if high is not None and low is not None and high <= low:
            raise PydanticCustomError(
                "order",
                "high {high} must be above low {low} (they truncate the distribution)",
                {"high": str(high), "low": str(low)},
            )
        return high

    @model_validator(mode="after")
    def _mass(self) -> Any:
        if not _has_mass(self):
            kind = type(self).__name__.lower()  # normal, lognormal
            floor = "-inf" if kind == "normal" else "0"
            where = f"[{_show(self.low, floor)}, {_show(self.high, 'inf')}]"
            raise PydanticCustomError(
                "no_mass",
                "{dist}(mean {mean}, sd {sd}) has no probability in {where}: "
                "the truncation leaves nothing to draw",
                {"dist": kind, "mean": str(self.mean), "sd": str(self.sd), "where": where},
            )
        return self


class Normal(_Truncated):
    """The normal distribution with `mean` and `sd`, truncated to `[low, high]` where given.

    Sampled by inverse CDF: u uniform between F(low) and F(high), x = F⁻¹(u), with
    F⁻¹ = `statistics.NormalDist.inv_cdf`. F is evaluated with `math.erfc`, and an
    interval above the mean is sampled as the mirror image of one below it, so that
    truncations far into a tail stay accurate. sd = 0 is the fixed value `mean`.
    """

    dist: Literal["normal"]


class Lognormal(_Truncated):
    """A lognormal variable whose own mean and sd are `mean` and `sd` (not those of its log).

    On the log scale it is normal with σ² = ln(1 + sd²/mean²) and μ = ln(mean) − σ²/2; that
    normal is sampled as `Normal` is, truncated at ln(low) and ln(high), and exponentiated.
    Values are positive: `low` = 0 means no lower truncation. sd = 0 is the fixed value `mean`.
    """

    dist: Literal["lognormal"]
    mean: Annotated[Number, _positive("mean")]

    @field_validator("low")
    @classmethod
    def _low_not_negative(cls, low: Decimal | None) -> Decimal | None:
        if low is not None and low < 0:
            raise PydanticCustomError(
                "negative", "a lognormal is positive: low must be >= 0, got {got}", {"got": str(low)}
            )
        return low


class Beta(Strict):
    """The beta distribution with shapes `alpha` and `beta`, scaled from [0, 1] to `[low, high]`.

    Mean low + (high − low) · α / (α + β). Sampled as `low + (high − low) ·
    rng.betavariate(alpha, beta)`.
    """

    dist: Literal["beta"]
    alpha: Annotated[Number, _positive("alpha")]
    beta: Annotated[Number, _positive("beta")]
    low: Number = Decimal(0)
    high: Number = Decimal(1)

    @field_validator("high")
    @classmethod
    def _order(cls, high: Decimal, info: ValidationInfo) -> Decimal:
        _not_below("high", high, "low", info.data.get("low"))
        return high


Distribution = Annotated[
    Uniform | Triangular | Pert | Normal | Lognormal | Beta,
    Field(discriminator="dist"),
]


class Uncertainty(Strict):
    """The `[uncertainty]` table: how many draws, the seed, and a distribution per parameter path."""

    draws: int = Field(default=1000, ge=1, le=MAX_DRAWS)
    seed: int = Field(default=0, gt=-(2**64), lt=2**64)  # a 64-bit seed; any int would not hash as text
    params: dict[ParamPath, Distribution] = Field(default_factory=dict)


def _show(value: Decimal | None, missing: str) -> str:
    return missing if value is None else str(value)


# ---------------------------------------------------------------- random streams


def stream(seed: int, path: str) -> random.Random:
    """The generator of one parameter: seeded with sha256(f"{seed}:{path}") read as a big-endian int.

    Independent of every other parameter, and the same on every platform and Python version
    (seeding `random.Random` with an int is stable).
    """
    digest = hashlib.sha256(f"{seed}:{path}".encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


class Sampler:
    """Every parameter's draws a block at a time, in the order of `params`.

    Each parameter keeps its stream from block to block, so blocks of any sizes together
    are the same draws as one block of them all: a simulation holds one block's draws at a
    time. `seed` overrides the table's (`--seed`).
    """

    def __init__(self, uncertainty: Uncertainty, seed: int | None = None):
        s = uncertainty.seed if seed is None else seed
        self._streams = [(path, dist, stream(s, path)) for path, dist in uncertainty.params.items()]

    @property
    def paths(self) -> list[str]:
        return [path for path, _, _ in self._streams]

    def take(self, n: int) -> dict[str, list[Decimal]]:
        """The next `n` draws of every parameter: `{path: [n Decimals]}`."""
        return {path: draw_many(dist, rng, n) for path, dist, rng in self._streams}


# ---------------------------------------------------------------- sampling


def draw_many(dist: Any, rng: random.Random, n: int) -> list[Decimal]:
    """`n` draws of `dist` from `rng`, as `Decimal`s (`Decimal(repr(x))`), within its bounds.

    A distribution without spread (low == high, or sd == 0) gives exactly its deterministic
    value, the very `Decimal` of the input, without using `rng`.
    """
    if n < 0:
        raise ValueError(f"the number of draws must be >= 0, got {n}")
    fixed = _fixed_value(dist)
    if fixed is not None:
        return [fixed] * n
    if isinstance(dist, Uniform):
        a, b = float(dist.low), float(dist.high)
        floats = [rng.uniform(a, b) for _ in range(n)]
    elif isinstance(dist, Triangular):
        a, b, c = float(dist.low), float(dist.high), float(dist.mode)
        floats = [rng.triangular(a, b, c) for _ in range(n)]
    elif isinstance(dist, Pert | Beta):
        alpha, beta = _shapes(dist)
        a, width = float(dist.low), float(dist.high) - float(dist.low)
        floats = [a + width * rng.betavariate(alpha, beta) for _ in range(n)]
    elif isinstance(dist, Normal):
        mean, sd = float(dist.mean), float(dist.sd)
        za, zb = _z_bounds(dist.mean, dist.sd, dist.low, dist.high)
        floats = [mean + sd * z for z in _truncated_z(rng, za, zb, n)]
    elif isinstance(dist, Lognormal):
        mu, sigma = _log_parameters(dist.mean, dist.sd)
        za, zb = _z_bounds(mu, sigma, _ln(dist.low), _ln(dist.high))
        m, s = float(mu), float(sigma)
        floats = [math.exp(m + s * z) for z in _truncated_z(rng, za, zb, n)]
    else:
        raise TypeError(f"not a distribution: {dist!r}")
    low, high = _bounds(dist)
    return [_clamp(Decimal(repr(x)), low, high) for x in floats]


def _fixed_value(dist: Any) -> Decimal | None:
    """The value of a distribution without spread, else None."""
    if isinstance(dist, Normal | Lognormal):
        return dist.mean if dist.sd == 0 else None
    if isinstance(dist, Uniform | Triangular | Pert | Beta):
        return dist.low if dist.low == dist.high else None
    raise TypeError(f"not a distribution: {dist!r}")


def _shapes(dist: Pert | Beta) -> tuple[float, float]:
    if isinstance(dist, Beta):
        return float(dist.alpha), float(dist.beta)
    width = dist.high - dist.low
    alpha = 1 + _CONTEXT.divide(4 * (dist.mode - dist.low), width)
    beta = 1 + _CONTEXT.divide(4 * (dist.high - dist.mode), width)
    return float(alpha), float(beta)


def _bounds(dist: Any) -> tuple[Decimal | None, Decimal | None]:
    return dist.low, dist.high


def _clamp(x: Decimal, low: Decimal | None, high: Decimal | None) -> Decimal:
    """Keep a draw inside [low, high] despite float rounding (a bound returns as its own Decimal)."""
    if low is not None and x < low:
        return low
    if high is not None and x > high:
        return high
    return x


def _log_parameters(mean: Decimal, sd: Decimal) -> tuple[Decimal, Decimal]:
    """(μ, σ) of ln X for a lognormal X with the given mean and sd."""
    variance = _CONTEXT.ln(1 + _CONTEXT.divide(sd * sd, mean * mean))
    mu = _CONTEXT.ln(mean) - variance / 2
    return mu, _CONTEXT.sqrt(variance)


def _ln(value: Decimal | None) -> Decimal | None:
    """ln of a lognormal truncation bound; 0 (no lower truncation) maps to no bound."""
    if value is None or value == 0:
        return None
    return _CONTEXT.ln(value)


def _z_bounds(mean: Decimal, sd: Decimal, low: Decimal | None, high: Decimal | None) -> tuple[float, float]:
    """The truncation bounds in standard units, ±inf where not given (sd > 0)."""
    za = -math.inf if low is None else _to_float(_CONTEXT.divide(low - mean, sd))
    zb = math.inf if high is None else _to_float(_CONTEXT.divide(high - mean, sd))
    return za, zb


def _to_float(value: Decimal) -> float:
    """float() that saturates to ±inf instead of raising for huge exponents."""
    try:
        return float(value)
    except OverflowError:  # pragma: no cover - float(Decimal) saturates on CPython
        return math.inf if value > 0 else -math.inf


def _phi(z: float) -> float:
    """The standard normal CDF, accurate to full relative precision in the lower tail."""
    return 0.5 * math.erfc(-z / _SQRT2)


def _mass(za: float, zb: float) -> float:
    """Probability of [za, zb] under the standard normal, taken on the side where it is exact."""
    if za > 0:
        za, zb = -zb, -za
    if zb <= 0:
        return _phi(zb) - _phi(za)
    return 0.5 * (math.erf(zb / _SQRT2) - math.erf(za / _SQRT2))  # around 0, erf is the exact one


def _truncated_z(rng: random.Random, za: float, zb: float, n: int) -> list[float]:
    """`n` standard normal draws truncated to [za, zb], by inverse CDF.

    u is uniform between Φ(za) and Φ(zb) and z = Φ⁻¹(u). An interval above 0 is mirrored
    below it (and the draws negated), where Φ keeps full precision.
    """
    mirror = za > 0
    if mirror:
        za, zb = -zb, -za
    pa, pb = _phi(za), _phi(zb)
    width = pb - pa
    inverse = _STANDARD.inv_cdf
    out = []
    for _ in range(n):
        u = pa + width * rng.random()
        while not 0.0 < u < 1.0:  # inv_cdf is undefined at 0 and 1: draw again (rare)
            u = pa + width * rng.random()
        z = min(max(inverse(u), za), zb)
        out.append(-z if mirror else z)
    return out


def _has_mass(dist: Normal | Lognormal) -> bool:
    """Whether the truncation interval holds probability (in double precision)."""
    low, high = dist.low, dist.high
    if dist.sd == 0:
        return (low is None or low <= dist.mean) and (high is None or dist.mean <= high)
    if isinstance(dist, Normal):
        za, zb = _z_bounds(dist.mean, dist.sd, low, high)
    else:
        if high is not None and high <= 0:
            return False
        mu, sigma = _log_parameters(dist.mean, dist.sd)
        za, zb = _z_bounds(mu, sigma, _ln(low), _ln(high))
    return _mass(za, zb) > 0


# ---------------------------------------------------------------- one-way sensitivity


def swing_values(dist: Any) -> tuple[Decimal, Decimal]:
    """The (low, high) values a parameter takes in a one-way sensitivity analysis.

    "Each parameter at its p5 and p95 (or low/high where given)":
    - uniform, triangular, pert, beta: their bounds (low, high) (beta: the scaled bounds);
    - normal, lognormal: each side separately, the truncation bound where given, else the
      5th or 95th percentile (normal: mean + sd·z, lognormal: exp(μ + σ·z), z = ∓1.6449).
      When the other side is truncated, it is the percentile of the truncated distribution,
      Φ⁻¹(Φ(a) + p (Φ(b) − Φ(a))), so it stays inside the bounds; without truncation that
      is exactly mean + sd·z. A lognormal's low = 0 is no truncation: its p5 is used;
    - a distribution without spread: its value on both sides.
    Percentiles are converted with `Decimal(repr(x))`.
    """
    fixed = _fixed_value(dist)
    if fixed is not None:
        return fixed, fixed
    if isinstance(dist, Uniform | Triangular | Pert | Beta):
        return dist.low, dist.high
    if isinstance(dist, Normal):
        za, zb = _z_bounds(dist.mean, dist.sd, dist.low, dist.high)
        mean, sd = float(dist.mean), float(dist.sd)
        p5, p95 = (mean + sd * _truncated_quantile(za, zb, p) for p in (0.05, 0.95))
        low = dist.low
    else:
        mu, sigma = _log_parameters(dist.mean, dist.sd)
        za, zb = _z_bounds(mu, sigma, _ln(dist.low), _ln(dist.high))
        m, s = float(mu), float(sigma)
        p5, p95 = (math.exp(m + s * _truncated_quantile(za, zb, p)) for p in (0.05, 0.95))
        low = dist.low if dist.low != 0 else None
    return (
        low if low is not None else _clamp(Decimal(repr(p5)), dist.low, dist.high),
        dist.high if dist.high is not None else _clamp(Decimal(repr(p95)), dist.low, dist.high),
    )


def _truncated_quantile(za: float, zb: float, p: float) -> float:
    """The p-quantile of the standard normal truncated to [za, zb] (inverse CDF, as sampled)."""
    if za > 0:  # mirrored, as in `_truncated_z`
        return -_truncated_quantile(-zb, -za, 1 - p)
    pa, pb = _phi(za), _phi(zb)
    u = pa + p * (pb - pa)
    if not 0.0 < u < 1.0:
        return za if u <= 0 else zb
    return min(max(_STANDARD.inv_cdf(u), za), zb)
