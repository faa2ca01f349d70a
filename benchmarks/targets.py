"""Every target of issue 19 beside its peer, measured in one run, printed as one table.

Run: python benchmarks/targets.py [--runs 7] [--lines 10_000_000 | --claims X.parquet --mapping M.toml]
                                  [--no-calibrate]

Each row is a fresh process per run, its commands interleaved with its peer's (a busy
moment hits both alike): the best and the median wall time, the CPU time of the process
and every process it waited for (user + system), and the peak memory of the largest of
them (GNU time's maximum resident set) where the target has one. A target is judged on
the median. The machine is described first; the table is the one in README's
"Performance" section. The scripts beside this one print the detail and the profiles:
speed.py (start-up), national.py (the 71 regions, phase by phase), simulate.py (draws,
and one block checked against draws computed one at a time), calibrate_duckdb.py
(calibrate against DuckDB, with the check that both find the same clients and paths).
The calibrate row needs `pip install duckdb` and writes a 10 M line extract (about
400 MB, a few minutes) to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


@dataclass
class Runs:
    """Wall seconds, CPU seconds and peak MB (None without GNU time) of each run."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak: list[float] = field(default_factory=list)

    def add(self, command: list[str], env: dict[str, str] | None = None) -> None:
        timed = [TIME, "-f", "%M %U %S", *command] if TIME else command
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(timed, capture_output=True, text=True, env=env, cwd=ROOT)
        self.wall.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
        if TIME:
            peak, user, system = done.stderr.strip().splitlines()[-1].split()
            self.cpu.append(float(user) + float(system))
            self.peak.append(int(peak) / 1024)
        else:
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            self.cpu.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)

    @property
    def best(self) -> float:
        return min(self.wall)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    def seconds(self) -> str:
        return f"{self.best:.3f} ({self.median:.3f}) s"

    def cpu_seconds(self) -> str:
        return f"{statistics.median(self.cpu):.2f} s CPU"

    def memory(self) -> str:
        return f"{max(self.peak):,.0f} MB" if self.peak else "peak n/a"


def interleaved(commands: dict[str, tuple[list[str], dict[str, str] | None]], runs: int) -> dict[str, Runs]:
    found = {name: Runs() for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            found[name].add(command, env)
    return found


Row = tuple[str, str, str, str, str]  # run, peer in the same run, now, target, verdict


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"


def startup(exe: str, runs: int) -> list[Row]:
    from speed import ONE_YEAR, PEER

    py = sys.executable
    t = interleaved(
        {
            "typer": ([py, "-c", "import typer"], None),
            "stack": ([py, "-c", "import typer, polars, pydantic"], None),
            "help": ([exe, "--help"], None),
            "compare": ([exe, "compare"], None),
            "one-year": ([exe, "compare", str(ONE_YEAR), "-f", "json"], None),
            "peer": ([py, str(PEER), str(ONE_YEAR)], None),
        },
        runs,
    )
    ratio = t["one-year"].median / t["peer"].median
    return [
        (
            "`bekostiging --help`",
            f"`import typer` {t['typer'].seconds()}",
            t["help"].seconds(),
            "≤ 0.15 s",
            verdict(t["help"].median <= 0.15),
        ),
        (
            "`compare`, the default example (5 years × 5 variants)",
            f"`import typer, polars, pydantic` {t['stack'].seconds()}",
            f"{t['compare'].seconds()}, {t['compare'].cpu_seconds()}",
            "≤ 0.35 s",
            verdict(t["compare"].median <= 0.35),
        ),
        (
            "one-year `compare -f json` (`benchmarks/data/one-year.toml`)",
            f"`benchmarks/peer.py` {t['peer'].seconds()}",
            f"{t['one-year'].seconds()}: {ratio:.1f} × the peer",
            "≤ 1.5 × the peer",
            verdict(ratio <= 1.5),
        ),
    ]


def national(exe: str, runs: int) -> list[Row]:
    from national import COMMAND

    base = {k: v for k, v in os.environ.items() if k != "BEKOSTIGING_PROCESSES"}
    t = interleaved(
        {"cores": ([exe, *COMMAND], base), "one": ([exe, *COMMAND], {**base, "BEKOSTIGING_PROCESSES": "1"})},
        runs,
    )
    cores, one = t["cores"], t["one"]
    cpu = statistics.median(cores.cpu)
    return [
        (
            "71 regions, `compare examples/geboortezorg-nationaal/regios -f csv`",
            f"one core {one.seconds()}, {one.cpu_seconds()}",
            f"{cores.seconds()}, {cores.cpu_seconds()}",
            "≤ 0.8 s wall, ≤ 1.0 s CPU",
            f"wall {verdict(cores.median <= 0.8)}, CPU {verdict(cpu <= 1.0)}",
        )
    ]


def simulate(exe: str, runs: int) -> list[Row]:
    from bekostiging import examples

    scenario = str(examples.path_of(examples.DEFAULT))
    draws = [exe, "simulate", scenario, "-f", "json", "--draws"]
    t = interleaved(
        {
            "one": ([*draws, "1"], None),
            "1000": ([*draws, "1000"], None),
            "10000": ([*draws, "10000"], None),
        },
        max(1, runs // 3),
    )
    rows = []
    for n, target in ((1000, 1.0), (10_000, 5.0)):
        found = t[str(n)]
        memory_met = max(found.peak, default=0) <= 1024
        rows.append(
            (
                f"`simulate`, default example, {n:,} draws",
                f"`--draws 1` {t['one'].seconds()}",
                f"{found.seconds()}, {found.cpu_seconds()}, {found.memory()}",
                f"≤ {target:g} s, ≤ 1 GB",
                f"time {verdict(found.median <= target)}, memory {verdict(memory_met)}",
            )
        )
    return rows


def calibrate(lines: int, runs: int, given: tuple[Path, Path] | None = None) -> list[Row]:
    """`calibrate`'s aggregation against DuckDB's on the same extract, as
    calibrate_duckdb.py times them: each side in a process of its own, the clock started
    after its imports, its peak memory read from the process (VmHWM)."""
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return [("`calibrate` against DuckDB", "duckdb not installed", "", "≤ DuckDB, ≤ 1 GB", "not run")]
    import calibrate_duckdb as bench

    t = {side: Runs() for side in ("calibrate", "duckdb")}
    with tempfile.TemporaryDirectory() as tmp:
        claims, mapping = given or bench._generate(Path(tmp), lines, 1)
        for i in range(runs):
            for side in ("calibrate", "duckdb") if i % 2 == 0 else ("duckdb", "calibrate"):
                found = bench.run(side, claims, mapping)
                t[side].wall.append(found["wall"])
                t[side].cpu.append(found["cpu"])
                t[side].peak.append(found["rss_mb"])
    ours, theirs = t["calibrate"], t["duckdb"]
    ratio = ours.median / theirs.median
    return [
        (
            f"`calibrate`, {_lines(claims) / 1e6:.3g} M claim lines (Parquet)",
            f"DuckDB {theirs.seconds()}, {theirs.memory()}",
            f"{ours.seconds()}, {ours.memory()}: {ratio:.2f} × DuckDB",
            "≤ DuckDB, ≤ 1 GB",
            f"time {verdict(ratio <= 1)}, memory {verdict(max(ours.peak, default=0) <= 1024)}",
        )
    ]


def _lines(claims: Path) -> int:
    import polars as pl

    return pl.scan_parquet(claims).select(pl.len()).collect().item()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import polars

    return (
        f"{len(os.sched_getaffinity(0))} cores ({cpu}), Python {platform.python_version()}, "
        f"polars {polars.__version__}, load average {os.getloadavg()[0]:.1f} at the start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (simulate: a third)")
    parser.add_argument("--lines", type=int, default=10_000_000, help="claim lines for calibrate")
    parser.add_argument("--no-calibrate", action="store_true", help="leave out calibrate against DuckDB")
    parser.add_argument("--claims", type=Path, help="an existing Parquet extract (with --mapping)")
    parser.add_argument("--mapping", type=Path)
    args = parser.parse_args()
    exe = shutil.which("bekostiging") or str(Path(sys.executable).with_name("bekostiging"))
    if not Path(exe).exists():
        sys.exit("bekostiging is not installed in this environment")
    import compileall

    import bekostiging

    compileall.compile_dir(Path(bekostiging.__file__).parent, quiet=1)  # as pip leaves an install
    print(machine())
    every = f"{args.runs} interleaved runs each (simulate {max(1, args.runs // 3)})"
    print(f"fresh processes, {every}; best (median)")
    rows = startup(exe, args.runs) + national(exe, args.runs) + simulate(exe, args.runs)
    if not args.no_calibrate:
        given = (args.claims, args.mapping) if args.claims and args.mapping else None
        rows += calibrate(args.lines, max(1, args.runs // 3), given)
    print()
    print("| run | peer, same run | now | target | |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
