"""Month schedules → ScheduleItems, one activity per item.

A line that opens with a month label (`三月份：`, `March:`, `一至二月份`) sets the months
for what follows until the next label; numbered items and clauses under it are
activities. A schedule laid out as a table gives items the same way, with the
responsible body in ``owner``."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .doc import Doc, PlanDraft, Unit
from .months import leading_month_label, months_in, trailing_month_mention
from .pipeline import component
from .records import ScheduleItem
from .tables import load_table

_LEAD_PUNCT = re.compile(r"^[\s,:;.、]+")
_TRAIL_PUNCT = re.compile(r"[\s,;、]+$")


@dataclass(frozen=True)
class _Rules:
    clause_zh: re.Pattern[str]
    clause_en: re.Pattern[str]
    and_verb_en: re.Pattern[str]  # ` and ` before an activity verb (…of XX and start the annual work)
    verbs_en: frozenset[str]  # the first words of those verbs, lowercased
    conjunction: re.Pattern[str]
    event_after: re.Pattern[str]
    event_words: tuple[str, ...]
    not_events: tuple[str, ...]  # bodies whose names end in an event word (工会, 协会)
    header_month: tuple[str, ...]
    header_activity: tuple[str, ...]
    header_owner: tuple[str, ...]


@lru_cache(maxsize=1)
def rules() -> _Rules:
    t = load_table("schedule")
    events = "|".join(map(re.escape, sorted(t["event_words"], key=len, reverse=True)))
    conj = "|".join(map(re.escape, sorted(t["conjunctions"], key=len, reverse=True)))
    return _Rules(
        clause_zh=re.compile(t["clause_end_zh"] + r"|,\s*(?=(?:" + "|".join(t["clause_verbs_zh"]) + "))"),
        clause_en=re.compile(t["clause_end_en"] + r"|,\s*(?:and\s+)?(?=(?i:" + "|".join(t["clause_verbs_en"]) + r")\b)"),
        and_verb_en=re.compile(r"\s+and\s+(?=(?i:" + "|".join(t["clause_verbs_en"]) + r")\b)"),
        verbs_en=frozenset(v.split()[0].lower() for v in t["clause_verbs_en"]),
        conjunction=re.compile(conj),
        event_after=re.compile(rf"[^,;。]{{2,30}}?(?:{events})(?:[,;。]|$)"),
        event_words=tuple(t["event_words"]),
        not_events=tuple(t["not_events"]),
        header_month=tuple(t["header_month"]),
        header_activity=tuple(t["header_activity"]),
        header_owner=tuple(t["header_owner"]),
    )


# An item number inside a month's line: "1. … 2, … 3、…" (the numbers must run 1, 2, 3).
_ITEM_NUMBER = re.compile(r"(?:(?<=^)|(?<=[\s.;,:!?。;:]))(\d{1,2})\s*(?:[.,、)](?!\d)\s*)")


def _enumerated_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` at item numbers that count up from 1 (or from the first
    one, when the line opens with it); the numbers themselves are left out."""
    segment = text[start:end]
    cuts: list[tuple[int, int]] = []  # (token start, token end)
    expected = None
    for match in _ITEM_NUMBER.finditer(segment):
        value = int(match.group(1))
        if (expected is None and (value == 1 or match.start() == 0)) or value == expected:
            cuts.append((match.start(), match.end()))
            expected = value + 1
    if not cuts or (len(cuts) == 1 and cuts[0][0] != 0):
        return [(start, end)]
    parts = []
    if cuts[0][0] > 0:
        parts.append((start, start + cuts[0][0]))
    for (a, b), nxt in zip(cuts, [c[0] for c in cuts[1:]] + [len(segment)]):
        parts.append((start + b, start + nxt))
    return parts


def split_activities(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the single activities in ``text[start:end]``: numbered items first, then
    clauses, then events joined by a conjunction."""
    spans: list[tuple[int, int]] = []
    for part_start, part_end in _enumerated_parts(text, start, end):
        spans.extend(_split_clauses(text, part_start, part_end))
    return spans


def _split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    r = rules()
    segment = text[start:end]
    cjk = bool(re.search(r"[\u4e00-\u9fff]", segment))
    separators = [match.span() for match in (r.clause_zh if cjk else r.clause_en).finditer(segment)]
    if not cjk:
        # `Summarize the work and start the next`: two activities; `organize and carry out
        # activities` is one (a verb before the `and`).
        for match in r.and_verb_en.finditer(segment):
            before = segment[: match.start()].split()
            if before and before[-1].lower() not in r.verbs_en:
                separators.append(match.span())
    if cjk:
        # 交流会和联谊舞会: two events joined by a conjunction are two activities.
        for match in r.conjunction.finditer(segment):
            left = segment[: match.start()]
            if left.endswith(r.event_words) and not left.endswith(r.not_events) and r.event_after.match(segment, match.end()):
                separators.append(match.span())
    cuts = sorted({0, len(segment), *(pos for span in separators for pos in span)})
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        if (a, b) in separators:
            continue  # the separator itself (`, and `, `以及`) is no activity
        piece = segment[a:b]
        lead = len(piece) - len(_LEAD_PUNCT.sub("", piece))
        piece_end = len(_TRAIL_PUNCT.sub("", piece))
        if piece_end - lead >= 2 and re.search(r"\w", piece[lead:piece_end]):
            spans.append((start + a + lead, start + a + piece_end))
    return _merge_fragments(text, spans)


def _merge_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A piece with no verb-sized content (`等`, a lone number) joins the one before."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and len(re.sub(r"\W", "", text[s:e])) < 3:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def table_columns(cells: list[str]) -> dict[str, int] | None:
    """The header row of a schedule table: the cell index of its month, activity and
    (when there is one) owner columns; None for any other row."""
    r = rules()
    cols: dict[str, int] = {}
    for i, cell in enumerate(c.lower().strip() for c in cells):
        if not cell or len(cell) > 8 or leading_month_label(cell) is not None:
            continue
        for role, words in (("owner", r.header_owner), ("month", r.header_month), ("activity", r.header_activity)):
            if role not in cols and any(w in cell for w in words):
                cols[role] = i
                break
    return cols if "month" in cols and "activity" in cols else None


def _unit_items(doc: Doc, draft: PlanDraft, unit: Unit, state: dict, section_id: str) -> None:
    text, matching = doc.text, doc.matching  # months are read in the matching text, items cut from the text
    block = unit.block
    if unit.is_table_row and block.cells:
        _table_row_items(doc, draft, unit, state, section_id)
        return
    body_start = unit.body_start
    label = leading_month_label(matching[body_start : unit.end])
    if label is not None:
        state["months"], state["when"] = list(label.months), label.when
        body_start = body_start + label.end
    if body_start >= unit.end:
        return
    for s, e in split_activities(text, body_start, unit.end):
        activity = text[s:e]
        months = state.get("months")
        when = state.get("when")
        if not months:
            named = months_in(matching[s:e])
            if not named:
                continue
            months, when = named, None
        draft.schedule.append(ScheduleItem(months=list(months), when=when, text=activity, span=(s, e), section_id=section_id))


def _table_row_items(doc: Doc, draft: PlanDraft, unit: Unit, state: dict, section_id: str) -> None:
    cells = unit.block.cells or []
    cols = table_columns(cells)
    if cols is not None:
        state["columns"] = cols
        return
    cols = state.get("columns") or {"month": 0, "activity": len(cells) - 1 if len(cells) <= 2 else 1}
    if len(cells) <= max(cols.values()):
        return
    line = doc.text[unit.start : unit.end]
    # Offsets of each cell inside the normalised row text (cells are TAB-joined).
    offsets, pos = [], unit.start
    for part in line.split("\t"):
        offsets.append((pos, pos + len(part)))
        pos += len(part) + 1
    if len(offsets) != len(cells):
        return
    label = leading_month_label(cells[cols["month"]])
    if label is not None:
        state["months"], state["when"] = list(label.months), cells[cols["month"]].strip()
    months = state.get("months")
    owner = cells[cols["owner"]].strip() or None if "owner" in cols else None
    start, end = offsets[cols["activity"]]
    for s, e in (span for part in _cell_paragraphs(doc.text, start, end) for span in split_activities(doc.text, *part)):
        item_months = months or months_in(doc.matching[s:e])
        if item_months:
            draft.schedule.append(
                ScheduleItem(months=list(item_months), when=state.get("when"), text=doc.text[s:e], span=(s, e), owner=owner, section_id=section_id)
            )


# A space beside a Chinese character inside a cell is where the cell's paragraphs were
# joined (the normaliser has taken out letter-spacing): each paragraph is its own activity.
_CELL_BREAK = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=\S)|(?<=\S)\s+(?=[\u3400-\u9fff])")


def _cell_paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start, *(pos for m in _CELL_BREAK.finditer(text, start, end) for pos in m.span()), end]
    return list(zip(cuts[::2], cuts[1::2]))


_UNFINISHED = (",", "、")  # a line that ends so goes on in the next (a hard-wrapped page)
_CLAUSE_END = re.compile(r"[。.!?;:,、)”\"]\s*$")  # (the text is NFKC: full-width marks are ASCII)
_SENTENCE_END = re.compile(r"[。.!?;]\s*$")
_NUMBER_FIRST = re.compile(r"\s*\d{1,2}\s*[.,、)]")  # `2,30岁以上员工查体`: an item whose number the outline took for 2,30


def _unwrapped(text: str, units: list[Unit]) -> list[Unit]:
    """``units`` with a plain line that continues the line before it joined to that line:
    after a comma (`2,开始收缴会费,召开工会委员会,` / `汇报一年来的工作.`), or a sentence
    that an item cut off mid-word ends (`1,开展送温暖活动,召开院福利委员会审批困难` /
    `补助,探访因病住院的职工.`)."""
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        if (prev is not None and unit.scheme is None and not unit.is_table_row and not prev.is_table_row
                and (text[prev.start : prev.end].rstrip().endswith(_UNFINISHED) or _ends_a_cut_item(text, prev, unit))
                and leading_month_label(text[unit.start : unit.end]) is None
                and not _NUMBER_FIRST.match(text, unit.start)):
            out[-1] = replace(prev, end=unit.end)
        else:
            out.append(unit)
    return out


def _ends_a_cut_item(text: str, prev: Unit, unit: Unit) -> bool:
    """A numbered item whose line stops with no mark at all, and a plain line that ends
    the sentence: one item wrapped (an unnumbered item of its own ends with no mark either)."""
    return (prev.scheme is not None and not _CLAUSE_END.search(text, prev.start, prev.end)
            and bool(_SENTENCE_END.search(text, unit.start, unit.end)))


def build_schedule(doc: Doc, draft: PlanDraft) -> None:
    for section, first, end in draft.section_units:
        if section.type != "schedule":
            continue
        state: dict = {}
        units = _unwrapped(doc.text, draft.units[first:end])
        for i, unit in enumerate(units, start=first):
            if i == first and unit.scheme is None and unit.block is not None and not unit.is_table_row and leading_month_label(doc.matching[unit.start : unit.end]) is None:
                continue  # an unnumbered heading line such as 工作日程表
            if i == first and section.heading and unit.heading_end and leading_month_label(section.heading) is None:
                # A numbered heading (四、活动安排) is no activity; text after it on the line
                # is, under the months the heading may end with (工作安排一至二月份:).
                tail = trailing_month_mention(section.heading)
                if tail is not None:
                    state["months"], state["when"] = list(tail.months), tail.when
                unit = Unit(unit.heading_end, unit.end, unit.heading_end, block=unit.block)
                if unit.start >= unit.end:
                    continue
            _unit_items(doc, draft, unit, state, section.section_id)


@component("schedule")
def schedule(doc: Doc) -> Doc:
    for draft in doc.drafts:
        build_schedule(doc, draft)
    return doc
