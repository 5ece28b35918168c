"""What every reader returns: text blocks in reading order with the layout hints the
format has. A reader knows nothing of plans, sections or tasks."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..config import Limits


@dataclass
class Block:
    """One paragraph-like unit of the source, in reading order.

    ``text`` is the block as a reader of the document sees it: where Word renders a
    list number (``一、``, ``1.``) from ``numbering.xml`` the reader has already put it
    in front of the text and recorded it in ``number``. Table rows are one block each,
    ``kind == "table_row"``, with the cell texts in ``cells`` and ``text`` the cells
    joined by TAB (paragraphs inside a cell joined by a space).
    """

    text: str
    kind: str = "paragraph"  # paragraph | title | heading | list_item | table_row
    style: str | None = None  # style name as the format names it (Heading 1, Title, List Number)
    level: int | None = None  # heading / outline level from style or w:outlineLvl, 1 = top
    number: str | None = None  # list number rendered from auto-numbering, e.g. "一、", "（二）", "3."
    font_size: float | None = None  # PDF: dominant font size of the block, in points
    bold: bool | None = None  # PDF/DOCX: the block is (mostly) bold
    page: int | None = None  # 1-based page number where the format has pages
    cells: list[str] | None = None  # table rows only
    table: int | None = None  # table rows only: index of the table in the document

    @property
    def is_table_row(self) -> bool:
        return self.kind == "table_row"


@dataclass
class RawDocument:
    """A reader's output: blocks plus what it learnt about the file itself."""

    blocks: list[Block]
    format: str  # txt | docx | pdf | html | doc | wps
    encoding: str | None = None  # text formats: the encoding the bytes were decoded with
    pages: int | None = None
    ocr: bool = False
    warnings: list[str] = field(default_factory=list)


class Reader(Protocol):
    """A reader turns bytes of one format into blocks, or raises PlanparseError.

    ``limits`` (pages, unzipped size, conversion timeout) defaults to ``DEFAULT_LIMITS``."""

    format: str

    def read(self, data: bytes, path: Path | None = None, limits: Limits | None = None) -> RawDocument: ...
