"""Scans: image-only PDFs and images (.png .jpg .tif) read by Tesseract OCR (``chi_sim+eng``).

Needs the ``ocr`` extra (pytesseract, Pillow) and the ``tesseract`` program with the
``chi_sim`` and ``eng`` language data; without them a scan stays ``no_text_layer`` and
the message says what to install. PDF pages are rendered by PDFium at 300 dpi. Tesseract
gives words with boxes grouped into lines; the lines become :class:`PdfLine` objects in
points, so page furniture is dropped and paragraphs are re-flowed exactly as for a PDF's
text layer. OCR has a time budget (90% of the per-file ``timeout_s``, as the LibreOffice
conversion has), so it stops itself — and Tesseract — before the batch's limit runs out.
"""
from __future__ import annotations

import io
import os
import re
import statistics
import threading
import time
import warnings as python_warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import DEFAULT_LIMITS, Limits
from ..errors import ErrorCode, PlanparseError
from .base import RawDocument
from .cjk import is_cjk
from .pdf_layout import WIDE_GAP_EM, PdfLine, drop_page_furniture, reflow

LANGUAGES = ("chi_sim", "eng")
OCR_LANG = "+".join(LANGUAGES)
RENDER_DPI = 300
RENDER_SCALE = RENDER_DPI / 72  # PDFium renders at 72 dpi per unit of scale
DEFAULT_IMAGE_DPI = 300  # an image that does not say its resolution (phone photos, screenshots)
# Tesseract: automatic page segmentation (columns, blocks) without orientation detection.
TESSERACT_CONFIG = "--psm 3"
# An image larger than this (a 600 dpi A3 scan is 70 Mpx) is refused before it is decoded.
MAX_PIXELS = 100_000_000
# OCR must stop itself before the per-file limit of the batch kills the worker.
TIME_SHARE = 0.9
MIN_BUDGET_S = 5.0
# Quote marks Tesseract is this unsure of (0-100) are specks in the blank of an indent. Other
# words are kept however unsure: a heading's "二、" can come with confidence 0.
MIN_QUOTE_CONFIDENCE = 50
IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
STRAY_MARKS = frozenset("\"'“”‘’`´")
# Line heights within this share of the body's are the body size (OCR boxes jitter).
SIZE_SNAP = 0.25
INSTALL_HINT = ("install the `ocr` extra (pip install 'planparse[ocr]') and Tesseract with Chinese data "
                "(Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
OCR_WARNING = ("the text came from OCR (Tesseract, chi_sim+eng) of {what}, not from a text layer: "
               "characters may be misread")

_availability: dict[str, str | None] = {}
_availability_lock = threading.Lock()


def ocr_unavailable() -> str | None:
    """Why OCR cannot run here (for the user), or None when it can. Checked once per process."""
    with _availability_lock:
        if "reason" not in _availability:
            _availability["reason"] = _check_ocr()
        return _availability["reason"]


def _check_ocr() -> str | None:
    try:
        import PIL  # noqa: F401
        import pytesseract
    except ImportError as err:
        return f"the Python package {err.name or 'pytesseract'} is not installed"
    try:
        languages = set(pytesseract.get_languages(config=""))
    except Exception:  # TesseractNotFoundError, or a tesseract that cannot run
        return "the tesseract program is not installed (or not on PATH)"
    missing = [language for language in LANGUAGES if language not in languages]
    if missing:
        return f"Tesseract has no {' or '.join(missing)} language data"
    return None


def missing_ocr_message(what: str, reason: str) -> str:
    return (f"{what} has no text layer: it is scanned or image-only, so OCR is needed to read it, "
            f"but {reason}. To read it, {INSTALL_HINT}")


@dataclass
class Budget:
    """The time OCR may still take."""

    total_s: float
    started: float

    @classmethod
    def for_limits(cls, limits: Limits) -> Budget:
        if limits.timeout_s <= 0:  # no per-file limit
            return cls(float("inf"), time.monotonic())
        return cls(max(MIN_BUDGET_S, TIME_SHARE * limits.timeout_s), time.monotonic())

    def remaining(self) -> float:
        return self.total_s - (time.monotonic() - self.started)


def timed_out(budget: Budget, done: int, total: int) -> PlanparseError:
    return PlanparseError(
        ErrorCode.TIMEOUT,
        f"OCR did not finish within {budget.total_s:g} s ({done} of {total} page(s) read; Tesseract "
        "takes a few seconds a page); raise the per-file time limit to read this scan")


# one page ---------------------------------------------------------------------------------


def join_words(words: list[str]) -> str:
    """Tesseract mostly makes each CJK character a "word" of its own: CJK text runs on,
    Latin words keep one space."""
    text = ""
    for word in words:
        if text and not (is_cjk(text[-1]) or is_cjk(word[0])):
            text += " "
        text += word
    return text


def limit_tesseract_threads() -> None:
    """Tesseract's OpenMP threads fight each other (and parallel workers) for cores: one
    thread per process reads a page two to three times faster here. pytesseract passes
    the process environment to Tesseract, so the limit is set there, unless the user set it."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def ocr_page_lines(image, page: int, points_per_pixel: float, budget: Budget, done: int, total: int,
                   dpi: int | None = None) -> list[PdfLine]:
    """The text lines Tesseract reads on one page image, in points from the page's top left."""
    import pytesseract

    limit_tesseract_threads()
    remaining = budget.remaining()
    if remaining <= 0:
        raise timed_out(budget, done, total)
    config = TESSERACT_CONFIG + (f" --dpi {dpi}" if dpi else "")
    try:
        data = pytesseract.image_to_data(image, lang=OCR_LANG, config=config,
                                         timeout=remaining if remaining != float("inf") else 0,
                                         output_type=pytesseract.Output.DICT)
    except RuntimeError as err:
        if "timeout" in str(err).lower():
            raise timed_out(budget, done, total) from None
        raise PlanparseError(ErrorCode.CORRUPT, f"Tesseract could not read page {page}: {err}") from None
    except pytesseract.TesseractError as err:
        raise PlanparseError(ErrorCode.CORRUPT, f"Tesseract could not read page {page}: {err.message}".strip()) from None
    return tesseract_lines(data, page, image.height * points_per_pixel, points_per_pixel)


def is_stray_mark(text: str, confidence: float) -> bool:
    return confidence < MIN_QUOTE_CONFIDENCE and all(char in STRAY_MARKS for char in text)


def em_height(data: dict[str, list], words: list[int]) -> float:
    """About one em of the line, in pixels. Ideographs fill their em square, but Tesseract
    often merges one with the punctuation beside it into a taller box: the lower quartile
    of the ideographs' heights. Latin text: the median word height. (The line's own box
    grows with every bracket or quote mark reaching above the line.)"""
    ideographs = sorted(data["height"][i] for i in words if any(IDEOGRAPH.match(c) for c in data["text"][i]))
    if ideographs:
        return ideographs[len(ideographs) // 4]
    return statistics.median(data["height"][i] for i in words)


def tesseract_lines(data: dict[str, list], page: int, page_height: float, points_per_pixel: float) -> list[PdfLine]:
    """Group Tesseract's words (``image_to_data`` as a dict) into lines, and split a line
    at wide gaps (flattened indents between paragraphs), as the PDF reader does."""
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for index, level in enumerate(data["level"]):
        key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        if level == 5:
            text = (data["text"][index] or "").strip()
            if text and not is_stray_mark(text, float(data["conf"][index])):
                grouped.setdefault(key, []).append(index)
    lines: list[PdfLine] = []
    previous_block = None
    for (block, _, _), words in grouped.items():
        height = em_height(data, words)
        pieces: list[list[int]] = [[words[0]]]
        for before, word in zip(words, words[1:]):
            gap = data["left"][word] - (data["left"][before] + data["width"][before])
            if gap >= WIDE_GAP_EM * height:
                pieces.append([word])
            else:
                pieces[-1].append(word)
        for position, piece in enumerate(pieces):
            first = piece[0]
            lines.append(PdfLine(
                text=join_words([data["text"][i].strip() for i in piece]),
                page=page,
                x0=data["left"][first] * points_per_pixel,
                x1=max(data["left"][i] + data["width"][i] for i in piece) * points_per_pixel,
                baseline=max(data["top"][i] + data["height"][i] for i in piece) * points_per_pixel,
                font_size=max(1.0, height * points_per_pixel),
                bold_share=0.0,  # OCR says nothing of weight
                page_height=page_height,
                first_word_width=data["width"][first] * points_per_pixel,
                # after a wide gap, or in a new Tesseract block (a column, a box): a new paragraph
                after_gap=position > 0 or (previous_block is not None and block != previous_block),
            ))
        previous_block = block
    return lines


def snap_sizes(lines: list[PdfLine]) -> list[PdfLine]:
    """OCR line heights jitter by a few points: heights near the body's become the body's,
    so only real size changes (titles, headings) start paragraphs."""
    sized = [line.font_size for line in lines if len(line.text) >= 5] or [line.font_size for line in lines]
    if not sized:
        return lines
    body = statistics.median(sized)
    return [replace(line, font_size=body) if abs(line.font_size - body) <= SIZE_SNAP * body else line
            for line in lines]


def lines_to_document(lines: list[PdfLine], pages_read: int, page_count: int, fmt: str, what: str,
                      warnings: list[str]) -> RawDocument:
    warnings = [OCR_WARNING.format(what=what), *warnings]
    lines, dropped = drop_page_furniture(lines, pages_read)
    if dropped:
        warnings.append(f"dropped {dropped} page header/footer/page-number lines")
    blocks = reflow(snap_sizes(lines))
    if not blocks:
        warnings.append("OCR found no text on the page images")
    return RawDocument(blocks=blocks, format=fmt, pages=page_count, ocr=True, warnings=warnings)


# PDFs -------------------------------------------------------------------------------------


def ocr_pdf(data: bytes, page_count: int, limits: Limits, lock: threading.Lock) -> RawDocument:
    """OCR of a PDF without a text layer; PDFium is used under ``lock`` (rendering only),
    Tesseract runs outside it."""
    reason = ocr_unavailable()
    if reason:
        raise PlanparseError(ErrorCode.NO_TEXT_LAYER, missing_ocr_message("this PDF", reason))
    pages = min(page_count, limits.max_pages)
    warnings: list[str] = []
    if page_count > pages:
        warnings.append(f"only the first {pages} of {page_count} pages were read (limit max_pages)")
    read = ocr_pdf_pages(data, list(range(1, pages + 1)), Budget.for_limits(limits), lock)
    lines = [line for page in read.lines.values() for line in page]
    return lines_to_document(lines, pages, page_count, "pdf", "the scanned pages", warnings + read.warnings)


@dataclass
class PagesRead:
    """OCR lines of the pages read (page number -> lines, in page order) and what went wrong."""

    lines: dict[int, list[PdfLine]]
    warnings: list[str]


def ocr_pdf_pages(data: bytes, page_numbers: list[int], budget: Budget, lock: threading.Lock,
                  stop_at_timeout: bool = False) -> PagesRead:
    """OCR of the given pages (1-based) of a PDF. When the budget runs out this raises
    ``timeout``, or with ``stop_at_timeout`` keeps the pages read so far and says which were not."""
    import pypdfium2 as pdfium

    read = PagesRead({}, [])
    with lock:
        document = pdfium.PdfDocument(data)
    try:
        for done, number in enumerate(page_numbers):
            with lock:
                rendered = render_page(document, number - 1)
            if rendered is None:
                read.warnings.append(f"page {number} is damaged and was skipped")
                continue
            image, scale = rendered
            try:
                page_lines = ocr_page_lines(image, number, 1 / scale, budget, done, len(page_numbers), round(72 * scale))
            except PlanparseError as error:
                if not (stop_at_timeout and error.code is ErrorCode.TIMEOUT):
                    raise
                read.warnings.append(f"OCR stopped at its time limit ({budget.total_s:g} s): page(s) "
                                     f"{page_ranges(page_numbers[done:])} were not read; raise the per-file time limit")
                break
            read.lines[number] = page_lines
    finally:
        with lock:
            document.close()
    return read


def page_ranges(numbers: list[int]) -> str:
    """1-based page numbers as people write them: "2-4, 7"."""
    ranges: list[list[int]] = []
    for number in sorted(numbers):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def render_scale(width: float, height: float) -> float:
    """300 dpi, less for a page so large that 300 dpi would exceed MAX_PIXELS (a hostile
    200-inch MediaBox would otherwise be a multi-gigabyte bitmap)."""
    area = max(width, 1.0) * max(height, 1.0)
    return min(RENDER_SCALE, (MAX_PIXELS / area) ** 0.5)


def render_page(document, index: int):
    """(page ``index`` as a grayscale PIL image, the scale it was rendered at), or None when
    PDFium cannot draw it."""
    import pypdfium2 as pdfium

    try:
        page = document[index]
    except pdfium.PdfiumError:
        return None
    try:
        scale = render_scale(*page.get_size())
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            return bitmap.to_pil().copy(), scale
        finally:
            bitmap.close()
    except pdfium.PdfiumError:
        return None
    finally:
        page.close()


# images -----------------------------------------------------------------------------------


def image_frames(data: bytes, max_frames: int) -> tuple[Iterator, int, int | None]:
    """(frames as grayscale images, frame count, dpi) of an image file; a multi-page TIFF has several."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    try:
        with python_warnings.catch_warnings():  # the size is checked below, with planparse's own limit
            python_warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as err:
        raise PlanparseError(ErrorCode.TOO_LARGE, f"refused: {err}") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
        raise PlanparseError(ErrorCode.CORRUPT, f"this image is damaged or not an image Pillow can read ({err})") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise PlanparseError(ErrorCode.TOO_LARGE,
                             f"the image has {width}x{height} pixels, more than the limit of {MAX_PIXELS:,} for OCR")
    count = getattr(image, "n_frames", 1) or 1
    dpi = image.info.get("dpi")
    try:
        resolution = int(round(float(dpi[0]))) if dpi else None
    except (TypeError, ValueError, IndexError):
        resolution = None
    if resolution is not None and not 70 <= resolution <= 2400:
        resolution = None  # "1 dpi" and other nonsense some writers store

    def frames() -> Iterator:
        for number, frame in enumerate(ImageSequence.Iterator(image)):
            if number >= max_frames:
                return
            if frame.width * frame.height > MAX_PIXELS:
                raise PlanparseError(ErrorCode.TOO_LARGE, f"page {number + 1} of the image has {frame.width}x"
                                     f"{frame.height} pixels, more than the limit of {MAX_PIXELS:,} for OCR")
            try:
                frame = ImageOps.exif_transpose(frame)  # phone photos are stored sideways
                if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
                    background = Image.new("RGBA", frame.size, "white")
                    frame = Image.alpha_composite(background, frame.convert("RGBA"))
                yield frame.convert("L")
            except (OSError, ValueError, SyntaxError) as err:
                raise PlanparseError(ErrorCode.CORRUPT, f"this image is damaged: {err}") from None

    return frames(), count, resolution


FORMAT_LABELS = {"png": "PNG image", "jpeg": "JPEG image", "tiff": "TIFF image"}


class ImageReader:
    """PNG, JPEG and TIFF images: OCR or ``no_text_layer``."""

    def __init__(self, fmt: str) -> None:
        self.format = fmt

    def read(self, data: bytes, path: Path | None = None, limits: Limits | None = None) -> RawDocument:
        limits = limits or DEFAULT_LIMITS
        label = FORMAT_LABELS.get(self.format, "image")
        reason = ocr_unavailable()
        if reason:
            raise PlanparseError(ErrorCode.NO_TEXT_LAYER, missing_ocr_message(f"this {label}", reason))
        frames, count, dpi = image_frames(data, limits.max_pages)
        pages = min(count, limits.max_pages)
        warnings = [f"only the first {pages} of {count} pages were read (limit max_pages)"] if count > pages else []
        budget = Budget.for_limits(limits)
        points_per_pixel = 72 / (dpi or DEFAULT_IMAGE_DPI)
        lines: list[PdfLine] = []
        for index, frame in enumerate(frames):
            lines.extend(ocr_page_lines(frame, index + 1, points_per_pixel, budget, index, pages, dpi))
        return lines_to_document(lines, pages, count, self.format, f"the {label}", warnings)

