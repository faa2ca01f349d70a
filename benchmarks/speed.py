"""Start-up and one-run speed, printed with its peers (never asserted in tests).

Targets (issue 19), on the 2-core reference machine, wall time of a fresh process:
  bekostiging --help                              <= 0.15 s
  bekostiging compare (the default example)       <= 0.35 s
  one-year scenario, compare -f json              <= 1.5 x a plain-Python peer of the
                                                     same formulas (benchmarks/peer.py)

Run: python benchmarks/speed.py [--runs N]
Every command runs as a user runs it (a fresh process), the commands of one round one
after the other (interleaved), N rounds; the best and the median are printed. The floors
(`python -c pass`, the imports the tool cannot do without) are measured in the same rounds,
so a ratio compares like with like on a loaded machine; the CPU seconds of the best run
(user + system) are printed too, as they vary less with the load than wall time. Installed packages have their
bytecode compiled (pip does it); so that a source checkout measures the same, the package
is compiled first (PYTHONDONTWRITEBYTECODE would otherwise compile it on every run).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
ONE_YEAR = HERE / "data" / "one-year.toml"
PEER = HERE / "peer.py"


CPU: dict[str, list[float]] = {}  # user + system seconds of each command's process, per run


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rounds(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Wall seconds of each command, `runs` times, interleaved (one round runs each once);
    their CPU seconds go to `CPU`."""
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, command in commands.items():
            cpu, start = _children_cpu(), time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[label].append(time.perf_counter() - start)
            CPU.setdefault(label, []).append(_children_cpu() - cpu)
    return times


def line(label: str, values: list[float], note: str = "", cpu: str | None = None) -> None:
    used = f"  cpu best {min(CPU[cpu]):6.3f} s" if cpu in CPU else ""
    print(f"  {label:44s} best {min(values):6.3f} s  median {statistics.median(values):6.3f} s{used}  {note}")


def verdict(values: list[float], target: float) -> str:
    best, median = min(values), statistics.median(values)
    state = "met" if median <= target else "met by the best run" if best <= target else "NOT MET"
    return f"(target {target} s: {state})"


def ratio(a: list[float], b: list[float]) -> tuple[float, float]:
    return min(a) / min(b), statistics.median(a) / statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    exe = shutil.which("bekostiging") or str(Path(sys.executable).with_name("bekostiging"))
    if not os.path.exists(exe):
        sys.exit("bekostiging is not installed in this environment")
    import bekostiging

    compileall.compile_dir(Path(bekostiging.__file__).parent, quiet=1)
    py = [sys.executable]
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
        f"{args.runs} rounds, wall time of a fresh process"
    )
    t = rounds(
        {
            "python -c pass": [*py, "-c", "pass"],
            "import typer": [*py, "-c", "import typer"],
            "import polars": [*py, "-c", "import polars"],
            "import typer, polars, pydantic": [*py, "-c", "import typer, polars, pydantic"],
            "--help": [exe, "--help"],
            "compare": [exe, "compare"],
            "one-year json": [exe, "compare", str(ONE_YEAR), "-f", "json"],
            "peer": [*py, str(PEER), str(ONE_YEAR)],
        },
        args.runs,
    )
    print("floors (what any run of the tool pays before its own work):")
    for label in ("python -c pass", "import typer", "import polars", "import typer, polars, pydantic"):
        line(f"python -c '{label}'" if label != "python -c pass" else label, t[label], cpu=label)
    print("targets:")
    line("bekostiging --help", t["--help"], verdict(t["--help"], 0.15), cpu="--help")
    line("bekostiging compare (default example)", t["compare"], verdict(t["compare"], 0.35), cpu="compare")
    line("compare one-year.toml -f json", t["one-year json"], cpu="one-year json")
    line("python benchmarks/peer.py (stdlib + Decimal)", t["peer"], cpu="peer")
    best, median = ratio(t["one-year json"], t["peer"])
    state = "met" if median <= 1.5 else "met by the best runs" if best <= 1.5 else "NOT MET"
    print(f"  one-year json / peer: {best:.2f}x best, {median:.2f}x median (target 1.5x: {state})")
    floor = [
        a + b - c for a, b, c in zip(t["import typer"], t["import polars"], t["python -c pass"], strict=True)
    ]
    print(
        f"  of which typer + polars imports alone: {min(floor):.3f} s best = "
        f"{min(floor) / min(t['peer']):.2f}x the peer's whole run"
    )

    from bekostiging import examples
    from bekostiging.api import compare

    path = examples.path_of(examples.DEFAULT)
    compare(path)  # warm: imports done
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        compare(path)
        times.append(time.perf_counter() - start)
    print("in one process, imports done:")
    line("api.compare(default example)", times)


if __name__ == "__main__":
    main()
