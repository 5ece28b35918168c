"""Speed up a searched regex with a look-ahead for the characters a match can start with.

Python's regex engine skips ahead to a possible first character only when it can see one
(a literal prefix, or a branch of literals without case folding); an alternation of
case-insensitive words or of words behind look-behinds is tried at every position.
``gated`` puts ``(?=[...])`` in front when the first characters can be read off the
pattern, which finds exactly the same matches several times faster. Where the words are
plain literals, ``literal_automaton`` finds all of them in one pass instead."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]


def _skip_zero_width(items: list) -> list:
    """Look-behinds and anchors (^, \\b) consume nothing: the first character comes after them."""
    while items and (items[0][0] is sre_c.AT or (items[0][0] in (sre_c.ASSERT_NOT, sre_c.ASSERT) and items[0][1][0] < 0)):
        items = items[1:]
    return items


def _first_of(items: list) -> set[str] | None:
    """First characters of a parsed sequence, or None when they are not plain literals."""
    items = _skip_zero_width(items)
    if not items:
        return None
    op, av = items[0]
    if op is sre_c.LITERAL:
        return {chr(av)}
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] >= 1:  # x{1,}, x+: starts with x
        return _first_of(list(av[2]))
    if op is sre_c.IN and all(o is sre_c.LITERAL for o, _ in av):
        return {chr(a) for _, a in av}
    if op is sre_c.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            return None
        return _first_of(list(sub))
    if op is sre_c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            chars = _first_of(list(alt))
            if chars is None:
                return None
            out |= chars
        return out
    return None


def first_chars(pattern: str, flags: int = 0) -> str | None:
    """The characters a match of ``pattern`` can start with (both cases under ``re.I``),
    or None when they cannot be read off it (a pattern opening with ``.``, a class, ...)."""
    try:
        chars = _first_of(list(sre_parse.parse(pattern, flags)))
    except re.error:
        return None
    if not chars:
        return None
    if flags & re.I:
        chars = {c for ch in chars for c in (ch, ch.lower(), ch.upper(), ch.casefold()) if len(c) == 1}
    return "".join(sorted(chars))


def _engine_skips_ahead(pattern: str, flags: int) -> bool:
    """Does the regex compiler find a literal prefix or first-character set by itself?
    (Its own helpers; should they change, the gate is simply always added.)"""
    try:
        from re import _compiler as sre_compile  # type: ignore[attr-defined]

        parsed = sre_parse.parse(pattern, flags)
        flags = parsed.state.flags
        prefix, _, _ = sre_compile._get_literal_prefix(parsed, flags)
        return bool(prefix) or sre_compile._get_charset_prefix(parsed, flags) is not None
    except Exception:  # noqa: BLE001 - private helpers of the re module
        return False


def starts_anchored(pattern: str, flags: int = 0) -> bool:
    """Does every match of ``pattern`` start at ``^`` (a leading anchor, not one alternative's)?"""
    try:
        parsed = list(sre_parse.parse(pattern, flags))
    except re.error:
        return False
    return bool(parsed) and parsed[0][0] is sre_c.AT and parsed[0][1] in (sre_c.AT_BEGINNING, sre_c.AT_BEGINNING_STRING)


def gated(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, with a first-character look-ahead when one exists."""
    compiled = re.compile(pattern, flags)
    if starts_anchored(pattern, flags):
        return compiled  # the engine already tries `^...` at the start only
    if _engine_skips_ahead(pattern, flags):
        return compiled  # a look-ahead would only slow it down
    chars = first_chars(pattern, flags)
    gate = "".join(re.escape(c) for c in chars) if chars is not None else _narrow_first_class(pattern, flags)
    if not gate:
        return compiled
    try:
        return re.compile(f"(?=[{gate}])(?:{pattern})", flags)
    except re.error:  # e.g. a global (?i) that must stay at the start
        return compiled


_CONTEXT_OPS = frozenset({sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.GROUPREF, sre_c.GROUPREF_EXISTS})


def _has_context(items) -> bool:
    for op, av in items:
        if op in _CONTEXT_OPS:
            return True
        children = av if isinstance(av, (list, tuple)) else (av,)  # an atomic group's body is av itself
        for child in children:
            if isinstance(child, sre_parse.SubPattern) and _has_context(child):
                return True
            if isinstance(child, (list, tuple)) and any(isinstance(c, sre_parse.SubPattern) and _has_context(c) for c in child):
                return True
    return False


def is_local(pattern: str, flags: int = 0) -> bool:
    """True when whether ``pattern`` matches a piece of text depends on that piece alone:
    no anchors (``^ $ \\b``), look-arounds or back-references. Such a pattern that finds
    nothing in a text finds nothing in any part of it either."""
    try:
        return not _has_context(sre_parse.parse(pattern, flags))
    except re.error:
        return False


_CATEGORY_CLASS = {
    sre_c.CATEGORY_DIGIT: r"\d", sre_c.CATEGORY_NOT_DIGIT: r"\D",
    sre_c.CATEGORY_SPACE: r"\s", sre_c.CATEGORY_NOT_SPACE: r"\S",
    sre_c.CATEGORY_WORD: r"\w", sre_c.CATEGORY_NOT_WORD: r"\W",
}


def _class_of(items: list) -> list[str] | None:
    """Regex class pieces that the first character of a parsed sequence must match."""
    items = _skip_zero_width(items)
    if not items:
        return None
    op, av = items[0]
    if op is sre_c.LITERAL:
        return [re.escape(chr(av))]
    if op is sre_c.IN:
        out = []
        for o, a in av:
            if o is sre_c.LITERAL:
                out.append(re.escape(chr(a)))
            elif o is sre_c.RANGE:
                out.append(f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}")
            elif o is sre_c.CATEGORY and a in _CATEGORY_CLASS:
                out.append(_CATEGORY_CLASS[a])
            else:  # a negated class and the like
                return None
        return out
    if op is sre_c.ASSERT and av[0] > 0:  # (?=x)...: x's first character comes first
        return _class_of(list(av[1]))
    if op is sre_c.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _class_of(list(sub))
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] >= 1:
        return _class_of(list(av[2]))
    if op is sre_c.BRANCH:
        out = []
        for alt in av[1]:
            part = _class_of(list(alt))
            if part is None:
                return None
            out += part
        return out
    return None


_NARROW_CATEGORIES = frozenset({r"\d"})  # \w, \s, \S and the like hold too much to gate by


def _narrow_first_class(pattern: str, flags: int) -> str | None:
    """The first-character class of ``pattern`` (``_class_of``) when it is narrow enough to
    gate a search by — literals, ranges and ``\\d``, as in a number behind a look-behind —
    as the inside of a ``[...]``; None otherwise. The gate is compiled with the pattern's
    own flags, so it folds case exactly as the pattern's first item does."""
    try:
        parts = _class_of(list(sre_parse.parse(pattern, flags)))
    except re.error:
        return None
    if not parts or any(part in _CATEGORY_CLASS.values() and part not in _NARROW_CATEGORIES for part in parts):
        return None
    return "".join(dict.fromkeys(parts))


def first_char_test(pattern: str, flags: int = 0) -> re.Pattern[str] | None:
    """A one-character regex that every match's first character matches, or None when it
    cannot be read off the pattern (or the pattern folds case: then it is not attempted)."""
    if flags & re.I:
        return None
    try:
        parts = _class_of(list(sre_parse.parse(pattern, flags)))
    except re.error:
        return None
    return re.compile("[" + "".join(parts) + "]", flags) if parts else None


# ------------------------------------------------------------------ last characters

_END_ANCHORS = (sre_c.AT_END, sre_c.AT_END_STRING)


@lru_cache(maxsize=1)
def _whitespace() -> str:
    return "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def _is_space_class(items) -> bool:
    items = list(items)
    return len(items) == 1 and items[0][0] is sre_c.IN and list(items[0][1]) == [(sre_c.CATEGORY, sre_c.CATEGORY_SPACE)]


def last_char_test(pattern: str, flags: int = 0) -> re.Pattern[str] | None:
    """For a pattern that ends at ``$`` (after optional ``\\s*``), a one-character regex that
    the last non-whitespace character of a matched text (``text.rstrip()[-1]``) matches;
    None for other patterns, or when that character cannot be told."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    if parsed.state.flags & re.MULTILINE:
        return None  # `$` before every line break
    items = list(parsed)
    if not items or items[-1][0] is not sre_c.AT or items[-1][1] not in _END_ANCHORS:
        return None
    items.pop()
    while items and items[-1][0] in _REPEATS and items[-1][1][0] == 0 and _is_space_class(items[-1][1][2]):
        items.pop()  # trailing \s*: rstrip() takes it off
    if items and items[-1][0] in _REPEATS and items[-1][1][0] >= 1 and len(items[-1][1][2]) == 1:
        items = list(items[-1][1][2])  # x{3,5}: its last copy ends the match
    if not items or items[-1][0] not in (sre_c.LITERAL, sre_c.IN):
        return None  # a group or branch last: its last character is not read off here
    parts = _class_of(items[-1:])
    if not parts:
        return None
    test = re.compile("[" + "".join(parts) + "]", flags)
    if any(test.match(ch) for ch in _whitespace()):
        return None  # rstrip() could take that character off too
    return test


# ------------------------------------------------------------------ necessary literals
# A cheaper test than the search itself: every match of a pattern contains one of a few
# literal strings, and `needle in text` (a C substring search) is many times faster than
# a regex search that fails. ``LiteralFilter`` says "cannot match" only when that is sure.

_MAX_CLASS_CHARS = 48  # a wider class ([0-9a-z] and up) is no useful needle
_REPEATS = tuple(op for op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)) if op)
_ATOMIC = getattr(sre_c, "ATOMIC_GROUP", None)
_FILTER_SETS = 2  # a filter tests the two most telling needle sets a match must satisfy

# Under re.I a literal ASCII letter matches what ``str.lower`` maps onto it, and also
# these: the extra folds of the regex engine (ı ~ i, ſ ~ s) and İ, whose full lowercase
# (`i` + a combining dot) differs from the engine's one-character lowercase. A text with
# one of them skips the case-folded needles (the filter then lets the pattern run).
try:
    from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]

    _FOLD_TRAPS = frozenset({"\u0130"} | {chr(v) for k, vs in _EXTRA_CASES.items() if k < 128 for v in vs})
except ImportError:  # a Python without the table: case-folded needles are never trusted
    _FOLD_TRAPS = None

# A needle is (text, kind): kind "exact" (a literal string), "folded" (lowercase ASCII,
# looked for in text.lower()) or "digit" (any character that \d matches).
_Needles = frozenset
_DIGIT = ("", "digit")


def _score(needles: _Needles) -> float:
    """Rough chance that a text holds one of the needles: fewer and longer is better."""
    return sum(0.3 if kind == "digit" else 20.0 ** -len(s) for s, kind in needles)


def _literal(code: int, icase: bool) -> tuple[str, str] | None:
    ch = chr(code)
    if not icase:
        return ch, "exact"
    if ch.isascii() or ch.lower() == ch == ch.upper():  # ASCII, or uncased (汉字, 、)
        return ch.lower(), "folded"
    return None


def _class_needles(av: list, icase: bool) -> _Needles | None:
    chars: list[int] = []
    needles: set[tuple[str, str]] = set()
    for op, a in av:
        if op is sre_c.LITERAL:
            chars.append(a)
        elif op is sre_c.RANGE and a[1] - a[0] < _MAX_CLASS_CHARS:
            chars.extend(range(a[0], a[1] + 1))
        elif op is sre_c.CATEGORY and a is sre_c.CATEGORY_DIGIT:
            needles.add(_DIGIT)
        else:  # a negated class, \w, a wide range
            return None
    if len(chars) > _MAX_CLASS_CHARS:
        return None
    literals = [_literal(c, icase) for c in chars]
    return None if None in literals else frozenset(needles | set(literals))


def _item_needles(op, av, icase: bool) -> _Needles | None:
    inner = _required_inside(op, av, icase)
    if inner is not None:
        return _sequence_needles(*inner)
    if op is sre_c.BRANCH:
        parts = [_sequence_needles(list(alt), icase) for alt in av[1]]
        return None if any(p is None for p in parts) else frozenset().union(*parts)
    if op is sre_c.IN:
        return _class_needles(av, icase)
    return None  # optional items, zero-width assertions, ., [^x], back-references: nothing sure


def _sequence_candidates(items: list, icase: bool) -> list[_Needles]:
    """Needle sets a match of the sequence satisfies, each on its own: its runs of
    literals and the sets of its required items."""
    candidates: list[_Needles] = []
    run: list[str] = []
    run_kind = ""

    def flush() -> None:
        if run:
            candidates.append(frozenset({("".join(run), run_kind)}))
            run.clear()

    for op, av in items:
        lit = _literal(av, icase) if op is sre_c.LITERAL else None
        if lit is not None:
            if run and lit[1] != run_kind:
                flush()
            run.append(lit[0])
            run_kind = lit[1]
            continue
        flush()
        inner = _required_inside(op, av, icase)
        if inner is not None:  # a group that must match: each of its sets counts on its own
            candidates += _sequence_candidates(*inner)
            continue
        needles = _item_needles(op, av, icase)
        if needles is not None:
            candidates.append(needles)
    flush()
    return candidates


def _required_inside(op, av, icase: bool) -> tuple[list, bool] | None:
    """The items and case mode of a group that every match passes through once or more."""
    if op is sre_c.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        return list(sub), (icase or bool(add_flags & re.I)) and not del_flags & re.I
    if op in _REPEATS and av[0] >= 1:
        return list(av[2]), icase
    if op is _ATOMIC:
        return list(av), icase
    return None


def _sequence_needles(items: list, icase: bool) -> _Needles | None:
    candidates = _sequence_candidates(items, icase)
    return min(candidates, key=_score) if candidates else None


class LiteralFilter:
    """Needle sets of which every match of a pattern satisfies each (holds one needle of each)."""

    __slots__ = ("needle_sets", "_tests")

    def __init__(self, needle_sets: list[_Needles]) -> None:
        self.needle_sets = needle_sets  # for tests and debugging
        self._tests = [
            (
                _finder([s for s, k in n if k == "folded"]),
                _finder([s for s, k in n if k == "exact"], _DIGIT in n),
                # The non-ASCII characters of each needle, when every needle has some.
                [frozenset(c for c in s if not c.isascii()) for s, _ in n] if _all_non_ascii(n) else None,
            )
            for n in needle_sets
        ]

    def may_match(self, text: str, lowered: str | None, rare: frozenset[str] | None = None) -> bool:
        """False only when no match is possible. ``lowered``: ``fold_for_filters(text)``;
        ``rare``: ``rare_chars(text)``, which spares the scans for needles of characters
        the text does not have."""
        for folded, plain, needle_chars in self._tests:
            if rare is not None and needle_chars is not None and not any(chars <= rare for chars in needle_chars):
                return False
            if not ((plain is not None and plain(text)) or (folded is not None and (lowered is None or folded(lowered)))):
                return False
        return True


def _all_non_ascii(needles: _Needles) -> bool:
    # Folded needles keep their non-ASCII characters as written (they are uncased).
    return all(kind != "digit" and not s.isascii() for s, kind in needles)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MAX_RARE = 4096


def rare_chars(text: str) -> frozenset[str] | None:
    """The non-ASCII characters of a mostly-ASCII text (English with some curly quotes),
    or None when it has many (Chinese): then collecting them costs more than it saves."""
    if text.isascii():
        return frozenset()
    if len(text.encode("utf-8", "surrogatepass")) - len(text) > _MAX_RARE:
        return None
    return frozenset(_NON_ASCII.findall(text))


_MAX_SUBSTRING_TESTS = 5  # up to this many needles `in` tests beat one regex (measured)


def _finder(needles: list[str], digit: bool = False) -> Callable[[str], bool] | None:
    """A test for "one of the needles (or, with ``digit``, a \\d character) occurs": `in`
    tests for a few strings, else one regex (a branch of literals, which the engine scans
    for its first characters in C)."""
    needles = sorted(set(needles), key=lambda s: (-len(s), s))
    if not needles and not digit:
        return None
    if not digit and len(needles) == 1:
        only = needles[0]
        return lambda text: only in text
    if not digit and len(needles) == 2:
        one, two = needles
        return lambda text: one in text or two in text
    if not digit and len(needles) <= _MAX_SUBSTRING_TESTS:
        return lambda text: any(s in text for s in needles)
    search = re.compile("|".join([re.escape(s) for s in needles] + ([r"\d"] if digit else []))).search
    return lambda text: search(text) is not None


def literal_filter(pattern: str, flags: int = 0) -> LiteralFilter | None:
    """A ``LiteralFilter`` for ``pattern``, or None when no literal is sure to occur."""
    if flags & (re.LOCALE | re.ASCII):
        return None  # \d and case folding differ there
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    icase = bool(parsed.state.flags & re.I)
    candidates = _sequence_candidates(list(parsed), icase)
    if _FOLD_TRAPS is None:
        candidates = [c for c in candidates if not any(k == "folded" for _, k in c)]
    if not candidates:
        return None
    return LiteralFilter(sorted(set(candidates), key=lambda c: (_score(c), sorted(c)))[:_FILTER_SETS])


def fold_for_filters(text: str) -> str | None:
    """``text.lower()`` for the case-folded needles, or None when the text holds a
    character that folds otherwise in the regex engine (then they are not trusted)."""
    if text.isascii():
        return text.lower()
    if _FOLD_TRAPS is None or any(c in text for c in _FOLD_TRAPS):
        return None
    return text.lower()


# ------------------------------------------------------------ combining and scanning


def any_of(patterns: list[str], flags: int) -> re.Pattern[str] | None:
    """One pattern that matches where one of ``patterns`` does (None when they use
    back-references, which joining them would renumber, or cannot be joined)."""
    if not patterns or any(_has_backref(sre_parse.parse(p, flags)) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), flags)
    except re.error:  # e.g. a global (?i) that must stay at the start
        return None


def _has_backref(items) -> bool:
    for op, av in items:
        if op in (sre_c.GROUPREF, sre_c.GROUPREF_EXISTS):
            return True
        for child in av if isinstance(av, (list, tuple)) else (av,):
            subs = child if isinstance(child, (list, tuple)) else (child,)
            if any(isinstance(sub, sre_parse.SubPattern) and _has_backref(sub) for sub in subs):
                return True
    return False


def scans_from_start_only(pattern: str, flags: int = 0) -> bool:
    """Does the pattern fail at once on most lines: a ``^`` pattern that does not open with a
    look-ahead or a run of a wide class (``^[^|]{3,80}…``, ``^(?!.*…)`` scan the line)?"""
    if not starts_anchored(pattern, flags):
        return False
    items = list(sre_parse.parse(pattern, flags))[1:]
    if not items:
        return True
    op, av = items[0]
    if op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
        return False
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[1] > 1:
        body = list(av[2])
        wide = body and (body[0][0] in (sre_c.ANY, sre_c.NOT_LITERAL) or
                         (body[0][0] is sre_c.IN and any(o is sre_c.NEGATE for o, _ in body[0][1])))
        return not wide
    return True


_A_DIGIT = re.compile(r"\d")


class NeedleScan:
    """Where the next needles of a rule occur in the document: every match holds one needle
    of a set (regex_gate.literal_filter), so a span without any holds no match. A needle's
    next occurrence is kept until the spans asked about (in text order) pass it, so the
    text is scanned about once per needle instead of once per line (``str.find`` is far
    cheaper than a failing regex search)."""

    def __init__(self, needles: LiteralFilter | None, text: str, lowered: str | None) -> None:
        self.text, self.lowered = text, lowered
        # Folded needles are looked for in ``lowered``, which maps the text character to
        # character when the lengths agree; without it they cannot be told.
        folded_ok = lowered is not None and len(lowered) == len(text)
        sets = needles.needle_sets if needles is not None else []
        usable = [sorted(n) for n in sets if folded_ok or all(kind != "folded" for _, kind in n)]
        # The set with the fewest needles, the cheapest to keep track of; None: cannot tell.
        # (needle, kind, its length in the text: a digit is one character)
        fewest = min(usable, key=len) if usable else None
        self.targets = [(s, k, max(len(s), 1)) for s, k in fewest] if fewest is not None else None
        self.next = [-1] * len(self.targets or ())  # -1: not looked for yet; -2: no more

    def may_match(self, start: int, end: int) -> bool:
        """Can a match lie inside ``text[start:end]``?"""
        if self.targets is None:
            return True
        nexts = self.next
        for k, (needle, kind, width) in enumerate(self.targets):
            at = nexts[k]
            if at < start and at != -2:  # not looked for yet, or passed
                at = nexts[k] = self._find(needle, kind, start)
            if 0 <= at <= end - width:
                return True
        return False

    def _find(self, needle: str, kind: str, start: int) -> int:
        """Offset of the needle's next occurrence, or -2 when there is none any more."""
        if kind == "digit":
            match = _A_DIGIT.search(self.text, start)
            return match.start() if match else -2
        found = (self.text if kind == "exact" else self.lowered).find(needle, start)
        return found if found != -1 else -2


def literal_automaton(pairs: Iterable[tuple[str, Any]]) -> Any:
    """An Aho-Corasick automaton (pyahocorasick, in C) of literal keys -> values; None
    without keys (pyahocorasick cannot search an empty one)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for key, value in pairs:
        automaton.add_word(key, value)
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton
