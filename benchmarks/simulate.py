"""Monte Carlo speed (issue 19 targets): 1,000 draws <= 1 s, 10,000 draws <= 5 s, peak <= 1 GB.

The scenario is the embedded default example with its own [uncertainty] (8 parameters)
and [horizon] (5 years, so every draw computes five years), as `bekostiging simulate`
runs it. For comparison the same file is also timed as one year: a copy written by
`bekostiging init` with `years = 1` in its [horizon] (the examples write values by year,
which need a horizon) and only the investments of that year. As peers in the same run:
`bekostiging simulate --draws 1` (start-up, loading and one draw: what every run pays
before its draws) and the deterministic `bekostiging compare`.

Each run is a fresh process, timed `--repeat` times (min and median shown: the machine
may be shared), with its CPU time (the parent's and its workers', user + system: less
sensitive to a busy machine than the wall time). Peak memory is that of the largest
process, the parent or one of its spawned workers (GNU time's maximum resident set,
which covers the children the parent waited for), when /usr/bin/time is there. With
--check, the first 200 draws of the default example are also computed one at a time (the
reference evaluation) and compared with one block, figure by figure.

Run: python benchmarks/simulate.py [--draws 1000 10000] [--repeat 3] [--check]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bekostiging import examples
from bekostiging.starter import init_example

TARGETS = {1000: 1.0, 10_000: 5.0}  # draws -> seconds of wall time (issue 19)
PEAK_TARGET_MB = 1024


def one_year(folder: Path) -> Path:
    """The default example with a horizon of one year (its start), its [uncertainty] kept."""
    path = init_example(folder)[0]
    text = path.read_text(encoding="utf-8")
    start = re.search(r"(?m)^\[horizon\]\nstart = (\d+)", text)
    assert start, "the example has a [horizon] with its start first"
    text, found = re.subn(r"(?m)^years = \d+", "years = 1", text, count=1)
    assert found, "the example's [horizon] has years"

    def outside(block: re.Match[str]) -> str:  # an investment of a later year: outside the horizon
        return "" if f"\nyear = {start[1]}\n" not in block[0] else block[0]

    text = re.sub(r"(?ms)^\[\[horizon\.investments\]\]\n.*?(?=^\[|^#|\Z)", outside, text)
    path.write_text(text, encoding="utf-8")
    return path


Run = tuple[float, float | None, float | None]  # wall s, CPU s (parent and workers), peak MB


def timed(command: list[str], timer: str | None) -> Run:
    """Wall seconds, CPU seconds and peak MB (None without GNU time) of one fresh process."""
    if timer:
        command = [timer, "-f", "%M %U %S", *command]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    if not timer:
        return wall, None, None
    peak, user, system = done.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(peak) / 1024


def line(label: str, runs: list[Run], target: float | None = None) -> str:
    walls = [w for w, _, _ in runs]
    cpus = [c for _, c, _ in runs if c is not None]
    peaks = [p for _, _, p in runs if p is not None]
    peak = f"peak {max(peaks):5,.0f} MB" if peaks else "peak n/a"
    cpu = f"cpu min {min(cpus):6.2f} s" if cpus else "cpu n/a"
    wall = f"wall min {min(walls):6.2f} s  median {statistics.median(walls):6.2f} s"
    text = f"  {label:<22} {wall}  {cpu}  {peak}"
    if target is not None:
        verdict = "ok" if min(walls) <= target else "SLOWER THAN TARGET"
        memory = "" if not peaks or max(peaks) <= PEAK_TARGET_MB else ", PEAK ABOVE 1 GB"
        text += f"  (target {target:g} s, {PEAK_TARGET_MB:,} MB: {verdict}{memory})"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (min and median)")
    parser.add_argument("--check", action="store_true", help="compare 200 draws with the reference")
    args = parser.parse_args()
    exe = shutil.which("bekostiging") or str(Path(sys.executable).with_name("bekostiging"))
    timer = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
    with tempfile.TemporaryDirectory() as tmp:
        scenarios = {
            "default example (5 years)": str(examples.path_of(examples.DEFAULT)),
            "the same as one year": str(one_year(Path(tmp))),
        }
        for label, scenario in scenarios.items():
            print(label)
            commands = {
                "compare (peer)": [exe, "compare", scenario, "-f", "json"],
                "simulate 1 draw (peer)": [exe, "simulate", scenario, "--draws", "1", "-f", "json"],
            }
            for n in args.draws:
                command = [exe, "simulate", scenario, "--draws", str(n), "-f", "json"]
                commands[f"simulate {n:,} draws"] = command
            runs: dict[str, list[Run]] = {name: [] for name in commands}
            for _ in range(args.repeat):  # interleaved, so a busy moment hits every command alike
                for name, command in commands.items():
                    runs[name].append(timed(command, timer))
            for name, found in runs.items():
                n = int(name.split()[1].replace(",", "")) if name.endswith("draws") else None
                target = TARGETS.get(n) if n is not None and label.startswith("default") else None
                print(line(name, found, target))
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
