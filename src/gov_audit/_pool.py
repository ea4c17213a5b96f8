"""Running work over many inputs: in this process, or in a pool that survives crashes.

``run_pool`` hands chunks of inputs to worker processes (one per core), a few chunks in
flight per worker, and returns the results in input order. A task that raises for a chunk,
or a worker that *dies* (segfault, ``os._exit``, out of memory), sets the chunks in flight
aside; they are then run one input at a time, each in a worker of its own, so that only
the input that kills a worker is lost — ``on_crash`` makes the result standing for it.
``gc_paused`` holds the cyclic garbage collector while a batch's many small objects come
and go.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

Item = Any  # one input, as the task takes it (picklable)
T = TypeVar("T")
Progress = Callable[[int, int], None]  # (inputs done, inputs in all)
Task = Callable[[list[Item]], list[T]]
OnCrash = Callable[..., T]  # (input, reason, message="") -> the result standing for it


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Hold the cyclic garbage collector while a batch is read and audited.

    Reading makes and drops hundreds of thousands of small objects per report; they are
    freed by reference counting (a parsed report holds no cycles). The collector would
    meanwhile walk every report kept so far, again and again — a sixth of a long batch's
    time. It runs as usual once the batch is done. ``freeze`` (for a command that ends
    soon after) moves what exists then out of the collector's sight for good, so that the
    collection deferred by the pause never has to walk it either.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if paused:
            gc.enable()


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_here(items: list[Item], progress: Progress | None, task: Task) -> list[T]:
    """Run ``task`` on one input at a time in this process (small batches, ``jobs=1``)."""
    out: list[T] = []
    for i, item in enumerate(items):
        out.extend(task([item]))
        if progress:
            progress(i + 1, len(items))
    return out


def start_context():
    """``fork`` where it is safe (Linux, no other Python thread): workers start at once,
    with everything imported. Otherwise ``forkserver``/``spawn``: a clean process that
    imports gov_audit first (a second or two), never a fork of a threaded parent."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["gov_audit._batch", "gov_audit._read"])
        return ctx
    return multiprocessing.get_context("spawn")


def _executor(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=start_context())


def run_pool(items: list[Item], workers: int, progress: Progress | None, task: Task,
              on_crash: OnCrash, chunk: int) -> list[T]:
    """Run ``task`` over chunks of ``items`` in worker processes, a few chunks in flight per worker.

    Keeping only a few chunks in flight bounds what a dying worker takes down with it:
    when the pool breaks, the chunks in flight are set aside for running one input at a
    time and the rest continue in a fresh pool.
    """
    n = len(items)
    results: list[T | None] = [None] * n
    suspects: list[int] = []
    done = start = 0

    def next_chunk() -> list[int]:
        # Chunks shrink as the batch drains (a quarter of each worker's share of what is
        # left, at most ``chunk``), so that the workers finish together: big chunks first
        # keep the per-chunk cost low, small ones last leave no worker idle at the end.
        nonlocal start
        size = max(1, min(chunk, (n - start) // (workers * 4)))
        idx = list(range(start, min(start + size, n)))
        start += len(idx)
        return idx

    while start < n:
        with _executor(workers) as pool:
            pending: dict[Future, list[int]] = {}
            broken = False
            while (start < n and not broken) or pending:
                while start < n and not broken and len(pending) < 2 * workers:
                    idx = next_chunk()
                    pending[pool.submit(task, [items[i] for i in idx])] = idx
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    idx = pending.pop(fut)
                    try:
                        for i, rep in zip(idx, fut.result()):
                            results[i] = rep
                        done += len(idx)
                    except BrokenProcessPool:  # a worker died: every chunk in flight is suspect
                        broken = True
                        suspects.extend(idx)
                    except Exception:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        suspects.extend(idx)
                if progress:
                    progress(done, n)
    for i in sorted(suspects):
        results[i] = _run_isolated(items[i], task, on_crash)
        done += 1
        if progress:
            progress(done, n)
    return [r for r in results if r is not None]


def _run_isolated(item: Item, task: Task, on_crash: OnCrash) -> T:
    """Run one input in a worker of its own, so that a crash blames only this input."""
    try:
        with _executor(1) as pool:
            return pool.submit(task, [item]).result()[0]
    except BrokenProcessPool:
        return on_crash(item, "crashed")
    except Exception as exc:  # noqa: BLE001
        return on_crash(item, "unreadable", f"(内部错误 internal error: {type(exc).__name__}: {exc})")
