"""Work spread over this machine's cores by forking.

Forked workers inherit the parent's memory (the archive, a compiled taxonomy, the
renderer), so nothing is pickled on the way in; only results come back. A process
with other threads (``paper-archive serve``'s watcher, a test server) is never
forked, since a fork copies just the calling thread: the work then runs inline.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any


def cores() -> int:
    """The cores this process may use (a container's or ``taskset``'s limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity: every core counts
        return os.cpu_count() or 1


def fork_workers(jobs: int, jobs_per_worker: int) -> int:
    """Processes worth starting for ``jobs`` items: at most one a core, one per
    ``jobs_per_worker`` items, and 1 (inline) where forking is unsafe or impossible."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(cores(), jobs // jobs_per_worker))


class WorkerLost(Exception):
    """A worker process died before it finished: killed (for want of memory, say), not a
    fault of the content. The build stops; the previous site stays as it was."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} died before it finished (killed for want of memory?)")


_INHERITED: Any = None  # what the workers of the pool under way were handed


@contextmanager
def forked_pool(workers: int, inherited: Any) -> Iterator[ProcessPoolExecutor]:
    """``workers`` forked processes, in which ``inherited()`` returns ``inherited``: they
    find it in the memory they share with this process at the fork, never pickled.

    An executor, not a ``multiprocessing.Pool``: when a worker dies (killed for want of
    memory, say), its results raise ``BrokenProcessPool`` where a Pool would wait for
    them forever; it leaves as ``WorkerLost``. On an error, work not started is dropped.
    """
    global _INHERITED  # the one way to hand forked workers their state
    _INHERITED = inherited
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        yield pool
    except BrokenProcessPool:
        pool.shutdown(cancel_futures=True)
        raise WorkerLost("a worker process") from None
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    else:
        pool.shutdown()
    finally:
        _INHERITED = None


def inherited() -> Any:
    """In a worker of ``forked_pool``: what the pool was handed."""
    assert _INHERITED is not None
    return _INHERITED


def forked_map(function: Callable[[Any], Any], items: Sequence[Any], jobs_per_worker: int) -> list[Any]:
    """``[function(item) for item in items]``, on several processes when that pays.

    Worker ``i`` takes every n-th item from the ``i``-th, so costly and cheap items spread
    evenly; the results come back in the items' order.
    """
    workers = fork_workers(len(items), jobs_per_worker)
    if workers == 1:
        return [function(item) for item in items]
    with forked_pool(workers, (function, items, workers)) as pool:
        return gathered(list(pool.map(_share, range(workers))))


def _share(start: int) -> list[Any]:
    function, items, step = inherited()
    return [function(item) for item in items[start::step]]


def gathered(shares: Sequence[Sequence[Any]]) -> list[Any]:
    """Shares of every n-th item (share ``i`` starting at item ``i``) back in the items' order."""
    step = len(shares)
    return [shares[i % step][i // step] for i in range(sum(map(len, shares)))]
