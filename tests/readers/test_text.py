from __future__ import annotations

import random

import pytest

from planparse.errors import ErrorCode, PlanparseError
from planparse.readers import read_bytes, read_file
from planparse.readers.encoding import decode_text, hanzi_commonness

PLAN = (
    "鸡西实验中学工会2020年工作计划\n"
    "一、指导思想\n"
    "　　以十六届四中全会精神为指导，加强教职工队伍建设，提高教育教学质量。\n"
    "二、具体工作任务\n"
    "（一）加强工会组织的作用  积极开展先进职工之家创建活动。\n"
    "1、继续加强《劳动法》的宣传、教育和普及。\n"
)
TRADITIONAL = "學校工會工作計劃\n一、指導思想\n加強教職工隊伍建設，提高教育教學質量。\n"


def lines_of(document) -> list[str]:
    return [block.text for block in document.blocks]


@pytest.mark.parametrize(
    ("encoding", "recorded"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),  # with BOM
        ("utf-16-le", "utf-16-le"),  # without BOM
        ("utf-16-be", "utf-16-be"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),  # GBK is read as its superset
        ("gb2312", "gb18030"),
    ],
)
def test_simplified_plan_in_each_encoding(tmp_path, encoding, recorded):
    path = tmp_path / f"plan-{encoding}.txt"
    path.write_bytes(PLAN.encode(encoding))
    document = read_file(path)
    assert document.format == "txt"
    assert document.encoding == recorded
    assert lines_of(document) == PLAN.splitlines()
    assert document.warnings == []


@pytest.mark.parametrize("encoding", ["big5", "utf-16-le"])
def test_traditional_plan(encoding):
    document = read_bytes(TRADITIONAL.encode(encoding), "plan.txt")
    assert document.encoding == encoding
    assert lines_of(document) == TRADITIONAL.splitlines()


@pytest.mark.parametrize(("text", "encoding", "expected"), [
    ("计划", "gbk", "gb18030"),  # two characters: charset-normalizer alone calls this Big5
    ("工作計劃", "big5", "big5"),
    ("二、", "gbk", "gb18030"),
])
def test_short_chinese_texts_are_not_confused(text, encoding, expected):
    document = read_bytes(text.encode(encoding), "short.txt")
    assert (document.encoding, lines_of(document)) == (expected, [text])


def test_commonness_separates_gb_from_big5():
    simplified = "以十六届四中全会精神为指导加强教职工队伍建设提高教育教学质量"
    mojibake = simplified.encode("gbk").decode("big5", errors="ignore")
    assert hanzi_commonness(simplified, "gb18030") > 0.9
    assert hanzi_commonness(mojibake, "big5") < hanzi_commonness(simplified, "gb18030")


def test_line_breaks_unified_and_lines_kept_as_written():
    data = "第一行  两个空格\r\n第二行\r第三行\n\n　　第五行缩进\n".encode("utf-8")
    document = read_bytes(data, "lines.txt")
    assert lines_of(document) == ["第一行  两个空格", "第二行", "第三行", "", "　　第五行缩进"]


def test_mixed_utf8_and_gbk_lines_decode_with_warning():
    data = "第一行是UTF-8文字\n".encode() + "第二行是GBK文字\n".encode("gbk") + "第三行\n".encode()
    document = read_bytes(data, "mixed.txt")
    assert lines_of(document) == ["第一行是UTF-8文字", "第二行是GBK文字", "第三行"]
    assert document.encoding == "utf-8"
    assert document.warnings and "line by line" in document.warnings[0]


def test_undecodable_bytes_never_crash():
    data = PLAN.encode() + b"\xff\xfe\xfa" + "结束".encode()
    document = read_bytes(data, "broken.txt")
    assert lines_of(document)[:6] == PLAN.splitlines()
    assert "\ufffd" in lines_of(document)[-1]
    assert document.warnings


@pytest.mark.parametrize("size", [64, 4096])
def test_binary_garbage_is_not_a_document(size):
    rng = random.Random(size)
    garbage = bytes(rng.randrange(256) for _ in range(size))
    with pytest.raises(PlanparseError) as caught:
        read_bytes(garbage, "garbage.txt")
    assert caught.value.code is ErrorCode.NOT_A_DOCUMENT


def test_nul_padded_binary_is_not_a_document():
    with pytest.raises(PlanparseError) as caught:
        decode_text(b"\x00\x01\x02\x03" * 300 + b"MZ\x90\x00")
    assert caught.value.code is ErrorCode.NOT_A_DOCUMENT


def test_real_pkulaw_text_with_mixed_line_ends(real):
    document = read_file(real / "bu_xinjiang_zhijianju_xinwen_xuanchuan_tongzhi.txt")
    assert document.encoding == "utf-8"
    texts = lines_of(document)
    assert not any("\r" in text for text in texts)
    assert any(text.lstrip("\u3000 ").startswith("一、") for text in texts)
