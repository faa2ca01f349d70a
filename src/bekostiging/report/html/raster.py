"""SVG -> PNG for `report --chart NAME -o chart.png`, through a headless Chromium.

There is no well-kept pure-Python SVG rasteriser (cairosvg needs the cairo C library), and
the report is already checked in Chromium, so the browser draws the PNG. Without one, the
error says how to get it, and that `.svg` works everywhere.

The browser is kept off the network in three layers (SECURITY.md, "The PNG route"):
- a network namespace of its own (`unshare --user --map-current-user --net`), which has
  no interface but a loopback that is down, wherever the kernel allows one;
- flags that switch off its background services, send any request it still makes to a
  proxy on the discard port of loopback, and let it resolve no name at all;
- a throwaway profile in a temporary folder, removed afterwards.
It runs sandboxed, except as root: Chromium refuses to start as root with its sandbox.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# Flags that keep a headless Chromium quiet and off the network.
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--hide-scrollbars",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--disable-quic",
    "--no-pings",
    "--metrics-recording-only",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,OptimizationHintsFetching,"
    "MediaRouter,DialMediaRouteProvider,Translate,AutofillServerCommunication,DnsOverHttps,"
    "AsyncDns,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater",
    # The on-demand component check (it ignores --disable-component-update) asks a URL
    # that is no network address at all, and the account check (accounts.google.com
    # ListAccounts) one on the discard port, which Chromium refuses before connecting.
    "--component-updater=url-source=data:,",
    "--gaia-url=http://127.0.0.1:9",
    # Anything else: no name resolves, and every request goes to a proxy that is not there.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)
# `unshare` that gives the browser a network namespace of its own, the user staying who
# they are (so the sandbox still works for a normal user).
NAMESPACE = ("unshare", "--user", "--map-current-user", "--net", "--")


class PngUnavailable(RuntimeError):
    pass


def browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


@functools.cache
def network_namespace() -> tuple[str, ...]:
    """The command prefix for an empty network namespace, or () where there is none: no
    `unshare`, or a kernel or container that does not allow user namespaces."""
    if shutil.which(NAMESPACE[0]) is None:
        return ()
    try:
        probe = subprocess.run([*NAMESPACE, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    return NAMESPACE if probe.returncode == 0 else ()


def sandbox_flags() -> tuple[str, ...]:
    """Chromium refuses to start as root with its sandbox; for anyone else it stays on."""
    return ("--no-sandbox",) if os.geteuid() == 0 else ()


def command(exe: str, profile: Path, *args: str) -> list[str]:
    """The whole command line: namespace, browser, offline flags, a throwaway profile."""
    return [
        *network_namespace(),
        exe,
        *sandbox_flags(),
        *FLAGS,
        f"--user-data-dir={profile}",
        *args,
    ]


def svg_to_png(svg: str, scale: int = 2, *, net_log: Path | None = None) -> bytes:
    """Render a standalone SVG (with a viewBox) to PNG at `scale` × its size.

    `net_log`: where Chromium writes its network log (NetLog JSON), for tests and audits.
    """
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
        args = [
            f"--force-device-scale-factor={scale}",
            f"--window-size={width},{height}",
            f"--screenshot={target}",
        ]
        if net_log is not None:
            args.append(f"--log-net-log={net_log}")
        done = subprocess.run(
            [*command(exe, Path(tmp) / "profile", *args), page.as_uri()],
            capture_output=True,
            timeout=60,
            check=False,
        )
        if not target.is_file():
            raise PngUnavailable(
                f"Chromium did not render the chart: {done.stderr.decode(errors='replace')[-300:]}"
            )
        return target.read_bytes()
