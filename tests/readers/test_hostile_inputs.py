"""Reader-level tests of hostile and broken inputs (issue 6, item 1's list), and the
reader bugs hardening found: each input gives a correct read or the right error code,
quickly and in bounded memory. (The batch-level bad-input suite is tests' item 1.)"""
from __future__ import annotations

import http.server
import io
import socketserver
import struct
import threading
import time
import tracemalloc
import zipfile
from unittest import mock

import docx
import pytest
from docx.oxml import parse_xml

from planparse.config import Limits
from planparse.errors import ErrorCode, PlanparseError
from planparse.readers import detect_format, read_bytes, read_file
from planparse.readers.numbering import MAX_LETTER_ROUNDS, ideograph_digits, letters

from .docx_factory import W_NS, rewrite_part, to_bytes
from .pdf_factory import text_pdf


def error_of(call, *args, **kwargs) -> PlanparseError:
    with pytest.raises(PlanparseError) as caught:
        call(*args, **kwargs)
    return caught.value


# --- DOCX: numbering that would blow up ------------------------------------------------------


def numbered_docx(fmt: str, start: str, ilvl: str = "0", lvl_text: str = "%1.") -> bytes:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="77"><w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{lvl_text}"/></w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2、"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    for level, text in [(0, "first"), (1, "开展活动")]:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="77"/></w:numPr>'))
    return to_bytes(document)


def test_letter_numbering_with_a_huge_start_is_not_a_memory_bomb():
    """lowerLetter repeats the letter once per round of the alphabet: start=10**11 rendered
    as 3.8 billion letters before MAX_LETTER_ROUNDS."""
    tracemalloc.start()
    try:
        document = read_bytes(numbered_docx("lowerLetter", str(10**11)), "bomb.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert document.blocks[0].text.startswith(f"{10**11}.")
    assert peak < 50 * 1024 * 1024
    assert letters(26 * MAX_LETTER_ROUNDS, "abcdefghijklmnopqrstuvwxyz") == "z" * MAX_LETTER_ROUNDS
    assert letters(26 * MAX_LETTER_ROUNDS + 1, "abcdefghijklmnopqrstuvwxyz") == str(26 * MAX_LETTER_ROUNDS + 1)


def test_negative_start_in_ideograph_digits_reads():
    """ideographDigital of a negative counter raised ValueError (int("-")): the whole
    document came out corrupt."""
    assert ideograph_digits(-3) == "-3" and ideograph_digits(2021) == "二〇二一"
    document = read_bytes(numbered_docx("ideographDigital", "-7"), "negative.docx")
    assert [block.text for block in document.blocks] == ["-7. first", "1、开展活动"]


def test_level_index_that_is_no_number_loses_that_level_only():
    """A w:ilvl of "x" in numbering.xml raised ValueError: the whole document was corrupt."""
    document = read_bytes(numbered_docx("decimal", "1", ilvl="x"), "bad-ilvl.docx")
    assert [block.text for block in document.blocks] == ["first", "1、开展活动"]


def test_twelve_levels_of_nested_numbering():
    """Word has nine list levels (0-8); paragraphs at levels 9-11 are not numbered, and none
    of the twelve breaks the reader."""
    document = docx.Document()
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{".".join(f"%{k + 1}" for k in range(min(i, 8) + 1))}"/></w:lvl>'
        for i in range(12))
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="12">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="12"><w:abstractNumId w:val="12"/></w:num>'))
    for level in range(12):
        paragraph = document.add_paragraph(f"level {level}")
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="12"/></w:numPr>'))
    texts = [block.text for block in read_bytes(to_bytes(document), "deep.docx").blocks]
    assert texts[0] == "1 level 0" and texts[2] == "1.1.1 level 2"
    assert texts[8] == "1.1.1.1.1.1.1.1.1 level 8"
    assert len(texts) == 12


def test_twelve_levels_of_nested_numbering_in_text():
    import planparse

    tokens = ["一、", "（一）", "1、", "（1）", "①", "1.1", "1.1.1", "a)", "A.", "I.", "一是", "⑴"]
    text = "工会工作计划\n" + "\n".join(f"{token}第{depth}层的工作内容。" for depth, token in enumerate(tokens, 1))
    document = read_bytes(text.encode("utf-8"), "deep.txt")
    assert len(document.blocks) == 13
    result = planparse.parse_text(text)
    assert result.plans and all(0 <= t.span[0] <= t.span[1] <= len(result.text) for t in result.plans[0].tasks)


# --- DOCX: XML and ZIP attacks ---------------------------------------------------------------


@pytest.fixture
def http_server():
    """A local web server that counts requests: an XXE fetch would reach it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"FETCHED")

        def log_message(self, *args):
            pass

    server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def plain_docx(text: str = "MARK") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    return to_bytes(document)


def with_doctype(doctype: str, mark: str | None = None):
    def change(xml: str) -> str:
        declaration, rest = xml.split("?>", 1)
        return declaration + "?>" + doctype + (rest.replace("MARK", mark) if mark else rest)
    return change


@pytest.mark.parametrize(("part", "doctype", "mark"), [
    ("word/document.xml", '<!DOCTYPE w:document [<!ENTITY x SYSTEM "{url}/entity">]>', "&x;"),
    ("word/document.xml", '<!DOCTYPE w:document [<!ENTITY % p SYSTEM "{url}/parameter"> %p;]>', None),
    ("word/document.xml", '<!DOCTYPE w:document SYSTEM "{url}/dtd">', None),
    ("word/styles.xml", '<!DOCTYPE w:styles [<!ENTITY x SYSTEM "{url}/styles">]>', None),
    ("word/numbering.xml", '<!DOCTYPE w:numbering SYSTEM "{url}/numbering">', None),
    ("[Content_Types].xml", '<!DOCTYPE Types SYSTEM "{url}/content-types">', None),
    ("_rels/.rels", '<!DOCTYPE Relationships SYSTEM "{url}/rels">', None),
    ("word/_rels/document.xml.rels", '<!DOCTYPE Relationships [<!ENTITY % p SYSTEM "{url}/rels2"> %p;]>', None),
])
def test_xxe_is_never_fetched_from_any_part(http_server, part, doctype, mark):
    url, hits = http_server
    data = rewrite_part(plain_docx(), part, with_doctype(doctype.format(url=url), mark))
    try:
        document = read_bytes(data, "xxe.docx")
    except PlanparseError as error:
        # refused, or read without the entity: a body of nothing but "&x;" then has no text
        assert error.code is ErrorCode.CORRUPT or (error.code is ErrorCode.EMPTY and mark)
    else:
        assert all("FETCHED" not in block.text for block in document.blocks)
    time.sleep(0.1)
    assert hits == [], f"the reader fetched {hits}"


def test_billion_laughs_is_refused_quickly():
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
    data = rewrite_part(plain_docx(), "word/document.xml", with_doctype(f"<!DOCTYPE w:document [{entities}]>", "&j;"))
    started = time.monotonic()
    error = error_of(read_bytes, data, "laughs.docx")
    assert error.code is ErrorCode.CORRUPT
    assert time.monotonic() - started < 5


def test_zip_that_lies_about_its_sizes_is_corrupt_without_inflating():
    """Declared sizes say 1,000 bytes, the entry inflates to 30 MB: reading stops at the
    declared size (CRC mismatch) instead of inflating it all."""
    big = (b'<?xml version="1.0"?><w:document ' + W_NS.encode() + b"><w:body><w:p><w:r><w:t>"
           + b"A" * (30 * 1024 * 1024) + b"</w:t></w:r></w:p></w:body></w:document>")
    source = zipfile.ZipFile(io.BytesIO(plain_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, big if info.filename == "word/document.xml" else source.read(info.filename))
    del big
    raw = bytearray(out.getvalue())
    name = b"word/document.xml"
    for signature, size_at, name_length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        position = raw.find(signature)
        while position >= 0:
            length = struct.unpack_from("<H", raw, position + name_length_at)[0]
            if raw[position + name_at: position + name_at + length] == name:
                struct.pack_into("<I", raw, position + size_at, 1000)
            position = raw.find(signature, position + 4)
    tracemalloc.start()
    try:
        error = error_of(read_bytes, bytes(raw), "liar.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code is ErrorCode.CORRUPT
    assert peak < 20 * 1024 * 1024


# --- text ------------------------------------------------------------------------------------------


def test_utf16_with_bom_and_broken_bytes_is_decoded_with_replacements():
    """Found by fuzzing: a lone surrogate after a UTF-16 BOM raised UnicodeDecodeError and
    the file came out corrupt."""
    text = "鸡西实验中学工会2020年工作计划\n一、指导思想\n" + "以学习贯彻党的精神为指导，围绕学校中心工作。\n" * 4
    data = b"\xff\xfe" + text[:20].encode("utf-16-le") + b"\x00\xdc" + text[20:].encode("utf-16-le") + b"A"
    document = read_bytes(data, "plan.txt")
    assert document.encoding == "utf-16"
    assert document.blocks[0].text == "鸡西实验中学工会2020年工作计划"
    assert any("U+FFFD" in warning for warning in document.warnings)


def test_utf16_without_bom_and_an_odd_last_byte():
    text = "Work plan 2024\nFirst, study the union law.\n" * 5
    document = read_bytes(text.encode("utf-16-le") + b"\x41", "plan.txt")
    assert document.blocks[0].text == "Work plan 2024"


def test_utf8_bom_followed_by_gbk_lines_is_decoded_line_by_line():
    data = "\ufeff工会工作计划\n".encode("utf-8") + "一、指导思想\n二、主要工作\n".encode("gbk")
    document = read_bytes(data, "mixed.txt")
    assert [block.text for block in document.blocks] == ["工会工作计划", "一、指导思想", "二、主要工作"]
    assert document.warnings


def test_one_megabyte_single_line():
    data = ("工会开展活动，组织教职工学习。" * 70000).encode("utf-8")
    assert len(data) > 1024 * 1024
    started = time.monotonic()
    document = read_bytes(data, "line.txt")
    assert len(document.blocks) == 1 and len(document.blocks[0].text) == 15 * 70000
    assert time.monotonic() - started < 5


# --- HTML --------------------------------------------------------------------------------------------


def test_html_full_of_scripts():
    scripts = "".join(f"<script>document.write('<p>广告{i}</p>'); var x{i} = '一、假标题';</script>"
                      f"<noscript>请启用脚本{i}</noscript><style>.a{i}{{color:red}}</style>" for i in range(1500))
    page = (f"<html><head>{scripts}</head><body>{scripts}<div><h1>工会工作计划</h1><p>一、指导思想</p>"
            f"<p>1、开展活动。</p></div>{scripts}</body></html>").encode("utf-8")
    started = time.monotonic()
    document = read_bytes(page, "scripts.html")
    assert [block.text for block in document.blocks] == ["工会工作计划", "一、指导思想", "1、开展活动。"]
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("opening", ["<font color=red>", "<b><i>", "<div>", "<table><tr><td>", "<span><p>"])
def test_deeply_nested_html_reads_in_linear_time(opening):
    """Thousands of unclosed tags nest the page past Python's recursion limit: the page came
    out corrupt ("nested too deeply") before the walks became iterative; and bs4's
    ``tag.decomposed`` searched each subtree, which made stripping quadratic."""
    paragraphs = "".join(f"<p>{i}、开展活动第{i}项。</p>" for i in range(1, 4))
    page = ("<html><body>" + opening * 6000 + f"<h1>工会工作计划</h1>{paragraphs}</body></html>").encode("utf-8")
    started = time.monotonic()
    document = read_bytes(page, "nested.html")
    assert time.monotonic() - started < 10
    texts = [block.text for block in document.blocks]
    assert "".join(texts).startswith("工会工作计划")
    if opening in ("<font color=red>", "<div>"):  # the paragraphs stay apart
        assert texts == ["工会工作计划", "1、开展活动第1项。", "2、开展活动第2项。", "3、开展活动第3项。"]


def test_long_ordered_list_is_numbered_in_linear_time():
    page = b"<html><body><ol>" + b"<li>item</li>" * 20000 + b"</ol></body></html>"
    started = time.monotonic()
    document = read_bytes(page, "list.html")
    assert time.monotonic() - started < 10
    assert document.blocks[0].text == "1. item" and document.blocks[-1].text == "20000. item"


def test_is_decomposed_does_not_search_the_subtree():
    from bs4 import BeautifulSoup

    from planparse.readers.html import is_decomposed

    soup = BeautifulSoup("<div><p>a</p><p>b</p></div>", "lxml")
    div = soup.find("div")
    with mock.patch.object(type(div), "find", side_effect=AssertionError("searched the subtree")):
        assert is_decomposed(div) is False
    div.decompose()
    assert is_decomposed(div) is True


# --- PDF ---------------------------------------------------------------------------------------------


def test_truncated_pdf_at_many_points_is_corrupt_or_read():
    data = text_pdf(["Work plan for 2021.", "First, study."])
    for cut in range(0, len(data), 37):
        try:
            read_bytes(data[:cut] or b"%PDF", "cut.pdf")
        except PlanparseError as error:
            assert error.code in (ErrorCode.CORRUPT, ErrorCode.NO_TEXT_LAYER, ErrorCode.EMPTY)


def test_huge_pdf_page_is_rendered_for_ocr_within_the_pixel_limit():
    from planparse.readers.ocr import MAX_PIXELS, RENDER_SCALE, render_scale

    assert render_scale(612, 792) == RENDER_SCALE
    scale = render_scale(14400, 14400)  # a 200-inch page
    assert (14400 * scale) ** 2 <= MAX_PIXELS * 1.0001


# --- names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["工会 工作计划 2024.txt", 'plan "final" \'v2\'.txt', "plan\nwith newline.txt",
                                  "计划（定稿）.TXT", "plan.txt ", "plan.txt\n", "-rf *.txt", "$(reboot).txt"])
def test_file_names_with_spaces_chinese_quotes_and_newlines(tmp_path, name):
    path = tmp_path / name
    path.write_text("工会工作计划\n一、指导思想", encoding="utf-8")
    document = read_file(path)
    assert document.format == "txt" and document.blocks[0].text == "工会工作计划"


@pytest.mark.parametrize("name", ["工会 \"计划\"\n2024.docx", "plan .docx", "计划.pdf\n"])
def test_odd_names_of_other_formats(tmp_path, name):
    data = plain_docx("工会工作计划") if ".docx" in name else text_pdf(["Work plan 2024"])
    path = tmp_path / name
    path.write_bytes(data)
    document = read_file(path)
    assert document.format == ("docx" if ".docx" in name else "pdf")
    assert not any("named as" in warning for warning in document.warnings)


def test_suffix_with_trailing_whitespace_is_the_suffix():
    assert detect_format("工会".encode(), "plan.txt \n") == "txt"
    assert detect_format(b"<html><body>x</body></html>", "page.HTM ") == "html"


def test_limits_are_respected_for_names_with_newlines(tmp_path):
    path = tmp_path / "big\nfile.txt"
    path.write_bytes(b"x" * 2048)
    assert error_of(read_file, path, Limits(max_bytes=1024)).code is ErrorCode.TOO_LARGE
