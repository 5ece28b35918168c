"""Running a batch on Dask distributed (``planparse parse ... --dask ADDRESS``).

The workers run the same per-file function as a local batch,
:func:`planparse.batch.process_file`; results stream back with ``as_completed`` and
are written by the caller as they arrive, while at most a small window of files is in
flight (never the whole batch held in memory, on either side).

- ``--dask local``: a ``LocalCluster`` on this machine (``--workers`` processes, one
  thread each).
- ``--dask tcp://host:8786``: an existing scheduler. Its workers need planparse (same
  version) installed and must see the input files at the same paths (a shared file
  system), or use ``--dask-ship-bytes`` to send each file's bytes with its task.

On Dask the per-file time limit is enforced inside the worker thread (between Python
bytecodes); there is no per-worker ``RLIMIT_AS`` cap — use Dask's own ``memory_limit``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

INSTALL_HINT = "pip install 'planparse[dask]'  (or: pip install 'dask[distributed]')"


class DaskError(RuntimeError):
    """Dask cannot be used: not installed, or the scheduler cannot be reached."""


class DaskMissing(DaskError):
    """``--dask`` was asked for and dask.distributed is not installed."""


def _distributed() -> Any:
    try:
        import distributed  # noqa: F401
        from dask import distributed as dd
    except ImportError:
        raise DaskMissing(f"--dask needs Dask distributed, which is not installed: {INSTALL_HINT}") from None
    return dd


def connect(target: Any, workers: int = 1, connect_timeout: float = 30.0) -> tuple[Any, Any, bool]:
    """``(client, cluster or None, owned)`` for ``"local"``, an address, or a Client."""
    dd = _distributed()
    if isinstance(target, dd.Client):
        return target, None, False
    if target == "local":
        cluster = dd.LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                  dashboard_address=None)
        return dd.Client(cluster), cluster, True
    try:
        return dd.Client(str(target), timeout=connect_timeout), None, True
    except (OSError, TimeoutError) as exc:
        raise DaskError(f"could not reach the Dask scheduler at {target}: {exc}") from None


def dask_engine(tasks: Iterable[Any], options: Any, target: Any, workers: int = 1,
                ship_bytes: bool = False, window: int | None = None) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Run ``process_file`` for each task on Dask; yield ``(task, outcome)`` as each completes."""
    from .batch import outcome_from_failure, process_file

    dd = _distributed()
    client, cluster, owned = connect(target, workers)
    try:
        n_threads = sum(client.nthreads().values()) or 1
        window = window or max(4, 2 * n_threads)
        pending = iter(tasks)
        by_key: dict[str, Any] = {}

        def submit(task: Any) -> Any:
            if ship_bytes and task.data is None:
                try:
                    task = replace(task, data=Path(task.path).read_bytes())
                except OSError:
                    pass  # the worker reports the file as unreadable
            future = client.submit(process_file, task, options, pure=False, retries=0)
            by_key[future.key] = replace(task, data=None)
            return future

        first = []
        for task in pending:
            first.append(submit(task))
            if len(first) >= window:
                break
        completed = dd.as_completed(first)
        for future in completed:
            task = by_key.pop(future.key)
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker, an error on the worker
                outcome = outcome_from_failure(task, "error", f"{type(exc).__name__}: {exc}")
            future.release()
            for nxt in pending:
                completed.add(submit(nxt))
                break
            yield task, outcome
    finally:
        if owned:
            client.close()
            if cluster is not None:
                cluster.close()
