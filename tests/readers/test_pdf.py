from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.shared import Pt

from planparse.config import Limits
from planparse.errors import ErrorCode, PlanparseError
from planparse.readers import ocr, read_bytes, read_file

from .docx_factory import W_NS, to_pdf
from .pdf_factory import text_pdf

CJK_DIGIT_SPACE = re.compile(r"[\u4e00-\u9fff] +[0-9A-Za-z]|[0-9A-Za-z] +[\u4e00-\u9fff]")
HEADER_TEXT = "鸡西实验中学工会 内部资料"


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def paragraph_texts() -> list[str]:
    return [
        f"{k}、" + "".join(f"第{i * 3 + k}项工作要在2021年{k + 2}月底前完成，组织196名教职工参加培训，确保取得实效。"
                          for _ in range(3))
        for i in range(4) for k in range(1, 4)
    ]


@pytest.fixture(scope="module")
def office_pdf(soffice, tmp_path_factory) -> Path:
    """A two-page plan printed to PDF by LibreOffice: running header, page-number footer,
    a large bold title, headings and numbered paragraphs that wrap over several lines."""
    folder = tmp_path_factory.mktemp("office-pdf")
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER_TEXT
    footer = section.footer.paragraphs[0]
    footer.add_run("第 ")
    footer._p.append(parse_xml(f'<w:fldSimple {W_NS} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.add_run(" 页")
    title = document.add_paragraph().add_run("实验中学工会2021年工作计划")
    title.bold, title.font.size = True, Pt(22)
    texts = iter(paragraph_texts())
    for heading in ["一、指导思想", "二、主要工作", "三、保障措施", "四、工作安排"]:
        document.add_paragraph(heading)
        for _ in range(3):
            document.add_paragraph(next(texts))
    document.save(folder / "plan.docx")
    return to_pdf(soffice, folder / "plan.docx")


def test_libreoffice_pdf_reflows_into_paragraphs(office_pdf):
    document = read_file(office_pdf)
    assert document.format == "pdf" and document.pages == 2
    texts = [block.text for block in document.blocks]
    for paragraph in paragraph_texts():  # each wrapped numbered paragraph is one block, spaces gone
        assert paragraph in texts
    assert texts[:2] == ["实验中学工会2021年工作计划", "一、指导思想"]
    assert len(texts) == 1 + 4 + 12


def test_libreoffice_pdf_headers_and_page_numbers_dropped(office_pdf):
    document = read_file(office_pdf)
    joined = "\n".join(block.text for block in document.blocks)
    assert "内部资料" not in joined
    assert not re.search(r"第\s*\d+\s*页", joined)
    assert any("page header/footer" in warning for warning in document.warnings)


def test_libreoffice_pdf_font_size_bold_page(office_pdf):
    blocks = read_file(office_pdf).blocks
    title, heading = blocks[0], blocks[1]
    assert title.font_size > heading.font_size
    assert title.bold is True and heading.bold is False
    assert blocks[0].page == 1 and blocks[-1].page == 2


# the made corpus ---------------------------------------------------------------------


def test_seed_003_pdf(made):
    document = read_file(made / "003_60dac51a79ab8bbf.pdf")
    texts = [nfkc(block.text) for block in document.blocks]
    assert "一、指导思想" in texts and "二、具体工作任务" in texts
    assert "(一)加强工会组织的作用" in texts
    assert "鸡西实验中学工会2020年工作计划" in texts  # "工会 2020 年" as extracted
    assert not [text for text in texts if re.search("工会 2020|2020 年", text)]
    # "1、继续加强…" wraps over two lines in the PDF: one block from its number to its end
    item = next(text for text in texts if text.startswith("1、继续加强"))
    assert item.endswith("增强教职工依法维权能力和自我保护意识。")
    assert not [text for text in texts if re.fullmatch(r"[-–—\s]*\d+[-–—\s]*", text)]


def test_autonumbered_pdf_keeps_number_with_heading(made):
    texts = [nfkc(block.text) for block in read_file(made / "003_60dac51a79ab8bbf.autonumbered.pdf").blocks]
    assert "(一)加强工会组织的作用" in texts
    assert "一、指导思想" in texts
    assert "实验中学工会2020年主要工作日程表" in texts  # a page that ends on "。" ends the paragraph
    # "――" is listed after the text it is drawn between: its gap is not a paragraph break
    assert any("结合2020年教育重点工作" in text and "结合教育局工会的具体要求" in text for text in texts)


def test_english_pdf_keeps_word_spaces(made):
    texts = [block.text for block in read_file(made / "004_6ab813c565c9bd36.pdf").blocks]
    assert any(text.startswith("I. Grasping study, unifying thoughts") for text in texts)
    assert any("people-oriented" in text for text in texts)  # PDFium's line-end hyphen kept
    # wrapped lines join with the space the line break stood for
    assert any("Culture, Culture and Health Union, the County Federation" in text for text in texts)


def test_kangxi_radicals_preserved_for_the_normaliser(made):
    texts = [block.text for block in read_file(made / "001_18abd26e1d2a0668.pdf").blocks]
    assert any(re.search("[\u2f00-\u2fdf]", text) for text in texts)


def invented_spaces(texts: list[str], source: str) -> list[str]:
    """CJK-digit/latin spaces in ``texts`` that the source text does not have."""
    return [match.group() for text in texts for match in CJK_DIGIT_SPACE.finditer(nfkc(text))
            if match.group() not in source]


def test_every_made_pdf_reads_without_invented_spaces(made, shared):
    for path in sorted(made.glob("*.pdf")):
        document = read_file(path)
        assert document.pages and document.blocks, path.name
        seed = nfkc((shared / "seeds" / f"{path.name.split('.')[0]}.txt").read_text(encoding="utf-8"))
        assert not invented_spaces([block.text for block in document.blocks], seed), path.name


def test_scanned_pdf_has_no_text_layer(real, monkeypatch):
    # without OCR installed (tests/readers/test_ocr.py reads it with OCR)
    monkeypatch.setattr(ocr, "ocr_unavailable", lambda: "the Python package pytesseract is not installed")
    with pytest.raises(PlanparseError) as caught:
        read_file(real / "mineru_scanned_zh_book.pdf")
    assert caught.value.code is ErrorCode.NO_TEXT_LAYER
    message = caught.value.message
    assert "scanned" in message and "planparse[ocr]" in message and "tesseract-ocr-chi-sim" in message


def test_truncated_pdf_is_corrupt(made):
    data = (made / "002_a0dd171c835498c4.pdf").read_bytes()
    with pytest.raises(PlanparseError) as caught:
        read_bytes(data[: len(data) // 2], "truncated.pdf")
    assert caught.value.code is ErrorCode.CORRUPT
    assert "damaged or truncated" in caught.value.message


def test_password_protected_pdf_is_encrypted():
    with pytest.raises(PlanparseError) as caught:
        read_bytes(text_pdf(["Work plan for 2021."], user_password="secret"), "locked.pdf")
    assert caught.value.code is ErrorCode.ENCRYPTED


def test_pdf_encrypted_with_empty_user_password_is_read():
    document = read_bytes(text_pdf(["Work plan for 2021."], user_password=""), "owner-only.pdf")
    assert [block.text for block in document.blocks] == ["Work plan for 2021."]


def test_page_limit_warns_and_stops(made):
    document = read_file(made / "002_a0dd171c835498c4.pdf", Limits(max_pages=1))
    assert document.pages == 2
    assert {block.page for block in document.blocks} == {1}
    assert any("max_pages" in warning for warning in document.warnings)


def test_pdf_named_docx_is_read_as_pdf(made, tmp_path):
    disguised = tmp_path / "plan.docx"
    disguised.write_bytes((made / "002_a0dd171c835498c4.pdf").read_bytes())
    document = read_file(disguised)
    assert document.format == "pdf"
    assert "PDF" in document.warnings[0] and "plan.docx" in document.warnings[0]


# --- a 2,000-page PDF: page by page, in bounded memory ---------------------------------------

LONG_PDF_PAGES = 2000
# What reading and parsing 2,000 pages may add to a process's peak RSS. Measured: about 10 MB
# for the reader and 150 MB for the whole parse (the pipeline's records of 4,000 paragraphs);
# a reader holding every page and text page open would add about 90 MB on its own.
LONG_PDF_READ_RSS_MB = 40
LONG_PDF_PARSE_RSS_MB = 400


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    from .pdf_factory import long_plan_pages, many_page_pdf

    path = tmp_path_factory.mktemp("long") / "long plan.pdf"
    path.write_bytes(many_page_pdf(long_plan_pages(LONG_PDF_PAGES)))
    return path


MEASURE_CHILD = """
import json, resource, sys
from planparse.api import parse_file
from planparse.readers import read_bytes, read_file
from tests.readers.pdf_factory import text_pdf

def in_order(text, parts):
    position = 0
    for part in parts:
        position = text.find(part, position)
        if position < 0:
            return False
        position += len(part)
    return True

def status_mb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024

def growth_mb(run):
    # Linux resets the peak (VmHWM) to the current RSS on "5" in clear_refs: the growth of
    # this step alone, whatever imports and warm-up peaked at before
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        before = status_mb("VmRSS")
        value = run()
        return value, status_mb("VmHWM") - before
    except OSError:  # elsewhere: the process's peak so far
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        value = run()
        return value, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before

read_bytes(text_pdf(["Warm up: load PDFium."]), "warm.pdf")
document, read_mb = growth_mb(lambda: read_file(sys.argv[1]))
result, parse_mb = growth_mb(lambda: parse_file(sys.argv[1]))
print(json.dumps({"pages": document.pages, "blocks": [b.text for b in document.blocks],
                  "warnings": document.warnings, "error": result.error and result.error.code,
                  "tasks": sum(len(plan.tasks) for plan in result.plans),
                  "in_text_in_order": in_order(result.text or "", [b.text for b in document.blocks]),
                  "read_mb": read_mb, "parse_mb": parse_mb}))
"""


def test_2000_page_pdf_is_parsed_in_bounded_memory(long_pdf):
    """In a fresh process (peak RSS is per process): every page read, the peak grows by a
    bounded amount."""
    import json
    import sys

    done = subprocess.run([sys.executable, "-c", MEASURE_CHILD, str(long_pdf)], capture_output=True, text=True,
                          timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    measured = json.loads(done.stdout.splitlines()[-1])
    print(f"\n2,000-page PDF: peak RSS +{measured['read_mb']:.1f} MB reading, +{measured['parse_mb']:.1f} MB parsing")
    assert measured["pages"] == LONG_PDF_PAGES and measured["error"] is None
    assert measured["tasks"] > 0 and measured["in_text_in_order"]  # the parse keeps every block, in order
    districts = [int(found) for text in measured["blocks"] for found in re.findall(r"district (\d+)", text)]
    assert districts == list(range(1, 2 * LONG_PDF_PAGES + 1))  # nothing lost, in order
    assert not any(text.startswith(("Municipal Trade Union", "- ")) for text in measured["blocks"])  # furniture dropped
    assert not any("damaged" in warning for warning in measured["warnings"])
    assert measured["read_mb"] < LONG_PDF_READ_RSS_MB and measured["parse_mb"] < LONG_PDF_PARSE_RSS_MB


def test_2000_page_pdf_is_read_one_page_at_a_time(long_pdf, monkeypatch):
    """The reader holds at most one PDFium page (and its text page) at a time and closes
    every one it opened."""
    import pypdfium2 as pdfium

    open_pages: set[int] = set()
    open_textpages: set[int] = set()
    most = {"pages": 0, "textpages": 0, "opened": 0}
    get_page, close_page = pdfium.PdfDocument.get_page, pdfium.PdfPage.close
    get_textpage, close_textpage = pdfium.PdfPage.get_textpage, pdfium.PdfTextPage.close

    def counting_get_page(self, index):
        page = get_page(self, index)
        open_pages.add(id(page))
        most["opened"] += 1
        most["pages"] = max(most["pages"], len(open_pages))
        return page

    def counting_close_page(self):
        open_pages.discard(id(self))
        return close_page(self)

    def counting_get_textpage(self):
        textpage = get_textpage(self)
        open_textpages.add(id(textpage))
        most["textpages"] = max(most["textpages"], len(open_textpages))
        return textpage

    def counting_close_textpage(self):
        open_textpages.discard(id(self))
        return close_textpage(self)

    monkeypatch.setattr(pdfium.PdfDocument, "get_page", counting_get_page)
    monkeypatch.setattr(pdfium.PdfPage, "close", counting_close_page)
    monkeypatch.setattr(pdfium.PdfPage, "get_textpage", counting_get_textpage)
    monkeypatch.setattr(pdfium.PdfTextPage, "close", counting_close_textpage)
    document = read_file(long_pdf)
    assert document.pages == LONG_PDF_PAGES and {block.page for block in document.blocks} == set(range(1, 2001))
    assert most["opened"] >= LONG_PDF_PAGES
    assert (most["pages"], most["textpages"]) == (1, 1)
    assert not open_pages and not open_textpages


def test_blank_page_between_text_pages_is_no_scan(made, monkeypatch):
    """A page with neither text nor images is blank, not scanned: nothing is OCR'd or warned."""
    import io

    import pypdfium2 as pdfium

    def no_ocr(*args, **kwargs):
        raise AssertionError("a blank page was sent to OCR")

    monkeypatch.setattr(ocr, "ocr_pdf_pages", no_ocr)
    source = pdfium.PdfDocument(made / "002_a0dd171c835498c4.pdf")
    out = pdfium.PdfDocument.new()
    out.import_pages(source, [0])
    out.new_page(595, 842)
    out.import_pages(source, [1])
    buffer = io.BytesIO()
    out.save(buffer)
    out.close()
    source.close()
    document = read_bytes(buffer.getvalue(), "with blank page.pdf")
    assert document.pages == 3 and document.ocr is False
    assert not any("scanned" in warning for warning in document.warnings)
    assert {block.page for block in document.blocks} == {1, 3}
