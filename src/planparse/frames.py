"""The flat tables of CONTRACT §2 — ``sources``, ``plans``, ``sections``, ``tasks``,
``schedule``, ``targets``, ``removed``, ``errors`` — from parse results.

The columns and their types are defined once, in :data:`TABLES`; :func:`to_frames`,
the table files (:mod:`planparse.formats`) and the SQLite store (:mod:`planparse.store`)
all follow it, so a table has the same columns and types whatever it was made from and
however many rows it has (an empty table still has its columns and dtypes).

Column kinds and their pandas dtypes: ``str`` → ``string``, ``int`` → ``Int64``,
``float`` → ``Float64``, ``bool`` → ``boolean`` (all nullable), and ``list[str]`` /
``list[int]`` → ``object`` holding Python lists (``list<string>`` / ``list<int64>`` in
Parquet; ``;``-joined text in CSV and XLSX).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

    from .records import ParseResult


class Column(NamedTuple):
    name: str
    kind: str  # str | int | float | bool | list[str] | list[int]
    vocab: str | None = None  # label set whose values --labels translates (labels_zh.json "values")


def _cols(*spec: str | tuple[str, str] | tuple[str, str, str]) -> tuple[Column, ...]:
    out = []
    for item in spec:
        if isinstance(item, str):
            out.append(Column(item, "str"))
        else:
            out.append(Column(*item))
    return tuple(out)


_SPAN = (("span_start", "int"), ("span_end", "int"))

TABLES: dict[str, tuple[Column, ...]] = {
    # One row per input file, parsed or not.
    "sources": _cols(
        "source_path", "source_sha256", "format", ("status", "str", "status"), ("n_plans", "int"),
        ("error_code", "str", "error_code"), "error_message", ("bytes", "int"), "encoding",
        ("pages", "int"), ("ocr", "bool"), ("n_tasks", "int"), ("n_schedule_items", "int"),
        ("warnings", "list[str]"), "parser_version",
    ),
    "plans": _cols(
        "plan_id", "source_sha256", "source_path", ("seq", "int"), "title",
        ("language", "str", "language"), ("script", "str", "script"), ("doc_type", "str", "doc_type"),
        "organization", ("org_type", "str", "org_type"), ("year", "int"), "issued_date", "doc_number",
        ("n_sections", "int"), ("n_tasks", "int"), ("n_schedule_items", "int"), ("n_targets", "int"), *_SPAN,
    ),
    "sections": _cols(
        "plan_id", "source_sha256", "section_id", ("seq", "int"), ("type", "str", "section_type"), "heading",
        "number", ("level", "int"), "parent_id", *_SPAN, "text",
    ),
    "tasks": _cols(
        "plan_id", "source_sha256", "task_id", ("seq", "int"), "section_id", ("path", "list[str]"), "text",
        ("category", "str", "category"), ("confidence", "float"),
        ("secondary_categories", "list[str]", "category"), ("months", "list[int]"), *_SPAN,
    ),
    "schedule": _cols(
        "plan_id", "source_sha256", ("seq", "int"), "section_id", ("months", "list[int]"), "when", "text",
        ("category", "str", "category"), "owner", *_SPAN,
    ),
    "targets": _cols(
        "plan_id", "source_sha256", ("seq", "int"), "task_id", "text", ("quantity", "float"),
        ("quantity_max", "float"), "unit", *_SPAN,
    ),
    # Removed boilerplate belongs to the source file, not to one plan.
    "removed": _cols("source_sha256", "source_path", ("seq", "int"), "text", "reason", *_SPAN),
    "errors": _cols("source_path", "source_sha256", ("code", "str", "error_code"), "message"),
}
TABLE_NAMES: tuple[str, ...] = tuple(TABLES)

PANDAS_DTYPES = {"str": "string", "int": "Int64", "float": "Float64", "bool": "boolean",
                 "list[str]": "object", "list[int]": "object"}


def _span(value: Any) -> tuple[int | None, int | None]:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return value[0], value[1]
    return None, None


def _none_if_empty(value: Any) -> Any:
    return value if value not in ("", None) else None


def rows_from_doc(doc: Mapping[str, Any], parser_version: str | None = None,
                  error: Mapping[str, Any] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The table rows of one output document (``ParseResult.to_dict()``), as dicts keyed
    by the columns of :data:`TABLES` (missing fields are None).

    ``error`` overrides the document's own ``error`` (the batch records a failure that
    happened after parsing, e.g. a document that does not match the schema, this way)."""
    source = doc.get("source") or {}
    path = source.get("path")
    sha = _none_if_empty(source.get("sha256"))
    error = error if error is not None else doc.get("error")
    plans = doc.get("plans") or []
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}

    out["sources"].append({
        "source_path": path, "source_sha256": sha, "format": source.get("format"),
        "status": "failed" if error else "parsed", "n_plans": len(plans),
        "error_code": error.get("code") if error else None, "error_message": error.get("message") if error else None,
        "bytes": source.get("bytes"), "encoding": source.get("encoding"), "pages": source.get("pages"),
        "ocr": source.get("ocr"),
        "n_tasks": sum(len(p.get("tasks") or []) for p in plans),
        "n_schedule_items": sum(len(p.get("schedule") or []) for p in plans),
        "warnings": list(doc.get("warnings") or []), "parser_version": parser_version,
    })
    if error:
        out["errors"].append({"source_path": error.get("path") or path, "source_sha256": sha,
                              "code": error.get("code"), "message": error.get("message")})
    for i, removed in enumerate(doc.get("removed") or [], 1):
        start, end = _span(removed.get("span"))
        out["removed"].append({"source_sha256": sha, "source_path": path, "seq": i, "text": removed.get("text"),
                               "reason": removed.get("reason"), "span_start": start, "span_end": end})
    for n, plan in enumerate(plans, 1):
        pid = plan.get("plan_id")
        sections, tasks = plan.get("sections") or [], plan.get("tasks") or []
        schedule, targets = plan.get("schedule") or [], plan.get("targets") or []
        start, end = _span(plan.get("span"))
        out["plans"].append({
            "plan_id": pid, "source_sha256": sha, "source_path": path, "seq": n, "title": plan.get("title"),
            "language": plan.get("language"), "script": plan.get("script"), "doc_type": plan.get("doc_type"),
            "organization": plan.get("organization"), "org_type": plan.get("org_type"), "year": plan.get("year"),
            "issued_date": plan.get("issued_date"), "doc_number": plan.get("doc_number"),
            "n_sections": len(sections), "n_tasks": len(tasks), "n_schedule_items": len(schedule),
            "n_targets": len(targets), "span_start": start, "span_end": end,
        })
        for i, s in enumerate(sections, 1):
            start, end = _span(s.get("span"))
            out["sections"].append({
                "plan_id": pid, "source_sha256": sha, "section_id": s.get("section_id"), "seq": i,
                "type": s.get("type"), "heading": s.get("heading"), "number": s.get("number"),
                "level": s.get("level"), "parent_id": s.get("parent_id"), "span_start": start, "span_end": end,
                "text": s.get("text"),
            })
        for i, t in enumerate(tasks, 1):
            start, end = _span(t.get("span"))
            out["tasks"].append({
                "plan_id": pid, "source_sha256": sha, "task_id": t.get("task_id"), "seq": i,
                "section_id": t.get("section_id"), "path": list(t.get("path") or []), "text": t.get("text"),
                "category": t.get("category"), "confidence": t.get("confidence"),
                "secondary_categories": list(t.get("secondary_categories") or []),
                "months": list(t.get("months") or []), "span_start": start, "span_end": end,
            })
        for i, item in enumerate(schedule, 1):
            start, end = _span(item.get("span"))
            out["schedule"].append({
                "plan_id": pid, "source_sha256": sha, "seq": i, "section_id": item.get("section_id"),
                "months": list(item.get("months") or []), "when": item.get("when"), "text": item.get("text"),
                "category": item.get("category"), "owner": item.get("owner"), "span_start": start, "span_end": end,
            })
        for i, target in enumerate(targets, 1):
            start, end = _span(target.get("span"))
            out["targets"].append({
                "plan_id": pid, "source_sha256": sha, "seq": i, "task_id": target.get("task_id"),
                "text": target.get("text"), "quantity": target.get("quantity"),
                "quantity_max": target.get("quantity_max"), "unit": target.get("unit"),
                "span_start": start, "span_end": end,
            })
    return out


def _as_doc(result: Any) -> dict[str, Any]:
    if isinstance(result, Mapping):
        return dict(result)
    to_dict = getattr(result, "to_dict", None)
    if to_dict is None:
        raise TypeError(f"to_frames takes ParseResult objects or their to_dict() documents, not {type(result).__name__}")
    return to_dict()


def frame(table: str, rows: Iterable[Mapping[str, Any]] = ()) -> pd.DataFrame:
    """A DataFrame of ``table`` with exactly its columns and dtypes (empty without rows)."""
    import pandas as pd

    rows = list(rows)
    data = {}
    for col in TABLES[table]:
        values = [row.get(col.name) for row in rows]
        if col.kind.startswith("list"):
            data[col.name] = pd.Series([list(v) if v is not None else [] for v in values], dtype="object")
        else:
            if col.kind == "float":
                values = [float(v) if v is not None else None for v in values]
            data[col.name] = pd.Series(pd.array(values, dtype=PANDAS_DTYPES[col.kind]))
    return pd.DataFrame(data, columns=[c.name for c in TABLES[table]])


def to_frames(results: Iterable[ParseResult | Mapping[str, Any]], parser_version: str | None = None,
              labels: str | None = None) -> dict[str, pd.DataFrame]:
    """The CONTRACT §2 tables of ``results`` (``ParseResult`` objects or their JSON
    documents) as pandas DataFrames, keyed by table name in the contract's order.

    Every result gives exactly one ``sources`` row. ``parser_version`` defaults to this
    planparse's (:func:`planparse.fingerprint.parser_version`). ``labels="zh"`` gives
    Chinese column names and label values (the same as ``--labels zh``)."""
    if parser_version is None:
        from .fingerprint import parser_version as current

        parser_version = current()
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for result in results:
        for name, table_rows in rows_from_doc(_as_doc(result), parser_version).items():
            rows[name].extend(table_rows)
    frames = {name: frame(name, rows[name]) for name in TABLES}
    if labels and labels != "en":
        translator = Labels.load(labels)
        frames = {name: translator.frame(name, df) for name, df in frames.items()}
    return frames


class Labels:
    """Output labels in another language (``--labels zh``): table, column and value names
    from ``planparse/data/labels_<lang>.json``. English (the contract's names) is the identity."""

    def __init__(self, tables: dict[str, str], columns: dict[str, str], values: dict[str, dict[str, str]]) -> None:
        self.tables, self.columns, self.values = tables, columns, values

    @classmethod
    def load(cls, lang: str | None) -> Labels:
        if not lang or lang == "en":
            return cls({}, {}, {})
        data = _label_data(lang)
        return cls(data.get("tables", {}), data.get("columns", {}), data.get("values", {}))

    def table(self, name: str) -> str:
        return self.tables.get(name, name)

    def column(self, name: str) -> str:
        return self.columns.get(name, name)

    def header(self, table: str) -> list[str]:
        return [self.column(c.name) for c in TABLES[table]]

    def value(self, col: Column, value: Any) -> Any:
        if col.vocab is None or value is None or not self.values:
            return value
        names = self.values.get(col.vocab, {})
        if isinstance(value, list):
            return [names.get(v, v) for v in value]
        return names.get(value, value)

    def row(self, table: str, row: Mapping[str, Any]) -> list[Any]:
        """The row's values in column order, label values translated."""
        return [self.value(col, row.get(col.name)) for col in TABLES[table]]

    def frame(self, table: str, df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        for col in TABLES[table]:
            if col.vocab and self.values.get(col.vocab):
                names = self.values[col.vocab]
                if col.kind.startswith("list"):
                    df[col.name] = df[col.name].map(lambda v, names=names: [names.get(x, x) for x in v])
                else:
                    df[col.name] = df[col.name].map(lambda v, names=names: names.get(v, v), na_action="ignore").astype("string")
        return df.rename(columns={c.name: self.column(c.name) for c in TABLES[table]})


@lru_cache(maxsize=4)
def _label_data(lang: str) -> dict[str, Any]:
    try:
        text = resources.files("planparse").joinpath("data", f"labels_{lang}.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"no labels for language {lang!r} (planparse/data/labels_{lang}.json)") from None
    return json.loads(text)
