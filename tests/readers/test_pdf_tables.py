"""pdf_tables: tables in a PDF's text layer become table-row blocks (synthetic lines, in
the order PDFium lists them, and a table printed by LibreOffice)."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from planparse.readers import read_file
from planparse.readers.pdf_layout import PdfLine, reflow
from planparse.readers.pdf_tables import TableFinder

from .docx_factory import add_table, to_pdf

COLUMNS = (90.0, 234.0, 378.0)
PITCH = 24.7


def piece(text: str, baseline: float, column: int, *, after_gap: bool | None = None, width: float | None = None) -> PdfLine:
    x0 = COLUMNS[column]
    return PdfLine(text=text, page=1, x0=x0, x1=x0 + (width if width is not None else 11.0 * len(text)),
                   baseline=baseline, font_size=11.0, bold_share=0.0, page_height=842.0,
                   after_gap=column > 0 if after_gap is None else after_gap)


def body(text: str, baseline: float) -> PdfLine:
    return PdfLine(text=text, page=1, x0=90.0, x1=500.0, baseline=baseline, font_size=11.0, bold_share=0.0, page_height=842.0)


def rows_of(lines: list[PdfLine]) -> list[list[str] | str]:
    return [b.cells if b.kind == "table_row" else b.text for b in reflow(lines, TableFinder())]


def schedule_table(top: float = 130.0) -> list[PdfLine]:
    """月份 | 工作内容 | 责任部门, two rows whose activity cells hold two paragraphs: PDFium
    lists a cell's second line before the row's next cell."""
    y = [top + k * PITCH for k in range(5)]
    return [
        piece("月份", y[0], 0), piece("工作内容", y[0], 1), piece("责任部门", y[0], 2),
        piece("二月", y[1], 0), piece("制定工会工作计划", y[1], 1), piece("慰问困难职工", y[2], 1, after_gap=False),
        piece("工会办", y[1], 2, after_gap=False),
        piece("三月", y[3], 0), piece("庆祝三八妇女节", y[3], 1), piece("女职工健康讲座", y[4], 1, after_gap=False),
        piece("女工委", y[3], 2, after_gap=False),
    ]


def test_rows_and_cell_paragraphs_in_pdfium_order():
    lines = [body("一、月份工作安排", 106.0), *schedule_table(), body("二、保障措施", 130.0 + 6 * PITCH)]
    assert rows_of(lines) == [
        "一、月份工作安排",
        ["月份", "工作内容", "责任部门"],
        ["二月", "制定工会工作计划 慰问困难职工", "工会办"],
        ["三月", "庆祝三八妇女节 女职工健康讲座", "女工委"],
        "二、保障措施",
    ]


def test_a_cell_line_that_ran_to_the_column_edge_wrapped():
    y = [130.0 + k * PITCH for k in range(4)]
    lines = [
        piece("月份", y[0], 0), piece("工作内容", y[0], 1), piece("责任部门", y[0], 2),
        piece("一月", y[1], 0), piece("开展春节送温暖活动走访慰问困", y[1], 1, width=140.0),
        piece("难职工", y[2], 1, after_gap=False), piece("工会办", y[1], 2, after_gap=False),
        piece("三月", y[3], 0), piece("庆祝三八节", y[3], 1), piece("女工委", y[3], 2, after_gap=False),
    ]
    assert rows_of(lines)[1] == ["一月", "开展春节送温暖活动走访慰问困难职工", "工会办"]


def test_a_list_number_before_a_tab_is_no_table():
    """Word's auto-numbering prints `（五）` and a tab before the heading: one row each."""
    y = [130.0 + k * PITCH for k in range(3)]
    lines = [piece("（五）", y[0], 0), piece("组织教职工学习法律法规", y[0], 1),
             piece("（六）", y[1], 0), piece("加强校务公开", y[1], 1), body("做好校务公开工作。", y[2])]
    assert all(isinstance(row, str) for row in rows_of(lines))


def test_two_columns_of_running_text_are_no_table():
    y = [130.0 + k * 15.0 for k in range(3)]
    left = "工会要坚持以职工为中心的工作导向切实维护"
    right = "职工合法权益积极开展形式多样的文体活动丰富"
    lines = [line for k in range(3) for line in (piece(left, y[k], 0, width=130.0), piece(right, y[k], 1, width=130.0))]
    assert all(isinstance(row, str) for row in rows_of(lines))


def test_one_row_is_no_table():
    lines = [piece("工会委员会", 130.0, 0), piece("2024年1月5日", 130.0, 2), body("附件:", 160.0)]
    assert all(isinstance(row, str) for row in rows_of(lines))


@pytest.fixture(scope="module")
def table_pdf(soffice, tmp_path_factory) -> Path:
    """A plan whose schedule is a Word table (a cell with two paragraphs, a cell that
    wraps), printed to PDF by LibreOffice."""
    folder = tmp_path_factory.mktemp("table-pdf")
    document = docx.Document()
    document.add_paragraph("某某公司工会2024年工作计划")
    document.add_paragraph("一、活动安排")
    add_table(document, ["月份", "活动内容", "负责部门"], [
        ["一月", "开展春节送温暖活动，走访慰问困难职工、劳动模范和一线职工，发放慰问金和慰问品", "工会办公室"],
        ["三月", ["庆祝三八国际妇女节", "女职工健康讲座"], "女工委"],
    ])
    document.add_paragraph("二、保障措施")
    document.add_paragraph("加强组织领导，落实活动经费。")
    document.save(folder / "plan.docx")
    return to_pdf(soffice, folder / "plan.docx")


def test_libreoffice_table_reads_as_the_docx_table_does(table_pdf):
    from_pdf = [b for b in read_file(table_pdf).blocks]
    from_docx = [b for b in read_file(table_pdf.with_suffix(".docx")).blocks]
    assert [(b.kind, b.cells) for b in from_pdf if b.kind == "table_row"] == [
        ("table_row", ["月份", "活动内容", "负责部门"]),
        ("table_row", ["一月", "开展春节送温暖活动，走访慰问困难职工、劳动模范和一线职工，发放慰问金和慰问品", "工会办公室"]),
        ("table_row", ["三月", "庆祝三八国际妇女节 女职工健康讲座", "女工委"]),
    ]
    assert [b.cells for b in from_pdf if b.kind == "table_row"] == [b.cells for b in from_docx if b.kind == "table_row"]
    assert [b.text for b in from_pdf if b.kind == "paragraph"] == ["某某公司工会2024年工作计划", "一、活动安排", "二、保障措施", "加强组织领导，落实活动经费。"]


def test_libreoffice_table_gives_the_schedule_with_owners(table_pdf):
    from planparse.api import parse_file

    plan = parse_file(table_pdf).plans[0]
    assert [(i.months, i.text, i.owner) for i in plan.schedule] == [
        ([1], "开展春节送温暖活动", "工会办公室"), ([1], "走访慰问困难职工、劳动模范和一线职工", "工会办公室"),
        ([1], "发放慰问金和慰问品", "工会办公室"), ([3], "庆祝三八国际妇女节", "女工委"), ([3], "女职工健康讲座", "女工委"),
    ]


def test_a_failed_search_is_not_repeated_from_each_line_it_went_through(monkeypatch):
    import planparse.readers.pdf_tables as pdf_tables

    scans: list[int] = []
    scan = pdf_tables._scan

    def counting(lines, start):
        scans.append(start)
        return scan(lines, start)

    monkeypatch.setattr(pdf_tables, "_scan", counting)
    left, right = "工会要坚持以职工为中心的工作导向切实维护", "职工合法权益积极开展形式多样的文体活动丰富"
    lines = [line for k in range(40) for line in (piece(left, 130.0 + 15 * k, 0, width=130.0),
                                                   piece(right, 130.0 + 15 * k, 1, width=130.0))]
    assert all(isinstance(row, str) for row in rows_of(lines))
    assert len(scans) == 1
