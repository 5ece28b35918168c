"""outline: lines become units, inline enumerations are split, and levels come from the
order in which numbering schemes appear in the plan."""
from __future__ import annotations

import pytest

from planparse.doc import Doc, Line, Unit
from planparse.outline import assign_levels, build_units, heading_end
from planparse.pipeline import Pipeline
from planparse.readers.base import Block, RawDocument
from planparse.records import SourceInfo

OUTLINE = Pipeline(("normalize", "clean", "split", "outline"))
TITLE = "阳光小学工会2024年工作计划"


def run_outline(text: str) -> tuple[str, list[Unit]]:
    raw = RawDocument(blocks=[Block(text=line) for line in text.splitlines()], format="txt")
    doc = OUTLINE(Doc(source=SourceInfo(path="t.txt", format="txt", sha256="0" * 64, bytes=0), raw=raw))
    assert len(doc.drafts) == 1
    return doc.text, doc.drafts[0].units


def units_of(text: str, lines: list[str]) -> list[Unit]:
    """build_units over plain lines of ``text`` (no pipeline)."""
    out, pos = [], 0
    for ln in lines:
        start = text.index(ln, pos)
        out.append(Line(start, start + len(ln)))
        pos = start + len(ln)
    return build_units(text, out)


def summary(text: str, units: list[Unit]) -> list[tuple[int, str | None, str]]:
    return [(u.level, u.token, text[u.start : u.end]) for u in units]


def test_plain_chinese_outline_levels():
    text, units = run_outline(
        f"{TITLE}\n一、指导思想\n以学习为主。\n二、主要工作\n（一）加强民主管理\n1、召开教代会。\n①审议工作报告。\n②评议领导班子。\n"
        "2、推进校务公开。\n（二）关心职工生活\n三、保障措施"
    )
    assert [(u.level, u.token) for u in units] == [
        (1, "一"), (0, None), (1, "二"), (2, "(一)"), (3, "1"), (4, "①"), (4, "②"), (3, "2"), (2, "(二)"), (1, "三"),
    ]
    assert all(text[u.start : u.end] == text[u.start : u.end].strip() for u in units)


def test_levels_follow_order_of_appearance():
    """A plan that uses 1. above (一) puts 1. at level 1."""
    _, units = run_outline(f"{TITLE}\n1. 指导思想\n以学习为主。\n2. 主要工作\n（一）加强民主管理\n（二）关心职工生活\n3. 保障措施")
    assert [(u.level, u.scheme, u.value) for u in units if u.scheme] == [
        (1, "digit_dot", 1), (1, "digit_dot", 2), (2, "cn_paren", 1), (2, "cn_paren", 2), (1, "digit_dot", 3),
    ]


def test_restarts_under_each_subheading_do_not_corrupt_the_tree():
    _, units = run_outline(
        f"{TITLE}\n一、主要工作\n（一）加强民主管理\n1、召开教代会。\n2、推进校务公开。\n（二）关心职工生活\n1、开展送温暖活动。\n"
        "2、组织体检。\n3、慰问退休教师。\n（三）丰富文体活动\n1、举办拔河比赛。\n二、保障措施\n1、加强领导。"
    )
    assert [(u.level, u.token) for u in units] == [
        (1, "一"), (2, "(一)"), (3, "1"), (3, "2"), (2, "(二)"), (3, "1"), (3, "2"), (3, "3"),
        (2, "(三)"), (3, "1"), (1, "二"), (2, "1"),
    ]


def test_inline_items_after_a_heading():
    text, units = run_outline(f"{TITLE}\n三、加强民主管理1、坚持教代会制度,审议学校重大事项。2、推进校务公开。\n四、其他")
    assert summary(text, units) == [
        (1, "三", "三、加强民主管理"),
        (2, "1", "1、坚持教代会制度,审议学校重大事项。"),
        (2, "2", "2、推进校务公开。"),
        (1, "四", "四、其他"),
    ]
    assert [u.inline for u in units] == [False, True, True, False]
    heading = units[0]
    assert text[heading.body_start : heading.heading_end] == "加强民主管理"


def test_yi_shi_er_shi_in_one_paragraph():
    text, units = run_outline(f"{TITLE}\n一、关心职工生活。一是开展送温暖活动;二是组织教职工体检;三是慰问退休教师。\n二、其他")
    inner = [u for u in units if u.scheme == "shi"]
    assert [(u.token, u.level) for u in inner] == [("一", 2), ("二", 2), ("三", 2)]
    assert [text[u.body_start : u.end] for u in inner] == ["开展送温暖活动;", "组织教职工体检;", "慰问退休教师。"]


def test_lone_yi_shi_is_not_an_item():
    """一是 needs its 二是: 一是一非 in a sentence is no list."""
    text, units = run_outline(f"{TITLE}\n一、主要工作\n一是加强学习,提高素质。\n二、保障措施")
    assert [u.scheme for u in units] == ["cn_dun", None, "cn_dun"]


def test_english_ordinals_inline():
    text, units = run_outline(
        "Sunshine School Trade Union Work Plan\n"
        "First, the guiding ideology: we will study the theory. Second, the main work: hold the congress. "
        "Third, measures: we will strengthen leadership."
    )
    assert [(u.level, u.token, u.inline) for u in units] == [(1, "First", False), (1, "Second", True), (1, "Third", True)]
    assert [text[u.body_start : u.heading_end] for u in units] == ["the guiding ideology", "the main work", "measures"]


def test_english_numbered_items_under_ordinal_headings():
    text, units = run_outline(
        "Sunshine School Trade Union Work Plan\nFirst, the guiding ideology: we serve.\nSecond, the main work\n"
        "1. Hold the teachers' congress. 2. Carry out the activity of sending warmth.\nThird, measures"
    )
    assert [(u.level, u.token) for u in units] == [(1, "First"), (1, "Second"), (2, "1"), (2, "2"), (1, "Third")]


def test_roman_and_ordinal_share_a_level():
    _, units = run_outline("Union Work Plan\nI. Guiding ideology\nWe study.\nSecond, the main work\nIII. Measures")
    assert [(u.level, u.value) for u in units if u.scheme] == [(1, 1), (1, 2), (1, 3)]


def test_ordinal_list_inside_a_roman_item_is_nested_and_the_next_line_goes_on_with_the_outer_one():
    """A translation of 一、…一是…二是… / 二、…: `I. …` then `First, … Second, …` run inside
    item I; a line that opens with `Second,` is item II (the inner list lived inside
    paragraphs)."""
    _, units = run_outline(
        "Union Work Summary\nI. Grasping study. First, we studied the theory; Second, we read the law.\n"
        "Second, grasp the mechanism and hold the congress of the staff.\nThird, tell the truth and protect the staff."
    )
    assert [(u.level, u.token) for u in units if u.scheme] == [(1, "I"), (2, "First"), (2, "Second"), (1, "Second"), (1, "Third")]


def test_first_after_roman_i_with_paragraphs_between_is_nested():
    """`I. Guiding ideology` / its paragraph / `Main points of work:` / `First, … Second, …`:
    two items numbered 1 in one family are no siblings, whatever stands between them."""
    _, units = run_outline(
        "Union Work Plan\nI. Guiding ideology\nWe will serve the staff.\nMain points of work:\n"
        "First, organize labor competitions for the workers.\nSecond, care for the workers in difficulty.\n"
        "II. Safeguard measures\nStrengthen the leadership."
    )
    assert [(u.level, u.token) for u in units if u.scheme] == [(1, "I"), (2, "First"), (2, "Second"), (1, "II")]


def test_a_number_1_under_each_month_label_stays_at_the_top():
    """The same style at 1 again after a label line is a list restarting under it, not one nested in the last."""
    _, units = run_outline(f"{TITLE}\n三月份:\n1、召开教代会。\n四月份:\n1、组织春游。\n2、开展读书活动。")
    assert [(u.level, u.token) for u in units if u.scheme] == [(1, "1"), (1, "1"), (1, "2")]


@pytest.mark.parametrize(
    "paragraph",
    [
        "本学期计划选出1. 5名代表参加区工会培训。",
        "今年共组织了3. 5万人次参加活动。",
        "经费预算1.5万元,用于职工活动。",
        "2024年3月1日召开会议。",
    ],
)
def test_weak_lone_token_mid_sentence_is_not_split(paragraph):
    text, units = run_outline(f"{TITLE}\n一、主要工作\n{paragraph}\n二、保障措施")
    assert summary(text, units)[1] == (0, None, paragraph)
    assert len(units) == 3


def test_weak_inline_list_with_successor_is_split():
    text, units = run_outline(f"{TITLE}\n一、主要工作\n加强学习。1.组织政治学习。2.开展读书活动。\n二、其他")
    assert summary(text, units)[1:4] == [(0, None, "加强学习。"), (2, "1", "1.组织政治学习。"), (2, "2", "2.开展读书活动。")]


def test_decimal_depth():
    text = "1.1 加强学习\n1.2 开展培训\n1.2.1 组织读书\n1.2.2 开展岗位练兵\n1.3 关心职工\n2.1 丰富文体活动"
    units = units_of(text, text.split("\n"))
    assert [(u.token, u.level) for u in units] == [("1.1", 1), ("1.2", 1), ("1.2.1", 2), ("1.2.2", 2), ("1.3", 1), ("2.1", 1)]


def test_decimal_next_chapter_after_deeper_item():
    text = "1.1 加强学习\n1.2 开展培训\n1.2.1 组织读书\n2.1 关心职工"
    units = units_of(text, text.split("\n"))
    assert [(u.token, u.level) for u in units] == [("1.1", 1), ("1.2", 1), ("1.2.1", 2), ("2.1", 1)]


def test_nested_restart_of_the_same_scheme_gets_its_own_level():
    """Item 2 containing its own 1. 2. list (a scheme restarting while a deeper level is open)."""
    text = "一、主要工作\n1. 加强学习\n2. 关心职工\n(1)慰问困难职工。1. 春节慰问。2. 中秋慰问。\n3. 丰富文体"
    units = units_of(text, text.split("\n"))
    assert [(u.token, u.level) for u in units] == [
        ("一", 1), ("1", 2), ("2", 2), ("(1)", 3), ("1", 4), ("2", 4), ("3", 2),
    ]


def test_assign_levels_plain_units_stay_at_zero():
    units = [Unit(0, 1, 0), Unit(2, 3, 2, "cn_dun", "一", 1), Unit(4, 5, 4), Unit(6, 7, 6, "digit_dun", "1", 1)]
    assign_levels(units)
    assert [u.level for u in units] == [0, 1, 0, 2]


@pytest.mark.parametrize(
    "line, heading",
    [
        ("一、指导思想", "指导思想"),
        ("一、指导思想:以党的二十大精神为指导。", "指导思想:"),
        ("(三)关心职工生活。组织体检,开展慰问。", "关心职工生活。"),
        ("First, the guiding ideology: we will study the theory.", "the guiding ideology"),
    ],
)
def test_heading_end(line, heading):
    unit = units_of(line, [line])[0]
    assert unit.heading_end == heading_end(line, unit)
    assert line[unit.body_start : unit.heading_end].rstrip(":") == heading.rstrip(":")


def test_table_rows_are_single_plain_units():
    block = Block(text="三月\t1、召开教代会 2、举办联谊会\t工会", kind="table_row", cells=["三月", "1、召开教代会 2、举办联谊会", "工会"])
    text = block.text
    units = build_units(text, [Line(0, len(text), block)])
    assert [(u.scheme, u.start, u.end) for u in units] == [(None, 0, len(text))]


def test_styled_heading_without_number_gets_style_level():
    text = "指导思想\n以学习为主。"
    head = Block(text="指导思想", kind="heading", style="Heading 1", level=1)
    units = build_units(text, [Line(0, 4, head), Line(5, len(text), Block(text="以学习为主。"))])
    assert units[0].scheme == "style_heading1" and units[0].level == 1
    assert units[1].level == 0


def test_di_yi_di_er_inline_in_one_paragraph():
    text, units = run_outline(f"{TITLE}\n一、主要工作\n1、召开教代会。\n二、保障措施\n第一,加强领导。第二,落实经费。\n三、其他")
    assert [(u.level, u.token) for u in units] == [(1, "一"), (2, "1"), (1, "二"), (2, "一"), (2, "二"), (1, "三")]


def test_digit_range_mid_sentence_is_not_split():
    text, units = run_outline(f"{TITLE}\n一、主要工作\n每学期召开1、2次教职工座谈会,听取意见。\n二、保障措施")
    assert summary(text, units)[1] == (0, None, "每学期召开1、2次教职工座谈会,听取意见。")


def test_first_then_the_second_is_in_one_paragraph_is_one_list():
    """Machine translation writes 一是…二是…三是… as "First, … The second is … The third is …"."""
    text, units = run_outline(
        "Sunshine School Trade Union Work Plan\nWork points:\n"
        "1. Learn first. Innovative methods: First, school-based training. Conduct training. "
        "The second is exchange seminars. Watch lessons. The third is academic education. Study for degrees.\n"
        "2. Care for the staff. Visit retired teachers."
    )
    assert [(u.level, u.token) for u in units if u.token] == [(1, "1"), (2, "First"), (2, "second"), (2, "third"), (1, "2")]


def test_a_lone_the_second_is_is_no_item():
    # with no list open before it, a lone "The second is" is prose
    text, units = run_outline("Sunshine School Trade Union Work Plan\nWork points:\n"
                              "The union grew this year. The second is that members joined.")
    assert [u.token for u in units if u.token] == []


def test_a_first_decimal_subitem_glued_to_its_item_opens_the_sub_list():
    # `2. …如下:2.1 …` with 2.2 on the next line: 2.1 is item 2's first sub-item
    text, units = run_outline("学校工会工作计划\n1. 促进工会事业的发展,我们将做出如下努力:1.1 继续积极争取福利待遇,关心职工生活。\n"
                              "1.2 组织开展职工安全健康教育。\n2. 发扬带头作用,我们将做出如下努力:2.1 做好服务师生的工作。\n2.2 深化合作。")
    assert [(u.level, u.token) for u in units if u.token] == [(1, "1"), (2, "1.1"), (2, "1.2"), (1, "2"), (2, "2.1"), (2, "2.2")]
    # a decimal that is not the item's own N.1 stays text
    text, units = run_outline("学校工会工作计划\n1. 按照如下方案:3.1 执行。\n2. 加强管理。\n3. 关心职工。")
    assert [u.token for u in units if u.token] == ["1", "2", "3"]


def test_yi_shi_lines_each_opening_a_line_are_items():
    # 一是… on one line and 二是… on the next: the first is an item though its 二是 is not in its line
    text, units = run_outline("学校工会工作计划\n一、主要工作\n一是加强政治学习,组织教职工学习。\n二是加强业务学习,开展培训。")
    assert [(u.level, u.token) for u in units if u.token] == [(1, "一"), (2, "一"), (2, "二")]
    # and inline: 一是 late in a paragraph, 二是 opening the next line
    text, units = run_outline("学校工会工作计划\n一、主要工作\n努力开展师德建设活动,一是宣传先进典型,组织教师学习。\n二是开展尊师重教活动。")
    assert [(u.level, u.token, u.inline) for u in units if u.token] == [(1, "一", False), (2, "一", True), (2, "二", False)]


@pytest.mark.parametrize("word", ["之一", "统一", "唯一"])
def test_a_numeral_inside_a_word_opens_no_item(word):
    text, units = run_outline(f"学校工会工作计划\n工会是学校的群众组织{word},在维护教职工权益方面作用重要。\n1、召开教代会。\n2、开展送温暖活动。")
    assert [u.token for u in units if u.token] == ["1", "2"]
