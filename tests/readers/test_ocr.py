"""Scans: image-only PDFs and images through Tesseract OCR, or ``no_text_layer`` without it.

The tests that run Tesseract skip cleanly when pytesseract, the tesseract program or its
chi_sim data is missing; they OCR two pages in all (Tesseract takes seconds a page).
"""
from __future__ import annotations

import io
import sys
import unicodedata

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.api import _run
from planparse.config import Limits
from planparse.errors import ErrorCode, PlanparseError
from planparse.readers import detect_format, ocr, read_bytes, read_file
from planparse.records import SourceInfo

SEED_PDF = "003_60dac51a79ab8bbf.pdf"
MIN_CHARACTER_ACCURACY = 0.85
INSTALL_WORDS = ("pip install 'planparse[ocr]'", "apt-get install tesseract-ocr tesseract-ocr-chi-sim")


def needs_ocr() -> None:
    reason = ocr.ocr_unavailable()
    if reason:
        pytest.skip(f"OCR unavailable: {reason}")


def cjk_characters(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKC", text) if "\u4e00" <= char <= "\u9fff")


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def character_accuracy(reference: str, ocr_text: str) -> float:
    """1 - normalised Levenshtein distance over the CJK characters (NFKC) of both texts."""
    a, b = cjk_characters(reference), cjk_characters(ocr_text)
    return 1 - levenshtein(a, b) / max(len(a), len(b), 1)


def rendered_page(path, index: int = 0, dpi: int = 300):
    """(page image, the page's own text layer)."""
    document = pdfium.PdfDocument(path)
    try:
        page = document[index]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        textpage.close()
        page.close()
        return image, text
    finally:
        document.close()


def image_only_pdf(image, dpi: int = 300) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=dpi)
    return buffer.getvalue()


def image_bytes(image, fmt: str, dpi: int = 300) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, dpi=(dpi, dpi))
    return buffer.getvalue()


# without OCR: what to install -----------------------------------------------------------


@pytest.fixture
def no_ocr(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_unavailable", lambda: "the tesseract program is not installed (or not on PATH)")


def small_page_image():
    from PIL import Image, ImageDraw

    image = Image.new("L", (400, 120), "white")
    ImageDraw.Draw(image).text((10, 40), "Work plan 2024", fill="black")
    return image


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "scan.png"), ("JPEG", "photo.jpg"), ("TIFF", "scan.tif")])
def test_image_without_ocr_is_no_text_layer_naming_what_to_install(no_ocr, fmt, name):
    data = image_bytes(small_page_image(), fmt)
    with pytest.raises(PlanparseError) as caught:
        read_bytes(data, name)
    assert caught.value.code is ErrorCode.NO_TEXT_LAYER
    assert all(words in caught.value.message for words in INSTALL_WORDS)
    assert "tesseract program is not installed" in caught.value.message


def test_image_only_pdf_without_ocr_is_no_text_layer(no_ocr):
    with pytest.raises(PlanparseError) as caught:
        read_bytes(image_only_pdf(small_page_image()), "scan.pdf")
    assert caught.value.code is ErrorCode.NO_TEXT_LAYER
    assert "scanned" in caught.value.message and all(words in caught.value.message for words in INSTALL_WORDS)


def test_images_are_sniffed_by_content():
    image = small_page_image()
    assert detect_format(image_bytes(image, "PNG"), "x.png") == "png"
    assert detect_format(image_bytes(image, "JPEG"), "x.jpeg") == "jpeg"
    assert detect_format(image_bytes(image, "TIFF"), "x.tiff") == "tiff"
    assert detect_format(image_bytes(image, "PNG"), "x.txt") == "png"  # content wins over the name


def test_ocr_check_names_the_missing_python_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "pytesseract", None)  # import fails
    assert "pytesseract is not installed" in ocr._check_ocr()


def test_ocr_check_names_the_missing_program(monkeypatch):
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    assert "tesseract program is not installed" in ocr._check_ocr()


def test_ocr_check_names_missing_chinese_data(monkeypatch):
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(pytesseract, "get_languages", lambda config="": ["eng", "osd"])
    assert "no chi_sim language data" in ocr._check_ocr()


def test_corrupt_image_is_corrupt(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_unavailable", lambda: None)
    data = image_bytes(small_page_image(), "PNG")
    with pytest.raises(PlanparseError) as caught:
        read_bytes(data[:60], "cut.png")
    assert caught.value.code is ErrorCode.CORRUPT


def test_huge_image_is_refused_before_decoding(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(ocr, "ocr_unavailable", lambda: None)
    data = image_bytes(Image.new("1", (12000, 9000), 1), "PNG")  # 108 Mpx, a few kB compressed
    with pytest.raises(PlanparseError) as caught:
        read_bytes(data, "bomb.png")
    assert caught.value.code is ErrorCode.TOO_LARGE


# words to lines, without Tesseract ---------------------------------------------------------


def tesseract_data(words: list[tuple[int, int, str, int, int, int, int, float]]) -> dict[str, list]:
    """image_to_data's dict for (block, line, text, left, top, width, height, conf) words."""
    keys = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
            "left", "top", "width", "height", "conf", "text")
    data: dict[str, list] = {key: [] for key in keys}
    for number, (block, line, text, left, top, width, height, conf) in enumerate(words):
        for key, value in zip(keys, (5, 1, block, 1, line, number, left, top, width, height, conf, text)):
            data[key].append(value)
    return data


def test_words_join_into_lines_and_split_at_wide_gaps():
    em = 40
    data = tesseract_data([
        (1, 1, "一", 100, 100, em, em, 90), (1, 1, "、", 140, 100, em, em, 90),
        (1, 1, "指导", 180, 100, 2 * em, em, 90), (1, 1, "思想", 260, 100, 2 * em, em, 90),
        # two ems of blank, then the next paragraph on the same line
        (1, 1, "以", 420, 100, em, em, 90), (1, 1, "”", 470, 100, 10, em, 12),  # a speck read as a quote
        (1, 1, "Work", 500, 100, 3 * em, em, 90), (1, 1, "plan", 640, 100, 3 * em, em, 90),
        (2, 1, "二", 100, 200, em, em, 0),  # a heading token Tesseract is unsure of is kept
    ])
    lines = ocr.tesseract_lines(data, page=1, page_height=842, points_per_pixel=72 / 300)
    assert [line.text for line in lines] == ["一、指导思想", "以Work plan", "二"]
    assert [line.after_gap for line in lines] == [False, True, True]
    assert lines[0].font_size == pytest.approx(em * 72 / 300)


def test_ocr_timeout_is_timeout(monkeypatch):
    needs_ocr()
    monkeypatch.setattr(ocr, "MIN_BUDGET_S", 0.0)
    image = small_page_image().resize((2400, 720))
    with pytest.raises(PlanparseError) as caught:
        read_bytes(image_bytes(image, "PNG"), "slow.png", Limits(timeout_s=0.05))
    assert caught.value.code is ErrorCode.TIMEOUT
    assert "OCR did not finish" in caught.value.message


# with OCR ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_scan(made):
    """Page 1 of a real PDF rendered to a 300 dpi image and saved as an image-only PDF."""
    needs_ocr()
    image, original_text = rendered_page(made / SEED_PDF)
    data = image_only_pdf(image)
    return image, original_text, data, read_bytes(data, "scan.pdf")


def test_image_only_pdf_is_read_by_ocr(seed_scan):
    _, original_text, _, document = seed_scan
    assert document.format == "pdf" and document.ocr is True and document.pages == 1
    assert any("OCR" in warning for warning in document.warnings)
    text = "\n".join(block.text for block in document.blocks)
    accuracy = character_accuracy(original_text, text)
    print(f"\nOCR character accuracy on {SEED_PDF} page 1: {accuracy:.4f} "
          f"({len(cjk_characters(original_text))} CJK characters in the text layer)")
    assert accuracy >= MIN_CHARACTER_ACCURACY
    # paragraphs are re-flowed as for a text layer: numbered headings start blocks
    texts = [block.text for block in document.blocks]
    assert any(text.startswith("(二)") or text.startswith("（二）") for text in texts)
    assert all(block.page == 1 for block in document.blocks)


def test_ocr_result_goes_through_the_pipeline(seed_scan):
    _, _, data, document = seed_scan
    source = SourceInfo(path="scan.pdf", format="pdf", sha256="0" * 64, bytes=len(data))
    result = _run(document, source, None)
    out = result.to_dict()
    assert out["source"]["ocr"] is True
    assert any("OCR" in warning for warning in out["warnings"])
    assert result.plans and result.plans[0].title and "工作计划" in result.plans[0].title


@pytest.mark.parametrize(("fmt", "name", "read_as"), [
    ("PNG", "title.png", "png"), ("JPEG", "photo of title.jpg", "jpeg"), ("TIFF", "title.tif", "tiff")])
def test_image_scan_is_read_by_ocr(seed_scan, fmt, name, read_as):
    image = seed_scan[0]
    title_strip = image.crop((0, int(image.height * 0.08), image.width, int(image.height * 0.14)))
    document = read_bytes(image_bytes(title_strip, fmt), name)
    assert document.format == read_as and document.ocr is True
    assert any("OCR" in warning for warning in document.warnings)
    assert "鸡西实验中学工会" in "".join(block.text for block in document.blocks)


def test_real_scanned_book_is_read_by_ocr(real):
    needs_ocr()
    document = read_file(real / "mineru_scanned_zh_book.pdf", Limits(max_pages=1))  # one page: OCR is slow
    assert document.ocr is True and document.pages == 2
    assert any("only the first 1 of 2 pages" in warning for warning in document.warnings)
    text = "".join(block.text for block in document.blocks)
    assert "使用价值" in text and "交换价值" in text


@st.composite
def tesseract_output(draw) -> dict[str, list]:
    words = draw(st.lists(st.tuples(
        st.integers(0, 3), st.integers(0, 3),
        st.one_of(st.sampled_from(["一、", "工会", "。", "”", "“”", "Work", "(1)", "", " "]), st.text(max_size=4)),
        st.integers(-5, 3000), st.integers(-5, 4000), st.integers(0, 300), st.integers(0, 300),
        st.one_of(st.integers(-1, 100), st.floats(-1, 100))), max_size=40))
    return tesseract_data(words)


@settings(max_examples=150, deadline=None, database=None)
@given(data=tesseract_output())
def test_any_tesseract_output_becomes_blocks(data):
    """Whatever boxes Tesseract reports (empty words, zero heights, negative positions),
    grouping and re-flow give blocks, never an exception."""
    lines = ocr.tesseract_lines(data, page=1, page_height=842, points_per_pixel=72 / 300)
    document = ocr.lines_to_document(lines, 1, 1, "png", "the image", [])
    assert document.ocr is True
    assert all(block.text.strip() for block in document.blocks)


# partly scanned PDFs: only the scanned pages are OCR'd ------------------------------------

PARTLY_SCANNED_SOURCE = "003_60dac51a79ab8bbf.autonumbered.pdf"  # 3 pages: title and tasks, tasks, schedule


def partly_scanned_pdf(path, scanned_index: int = 1) -> tuple[bytes, str]:
    """(the real PDF with page ``scanned_index`` swapped for a 300 dpi rendering of itself
    as an image-only page, that page's original text layer). Pages are imported by PDFium."""
    image, original_text = rendered_page(path, scanned_index)
    source = pdfium.PdfDocument(path)
    scan = pdfium.PdfDocument(image_only_pdf(image))
    out = pdfium.PdfDocument.new()
    try:
        count = len(source)
        if scanned_index:
            out.import_pages(source, list(range(scanned_index)))
        out.import_pages(scan)
        if scanned_index + 1 < count:
            out.import_pages(source, list(range(scanned_index + 1, count)))
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue(), original_text
    finally:
        out.close()
        scan.close()
        source.close()


@pytest.fixture(scope="module")
def partly_scanned(made):
    data, original_text = partly_scanned_pdf(made / PARTLY_SCANNED_SOURCE)
    return data, original_text, read_file(made / PARTLY_SCANNED_SOURCE)


def page_texts(document, page: int) -> list[str]:
    return [block.text for block in document.blocks if block.page == page]


@pytest.fixture(scope="module")
def partly_scanned_ocr(partly_scanned):
    """(the partly scanned PDF read with OCR, the pages rendered for OCR): Tesseract runs once."""
    from unittest import mock

    needs_ocr()
    rendered: list[int] = []
    render_page = ocr.render_page

    def recording_render(document, index):
        rendered.append(index + 1)
        return render_page(document, index)

    with mock.patch.object(ocr, "render_page", recording_render):
        document = read_bytes(partly_scanned[0], "partly scanned.pdf")
    return document, rendered


def test_partly_scanned_pdf_ocrs_only_the_scanned_page(partly_scanned, partly_scanned_ocr):
    _, original_text, text_only = partly_scanned
    document, rendered = partly_scanned_ocr
    assert rendered == [2]  # pages 1 and 3 come from their text layer
    assert document.ocr is True and document.pages == 3
    assert any("OCR" in warning and "page 2 " in warning for warning in document.warnings)
    pages = [block.page for block in document.blocks]
    assert pages == sorted(pages) and set(pages) == {1, 2, 3}  # page order kept
    # the text pages are exactly what the text layer gives
    assert page_texts(document, 1) == page_texts(text_only, 1)
    assert page_texts(document, 3) == page_texts(text_only, 3)
    accuracy = character_accuracy(original_text, "\n".join(page_texts(document, 2)))
    print(f"\nOCR character accuracy on the scanned page 2 of {PARTLY_SCANNED_SOURCE}: {accuracy:.4f}")
    assert accuracy >= MIN_CHARACTER_ACCURACY


def test_partly_scanned_pdf_through_the_pipeline_says_ocr(partly_scanned, partly_scanned_ocr):
    data = partly_scanned[0]
    source = SourceInfo(path="partly scanned.pdf", format="pdf", sha256="0" * 64, bytes=len(data))
    result = _run(partly_scanned_ocr[0], source, None)
    out = result.to_dict()
    assert result.error is None and out["source"]["ocr"] is True and out["source"]["pages"] == 3
    assert any("OCR" in warning and "page 2 " in warning for warning in out["warnings"])
    assert result.plans and "工作计划" in (result.plans[0].title or "")
    assert any("扶贫工程" in task.text for plan in result.plans for task in plan.tasks)  # a task of the scanned page


def test_partly_scanned_pdf_without_ocr_keeps_the_text_pages(partly_scanned, no_ocr):
    data, _, text_only = partly_scanned
    document = read_bytes(data, "partly scanned.pdf")
    assert document.ocr is False and document.pages == 3
    assert page_texts(document, 1) == page_texts(text_only, 1) and page_texts(document, 3) == page_texts(text_only, 3)
    assert page_texts(document, 2) == []
    warning = next(warning for warning in document.warnings if "scanned" in warning)
    assert "page 2 of 3" in warning and "not read" in warning and "tesseract program is not installed" in warning
    assert all(words in warning for words in INSTALL_WORDS)


def test_scanned_pages_are_named_as_ranges(made, no_ocr):
    """Two scanned pages side by side: "pages 1-2"; the time limit stops nothing here."""
    data, _ = partly_scanned_pdf(made / PARTLY_SCANNED_SOURCE, scanned_index=0)
    source = pdfium.PdfDocument(data)
    scan = pdfium.PdfDocument(image_only_pdf(small_page_image()))
    out = pdfium.PdfDocument.new()
    out.import_pages(source, [0])
    out.import_pages(scan)
    out.import_pages(source, [1, 2])
    buffer = io.BytesIO()
    out.save(buffer)
    for handle in (out, scan, source):
        handle.close()
    document = read_bytes(buffer.getvalue(), "two scans.pdf")
    assert any("pages 1-2 of 4 are scanned" in warning for warning in document.warnings)
    assert {block.page for block in document.blocks} == {3, 4}
    assert ocr.page_ranges([7, 2, 3, 4, 9, 10]) == "2-4, 7, 9-10"


def test_ocr_time_limit_in_a_partly_scanned_pdf_keeps_what_was_read(partly_scanned, monkeypatch):
    needs_ocr()
    data, _, text_only = partly_scanned
    monkeypatch.setattr(ocr.Budget, "remaining", lambda self: 0.0)  # the budget is already spent
    document = read_bytes(data, "partly scanned.pdf", Limits(timeout_s=1))
    assert document.ocr is False
    assert page_texts(document, 1) == page_texts(text_only, 1) and page_texts(document, 2) == []
    assert any("time limit" in warning and "page(s) 2 were not read" in warning for warning in document.warnings)
