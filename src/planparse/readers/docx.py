"""DOCX: paragraphs and table rows in body order, with styles and rendered list numbers.

python-docx's OPC reader walks the package (content types, relationships); only the XML
parts python-docx would parse are inflated, and they are parsed with python-docx's parser
settings (entities are not resolved and no DTD is loaded, so an XXE document cannot reach
files or the network). The body is then walked on the lxml elements directly, which is
faster and sees what python-docx's API hides: content controls (``w:sdt``), text boxes,
and ``w:numPr`` numbering. A package that this route finds unusual in any way is opened
the old way, by ``docx.Document``, which reports the damage as it always has.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from docx.opc.part import PartFactory, XmlPart
from docx.opc.pkgreader import PackageReader, _ContentTypeMap
from docx.styles import BabelFish
from lxml import etree

from ..config import DEFAULT_LIMITS, Limits
from ..errors import ErrorCode, PlanparseError
from .base import Block, RawDocument
from .numbering import W, Numbering, first_children, int_val, join_number, w
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
W_DOCUMENT = w("document")
W_BODY = w("body")
# Run characters that count as visible text (for the bold share): the others are blanks.
RUN_CHARACTER_VISIBLE = {tag: len(text.strip()) for tag, text in RUN_CHARACTERS.items()}
PAGE_BREAKS = ("page", "column")
# Run properties that can make a run bold (most runs only set fonts and sizes): found in
# one pass over the body, in C, rather than by a look at every run's properties.
BOLD_RUN_PROPERTIES = etree.XPath(".//w:r/w:rPr[w:b or w:rStyle]", namespaces={"w": W})


# Properties a paragraph, a run and a numPr are read for: tag -> position in the result
# of ``first_children``.
PARAGRAPH_PROPERTIES = {W_P_STYLE: 0, W_NUM_PR: 1, W_OUTLINE_LVL: 2}
RUN_PROPERTIES = {W_B: 0, W_R_STYLE: 1}
NUMBERING_PROPERTIES = {W_NUM_ID: 0, W_ILVL: 1}


def _val(element: etree._Element | None) -> str | None:
    """``w_val`` with the attribute name built once."""
    return None if element is None else element.get(W_VAL)


def is_on(element: etree._Element | None) -> bool:
    return element is not None and (_val(element) or "true").lower() not in FALSE_VALUES


def optional_on(element: etree._Element | None) -> bool | None:
    """A toggle property where it is set, None where the style leaves it to its parent."""
    return None if element is None else is_on(element)


# The package ------------------------------------------------------------------------


class UnusualPackage(Exception):
    """The package is not the plain case the fast route reads; ``docx.Document`` opens it."""


class ArchiveParts:
    """python-docx's physical-package interface over an open archive. Relationship items
    and [Content_Types].xml are inflated (chunk by chunk, see ``read_member``); a part's
    blob is only checked to exist: the parts planparse needs are inflated later, the
    others (media, fonts, themes) never are."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def member(self, name: str) -> bytes:
        return read_member(self.archive, self.archive.getinfo(name))

    def blob_for(self, pack_uri: PackURI) -> bytes:
        self.archive.getinfo(pack_uri.membername)  # KeyError when missing, as python-docx
        return b""

    @property
    def content_types_xml(self) -> bytes:
        return self.member(CONTENT_TYPES_URI.membername)

    def rels_xml_for(self, source_uri: PackURI) -> bytes | None:
        try:
            return self.member(source_uri.rels_uri.membername)
        except KeyError:
            return None

    def close(self) -> None:
        pass


def parsed_by_python_docx(content_type: str, reltype: str) -> bool:
    """Whether ``docx.Document`` would parse this part as XML (document, styles,
    numbering, settings, headers, footers, comments, core properties)."""
    selector = PartFactory.part_class_selector
    part_class = ((selector(content_type, reltype) if selector else None)
                  or PartFactory.part_type_for.get(content_type, PartFactory.default_part_type))
    return issubclass(part_class, XmlPart)


def single_target(rels: dict[str, Any], reltype: str, required: bool) -> PackURI | None:
    """The partname the one internal relationship of ``reltype`` points at (python-docx's
    ``part_related_by``); None when there is none and none is required."""
    matching = [srel for srel in rels.values() if srel.reltype == reltype]
    if not matching and not required:
        return None
    if len(matching) != 1 or matching[0].is_external:
        raise UnusualPackage(reltype)
    return matching[0].target_partname


@dataclass
class WordParts:
    """The parsed elements the body walk needs."""

    body: etree._Element
    styles: etree._Element | None
    numbering: etree._Element | None


# python-docx's parser settings, without its element classes (plain elements are cheaper)
XML_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def open_word_parts(data: bytes) -> WordParts:
    """The document, styles and numbering roots as ``docx.Document`` would find them.

    Every part python-docx would parse is parsed here too, so that a damaged header
    fails the document as before. Raises UnusualPackage (or any error of the archive
    or the parser) when the package is not the plain case."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        physical = ArchiveParts(archive)
        # PackageReader.from_file does these steps with a reader that inflates every part;
        # its helpers are private, but python-docx is pinned below 2 and the tests compare
        # this route with docx.Document on every DOCX of the dev set
        content_types = _ContentTypeMap.from_xml(physical.content_types_xml)
        package_rels = PackageReader._srels_for(physical, PACKAGE_URI)
        parts = PackageReader._load_serialized_parts(physical, package_rels, content_types)
        package = PackageReader(content_types, package_rels, parts)
        rels: dict[str, dict[str, Any]] = {}
        for source, srel in package.iter_srels():
            rels.setdefault(source, {})[srel.rId] = srel  # the last of one rId wins, as in python-docx
        roots: dict[str, etree._Element] = {}
        for part in parts:
            if parsed_by_python_docx(part.content_type, part.reltype):
                roots[part.partname] = etree.fromstring(physical.member(part.partname.membername), XML_PARSER)
    main = single_target(rels.get(PACKAGE_URI, {}), RT.OFFICE_DOCUMENT, required=True)
    content_type = next(part.content_type for part in parts if part.partname == main)
    document = roots.get(main)
    if content_type != CT.WML_DOCUMENT_MAIN or document is None or document.tag != W_DOCUMENT:
        raise UnusualPackage(content_type)
    body = document.find(W_BODY)
    if body is None:
        raise UnusualPackage("no w:body")
    document_rels = rels.get(main, {})
    styles, numbering = (roots.get(single_target(document_rels, reltype, required=False))
                         for reltype in (RT.STYLES, RT.NUMBERING))
    return WordParts(body, styles, numbering)


def python_docx_parts(data: bytes) -> WordParts:
    """The same roots through ``docx.Document`` (on the package re-written by
    ``safe_package``): the route for every package ``open_word_parts`` finds unusual."""
    package = safe_package(data)
    try:
        document = docx.Document(io.BytesIO(package))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as err:
        raise PlanparseError(ErrorCode.CORRUPT, f"this .docx cannot be opened as a Word document ({err})") from None
    part = document.part

    def related_root(relationship: str) -> etree._Element | None:
        try:
            return part.part_related_by(relationship).element
        except (KeyError, AttributeError):
            return None

    styles, numbering = related_root(RT.STYLES), related_root(RT.NUMBERING)
    return WordParts(document.element.body, styles, numbering)


# Styles -----------------------------------------------------------------------------


@dataclass
class Style:
    name: str | None = None
    based_on: str | None = None
    outline_level: int | None = None  # 0-based as in w:outlineLvl; 9 = body text
    num_id: str | None = None
    ilvl: int | None = None
    bold: bool | None = None


def parse_style(element: etree._Element) -> Style:
    ppr = element.find(W_P_PR)
    num_pr = ppr.find(W_NUM_PR) if ppr is not None else None
    rpr = element.find(W_R_PR)
    name = _val(element.find(W_NAME))
    return Style(
        name=BabelFish.internal2ui(name) if name else None,
        based_on=_val(element.find(W_BASED_ON)),
        outline_level=int_val(ppr.find(W_OUTLINE_LVL)) if ppr is not None else None,
        num_id=_val(num_pr.find(W_NUM_ID)) if num_pr is not None else None,
        ilvl=int_val(num_pr.find(W_ILVL)) if num_pr is not None else None,
        bold=optional_on(rpr.find(W_B) if rpr is not None else None),
    )


@dataclass(frozen=True)
class StyleFacts:
    """What a paragraph takes from its style, resolved through the ``w:basedOn`` chain."""

    name: str | None
    bold: bool
    num_id: str | None
    ilvl: int | None
    outline_level: int | None
    named_kind: tuple[str, int | None] | None  # ("title", None) or ("heading", n) by the name
    list_style: bool  # the name says list


class Styles:
    """styles.xml, with properties looked up through the ``w:basedOn`` chain.

    A template's styles.xml defines a hundred styles or more, a document uses a few:
    a style's element is parsed when first looked up (per document)."""

    MAX_DEPTH = 20  # guards against basedOn cycles

    def __init__(self, root: etree._Element | None) -> None:
        self.elements: dict[str, etree._Element] = {}
        self.parsed: dict[str, Style] = {}
        self.facts_by_id: dict[str | None, StyleFacts] = {}
        self.default_paragraph: str | None = None
        if root is None:
            return
        for element in root.iterchildren(W_STYLE):
            style_id = element.get(W_STYLE_ID, "")
            self.elements[style_id] = element  # the last definition of an id wins
            if element.get(W_TYPE) == "paragraph" and element.get(W_DEFAULT) in ("1", "true", "on"):
                self.default_paragraph = style_id

    def get(self, style_id: str | None) -> Style | None:
        style_id = style_id or ""
        style = self.parsed.get(style_id)
        if style is None:
            element = self.elements.get(style_id)
            if element is None:
                return None
            style = self.parsed[style_id] = parse_style(element)
        return style

    def lookup(self, style_id: str | None, attribute: str):
        """The first value of ``attribute`` found on the style or the styles it is based on."""
        for _ in range(self.MAX_DEPTH):
            style = self.get(style_id)
            if style is None:
                return None
            value = getattr(style, attribute)
            if value is not None:
                return value
            style_id = style.based_on
        return None

    def name(self, style_id: str | None) -> str | None:
        style = self.get(style_id)
        return style.name if style else style_id

    def own_num_id(self, style_id: str) -> str | None:
        """The numId the style itself sets (not inherited): what ``w:numStyleLink`` follows."""
        style = self.get(style_id)
        return style.num_id if style else None

    def facts(self, style_id: str | None) -> StyleFacts:
        facts = self.facts_by_id.get(style_id)
        if facts is None:
            facts = self.facts_by_id[style_id] = self._resolve(style_id)
        return facts

    def _resolve(self, style_id: str | None) -> StyleFacts:
        name = self.name(style_id)
        label = (name or "").strip()
        heading = HEADING_STYLE.match(label)
        if label.lower() in TITLE_STYLES:
            named_kind = ("title", None)
        elif heading:
            named_kind = ("heading", int(heading.group(1)))
        else:
            named_kind = None
        return StyleFacts(name=name, bold=bool(self.lookup(style_id, "bold")),
                          num_id=self.lookup(style_id, "num_id"), ilvl=self.lookup(style_id, "ilvl"),
                          outline_level=self.lookup(style_id, "outline_level"), named_kind=named_kind,
                          list_style=bool(LIST_STYLE.match(label)))


# The body ---------------------------------------------------------------------------


class ParagraphText:
    """What the runs of one paragraph add up to."""

    __slots__ = ("parts", "visible_chars", "bold_chars", "style_bold_chars", "text_boxes")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.visible_chars = 0
        self.bold_chars = 0  # in runs bold by their own properties or character style
        self.style_bold_chars = 0  # in runs that are as bold as the paragraph's style
        self.text_boxes: list[etree._Element] = []

    def bold(self, style_bold: bool) -> bool | None:
        if not self.visible_chars:
            return None
        bold_chars = self.bold_chars + (self.style_bold_chars if style_bold else 0)
        return bold_chars > BOLD_SHARE * self.visible_chars


class DocxBody:
    """Walks one document body and turns it into blocks."""

    def __init__(self, parts: WordParts) -> None:
        self.styles = Styles(parts.styles)
        self.numbering = Numbering(parts.numbering, self.styles.own_num_id)
        self.body = parts.body
        self.bold_run_properties = set(BOLD_RUN_PROPERTIES(parts.body))  # lxml keeps these proxies, so `in` works
        self.blocks: list[Block] = []
        self.table_count = 0

    def read(self) -> list[Block]:
        self._read_children(self.body)
        return self.blocks

    def _read_children(self, parent: etree._Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == W_P:
                self._read_paragraph(child)
            elif tag == W_TBL:
                self._read_table(child)
            elif tag in CONTAINERS:
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
        collected = ParagraphText()
        ppr = self._collect(paragraph, collected)
        style_element, num_pr, outline = (first_children(ppr, PARAGRAPH_PROPERTIES) if ppr is not None
                                          else (None, None, None))
        style = self.styles.facts(_val(style_element) or self.styles.default_paragraph)
        text = "".join(collected.parts)
        number, is_list = self._number(num_pr, style)  # counts even where the paragraph shows nothing
        if number is None and not text.strip():
            return None, collected.text_boxes
        kind, level = self._kind(outline, style, is_list)
        block = Block(text=join_number(number, text) if number else text, kind=kind, style=style.name,
                      level=level, number=number or None, bold=collected.bold(style.bold))
        return block, collected.text_boxes

    def _collect(self, element: etree._Element, collected: ParagraphText) -> etree._Element | None:
        """Adds the text of the element's runs; returns its first ``w:pPr`` (for a paragraph,
        its properties)."""
        ppr = None
        for child in element:
            tag = child.tag
            if tag == W_R:
                self._collect_run(child, collected)
            elif tag == W_P_PR:
                ppr = child if ppr is None else ppr
            elif tag in SKIPPED or not isinstance(tag, str):
                continue
            elif tag == TEXT_BOX:
                collected.text_boxes.append(child)
            elif len(child):  # hyperlinks, fields, content controls, insertions, smart tags ...
                self._collect(child, collected)
        return ppr

    def _collect_run(self, run: etree._Element, collected: ParagraphText) -> None:
        parts = collected.parts
        rpr = None
        visible = 0  # non-blank characters of the run's pieces
        for child in run:
            tag = child.tag
            if tag == W_T:
                text = child.text
                if text:
                    parts.append(text)
                    visible += len(text.strip())
            elif tag == W_R_PR:
                rpr = child if rpr is None else rpr
            elif tag in RUN_CHARACTERS:
                parts.append(RUN_CHARACTERS[tag])
                visible += RUN_CHARACTER_VISIBLE[tag]
            elif tag == W_BR:
                parts.append("" if child.get(W_TYPE) in PAGE_BREAKS else "\n")
            elif tag not in SKIPPED and isinstance(tag, str):  # drawings: their text boxes; ruby text
                before = len(parts)
                self._collect(child, collected)
                # what runs nested in this one add counts for this run too (as it always has)
                visible += sum(len(part.strip()) for part in parts[before:])
        if not visible:
            return
        collected.visible_chars += visible
        bold = self._run_bold(rpr)
        if bold is None:
            collected.style_bold_chars += visible
        elif bold:
            collected.bold_chars += visible

    def _run_bold(self, rpr: etree._Element | None) -> bool | None:
        """Whether the run is bold; None where that is up to the paragraph's style."""
        if rpr is None or rpr not in self.bold_run_properties:
            return None
        bold_element, run_style = first_children(rpr, RUN_PROPERTIES)
        if bold_element is not None:
            return is_on(bold_element)
        run_style_id = _val(run_style)
        return self.styles.facts(run_style_id).bold if run_style_id else None

    def _number(self, num_pr: etree._Element | None, style: StyleFacts) -> tuple[str | None, bool]:
        """Rendered list number of the paragraph and whether it is a list item at all."""
        if num_pr is not None:
            num_id_element, ilvl_element = first_children(num_pr, NUMBERING_PROPERTIES)
            num_id = _val(num_id_element) or style.num_id
            ilvl = int_val(ilvl_element)
        else:
            num_id, ilvl = style.num_id, None
        if not num_id or num_id == "0":
            return None, False
        if ilvl is None:
            ilvl = style.ilvl or 0
        number, is_bullet = self.numbering.next_number(num_id, ilvl)
        return number, number is not None or is_bullet

    def _kind(self, outline_element: etree._Element | None, style: StyleFacts,
              is_list: bool) -> tuple[str, int | None]:
        if style.named_kind is not None:
            return style.named_kind
        outline = int_val(outline_element)
        if outline is None:
            outline = style.outline_level
        if outline is not None and 0 <= outline < 9:
            return "heading", outline + 1
        if is_list or style.list_style:
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
        try:
            parts = open_word_parts(data)
        except Exception:  # anything but the plain case: docx.Document gives the result or error it always gave
            parts = python_docx_parts(data)
        return RawDocument(blocks=DocxBody(parts).read(), format=self.format)
