"""Type each section of a plan (CONTRACT §3) from its heading.

Sections open at top-level numbered units, at unnumbered short lines that name a
section role (`实验中学工会2020年主要工作日程表`, `Main event arrangement`), and at a
closing paragraph (`总之`) or signature block at the end. Text before the first one is
the preamble."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .doc import Doc, PlanDraft, Unit
from .months import leading_month_label, months_in, split_month_label, trailing_month_mention
from .outline import kept_text
from .simplify import to_simplified
from .pipeline import component
from .records import Section
from .schedule import table_columns
from .regex_gate import gated
from .tables import load_table

_DATE_LINE = re.compile(
    r"^\s*((19|20)\d{2}|[一二三四五六七八九〇○零]{4})\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月(\s*[\d一二三四五六七八九十]{1,3}\s*日)?\s*$"
    r"|^\s*\d{4}[-./]\d{1,2}[-./]\d{1,2}\s*$"
    r"|^[^.]{0,60}\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}(st|nd|rd|th)?\s*,?\s*(\d{4})?\.?$",
    re.I,
)
_ISSUER_LINE = re.compile(r"(工会|工會|委员会|委員會|总工会|總工會|办公室|辦公室|学校|學校|中学|中學|小学|小學|医院|醫院|公司|union|committee)\s*$", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile(r"[。!?;.]$")
_CAPTION_MAX = 30  # characters
_ARTICLE = re.compile(r"^(?:the|an?)\s+(?=\w)", re.I)  # translations put one before a heading's noun


@dataclass(frozen=True)
class _Rule:
    type: str
    pattern: re.Pattern[str]


def _cue_pattern(cues: dict[str, list[str]]) -> re.Pattern[str]:
    """One pattern of a table entry's Chinese and English cues (English ones as whole
    words unless anchored)."""
    words = cues["zh"] + [r"\b" + cue + r"\b" if not cue.startswith("^") and not cue.endswith("$") else cue for cue in cues["en"]]
    return gated("|".join(f"(?:{c})" for c in words), re.I)


@lru_cache(maxsize=1)
def rules() -> tuple[tuple[_Rule, ...], int, dict[str, str]]:
    table = load_table("sections")
    field_headings = [f"^(?:{field})$" for field in table["event_fields"]]  # 一、时间:5月10日 heads no work
    out = tuple(_Rule(rule["type"], _cue_pattern({**rule, "zh": rule["zh"] + field_headings} if rule["type"] == "other" else rule))
                for rule in table["rules"])
    return out, table["generic_max_extra_chars"], table["summary_doc_types"]


@lru_cache(maxsize=1)
def event_field_item() -> re.Pattern[str]:
    """An item that opens with an event form's field and a colon (1、活动地点:学院体育馆):
    matched where the item's text starts."""
    fields = "|".join(load_table("sections")["event_fields"])
    return re.compile(rf"\s*(?:{fields})\s*[:：]", re.I)


@lru_cache(maxsize=1)
def _summary_plan_heading() -> re.Pattern[str]:
    return _cue_pattern(load_table("sections")["summary_plan_headings"])


def _first_cue(heading: str) -> tuple[str, re.Match[str]] | None:
    """The type of the first rule whose cue a heading holds, and the cue's match."""
    for rule in rules()[0]:
        match = rule.pattern.search(heading)
        if match:
            return rule.type, match
    return None


def cue_type(heading: str) -> tuple[str | None, bool]:
    """The section type a heading names, and whether it is generic (names only the role)."""
    max_extra = rules()[1]
    heading = _ARTICLE.sub("", to_simplified(heading.strip().rstrip(":: ")))  # `First, the activity time:`
    found = _first_cue(heading)
    if found is None:
        return None, False
    kind, match = found
    extra = len(re.sub(r"[\W_\d]", "", heading)) - len(re.sub(r"[\W_\d]", "", match.group()))
    return kind, extra <= max_extra if _CJK.search(heading) else extra <= 3 * max_extra


@lru_cache(maxsize=1)
def _glued_role_kinds() -> frozenset[str]:
    return frozenset(load_table("sections")["glued_role_kinds"])


def _cut_at_a_clause(text: str, unit: Unit) -> bool:
    """Was the unit's heading cut where its first clause ends (no sentence end or colon
    near the number: the paragraph runs on from it, its break lost)?"""
    end = unit.heading_end
    return (end is not None and unit.body_start < end < unit.end
            and text[end] not in ":;" and text[end - 1] not in "。!?.")


def split_glued_role_heading(text: str, unit: Unit) -> None:
    """A numbered heading cut at a clause that opens with a section role's name (目标要求,
    指导思想) ends after that name: the rest is the section's paragraph."""
    if not unit.scheme or not _cut_at_a_clause(text, unit):
        return
    # searched as written, not simplified: the cut is a position in the text
    found = _first_cue(text[unit.body_start : unit.heading_end])
    if found is not None:
        kind, match = found
        if match.start() == 0 and kind in _glued_role_kinds() and _CJK.search(match.group()):
            unit.heading_end = unit.body_start + match.end()


def heading_of(text: str, unit: Unit) -> str:
    return text[unit.body_start : unit.heading_end or unit.end].strip()


def section_type(heading: str, doc_type: str | None = None) -> str:
    kind, _ = cue_type(heading)
    if kind is None and leading_month_label(heading) is not None:
        kind = "schedule"
    if kind is None:
        kind = "tasks"
    return _in_doc(kind, doc_type, heading)


def _in_doc(kind: str, doc_type: str | None, heading: str | None = None) -> str:
    """A type as a summary has it: a summary's tasks are its achievements, unless the
    heading names a plan's points (the summary's plan for what comes next)."""
    if doc_type != "summary" or (heading and kind == "tasks" and _summary_plan_heading().search(to_simplified(heading))):
        return kind
    return rules()[2].get(kind, kind)


def _is_role_heading(text: str, allow_tasks: bool = False) -> bool:
    """An unnumbered short line that names a section role (other than plain tasks,
    unless the plan heads all its sections this way)."""
    stripped = text.strip()
    max_chars = 40 if _CJK.search(stripped) else 80  # English words are longer
    if len(stripped) > max_chars or _SENTENCE_END.search(stripped) or stripped.count(",") > 1:
        return False
    if stripped.endswith(":") and "," in stripped:
        return False  # `尽管…取得了成效,但仍存在一些不足之处:` is a sentence leading into a list
    kind, _ = cue_type(stripped)
    # an unnumbered 引言 / 背景 line names no role of the plan's own: it is part of the preamble
    return kind not in (None, "closing", "other") and (allow_tasks or kind != "tasks")


_LEAD_IN_MAX = {"zh": 12, "en": 40}  # characters of a lead-in's label (指导思想, Guiding ideology)


def _lead_in_label(text: str) -> str | None:
    """`指导思想：以…为指导` / `Guiding ideology: guided by…`: a paragraph that opens with a
    section role's name and a colon is that section, its label the heading. Only a label
    that names the role and nothing else (generic), and not plain tasks, counts."""
    colon = text.find(":", 0, _LEAD_IN_MAX["en"] + 1)  # NFKC has folded ：
    if colon < 2:
        return None
    label = text[:colon].strip()
    max_chars = _LEAD_IN_MAX["zh" if _CJK.search(label) else "en"]
    if len(label) > max_chars or not text[colon + 1 :].strip():
        return None
    kind, generic = cue_type(label)
    return label if generic and kind not in (None, "tasks", "closing") else None


def _plain(unit: Unit) -> bool:
    return not unit.scheme and not unit.is_table_row


def _unnumbered_headings(text: str, units: list[Unit]) -> bool:
    """A plan whose first section heading is an unnumbered role line ("guiding ideology:")
    before any top-level number heads its sections that way; its numbers are items."""
    for unit in units:
        if unit.level == 1:
            return False
        if _plain(unit) and _is_role_heading(text[unit.start : unit.end]):
            return True
    return False


def _tail_start(text: str, units: list[Unit]) -> tuple[int | None, int | None]:
    """Indices in ``units`` where a closing paragraph and a signature block begin."""
    signature = None
    i = len(units)
    while i > 0:
        unit = units[i - 1]
        content = text[unit.start : unit.end].strip()
        if unit.scheme or unit.is_table_row:
            break
        if _DATE_LINE.match(content) or (len(content) <= 40 and _ISSUER_LINE.search(content)):
            signature = i - 1
            i -= 1
            continue
        break
    closing = None
    limit = signature if signature is not None else len(units)
    for j in range(limit - 1, max(-1, limit - 4), -1):
        unit = units[j]
        if unit.scheme:
            break
        kind, _ = cue_type(text[unit.start : unit.end][:12])
        if kind == "closing":
            closing = j
            break
    return closing, signature


def _month_line(text: str, unit: Unit) -> bool | None:
    """Whether an unnumbered line opens with a month label: True with work after it,
    False when the label is all there is (`2021-07`, `三月份：`), None without one."""
    if unit.scheme:
        return None
    line = text[unit.start : unit.end]
    found = split_month_label(line)
    return None if found is None else bool(line[found[1]:].strip())


def _opens_month_run(text: str, units: list[Unit], i: int) -> int | None:
    """Where a schedule's run of month lines that starts at ``units[i]`` ends (the index
    after its last unit), or None when none starts there. Two lines in a row that open
    with a month label start one — unless both are bare labels: dates stacked with
    nothing between them are a chart's axis or a table's header row, not months of
    work. A bare label over numbered items starts one too when another month line
    follows the items (`三月份：` / `1. …` / `2. …` / `四月份：`): months as sub-headings."""
    first = _month_line(text, units[i])
    if first is None or i + 1 >= len(units):
        return None
    second = _month_line(text, units[i + 1])
    if second is not None:
        return i + 2 if (first or second) else None
    if first or not units[i + 1].scheme:
        return None
    return _month_blocks_end(text, units, i)


def _month_blocks_end(text: str, units: list[Unit], i: int) -> int | None:
    """After the bare label ``units[i]``: the end of the run of bare month labels and the
    numbered items under them, when it holds two labels or more. The items may be the
    top level of the outline (numbers restart under each month); a top-level unit that
    neither shares their scheme nor goes on from their numbers (`1. 2. 3, …` is one
    list), or a section-role line, ends the run."""
    item_scheme = units[i + 1].scheme
    labels, last, j = 1, 0, i + 1
    while j < len(units):
        unit = units[j]
        if unit.scheme:
            if unit.level == 1 and unit.scheme != item_scheme and unit.value != last + 1:
                break
            if unit.level == 1:
                last = unit.value or 0
        elif (line := _month_line(text, unit)) is not None:
            if line:
                break  # a month with its work on the line: another kind of schedule
            labels, last = labels + 1, 0
        elif _plain(unit) and _is_role_heading(text[unit.start : unit.end], allow_tasks=True):
            break
        j += 1
    return j if labels >= 2 else None


def _in_schedule(text: str, units: list[Unit], bounds: list[tuple[int, str | None]]) -> bool:
    if not bounds:
        return False
    first, forced = bounds[-1]
    if forced is not None:
        return forced == "schedule"
    head = units[first]
    return section_type(heading_of(text, head) if head.scheme else text[head.start : head.end]) == "schedule"


_HOLDS_NO_TASKS = frozenset({"preamble", "guiding_ideology", "achievements", "problems", "other"})


def _heads_items_of_its_own(text: str, units: list[Unit], bounds: list[tuple[int, str | None]], i: int) -> bool:
    """`一、指导思想 …` / `主要工作:` / `1、…`: an unnumbered line naming the tasks role, with
    numbered items right under it, inside a section that holds no tasks, heads those items
    (they are no part of the guiding ideology)."""
    after = units[i + 1] if i + 1 < len(units) else None
    if after is None or not after.scheme or after.level < 2 or not bounds:
        return False
    first, forced = bounds[-1]
    head = units[first]
    kind = forced or section_type(heading_of(text, head) if head.scheme else text[head.start : head.end])
    return kind in _HOLDS_NO_TASKS


def _schedule_table_header(unit: Unit) -> bool:
    return unit.is_table_row and table_columns(unit.block.cells or []) is not None


def _caption_line(text: str, unit: Unit) -> bool:
    """A short unnumbered line that is no sentence: what stands over a table as its title."""
    line = text[unit.start : unit.end].strip()
    return _plain(unit) and 0 < len(line) <= _CAPTION_MAX and not _SENTENCE_END.search(line)


def section_boundaries(text: str, units: list[Unit]) -> list[tuple[int, str | None]]:
    """(index of first unit, forced type or None) for each top-level section, in order."""
    closing, signature = _tail_start(text, units)
    unnumbered = _unnumbered_headings(text, units)
    bounds: list[tuple[int, str | None]] = []
    run_end = 0  # inside a run of month blocks, numbered top-level units are its items
    numbered_top = False  # a numbered top-level heading was met
    for i, unit in enumerate(units):
        if i == closing:
            bounds.append((i, "closing"))
        elif i == signature:
            bounds.append((i, "signature"))
        elif unit.level == 1 and not unnumbered:
            numbered_top = True
            if i >= run_end:
                bounds.append((i, None))
        elif _plain(unit):
            content = text[unit.start : unit.end]
            role = cue_type(content)[0] if _is_role_heading(content, allow_tasks=True) else None
            if role is not None and (role != "tasks" or unnumbered or _heads_items_of_its_own(text, units, bounds, i)):
                bounds.append((i, role))
            elif not numbered_top and (label := _lead_in_label(content)) is not None:
                # (under a numbered heading such a paragraph is part of that section)
                bounds.append((i, cue_type(label)[0]))
            elif i >= run_end and (end := _opens_month_run(text, units, i)) is not None:
                run_end = end
                if not _in_schedule(text, units, bounds):
                    # Month lines with no heading of their own after the last item.
                    bounds.append((i, "schedule"))
        elif _schedule_table_header(unit) and not _in_schedule(text, units, bounds):
            # A table with a month and an activity column is the schedule wherever it stands;
            # a short line right above it (具体工作:) is its heading.
            above = i - 1 if i and _caption_line(text, units[i - 1]) and (not bounds or bounds[-1][0] != i - 1) else i
            bounds.append((above, "schedule"))
    if not bounds or bounds[0][0] != 0:
        bounds.insert(0, (0, "preamble"))
    return bounds


def build_sections(doc: Doc, draft: PlanDraft, doc_type: str | None) -> None:
    """Fill ``draft.sections`` and ``draft.section_units``."""
    text, units = doc.text, draft.units
    sections = draft.sections
    if not units:
        return
    bounds = section_boundaries(text, units)
    ends = [b for b, _ in bounds[1:]] + [len(units)]
    for n, ((first, forced), end) in enumerate(zip(bounds, ends), start=1):
        head = units[first]
        part = units[first:end]
        span = (part[0].start, part[-1].end)
        if forced == "preamble" or forced in ("closing", "signature"):
            kind, heading, number = forced, None, None
        elif head.scheme:
            heading = heading_of(text, head)
            kind, number = section_type(heading, doc_type), head.token
        elif not _plain(head):  # a table that opens a section has no heading line
            heading, kind, number = None, _in_doc(forced, doc_type) if forced else "other", None
        else:
            heading = text[head.start : head.end].strip()
            if forced and not _is_role_heading(heading, allow_tasks=True):
                heading = _lead_in_label(heading) or heading  # the lead-in's label, not its paragraph
            kind, number = _in_doc(forced, doc_type, heading) if forced else section_type(heading, doc_type), None
        if forced in ("closing",):
            heading = None
        if kind == "schedule" and not _names_months(text, part, heading):
            kind = "tasks"  # 具体工作安排 over plain numbered work: its items are tasks
        top = Section(
            section_id=f"s{n}",
            type=kind,
            heading=heading,
            number=number,
            level=1,
            parent_id=None,
            span=span,
            text=kept_text(text, part),
        )
        sections.append(top)
        draft.section_units.append((top, first, end))
        # Sections of the second level: numbered units that head items of their own
        # (a schedule's numbered activities are items, not sections).
        for i in range(first + 1, end if kind != "schedule" else first + 1):
            unit = units[i]
            if unit.level == 2 and unit.scheme and _has_children(units, i, end):
                s_end = next((units[k].start for k in range(i + 1, end) if units[k].scheme and units[k].level <= 2), part[-1].end)
                s_end = _rstrip_pos(text, unit.start, s_end)
                sub_heading = heading_of(text, unit)
                sections.append(
                    Section(
                        section_id=f"s{n}.{len(sections)}",
                        type=_sub_type(sub_heading, kind, doc_type),
                        heading=sub_heading,
                        number=unit.token,
                        level=2,
                        parent_id=top.section_id,
                        span=(unit.start, s_end),
                        text=kept_text(text, [u for u in part if unit.start <= u.start < s_end]),
                    )
                )


_PASSED_DOWN = frozenset({"achievements", "problems"})  # what was done or went wrong stays so in its parts


def _sub_type(heading: str, parent: str, doc_type: str | None) -> str:
    """A second-level section's type: its heading's, else its parent's when that is an
    account of the past (`一、2019年工作完成情况` / `（一）坚持党的领导…` is achievements)."""
    if parent in _PASSED_DOWN and cue_type(heading)[0] is None and leading_month_label(heading) is None:
        return parent
    return section_type(heading, doc_type)


def _names_months(text: str, part: list[Unit], heading: str | None) -> bool:
    """Whether a schedule-typed section names any month: under its heading, or as the
    heading's label (`8、七月份：续签合同`) or end (`工作安排一至二月份：`). Without one its
    items are no ScheduleItems, which need months."""
    if heading and (leading_month_label(heading) is not None or trailing_month_mention(heading) is not None):
        return True
    head = part[0]
    if head.heading_end is not None and months_in(text[head.heading_end : head.end]):
        return True
    # unit by unit: a schedule names a month in its first lines, so this stops early
    return any(months_in(text[unit.start : unit.end]) for unit in part[1:])


def _rstrip_pos(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _has_children(units: list[Unit], i: int, end: int) -> bool:
    level = units[i].level
    for k in range(i + 1, end):
        if units[k].scheme:
            return units[k].level > level
    return False


@component("sections")
def sections(doc: Doc) -> Doc:
    from .metadata import draft_doc_type

    for draft in doc.drafts:
        draft.doc_type = draft_doc_type(doc, draft)
        for unit in draft.units:
            split_glued_role_heading(doc.text, unit)
        build_sections(doc, draft, draft.doc_type)
    return doc
