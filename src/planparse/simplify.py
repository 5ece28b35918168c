"""Traditional → Simplified Chinese for matching cue words only.

Cue tables are written in simplified characters; a traditional-script plan (工作計劃,
工作目標) is matched through its simplified form. Output text is never converted."""
from __future__ import annotations

from functools import lru_cache

from opencc import OpenCC


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """The simplified form of ``text`` (unchanged when it has nothing traditional)."""
    return _converter().convert(text) if text else text
