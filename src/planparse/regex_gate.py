"""Speed up a searched regex with a look-ahead for the characters a match can start with.

Python's regex engine skips ahead to a possible first character only when it can see one
(a literal prefix, or a branch of literals without case folding); an alternation of
case-insensitive words or of words behind look-behinds is tried at every position.
``gated`` puts ``(?=[...])`` in front when the first characters can be read off the
pattern, which finds exactly the same matches several times faster."""
from __future__ import annotations

import re
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
    if chars is None:
        return compiled
    gate = "".join(re.escape(c) for c in chars)
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
