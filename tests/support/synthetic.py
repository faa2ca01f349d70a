"""Synthetic claims extracts drawn from a known scenario, for tests and benchmarks.

`generate_claims` writes a claims file (CSV or Parquet, one row per declared prestatie)
whose clients follow the profiles and care paths of a scenario, and returns the `Truth`
it was drawn from: the exact clients per profile (and per region), the code table, and
every unmapped line and price outlier it injected on purpose. `mapping_toml` writes the
calibration mapping that recovers the profiles. The distributions are documented in
docs/calibrate.md ("The synthetic generator"); in short:

- clients: `round(clients * scale)` per profile (largest remainder over the profiles when a
  total is given), exact, in a seeded random order; region uniform over `regions`;
- units of activity a for one client with path mean m: Bernoulli(m) if m <= 1 (care that
  happens at most once: a birth, a DBC), Poisson(m) if m > 1 (hours, scans, days), so the
  variance per client is m(1 - m) or m (`unit_variance`);
- lines: hour activities (`unit = "uur"`) are declared per day, at most 7 hours a line;
  every other activity one line per unit;
- price: each provider has a contract factor 1 + 0.03 z (z standard normal, clipped to
  [-3, 3]) and declares `units * tariff * factor`, rounded to cents;
- profile markers: every client of a profile other than the default carries one
  diagnosis line (code `DIAG...`, 1 unit, EUR 0.00) of its profile; 30 % of the clients of
  the second marked profile also carry the marker of the first one, so the first-match
  order of the rules matters;
- injected noise: a share `unmapped_rate` of clients get one line with an unknown code
  (999901 or 999902, EUR 25.00-124.99); a share `outlier_rate` of the activity lines has
  its amount multiplied by 10 or by 0.1 (a misplaced decimal point); a share
  `credit_rate` of the lines is declared twice and the duplicate reversed by a credit line
  (negative units and amount), so sums are unchanged.

Randomness comes from polars' hash of (line key, seed): the output is deterministic for a
given seed and polars version. Work is done in chunks of clients, so memory stays bounded
however many lines are asked for. Never commit generated data.
"""

from __future__ import annotations

import math
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl

HOURS_PER_LINE = 7
CHUNK_CLIENTS = 50_000
UNMAPPED_CODES = ("999901", "999902")
MARKER_OVERLAP = 0.30
PRICE_SD = 0.03
COLUMNS = ("client_id", "activity", "provider", "units", "amount", "date")

# Seeds of the independent random streams (added to the user's seed).
_UNITS, _OVERLAP, _REGION, _DATE, _OUTLIER, _UNMAPPED, _CREDIT, _PROVIDER, _DAY = range(9)
_MAX_ACTIVITIES = 1000


@dataclass
class Truth:
    """What a synthetic extract was drawn from, and the noise injected into it."""

    scenario: Path
    seed: int
    year: int
    clients: dict[str, int]  # profile -> clients
    clients_by_region: dict[str, dict[str, int]]  # region -> profile -> clients
    path: dict[str, dict[str, Decimal]]  # profile -> activity -> mean units per client (the scenario's)
    tariffs: dict[str, Decimal]
    codes: dict[str, str]  # claim code -> activity
    markers: dict[str, str]  # profile -> diagnosis code marking its clients
    rule_order: list[str]  # profiles in the order of the mapping's rules
    default_profile: str
    regions: list[str]
    lines: int = 0
    unmapped: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # code -> (lines, amount)
    outliers: dict[str, int] = field(default_factory=dict)  # code -> lines
    credits: int = 0  # credit (reversal) lines
    amount: dict[str, Decimal] = field(default_factory=dict)  # activity -> declared EUR (exact)
    units: dict[str, Decimal] = field(default_factory=dict)  # activity -> declared units

    @property
    def code_of(self) -> dict[str, str]:
        return {activity: code for code, activity in self.codes.items()}

    def observed_price(self, activity: str) -> Decimal:
        """The exact mean price of the generated lines: declared EUR / units."""
        return self.amount[activity] / self.units[activity]


def unit_variance(mean: Decimal | float) -> float:
    """Variance of one client's units of an activity with path mean `mean` (see module doc)."""
    m = float(mean)
    return m * (1 - m) if m <= 1 else m


def expected_lines_per_client(scenario: Path | str | None = None) -> float:
    """Mean claim lines per client of a scenario, before injected noise (for sizing)."""
    spec = _Spec.load(scenario)
    total = sum(spec.clients.values())
    lines = 0.0
    for profile, n in spec.clients.items():
        per_client = sum(
            _expected_lines(float(m), spec.per_line[a]) for a, m in spec.path[profile].items() if m > 0
        )
        per_client += 1 if profile in spec.markers else 0
        lines += n * per_client
    return lines / total


def generate_claims(
    path: Path | str,
    *,
    scenario: Path | str | None = None,
    scale: float | None = None,
    clients: int | None = None,
    seed: int = 0,
    fmt: str | None = None,
    regions: list[str] | tuple[str, ...] = ("noord", "zuid"),
    with_profile_column: bool = False,
    unmapped_rate: float = 0.005,
    outlier_rate: float = 0.0005,
    credit_rate: float = 0.002,
    chunk_clients: int = CHUNK_CLIENTS,
) -> Truth:
    """Write a synthetic claims extract drawn from `scenario` (default: the default example).

    Size: `scale` multiplies the scenario's clients per profile; `clients` is a total,
    split over the profiles pro rata (largest remainder). Give at most one (default
    scale 1). `fmt` is `csv` or `parquet` (default: from the suffix).
    """
    target = Path(path)
    fmt = fmt or ("csv" if target.suffix.lower() == ".csv" else "parquet")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be csv or parquet, got {fmt!r}")
    if scale is not None and clients is not None:
        raise ValueError("give scale or clients, not both")
    if not regions:
        raise ValueError("regions must not be empty")
    spec = _Spec.load(scenario)
    counts = _client_counts(spec.clients, scale=scale, total=clients)
    truth = Truth(
        scenario=spec.path_to,
        seed=seed,
        year=spec.year,
        clients={p: n for p, n in counts.items() if n > 0},
        clients_by_region={},
        path=spec.path,
        tariffs=spec.tariffs,
        codes={code: a for a, code in spec.codes.items()},
        markers=spec.markers,
        rule_order=spec.rule_order,
        default_profile=spec.default,
        regions=list(regions),
    )
    profiles = list(counts)
    labels = pl.Series("profile", [p for p in profiles for _ in range(counts[p])], dtype=pl.String)
    labels = labels.sample(fraction=1.0, shuffle=True, seed=seed) if len(labels) else labels
    clients_df = pl.DataFrame(
        {"idx": pl.int_range(0, len(labels), eager=True, dtype=pl.Int64), "profile": labels}
    )
    clients_df = clients_df.with_columns(
        region=pl.lit(pl.Series(list(regions), dtype=pl.String)).gather(
            _uniform_int(pl.col("idx"), seed + _REGION, len(regions))
        )
    )
    for row in clients_df.group_by("region", "profile").len().iter_rows(named=True):
        truth.clients_by_region.setdefault(row["region"], {})[row["profile"]] = row["len"]

    with _Writer(target, fmt) as writer:
        for lo in range(0, max(clients_df.height, 1), chunk_clients):
            chunk = clients_df.slice(lo, chunk_clients)
            lines = _lines(chunk, spec, seed, unmapped_rate, outlier_rate, credit_rate)
            if not with_profile_column:
                lines = lines.drop("profile")
            _tally(truth, lines, spec)
            lines = lines.drop("outlier", "credit")
            writer.write(lines)
    return truth


def mapping_toml(truth: Truth, scenario: str | None = None, *, reverse_rules: bool = False) -> str:
    """The calibration mapping for a synthetic extract (`scenario`: the path to write in it)."""
    out = ["# Mapping for a synthetic claims extract (bekostiging.synthetic)"]
    if scenario is not None:
        out.append(f"scenario = {_toml_str(scenario)}")
    out.append(f"default_profile = {_toml_str(truth.default_profile)}")
    out.append("")
    order = list(reversed(truth.rule_order)) if reverse_rules else truth.rule_order
    for profile in order:
        out += [
            "[[profile]]",
            f"name = {_toml_str(profile)}",
            f"any_code = [{_toml_str(truth.markers[profile])}]",
        ]
        out.append("")
    out.append("[codes]")
    out += [f"{_toml_str(code)} = {_toml_str(activity)}" for code, activity in truth.codes.items()]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- internals


@dataclass
class _Spec:
    path_to: Path
    year: int
    clients: dict[str, int]
    path: dict[str, dict[str, Decimal]]
    tariffs: dict[str, Decimal]
    providers: dict[str, str]  # activity -> party
    per_line: dict[str, int]
    codes: dict[str, str]  # activity -> code
    index: dict[str, int]  # activity -> index (for random keys)
    markers: dict[str, str]  # profile -> marker code
    rule_order: list[str]
    default: str

    @classmethod
    def load(cls, scenario: Path | str | None) -> _Spec:
        from bekostiging import examples
        from bekostiging.scenario.load import load_scenario

        where = Path(scenario) if scenario is not None else examples.path_of(examples.DEFAULT)
        s, _ = load_scenario(where)
        if not s.profiles:
            raise ValueError(f"{where} has no profiles to draw clients from")
        activities = list(s.activities)
        if len(activities) >= _MAX_ACTIVITIES:
            raise ValueError(f"at most {_MAX_ACTIVITIES - 1} activities")
        clients = {}
        for p, profile in s.profiles.items():
            if profile.clients != int(profile.clients):
                raise ValueError(f"profiles.{p}.clients must be a whole number to draw clients")
            clients[p] = int(profile.clients)
        default = max(clients, key=lambda p: (clients[p], p))
        marked = [p for p in s.profiles if p != default]
        # The mapping's rules list the marked profiles in scenario order, except that the
        # second one comes first: its clients may also carry the first one's marker.
        order = marked[:]
        if len(order) >= 2:
            order[0], order[1] = order[1], order[0]
        return cls(
            path_to=where,
            year=s.scenario.year or 2024,
            clients=clients,
            path={p: dict(profile.path) for p, profile in s.profiles.items()},
            tariffs={a: s.activities[a].tariff for a in activities},
            providers={a: s.activities[a].provider for a in activities},
            per_line={a: HOURS_PER_LINE if s.activities[a].unit == "uur" else 1 for a in activities},
            codes={a: f"{190001 + i:06d}" for i, a in enumerate(activities)},
            index={a: i for i, a in enumerate(activities)},
            markers={p: f"DIAG{i + 1:03d}" for i, p in enumerate(marked)},
            rule_order=order,
            default=default,
        )


def _client_counts(clients: dict[str, int], *, scale: float | None, total: int | None) -> dict[str, int]:
    if total is None:
        factor = 1.0 if scale is None else scale
        return {p: round(n * factor) for p, n in clients.items()}
    whole = sum(clients.values())
    if whole == 0:
        return dict.fromkeys(clients, 0)
    exact = {p: total * n / whole for p, n in clients.items()}
    counts = {p: math.floor(v) for p, v in exact.items()}
    rest = total - sum(counts.values())
    for p in sorted(exact, key=lambda p: (counts[p] - exact[p], p))[:rest]:
        counts[p] += 1
    return counts


def _expected_lines(mean: float, per_line: int) -> float:
    if mean <= 1 or per_line == 1:
        return mean
    # E[ceil(U / per_line)] for U ~ Poisson(mean)
    k_max = int(mean + 12 * math.sqrt(mean) + 20)
    p = math.exp(-mean)
    total = 0.0
    for k in range(k_max + 1):
        total += p * math.ceil(k / per_line)
        p *= mean / (k + 1)
    return total


def _uniform(key: pl.Expr, seed: int) -> pl.Expr:
    """A uniform number in [0, 1) from the hash of an integer key."""
    return (key.hash(seed=seed) // 2048).cast(pl.Float64) * 2.0**-53


def _uniform_int(key: pl.Expr, seed: int, n: int) -> pl.Expr:
    return (_uniform(key, seed) * n).floor().cast(pl.Int64).clip(0, n - 1)


def _poisson_cdf(mean: float) -> list[float]:
    k_max = int(mean + 12 * math.sqrt(mean) + 20)
    cdf, total, p = [], 0.0, math.exp(-mean)
    for k in range(k_max + 1):
        total += p
        cdf.append(total)
        p *= mean / (k + 1)
    cdf[-1] = 1.0
    return cdf


def _provider_table(spec: _Spec, seed: int) -> pl.DataFrame:
    """A few providers per party, each with a contract price factor."""
    rng = random.Random(seed * 7919 + _PROVIDER)
    rows = []
    for party in sorted(set(spec.providers.values())):
        for k in range(5):
            z = max(-3.0, min(3.0, rng.gauss(0.0, 1.0)))
            rows.append(
                {
                    "party": party,
                    "slot": k,
                    "provider": f"AGB{rng.randrange(10**7, 10**8)}",
                    "factor": 1 + PRICE_SD * z,
                }
            )
    return pl.DataFrame(
        rows, schema={"party": pl.String, "slot": pl.Int64, "provider": pl.String, "factor": pl.Float64}
    )


def _lines(
    chunk: pl.DataFrame,
    spec: _Spec,
    seed: int,
    unmapped_rate: float,
    outlier_rate: float,
    credit_rate: float,
) -> pl.DataFrame:
    parties = sorted(set(spec.providers.values()))
    paths = pl.DataFrame(
        [
            {
                "profile": p,
                "act": a,
                "a_idx": spec.index[a],
                "mean": float(m),
                "per_line": spec.per_line[a],
                "tariff": float(spec.tariffs[a]),
                "party": spec.providers[a],
                "p_idx": parties.index(spec.providers[a]),
                "code": spec.codes[a],
            }
            for p, path in spec.path.items()
            for a, m in path.items()
            if m > 0
        ],
        schema={
            "profile": pl.String,
            "act": pl.String,
            "a_idx": pl.Int64,
            "mean": pl.Float64,
            "per_line": pl.Int64,
            "tariff": pl.Float64,
            "party": pl.String,
            "p_idx": pl.Int64,
            "code": pl.String,
        },
    )
    rows = chunk.join(paths, on="profile", how="inner").with_columns(
        u=_uniform(pl.col("idx") * _MAX_ACTIVITIES + pl.col("a_idx"), seed * 7919 + _UNITS)
    )
    # units: Bernoulli(m) for m <= 1, Poisson(m) by inverse transform (one CDF per mean)
    parts = [
        rows.filter(pl.col("mean") <= 1).with_columns(units=(pl.col("u") < pl.col("mean")).cast(pl.Int64))
    ]
    poisson = rows.filter(pl.col("mean") > 1)
    for (mean,), group in poisson.partition_by("mean", as_dict=True).items():
        cdf = pl.Series(_poisson_cdf(mean))
        parts.append(group.with_columns(units=cdf.search_sorted(group["u"], side="right").cast(pl.Int64)))
    rows = pl.concat(parts).filter(pl.col("units") > 0)

    # one line per day of hours, else one per unit
    rows = rows.with_columns(n_lines=(pl.col("units") + pl.col("per_line") - 1) // pl.col("per_line"))
    lines = rows.with_columns(j=pl.int_ranges(0, pl.col("n_lines"))).explode("j")
    lines = lines.with_columns(
        units=pl.min_horizontal(pl.col("per_line"), pl.col("units") - pl.col("j") * pl.col("per_line")),
        key=(pl.col("idx") * _MAX_ACTIVITIES + pl.col("a_idx")) * 1024 + pl.col("j"),
    )
    providers = _provider_table(spec, seed)
    lines = lines.with_columns(
        slot=_uniform_int(pl.col("idx") * 64 + pl.col("p_idx"), seed * 7919 + _PROVIDER, 5)
    )
    lines = lines.join(providers, on=["party", "slot"], how="left")
    out_u = _uniform(pl.col("key"), seed * 7919 + _OUTLIER)
    lines = lines.with_columns(
        outlier=out_u < outlier_rate,
        amount_cents=(pl.col("units") * pl.col("tariff") * pl.col("factor") * 100).round(0).cast(pl.Int64),
    ).with_columns(
        amount_cents=pl.when(pl.col("outlier") & (out_u < outlier_rate / 2))
        .then(pl.col("amount_cents") * 10)
        .when(pl.col("outlier"))
        .then((pl.col("amount_cents") / 10).round(0).cast(pl.Int64))
        .otherwise(pl.col("amount_cents"))
    )
    # the day of the care: prenatal care before the birth, the rest after it
    start = date(spec.year, 1, 1)
    birth_day = _uniform_int(pl.col("idx"), seed * 7919 + _DAY, 366 if spec.year % 4 == 0 else 365)
    offset = _uniform_int(pl.col("key"), seed * 7919 + _DATE, 180)
    prenatal = pl.col("act").str.contains("prenataal|echo")
    lines = lines.with_columns(
        date=pl.lit(start)
        + pl.duration(days=birth_day + pl.when(prenatal).then(-offset).otherwise(offset % 14))
    )
    keep = ["idx", "profile", "region", "code", "provider", "units", "amount_cents", "date", "outlier"]
    lines = lines.select(keep)

    # profile markers: one diagnosis line per client of a marked profile
    markers = pl.DataFrame(
        {"profile": list(spec.markers), "marker": list(spec.markers.values())},
        schema={"profile": pl.String, "marker": pl.String},
    )
    marked = chunk.join(markers, on="profile", how="inner")
    if len(spec.rule_order) >= 2:
        first, second = spec.rule_order[1], spec.rule_order[0]  # scenario order: first marked, second
        extra = chunk.filter(
            (pl.col("profile") == second) & (_uniform(pl.col("idx"), seed * 7919 + _OVERLAP) < MARKER_OVERLAP)
        ).with_columns(marker=pl.lit(spec.markers[first]))
        marked = pl.concat([marked, extra])
    diag_provider = providers.filter(pl.col("party") == providers["party"][0])["provider"][0]
    marked = marked.select(
        "idx",
        "profile",
        "region",
        code=pl.col("marker"),
        provider=pl.lit(diag_provider),
        units=pl.lit(1, dtype=pl.Int64),
        amount_cents=pl.lit(0, dtype=pl.Int64),
        date=pl.lit(start) + pl.duration(days=_uniform_int(pl.col("idx"), seed * 7919 + _DAY, 300)),
        outlier=pl.lit(False),
    )

    # unmapped codes: one line for a share of the clients
    unmapped_u = _uniform(pl.col("idx"), seed * 7919 + _UNMAPPED)
    unmapped = chunk.filter(unmapped_u < unmapped_rate).select(
        "idx",
        "profile",
        "region",
        code=pl.lit(pl.Series(list(UNMAPPED_CODES))).gather(_uniform_int(pl.col("idx"), seed + 11, 2)),
        provider=pl.lit(diag_provider),
        units=pl.lit(1, dtype=pl.Int64),
        amount_cents=2500 + _uniform_int(pl.col("idx"), seed + 13, 10_000),
        date=pl.lit(start) + pl.duration(days=_uniform_int(pl.col("idx"), seed + 17, 300)),
        outlier=pl.lit(False),
    )
    lines = pl.concat([lines, marked, unmapped])

    # credits: a share of the lines declared twice, the duplicate reversed
    dup = lines.filter(
        _uniform(pl.col("idx") * 4096 + pl.col("units") * 7 + pl.col("amount_cents"), seed * 7919 + _CREDIT)
        < credit_rate
    )
    credits = dup.with_columns(
        units=-pl.col("units"), amount_cents=-pl.col("amount_cents"), outlier=pl.lit(False)
    )
    lines = pl.concat(
        [
            lines.with_columns(credit=pl.lit(False)),
            dup.with_columns(credit=pl.lit(False)),
            credits.with_columns(credit=pl.lit(True)),
        ]
    )
    return lines.select(
        client_id=pl.format("C{}", pl.col("idx").cast(pl.String).str.zfill(9)),
        activity=pl.col("code"),
        provider=pl.col("provider"),
        units=pl.col("units"),
        amount=pl.col("amount_cents").cast(pl.Float64) / 100,
        date=pl.col("date"),
        region=pl.col("region"),
        profile=pl.col("profile"),
        outlier=pl.col("outlier"),
        credit=pl.col("credit"),
        amount_cents=pl.col("amount_cents"),
    )


def _tally(truth: Truth, lines: pl.DataFrame, spec: _Spec) -> None:
    truth.lines += lines.height
    truth.credits += int(lines["credit"].sum())
    for row in lines.filter(pl.col("outlier")).group_by("activity").len().iter_rows():
        truth.outliers[row[0]] = truth.outliers.get(row[0], 0) + row[1]
    by_code = lines.group_by("activity").agg(
        n=pl.len(), units=pl.col("units").sum(), cents=pl.col("amount_cents").sum()
    )
    for code, n, units, cents in by_code.iter_rows():
        amount = Decimal(cents) / 100
        if code in UNMAPPED_CODES:
            lines_before, amount_before = truth.unmapped.get(code, (0, Decimal(0)))
            truth.unmapped[code] = (lines_before + n, amount_before + amount)
        elif code in truth.codes:
            activity = truth.codes[code]
            truth.amount[activity] = truth.amount.get(activity, Decimal(0)) + amount
            truth.units[activity] = truth.units.get(activity, Decimal(0)) + Decimal(units)


class _Writer:
    """Chunks into one file: CSV appended; Parquet as parts, then streamed into one file."""

    def __init__(self, target: Path, fmt: str):
        self.target, self.fmt = target, fmt
        self.parts: list[Path] = []
        self.tmp: Path | None = None
        self.handle = None

    def __enter__(self) -> _Writer:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        if self.fmt == "csv":
            self.handle = self.target.open("wb")
        else:
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", dir=self.target.parent))
        return self

    def write(self, lines: pl.DataFrame) -> None:
        lines = lines.select([c for c in lines.columns if c not in ("amount_cents",)])
        if self.fmt == "csv":
            lines.write_csv(self.handle, include_header=not self.parts, float_precision=2)
            self.parts.append(self.target)
        else:
            assert self.tmp is not None
            part = self.tmp / f"part-{len(self.parts):05d}.parquet"
            lines.write_parquet(part)
            self.parts.append(part)

    def __exit__(self, *exc: object) -> None:
        try:
            if self.fmt == "csv":
                assert self.handle is not None
                self.handle.close()
            elif exc[0] is None:
                pl.scan_parquet(self.parts).sink_parquet(self.target)
        finally:
            if self.tmp is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: list[str] | None = None) -> None:
    """`python tests/support/synthetic.py OUT [--clients N | --scale X] [--seed S] [--mapping FILE]`."""
    import argparse
    import os

    parser = argparse.ArgumentParser(description="Write a synthetic claims extract (CSV or Parquet).")
    parser.add_argument("out", type=Path, help="claims file to write: .csv or .parquet")
    parser.add_argument("--scenario", type=Path, default=None, help="default: the default example")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--clients", type=int, default=None, help="clients in total")
    size.add_argument("--scale", type=float, default=None, help="times the scenario's clients")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile-column", action="store_true", help="write each client's true profile")
    parser.add_argument("--mapping", type=Path, default=None, help="also write the matching mapping file")
    args = parser.parse_args(argv)
    truth = generate_claims(
        args.out,
        scenario=args.scenario,
        clients=args.clients,
        scale=args.scale,
        seed=args.seed,
        with_profile_column=args.profile_column,
    )
    if args.mapping is not None:
        scenario = os.path.relpath(truth.scenario.resolve(), args.mapping.resolve().parent)
        args.mapping.write_text(mapping_toml(truth, Path(scenario).as_posix()), encoding="utf-8")
    print(f"{args.out}: {truth.lines:,} claim lines of {sum(truth.clients.values()):,} clients")


if __name__ == "__main__":
    main()
