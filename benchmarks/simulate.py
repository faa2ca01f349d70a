"""Monte Carlo speed (issue 6 targets): 1,000 draws <= 10 s, 10,000 draws <= 60 s, <= 2 GB.

The scenario is the embedded default example plus an [uncertainty] block of four
parameters (a care-path unit, a tariff, a variant's effect factor and a profile's
clients), written to a temporary file that includes the example. Each run is a fresh
`bekostiging simulate` process; peak memory is the largest process (the parent or one of
its workers), read from /usr/bin/time when it is there.

Run: python benchmarks/simulate.py [--draws 1000 10000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bekostiging import examples

UNCERTAINTY = """
[uncertainty]
seed = 20251122
[uncertainty.params]
"profiles.ongecompliceerd.path.zh_sectio" = { dist = "triangular", low = 0.05, mode = 0.07, high = 0.09 }
"activities.kz_uur.tariff" = { dist = "normal", mean = 62.30, sd = 1.50, low = 55 }
"variants.profielen.effects.1.factor" = { dist = "uniform", low = 0.80, high = 0.95 }
"profiles.diabetes.clients" = { dist = "pert", low = 140, mode = 170, high = 210 }
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    exe = shutil.which("bekostiging") or str(Path(sys.executable).with_name("bekostiging"))
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "onzeker.toml"
        include = examples.path_of(examples.DEFAULT).resolve()
        scenario.write_text(f'[scenario]\ninclude = ["{include}"]\n{UNCERTAINTY}', encoding="utf-8")
        for n in args.draws:
            command = [exe, "simulate", str(scenario), "--draws", str(n), "-f", "json"]
            if timer:
                command = [timer, "-f", "%M", *command]
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            wall = time.perf_counter() - start
            memory = f"{int(done.stderr.strip().splitlines()[-1]) / 1024:,.0f} MB" if timer else "n/a"
            target = 10 if n <= 1000 else 60 * n / 10_000
            verdict = "ok" if wall <= target else "SLOWER THAN TARGET"
            print(f"{n:>7,} draws  {wall:7.2f} s  peak {memory}  (target {target:.0f} s: {verdict})")


if __name__ == "__main__":
    main()
