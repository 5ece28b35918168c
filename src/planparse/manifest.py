"""The batch manifest: what a batch into an output folder has already done, so that a
re-run (after a kill, a crash, or to add files) does only what is left.

``OUT/.planparse/manifest.jsonl`` has one line per finished source file: its path,
sha256, the parser version (:func:`planparse.fingerprint.parser_version`) and options it
was parsed with, its status and counts, and the whole output document (``doc``), from
which the table files are assembled. Lines are appended (one ``write`` each, flushed), so
a kill loses at most the line being written; a torn last line is cut off when the
manifest is next opened. A source is done when a line with the same key
(path, sha256, parser version, ``with_text``) is there; the last such line counts.

A lock file (``OUT/.planparse/lock``, ``flock``) keeps two runs from writing into one
output folder at once.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .output import loads

STATE_DIR = ".planparse"
MANIFEST_NAME = "manifest.jsonl"
LOCK_NAME = "lock"
MANIFEST_VERSION = 1


class OutputLocked(RuntimeError):
    """Another planparse run is writing into the same output folder."""


@dataclass(frozen=True)
class Key:
    path: str
    sha256: str
    parser_version: str
    with_text: bool


@dataclass
class Entry:
    """What the manifest knows of one finished source (without its document)."""

    key: Key
    status: str
    error_code: str | None
    error_message: str | None
    n_plans: int
    n_tasks: int
    n_schedule_items: int
    output: str | None
    offset: int  # where the line starts in the manifest file


def _meta(line: dict[str, Any], offset: int) -> Entry:
    return Entry(
        key=Key(line["path"], line["sha256"], line["parser_version"], bool(line.get("with_text"))),
        status=line["status"], error_code=line.get("error_code"), error_message=line.get("error_message"),
        n_plans=int(line.get("n_plans") or 0), n_tasks=int(line.get("n_tasks") or 0),
        n_schedule_items=int(line.get("n_schedule_items") or 0), output=line.get("output"), offset=offset,
    )


class Manifest:
    """The manifest of one output folder; open with :meth:`open`, close when done."""

    def __init__(self, outdir: str | os.PathLike[str]) -> None:
        self.outdir = Path(outdir)
        self.dir = self.outdir / STATE_DIR
        self.path = self.dir / MANIFEST_NAME
        self.entries: dict[Key, Entry] = {}
        self.lines = 0
        self._handle: Any = None
        self._reader: Any = None
        self._lock: Any = None

    # --- opening and closing ------------------------------------------------------------------

    def open(self) -> Manifest:
        self.dir.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        self._load()
        self._handle = open(self.path, "ab")
        return self

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._handle is not None:
            self._handle.flush()
            try:
                os.fsync(self._handle.fileno())
            except OSError:
                pass
            self._handle.close()
            self._handle = None
        if self._lock is not None:
            self._lock.close()  # releases the flock
            self._lock = None

    def __enter__(self) -> Manifest:
        return self.open()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _take_lock(self) -> None:
        handle = open(self.dir / LOCK_NAME, "a+")
        try:
            import fcntl
        except ImportError:  # Windows: no advisory lock
            self._lock = handle
            return
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise OutputLocked(f"another planparse run is writing into {self.outdir} "
                               f"(lock held on {self.dir / LOCK_NAME})") from None
        self._lock = handle

    def _load(self) -> None:
        """Read the index; cut a torn last line (a kill during a write) off the file."""
        if not self.path.exists():
            return
        good_end = 0
        with open(self.path, "rb") as handle:
            offset = 0
            for raw in handle:
                end = offset + len(raw)
                if not raw.endswith(b"\n"):
                    break  # torn line: everything from here is cut
                try:
                    line = loads(raw)
                    entry = _meta(line, offset)
                except (ValueError, KeyError, TypeError):
                    pass  # an unreadable line is skipped, not fatal
                else:
                    self.entries[entry.key] = entry
                    self.lines += 1
                good_end = end
                offset = end
        if good_end < self.path.stat().st_size:
            with open(self.path, "rb+") as handle:
                handle.truncate(good_end)

    # --- reading ----------------------------------------------------------------------------

    def get(self, key: Key) -> Entry | None:
        return self.entries.get(key)

    def doc(self, entry: Entry) -> dict[str, Any]:
        """The output document stored with ``entry``."""
        if self._handle is not None:
            self._handle.flush()
        if self._reader is None:
            self._reader = open(self.path, "rb")
        self._reader.seek(entry.offset)
        return loads(self._reader.readline())["doc"]

    # --- writing ----------------------------------------------------------------------------

    def append(self, key: Key, *, status: str, error_code: str | None, error_message: str | None,
               n_plans: int, n_tasks: int, n_schedule_items: int, output: str | None, doc_json: str,
               extra: dict[str, Any] | None = None) -> Entry:
        """Record one finished source; ``doc_json`` is its document as compact JSON text."""
        meta = {
            "v": MANIFEST_VERSION, "path": key.path, "sha256": key.sha256, "parser_version": key.parser_version,
            "with_text": key.with_text, "status": status, "error_code": error_code, "error_message": error_message,
            "n_plans": n_plans, "n_tasks": n_tasks, "n_schedule_items": n_schedule_items, "output": output,
            **(extra or {}),
        }
        head = json.dumps(meta, ensure_ascii=False)
        line = (head[:-1] + ', "doc": ' + doc_json + "}\n").encode("utf-8")
        offset = self._handle.tell()
        self._handle.write(line)
        self._handle.flush()
        entry = _meta(meta, offset)
        self.entries[key] = entry
        self.lines += 1
        return entry

    def compact(self) -> bool:
        """Rewrite the manifest without superseded lines when they are over half of it."""
        if self.lines <= 2 * len(self.entries) or self.lines < 100:
            return False
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=f".{MANIFEST_NAME}.", suffix=".tmp")
        entries = sorted(self.entries.values(), key=lambda e: e.offset)
        new_entries: dict[Key, Entry] = {}
        self._handle.flush()
        with os.fdopen(fd, "wb") as out, open(self.path, "rb") as src:
            for entry in entries:
                src.seek(entry.offset)
                raw = src.readline()
                new_offset = out.tell()
                out.write(raw)
                entry.offset = new_offset
                new_entries[entry.key] = entry
            out.flush()
            os.fsync(out.fileno())
        self._handle.close()
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        os.replace(tmp, self.path)
        self._handle = open(self.path, "ab")
        self.entries = new_entries
        self.lines = len(new_entries)
        return True
