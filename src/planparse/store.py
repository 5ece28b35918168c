"""The embedded store: parse results in SQLite (standard library), for SQL queries.

The tables are those of :mod:`planparse.frames` (same names, same columns; list columns
such as ``months`` and ``path`` as JSON text, so ``json_each(months)`` unnests them;
booleans as 0/1), each row carrying ``source_sha256`` and ``parser_version``. A source is
stored once per content and parser version:

- ``sources`` has the primary key ``(source_sha256, parser_version)``;
- ``source_paths`` maps every path ingested to the content it had;
- ingesting a document already there (same sha256 and parser version) changes nothing
  but ``source_paths``; ingesting a newer parse of the same content replaces the old one,
  so queries never count a file twice;
- each file is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``): a crash leaves a file
  wholly in or wholly out; the database is in WAL mode, so readers (``planparse query``,
  a notebook) can query while a batch writes.
"""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .frames import TABLES, rows_from_doc

STORE_VERSION = 1
SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER",
             "list[str]": "TEXT", "list[int]": "TEXT"}


def _table_columns(table: str) -> list[tuple[str, str]]:
    cols = [(c.name, c.kind) for c in TABLES[table]]
    if "parser_version" not in {name for name, _ in cols}:
        cols.append(("parser_version", "str"))
    return cols


def schema_sql() -> str:
    """The ``CREATE`` statements of the store."""
    statements = []
    for table in TABLES:
        cols = _table_columns(table)
        body = ", ".join(f'"{name}" {SQL_TYPES[kind]}' for name, kind in cols)
        if table == "sources":
            body += ", PRIMARY KEY (source_sha256, parser_version)"
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} ({body})")
        if table != "sources":
            statements.append(f"CREATE INDEX IF NOT EXISTS {table}_source ON {table} (source_sha256, parser_version)")
    statements.append("CREATE INDEX IF NOT EXISTS plans_id ON plans (plan_id)")
    statements.append("CREATE INDEX IF NOT EXISTS tasks_plan ON tasks (plan_id)")
    statements.append("CREATE INDEX IF NOT EXISTS schedule_plan ON schedule (plan_id)")
    statements.append("CREATE INDEX IF NOT EXISTS sections_plan ON sections (plan_id)")
    statements.append("CREATE TABLE IF NOT EXISTS source_paths (source_path TEXT PRIMARY KEY, "
                      "source_sha256 TEXT NOT NULL, parser_version TEXT NOT NULL, ingested_at TEXT NOT NULL)")
    statements.append("CREATE TABLE IF NOT EXISTS store_info (key TEXT PRIMARY KEY, value TEXT)")
    return ";\n".join(statements) + ";"


def _sql_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind.startswith("list"):
        return json.dumps(list(value), ensure_ascii=False)
    if kind == "bool":
        return int(bool(value))
    return value


class PlanStore:
    """A SQLite store at ``path`` (created if missing)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=60)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(schema_sql())
        self.conn.execute("INSERT OR IGNORE INTO store_info VALUES ('store_version', ?)", (str(STORE_VERSION),))
        self._inserts = {
            table: (f'INSERT INTO {table} ({", ".join(chr(34) + n + chr(34) for n, _ in _table_columns(table))}) '
                    f'VALUES ({", ".join("?" for _ in _table_columns(table))})')
            for table in TABLES
        }

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PlanStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def get(self, sha256: str, parser_version: str) -> dict[str, Any] | None:
        """The ``sources`` row of a stored source, or None."""
        cur = self.conn.execute(
            "SELECT status, error_code, error_message, n_plans, n_tasks, n_schedule_items FROM sources "
            "WHERE source_sha256 = ? AND parser_version = ?", (sha256, parser_version))
        row = cur.fetchone()
        if row is None:
            return None
        keys = ("status", "error_code", "error_message", "n_plans", "n_tasks", "n_schedule_items")
        return dict(zip(keys, row))

    def has(self, sha256: str, parser_version: str) -> bool:
        return self.get(sha256, parser_version) is not None

    def ingest(self, doc: dict[str, Any], parser_version: str, error: dict[str, Any] | None = None,
               path: str | None = None) -> bool:
        """Store one output document in one transaction; False if it was already there
        (or has no sha256: a path that could not be read)."""
        source = doc.get("source") or {}
        sha = source.get("sha256")
        if not sha:
            return False
        path = path or source.get("path") or ""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            exists = conn.execute("SELECT 1 FROM sources WHERE source_sha256 = ? AND parser_version = ?",
                                  (sha, parser_version)).fetchone()
            if not exists:
                for table in TABLES:  # an older parse of the same content is replaced
                    conn.execute(f"DELETE FROM {table} WHERE source_sha256 = ?", (sha,))
                rows = rows_from_doc(doc, parser_version, error=error)
                for table, table_rows in rows.items():
                    if not table_rows:
                        continue
                    cols = _table_columns(table)
                    conn.executemany(self._inserts[table], [
                        tuple(_sql_value(kind, parser_version if name == "parser_version" else row.get(name))
                              for name, kind in cols)
                        for row in table_rows
                    ])
            conn.execute("INSERT INTO source_paths VALUES (?, ?, ?, ?) ON CONFLICT(source_path) DO UPDATE SET "
                         "source_sha256 = excluded.source_sha256, parser_version = excluded.parser_version, "
                         "ingested_at = excluded.ingested_at", (path, sha, parser_version, now))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return not exists

    def counts(self) -> dict[str, int]:
        return {table: self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}


def connect_readonly(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A read-only connection to an existing store (or any SQLite file)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such database: {path}")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def run_query(path: str | os.PathLike[str], sql: str, params: tuple[Any, ...] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one SQL statement on the store read-only; returns (column names, rows)."""
    conn = connect_readonly(path)
    try:
        cur = conn.execute(sql, params)
        columns = [d[0] for d in cur.description or []]
        return columns, cur.fetchall()
    finally:
        conn.close()
