"""SVG -> PNG for `report --chart NAME -o chart.png`, through a headless Chromium.

There is no well-kept pure-Python SVG rasteriser (cairosvg needs the cairo C library), and
the report is already checked in Chromium, so the browser draws the PNG. Without one, the
error says how to get it, and that `.svg` works everywhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# Flags that keep a headless Chromium quiet and off the network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-domain-reliability",
    "--no-pings",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate,AutofillServerCommunication",
)


class PngUnavailable(RuntimeError):
    pass


def browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def svg_to_png(svg: str, scale: int = 2) -> bytes:
    """Render a standalone SVG (with a viewBox) to PNG at `scale` × its size."""
    exe = browser()
    if exe is None:
        raise PngUnavailable(
            "PNG needs Chromium (e.g. `apt-get install chromium`); `-o chart.svg` needs nothing"
        )
    match = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    width, height = (int(float(v)) for v in match.groups()) if match else (1200, 800)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "chart.html"
        page.write_text(
            "<!doctype html><meta charset='utf-8'><style>html,body{margin:0}svg{display:block;width:100%;"
            f"height:auto}}</style>{svg}",
            encoding="utf-8",
        )
        target = Path(tmp) / "chart.png"
        command = [
            exe,
            *FLAGS,
            f"--user-data-dir={tmp}/profile",
            f"--force-device-scale-factor={scale}",
            f"--window-size={width},{height}",
            f"--screenshot={target}",
            page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, timeout=60, check=False)
        if not target.is_file():
            raise PngUnavailable(
                f"Chromium did not render the chart: {done.stderr.decode(errors='replace')[-300:]}"
            )
        return target.read_bytes()
