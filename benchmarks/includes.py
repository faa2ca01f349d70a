"""Reading a scenario with many includes: the time grows linearly with their number.

`validate` once compared every include with every file read before it (a list), so
20,000 includes took 92 s; each file read is now looked up in a set. Builds a scenario
that includes N small tariff files in a temporary folder, runs `bekostiging validate`
on it in a fresh process and prints the time per include, which should stay flat.

Run: python benchmarks/includes.py [--sizes 1000 5000 20000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = """[scenario]
name = "Veel tabellen"
baseline = "mono"
default_payer = "zvw"
include = [{includes}]

[parties.zvw]
role = "payer"
[parties.vk]
role = "provider"

[profiles.p]
clients = 10
path = {{ a0 = 1 }}

[variants.mono]
"""


def build(folder: Path, n: int) -> Path:
    for i in range(n):
        # the same entry in each (a repeated key with the same value is fine): 20,000
        # different ones would pass the limit on activities
        (folder / f"t{i}.toml").write_text('[activities.a0]\nprovider = "vk"\ntariff = 1\n')
    main = folder / "scenario.toml"
    main.write_text(HEAD.format(includes=", ".join(f'"t{i}.toml"' for i in range(n))), encoding="utf-8")
    return main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 20_000])
    args = parser.parse_args()
    exe = shutil.which("bekostiging") or str(Path(sys.executable).with_name("bekostiging"))
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = build(Path(tmp), n)
            start = time.perf_counter()
            done = subprocess.run([exe, "validate", str(path)], capture_output=True, text=True, check=False)
            took = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(done.stderr)
        print(f"{n:>7,} includes: {took:6.2f} s, {took / n * 1000:.3f} ms per include")


if __name__ == "__main__":
    main()
