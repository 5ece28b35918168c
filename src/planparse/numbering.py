"""Numbering tokens: recognise `一、` `(一)` `1、` `(1)` `①` `1.1` `一是` `First,` `I.` …
from the scheme table in ``data/numbering.json`` and read their ordinal values."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .regex_gate import LiteralFilter, first_char_test, fold_for_filters, gated, literal_filter
from .tables import load_table

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_EN_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"]
_EN_CARDINALS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_EN_WORD_VALUES = tuple({word: n for n, word in enumerate(words, start=1)} for words in (_EN_ORDINALS, _EN_CARDINALS))
_ROMAN = {"I": 1, "V": 5, "X": 10}


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十一 → 21, 一百 → 100 (enough for outline numbers)."""
    if not text:
        return None
    if "百" in text:
        head, _, rest = text.partition("百")
        hundreds = _CN_DIGITS.get(head, 1) if head else 1
        return hundreds * 100 + (cn_number(rest.lstrip("零〇")) or 0)
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _CN_DIGITS.get(head, 0) if head else 1
        ones = _CN_DIGITS.get(tail, 0) if tail else 0
        return tens * 10 + ones
    if len(text) == 1:
        return _CN_DIGITS.get(text)
    return None


def cn_digit_string(text: str) -> int:
    """二○○五 → 2005: Chinese digits read one by one, as years are written (○/O count as 0)."""
    return int("".join(str(_CN_DIGITS.get(ch, 0)) for ch in text.replace("○", "〇")))


def roman_number(text: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(text.upper()):
        value = _ROMAN.get(ch)
        if value is None:
            return None
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total or None


def _circled(text: str) -> int | None:
    code = ord(text[0])
    for base, first in ((0x2460, 1), (0x2776, 1), (0x24F5, 1)):
        if base <= code < base + 20:
            return code - base + first
    return None


_VALUE_READERS = {
    "cn": cn_number,
    "int": lambda s: int(s),
    "roman": roman_number,
    "en_ordinal": lambda s: _EN_WORD_VALUES[0].get(s.lower()),
    "en_cardinal": lambda s: _EN_WORD_VALUES[1].get(s.lower()),
    "circled": _circled,
    "dotted": lambda s: int(s.split(".")[-1]),
}


@dataclass(frozen=True)
class Scheme:
    name: str
    pattern: re.Pattern[str]
    value: str
    inline: bool
    lang: str | None
    needs_sequence: bool
    family: str
    continues_across_styles: bool
    needles: LiteralFilter | None = None  # what every token of the scheme contains (regex_gate)


@dataclass(frozen=True)
class Token:
    scheme: str
    token: str  # as written: "一", "(三)", "2", "Second", "1.2"
    value: int
    start: int
    end: int  # end of the token and the punctuation/space after it

    @property
    def depth_hint(self) -> int:
        """1.2.3 carries its own depth; other schemes get theirs from their order of appearance."""
        return self.token.count(".") + 1 if self.scheme == "decimal" else 0


@lru_cache(maxsize=1)
def schemes() -> tuple[Scheme, ...]:
    table = load_table("numbering")
    out = []
    for entry in table["schemes"]:
        flags = re.I if entry.get("case_insensitive") else 0
        out.append(
            Scheme(
                name=entry["name"],
                pattern=gated(entry["pattern"], flags),  # inline schemes are searched through paragraphs
                value=entry["value"],
                inline=entry.get("inline", False),
                lang=entry.get("lang"),
                needs_sequence=entry.get("needs_sequence", False),
                family=entry.get("family", entry["name"]),
                continues_across_styles=entry.get("continues_across_styles", False),
                needles=literal_filter(entry["pattern"], flags),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def _inline_before() -> tuple[re.Pattern[str], re.Pattern[str]]:
    table = load_table("numbering")
    return re.compile(table["inline_before"]), re.compile(table["inline_before_en"] + r"$")


def _token(scheme: Scheme, match: re.Match[str]) -> Token | None:
    raw = match.group("n")
    value = _VALUE_READERS[scheme.value](raw)
    if value is None or value <= 0:
        return None
    written = match.group(0).strip().rstrip("、.,:;:").strip() if scheme.name.endswith("paren") else raw
    return Token(scheme=scheme.name, token=written, value=value, start=match.start(), end=match.end())


@lru_cache(maxsize=4096)
def _schemes_starting_with(char: str) -> tuple[Scheme, ...]:
    """The schemes, in table order, whose tokens may begin with ``char`` (see regex_gate)."""
    tests = _first_char_tests()
    return tuple(s for s, test in zip(schemes(), tests) if test is None or test.match(char))


@lru_cache(maxsize=1)
def _first_char_tests() -> tuple[re.Pattern[str] | None, ...]:
    return tuple(first_char_test(entry["pattern"], re.I if entry.get("case_insensitive") else 0)
                 for entry in load_table("numbering")["schemes"])


def match_at(text: str, pos: int, end: int | None = None) -> Token | None:
    """The numbering token that starts exactly at ``pos``, if any."""
    end = len(text) if end is None else end
    # Only the schemes that can start with the character at pos are tried.
    for scheme in _schemes_starting_with(text[pos]) if pos < min(end, len(text)) else schemes():
        match = scheme.pattern.match(text, pos, end)
        if match and match.end() < end:  # a token with nothing after it is no item
            token = _token(scheme, match)
            if token is not None:
                return token
    return None


def inline_candidates(text: str, start: int, end: int) -> list[Token]:
    """Numbering tokens inside ``text[start:end]`` that could open an inline item: an
    inline scheme, preceded by what may end the previous item."""
    before_zh, before_en = _inline_before()
    out: list[Token] = []
    segment = text[start + 1 : end]
    lowered = fold_for_filters(segment)
    for scheme in schemes():
        if not scheme.inline:
            continue
        if scheme.needles is not None and not scheme.needles.may_match(segment, lowered):
            continue  # most paragraphs hold no token of most schemes: skip the regex scan
        for match in scheme.pattern.finditer(text, start + 1, end):
            prev = text[match.start() - 1]
            if scheme.lang == "en" or scheme.name in ("digit_dot", "digit_comma"):
                ok = bool(before_en.search(text, max(start, match.start() - 8), match.start())) or (
                    scheme.name != "en_ordinal" and bool(before_zh.match(prev)) and re.match(r"[\u4e00-\u9fff]", text[match.end() : match.end() + 1] or " ")
                )
            else:
                ok = bool(before_zh.match(prev)) or (scheme.name in ("cn_dun", "cn_paren") and prev.isdigit())
            if not ok or match.end() >= end:
                continue
            token = _token(scheme, match)
            if token is not None:
                out.append(token)
    out.sort(key=lambda t: (t.start, -(t.end - t.start)))
    deduped: list[Token] = []
    for tok in out:
        if not deduped or tok.start >= deduped[-1].end:
            deduped.append(tok)
    return deduped


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Scheme]:
    """The schemes by name (the first of a name wins, as the scans in table order did)."""
    out: dict[str, Scheme] = {}
    for scheme in schemes():
        out.setdefault(scheme.name, scheme)
    return out


def scheme_lang(name: str) -> str | None:
    scheme = _by_name().get(name)
    return scheme.lang if scheme else None


def needs_sequence(name: str) -> bool:
    scheme = _by_name().get(name)
    return scheme.needs_sequence if scheme else False


@lru_cache(maxsize=256)  # called for every inline candidate
def family(name: str) -> str:
    """Schemes of one family share a level (First, and I. in one translated plan)."""
    scheme = _by_name().get(name)
    return scheme.family if scheme else name


def continues_across_styles(name: str) -> bool:
    scheme = _by_name().get(name)
    return scheme.continues_across_styles if scheme else False
