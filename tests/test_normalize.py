"""normalize: NFKC (Kangxi radicals, full-width forms), indentation runs as paragraph
breaks in CJK text only, zero-width characters gone, circled numbers kept, and lines
whose offsets point into the one normalised text."""
from __future__ import annotations

import pytest

from planparse.doc import Doc
from planparse.normalize import is_cjk_text, looks_flattened, nfkc, normalize, normalize_paragraphs
from planparse.readers.base import Block, RawDocument
from planparse.records import SourceInfo


def run_normalize(*blocks: Block | str, fmt: str = "txt") -> Doc:
    raw = RawDocument(blocks=[b if isinstance(b, Block) else Block(text=b) for b in blocks], format=fmt)
    return normalize(Doc(source=SourceInfo(path=f"t.{fmt}", format=fmt, sha256="0" * 64, bytes=0), raw=raw))


def contents(doc: Doc) -> list[str]:
    return [line.text_of(doc.text) for line in doc.lines]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("⼯会⼯作计划", "工会工作计划"),  # Kangxi radical ⼯ (U+2F2F) from PDF extraction
        ("⼀、指导思想", "一、指导思想"),  # Kangxi ⼀ (U+2F00)
        ("⼆〇⼆四年", "二〇二四年"),
        ("ＡＢＣ工会２０２４年", "ABC工会2024年"),  # full-width Latin and digits
        ("（一）加强学习：", "(一)加强学习:"),  # full-width brackets and colon
        ("１．召开会议", "1.召开会议"),
        ("加强管理，提高素质；", "加强管理,提高素质;"),
    ],
)
def test_nfkc_folds_compatibility_forms(raw, expected):
    assert normalize_paragraphs(raw) == [expected]


@pytest.mark.parametrize("circled", ["①", "②", "⑩", "⑳", "❶"])
def test_circled_numbers_stay_numbering_tokens(circled):
    assert nfkc(f"{circled}开展读书活动") == f"{circled}开展读书活动"
    assert normalize_paragraphs(f"{circled}开展读书活动；（２）其他") == [f"{circled}开展读书活动;(2)其他"]


def test_circled_numbers_kept_between_folded_text():
    assert nfkc("⼯会①学习②培训") == "工会①学习②培训"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("一、指导思想\u3000\u3000以党的二十大精神为指导", ["一、指导思想", "以党的二十大精神为指导"]),
        ("\u3000\u3000二、主要工作\u3000\u3000（一）加强民主管理", ["二、主要工作", "(一)加强民主管理"]),
        ("一、指导思想  以党的二十大精神为指导", ["一、指导思想", "以党的二十大精神为指导"]),
        ("某某小学工会    2024年工作计划", ["某某小学工会", "2024年工作计划"]),
        ("一、指导思想 \u3000 以学习为主", ["一、指导思想", "以学习为主"]),
    ],
)
def test_indent_runs_break_cjk_paragraphs(raw, expected):
    assert normalize_paragraphs(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Trade Union Work Plan", ["Trade Union Work Plan"]),  # a single space never breaks
        ("First, the guiding ideology:  we will  study the spirit", ["First, the guiding ideology: we will study the spirit"]),
        ("Trade  Union   Work Plan", ["Trade Union Work Plan"]),
        ("  leading spaces and trailing  ", ["leading spaces and trailing"]),
    ],
)
def test_space_runs_in_english_are_folded_not_broken(raw, expected):
    assert normalize_paragraphs(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("工 会 工 作 计 划", ["工会工作计划"]),  # letter-spaced title
        ("总   则", ["总则"]),  # a one-character piece beside a run is letter-spacing, not a break
        ("一、  指导思想", ["一、指导思想"]),
        ("工会 Work 计划", ["工会 Work 计划"]),  # spaces next to Latin text stay
    ],
)
def test_spaces_between_cjk_characters_are_letter_spacing(raw, expected):
    assert normalize_paragraphs(raw) == expected


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_laid_out_formats_do_not_break_on_indent_runs(fmt):
    doc = run_normalize("一、指导思想  以党的二十大精神为指导", fmt=fmt)
    assert contents(doc) == ["一、指导思想以党的二十大精神为指导"]
    doc = run_normalize("一、指导思想  以党的二十大精神为指导", fmt="txt")
    assert contents(doc) == ["一、指导思想", "以党的二十大精神为指导"]


PASTED_PAGE = ("学校工会2024年工作计划   一、指导思想   以党的二十大精神为指导，围绕学校中心工作开展工会工作。   "
               "二、主要工作   1、加强教职工政治理论学习，组织专题学习会。   2、开展师德师风建设活动，评选师德标兵。   "
               "3、举办教职工趣味运动会和迎新春联欢会。")


def test_a_pasted_page_in_a_laid_out_paragraph_is_cut_at_its_runs():
    assert looks_flattened(PASTED_PAGE)
    doc = run_normalize(PASTED_PAGE, fmt="docx")
    assert contents(doc) == ["学校工会2024年工作计划", "一、指导思想", "以党的二十大精神为指导,围绕学校中心工作开展工会工作。",
                             "二、主要工作", "1、加强教职工政治理论学习,组织专题学习会。", "2、开展师德师风建设活动,评选师德标兵。",
                             "3、举办教职工趣味运动会和迎新春联欢会。"]


@pytest.mark.parametrize("paragraph", [
    "填报单位：          填报人：          联系电话：          日期：          " * 3,  # form spacing: short pieces
    "以党的二十大精神为指导，围绕学校中心工作。  团结动员广大教职工立足岗位建功立业。  " * 4,  # two spaces after a sentence
    "本学期工会将以党的二十大精神为指导，围绕学校中心工作，团结动员广大教职工立足岗位建功立业，" * 4,  # no runs at all
])
def test_a_real_laid_out_paragraph_is_not_taken_for_a_page(paragraph):
    assert not looks_flattened(paragraph)


def test_ideographic_space_breaks_english_too():
    assert normalize_paragraphs("First, guiding ideology\u3000Second, objectives") == ["First, guiding ideology", "Second, objectives"]


@pytest.mark.parametrize("zw", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_zero_width_characters_removed(zw):
    assert normalize_paragraphs(f"工{zw}会工作{zw}计划") == ["工会工作计划"]


def test_line_break_variants_split_paragraphs():
    assert normalize_paragraphs("一、学习\r\n二、培训\r三、慰问\u2028四、宣传") == ["一、学习", "二、培训", "三、慰问", "四、宣传"]


def test_blank_and_whitespace_only_lines_dropped():
    assert normalize_paragraphs("\n\u3000\u3000\n  \n一、学习\n\n") == ["一、学习"]


def test_table_row_keeps_cells_and_does_not_break_on_indent():
    assert normalize_paragraphs("三月份\t召开教代会  举办三八节活动\t工会办公室", table_row=True) == [
        "三月份\t召开教代会 举办三八节活动\t工会办公室"
    ]


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("春节送温暖工程 春节联欢会", "春节送温暖工程 春节联欢会"),  # two paragraphs of the cell, joined by the reader
        ("工 会 办 公 室", "工会办公室"),  # letter-spacing
        ("张 三", "张三"),
        ("3.8节 羽毛球比赛", "3.8节 羽毛球比赛"),
    ],
)
def test_a_space_in_a_table_cell_goes_only_as_letter_spacing(cell, expected):
    assert normalize_paragraphs(f"三月\t{cell}", table_row=True) == [f"三月\t{expected}"]
    assert normalize_paragraphs("春节送温暖工程 春节联欢会") == ["春节送温暖工程春节联欢会"]  # a paragraph: as before
    assert normalize_paragraphs("March\tHold  the  congress\tUnion office", table_row=True) == [
        "March\tHold the congress\tUnion office"
    ]


@pytest.mark.parametrize(
    "text, cjk",
    [
        ("某某中学工会工作计划", True),
        ("2024年ABC工会工作计划", True),
        ("First, the guiding ideology of the trade union", False),
        ("Work Plan of 工会", False),
        ("12345 ...", False),
    ],
)
def test_is_cjk_text(text, cjk):
    assert is_cjk_text(text) is cjk


def test_lines_point_into_the_text():
    doc = run_normalize(
        "\ufeff⼯会２０２４年工作计划",
        "",
        "\u3000\u3000一、指导思想\u3000\u3000以党的二十大精神为指导，团结动员广大职工。",
        "二、主要工作  1、召开教代会。 2、开展①送温暖②体检活动。",
        "First, the guiding ideology:  we will study.",
        "\u200b",
        Block(text="三月份\t召开教代会\t工会", kind="table_row", cells=["三月份", "召开教代会", "工会"]),
    )
    assert contents(doc) == [
        "工会2024年工作计划",
        "一、指导思想",
        "以党的二十大精神为指导,团结动员广大职工。",
        "二、主要工作",
        "1、召开教代会。 2、开展①送温暖②体检活动。",
        "First, the guiding ideology: we will study.",
        "三月份\t召开教代会\t工会",
    ]
    for line in doc.lines:
        assert 0 <= line.start < line.end <= len(doc.text)
        assert doc.text[line.start : line.end] == line.text_of(doc.text)
    # Lines are in order, joined by single newlines, and cover the whole text.
    assert "\n".join(contents(doc)) == doc.text
    for a, b in zip(doc.lines, doc.lines[1:]):
        assert b.start == a.end + 1


def test_first_flag_and_block_back_pointer():
    block = Block(text="一、指导思想\u3000\u3000以学习为主\u3000\u3000二、主要工作", kind="paragraph")
    doc = run_normalize(block, "三、保障措施")
    assert [line.first for line in doc.lines] == [True, False, False, True]
    assert all(line.block is block for line in doc.lines[:3])
    assert doc.lines[3].block is not block


def test_empty_document_gives_empty_text():
    doc = run_normalize("", "\u3000\u3000", "\u200b")
    assert doc.text == ""
    assert doc.lines == []


@pytest.mark.parametrize("raw", ["", "   ", "\u3000\u3000", "\t \xa0\n  \n", "\u2003\u205f"])
def test_blank_block_gives_no_paragraph(raw):
    assert normalize_paragraphs(raw) == []
    assert normalize_paragraphs(raw, table_row=True) == []


@pytest.mark.parametrize("raw", ["工 会  工作\u3000计划", "Plan  A\tB", "（一）加强学习，提高素质", "⓫ 第十一项", "❶开展活动"])
def test_skipping_the_odd_character_pass_changes_nothing_without_them(raw):
    """normalize() skips the zero-width and line-break pass for a document without any."""
    for table_row in (False, True):
        assert normalize_paragraphs(raw, table_row, odd_chars=False) == normalize_paragraphs(raw, table_row)


def test_nfkc_keeps_circled_numbers_nfkc_leaves_alone():
    assert nfkc("⓫开展❶活动") == "⓫开展❶活动"
    assert nfkc("⓫开展①活动，（２）") == "⓫开展①活动,(2)"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2015年機(jī)關(guān)工會工作總結(jié)", "2015年機關工會工作總結"),
        ("学(xué)习(xí)贯彻", "学习贯彻"),
        ("工会(union)小组", "工会(union)小组"),  # no tone mark: an English gloss, kept
        ("职代会(QC)", "职代会(QC)"),
        ("Zhōngguó (zhōng) union", "Zhōngguó (zhōng) union"),  # after no Chinese character
    ],
)
def test_pinyin_glosses_after_characters_are_dropped(raw, expected):
    assert normalize_paragraphs(raw) == [expected]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("#### 一、总体目标", "一、总体目标"),
        ("  ### 医院2025年工会工作计划", "医院2025年工会工作计划"),
        ("1. **构建和谐劳动关系**:通过有效沟通机制", "1. 构建和谐劳动关系:通过有效沟通机制"),
        ("all employees of ****", "all employees of ****"),  # a placeholder, no emphasis
        ("#5 车间", "#5 车间"),  # no space after the mark: no heading
    ],
)
def test_markdown_marks_of_chat_drafted_plans_are_dropped(raw, expected):
    assert normalize_paragraphs(raw) == [expected]


def test_spaced_out_breadcrumb_stays_one_line():
    """`首页  >  范文  >  计划`: runs of spaces around a path separator join a breadcrumb's
    links; they are no flattened paragraph breaks (which would leave `工作计划范文>` lines)."""
    line = "当前位置: 范文大全  >  工作范文  >  工作计划范文  >  社区工会工作计划"
    assert normalize_paragraphs(line) == ["当前位置: 范文大全 > 工作范文 > 工作计划范文 > 社区工会工作计划"]
    assert normalize_paragraphs("一、指导思想  二、主要工作内容") == ["一、指导思想", "二、主要工作内容"]


def test_normalize_gives_the_doc_its_matching_twin():
    simplified = run_normalize("学校工会工作计划", "一、指导思想", "开展活动。")
    assert simplified.matching is simplified.text
    traditional = run_normalize("學校工會工作計劃", "一、指導思想", "開展會員活動。")
    assert traditional.matching == "学校工会工作计划\n一、指导思想\n开展会员活动。"
    assert traditional.text == "學校工會工作計劃\n一、指導思想\n開展會員活動。"  # the text itself as written


@pytest.mark.parametrize(
    "raw,expected",
    [
        (",一月,", ["一月"]),
        (",1、学期尾声,半年教学效果检验。,2、寒假安全、春节礼仪教育。,",
         ["1、学期尾声,半年教学效果检验。", "2、寒假安全、春节礼仪教育。"]),
        (",季节性工作: ,", ["季节性工作:"]),
        (",", []),
        ("组织职工,开展活动。,", ["组织职工,开展活动。,"]),  # no comma in front: an ordinary line, kept as written
    ],
)
def test_a_comma_joined_table_row_loses_its_end_commas_and_splits_at_cell_ends(raw, expected):
    assert normalize_paragraphs(raw) == expected
