"""The report as a person sees it: rendered by headless Chromium, offline.

CI installs Debian's `chromium` (.ci/run), so there this test always runs; on a machine
without Chromium it is skipped locally. Chromium writes a network log: the page must make
no request at all beyond its own file.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bekostiging import examples
from bekostiging.api import compare
from bekostiging.report import html
from bekostiging.report.html.raster import FLAGS, browser
from conftest import invoke

CHROMIUM = browser()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="no Chromium on this machine (CI installs it)"
)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        pytest.fail("Chromium is missing: .ci/run must install it")
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_the_default_report_loads_offline_with_every_chart(tmp_path):
    page = tmp_path / "rapport.html"
    result = invoke("report", "-o", page)
    assert result.exit_code == 0, result.stderr
    netlog = tmp_path / "net.json"
    dom = _chromium(tmp_path, f"--log-net-log={netlog}", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    charts = html.available_charts(compare(examples.path_of(examples.DEFAULT), attribution=True))
    assert charts
    for name in charts:
        assert f'id="chart-{name}"' in dom.stdout, name
    assert dom.stdout.count("<svg") >= len(charts)
    assert dom.stdout.count("<table") >= len(charts)  # every chart has its data beside it

    assert _page_requests(netlog) == []

    shot = tmp_path / "rapport.png"
    done = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,5000", page.as_uri())
    assert shot.is_file(), done.stderr[-2000:]
    assert shot.stat().st_size > 50_000  # a page with charts, not a blank one


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page asked for. Chromium's own background requests (updates, time) carry the
    initiator 'not an origin'; anything the page loads carries the page's origin."""
    events = json.loads(netlog.read_text(encoding="utf-8"))["events"]
    return sorted(
        e["params"]["url"]
        for e in events
        if isinstance(e.get("params"), dict)
        and "url" in e["params"]
        and e["params"].get("initiator", "not an origin") != "not an origin"
    )


def test_the_request_check_does_see_a_page_that_loads_something(tmp_path):
    """The control: the check above must catch a page with an external resource."""
    page = tmp_path / "lek.html"
    page.write_text('<!doctype html><img src="http://127.0.0.1:9/x.png">', encoding="utf-8")
    netlog = tmp_path / "net.json"
    _chromium(tmp_path, f"--log-net-log={netlog}", "--dump-dom", page.as_uri())
    assert _page_requests(netlog) == ["http://127.0.0.1:9/x.png"]


def test_a_chart_as_png_for_a_memo(tmp_path):
    target = tmp_path / "geldstromen.png"
    if CHROMIUM is None:
        pytest.fail("Chromium is missing: .ci/run must install it")
    result = invoke("report", "--chart", "geldstromen", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"\x89PNG")
