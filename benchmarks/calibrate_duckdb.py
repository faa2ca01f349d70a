"""Speed and peak memory of `calibrate` on 10 million claim lines, against a DuckDB query.

Target (issue 19), on the 2-core reference machine: `calibrate` on 10 M claim lines
(Parquet) at least as fast as a DuckDB query doing the same aggregation, with peak memory
<= 1 GB. The DuckDB side is one SQL statement: each client's profile by the mapping's first
matching rule (a CASE over per-client flags), the clients per profile, and the units per
(profile, activity) through a join on the mapping's codes; its threads are set to the
machine's cores. `calibrate` does that and more (the code table and its checks, the
price quartiles and outliers, the prices and the fragment).

Run: python benchmarks/calibrate_duckdb.py [--lines 10000000] [--runs 3]
     python benchmarks/calibrate_duckdb.py --claims FILE.parquet --mapping MAP.toml
     python benchmarks/calibrate_duckdb.py --baseline /path/to/other/checkout/src

`--baseline SRC` adds a third side: `calibrate` imported from another checkout's `src`
folder (e.g. `git archive <commit> | tar -x -C /tmp/base`, then `/tmp/base/src`), run
interleaved with the others, for a before/after in one run. Beside wall time each side
prints the CPU time of its work (user + system, all threads): on a shared machine the
wall time follows the load, the CPU time much less.

Without --claims a synthetic extract is drawn from the default example
(tests/support/synthetic.py, run from a checkout) into a temporary folder, removed
afterwards. Each run starts both sides in fresh processes, one after the other on the
same file (the order alternates between runs), and prints wall time (the work, after
imports) and peak resident memory (VmHWM: the interpreter and imports count too); then
the min and median over the runs, and whether both sides found the same clients per
profile and the same units per (profile, activity) (as the mean per client, to
`PATH_DECIMALS`, the figure calibrate reports).

DuckDB is not a dependency of bekostiging and this script installs nothing: for the
comparison, `pip install duckdb`; without it only calibrate is measured.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate import peak_rss_mb  # the sibling benchmark's VmHWM reader

TARGET_MB = 1024
TESTS = Path(__file__).resolve().parents[1] / "tests"  # holds support/synthetic.py
LABELS = {"baseline": "calibrate (baseline)", "calibrate": "bekostiging calibrate", "duckdb": "DuckDB query"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000, help="claim lines to generate (about)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--claims", type=Path, help="an existing Parquet extract (with --mapping)")
    parser.add_argument("--mapping", type=Path)
    parser.add_argument("--baseline", type=Path, help="another checkout's src folder, run as a third side")
    parser.add_argument("--child", nargs=3, metavar=("SIDE", "CLAIMS", "MAPPING"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        side, claims, mapping = args.child
        child(side, Path(claims), Path(mapping))
        return
    if (args.claims is None) != (args.mapping is None):
        parser.error("give --claims and --mapping together")

    has_duckdb = importlib.util.find_spec("duckdb") is not None
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, polars {_version('polars')}", end="")
    print(f", duckdb {_version('duckdb')}" if has_duckdb else "")
    folder = None
    try:
        if args.claims is not None:
            claims, mapping = args.claims, args.mapping
        else:
            folder = Path(tempfile.mkdtemp(prefix="bekostiging-calibrate-"))
            claims, mapping = _generate(folder, args.lines, args.seed)
        sides = (["baseline"] if args.baseline else []) + ["calibrate"] + (["duckdb"] if has_duckdb else [])
        if not has_duckdb:
            print("DuckDB side skipped: duckdb is not installed (pip install duckdb)")
        runs: dict[str, list[dict]] = {side: [] for side in sides}
        for i in range(args.runs):
            order = sides if i % 2 == 0 else sides[::-1]
            for side in order:
                runs[side].append(run(side, claims, mapping, args.baseline))
            print(
                f"run {i + 1}: "
                + ", ".join(
                    f"{s} {r['wall']:.2f} s (cpu {r['cpu']:.2f} s) {r['rss_mb']:,.0f} MB"
                    for s, r in ((s, runs[s][-1]) for s in sides)
                )
            )
        report(runs)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _generate(folder: Path, lines: int, seed: int) -> tuple[Path, Path]:
    from bekostiging import examples

    sys.path.insert(0, str(TESTS))
    from support.synthetic import expected_lines_per_client, generate_claims, mapping_toml

    claims = folder / "claims.parquet"
    clients = round(lines / expected_lines_per_client())
    start = time.perf_counter()
    truth = generate_claims(claims, clients=clients, seed=seed)
    size = claims.stat().st_size / 2**20
    print(
        f"generated {truth.lines:,} claim lines of {clients:,} clients (parquet, {size:,.0f} MB) "
        f"in {time.perf_counter() - start:.1f} s"
    )
    mapping = folder / "mapping.toml"
    mapping.write_text(mapping_toml(truth, str(examples.path_of(examples.DEFAULT))), encoding="utf-8")
    return claims, mapping


def report(runs: dict[str, list[dict]]) -> None:
    print()
    print(
        f"{'':24s} {'wall min':>9s} {'median':>8s} {'cpu min':>8s} {'median':>7s} "
        f"{'peak RSS min':>13s} {'median':>8s}"
    )
    figures = {}
    for side, results in runs.items():
        walls = [r["wall"] for r in results]
        rss = [r["rss_mb"] for r in results]
        cpus = [r["cpu"] for r in results]
        figures[side] = (min(walls), statistics.median(walls), min(rss), statistics.median(rss))
        w_min, w_med, r_min, r_med = figures[side]
        print(
            f"{LABELS[side]:24s} {w_min:8.2f}s {w_med:7.2f}s "
            f"{min(cpus):7.2f}s {statistics.median(cpus):6.2f}s {r_min:10,.0f} MB {r_med:5,.0f} MB"
        )
    cal = figures["calibrate"]
    peak = max(r["rss_mb"] for r in runs["calibrate"])
    print(f"calibrate peak <= {TARGET_MB:,} MB: {'ok' if peak <= TARGET_MB else 'NOT MET'}")
    if "duckdb" in figures:
        duck = figures["duckdb"]
        print(
            f"calibrate / DuckDB: {cal[0] / duck[0]:.2f}x the time (min), {cal[1] / duck[1]:.2f}x (median); "
            f"{cal[3] / duck[3]:.2f}x the memory (median); target <= 1.00x the time: "
            f"{'ok' if cal[1] <= duck[1] else 'NOT MET'} (median)"
        )
        if "baseline" in figures:
            base = figures["baseline"]
            print(
                f"baseline / DuckDB: {base[0] / duck[0]:.2f}x the time (min), "
                f"{base[1] / duck[1]:.2f}x (median)"
            )
        first = runs["calibrate"][0]["summary"]
        same = all(r["summary"] == first for side in runs for r in runs[side])
        print(
            f"results agree (clients per profile, units per profile and activity): {'yes' if same else 'NO'}"
        )
        if not same:
            other = runs["duckdb"][0]["summary"]
            for key in first:
                if first[key] != other[key]:
                    print(f"  {key}: calibrate {first[key]} / duckdb {other[key]}")


def run(side: str, claims: Path, mapping: Path, baseline: Path | None = None) -> dict:
    command = [sys.executable, __file__, "--child", side, str(claims), str(mapping)]
    env = None
    if side == "baseline":  # the other checkout's bekostiging first on the path
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join(filter(None, [str(baseline), os.environ.get("PYTHONPATH")])),
        )
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(side: str, claims: Path, mapping_path: Path) -> None:
    """Runs in its own process: one side, timed, then its summary and peak memory as JSON."""
    from bekostiging.calibrate import load_mapping

    mapping = load_mapping(mapping_path)
    if side in ("calibrate", "baseline"):
        from bekostiging.calibrate import calibrate

        start, cpu = time.perf_counter(), time.process_time()
        result = calibrate(claims, mapping)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        part = result.parts[0]
        summary = {
            "clients": {n: p.clients for n, p in part.profiles.items() if p.clients},
            "path": {
                n: {a: str(v) for a, v in p.path.items()} for n, p in part.profiles.items() if p.clients
            },
        }
    else:
        import duckdb  # noqa: F401 - imported before the clock starts, like calibrate above

        start, cpu = time.perf_counter(), time.process_time()
        rows = duckdb_query(claims, mapping, os.cpu_count() or 1)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        summary = duckdb_summary(rows)
    print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": peak_rss_mb(), "summary": summary}))


def duckdb_sql(claims: Path, mapping) -> str:
    """One statement: profile per client (first matching rule), clients per profile, units
    per (profile, activity) in scenario units (claimed units x the code's factor)."""

    def text(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    whens = []
    for rule in mapping.rules:
        conditions = []
        if rule.any_code:
            conditions.append(f"bool_or(activity IN ({', '.join(text(c) for c in rule.any_code)}))")
        for code, n in rule.min_units.items():
            conditions.append(f"sum(CASE WHEN activity = {text(code)} THEN units ELSE 0 END) >= {n}")
        whens.append(f"WHEN {' AND '.join(conditions)} THEN {text(rule.name)}")
    default = text(mapping.default_profile) if mapping.default_profile else "NULL"
    profile = f"CASE {' '.join(whens)} ELSE {default} END" if whens else default
    codes = ", ".join(
        f"({text(code)}, {text(target.activity)}, {target.factor}::DOUBLE)"
        for code, target in mapping.codes.items()
    )
    return f"""
        WITH lines AS (
            SELECT client_id::VARCHAR AS client_id, activity::VARCHAR AS activity, units::DOUBLE AS units
            FROM read_parquet({text(str(claims))})
        ),
        profiles AS (SELECT client_id, {profile} AS profile FROM lines GROUP BY client_id),
        codes(code, activity, factor) AS (VALUES {codes}),
        units AS (
            SELECT p.profile, c.activity, sum(l.units * c.factor) AS units
            FROM lines l JOIN profiles p USING (client_id) JOIN codes c ON l.activity = c.code
            GROUP BY p.profile, c.activity
        ),
        counts AS (SELECT profile, count(*) AS clients FROM profiles GROUP BY profile)
        SELECT counts.profile, counts.clients, units.activity, units.units
        FROM counts LEFT JOIN units ON units.profile IS NOT DISTINCT FROM counts.profile
    """


def duckdb_query(claims: Path, mapping, threads: int) -> list[tuple]:
    import duckdb

    with duckdb.connect() as con:
        con.execute(f"SET threads = {threads}")
        return con.execute(duckdb_sql(claims, mapping)).fetchall()


def duckdb_summary(rows: list[tuple]) -> dict:
    """The rows as calibrate reports them: mean units per client, rounded half-to-even to
    `PATH_DECIMALS` from the exact sum (a float's shortest repr), net totals <= 0 left out."""
    from bekostiging.calibrate.results import PATH_DECIMALS, as_decimal
    from bekostiging.money import rounded

    clients: dict[str, int] = {}
    totals: dict[str, dict[str, Decimal]] = {}
    for profile, n, activity, units in rows:
        if profile is None:
            continue
        clients[profile] = n
        if activity is not None:
            totals.setdefault(profile, {})[activity] = as_decimal(units)
    path = {
        p: {a: str(rounded(t / clients[p], PATH_DECIMALS)) for a, t in acts.items() if t > 0}
        for p, acts in totals.items()
    }
    return {"clients": clients, "path": {p: path.get(p, {}) for p in clients}}


def _version(module: str) -> str:
    try:
        return __import__(module).__version__
    except ImportError:
        return "not installed"


if __name__ == "__main__":
    main()
