"""Traditional → Simplified Chinese for matching cue words only.

Cue tables are written in simplified characters; a traditional-script plan (工作計劃,
工作目標) is matched through its simplified form. Output text is never converted."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from opencc import OpenCC


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _dictionary_keys() -> tuple[frozenset[str], dict[str, tuple[int, ...]], frozenset[str]] | None:
    """What tells whether OpenCC would change a text: it rewrites text only where one of
    its dictionary keys occurs, so a text holding none comes back unchanged (and most
    simplified headings hold none). Returns the keys; for each character that opens one,
    the lengths of the keys it opens; and a few characters of which every key holds one
    (its traditional character, or one picked to cover the keys that have none). None when
    the dictionaries cannot be read: then every text is converted."""
    converter = _converter()
    try:
        converter._init_dict()  # noqa: SLF001 - the converter's own loaded dictionaries
        mappings = [mapping for group in converter._dict_chain_data for _, _, mapping in group]  # noqa: SLF001
    except (AttributeError, TypeError, ValueError):
        return None
    # A key mapped to itself (覆 → 覆, 有序 → 有序) only keeps a longer reading intact, so a
    # text holding no other key comes back unchanged.
    keys = frozenset(key for mapping in mappings for key, value in mapping.items() if key and value.split(" ")[0] != key)
    lengths: dict[str, set[int]] = {}
    for key in keys:
        lengths.setdefault(key[0], set()).add(len(key))
    changed = {key for key in keys if len(key) == 1}  # the characters OpenCC rewrites
    marks = set(changed)
    uncovered = [key for key in keys if not any(ch in changed for ch in key)]
    while uncovered:  # greedy cover: the character most of the remaining keys share
        counts = Counter(ch for key in uncovered for ch in set(key))
        best = min(counts, key=lambda ch: (-counts[ch], ch))
        marks.add(best)
        uncovered = [key for key in uncovered if best not in key]
    return keys, {first: tuple(sorted(found)) for first, found in lengths.items()}, frozenset(marks)


def _holds_a_key(text: str, keys: frozenset[str], lengths: dict[str, tuple[int, ...]]) -> bool:
    for i, ch in enumerate(text):
        for n in lengths.get(ch, ()):
            if text[i : i + n] in keys:
                return True
    return False


def to_simplified(text: str) -> str:
    """The simplified form of ``text`` (unchanged when it has nothing traditional)."""
    if not text:
        return text
    dictionary = _dictionary_keys()
    if dictionary is not None:
        keys, lengths, marks = dictionary
        if marks.isdisjoint(text) or not _holds_a_key(text, keys, lengths):
            return text
    return _converter().convert(text)


# Traditional-only characters that are common in plans; enough to tell the scripts apart.
_TRADITIONAL = set("會議學發體與為這個們時點對關開經處從來見員動當總務區團進實現業黨課資辦職參聯領導當選標護權議優專務義歷")
_SIMPLIFIED = set("会议学发体与为这个们时点对关开经处从来见员动当总务区团进实现业党课资办职参联领导选标护权优专义历")
_TRADITIONAL_RX = re.compile("[" + "".join(sorted(_TRADITIONAL)) + "]+")
_SIMPLIFIED_RX = re.compile("[" + "".join(sorted(_SIMPLIFIED)) + "]+")


def chars_matching(run: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` fall in the class that ``run`` repeats."""
    return sum(map(len, run.findall(text)))


def script(text: str) -> str | None:
    """"traditional" or "simplified" by the commoner of the two forms of frequent
    characters; None for text with neither."""
    trad = chars_matching(_TRADITIONAL_RX, text)  # counted by the regex engine, not char by char
    simp = chars_matching(_SIMPLIFIED_RX, text)
    if trad == simp == 0:
        return None
    return "traditional" if trad > simp else "simplified"


# A page shows its script early; the head is enough and keeps the test cheap.
SCRIPT_SAMPLE_CHARS = 1500


def matching_text(text: str) -> str:
    """What cue tables are matched against: for a traditional-script text, its simplified
    form with every offset kept (a line whose conversion changes its length stays as
    written), so that a span found in it is the same span of ``text``; any other text is
    returned as it is (the same object)."""
    if script(text[:SCRIPT_SAMPLE_CHARS]) != "traditional":
        return text
    simplified = to_simplified(text)
    if len(simplified) == len(text):
        return simplified
    lines = text.split("\n")
    converted = [to_simplified(line) for line in lines]
    return "\n".join(new if len(new) == len(old) else old for old, new in zip(lines, converted))
