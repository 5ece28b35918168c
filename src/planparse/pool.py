"""A process pool for batches where any one task may hang, crash or eat memory.

Unlike :class:`concurrent.futures.ProcessPoolExecutor`, a worker that overruns its time
limit is killed and replaced without breaking the pool, a worker that dies (a crash in C
code, the OOM killer) costs only its own task, and results stream back as they complete:

    pool = WorkerPool(func, workers=2, timeout=60, memory_mb=4096)
    for tag, ok, value in pool.imap_unordered((tag, arg) for ...):
        ...   # ok: value is func(arg); not ok: value is a WorkerFailure

Each worker is a process that takes one task at a time over its own pipe, so the parent
always knows which task each worker runs and since when. Workers start from a fork
server (preloading the given modules, single-threaded BLAS) where the platform has one,
ignore Ctrl-C (the parent stops them), and cap their address space with ``RLIMIT_AS``
when ``memory_mb`` is given. A task function can ask for its worker to be replaced after
the current task with :func:`request_recycle` (after a timeout or ``MemoryError`` the
worker's state may be damaged).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from typing import Any, NamedTuple

_READY = "__ready__"
_recycle_requested = False

SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                     "NUMEXPR_NUM_THREADS": "1"}


class WorkerFailure(NamedTuple):
    """Why a task has no result: ``timeout`` (killed after its limit), ``crashed`` (the
    worker died), or ``error`` (the task raised; ``message`` has the exception)."""

    kind: str
    message: str


def request_recycle() -> None:
    """Called inside a task: replace this worker process once the task's result is sent."""
    global _recycle_requested
    _recycle_requested = True


def _worker_main(conn: Connection, func: Callable[[Any], Any], initializer: Callable[..., Any] | None,
                 initargs: tuple[Any, ...], memory_mb: int | None) -> None:
    global _recycle_requested
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .guard import set_memory_cap

    set_memory_cap(memory_mb)
    try:
        if initializer is not None:
            initializer(*initargs)
        conn.send(_READY)
    except BaseException as exc:  # noqa: BLE001
        try:
            conn.send((None, False, f"worker start-up failed: {type(exc).__name__}: {exc}", True))
        except Exception:  # noqa: BLE001 - the parent is gone
            pass
        return
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if msg is None:
            return
        task_id, arg = msg
        _recycle_requested = False
        try:
            reply = (task_id, True, func(arg))
        except BaseException as exc:  # noqa: BLE001 - a task never takes the worker loop down
            reply = (task_id, False, f"{type(exc).__name__}: {exc}")
            _recycle_requested = True
        exiting = _recycle_requested
        try:
            try:
                conn.send((*reply, exiting))
            except (BrokenPipeError, ConnectionError, EOFError):
                return
            except Exception as exc:  # the result could not be pickled
                conn.send((task_id, False, f"the result could not be sent back: {type(exc).__name__}: {exc}", exiting))
        except OSError:
            return
        if exiting:
            return


class _Worker:
    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.ready = False
        self.task: tuple[int, Any, float] | None = None  # (task id, tag, started)

    def stop(self, kill: bool = False) -> None:
        if self.process.is_alive():
            if kill:
                self.process.kill()
            else:
                try:
                    self.conn.send(None)
                except OSError:
                    pass
        self.process.join(timeout=0 if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()
        try:
            self.process.close()
        except ValueError:
            pass


def _context(preload: Iterable[str]) -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        preload = list(preload)
        if preload:
            ctx.set_forkserver_preload(preload)
        return ctx
    return multiprocessing.get_context("spawn")


@contextmanager
def _single_threaded_env() -> Iterator[None]:
    """Worker processes (and the fork server they come from) use one BLAS/OpenMP thread each."""
    saved = {k: os.environ.get(k) for k in SINGLE_THREAD_ENV}
    for k, v in SINGLE_THREAD_ENV.items():
        os.environ.setdefault(k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class WorkerPool:
    """See the module doc. ``timeout`` is per task; a task still running ``grace``
    seconds after it has its worker killed and comes back as ``WorkerFailure("timeout")``."""

    def __init__(self, func: Callable[[Any], Any], workers: int, *, timeout: float | None = None,
                 grace: float | None = None, memory_mb: int | None = None,
                 initializer: Callable[..., Any] | None = None, initargs: tuple[Any, ...] = (),
                 preload: Iterable[str] = ()) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.func = func
        self.n_workers = workers
        self.timeout = timeout if timeout and timeout > 0 else None
        self.grace = grace if grace is not None else (min(30.0, max(2.0, 0.25 * self.timeout)) if self.timeout else 0.0)
        self.memory_mb = memory_mb
        self.initializer = initializer
        self.initargs = initargs
        self.ctx = _context(preload)
        self.workers: list[_Worker] = []
        self.restarts = 0

    def _start_worker(self) -> _Worker:
        parent_conn, child_conn = self.ctx.Pipe(duplex=True)
        process = self.ctx.Process(
            target=_worker_main, name="planparse-worker", daemon=True,
            args=(child_conn, self.func, self.initializer, self.initargs, self.memory_mb),
        )
        with _single_threaded_env():
            process.start()
        child_conn.close()
        worker = _Worker(process, parent_conn)
        self.workers.append(worker)
        return worker

    def _replace(self, worker: _Worker, kill: bool) -> _Worker:
        worker.stop(kill=kill)
        self.workers.remove(worker)
        self.restarts += 1
        return self._start_worker()

    def close(self) -> None:
        for worker in list(self.workers):
            worker.stop(kill=worker.task is not None)
        self.workers.clear()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def imap_unordered(self, items: Iterable[tuple[Any, Any]]) -> Iterator[tuple[Any, bool, Any]]:
        """Run ``func(arg)`` for each ``(tag, arg)``; yield ``(tag, ok, value)`` as tasks finish."""
        items = iter(items)
        exhausted = False
        next_id = 0
        idle: deque[_Worker] = deque()
        try:
            while len(self.workers) < self.n_workers:
                self._start_worker()
            while True:
                # Hand out work to every ready, idle worker.
                while idle and not exhausted:
                    worker = idle.popleft()
                    if not worker.process.is_alive():
                        self._replace(worker, kill=True)
                        continue
                    try:
                        tag, arg = next(items)
                    except StopIteration:
                        exhausted = True
                        idle.appendleft(worker)
                        break
                    next_id += 1
                    worker.task = (next_id, tag, time.monotonic())
                    try:
                        worker.conn.send((next_id, arg))
                    except OSError:  # died since; its sentinel reports it below
                        pass
                busy = [w for w in self.workers if w.task is not None]
                starting = [w for w in self.workers if not w.ready]
                if exhausted and not busy:
                    return
                if not busy and not starting and not idle:
                    return

                wait_for = None
                if self.timeout is not None and busy:
                    now = time.monotonic()
                    wait_for = max(0.0, min(w.task[2] + self.timeout + self.grace - now for w in busy))  # type: ignore[index]
                handles: list[Any] = []
                for w in busy + starting:
                    handles += [w.conn, w.process.sentinel]
                if not handles:
                    continue
                ready = set(wait(handles, timeout=wait_for))
                done: list[tuple[Any, bool, Any]] = []

                for worker in list(self.workers):
                    if worker not in busy and worker not in starting:
                        continue
                    if worker.conn in ready or (worker.process.sentinel in ready and worker.conn.poll()):
                        try:
                            msg = worker.conn.recv()
                        except (EOFError, OSError):
                            msg = None
                        if msg == _READY:
                            worker.ready = True
                            idle.append(worker)
                            continue
                        if msg is not None:
                            task_id, ok, value, exiting = msg
                            if task_id is None:  # start-up failed
                                raise RuntimeError(value)
                            tag = worker.task[1] if worker.task else None
                            worker.task = None
                            done.append((tag, ok, value if ok else WorkerFailure("error", value)))
                            if exiting:
                                self._replace(worker, kill=False)
                            else:
                                idle.append(worker)
                            continue
                    if worker.process.sentinel in ready or not worker.process.is_alive():
                        code = worker.process.exitcode
                        if worker.task is not None:
                            tag = worker.task[1]
                            worker.task = None
                            done.append((tag, False, WorkerFailure("crashed", _exit_message(code))))
                        elif not worker.ready:
                            raise RuntimeError(f"a worker process failed to start ({_exit_message(code)})")
                        self._replace(worker, kill=True)

                if self.timeout is not None:
                    now = time.monotonic()
                    for worker in list(self.workers):
                        if worker.task is not None and now - worker.task[2] > self.timeout + self.grace:
                            tag = worker.task[1]
                            elapsed = now - worker.task[2]
                            worker.task = None
                            done.append((tag, False, WorkerFailure(
                                "timeout", f"still running after {elapsed:.1f} s (limit {self.timeout:g} s); "
                                           "its worker process was stopped")))
                            self._replace(worker, kill=True)
                yield from done
        finally:
            self.close()


def _exit_message(code: int | None) -> str:
    if code is None:
        return "the worker process stopped"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (killed: out of memory?)" if -code == signal.SIGKILL else ""
        return f"the worker process died of {name}{hint}"
    return f"the worker process exited with code {code}"
