"""Task items (CONTRACT §4): the finest enumerated items of task-like sections.

An item's ancestors are its ``path``, not tasks. A topical numbered heading with no
items beneath it is itself one task (heading followed by its paragraph); a generic
heading (`一、指导思想`) with no items is only section text."""
from __future__ import annotations

from .doc import Doc, PlanDraft, Unit
from .outline import kept_text
from .months import months_in
from .pipeline import component
from .records import Task
from .sections import cue_type, event_field_item, heading_of

TASK_SECTION_TYPES = frozenset({"tasks", "measures", "objectives", "next_steps"})


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_leaf(units: list[Unit], i: int, end: int) -> bool:
    level = units[i].level
    for k in range(i + 1, end):
        if units[k].scheme:
            return units[k].level <= level
    return True


def _item_stop(units: list[Unit], i: int, end: int) -> int:
    """An item runs on over plain paragraphs up to the next numbered unit (an index)."""
    for k in range(i + 1, end):
        if units[k].scheme:
            return k
    return end


def _is_generic_heading(heading: str) -> bool:
    kind, generic = cue_type(heading)
    return kind is not None and generic


def build_tasks(doc: Doc, draft: PlanDraft) -> None:
    units = draft.units
    for section, first, end in draft.section_units:
        if section.type not in TASK_SECTION_TYPES:
            continue
        head = units[first]
        numbered_head = head.scheme is not None and head.level == 1
        inner = range(first + 1, end) if numbered_head or section.heading else range(first, end)
        items = [i for i in inner if units[i].scheme and (not numbered_head or units[i].level > head.level)]
        if not items:
            if section.heading and not _is_generic_heading(section.heading):
                draft.tasks.append(_task(doc, draft, section.section_id, [head.token] if head.token else [], units[first:end], head.body_start))
            continue
        stack: list[Unit] = [head] if numbered_head else []
        for i in items:
            unit = units[i]
            while stack and stack[-1].level >= unit.level:
                stack.pop()
            if _is_leaf(units, i, end):
                own = units[i : _item_stop(units, i, end)]
                # an event form's field (1、活动地点:学院体育馆) says where, not what is done
                if not event_field_item().match(doc.matching, unit.body_start) and any(u.end > (unit.body_start if k == 0 else u.start) for k, u in enumerate(own)):
                    path = [u.token for u in stack if u.token] + ([unit.token] if unit.token else [])
                    draft.tasks.append(_task(doc, draft, _section_for(draft, section.section_id, unit), path, own, unit.body_start))
            stack.append(unit)


def _section_for(draft: PlanDraft, top_id: str, unit: Unit) -> str:
    """The deepest section that holds the unit."""
    best = top_id
    for section in draft.sections:
        if section.parent_id == top_id and section.span[0] <= unit.start < section.span[1]:
            best = section.section_id
    return best


def _task(doc: Doc, draft: PlanDraft, section_id: str, path: list[str], units: list[Unit], body_start: int) -> Task:
    """A task over ``units``, its text starting after the first unit's numbering token;
    the months it names are read in the matching text (年終 is 年终)."""
    body = kept_text(doc.text, units, first_from=body_start)
    named = kept_text(doc.matching, units, first_from=body_start) if doc.traditional else body
    start, end = _trim(doc.text, body_start, units[-1].end)
    return Task(
        task_id=f"t{len(draft.tasks) + 1}",
        section_id=section_id,
        path=path,
        text=body,
        months=months_in(named),
        span=(start, end),
    )


@component("tasks")
def tasks(doc: Doc) -> Doc:
    for draft in doc.drafts:
        build_tasks(doc, draft)
    return doc


__all__ = ["build_tasks", "heading_of", "TASK_SECTION_TYPES"]
