"""Speed and peak memory of `calibrate` on 10 million claim lines, against pandas.

Target (issue "calibrate"), on the 2-core reference machine: 10 million claim lines in
<= 15 s wall with peak memory <= 2 GB; the ratio against an equivalent pandas pipeline is
measured in the same run.

Run: python benchmarks/calibrate.py [--lines 10000000] [--format parquet|csv] [--by region]

A synthetic extract is drawn from the default example (tests/support/synthetic.py, a test
helper that does not ship in the wheel: this script puts the repository's tests/ folder on
`sys.path` to import it, so run it from a checkout) into a temporary folder, which is
removed afterwards. Each side runs in a fresh process that
reports its wall time (the calibration itself, after imports) and its peak resident memory
(VmHWM on Linux, see `peak_rss_mb`; the interpreter and imports count too).
Both sides compute the same things from the same file: each client's profile (first
matching rule), clients per profile, units per (profile, activity), the mean price per
activity, unmapped codes, and the price outliers (the same fences on the same quartiles);
the run checks that they agree.

pandas is not a dependency of bekostiging and this script installs nothing: for the
comparison, `pip install pandas pyarrow`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 15
TARGET_MB = 2048
TESTS = Path(__file__).resolve().parents[1] / "tests"  # holds support/synthetic.py


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000, help="claim lines to generate (about)")
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--by", choices=("region",), default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--child", nargs=4, metavar=("SIDE", "CLAIMS", "MAPPING", "BY"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        side, claims, mapping, by = args.child
        child(side, Path(claims), Path(mapping), None if by == "-" else by)
        return

    from bekostiging import examples

    sys.path.insert(0, str(TESTS))
    from support.synthetic import expected_lines_per_client, generate_claims, mapping_toml

    has_pandas = all(importlib.util.find_spec(m) is not None for m in ("pandas", "pyarrow", "numpy"))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, polars {_version('polars')}", end="")
    print(f", pandas {_version('pandas')}" if has_pandas else "")
    folder = Path(tempfile.mkdtemp(prefix="bekostiging-calibrate-"))
    try:
        claims = folder / f"claims.{args.format}"
        clients = round(args.lines / expected_lines_per_client())
        start = time.perf_counter()
        truth = generate_claims(claims, clients=clients, seed=args.seed)
        size = claims.stat().st_size / 2**20
        print(
            f"generated {truth.lines:,} claim lines of {clients:,} clients ({args.format}, {size:,.0f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        mapping = folder / "mapping.toml"
        mapping.write_text(mapping_toml(truth, str(examples.path_of(examples.DEFAULT))), encoding="utf-8")

        results = {"polars": run("polars", claims, mapping, args.by)}
        if has_pandas:
            results["pandas"] = run("pandas", claims, mapping, args.by)
        else:
            print("pandas side skipped: pandas/pyarrow are not installed (pip install pandas pyarrow)")

        print()
        print(f"{'':28s} {'wall':>8s} {'peak RSS':>10s}")
        for side, r in results.items():
            label = "bekostiging calibrate" if side == "polars" else "pandas pipeline"
            print(f"{label:28s} {r['wall']:7.2f}s {r['rss_mb']:8,.0f} MB")
        polars = results["polars"]
        ok = polars["wall"] <= TARGET_SECONDS and polars["rss_mb"] <= TARGET_MB
        print(
            f"target <= {TARGET_SECONDS} s and <= {TARGET_MB:,} MB for 10 M lines: "
            f"{'ok' if ok else 'NOT MET'} ({truth.lines / polars['wall'] / 1e6:.1f} M lines/s)"
        )
        if "pandas" in results:
            pandas = results["pandas"]
            print(
                f"pandas / polars: {pandas['wall'] / polars['wall']:.1f}x the time, "
                f"{pandas['rss_mb'] / polars['rss_mb']:.1f}x the memory"
            )
            same = pandas["summary"] == polars["summary"]
            print(f"results agree: {'yes' if same else 'NO'}")
            if not same:
                for key in polars["summary"]:
                    if polars["summary"][key] != pandas["summary"][key]:
                        print(f"  {key}: polars {polars['summary'][key]} / pandas {pandas['summary'][key]}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(side: str, claims: Path, mapping: Path, by: str | None) -> dict:
    command = [sys.executable, __file__, "--child", side, str(claims), str(mapping), by or "-"]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(side: str, claims: Path, mapping: Path, by: str | None) -> None:
    """Runs in its own process: one side, timed, then its summary and peak memory as JSON."""
    if side == "polars":
        from bekostiging.calibrate import calibrate, load_mapping

        start = time.perf_counter()
        result = calibrate(claims, mapping, by=by)
        wall = time.perf_counter() - start
        summary = polars_summary(result, load_mapping(mapping))
    else:
        import pandas  # noqa: F401 - imported before the clock starts, like polars above

        start = time.perf_counter()
        summary = pandas_pipeline(claims, mapping, by)
        wall = time.perf_counter() - start
    print(json.dumps({"wall": wall, "rss_mb": peak_rss_mb(), "summary": summary}))


def peak_rss_mb() -> float:
    """This process's peak resident memory.

    Linux: VmHWM of /proc/self/status, the high-water mark of this process's own memory
    map. (`ru_maxrss` would do elsewhere, but on Linux it survives exec, so a child started
    by a big parent would report at least the parent's peak.)
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def polars_summary(result, mapping) -> dict:
    clients, path = {}, {}
    for part in result.parts:
        for name, profile in part.profiles.items():
            key = f"{part.region}/{name}" if part.region else name
            if profile.clients:
                clients[key] = profile.clients
                path[key] = {a: str(v) for a, v in profile.path.items()}
    return {
        "clients": clients,
        "path": path,
        "prices": {p.activity: str(p.mean_price) for p in result.parts[0].prices} if not result.by else {},
        "unmapped": {c.code: c.lines for c in result.unmapped},
        "outliers": {o.code: o.lines for o in result.outliers},
    }


def pandas_pipeline(claims: Path, mapping_path: Path, by: str | None) -> dict:
    """The same calibration as an analyst would write it in pandas: vectorised throughout.

    Reads only the needed columns (pyarrow), keeps codes as categoricals and groups with
    observed=True, finds each client's profile from the few marker lines instead of
    grouping all lines by client, and maps profiles onto the lines by factorized client
    codes (a numpy take) rather than a string merge.
    """
    import tomllib
    from decimal import ROUND_HALF_EVEN, Decimal

    import numpy as np
    import pandas as pd

    mapping = tomllib.loads(mapping_path.read_text(encoding="utf-8"), parse_float=Decimal)
    codes = mapping["codes"]
    rules = mapping.get("profile", [])
    default = mapping.get("default_profile")
    columns = ["client_id", "activity", "provider", "units", "amount", "date"] + (["region"] if by else [])
    if claims.suffix == ".csv":
        df = pd.read_csv(claims, usecols=columns, engine="pyarrow", dtype={"activity": "category"})
    else:
        df = pd.read_parquet(claims, columns=columns, to_pandas_kwargs={"date_as_object": False})
    df["activity"] = df["activity"].astype("category")
    nulls = df.isna().sum()  # every claim line needs every column
    if nulls.any():
        raise ValueError(f"empty values: {nulls[nulls > 0].to_dict()}")
    first_date, last_date = df["date"].min(), df["date"].max()  # noqa: F841 - reported by calibrate too
    providers = df.groupby("activity", observed=True)["provider"].nunique()  # noqa: F841 - idem
    categories = df["activity"].cat.categories
    code_idx = df["activity"].cat.codes.to_numpy()
    units = df["units"].to_numpy(dtype="float64")
    cents = np.rint(df["amount"].to_numpy() * 100).astype(np.int64)
    client_idx, client_ids = pd.factorize(df["client_id"])

    # profiles: first matching rule, from the marker lines only
    names = [default] + [r["name"] for r in rules]
    profile_of_client = np.zeros(len(client_ids), dtype=np.int16)  # 0 = default
    for i in range(len(rules), 0, -1):  # last rule first, so the first matching rule wins
        hit = df["activity"].isin(rules[i - 1]["any_code"]).to_numpy()
        profile_of_client[np.unique(client_idx[hit])] = i
    profile = pd.Categorical.from_codes(profile_of_client[client_idx], categories=names)
    keys = {"profile": profile, "code": df["activity"]}
    if by:  # each client's region: that of her first claim (ties: the first region by name)
        firsts = (
            pd.DataFrame({"c": client_idx, "region": df["region"].astype("category"), "date": df["date"]})
            .groupby(["c", "region"], observed=True)["date"]
            .min()
            .reset_index()
            .sort_values(["c", "date", "region"])
            .drop_duplicates("c")
        )
        region_of_client = firsts.set_index("c")["region"].reindex(range(len(client_ids))).to_numpy()
        keys = {"region": pd.Categorical(region_of_client[client_idx]), **keys}

    # quartiles of the cent-rounded unit price per mapped code, and the fences
    mapped_code = np.isin(categories, list(codes))
    positive = (units > 0) & mapped_code[code_idx]
    price = pd.Series(np.rint(cents[positive] / units[positive]))
    q = price.groupby(code_idx[positive]).quantile([0.25, 0.5, 0.75]).unstack()
    iqr = np.maximum(q[0.75] - q[0.25], 0.1 * q[0.5].abs())
    low, high, median = (np.full(len(categories), np.nan) for _ in range(3))
    low[q.index], high[q.index], median[q.index] = q[0.25] - 3 * iqr, q[0.75] + 3 * iqr, q[0.5]
    with np.errstate(divide="ignore", invalid="ignore"):
        unit_price = cents / units
    outlier = (units > 0) & ((unit_price < low[code_idx]) | (unit_price > high[code_idx]))
    m = median[code_idx[outlier]]
    examples = (  # noqa: F841 - the report's three most deviating lines per code
        df.loc[outlier, ["client_id", "activity", "provider", "date", "units"]]
        .assign(cents=cents[outlier], deviation=np.abs(unit_price[outlier] - m) / np.maximum(np.abs(m), 1))
        .sort_values("deviation", ascending=False)
        .groupby("activity", observed=True)
        .head(3)
    )
    lines = pd.DataFrame({**keys, "units": units, "cents": cents, "outlier": outlier})

    group = list(keys)
    agg = lines.groupby(group, observed=True).agg(
        lines=("units", "size"), units=("units", "sum"), cents=("cents", "sum"), outliers=("outlier", "sum")
    )
    agg = agg.reset_index()

    # clients per profile (and region), units per client
    client_frame = pd.DataFrame({"profile": pd.Categorical.from_codes(profile_of_client, categories=names)})
    if by:
        client_frame["region"] = region_of_client
    count_keys = ["region", "profile"] if by else ["profile"]
    counts = client_frame.groupby(count_keys, observed=True).size()
    clients, path = {}, {}
    for key, n in counts.items():
        label = "/".join(key) if by else key
        clients[label] = int(n)
    agg["activity"] = agg["code"].astype(str).map({c: v for c, v in codes.items()})
    mapped = agg.dropna(subset=["activity"])
    per_activity = mapped.groupby([*count_keys, "activity"], observed=True)["units"].sum()
    for key, total in per_activity.items():
        *profile_key, activity = key
        label = "/".join(profile_key)
        mean = (Decimal(repr(float(total))) / clients[label]).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)
        if total > 0:
            path.setdefault(label, {})[activity] = str(mean)
    prices = {}
    if not by:
        sums = mapped.groupby("activity")[["units", "cents"]].sum()
        for activity, row in sums.iterrows():
            amount = Decimal(int(row["cents"])) / 100
            prices[activity] = str((amount / Decimal(repr(float(row["units"])))).quantize(Decimal("0.01")))
    markers = {c for r in rules for c in r["any_code"]}
    per_code = agg.groupby("code", observed=True)[["lines", "outliers"]].sum()
    known = set(codes) | markers
    unmapped = {str(c): int(r["lines"]) for c, r in per_code.iterrows() if str(c) not in known}
    outliers = {str(c): int(r["outliers"]) for c, r in per_code.iterrows() if r["outliers"]}
    return {"clients": clients, "path": path, "prices": prices, "unmapped": unmapped, "outliers": outliers}


def _version(module: str) -> str:
    try:
        return __import__(module).__version__
    except ImportError:
        return "not installed"


if __name__ == "__main__":
    main()
