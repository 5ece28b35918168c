"""Hard-wrapped text: a plan copied out of a PDF or a fixed-width page breaks every line
at one width, mid-sentence (`(三) 履行工会组织的基本职责,不断满足职工群众对美好` /
`生活的向往。一是…`). Such lines are joined back into paragraphs before anything reads
them, as the PDF reader's reflow does from the page geometry."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..tables import load_table

_MIN_WIDTH = 30  # display columns: shorter lines are headings and list items, never wrapped
_MIN_FULL_LINES = 6  # lines at the wrap width a text needs before it is taken as wrapped
_MIN_FULL_SHARE = 0.6  # … and their share of its long lines
_FULL = 0.85  # of the width: a full line (justified text mixes wide and narrow punctuation)
_GOES_ON = 0.75  # of the width: a line this wide that ends mid-sentence goes on in the next


@dataclass(frozen=True)
class _WrapRules:
    ends_paragraph: frozenset[str]
    never_opens: frozenset[str]  # particles and inner punctuation go on a sentence
    opening_words: tuple[str, ...]  # … but these words of them open one (的确, 着力)
    opens_paragraph: re.Pattern[str]  # a heading mark, bullet or item number: never the rest of a line


@lru_cache(maxsize=1)
def _rules() -> _WrapRules:
    table = load_table("text_wrap")
    return _WrapRules(frozenset(table["ends_paragraph"]), frozenset(table["never_opens_a_sentence"]),
                      tuple(table["opening_words"]), re.compile(table["opens_a_paragraph"]))


def display_width(text: str) -> int:
    """Columns of ``text`` on a fixed-width page, near enough to see a wrap: a character
    of three UTF-8 bytes (CJK, its punctuation, full-width forms) takes two, ASCII one."""
    return (len(text.encode("utf-8", "surrogatepass")) + len(text)) // 2


def wrap_width(lines: list[str]) -> int | None:
    """The width the text was wrapped at, or None when it was not: most of its long lines
    are nearly as wide as the widest."""
    long = [w for w in map(display_width, map(str.rstrip, lines)) if w >= _MIN_WIDTH]
    if len(long) < _MIN_FULL_LINES:
        return None
    long.sort()
    width = long[int(len(long) * 0.9)]  # the widest but for a few overlong lines (a URL, a table row)
    full = sum(1 for w in long if _FULL * width <= w <= width)
    return width if full >= _MIN_FULL_LINES and full >= _MIN_FULL_SHARE * len(long) else None


def unwrap(lines: list[str]) -> list[str]:
    """``lines`` with each line that ends mid-sentence joined to the next: in a text that
    shows a wrap width, when it is nearly that wide; in any text, when the next line opens
    with a character no sentence opens with (的, 、, ，: a wrap of a saved page)."""
    width = wrap_width(lines)
    rules = _rules()
    out: list[str] = []
    carry = False  # the last line of ``out`` goes on in the next
    for line in lines:
        head = out[-1].rstrip() if out else ""
        goes_on = (head and head[-1] not in rules.ends_paragraph
                   and line[:1] in rules.never_opens and not line.startswith(rules.opening_words))
        if ((carry or goes_on) and line.strip() and not line[:1].isspace()  # an indent opens a paragraph
                and not rules.opens_paragraph.match(line)):
            joint = " " if head[-1:].isascii() and line[:1].isascii() and head[-1:].isalnum() else ""
            out[-1] = head + joint + line
        else:
            out.append(line)
        tail = out[-1].rstrip()
        carry = (width is not None and bool(tail) and tail[-1] not in rules.ends_paragraph
                 and display_width(line.rstrip()) >= _GOES_ON * width)
    return out
