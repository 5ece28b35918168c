"""Re-flow and page-furniture rules on synthetic lines: one rule per test."""
from __future__ import annotations

import pytest

from planparse.readers.pdf_layout import PdfLine, drop_page_furniture, is_bare_token, reflow, starts_with_token

PAGE_HEIGHT = 842.0
LEFT, RIGHT = 72.0, 523.0
PITCH = 15.0


def line(text: str, row: int, page: int = 1, *, x0: float = LEFT, x1: float = RIGHT, size: float = 10.5,
         bold: bool = False, after_gap: bool = False, word: float = 10.5) -> PdfLine:
    return PdfLine(text=text, page=page, x0=x0, x1=x1, baseline=100 + row * PITCH, font_size=size,
                   bold_share=1.0 if bold else 0.0,
                   page_height=PAGE_HEIGHT, first_word_width=word, after_gap=after_gap)


def texts(lines: list[PdfLine]) -> list[str]:
    return [block.text for block in reflow(lines)]


def test_wrapped_lines_join_and_short_line_ends_paragraph():
    lines = [
        line("为推进教职工思想道德素质的提升，丰富教职工的文化生活，学校工会在三月份举办", 0),
        line("班主任工作经验交流会。", 1, x1=200),
        line("开展广泛的送温暖活动，继续认真落实我校一帮一扶贫工程，完成帮助贫困生的学习", 2),
        line("生活任务。", 3, x1=130),
    ]
    assert texts(lines) == [
        "为推进教职工思想道德素质的提升，丰富教职工的文化生活，学校工会在三月份举办班主任工作经验交流会。",
        "开展广泛的送温暖活动，继续认真落实我校一帮一扶贫工程，完成帮助贫困生的学习生活任务。",
    ]


@pytest.mark.parametrize("token", ["一、", "（一）", "(二)", "1、", "1.", "1．", "（1）", "①", "第一条", "第三章",
                                   "一是", "• ", "First, ", "II. ", "5.2.1 "])
def test_numbering_token_starts_a_paragraph(token):
    lines = [line("上一段的内容写到了这一行的最后一个字为止，没有句号也没有结束", 0),
             line(f"{token}下一项工作内容", 1, x1=300)]
    assert texts(lines) == [lines[0].text, f"{token}下一项工作内容"]
    assert starts_with_token(lines[1].text)


@pytest.mark.parametrize("text", ["2020年12月26日左右召开", "12月份举行教工篮球赛", "2.5 million members joined",
                                  "and the third is"])
def test_continuation_lines_are_not_tokens(text):
    assert not starts_with_token(text)


def test_bare_token_joins_its_heading():
    lines = [line("（一）", 0, x1=110), line("加强工会组织的作用", 1, x1=250)]
    assert is_bare_token("（一）")
    assert texts(lines) == ["（一）加强工会组织的作用"]


def test_wide_gap_piece_is_a_new_paragraph():
    lines = [line("形成更加完善的工作计划。", 0, x1=300), line("一、指导思想", 0, x0=320, x1=400, after_gap=True)]
    assert texts(lines) == ["形成更加完善的工作计划。", "一、指导思想"]


def test_font_size_and_weight_changes_split():
    lines = [line("工作计划", 0, size=22, bold=True, x1=300), line("各基层工会：根据上级要求，现将本年度工作安排如下，请", 2),
             line("认真贯彻执行。", 3, x1=160)]
    blocks = reflow(lines)
    assert [b.text for b in blocks] == ["工作计划", "各基层工会：根据上级要求，现将本年度工作安排如下，请认真贯彻执行。"]
    assert (blocks[0].font_size, blocks[0].bold) == (22, True)
    assert (blocks[1].font_size, blocks[1].bold) == (10.5, False)


def test_vertical_gap_splits():
    lines = [line("第一段落的最后一行文字排满了整行宽度一直写到右边距为止啊", 0),
             line("第二段落的第一行文字也排满了整行宽度一直写到右边距为止啊", 3)]
    assert len(texts(lines)) == 2


def test_latin_lines_join_with_space_and_hyphen_without():
    lines = [line("Under the leadership of the Municipal Education Union, the County", 0, word=30),
             line("Federation of Trade Unions has organised the people-", 1, word=50),
             line("oriented activities.", 2, x1=160, word=45)]
    assert texts(lines) == ["Under the leadership of the Municipal Education Union, the County Federation of "
                            "Trade Unions has organised the people-oriented activities."]


def test_ragged_latin_line_joins_when_next_word_would_not_fit():
    lines = [line("we will study the relevant content and requirements of building a", 0, x1=470, word=60),
             line("harmonious society.", 1, x1=170, word=60)]
    assert len(texts(lines)) == 1


def test_indented_line_after_sentence_end_is_a_new_paragraph():
    lines = [line("上一段最后一行正好排满并以句号结束，一直写到了右边距为止。", 0),
             line("新的一段首行缩进两个字，从这里开始写起，一直写到了右边距为止", 1, x0=LEFT + 21)]
    assert len(texts(lines)) == 2


def test_paragraph_continues_across_pages_unless_the_page_ends_a_sentence():
    continuing = [line("这一段在页末没有写完，接着在下一页继续写下去，一直写到了右边", 50),
                  line("距为止。", 0, page=2, x1=120)]
    assert len(texts(continuing)) == 1
    ending = [line("这一段在页末恰好写完了，并且以句号结束，一直写到了右边距为止。", 50),
              line("下一页开始的新段落，一直写到了右边距为止，并且还没有结束啊", 0, page=2)]
    assert len(texts(ending)) == 2


@pytest.mark.parametrize("number", ["3", "- 3 -", "— 3 —", "第 3 页", "第3页 共10页", "3/10", "Page 3 of 10", "iv"])
def test_page_numbers_dropped(number):
    pages = []
    for page, body in zip((1, 2, 3), "甲乙丙"):
        pages.append(line(f"正文内容{body}一直写到了右边距为止，这是第一行，后面还有很多内容的啊", 0, page))
        pages.append(line(number.replace("3", str(page)), 48, page, x0=280, x1=300))
    kept, dropped = drop_page_furniture(pages, 3)
    assert dropped == 3
    assert all(item.text.startswith("正文") for item in kept)


def test_running_header_dropped_but_body_line_at_top_kept():
    lines = []
    for page, body in zip((1, 2, 3, 4), "甲乙丙丁"):
        lines.append(line("XX市教育工会文件", -5, page, x0=250, x1=350))
        lines.append(line(f"{body}页的正文内容", 0, page))
    lines.append(line("只在第一页出现的标题", -3, 1, x0=200, x1=400))
    kept, dropped = drop_page_furniture(lines, 4)
    assert dropped == 4
    assert "只在第一页出现的标题" in [item.text for item in kept]


def test_signature_date_at_page_bottom_is_not_a_page_number():
    lines = [line("鸡西实验中学工会", 40, x0=400), line("2020年3月15日", 41, x0=400)]
    kept, dropped = drop_page_furniture(lines, 1)
    assert dropped == 0 and len(kept) == 2


def test_bold_words_inside_a_paragraph_do_not_split_it():
    lines = [line("投资要点：公司拟签署投资协议书，项目一期计划建设年产金刚线产能，预计", 0),
             line("一期总投资额约六亿元；后续项目尚未具体约定，存在较大不确定性。", 1, x1=400)]
    lines[1].bold_share = 2 / 3
    assert len(texts(lines)) == 1


def test_symbol_font_bullet_is_dropped_and_starts_an_item():
    lines = [line("上一项的内容一直写到了右边距为止，但是并没有用句号结束这一行", 0),
             line("\uf06c", 1, x1=80, size=5.5),
             line("事件：公司拟签署投资协议书。", 1, x0=90, x1=300)]
    assert texts(lines) == [lines[0].text, "事件：公司拟签署投资协议书。"]


def naive_repeated(group: list[PdfLine], needed: int) -> set[int]:
    """The definition: lines with same-key lines on ``needed`` pages near their position."""
    from planparse.readers.pdf_layout import FURNITURE_Y_TOLERANCE, edge_distance

    return {id(one) for one in group
            if len({other.page for other in group
                    if abs(edge_distance(other) - edge_distance(one)) <= FURNITURE_Y_TOLERANCE}) >= needed}


def test_sliding_window_finds_exactly_the_repeated_lines():
    from hypothesis import given, settings, strategies as st

    from planparse.readers.pdf_layout import lines_repeated_in_place

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(st.integers(1, 6), st.floats(20, 820, allow_nan=False)), min_size=1, max_size=30),
           st.integers(1, 6))
    def check(spots, needed):
        group = [PdfLine(text="header", page=page, x0=LEFT, x1=RIGHT, baseline=y, font_size=10.5,
                         bold_share=0.0, page_height=PAGE_HEIGHT) for page, y in spots]
        assert lines_repeated_in_place(group, needed) == naive_repeated(group, needed)

    check()


def test_a_header_on_thousands_of_pages_is_dropped_without_comparing_all_pairs(monkeypatch):
    """The header of a 2,000-page PDF is one group of 2,000 lines: positions are looked up
    a few times per line, not once per pair (the n² version made 8 million look-ups)."""
    from planparse.readers import pdf_layout

    calls = 0
    measured = pdf_layout.edge_distance

    def counting(one: PdfLine) -> float:
        nonlocal calls
        calls += 1
        return measured(one)

    monkeypatch.setattr(pdf_layout, "edge_distance", counting)
    pages = [[line("某某市总工会2024年工作计划", -4, page), line(f"第{page}项工作内容不同于其他页的第{page * 7}条", 10, page),
              line(f"- {page} -", 45, page)] for page in range(1, 2001)]
    kept, dropped = drop_page_furniture([one for page in pages for one in page], 2000)
    assert dropped == 4000 and all("项工作内容" in one.text for one in kept)
    assert calls <= 10 * 6000


def test_the_only_line_of_each_page_is_content_not_a_header():
    """One line a page, the same but for its numbers: the pages' content, kept."""
    lines = [line(f"（{page}）走访第{page}社区的困难职工。", 0, page) for page in range(1, 7)]
    kept, dropped = drop_page_furniture(lines, 6)
    assert dropped == 0 and kept == lines
    numbers = [line(f"- {page} -", 45, page) for page in range(1, 7)]  # a page number alone is still furniture
    kept, dropped = drop_page_furniture(numbers, 6)
    assert dropped == 6
