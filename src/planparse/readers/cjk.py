"""Which characters are CJK: spacing rules in PDF text and text density in HTML depend on it."""
from __future__ import annotations

import re

# Ideographs (with extension A and compatibility forms), Kangxi/CJK radicals as PDF
# extraction yields them, kana, CJK punctuation, full-width forms.
CJK_RANGES = (
    "\u2e80-\u2fdf"  # CJK and Kangxi radicals
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\ufe30-\ufe4f"  # vertical/compatibility punctuation
    "\uff00-\uffef"  # full-width and half-width forms
)
CJK_CHAR = re.compile(f"[{CJK_RANGES}]")
CJK_RUN = re.compile(f"[{CJK_RANGES}]+")


CJK_CHARS = frozenset(  # the same ranges as a set: per-character tests in hot loops
    chr(code) for start, end in re.findall("(.)-(.)", CJK_RANGES) for code in range(ord(start), ord(end) + 1)
)


def is_cjk(char: str) -> bool:
    return char in CJK_CHARS


def count_cjk(text: str) -> int:
    return sum(len(run) for run in CJK_RUN.findall(text))
