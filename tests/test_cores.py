"""A folder's scenarios on every core (issue 19): the same results, in the same order, and
every failure of a worker computed again here, so errors read exactly as without workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from bekostiging import cores

NATIONAL = Path(__file__).parents[1] / "examples" / "geboortezorg-nationaal" / "regios"


def test_blocks_cover_every_item_once_in_order():
    for count in range(0, 40):
        for parts in range(1, 6):
            blocks = cores._blocks(count, parts)
            assert [i for b in blocks for i in b] == list(range(count))
            assert len(blocks) <= parts and all(len(b) for b in blocks)
            assert max(map(len, blocks), default=0) - min(map(len, blocks), default=0) <= 1


def test_one_process_below_the_threshold_or_when_switched_off(monkeypatch):
    assert cores.processes(cores.MIN_ITEMS - 1) == 1
    monkeypatch.setenv(cores.ENV, "1")
    assert cores.processes(1000) == 1
    monkeypatch.setenv(cores.ENV, "many")
    assert cores.processes(1000) == 1


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not cores.fork_is_safe()
        assert cores.processes(1000) == 1
    finally:
        stop.set()
        thread.join()


# Run in a fresh interpreter: the test process has threads (pytest-xdist, polars' pool), in
# which `in_order` never forks.
FORKED = textwrap.dedent(
    """
    import json, os, sys
    os.environ["BEKOSTIGING_PROCESSES"] = "3"
    from bekostiging import cores

    out = {"safe": cores.fork_is_safe(), "processes": cores.processes(30)}
    parent = os.getpid()
    out["plain"] = cores.in_order(lambda i: i * i, range(30)) == [i * i for i in range(30)]
    where = cores.in_order(lambda i: os.getpid(), range(30))
    out["workers"] = len(set(where)) == 3 and where[0] == parent and where[-1] != parent
    # Work a block at a time: each block once, whole, in order.
    sizes = cores.in_blocks(lambda block: [(len(block), x) for x in block], range(30))
    out["blocks"] = sizes == [(10, i) for i in range(30)]
    # A worker whose item fails: its block is computed here, and raises here.
    def fails(i):
        if i == 25:
            raise ValueError(f"item {i} in {'parent' if os.getpid() == parent else 'worker'}")
        return i
    try:
        cores.in_order(fails, range(30))
    except ValueError as exc:
        out["raised"] = str(exc)
    # Results a worker may not send (`sent`), or cannot (a function): computed here.
    mine = lambda i: (i, os.getpid() == parent)
    out["not_sent"] = all(here for _, here in cores.in_order(mine, range(30), sent=lambda r: False))
    out["unpicklable"] = [f() for f in cores.in_order(lambda i: (lambda: i), range(30))] == list(range(30))
    # `prepare` runs here before the fork; one that starts a thread leaves no fork to make.
    prepared = []
    where = cores.in_order(lambda i: os.getpid(), range(30), prepare=lambda: prepared.append(1))
    out["prepared"] = prepared == [1] and len(set(where)) == 3
    import threading
    stop = threading.Event()
    where = cores.in_order(lambda i: os.getpid(), range(30), prepare=threading.Thread(target=stop.wait).start)
    stop.set()
    out["thread_started"] = set(where) == {parent}
    print(json.dumps(out))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_in_order_forks_and_keeps_the_order_and_the_errors():
    done = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True, check=True)
    out = json.loads(done.stdout)
    assert out == {
        "safe": True,
        "processes": 3,
        "plain": True,
        "workers": True,
        "blocks": True,
        "raised": "item 25 in parent",
        "not_sent": True,
        "unpicklable": True,
        "prepared": True,
        "thread_started": True,
    }


def _cli(*args: str, processes: str) -> bytes:
    env = {**os.environ, cores.ENV: processes}
    exe = [sys.executable, "-m", "bekostiging"]
    return subprocess.run([*exe, *args], capture_output=True, check=True, env=env).stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
@pytest.mark.parametrize("args", [("-f", "csv"), ("--by", "scenario", "-f", "csv"), ("-f", "json")])
def test_the_national_folder_on_two_cores_is_byte_identical(args):
    assert _cli("compare", str(NATIONAL), *args, processes="2") == _cli(
        "compare", str(NATIONAL), *args, processes="1"
    )


def test_a_comparison_sent_to_another_process_computes_its_run_again():
    import pickle

    from bekostiging import api

    path = NATIONAL / "dr_noord_drenthe.toml"
    s = api.load(path)
    here = api.compare(s)
    sent = pickle.loads(pickle.dumps(here))
    assert "run" not in sent.__dict__ and "tree" not in sent.__dict__
    back = sent.rejoin(s.model, s.tree)
    assert back.results.equals(here.results)
    assert back.run.variants.keys() == here.run.variants.keys()
    for v, result in here.run.variants.items():
        again = back.run.variants[v].ledger.flows
        assert [(f.component, f.payer, f.payee, f.amount, f.profile, f.activity) for f in again] == [
            (f.component, f.payer, f.payee, f.amount, f.profile, f.activity) for f in result.ledger.flows
        ]
