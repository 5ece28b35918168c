"""Word auto-numbering: render the list number Word shows in front of a paragraph.

Word keeps list numbers out of the text: a paragraph has ``w:numPr`` (numId + level),
``numbering.xml`` maps numId to an abstract list whose levels give a number format
(decimal, chineseCounting, ...) and a pattern (``%1、``, ``（%2）``, ``%1.%2``).
Counters belong to the abstract list, so several numIds sharing one continue each other,
unless a numId restarts a level with ``w:lvlOverride/w:startOverride``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def w_val(element: etree._Element | None, attribute: str = "val") -> str | None:
    return None if element is None else element.get(w(attribute))


def first_children(element: etree._Element, positions: dict[str, int]) -> list[etree._Element | None]:
    """The first child of each tag (what ``element.find`` gives), in one pass over the
    children: lxml's ``find`` goes through ElementPath and costs several times more."""
    found: list[etree._Element | None] = [None] * len(positions)
    for child in element:
        index = positions.get(child.tag)
        if index is not None and found[index] is None:
            found[index] = child
    return found


def int_val(element: etree._Element | None, default: int | None = None) -> int | None:
    value = w_val(element)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


CN_DIGITS = "零一二三四五六七八九"
CN_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
TRADITIONAL_CAPITAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
IDEOGRAPH_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
IDEOGRAPH_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESIZED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def chinese_counting(n: int, digits: str = CN_DIGITS, ten: str = "十", hundred: str = "百",
                     thousand: str = "千") -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (as Word renders chineseCounting)."""
    if n <= 0 or n >= 10000:
        return str(n)
    units = ((1000, thousand), (100, hundred), (10, ten), (1, ""))
    parts: list[str] = []
    zero_pending = False
    for size, name in units:
        digit = n // size % 10
        if digit == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append(digits[0])
            zero_pending = False
        # "十一", not "一十一", when ten is the leading unit
        if not (size == 10 and digit == 1 and not parts):
            parts.append(digits[digit])
        parts.append(name)
    return "".join(parts)


# Word's letter numbering repeats the letter once per round of the alphabet; a hostile
# start value (10**11) would render as billions of letters. Past this many rounds the
# number is shown in digits.
MAX_LETTER_ROUNDS = 40


def letters(n: int, alphabet: str) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa..."""
    if n <= 0 or (n - 1) // 26 >= MAX_LETTER_ROUNDS:
        return str(n)
    return alphabet[(n - 1) % 26] * ((n - 1) // 26 + 1)


def roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, numeral in ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def from_table(table: str, cyclic: bool = False) -> Callable[[int], str]:
    def render(n: int) -> str:
        if cyclic and n > 0:
            return table[(n - 1) % len(table)]
        return table[n - 1] if 0 < n <= len(table) else str(n)

    return render


def full_width(n: int) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in str(n))


def ideograph_digits(n: int) -> str:
    """Digit by digit: 2021 → 二〇二一."""
    if n < 0:
        return str(n)  # a negative start value (hostile or damaged numbering.xml)
    return "".join("〇" if d == "0" else CN_DIGITS[int(d)] for d in str(n))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# numFmt -> renderer. A format missing here falls back to decimal, which is what a reader
# most likely sees for the exotic ones (Hebrew, Thai, ...).
NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": full_width,
    "decimalFullWidth2": full_width,
    "decimalHalfWidth": str,
    "decimalEnclosedCircle": from_table(CIRCLED),
    "decimalEnclosedCircleChinese": from_table(CIRCLED),
    "decimalEnclosedParen": from_table(PARENTHESIZED),
    "decimalEnclosedFullstop": from_table(FULLSTOP),
    "chineseCounting": chinese_counting,
    "chineseCountingThousand": chinese_counting,
    "japaneseCounting": chinese_counting,
    "taiwaneseCounting": chinese_counting,
    "koreanCounting": chinese_counting,
    "chineseLegalSimplified": lambda n: chinese_counting(n, CN_CAPITAL_DIGITS, "拾", "佰", "仟"),
    "japaneseLegal": lambda n: chinese_counting(n, TRADITIONAL_CAPITAL_DIGITS, "拾", "百", "阡"),
    "ideographLegalTraditional": lambda n: chinese_counting(n, TRADITIONAL_CAPITAL_DIGITS, "拾", "佰", "仟"),
    "ideographDigital": ideograph_digits,
    "taiwaneseDigital": ideograph_digits,
    "ideographTraditional": from_table(IDEOGRAPH_TRADITIONAL, cyclic=True),
    "ideographZodiac": from_table(IDEOGRAPH_ZODIAC, cyclic=True),
    "lowerLetter": lambda n: letters(n, "abcdefghijklmnopqrstuvwxyz"),
    "upperLetter": lambda n: letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerRoman": lambda n: roman(n).lower(),
    "upperRoman": roman,
    "ordinal": ordinal,
    "none": lambda n: "",
}
NO_NUMBER_FORMATS = frozenset({"bullet"})
LEVEL_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass
class Level:
    start: int = 1
    num_format: str = "decimal"
    text: str = "%1."
    restart_after: int | None = None  # w:lvlRestart: restart after this level (1-based); 0 = never
    legal: bool = False  # w:isLgl: show all levels' numbers as decimal


LEVEL_PROPERTIES = {w(tag): index for index, tag in enumerate(("start", "numFmt", "lvlText", "lvlRestart", "isLgl"))}


def parse_level(element: etree._Element) -> Level:
    start, num_format, text, restart_after, legal = first_children(element, LEVEL_PROPERTIES)
    return Level(
        start=int_val(start, 1) or 0,
        num_format=w_val(num_format) or "decimal",
        text=w_val(text) or "",
        restart_after=int_val(restart_after),
        legal=legal is not None and (w_val(legal) or "true") not in ("0", "false", "off"),
    )


def level_index(element: etree._Element) -> int | None:
    """``w:ilvl`` of a level definition or override; None when it is no number (a damaged
    or hostile numbering.xml loses that level, not the document)."""
    try:
        return int(element.get(w("ilvl"), "0"))
    except ValueError:
        return None


def parse_levels(parent: etree._Element) -> dict[int, Level]:
    levels = {}
    for element in parent.iterchildren(w("lvl")):
        ilvl = level_index(element)
        if ilvl is not None:
            levels[ilvl] = parse_level(element)
    return levels


@dataclass
class NumInstance:
    abstract_id: str
    start_overrides: dict[int, int]
    level_overrides: dict[int, Level]


def parse_instance(num: etree._Element) -> NumInstance:
    """One ``w:num``: its abstract list and the levels it restarts or redefines."""
    starts: dict[int, int] = {}
    overrides: dict[int, Level] = {}
    for override in num.iterchildren(w("lvlOverride")):
        ilvl = level_index(override)
        if ilvl is None:
            continue
        start = int_val(override.find(w("startOverride")))
        if start is not None:
            starts[ilvl] = start
        level = override.find(w("lvl"))
        if level is not None:
            overrides[ilvl] = parse_level(level)
    return NumInstance(w_val(num.find(w("abstractNumId"))) or "", starts, overrides)


class Numbering:
    """numbering.xml of one document, plus the running counters while its body is read.

    An abstract list's levels are parsed when a paragraph first uses the list (a
    template's numbering.xml defines dozens of lists a document never uses)."""

    def __init__(self, root: etree._Element | None,
                 style_num_id: Callable[[str], str | None] | None = None) -> None:
        # abstractNumId -> the abstractNum element whose levels it has
        self.abstract_sources: dict[str, etree._Element] = {}
        self.parsed_levels: dict[str, dict[int, Level]] = {}
        self.instances: dict[str, NumInstance] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started_instances: set[str] = set()
        if root is None:
            return
        style_links: dict[str, str] = {}  # abstractNumId -> style whose numbering it uses
        for abstract in root.iterchildren(w("abstractNum")):
            abstract_id = abstract.get(w("abstractNumId"), "")
            self.abstract_sources[abstract_id] = abstract
            link = w_val(abstract.find(w("numStyleLink")))
            if link:
                style_links[abstract_id] = link
        for num in root.iterchildren(w("num")):
            self.instances[num.get(w("numId"), "")] = parse_instance(num)
        # An abstract list that only says "use the numbering of style X" (numStyleLink)
        # borrows the levels of the list that style points at.
        for abstract_id, style_id in style_links.items():
            target_num = style_num_id(style_id) if style_num_id else None
            target = self.instances.get(target_num or "")
            if target and target.abstract_id in self.abstract_sources and target.abstract_id != abstract_id:
                self.abstract_sources[abstract_id] = self.abstract_sources[target.abstract_id]

    def abstract_levels(self, abstract_id: str) -> dict[int, Level]:
        levels = self.parsed_levels.get(abstract_id)
        if levels is None:
            source = self.abstract_sources.get(abstract_id)
            levels = self.parsed_levels[abstract_id] = parse_levels(source) if source is not None else {}
        return levels

    def level_of(self, instance: NumInstance, ilvl: int) -> Level | None:
        if ilvl in instance.level_overrides:
            return instance.level_overrides[ilvl]
        return self.abstract_levels(instance.abstract_id).get(ilvl)

    def next_number(self, num_id: str, ilvl: int) -> tuple[str | None, bool]:
        """Advance the counters for a paragraph at (num_id, ilvl).

        Returns (rendered number or None, is_bullet). ``None`` without bullet means the
        paragraph is not numbered after all (numId 0 or unknown)."""
        instance = self.instances.get(num_id)
        if instance is None or num_id == "0":
            return None, False
        level = self.level_of(instance, ilvl)
        if level is None:
            return None, False
        counters = self.counters.setdefault(instance.abstract_id, {})
        if num_id not in self.started_instances:
            self.started_instances.add(num_id)
            for overridden in instance.start_overrides:
                counters.pop(overridden, None)  # "restart numbering" in Word is a startOverride
        start = instance.start_overrides.get(ilvl, level.start)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        self._reset_deeper(instance, counters, ilvl)
        if level.num_format in NO_NUMBER_FORMATS:
            return None, True
        return self._render(instance, counters, level), False

    def _reset_deeper(self, instance: NumInstance, counters: dict[int, int], ilvl: int) -> None:
        for deeper in [key for key in counters if key > ilvl]:
            level = self.level_of(instance, deeper)
            restart_after = level.restart_after if level else None
            # lvlRestart 0: never restart; n: restart only when a level up to n is used
            if restart_after == 0 or (restart_after is not None and ilvl + 1 > restart_after):
                continue
            del counters[deeper]

    def _render(self, instance: NumInstance, counters: dict[int, int], level: Level) -> str:
        def placeholder(match: re.Match[str]) -> str:
            referenced = int(match.group(1)) - 1
            referenced_level = self.level_of(instance, referenced) or Level()
            value = counters.get(referenced, instance.start_overrides.get(referenced, referenced_level.start))
            fmt = "decimal" if level.legal else referenced_level.num_format
            if fmt in NO_NUMBER_FORMATS:
                return ""
            return NUMBER_FORMATS.get(fmt, str)(value)

        return LEVEL_PLACEHOLDER.sub(placeholder, level.text)


def fold_number(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def starts_with_number(text: str, number: str) -> bool:
    """The paragraph already carries the number Word would render (typed by hand)."""
    return bool(number.strip()) and fold_number(text).startswith(fold_number(number))


def join_number(number: str, text: str) -> str:
    """``number`` in front of ``text`` unless the text already starts with it."""
    if not number or starts_with_number(text, number):
        return text
    # Latin text gets the space Word's tab shows as; Chinese text runs on: "一、指导思想".
    separator = " " if text[:1].isascii() and text[:1].isalnum() and not number[-1:].isspace() else ""
    return number + separator + text
