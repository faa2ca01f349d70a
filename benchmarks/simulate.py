"""Monte Carlo speed (issue 6 targets): 1,000 draws <= 10 s, 10,000 draws <= 60 s, <= 2 GB.

The scenario is the embedded default example with its own [uncertainty] (8 parameters)
and [horizon] (5 years, so every draw computes five years), as `bekostiging simulate`
runs it. For comparison the same file is also timed as one year: a copy written by
`bekostiging init` without its [horizon] (the [uncertainty] after it goes too, so the
copy gets the 8 parameters back as a table of its own). Each run is a fresh
`bekostiging simulate` process; peak memory is the largest process (the parent or one of
its workers), read from /usr/bin/time when it is there. With --check, the first 200 draws
of the default example are also computed one at a time (the reference evaluation) and
compared with one block, figure by figure.

Run: python benchmarks/simulate.py [--draws 1000 10000] [--check]
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
from bekostiging.starter import init_example


def one_year(folder: Path) -> Path:
    """The default example without [horizon], with its [uncertainty] kept."""
    path = init_example(folder)[0]
    text = path.read_text(encoding="utf-8")
    head, found, rest = text.partition("\n[horizon]\n")
    _, found_uncertainty, uncertainty = rest.partition("\n[uncertainty]\n")
    assert found and found_uncertainty, "the example's [horizon] and then its [uncertainty] come last"
    path.write_text(f"{head}\n[uncertainty]\n{uncertainty}", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--check", action="store_true", help="compare 200 draws with the reference")
    args = parser.parse_args()
    exe = shutil.which("bekostiging") or str(Path(sys.executable).with_name("bekostiging"))
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    with tempfile.TemporaryDirectory() as tmp:
        scenarios = {
            "default example (5 years)": str(examples.path_of(examples.DEFAULT)),
            "the same as one year": str(one_year(Path(tmp))),
        }
        for label, scenario in scenarios.items():
            print(label)
            for n in args.draws:
                command = [exe, "simulate", scenario, "--draws", str(n), "-f", "json"]
                if timer:
                    command = [timer, "-f", "%M", *command]
                start = time.perf_counter()
                done = subprocess.run(command, capture_output=True, text=True, check=True)
                wall = time.perf_counter() - start
                memory = f"{int(done.stderr.strip().splitlines()[-1]) / 1024:,.0f} MB" if timer else "n/a"
                target = 10 if n <= 1000 else 60 * n / 10_000
                verdict = "ok" if wall <= target else "SLOWER THAN TARGET"
                print(f"  {n:>7,} draws  {wall:7.2f} s  peak {memory}  (target {target:.0f} s: {verdict})")
    if args.check:
        check(200)


def check(n: int) -> None:
    """One block against the one-draw-at-a-time reference, for the first `n` draws."""
    from dataclasses import replace

    from bekostiging import api
    from bekostiging.engine.simulate import evaluate, evaluate_block
    from bekostiging.scenario.uncertainty import Sampler

    loaded = api.load(examples.DEFAULT)
    assert isinstance(loaded, api.Scenario)
    _, job = api._uncertain(loaded, None, ())
    scenario = loaded.model
    assert scenario.uncertainty is not None
    job = replace(job, columns=Sampler(scenario.uncertainty).take(n))
    start = time.perf_counter()
    figures, _ = evaluate_block(job, range(n))
    block = time.perf_counter() - start
    start = time.perf_counter()
    mismatches = 0
    for i in range(n):
        alone, _ = evaluate(job, i)
        for key, values in alone.items():
            got = tuple(None if column is None else int(column[i]) for column in figures[key])
            mismatches += got != values
    alone_time = time.perf_counter() - start
    print(f"check, {n} draws: one block {block:.2f} s, one at a time {alone_time:.2f} s")
    print(f"  {mismatches} figures differ")


if __name__ == "__main__":
    main()
