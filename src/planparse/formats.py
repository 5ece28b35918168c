"""Table files: one file per table of :data:`planparse.frames.TABLES` (``--format jsonl``,
``csv``, ``parquet``) or one workbook with a sheet per table (``--format xlsx``).

A :class:`TableSink` streams rows to temporary files beside the final ones and renames
them into place only on :meth:`TableSink.commit`, so a killed run never leaves a
half-written table (nor replaces a good one from an earlier run). Memory stays flat:
rows are written as they come (Parquet in row groups of :data:`PARQUET_ROW_GROUP` rows).

- ``jsonl``: one JSON object per line; list columns as JSON lists.
- ``csv``: UTF-8 with a byte order mark (so Excel and WPS open Chinese correctly),
  a header row, list columns as ``;``-joined text, empty cell for null.
- ``parquet``: Arrow types from the table schema (``list<string>``, ``list<int64>``...).
- ``xlsx``: one sheet per table (``tasks (2)`` continues a sheet past Excel's
  1,048,576 rows); list columns ``;``-joined; cells longer than Excel's 32,767 characters
  are cut (with ``…``); text is always text, never a formula.

``labels="zh"`` writes Chinese table (sheet), column and label names
(:class:`planparse.frames.Labels`); file names stay English.
"""
from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from .frames import TABLES, Column, Labels

FORMATS = ("json", "jsonl", "csv", "parquet", "xlsx")
TABLE_FORMATS = ("jsonl", "csv", "parquet", "xlsx")
EXTENSIONS = {"jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet"}
XLSX_NAME = "tables.xlsx"
PARQUET_ROW_GROUP = 5000
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767
LIST_SEPARATOR = ";"

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class MissingDependency(RuntimeError):
    """A table format needs a package that is not installed."""


def table_files(fmt: str, outdir: str | os.PathLike[str]) -> list[Path]:
    """The files ``fmt`` writes into ``outdir``."""
    outdir = Path(outdir)
    if fmt == "xlsx":
        return [outdir / XLSX_NAME]
    return [outdir / f"{name}{EXTENSIONS[fmt]}" for name in TABLES]


def _temp_for(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    return Path(tmp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _commit_file(tmp: Path, final: Path) -> None:
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, final)


def joined(value: list[Any]) -> str:
    return LIST_SEPARATOR.join("" if v is None else str(v) for v in value)


class TableSink:
    """Streams table rows into the files of one format; see the module doc."""

    fmt = ""

    def __init__(self, outdir: str | os.PathLike[str], labels: str | None = None) -> None:
        self.outdir = Path(outdir)
        self.labels = Labels.load(labels)
        self.rows_written = {name: 0 for name in TABLES}
        self._closed = False

    def add(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        for name, table_rows in rows.items():
            if table_rows:
                self._write(name, table_rows)
                self.rows_written[name] += len(table_rows)

    def _write(self, table: str, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def commit(self) -> list[Path]:
        """Finish every file and move it into place; returns the final paths."""
        raise NotImplementedError

    def abort(self) -> None:
        """Drop the temporary files (the final files, if any, stay as they were)."""
        raise NotImplementedError

    def __enter__(self) -> TableSink:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if not self._closed:
            self.abort()


class _PerTableSink(TableSink):
    """One temporary file per table, opened up front so that empty tables get their file too."""

    def __init__(self, outdir: str | os.PathLike[str], labels: str | None = None) -> None:
        super().__init__(outdir, labels)
        self.finals = dict(zip(TABLES, table_files(self.fmt, self.outdir)))
        self.temps: dict[str, Path] = {}
        try:
            for name in TABLES:
                self.temps[name] = _temp_for(self.finals[name])
                self._open(name)
        except BaseException:
            self.abort()
            raise

    def _open(self, table: str) -> None:
        raise NotImplementedError

    def _close(self, table: str) -> None:
        raise NotImplementedError

    def commit(self) -> list[Path]:
        for name in TABLES:
            self._close(name)
        for name in TABLES:
            _commit_file(self.temps[name], self.finals[name])
        self._closed = True
        return list(self.finals.values())

    def abort(self) -> None:
        for name in list(self.temps):
            try:
                self._close(name)
            except Exception:
                pass
            try:
                self.temps[name].unlink()
            except FileNotFoundError:
                pass
        self._closed = True


class JsonlSink(_PerTableSink):
    fmt = "jsonl"

    def _open(self, table: str) -> None:
        if not hasattr(self, "_handles"):
            self._handles: dict[str, Any] = {}
        self._handles[table] = open(self.temps[table], "w", encoding="utf-8", newline="\n")

    def _write(self, table: str, rows: list[dict[str, Any]]) -> None:
        names = self.labels.header(table)
        handle = self._handles[table]
        for row in rows:
            handle.write(json.dumps(dict(zip(names, self.labels.row(table, row))), ensure_ascii=False) + "\n")

    def _close(self, table: str) -> None:
        handle = self._handles.get(table)
        if handle is not None and not handle.closed:
            handle.close()


def _csv_cell(col: Column, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return joined(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class CsvSink(_PerTableSink):
    fmt = "csv"

    def _open(self, table: str) -> None:
        if not hasattr(self, "_handles"):
            self._handles: dict[str, Any] = {}
            self._writers: dict[str, Any] = {}
        handle = open(self.temps[table], "w", encoding="utf-8-sig", newline="")
        self._handles[table] = handle
        self._writers[table] = csv.writer(handle)
        self._writers[table].writerow(self.labels.header(table))

    def _write(self, table: str, rows: list[dict[str, Any]]) -> None:
        cols = TABLES[table]
        writer = self._writers[table]
        for row in rows:
            writer.writerow([_csv_cell(c, v) for c, v in zip(cols, self.labels.row(table, row))])

    def _close(self, table: str) -> None:
        handle = self._handles.get(table)
        if handle is not None and not handle.closed:
            handle.close()


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependency("--format parquet needs pyarrow: pip install pyarrow") from None
    return pa, pq


def arrow_schema(table: str, labels: Labels | None = None) -> Any:
    """The Arrow schema of ``table`` (column names translated by ``labels``)."""
    pa, _ = _pyarrow()
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
             "list[str]": pa.list_(pa.string()), "list[int]": pa.list_(pa.int64())}
    labels = labels or Labels.load(None)
    return pa.schema([pa.field(labels.column(c.name), types[c.kind]) for c in TABLES[table]])


class ParquetSink(_PerTableSink):
    fmt = "parquet"

    def _open(self, table: str) -> None:
        pa, pq = _pyarrow()
        if not hasattr(self, "_writers"):
            self._writers: dict[str, Any] = {}
            self._buffers: dict[str, list[list[Any]]] = {}
            self._schemas: dict[str, Any] = {}
        self._schemas[table] = arrow_schema(table, self.labels)
        self._writers[table] = pq.ParquetWriter(str(self.temps[table]), self._schemas[table], compression="zstd")
        self._buffers[table] = []

    def _write(self, table: str, rows: list[dict[str, Any]]) -> None:
        buffer = self._buffers[table]
        buffer.extend(self.labels.row(table, row) for row in rows)
        if len(buffer) >= PARQUET_ROW_GROUP:
            self._flush(table)

    def _flush(self, table: str) -> None:
        pa, _ = _pyarrow()
        buffer = self._buffers[table]
        if not buffer:
            return
        schema = self._schemas[table]
        columns = list(zip(*buffer))
        batch = pa.Table.from_arrays([pa.array(list(col), type=field.type) for col, field in zip(columns, schema)],
                                     schema=schema)
        self._writers[table].write_table(batch)
        buffer.clear()

    def _close(self, table: str) -> None:
        writer = self._writers.get(table)
        if writer is None:
            return
        try:
            self._flush(table)
        finally:
            writer.close()
            del self._writers[table]


def _xlsx_cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        value = joined(value)
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
        if len(value) > XLSX_MAX_CELL:
            value = value[: XLSX_MAX_CELL - 1] + "…"
    return value


def _sheet_title(name: str, part: int) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31]
    if part > 1:
        suffix = f" ({part})"
        title = title[: 31 - len(suffix)] + suffix
    return title


class XlsxSink(TableSink):
    """One workbook, a sheet per table, written with openpyxl's streaming (write-only) mode."""

    fmt = "xlsx"

    def __init__(self, outdir: str | os.PathLike[str], labels: str | None = None) -> None:
        super().__init__(outdir, labels)
        try:
            from openpyxl import Workbook
        except ImportError:
            raise MissingDependency("--format xlsx needs openpyxl: pip install openpyxl") from None
        self.final = self.outdir / XLSX_NAME
        self.book = Workbook(write_only=True)
        self.sheets: dict[str, Any] = {}
        self.sheet_rows: dict[str, int] = {}
        self.parts: dict[str, int] = {}
        for name in TABLES:
            self.parts[name] = 1
            self._new_sheet(name)

    def _new_sheet(self, table: str) -> None:
        sheet = self.book.create_sheet(_sheet_title(self.labels.table(table), self.parts[table]))
        sheet.append(self.labels.header(table))
        self.sheets[table] = sheet
        self.sheet_rows[table] = 1

    def _write(self, table: str, rows: list[dict[str, Any]]) -> None:
        from openpyxl.cell import WriteOnlyCell

        for row in rows:
            if self.sheet_rows[table] >= XLSX_MAX_ROWS:
                self.parts[table] += 1
                self._new_sheet(table)
            sheet = self.sheets[table]
            cells = []
            for value in self.labels.row(table, row):
                cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text that starts with "=" stays text
                cells.append(cell)
            sheet.append(cells)
            self.sheet_rows[table] += 1

    def commit(self) -> list[Path]:
        tmp = _temp_for(self.final)
        try:
            self.book.save(str(tmp))
            _commit_file(tmp, self.final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self._closed = True
        return [self.final]

    def abort(self) -> None:
        self._closed = True  # write-only sheets live in openpyxl's own temporary files


SINKS: dict[str, type[TableSink]] = {"jsonl": JsonlSink, "csv": CsvSink, "parquet": ParquetSink, "xlsx": XlsxSink}


def open_sink(fmt: str, outdir: str | os.PathLike[str], labels: str | None = None) -> TableSink:
    """A :class:`TableSink` for one of :data:`TABLE_FORMATS`."""
    try:
        return SINKS[fmt](outdir, labels)
    except KeyError:
        raise ValueError(f"unknown table format {fmt!r}; one of {', '.join(TABLE_FORMATS)}") from None
