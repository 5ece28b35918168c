"""Split a page into single plans and find each plan's title line.

A plan starts at: a title that the page printed twice (clean found it), a title line with
a collection marker (篇一, 【篇二】, 篇1), or a title line followed by a fresh top-level
sequence (一、 or First, again at 1 after the previous plan reached 2 or more). A title
glued to its first heading (`医院工会工作计划1一、…`) is cut off its line."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .doc import Doc, Line, PlanDraft
from .numbering import family, match_at
from .pipeline import component
from .records import Removed
from .simplify import to_simplified
from .tables import load_table

OPENING_TYPES = frozenset({"guiding_ideology"})
_SENTENCE_END = re.compile(r"[。!?;:.]$")


@dataclass(frozen=True)
class _TitleRules:
    doc_word: re.Pattern[str]
    piece_marker: re.Pattern[str]
    collection: re.Pattern[str]
    glued: re.Pattern[str]
    max_chars: int


@lru_cache(maxsize=1)
def title_rules() -> _TitleRules:
    table = load_table("doctypes")
    words = sorted({w for key in ("plan", "summary", "other") for w in table[key]}, key=len, reverse=True)
    doc_word = "(?:" + "|".join(re.escape(w) for w in words) + ")"
    marker = table["piece_marker"]
    glued = (
        r"(?P<title>[^。!?:;,]{2,50}?" + doc_word + r"(?:\([^()]{1,8}\))?(?:[\u4e00-\u9fff]{0,2}?" + marker + r")?)\s*"
        r"(?=[一二三四五六七八九十]{1,2}[、.]|\(一\)|1\s*[、.](?!\d)|第一[,、])"
    )
    return _TitleRules(
        doc_word=re.compile(doc_word, re.I),
        piece_marker=re.compile(marker),
        collection=re.compile(table["collection_header"]),
        glued=re.compile(glued, re.I),
        max_chars=table["title_max_chars"],
    )


def is_title_like(text: str) -> bool:
    """A line that can be a document's title: short, no sentence end, a document word
    (计划, 总结, plan …), and not a section heading such as 工作日程安排."""
    from .sections import cue_type

    r = title_rules()
    text = text.strip()
    if cue_type(text)[1]:
        return False
    max_chars = r.max_chars if re.search(r"[\u4e00-\u9fff]", text) else 2 * r.max_chars
    return (
        2 <= len(text) <= max_chars
        and not _SENTENCE_END.search(text)
        and text.count(",") <= 1
        and bool(r.doc_word.search(to_simplified(text)))
        and match_at(text, 0) is None
    )


def is_collection_header(text: str) -> bool:
    """The page's header for several plans ("X5篇", "(通用7篇)"), not one plan's title
    (which may carry its own 篇一 marker)."""
    text = text.strip()
    if re.search(r"篇\s*[一二三四五六七八九十\d]+\s*】?$", text):
        return False
    return bool(title_rules().collection.search(text))


def _glued_title(doc: Doc, line: Line) -> int | None:
    """End offset of a title glued in front of the line's first heading, if any."""
    match = title_rules().glued.match(doc.text, line.start, line.end)
    return line.start + len(match.group("title")) if match else None


def _cut_line(line: Line, at: int, text: str) -> tuple[Line, Line]:
    rest = at
    while rest < line.end and text[rest].isspace():
        rest += 1
    return Line(line.start, at, line.block, line.first), Line(rest, line.end, line.block, False)


def _removed_between(doc: Doc, start: int, end: int) -> bool:
    return _first_removal(doc, start, end) is not None


def _first_removal(doc: Doc, start: int, end: int) -> int | None:
    """End offset of the first cut between ``start`` and ``end``, if any."""
    ends = [r.span[1] for r in doc.removed if r.span and start <= r.span[0] and r.span[1] <= end]
    return min(ends) if ends else None


@component("split")
def split(doc: Doc) -> Doc:
    text = doc.text
    anchors = {s for s, _ in doc.title_anchors}
    anchor_end = dict(doc.title_anchors)
    lines: list[Line] = []
    starts: list[tuple[int, Line | None]] = []  # (index into lines of the first body line, title line)

    top_scheme: str | None = None
    top_max = 0
    last_numbered_end = 0  # where the current plan's last top-level numbered line ends

    def open_plan(title: Line | None) -> None:
        nonlocal top_scheme, top_max
        starts.append((len(lines), title))
        top_scheme, top_max = None, 0

    for line in doc.kept:
        content = line.text_of(text)
        current_title = starts[-1][1] if starts else None
        if (
            current_title is not None
            and top_scheme is None
            and content.startswith(current_title.text_of(text))
            and content != current_title.text_of(text)
            and is_title_like(content)
        ):
            # The title printed again in full before the body (the first copy was cut).
            starts[-1] = (starts[-1][0], line)
            continue
        if line.start in anchors:
            end = min(anchor_end[line.start], line.end)
            title, rest = _cut_line(line, end, text) if end < line.end else (line, None)
            open_plan(title)
            if rest is not None and rest.end > rest.start:
                lines.append(rest)
            continue
        glued = _glued_title(doc, line) if lines or starts else None
        if glued is not None and (is_title_like(text[line.start : glued]) and (title_rules().piece_marker.search(text[line.start : glued]) or _fresh_start(doc, line, glued))):
            title, line = _cut_line(line, glued, text)
            open_plan(title)
            content = line.text_of(text)
        elif is_title_like(content) and title_rules().piece_marker.search(content) and re.search(r"篇", content):
            open_plan(line)
            continue
        token = match_at(text, line.start, line.end)
        if token is not None:
            scheme = family(token.scheme)
            if top_scheme is None:
                top_scheme = scheme
            elif scheme == top_scheme and token.value == 1 and top_max >= 2:
                prev = lines[-1] if lines else None
                if prev is not None and is_title_like(prev.text_of(text)) and (not starts or starts[-1][0] < len(lines) - 1):
                    lines.pop()
                    open_plan(prev)
                    top_scheme = scheme
                elif prev is None or _removed_between(doc, prev.end, line.start) or _opens_plan(text[token.end : line.end]):
                    open_plan(None)
                    top_scheme = scheme
                elif (cut := _first_removal(doc, last_numbered_end, line.start)) is not None:
                    # Chrome between the old outline and the restart: the next plan
                    # begins after it (with its title, found later).
                    k = next(k for k in range(len(lines)) if lines[k].start > cut)
                    starts.append((k, None))
                    top_scheme, top_max = scheme, 0
            if scheme == top_scheme:
                top_max = max(top_max, token.value)
                last_numbered_end = line.end
        elif top_max >= 2 and _opens_plan(content) and len(content) <= 30:
            # An unnumbered "guiding ideology:" after a finished outline starts the next plan.
            open_plan(None)
        elif top_max >= 2 and (cut := _issuer_before_restart(text, line)) is not None:
            # "XX Trade Union I. Guiding ideology:": the next plan's issuer glued to its
            # first heading.
            title, line = _cut_line(line, cut, text)
            open_plan(title)
            top_scheme, top_max = None, 0
            token = match_at(text, line.start, line.end)
            if token is not None:
                top_scheme, top_max, last_numbered_end = family(token.scheme), token.value, line.end
        lines.append(line)

    doc.drafts = _drafts(doc, lines, starts)
    return doc


_ISSUER = re.compile(r"(?:trade union|labou?r union|union|committee|工会|委员会|工會)\s*", re.I)


def _issuer_before_restart(text: str, line: Line) -> int | None:
    """Offset of a first heading (item 1 of the top scheme, opening a plan) that follows
    an issuing body's name on the same line."""
    head = text[line.start : min(line.end, line.start + 80)]
    for match in _ISSUER.finditer(head):
        at = line.start + match.end()
        token = match_at(text, at, line.end)
        if token is not None and token.value == 1 and _opens_plan(text[token.end : line.end]):
            return at
    return None


def _opens_plan(heading: str) -> bool:
    """Headings a plan opens with: a restart at one of these is a new plan."""
    from .sections import cue_type

    return cue_type(heading[:40])[0] in OPENING_TYPES


def _fresh_start(doc: Doc, line: Line, body_start: int) -> bool:
    token = match_at(doc.text, body_start if not doc.text[body_start].isspace() else body_start + 1, line.end)
    return token is not None and token.value == 1


def _drafts(doc: Doc, lines: list[Line], starts: list[tuple[int, Line | None]]) -> list[PlanDraft]:
    text = doc.text
    if not starts or starts[0][0] > 0:
        starts = [(0, None)] + starts
    bounds = [s for s, _ in starts] + [len(lines)]
    drafts: list[PlanDraft] = []
    pending_title: Line | None = None
    for (first, title), end in zip(starts, bounds[1:]):
        body = lines[first:end]
        if title is not None and is_collection_header(title.text_of(text)):
            # The page's own header ("X5篇", "(通用7篇)") names the collection, not a plan.
            doc.removed.append(Removed(text=title.text_of(text), reason="collection title", span=(title.start, title.end)))
            title = None
        if title is None and pending_title is not None:
            title, pending_title = pending_title, None
        if not body or sum(line.end - line.start for line in body) < 20 or all(match_at(text, ln.start, ln.end) is None and is_title_like(ln.text_of(text)) for ln in body):
            if title is not None:
                pending_title = title if not body else None
            if not body:
                continue
        if title is None and body:
            title, body = _leading_title(doc, body)
            if not body:
                continue
        all_lines = ([title] if title else []) + body
        draft = PlanDraft(
            start=all_lines[0].start,
            end=all_lines[-1].end,
            lines=all_lines,
            title=title.text_of(text).strip() if title else None,
            title_span=(title.start, title.end) if title else None,
        )
        drafts.append(draft)
    return _merge_intros(text, drafts)


def _merge_intros(text: str, drafts: list[PlanDraft]) -> list[PlanDraft]:
    """Untitled text with no numbered line before a plan (a page's intro between a
    collection header and its first plan) belongs to the plan after it."""
    out: list[PlanDraft] = []
    carry: list[Line] = []
    for i, draft in enumerate(drafts):
        lines = carry + draft.lines
        carry = []
        unnumbered = draft.title is None and all(match_at(text, ln.start, ln.end) is None for ln in draft.lines)
        if unnumbered and i + 1 < len(drafts):
            carry = lines
            continue
        if lines is not draft.lines:
            draft.lines = lines
            draft.start = lines[0].start
        out.append(draft)
    return out


def _leading_title(doc: Doc, body: list[Line]) -> tuple[Line | None, list[Line]]:
    """The first plan's title: a title-like line before its first numbered line."""
    text = doc.text
    for i, line in enumerate(body[:4]):
        if match_at(text, line.start, line.end) is not None:
            break
        content = line.text_of(text)
        if is_title_like(content):
            # A title cut over two lines is often printed again in full just after:
            # the broken first copy is a repeat.
            for j in range(i + 1, min(i + 4, len(body))):
                again = body[j].text_of(text)
                if again.startswith(content) and is_title_like(again):
                    for gone in body[i:j]:
                        doc.removed.append(Removed(text=gone.text_of(text), reason="repeated title", span=(gone.start, gone.end)))
                    return body[j], body[:i] + body[j + 1 :]
            return line, body[:i] + body[i + 1 :]
        glued = _glued_title(doc, line)
        if glued is not None and is_title_like(text[line.start : glued]):
            title, rest = _cut_line(line, glued, text)
            return title, body[:i] + [rest] + body[i + 1 :]
    return None, body
