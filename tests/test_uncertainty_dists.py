"""[uncertainty] distributions (HORIZON.md §2): validation, seeded streams, sampling, swing values."""

from __future__ import annotations

import math
import statistics
from decimal import Decimal as D
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from bekostiging.scenario.uncertainty import (
    Beta,
    Distribution,
    Lognormal,
    Normal,
    Pert,
    Sampler,
    Triangular,
    Uncertainty,
    Uniform,
    draw_many,
    stream,
    swing_values,
)

DIST = TypeAdapter(Distribution)
N = 20_000


def dist(**raw: Any) -> Any:
    return DIST.validate_python(raw)


def errors(raw: dict[str, Any]) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as exc:
        DIST.validate_python(raw)
    return [(e["loc"], e["msg"]) for e in exc.value.errors()]


def draws(d: Any, n: int = N, seed: int = 7, path: str = "a.b") -> list[float]:
    return [float(x) for x in draw_many(d, stream(seed, path), n)]


# ---------------------------------------------------------------- models and validation


def test_the_spec_example_validates():
    u = Uncertainty.model_validate(
        {
            "draws": 1000,
            "seed": 20251122,
            "params": {
                "profiles.ongecompliceerd.path.sectio": {
                    "dist": "triangular",
                    "low": D("0.05"),
                    "mode": D("0.06"),
                    "high": D("0.08"),
                },
                "variants.profielen.effects.0.factor": {
                    "dist": "uniform",
                    "low": D("0.80"),
                    "high": D("0.95"),
                },
                "activities.kz_uur.tariff": {
                    "dist": "normal",
                    "mean": D("62.40"),
                    "sd": D("1.50"),
                    "low": 55,
                },
                "profiles.diabetes.clients": {"dist": "pert", "low": 90, "mode": 120, "high": 170},
                "profiles.*.clients": {"dist": "lognormal", "mean": 100, "sd": 10},
                "activities.x.availability_share": {"dist": "beta", "alpha": 2, "beta": 5},
            },
        }
    )
    kinds = [type(d) for d in u.params.values()]
    assert kinds == [Triangular, Uniform, Normal, Pert, Lognormal, Beta]
    tariff = u.params["activities.kz_uur.tariff"]
    assert (tariff.mean, tariff.sd, tariff.low, tariff.high) == (D("62.40"), D("1.50"), D(55), None)
    beta = u.params["activities.x.availability_share"]
    assert (beta.low, beta.high) == (0, 1)


def test_uncertainty_defaults_and_draw_limits():
    u = Uncertainty.model_validate({})
    assert (u.draws, u.seed, u.params) == (1000, 0, {})
    assert Uncertainty.model_validate({"draws": 1_000_000}).draws == 1_000_000
    for bad in (0, -1, 1_000_001, True, D("10.5"), "100"):
        with pytest.raises(ValidationError):
            Uncertainty.model_validate({"draws": bad})
    with pytest.raises(ValidationError):
        Uncertainty.model_validate({"seed": "1"})
    with pytest.raises(ValidationError, match=r"unknown|Extra inputs"):
        Uncertainty.model_validate({"draw": 10})


@pytest.mark.parametrize("path", ["a..b", "", ".a", "a.b.", "a.b*", "a. b", "a b"])
def test_bad_parameter_paths(path):
    with pytest.raises(ValidationError, match="is not a dotted path"):
        Uncertainty.model_validate({"params": {path: {"dist": "uniform", "low": 1, "high": 2}}})


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({"dist": "uniform", "low": 2, "high": 1}, "high", "high 1 is below low 2"),
        ({"dist": "triangular", "low": 1, "mode": 0, "high": 2}, "mode", "mode 0 is below low 1"),
        ({"dist": "triangular", "low": 1, "mode": 3, "high": 2}, "high", "high 2 is below mode 3"),
        ({"dist": "pert", "low": 1, "mode": D("0.5"), "high": 2}, "mode", "mode 0.5 is below low 1"),
        ({"dist": "pert", "low": 1, "mode": 3, "high": 2}, "high", "high 2 is below mode 3"),
        ({"dist": "normal", "mean": 0, "sd": -1}, "sd", "sd must be >= 0, got -1"),
        ({"dist": "lognormal", "mean": 1, "sd": D("-0.1")}, "sd", "sd must be >= 0, got -0.1"),
        ({"dist": "normal", "mean": 0, "sd": 1, "low": 2, "high": 2}, "high", "high 2 must be above low 2"),
        ({"dist": "normal", "mean": 0, "sd": 1, "low": 3, "high": 2}, "high", "high 2 must be above low 3"),
        ({"dist": "lognormal", "mean": 5, "sd": 1, "low": 4, "high": 4}, "high", "must be above low"),
        ({"dist": "lognormal", "mean": 0, "sd": 1}, "mean", "mean must be > 0, got 0"),
        ({"dist": "lognormal", "mean": -2, "sd": 1}, "mean", "mean must be > 0, got -2"),
        ({"dist": "lognormal", "mean": 1, "sd": 1, "low": -1}, "low", "low must be >= 0"),
        ({"dist": "beta", "alpha": 0, "beta": 1}, "alpha", "alpha must be > 0, got 0"),
        ({"dist": "beta", "alpha": 1, "beta": D("-0.5")}, "beta", "beta must be > 0, got -0.5"),
        ({"dist": "beta", "alpha": 1, "beta": 1, "low": 2, "high": 1}, "high", "high 1 is below low 2"),
        ({"dist": "beta", "alpha": 1, "beta": 1, "high": -1}, "high", "high -1 is below low 0"),
    ],
)
def test_rules(raw, field, message):
    found = errors(raw)
    assert len(found) == 1
    loc, msg = found[0]
    assert loc == (raw["dist"], field)
    assert message in msg


@pytest.mark.parametrize(
    "raw",
    [
        {"dist": "normal", "mean": 0, "sd": 1, "low": 50},  # far beyond double precision
        {"dist": "normal", "mean": 0, "sd": 1, "high": -50},
        {"dist": "normal", "mean": 0, "sd": 0, "low": 1},  # a point mass outside the interval
        {"dist": "normal", "mean": 5, "sd": 0, "low": 1, "high": 4},
        {"dist": "lognormal", "mean": 1, "sd": 1, "high": -1},  # lognormal values are positive
        {"dist": "lognormal", "mean": 1, "sd": 1, "high": 0},
        {"dist": "lognormal", "mean": 10, "sd": 0, "high": 9},
        {"dist": "lognormal", "mean": 1, "sd": D("0.01"), "low": 10**6},
    ],
)
def test_truncation_without_probability_mass(raw):
    [(loc, msg)] = errors(raw)
    assert loc == (raw["dist"],)
    assert "has no probability in" in msg


@pytest.mark.parametrize(
    "raw",
    [
        {"dist": "normal", "mean": 0, "sd": 1, "low": 30},  # deep in a tail, but still there
        {"dist": "normal", "mean": 0, "sd": 1, "low": -35, "high": -30},
        {"dist": "normal", "mean": 0, "sd": 1, "low": D("-1e-20"), "high": D("1e-20")},
        {"dist": "normal", "mean": 5, "sd": 0, "low": 5, "high": 6},
        {"dist": "lognormal", "mean": 100, "sd": 20, "low": 0},
        {"dist": "lognormal", "mean": 100, "sd": 20, "low": 150, "high": 400},
    ],
)
def test_truncation_with_probability_mass(raw):
    d = dist(**raw)
    xs = draw_many(d, stream(1, "p"), 500)
    assert all((d.low is None or x >= d.low) and (d.high is None or x <= d.high) for x in xs)


@pytest.mark.parametrize("bad", ["1", True, 1.5, None, [1], math.inf])
def test_numbers_are_numbers(bad):
    found = errors({"dist": "uniform", "low": bad, "high": 2})
    assert found[0][0] == ("uniform", "low")
    assert "must be a number" in found[0][1] or "finite" in found[0][1]


def test_numbers_must_be_finite():
    found = errors({"dist": "normal", "mean": D("NaN"), "sd": 1})
    assert "finite" in found[0][1]


def test_unknown_and_missing_dist_and_keys():
    assert "does not match any of the expected tags" in errors({"dist": "gamma", "low": 1})[0][1]
    assert "Unable to extract tag" in errors({"low": 1, "high": 2})[0][1]
    found = errors({"dist": "uniform", "low": 1, "high": 2, "mode": 1})
    assert found[0][0] == ("uniform", "mode")
    assert found[0][1].startswith("Extra inputs")
    assert errors({"dist": "triangular", "low": 1, "high": 2})[0][0] == ("triangular", "mode")
    assert errors({"dist": "normal", "mean": 1})[0][0] == ("normal", "sd")


def test_models_are_frozen():
    d = dist(dist="uniform", low=1, high=2)
    with pytest.raises(ValidationError):
        d.low = D(0)


# ---------------------------------------------------------------- degenerate distributions

DEGENERATE = [
    ({"dist": "uniform", "low": D("62.40"), "high": D("62.4")}, D("62.40")),
    ({"dist": "triangular", "low": D("0.06"), "mode": D("0.060"), "high": D("0.06")}, D("0.06")),
    ({"dist": "pert", "low": 120, "mode": 120, "high": 120}, D(120)),
    ({"dist": "beta", "alpha": 2, "beta": 3, "low": D("0.1"), "high": D("0.1")}, D("0.1")),
    ({"dist": "normal", "mean": D("62.40"), "sd": 0}, D("62.40")),
    ({"dist": "normal", "mean": D("62.40"), "sd": D("0.00"), "low": 55, "high": 70}, D("62.40")),
    ({"dist": "lognormal", "mean": D("1863.97"), "sd": 0}, D("1863.97")),
    ({"dist": "lognormal", "mean": D("0.3"), "sd": 0, "low": D("0.3")}, D("0.3")),
    (
        {
            "dist": "uniform",
            "low": D("0.1000000000000000055511151231257827"),
            "high": D("0.1000000000000000055511151231257827"),
        },
        D("0.1000000000000000055511151231257827"),
    ),
]


@pytest.mark.parametrize(("raw", "value"), DEGENERATE)
def test_degenerate_is_exactly_the_value(raw, value):
    d = dist(**raw)
    xs = draw_many(d, stream(3, "x"), 1000)
    assert len(xs) == 1000
    assert all(isinstance(x, D) and x == value for x in xs)
    assert swing_values(d) == (value, value)


def test_draw_many_zero_draws():
    assert draw_many(dist(dist="uniform", low=1, high=2), stream(0, "a"), 0) == []
    with pytest.raises(ValueError):
        draw_many(dist(dist="uniform", low=1, high=2), stream(0, "a"), -1)


# ---------------------------------------------------------------- streams and reproducibility

ALL = [
    {"dist": "uniform", "low": D("0.80"), "high": D("0.95")},
    {"dist": "triangular", "low": D("0.05"), "mode": D("0.06"), "high": D("0.08")},
    {"dist": "pert", "low": 90, "mode": 120, "high": 170},
    {"dist": "normal", "mean": D("62.40"), "sd": D("1.50"), "low": 55},
    {"dist": "lognormal", "mean": 100, "sd": 30},
    {"dist": "beta", "alpha": 2, "beta": 5, "low": 10, "high": 20},
]


def test_stream_is_seeded_from_sha256_of_seed_and_path():
    import hashlib
    import random

    expected = random.Random(int.from_bytes(hashlib.sha256(b"20251122:a.b").digest(), "big"))
    assert [stream(20251122, "a.b").random() for _ in range(1)] == [expected.random()]
    first = stream(1, "profiles.diabetes.clients")
    assert first.random() == stream(1, "profiles.diabetes.clients").random()
    assert stream(1, "a").random() != stream(2, "a").random()
    assert stream(1, "a").random() != stream(1, "b").random()


def test_stream_values_are_pinned():
    """The first draws of a stream are fixed forever: a change here changes every user's results."""
    pinned = draw_many(dist(**ALL[0]), stream(20251122, "variants.profielen.effects.0.factor"), 3)
    assert pinned == draw_many(dist(**ALL[0]), stream(20251122, "variants.profielen.effects.0.factor"), 3)
    assert pinned == [D("0.8146308757412734"), D("0.8043431277564608"), D("0.8032517817270346")]


@pytest.mark.parametrize("raw", ALL, ids=[r["dist"] for r in ALL])
def test_same_seed_same_draws_different_seed_different_draws(raw):
    d = dist(**raw)
    a = draw_many(d, stream(42, "p.q"), 200)
    assert a == draw_many(d, stream(42, "p.q"), 200)
    assert [str(x) for x in a] == [str(x) for x in draw_many(d, stream(42, "p.q"), 200)]
    assert a != draw_many(d, stream(43, "p.q"), 200)
    assert a != draw_many(d, stream(42, "p.r"), 200)
    assert all(isinstance(x, D) and x.is_finite() for x in a)
    # each Decimal is the shortest repr of a float
    assert all(D(repr(float(x))) == x for x in a)


def draw_params(u: Uncertainty, draws: int | None = None, seed: int | None = None) -> dict:
    return Sampler(u, seed).take(u.draws if draws is None else draws)


def test_adding_a_parameter_does_not_change_the_others():
    base = {"profiles.diabetes.clients": ALL[2], "activities.kz_uur.tariff": ALL[3]}
    more = {"aaa.first": ALL[0], **base, "profiles.*.clients": ALL[4]}
    one = draw_params(Uncertainty.model_validate({"seed": 5, "draws": 300, "params": base}))
    two = draw_params(Uncertainty.model_validate({"seed": 5, "draws": 300, "params": more}))
    for path in base:
        assert one[path] == two[path]
    assert list(two) == list(more)
    assert all(len(v) == 300 for v in two.values())


def test_draw_params_overrides():
    u = Uncertainty.model_validate({"seed": 5, "draws": 10, "params": {"a": ALL[0]}})
    assert len(draw_params(u)["a"]) == 10
    assert len(draw_params(u, draws=3)["a"]) == 3
    assert draw_params(u, seed=6)["a"] != draw_params(u)["a"]
    assert draw_params(u, seed=5)["a"] == draw_params(u)["a"]
    assert draw_params(u, draws=4)["a"] == draw_params(u)["a"][:4]


def test_blocks_of_draws_continue_each_stream():
    u = Uncertainty.model_validate({"seed": 5, "draws": 10, "params": {"a": ALL[0], "b": ALL[3]}})
    sampler = Sampler(u)
    blocks = [sampler.take(k) for k in (3, 0, 4, 3)]
    assert {p: [x for b in blocks for x in b[p]] for p in ("a", "b")} == draw_params(u)
    assert sampler.paths == ["a", "b"]


# ---------------------------------------------------------------- moments


def test_uniform_moments():
    xs = draws(dist(dist="uniform", low=D("0.80"), high=D("0.95")))
    assert min(xs) >= 0.80 and max(xs) <= 0.95
    assert statistics.fmean(xs) == pytest.approx(0.875, abs=0.002)
    assert statistics.pstdev(xs) == pytest.approx(0.15 / math.sqrt(12), rel=0.03)


def test_triangular_moments():
    low, mode, high = 0.05, 0.06, 0.08
    xs = draws(dist(dist="triangular", low=D("0.05"), mode=D("0.06"), high=D("0.08")))
    assert min(xs) >= low and max(xs) <= high
    assert statistics.fmean(xs) == pytest.approx((low + mode + high) / 3, rel=0.005)
    var = (low**2 + mode**2 + high**2 - low * mode - low * high - mode * high) / 18
    assert statistics.pstdev(xs) == pytest.approx(math.sqrt(var), rel=0.03)


def test_pert_moments():
    low, mode, high = 90, 120, 170
    xs = draws(dist(dist="pert", low=low, mode=mode, high=high))
    assert min(xs) >= low and max(xs) <= high
    mean = (low + 4 * mode + high) / 6
    assert statistics.fmean(xs) == pytest.approx(mean, rel=0.005)
    a = 1 + 4 * (mode - low) / (high - low)
    b = 1 + 4 * (high - mode) / (high - low)
    sd = (high - low) * math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    assert statistics.pstdev(xs) == pytest.approx(sd, rel=0.03)


def test_pert_with_mode_at_a_bound():
    xs = draws(dist(dist="pert", low=0, mode=0, high=10), n=5000)
    assert min(xs) >= 0 and max(xs) <= 10
    assert statistics.fmean(xs) == pytest.approx(10 / 6, rel=0.03)


def test_beta_moments_scaled():
    xs = draws(dist(dist="beta", alpha=2, beta=5, low=10, high=20))
    assert min(xs) >= 10 and max(xs) <= 20
    assert statistics.fmean(xs) == pytest.approx(10 + 10 * 2 / 7, rel=0.005)
    unit = draws(dist(dist="beta", alpha=D("0.5"), beta=D("0.5")))
    assert min(unit) >= 0 and max(unit) <= 1
    assert statistics.fmean(unit) == pytest.approx(0.5, abs=0.01)


def test_normal_moments():
    xs = draws(dist(dist="normal", mean=D("62.40"), sd=D("1.50")))
    assert statistics.fmean(xs) == pytest.approx(62.40, abs=0.03)
    assert statistics.pstdev(xs) == pytest.approx(1.50, rel=0.03)


def test_normal_truncated_within_bounds():
    xs = draws(dist(dist="normal", mean=100, sd=10, low=95, high=120))
    assert min(xs) >= 95 and max(xs) <= 120
    assert min(xs) < 95.1 and max(xs) > 119.5  # the whole interval is reached
    # the truncated mean: mu + sd (phi(a) - phi(b)) / (Phi(b) - Phi(a))
    n = statistics.NormalDist()
    a, b = -0.5, 2.0
    mean = 100 + 10 * (n.pdf(a) - n.pdf(b)) / (n.cdf(b) - n.cdf(a))
    assert statistics.fmean(xs) == pytest.approx(mean, abs=0.1)


def test_normal_truncated_one_side_and_far_tail():
    xs = draws(dist(dist="normal", mean=D("62.40"), sd=D("1.50"), low=62))
    assert min(xs) >= 62
    tail = draws(dist(dist="normal", mean=0, sd=1, low=10), n=2000)
    assert min(tail) >= 10 and max(tail) < 11
    # truncated mean for a far tail ≈ a + 1/a
    assert statistics.fmean(tail) == pytest.approx(10 + 1 / 10, abs=0.01)
    low_tail = draws(dist(dist="normal", mean=0, sd=1, high=-10), n=2000)
    assert max(low_tail) <= -10 and statistics.fmean(low_tail) == pytest.approx(-10.1, abs=0.01)


@pytest.mark.parametrize(("mean", "sd"), [(100, 30), (D("1863.97"), D("150.00")), (D("0.05"), D("0.04"))])
def test_lognormal_mean_and_sd_are_of_the_variable(mean, sd):
    xs = draws(dist(dist="lognormal", mean=mean, sd=sd))
    assert min(xs) > 0
    assert statistics.fmean(xs) == pytest.approx(float(mean), rel=0.02)
    assert statistics.pstdev(xs) == pytest.approx(float(sd), rel=0.05)


def test_lognormal_truncated():
    xs = draws(dist(dist="lognormal", mean=100, sd=30, low=80, high=150))
    assert min(xs) >= 80 and max(xs) <= 150
    assert min(xs) < 81 and max(xs) > 148


# ---------------------------------------------------------------- swing values


def test_swing_values_of_bounded_distributions():
    assert swing_values(dist(dist="uniform", low=D("0.80"), high=D("0.95"))) == (D("0.80"), D("0.95"))
    assert swing_values(dist(dist="triangular", low=D("0.05"), mode=D("0.06"), high=D("0.08"))) == (
        D("0.05"),
        D("0.08"),
    )
    assert swing_values(dist(dist="pert", low=90, mode=120, high=170)) == (90, 170)
    assert swing_values(dist(dist="beta", alpha=2, beta=5)) == (0, 1)
    assert swing_values(dist(dist="beta", alpha=2, beta=5, low=10, high=20)) == (10, 20)


def test_swing_values_of_normal():
    z = statistics.NormalDist().inv_cdf(0.95)
    lo, hi = swing_values(dist(dist="normal", mean=D("62.40"), sd=D("1.50")))
    assert lo == D(repr(62.40 - 1.50 * z)) and hi == D(repr(62.40 + 1.50 * z))
    assert lo == D("59.93271955957279") and hi == D("64.86728044042721")
    # low given: low and the 95th percentile (of the truncated normal, a hair above the plain one)
    lo, hi = swing_values(dist(dist="normal", mean=D("62.40"), sd=D("1.50"), low=55))
    assert lo == 55 and float(hi) == pytest.approx(62.40 + 1.50 * z, abs=1e-5)
    n = statistics.NormalDist()
    lo, hi = swing_values(dist(dist="normal", mean=0, sd=1, high=1))
    assert float(lo) == pytest.approx(n.inv_cdf(0.05 * n.cdf(1)), rel=1e-12) and hi == 1
    assert swing_values(dist(dist="normal", mean=0, sd=1, low=-3, high=3)) == (-3, 3)


def test_swing_values_stay_inside_a_one_sided_truncation():
    """p5 above a given high (or p95 below a given low): the truncated distribution's percentile."""
    n = statistics.NormalDist(100, 10)
    lo, hi = swing_values(dist(dist="normal", mean=100, sd=10, high=80))
    assert hi == 80 and float(lo) == pytest.approx(n.inv_cdf(0.05 * n.cdf(80)), rel=1e-9)
    lo, hi = swing_values(dist(dist="normal", mean=100, sd=10, low=120))
    assert lo == 120 and float(hi) == pytest.approx(200 - n.inv_cdf(0.05 * n.cdf(80)), rel=1e-9)


def test_swing_values_of_lognormal():
    mean, sd = 100.0, 30.0
    s2 = math.log(1 + sd**2 / mean**2)
    mu, s = math.log(mean) - s2 / 2, math.sqrt(s2)
    z = statistics.NormalDist().inv_cdf(0.95)
    lo, hi = swing_values(dist(dist="lognormal", mean=100, sd=30))
    assert float(lo) == pytest.approx(math.exp(mu - s * z), rel=1e-12)
    assert float(hi) == pytest.approx(math.exp(mu + s * z), rel=1e-12)
    assert swing_values(dist(dist="lognormal", mean=100, sd=30, low=0)) == (lo, hi)  # 0: no truncation
    assert swing_values(dist(dist="lognormal", mean=100, sd=30, low=90))[0] == 90
    assert swing_values(dist(dist="lognormal", mean=100, sd=30, high=110))[1] == 110
    xs = sorted(draws(dist(dist="lognormal", mean=100, sd=30)))
    assert xs[N // 20] == pytest.approx(float(lo), rel=0.02)
    assert xs[N - N // 20] == pytest.approx(float(hi), rel=0.02)


def test_swing_values_are_decimals():
    for raw in ALL:
        lo, hi = swing_values(dist(**raw))
        assert isinstance(lo, D) and isinstance(hi, D) and lo <= hi
