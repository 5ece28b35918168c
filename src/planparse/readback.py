"""Read what planparse wrote back into the CONTRACT §2 tables (pandas DataFrames).

``planparse report`` and ``planparse similar`` take any mix of:

- documents to parse (files and folders of ``.txt .docx .pdf .html .doc .wps``), parsed
  here with :func:`planparse.api.parse_file`;
- planparse JSON documents (``planparse parse -o OUT``: ``OUT/**/*.json``), or one of them;
- a table folder of ``--format jsonl``, ``parquet`` or ``csv`` (``plans.jsonl``, ...), or
  one of its table files, with English or Chinese (``--labels zh``) headers and labels;
- a SQLite store (``--db``, or a ``.sqlite``/``.db`` file).

Everything becomes one dict of frames with exactly the columns and dtypes of
:data:`planparse.frames.TABLES` (:func:`planparse.frames.frame`), so the report has one
input shape whatever the source.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .frames import TABLES, Labels, frame, rows_from_doc

if TYPE_CHECKING:
    import pandas as pd

TABLE_SUFFIXES = (".parquet", ".jsonl", ".csv")
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
LIST_SEPARATOR = ";"  # csv list columns (planparse.formats.LIST_SEPARATOR)


class InputError(ValueError):
    """An input path that is none of the kinds above."""


@dataclass
class Loaded:
    """The tables of every input, and what each input path was taken as."""

    frames: dict[str, pd.DataFrame]
    kinds: list[tuple[str, str]] = field(default_factory=list)  # (path, kind)


def _is_na(value: Any) -> bool:
    """A missing scalar cell (None, NaN, pd.NA, NaT); a list cell is never missing."""
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _plain(value: Any, kind: str) -> Any:
    """A cell read from a table file as the Python value :func:`frame` expects."""
    if kind.startswith("list"):
        if value is None or (not hasattr(value, "__len__") and _is_na(value)):
            return []
        if isinstance(value, str):  # csv/SQLite: ";"-joined or JSON text
            value = json.loads(value) if value.startswith("[") else [v for v in value.split(LIST_SEPARATOR) if v]
        items = [v.item() if hasattr(v, "item") else v for v in list(value)]
        return [int(v) for v in items] if kind == "list[int]" else [str(v) for v in items]
    if _is_na(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
    return str(value)


def _english(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """A table written with ``--labels zh`` back to the contract's column and label names."""
    if "plan_id" in df.columns or "source_sha256" in df.columns or not len(df.columns):
        return df
    zh = Labels.load("zh")
    # per table: two tables may give one Chinese header to different columns (错误代码)
    back_columns = {zh.column(c.name): c.name for c in TABLES[table]}
    df = df.rename(columns={c: back_columns.get(c, c) for c in df.columns})
    for col in TABLES[table]:
        names = zh.values.get(col.vocab or "", {})
        if col.name in df.columns and names:
            back = {v: k for k, v in names.items()}
            if col.kind.startswith("list"):
                df[col.name] = df[col.name].map(lambda v, back=back: [back.get(x, x) for x in _plain(v, col.kind)])
            else:
                df[col.name] = df[col.name].map(lambda v, back=back: back.get(v, v) if isinstance(v, str) else v)
    return df


def _rows(table: str, df: pd.DataFrame) -> list[dict[str, Any]]:
    df = _english(table, df)
    kinds = {c.name: c.kind for c in TABLES[table]}
    records = df.to_dict("records")
    return [{name: _plain(rec.get(name), kind) for name, kind in kinds.items()} for rec in records]


def read_table_folder(folder: str | os.PathLike[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table in a folder of ``--format jsonl|parquet|csv`` files."""
    import pandas as pd

    folder = Path(folder)
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for suffix in TABLE_SUFFIXES:
        if not (folder / f"plans{suffix}").is_file():
            continue
        for name in TABLES:
            path = folder / f"{name}{suffix}"
            if not path.is_file():
                continue
            if suffix == ".parquet":
                df = pd.read_parquet(path)
            elif suffix == ".jsonl":
                df = pd.read_json(path, lines=True, dtype=False) if path.stat().st_size else pd.DataFrame()
            else:
                df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False, na_values=[""])
            out[name] = _rows(name, df)
        return out
    raise InputError(f"{folder}: no plans.parquet, plans.jsonl or plans.csv (not a planparse table folder)")


def read_store(path: str | os.PathLike[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table of a SQLite store written by ``planparse parse --db``."""
    from .store import connect_readonly

    conn = connect_readonly(path)
    try:
        out: dict[str, list[dict[str, Any]]] = {}
        for name, columns in TABLES.items():
            cur = conn.execute(f"SELECT {', '.join(chr(34) + c.name + chr(34) for c in columns)} FROM {name}")
            out[name] = [{c.name: _plain(v, c.kind) for c, v in zip(columns, row)} for row in cur.fetchall()]
        return out
    finally:
        conn.close()


def _is_planparse_doc(obj: Any) -> bool:
    return isinstance(obj, Mapping) and "source" in obj and "plans" in obj


def _json_docs(paths: Iterable[Path]) -> list[dict[str, Any]]:
    docs = []
    for path in paths:
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if _is_planparse_doc(obj):
            docs.append(obj)
    return docs


def _output_json_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.json")
                  if not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _kind(path: Path) -> str:
    """What an input path is: 'tables', 'store', 'json' or 'documents'."""
    if path.is_dir():
        if any((path / f"plans{s}").is_file() for s in TABLE_SUFFIXES):
            return "tables"
        if _json_docs(_output_json_files(path)[:20]):
            return "json"
        return "documents"
    suffix = path.suffix.lower()
    if suffix in STORE_SUFFIXES:
        return "store"
    if suffix in TABLE_SUFFIXES and path.stem in TABLES:
        return "tables"
    if suffix == ".json":
        return "json"
    return "documents"


def load_inputs(paths: Iterable[str | os.PathLike[str]], db: str | os.PathLike[str] | None = None,
                on_parse: Any = None) -> Loaded:
    """The tables of every input (see the module doc). ``on_parse(path)`` is called
    before each document is parsed (progress)."""
    from .api import parse_file
    from .fingerprint import parser_version
    from .output import iter_input_files

    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    kinds: list[tuple[str, str]] = []
    to_parse: list[Path] = []

    def add(table_rows: Mapping[str, list[dict[str, Any]]]) -> None:
        for name, part in table_rows.items():
            rows[name].extend(part)

    version = parser_version()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {path}")
        kind = _kind(path)
        kinds.append((str(path), kind))
        if kind == "tables":
            add(read_table_folder(path if path.is_dir() else path.parent))
        elif kind == "store":
            add(read_store(path))
        elif kind == "json":
            files = _output_json_files(path) if path.is_dir() else [path]
            docs = _json_docs(files)
            if not docs and path.is_file():
                raise InputError(f"{path}: not a planparse JSON document")
            for doc in docs:
                add(rows_from_doc(doc, version))
        else:
            to_parse.extend(item.path for item in iter_input_files([path]))
    if db is not None:
        kinds.append((str(db), "store"))
        add(read_store(db))
    for path in to_parse:
        if on_parse is not None:
            on_parse(path)
        add(rows_from_doc(parse_file(path).to_dict(), version))
    return Loaded(frames={name: frame(name, rows[name]) for name in TABLES}, kinds=kinds)
