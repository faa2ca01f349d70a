"""The report as a person sees it: rendered by headless Chromium, offline.

CI installs Debian's `chromium` (.ci/run), so there this test always runs; on a machine
without Chromium it is skipped locally. Chromium writes a network log: the page must make
no request at all beyond its own file, and the browser behind `--chart X -o x.png` must
look up no name and open no socket to anywhere (SECURITY.md, "The PNG route").
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bekostiging import examples
from bekostiging.api import compare
from bekostiging.report import html
from bekostiging.report.html import raster
from bekostiging.report.html.raster import browser, command, svg_to_png
from conftest import invoke

CHROMIUM = browser()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="no Chromium on this machine (CI installs it)"
)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        pytest.fail("Chromium is missing: .ci/run must install it")
    argv = command(CHROMIUM, tmp_path / "profile", *args)
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


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


# ------------------------------------------------------------------ the PNG route, offline

NOBODY = 65534


def _chart_svg() -> str:
    comparison = compare(examples.path_of(examples.DEFAULT), attribution=True)
    return html.chart_svg(comparison, "geldstromen", lang="nl", flow_variant=None, year=None)


def _events(netlog: Path) -> list[tuple[str, dict]]:
    """(event name, parameters) for every event in a NetLog JSON file."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    return [(names[e["type"]], e.get("params") or {}) for e in log["events"]]


def _loopback(address: str) -> bool:
    """'127.0.0.1:9' or '[::1]:9' (NetLog writes an address with its port)."""
    return ipaddress.ip_address(address.rsplit(":", 1)[0].strip("[]")).is_loopback


LOCAL_URLS = ("file:", "data:", "about:", "chrome:", "blob:")


def _network_use(netlog: Path) -> list[str]:
    """Every name lookup, socket and URL request in the log (a local file is none)."""
    found = []
    for name, params in _events(netlog):
        url = str(params.get("url", ""))
        if name.startswith(("HOST_RESOLVER", "DNS_TRANSACTION")):
            found.append(f"{name} {params.get('host') or params.get('hostname') or ''}".rstrip())
        elif "address" in params or "address_list" in params:
            found.append(f"{name} {params.get('address') or params.get('address_list')}")
        elif url and not url.startswith(LOCAL_URLS):
            found.append(f"{name} {url}")
    return found


def _leaves_the_machine(netlog: Path) -> list[str]:
    """What in the log could reach another machine: a DNS query or a name lookup beyond
    the browser's own rules, a TCP connection or a UDP datagram to an address that is not
    loopback, or a URL request to such a host. Not counted: the `connect()` of a UDP
    socket that sends nothing (Chromium's IPv6 reachability check)."""
    found = []
    for name, params in _events(netlog):
        if name.startswith("DNS_TRANSACTION") or name in (
            "HOST_RESOLVER_MANAGER_JOB",
            "HOST_RESOLVER_DNS_TASK",
            "HOST_RESOLVER_SYSTEM_TASK",
        ):
            found.append(f"{name} {params.get('host') or params.get('hostname') or ''}".rstrip())
        elif name in ("TCP_CONNECT_ATTEMPT", "UDP_BYTES_SENT") and "address" in params:
            if not _loopback(params["address"]):
                found.append(f"{name} {params['address']}")
        elif name == "URL_REQUEST_START_JOB" and "url" in params:
            url = urlsplit(params["url"])
            if url.scheme not in ("file", "data", "about", "chrome", "blob") and url.hostname not in (
                "127.0.0.1",
                "::1",
                "localhost",
            ):
                found.append(f"{name} {params['url']}")
    return found


def test_the_network_checks_see_what_chromium_does_by_default(tmp_path):
    """The control: plain headless Chromium looks names up and connects out, and both
    checks below catch it."""
    page = tmp_path / "leeg.html"
    page.write_text("<!doctype html><p>leeg</p>", encoding="utf-8")
    netlog = tmp_path / "net.json"
    flags = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run")
    argv = [CHROMIUM or "chromium", *flags, f"--user-data-dir={tmp_path / 'p'}"]
    subprocess.run(
        [*argv, f"--log-net-log={netlog}", "--dump-dom", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert any(use.startswith("HOST_RESOLVER") for use in _network_use(netlog))
    assert _leaves_the_machine(netlog) != []


def test_a_png_chart_is_drawn_without_any_network_use(tmp_path):
    """In its own network namespace the browser looks up no name, opens no socket and asks
    for no URL: the log has none of them at all."""
    if not raster.network_namespace():
        if os.environ.get("CI"):
            pytest.fail("no network namespace (`unshare --user --net`) on this CI machine")
        pytest.skip("this machine allows no network namespace (`unshare --user --net`)")
    netlog = tmp_path / "net.json"
    png = svg_to_png(_chart_svg(), net_log=netlog)
    assert png.startswith(b"\x89PNG")
    assert _events(netlog), "Chromium wrote no network log"
    assert _network_use(netlog) == []


def test_a_png_chart_without_a_namespace_reaches_no_other_machine(tmp_path, monkeypatch):
    """Where no namespace can be made, the flags alone keep everything on this machine."""
    monkeypatch.setattr(raster, "network_namespace", lambda: ())
    netlog = tmp_path / "net.json"
    png = svg_to_png(_chart_svg(), net_log=netlog)
    assert png.startswith(b"\x89PNG")
    assert _events(netlog), "Chromium wrote no network log"
    assert _leaves_the_machine(netlog) == []


@pytest.mark.parametrize(("uid", "no_sandbox"), [(0, True), (1000, False)])
def test_the_sandbox_is_off_only_for_root(monkeypatch, uid, no_sandbox):
    """Chromium refuses to start as root with its sandbox; anyone else keeps it."""
    monkeypatch.setattr(raster.os, "geteuid", lambda: uid)
    assert ("--no-sandbox" in command("chromium", Path("profiel"))) is no_sandbox


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv")
def test_a_normal_user_draws_the_png_with_the_sandbox_on(monkeypatch):
    """As a normal user (nobody), the command the PNG route runs works with the sandbox."""
    monkeypatch.setattr(raster.os, "geteuid", lambda: NOBODY)
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
        page = folder / "grafiek.html"
        page.write_text(f"<!doctype html>{_chart_svg()}", encoding="utf-8")
        page.chmod(0o644)
        shot = folder / "grafiek.png"
        argv = command(
            CHROMIUM or "chromium", folder / "profiel", f"--screenshot={shot}", "--window-size=800,600"
        )
        assert "--no-sandbox" not in argv
        as_nobody = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        done = subprocess.run(
            [*as_nobody, *argv, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "HOME": str(folder)},
        )
        assert shot.is_file(), done.stderr[-2000:]
        assert shot.read_bytes().startswith(b"\x89PNG")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
