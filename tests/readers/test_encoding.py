"""readers/encoding: the garbage share that tells text from binary data."""
from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.readers.encoding import ALLOWED_CONTROLS, garbage_share


def _one_by_one(text: str) -> float:
    bad = sum(1 for ch in text if ch == "\ufffd" or (ch not in ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")))
    return bad / len(text) if text else 0.0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=80))
def test_garbage_share_counts_every_bad_character(text):
    """garbage_share counts distinct characters first: the same share as one by one."""
    assert garbage_share(text) == _one_by_one(text)


def test_garbage_share_of_real_text_and_of_binary():
    plan = "工会2024年工作计划\n一、指导思想\tWork plan\r\n" * 50
    assert garbage_share(plan) == 0.0
    binary = bytes(range(256)).decode("latin-1") * 4
    assert garbage_share(binary) == _one_by_one(binary) > 0.1
    assert garbage_share("") == 0.0
