"""The scenarios of a folder on every core: the same results, in the same order, sooner.

A folder of 71 regions is 71 computations that share nothing, and a laptop has several
cores. `in_order` splits such a list into one contiguous block per core: this process
computes the first, a forked copy of it each other block, and the blocks come back in
order, so the results are the list the plain loop gives, element by element.

A fork is only made where it is known to be safe and to pay:

- on Linux (elsewhere a worker would be a fresh interpreter that imports polars and
  pydantic again, which costs more than a folder of regions saves);
- while this process runs no thread but its own: polars starts its thread pool at its
  first computation, and a fork of a process whose threads hold locks can hang the copy.
  The CLI computes nothing before it loads the regions, so there it holds; a program that
  has computed before (a test suite, a notebook) gets the plain loop;
- with at least `MIN_ITEMS` items: a fork and the copy's first touches of memory cost
  about as much as a few regions.

`BEKOSTIGING_PROCESSES=1` switches it off (`=N`: at most N processes). A worker that fails
in any way (an error in an item, a result that cannot be sent back, a crash) sends
nothing, and this process computes that block itself: an error is raised, or a finding
reported, exactly as without workers.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items the plain loop: a fork costs about what a few regions do.
MIN_ITEMS = 12
ENV = "BEKOSTIGING_PROCESSES"


def in_order(
    work: Callable[[T], R],
    items: Sequence[T],
    *,
    sent: Callable[[R], bool] = lambda _: True,
    prepare: Callable[[], object] | None = None,
    min_items: int = MIN_ITEMS,
) -> list[R]:
    """`[work(item) for item in items]`, the items split over the cores when that is safe
    and pays (module docstring). `work` must compute the same result wherever it runs;
    a worker sends its block's results only if `sent` holds for each (an error returned
    as a value is computed again here, so no exception ever crosses processes) and they
    survive `pickle`. `prepare`, called here before the workers are forked, imports what
    `work` needs, so that it is imported once, not in every process (polars, the engine:
    a few tenths of a second each); a fork is still made only if it starts no thread."""
    return in_blocks(
        lambda block: [work(item) for item in block], items, sent=sent, prepare=prepare, min_items=min_items
    )


def in_blocks(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    *,
    sent: Callable[[R], bool] = lambda _: True,
    prepare: Callable[[], object] | None = None,
    min_items: int = MIN_ITEMS,
) -> list[R]:
    """`in_order` for work that is cheaper a block at a time than an item at a time (one
    polars pass over the tables of many regions): `work(block)` gives the results of a
    contiguous block of the items, in order, one per item, whatever the block."""
    blocks = _blocks(len(items), processes(len(items), min_items))
    if len(blocks) > 1 and prepare is not None:
        prepare()
        if not fork_is_safe():
            blocks = blocks[:1]
    if len(blocks) < 2:
        return work(items)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    # What exists now is shared with the copies: frozen, the collector leaves it alone in
    # every process, so no copy touches (and so copies) the pages that hold it.
    gc.freeze()
    for stream in (sys.stdout, sys.stderr):  # else a copy would write what is buffered again
        stream.flush()
    started = []
    try:
        for block in blocks[1:]:
            receive, send = context.Pipe(duplex=False)
            worker = context.Process(target=_work, args=(work, sent, items, block, send), daemon=True)
            worker.start()
            send.close()
            started.append((block, worker, receive))
        found = work([items[i] for i in blocks[0]])
        for block, worker, receive in started:
            found += _received(receive, worker) or work([items[i] for i in block])
    finally:
        for _, worker, receive in started:
            receive.close()
            if worker.is_alive():
                worker.kill()
            worker.join()
        gc.unfreeze()
    return found


def processes(count: int, min_items: int = MIN_ITEMS) -> int:
    """How many processes `in_order` uses for `count` items: 1 unless a fork is safe and pays."""
    wanted = _wanted()
    if wanted < 2 or count < min_items or not fork_is_safe():
        return 1
    return min(wanted, count)


def _wanted() -> int:
    text = os.environ.get(ENV, "").strip()
    if text:
        try:
            return max(1, int(text))
        except ValueError:
            return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def fork_is_safe() -> bool:
    """On Linux, with no thread in this process but the main one and the allocator's own
    (jemalloc's background threads and polars' idle file cleaner, started at import:
    jemalloc forks safely, and the cleaner is never used here)."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    main = str(os.getpid())
    try:
        names = [
            (task / "comm").read_text().strip()
            for task in Path("/proc/self/task").iterdir()
            if task.name != main
        ]
    except OSError:
        return False
    return all(name.startswith(_IDLE) for name in names)


# The threads polars starts at import; any other (its thread pool, tokio, async executors)
# means a computation ran, and a fork is not safe.
_IDLE = ("jemalloc_bg_thd", "polars-ooc-clea")


def _blocks(count: int, parts: int) -> list[range]:
    """`range(count)` in `parts` contiguous blocks of (nearly) equal length, in order."""
    size, extra = divmod(count, parts)
    blocks, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        blocks.append(range(start, end))
        start = end
    return [b for b in blocks if len(b)]


def _work(work: Callable, sent: Callable, items: Sequence, block: range, send) -> None:  # pragma: no cover
    """In the forked copy: the block's results, pickled, or nothing when anything fails."""
    try:
        results = work([items[i] for i in block])
        payload = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL) if all(map(sent, results)) else b""
    except BaseException:  # any failure: the parent computes the block
        payload = b""
    try:
        send.send_bytes(payload)
    finally:
        send.close()


def _received(receive, worker) -> list | None:
    """A worker's results, or None when it sent none (it failed, or died)."""
    try:
        payload = receive.recv_bytes()
    except (EOFError, OSError):
        return None
    worker.join()
    return pickle.loads(payload) if payload else None
