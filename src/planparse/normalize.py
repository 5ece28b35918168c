"""Normalise the reader's blocks into one text (CONTRACT §1) and cut it into lines.

Every span planparse outputs is an offset into the text built here."""
from __future__ import annotations

import re
import unicodedata

from .doc import Doc, Line
from .pipeline import component

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Circled and parenthesised numbers are numbering tokens; NFKC would fold ① into "1".
_KEEP_AS_IS = re.compile(r"[\u2460-\u24ff\u2776-\u2793]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# An ideographic space anywhere, or a run of 2+ spaces in CJK text, is a flattened
# paragraph indent: the page lost its line breaks but kept the indentation.
_INDENT_CJK = re.compile(r"[ \u00a0]*\u3000[\u3000 \u00a0]*|[ \u00a0]{2,}")
_INDENT_ANY = re.compile(r"[ \u00a0]*\u3000[\u3000 \u00a0]*")
_SPACES = re.compile(r"[ \t\u00a0]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def nfkc(text: str) -> str:
    """NFKC, except for circled numbers, which stay the numbering tokens they are."""
    if not _KEEP_AS_IS.search(text):
        return unicodedata.normalize("NFKC", text)
    out, pos = [], 0
    for match in _KEEP_AS_IS.finditer(text):
        out.append(unicodedata.normalize("NFKC", text[pos : match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(unicodedata.normalize("NFKC", text[pos:]))
    return "".join(out)


def is_cjk_text(text: str) -> bool:
    cjk = len(_CJK.findall(text))
    return cjk > 0 and cjk >= 0.3 * (cjk + len(_LATIN.findall(text)))


def normalize_paragraphs(text: str, table_row: bool = False) -> list[str]:
    """One block's text → its paragraphs, each NFKC'd with inner whitespace folded."""
    text = _LINE_BREAKS.sub("\n", text.translate(_ZERO_WIDTH))
    pieces: list[str] = []
    for raw_line in text.split("\n"):
        if table_row:
            parts = [raw_line]
        else:
            indent = _INDENT_CJK if is_cjk_text(raw_line) else _INDENT_ANY
            parts = indent.split(raw_line)
        for part in parts:
            part = nfkc(part)
            part = "\t".join(_SPACES.sub(" ", cell).strip() for cell in part.split("\t")) if table_row else _SPACES.sub(" ", part).strip()
            if part.strip():
                pieces.append(part)
    return pieces


@component("normalize")
def normalize(doc: Doc) -> Doc:
    chunks: list[str] = []
    lines: list[Line] = []
    pos = 0
    for block in doc.raw.blocks:
        for i, para in enumerate(normalize_paragraphs(block.text, table_row=block.kind == "table_row")):
            if chunks:
                chunks.append("\n")
                pos += 1
            lines.append(Line(start=pos, end=pos + len(para), block=block, first=i == 0))
            chunks.append(para)
            pos += len(para)
    doc.text = "".join(chunks)
    doc.lines = lines
    return doc
