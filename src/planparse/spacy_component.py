"""planparse as a spaCy pipeline component.

    import spacy
    nlp = spacy.blank("zh")          # or "en", or any pipeline of your own
    nlp.add_pipe("planparse")        # found through the spacy_factories entry point
    doc = nlp(text)
    doc.spans["sections"]            # one span per section, label = section type
    doc.spans["tasks"]               # one span per task, label = category
    doc.spans["schedule"]            # one span per schedule item, label = category
    doc._.plan                       # the first Plan record (None if no plan was found)
    doc._.plans                      # every Plan record
    span.id_                         # "<plan_id>/<section_id>", "<plan_id>/<task_id>", "<plan_id>/schedule/<n>"

The component runs :func:`planparse.api.parse_text` on ``doc.text``. planparse's spans
index its *normalised* text (NFKC, whitespace folded, zero-width characters dropped,
CONTRACT §1), not the text given; they are mapped back to ``doc.text`` character by
character (see :func:`char_map`) and then to tokens with
``doc.char_span(..., alignment_mode="expand")``, so a span covers whole tokens and the
original characters (full-width punctuation, indents) as they were.

The plans are kept on the doc as their JSON dicts (``doc._.planparse_plans``), and
``doc._.plan``/``doc._.plans`` build the records from them, so a doc still goes through
``doc.to_bytes()``, ``DocBin(store_user_data=True)`` and ``nlp.pipe(n_process=2)``."""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .normalize import nfkc
from .records import Plan, ScheduleItem, Section, Target, Task

FACTORY = "planparse"
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _record(cls: type, data: Mapping[str, Any]) -> Any:
    """A record from its JSON dict: spans back to tuples, other sequences to lists (msgpack,
    as in ``DocBin``, hands lists back as tuples); keys the record does not have are ignored."""
    values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
    for name, value in values.items():
        if isinstance(value, (list, tuple)):
            values[name] = tuple(value) if name == "span" else list(value)
    return cls(**values)


def plan_from_dict(data: Mapping[str, Any]) -> Plan:
    """The :class:`~planparse.records.Plan` record of a plan's JSON dict (``Plan.to_dict()``)."""
    plan = _record(Plan, data)
    plan.sections = [_record(Section, s) for s in data.get("sections", [])]
    plan.tasks = [_record(Task, t) for t in data.get("tasks", [])]
    plan.schedule = [_record(ScheduleItem, i) for i in data.get("schedule", [])]
    plan.targets = [_record(Target, t) for t in data.get("targets", [])]
    return plan


def _plans_of(doc: Doc) -> list[Plan]:
    return [plan_from_dict(p) for p in doc._.planparse_plans or []]


def _first_plan_of(doc: Doc) -> Plan | None:
    stored = doc._.planparse_plans
    return plan_from_dict(stored[0]) if stored else None


def _register_extensions() -> None:
    # Class-level attributes of spaCy; set once, never overwriting someone else's.
    if not Doc.has_extension("planparse_plans"):
        Doc.set_extension("planparse_plans", default=None)  # JSON dicts: serialisable with the doc
    if not Doc.has_extension("plans"):
        Doc.set_extension("plans", getter=_plans_of)
    if not Doc.has_extension("plan"):
        Doc.set_extension("plan", getter=_first_plan_of)


def _visible(text: str) -> tuple[str, list[int]]:
    """The text's non-whitespace characters and their offsets."""
    chars, where = [], []
    for i, ch in enumerate(text):
        if not ch.isspace():
            chars.append(ch)
            where.append(i)
    return "".join(chars), where


def _folded_original(original: str) -> tuple[str, list[int]]:
    """``original`` as normalisation sees it, one character at a time (NFKC, no zero-width,
    no whitespace), with the offset in ``original`` each folded character came from."""
    chars, where = [], []
    for i, ch in enumerate(original):
        if ch.isspace() or ch in _ZERO_WIDTH:
            continue
        for folded in nfkc(ch):
            if not folded.isspace():
                chars.append(folded)
                where.append(i)
    return "".join(chars), where


# For each character of the normalised text, the [start, end) of the original characters
# it came from; UNTRACED for a line break or space that normalisation made.
CharMap = list[tuple[int, int]]
UNTRACED = (-1, -1)


def char_map(normalised: str, original: str) -> CharMap:
    """Where each character of ``normalised`` came from in ``original``.

    Normalisation only folds characters (NFKC) and whitespace, so the two texts' visible
    characters are the same sequence and pair off in order. Where they are not (NFKC
    merged a combining sequence, say), :mod:`difflib` pairs the rest, and each differing
    run stands for the whole original run it replaced."""
    if normalised == original:
        return [(i, i + 1) for i in range(len(original))]
    mapping: CharMap = [UNTRACED] * len(normalised)
    norm_chars, norm_at = _visible(normalised)
    orig_chars, orig_at = _folded_original(original)
    if norm_chars == orig_chars:
        for n, o in zip(norm_at, orig_at):
            mapping[n] = (o, o + 1)
        return mapping
    # The common head and tail pair off directly; difflib (quadratic at worst) sees only the middle.
    limit = min(len(norm_chars), len(orig_chars))
    head = 0
    while head < limit and norm_chars[head] == orig_chars[head]:
        head += 1
    tail = 0
    while tail < limit - head and norm_chars[-1 - tail] == orig_chars[-1 - tail]:
        tail += 1
    for k in [*range(head), *range(len(norm_chars) - tail, len(norm_chars))]:
        o = orig_at[k + len(orig_chars) - len(norm_chars)] if k >= head else orig_at[k]
        mapping[norm_at[k]] = (o, o + 1)
    middle = difflib.SequenceMatcher(None, norm_chars[head:len(norm_chars) - tail],
                                     orig_chars[head:len(orig_chars) - tail], autojunk=False)
    for op, i1, i2, j1, j2 in middle.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                o = orig_at[head + j1 + k]
                mapping[norm_at[head + i1 + k]] = (o, o + 1)
        elif op == "replace":
            run = (orig_at[head + j1], orig_at[head + j2 - 1] + 1)
            for k in range(i1, i2):
                mapping[norm_at[head + k]] = run
    return mapping


def map_span(span: Sequence[int], mapping: CharMap) -> tuple[int, int] | None:
    """A ``[start, end)`` span of the normalised text as a span of the original text, from
    its first to its last traceable character; None when none of it can be traced."""
    start, end = span
    traced = [mapping[i] for i in range(max(start, 0), min(end, len(mapping))) if mapping[i] != UNTRACED]
    if not traced:
        return None
    return min(a for a, _ in traced), max(b for _, b in traced)


class PlanparseComponent:
    """Fills ``doc.spans[...]``, ``doc._.plan`` and ``doc._.plans`` from planparse's parse of ``doc.text``."""

    def __init__(self, nlp: Language, name: str = FACTORY, sections_key: str = "sections",
                 tasks_key: str = "tasks", schedule_key: str = "schedule") -> None:
        self.name = name
        self.sections_key = sections_key
        self.tasks_key = tasks_key
        self.schedule_key = schedule_key
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        from .api import parse_text

        result = parse_text(doc.text, name=f"{self.name}.txt")
        mapping = char_map(result.text or "", doc.text)
        sections, tasks, schedule = [], [], []
        for plan in result.plans:
            sections += [(s, s.type, f"{plan.plan_id}/{s.section_id}") for s in plan.sections]
            tasks += [(t, t.category, f"{plan.plan_id}/{t.task_id}") for t in plan.tasks]
            schedule += [(item, item.category, f"{plan.plan_id}/schedule/{n}") for n, item in enumerate(plan.schedule, 1)]
        doc.spans[self.sections_key] = self._spans(doc, mapping, sections)
        doc.spans[self.tasks_key] = self._spans(doc, mapping, tasks)
        doc.spans[self.schedule_key] = self._spans(doc, mapping, schedule)
        doc._.planparse_plans = [p.to_dict() for p in result.plans]
        return doc

    @staticmethod
    def _spans(doc: Doc, mapping: CharMap, records: Iterable[tuple[Any, str, str]]) -> list[Span]:
        spans = []
        for record, label, span_id in records:
            chars = map_span(record.span, mapping)
            if chars is None:
                continue
            span = doc.char_span(chars[0], chars[1], label=label, alignment_mode="expand", span_id=span_id)
            if span is not None:
                spans.append(span)
        return spans


@Language.factory(
    FACTORY,
    default_config={"sections_key": "sections", "tasks_key": "tasks", "schedule_key": "schedule"},
)
def make_planparse(nlp: Language, name: str, sections_key: str, tasks_key: str, schedule_key: str) -> PlanparseComponent:
    """The ``planparse`` factory: ``nlp.add_pipe("planparse")``."""
    return PlanparseComponent(nlp, name, sections_key=sections_key, tasks_key=tasks_key, schedule_key=schedule_key)
