from __future__ import annotations

import io
import unicodedata
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.shared import Pt

from planparse.config import Limits
from planparse.errors import ErrorCode, PlanparseError
from planparse.readers import read_bytes, read_file
from planparse.readers.numbering import NUMBER_FORMATS, chinese_counting

from .docx_factory import OFFICE_ABSTRACT, W_NS, abstract_num, add_numbering, num, numbered, rewrite_part, to_bytes


def texts(document) -> list[str]:
    return [block.text for block in document.blocks]


@pytest.fixture(scope="module")
def office_plan() -> bytes:
    """A plan as offices write it: headings numbered by Word, not by hand."""
    document = docx.Document()
    document.add_paragraph("某中学工会2021年工作计划", style="Title")
    add_numbering(document, OFFICE_ABSTRACT, num(20, 20), num(21, 20, {2: 1}),
                  abstract_num(30, [("decimal", "%1.", 5)]), num(30, 30))
    numbered(document, "指导思想", 20, 0, "Heading 1")
    document.add_paragraph("以新时代中国特色社会主义思想为指导。")
    numbered(document, "具体工作任务", 20, 0, "Heading 1")
    numbered(document, "加强工会组织建设", 20, 1, "Heading 2")
    numbered(document, "开展先进职工之家创建活动。", 20, 2, "List Paragraph")
    numbered(document, "建立健全工作台账。", 20, 2, "List Paragraph")
    numbered(document, "关心职工生活", 20, 1, "Heading 2")
    numbered(document, "做好困难职工帮扶。", 20, 2, "List Paragraph")
    numbered(document, "子项", 20, 3)
    numbered(document, "保障措施", 20, 0, "Heading 1")
    numbered(document, "加强领导", 20, 1, "Heading 2")
    numbered(document, "四、经费保障", 20, 0, "Heading 1")  # the number is also typed: not doubled
    numbered(document, "重新编号的项目", 21, 2)  # numId 21 restarts level 2 with startOverride
    numbered(document, "从五开始", 30, 0)
    numbered(document, "没有编号", 0, 0)  # numId 0 switches numbering off
    return to_bytes(document)


def test_word_auto_numbering_is_rendered(office_plan):
    document = read_bytes(office_plan, "plan.docx")
    assert texts(document) == [
        "某中学工会2021年工作计划",
        "一、指导思想",
        "以新时代中国特色社会主义思想为指导。",
        "二、具体工作任务",
        "（一）加强工会组织建设",
        "1、开展先进职工之家创建活动。",
        "2、建立健全工作台账。",
        "（二）关心职工生活",
        "1、做好困难职工帮扶。",
        "1.1子项",
        "三、保障措施",
        "（一）加强领导",
        "四、经费保障",
        "1、重新编号的项目",
        "5.从五开始",
        "没有编号",
    ]


def test_numbers_kinds_and_levels(office_plan):
    blocks = read_bytes(office_plan, "plan.docx").blocks
    title, first_heading, body, second_heading, sub_heading, item = blocks[:6]
    assert (title.kind, title.style) == ("title", "Title")
    assert (first_heading.kind, first_heading.level, first_heading.number) == ("heading", 1, "一、")
    assert (body.kind, body.number) == ("paragraph", None)
    assert (sub_heading.kind, sub_heading.level, sub_heading.number) == ("heading", 2, "（一）")
    assert (item.kind, item.number, item.style) == ("list_item", "1、", "List Paragraph")
    assert first_heading.bold is True  # Heading 1 is bold by style
    assert body.bold is False
    assert second_heading.number == "二、"


@pytest.mark.parametrize(("n", "expected"), [
    (1, "一"), (2, "二"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"),
    (99, "九十九"), (100, "一百"), (101, "一百零一"), (110, "一百一十"),
])
def test_chinese_counting(n, expected):
    assert chinese_counting(n) == expected


@pytest.mark.parametrize(("fmt", "n", "expected"), [
    ("decimalEnclosedCircle", 1, "①"), ("decimalEnclosedCircle", 20, "⑳"),
    ("lowerLetter", 2, "b"), ("upperLetter", 27, "AA"), ("lowerRoman", 4, "iv"), ("upperRoman", 9, "IX"),
    ("decimalFullWidth", 12, "１２"), ("ideographTraditional", 3, "丙"), ("japaneseCounting", 12, "十二"),
    ("chineseCountingThousand", 3, "三"), ("none", 3, ""),
])
def test_number_formats(fmt, n, expected):
    assert NUMBER_FORMATS[fmt](n) == expected


def test_numbering_through_style_and_bullets():
    document = docx.Document()
    add_numbering(document, abstract_num(40, [("upperRoman", "%1.", 1)]), num(40, 40),
                  abstract_num(41, [("bullet", "•", 1)]), num(41, 41))
    style_ppr = document.styles["List Number"].element.get_or_add_pPr()
    for old_numbering in style_ppr.findall(f"{{{style_ppr.nsmap['w']}}}numPr"):
        style_ppr.remove(old_numbering)  # the template's own list definition
    style_ppr.append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="40"/></w:numPr>'))
    document.add_paragraph("Introduction", style="List Number")
    document.add_paragraph("Goals", style="List Number")
    numbered(document, "a bullet point", 41, 0)
    blocks = read_bytes(to_bytes(document), "style.docx").blocks
    assert [(b.text, b.number, b.kind) for b in blocks] == [
        ("I. Introduction", "I.", "list_item"),
        ("II. Goals", "II.", "list_item"),
        ("a bullet point", None, "list_item"),
    ]


def test_tables_in_body_order_with_merged_cells():
    document = docx.Document()
    document.add_paragraph("工作安排如下：")
    table = document.add_table(rows=3, cols=3)
    table.cell(1, 2).merge(table.cell(2, 2)).text = "女工委"  # vertical merge: not repeated below
    for (row, column), value in {(0, 0): "月份", (0, 1): "工作内容", (0, 2): "责任部门", (1, 0): "三月",
                                 (1, 1): "三八节活动", (2, 0): "四月", (2, 1): "运动会"}.items():
        table.cell(row, column).text = value
    table.cell(1, 1).add_paragraph("第二段")
    document.add_paragraph("以上安排视情况调整。")
    frame = document.add_table(rows=1, cols=1)  # a one-cell frame around ordinary paragraphs
    frame.cell(0, 0).text = "框内的说明文字"
    blocks = read_bytes(to_bytes(document), "table.docx").blocks
    assert [b.kind for b in blocks] == ["paragraph", "table_row", "table_row", "table_row", "paragraph", "paragraph"]
    header, march, april = blocks[1:4]
    assert header.cells == ["月份", "工作内容", "责任部门"] and header.text == "月份\t工作内容\t责任部门"
    assert march.cells == ["三月", "三八节活动 第二段", "女工委"]
    assert april.cells == ["四月", "运动会", ""]
    assert {b.table for b in blocks[1:4]} == {0}
    assert blocks[-1].text == "框内的说明文字"


def test_content_controls_and_text_boxes_are_read_once():
    document = docx.Document()
    document.add_paragraph("第一段")
    sdt = parse_xml(f'<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>控件里的段落</w:t></w:r></w:p>'
                    '</w:sdtContent></w:sdt>')
    document.element.body.insert(1, sdt)
    box = parse_xml(
        f'<w:p {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:t>锚点段落</w:t></w:r><w:r><mc:AlternateContent>'
        '<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框文字</w:t></w:r></w:p>'
        '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p>'
        '<w:r><w:t>文本框文字</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r></w:p>')
    document.element.body.insert(2, box)
    assert texts(read_bytes(to_bytes(document), "sdt.docx")) == ["第一段", "控件里的段落", "锚点段落", "文本框文字"]


def test_bold_runs_and_outline_level():
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("加粗的标题").bold = True
    paragraph.add_run("。")
    outline = document.add_paragraph("大纲级别二")
    outline._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W_NS} w:val="1"/>'))
    big = document.add_paragraph().add_run("普通")
    big.font.size = Pt(20)
    first, second, third = read_bytes(to_bytes(document), "bold.docx").blocks
    assert first.bold is True and third.bold is False
    assert (second.kind, second.level) == ("heading", 2)


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    document = docx.Document()
    document.add_paragraph("before MARK after")

    def add_entity(xml: str) -> str:
        declaration, rest = xml.split("?>", 1)
        doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        return declaration + "?>" + doctype + rest.replace("MARK", "&xxe;")

    data = rewrite_part(to_bytes(document), "word/document.xml", add_entity)
    try:
        document = read_bytes(data, "xxe.docx")
    except PlanparseError as err:  # refusing the file is as good as not resolving it
        assert err.code is ErrorCode.CORRUPT
        return
    assert all("TOP-SECRET" not in block.text for block in document.blocks)
    assert document.blocks[0].text.startswith("before")


def test_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(PlanparseError) as caught:
        read_bytes(buffer.getvalue(), "bomb.docx")
    assert caught.value.code is ErrorCode.CORRUPT
    assert "decompression bomb" in caught.value.message


@pytest.fixture(scope="module")
def big_bomb() -> bytes:
    """A DOCX whose document.xml inflates to 600 MB (about 1,000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (600 * 1024 * 1024) + b"</w:document>")
    return buffer.getvalue()


@pytest.mark.parametrize("limits", [Limits(), Limits(max_unzipped_bytes=10**12)], ids=["size", "ratio"])
def test_decompression_bomb_is_refused_before_any_member_is_inflated(big_bomb, monkeypatch, limits):
    """Refused from the sizes the ZIP declares: no member is ever opened (inflated). The 600 MB
    entry trips the size limit; with that limit lifted, the ratio limit."""
    data = big_bomb

    def no_inflating(self, *args, **kwargs):
        raise AssertionError("a member was opened before the limits were checked")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    with pytest.raises(PlanparseError) as caught:
        read_bytes(data, "bomb.docx", limits)
    assert caught.value.code is ErrorCode.CORRUPT and "decompression bomb" in caught.value.message
    assert ("629,145," in caught.value.message) and (f"ratio {limits.max_zip_ratio:.0f})" in caught.value.message)


def test_unzipped_size_limit(office_plan):
    with pytest.raises(PlanparseError) as caught:
        read_bytes(office_plan, "plan.docx", Limits(max_unzipped_bytes=1000))
    assert caught.value.code is ErrorCode.CORRUPT and "bomb" in caught.value.message


def test_bad_zip_is_corrupt():
    with pytest.raises(PlanparseError) as caught:
        read_bytes(b"PK\x03\x04" + b"\x00garbage" * 50, "broken.docx")
    assert caught.value.code is ErrorCode.CORRUPT


def test_damaged_document_xml_is_corrupt(office_plan):
    damaged = rewrite_part(office_plan, "word/document.xml", lambda xml: xml[: len(xml) // 2])
    with pytest.raises(PlanparseError) as caught:
        read_bytes(damaged, "damaged.docx")
    assert caught.value.code is ErrorCode.CORRUPT


def test_password_protected_docx_is_encrypted():
    # Word saves a password-protected .docx as an OLE2 compound file with an
    # "EncryptedPackage" stream; no tool here writes one, so the signature is built.
    ole2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512
    with pytest.raises(PlanparseError) as caught:
        read_bytes(ole2, "secret.docx")
    assert caught.value.code is ErrorCode.ENCRYPTED


# the shared corpus -------------------------------------------------------------------


def test_made_autonumbered_docx(made):
    document = read_file(made / "003_60dac51a79ab8bbf.autonumbered.docx")
    numbers = [block.number for block in document.blocks if block.number]
    assert numbers[:4] == ["一、", "二、", "（一）", "（二）"]
    found = texts(document)
    assert "一、指导思想" in found and "二、具体工作任务" in found
    assert "（一）加强工会组织的作用" in found
    items = [text for text in found if text[:2] in ("1、", "2、", "3、")]
    assert items and items[0].startswith("1、继续加强")
    # 1、 restarts under each （N） heading
    assert [text[:2] for text in items].count("1、") >= 2


def test_chatchat_first_heading_from_japanese_counting(real):
    found = texts(read_file(real / "chatchat_bianzhi_shuoming_p1.docx"))
    headings = [text for text in found if unicodedata.normalize("NFKC", text)[:2] in ("一、", "二、", "三、")]
    assert headings[0] == "一、任务来源及计划要求"
    assert headings[1].startswith("二、") and not headings[1].startswith("二、二、")


def test_texmall_items_one_to_six(real):
    found = texts(read_file(real / "texmall_gongzuo_jihua.docx"))
    numbered_items = [text for text in found if text[:1].isdigit() and text[1:2] == "."]
    assert [text[:2] for text in numbered_items] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    assert "1.后台表单化，" in found
    assert "7.矢量工具" in found  # typed by hand: kept once


def test_every_real_docx_reads(real):
    for path in sorted(real.glob("*.docx")):
        document = read_file(path)
        assert document.format == "docx"
        assert sum(len(block.text) for block in document.blocks) > 100, path.name


# the fast route (python-docx's OPC reader, plain lxml) against docx.Document ----------


def _blocks_both_ways(data: bytes):
    from planparse.readers.docx import DocxBody, open_word_parts, python_docx_parts

    return DocxBody(open_word_parts(data)).read(), DocxBody(python_docx_parts(data)).read()


def test_fast_route_reads_what_python_docx_reads(office_plan, real, made):
    for data in [office_plan, *(path.read_bytes() for path in sorted([*real.glob("*.docx"), *made.glob("*.docx")]))]:
        fast, slow = _blocks_both_ways(data)
        assert fast == slow


def test_fast_route_leaves_unusual_packages_to_python_docx(office_plan):
    from planparse.readers.docx import UnusualPackage, open_word_parts

    macro = rewrite_part(office_plan, "[Content_Types].xml",
                         lambda xml: xml.replace("document.main+xml", "document.macroEnabled.main+xml"))
    with pytest.raises(UnusualPackage):
        open_word_parts(macro)
    with pytest.raises(PlanparseError) as caught:  # as before: docx.Document refuses it
        read_bytes(macro, "macro.docx")
    assert caught.value.code is ErrorCode.CORRUPT and "not a Word file" in caught.value.message


def test_damaged_settings_part_is_corrupt_as_with_python_docx(office_plan):
    """python-docx parses every part it knows (settings, headers, ...): so does the fast route."""
    damaged = rewrite_part(office_plan, "word/settings.xml", lambda xml: xml[: len(xml) // 2])
    with pytest.raises(PlanparseError) as caught:
        read_bytes(damaged, "damaged.docx")
    assert caught.value.code is ErrorCode.CORRUPT


def test_styles_and_lists_a_document_never_uses_are_not_parsed(office_plan):
    from planparse.readers.docx import DocxBody, open_word_parts

    body = DocxBody(open_word_parts(office_plan))
    body.read()
    assert 0 < len(body.styles.parsed) < len(body.styles.elements)


# --- a web page pasted into Word: its breaks are runs of spaces inside one paragraph ------

def _plan_shape(result) -> list:
    return [([(s.type, s.heading) for s in plan.sections], [t.text for t in plan.tasks],
             [(item.months, item.text) for item in plan.schedule]) for plan in result.plans]


def test_a_pasted_page_parses_as_the_page_does(tmp_path):
    from planparse.api import parse_file, parse_text

    page = ("社区工会2024年工作计划   一、指导思想   以党的二十大精神为指导，围绕社区中心工作开展工会工作。   "
            "二、主要工作   1、组织职工参加政治理论学习，每季度开展一次专题学习。   2、开展困难职工帮扶和金秋助学活动。   "
            "三、月份安排   三月份，举办三八妇女节联谊活动；   五月份，组织职工健步走比赛；   九月份，开展金秋助学慰问。")
    document = docx.Document()
    document.add_paragraph("社区工会2024年工作计划")
    document.add_paragraph(page)  # one paragraph, as a paste from a web page arrives
    path = tmp_path / "pasted.docx"
    document.save(path)
    result = parse_file(path)
    assert result.error is None
    assert _plan_shape(result) == _plan_shape(parse_text("社区工会2024年工作计划\n" + page))
    plan = result.plans[0]
    assert [s.type for s in plan.sections][-1] == "schedule"
    assert [item.months for item in plan.schedule] == [[3], [5], [9]]


def test_the_made_docx_of_a_flattened_seed_parses_as_the_seed(made, shared):
    from planparse.api import parse_file

    seed = parse_file(shared / "seeds" / "003_60dac51a79ab8bbf.txt")
    made_docx = parse_file(made / "003_60dac51a79ab8bbf.docx")
    assert [(s.type, s.heading) for s in made_docx.plans[0].sections] == [(s.type, s.heading) for s in seed.plans[0].sections]
    assert [item.months for item in made_docx.plans[0].schedule] == [item.months for item in seed.plans[0].schedule]
    assert len(made_docx.plans[0].schedule) >= 9
