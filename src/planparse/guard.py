"""Limits for one file's work inside whatever process runs it: a time limit and a
memory cap.

:func:`time_limit` raises :class:`FileTimeout` in the running code when the time is up:
through ``SIGALRM`` on the main thread (the batch's worker processes, the CLI), and
through ``PyThreadState_SetAsyncExc`` on any other thread (a Dask worker thread). Both act
between Python bytecodes, so code stuck inside one long C call is only interrupted when it
returns; the local process pool (:mod:`planparse.pool`) therefore also kills a worker that
overruns by a grace period.

:class:`FileTimeout` derives from ``BaseException`` so that ``except Exception`` blocks
in the pipeline (``parse_file`` turns every ``Exception`` into an error record) let it
through to the batch layer, which records the file as ``timeout``.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class FileTimeout(BaseException):
    """The time limit of one file ran out."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`FileTimeout` inside the block once ``seconds`` have passed.

    ``None`` or ``<= 0`` means no limit. Nested limits are not supported (the inner one
    wins on the main thread)."""
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _thread_alarm(seconds):
            yield


# A signal handler's exception is lost when it lands in a ``__del__`` or a callback whose
# errors Python only prints ("Exception ignored in ..."): the alarm then fires again
# this often until one is delivered, and a block that still finishes after its time ran
# out ends in FileTimeout all the same.
ALARM_REFIRE_S = 0.5


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    fired = False

    def on_alarm(signum, frame):  # noqa: ANN001
        nonlocal fired
        fired = True
        raise FileTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, ALARM_REFIRE_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:  # the block swallowed the timeout and went on: it still ran out of time
        raise FileTimeout(f"took longer than {seconds:g} s")


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    # No argtypes on purpose: ``None`` must reach C as NULL (which clears a pending exception).
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None)


@contextmanager
def _thread_alarm(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(target, FileTimeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:
                # The exception may still be pending if it was not delivered inside the block;
                # clear it so that it cannot surface later in unrelated code.
                _set_async_exc(target, None)


def set_memory_cap(megabytes: int | None) -> bool:
    """Cap this process's address space (``RLIMIT_AS``) at ``megabytes``; an allocation
    beyond it raises ``MemoryError`` instead of the machine swapping or the OOM killer
    taking a random process. Returns False where it cannot be set (not POSIX, no limit)."""
    if not megabytes or megabytes <= 0:
        return False
    try:
        import resource
    except ImportError:  # Windows
        return False
    limit = int(megabytes) * 1024 * 1024
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        return False
    return True


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    try:
        import resource
    except ImportError:
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def cpu_count() -> int:
    """CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)
