"""PDF: the text layer through PDFium (pypdfium2), re-flowed into paragraphs.

PDFium gives the page text with line breaks and, per character, a box, the font size
and weight. Per line only a few characters are measured (its ends, the characters
around spaces, one sample for font size and weight), which keeps the reader at well
over a hundred pages a second. Characters are kept as extracted (Kangxi radicals
included): NFKC is the normaliser's job. A PDF with no text layer at all (a scan) goes
to OCR (:mod:`.ocr`) when Tesseract is installed, and is ``no_text_layer`` otherwise. In a
partly scanned PDF only the scanned pages (images, next to no text) are OCR'd, in page
order among the others; without OCR the text pages are kept and a warning names the rest.
Pages are opened and closed one at a time, so a 2,000-page PDF is read in little memory.
"""
from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..config import DEFAULT_LIMITS, Limits
from ..errors import ErrorCode, PlanparseError
from . import ocr
from .base import RawDocument
from .cjk import CJK_CHARS, CJK_RANGES
from .pdf_layout import WIDE_GAP_EM, PdfLine, drop_page_furniture, reflow
from .pdf_tables import TableFinder

# PDFium ends lines with CRLF; a hyphen it found at a line end it marks with U+FFFE
# (0x02 from the raw API) and leaves out the line break after it.
HYPHEN_MARKERS = frozenset("\ufffe\x02")
LINE_END = re.compile("\r\n|[\r\n\ufffe\x02]")
WORD = re.compile(r"[^\s\ufffe\x02]+")
NON_SPACE = re.compile(r"\S")
BOLD_WEIGHT = 600
BOLD_NAME_PARTS = ("bold", "heavy", "black", "semibold", "demi")
FORCE_BOLD_FLAG = 1 << 18
FILL_STROKE_MODES = frozenset({2, 6})  # glyphs filled and stroked: "fake bold"
# Line-breaking rules of CJK typesetting (kinsoku): no line starts with the first set,
# none ends with the second. ASCII quotes are ambiguous, so they are in both.
NO_BREAK_BEFORE = frozenset("，。、；：？！）」』”’》〉】〕,.;:?!)%…·\"'")
NO_BREAK_AFTER = frozenset("（「『“‘《〈【〔(\"'")
# PDFium is not thread-safe: one document at a time per process (batches use processes).
PDFIUM_LOCK = threading.Lock()
PASSWORD_ERRORS = frozenset({pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY})
# A page with fewer text characters than this (a scanner's stamp, a page number) and images
# covering at least this share of it is a scanned page: it is OCR'd when OCR is installed.
SCAN_MAX_TEXT_CHARS = 20
SCAN_MIN_IMAGE_COVER = 0.5
SCAN_IMAGE_DEPTH = 3  # images inside form XObjects count too


def untyped(function):
    """The same PDFium function without ctypes' per-call argument conversion, which costs
    twice the call itself. Only for the per-character calls below, whose arguments are
    already what the C function takes (the text page handle, an int index, pointers from
    ``ctypes.byref``); the return type is kept."""
    bare = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    bare.restype = function.restype
    return bare


get_loose_char_box = untyped(pdfium_c.FPDFText_GetLooseCharBox)
get_char_origin = untyped(pdfium_c.FPDFText_GetCharOrigin)
get_font_size = untyped(pdfium_c.FPDFText_GetFontSize)
is_generated = untyped(pdfium_c.FPDFText_IsGenerated)
get_text_object = untyped(pdfium_c.FPDFText_GetTextObject)


class PageText:
    """Character geometry of one PDFium text page, each character measured at most once."""

    def __init__(self, textpage: pdfium.PdfTextPage, page_height: float) -> None:
        self.textpage = textpage  # keeps the PDFium handle alive while characters are measured
        self.handle = textpage.raw
        self.page_height = page_height
        count = textpage.count_chars()
        text = textpage.get_text_range() if count else ""
        if len(text) != count:  # surrogate pairs: fall back to one code point per character
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(self.handle, i) or 0x20) for i in range(count))
        self.text = text
        self._spans: dict[int, tuple[float, float]] = {}
        self._bold_fonts: dict[int, bool] = {}
        self._bold_objects: dict[int, bool] = {}
        self._rect = pdfium_c.FS_RECTF()
        self._rect_ref = ctypes.byref(self._rect)
        self._origin = (ctypes.c_double(), ctypes.c_double())
        self._origin_refs = tuple(ctypes.byref(value) for value in self._origin)

    def span(self, index: int) -> tuple[float, float]:
        """(left, right) of the character's advance box in PDF user space: the loose box,
        which is both what gaps are measured between and faster to get than the glyph box."""
        cached = self._spans.get(index)
        if cached is None:
            get_loose_char_box(self.handle, index, self._rect_ref)
            rect = self._rect
            cached = self._spans[index] = (rect.left, rect.right)
        return cached

    def gap(self, left: int, right: int) -> float:
        """Width of the blank between characters ``left`` and ``right`` (their advance
        boxes), measured without the cache: each word boundary is measured once."""
        get_loose_char_box(self.handle, right, self._rect_ref)
        right_start = self._rect.left
        get_loose_char_box(self.handle, left, self._rect_ref)
        return right_start - self._rect.right

    def origin_y(self, index: int) -> float:
        """The character's baseline in PDF user space (from the bottom of the page)."""
        get_char_origin(self.handle, index, *self._origin_refs)
        return self._origin[1].value

    def baseline(self, index: int) -> float:
        """Distance of the character's baseline from the top of the page."""
        return self.page_height - self.origin_y(index)

    def char_at(self, x: float, y: float, x_tolerance: float, y_tolerance: float) -> int:
        """Index of a character drawn near (x, y) in PDF user space, or a negative number."""
        return pdfium_c.FPDFText_GetCharIndexAtPos(self.handle, x, y, max(x_tolerance, 0.0), y_tolerance)

    def font_size(self, index: int) -> float:
        return float(get_font_size(self.handle, index))

    def is_generated(self, index: int) -> bool:
        return is_generated(self.handle, index) == 1

    def is_bold(self, index: int) -> bool:
        """Bold weight, a bold font name or flag, or fake bold (glyphs filled and stroked).
        The characters sampled on a line mostly belong to one text object, and fonts are
        few on a page: the answer is kept per text object and per font."""
        text_object = get_text_object(self.handle, index)
        if not text_object:
            return False
        key = ctypes.addressof(text_object.contents)  # stable while the page is open
        bold = self._bold_objects.get(key)
        if bold is None:
            bold = self._bold_objects[key] = self._text_object_is_bold(text_object)
        return bold

    def _text_object_is_bold(self, text_object) -> bool:
        if pdfium_c.FPDFTextObj_GetTextRenderMode(text_object) in FILL_STROKE_MODES:
            return True
        font = pdfium_c.FPDFTextObj_GetFont(text_object)
        if not font:
            return False
        key = ctypes.addressof(font.contents)
        if key not in self._bold_fonts:
            self._bold_fonts[key] = font_is_bold(font)
        return self._bold_fonts[key]


def font_is_bold(font) -> bool:
    if pdfium_c.FPDFFont_GetWeight(font) >= BOLD_WEIGHT or pdfium_c.FPDFFont_GetFlags(font) & FORCE_BOLD_FLAG:
        return True
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    name = ctypes.create_string_buffer(max(size, 1))
    pdfium_c.FPDFFont_GetBaseFontName(font, name, size)
    return any(part in name.value.decode("latin-1").lower() for part in BOLD_NAME_PARTS)


def line_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, ends_with_hyphen) of each line of PDFium's page text."""
    spans = []
    start = 0
    for match in LINE_END.finditer(text):
        spans.append((start, match.start(), match.group() in HYPHEN_MARKERS))
        start = match.end()
    spans.append((start, len(text), False))
    return spans


@dataclass(slots=True)
class Piece:
    """A line, or the part of one between wide gaps: runs of non-space characters
    (page-text index ranges) and whether a space is kept before each run."""

    runs: list[tuple[int, int]]
    spaced: list[bool]

    def text(self, page_text: str) -> str:
        if len(self.runs) == 1:  # the first run never has a space before it
            start, end = self.runs[0]
            return page_text[start:end]
        return "".join([" " + page_text[s:e] if spaced else page_text[s:e]
                        for (s, e), spaced in zip(self.runs, self.spaced)])

    def index_at(self, position: int) -> int:
        """Page-text index of the character at ``position`` of :meth:`text`."""
        for (start, end), spaced in zip(self.runs, self.spaced):
            position -= spaced
            if position < end - start:
                return start + max(position, 0)
            position -= end - start
        return self.runs[-1][1] - 1


def gap_is_empty(page: PageText, left: int, right: int) -> bool:
    """No character is drawn inside the gap between ``left`` and ``right``: PDFium
    sometimes lists a character (a dash, a superscript) after the text it sits between."""
    gap_left, gap_right = page.span(left)[1], page.span(right)[0]
    found = page.char_at((gap_left + gap_right) / 2, page.origin_y(left) + 0.3 * page.font_size(left),
                         (gap_right - gap_left) / 2 - 1.0, 0.3 * page.font_size(left))
    return found < 0 or page.text[found].isspace()


def split_line(page: PageText, start: int, end: int) -> list[Piece]:
    """Split a line at wide gaps; drop the spaces PDFium invented next to CJK characters."""
    text = page.text
    pieces: list[Piece] = []
    runs: list[tuple[int, int]] = []  # of the last piece
    spaced: list[bool] = []
    previous_end = None
    wide_gap = 0.0
    for match in WORD.finditer(text, start, end):
        run_start, run_end = match.span()
        if previous_end is None:
            wide_gap = WIDE_GAP_EM * (page.font_size(run_start) or 10.0)
        else:
            left = previous_end - 1
            if not (page.gap(left, run_start) >= wide_gap and gap_is_empty(page, left, run_start)):
                invented = (text[left] in CJK_CHARS or text[run_start] in CJK_CHARS) and any(
                    page.is_generated(i) for i in range(previous_end, run_start))
                runs.append((run_start, run_end))
                spaced.append(not invented)
                previous_end = run_end
                continue
        runs, spaced = [(run_start, run_end)], [False]  # the line's first piece, or one after a wide gap
        pieces.append(Piece(runs, spaced))
        previous_end = run_end
    return pieces


def char_class(chars: Iterable[str]) -> str:
    return "".join(re.escape(char) for char in sorted(chars))


# Where a line may break after a character: before a space, or between characters one of
# which is CJK unless kinsoku forbids it. One regex search instead of a loop over characters.
BREAK_AFTER = re.compile(
    "(?s:.)(?= )"  # the next character is a space
    f"|(?![{char_class(NO_BREAK_AFTER)}])[{CJK_RANGES}](?=[^{char_class(NO_BREAK_BEFORE)}])"  # a CJK character
    f"|(?![{char_class(NO_BREAK_AFTER)}])(?s:.)(?=(?![{char_class(NO_BREAK_BEFORE)}])[{CJK_RANGES}])"  # before one
)


def first_word_end(text: str) -> int:
    """Index of the last character of the line's first unbreakable unit: up to the first
    space in Latin text; in CJK text one character plus the punctuation that may not be
    separated from it (a line may not start with "，" or end with "（")."""
    found = BREAK_AFTER.search(text)
    return found.start() if found else len(text) - 1


def piece_line(page: PageText, piece: Piece, page_number: int, after_gap: bool) -> PdfLine:
    line_text = piece.text(page.text)
    first, last = piece.runs[0][0], piece.runs[-1][1] - 1
    middle = piece.index_at(len(line_text) // 2)
    x0 = page.span(first)[0]
    return PdfLine(
        text=line_text,
        page=page_number,
        x0=x0,
        x1=page.span(last)[1],
        baseline=page.baseline(first),
        font_size=page.font_size(middle),
        bold_share=(page.is_bold(first) + page.is_bold(middle) + page.is_bold(last)) / 3,
        page_height=page.page_height,
        first_word_width=page.span(piece.index_at(first_word_end(line_text)))[1] - x0,
        after_gap=after_gap,
    )


def page_lines(page: PageText, page_number: int) -> list[PdfLine]:
    lines = []
    for start, end, hyphen in line_spans(page.text):
        pieces = split_line(page, start, end)
        for position, piece in enumerate(pieces):
            line = piece_line(page, piece, page_number, after_gap=position > 0)
            if hyphen and position == len(pieces) - 1:
                line.text += "-"
            lines.append(line)
    return lines


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if err.err_code in PASSWORD_ERRORS:
            raise PlanparseError(ErrorCode.ENCRYPTED,
                                 "this PDF is password-protected; open it with its password and save an unprotected copy") from None
        raise PlanparseError(ErrorCode.CORRUPT,
                             "this PDF is damaged or truncated and cannot be opened (PDFium: "
                             f"{str(err).rsplit('PDFium:', 1)[-1].strip(' ).')})") from None


@dataclass
class TextLayer:
    """What the text layer of a PDF gave: its lines in page order, and the pages that are
    images (scans) with at most a scanner's stamp of text, to be OCR'd if OCR is installed."""

    page_count: int
    pages_read: int
    lines: list[PdfLine]
    scanned: list[int]  # 1-based page numbers
    warnings: list[str]


def image_cover(page: pdfium.PdfPage) -> float:
    """Share of the page covered by images (a scan may be one image or a stack of strips)."""
    left, bottom, right, top = page.get_bbox()
    page_area = max((right - left) * (top - bottom), 1.0)
    covered = 0.0
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=SCAN_IMAGE_DEPTH):
        x0, y0, x1, y1 = image.get_bounds()
        covered += max(0.0, min(x1, right) - max(x0, left)) * max(0.0, min(y1, top) - max(y0, bottom))
    return min(1.0, covered / page_area)


def has_few_characters(text: str, limit: int = SCAN_MAX_TEXT_CHARS) -> bool:
    """Fewer than ``limit`` non-space characters; counting stops at the limit (a text page
    holds thousands)."""
    return len(list(islice(NON_SPACE.finditer(text), limit))) < limit


def is_scanned(page: pdfium.PdfPage, text: str) -> bool:
    return has_few_characters(text) and image_cover(page) >= SCAN_MIN_IMAGE_COVER


class PdfReader:
    format = "pdf"

    def read(self, data: bytes, path: Path | None = None, limits: Limits | None = None) -> RawDocument:
        limits = limits or DEFAULT_LIMITS
        with PDFIUM_LOCK:
            layer = self._read(data, limits)
        if not any(line.text.strip() for line in layer.lines):
            # No text layer at all: a scan. OCR renders pages under the lock and runs Tesseract outside it.
            return ocr.ocr_pdf(data, layer.page_count, limits, PDFIUM_LOCK)
        if not layer.scanned:
            return self._document(layer.lines, layer, layer.warnings, used_ocr=False)
        return self._with_scanned_pages(data, layer, limits)

    def _with_scanned_pages(self, data: bytes, layer: TextLayer, limits: Limits) -> RawDocument:
        """Text pages from the text layer, scanned pages from OCR, in page order; without OCR
        the text pages alone, with a warning naming the pages that could not be read."""
        many = len(layer.scanned) > 1
        pages = f"{'pages' if many else 'page'} {ocr.page_ranges(layer.scanned)}"
        reason = ocr.ocr_unavailable()
        if reason:
            warning = (f"{pages} of {layer.page_count} {'are' if many else 'is'} scanned (no text layer) and "
                       f"{'were' if many else 'was'} not read: OCR is needed, but {reason}. "
                       f"To read {'them' if many else 'it'}, {ocr.INSTALL_HINT}")
            return self._document(layer.lines, layer, [warning, *layer.warnings], used_ocr=False)
        read = ocr.ocr_pdf_pages(data, layer.scanned, ocr.Budget.for_limits(limits), PDFIUM_LOCK, stop_at_timeout=True)
        ocr_lines = ocr.snap_sizes([line for page in read.lines.values() for line in page])
        ocr_pages = sorted(read.lines)
        # what the text layer had on a page read by OCR (a scanner's stamp) is in the OCR text too
        lines = sorted([line for line in layer.lines if line.page not in read.lines] + ocr_lines,
                       key=lambda line: line.page)  # stable: each page keeps its own line order
        if ocr_pages:
            done = f"{'pages' if len(ocr_pages) > 1 else 'page'} {ocr.page_ranges(ocr_pages)}"
            warnings = [ocr.OCR_WARNING.format(what=f"{done} (scanned, no text layer)")]
        else:
            warnings = [f"{pages} {'are' if many else 'is'} scanned but OCR read none of {'them' if many else 'it'}"]
        warnings += [*read.warnings, *layer.warnings]
        return self._document(lines, layer, warnings, used_ocr=bool(ocr_pages))

    def _document(self, lines: list[PdfLine], layer: TextLayer, warnings: list[str], used_ocr: bool) -> RawDocument:
        lines, dropped = drop_page_furniture(lines, layer.pages_read)
        if dropped:
            warnings.append(f"dropped {dropped} page header/footer/page-number lines")
        return RawDocument(blocks=reflow(lines, TableFinder()), format=self.format, pages=layer.page_count, ocr=used_ocr,
                           warnings=warnings)

    def _read(self, data: bytes, limits: Limits) -> TextLayer:
        """The text layer, page by page: each page is closed before the next is opened."""
        document = open_pdf(data)
        warnings: list[str] = []
        lines: list[PdfLine] = []
        scanned: list[int] = []
        try:
            page_count = len(document)
            if page_count == 0:
                raise PlanparseError(ErrorCode.CORRUPT, "this PDF has no pages")
            if page_count > limits.max_pages:
                warnings.append(f"only the first {limits.max_pages} of {page_count} pages were read (limit max_pages)")
            for page_index in range(min(page_count, limits.max_pages)):
                try:
                    page_lines_read, page_is_scanned = self._page_lines(document, page_index)
                except pdfium.PdfiumError:  # one damaged page does not lose the others
                    warnings.append(f"page {page_index + 1} is damaged and was skipped")
                    continue
                lines.extend(page_lines_read)
                if page_is_scanned:
                    scanned.append(page_index + 1)
        finally:
            document.close()
        return TextLayer(page_count, min(page_count, limits.max_pages), lines, scanned, warnings)

    @staticmethod
    def _page_lines(document: pdfium.PdfDocument, page_index: int) -> tuple[list[PdfLine], bool]:
        """The page's text lines, and whether the page is a scan."""
        page = document[page_index]
        try:
            textpage = page.get_textpage()
            try:
                text = PageText(textpage, page.get_height())
                return page_lines(text, page_index + 1), is_scanned(page, text.text)
            finally:
                textpage.close()
        finally:
            page.close()
