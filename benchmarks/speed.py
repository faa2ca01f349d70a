"""Speed of the everyday commands, printed (never asserted in tests).

Targets (issue "Engine v1"), on the 2-core reference machine:
  bekostiging --help                     <= 0.3 s wall
  bekostiging compare (embedded example) <= 0.8 s wall

Run: python benchmarks/speed.py [--runs N]
Each command runs in a fresh process (as a user runs it); the median and the best of N
runs are printed, plus the in-process time of the engine alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def wall(command: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    exe = shutil.which("bekostiging") or str(Path(sys.executable).with_name("bekostiging"))
    if not os.path.exists(exe):
        sys.exit("bekostiging is not installed in this environment")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.runs} runs each")
    for label, command, target in [
        ("bekostiging --help", [exe, "--help"], 0.3),
        ("bekostiging compare", [exe, "compare"], 0.8),
        ("bekostiging compare -f json", [exe, "compare", "-f", "json"], 0.8),
    ]:
        median, best = wall(command, args.runs)
        verdict = "ok" if median <= target else "SLOWER THAN TARGET"
        print(f"{label:32s} median {median:6.3f} s  best {best:6.3f} s  (target {target} s: {verdict})")

    from bekostiging import examples
    from bekostiging.api import compare

    path = examples.path_of(examples.DEFAULT)
    compare(path)  # warm: imports done
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        compare(path)
        times.append(time.perf_counter() - start)
    label = "engine only (load+run+figures)"
    print(f"{label:32s} median {statistics.median(times):6.3f} s  best {min(times):6.3f} s")


if __name__ == "__main__":
    main()
