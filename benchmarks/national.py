"""A national run: about 70 regional scenario files in one `bekostiging compare` (target <= 3 s).

Builds the regions in a temporary folder from the embedded example as one year (without
its [horizon] and [uncertainty], the last sections of the file; each region its own
client numbers, all sharing the tariff table through `include`), runs
`bekostiging compare FOLDER -f csv` in a fresh process N times, prints the timings and
removes the folder. The generated files are never kept.

Run: python benchmarks/national.py [--regions 70] [--runs 5]
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


def build(folder: Path, regions: int) -> Path:
    root = examples.data_root()
    shutil.copytree(root / "configs", folder / "configs")
    (folder / ".bekostiging").write_text("")  # the project folder the regions' includes reach into
    target = folder / "examples" / "regios"
    target.mkdir(parents=True)
    text = examples.path_of(examples.DEFAULT).read_text(encoding="utf-8").partition("\n[horizon]\n")[0]
    for i in range(regions):
        factor = 0.6 + (i % 9) * 0.1  # regions from 0.6x to 1.4x the example's births

        def scale(match: re.Match, factor: float = factor) -> str:
            return f"clients = {round(int(match[1]) * factor)}"

        region = re.sub(r"^clients = (\d+)", scale, text, flags=re.MULTILINE)
        region = region.replace('name = "VSV Voorbeeldregio 2025-2029"', f'name = "VSV regio {i + 1:02d}"')
        (target / f"regio_{i + 1:02d}.toml").write_text(region, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=70)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = shutil.which("bekostiging") or str(Path(sys.executable).with_name("bekostiging"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = build(Path(tmp), args.regions)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run([exe, "compare", str(folder), "-f", "csv"], capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        rows = done.stdout.decode().count("\n") - 1
        print(f"{args.regions} regions, {rows} result rows, {args.runs} runs")
        verdict = "ok" if statistics.median(times) <= 3 else "SLOWER THAN TARGET"
        median = statistics.median(times)
        print(f"bekostiging compare FOLDER -f csv  median {median:6.3f} s  best {min(times):6.3f} s", end="")
        print(f"  (target 3 s: {verdict})")


if __name__ == "__main__":
    main()
