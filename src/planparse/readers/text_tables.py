"""Tables that plain text spells with ``|``, read back into table-row blocks.

Text saved from a web page or written in Markdown keeps a table in one of three shapes:

* one row per line, cells between bars, the row opening or closing with one:
  ``一月 | 春节慰问 | 全体职工 |``;
* the same in Markdown, with an alignment row under the first: ``| 时间 | 内容 |`` then
  ``|---|---|`` (the outer bars may then be left out);
* one cell per line, each ending in a bar, when the page's cells held paragraphs:
  ``时间 |`` ``活动内容 |`` ``一月 |`` ``春节慰问 |`` …

Read as paragraphs, their bars end up in task and schedule texts and a row's cells run
together. Here each row becomes one ``table_row`` block with its cells, as the DOCX and
HTML readers give a real table. The rules are about the shape of the lines only; a line
that fits none of them stays a paragraph, as written."""
from __future__ import annotations

import re

from .base import Block

_ALIGNMENT_ROW = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*")
_CELL_LINE = re.compile(r"[^|]+\|\s*")  # one cell per line: text, then the bar that closes it
MIN_ROWS = 2  # one line with bars is a menu or a byline (作者:… | 来源:…), not a table
MAX_COLUMNS = 8
KEY_CELL_MAX = 8  # characters: a row of a cell-per-line table opens with a short key (一月, 第一周, 项目)


def table_blocks(lines: list[str]) -> list[Block]:
    """One block per line, except that the lines of a table spelt with bars become one
    ``table_row`` block per row (an alignment row is table syntax and gives no block)."""
    blocks: list[Block] = []
    table = 0  # the index of the next table, as the DOCX and HTML readers count them
    i = 0
    while i < len(lines):
        end, rows = (_row_per_line(lines, i) or _cell_per_line(lines, i)) if "|" in lines[i] else (i + 1, [])
        if rows:
            blocks += [Block(text="\t".join(cells), kind="table_row", cells=cells, table=table) for cells in rows]
            table += 1
        else:  # the lines up to ``end`` are no table: each stays a paragraph (and is read once)
            blocks += [Block(text=line) for line in lines[i:end]]
        i = end
    return blocks


def _cells(line: str) -> list[str] | None:
    """The cells of a row written on one line (two filled at least), or None."""
    text = line.strip()
    if "|" not in text or _alignment_row(text):
        return None
    cells = [cell.strip() for cell in text.removeprefix("|").removesuffix("|").split("|")]
    # A table may leave a cell empty; a row with one filled cell is page layout (a title in a frame).
    return cells if sum(map(bool, cells)) >= 2 else None


def _framed(line: str) -> bool:
    text = line.strip()
    return text.startswith("|") or text.endswith("|")


def _alignment_row(line: str) -> bool:
    return "|" in line and _ALIGNMENT_ROW.fullmatch(line) is not None


def _row_per_line(lines: list[str], start: int) -> tuple[int, list[list[str]]] | None:
    """(end, rows) of a run of lines with the same number of cells, alignment rows skipped.
    The rows must open or close with a bar, or have an alignment row under the first
    (Markdown): a site's menu (范文 | 工作计划 | 工作总结) on two lines has neither."""
    first = _cells(lines[start])
    if first is None or len(first) > MAX_COLUMNS:
        return None
    aligned = start + 1 < len(lines) and _alignment_row(lines[start + 1])
    rows, i = [first], start + 1
    while i < len(lines):
        if _alignment_row(lines[i]):
            i += 1
            continue
        cells = _cells(lines[i])
        if cells is None or len(cells) != len(first) or not (aligned or _framed(lines[i])):
            break
        rows.append(cells)
        i += 1
    return (i, rows) if len(rows) >= MIN_ROWS and (aligned or _framed(lines[start])) else None


def _cell_per_line(lines: list[str], start: int) -> tuple[int, list[list[str]]]:
    """(end, rows) of a run of one-cell lines, cut into rows of the width at which every
    row opens with a short key cell, as a header row and a column of row labels do; no
    rows when there is no such width (``end`` is then past the whole run, at least one line)."""
    end = start
    while end < len(lines) and "|" in lines[end] and _CELL_LINE.fullmatch(lines[end]):
        end += 1
    cells = [line.strip().removesuffix("|").strip() for line in lines[start:end]]
    for width in range(2, MAX_COLUMNS + 1):
        if len(cells) < width * MIN_ROWS:
            break
        if len(cells) % width:
            continue
        rows = [cells[k:k + width] for k in range(0, len(cells), width)]
        if all(len(row[0]) <= KEY_CELL_MAX for row in rows):
            return end, rows
    return max(end, start + 1), []
