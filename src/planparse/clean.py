"""Cut site chrome and template noise; record every cut in ``doc.removed`` with a reason.

All markers come from ``data/boilerplate.json``. Cuts are made as intervals on lines, so
a line can lose a glued-on fragment and keep the rest; what is left becomes
``doc.kept``."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .doc import Doc, Line
from .numbering import match_at
from .pipeline import component
from .records import Removed
from .simplify import to_simplified
from .regex_gate import (LiteralFilter, NeedleScan, any_of, fold_for_filters, gated, is_local, last_char_test, literal_filter,
                         rare_chars, scans_from_start_only)
from .tables import load_table

_SENTENCE = re.compile(r"[^。!?！？]*[。!?！？]+[\"”’)]?|[^。!?！？]+$")
_SENTENCE_EN = re.compile(r".*?(?:[.!?]+[\"”’)]?(?=\s|$)|$)\s*")
_SELF_REPEAT = re.compile(r"(\S.{3,79}?)(?:\s*\1)+\s*")
_ONLY_PUNCT = re.compile(r"^[\W_]*$")
# A few word characters after the last copy of a title, ending its line: they complete
# the title (范文, 模板), where a body glued on would run on with numbering or a sentence.
_TITLE_TAIL = re.compile(r"[^\W\d_]{1,4}")
_NUMBERING_START = re.compile(r"^\s*([一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.])")


@dataclass(frozen=True)
class _Rule:
    reason: str
    pattern: re.Pattern[str]
    max_chars: int = 10**9
    list_header: bool = False
    needles: LiteralFilter | None = None  # what every match contains (regex_gate)
    last_char: re.Pattern[str] | None = None  # what the text of a rule ending at `$` ends with


@dataclass(frozen=True)
class _Rules:
    lines: tuple[_Rule, ...]
    # The line rules that scan the line (not scans_from_start_only), and one pattern matching where
    # any of the others may: a line it does not match is tried with the scanners alone.
    line_scanners: tuple[_Rule, ...]
    start_gate: re.Pattern[str] | None
    fragments: tuple[_Rule, ...]
    sentences: tuple[_Rule, ...]
    # Sentence rules that need no context (see regex_gate.is_local): tried on the whole
    # segment first, so a segment none of them can match is not split into sentences.
    local_sentences: tuple[bool, ...]
    intro_question: re.Pattern[str]
    blurb: "_BlurbParagraph"
    title_max: int
    title_lookahead: int
    title_marker: re.Pattern[str]
    collection_header: re.Pattern[str]  # doctypes.json's, as split reads it
    collection_tail_max: int
    list_item_max: int


@dataclass(frozen=True)
class _BlurbParagraph:
    """The sentences before an editor intro in its paragraph that go with it (boilerplate.json ``blurb_paragraph``)."""
    after_reasons: frozenset[str]
    reason: str
    max_sentences: int
    max_chars: int

    def closes_blurb(self, sentences: list[tuple[int, int]], k: int, reason: str) -> bool:
        """Whether sentence ``k`` of a paragraph (cut for ``reason``) closes a blurb made of
        the sentences before it."""
        return (reason in self.after_reasons and 0 < k <= self.max_sentences
                and sentences[k][0] - sentences[0][0] <= self.max_chars)


@lru_cache(maxsize=1)
def rules() -> _Rules:
    table = load_table("boilerplate")

    def compile_all(key: str) -> tuple[_Rule, ...]:
        # gated: fragments and sentences are searched anywhere in a line (see regex_gate)
        return tuple(
            _Rule(r["reason"], gated(r["pattern"], re.I), r.get("max_chars", 10**9), r.get("list_header", False),
                  # Rules costly to try on every line are tested on the whole document
                  # first (see _rules_for); a line rule tried at the line start only is cheap.
                  literal_filter(r["pattern"], re.I) if key != "lines" or not scans_from_start_only(r["pattern"], re.I) else None,
                  last_char_test(r["pattern"], re.I))
            for r in table[key]
        )

    repeat = table["title_repeat"]
    lines = compile_all("lines")
    return _Rules(
        lines=lines,
        line_scanners=tuple(rule for rule in lines if rule.needles is not None),
        start_gate=any_of([r["pattern"] for r in table["lines"] if scans_from_start_only(r["pattern"], re.I)], re.I),
        fragments=compile_all("fragments"),
        sentences=compile_all("sentences"),
        local_sentences=tuple(is_local(r["pattern"], re.I) for r in table["sentences"]),
        intro_question=re.compile(table["intro_questions"]),
        blurb=_BlurbParagraph(frozenset(table["blurb_paragraph"]["after_reasons"]), table["blurb_paragraph"]["reason"],
                              table["blurb_paragraph"]["max_sentences"], table["blurb_paragraph"]["max_chars"]),
        title_max=repeat["max_chars"],
        title_lookahead=repeat["lookahead_lines"],
        title_marker=re.compile(repeat["marker_after"]),
        collection_header=re.compile(load_table("doctypes")["collection_header"]),
        collection_tail_max=repeat["collection_tail_max_chars"],
        list_item_max=table["list_item_max_chars"],
    )


class _Cuts:
    """Intervals cut from each line, with the reason of each."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.by_line: dict[int, list[tuple[int, int, str]]] = {}

    def cut(self, index: int, start: int, end: int, reason: str) -> None:
        if end > start:
            self.by_line.setdefault(index, []).append((start, end, reason))

    def is_cut(self, index: int, start: int, end: int) -> bool:
        intervals = self.by_line.get(index)
        return intervals is not None and any(s <= start and end <= e for s, e, _ in intervals)

    def free_segments(self, index: int) -> list[tuple[int, int]]:
        line = self.doc.lines[index]
        if index not in self.by_line:  # most lines lose nothing
            return [(line.start, line.end)] if line.start < line.end else []
        segments, pos = [], line.start
        for s, e, _ in sorted(self.by_line[index]):
            if s > pos:
                segments.append((pos, s))
            pos = max(pos, e)
        if pos < line.end:
            segments.append((pos, line.end))
        return segments


def _find_repeated_titles(doc: Doc, cuts: _Cuts, r: _Rules) -> None:
    """A short line printed again right after itself (chrome lines between do not count)
    is a title shown 2-3 times: the last copy is kept, with a 篇一 marker after it."""
    text, lines = doc.text, doc.lines
    live = [i for i in range(len(lines)) if not cuts.is_cut(i, lines[i].start, lines[i].end)]
    n = 0
    while n < len(live):
        i = live[n]
        title = lines[i].text_of(text).strip()
        if not (4 <= len(title) <= r.title_max) or title.endswith(("。", ".")) or _NUMBERING_START.match(title):
            n += 1
            continue
        spots: list[tuple[int, int]] = [(i, lines[i].start)]  # (line index, offset of a copy)
        for j in live[n + 1 : n + 1 + r.title_lookahead]:
            other = lines[j].text_of(text)
            if not other.startswith(title):
                break
            pos = 0
            while (found := other.find(title, pos)) != -1:
                at = lines[j].start + found
                if not cuts.is_cut(j, at, at + len(title)):
                    spots.append((j, at))
                pos = found + len(title)
            if other.strip() != title:
                break  # the copy glued to the body is the last one
        if len(spots) < 2:
            n += 1
            continue
        for index, start in spots[:-1]:
            cuts.cut(index, start, start + len(title), "repeated title")
        index, start = spots[-1]
        end = start + len(title)
        marker = r.title_marker.match(text, end, lines[index].end)
        if marker:
            end = marker.end()
        elif _TITLE_TAIL.fullmatch(text, end, lines[index].end) or _names_a_collection(text[end : lines[index].end], r):
            end = lines[index].end  # `X的` then `X的范文`, `X(精选5篇)`: the longer copy is the whole title
        doc.title_anchors.append((start, end))
        n = live.index(spots[-1][0]) + 1


_CLAUSE_MARK = re.compile(r"[。,;:]")


def _names_a_collection(tail: str, r: _Rules) -> bool:
    """A short tail after a title's copy that names the page's collection: (精选5篇), 合集7篇."""
    tail = tail.strip()
    return (0 < len(tail) <= r.collection_tail_max and not _CLAUSE_MARK.search(tail)
            and r.collection_header.search(to_simplified(tail)) is not None)


def _collapse_self_repeats(doc: Doc, cuts: _Cuts) -> None:
    """`标题 标题` on one line: the page printed the title twice in a row."""
    text = doc.text
    for index, line in enumerate(doc.lines):
        # The copy starts with the title's first character, 4 or more characters on:
        # without it there is no repeat (and the back-reference search is slow).
        if line.end - line.start < 8 or text.find(text[line.start], line.start + 4, line.end) == -1:
            continue
        match = _SELF_REPEAT.match(text, line.start, line.end)
        if match and match.end() == line.end:
            cuts.cut(index, line.start + len(match.group(1)), line.end, "repeated title")


def _cut_lines(doc: Doc, cuts: _Cuts, r: _Rules) -> None:
    text = doc.text
    headers: list[tuple[int, str]] = []  # list headers cut (related articles)
    for index, line in enumerate(doc.lines):
        content = line.text_of(text).strip()
        maybe_start_rule = r.start_gate is None or r.start_gate.match(content)
        for rule in r.lines if maybe_start_rule else r.line_scanners:
            if len(content) <= rule.max_chars and rule.pattern.search(content):
                cuts.cut(index, line.start, line.end, rule.reason)
                if rule.list_header:
                    headers.append((index, rule.reason))
                break
    for index, reason in headers:
        _cut_list_after(doc, cuts, r, index, reason)


def _cut_list_after(doc: Doc, cuts: _Cuts, r: _Rules, header: int, reason: str) -> None:
    """The short lines after a related-articles header are its list, when the run ends
    the page or runs into more chrome; a plan title followed by its body is no list."""
    text, lines = doc.text, doc.lines
    run: list[int] = []
    k = header + 1
    while k < len(lines) and not cuts.is_cut(k, lines[k].start, lines[k].end):
        content = lines[k].text_of(text).strip()
        if len(content) > r.list_item_max or re.search(r"[。.!?;:]$", content) or match_at(text, lines[k].start, lines[k].end):
            return
        run.append(k)
        k += 1
    for k in run:
        cuts.cut(k, lines[k].start, lines[k].end, reason)


def _last_visible(text: str, line: Line) -> str:
    """The line's last character that is not whitespace ("" for a blank line)."""
    end = line.end
    while end > line.start and text[end - 1].isspace():
        end -= 1
    return text[end - 1] if end > line.start else ""


def _cut_fragments(doc: Doc, cuts: _Cuts, r: _Rules, lowered: str | None) -> None:
    text = doc.text
    scans = [NeedleScan(rule.needles, text, lowered) for rule in r.fragments]
    for index, line in enumerate(doc.lines):
        if not cuts.is_cut(index, line.start, line.end):
            last = None
            for rule, scan in zip(r.fragments, scans):
                if rule.last_char is not None:
                    last = _last_visible(text, line) if last is None else last
                    if not rule.last_char.match(last):
                        continue  # a rule that ends the line, and the line ends otherwise
                if not scan.may_match(line.start, line.end):
                    continue  # the line lacks the rule's needles
                if rule.pattern.search(text, line.start, line.end) is None:
                    continue  # most lines: no match, and no iterator to set up
                for match in rule.pattern.finditer(text, line.start, line.end):
                    if not _inside_anchor(doc, match.start(), match.end()):
                        cuts.cut(index, match.start(), match.end(), rule.reason)


def _after_anchor(doc: Doc, start: int) -> int:
    """``start``, or the end of the title anchor that holds it."""
    return max((e for s, e in doc.title_anchors if s <= start < e), default=start)


def _inside_anchor(doc: Doc, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in doc.title_anchors)


def _sentence_rules_for(segment: str, r: _Rules) -> list[_Rule]:
    """The sentence rules that may match a sentence of ``segment``: a context-free rule
    that finds nothing in the segment finds nothing in its sentences, and no rule matches
    a sentence that lacks its needles (a sentence is a piece of the segment)."""
    lowered = fold_for_filters(segment)
    return [
        rule for rule, local in zip(r.sentences, r.local_sentences)
        if (rule.pattern.search(segment) if local else rule.needles is None or rule.needles.may_match(segment, lowered))
    ]


def _cut_sentences(doc: Doc, cuts: _Cuts, r: _Rules, lowered: str | None) -> None:
    if not r.sentences:
        return  # no sentence rule can match in this document
    text = doc.text
    scans = [NeedleScan(rule.needles, text, lowered) for rule in r.sentences]
    for index, line in enumerate(doc.lines):
        if not any(scan.may_match(line.start, line.end) for scan in scans):
            continue  # no sentence rule can match in the line
        if match_at(text, line.start, line.end) is not None:
            continue  # an enumerated item is the plan's own text, whatever it says
        for seg_start, seg_end in cuts.free_segments(index):
            segment = text[seg_start:seg_end]
            rules_here = _sentence_rules_for(segment, r)
            if not rules_here:
                continue
            splitter = _SENTENCE if re.search(r"[\u4e00-\u9fff]", segment) else _SENTENCE_EN
            sentences = [(m.start() + seg_start, m.end() + seg_start) for m in splitter.finditer(segment) if m.group()]
            done: set[int] = set()  # the sentences cut already
            for k, (s, e) in enumerate(sentences):
                s = _after_anchor(doc, s)  # a title run into the sentence is not part of it
                sentence = text[s:e]
                rule = next((ru for ru in rules_here if ru.pattern.search(sentence)), None) if s < e else None
                if rule is None or _inside_anchor(doc, s, e):
                    continue
                first = k
                while first > 0 and first - 1 not in done and r.intro_question.search(
                        text[sentences[first - 1][0] : sentences[first - 1][1]].strip()):
                    first -= 1
                reasons = [rule.reason] * (k + 1 - first)
                if r.blurb.closes_blurb(sentences, k, rule.reason):
                    first, reasons = 0, [r.blurb.reason] * first + reasons
                for j, reason in zip(range(first, k + 1), reasons):
                    if j not in done:
                        done.add(j)
                        cuts.cut(index, _after_anchor(doc, sentences[j][0]), sentences[j][1], reason)


def _rules_for(doc: Doc, r: _Rules, lowered: str | None) -> _Rules:
    """The line, fragment and sentence rules that can match somewhere in the document (a
    line is part of its text): most documents hold the needles of few of them."""
    text = doc.text
    rare = rare_chars(text)

    def live(rule: _Rule) -> bool:
        return rule.needles is None or rule.needles.may_match(text, lowered, rare)

    lines = tuple(filter(live, r.lines))
    sentences = [(rule, local) for rule, local in zip(r.sentences, r.local_sentences) if live(rule)]
    return replace(
        r,
        lines=lines,
        line_scanners=tuple(rule for rule in lines if rule.needles is not None),
        fragments=tuple(filter(live, r.fragments)),
        sentences=tuple(rule for rule, _ in sentences),
        local_sentences=tuple(local for _, local in sentences),
    )


def _matching_view(doc: Doc) -> Doc:
    """The document the rules are matched against: itself, or for a traditional-script
    page the same document over its simplified twin (the markers are written in simplified
    characters: 僅供參考 is 仅供参考); cuts and records are made on the text as written."""
    if not doc.traditional:
        return doc
    return replace(doc, text=doc.matching)  # the same lines, removed and anchor lists


@component("clean")
def clean(doc: Doc) -> Doc:
    view = _matching_view(doc)
    lowered = fold_for_filters(view.text)  # for the rules' needles
    r = _rules_for(view, rules(), lowered)
    cuts = _Cuts(view)
    _cut_lines(view, cuts, r)
    _collapse_self_repeats(view, cuts)
    _find_repeated_titles(view, cuts, r)
    _cut_fragments(view, cuts, r, lowered)
    _cut_sentences(view, cuts, r, lowered)

    text = doc.text
    for index, intervals in sorted(cuts.by_line.items()):
        for s, e, reason in sorted(_merge(intervals)):
            piece = text[s:e].strip()
            if piece:
                doc.removed.append(Removed(text=piece, reason=reason, span=(s, e)))

    kept: list[Line] = []
    anchors = sorted(doc.title_anchors)
    for index, line in enumerate(doc.lines):
        for seg_start, seg_end in cuts.free_segments(index):
            if not anchors:
                _keep(doc, kept, line, seg_start, seg_end)
                continue
            # A kept title copy glued to its body becomes a line of its own.
            bounds = [seg_start, seg_end]
            for a_start, a_end in anchors:
                for b in (a_start, a_end):
                    if seg_start < b < seg_end:
                        bounds.append(b)
            bounds.sort()
            for s, e in zip(bounds, bounds[1:]):
                _keep(doc, kept, line, s, e)
    doc.kept = kept
    return doc


def _keep(doc: Doc, kept: list[Line], line: Line, s: int, e: int) -> None:
    """Keep ``text[s:e]`` of ``line``, whitespace trimmed, unless it is bare punctuation."""
    text = doc.text
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e <= s:
        return
    # \w is what isalnum() accepts, and "_": a piece opening with one is no bare punctuation.
    if not text[s].isalnum() and _ONLY_PUNCT.match(text[s:e]):
        # A line of bare punctuation (——, ★★★, a stray 。) is decoration.
        doc.removed.append(Removed(text=text[s:e], reason="decoration", span=(s, e)))
    else:
        kept.append(Line(start=s, end=e, block=line.block, first=line.first and s == line.start))


def _merge(intervals: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for s, e, reason in sorted(intervals):
        if merged and s <= merged[-1][1]:
            ps, pe, preason = merged[-1]
            merged[-1] = (ps, max(pe, e), preason)
        else:
            merged.append((s, e, reason))
    return merged
