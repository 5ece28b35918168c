"""Typed output records of CONTRACT §2. Field names are the contract's; ``to_dict`` gives
exactly the JSON shape the contract and the bundled JSON Schema describe."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from functools import cache
from typing import Any

SCHEMA_VERSION = "1.0"

Span = tuple[int, int]


def _plain(value: Any) -> Any:
    """The JSON form of a field: records as dicts, spans (tuples) as lists, containers copied."""
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    return value


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


class Record:
    def to_dict(self) -> dict[str, Any]:
        # A walk over the fields: dataclasses.asdict deep-copies every value first, which
        # costs more than the rest of writing a document's JSON.
        return {name: _plain(getattr(self, name)) for name in _field_names(type(self))}


@dataclass
class SourceInfo(Record):
    path: str
    format: str | None
    sha256: str
    bytes: int
    encoding: str | None = None
    pages: int | None = None
    ocr: bool = False


@dataclass
class Removed(Record):
    text: str
    reason: str
    span: Span | None = None


@dataclass
class Section(Record):
    section_id: str
    type: str
    heading: str | None
    number: str | None
    level: int
    parent_id: str | None
    span: Span
    text: str


@dataclass
class Task(Record):
    task_id: str
    section_id: str
    path: list[str]
    text: str
    category: str = "other"
    confidence: float = 0.0
    secondary_categories: list[str] = field(default_factory=list)
    months: list[int] = field(default_factory=list)
    span: Span = (0, 0)


@dataclass
class ScheduleItem(Record):
    months: list[int]
    when: str | None
    text: str
    category: str = "other"
    span: Span = (0, 0)
    owner: str | None = None
    section_id: str | None = None


@dataclass
class Target(Record):
    text: str
    quantity: float
    unit: str
    task_id: str | None = None
    quantity_max: float | None = None
    span: Span | None = None


@dataclass
class Plan(Record):
    plan_id: str
    title: str | None
    language: str
    script: str | None
    doc_type: str
    organization: str | None
    org_type: str
    year: int | None
    issued_date: str | None
    doc_number: str | None
    sections: list[Section]
    tasks: list[Task]
    schedule: list[ScheduleItem]
    targets: list[Target]
    span: Span


@dataclass
class ErrorRecord(Record):
    path: str
    code: str
    message: str


@dataclass
class ParseResult(Record):
    """Everything planparse learnt about one source file."""

    source: SourceInfo
    plans: list[Plan] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: ErrorRecord | None = None
    text: str | None = None  # the normalised text every span points into

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        source = self.source.to_dict()
        if with_text:
            source["text"] = self.text
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "source": source,
            "plans": [p.to_dict() for p in self.plans],
            "removed": [r.to_dict() for r in self.removed],
            "warnings": list(self.warnings),
        }
        if self.error is not None:
            out["error"] = self.error.to_dict()
        return out
