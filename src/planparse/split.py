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
from .regex_gate import LiteralFilter, fold_for_filters, gated, literal_filter
from .simplify import to_simplified
from .tables import load_table

OPENING_TYPES = frozenset({"guiding_ideology"})
_SENTENCE_END = re.compile(r"[。!?;:.]$")


@dataclass(frozen=True)
class _TitleRules:
    doc_word: re.Pattern[str]
    piece_marker: re.Pattern[str]
    piece_paren: re.Pattern[str]  # (一) ending a title line
    collection: re.Pattern[str]
    plan_count: re.Pattern[str]  # a header that counts its plans (5篇): never one plan's title
    piece_prefix: re.Pattern[str]  # 第一篇: before a piece's title
    piece_number: re.Pattern[str]  # 一 / 之二 after a document word (工作总结一:)
    glued: re.Pattern[str]
    max_chars: int
    # A glued title's document word ends within this many characters of the line start;
    # what every such word holds, to skip lines without one (see regex_gate).
    glued_reach: int = 0
    glued_needles: LiteralFilter | None = None
    lead_in: re.Pattern[str] = re.compile("(?!)")  # a sentence introducing what follows (…如下:)
    opening: re.Pattern[str] = re.compile("(?!)")  # how a plan's first sentence opens (2019年,…)
    issuer: re.Pattern[str] = re.compile("(?!)")  # an organisation's name ends so (工会, 委员会)
    unit_word: re.Pattern[str] = re.compile("(?!)")  # a word naming a kind of unit (中学, 医院, 政府): orgs.json issuer
    sentence_opener: re.Pattern[str] = re.compile("(?!)")  # a sentence opens so (根据…, The following is…)
    english_piece: re.Pattern[str] = re.compile("(?!)")  # `Article 1:` opening a piece's line


_PAGE_HEADER_BODY_MAX = 80  # characters of chrome under a page's header: no plan's body
_GLUED_HEAD_MAX = 50  # characters of a glued title before its document word


@lru_cache(maxsize=1)
def title_rules() -> _TitleRules:
    table = load_table("doctypes")
    words = sorted({w for key in ("plan", "summary", "other") for w in table[key]}, key=len, reverse=True)
    doc_word = "(?:" + "|".join(re.escape(w) for w in words) + ")"
    marker = table["piece_marker"]
    glued = (
        r"(?!" + "|".join(table["sentence_openers"]) + ")"
        rf"(?P<title>[^。!?:;,]{{2,{_GLUED_HEAD_MAX}}}?" + doc_word + r"(?:\([^()]{1,8}\))?(?: ?[\u4e00-\u9fff]{0,2}?" + marker + r")?"
        r"(?:\s(?:of|for)\s[^。!?:;,.]{2,60}?)?)\s*"  # an English title names its body after the word (Work plan of the X union)
        r"(?=" + "|".join(table["glued_body_start"]) + ")"
    )
    return _TitleRules(
        doc_word=re.compile(doc_word, re.I),
        piece_marker=re.compile(f"{marker}|{table['piece_marker_paren']}"),
        piece_paren=re.compile(table["piece_marker_paren"]),
        collection=re.compile(f"{table['collection_header']}|(?i:{table['collection_header_en']})"),
        plan_count=re.compile(f"{table['collection_count']}|(?i:{table['collection_header_en']})"),
        english_piece=re.compile(table["piece_line_en"], re.I | re.M),  # (^ at a line start: matched from it)
        piece_prefix=re.compile(table["piece_prefix"]),
        piece_number=re.compile(table["piece_number"]),
        glued=re.compile(glued, re.I),
        max_chars=table["title_max_chars"],
        glued_reach=_GLUED_HEAD_MAX + max(map(len, words)),
        glued_needles=literal_filter(doc_word, re.I),
        issuer=re.compile(load_table("orgs")["organization_suffix"], re.I),
        unit_word=re.compile("|".join(w for _, ws in load_table("orgs")["issuer"] for w in ws), re.I),
        lead_in=re.compile(table["lead_in"], re.I),
        opening=re.compile("|".join(table["opening_sentence"]), re.I),
        sentence_opener=re.compile("|".join(table["sentence_openers"]), re.I),
    )


def is_title_like(text: str) -> bool:
    """A line that can be a document's title: short, no sentence end, a document word
    (计划, 总结, plan …), and not a section heading such as 工作日程安排."""
    from .sections import cue_type

    r = title_rules()
    text = text.strip()
    max_chars = r.max_chars if re.search(r"[\u4e00-\u9fff]", text) else 2 * r.max_chars
    return (
        2 <= len(text) <= max_chars
        and not _SENTENCE_END.search(text)
        and text.count(",") <= 1
        and bool(r.doc_word.search(to_simplified(text)))
        and match_at(text, 0) is None
        # a generic section name (工作日程安排, 主要工作要点) is no title, but one that names
        # its issuer is (学校工会工作要点, 2024年工会工作安排, 实验中学2024年工作要点)
        and not (cue_type(text)[1] and not _names_issuer(to_simplified(text)))
    )


def _names_issuer(text: str) -> bool:
    r = title_rules()
    return bool(r.issuer.search(text) or r.unit_word.search(text))


def is_collection_header(text: str) -> bool:
    """The page's header for several plans ("X5篇", "(通用7篇)"), not one plan's title
    (which may carry its own 篇一 marker)."""
    text = text.strip()
    if re.search(r"篇\s*[一二三四五六七八九十\d]+\s*】?$", text):
        return False
    return bool(title_rules().collection.search(text))


def _glued_title(doc: Doc, line: Line, lowered: str | None = None) -> int | None:
    """End offset of a title glued in front of the line's first heading, if any.
    ``lowered``: ``fold_for_filters(doc.text)`` when the caller has it (None: folded here)."""
    r = title_rules()
    stop = min(line.end, line.start + r.glued_reach)
    head = doc.text[line.start : stop]
    if r.glued_needles is not None:
        # Slicing the document's folded text is the same test: the needles are ASCII or
        # uncased, and lower() maps character to character when the lengths agree.
        folded_whole = lowered is not None and len(lowered) == len(doc.text)
        head_lowered = lowered[line.start : stop] if folded_whole else fold_for_filters(head)
        if not r.glued_needles.may_match(head, head_lowered):
            return None  # no document word where a glued title's would be
    match = r.glued.match(doc.text, line.start, line.end)
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


class _Splitter:
    """Walks the kept lines once, opening a plan where a boundary detector fires.

    Title detectors look at a line that may carry a plan's title (and cut it off the
    line); restart detectors look at a numbered or heading line that may open the next
    plan. Each is a method named in a table below, tried in order, so a new kind of
    boundary is one method and one entry."""

    TITLE_DETECTORS = ("_reprinted_title", "_anchored_title", "_glued_title", "_marked_title", "_english_piece", "_issuer_title")
    RESTART_DETECTORS = ("_restart_after_title", "_restart_after_chrome", "_restart_at_opening", "_restart_after_cut")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.lowered = fold_for_filters(doc.text)  # for the glued-title needles, once
        self.title_detectors = [getattr(self, name) for name in self.TITLE_DETECTORS]
        self.restart_detectors = [getattr(self, name) for name in self.RESTART_DETECTORS]
        # An issuer's name in a line is one in the text: most documents name none
        # (searched for once, when first needed).
        self.may_name_issuer: bool | None = None
        self.anchors = dict(doc.title_anchors)
        self.lines: list[Line] = []
        self.starts: list[tuple[int, Line | None]] = []  # (index of first body line, title line)
        self.top_scheme: str | None = None  # the numbering family of the plan's top level
        self.top_max = 0  # highest top-level number seen in the current plan
        self.last_numbered_end = 0  # where its last top-level numbered line ends

    def open_plan(self, title: Line | None, at: int | None = None) -> None:
        self.starts.append((len(self.lines) if at is None else at, title))
        self.top_scheme, self.top_max = None, 0

    def run(self) -> list[PlanDraft]:
        for line in self.doc.kept:
            for detector in self.title_detectors:
                fired, rest = detector(line)
                if fired:
                    line = rest
                    break
            if line is None:
                continue
            token = match_at(self.text, line.start, line.end)
            if token is None or self.top_scheme is not None:
                for detector in self.restart_detectors:
                    if detector(line, token):
                        break
            if token is not None:
                scheme = family(token.scheme)
                if self.top_scheme is None:
                    self.top_scheme = scheme
                if scheme == self.top_scheme:
                    self.top_max = max(self.top_max, token.value)
                    self.last_numbered_end = line.end
            self.lines.append(line)
        return _drafts(self.doc, self.lines, self.starts)

    # Title detectors: (fired, what is left of the line to go on with, or None).

    def _reprinted_title(self, line: Line) -> tuple[bool, Line | None]:
        """The title printed again in full before the body (the first copy was cut)."""
        title = self.starts[-1][1] if self.starts else None
        if title is None or self.top_scheme is not None:
            return False, line
        content = line.text_of(self.text)
        first = title.text_of(self.text)
        if content.startswith(first) and content != first and is_title_like(content):
            self.starts[-1] = (self.starts[-1][0], line)
            return True, None
        if first.endswith(content) and title_rules().piece_prefix.fullmatch(first[: len(first) - len(content)]):
            # `第一篇:X` then `X`: the plan's title without its piece number, printed again
            self.doc.removed.append(Removed(text=content, reason="repeated title", span=(line.start, line.end)))
            return True, None
        return False, line

    def _anchored_title(self, line: Line) -> tuple[bool, Line | None]:
        """A title the page printed twice (clean kept its last copy)."""
        if line.start not in self.anchors:
            return False, line
        end = min(self.anchors[line.start], line.end)
        return self._title_then_rest(line, end)

    def _glued_title(self, line: Line) -> tuple[bool, Line | None]:
        """`医院工会工作计划1一、…`: a title with a piece marker or a fresh 一、 after it."""
        if not (self.lines or self.starts):
            return False, line
        end = _glued_title(self.doc, line, self.lowered)
        if end is None:
            return False, line
        head = self.text[line.start : end]
        if is_title_like(head) and (title_rules().piece_marker.search(head) or _fresh_start(self.doc, line, end)):
            return self._title_then_rest(line, end)
        return False, line

    def _marked_title(self, line: Line) -> tuple[bool, Line | None]:
        """A title line with a collection marker: 篇一, 【篇二】, 篇1, (一) at its end."""
        if self.text.find("篇", line.start, line.end) == -1 and not title_rules().piece_paren.search(self.text, line.start, line.end):
            return False, line
        content = line.text_of(self.text)
        if title_rules().piece_marker.search(content) and is_title_like(content):
            self.open_plan(line)
            return True, None
        return False, line

    def _english_piece(self, line: Line) -> tuple[bool, Line | None]:
        """`Article 1:` (a translation's 篇一) alone on its line, or before the piece's title,
        opens the next piece of a collection page."""
        if not self.text.startswith(("A", "a", "P", "p", "E", "e"), line.start):
            return False, line  # the cheap test first: most lines open with none of its words
        match = title_rules().english_piece.match(self.text, line.start, line.end)
        if match is None:
            return False, line
        rest = self.text[match.end() : line.end].strip()
        if not rest:
            self.doc.removed.append(Removed(text=line.text_of(self.text).strip(), reason="piece marker", span=(line.start, line.end)))
            self.open_plan(None)
            return True, None
        if is_title_like(rest):
            self.open_plan(line)
            return True, None
        return False, line

    def _issuer_title(self, line: Line) -> tuple[bool, Line | None]:
        """"XX Trade Union I. Guiding ideology:": the next plan's issuer glued to its
        first heading, after a finished outline."""
        if self.top_max < 2:
            return False, line
        if self.may_name_issuer is None:
            self.may_name_issuer = _ISSUER.search(self.text) is not None
        if not self.may_name_issuer:
            return False, line
        cut = _issuer_before_restart(self.text, line)
        return (False, line) if cut is None else self._title_then_rest(line, cut)

    def _title_then_rest(self, line: Line, end: int) -> tuple[bool, Line | None]:
        if end >= line.end:
            self.open_plan(line)
            return True, None
        title, rest = _cut_line(line, end, self.text)
        self.open_plan(title)
        return True, rest if rest.end > rest.start else None

    # Restart detectors: a numbered line at 1 again (or an opening heading) after the
    # current plan's top level reached 2 or more.

    def _is_restart(self, token) -> bool:
        return token is not None and family(token.scheme) == self.top_scheme and token.value == 1 and self.top_max >= 2

    def _restart_after_title(self, line: Line, token) -> bool:
        prev = self.lines[-1] if self.lines else None
        if not self._is_restart(token) or prev is None or not is_title_like(prev.text_of(self.text)):
            return False
        if self.starts and self.starts[-1][0] >= len(self.lines) - 1:
            return False
        self.lines.pop()
        self.open_plan(prev)
        return True

    def _restart_after_chrome(self, line: Line, token) -> bool:
        if not self._is_restart(token):
            return False
        prev = self.lines[-1] if self.lines else None
        if prev is None or _removed_between(self.doc, prev.end, line.start) or _opens_plan(self.text[token.end : line.end]):
            self.open_plan(None, at=self._opening_before())
            return True
        return False

    def _restart_at_opening(self, line: Line, token) -> bool:
        """An unnumbered "guiding ideology:" after a finished outline."""
        if token is not None or self.top_max < 2 or line.end - line.start > 30:
            return False
        if _opens_plan(line.text_of(self.text)):
            self.open_plan(None, at=self._opening_before())
            return True
        return False

    def _opening_before(self) -> int | None:
        """Where a plan opened at a restart begins: before the restart, at an unnumbered
        lead-in just above it (现将…安排如下:, The plan is as follows:), or at a paragraph
        a line or two above it that opens as a plan's first sentence does (2024年,我校工会… /
        In 2024, the union …) and is no heading's first paragraph. Such
        lines introduce the new plan rather than end the old one."""
        r = title_rules()
        first = (self.starts[-1][0] if self.starts else 0) + 1  # the current plan keeps its first line

        def numbered(k: int) -> bool:
            return match_at(self.text, self.lines[k].start, self.lines[k].end) is not None

        last = len(self.lines) - 1
        if last < first or numbered(last):
            return None
        if r.lead_in.search(self.lines[last].text_of(self.text).strip()):
            return last
        for k in range(last, max(first, last - 1) - 1, -1):
            if numbered(k):
                return None
            if k > first and not numbered(k - 1) and r.opening.match(self.lines[k].text_of(self.text).lstrip()):
                return k
        return None

    def _restart_after_cut(self, line: Line, token) -> bool:
        """Chrome somewhere between the old outline and the restart: the next plan begins
        after it (its title is found later)."""
        if not self._is_restart(token):
            return False
        cut = _first_removal(self.doc, self.last_numbered_end, line.start)
        if cut is None:
            return False
        self.open_plan(None, at=next(k for k in range(len(self.lines)) if self.lines[k].start > cut))
        return True


@component("split")
def split(doc: Doc) -> Doc:
    doc.drafts = _Splitter(doc).run()
    return doc


_ISSUER = gated(r"(?:trade union|labou?r union|union|committee|工会|委员会|工會)\s*", re.I)  # searched in every line


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
    pending_title: Line | None = None  # a title whose plan had no body: the next one's

    def drop(line: Line, reason: str) -> None:
        doc.removed.append(Removed(text=line.text_of(text), reason=reason, span=(line.start, line.end)))

    for k, ((first, title), end) in enumerate(zip(starts, bounds[1:])):
        body = lines[first:end]
        header = None  # a 范文/模板 header over the page's only plan, which may be its title
        if title is not None and is_collection_header(title.text_of(text)):
            # The page's own header ("X5篇", "(通用7篇)") names the collection, not a plan.
            if len(starts) == 1 and not title_rules().plan_count.search(title.text_of(text)):
                header = title
            else:
                drop(title, "collection title")
            title = None
        if pending_title is not None:
            if title is None:
                title = pending_title
            else:
                drop(pending_title, "page title")
            pending_title = None
        if not body:
            if header is not None:
                drop(header, "collection title")
            pending_title = title
            continue
        if title is None:
            title, body = _leading_title(doc, body)
            if header is not None:
                if title is None:
                    title = header  # no title of its own: the page's header is the plan's
                else:
                    drop(header, "collection title")
            if not body:
                if title is not None:
                    if header is None and k + 1 < len(starts) and starts[k + 1][1] is None:
                        pending_title = title  # over an untitled piece (`Article 1:` opened it): its title
                    else:
                        drop(title, "page title")  # a page header line with no plan under it
                continue
        all_lines = ([title] if title else []) + body
        drafts.append(
            PlanDraft(
                start=min(line.start for line in all_lines),
                end=max(line.end for line in all_lines),
                lines=all_lines,
                title=title.text_of(text).strip() if title else None,
                title_span=(title.start, title.end) if title else None,
            )
        )
    if pending_title is not None:
        drop(pending_title, "page title")
    return _drop_previews(doc, _merge_intros(doc, drafts))


_PREVIEW_MIN_CHARS = 20  # a preview shows at least a sentence of the text
_SPACE_OR_ELLIPSIS = re.compile(r"\s+|(?:…|\.{3})+$")


def _drop_previews(doc: Doc, drafts: list[PlanDraft]) -> list[PlanDraft]:
    """A plan followed by a plan of the same title whose text starts with all of its text
    is the page's preview of that plan (the first lines of the document shown above the
    document): it is cut as chrome, and the full plan stays."""
    text = doc.text

    def body(draft: PlanDraft) -> str:
        start = draft.title_span[1] if draft.title_span else draft.start
        return _SPACE_OR_ELLIPSIS.sub("", text[start : draft.end])

    out: list[PlanDraft] = []
    for i, draft in enumerate(drafts):
        after = drafts[i + 1] if i + 1 < len(drafts) else None
        if after is not None and draft.title and draft.title == after.title:
            shown = body(draft)
            if len(shown) >= _PREVIEW_MIN_CHARS and body(after).startswith(shown):
                doc.removed.extend(Removed(text=line.text_of(text).strip(), reason="preview", span=(line.start, line.end))
                                   for line in draft.lines)
                continue
        out.append(draft)
    return out


def _merge_intros(doc: Doc, drafts: list[PlanDraft]) -> list[PlanDraft]:
    """Untitled text with no numbered line before a plan (a page's intro between a
    collection header and its first plan) belongs to the plan after it. So does a first
    "plan" with no numbered line that is only the page's header — over a line or two of
    chrome (a site's name, a post date), or with the next plan titled after its document
    name (X计划 …, then X计划篇1) — when a titled plan follows: its title is the page's."""
    text = doc.text
    out: list[PlanDraft] = []
    carry: list[Line] = []
    for i, draft in enumerate(drafts):
        lines = _without_collection_headers(doc, carry) + draft.lines
        carry = []
        unnumbered = all(match_at(text, ln.start, ln.end) is None for ln in draft.lines)
        if unnumbered and draft.title is None and i + 1 < len(drafts):
            carry = lines
            continue
        if unnumbered and i == 0 and draft.title is not None and drafts[1:] and drafts[1].title is not None:
            body = [ln for ln in lines if (ln.start, ln.end) != draft.title_span]
            # the page's header: little under it, or the next plan is titled after it (X then X篇1)
            if sum(ln.end - ln.start for ln in body) <= _PAGE_HEADER_BODY_MAX or drafts[1].title.startswith(_document_name(draft.title)):
                start, end = draft.title_span
                doc.removed.append(Removed(text=text[start:end].strip(), reason="page title", span=(start, end)))
                carry = body
                continue
        if lines is not draft.lines:
            draft.lines = lines
            draft.start = min(line.start for line in lines)
        out.append(draft)
    return out


def _document_name(title: str) -> str:
    """A title up to the end of its first document word (`小学工会工作计划 小学工会工作` →
    `小学工会工作计划`): what a page header and the plans under it share."""
    match = title_rules().doc_word.search(title)
    return title[: match.end()] if match else title


def _without_collection_headers(doc: Doc, intro: list[Line]) -> list[Line]:
    """An intro's lines less the page's collection header (实用的工会工作计划范文合集五篇),
    which a page may print again under its blurb: it names the page, not the plan."""
    kept = []
    for line in intro:
        content = line.text_of(doc.text)
        if is_title_like(content) and is_collection_header(content):
            doc.removed.append(Removed(text=content.strip(), reason="collection title", span=(line.start, line.end)))
        else:
            kept.append(line)
    return kept


def _is_name_with_colon(content: str) -> bool:
    """A line that is only a document's name and a colon (`工作计划：`, `2021年工会工作计划:`):
    the title as written, at the top of a document (in the body such a line is a lead-in)."""
    stripped = content.rstrip()
    if not stripped.endswith(":") or not is_title_like(stripped[:-1]):  # NFKC has folded ：
        return False
    if title_rules().sentence_opener.match(stripped):
        return False  # `The following is the 2019 work plan:` introduces the plan, it does not name it
    name = to_simplified(stripped[:-1].rstrip())
    ends = [m.end() for m in title_rules().doc_word.finditer(name)]
    # the name may end with the piece's number on a collection page (工作总结一:, 计划之二:)
    return bool(ends) and (ends[-1] == len(name) or title_rules().piece_number.fullmatch(name, ends[-1]) is not None
                           or title_rules().piece_marker.fullmatch(name, ends[-1]) is not None)


def _own_title_follows(doc: Doc, body: list[Line], i: int) -> bool:
    """A title-like line that is no collection header follows line ``i`` before the first
    numbered line (within the lines a title is looked for in)."""
    text = doc.text
    for line in body[i + 1 : 4]:
        if match_at(text, line.start, line.end) is not None:
            return False
        content = line.text_of(text)
        if is_title_like(content) and not is_collection_header(content):
            return True
    return False


def _leading_title(doc: Doc, body: list[Line]) -> tuple[Line | None, list[Line]]:
    """The first plan's title: a title-like line before its first numbered line."""
    text = doc.text
    for i, line in enumerate(body[:4]):
        if match_at(text, line.start, line.end) is not None:
            break
        content = line.text_of(text)
        if (is_title_like(content) and is_collection_header(content)
                and (title_rules().plan_count.search(content) or _own_title_follows(doc, body, i))):
            # the page's header: it counts its plans (X八篇), or the plan prints its own title
            doc.removed.append(Removed(text=content, reason="collection title", span=(line.start, line.end)))
            return _leading_title(doc, body[:i] + body[i + 1 :])
        glued = _glued_title(doc, line)
        if glued is not None and is_title_like(text[line.start : glued]) and _fresh_start(doc, line, glued):
            # `医院工会工作计划1一、指导思想`: the title runs into the first heading
            title, rest = _cut_line(line, glued, text)
            return title, body[:i] + [rest] + body[i + 1 :]
        if is_title_like(content) or _is_name_with_colon(content):
            # A title cut over two lines is often printed again in full just after:
            # the broken first copy is a repeat.
            for j in range(i + 1, min(i + 4, len(body))):
                again = body[j].text_of(text)
                if again.startswith(content) and is_title_like(again):
                    for gone in body[i:j]:
                        doc.removed.append(Removed(text=gone.text_of(text), reason="repeated title", span=(gone.start, gone.end)))
                    return body[j], body[:i] + body[j + 1 :]
            return line, body[:i] + body[i + 1 :]
        if glued is not None and is_title_like(text[line.start : glued]):
            title, rest = _cut_line(line, glued, text)
            return title, body[:i] + [rest] + body[i + 1 :]
    return None, body
