"""DOCX: paragraphs and table rows in body order, with styles and rendered list numbers.

python-docx opens the package (its lxml parser does not resolve entities and loads no
DTD, so an XXE document cannot reach files or the network); the body is then walked on
the lxml elements directly, which is faster and sees what python-docx's API hides:
content controls (``w:sdt``), text boxes, and ``w:numPr`` numbering.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.styles import BabelFish
from lxml import etree

from ..config import DEFAULT_LIMITS, Limits
from ..errors import ErrorCode, PlanparseError
from .base import Block, RawDocument
from .numbering import Numbering, int_val, join_number, w
from .sniff import OLE2_MAGIC, is_encrypted_ooxml

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
TITLE_STYLES = frozenset({"title", "标题"})
LIST_STYLE = re.compile(r"^(?:list|列表)", re.I)
FALSE_VALUES = frozenset({"0", "false", "off", "none"})
# Run content -> text. Page and column breaks do not end a line of text.
RUN_CHARACTERS = {w("tab"): "\t", w("cr"): "\n", w("noBreakHyphen"): "-", w("softHyphen"): ""}
# Never text of the paragraph: properties, deleted runs, the fallback copy of a drawing
# (the mc:Choice copy is read), field codes.
SKIPPED = frozenset({w("pPr"), w("rPr"), w("del"), w("moveFrom"), w("instrText"), w("delText"),
                     f"{{{MC}}}Fallback"})
CONTAINERS = frozenset({w("sdt"), w("sdtContent"), w("customXml"), w("ins"), w("moveTo"), w("smartTag")})
TEXT_BOX = w("txbxContent")
# A bold-face paragraph: more than this share of its characters are bold.
BOLD_SHARE = 0.5


def check_zip_limits(data: bytes, limits: Limits) -> None:
    """Refuse a ZIP whose declared uncompressed size is huge or out of proportion (a bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise PlanparseError(ErrorCode.CORRUPT, f"this .docx is not a readable ZIP archive ({err})") from None
    ratio = total / max(1, len(data))
    if total > limits.max_unzipped_bytes or ratio > limits.max_zip_ratio:
        raise PlanparseError(
            ErrorCode.CORRUPT,
            f"refused as a possible decompression bomb: {len(data):,} bytes unpack to {total:,} bytes "
            f"(ratio {ratio:.0f}; limits {limits.max_unzipped_bytes:,} bytes, ratio {limits.max_zip_ratio:.0f})",
        )


# Package parts planparse reads; the others (media, fonts, embedded objects, thumbnails)
# are never inflated.
XML_PART = re.compile(r"\.(?:xml|rels)$", re.I)
READ_CHUNK = 1 << 20


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One member, inflated a chunk at a time. zipfile's one-shot ``read()`` inflates all
    of a member's compressed data before cutting it to the declared size, so an entry that
    declares 1 kB and inflates to gigabytes (sizes forged past check_zip_limits) would
    fill memory; read in chunks it stops at the declared size (and fails its CRC)."""
    chunks = []
    with archive.open(info) as member:
        while chunk := member.read(READ_CHUNK):
            chunks.append(chunk)
    return b"".join(chunks)


def safe_package(data: bytes) -> bytes:
    """The package re-written for python-docx: XML parts read as above and stored
    uncompressed, every other part empty (python-docx loads every part, planparse reads
    only XML). Damage shows here as ``corrupt``."""
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            members = {info.filename: info for info in archive.infolist() if not info.is_dir()}  # the last copy wins, as in zipfile
            for name, info in members.items():
                copy.writestr(name, read_member(archive, info) if XML_PART.search(name) else b"")
    except RuntimeError as err:  # an entry encrypted with a ZIP password
        raise PlanparseError(ErrorCode.ENCRYPTED, f"this .docx has password-protected parts ({err})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as err:
        raise PlanparseError(ErrorCode.CORRUPT, f"this .docx is a damaged ZIP archive ({err})") from None
    return out.getvalue()


# Qualified tag names, built once: the body walk below looks them up for every element.
W_B = w("b")
W_BASED_ON = w("basedOn")
W_BR = w("br")
W_DEFAULT = w("default")
W_ILVL = w("ilvl")
W_NAME = w("name")
W_NUM_ID = w("numId")
W_NUM_PR = w("numPr")
W_OUTLINE_LVL = w("outlineLvl")
W_P = w("p")
W_P_PR = w("pPr")
W_P_STYLE = w("pStyle")
W_R = w("r")
W_R_PR = w("rPr")
W_R_STYLE = w("rStyle")
W_STYLE = w("style")
W_STYLE_ID = w("styleId")
W_T = w("t")
W_TBL = w("tbl")
W_TC = w("tc")
W_TC_PR = w("tcPr")
W_TR = w("tr")
W_TYPE = w("type")
W_V_MERGE = w("vMerge")
W_VAL = w("val")


def _val(element: etree._Element | None) -> str | None:
    """``w_val`` with the attribute name built once."""
    return None if element is None else element.get(W_VAL)


def is_on(element: etree._Element | None) -> bool:
    return element is not None and (_val(element) or "true").lower() not in FALSE_VALUES


def optional_on(element: etree._Element | None) -> bool | None:
    """A toggle property where it is set, None where the style leaves it to its parent."""
    return None if element is None else is_on(element)


@dataclass
class Style:
    name: str | None = None
    based_on: str | None = None
    outline_level: int | None = None  # 0-based as in w:outlineLvl; 9 = body text
    num_id: str | None = None
    ilvl: int | None = None
    bold: bool | None = None


class Styles:
    """styles.xml, with properties looked up through the ``w:basedOn`` chain."""

    MAX_DEPTH = 20  # guards against basedOn cycles

    def __init__(self, root: etree._Element | None) -> None:
        self.styles: dict[str, Style] = {}
        self.default_paragraph: str | None = None
        if root is None:
            return
        for element in root.findall(W_STYLE):
            style_id = element.get(W_STYLE_ID, "")
            ppr = element.find(W_P_PR)
            num_pr = ppr.find(W_NUM_PR) if ppr is not None else None
            rpr = element.find(W_R_PR)
            name = _val(element.find(W_NAME))
            self.styles[style_id] = Style(
                name=BabelFish.internal2ui(name) if name else None,
                based_on=_val(element.find(W_BASED_ON)),
                outline_level=int_val(ppr.find(W_OUTLINE_LVL)) if ppr is not None else None,
                num_id=_val(num_pr.find(W_NUM_ID)) if num_pr is not None else None,
                ilvl=int_val(num_pr.find(W_ILVL)) if num_pr is not None else None,
                bold=optional_on(rpr.find(W_B) if rpr is not None else None),
            )
            if element.get(W_TYPE) == "paragraph" and element.get(W_DEFAULT) in ("1", "true", "on"):
                self.default_paragraph = style_id

    def lookup(self, style_id: str | None, attribute: str):
        """The first value of ``attribute`` found on the style or the styles it is based on."""
        for _ in range(self.MAX_DEPTH):
            style = self.styles.get(style_id or "")
            if style is None:
                return None
            value = getattr(style, attribute)
            if value is not None:
                return value
            style_id = style.based_on
        return None

    def name(self, style_id: str | None) -> str | None:
        style = self.styles.get(style_id or "")
        return style.name if style else style_id

    def num_ids(self) -> dict[str, str]:
        return {style_id: style.num_id for style_id, style in self.styles.items() if style.num_id}


@dataclass
class ParagraphText:
    """What the runs of one paragraph add up to."""

    parts: list[str] = field(default_factory=list)
    bold_chars: int = 0
    visible_chars: int = 0
    text_boxes: list[etree._Element] = field(default_factory=list)

    @property
    def bold(self) -> bool | None:
        return self.bold_chars > BOLD_SHARE * self.visible_chars if self.visible_chars else None


class DocxBody:
    """Walks one document body and turns it into blocks."""

    def __init__(self, document: docx.document.Document) -> None:
        part = document.part
        self.styles = Styles(self._related_root(part, RT.STYLES))
        self.numbering = Numbering(self._related_root(part, RT.NUMBERING), self.styles.num_ids())
        self.body = document.element.body
        self.blocks: list[Block] = []
        self.table_count = 0

    @staticmethod
    def _related_root(part, relationship: str) -> etree._Element | None:
        try:
            return part.part_related_by(relationship).element
        except (KeyError, AttributeError):
            return None

    def read(self) -> list[Block]:
        self._read_children(self.body)
        return self.blocks

    def _read_children(self, parent: etree._Element) -> None:
        for child in parent:
            if child.tag == W_P:
                self._read_paragraph(child)
            elif child.tag == W_TBL:
                self._read_table(child)
            elif child.tag in CONTAINERS:
                self._read_children(child)

    # paragraphs -------------------------------------------------------------

    def _read_paragraph(self, paragraph: etree._Element) -> None:
        block, text_boxes = self.paragraph_block(paragraph)
        if block is not None:
            self.blocks.append(block)
        for box in text_boxes:  # text boxes anchored in the paragraph follow it
            self._read_children(box)

    def paragraph_block(self, paragraph: etree._Element) -> tuple[Block | None, list[etree._Element]]:
        """The paragraph as a block (None when it shows nothing) and its text boxes."""
        ppr = paragraph.find(W_P_PR)
        style_id = (_val(ppr.find(W_P_STYLE)) if ppr is not None else None) or self.styles.default_paragraph
        style_name = self.styles.name(style_id)
        collected = ParagraphText()
        self._collect(paragraph, collected, bool(self.styles.lookup(style_id, "bold")))
        text = "".join(collected.parts)
        number, is_list = self._number(ppr, style_id)
        if not text.strip() and number is None:
            return None, collected.text_boxes
        kind, level = self._kind(ppr, style_id, style_name, is_list)
        block = Block(text=join_number(number or "", text), kind=kind, style=style_name, level=level,
                      number=number or None, bold=collected.bold)
        return block, collected.text_boxes

    def _collect(self, element: etree._Element, collected: ParagraphText, style_bold: bool) -> None:
        for child in element:
            tag = child.tag
            if tag in SKIPPED or not isinstance(tag, str):
                continue
            if tag == TEXT_BOX:
                collected.text_boxes.append(child)
            elif tag == W_R:
                self._collect_run(child, collected, style_bold)
            else:  # hyperlinks, fields, content controls, insertions, smart tags ...
                self._collect(child, collected, style_bold)

    def _collect_run(self, run: etree._Element, collected: ParagraphText, style_bold: bool) -> None:
        rpr = run.find(W_R_PR)
        bold_element = rpr.find(W_B) if rpr is not None else None
        if bold_element is not None:
            bold = is_on(bold_element)
        else:
            run_style = _val(rpr.find(W_R_STYLE)) if rpr is not None else None
            bold = bool(self.styles.lookup(run_style, "bold")) if run_style else style_bold
        start = len(collected.parts)
        for child in run:
            tag = child.tag
            if tag == W_T:
                collected.parts.append(child.text or "")
            elif tag in RUN_CHARACTERS:
                collected.parts.append(RUN_CHARACTERS[tag])
            elif tag == W_BR:
                collected.parts.append("" if child.get(W_TYPE) in ("page", "column") else "\n")
            elif tag not in SKIPPED and isinstance(tag, str):
                self._collect(child, collected, style_bold)  # drawings: their text boxes
        visible = sum(len(part.strip()) for part in collected.parts[start:])
        collected.visible_chars += visible
        collected.bold_chars += visible if bold else 0

    def _number(self, ppr: etree._Element | None, style_id: str | None) -> tuple[str | None, bool]:
        """Rendered list number of the paragraph and whether it is a list item at all."""
        num_pr = ppr.find(W_NUM_PR) if ppr is not None else None
        num_id = _val(num_pr.find(W_NUM_ID)) if num_pr is not None else None
        ilvl = int_val(num_pr.find(W_ILVL)) if num_pr is not None else None
        num_id = num_id or self.styles.lookup(style_id, "num_id")
        if not num_id or num_id == "0":
            return None, False
        if ilvl is None:
            ilvl = self.styles.lookup(style_id, "ilvl") or 0
        number, is_bullet = self.numbering.next_number(num_id, ilvl)
        return number, number is not None or is_bullet

    def _kind(self, ppr: etree._Element | None, style_id: str | None, style_name: str | None,
              is_list: bool) -> tuple[str, int | None]:
        name = (style_name or "").strip()
        if name.lower() in TITLE_STYLES:
            return "title", None
        heading = HEADING_STYLE.match(name)
        if heading:
            return "heading", int(heading.group(1))
        outline = int_val(ppr.find(W_OUTLINE_LVL)) if ppr is not None else None
        if outline is None:
            outline = self.styles.lookup(style_id, "outline_level")
        if outline is not None and 0 <= outline < 9:
            return "heading", outline + 1
        if is_list or LIST_STYLE.match(name):
            return "list_item", None
        return "paragraph", None

    # tables -----------------------------------------------------------------

    def _read_table(self, table: etree._Element) -> None:
        rows = [self._cells(row) for row in self._rows(table)]
        if all(len(row) == 1 for row in rows):
            # a one-column table is a frame around ordinary paragraphs (cover pages, boxed
            # notes), not data: its paragraphs are read as if outside it
            for (cell,) in rows:
                self._read_children(cell)
            return
        index = self.table_count
        self.table_count += 1
        for row in rows:
            cells = [self._cell_text(cell) for cell in row]
            if any(cells):
                self.blocks.append(Block(text="\t".join(cells), kind="table_row", cells=cells, table=index))

    @staticmethod
    def _rows(table: etree._Element):
        for child in table:
            if child.tag == W_TR:
                yield child
            elif child.tag in CONTAINERS:
                yield from DocxBody._rows(child)

    @staticmethod
    def _cells(row: etree._Element) -> list[etree._Element]:
        cells = []
        for child in row:
            if child.tag == W_TC:
                cells.append(child)
            elif child.tag in CONTAINERS:
                cells.extend(DocxBody._cells(child))
        return cells

    def _cell_text(self, cell: etree._Element) -> str:
        tcpr = cell.find(W_TC_PR)
        merge = tcpr.find(W_V_MERGE) if tcpr is not None else None
        if merge is not None and _val(merge) != "restart":
            return ""  # continuation of a vertically merged cell: its text is in the first row
        texts: list[str] = []
        self._cell_paragraph_texts(cell, texts)
        return " ".join(" ".join(text.split("\n")) for text in texts if text)  # one line per row

    def _cell_paragraph_texts(self, element: etree._Element, texts: list[str]) -> None:
        for child in element:
            if child.tag == W_P:
                block, text_boxes = self.paragraph_block(child)
                if block is not None:
                    texts.append(block.text.strip())
                for box in text_boxes:
                    self._cell_paragraph_texts(box, texts)
            elif child.tag == W_TBL:  # nested table: its cells' text, in order
                for row in self._rows(child):
                    for cell in self._cells(row):
                        texts.append(self._cell_text(cell))
            elif child.tag in CONTAINERS:
                self._cell_paragraph_texts(child, texts)


class DocxReader:
    format = "docx"

    def read(self, data: bytes, path: Path | None = None, limits: Limits | None = None) -> RawDocument:
        if data.startswith(OLE2_MAGIC):
            if is_encrypted_ooxml(data):
                raise PlanparseError(ErrorCode.ENCRYPTED,
                                     "this Word document is password-protected; save it without a password and try again")
            raise PlanparseError(ErrorCode.CORRUPT, "this is a legacy Word (.doc) file, not a .docx")
        check_zip_limits(data, limits or DEFAULT_LIMITS)
        package = safe_package(data)
        try:
            document = docx.Document(io.BytesIO(package))
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as err:
            raise PlanparseError(ErrorCode.CORRUPT, f"this .docx cannot be opened as a Word document ({err})") from None
        return RawDocument(blocks=DocxBody(document).read(), format=self.format)
