"""Normalise the reader's blocks into one text (CONTRACT §1) and cut it into lines.

Every span planparse outputs is an offset into the text built here."""
from __future__ import annotations

import re
import unicodedata

from .doc import Doc, Line
from .pipeline import component
from .simplify import matching_text

# Formats whose paragraphs are real: spaces inside them are never flattened breaks.
LAID_OUT_FORMATS = frozenset({"docx", "doc", "wps", "pdf", "png", "jpeg", "tiff"})
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_ANY_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # translate() is slow: only when needed
# Circled and parenthesised numbers are numbering tokens; NFKC would fold ① into "1".
_KEEP_AS_IS = re.compile(r"[\u2460-\u24ff\u2776-\u2793]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# An ideographic space anywhere, or a run of 2+ spaces in CJK text, is a flattened
# paragraph indent: the page lost its line breaks but kept the indentation.
_INDENT_CJK = re.compile(r"[ \u00a0]*\u3000[\u3000 \u00a0]*|[ \u00a0]{2,}")
_INDENT_ANY = re.compile(r"[ \u00a0]*\u3000[\u3000 \u00a0]*")
# Spaces between two CJK characters are letter-spacing or extraction noise (工 会 → 工会).
_GAP_SPACES = " \u3000\u00a0"  # what _CJK_GAP removes between Chinese characters
_CJK_GAP = re.compile(rf"(?<=[\u3400-\u9fff])[{_GAP_SPACES}]+(?=[\u3400-\u9fff])")
# In a table cell a space also joins the cell's paragraphs (春节慰问 联欢会, as the DOCX and
# HTML readers join them): there only letter-spacing goes, a gap beside a lone character.
_CELL_LETTER_GAP = re.compile(
    rf"(?<!\w[\u3400-\u9fff])(?<=[\u3400-\u9fff])[{_GAP_SPACES}]+(?=[\u3400-\u9fff])"
    rf"|(?<=[\u3400-\u9fff])[{_GAP_SPACES}]+(?=[\u3400-\u9fff](?!\w))"
)
_SPACES = re.compile(r"[ \t\u00a0]+")
# Some sites print the pinyin of a character after it (機(jī)關(guān)): the reading is no text
# of the plan and splits its words. A gloss holds a tone-marked vowel; plain Latin in
# brackets after a character (工会(union), 职代会(QC)) does not, and stays.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_GLOSS = re.compile(rf"(?<=[\u3400-\u9fff])\((?=[a-zü]{{0,6}}[{_TONED}])[a-zü{_TONED}]{{1,7}}\)")
# Plans drafted with chat tools arrive as Markdown: `### 一、总体目标`, `**构建和谐劳动关系**：…`.
# The marks are no text of the plan (and hide its numbering); the words stay.
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?=\S)")
_MD_BOLD = re.compile(r"\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*")
# A line that opens with a comma is a table scraped with its cells joined by commas
# (`,一月,` / `,1、…。,2、…。,`): the commas at its ends are no text, and a comma after a
# sentence's end closes a cell, i.e. a paragraph.
_COMMA_ROW_ENDS = re.compile(r"^[\s,]+|[\s,]+$")
_COMMA_CELL_END = re.compile(r"(?<=[。;!?:])\s*,+\s*")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# What _ANY_ZERO_WIDTH and _LINE_BREAKS act on: a document without any is searched once,
# not block by block.
_ODD_CHARS = re.compile(f"{_ANY_ZERO_WIDTH.pattern}|{_LINE_BREAKS.pattern}")


def nfkc(text: str) -> str:
    """NFKC, except for circled numbers, which stay the numbering tokens they are."""
    if unicodedata.is_normalized("NFKC", text):
        return text  # also with circled numbers that NFKC leaves alone (❶, ⓫): nothing to fold
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
    # The counts are needed only for mixed text: no Chinese, or Chinese and no Latin, decides.
    if text.isascii() or not _CJK.search(text):  # isascii() is free: str objects know it
        return False
    if not _LATIN.search(text):
        return True
    cjk = len(_CJK.findall(text))
    return cjk >= 0.3 * (cjk + len(_LATIN.findall(text)))


def _fold_spaces(text: str) -> str:
    """Runs of spaces, tabs and NBSPs → one space, stripped (the regex only where needed)."""
    if "\t" in text or "\xa0" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


_PATH_SEPARATORS = (">", "»", "›")  # spaced out between a breadcrumb's links (not |: table cells)


def _split_indents(line: str, cjk: bool | None = None) -> list[str]:
    """Cut a flattened line at its indentation runs; a run with a one- or two-character
    piece beside it is letter-spacing (`总   则`), not a paragraph break. ``cjk``:
    ``is_cjk_text(line)`` when the caller has it already."""
    indent = _INDENT_CJK if (is_cjk_text(line) if cjk is None else cjk) else _INDENT_ANY
    parts = indent.split(line)
    merged = [parts[0]]
    for part in parts[1:]:
        if merged[-1].rstrip().endswith(_PATH_SEPARATORS) or part.lstrip().startswith(_PATH_SEPARATORS):
            merged[-1] = f"{merged[-1].rstrip()} {part.lstrip()}"  # 首页  >  范文: one breadcrumb
        elif len(merged[-1].strip()) <= 2 or len(part.strip()) <= 2:
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def _has_gap_space(text: str) -> bool:
    """Could ``_CJK_GAP`` find anything (it needs one of its spaces, ``_GAP_SPACES``)?"""
    return " " in text or "\u3000" in text or "\xa0" in text


def _may_have_indent(line: str) -> bool:
    """Could ``_INDENT_CJK`` or ``_INDENT_ANY`` find anything (an ideographic space, or two
    spaces or NBSPs in a row)?"""
    return "\u3000" in line or "  " in line or "\xa0" in line


def _part_is_cjk(part: str, line: str, line_cjk: bool | None) -> bool:
    """``is_cjk_text(part)``; a line left whole is known already when ``line_cjk`` is set."""
    if part == line and line_cjk is not None:
        return line_cjk
    return is_cjk_text(part)


# A paragraph of a laid-out format can still be a flattened page: web text pasted into
# Word keeps its runs of spaces for breaks. Spacing in a real paragraph is one or two
# runs (姓名：    日期：), and typists put two spaces after a sentence; a long paragraph
# cut by many wide runs (ideographic, or 3+ spaces) into long pieces is a page.
FLATTENED_PARAGRAPH_MIN_CHARS = 120
FLATTENED_PARAGRAPH_MIN_PIECES = 4
_LONG_PIECE = 6  # characters: shorter pieces are labels or letter-spacing, not paragraphs
_WIDE_RUN = re.compile(rf"{_INDENT_ANY.pattern}|[ \u00a0]{{3,}}")


def looks_flattened(text: str) -> bool:
    """Does a paragraph of a laid-out format (DOCX, PDF) hold a page whose breaks became
    runs of spaces?"""
    if len(text) < FLATTENED_PARAGRAPH_MIN_CHARS or not _may_have_indent(text):
        return False
    pieces = [p for p in _WIDE_RUN.split(text) if len(p.strip()) >= _LONG_PIECE]
    return len(pieces) >= FLATTENED_PARAGRAPH_MIN_PIECES


def normalize_paragraphs(text: str, table_row: bool = False, flattened: bool = True, odd_chars: bool = True) -> list[str]:
    """One block's text → its paragraphs, each NFKC'd with inner whitespace folded.

    ``flattened``: the format may have lost its paragraph breaks (text, web pages), so
    indentation runs inside a line are breaks; in DOCX/PDF paragraphs they are spacing.
    ``odd_chars``: False when the caller knows the text has none of ``_ODD_CHARS``."""
    if not text or text.isspace():
        return []  # a blank block: whitespace stays whitespace under NFKC, and is stripped
    if odd_chars:
        if _ANY_ZERO_WIDTH.search(text):
            text = text.translate(_ZERO_WIDTH)
        text = _LINE_BREAKS.sub("\n", text)
    pieces: list[str] = []
    for raw_line in text.split("\n"):
        line_cjk = None  # is_cjk_text(raw_line), found when needed
        if flattened and not table_row and _may_have_indent(raw_line):
            line_cjk = is_cjk_text(raw_line)
            parts = _split_indents(raw_line, line_cjk)
        else:
            parts = [raw_line]
        for part in parts:
            if _has_gap_space(part) and _part_is_cjk(part, raw_line, line_cjk):
                part = (_CELL_LETTER_GAP if table_row else _CJK_GAP).sub("", part)
            part = nfkc(part)
            if "(" in part and _PINYIN_GLOSS.search(part):
                part = _PINYIN_GLOSS.sub("", part)
            if "#" in part[:8]:
                part = _MD_HEADING.sub("", part)
            if "**" in part:
                part = _MD_BOLD.sub(r"\1", part)
            part = "\t".join(_fold_spaces(cell) for cell in part.split("\t")) if table_row else _fold_spaces(part)
            if part.startswith(",") and not table_row:
                pieces += [cell for cell in _COMMA_CELL_END.split(_COMMA_ROW_ENDS.sub("", part)) if cell.strip()]
            elif part.strip():
                pieces.append(part)
    return pieces


@component("normalize")
def normalize(doc: Doc) -> Doc:
    chunks: list[str] = []
    lines: list[Line] = []
    pos = 0
    flattened = doc.raw.format not in LAID_OUT_FORMATS
    odd_chars = _ODD_CHARS.search("".join(block.text for block in doc.raw.blocks)) is not None
    for block in doc.raw.blocks:
        block_flattened = flattened or (not block.is_table_row and looks_flattened(block.text))
        for i, para in enumerate(normalize_paragraphs(block.text, block.is_table_row, block_flattened, odd_chars)):
            end = pos + len(para)
            lines.append(Line(pos, end, block, i == 0))
            chunks.append(para)
            pos = end + 1  # past the line break that joins it to the next paragraph
    doc.text = "\n".join(chunks)
    doc.matching_text = matching_text(doc.text)
    doc.lines = lines
    return doc
