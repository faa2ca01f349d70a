"""The national example: 71 regional files in one `bekostiging compare` (issue 19: <= 1.0 s
of CPU and <= 0.8 s wall on 2 cores).

Times `bekostiging compare examples/geboortezorg-nationaal/regios -f csv` in a fresh
process N times, three ways side by side, interleaved run by run so that the load of a
shared machine falls on each alike:

- `cores`: as shipped (the regions split over the cores, `bekostiging.cores`);
- `one core`: the same code with `BEKOSTIGING_PROCESSES=1`;
- `reference`, with `--reference DIR`: another checkout's `src` (for example the commit
  before a change, `git archive REV src | tar -x -C DIR`), run on one core as it was.

For each: the wall time and the CPU time (user + sys of the process and every process it
started), min and median. Then one run on one core in this process, per phase: where the
time goes (`--profile N` adds cProfile's N most expensive functions). Every run's output
is checked to be byte-identical to the first's.

Run: python benchmarks/national.py [--runs 7] [--reference DIR] [--profile 25]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "examples" / "geboortezorg-nationaal" / "regios"
COMMAND = ["compare", str(FOLDER), "-f", "csv"]
TARGET_CPU, TARGET_WALL = 1.0, 0.8


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def once(env: dict[str, str]) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one fresh `bekostiging compare`, and what it wrote."""
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bekostiging", *COMMAND], capture_output=True, check=True, env=env, cwd=ROOT
    )
    return time.perf_counter() - start, children_cpu() - cpu, done.stdout


def ways(reference: Path | None) -> dict[str, dict[str, str]]:
    base = {k: v for k, v in os.environ.items() if k != "BEKOSTIGING_PROCESSES"}
    found = {"cores": base, "one core": {**base, "BEKOSTIGING_PROCESSES": "1"}}
    if reference is not None:
        found["reference"] = {**base, "BEKOSTIGING_PROCESSES": "1", "PYTHONPATH": str(reference / "src")}
    return found


def timings(runs: int, reference: Path | None) -> None:
    named = ways(reference)
    walls: dict[str, list[float]] = {name: [] for name in named}
    cpus: dict[str, list[float]] = {name: [] for name in named}
    first = None
    for _ in range(runs):
        for name, env in named.items():
            wall, cpu, out = once(env)
            walls[name].append(wall)
            cpus[name].append(cpu)
            first = first if first is not None else out
            assert out == first, f"{name}: output differs from the first run's"
    rows = first.decode().count("\n") - 1 if first else 0
    print(f"bekostiging compare {FOLDER.relative_to(ROOT)} -f csv: {rows} rows, byte-identical in every run")
    cores = len(os.sched_getaffinity(0))
    print(f"{runs} fresh processes each, interleaved; {cores} cores; load now {_load()}")
    print(f"{'':12s} {'wall min':>9s} {'median':>8s} {'cpu min':>9s} {'median':>8s}")
    for name in named:
        w, c = walls[name], cpus[name]
        med_w, med_c = statistics.median(w), statistics.median(c)
        print(f"{name:12s} {min(w):8.3f}s {med_w:7.3f}s {min(c):8.3f}s {med_c:7.3f}s")
    w, c = min(walls["cores"]), min(cpus["cores"])
    print(f"target (best runs): cpu <= {TARGET_CPU} s: {_verdict(c, TARGET_CPU)}, ", end="")
    print(f"wall <= {TARGET_WALL} s: {_verdict(w, TARGET_WALL)}")
    if "reference" in named:
        r_w, r_c = statistics.median(walls["reference"]), statistics.median(cpus["reference"])
        print(
            f"reference -> cores (medians): wall {r_w:.3f} -> {statistics.median(walls['cores']):.3f} s "
            f"({r_w / statistics.median(walls['cores']):.2f}x), cpu {r_c:.3f} -> "
            f"{statistics.median(cpus['cores']):.3f} s ({r_c / statistics.median(cpus['cores']):.2f}x)"
        )


def _verdict(value: float, target: float) -> str:
    return "met" if value <= target else f"{value / target:.2f}x over"


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


PHASES = """
import cProfile, functools, io, os, pstats, sys, time
from collections import Counter
os.environ["BEKOSTIGING_PROCESSES"] = "1"
import gc
gc.disable()  # as `compare` runs (cli.emit.one_pass)
spent = Counter()
start = time.perf_counter()
from bekostiging import api
from bekostiging.cli import app  # what the CLI imports before it loads
import polars  # noqa: F401
spent["imports (python, polars, pydantic, typer)"] = time.perf_counter() - start

def timed(module, name, label):
    inner = getattr(module, name)
    @functools.wraps(inner)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            result = inner(*args, **kwargs)
            return list(result) if hasattr(result, "__next__") else result
        finally:
            spent[label] += time.perf_counter() - t
    setattr(module, name, wrapper)

import bekostiging.scenario.toml_files as toml_files, bekostiging.scenario.checks as checks
import bekostiging.scenario.load as load, bekostiging.engine.run as run, bekostiging.api as api_module
import bekostiging.results as results
timed(toml_files, "parse_toml", "TOML parsing")
timed(checks, "dry_run_effects", "effects' dry run (check)")
timed(load, "validate_tree", "validation (pydantic, checks)")
timed(run, "run", "engine (5 variants a region)")
timed(api_module, "_figures_of", "figures (polars, all regions at once)")
profile = cProfile.Profile() if int(sys.argv[2]) else None
t = time.perf_counter()
if profile: profile.enable()
loaded = api.load(sys.argv[1])
t_load = time.perf_counter()
result = api.compare(loaded)
t_compare = time.perf_counter()
text = api.render(result, "csv")
t_render = time.perf_counter()
if profile: profile.disable()
spent["load (scan, includes, validation)"] = t_load - t
spent["compare (engine, figures, sum)"] = t_compare - t_load
spent["render csv (tables of 71 regions + total)"] = t_render - t_compare
spent["validation (pydantic, checks)"] -= spent["effects' dry run (check)"]
order = ["imports (python, polars, pydantic, typer)", "load (scan, includes, validation)",
         "TOML parsing", "validation (pydantic, checks)", "effects' dry run (check)",
         "compare (engine, figures, sum)", "engine (5 variants a region)",
         "figures (polars, all regions at once)", "render csv (tables of 71 regions + total)"]
total = spent[order[0]] + spent[order[1]] + spent[order[5]] + spent[order[8]]
for name in order:
    indent = "    " if name in order[2:5] or name in order[6:8] else "  "
    print(f"{indent}{name:44s} {spent[name]:6.3f} s  {100 * spent[name] / total:3.0f}%")
print(f"  {'total':44s} {total:6.3f} s")
if profile:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(int(sys.argv[2]))
    print(out.getvalue())
"""


def phases(top: int) -> None:
    print("\nwhere the time goes: one run on one core, in-process (wall; shares of the total):")
    subprocess.run([sys.executable, "-c", PHASES, str(FOLDER), str(top)], check=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reference", type=Path, help="a checkout whose src/ to time as the reference")
    parser.add_argument("--profile", type=int, default=0, help="also cProfile's N most expensive functions")
    args = parser.parse_args()
    timings(args.runs, args.reference)
    phases(args.profile)


if __name__ == "__main__":
    main()
