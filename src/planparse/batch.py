"""Batch conversion: many files in, every one accounted for, fast, resumable.

:func:`process_file` is the per-file function — the same one whether it runs in this
process (``workers=1``), in the local process pool (:mod:`planparse.pool`) or on Dask
(:mod:`planparse.distributed`). It never raises for a bad file and enforces the per-file
time limit itself (:func:`planparse.guard.time_limit`); the pool adds a hard stop and a
memory cap around it.

:func:`run_batch` drives a batch into an output folder (and/or a SQLite store):

1. every input is hashed; one whose (path, sha256, parser version, options) is already
   in the folder's manifest (:mod:`planparse.manifest`) — and in the store, with
   ``db`` — is not parsed again unless ``force``;
2. the rest go to the engine; each result, as it arrives, is written (its JSON file, a
   manifest line, one store transaction);
3. at the end the table files are assembled from the manifest in input order, each
   written to a temporary file and renamed into place, so tables are the same whatever
   the engine, the number of workers or the number of interrupted runs before.

Scripts that run batches with ``workers > 1`` must guard their entry point with
``if __name__ == "__main__":`` (worker processes are started from a fork server, which
imports the main module).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .config import DEFAULT_LIMITS, Limits
from .guard import FileTimeout, cpu_count, time_limit
from .output import InputFile, dumps, dumps_compact, file_mode, loads, plan_outputs, validation_errors, write_text_atomic

DEFAULT_TIMEOUT = DEFAULT_LIMITS.timeout_s
DEFAULT_MAX_MEMORY_MB = DEFAULT_LIMITS.max_memory_mb
ERRORS_FILE = "errors.jsonl"
STAGES_READ = "read"  # parse_file time outside the pipeline components: hashing, the reader, assembly
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


# --- the per-file function -------------------------------------------------------------------

@dataclass(frozen=True)
class WorkOptions:
    """How :func:`process_file` treats one file."""

    with_text: bool = False
    timeout: float | None = DEFAULT_TIMEOUT  # seconds; None or 0 = no limit
    validate: bool = True  # check the document against the bundled JSON Schema
    limits: Limits | None = None  # size/page limits; timeout_s follows ``timeout``

    def effective_limits(self) -> Limits:
        limits = self.limits or DEFAULT_LIMITS
        if self.timeout and self.timeout > 0:
            # An external converter must give up before the file's own limit runs out,
            # so that it is stopped by its own code (and its process group killed).
            limits = replace(limits, timeout_s=self.timeout,
                             convert_timeout_s=min(limits.convert_timeout_s, max(1.0, self.timeout * 0.9)))
        return limits


@dataclass(frozen=True)
class FileTask:
    """One file to process. ``output``: the JSON file to write (None: the caller writes).
    ``data``: the file's bytes, sent along when the workers cannot see the caller's disk."""

    index: int
    path: str
    sha256: str = ""
    size: int = 0
    output: str | None = None
    data: bytes | None = None


def failure_doc(path: str, code: str, message: str, sha256: str = "", size: int = 0) -> dict[str, Any]:
    """The output document of a file that produced nothing but an error."""
    from .records import ErrorRecord, ParseResult, SourceInfo

    source = SourceInfo(path=path, format=Path(path).suffix.lower().lstrip(".") or None, sha256=sha256, bytes=size)
    return ParseResult(source=source, error=ErrorRecord(path, code, message)).to_dict()


def _counts(doc: dict[str, Any]) -> tuple[int, int, int]:
    plans = doc.get("plans") or []
    return (len(plans), sum(len(p.get("tasks") or []) for p in plans),
            sum(len(p.get("schedule") or []) for p in plans))


def _is_memory_failure(error: dict[str, Any] | None) -> bool:
    # parse_file turns every Exception into an error record, MemoryError included (as
    # internal_error, or corrupt when a reader ran out): recognise it by its name.
    return bool(error) and error.get("code") in ("internal_error", "corrupt") and "MemoryError" in (error.get("message") or "")


def _parse_with_limits(path: str, task: FileTask, options: WorkOptions, pipeline: Any) -> tuple[dict[str, Any], bool]:
    """The document of one file, and whether the worker should be replaced afterwards."""
    from .api import parse_file

    try:
        with time_limit(options.timeout):
            result = parse_file(path, options.effective_limits(), pipeline)
            doc = result.to_dict(with_text=options.with_text)
    except FileTimeout:
        return failure_doc(task.path, "timeout",
                           f"parsing took longer than the limit of {options.timeout:g} s (--timeout); "
                           "the file was skipped", task.sha256, task.size), True
    except MemoryError:
        doc = {"error": {"code": "internal_error", "message": "MemoryError"}}
    recycle = False
    if _is_memory_failure(doc.get("error")):
        doc = failure_doc(task.path, "too_large",
                          "the file needs more memory than one worker may use (--max-memory); it was skipped",
                          task.sha256, task.size)
        recycle = True
    return doc, recycle


def process_file(task: FileTask, options: WorkOptions = WorkOptions(), *, defer_write: bool = False) -> dict[str, Any]:
    """Parse one file and report on it; never raises for a bad file.

    Returns the outcome: ``index``, ``path``, ``status`` (parsed/failed), ``error_code``,
    ``error_message``, ``n_plans``, ``n_tasks``, ``n_schedule_items``, ``doc_json`` (the
    output document as compact JSON), ``output`` (the JSON file written, if any),
    ``elapsed`` and ``timings`` (seconds per stage: read, the pipeline components,
    validate, write). With ``defer_write`` the JSON file is not written but handed back
    as ``pending_write`` = (path, text); :func:`finish_write` completes the outcome."""
    from .api import default_pipeline
    from .pool import request_recycle

    began = time.perf_counter()
    pipeline = default_pipeline()
    before = dict(pipeline.timings)
    tmpdir = None
    path = task.path
    if task.data is not None:  # shipped bytes: parse a local copy under the same name
        tmpdir = tempfile.mkdtemp(prefix="planparse-task-")
        path = os.path.join(tmpdir, Path(task.path).name or "input")
        with open(path, "wb") as handle:
            handle.write(task.data)
    try:
        doc, recycle = _parse_with_limits(path, task, options, pipeline)
    finally:
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
    if tmpdir is not None:
        doc.setdefault("source", {})["path"] = task.path
        if doc.get("error"):
            doc["error"]["path"] = task.path
    parsed_at = time.perf_counter()
    timings = {name: pipeline.timings.get(name, 0.0) - before.get(name, 0.0) for name in pipeline.timings}
    timings = {STAGES_READ: max(0.0, parsed_at - began - sum(timings.values())), **timings}

    error = doc.get("error")
    if options.validate:
        problems = validation_errors(doc)
        if problems and error is None:
            # A label outside a closed set, a bad span...: a bug of ours. The document is
            # still written for inspection, and the file counts as failed.
            error = {"path": task.path, "code": "internal_error",
                     "message": f"output does not match the schema ({len(problems)} problem(s)): {problems[0]}"}
    validated_at = time.perf_counter()
    timings["validate"] = validated_at - parsed_at

    doc_json = dumps_compact(doc)
    written = None
    pending = None
    if task.output is not None and defer_write:
        pending = (task.output, dumps(doc))
    elif task.output is not None:
        try:
            write_text_atomic(task.output, dumps(doc))
            written = task.output
        except OSError as exc:
            error = {"path": task.path, "code": "internal_error", "message": f"could not write the output: {exc}"}
    timings["write"] = time.perf_counter() - validated_at
    if recycle:
        request_recycle()
    n_plans, n_tasks, n_items = _counts(doc)
    outcome = {
        "index": task.index, "path": task.path, "status": "failed" if error else "parsed",
        "error_code": error.get("code") if error else None, "error_message": error.get("message") if error else None,
        "n_plans": n_plans, "n_tasks": n_tasks, "n_schedule_items": n_items, "doc_json": doc_json,
        "output": written, "elapsed": time.perf_counter() - began, "timings": timings,
        "format": (doc.get("source") or {}).get("format"), "bytes": (doc.get("source") or {}).get("bytes"),
        "pages": (doc.get("source") or {}).get("pages"),
    }
    if pending is not None:
        outcome["pending_write"] = pending
    return outcome


def finish_write(outcome: dict[str, Any], written: Future) -> dict[str, Any]:
    """Complete an outcome of ``process_file(..., defer_write=True)`` once its JSON file's
    write (``written``, a future of ``write_text_atomic``) is done: as if it had been
    written in place (a failed write fails the file). The wait counts as ``write`` time."""
    began = time.perf_counter()
    path, _ = outcome.pop("pending_write")
    try:
        written.result()
        outcome["output"] = path
    except OSError as exc:
        outcome["status"], outcome["error_code"] = "failed", "internal_error"
        outcome["error_message"] = f"could not write the output: {exc}"
    waited = time.perf_counter() - began
    outcome["timings"]["write"] = outcome["timings"].get("write", 0.0) + waited
    outcome["elapsed"] += waited
    return outcome


def _process_packed(args: tuple[FileTask, WorkOptions]) -> dict[str, Any]:
    return process_file(*args)


def warm_up() -> None:
    """Build the pipeline (load its data tables) before the first file: worker start-up."""
    from .api import default_pipeline

    default_pipeline()


def outcome_from_failure(task: FileTask, kind: str, message: str) -> dict[str, Any]:
    """The outcome of a task that has no result from its worker (killed, crashed, raised)."""
    if kind == "timeout":
        code = "timeout"
        message = f"parsing did not finish: {message}"
    elif "MemoryError" in message:
        code, message = "too_large", "the file needs more memory than one worker may use (--max-memory); it was skipped"
    else:
        code = "internal_error"
        message = f"planparse failed on this file: {message}"
    doc = failure_doc(task.path, code, message, task.sha256, task.size)
    return {
        "index": task.index, "path": task.path, "status": "failed", "error_code": code, "error_message": message,
        "n_plans": 0, "n_tasks": 0, "n_schedule_items": 0,
        "doc_json": dumps_compact(doc), "output": None,
        "elapsed": 0.0, "timings": {}, "format": doc["source"]["format"], "bytes": task.size, "pages": None,
    }


# --- engines: iterables of tasks in, (task, outcome) out as they complete ---------------------

def in_process_engine(tasks: Iterable[FileTask], options: WorkOptions) -> Iterator[tuple[FileTask, dict[str, Any]]]:
    """Files one after another in this process. Each JSON file is written (and synced to
    disk) by a helper thread while the next file is parsed; a file is reported only once
    its JSON file is in place, so what the caller sees is as if written in line."""
    warm_up()
    mode = file_mode()  # the umask, read once here: not from the thread
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="planparse-write") as writer:
        pending: tuple[FileTask, dict[str, Any], Future] | None = None
        for task in tasks:
            try:
                outcome = process_file(task, options, defer_write=True)
            except Exception as exc:  # noqa: BLE001 - a bug of ours; the batch goes on
                outcome = outcome_from_failure(task, "error", f"{type(exc).__name__}: {exc}")
            if pending is not None:
                yield pending[0], finish_write(pending[1], pending[2])
                pending = None
            if "pending_write" in outcome:
                path, text = outcome["pending_write"]
                pending = (task, outcome, writer.submit(write_text_atomic, path, text, mode))
            else:
                yield task, outcome
        if pending is not None:
            yield pending[0], finish_write(pending[1], pending[2])


def pool_engine(tasks: Iterable[FileTask], options: WorkOptions, workers: int,
                max_memory_mb: int | None) -> Iterator[tuple[FileTask, dict[str, Any]]]:
    from .pool import WorkerFailure, WorkerPool

    pool = WorkerPool(_process_packed, workers, timeout=options.timeout, memory_mb=max_memory_mb,
                      initializer=warm_up, preload=["planparse.batch", "planparse.api"])
    with pool:
        for task, ok, value in pool.imap_unordered((t, (t, options)) for t in tasks):
            if ok:
                yield task, value
            else:
                failure: WorkerFailure = value
                yield task, outcome_from_failure(task, failure.kind, failure.message)


# --- the batch -------------------------------------------------------------------------------

@dataclass
class BatchConfig:
    outdir: Path | None = None  # output folder; None only with ``db``
    format: str = "json"  # json | jsonl | csv | parquet | xlsx
    labels: str | None = None  # zh: Chinese headers and label names in table formats
    workers: int | None = None  # None: the CPU count; 1: in this process
    timeout: float | None = DEFAULT_TIMEOUT
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB  # per worker process; None/0: no cap
    force: bool = False
    db: Path | None = None  # SQLite store to ingest into
    dask: Any = None  # "local", a scheduler address, or a distributed.Client
    dask_ship_bytes: bool = False  # send file bytes to Dask workers (no shared file system)
    with_text: bool = False
    validate: bool = True
    limits: Limits | None = None


@dataclass
class FileReport:
    """One input's fate, as reported to ``on_file``."""

    index: int
    path: Path
    output: Path | None
    status: str
    error_code: str | None
    error_message: str | None
    n_plans: int
    n_tasks: int
    n_schedule_items: int
    reused: bool  # done by an earlier run (same sha256 and parser version): not parsed again
    elapsed: float = 0.0


@dataclass
class BatchSummary:
    files: int = 0
    parsed: int = 0
    failed: int = 0
    reused: int = 0
    plans: int = 0
    tasks: int = 0
    schedule_items: int = 0
    failures: Counter = field(default_factory=Counter)  # error code -> files
    engine: str = ""
    workers: int = 0
    parser_version: str = ""
    outdir: Path | None = None
    format: str = "json"
    outputs: list[Path] = field(default_factory=list)  # table files (or errors.jsonl for json)
    errors_file: Path | None = None
    manifest: Path | None = None
    db: Path | None = None
    db_ingested: int = 0
    elapsed: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    parse_seconds: float = 0.0  # summed per-file time in the engines
    bytes_parsed: int = 0
    pages_parsed: int = 0
    files_parsed_now: int = 0

    def add(self, report: FileReport) -> None:
        self.files += 1
        if report.status == "parsed":
            self.parsed += 1
        else:
            self.failed += 1
            self.failures[report.error_code or "internal_error"] += 1
        self.reused += report.reused
        self.plans += report.n_plans
        self.tasks += report.n_tasks
        self.schedule_items += report.n_schedule_items


def _source_identity(path: Path) -> tuple[str, int]:
    """``(sha256, size)`` of an input for the resume key and the store. Only regular files
    are opened: opening a named pipe would block the batch (``parse_file`` then reports
    what the path is). A file over the size limit is still hashed, streamed a megabyte at
    a time, so that it has its sha256 in ``sources`` and the store; the reader refuses it
    by size before reading it."""
    if not stat.S_ISREG(path.stat().st_mode):
        return "", 0
    return _sha256(path)


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def sweep_temp_files(outdir: Path) -> int:
    """Remove temporary files a killed run left in ``outdir`` (``.<name>.<8 chars>.tmp``)."""
    removed = 0
    if not outdir.is_dir():
        return 0
    for dirpath, _dirnames, filenames in os.walk(outdir):
        for name in filenames:
            if _TEMP_NAME.match(name):
                try:
                    os.unlink(os.path.join(dirpath, name))
                    removed += 1
                except OSError:
                    pass
    return removed


def resolve_workers(workers: int | None) -> int:
    return cpu_count() if not workers or workers < 1 else workers


def run_batch(inputs: Iterable[InputFile | str | os.PathLike[str]], config: BatchConfig,
              on_start: Callable[[int, int], None] | None = None,
              on_file: Callable[[FileReport], None] | None = None) -> BatchSummary:
    """Run a batch; see the module doc. ``on_start(total, to_parse)`` is called once the
    inputs are hashed, ``on_file(report)`` once per input as it is settled (reused inputs
    first). Raises :class:`planparse.manifest.OutputLocked` if another run holds the
    output folder, and ``ValueError`` for a bad configuration."""
    from .fingerprint import parser_version
    from .formats import FORMATS, TABLE_FORMATS, open_sink
    from .manifest import Key, Manifest

    started = time.perf_counter()
    items = [i if isinstance(i, InputFile) else InputFile(Path(i), Path(i).parent) for i in inputs]
    if config.format not in FORMATS:
        raise ValueError(f"unknown format {config.format!r}; one of {', '.join(FORMATS)}")
    if config.outdir is None and config.db is None:
        raise ValueError("a batch needs an output folder or a database")
    version = parser_version()
    workers = resolve_workers(config.workers)
    options = WorkOptions(with_text=config.with_text, timeout=config.timeout, validate=config.validate,
                          limits=config.limits)
    summary = BatchSummary(parser_version=version, outdir=config.outdir, format=config.format, db=config.db)
    outdir = Path(config.outdir) if config.outdir is not None else None
    json_outputs: list[Path | None] = [None] * len(items)
    if outdir is not None and config.format == "json":
        json_outputs = list(plan_outputs(items, outdir))

    manifest = None
    store = None
    sink = None
    try:
        if outdir is not None:
            outdir.mkdir(parents=True, exist_ok=True)
            manifest = Manifest(outdir).open()
            sweep_temp_files(outdir)
            summary.manifest = manifest.path
        if config.db is not None:
            from .store import PlanStore

            store = PlanStore(config.db)

        def report_of(index: int, meta: Any, reused: bool, elapsed: float = 0.0) -> FileReport:
            return FileReport(index=index, path=items[index].path, output=json_outputs[index], status=meta["status"],
                              error_code=meta.get("error_code"), error_message=meta.get("error_message"),
                              n_plans=meta.get("n_plans", 0), n_tasks=meta.get("n_tasks", 0),
                              n_schedule_items=meta.get("n_schedule_items", 0), reused=reused, elapsed=elapsed)

        def settle(report: FileReport) -> None:
            summary.add(report)
            if on_file is not None:
                on_file(report)

        # 1. what is already done
        keys: list[Key] = []
        todo: list[FileTask] = []
        done_now: list[FileReport] = []
        for index, item in enumerate(items):
            try:
                sha, size = _source_identity(item.path)
            except OSError:
                sha, size = "", 0  # parse_file reports why it cannot be read
            key = Key(str(item.path), sha, version, config.with_text)
            keys.append(key)
            entry = manifest.get(key) if manifest is not None else None
            out_ok = manifest is None or (entry is not None and not config.force and (
                json_outputs[index] is None or json_outputs[index].exists()))
            stored = store.get(sha, version) if (store is not None and sha and not config.force) else None
            db_ok = store is None or stored is not None or (not sha and out_ok)
            if out_ok and db_ok and (entry is not None or stored is not None):
                meta = vars(entry) if entry is not None else stored
                done_now.append(report_of(index, meta, reused=True))
            elif out_ok and entry is not None:  # in the folder, not yet in the store: no need to parse
                store.ingest(manifest.doc(entry), version, error=_entry_error(entry))
                summary.db_ingested += 1
                done_now.append(report_of(index, vars(entry), reused=True))
            else:
                output = json_outputs[index]
                todo.append(FileTask(index=index, path=str(item.path), sha256=sha, size=size,
                                     output=str(output) if output is not None and config.dask is None else None))

        if on_start is not None:
            on_start(len(items), len(todo))
        for report in done_now:
            settle(report)

        # 2. parse the rest, settling each file as it completes
        if todo:
            if config.dask is not None:
                from .distributed import dask_engine

                engine = dask_engine(todo, options, config.dask, workers=workers, ship_bytes=config.dask_ship_bytes)
                summary.engine = "dask"
            elif workers == 1:
                engine = in_process_engine(todo, options)
                summary.engine = "in-process"
            else:
                workers = min(workers, len(todo))
                engine = pool_engine(todo, options, workers, config.max_memory_mb)
                summary.engine = "process pool"
            summary.workers = workers
            for task, outcome in engine:
                index = task.index
                output = json_outputs[index]
                if output is not None and outcome.get("output") is None:
                    try:  # Dask results, and files whose worker gave no result
                        write_text_atomic(output, dumps(loads(outcome["doc_json"])))
                    except OSError as exc:
                        outcome["status"], outcome["error_code"] = "failed", "internal_error"
                        outcome["error_message"] = f"could not write the output: {exc}"
                error = ({"path": task.path, "code": outcome["error_code"], "message": outcome["error_message"]}
                         if outcome["status"] == "failed" else None)
                if manifest is not None:
                    rel = os.path.relpath(output, outdir) if output is not None else None
                    manifest.append(keys[index], status=outcome["status"], error_code=outcome["error_code"],
                                    error_message=outcome["error_message"], n_plans=outcome["n_plans"],
                                    n_tasks=outcome["n_tasks"], n_schedule_items=outcome["n_schedule_items"],
                                    output=rel, doc_json=outcome["doc_json"])
                if store is not None and keys[index].sha256:
                    if store.ingest(loads(outcome["doc_json"]), version, error=error, path=task.path):
                        summary.db_ingested += 1
                for stage, seconds in (outcome.get("timings") or {}).items():
                    summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
                summary.parse_seconds += outcome.get("elapsed") or 0.0
                summary.bytes_parsed += outcome.get("bytes") or 0
                summary.pages_parsed += outcome.get("pages") or 0
                summary.files_parsed_now += 1
                settle(report_of(index, outcome, reused=False, elapsed=outcome.get("elapsed") or 0.0))

        # 3. the tables, in input order, from the manifest
        if manifest is not None and outdir is not None:
            if config.format in TABLE_FORMATS:
                sink = open_sink(config.format, outdir, config.labels)
                from .frames import rows_from_doc

                for key in keys:
                    entry = manifest.get(key)
                    if entry is None:  # cannot happen: every input was settled above
                        raise RuntimeError(f"no result recorded for {key.path}")
                    sink.add(rows_from_doc(manifest.doc(entry), version, error=_entry_error(entry)))
                summary.outputs = sink.commit()
                sink = None
            else:
                lines = []
                for index, key in enumerate(keys):
                    entry = manifest.get(key)
                    if entry is not None and entry.status == "failed":
                        record = {"path": key.path, "code": entry.error_code, "message": entry.error_message}
                        if json_outputs[index] is not None:
                            record["output"] = str(json_outputs[index])
                        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
                summary.errors_file = write_text_atomic(outdir / ERRORS_FILE, "".join(lines))
                summary.outputs = [summary.errors_file]
            manifest.compact()
    finally:
        if sink is not None:
            sink.abort()
        if manifest is not None:
            manifest.close()
        if store is not None:
            store.close()
    summary.elapsed = time.perf_counter() - started
    return summary


def _entry_error(entry: Any) -> dict[str, Any] | None:
    if entry.status != "failed":
        return None
    return {"path": entry.key.path, "code": entry.error_code, "message": entry.error_message}
