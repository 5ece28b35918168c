"""Rebuild the numbered outline of each plan.

Lines become units; a numbering token at a line start opens a numbered unit, and
inline enumerations (`一是…二是…`, `…建设1、继续…`, `First, … Second, …`) split a line
into several units. Levels come from the order in which schemes appear in the plan
(a stack of schemes, as a reader would track them), not from a fixed ranking."""
from __future__ import annotations

import re

from .doc import Doc, Line, Unit
from .numbering import Token, continues_across_styles, family, inline_candidates, match_at, needs_sequence
from .pipeline import component

# Schemes distinctive enough to open an inline item on their own; the others (1. 1, First,
# 一是) must be followed by their item 2 in the same paragraph.
STRONG_INLINE = frozenset({"cn_dun", "cn_paren", "digit_paren", "digit_dun", "circled"})
_HEADING_STYLE_SCHEME = "style_heading"
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _has_successor(tokens: list[Token], token: Token) -> bool:
    # within a family: translations write 一是…二是… as "First, … The second is …"
    kin = family(token.scheme)
    return any(family(t.scheme) == kin and t.value == token.value + 1 and t.start > token.start for t in tokens)


def _leading_token(text: str, line: Line, token: Token | None, next_line: list[Token]) -> Token | None:
    """``token`` (the one the line opens with) as the line's number: a weak one at 1 only
    with its item 2 later in the line, or opening the next line (``next_line``: its token)."""
    if token is None:
        return None
    if needs_sequence(token.scheme) and token.value == 1:
        if not _has_successor(inline_candidates(text, token.end - 1, line.end) + next_line, token):
            return None
    return token


def _between_cjk(text: str, token: Token) -> bool:
    """`方向1.秉持`: a number between two Chinese characters is an item, not a decimal."""
    return bool(_CJK_CHAR.match(text[token.start - 1 : token.start])) and bool(_CJK_CHAR.match(text[token.end : token.end + 1]))


def _accept_inline(text: str, cand: Token, current: Unit, last_value: dict[str, int], later: list[Token]) -> bool:
    if family(cand.scheme) == family(current.scheme) and current.value is not None and cand.value == current.value + 1:
        return True
    strong = cand.scheme in STRONG_INLINE
    if strong and cand.scheme != current.scheme and cand.scheme in last_value and cand.value == last_value[cand.scheme] + 1:
        return True
    if cand.value == 1 and cand.scheme != current.scheme:
        return strong or _has_successor(later, cand) or (cand.scheme == "digit_dot" and _between_cjk(text, cand))
    # "... in April. 3. Strengthened ...": an item that goes on from an open sequence.
    return cand.value >= 2 and any(v == cand.value - 1 for k, v in last_value.items() if k != cand.scheme)


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def line_units(text: str, line: Line, last_value: dict[str, int], opening: Token | None = None,
               next_token: Token | None = None) -> list[Unit]:
    """The units of one line: a leading numbered or plain unit, plus inline items.
    ``opening`` and ``next_token``: the numbering tokens this line and the next open with."""
    block = line.block
    if block is not None and block.is_table_row:
        return [Unit(start=line.start, end=line.end, body_start=line.start, block=block)]
    next_line = [next_token] if next_token else []  # an item 2 may open the next line
    token = _leading_token(text, line, opening, next_line)
    if token is not None:
        unit = Unit(line.start, line.end, token.end, token.scheme, token.token, token.value, block=block)
    elif block is not None and line.first and block.kind in ("heading", "title") and block.level:
        # A styled heading with no number of its own: its style gives the level.
        unit = Unit(line.start, line.end, line.start, f"{_HEADING_STYLE_SCHEME}{block.level}", None, None, block=block)
    else:
        unit = Unit(line.start, line.end, line.start, block=block)
    units = [unit]
    if unit.scheme:
        last_value[unit.scheme] = unit.value or 0
    candidates = inline_candidates(text, unit.body_start, line.end)
    for i, cand in enumerate(candidates):
        current = units[-1]
        if cand.start <= current.body_start:
            continue
        if _accept_inline(text, cand, current, last_value, candidates[i + 1 :] + next_line):
            current.end = _strip_end(text, current.start, cand.start)
            units.append(Unit(cand.start, line.end, cand.end, cand.scheme, cand.token, cand.value, block=block, inline=True))
            last_value[cand.scheme] = cand.value
    return units


def _scheme_key(unit: Unit) -> str:
    # 1.1 and 1.1.1 are different depths of one scheme; First, and I. are one family.
    if unit.scheme == "decimal" and unit.token:
        return f"decimal{unit.token.count('.')}"
    return family(unit.scheme or "")


def _looks_like_heading(text: str, unit: Unit) -> bool:
    body = text[unit.body_start : unit.end].strip()
    limit = 25 if re.search(r"[\u4e00-\u9fff]", body) else 60
    return len(body) <= limit and not re.search(r"[。.!?;]$", body)


def assign_levels(units: list[Unit], text: str = "") -> None:
    """Level of each numbered unit from a stack of schemes in order of appearance.

    A scheme that starts again at 1 while deeper levels are open, after it had reached
    2 or more, is a nested list of the same style (a `First, … Second, …` inside item 2),
    not a new top-level item: it gets a level of its own, marked with a prime. So does a
    second style of one family at 1 right after the first style's item 1 (`I.` then `First,`
    in a translation): two items numbered 1 are no siblings."""
    stack: list[str] = []
    last: dict[str, int] = {}
    _scheme_of_key: dict[str, str] = {}
    before: Unit | None = None  # the numbered unit before
    inline_only: dict[str, bool] = {}  # a nested list whose items all stood inside paragraphs
    for unit in units:
        if not unit.scheme:
            unit.level = 0
            continue
        key = _scheme_key(unit)
        nested = key + "'"
        value = unit.value or 0
        if (value == 1 and before is not None and before.scheme != unit.scheme
                and before.value == 1 and _scheme_key(before) == key and key in stack):
            # `I. …` then `First, …`: a translation's two styles of one family, both at 1,
            # with no number between — the second opens a list inside the first item.
            key = nested
            last[nested] = 0
            inline_only[nested] = True
        elif unit.scheme != "decimal" and nested in stack and value == last.get(nested, 0) + 1:
            # Both the nested list and the outer one could go on: a short heading-like
            # line continues the outer one, a sentence the nested one — unless the nested
            # list ran inside paragraphs and this item opens a line of its own.
            outer_continues = key in stack and value == last.get(key, 0) + 1
            line_of_its_own = not unit.inline and inline_only.get(nested, False)
            if not (outer_continues and (_looks_like_heading(text, unit) or line_of_its_own)):
                key = nested
        elif unit.scheme != "decimal" and key in stack and value == 1 and last.get(key, 0) >= 2 and (unit.inline or stack.index(key) < len(stack) - 1):
            key = nested
            last[nested] = 0
            inline_only[nested] = True
        elif key not in stack and value > 1 and continues_across_styles(unit.scheme):
            # A list does not start at 3: a new style that goes on from an open level's
            # number continues that level (translations mix "Second," "3." "Fourth,").
            level = next((k for k in reversed(stack) if last.get(k) == value - 1 and continues_across_styles(_scheme_of_key[k])), None)
            if level is not None:
                key = level
        _scheme_of_key.setdefault(key, unit.scheme)
        if key in stack:
            del stack[stack.index(key) + 1 :]
        else:
            stack.append(key)
        for gone in [k for k in last if k not in stack]:
            del last[gone]
        last[key] = value
        if key in inline_only:
            inline_only[key] = inline_only[key] and unit.inline
        unit.level = len(stack)
        before = unit


def heading_end(text: str, unit: Unit) -> int:
    """Where a numbered unit's own title ends when its paragraph follows on the same line:
    at the first sentence end or colon, else at the first clause, within a heading's length."""
    body = text[unit.body_start : unit.end]
    cjk = bool(re.search(r"[\u4e00-\u9fff]", body))
    limit = 60 if cjk else 160
    end_rx = r"[。!?;]|:(?=.)" if cjk else r"[.!?;](?=\s|$)|:(?=.)"
    match = re.search(end_rx, body)
    if match and match.start() <= limit:
        return unit.body_start + match.start() + (1 if body[match.start()] in "。!?." else 0)
    if len(body) <= limit:
        return unit.end
    comma = body.find(",", 0, limit)
    return unit.body_start + (comma if comma > 0 else limit)


def kept_text(text: str, units: list[Unit], first_from: int | None = None) -> str:
    """The text of a run of units as read, without what clean cut between them: units
    split from one line are joined as they stood, lines by a line break. ``first_from``
    starts the first unit later (after its numbering token)."""
    lines: list[str] = []
    previous_end = 0
    for n, unit in enumerate(units):
        start = first_from if n == 0 and first_from is not None else unit.start
        if lines and unit.inline:
            lines[-1] += text[previous_end : unit.end]  # split from the same line
        else:
            lines.append(text[start : unit.end])
        previous_end = unit.end
    return "\n".join(line.strip() for line in lines)


def build_units(text: str, lines: list[Line]) -> list[Unit]:
    last_value: dict[str, int] = {}
    units: list[Unit] = []
    openings = [match_at(text, line.start, line.end) for line in lines] + [None]
    for i, line in enumerate(lines):
        units.extend(line_units(text, line, last_value, openings[i], openings[i + 1]))
    assign_levels(units, text)
    for unit in units:
        if unit.scheme:
            unit.heading_end = heading_end(text, unit)
    return units


@component("outline")
def outline(doc: Doc) -> Doc:
    for draft in doc.drafts:
        body = [line for line in draft.lines if not (draft.title_span and line.start < draft.title_span[1] and line.end > draft.title_span[0])]
        draft.units = build_units(doc.text, body)
    return doc
