"""Tables in a PDF's text layer, read back into table-row blocks.

A PDF draws a table as text pieces at column positions; PDFium lists a row's cells one
after another, each cell's lines together, so a cell's second paragraph comes before the
next cell of its row. Reflowed as paragraphs, a row's cells run together with the next
row's first cell. Here a table is found by its geometry: rows of pieces on one baseline
whose left edges line up in columns over two rows or more, the first column holding short
keys (一月, 序号, a date) — which two columns of running text do not. Each row becomes one
``table_row`` block, as the DOCX and HTML readers give: a cell's lines are joined as
wrapped text when the line above ran to the column's edge, else by a space (a paragraph of
the cell, as those readers join them). Pure Python on :class:`PdfLine`."""
from __future__ import annotations

from bisect import bisect_right

from .base import Block
from .pdf_layout import PdfLine, is_bare_token, join_lines

SAME_BASELINE_EM = 0.3  # pieces this close vertically sit on one row
COLUMN_TOLERANCE_EM = 0.5  # left edges this close are one column
MIN_ROWS = 2
MAX_COLUMNS = 8
KEY_CELL_MAX = 12  # characters of a first-column cell (一月份, 第一周, 2024年3月)
ROW_GAP_PITCHES = 3.0  # a line further below the table's last line than this ends it
WRAP_EM = 2.0  # a cell line ending this close to its column's right edge wrapped


class TableFinder:
    """What :func:`pdf_layout.reflow` asks at each line: ``finder(lines, i)`` is (end,
    table-row blocks) of a table whose first cell is ``lines[i]``, or None. One per
    document: the lines a failed search went through open no table either (two columns of
    running text would otherwise be searched again from each of their lines)."""

    def __init__(self) -> None:
        self._searched_to = 0

    def __call__(self, lines: list[PdfLine], i: int) -> tuple[int, list[Block]] | None:
        if i < self._searched_to or not opens_table(lines, i):
            return None
        end, columns = _scan(lines, i)
        rows = _table_rows(lines[i:end], columns)
        if rows is None:
            self._searched_to = end
            return None
        return end, rows


def opens_table(lines: list[PdfLine], i: int) -> bool:
    """Whether ``lines[i]`` could be a table's first cell: the next piece is on its
    baseline, right of it (the cheap test before the search)."""
    if i + 1 >= len(lines):
        return False
    line, after = lines[i], lines[i + 1]
    return (after.after_gap and after.page == line.page and _same_row(line, after) and after.x0 > line.x1
            and not is_bare_token(line.text))  # `（五）` then a tab: a list number, not a cell


def _table_rows(lines: list[PdfLine], columns: list[float]) -> list[Block] | None:
    """The table-row blocks of ``lines`` (a run from :func:`_scan`), or None when they
    make no table."""
    first = lines[0]
    tolerance = COLUMN_TOLERANCE_EM * _em(first)
    if len(columns) < 2 or len(columns) > MAX_COLUMNS:
        return None
    rows = [_cell_texts(cells, columns, tolerance) for cells in _row_lines(lines, columns, tolerance)]
    if sum(sum(map(bool, row)) >= 2 for row in rows) < MIN_ROWS:
        return None
    keys = [row[0] for row in rows if row[0]]
    if sum(len(key) <= KEY_CELL_MAX for key in keys) < 0.8 * len(keys):
        return None  # long first cells: two columns of running text, not a table
    return [Block(text="\t".join(row), kind="table_row", cells=row, page=first.page, font_size=round(_em(first), 1))
            for row in rows]


def _scan(lines: list[PdfLine], start: int) -> tuple[int, list[float]]:
    """(end, column left edges) of the run of lines from ``start`` laid out as table cells."""
    first = lines[start]
    tolerance = COLUMN_TOLERANCE_EM * _em(first)
    columns = [first.x0]
    end = start
    bottom = first.baseline
    pitch = max(1.2 * _em(first), 1.0)
    while end < len(lines):
        line = lines[end]
        if line.page != first.page or line.baseline - bottom > ROW_GAP_PITCHES * pitch or line.baseline < first.baseline - tolerance:
            break
        column = _column_of(line.x0, columns, tolerance)
        if column is None:
            if end > start and not line.after_gap:
                break  # text at a new left edge: the table has ended
            columns.append(line.x0)  # a cell of the first row(s) opens a column
            columns.sort()
        elif column == 0 and end > start and not _has_partner(lines, end):
            break  # a line at the left edge with nothing beside it: body text again
        bottom = max(bottom, line.baseline)
        end += 1
    return end, columns


def _em(line: PdfLine) -> float:
    return line.font_size or 10.0  # points; a line without a size reads as 10 pt


def _same_row(a: PdfLine, b: PdfLine) -> bool:
    return abs(a.baseline - b.baseline) <= SAME_BASELINE_EM * _em(a)


def _column_of(x0: float, columns: list[float], tolerance: float) -> int | None:
    for k, x in enumerate(columns):
        if abs(x0 - x) <= tolerance:
            return k
    return None


def _has_partner(lines: list[PdfLine], i: int) -> bool:
    """Another piece on ``lines[i]``'s baseline among the lines near it (PDFium lists a
    row's later cells after the lines of its earlier ones)."""
    line = lines[i]
    for other in lines[i + 1 : i + 1 + 2 * MAX_COLUMNS]:
        if other.page == line.page and _same_row(line, other) and other.x0 > line.x1:
            return True
    return False


def _row_lines(lines: list[PdfLine], columns: list[float], tolerance: float) -> list[list[list[PdfLine]]]:
    """Per table row, per column, the lines of that cell from top to bottom. A row opens
    at each piece in the first column; every line belongs to the last row opened at or
    above its baseline."""
    slack = SAME_BASELINE_EM * _em(lines[0])
    tops = sorted(line.baseline for line in lines if _column_of(line.x0, columns, tolerance) == 0)
    rows: list[list[list[PdfLine]]] = [[[] for _ in columns] for _ in tops]
    for line in sorted(lines, key=lambda line: line.baseline):
        row = max(bisect_right(tops, line.baseline + slack) - 1, 0)
        column = _column_of(line.x0, columns, tolerance)
        rows[row][column if column is not None else len(columns) - 1].append(line)
    return rows


def _cell_texts(cells: list[list[PdfLine]], columns: list[float], tolerance: float) -> list[str]:
    out = []
    for k, cell in enumerate(cells):
        edge = columns[k + 1] - tolerance if k + 1 < len(columns) else max((line.x1 for line in cell), default=0.0)
        text = ""
        for previous, line in zip([None, *cell], cell):
            piece = line.text.strip()
            if previous is None:
                text = piece
            elif edge - previous.x1 <= WRAP_EM * _em(previous):
                text = join_lines(text, piece)  # the line above ran to the edge: wrapped text
            else:
                text = f"{text} {piece}"  # the cell's next paragraph
        out.append(text)
    return out
